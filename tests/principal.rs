//! Principal (real-name) authentication against the emulator, from the administrator's side and the user's own,
//! with the codes a user will hit.

mod common;

use authing::models::{PrincipalInfo, PrincipalType};
use authing::{AuthingError, codes};
use authing_emulator::NewUser;
use common::{authentication, management};

const PASSWORD: &str = "Tr0ub4dor&3-Horse";
const ID_CARD: &str = "11010119900307123X";
const BANK_CARD: &str = "6222020000000000000";
const CREDIT_CODE: &str = "91350100M000100Y43";

#[tokio::test]
async fn the_administrator_records_a_person_and_reads_it_back() {
    let emulator = common::emulator().await;
    let user = emulator.add_user(NewUser::new().username("ada").password(PASSWORD)).unwrap();
    let mgmt = management(&emulator);
    let principal = mgmt.principal_authentication();
    assert!(principal.detail(&user).await.unwrap().is_none(), "no record yet");

    principal.authenticate(&user, &PrincipalInfo::person("Ada", ID_CARD, BANK_CARD)).await.unwrap();
    let record = principal.detail(&user).await.unwrap().expect("a record");
    assert_eq!(record.principal_type, Some(PrincipalType::Person));
    assert_eq!(record.principal_name.as_deref(), Some("Ada"));
    assert_eq!(record.principal_code.as_deref(), Some(ID_CARD));
    assert_eq!(record.user_id.as_deref(), Some(user.as_str()));
    assert!(record.authentication_time.is_some());

    let enterprise = PrincipalInfo::enterprise("Example Ltd", CREDIT_CODE, "Grace");
    principal.authenticate(&user, &enterprise).await.unwrap();
    let record = principal.detail(&user).await.unwrap().unwrap();
    assert_eq!(record.principal_type, Some(PrincipalType::Enterprise));
    assert_eq!(record.principal_code.as_deref(), Some(CREDIT_CODE));
}

#[tokio::test]
async fn malformed_submissions_and_unknown_users_are_refused() {
    let emulator = common::emulator().await;
    let user = emulator.add_user(NewUser::new().username("ada")).unwrap();
    let mgmt = management(&emulator);
    let principal = mgmt.principal_authentication();
    let bad_card = principal.authenticate(&user, &PrincipalInfo::person("Ada", "12345", BANK_CARD)).await.unwrap_err();
    assert_eq!(bad_card.code(), Some(400), "{bad_card:?}");
    let bad_bank = principal.authenticate(&user, &PrincipalInfo::person("Ada", ID_CARD, "x")).await.unwrap_err();
    assert_eq!(bad_bank.code(), Some(400));
    let no_person = principal.authenticate(&user, &PrincipalInfo::enterprise("E", CREDIT_CODE, "")).await.unwrap_err();
    assert_eq!(no_person.code(), Some(400));
    assert!(principal.detail(&user).await.unwrap().is_none(), "nothing was recorded");

    let unknown = principal.detail("000000000000000000000000").await.unwrap_err();
    assert_eq!(unknown.code(), Some(codes::USER_NOT_FOUND));
    let info = PrincipalInfo::person("Ada", ID_CARD, BANK_CARD);
    let unknown = principal.authenticate("000000000000000000000000", &info).await.unwrap_err();
    assert_eq!(unknown.code(), Some(codes::USER_NOT_FOUND));
    let empty = principal.detail(" ").await.unwrap_err();
    assert!(matches!(empty, AuthingError::Request { .. }), "{empty:?}");
}

#[tokio::test]
async fn the_user_submits_its_own_and_sees_what_the_administrator_sees() {
    let emulator = common::emulator().await;
    let app = authentication(&emulator);
    let missing = app.principal_authentication().detail().await.unwrap_err();
    assert!(matches!(missing, AuthingError::NotLoggedIn), "no token, nothing sent: {missing:?}");

    let user = app.register_by_email("ada@example.com", PASSWORD).force_login(true).send().await.unwrap();
    let own = app.principal_authentication();
    assert!(own.detail().await.unwrap().is_none());
    own.authenticate(&PrincipalInfo::person("Ada", ID_CARD, BANK_CARD)).await.unwrap();
    let mine = own.detail().await.unwrap().unwrap();
    let seen = management(&emulator).principal_authentication().detail(&user.id).await.unwrap().unwrap();
    assert_eq!(mine.id, seen.id);
    assert_eq!(seen.principal_name.as_deref(), Some("Ada"));
    assert_eq!(emulator.principal_of(&user.id).unwrap()["principalCode"], ID_CARD);

    let refused = own.authenticate(&PrincipalInfo::person("Ada", ID_CARD, "")).await.unwrap_err();
    assert_eq!(refused.code(), Some(400));
    let stranger = app.with_token("not-a-token").principal_authentication().detail().await.unwrap_err();
    assert_eq!(stranger.code(), Some(codes::NOT_LOGGED_IN));
}
