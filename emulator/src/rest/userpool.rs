//! REST for the user pool (the rules are in `store::pool`), with a management token:
//! `GET /api/v2/userpools/detail` (the pool, as GraphQL `userpool` shows it, plus `passwordStrength`), and the
//! environment variables: `GET /api/v2/env` (`[{key, value}]`), `POST /api/v2/env` `{key, value}` and
//! `DELETE /api/v2/env/{key}`, both answering the variables after the change.

use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::RestState;
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::tokens::{self, Claims};

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/userpools/detail", get(detail))
        .route("/api/v2/env", get(list_env).post(add_env))
        .route("/api/v2/env/{key}", delete(remove_env))
}

/// The envelope of a result.
pub(super) fn reply(headers: &HeaderMap, result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(data) => Json(json!({ "code": 200, "message": "", "data": data })).into_response(),
        Err(err) => {
            let mut body = err.to_object(crate::http::lang(headers));
            if body.get("data").is_none() {
                body["data"] = Value::Null;
            }
            Json(body).into_response()
        }
    }
}

/// Requires `authorization: Bearer <management token>`, else code 2020.
pub(super) fn admin(state: &State, headers: &HeaderMap) -> Result<Claims, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(tokens::bearer)
        .ok_or(ApiError::new(Code::NotLoggedIn))?;
    tokens::verify_management(state, token).map_err(|_| ApiError::new(Code::NotLoggedIn))
}

/// `GET /api/v2/userpools/detail`.
async fn detail(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let state = &app.state;
    let result = admin(state, &headers).map(|_| state.userpool_json());
    reply(&headers, result)
}

/// `GET /api/v2/env`.
async fn list_env(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let state = &app.state;
    let result = admin(state, &headers).map(|_| state.userpool.env());
    reply(&headers, result)
}

#[derive(Deserialize)]
struct EnvBody {
    key: Option<String>,
    #[serde(default)]
    value: Value,
}

/// `POST /api/v2/env` `{key, value}`: `value` may be any JSON value.
async fn add_env(AxState(app): AxState<RestState>, headers: HeaderMap, body: Bytes) -> Response {
    let state = &app.state;
    let result = admin(state, &headers).and_then(|_| {
        let body: EnvBody = serde_json::from_slice(&body).map_err(|_| {
            ApiError::with_message(Code::BadRequest, "请求体必须是 {key, value}", "The body must be {key, value}")
        })?;
        state.userpool.add_env(body.key.as_deref().unwrap_or_default(), body.value)
    });
    reply(&headers, result)
}

/// `DELETE /api/v2/env/{key}`: an unknown key is not an error.
async fn remove_env(AxState(app): AxState<RestState>, headers: HeaderMap, Path(key): Path<String>) -> Response {
    let state = &app.state;
    let result = admin(state, &headers).map(|_| state.userpool.remove_env(&key));
    reply(&headers, result)
}
