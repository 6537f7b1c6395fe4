//! The management token against the emulator: fetched once, cached, shared by clones, renewed when refused.

mod common;

use authing::{AuthingError, ManagementClient};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Exists {
    is_user_exists: Option<bool>,
}

const EXISTS: &str = "query exists($username: String) { isUserExists(username: $username) }";

async fn exists(management: &ManagementClient, username: &str) -> Result<Option<bool>, AuthingError> {
    let data: Exists = management.graphql(EXISTS, &json!({ "username": username })).await?;
    Ok(data.is_user_exists)
}

#[tokio::test]
async fn the_token_is_fetched_once_and_reused() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    assert_eq!(emulator.request_count("accessToken"), 0, "building the client does no I/O");

    let first = management.get_management_token().await.unwrap();
    assert!(first.exp > first.iat);
    assert_eq!(exists(&management, "nobody").await.unwrap(), Some(false));
    assert_eq!(exists(&management.clone(), "nobody").await.unwrap(), Some(false));
    let again = management.get_management_token().await.unwrap();

    assert_eq!(again.access_token.expose(), first.access_token.expose());
    assert_eq!(emulator.request_count("accessToken"), 1);
    assert_eq!(emulator.request_count("isUserExists"), 2);
}

#[tokio::test]
async fn the_token_authorizes_management_calls_on_the_seeded_pool() {
    let emulator = common::emulator().await;
    emulator.add_user(authing_emulator::NewUser::new().username("alice")).unwrap();
    let management = common::management(&emulator);
    assert_eq!(exists(&management, "alice").await.unwrap(), Some(true));
    assert_eq!(exists(&management, "bob").await.unwrap(), Some(false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_first_calls_make_one_token_request() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let calls: Vec<_> = (0..1000)
        .map(|i| {
            let management = management.clone();
            tokio::spawn(async move { exists(&management, &format!("user{i}")).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), Some(false));
    }
    assert_eq!(emulator.request_count("accessToken"), 1);
    assert_eq!(emulator.request_count("isUserExists"), 1000);
}

#[tokio::test]
async fn a_refused_token_is_renewed_and_the_call_sent_once_more() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let before = management.get_management_token().await.unwrap();

    emulator.revoke_management_tokens();
    assert_eq!(exists(&management, "nobody").await.unwrap(), Some(false));

    let after = management.get_management_token().await.unwrap();
    assert_ne!(after.access_token.expose(), before.access_token.expose());
    assert_eq!(emulator.request_count("accessToken"), 2);
    assert_eq!(emulator.request_count("isUserExists"), 2, "the refused call and its single retry");
}

#[tokio::test]
async fn rest_calls_carry_the_token_too() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let user: Option<serde_json::Value> = management.rest_get("users/000000000000000000000000").await.unwrap();
    assert_eq!(user, None, "an unknown user is data: null");
    emulator.revoke_management_tokens();
    let user: Option<serde_json::Value> =
        management.rest_get("/api/v2/users/000000000000000000000000?with_custom_data=1").await.unwrap();
    assert_eq!(user, None);
    assert_eq!(emulator.request_count("accessToken"), 2);
}

#[tokio::test]
async fn a_wrong_secret_is_authings_refusal_with_its_code() {
    let emulator = common::emulator().await;
    let options = common::options_for(&emulator).secret("not-the-secret").build().unwrap();
    let management = ManagementClient::new(&options).unwrap();

    let err = management.get_management_token().await.unwrap_err();
    let AuthingError::Api(api) = &err else { panic!("expected Authing's refusal, got {err:?}") };
    assert!(api.code != 200 && !api.message.is_empty(), "{api:?}");
    assert_eq!(err.code(), Some(api.code));
    assert!(!err.is_retryable());

    // A management call needs the token first, so it fails the same way, and nothing is cached.
    let err = exists(&management, "x").await.unwrap_err();
    assert_eq!(err.code(), Some(api.code));
    assert_eq!(emulator.request_count("accessToken"), 2);
    assert_eq!(emulator.request_count("isUserExists"), 0);
}

#[tokio::test]
async fn an_unknown_user_pool_is_refused_too() {
    let emulator = common::emulator().await;
    let options = common::options_for(&emulator).user_pool_id("ffffffffffffffffffffffff").build().unwrap();
    let err = ManagementClient::new(&options).unwrap().get_management_token().await.unwrap_err();
    assert!(matches!(err, AuthingError::Api(_)), "{err:?}");
}

#[tokio::test]
async fn the_published_public_key_encrypts_passwords_the_server_can_read() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let cipher = management.encrypt_password(&authing::Password::new("p@ss w0rd")).await.unwrap();
    assert_ne!(cipher, "p@ss w0rd");
    assert_eq!(emulator.decrypt_password(&cipher).unwrap(), "p@ss w0rd");
    let again = common::authentication(&emulator).encrypt_password(&authing::Password::new("x")).await.unwrap();
    assert_eq!(emulator.decrypt_password(&again).unwrap(), "x");
}
