//! REST under `/api/v2/` (and `/logout`, `/_emulator/`): Authing's envelope `{code, message, data}`, HTTP 200 even
//! for business errors. The handlers read the request and call the store.
//!
//! * [`users`]: management calls about users (well-known key, user, orgs, has-role, kick, login status,
//!   logout);
//! * [`acl`]: access control (resource namespaces, resources, grants and checks, programmatic access accounts,
//!   application access policies);
//! * [`applications`]: applications (create, list, find, delete, update, secret refresh, active users) and
//!   their agreements;
//! * [`auth`]: end users with their own token (SMS codes, `/users/me`, logout, linking, token validation);
//! * [`emulator`]: the emulator's own routes under `/_emulator/` (verification codes, sessions, reset, import,
//!   export);
//! * [`mfa`]: MFA (authenticators, the second step of a login, the administrator's MFA calls);
//! * [`directory`]: LDAP and AD logins, principal authentication;
//! * [`identities`]: linking identities, the user's own identities, resignation;
//! * [`user_extras`]: the JS SDK's extra calls of users, roles and policies (batch, filter, tenants, role
//!   members, policy assignments by target type);
//! * [`orgs`]: organizations (count, list, by tenant, import, export) and third-party directory sync;
//! * [`uploads`]: file uploads (avatars) and the URLs that serve them back;
//! * [`userpool`]: the pool's detail and environment variables; [`statistics`]: the audit and user-action
//!   logs and the counts;
//! * [`envelope`]: what the handlers share (the envelope, the management token check, bodies, query
//!   parameters).

mod acl;
mod applications;
mod audit;
mod auth;
mod directory;
mod emulator;
mod envelope;
mod identities;
mod mfa;
mod orgs;
mod statistics;
mod uploads;
mod user_extras;
mod userpool;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::store::state::State;

/// What the REST handlers receive: the pool's state.
#[derive(Clone)]
pub(crate) struct RestState {
    pub(crate) state: Arc<State>,
}

/// Every REST route of one emulator, and the answer to unknown routes.
pub(crate) fn routes(state: Arc<State>) -> Router {
    Router::new()
        .route("/api/v2/.well-known", get(users::well_known))
        .route("/api/v2/users/{id}", get(users::get_user))
        .route("/api/v2/users/{id}/orgs", get(users::user_orgs))
        .route("/api/v2/users/{id}/has-role", get(users::has_role))
        .route("/api/v2/users/kick", post(users::kick))
        .route("/api/v2/users/login-status", get(users::login_status))
        .route("/logout", get(users::logout))
        .merge(auth::routes())
        .merge(acl::routes())
        .merge(applications::routes())
        .merge(emulator::routes())
        .merge(mfa::routes())
        .merge(directory::routes())
        .merge(identities::routes())
        .merge(user_extras::routes())
        .merge(orgs::routes())
        .merge(userpool::routes())
        .merge(statistics::routes())
        .merge(uploads::routes())
        .fallback(users::not_found)
        .layer(axum::middleware::from_fn_with_state(RestState { state: state.clone() }, audit::record))
        .with_state(RestState { state })
}
