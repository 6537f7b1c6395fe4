//! `management.users()` against the emulator: one test (or more) per method, with the errors a user will hit.

mod common;

use std::collections::HashSet;

use authing::models::{
    BatchField, CreateUserInput, IdentityInput, IdentityQuery, SortBy, UdfDataType, UdfTargetType, UpdateUserInput,
    User,
};
use authing::{AuthingError, ManagementClient};
use futures::TryStreamExt;
use serde::Deserialize;
use serde_json::json;

async fn create(management: &ManagementClient, input: CreateUserInput) -> User {
    management.users().create(input).send().await.expect("the user is created")
}

fn username(name: &str) -> CreateUserInput {
    CreateUserInput::default().username(name)
}

fn api_code(result: Result<impl std::fmt::Debug, AuthingError>) -> i64 {
    match result {
        Err(AuthingError::Api(api)) => api.code,
        other => panic!("expected Authing's refusal, got {other:?}"),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenStatus {
    status: Option<bool>,
    code: Option<i64>,
    data: Option<TokenStatusData>,
}

#[derive(Debug, Deserialize)]
struct TokenStatusData {
    id: Option<String>,
}

/// Asks the server whether a user token is still accepted.
async fn token_status(management: &ManagementClient, token: &str) -> TokenStatus {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Data {
        check_login_status: TokenStatus,
    }
    let data: Data = management
        .graphql(
            "query checkLoginStatus($token: String) { checkLoginStatus(token: $token) { code status data { id } } }",
            &json!({ "token": token }),
        )
        .await
        .unwrap();
    data.check_login_status
}

#[tokio::test]
async fn create_returns_the_user_with_its_identifiers_and_encrypted_password() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let user = create(
        &management,
        CreateUserInput::default()
            .username("ada")
            .email("Ada@Example.COM")
            .phone("+8613800000000")
            .external_id("ext-1")
            .nickname("Countess")
            .signed_up("2024-05-09T07:29:33.186Z")
            .password("correct horse"),
    )
    .await;
    assert_eq!(user.username.as_deref(), Some("ada"));
    assert_eq!(user.email.as_deref(), Some("ada@example.com"), "e-mails are stored lower-cased");
    assert_eq!(user.phone.as_deref(), Some("+8613800000000"));
    assert_eq!(user.external_id.as_deref(), Some("ext-1"));
    assert_eq!(user.nickname.as_deref(), Some("Countess"));
    assert_eq!(user.user_pool_id, emulator.user_pool_id());
    assert!(user.identities.is_empty());
    assert!(user.password.is_none(), "the password never comes back");
    let signed_up = user.signed_up.as_deref().unwrap();
    assert!(signed_up.starts_with("2024-05-09T07:29:33.186"), "{signed_up}");
    assert!(emulator.check_user_password(&user.id, "correct horse"));
    assert!(!emulator.check_user_password(&user.id, "wrong"));
}

#[tokio::test]
async fn create_with_identity_reset_flag_and_kept_password() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let user = management
        .users()
        .create(username("octo").password("pw-kept"))
        .identity(IdentityInput::new("github", "4242").is_social(true))
        .reset_password_on_first_login(true)
        .keep_password(true)
        .send()
        .await
        .unwrap();
    assert_eq!(user.identities.len(), 1);
    assert_eq!(user.identities[0].provider.as_deref(), Some("github"));
    assert_eq!(user.identities[0].user_id_in_idp.as_deref(), Some("4242"));
    assert!(emulator.check_user_password(&user.id, "pw-kept"));
    let found = management.users().find().identity(IdentityQuery::new("github", "4242")).send().await.unwrap();
    assert_eq!(found.map(|u| u.id), Some(user.id));
}

#[tokio::test]
async fn identifiers_are_unique_in_the_pool() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    create(&management, username("ada").email("ada@example.com").phone("13800000000")).await;

    assert_eq!(api_code(management.users().create(username("ada")).send().await), 2034);
    let same_email = CreateUserInput::default().email("ADA@example.com");
    assert_eq!(api_code(management.users().create(same_email).send().await), 2026);
    let same_phone = CreateUserInput::default().phone("13800000000");
    assert_ne!(api_code(management.users().create(same_phone).send().await), 200);
    let nothing = CreateUserInput::default().password("only a password");
    assert_ne!(api_code(management.users().create(nothing).send().await), 200);
    assert_eq!(management.users().list().send().await.unwrap().total_count, 1, "nothing else was created");
}

#[tokio::test]
async fn numeric_dates_are_rejected() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let result = management.users().create(username("ada").last_login("1715239773186")).send().await;
    assert!(matches!(result, Err(AuthingError::Api(_))), "{result:?}");
}

#[tokio::test]
async fn update_changes_only_what_is_set() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = create(&management, username("ada").nickname("Ada").password("old-pw")).await;
    create(&management, username("grace")).await;

    let updated = management
        .users()
        .update(&ada.id, UpdateUserInput::default().nickname("Countess").city("London").password("new-pw"))
        .await
        .unwrap();
    assert_eq!(updated.id, ada.id);
    assert_eq!(updated.nickname.as_deref(), Some("Countess"));
    assert_eq!(updated.city.as_deref(), Some("London"));
    assert_eq!(updated.username.as_deref(), Some("ada"), "untouched fields stay");
    assert!(emulator.check_user_password(&ada.id, "new-pw"));

    let taken = management.users().update(&ada.id, UpdateUserInput::default().username("grace")).await;
    assert_eq!(api_code(taken), 2034);
    let unknown = management.users().update("000000000000000000000000", UpdateUserInput::default().nickname("x")).await;
    assert!(matches!(unknown, Err(AuthingError::Api(_))), "{unknown:?}");
}

#[tokio::test]
async fn detail_and_get_return_the_user_or_none() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = create(&management, username("ada").email("ada@example.com")).await;

    let got = management.users().get(&ada.id).await.unwrap().unwrap();
    assert_eq!((got.id.as_str(), got.email.as_deref()), (ada.id.as_str(), Some("ada@example.com")));
    assert!(got.custom_data.is_none());
    let detailed = management.users().detail(&ada.id).with_custom_data(true).send().await.unwrap().unwrap();
    assert_eq!(detailed.custom_data.map(|d| d.len()), Some(0));
    assert!(management.users().get("000000000000000000000000").await.unwrap().is_none());
    assert!(management.users().get("../../etc/passwd?x=1").await.unwrap().is_none(), "ids are path-encoded");
}

#[tokio::test]
async fn find_by_each_identifier() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada =
        create(&management, username("ada").email("ada@example.com").phone("13800000001").external_id("ext-ada")).await;
    let users = management.users();
    assert_eq!(users.find().username("ada").send().await.unwrap().map(|u| u.id), Some(ada.id.clone()));
    assert_eq!(users.find().email("ADA@example.com").send().await.unwrap().map(|u| u.id), Some(ada.id.clone()));
    assert_eq!(users.find().phone("13800000001").send().await.unwrap().map(|u| u.id), Some(ada.id.clone()));
    assert_eq!(users.find().external_id("ext-ada").send().await.unwrap().map(|u| u.id), Some(ada.id.clone()));
    assert!(users.find().username("nobody").send().await.unwrap().is_none());
}

#[tokio::test]
async fn list_is_newest_first_and_pages_past_the_end_are_empty() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    for name in ["first", "second", "third"] {
        create(&management, username(name)).await;
    }
    let page = management.users().list().limit(2).send().await.unwrap();
    let names: Vec<_> = page.items.iter().map(|u| u.username.clone().unwrap()).collect();
    assert_eq!(names, ["third", "second"]);
    assert_eq!((page.total_count, page.page, page.limit), (3, 1, 2));
    assert!(page.has_next());

    let oldest = management.users().list().sort_by(SortBy::CreatedAtAsc).limit(1).send().await.unwrap();
    assert_eq!(oldest.items[0].username.as_deref(), Some("first"));

    let past = management.users().list().page(3).limit(2).send().await.unwrap();
    assert!(past.items.is_empty());
    assert_eq!(past.total_count, 3);
    assert!(!past.has_next());
    assert!(past.next_page().await.unwrap().is_none());

    let second = page.next_page().await.unwrap().unwrap();
    assert_eq!(second.items.len(), 1);
    assert_eq!(second.items[0].username.as_deref(), Some("first"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_follow_every_page_once_and_keep_their_filters() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let creates = (0..250).map(|i| {
        let management = management.clone();
        tokio::spawn(async move { create(&management, username(&format!("stream-{i:03}"))).await.id })
    });
    let mut expected = HashSet::new();
    for created in creates {
        expected.insert(created.await.unwrap());
    }
    for i in 0..30 {
        create(&management, username(&format!("other-{i}"))).await;
    }

    let all: Vec<User> =
        management.users().list().limit(100).send().await.unwrap().into_stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 280);
    assert_eq!(all.iter().map(|u| &u.id).collect::<HashSet<_>>().len(), 280, "each user exactly once");

    let found: Vec<User> = management
        .users()
        .search("stream-")
        .limit(100)
        .send()
        .await
        .unwrap()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let found_ids: HashSet<String> = found.iter().map(|u| u.id.clone()).collect();
    assert_eq!(found.len(), 250, "the search filter is kept on every page");
    assert_eq!(found_ids, expected);
}

#[tokio::test]
async fn search_matches_names_and_honours_fields_and_filters() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = create(&management, username("ada").nickname("Countess Lovelace")).await;
    create(&management, username("grace").email("lovelace-fan@example.com")).await;

    let by_nickname = management.users().search("lovelace").send().await.unwrap();
    assert_eq!(by_nickname.total_count, 2);
    let only_nickname = management.users().search("lovelace").fields(["nickname"]).send().await.unwrap();
    assert_eq!(only_nickname.items.iter().map(|u| &u.id).collect::<Vec<_>>(), [&ada.id]);
    let in_missing_group = management.users().search("lovelace").group("no-such-group").send().await.unwrap();
    assert_eq!(in_missing_group.total_count, 0);
    let none = management.users().search("zzz").send().await.unwrap();
    assert!(none.items.is_empty());
}

#[tokio::test]
async fn batch_get_keeps_the_order_given() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let a = create(&management, username("a").email("a@example.com")).await;
    let b = create(&management, username("b").email("b@example.com")).await;
    let c = create(&management, username("c").email("c@example.com")).await;

    let users = management.users().batch_get([&c.id, &a.id, "unknown", &b.id].map(String::from)).send().await.unwrap();
    assert_eq!(users.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [&c.id, &a.id, &b.id]);
    let by_name = management.users().batch_get(["b", "a"]).by(BatchField::Username).send().await.unwrap();
    assert_eq!(by_name.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [&b.id, &a.id]);
    let by_email = management.users().batch_get(["c@example.com"]).by(BatchField::Email).send().await.unwrap();
    assert_eq!(by_email[0].id, c.id);
    let empty = management.users().batch_get(Vec::<String>::new()).send().await.unwrap();
    assert!(empty.is_empty());
}

#[tokio::test]
async fn deleted_users_move_to_the_archive() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = create(&management, username("ada")).await;
    let grace = create(&management, username("grace")).await;
    let linus = create(&management, username("linus")).await;

    let deleted = management.users().delete(&ada.id).await.unwrap();
    assert_eq!(deleted.and_then(|message| message.code), Some(200), "the server's own message");
    assert!(management.users().get(&ada.id).await.unwrap().is_none());
    assert_ne!(api_code(management.users().delete(&ada.id).await), 200, "deleting twice fails");

    let many = management.users().delete_many([grace.id.as_str(), linus.id.as_str(), "unknown"]).await.unwrap();
    assert!(many.is_some_and(|message| message.is_success()), "the server's own message");
    assert_eq!(management.users().list().send().await.unwrap().total_count, 0);

    let archived = management.users().list_archived_users().limit(10).send().await.unwrap();
    assert_eq!(archived.total_count, 3);
    assert_eq!(archived.items.last().map(|u| u.id.as_str()), Some(ada.id.as_str()), "most recently deleted first");
    create(&management, username("ada")).await;
}

#[tokio::test]
async fn exists_by_each_identifier() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    create(&management, username("ada").email("ada@example.com").phone("13800000002").external_id("e1")).await;
    let users = management.users();
    assert!(users.exists().username("ada").send().await.unwrap());
    assert!(users.exists().email("ADA@EXAMPLE.COM").send().await.unwrap());
    assert!(users.exists().phone("13800000002").send().await.unwrap());
    assert!(users.exists().external_id("e1").send().await.unwrap());
    assert!(!users.exists().username("grace").send().await.unwrap());
}

#[tokio::test]
async fn refreshed_tokens_are_accepted_until_kicked() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = create(&management, username("ada")).await;

    let token = management.users().refresh_token(&ada.id).await.unwrap();
    assert!(token.exp > token.iat);
    let status = token_status(&management, token.token.expose()).await;
    assert_eq!((status.code, status.status), (Some(200), Some(true)));
    assert_eq!(status.data.and_then(|d| d.id), Some(ada.id.clone()));

    management.users().kick([ada.id.as_str()]).await.unwrap();
    assert_eq!(token_status(&management, token.token.expose()).await.status, Some(false));
    assert_ne!(api_code(management.users().refresh_token("000000000000000000000000").await), 200);
}

#[tokio::test]
async fn logout_and_login_status_agree_with_issued_tokens() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = create(&management, username("ada")).await;
    assert!(!management.users().check_login_status(&ada.id).send().await.unwrap().is_login);

    let token = management.users().refresh_token(&ada.id).await.unwrap();
    let status = management.users().check_login_status(&ada.id).send().await.unwrap();
    assert!(status.is_login);
    assert_eq!(status.user.map(|u| u.id), Some(ada.id.clone()));

    management.users().logout(&ada.id).send().await.unwrap();
    assert_eq!(token_status(&management, token.token.expose()).await.status, Some(false));
    assert!(!management.users().check_login_status(&ada.id).send().await.unwrap().is_login);

    let unknown = management.users().check_login_status("000000000000000000000000").send().await;
    let Err(AuthingError::Api(api)) = unknown else { panic!("{unknown:?}") };
    assert_eq!((api.code, api.message.as_str()), (2004, "用户不存在"));
}

#[tokio::test]
async fn orgs_and_departments_of_a_user() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = create(&management, username("ada")).await;
    assert!(management.users().list_orgs(&ada.id).await.unwrap().is_empty());
    assert_ne!(api_code(management.users().list_orgs("000000000000000000000000").await), 200);
    assert_eq!(management.users().list_departments(&ada.id).await.unwrap().map(|d| d.len()), Some(0));
    assert!(management.users().list_departments("000000000000000000000000").await.unwrap().is_none());
}

#[tokio::test]
async fn user_actions_are_recorded_and_filtered() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = create(&management, username("ada")).await;
    management.users().update(&ada.id, UpdateUserInput::default().nickname("A")).await.unwrap();

    let all = management.users().list_user_actions().limit(50).send().await.unwrap();
    assert!(all.total_count >= 2, "{all:?}");
    let created = management.users().list_user_actions().operation_name("createUser").send().await.unwrap();
    assert_eq!(created.total_count, 1);
    assert_eq!(created.items[0].operation_name.as_deref(), Some("createUser"));
    let nothing = management.users().list_user_actions().operation_name("noSuchAction").send().await.unwrap();
    assert_eq!(nothing.total_count, 0);
}

#[tokio::test]
async fn first_login_verify_email_is_sent() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = create(&management, CreateUserInput::default().email("ada@example.com")).await;
    let sent = management.users().send_first_login_verify_email(&ada.id, emulator.app_id()).await.unwrap();
    assert_eq!((sent.code, sent.message.as_deref()), (Some(200), Some("发送成功")));
    let unknown = management.users().send_first_login_verify_email("000000000000000000000000", emulator.app_id()).await;
    assert_eq!(api_code(unknown), 2004);
}

#[tokio::test]
async fn custom_data_of_a_user_set_read_and_removed() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.udf().set(UdfTargetType::User, "school", UdfDataType::String, "School").send().await.unwrap();
    management.udf().set(UdfTargetType::User, "age", UdfDataType::Number, "Age").send().await.unwrap();
    let ada = create(&management, username("ada")).await;
    let grace = create(&management, username("grace")).await;
    let users = management.users();

    users.set_udf_value(&ada.id, [("school", "ucla".into()), ("age", 36.into())]).await.unwrap();
    let data = users.get_udf_value(&ada.id).await.unwrap();
    assert_eq!(data["school"].as_str(), Some("ucla"));
    assert_eq!(data["age"].as_i64(), Some(36));

    let listed = users.list_udv(&ada.id).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .any(|e| e.key == "age" && e.data_type == UdfDataType::Number && e.label.as_deref() == Some("Age"))
    );

    let after_set = users.set_udv(&grace.id, "age", 80.into()).await.unwrap();
    assert_eq!(after_set.len(), 1);
    let batch = users.get_udf_value_batch([ada.id.as_str(), grace.id.as_str()]).await.unwrap();
    assert_eq!(batch[&grace.id]["age"].as_i64(), Some(80));
    assert_eq!(batch[&ada.id].len(), 2);

    let values = [
        (ada.id.clone(), [("age".to_owned(), 37.into())].into()),
        (grace.id.clone(), [("school".to_owned(), "mit".into())].into()),
    ];
    users.set_udf_value_batch(values).await.unwrap();
    assert_eq!(users.get_udf_value(&ada.id).await.unwrap()["age"].as_i64(), Some(37));
    assert_eq!(users.get_udf_value(&grace.id).await.unwrap()["school"].as_str(), Some("mit"));

    users.remove_udf_value(&ada.id, "school").await.unwrap();
    let left = users.remove_udv(&ada.id, "age").await.unwrap();
    assert!(left.is_empty());
    assert!(users.get_udf_value(&ada.id).await.unwrap().is_empty());
    users.set_udf_value(&ada.id, Vec::<(String, _)>::new()).await.unwrap();
}

#[tokio::test]
async fn custom_data_is_type_checked_and_needs_a_defined_field() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.udf().set(UdfTargetType::User, "age", UdfDataType::Number, "Age").send().await.unwrap();
    management.udf().set(UdfTargetType::User, "vip", UdfDataType::Boolean, "VIP").send().await.unwrap();
    let ada = create(&management, username("ada")).await;
    let users = management.users();

    assert!(matches!(users.set_udf_value(&ada.id, [("age", "18".into())]).await, Err(AuthingError::Api(_))));
    assert!(matches!(users.set_udf_value(&ada.id, [("vip", "ok".into())]).await, Err(AuthingError::Api(_))));
    assert!(matches!(users.set_udf_value(&ada.id, [("undefined", 1.into())]).await, Err(AuthingError::Api(_))));
    let unknown_user = users.set_udf_value("000000000000000000000000", [("age", 1.into())]).await;
    assert!(matches!(unknown_user, Err(AuthingError::Api(_))), "{unknown_user:?}");
    assert!(users.get_udf_value(&ada.id).await.unwrap().is_empty(), "nothing was stored");
}

#[tokio::test]
async fn an_id_that_would_change_the_rest_route_is_refused_before_sending() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    for id in ["", ".", ".."] {
        let err = management.users().list_orgs(id).await.unwrap_err();
        assert!(matches!(err, AuthingError::Request { .. }), "{id:?}: {err:?}");
        assert_eq!(err.code(), None);
    }
    let err = management.users().list_orgs("a/../../users").await.unwrap_err();
    assert_eq!(err.code(), Some(authing::codes::USER_NOT_FOUND), "a slash stays inside the id: {err:?}");
}
