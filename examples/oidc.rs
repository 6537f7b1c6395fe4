//! Signing a user in with OIDC, as a web service does: the authorization code flow with PKCE, then the tokens
//! verified offline, the user's profile, a refreshed token, a revocation and the logout URL.
//!
//! ```text
//! cargo run --example oidc
//! ```
//!
//! It runs offline against the embedded emulator, which plays Authing's hosted sign-in page: the step where a
//! browser would show that page and the user would type a password is done here with one form post.

use authing::oidc::TokenVerifier;
use authing::{AuthenticationClient, AuthingError, Options};
use authing_emulator::{Emulator, NewUser};

const REDIRECT_URI: &str = "http://localhost:3000/callback";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder().redirect_uris([REDIRECT_URI]).start().await?;
    emulator.add_user(NewUser::new().username("ada").email("ada@example.com").password("Passw0rd!"))?;
    let options = Options::builder()
        .host(emulator.host())
        .app_id(emulator.app_id())
        .app_secret(emulator.app_secret())
        .redirect_uri(REDIRECT_URI)
        .build()?;
    let app = AuthenticationClient::new(&options)?;

    // 1. Send the browser to Authing; keep the state, nonce and PKCE verifier in the user's session.
    let request = app.build_authorize_url().scope("openid profile email offline_access").build()?;
    println!("1. redirect the browser to {}", request.url);

    // 2. Authing redirects back to REDIRECT_URI with a code (here: the emulator's sign-in form, posted directly).
    let (code, state) = sign_in(&request.url, "ada", "Passw0rd!").await?;
    if state != request.state {
        return Err("the state that came back is not the one sent".into());
    }
    println!("2. the callback received a code and the state we sent");

    // 3. The code, with the PKCE verifier, becomes tokens.
    let verifier = request.code_verifier.as_ref().map(|v| v.expose());
    let tokens = app.get_access_token_by_code(&code, verifier).await?;
    println!("3. tokens: access, id: {}, refresh: {}", tokens.id_token.is_some(), tokens.refresh_token.is_some());

    // 4. On every request, the service verifies tokens offline (the key set is fetched once and cached).
    let verifier = TokenVerifier::new(&options)?;
    let id_token = tokens.id_token.as_ref().ok_or("openid was asked for")?;
    let claims = verifier.verify_id_token(id_token.expose(), request.nonce.as_deref()).await?;
    let access = verifier.verify_access_token(tokens.access_token.expose()).await?;
    println!(
        "4. verified offline: id token of {} ({:?}), access token scopes {:?}",
        claims.sub, claims.profile.email, access.scope
    );
    match verifier.verify_access_token("not.a.token").await {
        Err(AuthingError::InvalidToken { reason }) => println!("   a forged token is refused: {reason:?}"),
        other => return Err(format!("a forged token should be refused, got {other:?}").into()),
    }

    // 5. The profile, a refreshed token, and a revocation checked by introspection.
    let user = app.get_user_info_by_access_token(tokens.access_token.expose()).await?;
    println!("5. user info: sub {}, e-mail {:?}", user.sub, user.profile.email);
    let refresh = tokens.refresh_token.as_ref().ok_or("offline_access was asked for")?;
    let renewed = app.get_new_access_token_by_refresh_token(refresh.expose()).await?;
    app.revoke_token(renewed.access_token.expose()).await?;
    let after = app.introspect_token(renewed.access_token.expose()).await?;
    println!("   refreshed, then revoked: the new access token is active: {}", after.active);

    // 6. Signing out: send the browser to Authing's logout URL.
    let logout = app.build_logout_url().expert(id_token.expose()).redirect_uri(REDIRECT_URI).build()?;
    let params: Vec<_> = logout.query_pairs().map(|(name, _)| name.into_owned()).collect();
    println!("6. logout: send the browser to {} with {}", logout.path(), params.join(", "));
    Ok(())
}

/// What the user's browser does on the hosted sign-in page: posts the authorize parameters with the username and
/// password, and follows the redirect only as far as reading the code and state it carries.
async fn sign_in(
    authorize_url: &url::Url,
    username: &str,
    password: &str,
) -> Result<(String, Option<String>), Box<dyn std::error::Error>> {
    let browser = authing::reqwest::Client::builder().redirect(authing::reqwest::redirect::Policy::none()).build()?;
    let mut form: Vec<(String, String)> =
        authorize_url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    form.push(("username".into(), username.into()));
    form.push(("password".into(), password.into()));
    let mut page = authorize_url.clone();
    page.set_query(None);
    let response = browser.post(page).form(&form).send().await?;
    let location = response.headers().get("location").ok_or("the sign-in did not redirect")?.to_str()?;
    let callback = url::Url::parse(location)?;
    let get = |name: &str| callback.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    Ok((get("code").ok_or("no code in the callback")?, get("state")))
}
