//! `management.groups()` and the user ↔ role/group links of `management.users()` against the emulator.

mod common;

use authing::models::{CreateUserInput, User};
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
async fn groups_are_created_found_updated_and_deleted() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let groups = management.groups();

    let readers = groups.create("readers", "Readers").description("They read").send().await.unwrap();
    assert_eq!((readers.code.as_str(), readers.name.as_str()), ("readers", "Readers"));
    assert_eq!(readers.description.as_deref(), Some("They read"));
    assert_ne!(refused(groups.create("readers", "Again").send().await), 200, "codes are unique");
    groups.create("writers", "Writers").send().await.unwrap();

    assert_eq!(groups.detail("readers").await.unwrap().map(|g| g.name), Some("Readers".to_owned()));
    assert!(groups.detail("ghosts").await.unwrap().is_none());

    let renamed = groups.update("readers").name("Bookworms").new_code("bookworms").send().await.unwrap();
    assert_eq!((renamed.code.as_str(), renamed.name.as_str()), ("bookworms", "Bookworms"));
    assert!(groups.detail("readers").await.unwrap().is_none());
    let described = groups.update("bookworms").description("Read a lot").send().await.unwrap();
    assert_eq!((described.name.as_str(), described.description.as_deref()), ("Bookworms", Some("Read a lot")));

    let page = groups.list().send().await.unwrap();
    assert_eq!(page.total_count, 2);
    assert_eq!(page.items.iter().map(|g| g.code.as_str()).collect::<Vec<_>>(), ["writers", "bookworms"]);

    assert!(groups.delete("writers").await.unwrap().is_success());
    groups.create("a", "A").send().await.unwrap();
    assert!(groups.delete_many(["a", "bookworms"]).await.unwrap().is_success());
    assert_eq!(groups.list().send().await.unwrap().total_count, 0);
}

#[tokio::test]
async fn members_of_a_group() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let groups = management.groups();
    groups.create("readers", "Readers").send().await.unwrap();
    let ada = user(&management, "ada").await;
    let grace = user(&management, "grace").await;

    groups.add_users("readers", [ada.id.as_str(), grace.id.as_str()]).await.unwrap();
    let members = groups.list_users("readers").with_custom_data(true).send().await.unwrap();
    assert_eq!(members.total_count, 2);
    assert!(members.items.iter().all(|u| u.custom_data.is_some()));

    assert!(groups.remove_users("readers", [grace.id.as_str()]).await.unwrap().is_success());
    assert!(groups.remove_users("readers", [grace.id.as_str()]).await.unwrap().is_success(), "not a member: still 200");
    let members = groups.list_users("readers").send().await.unwrap();
    assert_eq!(members.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [ada.id.as_str()]);

    assert_ne!(refused(groups.add_users("ghosts", [ada.id.as_str()]).await), 200);
    assert_ne!(refused(groups.add_users("readers", ["000000000000000000000000"]).await), 200);
    let nobody = groups.list_users("ghosts").send().await.unwrap();
    assert_eq!(nobody.total_count, 0);

    let searched = management.users().search("a").group("readers").send().await.unwrap();
    assert_eq!(searched.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [ada.id.as_str()]);

    groups.delete("readers").await.unwrap();
    assert_eq!(management.users().list_groups(&ada.id).await.unwrap().map(|g| g.len()), Some(0));
}

#[tokio::test]
async fn authorized_resources_of_a_group() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.groups().create("readers", "Readers").send().await.unwrap();
    let resources = management.groups().list_authorized_resources("readers").namespace("default").send().await;
    assert_eq!(resources.unwrap().map(|r| r.len()), Some(0));
    assert!(management.groups().list_authorized_resources("ghosts").send().await.unwrap().is_none());
}

#[tokio::test]
async fn a_users_groups() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.groups().create("readers", "Readers").send().await.unwrap();
    management.groups().create("writers", "Writers").send().await.unwrap();
    let ada = user(&management, "ada").await;
    let users = management.users();

    assert!(users.add_group(&ada.id, "readers").await.unwrap().is_success());
    users.add_group(&ada.id, "writers").await.unwrap();
    let mut codes: Vec<String> =
        users.list_groups(&ada.id).await.unwrap().unwrap().into_iter().map(|g| g.code).collect();
    codes.sort();
    assert_eq!(codes, ["readers", "writers"]);
    assert!(users.remove_group(&ada.id, "writers").await.unwrap().is_success());
    assert_eq!(users.list_groups(&ada.id).await.unwrap().unwrap().len(), 1);
    assert!(users.list_groups("000000000000000000000000").await.unwrap().is_none());
    assert_ne!(refused(users.add_group(&ada.id, "ghosts").await), 200);
}

#[tokio::test]
async fn a_users_roles_across_namespaces() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.roles().create("editor").send().await.unwrap();
    management.roles().create("admin").send().await.unwrap();
    management.roles().namespace("shop").create("editor").send().await.unwrap();
    let ada = user(&management, "ada").await;
    let users = management.users();

    users.add_roles(&ada.id, ["editor", "admin"]).send().await.unwrap();
    users.add_roles(&ada.id, ["editor"]).namespace("shop").send().await.unwrap();

    let all = users.list_roles(&ada.id).send().await.unwrap().unwrap();
    assert_eq!(all.len(), 3, "every namespace, not paginated");
    let shop = users.list_roles(&ada.id).namespace("shop").send().await.unwrap().unwrap();
    assert_eq!(shop.iter().map(|r| (r.namespace.as_str(), r.code.as_str())).collect::<Vec<_>>(), [("shop", "editor")]);

    assert!(users.has_role(&ada.id, "admin").send().await.unwrap());
    assert!(!users.has_role(&ada.id, "admin").namespace("shop").send().await.unwrap());
    assert!(users.has_role(&ada.id, "editor").namespace("shop").send().await.unwrap());

    users.remove_roles(&ada.id, ["admin"]).send().await.unwrap();
    assert!(!users.has_role(&ada.id, "admin").send().await.unwrap());
    users.remove_roles(&ada.id, ["editor"]).namespace("shop").send().await.unwrap();
    assert_eq!(users.list_roles(&ada.id).send().await.unwrap().unwrap().len(), 1);

    let searched = users.search("ada").role(None, "editor").send().await.unwrap();
    assert_eq!(searched.total_count, 1);
    assert_eq!(users.search("ada").role(Some("shop"), "editor").send().await.unwrap().total_count, 0);

    assert!(users.list_roles("000000000000000000000000").send().await.unwrap().is_none());
    assert!(!users.has_role("000000000000000000000000", "editor").send().await.unwrap());
    assert_ne!(refused(users.add_roles(&ada.id, ["ghost"]).send().await), 200);
}

#[tokio::test]
async fn deleting_a_user_removes_its_links() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.roles().create("editor").send().await.unwrap();
    management.groups().create("readers", "Readers").send().await.unwrap();
    let ada = user(&management, "ada").await;
    management.users().add_roles(&ada.id, ["editor"]).send().await.unwrap();
    management.users().add_group(&ada.id, "readers").await.unwrap();

    management.users().delete(&ada.id).await.unwrap();
    assert_eq!(management.roles().list_users("editor").send().await.unwrap().total_count, 0);
    assert_eq!(management.groups().list_users("readers").send().await.unwrap().total_count, 0);
}
