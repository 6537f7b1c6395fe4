//! REST for identities and resignation (the rules are in `store::identities`):
//!
//! * a management token: `POST /api/v2/users/identity/link` `{userId, userIdInIdp, isSocial, type?, identifier,
//!   extIdpId}` and `POST /api/v2/users/identity/unlink` `{userId, isSocial, type?, identifier, extIdpId}`
//!   (`data` null); `POST /api/v3/resign-user` `{userId}` and `POST /api/v3/resign-user-batch` `{userIds}`
//!   (`data` null);
//! * a user token: `GET /api/v3/get-identities` (`data` = the caller's identities) and
//!   `POST /api/v3/unlink-extidp` `{extIdpId}` (`data` null).
//!
//! The v3 endpoints answer with the v2 envelope (`code: 200`), which the JS SDK also accepts.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;

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
