//! Multi-factor authentication, end to end: a user binds a TOTP authenticator, the user pool starts enforcing
//! MFA, a password login answers "MFA required" with a challenge, and a code of the authenticator finishes it.
//!
//! ```text
//! cargo run --example mfa
//! ```
//!
//! It always runs offline against the embedded emulator, which it tells to enforce MFA; the authenticator app is
//! played by `totp-rs`, computing the code from the secret the association returned.

use authing::models::MfaFactor;
use authing::{AuthenticationClient, AuthingError, Lang, Options, codes};
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
        .lang(Lang::EnUs) // Authing answers in Chinese unless asked otherwise
        .build()?;

    // The user registers, then associates a TOTP authenticator and confirms it with a first code.
    let app = AuthenticationClient::new(&options)?;
    app.register_by_email("ada@example.com", PASSWORD).force_login(true).send().await?;
    let association = app.associate_totp(None).await?;
    app.confirm_totp(&authenticator_code(association.secret.expose())?, None).await?;
    println!("1. ada bound a TOTP authenticator (keep the recovery code somewhere safe)");

    // From now on, a correct password is not enough.
    emulator.set_mfa_enforced(true);
    let login = AuthenticationClient::new(&options)?;
    let challenge = match login.login_by_email("ada@example.com", PASSWORD).send().await {
        Err(AuthingError::MfaRequired(challenge)) => challenge,
        Ok(_) => return Err("the login should have asked for a second factor".into()),
        Err(other) => return Err(other.into()),
    };
    let offered: Vec<&str> = challenge.factors.iter().map(MfaFactor::as_str).collect();
    println!("2. the password login asks for a second factor; offered: {}", offered.join(", "));

    // The user types the code the authenticator app shows.
    let code = authenticator_code(association.secret.expose())?;
    let user = login.verify_totp_mfa(&code, &challenge.token).await?;
    println!(
        "3. the TOTP code finished the login of {}; the client holds a token: {}",
        user.id,
        login.token().is_some()
    );

    // A code is good for one login only.
    let again = match login.login_by_email("ada@example.com", PASSWORD).send().await {
        Err(AuthingError::MfaRequired(challenge)) => challenge,
        other => return Err(format!("expected MfaRequired, got {other:?}").into()),
    };
    match login.verify_totp_mfa(&code, &again.token).await {
        Err(e) if e.code() == Some(codes::WRONG_TOTP) => {
            println!("4. the same code again is refused with code {}: {}", codes::WRONG_TOTP, e.message())
        }
        other => return Err(format!("expected code 6001, got {other:?}").into()),
    }
    Ok(())
}

/// What an authenticator app shows now for `secret` (base32): RFC 6238, SHA-1, 6 digits, 30-second steps.
fn authenticator_code(secret: &str) -> Result<String, Box<dyn std::error::Error>> {
    let bytes = totp_rs::Secret::try_from_base32(secret).map_err(|e| format!("not a base32 secret: {e:?}"))?;
    let totp = totp_rs::Builder::new().with_secret(bytes.as_bytes().to_vec()).build()?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    Ok(totp.generate(now).to_string())
}
