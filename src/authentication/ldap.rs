//! Login with an enterprise directory account: LDAP and Active Directory.

use serde::Serialize;

use super::AuthenticationClient;
use crate::error::Result;
use crate::models::User;
use crate::secret::Password;
use crate::transport::RestCall;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DirectoryLogin<'a> {
    username: &'a str,
    password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_ip: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    with_custom_data: bool,
}

/// The directory a login goes to.
#[derive(Debug, Clone, Copy)]
enum Directory {
    Ldap,
    Ad,
}

impl AuthenticationClient {
    /// Logs in with an account of the user pool's LDAP directory; this client keeps the user's token. The first
    /// login of an account creates (or links) the pool user.
    ///
    /// REST: `POST /api/v2/ldap/verify-user` (the password travels in clear text, as Authing's LDAP login takes
    /// it: use HTTPS)
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use authing_emulator::{Directory, DirectoryUser, Emulator};
    /// let emulator = Emulator::builder().directory_user(Directory::Ldap, DirectoryUser::new("ada", "Passw0rd!")).start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// let user = app.login_by_ldap("ada", "Passw0rd!").send().await?;
    /// assert!(user.token.is_some() && app.token().is_some());
    ///
    /// let wrong = app.login_by_ldap("ada", "nope").send().await.unwrap_err();
    /// assert_eq!(wrong.code(), Some(authing::codes::WRONG_USERNAME_OR_PASSWORD));
    /// # Ok(())
    /// # }
    /// ```
    pub fn login_by_ldap(&self, username: &str, password: impl Into<Password>) -> LoginByDirectoryBuilder<'_> {
        LoginByDirectoryBuilder::new(self, Directory::Ldap, username, password.into())
    }

    /// Logs in with an account of the user pool's Active Directory; this client keeps the user's token.
    ///
    /// REST: `POST {websocket_host}/api/v2/ad/verify-user` (see
    /// [`Options::websocket_host`](crate::Options::websocket_host); the password travels in clear text)
    ///
    /// ```no_run
    /// # async fn demo(app: authing::AuthenticationClient) -> authing::Result<()> {
    /// let user = app.login_by_ad("ada", "Passw0rd!").send().await?;
    /// # let _ = user;
    /// # Ok(())
    /// # }
    /// ```
    pub fn login_by_ad(&self, username: &str, password: impl Into<Password>) -> LoginByDirectoryBuilder<'_> {
        LoginByDirectoryBuilder::new(self, Directory::Ad, username, password.into())
    }
}

/// Builds [`AuthenticationClient::login_by_ldap`] and [`AuthenticationClient::login_by_ad`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct LoginByDirectoryBuilder<'a> {
    client: &'a AuthenticationClient,
    directory: Directory,
    username: String,
    password: Password,
    client_ip: Option<String>,
    with_custom_data: bool,
}

impl<'a> LoginByDirectoryBuilder<'a> {
    fn new(client: &'a AuthenticationClient, directory: Directory, username: &str, password: Password) -> Self {
        Self { client, directory, username: username.to_owned(), password, client_ip: None, with_custom_data: false }
    }

    /// The IP of the end user, for Authing's risk checks.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.client_ip = Some(ip.into());
        self
    }

    /// Whether the user comes back with its custom data.
    pub fn with_custom_data(mut self, with: bool) -> Self {
        self.with_custom_data = with;
        self
    }

    /// Logs in; this client keeps the returned token.
    ///
    /// # Errors
    /// Authing's refusal: [`codes::USER_NOT_FOUND`](crate::codes::USER_NOT_FOUND) for an account the directory
    /// does not know, [`codes::WRONG_USERNAME_OR_PASSWORD`](crate::codes::WRONG_USERNAME_OR_PASSWORD) for a wrong
    /// password, [`codes::USER_LOCKED`](crate::codes::USER_LOCKED) for a blocked or resigned user;
    /// [`AuthingError::MfaRequired`](crate::AuthingError::MfaRequired) when the user must give a second factor
    /// (finish the login with its token, as after a password login); or transport errors.
    pub async fn send(self) -> Result<User> {
        let body = DirectoryLogin {
            username: &self.username,
            password: self.password.expose(),
            client_ip: self.client_ip.as_deref(),
            with_custom_data: self.with_custom_data,
        };
        let (name, segment, endpoint) = match self.directory {
            Directory::Ldap => ("authentication.login_by_ldap", "ldap", &self.client.app.endpoint),
            Directory::Ad => ("authentication.login_by_ad", "ad", &self.client.app.ad_endpoint),
        };
        let call = RestCall::post(name, &[segment, "verify-user"]).json(&body)?;
        let user: User = self.client.transport.rest(endpoint, None, &call).await?;
        if let Some(token) = &user.token {
            self.client.set_token(Some(token.clone()));
        }
        Ok(user)
    }
}
