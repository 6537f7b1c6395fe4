//! REST under `/api/v2/`: the envelope `{code, message, data}`, HTTP 200 even for business errors.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::error::{ApiError, Code, Lang};
use crate::server::AppState;
use crate::state::State;
use crate::tokens::{self, Claims};

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

/// Requires `authorization: Bearer <management token>`, else code 2020.
fn require_management(state: &State, headers: &HeaderMap) -> Result<Claims, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(tokens::bearer)
        .ok_or(ApiError::new(Code::NotLoggedIn))
        .and_then(|t| {
            tokens::verify_management(state, t).map_err(|_| ApiError::new(Code::NotLoggedIn))
        })
}

/// Reads a boolean query flag: `1`, `true`, `0`, `false` (absent = false).
fn flag(query: &HashMap<String, String>, name: &str) -> Result<bool, ApiError> {
    match query
        .get(name)
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
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
pub(crate) async fn well_known(AxState(app): AxState<AppState>) -> Response {
    ok(json!({ "publicKey": app.state.keys.public_pem }))
}

/// `GET /api/v2/users/{id}?with_custom_data=`: user detail, `data: null` when unknown. Needs a management
/// token.
pub(crate) async fn get_user(
    AxState(app): AxState<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let state = &app.state;
    if let Err(e) = require_management(state, &headers) {
        return refuse(StatusCode::OK, &e, lang);
    }
    let with_custom_data = match flag(&query, "with_custom_data") {
        Ok(b) => b,
        Err(e) => return refuse(StatusCode::OK, &e, lang),
    };
    let users = state.users_read();
    let data = users
        .get(&id)
        .map_or(Value::Null, |u| u.to_json(&state.pool.id, with_custom_data));
    ok(data)
}

/// Any route the emulator does not serve: code 404, HTTP 404.
pub(crate) async fn not_found(headers: HeaderMap) -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        &ApiError::new(Code::NotFound),
        Lang::from_headers(&headers),
    )
}
