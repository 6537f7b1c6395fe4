//! The end user's side: register, log in, update the profile, act for a caller with their token, and handle
//! Authing's refusals by code.
//!
//! ```text
//! cargo run --example authentication
//! ```
//!
//! With no `AUTHING_*` variable set it runs against the embedded emulator. With `AUTHING_APP_ID` (and
//! `AUTHING_APP_HOST` or `AUTHING_SERVER`) set it runs against that application and registers a throw-away user.

use authing::models::{RegisterProfile, UpdateUserInput};
use authing::{AuthenticationClient, AuthingError, Options};
use authing_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (options, _emulator) = configuration().await?;
    // One client per application, built once; every per-request client below shares its connection pool.
    let app = AuthenticationClient::new(&options)?;
    let run = std::process::id();
    let email = format!("ada-{run}@example.com");

    let profile = RegisterProfile::default().nickname("Ada");
    let user = app.register_by_email(&email, "Passw0rd!").profile(profile).send().await?;
    println!("registered {} ({})", user.id, user.email.as_deref().unwrap_or_default());

    // Authing's refusals keep their code: match on it.
    match app.login_by_email(&email, "not the password").send().await {
        Err(AuthingError::Api(refusal)) if refusal.code == 2333 => println!("wrong password refused (2333)"),
        other => return Err(format!("expected code 2333, got {other:?}").into()),
    }

    // A login stores the user's token in the client that made it.
    let session = app.without_token();
    let user = session.login_by_email(&email, "Passw0rd!").send().await?;
    let me = session.update_profile(UpdateUserInput::default().nickname("Countess").city("London")).await?;
    println!("logged in as {}, now {:?} from {:?}", user.id, me.nickname, me.city);

    // A service receiving the user's token builds a per-request client from it: no login, no new connection.
    let token = session.token().ok_or("the login gave no token")?;
    let for_request = app.with_token(token);
    let status = for_request.check_login_status(None).await?;
    println!("the token is valid: {} (user {:?})", status.status, status.data.and_then(|d| d.id));

    for_request.logout().await?;
    match session.get_current_user().await {
        Err(e) if e.code() == Some(2020) => println!("after logout the token is refused (2020)"),
        other => return Err(format!("expected code 2020, got {other:?}").into()),
    }
    Ok(())
}

/// Options from the `AUTHING_*` variables when an application is configured, otherwise for the emulator.
async fn configuration() -> Result<(Options, Option<Emulator>), Box<dyn std::error::Error>> {
    if std::env::var_os("AUTHING_APP_ID").is_some_and(|v| !v.is_empty()) {
        return Ok((Options::from_env()?, None));
    }
    let emulator = Emulator::start().await?;
    let options = Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    Ok((options, Some(emulator)))
}
