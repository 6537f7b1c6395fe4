//! A resigned user can no longer log in: every login is refused with 2005 (the blocked-account code), and the
//! resignation survives an export and import of the emulator's state.

mod common;

use authing::codes;
use authing_emulator::{Directory, DirectoryUser, Emulator, NewUser};
use common::{authentication, management};

const PASSWORD: &str = "Tr0ub4dor&3-Horse";

#[tokio::test]
async fn a_resigned_user_cannot_log_in_any_way() {
    let emulator = Emulator::builder()
        .directory_user(Directory::Ldap, DirectoryUser::new("ada", PASSWORD).email("ada@example.com"))
        .start()
        .await
        .unwrap();
    let id = emulator.add_user(NewUser::new().email("ada@example.com").password(PASSWORD)).unwrap();
    let app = authentication(&emulator);
    assert_eq!(app.login_by_email("ada@example.com", PASSWORD).send().await.unwrap().id, id);
    assert_eq!(authentication(&emulator).login_by_ldap("ada", PASSWORD).send().await.unwrap().id, id);

    management(&emulator).users().resign_user(&id).await.unwrap();
    let fresh = authentication(&emulator);
    let by_password = fresh.login_by_email("ada@example.com", PASSWORD).send().await.unwrap_err();
    assert_eq!(by_password.code(), Some(codes::USER_LOCKED), "{by_password:?}");
    let by_ldap = fresh.login_by_ldap("ada", PASSWORD).send().await.unwrap_err();
    assert_eq!(by_ldap.code(), Some(codes::USER_LOCKED), "{by_ldap:?}");
    let wrong_password = fresh.login_by_email("ada@example.com", "wrong").send().await.unwrap_err();
    assert_eq!(wrong_password.code(), Some(codes::WRONG_USERNAME_OR_PASSWORD), "the password is checked first");
    assert!(fresh.token().is_none());

    // Another user of the pool still logs in.
    emulator.add_user(NewUser::new().email("grace@example.com").password(PASSWORD)).unwrap();
    fresh.login_by_email("grace@example.com", PASSWORD).send().await.unwrap();
}

#[tokio::test]
async fn the_resignation_is_exported_and_imported_with_the_user() {
    let emulator = common::emulator().await;
    let id = emulator.add_user(NewUser::new().email("ada@example.com").password(PASSWORD)).unwrap();
    management(&emulator).users().resign_user(&id).await.unwrap();

    let state = emulator.export();
    let entry = state["users"].as_array().unwrap().iter().find(|u| u["id"] == id.as_str()).unwrap().clone();
    assert_eq!(entry["status"], "Resigned", "{entry}");

    let restored = Emulator::builder().import(state).start().await.unwrap();
    let refused = authentication(&restored).login_by_email("ada@example.com", PASSWORD).send().await.unwrap_err();
    assert_eq!(refused.code(), Some(codes::USER_LOCKED), "{refused:?}");
}
