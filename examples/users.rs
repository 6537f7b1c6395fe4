//! A tour of `management.users()` and `management.udf()`: create users with custom data, find, search, page
//! through them as a stream, update, issue a token, and delete.
//!
//! ```text
//! cargo run --example users
//! ```
//!
//! With no `AUTHING_*` variable set it runs against the embedded emulator; with `AUTHING_USERPOOL_ID`,
//! `AUTHING_USERPOOL_SECRET` (and `AUTHING_SERVER`) set it runs against that user pool and removes what it created.

use authing::models::{CreateUserInput, UdfDataType, UdfTargetType, UpdateUserInput};
use authing::{AuthingError, ManagementClient, Options};
use authing_emulator::Emulator;
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (options, _emulator) = configuration().await?;
    let management = ManagementClient::new(&options)?;
    let users = management.users();
    let run = std::process::id();

    // Custom fields are defined once, then set on users with typed values.
    management.udf().set(UdfTargetType::User, "school", UdfDataType::String, "School").send().await?;
    management.udf().set(UdfTargetType::User, "age", UdfDataType::Number, "Age").send().await?;

    let ada = users
        .create(
            CreateUserInput::default()
                .username(format!("ada-{run}"))
                .email(format!("Ada-{run}@Example.com"))
                .nickname("Countess")
                .password("correct horse battery staple"),
        )
        .custom_data("school", "University of London")
        .custom_data("age", 36)
        .send()
        .await?;
    println!("created {} <{}>", ada.id, ada.email.as_deref().unwrap_or_default());

    let mut created = vec![ada.id.clone()];
    for i in 0..12 {
        let user = users.create(CreateUserInput::default().username(format!("student-{run}-{i:02}"))).send().await?;
        created.push(user.id);
    }

    // Identifiers are unique in the pool: Authing's code says which one is taken.
    match users.create(CreateUserInput::default().username(format!("ada-{run}"))).send().await {
        Err(AuthingError::Api(refusal)) if refusal.code == 2034 => {
            println!("username taken (code 2034)")
        }
        other => return Err(format!("expected code 2034, got {other:?}").into()),
    }

    let found = users.find().email(format!("ada-{run}@example.com")).with_custom_data(true).send().await?;
    let data = found.and_then(|u| u.custom_data).unwrap_or_default();
    println!("custom data of ada: school = {:?}, age = {:?}", data.get("school"), data.get("age"));

    // Pages are fetched as the stream is read; the search filter is kept on every page.
    let students: Vec<_> =
        users.search(&format!("student-{run}")).limit(5).send().await?.into_stream().try_collect().await?;
    println!("{} students found, 5 per page", students.len());

    let ada = users.update(&ada.id, UpdateUserInput::default().nickname("Enchantress of Numbers")).await?;
    println!("ada is now {:?}", ada.nickname);

    let token = users.refresh_token(&ada.id).await?;
    println!("issued a user token valid for {} s", token.exp.unwrap_or_default() - token.iat.unwrap_or_default());

    users.delete_many(created.iter().map(String::as_str)).await?;
    let archived = users.list_archived_users().limit(1).send().await?;
    println!("deleted {} users; {} in the archive", created.len(), archived.total_count);
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
