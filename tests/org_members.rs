//! `management.org()`: leaders, members and roles addressed by organization and node code, and clearing a main
//! department, against the emulator.

mod common;

use authing::models::{CreateUserInput, Org, OrgNode, User};
use authing::{AuthingError, ManagementClient};
use serde_json::json;

async fn user(management: &ManagementClient, name: &str) -> User {
    management.users().create(CreateUserInput::default().username(name)).send().await.unwrap()
}

fn refused<T: std::fmt::Debug>(result: Result<T, AuthingError>) -> i64 {
    match result {
        Err(AuthingError::Api(api)) => api.code,
        other => panic!("expected Authing's refusal, got {other:?}"),
    }
}

/// Acme (root) > Dev, and Acme > Sales.
async fn org(management: &ManagementClient) -> (Org, OrgNode, OrgNode) {
    let org = management.org().create("Acme").code("acme").send().await.unwrap();
    let dev = management.org().create_node(&org.id, "Development").code("dev").send().await.unwrap();
    let sales = management.org().create_node(&org.id, "Sales").code("sales").send().await.unwrap();
    (org, dev, sales)
}

fn ids(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.id.as_str()).collect()
}

#[tokio::test]
async fn the_leader_flag_reaches_the_server() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let (org, dev, _) = org(&management).await;
    let ada = user(&management, "ada").await;
    let bob = user(&management, "bob").await;

    let node = management.org().add_members(&dev.id, [ada.id.as_str()]).is_leader(true).send().await.unwrap();
    assert_eq!(node.id, dev.id);
    management.org().add_members_by_code(&org.id, "dev", [bob.id.as_str()]).send().await.unwrap();

    // The schema serves a member's leader flag nowhere; the emulator's state document shows what it stored.
    let members = &emulator.export()["orgs"][0]["root"]["children"][0]["members"];
    assert_eq!(
        *members,
        json!([{ "userId": ada.id, "main": false, "isLeader": true }, { "userId": bob.id, "main": false }]),
        "only the member added with is_leader(true) leads"
    );

    management.org().add_members_by_code(&org.id, "dev", [ada.id.as_str()]).is_leader(false).send().await.unwrap();
    let members = &emulator.export()["orgs"][0]["root"]["children"][0]["members"];
    assert_eq!(members[0], json!({ "userId": ada.id, "main": false }), "adding again sets the flag anew");
    assert_eq!(refused(management.org().add_members("ghost", [ada.id.as_str()]).is_leader(true).send().await), 2702);
}

#[tokio::test]
async fn members_by_organization_and_code() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();
    let (org, dev, sales) = org(&management).await;
    let ada = user(&management, "ada").await;
    let bob = user(&management, "bob").await;

    let node = org_api.add_members_by_code(&org.id, "dev", [ada.id.as_str(), bob.id.as_str()]).send().await.unwrap();
    assert_eq!(node.id, dev.id, "the node with that code answers");
    let members = org_api.list_members(&dev.id).send().await.unwrap();
    assert_eq!(members.total_count, 2);
    assert!(org_api.list_members(&sales.id).send().await.unwrap().items.is_empty(), "no other node changed");

    assert_eq!(refused(org_api.add_members_by_code(&org.id, "ghost", [ada.id.as_str()]).send().await), 2702);
    assert_eq!(refused(org_api.add_members_by_code("ghost", "dev", [ada.id.as_str()]).send().await), 2701);
    assert_eq!(refused(org_api.add_members_by_code(&org.id, "dev", ["ghost"]).send().await), 2004);
    let other = org_api.create("Other").send().await.unwrap();
    assert_eq!(
        refused(org_api.add_members_by_code(&other.id, "dev", [ada.id.as_str()]).send().await),
        2702,
        "codes belong to their organization"
    );

    let node = org_api.delete_members_by_code(&org.id, "dev", [bob.id.as_str()]).await.unwrap();
    assert_eq!(node.id, dev.id);
    let left = org_api.list_members(&dev.id).send().await.unwrap();
    assert_eq!(ids(&left.items), [ada.id.as_str()]);
    assert_eq!(refused(org_api.delete_members_by_code(&org.id, "ghost", [ada.id.as_str()]).await), 2702);
    assert_eq!(refused(org_api.delete_members_by_code("ghost", "dev", [ada.id.as_str()]).await), 2701);
    assert_eq!(org_api.list_members(&dev.id).send().await.unwrap().total_count, 1, "a refusal removes nobody");
}

#[tokio::test]
async fn node_roles_by_code_look_the_node_up_first() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();
    let (org, dev, sales) = org(&management).await;
    management.roles().create("engineer").send().await.unwrap();
    management.roles().namespace("shop").create("clerk").send().await.unwrap();

    let given = org_api.add_roles_by_code(&org.id, "dev", ["engineer"]).await.unwrap();
    assert!(given.unwrap().is_success());
    let roles = org_api.list_roles(&dev.id).await.unwrap().unwrap();
    assert_eq!(roles.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["engineer"]);
    assert_eq!(org_api.list_roles(&sales.id).await.unwrap().map(|r| r.len()), Some(0), "only the node coded dev");
    org_api.namespace("shop").add_roles_by_code(&org.id, "sales", ["clerk"]).await.unwrap();
    let shop_roles = org_api.namespace("shop").list_roles(&sales.id).await.unwrap().unwrap();
    assert_eq!(shop_roles.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["clerk"], "in the namespace");

    // An unknown code or organization: the lookup finds nothing and no role request is sent.
    for (org_id, code) in [(org.id.as_str(), "ghost"), ("ghost", "dev")] {
        match org_api.add_roles_by_code(org_id, code, ["engineer"]).await {
            Err(AuthingError::NotFound { what, key }) => {
                assert_eq!((what, key), ("organization node", format!("{org_id}/{code}")));
            }
            other => panic!("expected NotFound, got {other:?}"),
        }
        let err = org_api.remove_roles_by_code(org_id, code, ["engineer"]).await.unwrap_err();
        assert!(matches!(err, AuthingError::NotFound { .. }), "{err:?}");
        assert_eq!(err.code(), None, "Authing refused nothing");
        assert!(!err.is_retryable());
    }
    assert_eq!(org_api.list_roles(&dev.id).await.unwrap().map(|r| r.len()), Some(1), "still only engineer");

    // The role request's own refusal comes through.
    assert_eq!(refused(org_api.add_roles_by_code(&org.id, "dev", ["ghost"]).await), 2101);

    let taken = org_api.remove_roles_by_code(&org.id, "dev", ["engineer"]).await.unwrap();
    assert!(taken.unwrap().is_success());
    assert_eq!(org_api.list_roles_by_code(&org.id, "dev").await.unwrap().map(|r| r.len()), Some(0));
    assert_eq!(org_api.namespace("shop").list_roles(&sales.id).await.unwrap().map(|r| r.len()), Some(1));
}

#[tokio::test]
async fn clearing_a_main_department_keeps_the_membership() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();
    let (_, dev, sales) = org(&management).await;
    let ada = user(&management, "ada").await;
    org_api.add_members(&dev.id, [ada.id.as_str()]).send().await.unwrap();
    org_api.add_members(&sales.id, [ada.id.as_str()]).send().await.unwrap();
    org_api.set_main_department(&ada.id, &dev.id).await.unwrap();
    let before = management.users().detail(&ada.id).send().await.unwrap().unwrap();
    assert_eq!(before.main_department_code.as_deref(), Some("dev"));

    assert!(org_api.clear_main_department(&ada.id).await.unwrap().is_success());
    let after = management.users().detail(&ada.id).send().await.unwrap().unwrap();
    assert_eq!((after.main_department_id, after.main_department_code), (None, None));
    let departments = management.users().list_departments(&ada.id).await.unwrap().unwrap();
    assert_eq!(departments.len(), 2, "still a member of both");
    assert!(departments.iter().all(|d| !d.is_main_department));

    assert!(org_api.clear_main_department(&ada.id).await.unwrap().is_success(), "clearing twice is fine");
    assert_eq!(refused(org_api.clear_main_department("ghost").await), 2004);

    // A main department can be set again after clearing.
    org_api.set_main_department(&ada.id, &sales.id).await.unwrap();
    let again = management.users().detail(&ada.id).send().await.unwrap().unwrap();
    assert_eq!(again.main_department_id.as_deref(), Some(sales.id.as_str()));
}
