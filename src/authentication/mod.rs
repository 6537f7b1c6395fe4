//! The end user's client: [`AuthenticationClient`], split by flow: registration, login, verification codes,
//! passwords, profile, tokens, and what the current user may see.

mod avatar;
mod codes;
mod identities;
mod ldap;
mod login;
mod mfa;
mod oidc;
mod password;
mod principal;
mod profile;
mod register;
mod token;

use std::fmt;
use std::sync::{Arc, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::Options;
use crate::error::{AuthingError, Result};
use crate::models::User;
use crate::secret::{AccessToken, Password};
use crate::transport::{Endpoint, Operation, RestCall, RootField, Transport};

pub use ldap::LoginByDirectoryBuilder;
pub use login::{LoginBuilder, LoginByPhoneCodeBuilder, LoginBySubAccountBuilder};
pub use oidc::{
    AuthorizeRequest, AuthorizeUrlBuilder, CasServiceValidation, CasValidation, CodeChallengeMethod, Introspection,
    LogoutUrlBuilder, TokenSet, TrackedSession,
};
pub use principal::PrincipalAuthentication;
pub use profile::{ListApplicationsBuilder, UpdateContactBuilder};
pub use register::RegisterBuilder;
pub use token::ValidateToken;

/// Acts for an end user of an application: the authentication side of Authing.
///
/// It talks to `app_host` (or `host`) and sends `x-authing-app-id`. Creating one per incoming request is cheap:
/// [`with_token`](Self::with_token) costs `Arc` clones and opens no connection, as every client made from the same
/// [`Options`] shares one connection pool.
///
/// A client holds at most one user's token. A login or a registration that returns a token stores it in that same
/// client, which then uses it for the calls that need a logged-in user. A clone starts with a copy of the token
/// it had then: logging in on one never changes another.
///
/// ```
/// use authing::{AuthenticationClient, Options};
///
/// let options = Options::builder().app_host("https://my-app.authing.cn").app_id("app-id").build()?;
/// let app = AuthenticationClient::new(&options)?;
///
/// // In a request handler, act for the caller with the token it presented:
/// let for_caller = app.with_token("caller's token");
/// assert!(for_caller.token().is_some());
/// assert!(app.token().is_none());
/// # Ok::<(), authing::AuthingError>(())
/// ```
pub struct AuthenticationClient {
    pub(crate) transport: Arc<Transport>,
    app: Arc<App>,
    token: RwLock<Option<AccessToken>>,
}

struct App {
    app_id: Option<String>,
    user_pool_id: Option<String>,
    endpoint: Endpoint,
    /// `websocket_host`, where Active Directory logins go.
    ad_endpoint: Endpoint,
    oidc: oidc::Settings,
}

impl Clone for AuthenticationClient {
    /// A client for the same application holding a copy of this one's token, in a slot of its own.
    fn clone(&self) -> Self {
        Self { transport: self.transport.clone(), app: self.app.clone(), token: RwLock::new(self.token()) }
    }
}

impl fmt::Debug for AuthenticationClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticationClient")
            .field("app_id", &self.app.app_id)
            .field("user_pool_id", &self.app.user_pool_id)
            .field("token", &self.token())
            .field("transport", &self.transport)
            .finish()
    }
}

/// Whether a call carries the user's token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// Never: registration, login, codes, resets. A token another user left must not travel with them.
    Anonymous,
    /// Always: the call fails before sending anything when the client holds no token.
    User,
}

impl AuthenticationClient {
    /// An authentication client over the transport of `options`, holding `options`' token if it has one.
    ///
    /// # Errors
    /// [`AuthingError::Config`] naming `app_id` when neither an application id nor a user-pool id is set.
    pub fn new(options: &Options) -> Result<Self> {
        if options.app_id.is_none() && options.user_pool_id.is_none() {
            return Err(AuthingError::config("app_id", "is required (or a user_pool_id)"));
        }
        let endpoint = Endpoint::new(
            options.app_host(),
            options.user_pool_id.as_deref(),
            options.app_id.as_deref(),
            options.transport.lang(),
        )?;
        let ad_endpoint = Endpoint::new(
            &options.websocket_host(),
            options.user_pool_id.as_deref(),
            options.app_id.as_deref(),
            options.transport.lang(),
        )?;
        let app = App {
            app_id: options.app_id.clone(),
            user_pool_id: options.user_pool_id.clone(),
            endpoint,
            ad_endpoint,
            oidc: oidc::Settings::new(options),
        };
        Ok(Self { transport: options.transport.clone(), app: Arc::new(app), token: RwLock::new(options.token.clone()) })
    }

    /// The same client acting for the user whose token this is.
    pub fn with_token(&self, token: impl Into<AccessToken>) -> Self {
        Self { transport: self.transport.clone(), app: self.app.clone(), token: RwLock::new(Some(token.into())) }
    }

    /// The same client acting for nobody.
    pub fn without_token(&self) -> Self {
        Self { transport: self.transport.clone(), app: self.app.clone(), token: RwLock::new(None) }
    }

    /// The user's token this client holds, if any.
    pub fn token(&self) -> Option<AccessToken> {
        self.token.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Makes this client act for the user whose token this is (`None`: for nobody).
    pub fn set_token(&self, token: Option<AccessToken>) {
        *self.token.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = token;
    }

    /// The application id.
    pub fn app_id(&self) -> Option<&str> {
        self.app.app_id.as_deref()
    }

    /// Runs a GraphQL document of your own against the application's host, with the user's token when the client
    /// holds one, and decodes its `data` into `T`. Queries are retried on transient failures, mutations never
    /// once they may have reached the server.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// let app = authing::AuthenticationClient::new(&options)?;
    ///
    /// #[derive(serde::Deserialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct Strength {
    ///     check_password_strength: serde_json::Value,
    /// }
    /// let data: Strength = app
    ///     .graphql(
    ///         "query strength($password: String!) { checkPasswordStrength(password: $password) { valid } }",
    ///         &serde_json::json!({ "password": "Tr0ub4dor&3-Horse" }),
    ///     )
    ///     .await?;
    /// assert_eq!(data.check_password_strength["valid"], true);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::Api`] for Authing's refusals, decode errors when `data` is not a `T`.
    pub async fn graphql<T: DeserializeOwned>(&self, document: &str, variables: &impl Serialize) -> Result<T> {
        let token = self.token();
        self.transport.graphql(&self.app.endpoint, token.as_ref(), Operation::new("graphql", document), variables).await
    }

    /// Encrypts a password with the user pool's public key, as every call that sends a password does by itself.
    ///
    /// # Errors
    /// [`AuthingError::Encryption`] when the password is too long for the key; transport errors while the key is
    /// discovered.
    pub async fn encrypt_password(&self, password: &Password) -> Result<String> {
        self.transport.encrypt_password(password).await
    }

    /// The token a call with `auth` sends, or the error it fails with before sending anything.
    fn token_for(&self, auth: Auth) -> Result<Option<AccessToken>> {
        match auth {
            Auth::Anonymous => Ok(None),
            Auth::User => self.token().map(Some).ok_or(AuthingError::NotLoggedIn),
        }
    }

    /// Runs a GraphQL operation and returns the value of its root field.
    async fn root<V: Serialize, T: DeserializeOwned>(
        &self,
        auth: Auth,
        operation: Operation<'_>,
        vars: &V,
    ) -> Result<T> {
        let token = self.token_for(auth)?;
        let RootField(value) = self.transport.graphql(&self.app.endpoint, token.as_ref(), operation, vars).await?;
        Ok(value)
    }

    /// Runs a REST call against `{app_host}/api/v2/...` and decodes the envelope's `data`.
    async fn rest<Q: Serialize + ?Sized, F: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        auth: Auth,
        call: RestCall<'_, Q, F>,
    ) -> Result<T> {
        let token = self.token_for(auth)?;
        self.transport.rest(&self.app.endpoint, token.as_ref(), &call).await
    }

    /// Runs a login or a registration (sent without any token) and keeps the returned user's token, when it
    /// carries one, in this client. Other calls that return the user leave the held token alone.
    async fn sign_in<V: Serialize>(&self, operation: Operation<'_>, vars: &V) -> Result<User> {
        let user: User = self.root(Auth::Anonymous, operation, vars).await?;
        if let Some(token) = &user.token {
            self.set_token(Some(token.clone()));
        }
        Ok(user)
    }

    /// The id of the logged-in user: read from the token's claims (`sub`, else `data.id`) without a round trip,
    /// or asked of the server when the token is not a JWT it can read.
    async fn current_user_id(&self) -> Result<String> {
        let token = self.token().ok_or(AuthingError::NotLoggedIn)?;
        if let Some(id) = user_id_in_jwt(token.expose()) {
            return Ok(id);
        }
        Ok(self.get_current_user().await?.id)
    }
}

/// The user id a JWT names, read without checking its signature (the server checks it on every call).
fn user_id_in_jwt(token: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Claims {
        sub: Option<String>,
        data: Option<ClaimsData>,
    }
    #[derive(Deserialize)]
    struct ClaimsData {
        id: Option<String>,
    }
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Claims = serde_json::from_slice(&bytes).ok()?;
    claims.sub.or_else(|| claims.data.and_then(|d| d.id)).filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_request_clients_share_the_transport_and_not_the_token() {
        let options = Options::builder().app_id("app").build().unwrap();
        let base = AuthenticationClient::new(&options).unwrap();
        let alice = base.with_token("alice-token");
        let bob = alice.with_token("bob-token");
        assert!(Arc::ptr_eq(&base.transport, &alice.transport) && Arc::ptr_eq(&alice.transport, &bob.transport));
        assert!(Arc::ptr_eq(&base.app, &bob.app));
        assert_eq!(alice.token().unwrap().expose(), "alice-token");
        assert_eq!(bob.token().unwrap().expose(), "bob-token");
        assert!(base.token().is_none() && bob.without_token().token().is_none());

        let clone = alice.clone();
        clone.set_token(Some("carol-token".into()));
        assert_eq!(alice.token().unwrap().expose(), "alice-token", "a clone's token is its own");

        let options = Options { user_pool_id: Some("pool".into()), secret: Some("s".into()), ..options };
        let management = crate::ManagementClient::new(&options).unwrap();
        assert!(Arc::ptr_eq(&management.transport, &base.transport), "one transport for both clients");
    }

    #[test]
    fn needs_an_app_or_pool_id() {
        let options = Options::builder().build().unwrap();
        match AuthenticationClient::new(&options) {
            Err(AuthingError::Config { field, .. }) => assert_eq!(field, "app_id"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_the_user_id_of_a_jwt() {
        let encode = |json: &str| format!("h.{}.s", URL_SAFE_NO_PAD.encode(json));
        assert_eq!(user_id_in_jwt(&encode(r#"{"sub":"u1"}"#)).as_deref(), Some("u1"));
        assert_eq!(user_id_in_jwt(&encode(r#"{"data":{"id":"u2"}}"#)).as_deref(), Some("u2"));
        assert_eq!(user_id_in_jwt("not a jwt"), None);
        assert_eq!(user_id_in_jwt(&encode(r#"{"sub":""}"#)), None);
    }
}
