//! Applications: create one, add a sign-in agreement, a resource and a role in its own permission namespace, rotate
//! its secret, and remove it.
//!
//! ```text
//! cargo run --example applications
//! ```
//!
//! With no `AUTHING_*` variable set it runs against the embedded emulator; with `AUTHING_USERPOOL_ID`,
//! `AUTHING_USERPOOL_SECRET` (and `AUTHING_SERVER`) set it runs against that user pool and removes what it created.

use authing::models::{ResourceAction, ResourceType};
use authing::{ManagementClient, Options};
use authing_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (options, _emulator) = configuration().await?;
    let management = ManagementClient::new(&options)?;
    let apps = management.applications();
    let run = std::process::id();

    let shop = apps.create(&format!("Shop {run}"), &format!("shop-{run}"), ["https://shop.example/callback"]).send();
    let shop = shop.await?;
    println!("created application {} ({})", shop.id, shop.name.as_deref().unwrap_or_default());

    let terms = apps.create_agreement(&shop.id, "I accept the <a href=\"https://shop.example/terms\">terms</a>");
    let terms = terms.send().await?;
    println!("agreement {} is shown at sign-in (required: {})", terms.id, terms.required);

    // The application's permission namespace has the application id as its code.
    let actions = [ResourceAction::new("orders:read", "Read orders"), ResourceAction::new("orders:ship", "Ship")];
    apps.create_resource(&shop.id, "orders", ResourceType::Data, actions).send().await?;
    apps.create_role(&shop.id, "shipper").description("Ships orders").send().await?;
    let resources = apps.list_resources(&shop.id).send().await?;
    println!(
        "its namespace holds {} resource(s): {:?}",
        resources.total_count,
        resources.items.iter().map(|r| &r.code).collect::<Vec<_>>()
    );

    let old = shop.secret.as_ref().map(|s| s.expose().to_owned()).unwrap_or_default();
    let rotated = apps.refresh_application_secret(&shop.id).await?;
    let new = rotated.secret.as_ref().map(|s| s.expose().to_owned()).unwrap_or_default();
    println!("rotated the secret: changed = {}", !new.is_empty() && new != old);

    apps.delete_role(&shop.id, "shipper").await?;
    apps.delete_resource(&shop.id, "orders").await?;
    apps.delete_agreement(&shop.id, terms.id).await?;
    apps.delete(&shop.id).await?;
    println!("removed the application");
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
