//! REST for directory logins and principal authentication (the rules are in `store::directory` and
//! `store::principal`):
//!
//! * no token: `POST /api/v2/ldap/verify-user` and `POST /api/v2/ad/verify-user` `{username, password}` (the
//!   password in clear text), each answering the signed-in user (`token` included); an `x-authing-app-id`
//!   naming another application gives 2011;
//! * a management token: `GET` and `POST /api/v2/users/{id}/management/principal_authentication` (the
//!   submission `{type, name, idCard, ext}` as a JSON body or as query parameters);
//! * a user token: `GET` and `POST /api/v2/users/principal_authentication` (the same, for the caller).

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;

use super::RestState;
use super::envelope::{bearer, body, reply, require_management, required};
use crate::http::origin;
use crate::store::directory::{self, DirectoryKind};
use crate::store::error::{ApiError, Code};
use crate::store::principal::{self, Submission};
use crate::store::tokens;

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/ldap/verify-user", post(ldap_login))
        .route("/api/v2/ad/verify-user", post(ad_login))
        .route("/api/v2/users/{id}/management/principal_authentication", get(principal_of_user).post(authenticate_user))
        .route("/api/v2/users/principal_authentication", get(own_principal).post(authenticate_self))
}

#[derive(Deserialize, Default)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

fn directory_login(
    app: &RestState,
    kind: DirectoryKind,
    headers: &HeaderMap,
    peer: SocketAddr,
    bytes: &Bytes,
) -> Result<Value, ApiError> {
    let path = format!("/api/v2/{}/verify-user", kind.provider());
    let app_id = headers.get("x-authing-app-id").and_then(|v| v.to_str().ok()).map(str::trim);
    if app_id.is_some_and(|id| !id.is_empty() && id != app.state.app.id) {
        return Err(ApiError::new(Code::AppNotFound));
    }
    let credentials: Credentials = body(bytes)?;
    let username = required("username", credentials.username.as_deref())?;
    let password = credentials.password.as_deref().filter(|p| !p.is_empty());
    let password = required("password", password)?;
    let ip = origin(headers, peer, &path).ip;
    Ok(directory::directory_login(&app.state, kind, username, password, &ip)?.to_json())
}

/// `POST /api/v2/ldap/verify-user` `{username, password}`.
async fn ldap_login(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let result = directory_login(&app, DirectoryKind::Ldap, &headers, peer, &bytes);
    reply(&headers, result)
}

/// `POST /api/v2/ad/verify-user` `{username, password}`.
async fn ad_login(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let result = directory_login(&app, DirectoryKind::Ad, &headers, peer, &bytes);
    reply(&headers, result)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SubmissionDoc {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    id_card: Option<String>,
    ext: Option<String>,
}

/// The submission: the JSON body when there is one (JS), else the query parameters (PY).
fn submission(query: &HashMap<String, String>, bytes: &Bytes) -> Result<Submission, ApiError> {
    let doc: SubmissionDoc = if bytes.iter().all(u8::is_ascii_whitespace) {
        SubmissionDoc {
            kind: query.get("type").cloned(),
            name: query.get("name").cloned(),
            id_card: query.get("idCard").cloned(),
            ext: query.get("ext").cloned(),
        }
    } else {
        body(bytes)?
    };
    Ok(Submission { kind: doc.kind, name: doc.name, id_card: doc.id_card, ext: doc.ext })
}

/// `GET /api/v2/users/{id}/management/principal_authentication`.
async fn principal_of_user(AxState(app): AxState<RestState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let state = &app.state;
    let result = require_management(state, &headers).and_then(|_| principal::detail(state, &id));
    reply(&headers, result)
}

/// `POST /api/v2/users/{id}/management/principal_authentication`.
async fn authenticate_user(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    bytes: Bytes,
) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        principal::authenticate(state, &id, &submission(&query, &bytes)?)
    })();
    reply(&headers, result)
}

/// `GET /api/v2/users/principal_authentication`.
async fn own_principal(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let state = &app.state;
    let result = tokens::token_user(state, bearer(&headers)).and_then(|(_, user)| principal::detail(state, &user.id));
    reply(&headers, result)
}

/// `POST /api/v2/users/principal_authentication`.
async fn authenticate_self(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    bytes: Bytes,
) -> Response {
    let state = &app.state;
    let result = (|| {
        let (_, user) = tokens::token_user(state, bearer(&headers))?;
        principal::authenticate(state, &user.id, &submission(&query, &bytes)?)
    })();
    reply(&headers, result)
}
