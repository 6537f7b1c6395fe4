//! OpenID Connect and OAuth 2.0: offline verification of Authing's tokens ([`TokenVerifier`]) and the typed
//! claims it returns.

mod claims;
mod verifier;

pub use claims::{AccessTokenClaims, AddressClaim, IdTokenClaims, StandardClaims, TokenUserData};
pub use verifier::{
    DEFAULT_JWKS_MAX_AGE, DEFAULT_JWKS_MIN_REFRESH_INTERVAL, DEFAULT_LEEWAY, TokenRejection, TokenVerifier,
    TokenVerifierBuilder,
};
