//! What both front ends share: what they read from an HTTP request (the language of the messages, where the request
//! came from), the limits every request is held to, and the error shape of answers that no handler wrote.

use std::net::SocketAddr;

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::store::activity::Origin;
use crate::store::error::{ApiError, Code, Lang};

/// The language of the messages, from `x-authing-lang`: anything but an English tag means Chinese.
pub(crate) fn lang(headers: &HeaderMap) -> Lang {
    match headers.get("x-authing-lang").and_then(|v| v.to_str().ok()) {
        Some(v) if v.trim().to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// Where a request came from: the first `x-forwarded-for` entry, else `x-real-ip`, else the peer.
pub(crate) fn origin(headers: &HeaderMap, peer: SocketAddr, path: &str) -> Origin {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty());
    let ip = header("x-forwarded-for")
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned())
        .or_else(|| header("x-real-ip").map(str::to_owned))
        .unwrap_or_else(|| peer.ip().to_string());
    Origin {
        ip,
        user_agent: header("user-agent").unwrap_or_default().to_owned(),
        host: header("host").unwrap_or_default().to_owned(),
        path: path.to_owned(),
    }
}

/// The limits every request is held to; each has a default here, an [`crate::EmulatorBuilder`] setter and a flag of
/// the `authing-emulator` binary. See the crate docs, "Limits".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The largest request body, in bytes (HTTP 413 with code 413 past it).
    pub(crate) max_body_size: usize,
    /// The longest GraphQL document (`query`), in bytes.
    pub(crate) max_document_size: usize,
    /// The deepest nesting of fields a GraphQL document may select.
    pub(crate) max_depth: usize,
    /// The most fields a GraphQL document may select, counted with its fragments expanded.
    pub(crate) max_complexity: usize,
    /// The deepest nesting of `{`, `[` and `(` in the text of a GraphQL document.
    pub(crate) max_nesting: usize,
    /// The most aliases a GraphQL document may use.
    pub(crate) max_aliases: usize,
    /// The largest `limit` of one page of a list.
    pub(crate) max_page_size: usize,
    /// How long a connection may take to send a complete request head, counted from when it waits for a request.
    pub(crate) header_read_timeout: std::time::Duration,
    /// How long a connection may stay without a byte read or written while the server waits on it.
    pub(crate) idle_timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_size: 1 << 20,
            max_document_size: 64 << 10,
            max_depth: 20,
            max_complexity: 1000,
            max_nesting: 64,
            max_aliases: 100,
            max_page_size: 1000,
            header_read_timeout: std::time::Duration::from_secs(40),
            idle_timeout: std::time::Duration::from_secs(90),
        }
    }
}

/// Gives every error answer Authing's shape: a body that is not JSON (axum's own refusals: 405 with an empty body,
/// 413 and 400 as plain text) becomes the GraphQL error `{errors: [{message: {code, message}}]}` with HTTP 200 on
/// `/graphql/v2`, and the REST envelope `{code, message, data: null}` with the same HTTP status elsewhere. The
/// refusal's own text is not repeated: it may quote the request. Pages a handler writes on purpose (the OIDC
/// sign-in form's HTML, CAS's XML) and JSON answers pass as they are.
pub(crate) async fn envelope_errors(request: Request, next: Next) -> Response {
    let lang = lang(request.headers());
    let graphql = request.uri().path().starts_with("/graphql");
    let response = next.run(request).await;
    let status = response.status();
    let written_on_purpose =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
            ["application/json", "text/html", "application/xml", "text/xml"].iter().any(|t| v.starts_with(t))
        });
    if !(status.is_client_error() || status.is_server_error()) || written_on_purpose {
        return response;
    }
    let code = match status {
        StatusCode::NOT_FOUND => Code::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => Code::PayloadTooLarge,
        _ => Code::BadRequest,
    };
    let err = ApiError::new(code);
    if graphql {
        return graphql_error(StatusCode::OK, &err, lang);
    }
    let mut body = err.to_object(lang);
    body["data"] = serde_json::Value::Null;
    (status, axum::Json(body)).into_response()
}

/// A GraphQL response carrying only this error, in Authing's object form.
pub(crate) fn graphql_error(status: StatusCode, err: &ApiError, lang: Lang) -> Response {
    let body = serde_json::json!({
        "errors": [{
            "message": err.to_object(lang),
            "locations": [],
            "extensions": { "code": err.code.number() },
        }],
        "data": null,
    });
    (status, axum::Json(body)).into_response()
}
