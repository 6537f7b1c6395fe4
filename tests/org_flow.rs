//! One organization from end to end: a three-level tree, members and a main department, a resource granted to a
//! node and a role given to a node reaching the members below it, a move that takes the permissions along, and
//! an export imported into a fresh pool.

mod common;

use authing::ManagementClient;
use authing::models::{
    CreateUserInput, GrantTarget, OrgExport, OrgTree, PolicyAssignmentTargetType as Target, ResourceAction,
    ResourceType,
};

const NS: &str = "library";

async fn allowed(management: &ManagementClient, user: &str, action: &str) -> bool {
    management.acl().is_allowed(user, "books:1", action).namespace(NS).send().await.unwrap()
}

/// The names of a tree, depth-first: `Name(child, child)`.
fn shape(tree: &OrgTree) -> String {
    let children: Vec<String> = tree.children.iter().map(shape).collect();
    format!("{}({})", tree.node.name, children.join(","))
}

#[tokio::test]
async fn organization_flow() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let org_api = management.org();

    // Acme > Engineering > Backend, and Acme > Sales.
    let org = org_api.create("Acme").code("acme").send().await.unwrap();
    let engineering = org_api.create_node(&org.id, "Engineering").code("eng").send().await.unwrap();
    let backend = org_api.create_node(&org.id, "Backend").code("backend").parent(&engineering.id).send().await.unwrap();
    let sales = org_api.create_node(&org.id, "Sales").code("sales").send().await.unwrap();

    // Members, and a main department.
    let ada = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap().id;
    let bob = management.users().create(CreateUserInput::default().username("bob")).send().await.unwrap().id;
    org_api.add_members(&backend.id, [ada.as_str()]).send().await.unwrap();
    org_api.add_members(&sales.id, [ada.as_str(), bob.as_str()]).send().await.unwrap();
    org_api.set_main_department(&ada, &backend.id).await.unwrap();
    let departments = management.users().list_departments(&ada).await.unwrap().unwrap();
    let main: Vec<&str> =
        departments.iter().filter(|d| d.is_main_department).map(|d| d.department.id.as_str()).collect();
    assert_eq!(main, [backend.id.as_str()]);
    assert_eq!(departments.len(), 2);

    // A resource granted to Engineering reaches the members of Backend, its child.
    let acl = management.acl();
    acl.create_namespace(NS, "Library").send().await.unwrap();
    let actions = [ResourceAction::new("books:read", "Read"), ResourceAction::new("books:edit", "Edit")];
    acl.create_resource(NS, "books", ResourceType::Data, actions).send().await.unwrap();
    assert!(!allowed(&management, &ada, "books:read").await);
    let grant = GrantTarget::new(Target::Org, &engineering.id).actions(["books:read"]);
    acl.authorize_resource(NS, "books:*", [grant]).await.unwrap();
    assert!(allowed(&management, &ada, "books:read").await, "a member of a child node is allowed");
    assert!(!allowed(&management, &ada, "books:edit").await);
    assert!(!allowed(&management, &bob, "books:read").await, "Sales is not below Engineering");
    let listed = management.users().list_authorized_resources(&ada, NS).send().await.unwrap().unwrap();
    assert_eq!(listed.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["books:*"]);

    // A role given to Sales reaches its members.
    management.roles().namespace(NS).create("editor").send().await.unwrap();
    let role_grant = GrantTarget::new(Target::Role, "editor").actions(["books:edit"]);
    acl.authorize_resource(NS, "books:1", [role_grant]).await.unwrap();
    assert!(!allowed(&management, &bob, "books:edit").await, "nobody holds the role yet");
    org_api.namespace(NS).add_roles(&sales.id, ["editor"]).await.unwrap();
    assert!(allowed(&management, &bob, "books:edit").await, "a role given to the member's node");

    // Moving Backend under Sales: the grant of Engineering no longer reaches Ada through Backend.
    org_api.delete_members(&sales.id, [ada.as_str()]).await.unwrap();
    org_api.move_node(&org.id, &backend.id, &sales.id).await.unwrap();
    assert!(!allowed(&management, &ada, "books:read").await, "the permissions follow the move");
    assert!(allowed(&management, &ada, "books:edit").await, "Backend is below Sales now");
    org_api.move_node(&org.id, &backend.id, &engineering.id).await.unwrap();
    assert!(allowed(&management, &ada, "books:read").await);
    assert!(!allowed(&management, &ada, "books:edit").await);

    // Export, and import into a fresh pool: the same tree.
    let exported = org_api.export_by_org_id(&org.id).await.unwrap();
    let original = shape(&org_api.find_by_id(&org.id).await.unwrap().tree());
    assert_eq!(original, "Acme(Engineering(Backend()),Sales())");
    let fresh = common::emulator().await;
    let other = common::management(&fresh);
    let imported = other.org().import_by_json(&exported).await.unwrap();
    let read_back = other.org().find_by_id(&imported.id).await.unwrap();
    assert_eq!(shape(&read_back.tree()), original);
    assert_eq!(other.org().export_by_org_id(&imported.id).await.unwrap(), exported);
    let codes: Vec<Option<&str>> = read_back.nodes.iter().map(|n| n.code.as_deref()).collect();
    assert_eq!(codes, [Some("acme"), Some("eng"), Some("backend"), Some("sales")]);
    let _: OrgExport = exported;
}
