//! Failure modes as a tested matrix: network faults injected with wiremock, or, for those wiremock cannot produce
//! (silence, a trickle, a close or a reset in the middle of a response, a stale pooled connection, a body without
//! end), with the fault server of `common/fault_server.rs`. Each case gives the expected error kind and code for a
//! query and for a mutation, only what may be retried is retried, and the configured timeouts bound every call.

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

// ---------------------------------------------------------------------------------------------------------------
// The matrix: each fault for a query and for a mutation, under small timeouts.
// ---------------------------------------------------------------------------------------------------------------

#[path = "common/fault_server.rs"]
mod fault_server;

use authing::ManagementClient;
use fault_server::{FaultServer, Seen, Step, chunk, head, json as json_response, response};

/// One attempt may take this long; three of them (a query's retries) fit well inside [`OPERATION`].
const ATTEMPT: Duration = Duration::from_millis(200);
/// The whole call may take this long.
const OPERATION: Duration = Duration::from_secs(1);
/// How far past [`OPERATION`] a call may end on a loaded machine: the timer firing and the task being polled.
const MARGIN: Duration = Duration::from_millis(500);
const OK_BODY: &str = r#"{"data":{"checkLoginStatus":{"code":200}}}"#;
const SECRET: &str = "SECRET-abc123";

fn small_timeouts() -> Timeouts {
    Timeouts::default().with_connect(Duration::from_millis(300)).with_attempt(ATTEMPT).with_operation(OPERATION)
}

/// A GraphQL query (retried on retryable failures) or mutation (only when it certainly never reached the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Query,
    Mutation,
}

const KINDS: [Kind; 2] = [Kind::Query, Kind::Mutation];

impl Kind {
    async fn send(self, client: &AuthenticationClient) -> Result<serde_json::Value, AuthingError> {
        match self {
            Kind::Query => client.graphql(QUERY, &json!({ "token": "t" })).await,
            Kind::Mutation => client.graphql(MUTATION, &json!({ "id": "u1" })).await,
        }
    }

    /// How many times the SDK sends a request whose retryable failure came after it reached the server.
    fn attempts_once_sent(self) -> usize {
        match self {
            Kind::Query => 3,
            Kind::Mutation => 1,
        }
    }
}

/// What one call against a fault server ended with.
struct Outcome {
    kind: Kind,
    error: AuthingError,
    requests: usize,
    connections: usize,
    elapsed: Duration,
}

/// Sends `kind` once to a fresh fault server answering every request with `steps`; the call must fail.
async fn fail_with(kind: Kind, steps: Vec<Step>, timeouts: Timeouts) -> Outcome {
    let server = FaultServer::always(steps).await;
    let app = client(&server.uri(), timeouts);
    let started = Instant::now();
    let result = kind.send(&app).await;
    let elapsed = started.elapsed();
    let error = match result {
        Ok(value) => panic!("{kind:?}: expected an error, got {value}"),
        Err(error) => error,
    };
    assert!(elapsed < timeouts.operation() + MARGIN, "{kind:?}: took {elapsed:?}");
    Outcome { kind, error, requests: server.request_count(), connections: server.connections(), elapsed }
}

/// [`fail_with`] for a query and a mutation at once, each against its own server.
async fn both_fail_with(steps: Vec<Step>) -> [Outcome; 2] {
    let (query, mutation) = tokio::join!(
        fail_with(Kind::Query, steps.clone(), small_timeouts()),
        fail_with(Kind::Mutation, steps, small_timeouts())
    );
    [query, mutation]
}

/// Every attempt timed out: a retryable attempt timeout, a query sent three times, a mutation once.
fn assert_attempt_timeouts(outcomes: &[Outcome]) {
    for Outcome { kind, error, requests, connections, elapsed } in outcomes {
        assert_eq!(connections, requests, "{kind:?}: a connection that timed out is not used again");
        assert!(
            matches!(error, AuthingError::Timeout { kind: TimeoutKind::Attempt, after, .. } if *after == ATTEMPT),
            "{kind:?}: {error:?}"
        );
        assert!(error.is_timeout() && error.is_retryable(), "{kind:?}: {error:?}");
        assert_eq!((error.code(), error.http_status()), (None, None), "{kind:?}");
        assert_eq!(*requests, kind.attempts_once_sent(), "{kind:?}: requests the server read");
        if *kind == Kind::Mutation {
            assert!(*elapsed < ATTEMPT + MARGIN, "a mutation waits for one attempt only: {elapsed:?}");
        }
    }
}

#[tokio::test]
async fn matrix_refused_connection_is_retried_for_a_query_and_a_mutation_alike() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    for kind in KINDS {
        let started = Instant::now();
        let error = kind.send(&client(&host, small_timeouts())).await.unwrap_err();
        let AuthingError::Transport(source) = &error else { panic!("{kind:?}: {error:?}") };
        assert!(source.is_connect(), "{kind:?}: {source:?}");
        assert!(error.is_retryable() && !error.is_timeout(), "{kind:?}");
        assert_eq!((error.code(), error.http_status()), (None, None), "{kind:?}");
        assert!(started.elapsed() < OPERATION + MARGIN, "{kind:?}: {:?}", started.elapsed());
    }
}

#[tokio::test]
async fn matrix_accepted_and_never_answered_times_out_each_attempt() {
    let outcomes = both_fail_with(vec![Step::Hang]).await;
    assert_attempt_timeouts(&outcomes);
}

#[tokio::test]
async fn matrix_headers_then_silence_times_out_each_attempt() {
    let headers = head(200, &[("Content-Type", "application/json"), ("Content-Length", "100")]);
    let outcomes = both_fail_with(vec![Step::Write(headers), Step::Hang]).await;
    assert_attempt_timeouts(&outcomes);
}

#[tokio::test]
async fn matrix_a_body_trickled_past_the_attempt_timeout_times_out_each_attempt() {
    let body = format!(r#"{{"data":{{"checkLoginStatus":{{"code":200,"message":"{}"}}}}}}"#, "x".repeat(40));
    let headers = head(200, &[("Content-Type", "application/json"), ("Content-Length", &body.len().to_string())]);
    let trickle = Step::Trickle(body.into_bytes(), Duration::from_millis(100));
    let outcomes = both_fail_with(vec![Step::Write(headers), trickle, Step::Hang]).await;
    assert_attempt_timeouts(&outcomes);
}

/// Responses that break off after the request reached the server: a body cut short by the end of the connection
/// (`Content-Length` larger than what came), a reset in the middle of the body, a chunked body without its last
/// chunk.
fn broken_off_responses() -> [(&'static str, Vec<Step>); 3] {
    let body = format!(r#"{{"data":{{"checkLoginStatus":{{"code":200,"message":"{}"}}}}}}"#, "x".repeat(200));
    let mut half = head(200, &[("Content-Type", "application/json"), ("Content-Length", &body.len().to_string())]);
    half.extend_from_slice(&body.as_bytes()[..body.len() / 2]);
    let mut chunked = head(200, &[("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]);
    chunked.extend(chunk(&body.as_bytes()[..body.len() / 2]));
    [
        ("half the body, then EOF", vec![Step::Write(half.clone()), Step::Close]),
        ("half the body, then RST", vec![Step::Write(half), Step::Reset]),
        ("a chunked body without its last chunk, then EOF", vec![Step::Write(chunked), Step::Close]),
    ]
}

#[tokio::test]
async fn matrix_a_response_broken_off_is_a_transport_error_and_a_mutation_is_sent_once() {
    for (shape, steps) in broken_off_responses() {
        let Outcome { error, requests, connections, .. } = fail_with(Kind::Mutation, steps, small_timeouts()).await;
        assert!(matches!(error, AuthingError::Transport(_)), "{shape}: {error:?}");
        assert!(!error.is_timeout(), "{shape}");
        assert_eq!((error.code(), error.http_status()), (None, None), "{shape}");
        assert!(std::error::Error::source(&error).is_some(), "{shape}: the transport error keeps its source");
        assert_eq!((requests, connections), (1, 1), "{shape}: the mutation was sent once");
    }
}

#[tokio::test]
async fn matrix_a_stale_pooled_connection_is_retried_for_a_query_only() {
    for kind in KINDS {
        // The first request on the first connection is answered and the connection kept alive; the next request
        // on it finds it closed by the server without an answer, as after an idle timeout on the other side.
        let server = FaultServer::start(|seen| {
            if seen.connection == 0 && seen.on_connection == 1 {
                vec![Step::Close]
            } else {
                vec![Step::Write(json_response(OK_BODY))]
            }
        })
        .await;
        let app = client(&server.uri(), small_timeouts());
        kind.send(&app).await.unwrap();
        // The connection goes back to the pool once the first response has been read; let it idle there.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = Instant::now();
        let second = kind.send(&app).await;
        assert!(started.elapsed() < OPERATION + MARGIN, "{kind:?}: {:?}", started.elapsed());
        let requests = server.requests();
        assert_eq!((requests[1].connection, requests[1].on_connection), (0, 1), "{kind:?}: reused the connection");
        match kind {
            Kind::Query => {
                assert_eq!(second.unwrap()["checkLoginStatus"]["code"], 200);
                assert_eq!(requests.len(), 3, "the query was sent again");
                assert_eq!((requests[2].connection, server.connections()), (1, 2), "on a new connection");
            }
            Kind::Mutation => {
                let error = second.unwrap_err();
                assert!(matches!(error, AuthingError::Transport(_)), "{error:?}");
                assert!(error.is_retryable(), "retryable in itself, yet a mutation is not resent: {error:?}");
                assert_eq!(requests.len(), 2, "the mutation was sent exactly once");
                assert_eq!(server.connections(), 1);
            }
        }
    }
}

#[tokio::test]
async fn matrix_retry_after_beyond_the_operation_budget_does_not_stretch_the_call() {
    let statuses = [429, 503];
    let outcomes = futures::future::join_all(
        statuses
            .map(|status| both_fail_with(vec![Step::Write(response(status, &[("Retry-After", "30")], b"slow down"))])),
    )
    .await;
    for (status, [query, mutation]) in statuses.into_iter().zip(outcomes) {
        // A wait that would outlast the operation's budget is not started: the query ends at once with the
        // server's answer rather than with a timeout.
        let error = &query.error;
        assert!(matches!(error, AuthingError::Decode { status: s, .. } if *s == status), "{status}: {error:?}");
        assert!(error.is_retryable() && !error.is_timeout(), "{status}: {error:?}");
        assert_eq!(query.requests, 1, "{status}: the only attempt that fits before Retry-After");
        assert!(query.elapsed < ATTEMPT + MARGIN, "{status}: no wait that cannot end in time: {:?}", query.elapsed);
        // The mutation is not sent again, whatever the server asks.
        let error = &mutation.error;
        assert!(matches!(error, AuthingError::Decode { status: s, .. } if *s == status), "{status}: {error:?}");
        assert!(error.is_retryable() && !error.is_timeout(), "{status}: {error:?}");
        assert_eq!((error.code(), error.http_status()), (None, Some(status)));
        assert_eq!(mutation.requests, 1, "{status}: a mutation is sent once");
        assert!(mutation.elapsed < ATTEMPT + MARGIN, "{status}: no wait for a mutation: {:?}", mutation.elapsed);
    }
}

/// A client for `host` whose responses may be at most `limit` bytes after decompression.
fn limited_client(host: &str, limit: usize) -> AuthenticationClient {
    let retry = RetryConfig::standard().with_initial_backoff(Duration::from_millis(1));
    let options = Options::builder()
        .host(host)
        .app_id("app")
        .timeouts(small_timeouts())
        .retry(retry)
        .max_response_bytes(limit)
        .build()
        .unwrap();
    AuthenticationClient::new(&options).unwrap()
}

/// Sends `kind` to a server answering with `steps` under a limit of `limit` bytes: the response is too large,
/// which is not retried.
async fn assert_too_large(kind: Kind, steps: Vec<Step>, limit: usize) {
    let server = FaultServer::always(steps).await;
    let started = Instant::now();
    let error = kind.send(&limited_client(&server.uri(), limit)).await.unwrap_err();
    assert!(started.elapsed() < OPERATION + MARGIN, "{kind:?}: {:?}", started.elapsed());
    assert!(
        matches!(error, AuthingError::ResponseTooLarge { limit: l, status: 200 } if l == limit),
        "{kind:?}: {error:?}"
    );
    assert!(!error.is_retryable() && !error.is_timeout(), "{kind:?}");
    assert_eq!((error.code(), error.http_status()), (None, Some(200)), "{kind:?}");
    assert!(error.to_string().contains(&limit.to_string()), "{error}");
    assert_eq!(server.request_count(), 1, "{kind:?}: not retried");
}

#[tokio::test]
async fn matrix_a_body_over_the_limit_is_refused_with_or_without_a_content_length() {
    const LIMIT: usize = 1024;
    let padded = format!(r#"{{"data":{{"checkLoginStatus":{{"code":200}}}},"pad":"{}"}}"#, "x".repeat(4 * LIMIT));
    let chunked = head(200, &[("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]);
    for kind in KINDS {
        assert_too_large(kind, vec![Step::Write(json_response(&padded))], LIMIT).await;
        // A chunked body without end: read past the limit, it would never finish.
        let endless = vec![Step::Write(chunked.clone()), Step::Endless(chunk(&[b' '; 1024]))];
        assert_too_large(kind, endless, LIMIT).await;
    }
}

/// The gzip stream of `zeros` zero bytes, sync-flushed so that the deflate blocks of [`more_zeros`] may follow it.
fn gzip_zeros(zeros: usize) -> (Vec<u8>, Vec<u8>) {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0u8; zeros]).unwrap();
    encoder.flush().unwrap();
    let start = encoder.get_ref().len();
    // The same amount again: the window holds only zeros, so these blocks may be repeated any number of times.
    encoder.write_all(&vec![0u8; zeros]).unwrap();
    encoder.flush().unwrap();
    let all = encoder.get_ref().clone();
    (all[..start].to_vec(), all[start..].to_vec())
}

#[tokio::test]
async fn matrix_a_gzip_bomb_is_refused_once_it_inflates_past_the_limit() {
    const LIMIT: usize = 64 * 1024;
    let (start, more_zeros) = gzip_zeros(256 * 1024);
    // A small finished gzip body (16 MiB of zeros) with its Content-Length.
    let mut small = start.clone();
    for _ in 0..63 {
        small.extend_from_slice(&more_zeros);
    }
    assert!(small.len() < 32 * 1024, "{} bytes", small.len());
    let gzip_headers = [("Content-Type", "application/json"), ("Content-Encoding", "gzip")];
    for kind in KINDS {
        assert_too_large(kind, vec![Step::Write(response(200, &gzip_headers, &small))], LIMIT).await;
        // A chunked gzip stream without end: it is refused, so it was not read to its (missing) end.
        let mut endless_head = head(200, &[gzip_headers[0], gzip_headers[1], ("Transfer-Encoding", "chunked")]);
        endless_head.extend(chunk(&start));
        let endless = vec![Step::Write(endless_head), Step::Endless(chunk(&more_zeros))];
        assert_too_large(kind, endless, LIMIT).await;
    }
}

#[tokio::test]
async fn matrix_invalid_utf8_in_a_json_body_is_a_decode_error() {
    let mut body = br#"{"data":{"checkLoginStatus":{"code":200,"message":""#.to_vec();
    body.extend_from_slice(b"\xff\xfe");
    body.extend_from_slice(br#""}}}"#);
    let answer = response(200, &[("Content-Type", "application/json")], &body);
    for outcome in both_fail_with(vec![Step::Write(answer)]).await {
        let Outcome { kind, error, requests, .. } = &outcome;
        assert!(matches!(error, AuthingError::Decode { status: 200, .. }), "{kind:?}: {error:?}");
        assert!(!error.is_retryable() && !error.is_timeout(), "{kind:?}");
        assert_eq!(error.code(), None, "{kind:?}");
        assert_eq!(*requests, 1, "{kind:?}");
    }
}

#[tokio::test]
async fn matrix_graphql_errors_in_each_shape() {
    let shapes = [
        (r#"{"errors":[{"message":{"code":2004,"message":"用户不存在"}}]}"#, Some(2004), "用户不存在"),
        (r#"{"errors":[{"message":"text","extensions":{"code":"2020"}}]}"#, Some(2020), "text"),
        (r#"{"errors":[{"message":"text"}]}"#, None, "text"),
        (
            r#"{"data":{"checkLoginStatus":{"code":200}},"errors":[{"message":{"code":2004,"message":"partial"}}]}"#,
            Some(2004),
            "partial",
        ),
    ];
    for (body, code, message) in shapes {
        for outcome in both_fail_with(vec![Step::Write(json_response(body))]).await {
            let Outcome { kind, error, requests, .. } = &outcome;
            match code {
                Some(code) => {
                    let AuthingError::Api(api) = error else { panic!("{kind:?} {body}: {error:?}") };
                    assert_eq!((api.code, api.http_status), (code, 200), "{kind:?} {body}");
                }
                None => {
                    assert!(
                        matches!(error, AuthingError::Graphql { http_status: 200, .. }),
                        "{kind:?} {body}: {error:?}"
                    );
                }
            }
            assert_eq!((error.code(), error.message().as_ref()), (code, message), "{kind:?} {body}");
            assert!(!error.is_retryable() && !error.is_timeout(), "{kind:?} {body}");
            assert_eq!(*requests, 1, "{kind:?} {body}");
        }
    }
}

const TOKEN_BODY: &str = r#"{"data":{"accessToken":{"accessToken":"h.p.s","exp":4102444800,"iat":1700000000}}}"#;
const MANAGEMENT_QUERY: &str = "query isUserExists($username: String) { isUserExists(username: $username) }";
const NOT_LOGGED_IN: &str = r#"{"errors":[{"message":{"code":2020,"message":"尚未登录，无访问权限"}}],"data":null}"#;

fn management(host: &str) -> ManagementClient {
    let options =
        Options::builder().host(host).user_pool_id("pool").secret("secret").timeouts(small_timeouts()).build().unwrap();
    ManagementClient::new(&options).unwrap()
}

/// A management call of `kind` through `ManagementClient::graphql`.
async fn management_call(kind: Kind, management: &ManagementClient) -> Result<serde_json::Value, AuthingError> {
    match kind {
        Kind::Query => management.graphql(MANAGEMENT_QUERY, &json!({ "username": "ada" })).await,
        Kind::Mutation => management.graphql(MUTATION, &json!({ "id": "u1" })).await,
    }
}

/// What a request to a management server asks for: `token` (the `accessToken` query), `rest` (a REST call) or
/// `graphql` (any other GraphQL operation).
fn answer_to(seen: &Seen) -> &'static str {
    if !seen.head.starts_with("POST /graphql/v2 ") {
        "rest"
    } else if seen.body_text().contains("accessToken") {
        "token"
    } else {
        "graphql"
    }
}

/// What each request to a management server was: the token's query or the call.
fn token_or_call(server: &FaultServer) -> Vec<&'static str> {
    server.requests().iter().map(|r| if answer_to(r) == "token" { "token" } else { "call" }).collect()
}

/// A management server's answer: the token to a token query, 2020 to the first call, success to later ones.
fn refused_once_then_answered(seen: &Seen) -> &'static str {
    if answer_to(seen) == "token" {
        TOKEN_BODY
    } else if seen.index == 1 {
        NOT_LOGGED_IN
    } else {
        r#"{"data":{"isUserExists":false,"deleteUser":{"code":200,"message":"ok"}}}"#
    }
}

#[tokio::test]
async fn matrix_a_refused_management_token_is_renewed_once_for_a_query_and_a_mutation() {
    for kind in KINDS {
        // The call is refused with 2020 the first time only.
        let server = FaultServer::start(|seen| {
            let body = refused_once_then_answered(seen);
            vec![Step::Write(json_response(body))]
        })
        .await;
        management_call(kind, &management(&server.uri())).await.unwrap();
        assert_eq!(token_or_call(&server), ["token", "call", "token", "call"], "{kind:?}");
    }
}

#[tokio::test]
async fn matrix_a_second_2020_is_returned_without_a_loop() {
    for kind in KINDS {
        let server = FaultServer::start(|seen| {
            let body = match answer_to(seen) {
                "token" => TOKEN_BODY,
                "rest" => r#"{"code":2020,"message":"尚未登录，无访问权限","data":null}"#,
                _ => NOT_LOGGED_IN,
            };
            vec![Step::Write(json_response(body))]
        })
        .await;
        let management = management(&server.uri());
        let error = management_call(kind, &management).await.unwrap_err();
        assert_eq!(error.code(), Some(2020), "{kind:?}: {error:?}");
        assert!(!error.is_retryable(), "{kind:?}");
        assert_eq!(token_or_call(&server), ["token", "call", "token", "call"], "{kind:?}");
        // A typed method goes the same way (a fresh client, so that it starts without a token).
        let management = self::management(&server.uri());
        let error = match kind {
            Kind::Query => management.users().get("u1").await.map(|_| ()),
            Kind::Mutation => management.users().delete("u1").await.map(|_| ()),
        }
        .unwrap_err();
        assert_eq!(error.code(), Some(2020), "{kind:?}: {error:?}");
        assert_eq!(token_or_call(&server)[4..], ["token", "call", "token", "call"], "{kind:?}, typed");
    }
}

#[tokio::test]
async fn matrix_a_rest_envelope_error_for_a_get_and_a_post() {
    let server = FaultServer::start(|seen| {
        let body = if answer_to(seen) == "token" {
            TOKEN_BODY
        } else {
            r#"{"code":2004,"message":"用户不存在","data":null}"#
        };
        vec![Step::Write(json_response(body))]
    })
    .await;
    let management = management(&server.uri());
    let get = management.rest_get::<Option<serde_json::Value>>("users/u1").await.unwrap_err();
    let post = management.rest_post::<Option<serde_json::Value>>("users/u1", &json!({ "a": 1 })).await.unwrap_err();
    for error in [get, post] {
        assert!(matches!(error, AuthingError::Api(_)), "{error:?}");
        assert_eq!(
            (error.code(), error.message().as_ref(), error.http_status()),
            (Some(2004), "用户不存在", Some(200))
        );
        assert!(!error.is_retryable());
    }
    let lines: Vec<String> = server.requests().iter().map(|r| r.head.lines().next().unwrap().to_owned()).collect();
    assert_eq!(lines[1..], ["GET /api/v2/users/u1 HTTP/1.1", "POST /api/v2/users/u1 HTTP/1.1"]);
    assert_eq!(token_or_call(&server), ["token", "call", "call"]);
}

/// `error`'s `Display`, `Debug` and every source in its chain, as text.
fn everything_said(error: &AuthingError) -> String {
    let mut said = format!("{error}\n{error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        said.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    said
}

/// A mutation's result, only ever decoded here from a body where it does not fit.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Deleted {
    delete_user: Option<Code>,
}

#[tokio::test]
async fn matrix_a_secret_in_a_wrong_typed_field_is_never_quoted() {
    let graphql =
        format!(r#"{{"data":{{"checkLoginStatus":{{"code":"{SECRET}"}},"deleteUser":{{"code":"{SECRET}"}}}}}}"#);
    let rest = format!(r#"{{"code":200,"message":"","data":{{"id":"u1","loginsCount":"{SECRET}"}}}}"#);
    let server = FaultServer::start(move |seen| {
        let body = match answer_to(seen) {
            "token" => TOKEN_BODY,
            "rest" => &rest,
            _ => &graphql,
        };
        vec![Step::Write(json_response(body))]
    })
    .await;
    let app = client(&server.uri(), small_timeouts());
    let management = management(&server.uri());
    let id = json!({ "id": "u1" });
    let mutation = app.graphql::<Deleted>(MUTATION, &id);
    let errors = [
        ("graphql query", query(&app).await.map(|_| ()).unwrap_err()),
        ("graphql mutation", mutation.await.map(|_| ()).unwrap_err()),
        ("check_login_status", app.check_login_status(Some("t")).await.map(|_| ()).unwrap_err()),
        ("users().get (REST)", management.users().get("u1").await.map(|_| ()).unwrap_err()),
        ("users().delete", management.users().delete("u1").await.map(|_| ()).unwrap_err()),
    ];
    for (call, error) in errors {
        assert!(matches!(error, AuthingError::Decode { status: 200, .. }), "{call}: {error:?}");
        let said = everything_said(&error);
        assert!(std::error::Error::source(&error).is_some(), "{call}: the decode error keeps a source");
        assert!(!said.contains(SECRET) && !said.contains("abc123"), "{call} quotes the secret: {said}");
    }
}

/// A REST call of the management client: a `GET` (retried like a query) or a `POST` (like a mutation).
async fn rest_call(kind: Kind, management: &ManagementClient) -> Result<serde_json::Value, AuthingError> {
    match kind {
        Kind::Query => management.rest_get("users/u1").await,
        Kind::Mutation => management.rest_post("users/u1", &json!({ "nickname": "ada" })).await,
    }
}

#[tokio::test]
async fn matrix_rest_calls_time_out_each_attempt_a_get_three_times_a_post_once() {
    let outcomes = futures::future::join_all(KINDS.map(|kind| async move {
        let server = FaultServer::start(|seen| match answer_to(seen) {
            "token" => vec![Step::Write(json_response(TOKEN_BODY))],
            _ => vec![Step::Hang],
        })
        .await;
        let started = Instant::now();
        let error = rest_call(kind, &management(&server.uri())).await.unwrap_err();
        let elapsed = started.elapsed();
        (kind, error, token_or_call(&server), server.connections(), elapsed)
    }))
    .await;
    for (kind, error, requests, connections, elapsed) in outcomes {
        assert!(matches!(error, AuthingError::Timeout { kind: TimeoutKind::Attempt, .. }), "{kind:?}: {error:?}");
        assert!(error.is_retryable(), "{kind:?}");
        let calls = requests.iter().filter(|r| **r == "call").count();
        assert_eq!((requests[0], calls), ("token", kind.attempts_once_sent()), "{kind:?}: {requests:?}");
        // The token's connection may or may not be back in the pool when the call starts; a connection that timed
        // out is never used again.
        assert!((calls..=calls + 1).contains(&connections), "{kind:?}: {connections} connections for {calls} calls");
        assert!(elapsed < OPERATION + MARGIN, "{kind:?}: {elapsed:?}");
    }
}

#[tokio::test]
async fn matrix_a_stale_pooled_connection_under_a_rest_get_is_retried_and_under_a_post_is_not() {
    for kind in KINDS {
        // The token comes on the first connection, which is kept alive; the call arriving on it finds it closed.
        let server = FaultServer::start(|seen| match (answer_to(seen), seen.connection, seen.on_connection) {
            ("token", ..) => vec![Step::Write(json_response(TOKEN_BODY))],
            (_, 0, 1) => vec![Step::Close],
            _ => vec![Step::Write(json_response(r#"{"code":200,"message":"","data":{"id":"u1"}}"#))],
        })
        .await;
        let management = management(&server.uri());
        management.get_management_token().await.unwrap();
        // Let the connection go back to the pool and idle there.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let result = rest_call(kind, &management).await;
        let requests = server.requests();
        assert_eq!((requests[1].connection, requests[1].on_connection), (0, 1), "{kind:?}: reused the connection");
        match kind {
            Kind::Query => {
                assert_eq!(result.unwrap()["id"], "u1");
                assert_eq!(
                    (requests.len(), server.connections()),
                    (3, 2),
                    "the GET was sent again, on a new connection"
                );
            }
            Kind::Mutation => {
                let error = result.unwrap_err();
                assert!(matches!(error, AuthingError::Transport(_)), "{error:?}");
                assert_eq!((requests.len(), server.connections()), (2, 1), "the POST was sent exactly once");
            }
        }
    }
}

/// The connection broke after the request was sent: a retryable transport error, a query sent three times (each on
/// a new connection), a mutation once.
fn assert_broken_after_sending(shape: &str, outcomes: &[Outcome]) {
    for Outcome { kind, error, requests, connections, .. } in outcomes {
        assert!(matches!(error, AuthingError::Transport(_)), "{shape}, {kind:?}: {error:?}");
        assert!(error.is_retryable() && !error.is_timeout(), "{shape}, {kind:?}: {error:?}");
        assert_eq!(*requests, kind.attempts_once_sent(), "{shape}, {kind:?}: requests the server read");
        assert_eq!(connections, requests, "{shape}, {kind:?}: a broken connection is not used again");
    }
}

#[tokio::test]
async fn matrix_a_response_broken_off_is_retryable_and_a_query_is_sent_again() {
    for (shape, steps) in broken_off_responses() {
        assert_broken_after_sending(shape, &both_fail_with(steps).await);
    }
}

#[tokio::test]
async fn matrix_a_management_call_its_token_fetches_and_its_renewal_share_one_operation_timeout() {
    // Every answer takes 400 ms, well within an attempt; the call is refused with 2020 once. Token, call, token,
    // call: 1.6 s in all, past the operation timeout of 1 s that bounds the whole call.
    let timeouts = Timeouts::default().with_attempt(Duration::from_millis(800)).with_operation(OPERATION);
    for kind in KINDS {
        let server = FaultServer::start(|seen| {
            let body = refused_once_then_answered(seen);
            vec![Step::Sleep(Duration::from_millis(400)), Step::Write(json_response(body))]
        })
        .await;
        let options = Options::builder()
            .host(server.uri())
            .user_pool_id("pool")
            .secret("secret")
            .timeouts(timeouts)
            .build()
            .unwrap();
        let management = ManagementClient::new(&options).unwrap();
        let started = Instant::now();
        let result = management_call(kind, &management).await;
        let elapsed = started.elapsed();
        assert!(elapsed < OPERATION + MARGIN, "{kind:?}: took {elapsed:?} with an operation timeout of {OPERATION:?}");
        let error = result.unwrap_err();
        assert!(matches!(error, AuthingError::Timeout { kind: TimeoutKind::Operation, .. }), "{kind:?}: {error:?}");
    }
}
