//! # authing
//!
//! An async Rust SDK for [Authing](https://www.authing.cn), the identity platform: manage a user pool as its
//! administrator with [`ManagementClient`], and run end-user flows with [`AuthenticationClient`].
//!
//! ## Quickstart
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let emulator = authing_emulator::Emulator::start().await?;
//! use authing::{ManagementClient, Options};
//!
//! // Or `Options::from_env()?` with AUTHING_USERPOOL_ID, AUTHING_USERPOOL_SECRET and AUTHING_SERVER set.
//! let options = Options::builder()
//!     .host(emulator.host())
//!     .user_pool_id(emulator.user_pool_id())
//!     .secret(emulator.secret())
//!     .build()?;
//! let management = ManagementClient::new(&options)?;
//!
//! // The client fetches, caches and renews its management token by itself.
//! let token = management.get_management_token().await?;
//! assert!(token.exp > token.iat);
//! # Ok(())
//! # }
//! ```
//!
//! The examples and tests of this crate run against `authing-emulator`, a local Authing-compatible server (a
//! development dependency, started in-process with `Emulator::start().await`, or standalone with
//! `cargo run -p authing-emulator -- --port 0`).
//!
//! ## Module map
//!
//! | item | what it is |
//! |---|---|
//! | [`Options`], [`OptionsBuilder`] | hosts, credentials, [`Timeouts`], [`RetryConfig`], [`Lang`], public key, HTTP client |
//! | [`ManagementClient`] | the administrator's client; caches the management token |
//! | [`management::Users`], [`management::Udf`] | `management.users()`, `management.udf()`: users, custom fields and data |
//! | [`management::Roles`], [`management::Groups`], [`management::Policies`] | roles per namespace, groups, policies and their assignments |
//! | [`management::Acl`] | namespaces, resources, grants and checks, access keys, application access |
//! | [`management::Applications`] | `management.applications()`: applications, their secrets, active users, agreements and own namespace |
//! | [`management::Mfa`] | `management.mfa()`: a user's MFA status, unbinding a factor, importing a TOTP secret |
//! | [`management::PrincipalAuthentication`] | `management.principal_authentication()`: users' real-name (principal) authentication |
//! | [`management::Org`] | `management.org()`: organizations, node trees, members, node roles and grants, import and export |
//! | [`management::Pool`], [`management::Whitelist`] | `management.userpool()`, `management.whitelist()`: the pool's settings and environment variables, registration whitelists |
//! | [`management::Statistics`] | `management.statistics()`: the audit log, user actions, counts of users |
//! | [`models`] | typed models: [`models::User`], [`models::UdfValue`], inputs, enums |
//! | [`Page`] | one page of a list; `into_stream()` follows the next pages |
//! | [`AuthenticationClient`] | the end user's client: register, log in (LDAP and AD too), codes, passwords, profile, tokens, MFA, identities, principal authentication; cheap per request |
//! | [`oidc::TokenVerifier`] | offline verification of Authing's id and access tokens (JWKS cache, typed claims) |
//! | [`AuthenticationClient::build_authorize_url`], [`AuthenticationClient::get_access_token_by_code`] ... | OIDC, OAuth, SAML and CAS flows; [`Protocol`], [`TokenEndpointAuthMethod`] |
//! | [`AuthingError`], [`codes`] | the one error type, and the Authing codes worth matching on |
//! | [`Secret`], [`AccessToken`], [`MfaToken`], [`Password`] | redacted holders for secrets |
//!
//! Every client made from one [`Options`] shares one transport: one pooled `reqwest` client speaking GraphQL
//! (`{host}/graphql/v2`) and REST (`{host}/api/v2/...`).
//!
//! ## Errors
//!
//! Every failure is an [`AuthingError`]. Authing's own refusals keep their numeric code and message
//! ([`AuthingError::code`], [`AuthingError::message`]), so you can match on them; the common codes are named in
//! [`codes`]: [`codes::USER_NOT_FOUND`] (2004), [`codes::NOT_LOGGED_IN`] (2020),
//! [`codes::WRONG_USERNAME_OR_PASSWORD`] (2333) ... A GraphQL error that carries no Authing code is
//! [`AuthingError::Graphql`], whose `code()` is `None`: no code is made up. A login that needs a second factor
//! (1635) is [`AuthingError::MfaRequired`], carrying the MFA token and the factors on offer; the MFA verify calls
//! of [`AuthenticationClient`] finish it. Timeouts, transport, decode,
//! configuration and request-building failures ([`AuthingError::Request`]) keep their source. A token refused by
//! offline verification is [`AuthingError::InvalidToken`] naming the check that failed
//! ([`oidc::TokenRejection`]); an OAuth endpoint's refusal is [`AuthingError::OAuth`] with its `error` code
//! (`invalid_grant`, `invalid_client` ...). No error, client or
//! option shows a secret, a password or a token in `Debug` or `Display`.
//!
//! ## Retries and timeouts
//!
//! | setting | default |
//! |---|---|
//! | connect timeout | 5 s |
//! | one attempt (send + read the whole response) | 10 s |
//! | whole operation, retries included (for a management call, its token fetches and renewal too) | 30 s |
//! | attempts | 3, exponential back-off from 100 ms (max 5 s) with full jitter |
//! | largest response body, after decompression | 8 MiB ([`OptionsBuilder::max_response_bytes`]) |
//! | idle pooled connections kept | 30 s (below the 60 s of common load balancers) |
//!
//! Only operations that change nothing are retried: GraphQL queries and REST `GET`s, on connection errors
//! (refused, or reset or closed before the whole answer came, as on a pooled connection the server closed while
//! idle), timeouts and HTTP 429, 502, 503 and 504, waiting as `Retry-After` says (at most 20 s; a wait that would
//! outlast the operation's budget is not started, and the server's answer is returned instead). A mutation, a
//! login or a registration is sent again only when the connection could not be opened, so it certainly never
//! reached the server.
//!
//! One exception, for queries and mutations alike: a management call refused with code 2020 (the management
//! token expired or was revoked) renews the token and is sent once more. That is safe because Authing checks the
//! token before anything else and a call it refuses so has changed nothing.
//!
//! ## Features
//!
//! - `rustls` (default): TLS through rustls.
//! - `native-tls`: TLS through the platform's library.
//! - `axum`: the extractors `oidc::VerifiedAccessToken` and `oidc::VerifiedIdToken`, which verify
//!   `Authorization: Bearer` for an axum handler (401 with `WWW-Authenticate: Bearer error="invalid_token"` when
//!   refused); see `examples/axum_service.rs`.
//!
//! Tokens are verified with `jsonwebtoken` on its aws-lc-rs backend (the crypto library rustls already brings).
//! jsonwebtoken refuses to pick a backend when both `rust_crypto` and `aws_lc_rs` are enabled in one build and no
//! provider is installed: building a `TokenVerifier` installs the aws-lc-rs provider for the process unless the
//! application installed one first (`jsonwebtoken::crypto::CryptoProvider::install_default`).
//!
//! ## Tracing
//!
//! Each operation runs in a `tracing` span `authing.operation` (fields `op`, `transport`, `http_status`,
//! `authing_code`, `attempts`) with one `authing.attempt` span per attempt. Headers, variables, bodies and tokens
//! are never recorded.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// An [`Operation`](crate::transport::Operation) from its API area, name, document file under `src/graphql/`, and
/// the fragment files under `src/graphql/fragments/` it uses. Its kind (query or mutation, which decides retries)
/// is read from the document at compile time.
macro_rules! operation {
    ($area:literal, $name:literal, $file:literal $(, $fragment:literal)*) => {
        $crate::transport::Operation::new(
            concat!($area, ".", $name),
            concat!(
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/graphql/", $file))
                $(, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/graphql/fragments/", $fragment)))*
            ),
        )
    };
}

pub mod authentication;
mod config;
mod crypto;
mod error;
pub mod management;
pub mod models;
pub mod oidc;
mod page;
mod secret;
mod settings;
mod transport;

pub use authentication::AuthenticationClient;
pub use config::{
    DEFAULT_HOST, DEFAULT_MAX_RESPONSE_BYTES, Lang, Options, OptionsBuilder, Protocol, RetryConfig, Timeouts,
    TokenEndpointAuthMethod,
};
pub use error::{ApiError, AuthingError, OAuthError, Result, TimeoutKind, codes};
pub use management::ManagementClient;
pub use page::Page;
pub use secret::{AccessToken, MfaToken, Password, Secret};
pub use transport::ManagementToken;

/// The HTTP client crate used underneath, re-exported so you can pass your own client with
/// [`OptionsBuilder::http_client`].
pub use reqwest;

/// The README's code compiles.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
