//! REST under `/api/v2/` (and `/logout`): the envelope `{code, message, data}`, HTTP 200 even for
//! business errors.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::RestState;
use super::envelope::require_management;
use crate::http::origin;
use crate::store::activity::Action;
use crate::store::common::unix_now;
use crate::store::error::{ApiError, Code, Lang};
use crate::store::state::State;
use crate::store::tokens::{self};
use crate::store::udf::TargetType;

/// `{code: 200, message: "", data}`.
fn ok(data: Value) -> Response {
    Json(json!({ "code": 200, "message": "", "data": data })).into_response()
}

/// `{code, message, data: null}` with the given HTTP status.
fn refuse(status: StatusCode, err: &ApiError, lang: Lang) -> Response {
    let mut body = err.to_object(lang);
    if body.get("data").is_none() {
        body["data"] = Value::Null;
    }
    (status, Json(body)).into_response()
}

/// Reads a boolean query flag: `1`, `true`, `0`, `false` (absent = false).
fn flag(query: &HashMap<String, String>, name: &str) -> Result<bool, ApiError> {
    match query.get(name).map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("" | "0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(other) => Err(ApiError::with_message(
            Code::BadRequest,
            format!("参数 {name} 的值无效: {other}"),
            format!("Invalid value for {name}: {other}"),
        )),
    }
}

/// `GET /api/v2/.well-known`: the RSA public key clients encrypt passwords with. No authorization.
pub(crate) async fn well_known(AxState(app): AxState<RestState>) -> Response {
    ok(json!({ "publicKey": app.state.keys.public_pem }))
}

/// `GET /api/v2/users/{id}?with_custom_data=`: user detail, `data: null` when unknown. Needs a management
/// token.
pub(crate) async fn get_user(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::http::lang(&headers);
    let state = &app.state;
    if let Err(e) = require_management(state, &headers) {
        return refuse(StatusCode::OK, &e, lang);
    }
    let with_custom_data = match flag(&query, "with_custom_data") {
        Ok(b) => b,
        Err(e) => return refuse(StatusCode::OK, &e, lang),
    };
    let Some(mut data) = state.users_read().get(&id).map(|u| u.to_json()) else {
        return ok(Value::Null);
    };
    if with_custom_data {
        data["customData"] = json!(state.udf_read().entries(TargetType::User, &id));
    }
    ok(data)
}

/// `GET /api/v2/users/{id}/orgs`: the user's organizations, each as the path of nodes from the root to one of
/// the user's nodes; 2004 for an unknown user.
pub(crate) async fn user_orgs(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let lang = crate::http::lang(&headers);
    let state = &app.state;
    if let Err(e) = require_management(state, &headers) {
        return refuse(StatusCode::OK, &e, lang);
    }
    if state.users_read().get(&id).is_none() {
        return refuse(StatusCode::OK, &ApiError::new(Code::UserNotFound), lang);
    }
    ok(org_paths(state, &id))
}

/// A user's organizations as `[[node, …], …]`, root first in each.
pub(crate) fn org_paths(state: &State, user_id: &str) -> Value {
    let paths: Vec<Value> = state
        .user_org_paths(user_id)
        .iter()
        .map(|path| Value::Array(path.iter().map(|v| v.to_json()).collect()))
        .collect();
    Value::Array(paths)
}

/// `GET /api/v2/users/{id}/has-role?code=&namespace=`: `data` is whether the user holds the role `code`
/// of `namespace` (`default` when absent) directly. 2004 for an unknown user; 400 without `code`.
pub(crate) async fn has_role(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::http::lang(&headers);
    let state = &app.state;
    if let Err(e) = require_management(state, &headers) {
        return refuse(StatusCode::OK, &e, lang);
    }
    let Some(code) = query.get("code").map(|c| c.trim()).filter(|c| !c.is_empty()) else {
        let err = ApiError::with_message(Code::BadRequest, "缺少 code", "code is missing");
        return refuse(StatusCode::OK, &err, lang);
    };
    if state.users_read().get(&id).is_none() {
        return refuse(StatusCode::OK, &ApiError::new(Code::UserNotFound), lang);
    }
    let ns = crate::store::access::namespace(query.get("namespace").map(String::as_str));
    let holds = state.access_read().user_roles(&id, Some(&ns)).iter().any(|r| r.code == code);
    ok(json!(holds))
}

/// `{code: 200, message, data: null}`.
fn done(lang: Lang, zh: &str, en: &str) -> Response {
    let message = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    Json(json!({ "code": 200, "message": message, "data": null })).into_response()
}

/// `POST /api/v2/users/kick` with `{userIds: [..]}`: every token of those users stops being accepted.
/// Unknown ids are ignored. `data` is null.
pub(crate) async fn kick(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = crate::http::lang(&headers);
    let state = &app.state;
    if let Err(e) = require_management(state, &headers) {
        return refuse(StatusCode::OK, &e, lang);
    }
    let ids: Option<Vec<String>> = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| serde_json::from_value(v.get("userIds")?.clone()).ok());
    let Some(ids) = ids else {
        let err = ApiError::with_message(
            Code::BadRequest,
            "请求体必须是 {\"userIds\": [...]}",
            "The body must be {\"userIds\": [...]}",
        );
        return refuse(StatusCode::OK, &err, lang);
    };
    let origin = origin(&headers, peer, "/api/v2/users/kick");
    let users: Vec<_> = {
        let store = state.users_read();
        ids.iter().filter_map(|id| store.get(id).cloned()).collect()
    };
    for user in &users {
        state.sessions().revoke(&user.id, None);
        state.record(Action::new("kick", user, None, &origin));
    }
    done(lang, "强制下线成功", "Users logged out")
}

/// `GET /logout?appId=&userId=`: the user's tokens for `appId` (all of them without `appId`) stop being
/// accepted. An unknown user is not an error. `data` is null. With `deviceId=current` it is the end user's own
/// logout instead (see [`logout_current`]).
pub(crate) async fn logout(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::http::lang(&headers);
    let state = &app.state;
    let param = |name: &str| query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    if param("deviceId") == Some("current") {
        return logout_current(state, &headers, peer, param("appId"));
    }
    if let Err(e) = require_management(state, &headers) {
        return refuse(StatusCode::OK, &e, lang);
    }
    let Some(user_id) = param("userId") else {
        let err = ApiError::with_message(Code::BadRequest, "缺少 userId", "userId is missing");
        return refuse(StatusCode::OK, &err, lang);
    };
    let app_id = param("appId");
    let user = state.users_read().get(user_id).cloned();
    if let Some(user) = user {
        state.sessions().revoke(&user.id, app_id);
        let origin = origin(&headers, peer, "/logout");
        state.record(Action::new("logout", &user, app_id.map(str::to_owned), &origin));
    }
    done(lang, "退出登录成功", "Logged out")
}

/// `GET /logout?appId=&deviceId=current` with a user token: that user's tokens for `appId` (all of them without
/// `appId`) stop being accepted; 2020 for a missing or refused token.
fn logout_current(state: &State, headers: &HeaderMap, peer: SocketAddr, app_id: Option<&str>) -> Response {
    let lang = crate::http::lang(headers);
    let token = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(tokens::bearer);
    let user = match tokens::token_user(state, token) {
        Ok((_, user)) => user,
        Err(e) => return refuse(StatusCode::OK, &e, lang),
    };
    state.sessions().revoke(&user.id, app_id);
    let origin = origin(headers, peer, "/logout");
    state.record(Action::new("logout", &user, app_id.map(str::to_owned), &origin));
    done(lang, "退出登录成功", "Logged out")
}

/// `GET /api/v2/users/login-status?userId=&appId=&deviceId=`: `{isLogin, user, application}`, where
/// `application` lists the applications in which the user holds a live token (only `appId` when given)
/// and `isLogin` says whether that list is non-empty. 2004 (`用户不存在`) for an unknown user.
pub(crate) async fn login_status(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::http::lang(&headers);
    let state = &app.state;
    if let Err(e) = require_management(state, &headers) {
        return refuse(StatusCode::OK, &e, lang);
    }
    let param = |name: &str| query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    // Devices are not tracked: `deviceId` does not narrow the answer.
    let _ = param("deviceId");
    let user = param("userId").and_then(|id| state.users_read().get(id).cloned());
    let Some(user) = user else {
        return refuse(StatusCode::OK, &ApiError::new(Code::UserNotFound), lang);
    };
    let apps: Vec<Value> = state
        .sessions()
        .live_apps(&user.id, unix_now())
        .iter()
        .filter(|a| param("appId").is_none_or(|want| want == a.as_str()))
        .filter_map(|a| state.application(a))
        .collect();
    ok(json!({
        "isLogin": !apps.is_empty(),
        "user": user.to_json(),
        "application": apps,
    }))
}

/// Any route the emulator does not serve: code 404, HTTP 404.
pub(crate) async fn not_found(headers: HeaderMap) -> Response {
    refuse(StatusCode::NOT_FOUND, &ApiError::new(Code::NotFound), crate::http::lang(&headers))
}
