//! The HTTP server of one emulator: the GraphQL and REST front ends on one router.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;

use crate::store::state::State;
use crate::{graphql, oidc, rest};

/// All routes of one emulator.
pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .merge(graphql::routes(state.clone()))
        .merge(oidc::routes(state.clone()))
        .merge(rest::routes(state))
        .layer(DefaultBodyLimit::max(graphql::MAX_BODY))
}
