//! OpenID Connect and OAuth 2.0: offline verification of Authing's tokens ([`TokenVerifier`]) and the typed
//! claims it returns; with the `axum` feature, the extractors `VerifiedAccessToken` and `VerifiedIdToken`.

#[cfg(feature = "axum")]
mod axum;
mod claims;
mod verifier;

#[cfg(feature = "axum")]
pub use axum::{BearerRejection, VerifiedAccessToken, VerifiedIdToken};

pub use claims::{AccessTokenClaims, AddressClaim, IdTokenClaims, StandardClaims, TokenUserData, UserInfo};
pub use verifier::{
    DEFAULT_JWKS_MAX_AGE, DEFAULT_JWKS_MIN_REFRESH_INTERVAL, DEFAULT_LEEWAY, TokenRejection, TokenVerifier,
    TokenVerifierBuilder,
};
