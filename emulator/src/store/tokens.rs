//! The JWTs this emulator signs and checks (HS256 with a per-emulator random secret).
//!
//! Management token claims:
//!
//! ```json
//! {
//!   "sub": "<admin id>", "iat": 1700000000, "exp": 1700086400, "jti": "<32 hex>",
//!   "iss": "authing-emulator", "userPoolId": "<pool id>", "epoch": 0,
//!   "data": { "type": "management", "id": "<admin id>", "userPoolId": "<pool id>" }
//! }
//! ```
//!
//! User token claims (signed by `refreshToken`, the shape of Authing's admin-issued user tokens):
//!
//! ```json
//! {
//!   "sub": "<user id>", "iat": 1700000000, "exp": 1701296000, "jti": "<32 hex>",
//!   "iss": "authing-emulator", "userPoolId": "<pool id>", "epoch": 0,
//!   "data": {
//!     "type": "user", "userPoolId": "<pool id>", "appId": "<app id>", "arn": "arn:cn:authing:<pool>:user:<id>",
//!     "id": "<user id>", "userId": "<user id>", "_id": "<user id>", "phone": null, "email": "a@b.io",
//!     "username": "ada", "unionid": null, "openid": null, "clientId": "<app id>"
//!   }
//! }
//! ```
//!
//! `data.type` tells a management token from a user token. `epoch` is the revocation generation the
//! token was issued in: for management tokens the pool's (see `revoke_management_tokens`), for user tokens
//! the user's (see `sessions`); a token of an older generation is refused, and so is the token of a user
//! that no longer exists. User tokens live [`crate::EmulatorBuilder::user_token_ttl`] (15 days by default).

use std::sync::atomic::Ordering;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::store::state::{State, random_hex, unix_now};
use crate::store::users::User;

/// How long user tokens live: 15 days, Authing's default `tokenExpiresAfter`.
pub(crate) const USER_TOKEN_TTL: u64 = 15 * 24 * 3600;

const ISSUER: &str = "authing-emulator";

/// `data` of a token.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenData {
    /// `management` or `user`.
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) id: String,
    pub(crate) user_pool_id: String,
    /// The application of a user token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) app_id: Option<String>,
    /// The other claims of a user token.
    #[serde(flatten)]
    pub(crate) extra: serde_json::Map<String, serde_json::Value>,
}

/// The claims of a token.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Claims {
    pub(crate) sub: String,
    pub(crate) iat: u64,
    pub(crate) exp: u64,
    pub(crate) jti: String,
    pub(crate) iss: String,
    pub(crate) user_pool_id: String,
    #[serde(default)]
    pub(crate) epoch: u64,
    pub(crate) data: TokenData,
}

/// A freshly signed token.
#[derive(Debug)]
pub(crate) struct Issued {
    pub(crate) token: String,
    pub(crate) iat: u64,
    pub(crate) exp: u64,
}

/// Why a token is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not a token of this emulator (bad signature, garbage, other pool).
    Invalid,
    /// Past its `exp`.
    Expired,
    /// Issued before the last revocation.
    Revoked,
}

/// Signs a management token for the pool's administrator.
pub(crate) fn issue_management(state: &State) -> Issued {
    let iat = unix_now();
    let exp = iat.saturating_add(state.management_token_ttl.as_secs().max(1));
    let claims = Claims {
        sub: state.admin_id.clone(),
        iat,
        exp,
        jti: random_hex(16),
        iss: ISSUER.to_owned(),
        user_pool_id: state.pool.id.clone(),
        epoch: state.tokens.management_epoch.load(Ordering::SeqCst),
        data: TokenData {
            kind: "management".to_owned(),
            id: state.admin_id.clone(),
            user_pool_id: state.pool.id.clone(),
            app_id: None,
            extra: serde_json::Map::new(),
        },
    };
    let token = sign(state, &claims);
    let n = state.tokens.management_issued.fetch_add(1, Ordering::Relaxed) + 1;
    tracing::debug!(issued = n, "management token issued");
    Issued { token, iat, exp }
}

fn sign(state: &State, claims: &Claims) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(&state.jwt_secret))
        .expect("HS256 signing cannot fail")
}

/// Signs a user token for `user` in the application `app_id`, and records it in the user's sessions.
pub(crate) fn issue_user(state: &State, user: &User, app_id: &str) -> Issued {
    let iat = unix_now();
    let exp = iat.saturating_add(state.user_token_ttl.as_secs().max(1));
    let epoch = state.sessions().issue(&user.id, app_id, exp);
    let extra = serde_json::json!({
        "arn": user.arn,
        "userId": user.id,
        "_id": user.id,
        "phone": user.phone,
        "email": user.email,
        "username": user.username,
        "unionid": user.unionid,
        "openid": user.openid,
        "clientId": app_id,
    });
    let claims = Claims {
        sub: user.id.clone(),
        iat,
        exp,
        jti: random_hex(16),
        iss: ISSUER.to_owned(),
        user_pool_id: state.pool.id.clone(),
        epoch,
        data: TokenData {
            kind: "user".to_owned(),
            id: user.id.clone(),
            user_pool_id: state.pool.id.clone(),
            app_id: Some(app_id.to_owned()),
            extra: match extra {
                serde_json::Value::Object(map) => map,
                _ => serde_json::Map::new(),
            },
        },
    };
    Issued { token: sign(state, &claims), iat, exp }
}

/// Checks any token this emulator signed: signature, pool, expiry and, for management tokens, revocation.
pub(crate) fn verify(state: &State, token: &str) -> Result<Claims, Refusal> {
    let claims = decode(state, token)?;
    if claims.data.kind == "management" && claims.epoch < state.tokens.management_epoch.load(Ordering::SeqCst) {
        return Err(Refusal::Revoked);
    }
    if claims.data.kind == "user" {
        let exists = state.users_read().get(&claims.data.id).is_some();
        let app = claims.data.app_id.as_deref().unwrap_or_default();
        if !exists || !state.sessions().is_valid(&claims.data.id, app, claims.epoch) {
            return Err(Refusal::Revoked);
        }
    }
    Ok(claims)
}

/// The claims of a token signed by this emulator for its pool, checked as JWT: signature, issuer, expiry.
fn decode(state: &State, token: &str) -> Result<Claims, Refusal> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    // Login tokens (see `auth::issue_login_token`) are OIDC id tokens: their own issuer and an audience.
    validation.set_issuer(&[ISSUER, state.auth.issuer()]);
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp", "iat", "sub"]);
    let claims = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(&state.jwt_secret), &validation)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => Refusal::Expired,
            _ => Refusal::Invalid,
        })?
        .claims;
    if claims.user_pool_id != state.pool.id {
        return Err(Refusal::Invalid);
    }
    Ok(claims)
}

/// Checks a management token (the `Authorization: Bearer` of management calls).
pub(crate) fn verify_management(state: &State, token: &str) -> Result<Claims, Refusal> {
    let claims = verify(state, token)?;
    if claims.data.kind == "management" { Ok(claims) } else { Err(Refusal::Invalid) }
}

/// The token of an `authorization` header value: `Bearer <token>` (scheme case-insensitive).
pub(crate) fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::store::state::Credentials;

    fn state(ttl: u64) -> State {
        let c = Credentials { id: "pool".into(), secret: "s".into() };
        State::new(c.clone(), c, Duration::from_secs(ttl))
    }

    #[test]
    fn issue_verify_revoke() {
        let st = state(3600);
        let t = issue_management(&st);
        assert!(t.exp > t.iat);
        let claims = verify_management(&st, &t.token).unwrap();
        assert_eq!(claims.sub, st.admin_id);
        assert_eq!(claims.data.id, st.admin_id);
        st.revoke_management_tokens();
        assert_eq!(verify(&st, &t.token).unwrap_err(), Refusal::Revoked);
        let t2 = issue_management(&st);
        assert!(verify_management(&st, &t2.token).is_ok());
    }

    #[test]
    fn user_tokens_are_revoked_per_user() {
        let st = state(3600);
        let id = st.add_user(Some("ada".into()), None, None, None, None).unwrap();
        let user = st.users_read().get(&id).unwrap().clone();
        let t = issue_user(&st, &user, &st.app.id);
        let claims = verify(&st, &t.token).unwrap();
        assert_eq!(claims.sub, id);
        assert_eq!(claims.data.kind, "user");
        assert_eq!(claims.data.extra["username"], "ada");
        assert!(verify_management(&st, &t.token).is_err());
        st.sessions().revoke(&id, None);
        assert_eq!(verify(&st, &t.token).unwrap_err(), Refusal::Revoked);
        let t2 = issue_user(&st, &user, &st.app.id);
        assert!(verify(&st, &t2.token).is_ok());
    }

    #[test]
    fn other_emulators_tokens_are_invalid() {
        let a = state(3600);
        let b = state(3600);
        let t = issue_management(&a);
        assert_eq!(verify(&b, &t.token).unwrap_err(), Refusal::Invalid);
        assert_eq!(verify(&a, "x.y.z").unwrap_err(), Refusal::Invalid);
    }

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("abc"), None);
    }
}
