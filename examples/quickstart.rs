//! Builds a management client, obtains its access token, makes a call with it, and matches an error by its code.
//!
//! With no `AUTHING_*` variable set it starts the embedded emulator and runs against it:
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With `AUTHING_USERPOOL_ID`, `AUTHING_USERPOOL_SECRET` (and `AUTHING_SERVER` for a private deployment) set, it
//! talks to that server instead.

use authing::{AuthingError, ManagementClient, Options, OptionsBuilder};
use authing_emulator::Emulator;
use serde::Deserialize;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The emulator (when used) must outlive the clients, so it is kept here until the end of `main`.
    let (builder, _emulator) = configuration().await?;
    let options = builder.clone().build()?;
    let management = ManagementClient::new(&options)?;

    // The first call fetches the management token; later calls reuse it until shortly before it expires.
    let token = management.get_management_token().await?;
    println!("management token valid for {} s", token.exp - token.iat);

    // Any GraphQL operation can be sent with the token; the typed modules build on the same call.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Exists {
        is_user_exists: Option<bool>,
    }
    let exists: Exists = management
        .graphql(
            "query isUserExists($username: String) { isUserExists(username: $username) }",
            &json!({ "username": "quickstart-nobody" }),
        )
        .await?;
    println!("does `quickstart-nobody` exist? {:?}", exists.is_user_exists);

    // Authing's refusals keep their numeric code: match on it.
    let wrong = ManagementClient::new(&builder.secret("not-the-secret").build()?)?;
    match wrong.get_management_token().await {
        Ok(_) => return Err("a wrong secret was accepted".into()),
        Err(AuthingError::Api(refusal)) => {
            println!("a wrong secret is refused with code {}: {}", refusal.code, refusal.message)
        }
        Err(other) if other.is_timeout() => {
            return Err(format!("no answer in time: {other}").into());
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}

/// Options from the environment when any of the `AUTHING_*` variables `Options::from_env` reads is set, otherwise for a freshly started emulator.
async fn configuration() -> Result<(OptionsBuilder, Option<Emulator>), Box<dyn std::error::Error>> {
    const VARIABLES: [&str; 5] =
        ["AUTHING_USERPOOL_ID", "AUTHING_USERPOOL_SECRET", "AUTHING_SERVER", "AUTHING_APP_ID", "AUTHING_APP_HOST"];
    if VARIABLES.iter().any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty())) {
        println!("using the server configured by AUTHING_* variables");
        return Ok((OptionsBuilder::from_env(), None));
    }
    let emulator = Emulator::start().await?;
    println!("no AUTHING_* variables: using the embedded emulator at {}", emulator.host());
    let builder = Options::builder()
        .host(emulator.host())
        .user_pool_id(emulator.user_pool_id())
        .secret(emulator.secret())
        .app_id(emulator.app_id());
    Ok((builder, Some(emulator)))
}
