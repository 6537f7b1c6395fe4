//! The JS SDK's extra lookups against the emulator: users by REST batch and by filter, a user's tenants, a
//! role's members by search, a policy's assignments by target type; and the end user's legacy custom-data calls.

mod common;

use authing::codes;
use authing::management::{FilterOperator, UserFilter};
use authing::models::{
    BatchField, PolicyAssignmentTargetType, PolicyEffect, PolicyStatement, UdfDataType, UdfTargetType,
};
use authing_emulator::NewUser;
use common::{authentication, management};
use futures::TryStreamExt as _;

const PASSWORD: &str = "Tr0ub4dor&3-Horse";

#[tokio::test]
async fn batch_returns_users_in_the_order_asked_with_their_custom_data() {
    let emulator = common::emulator().await;
    let mgmt = management(&emulator);
    mgmt.udf().set(UdfTargetType::User, "team", UdfDataType::String, "Team").send().await.unwrap();
    let ada = emulator.add_user(NewUser::new().username("ada").email("ada@example.com")).unwrap();
    let grace = emulator.add_user(NewUser::new().username("grace")).unwrap();
    mgmt.users().set_udf_value(&ada, [("team", "ops".into())]).await.unwrap();

    let users = mgmt.users().batch([grace.as_str(), "nobody", ada.as_str()]).send().await.unwrap();
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, [grace.as_str(), ada.as_str()]);
    assert!(users[1].custom_data.is_none(), "not asked for");

    let by_name = mgmt.users().batch(["ada"]).by(BatchField::Username).with_custom_data(true).send().await.unwrap();
    assert_eq!(by_name[0].id, ada);
    assert_eq!(by_name[0].custom_data.as_ref().unwrap()["team"].as_str(), Some("ops"));
    let by_email = mgmt.users().batch(["ADA@example.com"]).by(BatchField::Email).send().await.unwrap();
    assert_eq!(by_email.len(), 1);
}

#[tokio::test]
async fn filter_keeps_the_users_passing_every_condition_page_by_page() {
    let emulator = common::emulator().await;
    let mgmt = management(&emulator);
    mgmt.udf().set(UdfTargetType::User, "team", UdfDataType::String, "Team").send().await.unwrap();
    let mut ops = Vec::new();
    for name in ["a", "b", "c"] {
        let id = emulator.add_user(NewUser::new().username(name)).unwrap();
        mgmt.users().set_udf_value(&id, [("team", "ops".into())]).await.unwrap();
        ops.push(id);
    }
    let dev = emulator.add_user(NewUser::new().username("d")).unwrap();
    mgmt.users().set_udf_value(&dev, [("team", "dev".into())]).await.unwrap();

    let in_ops = UserFilter::custom_field("team", FilterOperator::Eq, "ops");
    let page = mgmt.users().filter().condition(in_ops.clone()).limit(2).send().await.unwrap();
    assert_eq!(page.total_count, 3);
    assert_eq!(page.items.len(), 2);
    let all: Vec<_> = page.into_stream().try_collect().await.unwrap();
    let mut ids: Vec<String> = all.into_iter().map(|u| u.id).collect();
    ids.sort();
    ops.sort();
    assert_eq!(ids, ops);

    let not_ops = mgmt.users().filter().condition(UserFilter::custom_field("team", FilterOperator::Neq, "ops"));
    let not_ops = not_ops.send().await.unwrap();
    assert_eq!(not_ops.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [dev.as_str()]);

    let app_users = mgmt.users().filter().condition(UserFilter::application(emulator.app_id())).condition(in_ops);
    assert_eq!(app_users.send().await.unwrap().total_count, 3, "everyone may use the app by default");
    let other_app = mgmt.users().filter().condition(UserFilter::application("another-app")).send().await.unwrap();
    assert_eq!(other_app.total_count, 0);
}

#[tokio::test]
async fn tenants_of_a_user_and_of_nobody() {
    let emulator = common::emulator().await;
    let ada = emulator.add_user(NewUser::new().username("ada")).unwrap();
    let users = management(&emulator);
    assert!(users.users().get_user_tenants(&ada).await.unwrap().is_empty());
    let unknown = users.users().get_user_tenants("000000000000000000000000").await.unwrap_err();
    assert_eq!(unknown.code(), Some(codes::USER_NOT_FOUND));
}

#[tokio::test]
async fn find_users_of_a_role_by_search() {
    let emulator = common::emulator().await;
    let mgmt = management(&emulator);
    mgmt.roles().create("editor").send().await.unwrap();
    let ada = emulator.add_user(NewUser::new().username("ada").email("ada@example.com")).unwrap();
    let grace = emulator.add_user(NewUser::new().username("grace")).unwrap();
    emulator.add_user(NewUser::new().username("adam")).unwrap();
    mgmt.roles().add_users("editor", [ada.as_str(), grace.as_str()]).await.unwrap();

    let all = mgmt.roles().find_users("editor").send().await.unwrap();
    assert_eq!(all.total_count, 2);
    let found = mgmt.roles().find_users("editor").search("ada").send().await.unwrap();
    assert_eq!(found.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [ada.as_str()], "adam is no editor");
    let unknown = mgmt.roles().find_users("nobody").send().await.unwrap_err();
    assert_eq!(unknown.code(), Some(2101));
    let elsewhere = mgmt.roles().namespace("other").find_users("editor").send().await.unwrap_err();
    assert_eq!(elsewhere.code(), Some(2101), "roles live in their namespace");
}

#[tokio::test]
async fn policy_assignments_by_target_type() {
    let emulator = common::emulator().await;
    let mgmt = management(&emulator);
    let statement = PolicyStatement::new("books:*", ["books:read"]).effect(PolicyEffect::Allow);
    mgmt.policies().create("books", [statement]).send().await.unwrap();
    mgmt.roles().create("editor").send().await.unwrap();
    let ada = emulator.add_user(NewUser::new().username("ada")).unwrap();
    let policies = mgmt.policies();
    policies.add_assignments(["books"], PolicyAssignmentTargetType::User, [ada.as_str()]).send().await.unwrap();
    policies.add_assignments(["books"], PolicyAssignmentTargetType::Role, ["editor"]).send().await.unwrap();

    let acl = mgmt.acl();
    let to_users = acl.get_policies_assignments_condition("default", "books", PolicyAssignmentTargetType::User);
    let to_users = to_users.await.unwrap();
    assert_eq!(to_users.len(), 1);
    assert_eq!(to_users[0].target_identifier, ada);
    assert_eq!(to_users[0].target_type, PolicyAssignmentTargetType::User);
    let to_roles = acl.get_policies_assignments_condition("default", "books", PolicyAssignmentTargetType::Role);
    assert_eq!(to_roles.await.unwrap()[0].target_identifier, "editor");
    let to_groups = acl.get_policies_assignments_condition("default", "books", PolicyAssignmentTargetType::Group);
    assert!(to_groups.await.unwrap().is_empty());
    let unknown = acl.get_policies_assignments_condition("default", "nope", PolicyAssignmentTargetType::User).await;
    assert_eq!(unknown.unwrap_err().code(), Some(2121));
}

#[tokio::test]
#[allow(deprecated)]
async fn the_legacy_custom_data_calls_of_the_end_user_are_the_new_ones() {
    let emulator = common::emulator().await;
    let mgmt = management(&emulator);
    mgmt.udf().set(UdfTargetType::User, "school", UdfDataType::String, "School").send().await.unwrap();
    let app = authentication(&emulator);
    app.register_by_username("ada", PASSWORD).force_login(true).send().await.unwrap();
    app.set_udv("school", "ucla".into()).await.unwrap();
    assert_eq!(app.list_udv().await.unwrap()["school"].as_str(), Some("ucla"));
    assert_eq!(app.get_udf_value().await.unwrap()["school"].as_str(), Some("ucla"));
    app.remove_udv("school").await.unwrap();
    assert!(app.list_udv().await.unwrap().is_empty());
    let undefined = app.set_udv("nope", "x".into()).await.unwrap_err();
    assert_eq!(undefined.code(), Some(400));
}
