//! Roles in namespaces, groups, policies and their assignments: who may do what.
//!
//! ```text
//! cargo run --example roles_and_policies
//! ```
//!
//! With no `AUTHING_*` variable set it runs against the embedded emulator; with `AUTHING_USERPOOL_ID`,
//! `AUTHING_USERPOOL_SECRET` (and `AUTHING_SERVER`) set it runs against that user pool and removes what it created.

use authing::models::{CreateUserInput, PolicyAssignmentTargetType, PolicyEffect, PolicyStatement};
use authing::{AuthingError, ManagementClient, Options};
use authing_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (options, _emulator) = configuration().await?;
    let management = ManagementClient::new(&options)?;
    let run = std::process::id();
    let (editor, reader, club, policy) =
        (format!("editor-{run}"), format!("reader-{run}"), format!("club-{run}"), format!("books-{run}"));

    // Roles live in namespaces; `default` unless said otherwise.
    management.roles().create(&reader).description("Reads books").send().await?;
    management.roles().create(&editor).parent(&reader).description("Edits books").send().await?;
    let shop_editor = management.roles().namespace("shop").create(&editor).send().await?;
    println!("role {} exists in `default` and in `{}`", editor, shop_editor.namespace);
    match management.roles().create(&editor).send().await {
        Err(AuthingError::Api(refusal)) => println!("a code is unique per namespace (code {})", refusal.code),
        other => return Err(format!("a duplicate role was accepted: {other:?}").into()),
    }

    let ada = management.users().create(CreateUserInput::default().username(format!("ada-{run}"))).send().await?;
    management.users().add_roles(&ada.id, [editor.as_str()]).send().await?;
    management.groups().create(&club, "Book club").send().await?;
    management.groups().add_users(&club, [ada.id.as_str()]).await?;

    // Policies: statements allowing or denying actions on resources, assigned to users, roles or groups.
    let statements = [
        PolicyStatement::new("books:*", ["books:read", "books:edit"]).effect(PolicyEffect::Allow),
        PolicyStatement::new("books:archive", ["books:edit"]).effect(PolicyEffect::Deny),
    ];
    management.policies().create(&policy, statements).description("Edit the books").send().await?;
    management.roles().add_policies(&editor, [policy.as_str()]).await?;
    management
        .policies()
        .add_assignments([policy.as_str()], PolicyAssignmentTargetType::Group, [club.as_str()])
        .send()
        .await?;

    let roles = management.users().list_roles(&ada.id).send().await?.unwrap_or_default();
    let groups = management.users().list_groups(&ada.id).await?.unwrap_or_default();
    let assignments = management.policies().list_assignments(&policy).send().await?;
    println!(
        "ada has roles {:?}, is in groups {:?}; `{policy}` is assigned to {} targets",
        roles.iter().map(|r| format!("{}/{}", r.namespace, r.code)).collect::<Vec<_>>(),
        groups.iter().map(|g| &g.code).collect::<Vec<_>>(),
        assignments.total_count,
    );
    println!("ada is an editor: {}", management.users().has_role(&ada.id, &editor).send().await?);

    // Clean up.
    management.policies().delete(&policy).await?;
    management.groups().delete(&club).await?;
    management.roles().delete_many([editor.as_str(), reader.as_str()]).await?;
    management.roles().namespace("shop").delete(&editor).await?;
    management.users().delete(&ada.id).await?;
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
