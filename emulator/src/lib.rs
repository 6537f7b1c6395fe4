//! A local, stateful, Authing-compatible server for the Authing v2 API, in the spirit of the Firebase Auth
//! emulator: start it in a test, point a client at [`Emulator::host`], and assert on what it did.
//!
//! ```
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = authing_emulator::Emulator::start().await?;
//! println!("GraphQL at {}/graphql/v2", emulator.host());
//! // use emulator.user_pool_id() and emulator.secret() to obtain a management token
//! # Ok(()) }
//! # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
//! ```
//!
//! # What it serves
//!
//! * `POST /graphql/v2`, with introspection: the root fields `accessToken`, `checkLoginStatus` and
//!   `isUserExists`, typed exactly as in the official schema.
//! * `GET /api/v2/.well-known` (the RSA public key) and `GET /api/v2/users/{id}`.
//!
//! # Errors
//!
//! Refusals use Authing's shapes and codes, with HTTP 200: in GraphQL each `errors[].message` is an object
//! `{code, message}`, in REST the envelope is `{code, message, data}`. Messages are Chinese unless the
//! request says `x-authing-lang: en-US`. Codes:
//!
//! | code | when |
//! |---|---|
//! | 400 | the body is not JSON or not a GraphQL request; parse and validation errors (unknown fields, wrong or missing variables); a bad query parameter |
//! | 404 | unknown route (HTTP 404) |
//! | 405 | a method other than POST on `/graphql/v2` (HTTP 405) |
//! | 413 | a body over 1 MiB (HTTP 413) |
//! | 1001 | `accessToken` with a wrong secret (`用户池密钥错误` / `Wrong user pool secret`) |
//! | 2020 | missing, invalid, expired or revoked management token (`尚未登录，无访问权限` / `Not logged in, access denied`); also the `code` of a refused `checkLoginStatus` |
//! | 2224 | `accessToken` with an unknown user pool id (`用户池不存在` / `User pool does not exist`) |
//!
//! # Tokens
//!
//! Management tokens are HS256 JWTs signed with a random secret of each emulator; their claims are
//! `sub` (the pool administrator's id), `iat`, `exp`, `jti`, `iss` (`authing-emulator`), `userPoolId`,
//! `epoch` and `data: {type: "management", id, userPoolId}`. They live
//! [`EmulatorBuilder::management_token_ttl`] (24 hours by default) unless
//! [`Emulator::revoke_management_tokens`] is called.
//!
//! # Keys
//!
//! All emulators of one process share one RSA 1024-bit key pair, generated on first use, so that starting
//! an emulator stays fast. Passwords travel RSA-encrypted (PKCS#1 v1.5) and base64-encoded; see [`crypto`].

pub mod crypto;
mod error;
mod graphql;
mod rest;
mod server;
mod state;
mod tokens;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::state::{Credentials, State, new_id, random_hex};

/// The GraphQL schema the emulator serves, as SDL.
///
/// ```
/// assert!(authing_emulator::schema_sdl().contains("accessToken"));
/// ```
pub fn schema_sdl() -> String {
    graphql::sdl()
}

/// Configures an emulator before it starts. Made by [`Emulator::builder`].
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// let emulator = authing_emulator::Emulator::builder()
///     .user_pool_id("60b6f5a0c1e2d3f4a5b6c7d8")
///     .secret("pool-secret")
///     .management_token_ttl(Duration::from_secs(60))
///     .start()
///     .await?;
/// assert_eq!(emulator.secret(), "pool-secret");
/// # Ok(()) }
/// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
/// ```
#[must_use]
pub struct EmulatorBuilder {
    user_pool_id: Option<String>,
    secret: Option<String>,
    app_id: Option<String>,
    app_secret: Option<String>,
    bind: SocketAddr,
    management_token_ttl: Duration,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            user_pool_id: None,
            secret: None,
            app_id: None,
            app_secret: None,
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            management_token_ttl: Duration::from_secs(24 * 3600),
        }
    }
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("user_pool_id", &self.user_pool_id)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("app_id", &self.app_id)
            .field(
                "app_secret",
                &self.app_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("bind", &self.bind)
            .field("management_token_ttl", &self.management_token_ttl)
            .finish()
    }
}

impl EmulatorBuilder {
    /// The user pool id (default: 24 random hex digits).
    pub fn user_pool_id(mut self, id: impl Into<String>) -> Self {
        self.user_pool_id = Some(id.into());
        self
    }

    /// The user pool secret that `accessToken` accepts (default: 32 random hex digits).
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// The application id (default: 24 random hex digits).
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_id = Some(id.into());
        self
    }

    /// The application secret (default: 32 random hex digits).
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(secret.into());
        self
    }

    /// The address to listen on (default `127.0.0.1:0`: loopback, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// The port to listen on, keeping the bind IP (default 0: a free port).
    pub fn port(mut self, port: u16) -> Self {
        self.bind.set_port(port);
        self
    }

    /// How long management tokens stay valid (default 24 hours, at least one second).
    pub fn management_token_ttl(mut self, ttl: Duration) -> Self {
        self.management_token_ttl = ttl;
        self
    }

    /// Binds the listener, then serves on a spawned tokio task. When this returns, the server accepts
    /// connections. Must be called within a tokio runtime.
    ///
    /// # Errors
    /// The error of binding the address.
    pub async fn start(self) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new(
            Credentials {
                id: self.user_pool_id.unwrap_or_else(new_id),
                secret: self.secret.unwrap_or_else(|| random_hex(16)),
            },
            Credentials {
                id: self.app_id.unwrap_or_else(new_id),
                secret: self.app_secret.unwrap_or_else(|| random_hex(16)),
            },
            self.management_token_ttl,
        ));
        let app = server::router(state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "the emulator stopped serving");
            }
        });
        let ip = match addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let host = format!("http://{}", SocketAddr::new(ip, addr.port()));
        tracing::info!(%host, user_pool_id = %state.pool.id, "emulator listening");
        Ok(Emulator {
            host,
            addr,
            state,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// A running emulator. Dropping it stops the server.
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// let emulator = authing_emulator::Emulator::start().await?;
/// assert!(emulator.host().starts_with("http://127.0.0.1:"));
/// assert_eq!(emulator.request_count("accessToken"), 0);
/// # Ok(()) }
/// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
/// ```
pub struct Emulator {
    host: String,
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("host", &self.host)
            .field("user_pool_id", &self.state.pool.id)
            .field("secret", &"[redacted]")
            .field("app_id", &self.state.app.id)
            .field("app_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts an emulator with the defaults: `127.0.0.1`, a free port, random ids and secrets.
    ///
    /// # Errors
    /// The error of binding the address.
    pub async fn start() -> std::io::Result<Emulator> {
        Self::builder().start().await
    }

    /// A builder to choose ids, secrets, address and token lifetime.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The user pool id.
    pub fn user_pool_id(&self) -> &str {
        &self.state.pool.id
    }

    /// The user pool secret.
    pub fn secret(&self) -> &str {
        &self.state.pool.secret
    }

    /// The application id.
    pub fn app_id(&self) -> &str {
        &self.state.app.id
    }

    /// The application secret.
    pub fn app_secret(&self) -> &str {
        &self.state.app.secret
    }

    /// The RSA public key, PEM (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo), as served at
    /// `/api/v2/.well-known`.
    pub fn public_key_pem(&self) -> &str {
        &self.state.keys.public_pem
    }

    /// How many times the GraphQL root field `root_field` (e.g. `"accessToken"`) was executed.
    pub fn request_count(&self, root_field: &str) -> u64 {
        self.state.request_count(root_field)
    }

    /// Makes every management token issued so far invalid; tokens issued afterwards are valid.
    pub fn revoke_management_tokens(&self) {
        self.state.revoke_management_tokens();
    }

    /// Adds a user to the pool, as a test fixture; returns its id.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start().await?;
    /// let id = emulator.add_user(NewUser::new().email("Ada@Example.com").password("pw")).unwrap();
    /// assert_eq!(id.len(), 24);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    ///
    /// # Errors
    /// [`AddUserError`] when the user has no identifier (code 400), or one of them is taken (2026 for
    /// e-mail, phone or external id; 2034 for the username).
    pub fn add_user(&self, user: NewUser) -> Result<String, AddUserError> {
        self.state
            .add_user(
                user.username,
                user.email,
                user.phone,
                user.external_id,
                user.password.as_deref(),
            )
            .map_err(|e| AddUserError {
                code: e.code.number(),
                message: e.message(error::Lang::En),
            })
    }

    /// Decrypts a password the way the server does (base64, then RSA PKCS#1 v1.5 with the emulator's
    /// private key): lets a test check what a client sent.
    ///
    /// # Errors
    /// [`crypto::PasswordError`] when the text is not a ciphertext made with [`Emulator::public_key_pem`].
    pub fn decrypt_password(&self, encrypted: &str) -> Result<String, crypto::PasswordError> {
        crypto::decrypt_password(&self.state.keys.private, encrypted)
    }

    /// Whether the user `user_id` exists and has the clear-text password `password`.
    pub fn check_user_password(&self, user_id: &str, password: &str) -> bool {
        self.state
            .users_read()
            .get(user_id)
            .is_some_and(|u| u.check_password(password))
    }

    /// Stops the server gracefully, waiting for open requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A user to add with [`Emulator::add_user`]. At least one identifier is needed.
#[derive(Default, Clone)]
#[non_exhaustive]
pub struct NewUser {
    username: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    external_id: Option<String>,
    password: Option<String>,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("external_id", &self.external_id)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl NewUser {
    /// An empty user; set at least one identifier.
    pub fn new() -> Self {
        Self::default()
    }

    /// The username.
    #[must_use]
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The e-mail address (stored lower-cased).
    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The phone number.
    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// The external id.
    #[must_use]
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// The clear-text password; only its hash is kept.
    #[must_use]
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }
}

/// Why [`Emulator::add_user`] refused a user: the Authing code and an English message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddUserError {
    /// The Authing code (400, 2026 or 2034).
    pub code: i32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for AddUserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for AddUserError {}
