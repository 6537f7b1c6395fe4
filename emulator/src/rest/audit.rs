//! Records the administrator's REST changes (any method but `GET`, `HEAD` and `OPTIONS`, with a valid
//! management token) in the audit log, in one place: a layer around every REST route. The operation is
//! named after the route (`addEnv`, `removeEnv`, `kick` ...), its target is the last path segment of a
//! `DELETE` (the request body is left to the handler and its limits), and its result is the envelope's code.

use std::net::SocketAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State as AxState};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use super::RestState;
use crate::http::origin;
use crate::store::audit::AuditEntry;
use crate::store::tokens;

/// The operation a route stands for.
fn event_type(method: &Method, path: &str) -> String {
    let known = match (method.as_str(), path) {
        ("POST", "/api/v2/env") => Some("addEnv"),
        ("DELETE", p) if p.starts_with("/api/v2/env/") => Some("removeEnv"),
        ("POST", "/api/v2/users/kick") => Some("kick"),
        ("POST", "/api/v2/mfa/totp/import") => Some("importTotp"),
        ("DELETE", p) if p.ends_with("/mfa-bound") => Some("unbindMfa"),
        _ => None,
    };
    known.map_or_else(|| format!("{method} {path}"), str::to_owned)
}

/// The layer: passes reads and non-administrator requests through untouched.
pub(crate) async fn record(
    AxState(app): AxState<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    if matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let state = &app.state;
    let admin = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(tokens::bearer)
        .and_then(|t| tokens::verify_management(state, t).ok());
    let Some(admin) = admin else {
        return next.run(request).await;
    };
    let path = request.uri().path().to_owned();
    let from = origin(request.headers(), peer, &path);
    let target = (method == Method::DELETE).then(|| path.rsplit('/').next().unwrap_or_default().to_owned());
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    // The emulator's own answer, already in memory: read whole.
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let envelope: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let code = envelope.get("code").and_then(Value::as_i64).and_then(|c| i32::try_from(c).ok());
    let code = code.unwrap_or(i32::from(parts.status.as_u16()));
    let message = envelope.get("message").and_then(Value::as_str).unwrap_or_default().to_owned();
    let entry =
        AuditEntry::new(&state.pool.id, &admin.data.id, event_type(&method, &path), target, (code, message), &from);
    state.audit.record(entry);
    Response::from_parts(parts, Body::from(bytes))
}
