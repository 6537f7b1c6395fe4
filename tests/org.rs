//! `management.org()` against the emulator.

mod common;

use authing::models::{CreateUserInput, Org, OrgExport, OrgNode, SortBy, SyncProvider, User};
use authing::{AuthingError, ManagementClient};
use futures::TryStreamExt as _;

async fn user(management: &ManagementClient, name: &str) -> User {
    management.users().create(CreateUserInput::default().username(name)).send().await.unwrap()
}

fn refused<T: std::fmt::Debug>(result: Result<T, AuthingError>) -> i64 {
    match result {
        Err(AuthingError::Api(api)) => api.code,
        other => panic!("expected Authing's refusal, got {other:?}"),
    }
}

/// Acme (root) > Dev > Backend, and Acme > Sales.
struct Tree {
    org: Org,
    dev: OrgNode,
    backend: OrgNode,
    sales: OrgNode,
}

async fn tree(management: &ManagementClient) -> Tree {
    let org_api = management.org();
    let org = org_api.create("Acme").code("acme").description("The company").send().await.unwrap();
    let dev = org_api.create_node(&org.id, "Development").code("dev").send().await.unwrap();
    let backend = org_api.create_node(&org.id, "Backend").code("backend").parent(&dev.id).send().await.unwrap();
    let sales = org_api.create_node(&org.id, "Sales").code("sales").send().await.unwrap();
    Tree { org, dev, backend, sales }
}

#[tokio::test]
async fn create_find_list_and_delete_orgs() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();

    let acme = org_api.create("Acme").code("acme").description("The company").send().await.unwrap();
    assert_eq!(acme.nodes.len(), 1, "a new organization has only its root");
    assert_eq!(acme.root_node.root, Some(true));
    assert_eq!(acme.root_node.name, "Acme");
    assert_eq!(acme.root_node.code.as_deref(), Some("acme"));
    assert_eq!(acme.root_node.description.as_deref(), Some("The company"));
    let beta = org_api.create_org("Beta").tenant_id("tenant-1").send().await.unwrap();
    assert_eq!(beta.tenant_id.as_deref(), Some("tenant-1"));

    let found = org_api.find_by_id(&acme.id).await.unwrap();
    assert_eq!(found.root_node.id, acme.root_node.id);
    assert_eq!(refused(org_api.find_by_id("ghost").await), 2701);

    let page = org_api.list().limit(1).send().await.unwrap();
    assert_eq!(page.total_count, 2);
    assert_eq!(page.items[0].id, beta.id, "newest first");
    let all: Vec<Org> = page.into_stream().try_collect().await.unwrap();
    assert_eq!(all.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), [beta.id.as_str(), acme.id.as_str()]);
    let oldest = org_api.list().sort_by(SortBy::CreatedAtAsc).send().await.unwrap();
    assert_eq!(oldest.items[0].id, acme.id);

    let rest_page = org_api.get_all_orgs().limit(1).send().await.unwrap();
    assert_eq!(rest_page.total_count, 2);
    let rest_all: Vec<Org> = rest_page.into_stream().try_collect().await.unwrap();
    assert_eq!(rest_all.len(), 2);

    assert_eq!(org_api.get_org_by_tenant_id("tenant-1").await.unwrap().map(|o| o.id), Some(beta.id.clone()));
    assert!(org_api.get_org_by_tenant_id("tenant-2").await.unwrap().is_none());

    assert!(org_api.delete_by_id(&beta.id).await.unwrap().is_success());
    assert_eq!(refused(org_api.delete_by_id(&beta.id).await), 2701);
    assert_eq!(org_api.list().send().await.unwrap().total_count, 1);
}

#[tokio::test]
async fn nodes_form_a_tree() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();
    let Tree { org, dev, backend, sales } = tree(&management).await;

    assert_eq!(backend.depth, Some(2));
    assert_eq!(backend.path, [org.root_node.id.clone(), dev.id.clone(), backend.id.clone()]);
    assert_eq!(backend.code_path, ["acme", "dev", "backend"]);
    assert_eq!(backend.name_path, ["Acme", "Development", "Backend"]);

    let whole = org_api.find_by_id(&org.id).await.unwrap();
    assert_eq!(whole.nodes.len(), 4);
    assert_eq!(whole.nodes.iter().filter(|n| n.root == Some(true)).count(), 1);
    let tree = whole.tree();
    assert_eq!(tree.children.len(), 2);
    assert_eq!(whole.node(&dev.id).unwrap().children, std::slice::from_ref(&backend.id));

    // addNode answers with the whole organization; `order` puts a node first among its siblings.
    let with_hr = org_api.add_node(&org.id, "HR").code("hr").order(10).description("People").send().await.unwrap();
    assert_eq!(with_hr.id, org.id);
    assert_eq!(with_hr.nodes.len(), 5);
    let hr = with_hr.nodes.iter().find(|n| n.code.as_deref() == Some("hr")).unwrap();
    assert_eq!(with_hr.root_node.children[0], hr.id, "a larger order sorts first");

    assert_eq!(org_api.get_node_by_id(&dev.id).await.unwrap().map(|n| n.name), Some("Development".to_owned()));
    assert!(org_api.get_node_by_id("ghost").await.unwrap().is_none());
    assert_eq!(org_api.get_node_by_code(&org.id, "sales").await.unwrap().map(|n| n.id), Some(sales.id.clone()));
    assert!(org_api.get_node_by_code(&org.id, "ghost").await.unwrap().is_none());

    let renamed = org_api.update_node(&dev.id).name("Engineering").send().await.unwrap();
    assert_eq!((renamed.name.as_str(), renamed.code.as_deref()), ("Engineering", Some("dev")), "only the name");
    let recoded = org_api.update_node(&dev.id).code("eng").description("Builds").send().await.unwrap();
    assert_eq!(recoded.code.as_deref(), Some("eng"));
    assert_eq!(recoded.description.as_deref(), Some("Builds"));
    assert_eq!(refused(org_api.update_node(&dev.id).code("sales").send().await), 2704, "codes are unique");
    assert_eq!(refused(org_api.update_node("ghost").name("x").send().await), 2702);

    assert_eq!(org_api.is_root_node(&org.id, &org.root_node.id).await.unwrap(), Some(true));
    assert_eq!(org_api.is_root_node(&org.id, &dev.id).await.unwrap(), Some(false));
    assert_eq!(org_api.root_node(&org.id).await.unwrap().id, org.root_node.id);
    assert_eq!(refused(org_api.root_node("ghost").await), 2701);

    let children = org_api.list_children(&dev.id).await.unwrap();
    assert_eq!(children.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), [backend.id.as_str()]);
    assert_eq!(children[0].depth, Some(1), "depth counts from the queried node");
    assert_eq!(org_api.list_children(&org.root_node.id).await.unwrap().len(), 3, "direct children only");
    assert_eq!(refused(org_api.list_children("ghost").await), 2702);

    let found = org_api.search_nodes("end").await.unwrap();
    assert_eq!(found.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), [backend.id.as_str()]);
    assert!(org_api.search_nodes("nothing like it").await.unwrap().is_empty());

    // Errors a user can hit.
    assert_eq!(refused(org_api.create_node(&org.id, "Dup").code("sales").send().await), 2704);
    assert_eq!(refused(org_api.create_node("ghost", "X").send().await), 2701);
    assert_eq!(refused(org_api.create_node(&org.id, "X").parent("ghost").send().await), 2702);
    let other = org_api.create("Other").send().await.unwrap();
    assert_eq!(
        refused(org_api.create_node(&org.id, "X").parent(&other.root_node.id).send().await),
        2702,
        "a parent of another organization"
    );
}

#[tokio::test]
async fn moving_and_deleting_take_the_subtree() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();
    let Tree { org, dev, backend, sales } = tree(&management).await;

    assert_eq!(refused(org_api.move_node(&org.id, &dev.id, &backend.id).await), 2703, "under its descendant");
    assert_eq!(refused(org_api.move_node(&org.id, &dev.id, &dev.id).await), 2703, "under itself");
    assert_eq!(refused(org_api.move_node(&org.id, &org.root_node.id, &sales.id).await), 2703, "the root");
    assert_eq!(refused(org_api.move_node(&org.id, &dev.id, "ghost").await), 2702);

    let moved = org_api.move_node(&org.id, &dev.id, &sales.id).await.unwrap();
    let backend_now = moved.node(&backend.id).unwrap();
    assert_eq!(backend_now.path, [org.root_node.id.clone(), sales.id.clone(), dev.id.clone(), backend.id.clone()]);
    assert_eq!(backend_now.depth, Some(3));
    assert_eq!(moved.node(&sales.id).unwrap().children, std::slice::from_ref(&dev.id));
    assert!(!moved.root_node.children.contains(&dev.id));

    assert_eq!(refused(org_api.delete_node(&org.id, &org.root_node.id).await), 2705);
    assert!(org_api.delete_node(&org.id, &sales.id).await.unwrap().is_success());
    assert!(org_api.get_node_by_id(&backend.id).await.unwrap().is_none(), "the subtree goes too");
    assert_eq!(org_api.find_by_id(&org.id).await.unwrap().nodes.len(), 1);
    assert_eq!(refused(org_api.delete_node(&org.id, &sales.id).await), 2702);
}

#[tokio::test]
async fn members_and_main_departments() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();
    let Tree { org, dev, backend, sales } = tree(&management).await;
    let ada = user(&management, "ada").await;
    let bob = user(&management, "bob").await;
    let cyd = user(&management, "cyd").await;

    let node = org_api.add_members(&dev.id, [ada.id.as_str()]).send().await.unwrap();
    assert_eq!(node.id, dev.id);
    org_api.add_members(&backend.id, [bob.id.as_str(), cyd.id.as_str()]).send().await.unwrap();
    assert_eq!(refused(org_api.add_members(&dev.id, ["ghost"]).send().await), 2004);
    assert_eq!(refused(org_api.add_members("ghost", [ada.id.as_str()]).send().await), 2702);

    let all = org_api.list_members(&dev.id).send().await.unwrap();
    assert_eq!(all.total_count, 3, "the members of descendants count by default");
    assert_eq!(all.items[0].id, cyd.id, "newest first");
    let direct = org_api.list_members(&dev.id).include_children_nodes(false).send().await.unwrap();
    assert_eq!(direct.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [ada.id.as_str()]);
    let paged: Vec<User> =
        org_api.list_members(&dev.id).limit(1).send().await.unwrap().into_stream().try_collect().await.unwrap();
    assert_eq!(paged.len(), 3);
    let oldest = org_api.list_members(&backend.id).sort_by(SortBy::CreatedAtAsc).send().await.unwrap();
    assert_eq!(oldest.items[0].id, bob.id);
    assert_eq!(org_api.list_members("ghost").send().await.unwrap().total_count, 0);

    // Custom data comes along when asked for.
    use authing::models::{UdfDataType, UdfTargetType};
    management.udf().set(UdfTargetType::User, "level", UdfDataType::Number, "Level").send().await.unwrap();
    management.users().set_udf_value(&ada.id, [("level", 3.into())]).await.unwrap();
    let with_data =
        org_api.list_members(&dev.id).include_children_nodes(false).with_custom_data(true).send().await.unwrap();
    assert_eq!(with_data.items[0].custom_data.as_ref().and_then(|d| d["level"].as_i64()), Some(3));

    // Main department.
    assert!(org_api.set_main_department(&ada.id, &dev.id).await.unwrap().is_success());
    let ada_now = management.users().detail(&ada.id).send().await.unwrap().unwrap();
    assert_eq!(ada_now.main_department_id.as_deref(), Some(dev.id.as_str()));
    assert_eq!(ada_now.main_department_code.as_deref(), Some("dev"));
    assert_eq!(refused(org_api.set_main_department(&ada.id, &sales.id).await), 2706, "not a member");
    assert_eq!(refused(org_api.set_main_department("ghost", &dev.id).await), 2004);
    let departments = management.users().list_departments(&ada.id).await.unwrap().unwrap();
    assert_eq!(departments.len(), 1);
    assert!(departments[0].is_main_department);
    assert_eq!(departments[0].department.id, dev.id);

    // Moving members: the main department moves with them.
    let moved = org_api.move_members([ada.id.as_str()], &sales.id, &dev.id).await.unwrap().unwrap();
    assert!(moved.is_success());
    let departments = management.users().list_departments(&ada.id).await.unwrap().unwrap();
    assert_eq!(departments.iter().map(|d| d.department.id.as_str()).collect::<Vec<_>>(), [sales.id.as_str()]);
    assert!(departments[0].is_main_department);
    assert_eq!(refused(org_api.move_members([ada.id.as_str()], "ghost", &sales.id).await), 2702);

    // Removing members.
    let node = org_api.delete_members(&backend.id, [bob.id.as_str()]).await.unwrap();
    assert_eq!(node.id, backend.id);
    let left = org_api.list_members(&backend.id).send().await.unwrap();
    assert_eq!(left.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [cyd.id.as_str()]);

    // Deleting a user removes its memberships.
    management.users().delete(&cyd.id).await.unwrap();
    assert_eq!(org_api.list_members(&backend.id).send().await.unwrap().total_count, 0);
    let _ = org;
}

#[tokio::test]
async fn a_user_sees_its_organizations_and_departments() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let Tree { org, dev, backend, .. } = tree(&management).await;
    let ada = management
        .users()
        .create(CreateUserInput::default().username("ada").password("s3cret-pass"))
        .send()
        .await
        .unwrap();
    assert!(management.users().list_orgs(&ada.id).await.unwrap().is_empty());
    management.org().add_members(&backend.id, [ada.id.as_str()]).send().await.unwrap();
    management.org().set_main_department(&ada.id, &backend.id).await.unwrap();

    let paths = management.users().list_orgs(&ada.id).await.unwrap();
    assert_eq!(paths.len(), 1);
    let ids: Vec<&str> = paths[0].nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, [org.root_node.id.as_str(), dev.id.as_str(), backend.id.as_str()], "root first");
    assert_eq!(refused(management.users().list_orgs("ghost").await), 2004);

    let auth = common::authentication(&emulator);
    auth.login_by_username("ada", "s3cret-pass").send().await.unwrap();
    let me = auth;
    let my_paths = me.list_orgs().await.unwrap();
    assert_eq!(my_paths[0].nodes.last().map(|n| n.id.as_str()), Some(backend.id.as_str()));
    let mine = me.list_departments().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].department.code.as_deref(), Some("backend"));
    assert!(mine[0].is_main_department);
}

#[tokio::test]
async fn node_roles_and_resources() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();
    let Tree { org, dev, backend, .. } = tree(&management).await;
    management.roles().create("engineer").send().await.unwrap();
    management.roles().create("lead").send().await.unwrap();

    assert!(org_api.add_roles(&dev.id, ["engineer"]).await.unwrap().unwrap().is_success());
    org_api.add_roles(&backend.id, ["engineer", "lead"]).await.unwrap();
    let roles = org_api.list_roles(&backend.id).await.unwrap().unwrap();
    let mut codes: Vec<&str> = roles.iter().map(|r| r.code.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["engineer", "lead"], "the node's and its ancestors', each once");
    assert_eq!(org_api.list_roles_by_code(&org.id, "dev").await.unwrap().unwrap().len(), 1);
    assert!(org_api.list_roles("ghost").await.unwrap().is_none());
    assert!(org_api.list_roles_by_code(&org.id, "ghost").await.unwrap().is_none());
    assert_eq!(refused(org_api.add_roles(&dev.id, ["ghost"]).await), 2101);
    assert_eq!(refused(org_api.add_roles("ghost", ["engineer"]).await), 2702);

    org_api.remove_roles(&dev.id, ["engineer"]).await.unwrap();
    org_api.remove_roles(&backend.id, ["engineer", "lead"]).await.unwrap();
    assert_eq!(org_api.list_roles(&backend.id).await.unwrap().unwrap().len(), 0);

    // Resources granted to a node.
    use authing::models::{GrantTarget, PolicyAssignmentTargetType, ResourceType};
    let acl = management.acl();
    acl.create_namespace("shop", "Shop").send().await.unwrap();
    let grant = GrantTarget::new(PolicyAssignmentTargetType::Org, &dev.id).actions(["books:read"]);
    acl.authorize_resource("default", "books:*", [grant]).await.unwrap();
    let resources = org_api.list_authorized_resources(&dev.id).send().await.unwrap().unwrap();
    assert_eq!(resources.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["books:*"]);
    let by_code = org_api.list_authorized_resources_by_code(&org.id, "dev").send().await.unwrap().unwrap();
    assert_eq!(by_code.len(), 1);
    let typed = org_api.list_authorized_resources(&dev.id).resource_type(ResourceType::Api).send().await.unwrap();
    assert_eq!(typed.map(|r| r.len()), Some(0));
    assert_eq!(
        org_api.namespace("shop").list_authorized_resources(&dev.id).send().await.unwrap().map(|r| r.len()),
        Some(0)
    );
    assert!(org_api.list_authorized_resources("ghost").send().await.unwrap().is_none());
    assert!(org_api.list_authorized_resources_by_code(&org.id, "ghost").send().await.unwrap().is_none());
}

#[tokio::test]
async fn import_export_and_sync() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();

    let file = OrgExport::new("Acme")
        .code("acme")
        .child(OrgExport::new("Sales").code("sales").order(1))
        .child(OrgExport::new("Dev").code("dev").order(2).child(OrgExport::new("Backend").code("backend")));
    let org = org_api.import_by_json(&file).await.unwrap();
    assert_eq!(org.nodes.len(), 4);
    let read = org_api.find_by_id(&org.id).await.unwrap();
    let tree = read.tree();
    assert_eq!(tree.children.iter().map(|c| c.node.name.as_str()).collect::<Vec<_>>(), ["Dev", "Sales"]);

    let exported = org_api.export_by_org_id(&org.id).await.unwrap();
    let mut expected = file.clone();
    expected.children.reverse();
    assert_eq!(exported, expected, "the export is the tree imported, siblings in their order");
    assert_eq!(org_api.export_all().await.unwrap(), [expected]);
    assert_eq!(refused(org_api.export_by_org_id("ghost").await), 2701);

    let duplicate = OrgExport::new("Bad").child(OrgExport::new("A").code("x")).child(OrgExport::new("B").code("x"));
    assert_eq!(refused(org_api.import_by_json(&duplicate).await), 2704);
    assert_eq!(refused(org_api.import_by_json(&OrgExport::new(" ")).await), 400);
    assert_eq!(org_api.list().send().await.unwrap().total_count, 1, "a refused import creates nothing");

    let err = org_api.start_sync(SyncProvider::DingTalk, None).await.unwrap_err();
    assert_eq!(err.code(), Some(2707));
    assert_eq!(err.message(), "你还没有配置钉钉通讯录");
    assert_eq!(refused(org_api.start_sync(SyncProvider::WechatWork, None).await), 2707);
    assert_eq!(refused(org_api.start_sync(SyncProvider::Ad, Some("connector")).await), 2707);
}

#[tokio::test]
async fn application_access_follows_departments() {
    use authing::models::{DefaultStrategy, PolicyAssignmentTargetType};
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let Tree { org, backend, .. } = tree(&management).await;
    let ada = management
        .users()
        .create(CreateUserInput::default().username("ada").password("s3cret-pass"))
        .send()
        .await
        .unwrap();
    let auth = common::authentication(&emulator);
    auth.login_by_username("ada", "s3cret-pass").send().await.unwrap();
    let (acl, app) = (management.acl(), emulator.app_id());
    acl.update_default_application_access_policy(app, DefaultStrategy::DenyAll).await.unwrap();
    acl.allow_access_application(app, PolicyAssignmentTargetType::Org, [org.root_node.id.as_str()])
        .send()
        .await
        .unwrap();
    assert_eq!(auth.list_applications().send().await.unwrap().total_count, 0, "not in the organization yet");
    management.org().add_members(&backend.id, [ada.id.as_str()]).send().await.unwrap();
    assert_eq!(auth.list_applications().send().await.unwrap().total_count, 1, "the root's policy reaches Backend");
}

#[tokio::test]
async fn nodes_keep_their_translations() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org = management.org().create("Acme").send().await.unwrap();
    let node = management
        .org()
        .create_node(&org.id, "Sales")
        .name_i18n(r#"{"en":"Sales"}"#)
        .description_i18n(r#"{"en":"Sells"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(node.name_i18n.as_deref(), Some(r#"{"en":"Sales"}"#));
    assert_eq!(node.description_i18n.as_deref(), Some(r#"{"en":"Sells"}"#));
    let exported = management.org().export_by_org_id(&org.id).await.unwrap();
    assert_eq!(exported.children[0].name_i18n.as_ref().map(|m| m["en"].as_str()), Some("Sales"));
}

#[tokio::test]
async fn searching_users_by_department() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let Tree { dev, backend, sales, .. } = tree(&management).await;
    let ada = user(&management, "ada").await;
    let bob = user(&management, "bob").await;
    management.org().add_members(&backend.id, [ada.id.as_str()]).send().await.unwrap();
    management.org().add_members(&sales.id, [bob.id.as_str()]).send().await.unwrap();

    let ids = |page: authing::Page<User>| page.items.into_iter().map(|u| u.id).collect::<Vec<_>>();
    let direct = management.users().search("").department(&dev.id, false).send().await.unwrap();
    assert!(direct.items.is_empty(), "nobody is directly in Development");
    let below = management.users().search("").department(&dev.id, true).send().await.unwrap();
    assert_eq!(ids(below), std::slice::from_ref(&ada.id));
    let in_sales = management.users().search("").department(&sales.id, false).send().await.unwrap();
    assert_eq!(ids(in_sales), std::slice::from_ref(&bob.id));
}
