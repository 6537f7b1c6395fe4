//! The HTTP routes.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderMap;
use axum::routing::{get, post};

use crate::activity::Origin;
use crate::graphql::{self, AppSchema};
use crate::rest;
use crate::state::State;

/// What every handler receives: the pool's state and the schema built around it.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) state: Arc<State>,
    pub(crate) schema: AppSchema,
}

/// All routes of one emulator.
pub(crate) fn router(state: Arc<State>) -> Router {
    let app = AppState { schema: graphql::schema(state.clone()), state };
    Router::new()
        .route("/graphql/v2", post(graphql::handler).fallback(graphql::method_not_allowed))
        .route("/api/v2/.well-known", get(rest::well_known))
        .route("/api/v2/users/{id}", get(rest::get_user))
        .route("/api/v2/users/{id}/orgs", get(rest::user_orgs))
        .route("/api/v2/users/{id}/has-role", get(rest::has_role))
        .route("/api/v2/users/kick", post(rest::kick))
        .route("/api/v2/users/login-status", get(rest::login_status))
        .route("/api/v2/analysis/user-action", get(rest::user_actions))
        .route("/logout", get(rest::logout))
        .merge(crate::rest_auth::routes())
        .merge(crate::rest_acl::routes())
        .fallback(rest::not_found)
        .layer(DefaultBodyLimit::max(graphql::MAX_BODY))
        .with_state(app)
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
