//! Multi-factor authentication against the emulator: a login of a user with a bound TOTP authenticator, or of any
//! user of a pool that enforces MFA, is the typed `MfaRequired` outcome, and each second factor finishes it, with
//! the codes a user will hit.

mod common;

use std::time::Duration;

use authing::models::{EmailScene, MfaBindType, MfaChallenge, MfaFactor};
use authing::{AuthenticationClient, AuthingError, MfaToken, codes};
use authing_emulator::{Emulator, NewUser};
use common::{authentication, management};

const PASSWORD: &str = "Tr0ub4dor&3-Horse";
/// A base32 TOTP secret an administrator imports (20 bytes).
const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The current code of a base32 secret, as an authenticator app computes it.
fn totp_now(secret: &str) -> String {
    let bytes = totp_rs::Secret::try_from_base32(secret).expect("a base32 secret");
    let totp = totp_rs::Builder::new().with_secret(bytes.as_bytes().to_vec()).build().expect("a TOTP");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    totp.generate(now).to_string()
}

/// Logs in by e-mail and expects the MFA challenge.
async fn mfa_login(app: &AuthenticationClient, email: &str) -> MfaChallenge {
    match app.login_by_email(email, PASSWORD).send().await {
        Err(AuthingError::MfaRequired(challenge)) => *challenge,
        other => panic!("expected MfaRequired, got {other:?}"),
    }
}

async fn mfa_emulator() -> Emulator {
    Emulator::builder().enforce_mfa(true).start().await.expect("the emulator starts")
}

fn add_user(emulator: &Emulator, user: NewUser) -> String {
    emulator.add_user(user.password(PASSWORD)).expect("the user is added")
}

#[tokio::test]
async fn enforced_mfa_login_is_finished_with_a_totp_and_the_same_code_is_refused_again() {
    let emulator = common::emulator().await;
    let app = authentication(&emulator);
    app.register_by_email("ada@example.com", PASSWORD).force_login(true).send().await.unwrap();
    assert!(app.get_mfa_authenticators(None).await.unwrap().is_empty());

    let association = app.associate_totp(None).await.unwrap();
    assert!(association.otpauth_uri.expose().starts_with("otpauth://totp/"));
    assert!(!association.recovery_code.expose().is_empty());
    let wrong = app.confirm_totp("000000", None).await.unwrap_err();
    let right = totp_now(association.secret.expose());
    assert!(right == "000000" || wrong.code() == Some(codes::WRONG_TOTP), "{wrong:?}");
    app.confirm_totp(&right, None).await.unwrap();
    let bound = app.get_mfa_authenticators(None).await.unwrap();
    assert_eq!(bound.len(), 1);
    assert_eq!(bound[0].authenticator_type, "totp");

    emulator.set_mfa_enforced(true);
    let login = authentication(&emulator);
    let challenge = mfa_login(&login, "ada@example.com").await;
    assert_eq!(challenge.refusal.code, codes::MFA_REQUIRED);
    assert!(challenge.totp_bound && challenge.offers(&MfaFactor::Otp));
    assert!(login.token().is_none(), "no token before the second factor");

    let code = totp_now(association.secret.expose());
    let user = login.verify_totp_mfa(&code, &challenge.token).await.unwrap();
    assert!(user.token.is_some());
    assert_eq!(login.get_current_user().await.unwrap().id, user.id, "the client keeps the token");

    let used = login.verify_totp_mfa(&code, &challenge.token).await.unwrap_err();
    assert_eq!(used.code(), Some(codes::NOT_LOGGED_IN), "the MFA token is used up: {used:?}");
    let again = mfa_login(&login, "ada@example.com").await;
    let replay = login.verify_totp_mfa(&code, &again.token).await.unwrap_err();
    assert_eq!(replay.code(), Some(codes::WRONG_TOTP), "{replay:?}");
}

#[tokio::test]
async fn without_enforcement_a_bound_totp_makes_the_next_login_ask_for_it() {
    let emulator = common::emulator().await;
    let app = authentication(&emulator);
    app.register_by_email("ada@example.com", PASSWORD).send().await.unwrap();
    // No factor bound: the password is enough.
    let user = app.login_by_email("ada@example.com", PASSWORD).send().await.unwrap();
    assert!(user.token.is_some());
    let association = app.associate_totp(None).await.unwrap();
    app.confirm_totp(&totp_now(association.secret.expose()), None).await.unwrap();
    // Bound: the next login asks for the second factor, and the factor finishes it.
    let login = authentication(&emulator);
    let challenge = mfa_login(&login, "ada@example.com").await;
    assert!(challenge.totp_bound);
    let user = login.verify_totp_mfa(&totp_now(association.secret.expose()), &challenge.token).await.unwrap();
    assert!(user.token.is_some());
    // Another user of the same pool, with no factor, still logs in with the password alone.
    app.register_by_email("grace@example.com", PASSWORD).send().await.unwrap();
    assert!(app.login_by_email("grace@example.com", PASSWORD).send().await.unwrap().token.is_some());
}

#[tokio::test]
async fn a_wrong_totp_gives_6001_and_the_challenge_stays_open() {
    let emulator = mfa_emulator().await;
    let id = add_user(&emulator, NewUser::new().email("grace@example.com"));
    management(&emulator).mfa().import_totp(&id, SECRET, Some("rc-1")).await.unwrap();
    let app = authentication(&emulator);
    let challenge = mfa_login(&app, "grace@example.com").await;
    let right = totp_now(SECRET);
    let wrong = if right == "123456" { "654321" } else { "123456" };
    let err = app.verify_totp_mfa(wrong, &challenge.token).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::WRONG_TOTP));
    assert!(matches!(err, AuthingError::Api(_)), "{err:?}");
    let user = app.verify_totp_mfa(&right, &challenge.token).await.unwrap();
    assert_eq!(user.id, id);
}

#[tokio::test]
async fn a_recovery_code_finishes_one_login_and_is_refused_the_second_time() {
    let emulator = mfa_emulator().await;
    let id = add_user(&emulator, NewUser::new().email("ada@example.com"));
    management(&emulator).mfa().import_totp(&id, SECRET, Some("rc-1")).await.unwrap();
    let app = authentication(&emulator);
    let first = mfa_login(&app, "ada@example.com").await;
    assert_eq!(app.verify_totp_recovery_code("rc-1", &first.token).await.unwrap().id, id);
    let second = mfa_login(&app, "ada@example.com").await;
    let err = app.verify_totp_recovery_code("rc-1", &second.token).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::WRONG_TOTP), "{err:?}");
    let err = app.verify_totp_recovery_code("not-it", &second.token).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::WRONG_TOTP), "{err:?}");
}

#[tokio::test]
async fn an_expired_mfa_token_gives_2020() {
    let emulator =
        Emulator::builder().enforce_mfa(true).mfa_token_ttl(Duration::from_millis(300)).start().await.unwrap();
    let id = add_user(&emulator, NewUser::new().email("ada@example.com"));
    management(&emulator).mfa().import_totp(&id, SECRET, None).await.unwrap();
    let app = authentication(&emulator);
    let challenge = mfa_login(&app, "ada@example.com").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let err = app.verify_totp_mfa(&totp_now(SECRET), &challenge.token).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_LOGGED_IN), "{err:?}");
    assert!(err.message().contains("MFA token"), "{}", err.message());
}

#[tokio::test]
async fn mfa_calls_refuse_a_user_token_and_other_calls_refuse_an_mfa_token() {
    let emulator = common::emulator().await;
    let id = add_user(&emulator, NewUser::new().email("ada@example.com"));
    let app = authentication(&emulator);
    // Logged in before a factor is bound: an ordinary user token.
    let user = app.login_by_email("ada@example.com", PASSWORD).send().await.unwrap();
    management(&emulator).mfa().import_totp(&id, SECRET, Some("rc-1")).await.unwrap();
    let user_token = MfaToken::new(user.token.unwrap().expose());
    let err = app.verify_totp_mfa(&totp_now(SECRET), &user_token).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_LOGGED_IN), "{err:?}");
    let err = app.verify_totp_recovery_code("rc-1", &user_token).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_LOGGED_IN), "{err:?}");

    let challenge = mfa_login(&app, "ada@example.com").await;
    let err = app.with_token(challenge.token.expose()).get_current_user().await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_LOGGED_IN), "{err:?}");
}

#[tokio::test]
async fn the_mfa_required_outcome_shows_no_token() {
    let emulator = mfa_emulator().await;
    add_user(&emulator, NewUser::new().email("ada@example.com").phone("13800000000"));
    let app = authentication(&emulator);
    let err = app.login_by_email("ada@example.com", PASSWORD).send().await.unwrap_err();
    let AuthingError::MfaRequired(challenge) = &err else { panic!("{err:?}") };
    let token = challenge.token.expose().to_owned();
    assert_eq!(err.code(), Some(codes::MFA_REQUIRED));
    assert!(!err.is_retryable());
    assert_eq!(challenge.phone.as_deref(), Some("13800000000"));
    assert!(challenge.offers(&MfaFactor::Sms) && challenge.offers(&MfaFactor::Email) && !challenge.totp_bound);
    for text in [format!("{err}"), format!("{err:?}"), format!("{challenge:?}")] {
        assert!(!text.contains(&token), "{text}");
    }
}

#[tokio::test]
async fn an_sms_code_finishes_the_login_and_a_wrong_one_gives_2001() {
    let emulator = mfa_emulator().await;
    let phone = "13800000001";
    let id = add_user(&emulator, NewUser::new().phone(phone));
    let app = authentication(&emulator);
    let challenge = match app.login_by_phone_password(phone, PASSWORD).send().await {
        Err(AuthingError::MfaRequired(challenge)) => challenge,
        other => panic!("{other:?}"),
    };
    assert!(app.phone_or_email_bindable(&challenge.token, Some(phone), None).await.unwrap());
    app.send_sms_code(phone).await.unwrap();
    let code = emulator.verification_code(phone).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let err = app.verify_app_sms_mfa(phone, wrong, &challenge.token).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::VERIFICATION_FAILED), "{err:?}");
    let user = app.verify_app_sms_mfa(phone, &code, &challenge.token).await.unwrap();
    assert_eq!(user.id, id);
}

#[tokio::test]
async fn an_email_code_binds_a_free_address_and_another_users_address_is_refused() {
    let emulator = mfa_emulator().await;
    add_user(&emulator, NewUser::new().username("ada"));
    add_user(&emulator, NewUser::new().email("taken@example.com"));
    let app = authentication(&emulator);
    let challenge = match app.login_by_username("ada", PASSWORD).send().await {
        Err(AuthingError::MfaRequired(challenge)) => challenge,
        other => panic!("{other:?}"),
    };
    let err = app.phone_or_email_bindable(&challenge.token, None, Some("taken@example.com")).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::USER_EXISTS), "{err:?}");
    assert!(app.phone_or_email_bindable(&challenge.token, None, Some("ada@example.com")).await.unwrap());
    app.send_email("ada@example.com", EmailScene::MfaVerify).await.unwrap();
    let code = emulator.verification_code("ada@example.com").unwrap();
    let user = app.verify_app_email_mfa("ada@example.com", &code, &challenge.token).await.unwrap();
    assert_eq!(user.email.as_deref(), Some("ada@example.com"));
}

#[tokio::test]
async fn a_face_associated_by_url_finishes_the_login_and_another_photo_does_not() {
    let emulator = common::emulator().await;
    let app = authentication(&emulator);
    app.register_by_email("ada@example.com", PASSWORD).force_login(true).send().await.unwrap();
    let err = app.associate_face_by_url("not a url", "https://x.test/b.jpg", None).await.unwrap_err();
    assert_eq!(err.code(), Some(400), "{err:?}");
    app.associate_face_by_url("https://x.test/a.jpg", "https://x.test/b.jpg", None).await.unwrap();
    emulator.set_mfa_enforced(true);
    let challenge = mfa_login(&app, "ada@example.com").await;
    assert!(challenge.face_bound && challenge.offers(&MfaFactor::Face));
    let err = app.verify_face_mfa("https://x.test/other.jpg", &challenge.token).await.unwrap_err();
    assert_eq!(err.code(), Some(400), "{err:?}");
    app.verify_face_mfa("https://x.test/a.jpg", &challenge.token).await.unwrap();
}

#[tokio::test]
async fn the_administrator_sees_imports_and_unbinds_factors() {
    let emulator = common::emulator().await;
    let id = add_user(&emulator, NewUser::new().email("ada@example.com"));
    let mfa = management(&emulator);
    let mfa = mfa.mfa();
    let status = mfa.status(&id).await.unwrap();
    assert!(!status.otp && !status.face);
    let imported = mfa.import_totp(&id, "123456", Some("rc")).await.unwrap();
    assert_eq!((imported.user_id.as_str(), imported.secret.unwrap().expose()), (id.as_str(), "123456"));
    assert!(mfa.status(&id).await.unwrap().otp);
    mfa.unbind(&id, MfaBindType::Otp).await.unwrap();
    assert!(!mfa.status(&id).await.unwrap().otp);
    let err = mfa.import_totp(&id, " ", None).await.unwrap_err();
    assert!(matches!(err, AuthingError::Request { .. }), "{err:?}");
    let err = mfa.import_totp("no-such-user", SECRET, None).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::USER_NOT_FOUND), "{err:?}");

    let app = authentication(&emulator);
    app.login_by_email("ada@example.com", PASSWORD).send().await.unwrap();
    app.get_mfa_authenticators(None).await.unwrap();
    app.associate_totp(None).await.unwrap();
    app.delete_mfa_authenticator().await.unwrap();
    assert!(app.get_mfa_authenticators(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_user_without_an_authenticator_associates_one_with_the_mfa_token_and_finishes_the_login() {
    let emulator = mfa_emulator().await;
    let id = add_user(&emulator, NewUser::new().email("ada@example.com"));
    let app = authentication(&emulator);
    let challenge = mfa_login(&app, "ada@example.com").await;
    assert!(!challenge.totp_bound);
    assert!(app.get_mfa_authenticators(Some(&challenge.token)).await.unwrap().is_empty());
    let association = app.associate_totp(Some(&challenge.token)).await.unwrap();
    app.confirm_totp(&totp_now(association.secret.expose()), Some(&challenge.token)).await.unwrap();
    assert_eq!(app.get_mfa_authenticators(Some(&challenge.token)).await.unwrap().len(), 1);
    assert!(app.token().is_none(), "associating does not log in");
    let user = app.verify_totp_mfa(&totp_now(association.secret.expose()), &challenge.token).await.unwrap();
    assert_eq!(user.id, id);
    assert!(app.get_security_level().await.unwrap().mfa, "the security level shows the bound authenticator");
}
