//! Organizations: a tree of departments, its members and main departments, a resource granted to a department that
//! reaches the members below it, a move that takes the permissions along, and an export imported into a fresh pool.
//!
//! ```text
//! cargo run --example organizations
//! ```
//!
//! With no `AUTHING_*` variable set it runs against the embedded emulator (and imports into a second one); with
//! `AUTHING_USERPOOL_ID`, `AUTHING_USERPOOL_SECRET` (and `AUTHING_SERVER`) set it runs against that user pool,
//! imports the copy into the same pool, and removes what it created.

use authing::models::{
    CreateUserInput, GrantTarget, OrgTree, PolicyAssignmentTargetType, ResourceAction, ResourceType,
};
use authing::{ManagementClient, Options};
use authing_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (options, emulator) = configuration().await?;
    let management = ManagementClient::new(&options)?;
    let org_api = management.org();
    let run = std::process::id();
    let namespace = format!("library-{run}");

    // Acme > Engineering > Backend, and Acme > Sales.
    let org = org_api.create(&format!("Acme {run}")).code("acme").send().await?;
    let engineering = org_api.create_node(&org.id, "Engineering").code("eng").send().await?;
    let backend = org_api.create_node(&org.id, "Backend").code("backend").parent(&engineering.id).send().await?;
    let sales = org_api.create_node(&org.id, "Sales").code("sales").send().await?;
    println!("{}", draw(&org_api.find_by_id(&org.id).await?.tree()));

    // Members and a main department.
    let ada = management.users().create(CreateUserInput::default().username(format!("ada-{run}"))).send().await?;
    org_api.add_members(&backend.id, [ada.id.as_str()]).send().await?;
    org_api.set_main_department(&ada.id, &backend.id).await?;
    let ada_now = management.users().detail(&ada.id).send().await?.ok_or("ada is gone")?;
    println!("ada's main department: {:?}", ada_now.main_department_code);
    let engineers = org_api.list_members(&engineering.id).send().await?;
    println!("Engineering and the nodes below it have {} member(s)", engineers.total_count);

    // A resource granted to Engineering reaches the members of Backend.
    let acl = management.acl();
    let library = acl.create_namespace(&namespace, "Library").send().await?;
    acl.create_resource(&namespace, "books", ResourceType::Data, [ResourceAction::new("books:read", "Read")])
        .send()
        .await?;
    let grant = GrantTarget::new(PolicyAssignmentTargetType::Org, &engineering.id).actions(["books:read"]);
    acl.authorize_resource(&namespace, "books:*", [grant]).await?;
    let may_read =
        || async { management.acl().is_allowed(&ada.id, "books:1", "books:read").namespace(&namespace).send().await };
    println!("ada, in Backend below Engineering, may read books: {}", may_read().await?);

    // Moving Backend under Sales: the grant no longer reaches ada.
    org_api.move_node(&org.id, &backend.id, &sales.id).await?;
    println!("after moving Backend under Sales, ada may read books: {}", may_read().await?);
    org_api.move_node(&org.id, &backend.id, &engineering.id).await?;

    // Export the organization and import it into a fresh pool.
    let exported = org_api.export_by_org_id(&org.id).await?;
    let fresh = match &emulator {
        Some(_) => Some(Emulator::start().await?),
        None => None,
    };
    let target = match &fresh {
        Some(pool) => ManagementClient::new(
            &Options::builder().host(pool.host()).user_pool_id(pool.user_pool_id()).secret(pool.secret()).build()?,
        )?,
        None => management.clone(),
    };
    let copy = target.org().import_by_json(&exported).await?;
    let copy_tree = target.org().find_by_id(&copy.id).await?.tree();
    println!("imported into a fresh pool:\n{}", draw(&copy_tree));

    // Clean up.
    if fresh.is_none() {
        target.org().delete_by_id(&copy.id).await?;
    }
    org_api.delete_by_id(&org.id).await?;
    acl.delete_namespace(library.id).await?;
    management.users().delete(&ada.id).await?;
    Ok(())
}

/// The tree as indented lines.
fn draw(tree: &OrgTree) -> String {
    fn walk(tree: &OrgTree, depth: usize, out: &mut Vec<String>) {
        let code = tree.node.code.as_deref().unwrap_or("-");
        out.push(format!("{}{} ({code})", "  ".repeat(depth), tree.node.name));
        for child in &tree.children {
            walk(child, depth + 1, out);
        }
    }
    let mut lines = Vec::new();
    walk(tree, 0, &mut lines);
    lines.join("\n")
}

/// Options from the `AUTHING_*` variables when set, otherwise for a freshly started emulator.
async fn configuration() -> Result<(Options, Option<Emulator>), Box<dyn std::error::Error>> {
    if std::env::var_os("AUTHING_USERPOOL_ID").is_some_and(|v| !v.is_empty()) {
        return Ok((Options::from_env()?, None));
    }
    let emulator = Emulator::start().await?;
    let options = Options::builder()
        .host(emulator.host())
        .user_pool_id(emulator.user_pool_id())
        .secret(emulator.secret())
        .build()?;
    Ok((options, Some(emulator)))
}
