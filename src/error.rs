//! The one error type of the crate.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// A `Result` whose error is [`AuthingError`].
pub type Result<T, E = AuthingError> = std::result::Result<T, E>;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Everything that can go wrong when talking to Authing.
///
/// Authing's own refusals are [`AuthingError::Api`] and keep the numeric code, so a caller can match on it; the
/// common codes have names in [`codes`](crate::codes):
///
/// ```
/// use authing::{AuthingError, codes};
///
/// fn describe(err: &AuthingError) -> &'static str {
///     match err.code() {
///         Some(codes::USER_NOT_FOUND) => "no such user",
///         Some(codes::NOT_LOGGED_IN) => "not logged in",
///         Some(codes::WRONG_USERNAME_OR_PASSWORD) => "wrong username or password",
///         _ if err.is_timeout() => "Authing did not answer in time",
///         _ => "something else",
///     }
/// }
/// # let _ = describe;
/// ```
///
/// `Debug` and `Display` never contain a secret, a password or a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthingError {
    /// Authing answered and refused the request (GraphQL `errors[].message`, or a REST envelope whose code is not 200).
    #[error("Authing refused the request: {0}")]
    Api(ApiError),

    /// The login needs a second factor (Authing's code 1635, [`codes::MFA_REQUIRED`]): the password was right, and
    /// the challenge carries the MFA token and the factors on offer. Finish the login with one of the MFA verify
    /// calls of [`AuthenticationClient`](crate::AuthenticationClient), which return the logged-in user.
    ///
    /// ```
    /// # async fn f(app: authing::AuthenticationClient) -> authing::Result<()> {
    /// use authing::AuthingError;
    ///
    /// match app.login_by_email("ada@example.com", "password").send().await {
    ///     Ok(user) => println!("logged in as {}", user.id),
    ///     Err(AuthingError::MfaRequired(challenge)) => {
    ///         let code = "123456"; // asked of the user, from the authenticator app
    ///         let user = app.verify_totp_mfa(code, &challenge.token).await?;
    ///         println!("logged in as {} with a second factor", user.id);
    ///     }
    ///     Err(other) => return Err(other),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// Its [`code`](Self::code) is 1635, so code-based matching keeps working. The token is redacted in `Debug`
    /// and absent from `Display`.
    #[error("the login needs a second factor (MFA)")]
    MfaRequired(Box<crate::models::MfaChallenge>),

    /// The GraphQL server refused the request with an error that carries no Authing code (a syntax or validation
    /// error of the GraphQL layer, for instance). Its [`code`](Self::code) is `None`.
    #[error("the GraphQL server refused the request: {message}")]
    Graphql {
        /// The error's message.
        message: String,
        /// The HTTP status the error came with.
        http_status: u16,
    },

    /// A connect, attempt or whole-operation timeout expired.
    #[error("{kind} timed out after {after:?}")]
    Timeout {
        /// Which timeout expired.
        kind: TimeoutKind,
        /// The configured value of that timeout.
        after: Duration,
        /// The underlying error, when the HTTP client reported one.
        #[source]
        source: Option<BoxError>,
    },

    /// The request could not be sent or its response could not be read (DNS, connection refused, TLS, reset).
    #[error("HTTP transport failed")]
    Transport(#[source] reqwest::Error),

    /// The response body was larger than [`OptionsBuilder::max_response_bytes`](crate::OptionsBuilder::max_response_bytes)
    /// allows (counted after decompression); the rest of it was not read.
    #[error("the response is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The HTTP status of the response.
        status: u16,
    },

    /// The response was not what the protocol says: not JSON, truncated, or of an unexpected shape.
    #[error("could not decode the response (HTTP {status}); the body starts with {body_start:?}")]
    Decode {
        /// The HTTP status of the response.
        status: u16,
        /// What the body was: for a body that is not JSON (an HTML error page from a proxy, plain text), its first
        /// characters with anything that looks like a token redacted; for a JSON body, only its length, since
        /// Authing's answers carry tokens and secrets.
        body_start: String,
        /// What the decoder said: for JSON, the kind of error and its line and column, never the text it quotes.
        #[source]
        source: BoxError,
    },

    /// The client was configured with a missing or invalid value.
    #[error("invalid configuration: `{field}` {reason}")]
    Config {
        /// The option at fault, as named by its builder setter (`host`, `user_pool_id`, `secret` ...).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
        /// The underlying parse error, if any.
        #[source]
        source: Option<BoxError>,
    },

    /// The request could not be built from the values given (a body, variables or query parameters that cannot
    /// be serialized, a token or path that HTTP cannot carry); nothing was sent.
    #[error("could not build the request: {what} cannot be sent")]
    Request {
        /// What could not be sent (`the JSON body`, `the query parameters`, `the token` ...).
        what: &'static str,
        /// Why.
        #[source]
        source: BoxError,
    },

    /// A password could not be encrypted with the user pool's public key.
    #[error("could not encrypt the password")]
    Encryption(#[source] BoxError),

    /// The call needs a logged-in user and the client holds no token; nothing was sent. Its [`code`](Self::code)
    /// is Authing's 2020 ("not logged in"), so one match arm covers both this and the server's refusal.
    #[error("not logged in: this call needs the user's token")]
    NotLoggedIn,

    /// A token was refused by offline verification ([`TokenVerifier`](crate::oidc::TokenVerifier)): `reason` says
    /// which check failed. Nothing of the token is kept in the error.
    ///
    /// ```
    /// use authing::AuthingError;
    /// use authing::oidc::TokenRejection;
    ///
    /// fn expired(err: &AuthingError) -> bool {
    ///     matches!(err, AuthingError::InvalidToken { reason: TokenRejection::Expired, .. })
    /// }
    /// # let _ = expired;
    /// ```
    #[error("the token was refused: {reason}")]
    InvalidToken {
        /// The check that failed.
        reason: crate::oidc::TokenRejection,
    },

    /// The application's signing keys (`{app_host}/oidc/.well-known/jwks.json`) were needed to verify a token and
    /// could not be fetched; the source says why. Shared by every verification that waited for the same fetch.
    #[error("the application's signing keys (JWKS) could not be fetched")]
    Jwks(#[source] std::sync::Arc<AuthingError>),

    /// An OAuth 2.0 / OIDC endpoint refused the request with `{error, error_description}` (RFC 6749 §5.2):
    /// `invalid_grant`, `invalid_client`, ... Match on [`OAuthError::error`].
    #[error("the OAuth endpoint refused the request: {0}")]
    OAuth(OAuthError),

    /// A call that first looks something up by its key (an organization node by organization id and code) found
    /// nothing, so the request that needed it was not sent. Authing answered with `null`, not a refusal, so
    /// [`code`](Self::code) is `None`.
    #[error("{what} `{key}` was not found; nothing was changed")]
    NotFound {
        /// What was looked up (`organization node` ...).
        what: &'static str,
        /// The key it was looked up by (`<org id>/<code>` for a node).
        key: String,
    },
}

/// An OAuth 2.0 error response (RFC 6749 §5.2): its `error` code, `error_description` and HTTP status.
///
/// ```
/// # fn check(err: &authing::AuthingError) {
/// use authing::AuthingError;
/// if let AuthingError::OAuth(oauth) = err {
///     if oauth.error == "invalid_grant" {
///         println!("the code or refresh token is used, expired or revoked");
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OAuthError {
    /// The error code: `invalid_request`, `invalid_client`, `invalid_grant`, `unauthorized_client`,
    /// `unsupported_grant_type`, `invalid_scope`, ...
    pub error: String,
    /// The server's description, when it gave one.
    pub error_description: Option<String>,
    /// The HTTP status the error came with (400 or 401).
    pub http_status: u16,
}

impl OAuthError {
    pub(crate) fn new(error: impl Into<String>, error_description: Option<String>, http_status: u16) -> Self {
        Self { error: error.into(), error_description, http_status }
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error_description {
            Some(description) => write!(f, "{}: {description}", self.error),
            None => f.write_str(&self.error),
        }
    }
}

impl StdError for OAuthError {}

/// Which of the timeouts of [`Timeouts`](crate::Timeouts) expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Opening the connection.
    Connect,
    /// One HTTP attempt.
    Attempt,
    /// The whole operation, retries included.
    Operation,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connecting",
            TimeoutKind::Attempt => "the attempt",
            TimeoutKind::Operation => "the operation",
        })
    }
}

/// Authing's refusal of a request: its numeric code and message.
///
/// ```
/// # use authing::ApiError;
/// # fn check(err: &ApiError) {
/// if err.code == 2004 {
///     println!("user not found: {}", err.message);
/// }
/// # }
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// Authing's error code (2004 user not found, 2020 not logged in, 2333 wrong username or password ...).
    pub code: i64,
    /// Authing's message, in the language asked for with `x-authing-lang`.
    pub message: String,
    /// The HTTP status the refusal came with (usually 200).
    pub http_status: u16,
    data: Option<serde_json::Value>,
}

impl ApiError {
    pub(crate) fn new(code: i64, message: impl Into<String>, http_status: u16) -> Self {
        Self { code, message: message.into(), http_status, data: None }
    }

    pub(crate) fn with_data(mut self, data: Option<serde_json::Value>) -> Self {
        self.data = data.filter(|d| !d.is_null());
        self
    }

    /// The extra payload some refusals carry (for example the MFA token when a login needs a second factor).
    ///
    /// It may contain a token, so it is left out of `Debug` and `Display`.
    pub fn data(&self) -> Option<&serde_json::Value> {
        self.data.as_ref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "code {}: {}", self.code, self.message)
    }
}

impl StdError for ApiError {}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("http_status", &self.http_status)
            .field("data", &self.data.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl AuthingError {
    /// Authing's numeric error code, for [`AuthingError::Api`]; `None` for failures that never reached Authing's logic.
    pub fn code(&self) -> Option<i64> {
        match self {
            AuthingError::Api(api) => Some(api.code),
            AuthingError::MfaRequired(challenge) => Some(challenge.refusal.code),
            AuthingError::NotLoggedIn => Some(codes::NOT_LOGGED_IN),
            _ => None,
        }
    }

    /// A message for humans: Authing's own for [`AuthingError::Api`], else this error's one-line description.
    pub fn message(&self) -> Cow<'_, str> {
        match self {
            AuthingError::Api(api) => Cow::Borrowed(&api.message),
            AuthingError::MfaRequired(challenge) => Cow::Borrowed(&challenge.refusal.message),
            AuthingError::Graphql { message, .. } => Cow::Borrowed(message),
            AuthingError::OAuth(oauth) => Cow::Borrowed(oauth.error_description.as_deref().unwrap_or(&oauth.error)),
            other => Cow::Owned(other.to_string()),
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            AuthingError::Api(api) => Some(api.http_status),
            AuthingError::MfaRequired(challenge) => Some(challenge.refusal.http_status),
            AuthingError::Graphql { http_status, .. } => Some(*http_status),
            AuthingError::OAuth(oauth) => Some(oauth.http_status),
            AuthingError::Decode { status, .. } | AuthingError::ResponseTooLarge { status, .. } => Some(*status),
            AuthingError::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// Whether trying the same request again may succeed: connection failures (refused, reset or closed before
    /// the whole answer came, as on a pooled connection the server had closed while idle), attempt timeouts, and
    /// the statuses 429, 502, 503 and 504.
    ///
    /// The SDK itself retries such failures only for queries and `GET`s; a mutation only when the request
    /// certainly never left (the connection could not be opened).
    pub fn is_retryable(&self) -> bool {
        match self {
            AuthingError::Transport(e) => {
                e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() || body_broken_off(e)
            }
            AuthingError::Timeout { kind, .. } => *kind != TimeoutKind::Operation,
            AuthingError::Jwks(source) => source.is_retryable(),
            AuthingError::Api(_)
            | AuthingError::Graphql { .. }
            | AuthingError::OAuth(_)
            | AuthingError::Decode { .. } => self.http_status().is_some_and(is_retryable_status),
            AuthingError::Config { .. }
            | AuthingError::Request { .. }
            | AuthingError::ResponseTooLarge { .. }
            | AuthingError::Encryption(_)
            | AuthingError::MfaRequired(_)
            | AuthingError::NotLoggedIn
            | AuthingError::NotFound { .. }
            | AuthingError::InvalidToken { .. } => false,
        }
    }

    /// Whether a timeout expired.
    pub fn is_timeout(&self) -> bool {
        matches!(self, AuthingError::Timeout { .. })
    }

    pub(crate) fn config(field: &'static str, reason: impl Into<String>) -> Self {
        AuthingError::Config { field, reason: reason.into(), source: None }
    }

    pub(crate) fn config_source(field: &'static str, reason: impl Into<String>, source: impl Into<BoxError>) -> Self {
        AuthingError::Config { field, reason: reason.into(), source: Some(source.into()) }
    }

    pub(crate) fn request(what: &'static str, source: impl Into<BoxError>) -> Self {
        AuthingError::Request { what, source: source.into() }
    }

    pub(crate) fn decode(status: u16, body: &[u8], source: impl Into<BoxError>) -> Self {
        let source = match source.into().downcast::<serde_json::Error>() {
            Ok(json) => Box::new(JsonError::from(*json)) as BoxError,
            Err(other) => other,
        };
        AuthingError::Decode { status, body_start: body_start(body), source }
    }
}

impl From<ApiError> for AuthingError {
    /// A 1635 refusal that carries an MFA token becomes [`AuthingError::MfaRequired`]; any other refusal
    /// [`AuthingError::Api`].
    fn from(api: ApiError) -> Self {
        match crate::models::MfaChallenge::from_refusal(&api) {
            Some(challenge) => AuthingError::MfaRequired(Box::new(challenge)),
            None => AuthingError::Api(api),
        }
    }
}

/// Whether reading a response body failed because the connection broke (reset, or closed before the body's end),
/// not because the data was bad. reqwest reports both as decode errors when it decompresses; a broken connection
/// shows as an HTTP-layer or I/O error in the chain, bad data as invalid data.
fn body_broken_off(error: &reqwest::Error) -> bool {
    if !error.is_decode() {
        return false;
    }
    let mut source = StdError::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
            if matches!(io.kind(), UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe) {
                return true;
            }
        }
        if cause.downcast_ref::<hyper::Error>().is_some() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// Authing's error codes that callers commonly match on with [`AuthingError::code`] or [`ApiError::code`].
///
/// ```
/// # async fn f(app: authing::AuthenticationClient) {
/// use authing::codes;
///
/// match app.login_by_username("ada", "wrong").send().await {
///     Err(e) if e.code() == Some(codes::WRONG_USERNAME_OR_PASSWORD) => println!("try again"),
///     Err(e) if e.code() == Some(codes::MFA_REQUIRED) => println!("a second factor is needed"),
///     other => println!("{other:?}"),
/// }
/// # }
/// ```
pub mod codes {
    /// The caller may not do this.
    pub const NO_PERMISSION: i64 = 1001;
    /// The login needs a second factor: such a refusal reaches the caller as
    /// [`AuthingError::MfaRequired`](crate::AuthingError::MfaRequired), with the MFA token.
    pub const MFA_REQUIRED: i64 = 1635;
    /// A captcha is required (after repeated failed logins).
    pub const CAPTCHA_REQUIRED: i64 = 2000;
    /// The verification code or captcha is wrong or expired.
    pub const VERIFICATION_FAILED: i64 = 2001;
    /// The e-mail address is malformed.
    pub const BAD_EMAIL: i64 = 2003;
    /// No such user.
    pub const USER_NOT_FOUND: i64 = 2004;
    /// The user is locked or blocked.
    pub const USER_LOCKED: i64 = 2005;
    /// The password is wrong.
    pub const WRONG_PASSWORD: i64 = 2006;
    /// No such application.
    pub const APP_NOT_FOUND: i64 = 2011;
    /// The server could not decrypt the password (wrong public key).
    pub const PASSWORD_DECRYPTION_FAILED: i64 = 2016;
    /// Not logged in, or the token is invalid, expired or revoked.
    pub const NOT_LOGGED_IN: i64 = 2020;
    /// A user with this identifier already exists.
    pub const USER_EXISTS: i64 = 2026;
    /// The password is too short or too weak for the user pool's password-strength rule.
    pub const PASSWORD_TOO_WEAK: i64 = 2029;
    /// Self-registration is refused: the pool disables it, or the identifier is not on an enabled registration
    /// whitelist.
    pub const REGISTRATION_DISABLED: i64 = 2031;
    /// The username is taken.
    pub const USERNAME_EXISTS: i64 = 2034;
    /// The phone number is already bound to a user.
    pub const PHONE_EXISTS: i64 = 2035;
    /// The user must reset the password before logging in.
    pub const PASSWORD_RESET_REQUIRED: i64 = 2058;
    /// No such user pool.
    pub const USER_POOL_NOT_FOUND: i64 = 2224;
    /// The username (or e-mail, phone) or the password is wrong.
    pub const WRONG_USERNAME_OR_PASSWORD: i64 = 2333;
    /// The TOTP code (or the MFA recovery code) is wrong or was already used.
    pub const WRONG_TOTP: i64 = 6001;
}

pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

const BODY_START_CHARS: usize = 160;
/// Runs of token characters at least this long are taken for a token or a key and redacted.
const TOKEN_RUN: usize = 24;

/// A JSON decoding error without serde_json's message, which quotes the offending value (a token in a field of
/// an unexpected type, for instance): only the kind of error and where it is.
#[derive(Debug)]
struct JsonError {
    category: serde_json::error::Category,
    line: usize,
    column: usize,
}

impl From<serde_json::Error> for JsonError {
    fn from(error: serde_json::Error) -> Self {
        Self { category: error.classify(), line: error.line(), column: error.column() }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.category {
            serde_json::error::Category::Io => "the body could not be read",
            serde_json::error::Category::Syntax => "the body is not valid JSON",
            serde_json::error::Category::Data => "a value does not have the type or shape expected",
            serde_json::error::Category::Eof => "the body ends too early",
        };
        write!(f, "{what} (line {}, column {})", self.line, self.column)
    }
}

impl StdError for JsonError {}

/// What a body was, safe to show: a JSON body by its length only; any other body by its first characters, where a
/// long run of base64/JWT characters becomes `[redacted]`.
fn body_start(body: &[u8]) -> String {
    if matches!(body.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'[')) {
        return format!("[a JSON body of {} bytes]", body.len());
    }
    let text = String::from_utf8_lossy(body);
    let head: String = text.chars().take(BODY_START_CHARS).collect();
    let mut out = String::with_capacity(head.len());
    let mut run = String::new();
    for c in head.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '/' | '=') {
            run.push(c);
        } else {
            flush_run(&mut out, &mut run);
            out.push(c);
        }
    }
    flush_run(&mut out, &mut run);
    if text.chars().count() > BODY_START_CHARS {
        out.push('…');
    }
    out
}

fn flush_run(out: &mut String, run: &mut String) {
    if run.len() >= TOKEN_RUN {
        out.push_str("[redacted]");
    } else {
        out.push_str(run);
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_start_shows_no_json_and_redacts_token_like_runs_of_other_text() {
        let body = br#" {"data":{"accessToken":{"accessToken":"short-secret"#;
        assert_eq!(body_start(body), format!("[a JSON body of {} bytes]", body.len()));
        let start = body_start(b"Bad Gateway: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig");
        assert_eq!(start, "Bad Gateway: [redacted]");
        let html = "<html>".to_string() + &"x ".repeat(200);
        let start = body_start(html.as_bytes());
        assert!(start.starts_with("<html>"));
        assert!(start.ends_with('…'));
        assert!(start.chars().count() <= BODY_START_CHARS + 1);
    }

    #[test]
    fn json_errors_keep_their_kind_and_place_but_not_the_text_they_quote() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Tokens {
            exp: u64,
        }
        let body = br#"{"exp":"secret-in-the-wrong-field"}"#;
        let serde_error = serde_json::from_slice::<Tokens>(body).unwrap_err();
        assert!(serde_error.to_string().contains("secret-in-the-wrong-field"), "serde_json quotes it");
        let err = AuthingError::decode(200, body, serde_error);
        let source = StdError::source(&err).unwrap();
        for text in [format!("{err} {err:?}"), format!("{source} {source:?}")] {
            assert!(!text.contains("secret-in-the-wrong-field"), "{text}");
        }
        assert_eq!(source.to_string(), "a value does not have the type or shape expected (line 1, column 34)");
    }

    #[test]
    fn api_error_is_a_std_error_and_the_source_of_authing_error() {
        let api = ApiError::new(codes::USER_NOT_FOUND, "用户不存在", 200);
        let boxed: Box<dyn StdError + Send + Sync> = Box::new(api.clone());
        assert_eq!(boxed.to_string(), "code 2004: 用户不存在");
        let err = AuthingError::from(api);
        assert_eq!(err.code(), Some(codes::USER_NOT_FOUND));
    }

    #[test]
    fn api_error_debug_hides_data() {
        let err = ApiError::new(1635, "mfa", 200).with_data(Some(serde_json::json!({"mfaToken": "secret-mfa-token"})));
        assert!(!format!("{err:?}").contains("secret-mfa-token"));
        assert_eq!(err.data().unwrap()["mfaToken"], "secret-mfa-token");
    }
}
