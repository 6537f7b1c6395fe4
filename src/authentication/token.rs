//! The user's token: status, refresh, logout, server-side validation.

use serde::Serialize;

use super::{Auth, AuthenticationClient};
use crate::error::{AuthingError, Result};
use crate::models::{RefreshedToken, TokenClaims, TokenStatus};
use crate::secret::AccessToken;
use crate::transport::{Operation, RestCall};

const CHECK_LOGIN_STATUS: Operation<'static> =
    operation!("authentication", "check_login_status", "check_login_status.graphql");
const REFRESH_TOKEN: Operation<'static> = operation!("authentication", "refresh_token", "refresh_token.graphql");

impl AuthenticationClient {
    /// Whether a token (by default the one this client holds) is valid: a status, not an error.
    ///
    /// GraphQL: `checkLoginStatus`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// let user = app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// let status = app.check_login_status(None).await?;
    /// assert!(status.status);
    /// assert_eq!(status.data.and_then(|d| d.id), Some(user.id));
    /// assert!(!app.check_login_status(Some("not-a-token")).await?.status);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`] when no token is given and the client holds none; transport errors.
    pub async fn check_login_status(&self, token: Option<&str>) -> Result<TokenStatus> {
        #[derive(Serialize)]
        struct Vars<'v> {
            token: &'v str,
        }
        let held = self.token();
        let token = match (token, &held) {
            (Some(token), _) => token,
            (None, Some(held)) => held.expose(),
            (None, None) => return Err(AuthingError::NotLoggedIn),
        };
        self.root(Auth::Anonymous, CHECK_LOGIN_STATUS, &Vars { token }).await
    }

    /// Exchanges the held token for a new one, which this client keeps from then on.
    ///
    /// GraphQL: `refreshToken`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// let refreshed = app.refresh_token().await?;
    /// assert_eq!(app.token().unwrap().expose(), refreshed.token.expose());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`] without a token; Authing's refusal (2020 for an invalid token).
    pub async fn refresh_token(&self) -> Result<RefreshedToken> {
        #[derive(Serialize)]
        struct NoVars {}
        let refreshed: RefreshedToken = self.root(Auth::User, REFRESH_TOKEN, &NoVars {}).await?;
        self.set_token(Some(refreshed.token.clone()));
        Ok(refreshed)
    }

    /// Logs the user out of this application: the token stops being accepted, and this client forgets it.
    ///
    /// REST: `GET /api/v2/logout?app_id=`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// let token = app.token().unwrap();
    /// app.logout().await?;
    /// assert!(app.token().is_none());
    /// assert!(!app.check_login_status(Some(token.expose())).await?.status);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`] without a token; Authing's refusal (2020 for an invalid token).
    pub async fn logout(&self) -> Result<()> {
        #[derive(Serialize)]
        struct Query<'q> {
            app_id: Option<&'q str>,
        }
        let query = Query { app_id: self.app_id() };
        let call = RestCall::get("authentication.logout", &["logout"]).query(&query);
        let _: serde::de::IgnoredAny = self.rest(Auth::User, call).await?;
        self.set_token(None);
        Ok(())
    }

    /// Asks Authing whether an id token or access token is valid, and returns its claims.
    ///
    /// REST: `GET /api/v2/oidc/validate_token?id_token=` (or `access_token=`)
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// use authing::AccessToken;
    /// use authing::authentication::ValidateToken;
    /// let user = app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// let claims = app.validate_token(&ValidateToken::Id(user.token.clone().unwrap())).await?;
    /// assert_eq!(claims.sub, Some(user.id));
    /// let refused = app.validate_token(&ValidateToken::Id(AccessToken::new("1"))).await.unwrap_err();
    /// assert_eq!(refused.code(), Some(400));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (code 400 for an invalid token), or transport errors.
    pub async fn validate_token(&self, token: &ValidateToken) -> Result<TokenClaims> {
        let (name, value) = match token {
            ValidateToken::Id(token) => ("id_token", token),
            ValidateToken::Access(token) => ("access_token", token),
        };
        let query = [(name, value.expose())];
        let call = RestCall::get("authentication.validate_token", &["oidc", "validate_token"]).query(&query).plain();
        self.rest(Auth::Anonymous, call).await
    }
}

/// A token to validate with [`AuthenticationClient::validate_token`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ValidateToken {
    /// An OIDC id token (what login returns as the user's token).
    Id(AccessToken),
    /// An OIDC access token.
    Access(AccessToken),
}

impl AuthenticationClient {
    /// Logs the user out of this application on the current device: the token stops working, and this client
    /// drops it.
    ///
    /// REST: `GET {app_host}/logout?appId=&deviceId=current` (the user's token)
    ///
    /// ```no_run
    /// # async fn demo(app: authing::AuthenticationClient) -> authing::Result<()> {
    /// app.logout_current().await?;
    /// assert!(app.token().is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; 2020 for a token the
    /// server refuses.
    pub async fn logout_current(&self) -> Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Query<'q> {
            #[serde(skip_serializing_if = "Option::is_none")]
            app_id: Option<&'q str>,
            device_id: &'q str,
        }
        let query = Query { app_id: self.app_id(), device_id: "current" };
        let call = RestCall::get("authentication.logout_current", &[]).under_host_root(&["logout"]).query(&query);
        let _: serde::de::IgnoredAny = self.rest(Auth::User, call).await?;
        self.set_token(None);
        Ok(())
    }
}
