//! The provider's state and vocabulary: the application's OIDC settings, grants and browser sessions, PKCE
//! challenges, OAuth errors. Nothing here reads the rest of the state.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

use crate::store::common::random_hex;
use crate::store::signing::KeySet;

/// The grant type of Authing's token exchange: a user token from a login for OIDC tokens.
pub(crate) const AUTHING_TOKEN_GRANT: &str = "http://authing.cn/oidc/grant_type/authing_token";

/// How a client authenticates at the token, introspection or revocation endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TokenAuthMethod {
    /// `client_id` and `client_secret` in the form body (the default).
    #[default]
    ClientSecretPost,
    /// `Authorization: Basic base64(client_id:client_secret)`.
    ClientSecretBasic,
    /// `client_id` in the body and no secret: a public client, which must use PKCE.
    None,
}

impl TokenAuthMethod {
    /// The name used in discovery documents (`client_secret_post`, `client_secret_basic`, `none`).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenAuthMethod::ClientSecretPost => "client_secret_post",
            TokenAuthMethod::ClientSecretBasic => "client_secret_basic",
            TokenAuthMethod::None => "none",
        }
    }
}

/// How id tokens are signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum IdTokenAlgorithm {
    /// RS256 with the key of the served JWKS, `kid` in the header (the default).
    #[default]
    Rs256,
    /// HS256 with the application secret.
    Hs256,
}

/// The application's OIDC settings: registered redirect URIs, client authentication, id token algorithm and
/// token lifetimes. Set them with the [`crate::EmulatorBuilder`] setters or [`crate::Emulator::set_oidc_settings`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OidcSettings {
    /// The redirect URIs an authorization request may name (compared exactly); also the URIs
    /// `/oidc/session/end` may send the browser back to. Empty by default.
    pub redirect_uris: Vec<String>,
    /// Client authentication at the token endpoint (default `client_secret_post`).
    pub token_endpoint_auth_method: TokenAuthMethod,
    /// Client authentication at the introspection endpoint (default `client_secret_post`).
    pub introspection_endpoint_auth_method: TokenAuthMethod,
    /// Client authentication at the revocation endpoint (default `client_secret_post`).
    pub revocation_endpoint_auth_method: TokenAuthMethod,
    /// How id tokens are signed (default RS256).
    pub id_token_algorithm: IdTokenAlgorithm,
    /// How long access tokens live (default 15 days, Authing's default).
    pub access_token_ttl: Duration,
    /// How long id tokens live (default 15 days).
    pub id_token_ttl: Duration,
    /// How long refresh tokens live (default 30 days).
    pub refresh_token_ttl: Duration,
    /// How long authorization codes live (default 10 minutes; zero makes every code expired at once).
    pub code_ttl: Duration,
}

impl Default for OidcSettings {
    fn default() -> Self {
        OidcSettings {
            redirect_uris: Vec::new(),
            token_endpoint_auth_method: TokenAuthMethod::default(),
            introspection_endpoint_auth_method: TokenAuthMethod::default(),
            revocation_endpoint_auth_method: TokenAuthMethod::default(),
            id_token_algorithm: IdTokenAlgorithm::default(),
            access_token_ttl: Duration::from_secs(15 * 24 * 3600),
            id_token_ttl: Duration::from_secs(15 * 24 * 3600),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            code_ttl: Duration::from_secs(600),
        }
    }
}

/// An OAuth 2.0 error (RFC 6749 §5.2): the HTTP status, the `error` code and its description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OAuthError {
    pub(crate) status: u16,
    pub(crate) error: &'static str,
    pub(crate) description: String,
}

impl OAuthError {
    pub(super) fn new(status: u16, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError { status, error, description: description.into() }
    }

    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_request", description)
    }

    pub(crate) fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(401, "invalid_client", description)
    }

    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_grant", description)
    }

    pub(crate) fn invalid_token(description: impl Into<String>) -> Self {
        Self::new(401, "invalid_token", description)
    }

    pub(super) fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_scope", description)
    }

    pub(crate) fn unsupported_grant_type(grant: &str) -> Self {
        // The grant type is echoed only when short, so a client's mistake cannot fill the answer.
        let shown: String = grant.chars().take(80).collect();
        Self::new(400, "unsupported_grant_type", format!("unsupported grant_type `{shown}`"))
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.description)
    }
}

/// The PKCE challenge of an authorization request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub(crate) value: String,
    /// `S256` (true) or `plain` (false).
    pub(crate) s256: bool,
}

impl Challenge {
    pub(super) fn accepts(&self, verifier: &str) -> bool {
        if self.s256 { s256(verifier) == self.value } else { verifier == self.value }
    }
}

/// base64url (no padding) of SHA-256: the S256 code challenge of a verifier.
pub(crate) fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A checked authorization request, waiting for the user.
#[derive(Clone, Debug)]
pub(crate) struct Authorization {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scope: String,
    pub(crate) state: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) challenge: Option<Challenge>,
}

/// Why an authorization request is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AuthorizeError {
    /// Shown to the user, never redirected: the client or its redirect URI is unknown (RFC 6749 §4.1.2.1).
    Page(String),
    /// Sent back to the (registered) redirect URI as `error`, `error_description` and `state`.
    Redirect { redirect_uri: String, error: &'static str, description: String, state: Option<String> },
}

/// The parameters of an authorization request, as sent.
#[derive(Clone, Debug, Default)]
pub(crate) struct AuthorizeParams {
    pub(crate) client_id: Option<String>,
    pub(crate) redirect_uri: Option<String>,
    pub(crate) response_type: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) code_challenge: Option<String>,
    pub(crate) code_challenge_method: Option<String>,
    pub(crate) response_mode: Option<String>,
}

/// Whether a PKCE code challenge or verifier has the form of RFC 7636 §4.1: 43 to 128 unreserved characters.
pub(super) fn pkce_form(s: &str) -> bool {
    (43..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// A code waiting to be exchanged.
#[derive(Clone, Debug)]
pub(super) struct CodeGrant {
    pub(super) auth: Authorization,
    pub(super) user_id: String,
    pub(super) expires: Instant,
}

/// A refresh token's grant.
#[derive(Clone, Debug)]
pub(super) struct RefreshGrant {
    pub(super) client_id: String,
    pub(super) user_id: String,
    pub(super) scope: String,
    pub(super) exp: u64,
}

/// A signed-in browser (the session cookie's value names it).
#[derive(Clone, Debug)]
pub(super) struct BrowserSession {
    pub(super) user_id: String,
}

#[derive(Default, Debug)]
pub(super) struct Grants {
    pub(super) codes: HashMap<String, CodeGrant>,
    pub(super) refresh: HashMap<String, RefreshGrant>,
    pub(super) revoked: HashSet<String>,
    pub(super) sessions: HashMap<String, BrowserSession>,
}

/// The provider's part of the state: key set, settings, grants (its locks are taken alone).
#[derive(Default)]
pub(crate) struct OidcState {
    pub(crate) keys: KeySet,
    /// CAS service tickets (the application as a CAS identity provider).
    pub(crate) cas: crate::store::cas::CasTickets,
    pub(super) settings: RwLock<OidcSettings>,
    pub(super) grants: Mutex<Grants>,
}

impl OidcState {
    /// Signs claims as an id token: RS256 with the current key of the JWKS, or HS256 with the app secret.
    pub(crate) fn sign<T: serde::Serialize>(&self, alg: IdTokenAlgorithm, app_secret: &str, claims: &T) -> String {
        match alg {
            IdTokenAlgorithm::Rs256 => self.keys.current().sign(claims),
            IdTokenAlgorithm::Hs256 => jsonwebtoken::encode(
                &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
                claims,
                &jsonwebtoken::EncodingKey::from_secret(app_secret.as_bytes()),
            )
            .expect("HS256 signing of serialisable claims"),
        }
    }

    /// The application's settings.
    pub(crate) fn settings(&self) -> OidcSettings {
        self.settings.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the application's settings.
    pub(crate) fn set_settings(&self, settings: OidcSettings) {
        *self.settings.write().unwrap_or_else(PoisonError::into_inner) = settings;
    }

    pub(super) fn grants(&self) -> MutexGuard<'_, Grants> {
        self.grants.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens a browser session for a user; returns its id (the cookie value).
    pub(crate) fn open_session(&self, user_id: &str) -> String {
        let id = random_hex(24);
        self.grants().sessions.insert(id.clone(), BrowserSession { user_id: user_id.to_owned() });
        id
    }

    /// The user of a browser session.
    pub(crate) fn session_user(&self, id: &str) -> Option<String> {
        self.grants().sessions.get(id).map(|s| s.user_id.clone())
    }

    /// Ends a browser session.
    pub(crate) fn end_session(&self, id: &str) {
        self.grants().sessions.remove(id);
    }

    /// Issues a code for a checked request and the user who signed in.
    pub(crate) fn issue_code(&self, auth: &Authorization, user_id: &str) -> String {
        let code = random_hex(20);
        let expires = Instant::now() + self.settings().code_ttl;
        let grant = CodeGrant { auth: auth.clone(), user_id: user_id.to_owned(), expires };
        self.grants().codes.insert(code.clone(), grant);
        code
    }
}
