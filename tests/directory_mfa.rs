//! LDAP, AD and sub-account logins in a pool that enforces MFA answer like a password login: `MfaRequired` (1635) with an MFA
//! token and no user token, and the second factor finishes the login.

mod common;

use authing::models::MfaChallenge;
use authing::{AuthingError, codes};
use authing_emulator::{Directory, DirectoryUser, Emulator, NewUser};
use common::{authentication, management};

const PASSWORD: &str = "Tr0ub4dor&3-Horse";
const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn totp_now(secret: &str) -> String {
    let bytes = totp_rs::Secret::try_from_base32(secret).expect("a base32 secret");
    let totp = totp_rs::Builder::new().with_secret(bytes.as_bytes().to_vec()).build().expect("a TOTP");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    totp.generate(now).to_string()
}

async fn directory_emulator() -> Emulator {
    Emulator::builder()
        .directory_user(Directory::Ldap, DirectoryUser::new("ada", PASSWORD))
        .directory_user(Directory::Ad, DirectoryUser::new("bob", PASSWORD))
        .start()
        .await
        .expect("the emulator starts")
}

fn expect_challenge(outcome: authing::Result<authing::models::User>) -> MfaChallenge {
    match outcome {
        Err(AuthingError::MfaRequired(challenge)) => *challenge,
        other => panic!("expected MfaRequired, got {other:?}"),
    }
}

#[tokio::test]
async fn an_ldap_login_asks_for_the_second_factor_and_a_totp_finishes_it() {
    let emulator = directory_emulator().await;
    let id = authentication(&emulator).login_by_ldap("ada", PASSWORD).send().await.unwrap().id;
    management(&emulator).mfa().import_totp(&id, SECRET, None).await.unwrap();

    emulator.set_mfa_enforced(true);
    let app = authentication(&emulator);
    let challenge = expect_challenge(app.login_by_ldap("ada", PASSWORD).send().await);
    assert_eq!(challenge.refusal.code, codes::MFA_REQUIRED);
    assert!(challenge.totp_bound);
    assert!(app.token().is_none(), "no token before the second factor");

    let user = app.verify_totp_mfa(&totp_now(SECRET), &challenge.token).await.unwrap();
    assert_eq!(user.id, id);
    assert_eq!(app.get_current_user().await.unwrap().id, id, "the client keeps the token");

    // A wrong password is still refused as such, before any second factor.
    let wrong = app.login_by_ldap("ada", "wrong").send().await.unwrap_err();
    assert_eq!(wrong.code(), Some(codes::WRONG_USERNAME_OR_PASSWORD), "{wrong:?}");
}

#[tokio::test]
async fn an_ad_login_asks_for_the_second_factor_too() {
    let emulator = directory_emulator().await;
    emulator.set_mfa_enforced(true);
    let app = authentication(&emulator);
    let challenge = expect_challenge(app.login_by_ad("bob", PASSWORD).send().await);
    assert_eq!(challenge.refusal.code, codes::MFA_REQUIRED);
    assert!(!challenge.token.expose().is_empty());
    assert!(app.token().is_none());

    emulator.set_mfa_enforced(false);
    let user = app.login_by_ad("bob", PASSWORD).send().await.unwrap();
    assert!(user.token.is_some(), "without enforcement the login ends at once");
}

#[tokio::test]
async fn a_sub_account_login_asks_for_the_second_factor_and_a_totp_finishes_it() {
    let emulator = common::emulator().await;
    let main = emulator.add_user(NewUser::new().username("ada").password(PASSWORD)).unwrap();
    let sub = emulator.add_sub_account(&main, "ada-ops", PASSWORD).unwrap();
    management(&emulator).mfa().import_totp(&sub, SECRET, None).await.unwrap();

    emulator.set_mfa_enforced(true);
    let app = authentication(&emulator);
    let challenge = expect_challenge(app.login_by_sub_account("ada-ops", PASSWORD).send().await);
    assert_eq!(challenge.refusal.code, codes::MFA_REQUIRED);
    assert!(app.token().is_none(), "no token before the second factor");
    let user = app.verify_totp_mfa(&totp_now(SECRET), &challenge.token).await.unwrap();
    assert_eq!(user.id, sub);

    let wrong = app.login_by_sub_account("ada-ops", "wrong").send().await.unwrap_err();
    assert_eq!(wrong.code(), Some(codes::WRONG_USERNAME_OR_PASSWORD), "{wrong:?}");
}
