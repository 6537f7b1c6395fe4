//! `management.userpool()` against the emulator: the pool's settings and what they change (the token
//! lifetime, the password-strength rule, closed registration), environment variables, and the state document.

mod common;

use authing::models::{CreateUserInput, UpdateUserpoolInput, WhitelistConfig, WindowCheck};
use authing::{AuthingError, codes};
use common::{authentication, management};
use serde_json::json;

const PASSWORD: &str = "Tr0ub4dor&3-Horse";

#[tokio::test]
async fn detail_shows_the_pool_and_update_changes_only_the_fields_given() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let pool = management.userpool();
    let before = pool.detail().await.unwrap();
    assert_eq!(before.id, emulator.user_pool_id());
    assert_eq!(before.secret.as_ref().map(|s| s.expose()), Some(emulator.secret()));
    assert_eq!(before.register_disabled, Some(false));
    assert_eq!(before.password_strength, Some(0));

    let check = WindowCheck { enabled: Some(true), limit: Some(5), time_interval: Some(300) };
    let updated = pool
        .update(
            UpdateUserpoolInput::default()
                .description("Staff")
                .login_fail_check(check.clone())
                .whitelist(WhitelistConfig { email_enabled: Some(true), ..Default::default() }),
        )
        .await
        .unwrap();
    assert_eq!(updated.description.as_deref(), Some("Staff"));
    assert_eq!(updated.login_fail_check, Some(check.clone()));
    assert_eq!(updated.name, before.name, "a field not given keeps its value");

    let again = pool
        .update(
            UpdateUserpoolInput::default()
                .whitelist(WhitelistConfig { phone_enabled: Some(true), ..Default::default() }),
        )
        .await
        .unwrap();
    let flags = again.whitelist.unwrap();
    assert_eq!((flags.email_enabled, flags.phone_enabled), (Some(true), Some(true)), "the other flag stays");
    let detail = pool.detail().await.unwrap();
    assert_eq!(detail.description.as_deref(), Some("Staff"));
    assert_eq!(detail.login_fail_check, Some(check));
}

#[tokio::test]
async fn update_refuses_a_zero_token_lifetime_with_400_and_changes_nothing() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let pool = management.userpool();
    let err = pool.update(UpdateUserpoolInput::default().token_expires_after(0).name("x")).await.unwrap_err();
    assert_eq!(err.code(), Some(400), "{err:?}");
    assert_ne!(pool.detail().await.unwrap().name.as_deref(), Some("x"));
}

#[tokio::test]
async fn tokens_issued_after_an_update_live_token_expires_after() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let user = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();
    let first = management.users().refresh_token(&user.id).await.unwrap();
    assert_eq!(first.exp.unwrap() - first.iat.unwrap(), 15 * 24 * 3600);

    let updated = management.userpool().update(UpdateUserpoolInput::default().token_expires_after(3600)).await.unwrap();
    assert_eq!(updated.token_expires_after, Some(3600));
    let second = management.users().refresh_token(&user.id).await.unwrap();
    assert_eq!(second.exp.unwrap() - second.iat.unwrap(), 3600);

    let app = authentication(&emulator);
    let registered = app.register_by_email("ada@example.com", PASSWORD).force_login(true).send().await.unwrap();
    let status = app.with_token(registered.token.unwrap()).check_login_status(None).await.unwrap();
    assert_eq!(status.exp.unwrap() - status.iat.unwrap(), 3600);
}

#[tokio::test]
async fn a_weak_password_is_refused_with_2029_at_registration_and_password_changes() {
    let emulator = common::emulator().await;
    emulator.set_password_strength(3);
    assert_eq!(management(&emulator).userpool().detail().await.unwrap().password_strength, Some(3));
    let app = authentication(&emulator);

    let err = app.register_by_username("ada", "abc123").send().await.unwrap_err();
    assert_eq!(err.code(), Some(codes::PASSWORD_TOO_WEAK), "{err:?}");
    assert!(matches!(err, AuthingError::Api(_)));
    let user = app.register_by_username("ada", "abc12!").force_login(true).send().await.unwrap();

    let logged_in = app.with_token(user.token.unwrap());
    let err = logged_in.update_password("abcdefgh", Some("abc12!")).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::PASSWORD_TOO_WEAK), "{err:?}");
    assert!(emulator.check_user_password(&user.id, "abc12!"), "the old password stays");
    logged_in.update_password("xyz98?", Some("abc12!")).await.unwrap();

    app.send_sms_code("13800000000").await.unwrap();
    let code = emulator.verification_code("13800000000").unwrap();
    let err = app.register_by_phone_code("13800000000", &code).password("short").send().await.unwrap_err();
    assert_eq!(err.code(), Some(codes::PASSWORD_TOO_WEAK), "{err:?}");
    app.register_by_phone_code("13800000000", &code).password("long-1!").send().await.unwrap();
}

#[tokio::test]
async fn closed_registration_is_refused_with_2031_but_the_administrator_still_creates_users() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    management.userpool().update(UpdateUserpoolInput::default().register_disabled(true)).await.unwrap();
    let err = authentication(&emulator).register_by_email("ada@example.com", PASSWORD).send().await.unwrap_err();
    assert_eq!(err.code(), Some(codes::REGISTRATION_DISABLED), "{err:?}");
    management.users().create(CreateUserInput::default().email("ada@example.com")).send().await.unwrap();
}

#[tokio::test]
async fn environment_variables_are_added_listed_replaced_and_removed() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let pool = management.userpool();
    assert!(pool.list_env().await.unwrap().is_empty());
    pool.add_env("region", &"eu-west").await.unwrap();
    let vars = pool.add_env("limits", &json!({ "rps": 10, "burst": [1, 2] })).await.unwrap();
    let keys: Vec<&str> = vars.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(keys, ["limits", "region"], "newest first");
    assert_eq!(vars[0].value, json!({ "rps": 10, "burst": [1, 2] }));
    let vars = pool.add_env("region", &42).await.unwrap();
    assert_eq!((vars[1].key.as_str(), &vars[1].value), ("region", &json!(42)), "a key keeps its place");
    let vars = pool.remove_env("region").await.unwrap();
    assert_eq!(vars.iter().map(|v| v.key.as_str()).collect::<Vec<_>>(), ["limits"]);
    assert_eq!(pool.remove_env("nothing").await.unwrap().len(), 1, "an unknown key is not an error");
    assert_eq!(pool.list_env().await.unwrap(), vars);

    let err = pool.add_env(" ", &1).await.unwrap_err();
    assert_eq!(err.code(), Some(400), "{err:?}");
}

#[tokio::test]
async fn the_state_document_carries_settings_whitelists_and_variables() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    management.userpool().update(UpdateUserpoolInput::default().token_expires_after(600)).await.unwrap();
    management.userpool().add_env("region", &"eu").await.unwrap();
    management.whitelist().add(authing::models::WhitelistType::Email, ["ada@example.com"]).await.unwrap();
    emulator.set_password_strength(2);
    let doc = emulator.export();
    assert_eq!(doc["userPool"]["settings"]["tokenExpiresAfter"], json!(600));
    assert_eq!(doc["userPool"]["settings"]["passwordStrength"], json!(2));
    assert_eq!(doc["userPool"]["whitelist"]["email"][0]["value"], json!("ada@example.com"));
    assert_eq!(doc["userPool"]["env"], json!([{ "key": "region", "value": "eu" }]));

    let copy = authing_emulator::Emulator::builder().import(doc.clone()).start().await.unwrap();
    let copied = common::management(&copy);
    let pool = copied.userpool();
    let detail = pool.detail().await.unwrap();
    assert_eq!((detail.token_expires_after, detail.password_strength), (Some(600), Some(2)));
    assert_eq!(pool.list_env().await.unwrap().len(), 1);

    let mut bad = doc;
    bad["userPool"]["settings"]["passwordStrength"] = json!(9);
    let err = copy.import(bad).unwrap_err();
    assert!(err.to_string().contains("userPool.settings"), "{err}");
    emulator.reset();
    assert!(management.userpool().list_env().await.unwrap().is_empty());
}
