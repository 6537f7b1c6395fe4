//! What the REST handlers share: the `{code, message, data}` envelope, the management token check, and
//! reading bodies and query parameters.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::tokens::{self, Claims};

/// The envelope of a result: `{code: 200, message: "", data}`, or the refusal with `data: null` (HTTP 200).
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

/// The token of `authorization: Bearer <token>`.
pub(super) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(tokens::bearer)
}

/// Requires `authorization: Bearer <management token>`, else code 2020.
pub(super) fn require_management(state: &State, headers: &HeaderMap) -> Result<Claims, ApiError> {
    let token = bearer(headers).ok_or(ApiError::new(Code::NotLoggedIn))?;
    tokens::verify_management(state, token).map_err(|_| ApiError::new(Code::NotLoggedIn))
}

/// The body as `T`, else 400.
pub(super) fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|_| {
        ApiError::with_message(Code::BadRequest, "请求体格式不正确", "The body is not the JSON object expected")
    })
}

/// A value that must be given and not blank, else 400 naming it.
pub(super) fn required<'a>(name: &str, value: Option<&'a str>) -> Result<&'a str, ApiError> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::with_message(Code::BadRequest, format!("缺少 {name}"), format!("{name} is missing")))
}

/// The values of a list filter: `name` and `name[]` (repeated or not), empty strings dropped.
pub(super) fn list_param(query: &[(String, String)], name: &str) -> Vec<String> {
    let bracketed = format!("{name}[]");
    query
        .iter()
        .filter(|(k, _)| *k == name || *k == bracketed)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

/// A positive integer query parameter, `default` when absent or empty.
pub(super) fn number_param(query: &[(String, String)], name: &str, default: usize) -> Result<usize, ApiError> {
    positive(name, query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()), default)
}

/// `page` and `limit` of a query (1 and 10 by default; 400 when not positive integers, or past the largest page).
pub(super) fn page_limit(state: &State, query: &HashMap<String, String>) -> Result<(usize, usize), ApiError> {
    let read = |name: &str, default: usize| positive(name, query.get(name).map(String::as_str), default);
    Ok((read("page", 1)?, state.page_size(read("limit", 10)?)?))
}

/// The value of parameter `name` as a positive integer, `default` when absent or empty, else 400.
fn positive(name: &str, value: Option<&str>, default: usize) -> Result<usize, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(default),
        Some(v) => v.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ApiError::with_message(
                Code::BadRequest,
                format!("参数 {name} 必须是正整数: {v}"),
                format!("{name} must be a positive integer: {v}"),
            )
        }),
    }
}
