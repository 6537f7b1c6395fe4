//! What both front ends read from an HTTP request: the language of the messages and where the request came from.

use std::net::SocketAddr;

use axum::http::HeaderMap;

use crate::store::activity::Origin;
use crate::store::error::Lang;

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
