//! Directory and sub-account logins against the emulator: LDAP and AD accounts create or link the pool user,
//! sub-accounts log in by their own username and password, with the codes a user will hit.

mod common;

use authing::codes;
use authing_emulator::{Directory, DirectoryUser, Emulator, NewUser};
use common::{authentication, management, options_for};

const PASSWORD: &str = "Tr0ub4dor&3-Horse";

async fn directory_emulator() -> Emulator {
    Emulator::builder()
        .directory_user(Directory::Ldap, DirectoryUser::new("ada", PASSWORD).email("ada@example.com").name("Ada"))
        .directory_user(Directory::Ad, DirectoryUser::new("bob", PASSWORD))
        .start()
        .await
        .expect("the emulator starts")
}

#[tokio::test]
async fn ldap_login_creates_the_user_once_and_keeps_its_token() {
    let emulator = directory_emulator().await;
    let app = authentication(&emulator);
    let user = app.login_by_ldap("ada", PASSWORD).send().await.unwrap();
    assert_eq!(user.username.as_deref(), Some("ada"));
    assert_eq!(user.email.as_deref(), Some("ada@example.com"));
    assert_eq!(user.identities.len(), 1);
    assert_eq!(user.identities[0].provider.as_deref(), Some("ldap"));
    assert_eq!(user.identities[0].user_id_in_idp.as_deref(), Some("ada"));
    assert_eq!(app.token().map(|t| t.expose().to_owned()), user.token.as_ref().map(|t| t.expose().to_owned()));
    assert_eq!(app.get_current_user().await.unwrap().id, user.id, "the login token works");

    let again = authentication(&emulator).login_by_ldap("ada", PASSWORD).send().await.unwrap();
    assert_eq!(again.id, user.id, "the second login finds the same user");
    assert_eq!(again.logins_count, Some(2));
}

#[tokio::test]
async fn ldap_login_links_the_pool_user_with_the_same_email() {
    let emulator = directory_emulator().await;
    let existing = emulator.add_user(NewUser::new().email("ada@example.com").password("other")).unwrap();
    let user = authentication(&emulator).login_by_ldap("ada", PASSWORD).send().await.unwrap();
    assert_eq!(user.id, existing);
    assert!(user.identities.iter().any(|i| i.provider.as_deref() == Some("ldap")));
    assert!(emulator.check_user_password(&existing, "other"), "the pool password is not changed");
}

#[tokio::test]
async fn ldap_refusals_carry_authings_codes() {
    let emulator = directory_emulator().await;
    let app = authentication(&emulator);
    let unknown = app.login_by_ldap("nobody", PASSWORD).send().await.unwrap_err();
    assert_eq!(unknown.code(), Some(codes::USER_NOT_FOUND), "{unknown:?}");
    let wrong = app.login_by_ldap("ada", "wrong password").send().await.unwrap_err();
    assert_eq!(wrong.code(), Some(codes::WRONG_USERNAME_OR_PASSWORD), "{wrong:?}");
    let ad_account = app.login_by_ldap("bob", PASSWORD).send().await.unwrap_err();
    assert_eq!(ad_account.code(), Some(codes::USER_NOT_FOUND), "an AD account is not an LDAP one");
    assert!(app.token().is_none());

    let user = app.login_by_ldap("ada", PASSWORD).send().await.unwrap();
    let mgmt = management(&emulator);
    mgmt.users().update(&user.id, authing::models::UpdateUserInput::default().blocked(true)).await.unwrap();
    let blocked = app.login_by_ldap("ada", PASSWORD).send().await.unwrap_err();
    assert_eq!(blocked.code(), Some(codes::USER_LOCKED));
}

#[tokio::test]
async fn ad_login_goes_to_the_websocket_host() {
    let emulator = directory_emulator().await;
    let app = authentication(&emulator);
    let user = app.login_by_ad("bob", PASSWORD).send().await.unwrap();
    assert_eq!(user.identities[0].provider.as_deref(), Some("ad"));
    assert!(app.token().is_some());
    let wrong = app.login_by_ad("bob", "nope").send().await.unwrap_err();
    assert_eq!(wrong.code(), Some(codes::WRONG_USERNAME_OR_PASSWORD));
    let unknown = app.login_by_ad("ada", PASSWORD).send().await.unwrap_err();
    assert_eq!(unknown.code(), Some(codes::USER_NOT_FOUND));

    let other_app = options_for(&emulator).app_id("another-app").build().unwrap();
    let other_app = authing::AuthenticationClient::new(&other_app).unwrap();
    let refused = other_app.login_by_ldap("ada", PASSWORD).send().await.unwrap_err();
    assert_eq!(refused.code(), Some(codes::APP_NOT_FOUND), "{refused:?}");

    // An explicit websocket host that is not the emulator's: the login does not reach the emulator.
    let options = options_for(&emulator).websocket_host("http://127.0.0.1:9").build().unwrap();
    let elsewhere = authing::AuthenticationClient::new(&options).unwrap();
    let err = elsewhere.login_by_ad("bob", PASSWORD).send().await.unwrap_err();
    assert_eq!(err.code(), None, "a transport error: {err:?}");
}

#[tokio::test]
async fn accounts_added_in_process_log_in_and_removed_ones_do_not() {
    let emulator = common::emulator().await;
    let app = authentication(&emulator);
    emulator.add_directory_user(Directory::Ad, DirectoryUser::new("carol", PASSWORD));
    app.login_by_ad("carol", PASSWORD).send().await.unwrap();
    assert!(emulator.remove_directory_user(Directory::Ad, "carol"));
    let gone = app.login_by_ad("carol", PASSWORD).send().await.unwrap_err();
    assert_eq!(gone.code(), Some(codes::USER_NOT_FOUND));
}

#[tokio::test]
async fn sub_accounts_log_in_with_their_own_password() {
    let emulator = common::emulator().await;
    let main = emulator.add_user(NewUser::new().username("ada").password(PASSWORD)).unwrap();
    let sub = emulator.add_sub_account(&main, "ada-ops", "0ps-Passw0rd").unwrap();
    assert_eq!(emulator.main_user_of(&sub).as_deref(), Some(main.as_str()));

    let app = authentication(&emulator);
    let user = app.login_by_sub_account("ada-ops", "0ps-Passw0rd").send().await.unwrap();
    assert_eq!(user.id, sub);
    assert!(user.token.is_some() && app.token().is_some());

    let wrong = app.login_by_sub_account("ada-ops", PASSWORD).send().await.unwrap_err();
    assert_eq!(wrong.code(), Some(codes::WRONG_USERNAME_OR_PASSWORD));
    let main_user = app.login_by_sub_account("ada", PASSWORD).send().await.unwrap_err();
    assert_eq!(main_user.code(), Some(codes::USER_NOT_FOUND), "the main user is not a sub-account");
    let unknown = app.login_by_sub_account("nobody", PASSWORD).send().await.unwrap_err();
    assert_eq!(unknown.code(), Some(codes::USER_NOT_FOUND));

    let taken = emulator.add_sub_account(&main, "ada", "x").unwrap_err();
    assert_eq!(taken.code, 2034);
    let orphan = emulator.add_sub_account("nobody", "x-ops", "x").unwrap_err();
    assert_eq!(orphan.code, 2004);
}

#[tokio::test]
async fn directories_and_sub_accounts_travel_in_the_state_document() {
    let state = serde_json::json!({
        "users": [
            { "id": "6000000000000000000000a1", "username": "ada", "password": PASSWORD },
            { "id": "6000000000000000000000a2", "username": "ada-ops", "password": "0ps-Passw0rd" }
        ],
        "directories": {
            "ldap": [{ "username": "lin", "password": PASSWORD, "email": "lin@example.com" }],
            "ad": [{ "username": "bob", "password": PASSWORD }],
            "subAccounts": [{ "userId": "6000000000000000000000a2", "mainUserId": "6000000000000000000000a1" }]
        }
    });
    let emulator = Emulator::builder().import(state).start().await.unwrap();
    let app = authentication(&emulator);
    assert_eq!(app.login_by_ldap("lin", PASSWORD).send().await.unwrap().email.as_deref(), Some("lin@example.com"));
    app.login_by_ad("bob", PASSWORD).send().await.unwrap();
    assert_eq!(
        app.login_by_sub_account("ada-ops", "0ps-Passw0rd").send().await.unwrap().id,
        "6000000000000000000000a2"
    );

    let exported = emulator.export();
    let hash = exported["directories"]["ldap"][0]["passwordHash"].as_str().unwrap();
    assert!(!hash.contains(PASSWORD), "passwords are exported as hashes");
    let copy = Emulator::builder().import(exported).start().await.unwrap();
    let app = authentication(&copy);
    app.login_by_ldap("lin", PASSWORD).send().await.unwrap();
    let wrong = app.login_by_ldap("lin", "nope").send().await.unwrap_err();
    assert_eq!(wrong.code(), Some(codes::WRONG_USERNAME_OR_PASSWORD));
    app.login_by_sub_account("ada-ops", "0ps-Passw0rd").send().await.unwrap();

    let refused = copy.import(serde_json::json!({
        "directories": { "subAccounts": [{ "userId": "nobody", "mainUserId": "6000000000000000000000a1" }] }
    }));
    assert!(refused.unwrap_err().message.contains("directories.subAccounts[0]"));
    copy.reset();
    let gone = authentication(&copy).login_by_sub_account("ada-ops", "0ps-Passw0rd").send().await.unwrap_err();
    assert_eq!(gone.code(), Some(codes::USER_NOT_FOUND));
    authentication(&copy).login_by_ldap("lin", PASSWORD).send().await.unwrap();
}
