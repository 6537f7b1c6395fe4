//! The end user's client: [`AuthenticationClient`].

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::Options;
use crate::error::{AuthingError, Result};
use crate::secret::{AccessToken, Password};
use crate::transport::{Endpoint, Operation, OperationKind, Transport};

/// Acts for an end user of an application: the authentication side of Authing.
///
/// It talks to `app_host` (or `host`), sends `x-authing-app-id`, and may hold the user's token. Creating one per
/// incoming request is cheap: [`with_token`](Self::with_token) costs an `Arc` clone and opens no connection, as
/// every client made from the same [`Options`] shares one connection pool.
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
#[derive(Clone)]
pub struct AuthenticationClient {
    pub(crate) transport: Arc<Transport>,
    app: Arc<App>,
    token: Option<AccessToken>,
}

struct App {
    app_id: Option<String>,
    user_pool_id: Option<String>,
    endpoint: Endpoint,
}

impl fmt::Debug for AuthenticationClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticationClient")
            .field("app_id", &self.app.app_id)
            .field("user_pool_id", &self.app.user_pool_id)
            .field("token", &self.token)
            .field("transport", &self.transport)
            .finish()
    }
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
        let app = App { app_id: options.app_id.clone(), user_pool_id: options.user_pool_id.clone(), endpoint };
        Ok(Self { transport: options.transport.clone(), app: Arc::new(app), token: options.token.clone() })
    }

    /// The same client acting for the user whose token this is.
    pub fn with_token(&self, token: impl Into<AccessToken>) -> Self {
        Self { transport: self.transport.clone(), app: self.app.clone(), token: Some(token.into()) }
    }

    /// The same client acting for nobody.
    pub fn without_token(&self) -> Self {
        Self { token: None, ..self.clone() }
    }

    /// The user's token this client holds, if any.
    pub fn token(&self) -> Option<&AccessToken> {
        self.token.as_ref()
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
    /// struct Status {
    ///     check_login_status: Option<serde_json::Value>,
    /// }
    /// let status: Status = app
    ///     .graphql(
    ///         "query check($token: String) { checkLoginStatus(token: $token) { code status } }",
    ///         &serde_json::json!({ "token": "not-a-token" }),
    ///     )
    ///     .await?;
    /// assert_eq!(status.check_login_status.unwrap()["status"], false);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::Api`] for Authing's refusals, decode errors when `data` is not a `T`.
    pub async fn graphql<T: DeserializeOwned>(&self, document: &str, variables: &impl Serialize) -> Result<T> {
        let operation = Operation { name: "graphql", kind: OperationKind::of_document(document), document };
        self.transport.graphql(&self.app.endpoint, self.token.as_ref(), operation, variables).await
    }

    /// Encrypts a password with the user pool's public key, as every call that sends a password does by itself.
    ///
    /// # Errors
    /// [`AuthingError::Encryption`] when the password is too long for the key; transport errors while the key is
    /// discovered.
    pub async fn encrypt_password(&self, password: &Password) -> Result<String> {
        self.transport.encrypt_password(password).await
    }
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
}
