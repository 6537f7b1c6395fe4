//! No secret, password or token ever shows in `Debug` or `Display` of clients, options or errors.

mod common;

use std::time::Duration;

use authing::{AuthenticationClient, AuthingError, ManagementClient, Options, Password, RetryConfig, Timeouts};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "pool-secret-6d1f0b2c";
const PASSWORD: &str = "hunter2-password-9e8d";
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.user-token-payload.signature";
const SERVER_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.server-issued-token.c2lnbmF0dXJl";

fn assert_clean(what: &str, text: &str) {
    for secret in [SECRET, PASSWORD, TOKEN, SERVER_TOKEN, "user-token-payload", "server-issued-token"] {
        assert!(!text.contains(secret), "{what} shows a secret: {text}");
    }
}

fn assert_formats_clean(what: &str, value: &(impl std::fmt::Debug + std::fmt::Display)) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value}"));
    assert_clean(what, &format!("{value:#?}"));
}

fn options(host: &str) -> Options {
    Options::builder()
        .host(host)
        .user_pool_id("pool")
        .secret(SECRET)
        .app_id("app")
        .token(TOKEN)
        .timeouts(Timeouts::default().with_attempt(Duration::from_millis(200)))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

#[test]
fn clients_options_and_builders_are_redacted() {
    let builder = Options::builder().user_pool_id("pool").secret(SECRET).token(TOKEN).public_key("key");
    assert_clean("the options builder", &format!("{builder:?}"));
    let options = options("http://127.0.0.1:9");
    assert_clean("the options", &format!("{options:?} {options:#?}"));
    let management = ManagementClient::new(&options).unwrap();
    assert_clean("the management client", &format!("{management:?} {management:#?}"));
    let auth = AuthenticationClient::new(&options).unwrap().with_token(TOKEN);
    assert_clean("the authentication client", &format!("{auth:?} {auth:#?}"));
    assert_clean("a password", &format!("{:?}", Password::new(PASSWORD)));
}

#[tokio::test]
async fn the_cached_management_token_is_redacted() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let token = management.get_management_token().await.unwrap();
    let shown = format!("{token:?} {management:?}");
    assert!(!shown.contains(token.access_token.expose()), "{shown}");
    assert!(!shown.contains(emulator.secret()), "{shown}");
}

/// Makes one error of each kind the transport can produce, each from a request that carried the secrets.
async fn every_error_kind() -> Vec<AuthingError> {
    let mut errors = Vec::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string_contains("accessToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errors": [{ "message": { "code": 2333, "message": "wrong", "data": { "mfaToken": SERVER_TOKEN } } }]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string_contains("slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_string(format!(r#"{{"data":{{"accessToken":{{"accessToken":"{SERVER_TOKEN}"#)),
        )
        .mount(&server)
        .await;
    let options = options(&server.uri());
    let management = ManagementClient::new(&options).unwrap();
    errors.push(management.get_management_token().await.unwrap_err());
    let auth = AuthenticationClient::new(&options).unwrap();
    errors.push(auth.graphql::<serde_json::Value>("query slow { a }", &json!({ "secret": SECRET })).await.unwrap_err());
    errors
        .push(auth.graphql::<serde_json::Value>("query q { a }", &json!({ "password": PASSWORD })).await.unwrap_err());

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let auth = AuthenticationClient::new(&self::options(&closed)).unwrap();
    errors.push(auth.graphql::<serde_json::Value>("query q { a }", &json!({ "token": TOKEN })).await.unwrap_err());

    errors.push(Options::builder().host(format!("ftp://{SECRET}@x")).build().unwrap_err());
    errors.push(Options::builder().public_key(SECRET).build().unwrap_err());
    let auth =
        AuthenticationClient::new(&Options::builder().app_id("app").public_key(PUBLIC_KEY).build().unwrap()).unwrap();
    errors.push(auth.encrypt_password(&Password::new(PASSWORD.repeat(10))).await.unwrap_err());
    errors.push(auth.update_password(PASSWORD, Some(PASSWORD)).await.unwrap_err());
    let with_bad_token = auth.with_token(format!("{TOKEN}\n{SECRET}"));
    errors.push(with_bad_token.get_current_user().await.unwrap_err());

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "errors": [{ "message": "no code here" }] })))
        .mount(&server)
        .await;
    let auth = AuthenticationClient::new(&self::options(&server.uri())).unwrap();
    errors.push(auth.graphql::<serde_json::Value>("query q { a }", &json!({ "token": TOKEN })).await.unwrap_err());
    errors
}

const PUBLIC_KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4xKeUgQ+Aoz7TLfAfs9+paePb5KIofVthEopwrXFkp8OCeocaTHt9ICjTT2QeJh6cZaDaArfZ873GPUn00eOIZ7Ae+TiA2BKHbCvloW3w5Lnqm70iSsUi5Fmu9/2+68GZRH9L7Mlh8cFksCicW2Y2W2uMGKl64GDcIq3au+aqJQIDAQAB";

#[tokio::test]
async fn every_error_kind_is_redacted() {
    let errors = every_error_kind().await;
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            AuthingError::Api(_) => "api",
            AuthingError::Timeout { .. } => "timeout",
            AuthingError::Transport(_) => "transport",
            AuthingError::Decode { .. } => "decode",
            AuthingError::Config { .. } => "config",
            AuthingError::Encryption(_) => "encryption",
            AuthingError::NotLoggedIn => "not logged in",
            AuthingError::Request { .. } => "request",
            AuthingError::Graphql { .. } => "graphql",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "api",
            "timeout",
            "decode",
            "transport",
            "config",
            "config",
            "encryption",
            "not logged in",
            "request",
            "graphql"
        ]
    );
    for error in &errors {
        assert_formats_clean("an error", error);
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            assert_clean("an error's source", &format!("{cause:?} {cause}"));
            source = cause.source();
        }
    }
}
