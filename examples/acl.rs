//! Access control: a namespace, a resource with its actions, grants to a user and to a role, checks, and revoke.
//!
//! ```text
//! cargo run --example acl
//! ```
//!
//! With no `AUTHING_*` variable set it runs against the embedded emulator; with `AUTHING_USERPOOL_ID`,
//! `AUTHING_USERPOOL_SECRET` (and `AUTHING_SERVER`) set it runs against that user pool and removes what it created.

use authing::management::AllowTarget;
use authing::models::{CreateUserInput, GrantTarget, PolicyAssignmentTargetType, ResourceAction, ResourceType};
use authing::{ManagementClient, Options};
use authing_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (options, _emulator) = configuration().await?;
    let management = ManagementClient::new(&options)?;
    let acl = management.acl();
    let run = std::process::id();
    let namespace = format!("library-{run}");

    let created = acl.create_namespace(&namespace, "Library").description("Books and loans").send().await?;
    let actions = [
        ResourceAction::new("books:read", "Read a book"),
        ResourceAction::new("books:edit", "Edit a book"),
        ResourceAction::new("books:delete", "Delete a book"),
    ];
    acl.create_resource(&namespace, "books", ResourceType::Data, actions).send().await?;

    let ada = management.users().create(CreateUserInput::default().username(format!("ada-{run}"))).send().await?;
    management.roles().namespace(&namespace).create("editor").send().await?;
    management.roles().namespace(&namespace).add_users("editor", [ada.id.as_str()]).await?;

    // Every reader may read every book; editors (and so ada, through her role) may edit book 7.
    acl.allow("books:*", "books:read", AllowTarget::User(&ada.id)).namespace(&namespace).send().await?;
    let editors = GrantTarget::new(PolicyAssignmentTargetType::Role, "editor").actions(["books:edit"]);
    acl.authorize_resource(&namespace, "books:7", [editors.clone()]).await?;

    for (resource, action) in [("books:1", "books:read"), ("books:7", "edit"), ("books:1", "books:edit")] {
        let allowed = acl.is_allowed(&ada.id, resource, action).namespace(&namespace).send().await?;
        println!("may ada {action} {resource}? {allowed}");
    }
    let permitted =
        management.users().check_resource_permission_batch(&ada.id, &namespace, ["books:7", "books:8"]).await?;
    println!("of books 7 and 8, ada may act on {:?}", permitted.iter().map(|p| &p.code).collect::<Vec<_>>());

    acl.revoke_resource(&namespace, "books", [editors]).await?;
    let allowed = acl.is_allowed(&ada.id, "books:7", "books:edit").namespace(&namespace).send().await?;
    println!("after revoking the type from editors, may ada edit book 7? {allowed}");

    management.users().delete(&ada.id).await?;
    management.roles().namespace(&namespace).delete("editor").await?;
    acl.delete_resource(&namespace, "books").await?;
    acl.delete_namespace(created.id).await?;
    Ok(())
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
