//! The OIDC / OAuth 2.0 provider's HTTP front end (axum). The handlers read the request and call
//! `store::oidc`; every route exists under `/oidc/` and, for Authing's OAuth protocol, `/oauth/`.
//!
//! * `GET /oidc/.well-known/openid-configuration`: the discovery document; `GET /oidc/.well-known/jwks.json`:
//!   the public signing key set.
//! * `GET|POST /{oidc,oauth}/auth`: the authorization endpoint and its sign-in form (module [`authorize`]).
//! * `POST /{oidc,oauth}/token`: grants `authorization_code`, `refresh_token`, `client_credentials` and
//!   `http://authing.cn/oidc/grant_type/authing_token`; the body is a form, the answer the token set or an
//!   RFC 6749 error `{error, error_description}` (400, or 401 for `invalid_client`).
//! * `GET|POST /{oidc,oauth}/me`: userinfo of the access token (`Authorization: Bearer`, or `access_token`
//!   in the query or the form body); 401 with `WWW-Authenticate: Bearer error="invalid_token"` when invalid.
//! * `POST /{oidc,oauth}/token/introspection` (RFC 7662) and `POST /{oidc,oauth}/token/revocation` (RFC 7009,
//!   answers 200 with an empty body), with client authentication.
//! * `GET /{oidc,oauth}/session/end?id_token_hint=&post_logout_redirect_uri=&state=`: ends the browser session,
//!   then redirects to `post_logout_redirect_uri` (which must be a registered redirect URI) or shows a page.
//! * CAS: `/cas-idp/{appId}` (login), `/cas-idp/{appId}/validate`, `/cas-idp/{appId}/serviceValidate`,
//!   `/cas-idp/logout` and `/cas/session` (module [`cas`]).
//! * `POST /_emulator/oidc/rotate-key` (the emulator's own, not Authing's): replaces the signing key; answers
//!   `{"kid": "<new kid>"}`. Tokens signed by the old key are no longer valid anywhere.

mod authorize;
mod cas;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{Value, json};

use crate::store::oidc::{self, ClientCredentials, Endpoint, OAuthError, TokenAuthMethod};
use crate::store::state::State;

type St = AxState<Arc<State>>;
type Params = HashMap<String, String>;

/// The name of the browser session cookie.
pub(crate) const SESSION_COOKIE: &str = "authing_emulator_session";

/// The routes of the provider.
pub(crate) fn routes(state: Arc<State>) -> Router {
    let mut router = Router::new()
        .route("/oidc/.well-known/openid-configuration", get(discovery))
        .route("/oidc/.well-known/jwks.json", get(jwks))
        .route("/_emulator/oidc/rotate-key", post(rotate_key))
        .route("/cas-idp/logout", get(cas::logout))
        .route("/cas-idp/{app_id}", get(cas::login).post(cas::submit))
        .route("/cas-idp/{app_id}/validate", get(cas::validate_v1))
        .route("/cas-idp/{app_id}/serviceValidate", get(cas::validate_v2))
        .route("/cas/session", get(cas::session));
    for p in ["/oidc", "/oauth"] {
        router = router
            .route(&format!("{p}/auth"), get(authorize::show).post(authorize::submit))
            .route(&format!("{p}/token"), post(token))
            .route(&format!("{p}/me"), get(me).post(me))
            .route(&format!("{p}/token/introspection"), post(introspection))
            .route(&format!("{p}/token/revocation"), post(revocation))
            .route(&format!("{p}/session/end"), get(authorize::end_session));
    }
    router.with_state(state)
}

async fn discovery(AxState(state): St) -> Response {
    let issuer = state.auth.issuer();
    let methods: Vec<&str> =
        [TokenAuthMethod::ClientSecretPost, TokenAuthMethod::ClientSecretBasic, TokenAuthMethod::None]
            .into_iter()
            .map(TokenAuthMethod::as_str)
            .collect();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/auth"),
        "token_endpoint": format!("{issuer}/token"),
        "userinfo_endpoint": format!("{issuer}/me"),
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "introspection_endpoint": format!("{issuer}/token/introspection"),
        "revocation_endpoint": format!("{issuer}/token/revocation"),
        "end_session_endpoint": format!("{issuer}/session/end"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials", oidc::AUTHING_TOKEN_GRANT],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "HS256"],
        "token_endpoint_auth_methods_supported": methods,
        "introspection_endpoint_auth_methods_supported": methods,
        "revocation_endpoint_auth_methods_supported": methods,
        "code_challenge_methods_supported": ["S256", "plain"],
        "scopes_supported": ["openid", "profile", "email", "phone", "address", "offline_access"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "nonce", "at_hash", "name", "nickname", "given_name", "middle_name",
            "family_name", "preferred_username", "profile", "picture", "website", "birthdate", "gender", "zoneinfo",
            "locale", "updated_at", "email", "email_verified", "phone_number", "phone_number_verified", "address",
        ],
        "request_parameter_supported": false,
        "claims_parameter_supported": false,
    }))
    .into_response()
}

async fn jwks(AxState(state): St) -> Response {
    Json(state.oidc.keys.jwks()).into_response()
}

async fn rotate_key(AxState(state): St) -> Response {
    match tokio::task::spawn_blocking(move || state.oidc.keys.rotate()).await {
        Ok(kid) => Json(json!({ "kid": kid })).into_response(),
        Err(_) => oauth_error(&OAuthError::invalid_request("the key could not be generated")),
    }
}

/// An RFC 6749 error answer; `invalid_client` and `invalid_token` carry their `WWW-Authenticate` challenge.
fn oauth_error(err: &OAuthError) -> Response {
    let status = StatusCode::from_u16(err.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response =
        (status, Json(json!({ "error": err.error, "error_description": err.description }))).into_response();
    let challenge = match err.error {
        "invalid_client" => Some("Basic realm=\"authing-emulator\"".to_owned()),
        "invalid_token" => Some("Bearer error=\"invalid_token\"".to_owned()),
        _ => None,
    };
    if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    no_store(response)
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The form body, or `invalid_request` when it is not `application/x-www-form-urlencoded`.
fn form_of(form: Result<Form<Params>, FormRejection>) -> Result<Params, OAuthError> {
    form.map(|Form(p)| p)
        .map_err(|_| OAuthError::invalid_request("the body must be an application/x-www-form-urlencoded form"))
}

/// The `Authorization: Basic` pair, each half form-decoded (RFC 6749 §2.3.1).
fn basic(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Some((scheme, encoded)) = value.trim().split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let bad = || OAuthError::invalid_client("the Authorization: Basic header is malformed");
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let text = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = text.split_once(':').ok_or_else(bad)?;
    let unescape = |s: &str| -> String {
        url::form_urlencoded::parse(format!("v={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
    };
    Ok(Some((unescape(id), unescape(secret))))
}

fn credentials(headers: &HeaderMap, form: &Params) -> Result<ClientCredentials, OAuthError> {
    Ok(ClientCredentials {
        basic: basic(headers)?,
        client_id: form.get("client_id").filter(|v| !v.is_empty()).cloned(),
        client_secret: form.get("client_secret").filter(|v| !v.is_empty()).cloned(),
    })
}

fn token_grant(state: &State, headers: &HeaderMap, form: &Params) -> Result<Value, OAuthError> {
    let creds = credentials(headers, form)?;
    let field = |name: &str| form.get(name).map(String::as_str);
    let grant = field("grant_type").filter(|g| !g.is_empty());
    let Some(grant) = grant else {
        return Err(OAuthError::invalid_request("grant_type is required"));
    };
    match grant {
        "authorization_code" => {
            let client = oidc::authenticate_client(state, Endpoint::Token, &creds)?;
            oidc::exchange_code(state, &client, field("code"), field("redirect_uri"), field("code_verifier"))
        }
        "refresh_token" => {
            let client = oidc::authenticate_client(state, Endpoint::Token, &creds)?;
            oidc::refresh(state, &client, field("refresh_token"))
        }
        "client_credentials" => oidc::client_credentials(state, &creds, field("scope")),
        oidc::AUTHING_TOKEN_GRANT => {
            let client = oidc::authenticate_client(state, Endpoint::Token, &creds)?;
            oidc::exchange_user_token(state, &client, field("token").or(field("id_token")), field("scope"))
        }
        other => Err(OAuthError::unsupported_grant_type(other)),
    }
}

async fn token(AxState(state): St, headers: HeaderMap, form: Result<Form<Params>, FormRejection>) -> Response {
    let answer = form_of(form).and_then(|form| token_grant(&state, &headers, &form));
    match answer {
        Ok(body) => no_store(Json(body).into_response()),
        Err(e) => oauth_error(&e),
    }
}

async fn me(
    AxState(state): St,
    headers: HeaderMap,
    Query(query): Query<Params>,
    form: Result<Form<Params>, FormRejection>,
) -> Response {
    let header_token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::store::tokens::bearer)
        .map(str::to_owned);
    let body = form.map(|Form(p)| p).unwrap_or_default();
    let token =
        header_token.or_else(|| query.get("access_token").cloned()).or_else(|| body.get("access_token").cloned());
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return oauth_error(&OAuthError::invalid_token("no access token: send Authorization: Bearer <access token>"));
    };
    match oidc::userinfo(&state, &token) {
        Ok(claims) => no_store(Json(claims).into_response()),
        Err(e) => oauth_error(&e),
    }
}

fn token_param(form: &Params) -> Result<&str, OAuthError> {
    form.get("token")
        .map(String::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| OAuthError::invalid_request("token is required"))
}

async fn introspection(AxState(state): St, headers: HeaderMap, form: Result<Form<Params>, FormRejection>) -> Response {
    let answer = form_of(form).and_then(|form| {
        oidc::authenticate_client(&state, Endpoint::Introspection, &credentials(&headers, &form)?)?;
        Ok(oidc::introspect(&state, token_param(&form)?))
    });
    match answer {
        Ok(body) => no_store(Json(body).into_response()),
        Err(e) => oauth_error(&e),
    }
}

async fn revocation(AxState(state): St, headers: HeaderMap, form: Result<Form<Params>, FormRejection>) -> Response {
    let answer = form_of(form).and_then(|form| {
        oidc::authenticate_client(&state, Endpoint::Revocation, &credentials(&headers, &form)?)?;
        oidc::revoke(&state, token_param(&form)?);
        Ok(())
    });
    match answer {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => oauth_error(&e),
    }
}
