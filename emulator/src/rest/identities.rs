//! REST for identities and resignation (the rules are in `store::identities`):
//!
//! * a management token: `POST /api/v2/users/identity/link` `{userId, userIdInIdp, isSocial, type?, identifier,
//!   extIdpId}` and `POST /api/v2/users/identity/unlink` `{userId, isSocial, type?, identifier, extIdpId}`
//!   (`data` null); `POST /api/v3/resign-user` `{userId}` and `POST /api/v3/resign-user-batch` `{userIds}`
//!   (`data` null);
//! * a user token: `GET /api/v3/get-identities` (`data` = the caller's identities),
//!   `POST /api/v3/unlink-extidp` `{extIdpId}` (`data` null), and
//!   `GET /api/v3/generate-link-extidp-url?ext_idp_conn_identifier=&id_token=&app_id=` (`data` = `{url}`, the
//!   page `/connections/social/{identifier}` of this host with `app_id`, `id_token` and `link=1`; the identifier
//!   is not checked, as Authing does not check it; 400 for a blank identifier or id token).
//!
//! The v3 endpoints answer with the v2 envelope (`code: 200`), which the JS SDK also accepts.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State as AxState};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

use super::RestState;
use super::envelope::{bearer, body, reply, require_management, required};
use crate::store::error::{ApiError, Code};
use crate::store::identities::{self, IdentityRef};
use crate::store::tokens;

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/users/identity/link", post(link))
        .route("/api/v2/users/identity/unlink", post(unlink))
        .route("/api/v3/resign-user", post(resign_user))
        .route("/api/v3/resign-user-batch", post(resign_users))
        .route("/api/v3/get-identities", get(own_identities))
        .route("/api/v3/unlink-extidp", post(unlink_ext_idp))
        .route("/api/v3/generate-link-extidp-url", get(link_ext_idp_url))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct IdentityBody {
    user_id: Option<String>,
    user_id_in_idp: Option<String>,
    is_social: Option<bool>,
    #[serde(rename = "type")]
    kind: Option<String>,
    identifier: Option<String>,
    ext_idp_id: Option<String>,
}

impl IdentityBody {
    fn split(self) -> Result<(String, IdentityRef), ApiError> {
        let user_id = required("userId", self.user_id.as_deref())?.to_owned();
        let what = IdentityRef {
            user_id_in_idp: self.user_id_in_idp,
            is_social: self.is_social,
            kind: self.kind,
            identifier: self.identifier,
            ext_idp_id: self.ext_idp_id,
        };
        Ok((user_id, what))
    }
}

/// `POST /api/v2/users/identity/link`.
async fn link(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        let (user_id, what) = body::<IdentityBody>(&bytes)?.split()?;
        identities::link(state, &user_id, &what).map(|_| Value::Null)
    })();
    reply(&headers, result)
}

/// `POST /api/v2/users/identity/unlink`.
async fn unlink(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        let (user_id, what) = body::<IdentityBody>(&bytes)?.split()?;
        identities::unlink(state, &user_id, &what).map(|_| Value::Null)
    })();
    reply(&headers, result)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ResignBody {
    user_id: Option<String>,
    user_ids: Option<Vec<String>>,
}

/// `POST /api/v3/resign-user` `{userId}`.
async fn resign_user(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        let body: ResignBody = body(&bytes)?;
        let id = required("userId", body.user_id.as_deref())?.to_owned();
        identities::resign(state, &[id]).map(|()| Value::Null)
    })();
    reply(&headers, result)
}

/// `POST /api/v3/resign-user-batch` `{userIds}`.
async fn resign_users(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        let body: ResignBody = body(&bytes)?;
        let ids = body
            .user_ids
            .filter(|ids| !ids.is_empty())
            .ok_or_else(|| ApiError::with_message(Code::BadRequest, "缺少 userIds", "userIds is missing"))?;
        identities::resign(state, &ids).map(|()| Value::Null)
    })();
    reply(&headers, result)
}

/// `GET /api/v3/get-identities`.
async fn own_identities(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let state = &app.state;
    let result = tokens::token_user(state, bearer(&headers)).map(|(_, user)| identities::identities_json(&user));
    reply(&headers, result)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ExtIdpBody {
    ext_idp_id: Option<String>,
}

/// `POST /api/v3/unlink-extidp` `{extIdpId}`.
async fn unlink_ext_idp(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        let (_, user) = tokens::token_user(state, bearer(&headers))?;
        let body: ExtIdpBody = body(&bytes)?;
        let ext_idp_id = required("extIdpId", body.ext_idp_id.as_deref())?;
        identities::unlink_ext_idp(state, &user.id, ext_idp_id).map(|_| Value::Null)
    })();
    reply(&headers, result)
}

/// `GET /api/v3/generate-link-extidp-url?ext_idp_conn_identifier=&id_token=&app_id=`.
async fn link_ext_idp_url(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = &app.state;
    let result = (|| {
        tokens::token_user(state, bearer(&headers))?;
        let identifier = required("ext_idp_conn_identifier", query.get("ext_idp_conn_identifier").map(String::as_str))?;
        let id_token = required("id_token", query.get("id_token").map(String::as_str))?;
        let app_id = query.get("app_id").map_or(state.app.id.as_str(), String::as_str);
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
        let url = link_page(host, identifier, app_id, id_token)?;
        Ok(json!({ "url": url.as_str() }))
    })();
    reply(&headers, result)
}

/// `http://{host}/connections/social/{identifier}?app_id=&id_token=&link=1`, each part encoded.
fn link_page(host: &str, identifier: &str, app_id: &str, id_token: &str) -> Result<Url, ApiError> {
    let bad_host = || ApiError::with_message(Code::BadRequest, "Host 不正确", "The Host header is not a host");
    let mut url = Url::parse(&format!("http://{host}/")).map_err(|_| bad_host())?;
    url.path_segments_mut().map_err(|()| bad_host())?.extend(["connections", "social", identifier]);
    url.query_pairs_mut().append_pair("app_id", app_id).append_pair("id_token", id_token).append_pair("link", "1");
    Ok(url)
}
