//! REST for end users (a user token in `authorization: Bearer`, unless said otherwise), and the emulator's own
//! route to read verification codes:
//!
//! * `POST /api/v2/sms/send` `{phone}` (no token): keeps a 6-digit code for the phone; `data: null`.
//! * `GET /api/v2/users/me`: the user, with `token` = the token presented.
//! * `GET /api/v2/logout?app_id=`: the token (and every token of the user in that application) stops working.
//! * `GET /api/v2/users/me/applications/allowed?page=&limit=`: `{list, totalCount}` of the applications the
//!   user may use: the emulator's one, unless its access policy (see the `acl` module) refuses the user.
//! * `GET /api/v2/users/me/orgs`: the user's organizations, each as the path of nodes from the root.
//! * `GET /api/v2/users/me/security-level`: `{score, email, phone, password, passwordSecurityLevel, mfa}`.
//! * `POST /api/v2/users/link` `{primaryUserToken, secondaryUserToken}` and `POST /api/v2/users/unlink`
//!   `{primaryUserToken, provider}` (the tokens travel in the body).
//! * `GET /api/v2/oidc/validate_token?id_token=` (or `access_token=`): the token's claims as plain JSON; an
//!   invalid token gives `{code: 400, message}` (HTTP 200).
//! * `GET /emulator/verification-codes?to=<phone or e-mail>` (no token, not part of Authing's API):
//!   `{code: 200, message: "", data: {code} | null}`, the latest unused, unexpired code.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::RestState;
use super::envelope::{bearer, page_limit};
use crate::http::origin;
use crate::store::activity::Action;
use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code, Lang};
use crate::store::state::State;
use crate::store::tokens::{self, Claims};
use crate::store::users::User;

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/sms/send", post(send_sms))
        .route("/api/v2/users/me", get(me))
        .route("/api/v2/logout", get(logout))
        .route("/api/v2/users/me/applications/allowed", get(allowed_applications))
        .route("/api/v2/users/me/orgs", get(my_orgs))
        .route("/api/v2/users/me/security-level", get(security_level))
        .route("/api/v2/users/link", post(link))
        .route("/api/v2/users/unlink", post(unlink))
        .route("/api/v2/oidc/validate_token", get(validate_token))
        .route("/emulator/verification-codes", get(verification_codes))
}

fn ok(data: Value) -> Response {
    Json(json!({ "code": 200, "message": "", "data": data })).into_response()
}

fn ok_message(lang: Lang, zh: &str, en: &str) -> Response {
    let message = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    Json(json!({ "code": 200, "message": message, "data": null })).into_response()
}

fn refuse(err: &ApiError, lang: Lang) -> Response {
    let mut body = err.to_object(lang);
    if body.get("data").is_none() {
        body["data"] = Value::Null;
    }
    (StatusCode::OK, Json(body)).into_response()
}

/// The caller of a user-token route, else 2020.
fn me_of(state: &State, headers: &HeaderMap) -> Result<(Claims, User), ApiError> {
    tokens::token_user(state, bearer(headers))
}

/// The body as a JSON object, else 400.
fn body_object(body: &Bytes) -> Result<serde_json::Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::with_message(Code::BadRequest, "请求体必须是 JSON 对象", "The body must be a JSON object")),
    }
}

fn text_field<'a>(body: &'a serde_json::Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    body.get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::with_message(Code::BadRequest, format!("缺少 {name}"), format!("{name} is missing")))
}

/// `POST /api/v2/sms/send` `{phone}`.
async fn send_sms(AxState(app): AxState<RestState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = crate::http::lang(&headers);
    let phone = match body_object(&body).and_then(|b| text_field(&b, "phone").map(str::to_owned)) {
        Ok(p) => p,
        Err(e) => return refuse(&e, lang),
    };
    app.state.auth.send_code(&phone);
    ok_message(lang, "发送成功", "Sent successfully")
}

/// `GET /api/v2/users/me`.
async fn me(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let lang = crate::http::lang(&headers);
    match me_of(&app.state, &headers) {
        Ok((_, user)) => {
            let mut data = user.to_json();
            data["token"] = json!(bearer(&headers));
            ok(data)
        }
        Err(e) => refuse(&e, lang),
    }
}

/// `GET /api/v2/logout?app_id=`: revokes the user's tokens of the token's application and of `app_id`.
async fn logout(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::http::lang(&headers);
    let state = &app.state;
    let (claims, user) = match me_of(state, &headers) {
        Ok(found) => found,
        Err(e) => return refuse(&e, lang),
    };
    let token_app = claims.data.app_id.clone().unwrap_or_else(|| state.app.id.clone());
    state.sessions().revoke(&user.id, Some(&token_app));
    if let Some(other) = query.get("app_id").map(|a| a.trim()).filter(|a| !a.is_empty() && *a != token_app) {
        state.sessions().revoke(&user.id, Some(other));
    }
    let origin = origin(&headers, peer, "/api/v2/logout");
    state.record(Action::new("logout", &user, Some(token_app), &origin));
    ok_message(lang, "退出登录成功", "Logged out")
}

/// `GET /api/v2/users/me/applications/allowed?page=&limit=`.
async fn allowed_applications(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::http::lang(&headers);
    let state = &app.state;
    let (_, user) = match me_of(state, &headers) {
        Ok(found) => found,
        Err(e) => return refuse(&e, lang),
    };
    let (page, limit) = match page_limit(state, &query) {
        Ok(found) => found,
        Err(e) => return refuse(&e, lang),
    };
    let apps: Vec<Value> =
        if state.may_use_application(&user.id, &state.app.id) { vec![state.application_json()] } else { Vec::new() };
    let list: Vec<Value> = apps.iter().skip((page - 1).saturating_mul(limit)).take(limit).cloned().collect();
    ok(json!({ "list": list, "totalCount": apps.len() }))
}

/// `GET /api/v2/users/me/orgs`.
async fn my_orgs(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let lang = crate::http::lang(&headers);
    match me_of(&app.state, &headers) {
        Ok((_, user)) => ok(super::users::org_paths(&app.state, &user.id)),
        Err(e) => refuse(&e, lang),
    }
}

/// `GET /api/v2/users/me/security-level`: `score` is 40 for a password (plus 10 per level above 1), 20 for an
/// e-mail, 20 for a phone, at most 100; `mfa` tells whether a TOTP authenticator is bound.
async fn security_level(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let lang = crate::http::lang(&headers);
    let state = &app.state;
    let (_, user) = match me_of(state, &headers) {
        Ok(found) => found,
        Err(e) => return refuse(&e, lang),
    };
    let password = user.password_hash.is_some();
    let level = if password { Some(state.auth.password_level(&user.id).unwrap_or(1)) } else { None };
    let mut score = 0u32;
    if let Some(level) = level {
        score += 40 + 10 * u32::from(level - 1);
    }
    if user.email.is_some() {
        score += 20;
    }
    if user.phone.is_some() {
        score += 20;
    }
    ok(json!({
        "score": score.min(100),
        "email": user.email.is_some(),
        "phone": user.phone.is_some(),
        "password": password,
        "passwordSecurityLevel": level,
        "mfa": state.mfa.status(&user.id).0,
    }))
}

/// `POST /api/v2/users/link` `{primaryUserToken, secondaryUserToken}`: the secondary user's identities move
/// to the primary user; a secondary user left without any identifier is deleted. Either token invalid: 2020;
/// the same user twice: 400.
async fn link(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = crate::http::lang(&headers);
    match do_link(&app.state, &body, &origin(&headers, peer, "/api/v2/users/link")) {
        Ok(()) => ok_message(lang, "绑定成功", "Accounts linked"),
        Err(e) => refuse(&e, lang),
    }
}

fn do_link(state: &State, body: &Bytes, origin: &crate::store::activity::Origin) -> Result<(), ApiError> {
    let body = body_object(body)?;
    let (_, primary) = tokens::token_user(state, Some(text_field(&body, "primaryUserToken")?))?;
    let (_, secondary) = tokens::token_user(state, Some(text_field(&body, "secondaryUserToken")?))?;
    if primary.id == secondary.id {
        return Err(ApiError::with_message(
            Code::BadRequest,
            "不能绑定同一个用户",
            "The two tokens belong to the same user",
        ));
    }
    // Both records are read again under the write lock: a change made since the tokens were checked is kept.
    let mut store = state.users_write();
    let mut secondary = store.get(&secondary.id).cloned().ok_or(ApiError::new(Code::NotLoggedIn))?;
    let moved: Vec<_> = secondary
        .identity_list()
        .cloned()
        .map(|mut i| {
            i.user_id = Some(primary.id.clone());
            Some(i)
        })
        .collect();
    secondary.identities = Some(Vec::new());
    secondary.updated_at = Some(now_iso());
    let keeps_identifier = secondary.username.is_some()
        || secondary.email.is_some()
        || secondary.phone.is_some()
        || secondary.external_id.is_some();
    let archived = if keeps_identifier {
        store.replace(secondary)?;
        None
    } else {
        store.archive(&secondary.id, now_iso())
    };
    store.update(&primary.id, |primary| {
        primary.identities.get_or_insert_with(Vec::new).extend(moved);
        primary.updated_at = Some(now_iso());
        Ok(())
    })?;
    drop(store);
    if let Some(archived) = archived {
        state.forget_user(&archived.id);
        state.sessions().revoke(&archived.id, None);
        state.record(Action::new("deleteUser", &archived, None, origin));
    }
    Ok(())
}

/// `POST /api/v2/users/unlink` `{primaryUserToken, provider}`: removes the user's identities of `provider`.
/// None of them: 400; the user would have no identifier left: 400.
async fn unlink(AxState(app): AxState<RestState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = crate::http::lang(&headers);
    match do_unlink(&app.state, &body) {
        Ok(()) => ok_message(lang, "解绑成功", "Identity unlinked"),
        Err(e) => refuse(&e, lang),
    }
}

fn do_unlink(state: &State, body: &Bytes) -> Result<(), ApiError> {
    let body = body_object(body)?;
    let (_, user) = tokens::token_user(state, Some(text_field(&body, "primaryUserToken")?))?;
    let provider = text_field(&body, "provider")?;
    state.update_user(&user.id, |user| {
        let before = user.identity_list().count();
        let kept: Vec<_> =
            user.identity_list().filter(|i| i.provider.as_deref() != Some(provider)).cloned().map(Some).collect();
        if kept.len() == before {
            return Err(ApiError::with_message(
                Code::BadRequest,
                format!("用户没有 {provider} 的身份"),
                format!("The user has no identity of {provider}"),
            ));
        }
        user.identities = Some(kept);
        Ok(())
    })?;
    Ok(())
}

/// `GET /api/v2/oidc/validate_token?id_token=` or `?access_token=`: plain claims, or `{code: 400, message}`.
async fn validate_token(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::http::lang(&headers);
    let token = query.get("id_token").or_else(|| query.get("access_token")).map(|t| t.trim());
    match token.and_then(|t| crate::store::oidc::token_payload(&app.state, t)) {
        Some(claims) => Json(claims).into_response(),
        None => {
            let message = match lang {
                Lang::Zh => "token 无效",
                Lang::En => "Invalid token",
            };
            Json(json!({ "code": 400, "message": message })).into_response()
        }
    }
}

/// `GET /emulator/verification-codes?to=`.
pub(crate) async fn verification_codes(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::http::lang(&headers);
    let Some(to) = query.get("to").map(|t| t.trim()).filter(|t| !t.is_empty()) else {
        return refuse(&ApiError::with_message(Code::BadRequest, "缺少 to", "to is missing"), lang);
    };
    ok(app.state.auth.latest_code(to).map_or(Value::Null, |code| json!({ "code": code })))
}
