//! Network faults, injected with wiremock: each gives the expected error kind and code, and only what may be
//! retried is retried.

use std::time::{Duration, Instant};

use authing::{AuthenticationClient, AuthingError, Options, RetryConfig, TimeoutKind, Timeouts};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const QUERY: &str = "query check($token: String) { checkLoginStatus(token: $token) { code } }";
const MUTATION: &str = "mutation deleteUser($id: String!) { deleteUser(id: $id) { code message } }";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Checked {
    check_login_status: Option<Code>,
}

#[derive(Debug, Deserialize)]
struct Code {
    code: Option<i64>,
}

/// A client for `host` whose retries wait at most a millisecond, so the tests measure what they name.
fn client(host: &str, timeouts: Timeouts) -> AuthenticationClient {
    let retry = RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(1));
    let options = Options::builder().host(host).app_id("app").timeouts(timeouts).retry(retry).build().unwrap();
    AuthenticationClient::new(&options).unwrap()
}

async fn query(client: &AuthenticationClient) -> Result<Checked, AuthingError> {
    client.graphql(QUERY, &json!({ "token": "t" })).await
}

fn graphql_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "data": { "checkLoginStatus": { "code": 200 } } }))
}

#[tokio::test]
async fn connection_refused_is_a_retryable_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = query(&client(&host, Timeouts::default())).await.unwrap_err();
    assert!(matches!(err, AuthingError::Transport(_)), "{err:?}");
    assert!(err.is_retryable() && !err.is_timeout());
    assert_eq!(err.code(), None);
    assert!(std::error::Error::source(&err).is_some(), "the transport error keeps its source");
}

#[tokio::test]
async fn a_reply_slower_than_the_attempt_timeout_times_out_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/graphql/v2"))
        .respond_with(graphql_ok().set_delay(Duration::from_secs(2)))
        .expect(3)
        .mount(&server)
        .await;
    let timeouts = Timeouts::default().with_attempt(Duration::from_millis(150));
    let err = query(&client(&server.uri(), timeouts)).await.unwrap_err();
    assert!(matches!(err, AuthingError::Timeout { kind: TimeoutKind::Attempt, .. }), "{err:?}");
    assert!(err.is_timeout() && err.is_retryable());
}

#[tokio::test]
async fn the_operation_timeout_bounds_all_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(graphql_ok().set_delay(Duration::from_secs(5))).mount(&server).await;
    let timeouts = Timeouts::default().with_attempt(Duration::from_secs(2)).with_operation(Duration::from_millis(300));
    let err = query(&client(&server.uri(), timeouts)).await.unwrap_err();
    assert!(matches!(err, AuthingError::Timeout { kind: TimeoutKind::Operation, .. }), "{err:?}");
    assert!(err.is_timeout() && !err.is_retryable());
}

#[tokio::test]
async fn html_error_pages_are_decode_errors_with_status_and_body_start() {
    for (status, attempts) in [(500, 1), (502, 3)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_string("<html><body>Bad Gateway</body></html>"))
            .expect(attempts)
            .mount(&server)
            .await;
        let err = query(&client(&server.uri(), Timeouts::default())).await.unwrap_err();
        match &err {
            AuthingError::Decode { status: s, body_start, .. } => {
                assert_eq!(*s, status);
                assert!(body_start.starts_with("<html><body>Bad Gateway"), "{body_start}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert_eq!(err.is_retryable(), status == 502);
        assert_eq!(err.http_status(), Some(status));
        assert!(err.to_string().contains(&status.to_string()));
    }
}

#[tokio::test]
async fn too_many_requests_is_retried_after_the_retry_after_delay() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_string("slow down"))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(graphql_ok()).expect(1).mount(&server).await;

    let started = Instant::now();
    let checked = query(&client(&server.uri(), Timeouts::default())).await.unwrap();
    assert_eq!(checked.check_login_status.unwrap().code, Some(200));
    assert!(started.elapsed() >= Duration::from_secs(1), "waited as Retry-After said, not the 1 ms back-off");
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"data":{"checkLoginStatus":{"co"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = query(&client(&server.uri(), Timeouts::default())).await.unwrap_err();
    assert!(matches!(err, AuthingError::Decode { status: 200, .. }), "{err:?}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn graphql_errors_in_object_form_keep_authings_code() {
    let server = MockServer::start().await;
    let body = json!({
        "errors": [{ "message": { "code": 2004, "message": "用户不存在" }, "locations": [{ "line": 1, "column": 1 }] }],
        "data": { "checkLoginStatus": { "code": 200 } }
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let err = query(&client(&server.uri(), Timeouts::default())).await.unwrap_err();
    assert_eq!(err.code(), Some(2004), "an error beside partial data is still an error");
    assert_eq!(err.message(), "用户不存在");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn graphql_errors_without_an_authing_code_have_no_code() {
    let server = MockServer::start().await;
    let body = json!({ "errors": [{ "message": "Cannot query field \"x\" on type \"Query\"." }], "data": null });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let err = query(&client(&server.uri(), Timeouts::default())).await.unwrap_err();
    let AuthingError::Graphql { message, http_status } = &err else { panic!("{err:?}") };
    assert_eq!(message, "Cannot query field \"x\" on type \"Query\".");
    assert_eq!(*http_status, 400);
    assert_eq!(err.code(), None, "no code is made up for an error that carries none");
}

#[tokio::test]
async fn a_rest_envelope_error_is_authings_refusal() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("accessToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": { "accessToken": { "accessToken": "header.payload.signature", "exp": 4102444800i64, "iat": 1700000000 } }
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/u1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "code": 2004, "message": "用户不存在", "data": null })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let options = Options::builder().host(server.uri()).user_pool_id("pool").secret("secret").build().unwrap();
    let management = authing::ManagementClient::new(&options).unwrap();
    let err = management.rest_get::<Option<serde_json::Value>>("users/u1").await.unwrap_err();
    assert_eq!((err.code(), err.message().as_ref(), err.http_status()), (Some(2004), "用户不存在", Some(200)));
}

#[tokio::test]
async fn a_mutation_answered_503_is_sent_exactly_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/graphql/v2"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .expect(1)
        .mount(&server)
        .await;
    let app = client(&server.uri(), Timeouts::default());
    let err = app.graphql::<serde_json::Value>(MUTATION, &json!({ "id": "u1" })).await.unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert!(err.is_retryable(), "retryable in itself, yet a mutation is not resent");
}

#[tokio::test]
async fn a_query_answered_503_is_retried_up_to_three_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .up_to_n_times(2)
        .expect(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(graphql_ok()).expect(1).mount(&server).await;
    let checked = query(&client(&server.uri(), Timeouts::default())).await.unwrap();
    assert_eq!(checked.check_login_status.unwrap().code, Some(200));
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&server).await;
    let options = Options::builder().host(server.uri()).app_id("app").retry(RetryConfig::disabled()).build().unwrap();
    let err = query(&AuthenticationClient::new(&options).unwrap()).await.unwrap_err();
    assert_eq!(err.http_status(), Some(503));
}

#[tokio::test]
async fn requests_carry_the_sdk_headers_and_the_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::header("x-authing-app-id", "app"))
        .and(wiremock::matchers::header("x-authing-userpool-id", "pool"))
        .and(wiremock::matchers::header("x-authing-request-from", "sdk"))
        .and(wiremock::matchers::header("x-authing-lang", "en-US"))
        .and(wiremock::matchers::header("authorization", "Bearer user-token"))
        .and(wiremock::matchers::header("content-type", "application/json"))
        .and(wiremock::matchers::body_json(json!({ "query": QUERY, "variables": { "token": "t" } })))
        .respond_with(graphql_ok())
        .expect(1)
        .mount(&server)
        .await;
    let options = Options::builder()
        .host(server.uri())
        .app_id("app")
        .user_pool_id("pool")
        .lang(authing::Lang::EnUs)
        .build()
        .unwrap();
    let app = AuthenticationClient::new(&options).unwrap().with_token("user-token");
    query(&app).await.unwrap();
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "http://127.0.0.1:1/elsewhere"))
        .expect(1)
        .mount(&server)
        .await;
    let err = query(&client(&server.uri(), Timeouts::default())).await.unwrap_err();
    assert!(matches!(err, AuthingError::Decode { status: 302, .. }), "{err:?}");
}

#[tokio::test]
async fn the_public_key_is_discovered_once_and_used() {
    use base64::Engine as _;
    use rsa::pkcs8::{EncodePublicKey, LineEnding};
    use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};

    let private = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
    let pem = private.to_public_key().to_public_key_pem(LineEnding::LF).unwrap();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/.well-known"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "code": 200, "message": "", "data": { "publicKey": pem } })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let app = client(&server.uri(), Timeouts::default());
    let encrypted = futures::future::join_all((0..20).map(|i| {
        let app = app.clone();
        async move { app.encrypt_password(&authing::Password::new(format!("pw{i}"))).await.unwrap() }
    }))
    .await;
    for (i, cipher) in encrypted.iter().enumerate() {
        let bytes = base64::engine::general_purpose::STANDARD.decode(cipher).unwrap();
        assert_eq!(private.decrypt(Pkcs1v15Encrypt, &bytes).unwrap(), format!("pw{i}").into_bytes());
    }
}

#[tokio::test]
async fn a_server_without_a_key_falls_back_to_the_public_cloud_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/.well-known"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "code": 404, "message": "not found" })))
        .expect(1)
        .mount(&server)
        .await;
    let app = client(&server.uri(), Timeouts::default());
    let cipher = app.encrypt_password(&authing::Password::new("pw")).await.unwrap();
    assert_eq!(base64::Engine::decode(&base64::engine::general_purpose::STANDARD, cipher).unwrap().len(), 128);
}
