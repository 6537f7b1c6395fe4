//! The user pool as its administrator sees it: settings, a registration whitelist that turns away an
//! unlisted address, an environment variable, and the audit log of it all.
//!
//! ```text
//! cargo run --example userpool
//! ```
//!
//! It always runs offline against the embedded emulator: it changes the pool's settings, which a real pool
//! should not get from an example.

use authing::models::{UpdateUserpoolInput, WhitelistType};
use authing::{AuthenticationClient, Lang, ManagementClient, Options, codes};
use authing_emulator::Emulator;

const PASSWORD: &str = "Passw0rd!";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    let options = Options::builder()
        .host(emulator.host())
        .user_pool_id(emulator.user_pool_id())
        .secret(emulator.secret())
        .app_id(emulator.app_id())
        .lang(Lang::EnUs)
        .build()?;
    let management = ManagementClient::new(&options)?;

    // User tokens issued from now on live one hour.
    let pool = management.userpool().update(UpdateUserpoolInput::default().token_expires_after(3600)).await?;
    println!("1. the pool {} now issues user tokens for {} s", pool.id, pool.token_expires_after.unwrap_or_default());

    // Only listed e-mail addresses may register.
    let whitelist = management.whitelist();
    whitelist.add(WhitelistType::Email, ["ada@example.com"]).await?;
    whitelist.enable(WhitelistType::Email).await?;
    let app = AuthenticationClient::new(&options)?;
    app.register_by_email("ada@example.com", PASSWORD).send().await?;
    match app.register_by_email("eve@example.com", PASSWORD).send().await {
        Err(e) if e.code() == Some(codes::REGISTRATION_DISABLED) => {
            println!("2. ada registered; eve was turned away: {}", e.message());
        }
        other => return Err(format!("expected code 2031, got {other:?}").into()),
    }

    // A variable the pool's pipelines can read.
    let vars = management.userpool().add_env("region", &"eu-west").await?;
    println!(
        "3. environment: {}",
        vars.iter().map(|v| format!("{}={}", v.key, v.value)).collect::<Vec<_>>().join(", ")
    );

    // Every change above is in the audit log, newest first.
    let logs = management.statistics().list_audit_logs().send().await?;
    println!("4. the audit log has {} entries:", logs.total_count);
    for log in &logs.items {
        println!(
            "   {} {} -> {}",
            log.event_type.as_deref().unwrap_or("?"),
            log.operation_param.as_deref().unwrap_or(""),
            log.event_result_code.unwrap_or_default()
        );
    }
    Ok(())
}
