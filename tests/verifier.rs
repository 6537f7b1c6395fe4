//! Offline token verification: tokens signed here, the key set served by a small loopback JWKS server (wiremock)
//! that counts its requests.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use authing::oidc::{TokenRejection, TokenVerifier};
use authing::{AuthingError, Options};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const APP_ID: &str = "app1";
const APP_SECRET: &str = "the-app-secret";
const JWKS_PATH: &str = "/oidc/.well-known/jwks.json";

/// A 2048-bit signing key and its public JWK.
struct Key {
    kid: &'static str,
    private: RsaPrivateKey,
}

impl Key {
    fn new(kid: &'static str) -> Self {
        Self { kid, private: RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap() }
    }

    fn public(&self) -> RsaPublicKey {
        self.private.to_public_key()
    }

    fn jwk(&self) -> Value {
        let public = self.public();
        json!({
            "kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
            "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        })
    }

    fn sign(&self, claims: &Value) -> String {
        self.sign_with_kid(self.kid, claims)
    }

    fn sign_with_kid(&self, kid: &str, claims: &Value) -> String {
        let der = self.private.to_pkcs1_der().unwrap();
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(der.as_bytes())).unwrap()
    }
}

static KEY_A: LazyLock<Key> = LazyLock::new(|| Key::new("key-a"));
static KEY_B: LazyLock<Key> = LazyLock::new(|| Key::new("key-b"));

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// The JWKS server: serves whatever key set it holds now (or a status), and counts the requests.
#[derive(Clone)]
struct Jwks {
    keys: Arc<Mutex<Result<Value, u16>>>,
    requests: Arc<AtomicUsize>,
    delay: Duration,
}

impl Respond for Jwks {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let template = match &*self.keys.lock().unwrap() {
            Ok(keys) => ResponseTemplate::new(200).set_body_json(json!({ "keys": keys })),
            Err(status) => ResponseTemplate::new(*status),
        };
        template.set_delay(self.delay)
    }
}

struct Provider {
    server: Option<MockServer>,
    jwks: Jwks,
}

/// wiremock's `MockServer` checks its mocks when dropped, by blocking on a tokio lock. Dropped inside a test whose
/// task has spent its tokio cooperative budget (joining a thousand tasks in one poll does), that lock answers
/// "yield" forever and the test hangs; dropped on a thread of its own, outside the runtime, it has no budget to
/// spend.
impl Drop for Provider {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            std::thread::scope(|scope| {
                scope.spawn(move || drop(server));
            });
        }
    }
}

impl Provider {
    async fn start(keys: &[&Key]) -> Self {
        Self::start_with_delay(keys, Duration::ZERO).await
    }

    async fn start_with_delay(keys: &[&Key], delay: Duration) -> Self {
        let server = MockServer::start().await;
        let jwks = Jwks { keys: Arc::new(Mutex::new(Ok(Value::Null))), requests: Arc::default(), delay };
        let provider = Self { server: Some(server), jwks };
        provider.publish(keys);
        Mock::given(method("GET"))
            .and(path(JWKS_PATH))
            .respond_with(provider.jwks.clone())
            .mount(provider.server())
            .await;
        provider
    }

    fn publish(&self, keys: &[&Key]) {
        *self.jwks.keys.lock().unwrap() = Ok(Value::Array(keys.iter().map(|k| k.jwk()).collect()));
    }

    fn fail_with(&self, status: u16) {
        *self.jwks.keys.lock().unwrap() = Err(status);
    }

    fn server(&self) -> &MockServer {
        self.server.as_ref().expect("the server lives as long as the provider")
    }

    fn requests(&self) -> usize {
        self.jwks.requests.load(Ordering::SeqCst)
    }

    fn issuer(&self) -> String {
        format!("{}/oidc", self.server().uri())
    }

    fn options(&self) -> Options {
        Options::builder().app_host(self.server().uri()).app_id(APP_ID).app_secret(APP_SECRET).build().unwrap()
    }

    fn verifier(&self) -> TokenVerifier {
        TokenVerifier::new(&self.options()).unwrap()
    }

    /// The claims of a login-issued id token (PROTOCOL §a.7), valid for an hour.
    fn id_claims(&self) -> Value {
        json!({
            "sub": "user-1", "iss": self.issuer(), "aud": APP_ID, "iat": now(), "exp": now() + 3600,
            "nonce": "nonce-1", "email": "ada@example.com", "email_verified": false, "preferred_username": "ada",
            "data": { "type": "user", "id": "user-1", "userId": "user-1", "userPoolId": "pool-1", "appId": APP_ID },
            "userpool_id": "pool-1",
        })
    }

    fn access_claims(&self) -> Value {
        json!({
            "sub": "user-1", "iss": self.issuer(), "aud": APP_ID, "iat": now(), "exp": now() + 3600,
            "jti": "jti-1", "scope": "openid profile offline_access",
        })
    }
}

fn with(mut claims: Value, name: &str, value: Value) -> Value {
    claims[name] = value;
    claims
}

fn reason(result: Result<impl std::fmt::Debug, AuthingError>) -> TokenRejection {
    match result {
        Err(AuthingError::InvalidToken { reason }) => reason,
        other => panic!("expected a refused token, got {other:?}"),
    }
}

#[tokio::test]
async fn valid_id_and_access_tokens_give_their_claims() {
    let provider = Provider::start(&[&KEY_A]).await;
    let verifier = provider.verifier();

    let id = verifier.verify_id_token(&KEY_A.sign(&provider.id_claims()), Some("nonce-1")).await.unwrap();
    assert_eq!(
        (id.sub.as_str(), id.iss.as_str(), id.aud.as_slice()),
        ("user-1", &*provider.issuer(), &[APP_ID.to_owned()][..])
    );
    assert_eq!(id.nonce.as_deref(), Some("nonce-1"));
    assert_eq!(id.profile.email.as_deref(), Some("ada@example.com"));
    assert_eq!(id.profile.preferred_username.as_deref(), Some("ada"));
    let data = id.data.unwrap();
    assert_eq!((data.id.as_deref(), data.user_pool_id.as_deref()), (Some("user-1"), Some("pool-1")));
    assert_eq!(id.userpool_id.as_deref(), Some("pool-1"));

    let access = verifier.verify_access_token(&KEY_A.sign(&provider.access_claims())).await.unwrap();
    assert_eq!(access.sub.as_deref(), Some("user-1"));
    assert_eq!(access.jti.as_deref(), Some("jti-1"));
    assert!(access.has_scope("offline_access"));

    // Without a nonce to compare, the id token's nonce is not checked.
    verifier.verify_id_token(&KEY_A.sign(&provider.id_claims()), None).await.unwrap();
    assert_eq!(provider.requests(), 1, "the key set is fetched once and cached");
}

#[tokio::test]
async fn hs256_tokens_are_checked_with_the_app_secret_only() {
    let provider = Provider::start(&[&KEY_A]).await;
    let verifier = provider.verifier();
    let hs256 = |secret: &[u8], claims: &Value| {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret)).unwrap()
    };

    let claims = verifier.verify_id_token(&hs256(APP_SECRET.as_bytes(), &provider.id_claims()), None).await.unwrap();
    assert_eq!(claims.sub, "user-1");
    assert_eq!(
        reason(verifier.verify_id_token(&hs256(b"another secret", &provider.id_claims()), None).await),
        TokenRejection::Signature
    );

    // The classic confusion: an HS256 token whose "secret" is the RSA public key the JWKS publishes.
    let pem = KEY_A.public().to_public_key_pem(LineEnding::LF).unwrap();
    for secret in [pem.as_bytes().to_vec(), KEY_A.public().n().to_bytes_be()] {
        let forged = hs256(&secret, &provider.id_claims());
        assert_eq!(reason(verifier.verify_id_token(&forged, None).await), TokenRejection::Signature);
    }
    let without_secret = Options::builder().app_host(provider.server().uri()).app_id(APP_ID).build().unwrap();
    let verifier = TokenVerifier::new(&without_secret).unwrap();
    let forged = hs256(pem.as_bytes(), &provider.id_claims());
    assert_eq!(reason(verifier.verify_id_token(&forged, None).await), TokenRejection::NoAppSecret);
    assert_eq!(provider.requests(), 0, "an HS256 token never needs the key set");
}

#[tokio::test]
async fn tokens_failing_a_check_are_refused_with_the_check_named() {
    let provider = Provider::start(&[&KEY_A]).await;
    let verifier = provider.verifier();
    let claims = provider.id_claims();
    let cases = [
        ("expired", with(claims.clone(), "exp", json!(now() - 3600)), TokenRejection::Expired),
        ("not yet valid", with(claims.clone(), "nbf", json!(now() + 3600)), TokenRejection::NotYetValid),
        ("wrong aud", with(claims.clone(), "aud", json!("another-app")), TokenRejection::Audience),
        ("wrong iss", with(claims.clone(), "iss", json!("https://evil.example.com/oidc")), TokenRejection::Issuer),
        (
            "no exp",
            {
                let mut c = claims.clone();
                c.as_object_mut().unwrap().remove("exp");
                c
            },
            TokenRejection::MissingClaim("exp".into()),
        ),
    ];
    for (name, claims, expected) in cases {
        let result = verifier.verify_id_token(&KEY_A.sign(&claims), None).await;
        assert_eq!(reason(result), expected, "{name}");
    }

    let token = KEY_A.sign(&claims);
    assert_eq!(reason(verifier.verify_id_token(&token, Some("another nonce")).await), TokenRejection::Nonce);

    // Tampered payload: the claims changed, the signature kept.
    let parts: Vec<&str> = token.split('.').collect();
    let forged_claims = with(claims.clone(), "sub", json!("admin"));
    let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(forged_claims.to_string()), parts[2]);
    assert_eq!(reason(verifier.verify_id_token(&forged, None).await), TokenRejection::Signature);

    // alg none, with and without a signature part.
    let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    for unsigned in [format!("{none}.{}.", parts[1]), format!("{none}.{}.{}", parts[1], parts[2])] {
        let result = verifier.verify_id_token(&unsigned, None).await;
        assert_eq!(reason(result), TokenRejection::UnsupportedAlgorithm("none".into()));
    }

    for garbage in ["", "a.b", "not.a.jwt", "a.b.c.d"] {
        assert_eq!(reason(verifier.verify_access_token(garbage).await), TokenRejection::Malformed, "{garbage:?}");
    }

    // The signature is checked before the payload is read.
    let garbled = format!("{}.!!.{}", parts[0], parts[2]);
    assert_eq!(reason(verifier.verify_access_token(&garbled).await), TokenRejection::Signature);

    // The refusal shows nothing of the token.
    let err = verifier.verify_id_token(&forged, None).await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains(parts[2]));
}

#[tokio::test]
async fn the_leeway_is_configurable() {
    let provider = Provider::start(&[&KEY_A]).await;
    let just_expired = KEY_A.sign(&with(provider.id_claims(), "exp", json!(now() - 30)));
    provider.verifier().verify_id_token(&just_expired, None).await.expect("within the default 60 s leeway");
    let strict = TokenVerifier::builder(&provider.options()).leeway(Duration::ZERO).build().unwrap();
    assert_eq!(reason(strict.verify_id_token(&just_expired, None).await), TokenRejection::Expired);
}

#[tokio::test]
async fn an_unknown_kid_fetches_the_key_set_once_then_is_refused() {
    let provider = Provider::start(&[&KEY_A]).await;
    let verifier = provider.verifier();
    let ghost = KEY_A.sign_with_kid("ghost", &provider.id_claims());
    assert_eq!(reason(verifier.verify_id_token(&ghost, None).await), TokenRejection::UnknownKey);
    assert_eq!(reason(verifier.verify_id_token(&ghost, None).await), TokenRejection::UnknownKey);
    assert_eq!(provider.requests(), 1);
    // A key the set holds still works without another fetch.
    verifier.verify_id_token(&KEY_A.sign(&provider.id_claims()), None).await.unwrap();
    assert_eq!(provider.requests(), 1);
}

#[tokio::test]
async fn a_rotated_key_is_picked_up_and_the_revoked_one_refused() {
    let provider = Provider::start(&[&KEY_A]).await;
    let verifier = TokenVerifier::builder(&provider.options())
        .jwks_min_refresh_interval(Duration::from_millis(100))
        .build()
        .unwrap();
    let old = KEY_A.sign(&provider.id_claims());
    verifier.verify_id_token(&old, None).await.unwrap();

    provider.publish(&[&KEY_B]);
    tokio::time::sleep(Duration::from_millis(150)).await;
    let new = KEY_B.sign(&provider.id_claims());
    verifier.verify_id_token(&new, None).await.expect("the new key is fetched on its unknown kid, no restart");
    assert_eq!(provider.requests(), 2);
    assert_eq!(reason(verifier.verify_id_token(&old, None).await), TokenRejection::UnknownKey, "the old key is gone");
    assert_eq!(provider.requests(), 2, "and the set was just fetched, so not again");
}

#[tokio::test]
async fn the_key_set_is_refreshed_after_its_maximum_age() {
    let provider = Provider::start(&[&KEY_A]).await;
    let verifier = TokenVerifier::builder(&provider.options())
        .jwks_min_refresh_interval(Duration::ZERO)
        .jwks_max_age(Duration::from_millis(200))
        .build()
        .unwrap();
    let old = KEY_A.sign(&provider.id_claims());
    verifier.verify_id_token(&old, None).await.unwrap();
    provider.publish(&[&KEY_B]);
    verifier.verify_id_token(&old, None).await.expect("still cached");
    assert_eq!(provider.requests(), 1);
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(reason(verifier.verify_id_token(&old, None).await), TokenRejection::UnknownKey, "revoked key");
    assert_eq!(provider.requests(), 2);
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_keys_it_had() {
    let provider = Provider::start(&[&KEY_A]).await;
    let verifier = TokenVerifier::builder(&provider.options())
        .jwks_min_refresh_interval(Duration::ZERO)
        .jwks_max_age(Duration::from_millis(100))
        .build()
        .unwrap();
    let token = KEY_A.sign(&provider.id_claims());
    verifier.verify_id_token(&token, None).await.unwrap();
    provider.fail_with(500);
    tokio::time::sleep(Duration::from_millis(150)).await;
    verifier.verify_id_token(&token, None).await.expect("the refresh failed; the cached key still verifies");
    assert_eq!(provider.requests(), 2);
}

#[tokio::test]
async fn a_key_set_that_cannot_be_fetched_is_an_error_of_its_own() {
    let provider = Provider::start(&[]).await;
    provider.fail_with(500);
    let verifier = provider.verifier();
    let err = verifier.verify_id_token(&KEY_A.sign(&provider.id_claims()), None).await.unwrap_err();
    match &err {
        AuthingError::Jwks(source) => assert_eq!(source.http_status(), Some(500), "{source:?}"),
        other => panic!("{other:?}"),
    }
    // Published again, the next verification fetches it.
    provider.publish(&[&KEY_A]);
    verifier.verify_id_token(&KEY_A.sign(&provider.id_claims()), None).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_first_verifications_make_one_jwks_request() {
    let provider = Provider::start_with_delay(&[&KEY_A], Duration::from_millis(200)).await;
    let verifier = provider.verifier();
    let token = Arc::new(KEY_A.sign(&provider.id_claims()));
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let (verifier, token) = (verifier.clone(), token.clone());
            tokio::spawn(async move { verifier.verify_id_token(&token, None).await.map(|c| c.sub) })
        })
        .collect();
    let answered = AtomicUsize::new(0);
    let all = async {
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), "user-1");
            answered.fetch_add(1, Ordering::SeqCst);
        }
    };
    if tokio::time::timeout(Duration::from_secs(60), all).await.is_err() {
        let answered = answered.load(Ordering::SeqCst);
        panic!("{answered} of 1000 verifications answered in 60 s, after {} JWKS requests", provider.requests());
    }
    assert_eq!(provider.requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_unknown_kids_fetches_at_most_once_per_interval() {
    let provider = Provider::start(&[&KEY_A]).await;
    let interval = Duration::from_millis(250);
    let verifier = TokenVerifier::builder(&provider.options()).jwks_min_refresh_interval(interval).build().unwrap();
    let signed = KEY_A.sign(&provider.id_claims());
    let payload_and_signature = signed.split_once('.').unwrap().1.to_owned();
    let started = std::time::Instant::now();
    let mut refused = 0;
    while started.elapsed() < Duration::from_millis(1000) {
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let verifier = verifier.clone();
                let payload_and_signature = &payload_and_signature;
                // A header naming a new kid on a signed token: the kid is looked up before any signature check.
                let header = json!({ "alg": "RS256", "typ": "JWT", "kid": format!("forged-{refused}-{i}") });
                let forged = format!("{}.{payload_and_signature}", URL_SAFE_NO_PAD.encode(header.to_string()));
                tokio::spawn(async move { verifier.verify_id_token(&forged, None).await })
            })
            .collect();
        for task in tasks {
            assert_eq!(reason(task.await.unwrap()), TokenRejection::UnknownKey);
            refused += 1;
        }
    }
    let elapsed = started.elapsed();
    let allowed = 1 + (elapsed.as_millis() / interval.as_millis()) as usize;
    let requests = provider.requests();
    assert!(refused > 1000, "a flood: {refused}");
    assert!((2..=allowed).contains(&requests), "{requests} JWKS requests in {elapsed:?} for {refused} forged kids");
}

#[tokio::test]
async fn the_verifier_needs_an_app_id_and_shows_no_secret() {
    let options = Options::builder().app_host("https://app.example.com").build().unwrap();
    match TokenVerifier::new(&options) {
        Err(AuthingError::Config { field: "app_id", .. }) => {}
        other => panic!("{other:?}"),
    }
    let options =
        Options::builder().app_host("https://app.example.com").app_id(APP_ID).app_secret(APP_SECRET).build().unwrap();
    let verifier = TokenVerifier::new(&options).unwrap();
    assert_eq!(verifier.issuer(), "https://app.example.com/oidc");
    for text in [format!("{verifier:?}"), format!("{options:?}")] {
        assert!(!text.contains(APP_SECRET), "{text}");
    }
}
