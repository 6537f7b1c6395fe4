//! `AuthenticationClient` against the emulator: registration, login, codes, passwords, profile, tokens, and the
//! errors an end user will hit.

mod common;

use authing::authentication::ValidateToken;
use authing::models::{
    CreateUserInput, EmailScene, PasswordSecurityLevel, RegisterProfile, UdfDataType, UdfTargetType, UpdateUserInput,
};
use authing::{AccessToken, AuthenticationClient, AuthingError};
use authing_emulator::Emulator;

const PASSWORD: &str = "Passw0rd!";

fn refused<T: std::fmt::Debug>(result: Result<T, AuthingError>) -> i64 {
    match result {
        Err(AuthingError::Api(api)) => api.code,
        other => panic!("expected Authing's refusal, got {other:?}"),
    }
}

/// Sends an SMS code and reads it from the emulator's outbox.
async fn sms_code(app: &AuthenticationClient, emulator: &Emulator, phone: &str) -> String {
    app.send_sms_code(phone).await.unwrap();
    emulator.verification_code(phone).expect("the outbox holds the code")
}

async fn email_code(app: &AuthenticationClient, emulator: &Emulator, email: &str, scene: EmailScene) -> String {
    assert!(app.send_email(email, scene).await.unwrap().is_success());
    emulator.verification_code(email).expect("the outbox holds the code")
}

#[tokio::test]
async fn register_by_email_with_and_without_a_token() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);

    let plain = app.register_by_email("Ada@Example.com", PASSWORD).send().await.unwrap();
    assert_eq!(plain.email.as_deref(), Some("ada@example.com"));
    assert!(plain.token.is_none() && app.token().is_none(), "no token without force_login or generate_token");

    let profile = RegisterProfile::default().nickname("Grace").company("Navy");
    let logged_in =
        app.register_by_email("grace@example.com", PASSWORD).profile(profile).force_login(true).send().await.unwrap();
    assert_eq!((logged_in.nickname.as_deref(), logged_in.company.as_deref()), (Some("Grace"), Some("Navy")));
    let token = logged_in.token.expect("force_login gives a token");
    assert_eq!(app.token().unwrap().expose(), token.expose(), "the client keeps it");
    assert!(app.check_login_status(None).await.unwrap().status, "usable at once");

    assert_eq!(refused(app.register_by_email("ADA@example.com", PASSWORD).send().await), 2026, "duplicate");
}

#[tokio::test]
async fn register_by_username_with_generated_token_custom_data_and_context() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.udf().set(UdfTargetType::User, "school", UdfDataType::String, "School").send().await.unwrap();
    let app = common::authentication(&emulator);
    let user = app
        .register_by_username("ada", PASSWORD)
        .generate_token(true)
        .custom_data("school", "ucla")
        .context("source", "test")
        .client_ip("127.0.0.1")
        .send()
        .await
        .unwrap();
    assert_eq!(user.username.as_deref(), Some("ada"));
    assert!(user.token.is_some());
    assert_eq!(management.users().get_udf_value(&user.id).await.unwrap()["school"].as_str(), Some("ucla"));
    assert_eq!(refused(app.register_by_username("ada", PASSWORD).send().await), 2034);
}

#[tokio::test]
async fn register_by_phone_code_checks_the_code_once() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    let code = sms_code(&app, &emulator, "13800000000").await;
    assert_ne!(refused(app.register_by_phone_code("13800000000", "000000x").send().await), 200, "a wrong code");
    let user = app.register_by_phone_code("13800000000", &code).password(PASSWORD).send().await.unwrap();
    assert_eq!(user.phone.as_deref(), Some("13800000000"));
    assert_ne!(refused(app.register_by_phone_code("13800000000", &code).send().await), 200, "a code works once");
}

#[tokio::test]
async fn login_by_email_username_and_phone_password() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    let code = sms_code(&app, &emulator, "13800000001").await;
    let registered = app
        .register_by_phone_code("13800000001", &code)
        .password(PASSWORD)
        .profile(RegisterProfile::default().email("ada@example.com").username("ada"))
        .send()
        .await
        .unwrap();

    for login in [
        app.login_by_email("ada@example.com", PASSWORD),
        app.login_by_username("ada", PASSWORD),
        app.login_by_phone_password("13800000001", PASSWORD),
    ] {
        let fresh = app.without_token();
        let user = login.send().await.unwrap();
        assert_eq!(user.id, registered.id);
        assert!(user.token.is_some());
        assert!(fresh.token().is_none());
    }
    assert_eq!(refused(app.login_by_email("ada@example.com", "wrong").send().await), 2333, "wrong password");
    assert_eq!(refused(app.login_by_username("nobody", PASSWORD).send().await), 2004, "unknown user");
}

#[tokio::test]
async fn login_auto_registers_and_keeps_tokens_per_client() {
    let emulator = common::emulator().await;
    let base = common::authentication(&emulator);
    let alice = base.clone();
    let bob = base.clone();
    let a = alice.login_by_username("alice", PASSWORD).auto_register(true).send().await.unwrap();
    let b = bob.login_by_username("bob", PASSWORD).auto_register(true).send().await.unwrap();
    assert!(base.token().is_none(), "a per-request client never leaks its token into another");
    assert_eq!(alice.get_current_user().await.unwrap().id, a.id);
    assert_eq!(bob.get_current_user().await.unwrap().id, b.id);
}

#[tokio::test]
async fn login_by_phone_code_and_repeated_failures() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    let code = sms_code(&app, &emulator, "13800000002").await;
    let user = app.login_by_phone_code("13800000002", &code).auto_register(true).send().await.unwrap();
    assert_eq!(user.phone.as_deref(), Some("13800000002"));
    assert_ne!(refused(app.login_by_phone_code("13800000002", &code).send().await), 200, "the code was used");

    app.register_by_username("grace", PASSWORD).send().await.unwrap();
    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(refused(app.login_by_username("grace", "wrong").send().await));
    }
    assert_eq!(codes[0], 2333);
    assert!(codes.iter().all(|c| [2333, 2000].contains(c)), "{codes:?}");
}

#[tokio::test]
async fn email_codes_reset_the_password() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    app.register_by_email("ada@example.com", "Old-Passw0rd").send().await.unwrap();
    let code = email_code(&app, &emulator, "ada@example.com", EmailScene::ResetPassword).await;
    let reset = app.reset_password_by_email_code("ada@example.com", &code, "New-Passw0rd").await.unwrap();
    assert!(reset.is_some_and(|message| message.is_success()), "the server's own message");
    assert_eq!(refused(app.login_by_email("ada@example.com", "Old-Passw0rd").send().await), 2333);
    app.login_by_email("ada@example.com", "New-Passw0rd").send().await.unwrap();
    assert_ne!(refused(app.reset_password_by_email_code("ada@example.com", &code, "Other-Passw0rd").await), 200);
}

#[tokio::test]
async fn sms_codes_reset_the_password() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    let code = sms_code(&app, &emulator, "13800000003").await;
    app.register_by_phone_code("13800000003", &code).password("Old-Passw0rd").send().await.unwrap();
    let code = sms_code(&app, &emulator, "13800000003").await;
    app.reset_password_by_phone_code("13800000003", &code, "New-Passw0rd").await.unwrap();
    app.login_by_phone_password("13800000003", "New-Passw0rd").send().await.unwrap();
    assert_ne!(refused(app.reset_password_by_phone_code("13800000003", "999999", "X-Passw0rd").await), 200);
}

#[tokio::test]
async fn update_password_checks_the_old_one() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    app.register_by_username("ada", "Old-Passw0rd").force_login(true).send().await.unwrap();
    assert!(matches!(app.update_password("New-Passw0rd", Some("wrong")).await, Err(AuthingError::Api(_))));
    app.update_password("New-Passw0rd", Some("Old-Passw0rd")).await.unwrap();
    app.login_by_username("ada", "New-Passw0rd").send().await.unwrap();
}

#[tokio::test]
async fn calls_for_a_logged_in_user_need_a_token_and_send_nothing_without_one() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    let errors = [
        app.get_current_user().await.map(drop).unwrap_err(),
        app.update_profile(UpdateUserInput::default().nickname("x")).await.map(drop).unwrap_err(),
        app.update_password("New-Passw0rd", None).await.map(drop).unwrap_err(),
        app.refresh_token().await.map(drop).unwrap_err(),
        app.logout().await.unwrap_err(),
        app.bind_phone("13800000000", "123456").await.map(drop).unwrap_err(),
        app.unbind_email().await.map(drop).unwrap_err(),
        app.get_udf_value().await.map(drop).unwrap_err(),
        app.list_roles(None).await.map(drop).unwrap_err(),
        app.get_security_level().await.map(drop).unwrap_err(),
        app.check_login_status(None).await.map(drop).unwrap_err(),
    ];
    for error in errors {
        assert!(matches!(error, AuthingError::NotLoggedIn), "{error:?}");
        assert_eq!(error.code(), Some(2020));
    }
    assert_eq!(emulator.request_count("updatePassword") + emulator.request_count("refreshToken"), 0);
}

#[tokio::test]
async fn profile_phone_and_email() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    app.register_by_email("ada@example.com", PASSWORD).force_login(true).send().await.unwrap();

    let me = app.update_profile(UpdateUserInput::default().nickname("Countess").city("London")).await.unwrap();
    assert_eq!((me.nickname.as_deref(), me.city.as_deref()), (Some("Countess"), Some("London")));
    let sneaky = app.update_profile(UpdateUserInput::default().email("other@example.com")).await;
    assert!(matches!(sneaky, Err(AuthingError::Api(_))), "an end user cannot change the e-mail this way: {sneaky:?}");

    let code = sms_code(&app, &emulator, "13800000004").await;
    assert_eq!(app.bind_phone("13800000004", &code).await.unwrap().phone.as_deref(), Some("13800000004"));
    let code = sms_code(&app, &emulator, "13900000004").await;
    let old_code = sms_code(&app, &emulator, "13800000004").await;
    let me = app.update_phone("13900000004", &code).old("13800000004", &old_code).send().await.unwrap();
    assert_eq!(me.phone.as_deref(), Some("13900000004"));
    assert!(app.unbind_phone().await.unwrap().phone.is_none());

    let code = email_code(&app, &emulator, "countess@example.com", EmailScene::ChangeEmail).await;
    let me = app.update_email("countess@example.com", &code).send().await.unwrap();
    assert_eq!(me.email.as_deref(), Some("countess@example.com"));
    assert!(matches!(app.unbind_email().await, Err(AuthingError::Api(_))), "the last way to log in stays");
}

#[tokio::test]
async fn bind_and_unbind_email() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    app.register_by_username("ada", PASSWORD).force_login(true).send().await.unwrap();
    assert_ne!(refused(app.bind_email("ada@example.com", "000000").await), 200, "a wrong code");
    let code = email_code(&app, &emulator, "ada@example.com", EmailScene::EmailBindVerifyCode).await;
    assert_eq!(app.bind_email("ada@example.com", &code).await.unwrap().email.as_deref(), Some("ada@example.com"));
    assert!(app.unbind_email().await.unwrap().email.is_none(), "the username still logs in");
}

#[tokio::test]
async fn tokens_are_checked_refreshed_validated_and_logged_out() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    let user = app.register_by_username("ada", PASSWORD).force_login(true).send().await.unwrap();
    let first = app.token().unwrap();

    let status = app.check_login_status(None).await.unwrap();
    assert_eq!((status.status, status.code), (true, Some(200)));
    assert_eq!(status.data.and_then(|d| d.id), Some(user.id.clone()));
    assert!(!app.check_login_status(Some("not-a-token")).await.unwrap().status);

    let claims = app.validate_token(&ValidateToken::Id(first.clone())).await.unwrap();
    assert_eq!(claims.sub.as_deref(), Some(user.id.as_str()));
    assert_eq!(claims.aud.as_deref(), Some(emulator.app_id()));
    assert_eq!(refused(app.validate_token(&ValidateToken::Id(AccessToken::new("1"))).await), 400);

    let refreshed = app.refresh_token().await.unwrap();
    assert_eq!(app.token().unwrap().expose(), refreshed.token.expose());
    assert_eq!(
        app.get_current_user().await.unwrap().token.map(|t| t.expose().to_owned()),
        Some(refreshed.token.expose().to_owned()),
        "/users/me echoes the token"
    );

    app.logout().await.unwrap();
    assert!(app.token().is_none());
    let stale = app.with_token(refreshed.token.clone());
    assert_eq!(refused(stale.get_current_user().await), 2020, "the logged-out token is refused");
    assert_eq!(refused(stale.logout().await), 2020);
}

#[tokio::test]
async fn custom_data_roles_resources_and_what_the_user_sees() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.udf().set(UdfTargetType::User, "age", UdfDataType::Number, "Age").send().await.unwrap();
    management.roles().create("reader").send().await.unwrap();
    let app = common::authentication(&emulator);
    let me = app.register_by_email("ada@example.com", PASSWORD).force_login(true).send().await.unwrap();
    management.users().add_roles(&me.id, ["reader"]).send().await.unwrap();

    app.set_udf_value([("age", 36.into())]).await.unwrap();
    assert_eq!(app.get_udf_value().await.unwrap()["age"].as_i64(), Some(36));
    assert!(matches!(app.set_udf_value([("age", "old".into())]).await, Err(AuthingError::Api(_))));
    app.remove_udf_value("age").await.unwrap();
    assert!(app.get_udf_value().await.unwrap().is_empty());

    assert_eq!(app.list_roles(None).await.unwrap().iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["reader"]);
    assert!(app.has_role("reader", None).await.unwrap());
    assert!(!app.has_role("admin", None).await.unwrap());
    assert!(app.list_authorized_resources("default", None).await.unwrap().is_empty());
    assert!(app.list_departments().await.unwrap().is_empty());
    assert!(app.list_orgs().await.unwrap().is_empty());

    let apps = app.list_applications().limit(10).send().await.unwrap();
    assert!(apps.items.iter().any(|a| a.id == emulator.app_id()), "the default policy allows every application");

    let level = app.get_security_level().await.unwrap();
    assert!(level.email && level.password && !level.mfa && !level.phone);
    assert!(level.password_security_level.is_some());
}

#[tokio::test]
async fn passwords_strength_existence_and_local_level() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    assert!(app.check_password_strength("Tr0ub4dor&3-Horse").await.unwrap().valid);
    assert!(!app.check_password_strength("abc123").await.unwrap().valid);

    app.register_by_username("ada", PASSWORD).send().await.unwrap();
    assert!(app.is_user_exists(Some("ada"), None, None).await.unwrap());
    assert!(!app.is_user_exists(None, Some("nobody@example.com"), None).await.unwrap());

    assert_eq!(AuthenticationClient::compute_password_security_level("Tr0ub4dorHorse1"), PasswordSecurityLevel::High);
    assert_eq!(AuthenticationClient::compute_password_security_level("troub4dor"), PasswordSecurityLevel::Middle);
    assert_eq!(AuthenticationClient::compute_password_security_level("troubador"), PasswordSecurityLevel::Low);
}

#[tokio::test]
async fn first_login_password_reset() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management
        .users()
        .create(CreateUserInput::default().username("ada").password("Temp-Passw0rd"))
        .reset_password_on_first_login(true)
        .send()
        .await
        .unwrap();
    let app = common::authentication(&emulator);
    let refusal = match app.login_by_username("ada", "Temp-Passw0rd").send().await {
        Err(AuthingError::Api(api)) => api,
        other => panic!("a first login must change the password first: {other:?}"),
    };
    let token = refusal
        .data()
        .and_then(|d| d.get("token"))
        .and_then(|t| t.as_str())
        .expect("the refusal carries the first-login token")
        .to_owned();
    app.reset_password_by_first_login_token(&token, "Mine-Passw0rd").await.unwrap();
    app.login_by_username("ada", "Mine-Passw0rd").send().await.unwrap();
    assert!(matches!(
        app.reset_password_by_first_login_token(&token, "Again-Passw0rd").await,
        Err(AuthingError::Api(_))
    ));
}

#[tokio::test]
async fn the_full_flow_of_an_end_user() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);

    let code = sms_code(&app, &emulator, "13800000009").await;
    let registered = app.register_by_phone_code("13800000009", &code).password(PASSWORD).send().await.unwrap();
    let user = app.login_by_phone_password("13800000009", PASSWORD).send().await.unwrap();
    assert_eq!(user.id, registered.id);

    app.update_profile(UpdateUserInput::default().nickname("Ada")).await.unwrap();
    let code = email_code(&app, &emulator, "ada@example.com", EmailScene::EmailBindVerifyCode).await;
    app.bind_email("ada@example.com", &code).await.unwrap();

    let code = email_code(&app, &emulator, "ada@example.com", EmailScene::ResetPassword).await;
    app.reset_password_by_email_code("ada@example.com", &code, "New-Passw0rd").await.unwrap();
    let again = app.login_by_email("ada@example.com", "New-Passw0rd").send().await.unwrap();
    assert_eq!(again.nickname.as_deref(), Some("Ada"));

    let token = again.token.unwrap();
    app.logout().await.unwrap();
    let stale = app.with_token(token);
    assert!(!stale.check_login_status(None).await.unwrap().status, "the old token is refused");
    assert_eq!(refused(stale.get_current_user().await), 2020);
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let emulator = Emulator::builder().user_token_ttl(std::time::Duration::from_secs(1)).start().await.unwrap();
    let app = common::authentication(&emulator);
    app.register_by_username("ada", PASSWORD).force_login(true).send().await.unwrap();
    assert!(app.check_login_status(None).await.unwrap().status);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let status = app.check_login_status(None).await.unwrap();
    assert!(!status.status, "{status:?}");
    assert_eq!(refused(app.get_current_user().await), 2020);
    assert_eq!(refused(app.refresh_token().await), 2020);
}

#[tokio::test]
async fn a_forced_password_reset() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    let ada = app.register_by_username("ada", "Old-Passw0rd").send().await.unwrap();
    assert!(emulator.require_password_reset(&ada.id));
    let refusal = match app.login_by_username("ada", "Old-Passw0rd").send().await {
        Err(AuthingError::Api(api)) => api,
        other => panic!("the password must be changed first: {other:?}"),
    };
    assert_eq!(refusal.code, 2058);
    let token = refusal.data().and_then(|d| d.get("token")).and_then(|t| t.as_str()).unwrap().to_owned();
    assert!(matches!(
        app.reset_password_by_force_reset_token(&token, "wrong", "New-Passw0rd").await,
        Err(AuthingError::Api(_))
    ));
    app.reset_password_by_force_reset_token(&token, "Old-Passw0rd", "New-Passw0rd").await.unwrap();
    app.login_by_username("ada", "New-Passw0rd").send().await.unwrap();
}

#[tokio::test]
async fn sub_accounts_that_do_not_exist_are_refused() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    assert_eq!(refused(app.login_by_sub_account("ops", PASSWORD).client_ip("127.0.0.1").send().await), 2004);
    assert!(app.token().is_none());
}

#[tokio::test]
async fn accounts_are_linked_and_unlinked() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let app = common::authentication(&emulator);
    let primary = app.register_by_username("ada", PASSWORD).force_login(true).send().await.unwrap();
    let primary_token = app.token().unwrap();
    let social = management
        .users()
        .create(CreateUserInput::default().nickname("ada on github"))
        .identity(authing::models::IdentityInput::new("github", "4242").is_social(true))
        .send()
        .await
        .unwrap();
    let social_token = management.users().refresh_token(&social.id).await.unwrap().token;

    app.link_account(&primary_token, &social_token).await.unwrap();
    let linked = management.users().get(&primary.id).await.unwrap().unwrap();
    assert_eq!(linked.identities.iter().filter_map(|i| i.provider.as_deref()).collect::<Vec<_>>(), ["github"]);

    app.unlink_account(&primary_token, "github").await.unwrap();
    assert!(management.users().get(&primary.id).await.unwrap().unwrap().identities.is_empty());
    assert_ne!(refused(app.unlink_account(&primary_token, "github").await), 200, "nothing left to unlink");
    assert_ne!(refused(app.link_account(&AccessToken::new("bad"), &social_token).await), 200);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let emulator = Emulator::builder().verification_code_ttl(std::time::Duration::from_secs(1)).start().await.unwrap();
    let app = common::authentication(&emulator);
    let code = sms_code(&app, &emulator, "13800000010").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(emulator.verification_code("13800000010").is_none(), "expired codes are not offered");
    assert_eq!(refused(app.register_by_phone_code("13800000010", &code).send().await), 2001);
}
