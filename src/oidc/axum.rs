//! The `axum` feature: extractors that read `Authorization: Bearer <token>`, verify the token with the
//! [`TokenVerifier`] of the router's state, and hand the handler its claims.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{AccessTokenClaims, IdTokenClaims, TokenVerifier};
use crate::error::AuthingError;

/// The claims of a verified access token from `Authorization: Bearer`; the handler runs only when the token
/// passed every check of [`TokenVerifier::verify_access_token`].
///
/// The router's state must give a [`TokenVerifier`] (`TokenVerifier: FromRef<S>`; the verifier itself can be
/// the state). A refusal is a [`BearerRejection`]: 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
///
/// ```
/// use axum::{Router, routing::get};
/// use authing::oidc::{TokenVerifier, VerifiedAccessToken};
///
/// async fn profile(VerifiedAccessToken(claims): VerifiedAccessToken) -> String {
///     format!("hello {}", claims.sub.unwrap_or_default())
/// }
///
/// # fn router(verifier: TokenVerifier) -> Router {
/// Router::new().route("/profile", get(profile)).with_state(verifier)
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct VerifiedAccessToken(pub AccessTokenClaims);

/// The claims of a verified id token from `Authorization: Bearer` (what Authing's login returns as the user's
/// token); see [`VerifiedAccessToken`]. The nonce is not checked.
#[derive(Debug, Clone)]
pub struct VerifiedIdToken(pub IdTokenClaims);

/// Why a request was refused by [`VerifiedAccessToken`] or [`VerifiedIdToken`].
///
/// As a response: 401 with `WWW-Authenticate: Bearer` when the request has no bearer token, 401 with
/// `WWW-Authenticate: Bearer error="invalid_token"` when the token was refused (RFC 6750 §3.1), 503 when the
/// application's key set could not be fetched. The body is one line of text and never contains the token.
#[derive(Debug)]
pub struct BearerRejection {
    error: Option<AuthingError>,
}

impl BearerRejection {
    /// The verification error; `None` when the request carried no bearer token.
    pub fn error(&self) -> Option<&AuthingError> {
        self.error.as_ref()
    }
}

impl IntoResponse for BearerRejection {
    fn into_response(self) -> Response {
        let (status, challenge, text) = match &self.error {
            None => (StatusCode::UNAUTHORIZED, "Bearer", "a bearer token is required".to_owned()),
            Some(error @ AuthingError::InvalidToken { .. }) => {
                (StatusCode::UNAUTHORIZED, r#"Bearer error="invalid_token""#, error.to_string())
            }
            Some(error) => {
                tracing::warn!(error = %error, "a bearer token could not be verified");
                (StatusCode::SERVICE_UNAVAILABLE, "", "the token cannot be verified now".to_owned())
            }
        };
        let mut response = (status, text).into_response();
        if !challenge.is_empty() {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}

/// The token of `Authorization: Bearer <token>` (the scheme is case-insensitive).
fn bearer(parts: &Parts) -> Result<&str, BearerRejection> {
    let value = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let token = value.and_then(|v| {
        let (scheme, token) = v.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    });
    token.filter(|t| !t.is_empty()).ok_or(BearerRejection { error: None })
}

impl<S> FromRequestParts<S> for VerifiedAccessToken
where
    TokenVerifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = BearerRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = TokenVerifier::from_ref(state);
        let token = bearer(parts)?;
        match verifier.verify_access_token(token).await {
            Ok(claims) => Ok(Self(claims)),
            Err(error) => Err(BearerRejection { error: Some(error) }),
        }
    }
}

impl<S> FromRequestParts<S> for VerifiedIdToken
where
    TokenVerifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = BearerRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = TokenVerifier::from_ref(state);
        let token = bearer(parts)?;
        match verifier.verify_id_token(token, None).await {
            Ok(claims) => Ok(Self(claims)),
            Err(error) => Err(BearerRejection { error: Some(error) }),
        }
    }
}
