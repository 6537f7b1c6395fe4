//! `management.statistics()` against the emulator: the audit log of administrator actions (recorded as they
//! happen, with their result, filtered and paged), the user-action log, and the two counts of users.

mod common;

use authing::codes;
use authing::models::{CreateUserInput, UdfDataType, UdfTargetType, UdfValue, UpdateUserpoolInput};
use common::{authentication, management};
use futures::TryStreamExt as _;

const PASSWORD: &str = "Tr0ub4dor&3-Horse";

#[tokio::test]
async fn the_audit_log_records_administrator_actions_with_their_target_and_result() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let stats = management.statistics();
    assert_eq!(stats.list_audit_logs().send().await.unwrap().total_count, 0);

    let ada = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();
    let err = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap_err();
    let refused = err.code().unwrap();
    management.users().delete(&ada.id).await.unwrap();
    management.userpool().update(UpdateUserpoolInput::default().description("x")).await.unwrap();
    management.userpool().add_env("region", &"eu").await.unwrap();
    management.userpool().remove_env("region").await.unwrap();
    authentication(&emulator).register_by_email("eve@example.com", PASSWORD).send().await.unwrap();

    let all = stats.list_audit_logs().send().await.unwrap();
    let events: Vec<&str> = all.items.iter().map(|l| l.event_type.as_deref().unwrap()).collect();
    assert_eq!(
        events,
        ["removeEnv", "addEnv", "userpool:UpdateConfig", "deleteUser", "createUser", "createUser"],
        "newest first, end-user registration not audited"
    );
    let delete = &all.items[3];
    assert_eq!(delete.operation_param.as_deref(), Some(ada.id.as_str()));
    assert_eq!(delete.event_result_code, Some(200));
    assert_eq!(all.items[0].operation_param.as_deref(), Some("region"));
    assert_eq!(all.items[4].event_result_code, Some(refused), "the refused creation is logged with its code");
    assert_eq!(all.items[5].event_result_code, Some(200));
    assert!(all.items.iter().all(|l| l.client_ip.as_deref() == Some("127.0.0.1") && l.timestamp.is_some()));

    let created = stats.list_audit_logs().event_type("createUser").send().await.unwrap();
    assert_eq!(created.total_count, 2);
    let admin = all.items[0].user_id.clone().unwrap();
    assert_eq!(stats.list_audit_logs().user_id(&admin).send().await.unwrap().total_count, 6);
    assert_eq!(stats.list_audit_logs().user_id("someone-else").send().await.unwrap().total_count, 0);
    assert_eq!(stats.list_audit_logs().client_ip("10.0.0.1").send().await.unwrap().total_count, 0);
    assert_eq!(stats.list_audit_logs().start(u64::MAX / 2).send().await.unwrap().total_count, 0);
    assert_eq!(stats.list_audit_logs().end(0).send().await.unwrap().total_count, 0);
    assert_eq!(stats.list_audit_logs().app_id(emulator.app_id()).send().await.unwrap().total_count, 0);
}

#[tokio::test]
async fn audit_pages_follow_each_other_to_the_end_with_the_same_filter() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    for i in 0..5 {
        management.users().create(CreateUserInput::default().username(format!("u{i}"))).send().await.unwrap();
    }
    management.userpool().update(UpdateUserpoolInput::default().description("x")).await.unwrap();
    let first = management.statistics().list_audit_logs().event_type("createUser").limit(2).send().await.unwrap();
    assert_eq!((first.items.len(), first.total_count), (2, 5));
    let all: Vec<_> = first.into_stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 5);
    assert!(all.iter().all(|l| l.event_type.as_deref() == Some("createUser")));

    let err = management.statistics().list_audit_logs().limit(100_000).send().await.unwrap_err();
    assert_eq!(err.code(), Some(400), "{err:?}");
}

#[tokio::test]
async fn user_actions_are_the_same_list_as_the_users_module_reads() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let ada = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();
    management.users().refresh_token(&ada.id).await.unwrap();
    let here = management.statistics().list_user_actions().operation_name("createUser").send().await.unwrap();
    let there = management.users().list_user_actions().operation_name("createUser").send().await.unwrap();
    assert_eq!(here.total_count, 1);
    assert_eq!(here.total_count, there.total_count);
    assert_eq!(here.items[0].user_id.as_deref(), Some(ada.id.as_str()));
    assert_eq!(management.statistics().list_user_actions().send().await.unwrap().total_count, 2);
}

#[tokio::test]
async fn user_actions_filter_by_user_application_and_time() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let ada = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();
    let bob = management.users().create(CreateUserInput::default().username("bob")).send().await.unwrap();
    management.users().refresh_token(&ada.id).await.unwrap();
    let actions = || management.statistics().list_user_actions();

    let of_ada = actions().user_id(&ada.id).send().await.unwrap();
    assert_eq!(of_ada.total_count, 2);
    assert!(of_ada.items.iter().all(|a| a.user_id.as_deref() == Some(ada.id.as_str())));
    assert_eq!(actions().user_id(&bob.id).send().await.unwrap().total_count, 1);

    let in_app = actions().app_id(emulator.app_id()).send().await.unwrap();
    assert_eq!(in_app.total_count, 1);
    assert_eq!(in_app.items[0].operation_name.as_deref(), Some("refreshToken"));
    assert_eq!(actions().app_id("another-app").send().await.unwrap().total_count, 0);

    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    assert_eq!(actions().start(now - 3_600_000).send().await.unwrap().total_count, 3);
    assert_eq!(actions().start(now + 3_600_000).send().await.unwrap().total_count, 0);
    assert_eq!(actions().end(now - 3_600_000).send().await.unwrap().total_count, 0);
    assert_eq!(actions().user_id(&bob.id).end(now + 3_600_000).send().await.unwrap().total_count, 1);
}

#[tokio::test]
async fn the_application_login_count_counts_users_who_logged_in() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let stats = management.statistics();
    let app = authentication(&emulator);
    app.register_by_email("ada@example.com", PASSWORD).send().await.unwrap();
    assert_eq!(stats.get_application_login_user_num(emulator.app_id()).await.unwrap(), 0);
    app.login_by_email("ada@example.com", PASSWORD).send().await.unwrap();
    app.login_by_email("ada@example.com", PASSWORD).send().await.unwrap();
    app.register_by_email("bob@example.com", PASSWORD).force_login(true).send().await.unwrap();
    assert_eq!(stats.get_application_login_user_num(emulator.app_id()).await.unwrap(), 2);

    let err = stats.get_application_login_user_num("no-such-app").await.unwrap_err();
    assert_eq!(err.code(), Some(codes::APP_NOT_FOUND), "{err:?}");
}

#[tokio::test]
async fn the_custom_field_count_counts_users_with_a_value() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let stats = management.statistics();
    management.udf().set(UdfTargetType::User, "school", UdfDataType::String, "School").send().await.unwrap();
    assert_eq!(stats.get_udf_field_user_num("school", emulator.app_id()).await.unwrap(), 0);
    for name in ["ada", "bob", "carol"] {
        let user = management.users().create(CreateUserInput::default().username(name)).send().await.unwrap();
        if name != "carol" {
            management.users().set_udf_value(&user.id, [("school", UdfValue::from("ucla"))]).await.unwrap();
        }
    }
    assert_eq!(stats.get_udf_field_user_num("school", emulator.app_id()).await.unwrap(), 2);
    assert_eq!(stats.get_udf_field_user_num("other", emulator.app_id()).await.unwrap(), 0);
    let err = stats.get_udf_field_user_num("school", "no-such-app").await.unwrap_err();
    assert_eq!(err.code(), Some(codes::APP_NOT_FOUND), "{err:?}");
}
