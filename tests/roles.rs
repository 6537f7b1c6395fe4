//! `management.roles()` against the emulator.

mod common;

use authing::models::{CreateUserInput, CustomData, PolicyStatement, UdfDataType, UdfTargetType, User};
use authing::{AuthingError, ManagementClient};

async fn user(management: &ManagementClient, name: &str) -> User {
    management.users().create(CreateUserInput::default().username(name)).send().await.unwrap()
}

fn refused<T: std::fmt::Debug>(result: Result<T, AuthingError>) -> i64 {
    match result {
        Err(AuthingError::Api(api)) => api.code,
        other => panic!("expected Authing's refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn create_detail_and_list_in_namespaces() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let roles = management.roles();

    let admin = roles.create("admin").description("Runs the place").send().await.unwrap();
    assert_eq!((admin.code.as_str(), admin.namespace.as_str()), ("admin", "default"));
    assert_eq!(admin.description.as_deref(), Some("Runs the place"));
    assert!(admin.parent.is_none());
    let editor = roles.create("editor").parent("admin").send().await.unwrap();
    assert_eq!(editor.parent.as_ref().map(|p| p.code.as_str()), Some("admin"), "the parent is kept");

    assert_ne!(refused(roles.create("admin").send().await), 200, "a code is unique in its namespace");
    let shop_admin = roles.namespace("shop").create("admin").send().await.unwrap();
    assert_eq!(shop_admin.namespace, "shop", "the same code in another namespace is fine");
    assert_ne!(shop_admin.id, admin.id);

    let found = roles.detail("editor").await.unwrap().unwrap();
    assert_eq!(found.id, editor.id);
    assert_eq!(roles.find_by_code("admin").await.unwrap().map(|r| r.id), Some(admin.id.clone()));
    assert!(roles.detail("ghost").await.unwrap().is_none());
    assert!(roles.namespace("shop").detail("editor").await.unwrap().is_none());

    let page = roles.list().send().await.unwrap();
    assert_eq!(page.total_count, 2);
    assert_eq!(page.items.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["editor", "admin"], "newest first");
    assert_eq!(roles.namespace("shop").list().send().await.unwrap().total_count, 1);
    assert_ne!(refused(roles.create("orphan").parent("ghost").send().await), 200);
}

#[tokio::test]
async fn update_renames_and_describes() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let roles = management.roles();
    let original = roles.create("editor").send().await.unwrap();
    roles.create("author").send().await.unwrap();

    let described = roles.update("editor").description("Edits").send().await.unwrap();
    assert_eq!(described.description.as_deref(), Some("Edits"));
    let renamed = roles.update("editor").new_code("reviewer").send().await.unwrap();
    assert_eq!((renamed.code.as_str(), renamed.id.as_str()), ("reviewer", original.id.as_str()));
    assert!(roles.detail("editor").await.unwrap().is_none(), "the old code finds nothing");
    assert!(roles.detail("reviewer").await.unwrap().is_some());
    assert_ne!(refused(roles.update("reviewer").new_code("author").send().await), 200, "the new code is taken");
    assert_ne!(refused(roles.update("ghost").description("x").send().await), 200);
}

#[tokio::test]
async fn members_are_added_listed_removed_and_go_with_the_role() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let roles = management.roles();
    roles.create("editor").send().await.unwrap();
    let ada = user(&management, "ada").await;
    let grace = user(&management, "grace").await;

    let assigned = roles.add_users("editor", [ada.id.as_str(), grace.id.as_str()]).await.unwrap();
    assert!(assigned.is_some_and(|message| message.is_success()), "the server's own message");
    roles.add_users("editor", [ada.id.as_str()]).await.unwrap();
    let members = roles.list_users("editor").limit(1).send().await.unwrap();
    assert_eq!((members.total_count, members.items.len()), (2, 1), "counted once each, paged");
    let with_data = roles.list_users("editor").with_custom_data(true).send().await.unwrap();
    assert!(with_data.items.iter().all(|u| u.custom_data.is_some()));

    roles.remove_users("editor", [grace.id.as_str()]).await.unwrap();
    let members = roles.list_users("editor").send().await.unwrap();
    assert_eq!(members.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [ada.id.as_str()]);

    assert_ne!(refused(roles.add_users("editor", ["000000000000000000000000"]).await), 200, "unknown user");
    assert_ne!(refused(roles.add_users("ghost", [ada.id.as_str()]).await), 200, "unknown role");

    roles.delete("editor").await.unwrap();
    let ada_roles = management.users().list_roles(&ada.id).send().await.unwrap().unwrap();
    assert!(ada_roles.is_empty(), "deleting a role removes its memberships");
    let gone = roles.list_users("editor").send().await.unwrap();
    assert_eq!((gone.total_count, gone.items.len()), (0, 0), "a missing role lists nobody");
}

#[tokio::test]
async fn delete_many_removes_each() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let roles = management.roles();
    for code in ["a", "b", "c"] {
        roles.create(code).send().await.unwrap();
    }
    assert!(roles.delete_many(["a", "b"]).await.unwrap().is_success());
    let left = roles.list().send().await.unwrap();
    assert_eq!(left.items.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["c"]);
    assert!(roles.delete("c").await.unwrap().is_success());
    assert_eq!(roles.list().send().await.unwrap().total_count, 0);
}

#[tokio::test]
async fn policies_of_a_role() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let roles = management.roles();
    roles.create("editor").send().await.unwrap();
    for code in ["books-read", "books-write"] {
        management.policies().create(code, [PolicyStatement::new("books:*", ["books:read"])]).send().await.unwrap();
    }

    roles.add_policies("editor", ["books-read", "books-write"]).await.unwrap();
    let assigned = roles.list_policies("editor").send().await.unwrap();
    assert_eq!(assigned.total_count, 2);
    assert!(
        assigned
            .items
            .iter()
            .all(|a| a.target_identifier == "editor"
                && a.target_type == authing::models::PolicyAssignmentTargetType::Role)
    );

    roles.remove_policies("editor", ["books-write"]).await.unwrap();
    let assigned = roles.list_policies("editor").send().await.unwrap();
    assert_eq!(assigned.items.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), ["books-read"]);
    assert_ne!(refused(roles.add_policies("ghost", ["books-read"]).await), 200, "assignment to a missing role");
}

#[tokio::test]
async fn authorized_resources_of_a_role() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.roles().create("editor").send().await.unwrap();
    let resources = management
        .roles()
        .list_authorized_resources("editor")
        .resource_type(authing::models::ResourceType::Data)
        .send()
        .await
        .unwrap();
    assert_eq!(resources.map(|r| r.len()), Some(0));
    assert!(management.roles().list_authorized_resources("ghost").send().await.unwrap().is_none());
}

#[tokio::test]
async fn custom_data_of_roles() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.udf().set(UdfTargetType::Role, "level", UdfDataType::Number, "Level").send().await.unwrap();
    management.udf().set(UdfTargetType::Role, "team", UdfDataType::String, "Team").send().await.unwrap();
    let roles = management.roles();
    let editor = roles.create("editor").send().await.unwrap();
    let admin = roles.create("admin").send().await.unwrap();

    roles.set_udf_value(&editor.id, [("level", 2.into()), ("team", "books".into())]).await.unwrap();
    let data = roles.get_udf_value(&editor.id).await.unwrap();
    assert_eq!((data["level"].as_i64(), data["team"].as_str()), (Some(2), Some("books")));
    assert_eq!(
        roles.get_specific_udf_value(&editor.id, "team").await.unwrap().and_then(|v| v.as_str().map(String::from)),
        Some("books".into())
    );
    assert!(roles.get_specific_udf_value(&admin.id, "team").await.unwrap().is_none());

    let batch = CustomData::from([("level".to_owned(), 9.into())]);
    roles.set_udf_value_batch([(admin.id.clone(), batch)]).await.unwrap();
    let all = roles.get_udf_value_batch([editor.id.as_str(), admin.id.as_str()]).await.unwrap();
    assert_eq!(all[&admin.id]["level"].as_i64(), Some(9));
    assert_eq!(all[&editor.id].len(), 2);

    roles.remove_udf_value(&editor.id, "level").await.unwrap();
    assert_eq!(roles.get_udf_value(&editor.id).await.unwrap().keys().collect::<Vec<_>>(), ["team"]);
    let wrong = roles.set_udf_value(&editor.id, [("level", "high".into())]).await;
    assert!(matches!(wrong, Err(AuthingError::Api(_))), "{wrong:?}");
    let unknown = roles.set_udf_value("000000000000000000000000", [("level", 1.into())]).await;
    assert!(matches!(unknown, Err(AuthingError::Api(_))), "{unknown:?}");
}
