//! The OIDC / OAuth 2.0 provider over HTTP: discovery and JWKS, the authorization code flow with PKCE through
//! the sign-in form for each client authentication method, refresh rotation, revocation and introspection,
//! client credentials, Authing's token exchange, key rotation, and the OAuth errors a client meets.

mod common;

use std::time::Duration;

use authing_emulator::{Emulator, IdTokenAlgorithm, NewUser, TokenAuthMethod};
use base64::Engine as _;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest as _;

const REDIRECT: &str = "http://localhost:9/callback";
const USERNAME: &str = "ada";
const PASSWORD: &str = "Correct-Horse-1";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-the-verifier";

/// A browser: a cookie store and no redirects followed, so `Location` can be read.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

async fn emulator(method: TokenAuthMethod) -> Emulator {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    let emu = Emulator::builder()
        .redirect_uris([REDIRECT, "http://localhost:9/other"])
        .token_endpoint_auth_method(method)
        .introspection_endpoint_auth_method(method)
        .revocation_endpoint_auth_method(method)
        .start()
        .await
        .unwrap();
    emu.add_user(NewUser::new().username(USERNAME).email("ada@example.com").password(PASSWORD)).unwrap();
    emu
}

/// The authorization request's parameters.
fn auth_params(emu: &Emulator, scope: &str) -> Vec<(&'static str, String)> {
    vec![
        ("client_id", emu.app_id().to_owned()),
        ("redirect_uri", REDIRECT.to_owned()),
        ("response_type", "code".to_owned()),
        ("scope", scope.to_owned()),
        ("state", "st-<1>".to_owned()),
        ("nonce", "nonce-1".to_owned()),
        ("code_challenge", challenge(VERIFIER)),
        ("code_challenge_method", "S256".to_owned()),
    ]
}

/// The query pairs of a `Location`.
fn location(res: &reqwest::Response) -> (String, Vec<(String, String)>) {
    assert_eq!(res.status(), StatusCode::FOUND, "{res:?}");
    let loc = res.headers()["location"].to_str().unwrap();
    let url = url::Url::parse(loc).unwrap();
    let base = format!(
        "{}://{}{}",
        url.scheme(),
        url.host_str().unwrap(),
        url.port().map(|p| format!(":{p}")).unwrap_or_default()
    ) + url.path();
    (base, url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
}

fn pair<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Signs in through the form and returns the code (asserting the redirect and `state`).
async fn sign_in(emu: &Emulator, browser: &reqwest::Client, scope: &str) -> String {
    let params = auth_params(emu, scope);
    let page = browser.get(format!("{}/oidc/auth", emu.host())).query(&params).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<form method=\"post\" action=\"/oidc/auth\">"), "{html}");
    assert!(html.contains("name=\"state\" value=\"st-&lt;1&gt;\""), "hidden fields are escaped: {html}");
    assert!(!html.contains("<script"), "no JavaScript");
    let mut form = params.clone();
    form.push(("username", USERNAME.to_owned()));
    form.push(("password", PASSWORD.to_owned()));
    let res = browser.post(format!("{}/oidc/auth", emu.host())).form(&form).send().await.unwrap();
    assert!(res.headers().get("set-cookie").is_some(), "a session cookie");
    let (base, pairs) = location(&res);
    assert_eq!(base, REDIRECT);
    assert_eq!(pair(&pairs, "state"), Some("st-<1>"));
    pair(&pairs, "code").expect("a code").to_owned()
}

/// Adds the client authentication of `method` to a token-endpoint request.
fn authenticate(
    emu: &Emulator,
    req: reqwest::RequestBuilder,
    form: &mut Vec<(&'static str, String)>,
    method: TokenAuthMethod,
) -> reqwest::RequestBuilder {
    match method {
        TokenAuthMethod::ClientSecretBasic => req.basic_auth(emu.app_id(), Some(emu.app_secret())),
        TokenAuthMethod::None => {
            form.push(("client_id", emu.app_id().to_owned()));
            req
        }
        _ => {
            form.push(("client_id", emu.app_id().to_owned()));
            form.push(("client_secret", emu.app_secret().to_owned()));
            req
        }
    }
}

/// POSTs a form to an endpoint with the client authentication of `method`; returns status and JSON body.
async fn post(
    emu: &Emulator,
    path: &str,
    mut form: Vec<(&'static str, String)>,
    method: TokenAuthMethod,
) -> (StatusCode, Value) {
    let req = reqwest::Client::new().post(format!("{}{path}", emu.host()));
    let req = authenticate(emu, req, &mut form, method);
    let res = req.form(&form).send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() })
}

async fn exchange(emu: &Emulator, code: &str, verifier: &str, method: TokenAuthMethod) -> (StatusCode, Value) {
    let form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("code", code.to_owned()),
        ("redirect_uri", REDIRECT.to_owned()),
        ("code_verifier", verifier.to_owned()),
    ];
    post(emu, "/oidc/token", form, method).await
}

fn assert_oauth_error(status: StatusCode, body: &Value, expected_status: u16, error: &str) {
    assert_eq!(status.as_u16(), expected_status, "{body}");
    assert_eq!(body["error"], error, "{body}");
    assert!(body["error_description"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
}

async fn jwks(emu: &Emulator) -> JwkSet {
    reqwest::get(format!("{}/oidc/.well-known/jwks.json", emu.host())).await.unwrap().json().await.unwrap()
}

/// Verifies an RS256 token against the served JWKS (by `kid`), with issuer and audience; returns its claims.
async fn verify_rs256(emu: &Emulator, token: &str, aud: &str) -> Result<Value, String> {
    let header = jsonwebtoken::decode_header(token).map_err(|e| e.to_string())?;
    assert_eq!(header.alg, Algorithm::RS256);
    let kid = header.kid.ok_or("no kid")?;
    let set = jwks(emu).await;
    let jwk = set.find(&kid).ok_or("the kid is not in the JWKS")?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[format!("{}/oidc", emu.host())]);
    validation.set_audience(&[aud]);
    jsonwebtoken::decode::<Value>(token, &key, &validation).map(|d| d.claims).map_err(|e| e.to_string())
}

fn at_hash(access_token: &str) -> String {
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
}

#[tokio::test]
async fn discovery_and_jwks_describe_the_provider() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let doc: Value = reqwest::get(format!("{}/oidc/.well-known/openid-configuration", emu.host()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let issuer = format!("{}/oidc", emu.host());
    assert_eq!(doc["issuer"], issuer);
    assert_eq!(doc["jwks_uri"], format!("{issuer}/.well-known/jwks.json"));
    assert_eq!(doc["authorization_endpoint"], format!("{issuer}/auth"));
    assert_eq!(doc["token_endpoint"], format!("{issuer}/token"));
    assert_eq!(doc["userinfo_endpoint"], format!("{issuer}/me"));
    assert_eq!(doc["introspection_endpoint"], format!("{issuer}/token/introspection"));
    assert_eq!(doc["revocation_endpoint"], format!("{issuer}/token/revocation"));
    assert_eq!(doc["end_session_endpoint"], format!("{issuer}/session/end"));
    assert_eq!(doc["code_challenge_methods_supported"], json!(["S256", "plain"]));
    assert_eq!(
        doc["token_endpoint_auth_methods_supported"],
        json!(["client_secret_post", "client_secret_basic", "none"])
    );
    let set: Value =
        reqwest::get(format!("{}/oidc/.well-known/jwks.json", emu.host())).await.unwrap().json().await.unwrap();
    let keys = set["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "{set}");
    assert_eq!(keys[0]["kty"], "RSA");
    assert_eq!(keys[0]["use"], "sig");
    assert_eq!(keys[0]["alg"], "RS256");
    assert_eq!(keys[0]["kid"], emu.signing_key_id());
    let n = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(keys[0]["n"].as_str().unwrap()).unwrap();
    assert_eq!(n.len(), 256, "a 2048-bit modulus");
}

/// The whole code flow with PKCE for one client authentication method: form, code, tokens checked against the
/// JWKS, userinfo, then a second authorization that the session cookie lets skip the form.
async fn code_flow(method: TokenAuthMethod) {
    let emu = emulator(method).await;
    let browser = browser();
    let code = sign_in(&emu, &browser, "openid profile email offline_access").await;
    let (status, tokens) = exchange(&emu, &code, VERIFIER, method).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], "openid profile email offline_access");
    assert!(tokens["expires_in"].as_u64().is_some_and(|s| s > 0), "{tokens}");
    assert!(tokens["refresh_token"].as_str().is_some_and(|t| !t.is_empty()), "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let id = verify_rs256(&emu, tokens["id_token"].as_str().unwrap(), emu.app_id()).await.unwrap();
    assert_eq!(id["nonce"], "nonce-1");
    assert_eq!(id["at_hash"], at_hash(access));
    assert_eq!(id["email"], "ada@example.com");
    assert_eq!(id["userpool_id"], emu.user_pool_id());
    assert_eq!(id["data"]["username"], USERNAME);
    assert!(id.get("phone_number").is_none(), "no phone scope: {id}");
    let user_id = id["sub"].as_str().unwrap().to_owned();
    let claims = verify_rs256(&emu, access, emu.app_id()).await.unwrap();
    assert_eq!(claims["sub"], user_id.as_str());
    assert_eq!(claims["scope"], "openid profile email offline_access");
    for name in ["exp", "iat", "jti"] {
        assert!(claims.get(name).is_some(), "{name}: {claims}");
    }
    // The online check knows both tokens.
    for (name, token) in [("id_token", tokens["id_token"].as_str().unwrap()), ("access_token", access)] {
        let (_, body) = common::rest_get(&emu, &format!("/api/v2/oidc/validate_token?{name}={token}"), None).await;
        assert_eq!(body["sub"], user_id.as_str(), "{name}: {body}");
    }
    let me: Value = reqwest::Client::new()
        .get(format!("{}/oidc/me", emu.host()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["sub"], user_id.as_str());
    assert_eq!(me["email"], "ada@example.com");
    assert!(me.get("email_verified").is_some() && me.get("nickname").is_some(), "{me}");

    // The session cookie: the next authorization redirects at once.
    let params = auth_params(&emu, "openid");
    let res = browser.get(format!("{}/oidc/auth", emu.host())).query(&params).send().await.unwrap();
    let (base, pairs) = location(&res);
    assert_eq!(base, REDIRECT);
    let code = pair(&pairs, "code").unwrap().to_owned();
    let (status, body) = exchange(&emu, &code, VERIFIER, method).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("refresh_token").is_none(), "no offline_access, no refresh token: {body}");
    // prompt=login shows the form again.
    let mut params = auth_params(&emu, "openid");
    params.push(("prompt", "login".to_owned()));
    let res = browser.get(format!("{}/oidc/auth", emu.host())).query(&params).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("name=\"password\""));
}

#[tokio::test]
async fn code_flow_with_pkce_and_client_secret_post() {
    code_flow(TokenAuthMethod::ClientSecretPost).await;
}

#[tokio::test]
async fn code_flow_with_pkce_and_client_secret_basic() {
    code_flow(TokenAuthMethod::ClientSecretBasic).await;
}

#[tokio::test]
async fn code_flow_with_pkce_and_no_client_secret() {
    code_flow(TokenAuthMethod::None).await;
}

#[tokio::test]
async fn a_public_client_must_send_a_pkce_challenge() {
    let emu = emulator(TokenAuthMethod::None).await;
    let params: Vec<_> =
        auth_params(&emu, "openid").into_iter().filter(|(k, _)| !k.starts_with("code_challenge")).collect();
    let res = browser().get(format!("{}/oidc/auth", emu.host())).query(&params).send().await.unwrap();
    let (_, pairs) = location(&res);
    assert_eq!(pair(&pairs, "error"), Some("invalid_request"));
    assert_eq!(pair(&pairs, "state"), Some("st-<1>"));
}

#[tokio::test]
async fn wrong_credentials_show_the_form_again_without_the_password() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let mut form = auth_params(&emu, "openid");
    form.push(("username", USERNAME.to_owned()));
    form.push(("password", "not-the-Password-9".to_owned()));
    let res = browser().post(format!("{}/oidc/auth", emu.host())).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.unwrap();
    assert!(html.contains("Wrong username or password"), "{html}");
    assert!(!html.contains("not-the-Password-9"), "the password is not echoed");
}

#[tokio::test]
async fn unknown_client_or_redirect_uri_is_shown_not_redirected() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let browser = browser();
    let mut params = auth_params(&emu, "openid");
    params[1].1 = "http://evil.example/cb".to_owned();
    let res = browser.get(format!("{}/oidc/auth", emu.host())).query(&params).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get("location").is_none());
    assert!(res.text().await.unwrap().contains("redirect_uri is not registered"));
    let mut params = auth_params(&emu, "openid");
    params[0].1 = "not-an-app".to_owned();
    let res = browser.get(format!("{}/oidc/auth", emu.host())).query(&params).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get("location").is_none());
}

#[tokio::test]
async fn request_errors_are_redirected_with_the_state() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let browser = browser();
    let cases: [(&str, &str, &str); 3] = [
        ("response_type", "token", "unsupported_response_type"),
        ("scope", "profile email", "invalid_scope"),
        ("code_challenge_method", "S512", "invalid_request"),
    ];
    for (name, value, error) in cases {
        let params: Vec<_> = auth_params(&emu, "openid")
            .into_iter()
            .map(|(k, v)| if k == name { (k, value.to_owned()) } else { (k, v) })
            .collect();
        let res = browser.get(format!("{}/oidc/auth", emu.host())).query(&params).send().await.unwrap();
        let (base, pairs) = location(&res);
        assert_eq!(base, REDIRECT);
        assert_eq!(pair(&pairs, "error"), Some(error), "{name}={value}");
        assert_eq!(pair(&pairs, "state"), Some("st-<1>"));
        assert!(pair(&pairs, "code").is_none());
    }
    let mut params = auth_params(&emu, "openid");
    params.push(("response_mode", "form_post".to_owned()));
    let res = browser.get(format!("{}/oidc/auth", emu.host())).query(&params).send().await.unwrap();
    let (_, pairs) = location(&res);
    assert_eq!(pair(&pairs, "error"), Some("invalid_request"), "response_mode=form_post");
    let mut params = auth_params(&emu, "openid");
    params.push(("prompt", "none".to_owned()));
    let res = browser.get(format!("{}/oidc/auth", emu.host())).query(&params).send().await.unwrap();
    let (_, pairs) = location(&res);
    assert_eq!(pair(&pairs, "error"), Some("login_required"));
}

#[tokio::test]
async fn a_code_is_used_once() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let code = sign_in(&emu, &browser(), "openid").await;
    let (status, _) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
}

#[tokio::test]
async fn a_wrong_verifier_is_refused() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let code = sign_in(&emu, &browser(), "openid").await;
    let wrong = "x".repeat(50);
    let (status, body) = exchange(&emu, &code, &wrong, TokenAuthMethod::ClientSecretPost).await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
    assert!(body["error_description"].as_str().unwrap().contains("code_verifier"), "{body}");
}

#[tokio::test]
async fn a_plain_challenge_takes_the_verifier_itself() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let browser = browser();
    let mut form: Vec<_> = auth_params(&emu, "openid")
        .into_iter()
        .map(|(k, v)| match k {
            "code_challenge" => (k, VERIFIER.to_owned()),
            "code_challenge_method" => (k, "plain".to_owned()),
            _ => (k, v),
        })
        .collect();
    form.push(("username", "ada@example.com".to_owned()));
    form.push(("password", PASSWORD.to_owned()));
    let res = browser.post(format!("{}/oidc/auth", emu.host())).form(&form).send().await.unwrap();
    let (_, pairs) = location(&res);
    let (status, body) =
        exchange(&emu, pair(&pairs, "code").unwrap(), VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_redirect_uri_other_than_the_requests_is_refused() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let code = sign_in(&emu, &browser(), "openid").await;
    let form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("code", code),
        ("redirect_uri", "http://localhost:9/other".to_owned()),
        ("code_verifier", VERIFIER.to_owned()),
    ];
    let (status, body) = post(&emu, "/oidc/token", form, TokenAuthMethod::ClientSecretPost).await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let mut settings = emu.oidc_settings();
    settings.code_ttl = Duration::ZERO;
    emu.set_oidc_settings(settings);
    let code = sign_in(&emu, &browser(), "openid").await;
    let (status, body) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
    assert!(body["error_description"].as_str().unwrap().contains("expired"), "{body}");
}

#[tokio::test]
async fn a_wrong_secret_or_method_is_invalid_client() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let code = sign_in(&emu, &browser(), "openid").await;
    let form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("code", code.clone()),
        ("redirect_uri", REDIRECT.to_owned()),
        ("code_verifier", VERIFIER.to_owned()),
        ("client_id", emu.app_id().to_owned()),
        ("client_secret", "wrong-secret".to_owned()),
    ];
    let res = reqwest::Client::new().post(format!("{}/oidc/token", emu.host())).form(&form).send().await.unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_oauth_error(status, &body, 401, "invalid_client");
    assert!(!body.to_string().contains("wrong-secret"), "no secret in the answer");
    // Basic where the application expects post.
    let (status, body) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretBasic).await;
    assert_oauth_error(status, &body, 401, "invalid_client");
    // The refused attempts did not use the code up: client authentication comes first.
    let (status, body) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn unknown_grant_types_and_non_form_bodies_are_refused() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let (status, body) =
        post(&emu, "/oidc/token", vec![("grant_type", "password".to_owned())], TokenAuthMethod::ClientSecretPost).await;
    assert_oauth_error(status, &body, 400, "unsupported_grant_type");
    let res = reqwest::Client::new()
        .post(format!("{}/oidc/token", emu.host()))
        .json(&json!({ "grant_type": "authorization_code" }))
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert_oauth_error(status, &res.json().await.unwrap(), 400, "invalid_request");
}

async fn refresh(emu: &Emulator, token: &str) -> (StatusCode, Value) {
    let form = vec![("grant_type", "refresh_token".to_owned()), ("refresh_token", token.to_owned())];
    post(emu, "/oidc/token", form, TokenAuthMethod::ClientSecretPost).await
}

#[tokio::test]
async fn refresh_tokens_rotate_and_the_old_one_is_refused() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let code = sign_in(&emu, &browser(), "openid profile offline_access").await;
    let (_, first) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    let old = first["refresh_token"].as_str().unwrap();
    let (status, second) = refresh(&emu, old).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let new = second["refresh_token"].as_str().unwrap();
    assert_ne!(new, old);
    assert_ne!(second["access_token"], first["access_token"]);
    let id = verify_rs256(&emu, second["id_token"].as_str().unwrap(), emu.app_id()).await.unwrap();
    assert_eq!(id["at_hash"], at_hash(second["access_token"].as_str().unwrap()));
    let (status, body) = refresh(&emu, old).await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
    let (status, body) = refresh(&emu, new).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn revocation_makes_introspection_inactive() {
    let emu = emulator(TokenAuthMethod::ClientSecretBasic).await;
    let code = sign_in(&emu, &browser(), "openid offline_access").await;
    let (_, tokens) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretBasic).await;
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh_token = tokens["refresh_token"].as_str().unwrap().to_owned();
    let introspect = |token: String| {
        let emu = &emu;
        async move {
            post(emu, "/oidc/token/introspection", vec![("token", token)], TokenAuthMethod::ClientSecretBasic).await
        }
    };
    let (status, body) = introspect(access.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["active"], true, "{body}");
    assert_eq!(body["client_id"], emu.app_id());
    assert_eq!(body["scope"], "openid offline_access");
    let (_, body) = introspect(refresh_token.clone()).await;
    assert_eq!(body["active"], true, "{body}");

    for token in [&access, &refresh_token] {
        let (status, body) =
            post(&emu, "/oidc/token/revocation", vec![("token", token.clone())], TokenAuthMethod::ClientSecretBasic)
                .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, body) = introspect(access.clone()).await;
    assert_eq!(body, json!({ "active": false }));
    let (_, body) = common::rest_get(&emu, &format!("/api/v2/oidc/validate_token?access_token={access}"), None).await;
    assert_eq!(body["code"], 400, "a revoked access token is invalid for validate_token too: {body}");
    let (_, body) = introspect(refresh_token.clone()).await;
    assert_eq!(body, json!({ "active": false }));
    let (status, body) = introspect("not-a-token".to_owned()).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "active": false })));
    // A revoked access token is refused by userinfo; a revoked refresh token by the token endpoint.
    let res = reqwest::Client::new().get(format!("{}/oidc/me", emu.host())).bearer_auth(&access).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["www-authenticate"], "Bearer error=\"invalid_token\"");
    let form = vec![("grant_type", "refresh_token".to_owned()), ("refresh_token", refresh_token)];
    let (status, body) = post(&emu, "/oidc/token", form, TokenAuthMethod::ClientSecretBasic).await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
    // Introspection authenticates its client too.
    let (status, body) =
        post(&emu, "/oidc/token/introspection", vec![("token", access)], TokenAuthMethod::ClientSecretPost).await;
    assert_oauth_error(status, &body, 401, "invalid_client");
}

#[tokio::test]
async fn client_credentials_with_an_access_account() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let account = emu.create_access_account();
    assert!(!format!("{account:?}").contains(&account.secret));
    let form = vec![
        ("grant_type", "client_credentials".to_owned()),
        ("client_id", account.key.clone()),
        ("client_secret", account.secret.clone()),
        ("scope", "books:read".to_owned()),
    ];
    let res = reqwest::Client::new().post(format!("{}/oidc/token", emu.host())).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["scope"], "books:read");
    assert!(body.get("id_token").is_none() && body.get("refresh_token").is_none(), "{body}");
    let claims = verify_rs256(&emu, body["access_token"].as_str().unwrap(), emu.app_id()).await.unwrap();
    assert_eq!(claims["sub"], account.key.as_str());
    assert_eq!(claims["scope"], "books:read");
    // Basic works too; a wrong secret does not.
    let form = vec![("grant_type", "client_credentials".to_owned()), ("scope", "books:read".to_owned())];
    let res = reqwest::Client::new()
        .post(format!("{}/oidc/token", emu.host()))
        .basic_auth(&account.key, Some(&account.secret))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let form = vec![
        ("grant_type", "client_credentials".to_owned()),
        ("client_id", account.key.clone()),
        ("client_secret", "wrong".to_owned()),
        ("scope", "books:read".to_owned()),
    ];
    let res = reqwest::Client::new().post(format!("{}/oidc/token", emu.host())).form(&form).send().await.unwrap();
    let status = res.status();
    assert_oauth_error(status, &res.json().await.unwrap(), 401, "invalid_client");
}

#[tokio::test]
async fn a_login_token_is_exchanged_for_oidc_tokens() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let mt = common::management_token(&emu).await;
    let user_id = emu.add_user(NewUser::new().username("grace").password(PASSWORD)).unwrap();
    let user_token = common::user_token(&emu, &mt, &user_id).await;
    let form = vec![
        ("grant_type", "http://authing.cn/oidc/grant_type/authing_token".to_owned()),
        ("token", user_token),
        ("scope", "openid profile".to_owned()),
        ("redirect_uri", REDIRECT.to_owned()),
    ];
    let (status, body) = post(&emu, "/oidc/token", form, TokenAuthMethod::ClientSecretPost).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = verify_rs256(&emu, body["id_token"].as_str().unwrap(), emu.app_id()).await.unwrap();
    assert_eq!(id["sub"], user_id.as_str());
    let form = vec![
        ("grant_type", "http://authing.cn/oidc/grant_type/authing_token".to_owned()),
        ("token", "not-a-token".to_owned()),
    ];
    let (status, body) = post(&emu, "/oidc/token", form, TokenAuthMethod::ClientSecretPost).await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
}

#[tokio::test]
async fn a_rotated_key_leaves_the_jwks_and_its_tokens_fail() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let code = sign_in(&emu, &browser(), "openid").await;
    let (_, tokens) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    let old_kid = emu.signing_key_id();
    let rotated: Value = reqwest::Client::new()
        .post(format!("{}/_emulator/oidc/rotate-key", emu.host()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new_kid = rotated["kid"].as_str().unwrap();
    assert_ne!(new_kid, old_kid);
    assert_eq!(emu.signing_key_id(), new_kid);
    let set = jwks(&emu).await;
    assert!(set.find(&old_kid).is_none() && set.find(new_kid).is_some());
    let err = verify_rs256(&emu, tokens["id_token"].as_str().unwrap(), emu.app_id()).await.unwrap_err();
    assert!(err.contains("not in the JWKS"), "{err}");
    let (_, body) = post(
        &emu,
        "/oidc/token/introspection",
        vec![("token", tokens["access_token"].as_str().unwrap().to_owned())],
        TokenAuthMethod::ClientSecretPost,
    )
    .await;
    assert_eq!(body, json!({ "active": false }));
    // New tokens carry the new kid; the in-process rotation does the same.
    let code = sign_in(&emu, &browser(), "openid").await;
    let (_, tokens) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    assert_eq!(verify_rs256(&emu, tokens["id_token"].as_str().unwrap(), emu.app_id()).await.map(|_| ()), Ok(()));
    let third = emu.rotate_signing_key();
    assert_eq!(jwks(&emu).await.keys[0].common.key_id.as_deref(), Some(third.as_str()));
}

#[tokio::test]
async fn hs256_id_tokens_are_signed_with_the_app_secret() {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    let emu = Emulator::builder()
        .redirect_uris([REDIRECT])
        .id_token_algorithm(IdTokenAlgorithm::Hs256)
        .start()
        .await
        .unwrap();
    emu.add_user(NewUser::new().username(USERNAME).password(PASSWORD)).unwrap();
    let code = sign_in(&emu, &browser(), "openid").await;
    let (_, tokens) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    let id_token = tokens["id_token"].as_str().unwrap();
    assert_eq!(jsonwebtoken::decode_header(id_token).unwrap().alg, Algorithm::HS256);
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[emu.app_id()]);
    validation.set_issuer(&[format!("{}/oidc", emu.host())]);
    let key = DecodingKey::from_secret(emu.app_secret().as_bytes());
    let claims = jsonwebtoken::decode::<Value>(id_token, &key, &validation).unwrap().claims;
    assert_eq!(claims["nonce"], "nonce-1");
    // The access token stays RS256.
    assert!(verify_rs256(&emu, tokens["access_token"].as_str().unwrap(), emu.app_id()).await.is_ok());
}

#[tokio::test]
async fn session_end_forgets_the_browser_and_redirects() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let browser = browser();
    sign_in(&emu, &browser, "openid").await;
    let res = browser
        .get(format!("{}/oidc/session/end", emu.host()))
        .query(&[("post_logout_redirect_uri", REDIRECT), ("state", "bye")])
        .send()
        .await
        .unwrap();
    let (base, pairs) = location(&res);
    assert_eq!(base, REDIRECT);
    assert_eq!(pair(&pairs, "state"), Some("bye"));
    let res =
        browser.get(format!("{}/oidc/auth", emu.host())).query(&auth_params(&emu, "openid")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the form again");
    let res = browser
        .get(format!("{}/oidc/session/end", emu.host()))
        .query(&[("post_logout_redirect_uri", "http://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_oauth_paths_serve_the_same_flow() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let browser = browser();
    let mut form = auth_params(&emu, "user");
    form.push(("username", USERNAME.to_owned()));
    form.push(("password", PASSWORD.to_owned()));
    let res = browser.post(format!("{}/oauth/auth", emu.host())).form(&form).send().await.unwrap();
    let (_, pairs) = location(&res);
    let form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("code", pair(&pairs, "code").unwrap().to_owned()),
        ("redirect_uri", REDIRECT.to_owned()),
        ("code_verifier", VERIFIER.to_owned()),
    ];
    let (status, body) = post(&emu, "/oauth/token", form, TokenAuthMethod::ClientSecretPost).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("id_token").is_none(), "no openid scope, no id token: {body}");
    let res = reqwest::Client::new()
        .post(format!("{}/oauth/me", emu.host()))
        .bearer_auth(body["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

/// A password login over GraphQL; returns the login token.
async fn login_token(emu: &Emulator) -> String {
    let password = authing_emulator::crypto::encrypt_password(emu.public_key_pem(), PASSWORD).unwrap();
    let query = "mutation loginByUsername($input: LoginByUsernameInput!) { loginByUsername(input: $input) { token } }";
    let body = common::gql(emu, query, json!({ "input": { "username": USERNAME, "password": password } }), None).await;
    body["data"]["loginByUsername"]["token"].as_str().unwrap_or_else(|| panic!("{body}")).to_owned()
}

#[tokio::test]
async fn login_tokens_are_id_tokens_signed_like_the_apps() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let token = login_token(&emu).await;
    let claims = verify_rs256(&emu, &token, emu.app_id()).await.unwrap();
    assert_eq!(claims["data"]["username"], USERNAME);
    let (_, me) = common::rest_get(&emu, "/api/v2/users/me", Some(&token)).await;
    assert_eq!(me["code"], 200, "{me}");
    // After a rotation the old login token is refused everywhere; a new login works.
    emu.rotate_signing_key();
    let (_, me) = common::rest_get(&emu, "/api/v2/users/me", Some(&token)).await;
    assert_eq!(me["code"], 2020, "{me}");
    let token = login_token(&emu).await;
    assert!(verify_rs256(&emu, &token, emu.app_id()).await.is_ok());

    // HS256: signed with the app secret, and still a valid user token.
    let mut settings = emu.oidc_settings();
    settings.id_token_algorithm = IdTokenAlgorithm::Hs256;
    emu.set_oidc_settings(settings);
    let token = login_token(&emu).await;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[emu.app_id()]);
    let key = DecodingKey::from_secret(emu.app_secret().as_bytes());
    assert!(jsonwebtoken::decode::<Value>(&token, &key, &validation).is_ok());
    let (_, me) = common::rest_get(&emu, "/api/v2/users/me", Some(&token)).await;
    assert_eq!(me["code"], 200, "{me}");
    // A management token forged with the app secret is not a management token.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let forged = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(Algorithm::HS256),
        &json!({
            "sub": "x", "iat": now, "exp": now + 600, "jti": "j", "iss": "authing-emulator",
            "userPoolId": emu.user_pool_id(), "data": { "type": "management", "id": "x", "userPoolId": emu.user_pool_id() },
        }),
        &jsonwebtoken::EncodingKey::from_secret(emu.app_secret().as_bytes()),
    )
    .unwrap();
    let body = common::gql(&emu, "query { users { totalCount } }", json!({}), Some(&forged)).await;
    common::assert_code(&body, 2020);
}

/// CAS login through the form; returns the service ticket.
async fn cas_ticket(emu: &Emulator, browser: &reqwest::Client) -> String {
    let path = format!("{}/cas-idp/{}", emu.host(), emu.app_id());
    // `renew=true` shows the form even to a browser with a session.
    let page = browser.get(&path).query(&[("service", REDIRECT), ("renew", "true")]).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("name=\"service\""));
    let form = [("service", REDIRECT), ("username", USERNAME), ("password", PASSWORD)];
    let res = browser.post(&path).form(&form).send().await.unwrap();
    let (base, pairs) = location(&res);
    assert_eq!(base, REDIRECT);
    let ticket = pair(&pairs, "ticket").unwrap().to_owned();
    assert!(ticket.starts_with("ST-"), "{ticket}");
    ticket
}

#[tokio::test]
async fn cas_tickets_validate_once_for_their_service() {
    let emu = emulator(TokenAuthMethod::ClientSecretPost).await;
    let browser = browser();
    let v1 = format!("{}/cas-idp/{}/validate", emu.host(), emu.app_id());
    let v2 = format!("{}/cas-idp/{}/serviceValidate", emu.host(), emu.app_id());
    let ticket = cas_ticket(&emu, &browser).await;
    let text = |url: String, q: Vec<(&'static str, String)>| async move {
        reqwest::Client::new().get(url).query(&q).send().await.unwrap().text().await.unwrap()
    };
    assert_eq!(text(v1.clone(), vec![("service", REDIRECT.into()), ("ticket", ticket.clone())]).await, "yes\nada\n");
    assert_eq!(text(v1.clone(), vec![("service", REDIRECT.into()), ("ticket", ticket)]).await, "no\n", "used once");

    // The session cookie skips the form; serviceValidate in JSON and XML.
    let res = browser
        .get(format!("{}/cas-idp/{}", emu.host(), emu.app_id()))
        .query(&[("service", REDIRECT)])
        .send()
        .await
        .unwrap();
    let (_, pairs) = location(&res);
    let ticket = pair(&pairs, "ticket").unwrap().to_owned();
    let q = vec![("service", REDIRECT.to_owned()), ("ticket", ticket), ("format", "JSON".to_owned())];
    let body: Value = serde_json::from_str(&text(v2.clone(), q).await).unwrap();
    let success = &body["serviceResponse"]["authenticationSuccess"];
    assert_eq!(success["user"], USERNAME, "{body}");
    assert_eq!(success["attributes"]["email"], "ada@example.com");
    let ticket = cas_ticket(&emu, &browser).await;
    let xml = text(v2.clone(), vec![("service", REDIRECT.into()), ("ticket", ticket)]).await;
    assert!(xml.contains("<cas:authenticationSuccess><cas:user>ada</cas:user>"), "{xml}");
    // A ticket for another service, and a missing ticket.
    let ticket = cas_ticket(&emu, &browser).await;
    let q = vec![("service", "http://localhost:9/other".to_owned()), ("ticket", ticket), ("format", "JSON".to_owned())];
    let body: Value = serde_json::from_str(&text(v2.clone(), q).await).unwrap();
    assert_eq!(body["serviceResponse"]["authenticationFailure"]["code"], "INVALID_SERVICE", "{body}");
    let xml = text(v2, vec![("service", REDIRECT.into())]).await;
    assert!(xml.contains("code=\"INVALID_REQUEST\""), "{xml}");

    // /cas/session follows the cookie; logout ends it.
    let session: Value = browser.get(format!("{}/cas/session", emu.host())).send().await.unwrap().json().await.unwrap();
    assert_eq!(session["userInfo"]["username"], USERNAME, "{session}");
    assert_eq!(session["session"]["appId"], emu.app_id());
    let res = browser.get(format!("{}/cas-idp/logout", emu.host())).query(&[("url", REDIRECT)]).send().await.unwrap();
    assert_eq!(location(&res).0, REDIRECT);
    let session: Value = browser.get(format!("{}/cas/session", emu.host())).send().await.unwrap().json().await.unwrap();
    assert_eq!(session, Value::Null);
    // An unregistered service is refused on the page.
    let res = browser
        .get(format!("{}/cas-idp/{}", emu.host(), emu.app_id()))
        .query(&[("service", "http://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn expired_tokens_are_inactive_and_refused() {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    let emu = Emulator::builder()
        .redirect_uris([REDIRECT])
        .access_token_ttl(Duration::from_secs(1))
        .refresh_token_ttl(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    emu.add_user(NewUser::new().username(USERNAME).password(PASSWORD)).unwrap();
    let code = sign_in(&emu, &browser(), "openid offline_access").await;
    let (_, tokens) = exchange(&emu, &code, VERIFIER, TokenAuthMethod::ClientSecretPost).await;
    assert_eq!(tokens["expires_in"], 1, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh_token = tokens["refresh_token"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    for token in [&access, &refresh_token] {
        let form = vec![("token", token.clone())];
        let (_, body) = post(&emu, "/oidc/token/introspection", form, TokenAuthMethod::ClientSecretPost).await;
        assert_eq!(body, json!({ "active": false }));
    }
    let res = reqwest::Client::new().get(format!("{}/oidc/me", emu.host())).bearer_auth(&access).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (status, body) = refresh(&emu, &refresh_token).await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
}
