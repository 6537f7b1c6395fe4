//! The domain: one user pool in memory, with no knowledge of HTTP or GraphQL. The GraphQL front end (module
//! `graphql`) and the REST front end (module `rest`) both call it; it calls neither.
//!
//! [`state::State`] holds every part of the pool; each part lives in its own module:
//!
//! * [`users`]: users, uniqueness of identifiers, the archive, listing and search;
//! * [`access`]: roles, groups, policies, memberships and policy assignments;
//! * [`acl`]: resource namespaces, resources, grants and their evaluation, programmatic access accounts and
//!   application access policies;
//! * [`udf`]: custom fields and their values;
//! * [`apps`]: the applications (the default one and created ones), their secrets and agreements;
//! * [`orgs`]: organizations, their node trees, members and node roles (kept in the access store, so that
//!   grants and roles given to nodes take part in authorization);
//! * [`tokens`]: the JWTs the emulator signs and checks (management, user and login tokens);
//! * [`auth`]: what the end-user flows remember (verification codes in the [`outbox`], failed logins,
//!   reset tickets) and their rules;
//! * [`mfa`]: MFA authenticators, MFA tokens and the second step of a login;
//! * [`sessions`]: revocation generations of user tokens; [`activity`]: the user-action log;
//! * [`oidc`]: the OIDC / OAuth 2.0 provider (application settings, codes, grants, the tokens it signs) and
//!   [`signing`]: its RSA signing key and JWKS; [`cas`]: CAS service tickets;
//! * [`directory`]: LDAP and AD directories and sub-accounts; [`principal`]: principal authentication;
//!   [`identities`]: linking identities, resignation; [`user_filter`]: the conditions of the users filter;
//! * [`pool`]: the pool's settings, registration whitelists and environment variables; [`audit`]: the audit
//!   log of administrator actions;
//! * [`uploads`]: uploaded files (avatars) kept in memory;
//! * [`error`]: Authing's codes and messages.

pub(crate) mod access;
pub(crate) mod acl;
pub(crate) mod activity;
pub(crate) mod apps;
pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod authz;
pub(crate) mod cas;
pub(crate) mod common;
pub(crate) mod directory;
pub(crate) mod error;
pub(crate) mod identities;
pub(crate) mod log_filter;
pub(crate) mod mfa;
pub(crate) mod model;
pub(crate) mod oidc;
pub(crate) mod orgs;
pub(crate) mod outbox;
pub(crate) mod pool;
pub(crate) mod principal;
pub(crate) mod sessions;
pub(crate) mod signing;
pub(crate) mod snapshot;
pub(crate) mod state;
pub(crate) mod tokens;
pub(crate) mod udf;
pub(crate) mod uploads;
pub(crate) mod user_filter;
pub(crate) mod users;
