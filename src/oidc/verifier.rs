//! Offline verification of Authing's id and access tokens with `jsonwebtoken`: RS256 through the application's
//! JWKS (cached, fetched single-flight, refreshed on an unknown `kid` at most once per interval), HS256 through the
//! application's secret.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{AccessTokenClaims, IdTokenClaims};
use crate::config::Options;
use crate::error::{AuthingError, Result};
use crate::transport::{Endpoint, RestCall, Transport};

/// The default clock skew allowed on `exp` and `nbf`.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);
/// The default shortest time between two fetches of the key set.
pub const DEFAULT_JWKS_MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(10);
/// The default age after which the key set is fetched again.
pub const DEFAULT_JWKS_MAX_AGE: Duration = Duration::from_secs(3600);

/// Why [`TokenVerifier`] refused a token: the check that failed. Found in [`AuthingError::InvalidToken`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenRejection {
    /// Not a JWT: not three base64url parts, or a header or payload that is not the JSON expected.
    Malformed,
    /// The header names an algorithm other than RS256 and HS256 (`none` included).
    UnsupportedAlgorithm(String),
    /// An HS256 token, and the options hold no app secret to check it with.
    NoAppSecret,
    /// No key of the application's key set has the token's `kid`, even after fetching the set again (or the set
    /// was fetched too recently to fetch it again).
    UnknownKey,
    /// The signature does not match.
    Signature,
    /// `exp` is past (leeway included).
    Expired,
    /// `nbf` is in the future (leeway included).
    NotYetValid,
    /// `iss` is not `{app_host}/oidc`.
    Issuer,
    /// `aud` does not name the application.
    Audience,
    /// The id token's `nonce` is not the one given.
    Nonce,
    /// A claim that must be there is not (`exp`, `iss`, `aud`).
    MissingClaim(String),
}

impl fmt::Display for TokenRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenRejection::Malformed => f.write_str("it is not a well-formed JWT"),
            TokenRejection::UnsupportedAlgorithm(alg) => write!(f, "the algorithm {alg:?} is not accepted"),
            TokenRejection::NoAppSecret => f.write_str("it is signed with HS256 and no app secret is configured"),
            TokenRejection::UnknownKey => f.write_str("its signing key is not in the application's key set"),
            TokenRejection::Signature => f.write_str("the signature does not match"),
            TokenRejection::Expired => f.write_str("it has expired"),
            TokenRejection::NotYetValid => f.write_str("it is not valid yet"),
            TokenRejection::Issuer => f.write_str("its issuer is not the application's"),
            TokenRejection::Audience => f.write_str("its audience is not the application"),
            TokenRejection::Nonce => f.write_str("its nonce is not the one expected"),
            TokenRejection::MissingClaim(claim) => write!(f, "the claim `{claim}` is missing"),
        }
    }
}

fn rejected(reason: TokenRejection) -> AuthingError {
    AuthingError::InvalidToken { reason }
}

/// Verifies id tokens and access tokens issued by Authing for one application, without a round trip.
///
/// RS256 tokens are checked with the application's key set from `{app_host}/oidc/.well-known/jwks.json`, HS256
/// tokens with the app secret of the options; each key is used only for its own algorithm, and every other
/// algorithm (`none` included) is refused. Then `exp` and `nbf` (with a leeway), `iss` (`{app_host}/oidc`), `aud`
/// (the app id) and, for an id token, the `nonce` when one is given.
///
/// The key set is fetched on first use, once for any number of concurrent verifications; again when a token names
/// a `kid` it does not hold, at most once per [minimum interval](TokenVerifierBuilder::jwks_min_refresh_interval),
/// so that forged `kid`s cannot make it hammer the server; and after a [maximum
/// age](TokenVerifierBuilder::jwks_max_age). A refresh that fails keeps the keys it had.
///
/// Clones share the key set: build one verifier and clone it into every request handler.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use authing::{AuthingError, Options};
/// use authing::oidc::{TokenRejection, TokenVerifier};
///
/// let options = Options::builder().app_host("https://my-app.authing.cn").app_id("app-id").build()?;
/// let verifier = TokenVerifier::new(&options)?;
/// match verifier.verify_access_token("not a token").await {
///     Err(AuthingError::InvalidToken { reason: TokenRejection::Malformed }) => {}
///     other => panic!("{other:?}"),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct TokenVerifier {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Arc<Transport>,
    endpoint: Endpoint,
    rs256: Validation,
    hs256: Validation,
    secret: Option<DecodingKey>,
    min_refresh_interval: Duration,
    max_age: Duration,
    keys: RwLock<Arc<KeySet>>,
    fetch: tokio::sync::Mutex<()>,
}

/// The key set as last fetched, and when.
#[derive(Default, Clone)]
struct KeySet {
    /// The RS256 keys by `kid` (`None` for a key published without one).
    keys: HashMap<Option<String>, DecodingKey>,
    /// When a fetch last succeeded.
    fetched_at: Option<Instant>,
    /// When a fetch was last tried.
    attempted_at: Option<Instant>,
    /// Bumped by every fetch, so that those who waited for one know it happened.
    generation: u64,
    /// Why the fetch failed, when no fetch has succeeded yet.
    error: Option<Arc<AuthingError>>,
}

impl KeySet {
    fn find(&self, kid: Option<&str>) -> Option<&DecodingKey> {
        match kid {
            Some(kid) => self.keys.get(&Some(kid.to_owned())),
            // A token without `kid` is checked with the only key, when there is only one.
            None if self.keys.len() == 1 => self.keys.values().next(),
            None => None,
        }
    }
}

impl fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = self.inner.keys.read().unwrap_or_else(|p| p.into_inner()).keys.len();
        f.debug_struct("TokenVerifier")
            .field("issuer", &self.inner.rs256.iss)
            .field("audience", &self.inner.rs256.aud)
            .field("leeway_secs", &self.inner.rs256.leeway)
            .field("app_secret", &self.inner.secret.as_ref().map(|_| "[redacted]"))
            .field("min_refresh_interval", &self.inner.min_refresh_interval)
            .field("max_age", &self.inner.max_age)
            .field("cached_keys", &keys)
            .finish()
    }
}

/// Builds a [`TokenVerifier`] with other settings than the defaults.
///
/// ```
/// use std::time::Duration;
/// let options = authing::Options::builder().app_host("https://my-app.authing.cn").app_id("app-id").build()?;
/// let verifier = authing::oidc::TokenVerifier::builder(&options)
///     .leeway(Duration::from_secs(5))
///     .jwks_min_refresh_interval(Duration::from_secs(30))
///     .jwks_max_age(Duration::from_secs(600))
///     .build()?;
/// # let _ = verifier;
/// # Ok::<(), authing::AuthingError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct TokenVerifierBuilder<'a> {
    options: &'a Options,
    leeway: Duration,
    min_refresh_interval: Duration,
    max_age: Duration,
}

impl TokenVerifierBuilder<'_> {
    /// The clock skew allowed on `exp` and `nbf` (default [`DEFAULT_LEEWAY`], 60 s), in whole seconds.
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// The shortest time between two fetches of the key set when tokens name unknown `kid`s (default
    /// [`DEFAULT_JWKS_MIN_REFRESH_INTERVAL`], 10 s).
    pub fn jwks_min_refresh_interval(mut self, interval: Duration) -> Self {
        self.min_refresh_interval = interval;
        self
    }

    /// The age after which the key set is fetched again (default [`DEFAULT_JWKS_MAX_AGE`], 1 h), so that a key
    /// the application stopped publishing stops being accepted.
    pub fn jwks_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// Builds the verifier; no I/O happens here.
    ///
    /// # Errors
    /// [`AuthingError::Config`] naming `app_id` when the options have no application id.
    pub fn build(self) -> Result<TokenVerifier> {
        // jsonwebtoken panics at the first signature when a build enables both its backends and no provider is
        // installed; installing ours (a no-op when the application installed one) rules that out.
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        let options = self.options;
        let app_id = options.app_id().ok_or_else(|| AuthingError::config("app_id", "is required to verify tokens"))?;
        let issuer = format!("{}/oidc", options.app_host().as_str().trim_end_matches('/'));
        let validation = |alg| {
            let mut validation = Validation::new(alg);
            validation.leeway = self.leeway.as_secs();
            validation.validate_nbf = true;
            validation.set_audience(&[app_id]);
            validation.set_issuer(&[&issuer]);
            validation.set_required_spec_claims(&["exp", "iss", "aud"]);
            validation
        };
        let endpoint =
            Endpoint::new(options.app_host(), options.user_pool_id(), Some(app_id), options.transport.lang())?;
        Ok(TokenVerifier {
            inner: Arc::new(Inner {
                transport: options.transport.clone(),
                endpoint,
                rs256: validation(Algorithm::RS256),
                hs256: validation(Algorithm::HS256),
                secret: options.app_secret.as_ref().map(|s| DecodingKey::from_secret(s.expose().as_bytes())),
                min_refresh_interval: self.min_refresh_interval,
                max_age: self.max_age,
                keys: RwLock::new(Arc::new(KeySet::default())),
                fetch: tokio::sync::Mutex::new(()),
            }),
        })
    }
}

impl TokenVerifier {
    /// A verifier for the application of `options` (its `app_host`, `app_id` and, for HS256, `app_secret`), with
    /// the default settings. No I/O happens here.
    ///
    /// # Errors
    /// [`AuthingError::Config`] naming `app_id` when the options have no application id.
    pub fn new(options: &Options) -> Result<Self> {
        Self::builder(options).build()
    }

    /// A builder for a verifier with other settings.
    pub fn builder(options: &Options) -> TokenVerifierBuilder<'_> {
        TokenVerifierBuilder {
            options,
            leeway: DEFAULT_LEEWAY,
            min_refresh_interval: DEFAULT_JWKS_MIN_REFRESH_INTERVAL,
            max_age: DEFAULT_JWKS_MAX_AGE,
        }
    }

    /// The issuer tokens must name: `{app_host}/oidc`.
    pub fn issuer(&self) -> &str {
        self.inner.rs256.iss.as_ref().and_then(|iss| iss.iter().next()).map_or("", String::as_str)
    }

    /// Verifies an id token: signature, `exp`, `nbf`, `iss`, `aud`, and `nonce` when `nonce` is given.
    ///
    /// # Errors
    /// [`AuthingError::InvalidToken`] saying which check failed; [`AuthingError::Jwks`] when the key set is needed
    /// and could never be fetched.
    pub async fn verify_id_token(&self, token: &str, nonce: Option<&str>) -> Result<IdTokenClaims> {
        let claims: IdTokenClaims = self.verify(token).await?;
        if nonce.is_some_and(|expected| claims.nonce.as_deref() != Some(expected)) {
            return Err(rejected(TokenRejection::Nonce));
        }
        Ok(claims)
    }

    /// Verifies an access token: signature, `exp`, `nbf`, `iss` and `aud`.
    ///
    /// # Errors
    /// As [`verify_id_token`](Self::verify_id_token).
    pub async fn verify_access_token(&self, token: &str) -> Result<AccessTokenClaims> {
        self.verify(token).await
    }

    async fn verify<T: DeserializeOwned>(&self, token: &str) -> Result<T> {
        let inner = &*self.inner;
        match header_alg(token)?.as_str() {
            "HS256" => {
                let secret = inner.secret.as_ref().ok_or_else(|| rejected(TokenRejection::NoAppSecret))?;
                decode(token, secret, &inner.hs256)
            }
            "RS256" => {
                let header = jsonwebtoken::decode_header(token).map_err(|_| rejected(TokenRejection::Malformed))?;
                let kid = header.kid.as_deref();
                let keys = self.key_set_for(kid).await?;
                let key = keys.find(kid).ok_or_else(|| rejected(TokenRejection::UnknownKey))?;
                decode(token, key, &inner.rs256)
            }
            other => Err(rejected(TokenRejection::UnsupportedAlgorithm(other.chars().take(16).collect()))),
        }
    }

    fn snapshot(&self) -> Arc<KeySet> {
        self.inner.keys.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The key set to look `kid` up in: the cached one, or a fresh one when the cached one is missing, too old or
    /// lacks `kid` and the last fetch is at least the minimum interval ago. One fetch at a time; whoever waited
    /// for a fetch uses its result.
    async fn key_set_for(&self, kid: Option<&str>) -> Result<Arc<KeySet>> {
        let inner = &*self.inner;
        let current = self.snapshot();
        let now = Instant::now();
        if let Some(fetched_at) = current.fetched_at {
            let fresh = now.duration_since(fetched_at) < inner.max_age;
            if fresh && current.find(kid).is_some() {
                return Ok(current);
            }
            let attempted_at = current.attempted_at.unwrap_or(fetched_at);
            if now.duration_since(attempted_at) < inner.min_refresh_interval {
                return Ok(current);
            }
        }
        let _single_flight = inner.fetch.lock().await;
        let latest = self.snapshot();
        if latest.generation != current.generation {
            return match &latest.error {
                Some(error) if latest.fetched_at.is_none() => Err(AuthingError::Jwks(error.clone())),
                _ => Ok(latest),
            };
        }
        let attempted_at = Instant::now();
        let next = match self.fetch_keys().await {
            Ok(keys) => KeySet {
                keys,
                fetched_at: Some(attempted_at),
                attempted_at: Some(attempted_at),
                generation: latest.generation + 1,
                error: None,
            },
            Err(error) => {
                let error = Arc::new(error);
                if latest.fetched_at.is_some() {
                    tracing::warn!(error = %error, "refreshing the JWKS failed; keeping the keys fetched before");
                }
                KeySet {
                    keys: latest.keys.clone(),
                    fetched_at: latest.fetched_at,
                    attempted_at: Some(attempted_at),
                    generation: latest.generation + 1,
                    error: Some(error),
                }
            }
        };
        let next = Arc::new(next);
        *inner.keys.write().unwrap_or_else(|p| p.into_inner()) = next.clone();
        match &next.error {
            Some(error) if next.fetched_at.is_none() => Err(AuthingError::Jwks(error.clone())),
            _ => Ok(next),
        }
    }

    /// `GET {app_host}/oidc/.well-known/jwks.json`: the RSA signing keys for RS256; other keys are skipped.
    async fn fetch_keys(&self) -> Result<HashMap<Option<String>, DecodingKey>> {
        #[derive(Deserialize)]
        struct RawJwks {
            keys: Vec<serde_json::Value>,
        }
        let inner = &*self.inner;
        let call = RestCall::get("oidc.jwks", &[]).under_host_root(&["oidc", ".well-known", "jwks.json"]).plain();
        let jwks: RawJwks = inner.transport.rest(&inner.endpoint, None, &call).await?;
        let keys: HashMap<_, _> = jwks
            .keys
            .into_iter()
            .filter_map(|value| serde_json::from_value::<Jwk>(value).ok())
            .filter(|jwk| matches!(jwk.algorithm, AlgorithmParameters::RSA(_)))
            .filter(|jwk| matches!(jwk.common.key_algorithm, None | Some(KeyAlgorithm::RS256)))
            .filter(|jwk| matches!(jwk.common.public_key_use, None | Some(PublicKeyUse::Signature)))
            .filter_map(|jwk| Some((jwk.common.key_id.clone(), DecodingKey::from_jwk(&jwk).ok()?)))
            .collect();
        tracing::debug!(keys = keys.len(), "fetched the JWKS");
        Ok(keys)
    }
}

/// The `alg` of the token's header, read before anything else so that an algorithm `jsonwebtoken` does not know
/// (`none`) is named in the refusal.
fn header_alg(token: &str) -> Result<String> {
    #[derive(Deserialize)]
    struct Header {
        alg: String,
    }
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(rejected(TokenRejection::Malformed));
    };
    let bytes = URL_SAFE_NO_PAD.decode(header).map_err(|_| rejected(TokenRejection::Malformed))?;
    let header: Header = serde_json::from_slice(&bytes).map_err(|_| rejected(TokenRejection::Malformed))?;
    Ok(header.alg)
}

/// `jsonwebtoken::decode`, its refusals named by the check that failed. The claims are typed after the checks,
/// so that a token without `exp` is refused for that, not for its shape.
fn decode<T: DeserializeOwned>(token: &str, key: &DecodingKey, validation: &Validation) -> Result<T> {
    match jsonwebtoken::decode::<serde_json::Value>(token, key, validation) {
        Ok(data) => serde_json::from_value(data.claims).map_err(|_| rejected(TokenRejection::Malformed)),
        Err(error) => Err(rejected(match error.into_kind() {
            ErrorKind::InvalidSignature | ErrorKind::InvalidRsaKey(_) | ErrorKind::InvalidKeyFormat => {
                TokenRejection::Signature
            }
            ErrorKind::ExpiredSignature => TokenRejection::Expired,
            ErrorKind::ImmatureSignature => TokenRejection::NotYetValid,
            ErrorKind::InvalidIssuer => TokenRejection::Issuer,
            ErrorKind::InvalidAudience => TokenRejection::Audience,
            ErrorKind::MissingRequiredClaim(claim) => TokenRejection::MissingClaim(claim),
            ErrorKind::InvalidAlgorithm => TokenRejection::UnsupportedAlgorithm(String::new()),
            _ => TokenRejection::Malformed,
        })),
    }
}
