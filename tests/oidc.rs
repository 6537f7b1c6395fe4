//! The OIDC / OAuth flows of `AuthenticationClient` and offline verification against the emulator's identity
//! provider: the code flow with PKCE for each client authentication method, refresh rotation, revocation then
//! introspection, client credentials, the id token exchange, the OAuth errors a service meets, key rotation.

use std::time::Duration;

use authing::authentication::AuthorizeRequest;
use authing::oidc::{TokenRejection, TokenVerifier};
use authing::{AuthenticationClient, AuthingError, Options, Secret, TokenEndpointAuthMethod};
use authing_emulator::{Emulator, NewUser, TokenAuthMethod};

const REDIRECT: &str = "http://localhost:9/callback";
const OTHER_REDIRECT: &str = "http://localhost:9/other";
const USERNAME: &str = "ada";
const PASSWORD: &str = "Correct-Horse-1";

async fn emulator(method: TokenAuthMethod) -> Emulator {
    let emulator = Emulator::builder()
        .redirect_uris([REDIRECT, OTHER_REDIRECT])
        .token_endpoint_auth_method(method)
        .introspection_endpoint_auth_method(method)
        .revocation_endpoint_auth_method(method)
        .start()
        .await
        .unwrap();
    emulator.add_user(NewUser::new().username(USERNAME).email("ada@example.com").password(PASSWORD)).unwrap();
    emulator
}

fn options(emulator: &Emulator, method: TokenEndpointAuthMethod, redirect: &str) -> Options {
    Options::builder()
        .host(emulator.host())
        .app_id(emulator.app_id())
        .app_secret(emulator.app_secret())
        .redirect_uri(redirect)
        .token_endpoint_auth_method(method)
        .build()
        .unwrap()
}

fn client(emulator: &Emulator, method: TokenEndpointAuthMethod) -> AuthenticationClient {
    AuthenticationClient::new(&options(emulator, method, REDIRECT)).unwrap()
}

/// Signs in through the emulator's form with the authorize URL's parameters and returns the code of the redirect
/// (checking its `state`).
async fn sign_in(emulator: &Emulator, request: &AuthorizeRequest) -> String {
    let browser =
        authing::reqwest::Client::builder().redirect(authing::reqwest::redirect::Policy::none()).build().unwrap();
    let mut form: Vec<(String, String)> =
        request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    form.push(("username".into(), USERNAME.into()));
    form.push(("password".into(), PASSWORD.into()));
    let response = browser.post(format!("{}/oidc/auth", emulator.host())).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 302, "{response:?}");
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(REDIRECT), "{location}");
    let get = |name: &str| location.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    assert_eq!(get("state"), request.state);
    get("code").expect("a code")
}

fn oauth_error(result: Result<impl std::fmt::Debug, AuthingError>) -> (String, u16) {
    match result {
        Err(AuthingError::OAuth(error)) => (error.error, error.http_status),
        other => panic!("expected an OAuth error, got {other:?}"),
    }
}

async fn code_flow(method: TokenAuthMethod, sdk_method: TokenEndpointAuthMethod) {
    let emulator = emulator(method).await;
    let app = client(&emulator, sdk_method);
    let request = app.build_authorize_url().scope("openid profile email offline_access").build().unwrap();
    let code = sign_in(&emulator, &request).await;
    let verifier = request.code_verifier.as_ref().unwrap();
    let tokens = app.get_access_token_by_code(&code, Some(verifier.expose())).await.unwrap();
    assert_eq!(tokens.token_type.as_deref(), Some("Bearer"));
    assert!(tokens.expires_in.unwrap() > 0);

    // The id token and the access token verify offline, the id token with the request's nonce.
    let offline = TokenVerifier::new(&options(&emulator, sdk_method, REDIRECT)).unwrap();
    let id_token = tokens.id_token.as_ref().expect("openid was granted");
    let claims = offline.verify_id_token(id_token.expose(), request.nonce.as_deref()).await.unwrap();
    assert_eq!(claims.profile.email.as_deref(), Some("ada@example.com"));
    let access = offline.verify_access_token(tokens.access_token.expose()).await.unwrap();
    assert_eq!(access.sub.as_deref(), Some(claims.sub.as_str()));
    assert!(access.has_scope("offline_access"));

    let user = app.get_user_info_by_access_token(tokens.access_token.expose()).await.unwrap();
    assert_eq!(user.sub, claims.sub);
    assert!(app.introspect_token(tokens.access_token.expose()).await.unwrap().active);

    // The refresh token rotates: the new one works, the old one is refused.
    let refresh = tokens.refresh_token.as_ref().expect("offline_access was granted");
    let renewed = app.get_new_access_token_by_refresh_token(refresh.expose()).await.unwrap();
    assert!(renewed.refresh_token.is_some());
    let (error, status) = oauth_error(app.get_new_access_token_by_refresh_token(refresh.expose()).await);
    assert_eq!((error.as_str(), status), ("invalid_grant", 400));

    // Revoked, the access token is inactive.
    app.revoke_token(renewed.access_token.expose()).await.unwrap();
    assert!(!app.introspect_token(renewed.access_token.expose()).await.unwrap().active);
}

#[tokio::test]
async fn code_flow_with_pkce_and_client_secret_post() {
    code_flow(TokenAuthMethod::ClientSecretPost, TokenEndpointAuthMethod::ClientSecretPost).await;
}

#[tokio::test]
async fn code_flow_with_pkce_and_client_secret_basic() {
    code_flow(TokenAuthMethod::ClientSecretBasic, TokenEndpointAuthMethod::ClientSecretBasic).await;
}

#[tokio::test]
async fn code_flow_with_pkce_and_no_client_secret() {
    code_flow(TokenAuthMethod::None, TokenEndpointAuthMethod::None).await;
}

#[tokio::test]
async fn the_oauth_errors_a_service_meets_are_matchable() {
    let emulator = emulator(TokenAuthMethod::ClientSecretPost).await;
    let app = client(&emulator, TokenEndpointAuthMethod::ClientSecretPost);

    // A reused code.
    let request = app.build_authorize_url().build().unwrap();
    let code = sign_in(&emulator, &request).await;
    let verifier = request.code_verifier.unwrap();
    app.get_access_token_by_code(&code, Some(verifier.expose())).await.unwrap();
    let (error, _) = oauth_error(app.get_access_token_by_code(&code, Some(verifier.expose())).await);
    assert_eq!(error, "invalid_grant");

    // A wrong verifier.
    let request = app.build_authorize_url().build().unwrap();
    let code = sign_in(&emulator, &request).await;
    let (error, _) = oauth_error(
        app.get_access_token_by_code(&code, Some("a-wrong-verifier-that-is-long-enough-to-be-valid")).await,
    );
    assert_eq!(error, "invalid_grant");

    // Another redirect URI than the request's.
    let request = app.build_authorize_url().build().unwrap();
    let code = sign_in(&emulator, &request).await;
    let other =
        AuthenticationClient::new(&options(&emulator, TokenEndpointAuthMethod::ClientSecretPost, OTHER_REDIRECT))
            .unwrap();
    let (error, _) =
        oauth_error(other.get_access_token_by_code(&code, Some(request.code_verifier.unwrap().expose())).await);
    assert_eq!(error, "invalid_grant");

    // A wrong secret.
    let wrong = Options::builder()
        .host(emulator.host())
        .app_id(emulator.app_id())
        .app_secret("not-the-secret")
        .redirect_uri(REDIRECT)
        .build()
        .unwrap();
    let wrong = AuthenticationClient::new(&wrong).unwrap();
    let request = wrong.build_authorize_url().build().unwrap();
    let code = sign_in(&emulator, &request).await;
    let result = wrong.get_access_token_by_code(&code, Some(request.code_verifier.unwrap().expose())).await;
    let err = result.as_ref().unwrap_err();
    assert!(!format!("{err} {err:?}").contains("not-the-secret"));
    let (error, status) = oauth_error(result);
    assert_eq!((error.as_str(), status), ("invalid_client", 401));

    // No secret configured for a method that needs one: refused before sending.
    let without =
        Options::builder().host(emulator.host()).app_id(emulator.app_id()).redirect_uri(REDIRECT).build().unwrap();
    match AuthenticationClient::new(&without).unwrap().get_access_token_by_code("code", None).await {
        Err(AuthingError::Config { field: "app_secret", .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn client_credentials_of_an_access_account() {
    let emulator = emulator(TokenAuthMethod::ClientSecretPost).await;
    let app = client(&emulator, TokenEndpointAuthMethod::ClientSecretPost);
    let account = emulator.create_access_account();
    let tokens = app
        .get_access_token_by_client_credentials("openid", &account.key, &Secret::new(account.secret.clone()))
        .await
        .unwrap();
    assert!(app.introspect_token(tokens.access_token.expose()).await.unwrap().active);
    let (error, status) =
        oauth_error(app.get_access_token_by_client_credentials("openid", &account.key, &Secret::new("wrong")).await);
    assert_eq!((error.as_str(), status), ("invalid_client", 401));
}

#[tokio::test]
async fn a_login_token_is_exchanged_and_verified_offline() {
    let emulator = emulator(TokenAuthMethod::ClientSecretPost).await;
    let app = client(&emulator, TokenEndpointAuthMethod::ClientSecretPost);
    let user = app.login_by_username(USERNAME, PASSWORD).send().await.unwrap();
    let login_token = user.token.unwrap();

    let verifier =
        TokenVerifier::new(&options(&emulator, TokenEndpointAuthMethod::ClientSecretPost, REDIRECT)).unwrap();
    let claims = verifier.verify_id_token(login_token.expose(), None).await.unwrap();
    assert_eq!(claims.sub, user.id);
    assert_eq!(claims.data.and_then(|d| d.id), Some(user.id.clone()));

    let tokens = app.get_access_token_by_id_token(login_token.expose(), Some("openid profile")).await.unwrap();
    let access = verifier.verify_access_token(tokens.access_token.expose()).await.unwrap();
    assert_eq!(access.sub.as_deref(), Some(user.id.as_str()));
}

#[tokio::test]
async fn the_emulators_key_rotation_is_picked_up_and_the_old_key_refused() {
    let emulator = emulator(TokenAuthMethod::ClientSecretPost).await;
    let app = client(&emulator, TokenEndpointAuthMethod::ClientSecretPost);
    let options = options(&emulator, TokenEndpointAuthMethod::ClientSecretPost, REDIRECT);
    let verifier =
        TokenVerifier::builder(&options).jwks_min_refresh_interval(Duration::from_millis(50)).build().unwrap();
    let old = app.login_by_username(USERNAME, PASSWORD).send().await.unwrap().token.unwrap();
    verifier.verify_id_token(old.expose(), None).await.unwrap();

    emulator.rotate_signing_key();
    tokio::time::sleep(Duration::from_millis(60)).await;
    let new = app.login_by_username(USERNAME, PASSWORD).send().await.unwrap().token.unwrap();
    verifier.verify_id_token(new.expose(), None).await.expect("the new key is fetched without a restart");
    match verifier.verify_id_token(old.expose(), None).await {
        Err(AuthingError::InvalidToken { reason: TokenRejection::UnknownKey }) => {}
        other => panic!("the revoked key still verifies: {other:?}"),
    }
}

/// Signs in through the CAS form and returns the service ticket of the redirect.
async fn cas_ticket(emulator: &Emulator) -> String {
    let browser =
        authing::reqwest::Client::builder().redirect(authing::reqwest::redirect::Policy::none()).build().unwrap();
    let form = [("service", REDIRECT), ("username", USERNAME), ("password", PASSWORD)];
    let path = format!("{}/cas-idp/{}", emulator.host(), emulator.app_id());
    let response = browser.post(path).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 302, "{response:?}");
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    location.query_pairs().find(|(k, _)| k == "ticket").map(|(_, v)| v.into_owned()).expect("a ticket")
}

#[tokio::test]
async fn cas_tickets_validate_once_with_either_version() {
    let emulator = emulator(TokenAuthMethod::ClientSecretPost).await;
    let options = Options::builder()
        .host(emulator.host())
        .app_id(emulator.app_id())
        .protocol(authing::Protocol::Cas)
        .build()
        .unwrap();
    let app = AuthenticationClient::new(&options).unwrap();
    let login = app.build_authorize_url().service(REDIRECT).build().unwrap();
    assert_eq!(login.url.path(), format!("/cas-idp/{}", emulator.app_id()));

    let ticket = cas_ticket(&emulator).await;
    let valid = app.validate_ticket_v1(&ticket, REDIRECT).await.unwrap();
    assert_eq!((valid.valid, valid.user.as_deref()), (true, Some(USERNAME)));
    assert!(!app.validate_ticket_v1(&ticket, REDIRECT).await.unwrap().valid, "a ticket is used once");

    let ticket = cas_ticket(&emulator).await;
    let valid = app.validate_ticket_v2(&ticket, REDIRECT).await.unwrap();
    assert_eq!((valid.valid, valid.user.as_deref()), (true, Some(USERNAME)));
    let used = app.validate_ticket_v2(&ticket, REDIRECT).await.unwrap();
    assert_eq!((used.valid, used.failure_code.as_deref()), (false, Some("INVALID_TICKET")));

    // A server-side client carries no browser session.
    assert!(app.track_session().await.unwrap().is_none());
    let logout = app.build_logout_url().redirect_uri(REDIRECT).build().unwrap();
    assert_eq!(logout.path(), "/cas-idp/logout");
}
