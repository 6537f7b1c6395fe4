//! A small axum service behind Authing: one protected route whose handler gets the verified claims of the
//! caller's token, checked offline with `TokenVerifier` (the key set fetched once from the application's JWKS).
//! The program starts the service on loopback, logs a user in, and calls the route with the token, without it,
//! and with a tampered token, printing what happened.
//!
//! ```text
//! cargo run --example axum_service --features axum
//! ```
//!
//! With no `AUTHING_*` variable set it runs against the embedded emulator. With `AUTHING_APP_ID` (and
//! `AUTHING_APP_HOST` or `AUTHING_SERVER`) set it runs against that application and registers a throw-away user.

use authing::oidc::{TokenVerifier, VerifiedIdToken};
use authing::reqwest::{StatusCode, header};
use authing::{AuthenticationClient, Options};
use authing_emulator::Emulator;
use axum::Router;
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The protected route: runs only for a valid token.
async fn profile(VerifiedIdToken(claims): VerifiedIdToken) -> String {
    let username = claims.data.and_then(|data| data.username);
    let name = claims.profile.preferred_username.or(username).unwrap_or_default();
    format!("hello {name} (user {})", claims.sub)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (options, _emulator) = configuration().await?;

    // The service: one verifier, cloned into every request by the router's state.
    let verifier = TokenVerifier::new(&options)?;
    let service = Router::new().route("/profile", get(profile)).with_state(verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/profile", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, service).await });
    println!("service listening at {url}");

    // A user logs in with Authing and gets a token.
    let app = AuthenticationClient::new(&options)?;
    let username = format!("ada-{}", std::process::id());
    app.register_by_username(&username, "Passw0rd!").send().await?;
    let user = app.login_by_username(&username, "Passw0rd!").send().await?;
    let token = user.token.ok_or("the login gave no token")?;
    println!("logged in as {username}");

    let http = authing::reqwest::Client::new();

    let response = http.get(&url).bearer_auth(token.expose()).send().await?;
    let status = response.status();
    println!("with the token:      {status} {}", response.text().await?);
    check(status, StatusCode::OK)?;

    let response = http.get(&url).send().await?;
    let (status, challenge) = (response.status(), www_authenticate(&response));
    println!("without a token:     {status} WWW-Authenticate: {challenge}");
    check(status, StatusCode::UNAUTHORIZED)?;

    let tampered = tamper(token.expose())?;
    let response = http.get(&url).bearer_auth(tampered).send().await?;
    let (status, challenge) = (response.status(), www_authenticate(&response));
    println!("with a tampered one: {status} WWW-Authenticate: {challenge} ({})", response.text().await?);
    check(status, StatusCode::UNAUTHORIZED)?;
    Ok(())
}

/// The token with its `sub` claim changed and its signature kept.
fn tamper(token: &str) -> Result<String, Box<dyn std::error::Error>> {
    let mut parts = token.splitn(3, '.');
    let (header, payload, signature) = (parts.next(), parts.next(), parts.next());
    let (Some(header), Some(payload), Some(signature)) = (header, payload, signature) else {
        return Err("the token is not a JWT".into());
    };
    let mut claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload)?)?;
    claims["sub"] = "someone-else".into();
    Ok(format!("{header}.{}.{signature}", URL_SAFE_NO_PAD.encode(claims.to_string())))
}

fn www_authenticate(response: &authing::reqwest::Response) -> String {
    let value = response.headers().get(header::WWW_AUTHENTICATE);
    value.and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned()
}

fn check(status: StatusCode, expected: StatusCode) -> Result<(), Box<dyn std::error::Error>> {
    if status == expected { Ok(()) } else { Err(format!("expected {expected}, got {status}").into()) }
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
