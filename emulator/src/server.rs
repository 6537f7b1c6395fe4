//! The HTTP routes.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

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
    let app = AppState {
        schema: graphql::schema(state.clone()),
        state,
    };
    Router::new()
        .route(
            "/graphql/v2",
            post(graphql::handler).fallback(graphql::method_not_allowed),
        )
        .route("/api/v2/.well-known", get(rest::well_known))
        .route("/api/v2/users/{id}", get(rest::get_user))
        .fallback(rest::not_found)
        .layer(DefaultBodyLimit::max(graphql::MAX_BODY))
        .with_state(app)
}
