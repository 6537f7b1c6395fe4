//! REST for the user pool (the rules are in `store::pool`), with a management token:
//! `GET /api/v2/userpools/detail` (the pool, as GraphQL `userpool` shows it, plus `passwordStrength`), and the
//! environment variables: `GET /api/v2/env` (`[{key, value}]`), `POST /api/v2/env` `{key, value}` and
//! `DELETE /api/v2/env/{key}`, both answering the variables after the change.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{delete, get};
use serde::Deserialize;
use serde_json::Value;

use super::RestState;
use super::envelope::{reply, require_management};
use crate::store::error::{ApiError, Code};

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/userpools/detail", get(detail))
        .route("/api/v2/env", get(list_env).post(add_env))
        .route("/api/v2/env/{key}", delete(remove_env))
}

/// `GET /api/v2/userpools/detail`.
async fn detail(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let state = &app.state;
    let result = require_management(state, &headers).map(|_| state.userpool_json());
    reply(&headers, result)
}

/// `GET /api/v2/env`.
async fn list_env(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    let state = &app.state;
    let result = require_management(state, &headers).map(|_| state.userpool.env());
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
    let result = require_management(state, &headers).and_then(|_| {
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
    let result = require_management(state, &headers).map(|_| state.userpool.remove_env(&key));
    reply(&headers, result)
}
