//! The emulator's own routes, not part of Authing's API, under [`PREFIX`] (no token):
//!
//! * `GET /_emulator/verification-codes?to=<phone or e-mail>`: `{code: 200, message: "", data: {code} | null}`,
//!   the latest unused, unexpired verification code (also served at the older `/emulator/verification-codes`);
//! * `GET /_emulator/sessions`: `data` = `[{userId, appId, expiresAt}]`, every user token still accepted;
//! * `POST /_emulator/reset`: empties the pool (ids and secrets stay); `data: null`;
//! * `POST /_emulator/import` with a state document: replaces the pool's state, or refuses the whole
//!   document with `{code, message, data: null}` naming the first bad entry and changes nothing;
//! * `GET /_emulator/export`: the state document itself (not wrapped in an envelope), ready for `import`.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State as AxState};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::RestState;
use crate::store::common::{iso_from_unix, unix_now};
use crate::store::error::{ApiError, Code, Lang};

/// The prefix of the emulator's own routes.
pub(crate) const PREFIX: &str = "/_emulator";

/// The largest state document `POST /_emulator/import` accepts.
const MAX_IMPORT: usize = 64 * 1024 * 1024;

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route(&format!("{PREFIX}/verification-codes"), get(super::auth::verification_codes))
        .route(&format!("{PREFIX}/sessions"), get(sessions))
        .route(&format!("{PREFIX}/reset"), post(reset))
        .route(&format!("{PREFIX}/import"), post(import).layer(DefaultBodyLimit::max(MAX_IMPORT)))
        .route(&format!("{PREFIX}/export"), get(export))
}

fn ok(data: Value) -> Response {
    Json(json!({ "code": 200, "message": "", "data": data })).into_response()
}

fn refuse(err: &ApiError, lang: Lang) -> Response {
    let mut body = err.to_object(lang);
    body["data"] = Value::Null;
    Json(body).into_response()
}

/// `GET /_emulator/sessions`.
async fn sessions(AxState(app): AxState<RestState>) -> Response {
    let live = app.state.sessions().live(unix_now());
    let list: Vec<Value> = live
        .into_iter()
        .map(|(user, app_id, exp)| json!({ "userId": user, "appId": app_id, "expiresAt": iso_from_unix(exp) }))
        .collect();
    ok(Value::Array(list))
}

/// `POST /_emulator/reset`.
async fn reset(AxState(app): AxState<RestState>) -> Response {
    app.state.reset();
    ok(Value::Null)
}

/// `POST /_emulator/import`.
async fn import(AxState(app): AxState<RestState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = crate::http::lang(&headers);
    let doc: Value = match serde_json::from_slice(&body) {
        Ok(doc) => doc,
        Err(e) => {
            let err = ApiError::with_message(
                Code::BadRequest,
                format!("导入的状态不是 JSON：{e}"),
                format!("The state document is not JSON: {e}"),
            );
            return refuse(&err, lang);
        }
    };
    match app.state.import(&doc) {
        Ok(()) => ok(Value::Null),
        Err(e) => refuse(&e, lang),
    }
}

/// `GET /_emulator/export`.
async fn export(AxState(app): AxState<RestState>) -> Response {
    Json(crate::store::snapshot::export(&app.state)).into_response()
}
