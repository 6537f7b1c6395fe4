//! The SDK in one page: an administrator's client and an end user's client, a user registered, logged in and
//! updated with their own token, and an error matched by its code.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With no `AUTHING_*` variable set it starts the embedded emulator and runs against it. With
//! `AUTHING_USERPOOL_ID`, `AUTHING_USERPOOL_SECRET`, `AUTHING_APP_ID` (and `AUTHING_SERVER` or `AUTHING_APP_HOST`
//! for a private deployment) set, it runs against that user pool and registers a throw-away user there.

use authing::models::UpdateUserInput;
use authing::{AuthenticationClient, Lang, ManagementClient, Options, OptionsBuilder, codes};
use authing_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The emulator, when used, must outlive the clients: it is kept until the end of `main`.
    let (options, _emulator) = configuration().await?;

    // The administrator's client: built once per process; it fetches and renews its own token.
    let management = ManagementClient::new(&options)?;
    let users = management.users().list().limit(5).send().await?;
    println!("1. the user pool has {} users", users.total_count);

    // The end user's client: register, then log in (the client keeps the user's token).
    let app = AuthenticationClient::new(&options)?;
    let username = format!("quickstart-{}", std::process::id());
    let registered = app.register_by_username(&username, "Passw0rd!").send().await?;
    println!("2. registered {username} with id {}", registered.id);
    let user = app.login_by_username(&username, "Passw0rd!").send().await?;
    println!("3. logged in; the client now holds the user's token: {}", app.token().is_some());

    // Calls made with the user's token act as that user.
    let me = app.update_profile(UpdateUserInput::default().nickname("Ada").city("London")).await?;
    println!("4. profile updated: {:?} from {:?}", me.nickname.unwrap_or_default(), me.city.unwrap_or_default());

    // A service that receives the user's token builds a client from it: one Arc clone, no new connection.
    let token = user.token.ok_or("the login returned no token")?;
    let per_request = app.with_token(token);
    let current = per_request.get_current_user().await?;
    println!("5. a client built from the token sees user {}", current.id);

    // Authing's refusals keep their numeric code: match on it.
    match app.login_by_username(&username, "not the password").send().await {
        Err(e) if e.code() == Some(codes::WRONG_USERNAME_OR_PASSWORD) => {
            println!("6. a wrong password is refused with code {}: {}", codes::WRONG_USERNAME_OR_PASSWORD, e.message())
        }
        other => return Err(format!("expected code 2333, got {other:?}").into()),
    }

    management.users().delete(&registered.id).await?;
    println!("7. the user is deleted again");
    Ok(())
}

/// Options from the environment when any `AUTHING_*` variable is set, otherwise for a freshly started emulator.
async fn configuration() -> Result<(Options, Option<Emulator>), Box<dyn std::error::Error>> {
    const VARIABLES: [&str; 5] =
        ["AUTHING_USERPOOL_ID", "AUTHING_USERPOOL_SECRET", "AUTHING_SERVER", "AUTHING_APP_ID", "AUTHING_APP_HOST"];
    if VARIABLES.iter().any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty())) {
        println!("using the user pool configured by the AUTHING_* variables");
        return Ok((OptionsBuilder::from_env().lang(Lang::EnUs).build()?, None));
    }
    let emulator = Emulator::start().await?;
    println!("no AUTHING_* variables: using the embedded emulator at {}", emulator.host());
    let options = Options::builder()
        .host(emulator.host())
        .user_pool_id(emulator.user_pool_id())
        .secret(emulator.secret())
        .app_id(emulator.app_id())
        .lang(Lang::EnUs) // Authing answers in Chinese unless asked otherwise
        .build()?;
    Ok((options, Some(emulator)))
}
