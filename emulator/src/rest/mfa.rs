//! REST for MFA (the rules are in `store::mfa`). The token is `authorization: Bearer`:
//!
//! * an MFA token or a user token: `GET /api/v2/mfa/authenticator?type=totp&source=` (the bound
//!   authenticators), `POST /api/v2/mfa/totp/associate` `{authenticatorType | authenticator_type, source}`,
//!   `POST /api/v2/mfa/totp/associate/confirm` `{totp}`, `DELETE /api/v2/mfa/totp/associate`,
//!   `POST /api/v2/mfa/face/associate` `{photoA, photoB, isExternal}`;
//! * an MFA token only, each ending the login with the user (`token` included) as `data`:
//!   `POST /api/v2/mfa/totp/verify` `{totp}`, `POST /api/v2/mfa/totp/recovery` `{recoveryCode}`,
//!   `POST /api/v2/applications/mfa/sms/verify` `{phone, code}`,
//!   `POST /api/v2/applications/mfa/email/verify` `{email, code}`, and `POST /api/v2/mfa/face/associate`
//!   `{photo}` (the face verification shares the association's path); `POST /api/v2/applications/mfa/check`
//!   `{phone?, email?}` answers `data: true` when they can serve as the user's factor;
//! * a management token: `POST /api/v2/mfa/totp/import` `{userId, secret, recoveryCode?}`,
//!   `GET /api/v2/users/{id}/mfa-bound` (`{OTP, FACE}`) and `DELETE /api/v2/users/{id}/mfa-bound?type=OTP|FACE`.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::RestState;
use super::envelope::{bearer, body, reply, require_management, required};
use crate::http::origin;
use crate::store::error::{ApiError, Code};
use crate::store::mfa::{self, Caller};
use crate::store::state::State;

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/mfa/authenticator", get(authenticators))
        .route("/api/v2/mfa/totp/associate", post(associate).delete(delete_totp))
        .route("/api/v2/mfa/totp/associate/confirm", post(confirm))
        .route("/api/v2/mfa/totp/verify", post(verify_totp))
        .route("/api/v2/mfa/totp/recovery", post(verify_recovery))
        .route("/api/v2/mfa/totp/import", post(import))
        .route("/api/v2/mfa/face/associate", post(face))
        .route("/api/v2/applications/mfa/sms/verify", post(verify_sms))
        .route("/api/v2/applications/mfa/email/verify", post(verify_email))
        .route("/api/v2/applications/mfa/check", post(check))
        .route("/api/v2/users/{id}/mfa-bound", get(status).delete(unbind))
}

/// The caller of an endpoint that needs an MFA token, and its client IP for the login.
fn mfa_login(state: &State, headers: &HeaderMap, peer: SocketAddr, path: &str) -> Result<(Caller, String), ApiError> {
    let caller = mfa::mfa_caller(state, bearer(headers))?;
    Ok((caller, origin(headers, peer, path).ip))
}

/// Ends the login of the caller's MFA token.
fn finish(state: &State, caller: &Caller, ip: &str) -> Result<Value, ApiError> {
    let token = caller.mfa_token.as_deref().ok_or(ApiError::new(Code::NotLoggedIn))?;
    mfa::finish_login(state, token, ip)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Body {
    totp: Option<String>,
    recovery_code: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    code: Option<String>,
    user_id: Option<String>,
    secret: Option<String>,
    photo: Option<String>,
    #[serde(rename = "photoA")]
    photo_a: Option<String>,
    #[serde(rename = "photoB")]
    photo_b: Option<String>,
}

/// `GET /api/v2/mfa/authenticator?type=&source=`.
async fn authenticators(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = &app.state;
    let result = mfa::self_caller(state, bearer(&headers)).map(|caller| {
        let kind = query.get("type").map_or("totp", String::as_str);
        Value::Array(mfa::list(state, &caller.user.id, kind))
    });
    reply(&headers, result)
}

/// `POST /api/v2/mfa/totp/associate`.
async fn associate(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let state = &app.state;
    let result = mfa::self_caller(state, bearer(&headers)).and_then(|caller| mfa::associate(state, &caller.user));
    reply(&headers, result)
}

/// `DELETE /api/v2/mfa/totp/associate`.
async fn delete_totp(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let state = &app.state;
    let result = mfa::self_caller(state, bearer(&headers)).map(|caller| {
        mfa::delete_totp(state, &caller.user.id);
        Value::Null
    });
    reply(&headers, result)
}

/// `POST /api/v2/mfa/totp/associate/confirm` `{totp}`.
async fn confirm(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        let caller = mfa::self_caller(state, bearer(&headers))?;
        let body: Body = body(&bytes)?;
        mfa::confirm(state, &caller.user.id, required("totp", body.totp.as_deref())?)?;
        Ok(Value::Null)
    })();
    reply(&headers, result)
}

/// `POST /api/v2/mfa/totp/verify` `{totp}`.
async fn verify_totp(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let state = &app.state;
    let result = (|| {
        let (caller, ip) = mfa_login(state, &headers, peer, "/api/v2/mfa/totp/verify")?;
        let body: Body = body(&bytes)?;
        mfa::check_totp(state, &caller.user.id, required("totp", body.totp.as_deref())?)?;
        finish(state, &caller, &ip)
    })();
    reply(&headers, result)
}

/// `POST /api/v2/mfa/totp/recovery` `{recoveryCode}`.
async fn verify_recovery(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let state = &app.state;
    let result = (|| {
        let (caller, ip) = mfa_login(state, &headers, peer, "/api/v2/mfa/totp/recovery")?;
        let body: Body = body(&bytes)?;
        mfa::check_recovery(state, &caller.user.id, required("recoveryCode", body.recovery_code.as_deref())?)?;
        finish(state, &caller, &ip)
    })();
    reply(&headers, result)
}

/// `POST /api/v2/applications/mfa/sms/verify` `{phone, code}`.
async fn verify_sms(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    reply(&headers, verify_contact(&app.state, &headers, peer, &bytes, "phone"))
}

/// `POST /api/v2/applications/mfa/email/verify` `{email, code}`.
async fn verify_email(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    reply(&headers, verify_contact(&app.state, &headers, peer, &bytes, "email"))
}

fn verify_contact(
    state: &State,
    headers: &HeaderMap,
    peer: SocketAddr,
    bytes: &Bytes,
    kind: &str,
) -> Result<Value, ApiError> {
    let (caller, ip) = mfa_login(state, headers, peer, "/api/v2/applications/mfa")?;
    let body: Body = body(bytes)?;
    let value = if kind == "phone" { body.phone.as_deref() } else { body.email.as_deref() };
    let value = required(kind, value)?;
    mfa::check_contact(state, &caller.user, kind, value, required("code", body.code.as_deref())?)?;
    finish(state, &caller, &ip)
}

/// `POST /api/v2/applications/mfa/check` `{phone?, email?}`.
async fn check(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        let caller = mfa::mfa_caller(state, bearer(&headers))?;
        let body: Body = body(&bytes)?;
        let phone = body.phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let email = body.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
        if phone.is_none() && email.is_none() {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "缺少手机号或邮箱",
                "A phone or an e-mail is required",
            ));
        }
        if let Some(phone) = phone {
            mfa::bindable(state, &caller.user, "phone", phone)?;
        }
        if let Some(email) = email {
            mfa::bindable(state, &caller.user, "email", email)?;
        }
        Ok(Value::Bool(true))
    })();
    reply(&headers, result)
}

/// `POST /api/v2/mfa/face/associate`: `{photoA, photoB}` associates a face; `{photo}` (with an MFA token)
/// verifies one and ends the login.
async fn face(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let state = &app.state;
    let result = (|| {
        let body: Body = body(&bytes)?;
        if body.photo_a.is_none() && body.photo_b.is_none() && body.photo.is_some() {
            let (caller, ip) = mfa_login(state, &headers, peer, "/api/v2/mfa/face/associate")?;
            mfa::check_face(state, &caller.user.id, body.photo.as_deref())?;
            return finish(state, &caller, &ip);
        }
        let caller = mfa::self_caller(state, bearer(&headers))?;
        mfa::associate_face(state, &caller.user.id, body.photo_a.as_deref(), body.photo_b.as_deref())?;
        Ok(Value::Null)
    })();
    reply(&headers, result)
}

/// `POST /api/v2/mfa/totp/import` `{userId, secret, recoveryCode?}`.
async fn import(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        let body: Body = body(&bytes)?;
        let user_id = required("userId", body.user_id.as_deref())?;
        let secret = required("secret", body.secret.as_deref())?;
        mfa::import(state, user_id, secret, body.recovery_code.as_deref())
    })();
    reply(&headers, result)
}

/// `GET /api/v2/users/{id}/mfa-bound`.
async fn status(AxState(app): AxState<RestState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let state = &app.state;
    let result = require_management(state, &headers).map(|_| {
        let (otp, face) = state.mfa.status(&id);
        json!({ "OTP": otp, "FACE": face })
    });
    reply(&headers, result)
}

/// `DELETE /api/v2/users/{id}/mfa-bound?type=OTP|FACE`.
async fn unbind(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        mfa::unbind(state, &id, required("type", query.get("type").map(String::as_str))?)?;
        Ok(Value::Bool(true))
    })();
    reply(&headers, result)
}
