//! `management.policies()` and a user's policies against the emulator.

mod common;

use authing::models::{
    CreateUserInput, PolicyAssignmentTargetType as Target, PolicyCondition, PolicyEffect, PolicyStatement,
};
use authing::{AuthingError, ManagementClient};
use serde_json::json;

fn refused<T: std::fmt::Debug>(result: Result<T, AuthingError>) -> i64 {
    match result {
        Err(AuthingError::Api(api)) => api.code,
        other => panic!("expected Authing's refusal, got {other:?}"),
    }
}

fn read_books() -> PolicyStatement {
    PolicyStatement::new("books:*", ["books:read", "books:list"]).effect(PolicyEffect::Allow)
}

async fn books_policy(management: &ManagementClient) {
    management.policies().create("books", [read_books()]).send().await.unwrap();
}

#[tokio::test]
async fn policies_keep_their_statements_and_conditions() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let conditional = PolicyStatement::new("orders:*", ["orders:cancel"])
        .effect(PolicyEffect::Deny)
        .condition(PolicyCondition::new("AppId", "StringEquals", json!("app-1")));
    let policy = management
        .policies()
        .create("mixed", [read_books(), conditional.clone()])
        .description("Two statements")
        .send()
        .await
        .unwrap();
    assert_eq!((policy.code.as_str(), policy.namespace.as_str()), ("mixed", "default"));
    assert_eq!(policy.description.as_deref(), Some("Two statements"));
    assert!(!policy.is_default);
    assert_eq!(policy.statements.len(), 2);
    assert_eq!(policy.statements[0].resource, "books:*");
    assert_eq!(policy.statements[0].effect, Some(PolicyEffect::Allow));
    assert!(policy.statements[0].condition.as_ref().is_none_or(Vec::is_empty));
    assert_eq!(policy.statements[1], conditional, "conditions come back as sent");

    let found = management.policies().detail("mixed").await.unwrap().unwrap();
    assert_eq!(found.statements, policy.statements);
    assert!(management.policies().detail("nothing").await.unwrap().is_none());
    assert_ne!(refused(management.policies().create("mixed", [read_books()]).send().await), 200);
}

#[tokio::test]
async fn list_includes_the_built_in_policy_which_cannot_change() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    books_policy(&management).await;
    let page = management.policies().list().limit(50).send().await.unwrap();
    assert!(page.items.iter().any(|p| p.code == "AdministratorAccess" && p.is_default));
    assert!(page.items.iter().any(|p| p.code == "books" && !p.is_default));
    let result = management.policies().update("AdministratorAccess").description("mine now").send().await;
    assert_ne!(refused(result), 200);
}

#[tokio::test]
async fn update_and_rename() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    books_policy(&management).await;
    let updated = management
        .policies()
        .update("books")
        .statements([PolicyStatement::new("books:1", ["books:edit"])])
        .description("Edit one book")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.statements.iter().map(|s| s.resource.as_str()).collect::<Vec<_>>(), ["books:1"]);
    assert_eq!(updated.description.as_deref(), Some("Edit one book"));
    let renamed = management.policies().update("books").new_code("book-editing").send().await.unwrap();
    assert_eq!(renamed.code, "book-editing");
    assert!(management.policies().detail("books").await.unwrap().is_none());
}

#[tokio::test]
async fn delete_and_delete_many() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    for code in ["a", "b", "c"] {
        management.policies().create(code, [read_books()]).send().await.unwrap();
    }
    assert!(management.policies().delete("a").await.unwrap().is_success());
    assert!(management.policies().delete_many(["b", "c"]).await.unwrap().is_success());
    let page = management.policies().list().limit(50).send().await.unwrap();
    assert!(page.items.iter().all(|p| p.is_default), "{page:?}");
}

#[tokio::test]
async fn assignments_to_users_roles_and_groups() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    books_policy(&management).await;
    let ada = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();
    management.roles().create("reader").send().await.unwrap();
    management.groups().create("club", "Book club").send().await.unwrap();
    let policies = management.policies();

    policies.add_assignments(["books"], Target::User, [ada.id.as_str()]).send().await.unwrap();
    policies.add_assignments(["books"], Target::Role, ["reader"]).send().await.unwrap();
    policies.add_assignments(["books"], Target::Group, ["club"]).send().await.unwrap();
    policies.add_assignments(["books"], Target::Org, ["node-1"]).inherit_by_children(true).send().await.unwrap();

    let all = policies.list_assignments("books").send().await.unwrap();
    assert_eq!(all.total_count, 4);
    assert_eq!(policies.detail("books").await.unwrap().unwrap().assignments_count, 4);
    let of_ada = management.users().list_policies(&ada.id).send().await.unwrap();
    assert_eq!(of_ada.items.len(), 1);
    assert_eq!(
        (of_ada.items[0].target_type.clone(), of_ada.items[0].target_identifier.as_str()),
        (Target::User, ada.id.as_str())
    );

    assert!(policies.disable_assignment("books", Target::Role, "reader").await.unwrap().is_success());
    assert!(policies.enable_assignment("books", Target::Role, "reader").await.unwrap().is_success());

    policies.remove_assignments(["books"], Target::Group, ["club"]).await.unwrap();
    assert_eq!(policies.list_assignments("books").send().await.unwrap().total_count, 3);

    assert_ne!(
        refused(policies.add_assignments(["books"], Target::User, ["000000000000000000000000"]).send().await),
        200
    );
    assert_ne!(refused(policies.add_assignments(["books"], Target::Role, ["ghost"]).send().await), 200);
    assert_ne!(refused(policies.add_assignments(["nothing"], Target::Role, ["reader"]).send().await), 200);
}

#[tokio::test]
async fn a_users_policies() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    books_policy(&management).await;
    management.policies().create("music", [PolicyStatement::new("songs:*", ["songs:play"])]).send().await.unwrap();
    let ada = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();
    let users = management.users();

    assert!(users.add_policies(&ada.id, ["books", "music"]).await.unwrap().is_success());
    let assigned = users.list_policies(&ada.id).limit(1).send().await.unwrap();
    assert_eq!((assigned.total_count, assigned.items.len()), (2, 1));
    users.remove_policies(&ada.id, ["music"]).await.unwrap();
    let assigned = users.list_policies(&ada.id).send().await.unwrap();
    assert_eq!(assigned.items.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), ["books"]);
    assert_ne!(refused(users.add_policies("000000000000000000000000", ["books"]).await), 200, "a missing user");
}
