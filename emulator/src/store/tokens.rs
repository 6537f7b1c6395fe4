//! The JWTs this emulator signs and checks: management and `refreshToken` user tokens (HS256 with a
//! per-emulator random secret), and login tokens, signed like the application's OIDC id tokens (RS256 with the
//! OIDC signing key by default, or HS256 with the secret of the application logged in to).
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
//! that no longer exists. User tokens live [`crate::EmulatorBuilder::user_token_ttl`] (15 days by default), or
//! the pool's `tokenExpiresAfter` once an administrator sets it.

use std::sync::atomic::Ordering;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::store::common::{random_hex, unix_now};
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
pub(crate) use crate::store::state::USER_TOKEN_TTL;
use crate::store::users::User;

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
    let exp = iat.saturating_add(state.user_token_lifetime().as_secs().max(1));
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
        // A deleted or blocked user's tokens are refused, whenever they were signed.
        let active = state.users_read().get(&claims.data.id).is_some_and(|u| u.blocked != Some(true));
        let app = claims.data.app_id.as_deref().unwrap_or_default();
        if !active || !state.sessions().is_valid(&claims.data.id, app, claims.epoch) {
            return Err(Refusal::Revoked);
        }
    }
    Ok(claims)
}

/// The claims of a token signed by this emulator for its pool, checked as JWT: signature, issuer, expiry.
///
/// HS256 tokens are checked with the emulator's secret; login tokens (see `issue_login_token`) are signed as
/// the application's id tokens: RS256 with a key of the OIDC key set (by `kid`), or HS256 with the current secret
/// of one of the pool's applications, which then may only be a user token.
fn decode(state: &State, token: &str) -> Result<Claims, Refusal> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| Refusal::Invalid)?;
    let mut validation = Validation::new(header.alg);
    validation.leeway = 0;
    // Login tokens are OIDC id tokens: their own issuer and an audience.
    validation.set_issuer(&[ISSUER, state.auth.issuer()]);
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp", "iat", "sub"]);
    let check = |key: &DecodingKey| {
        jsonwebtoken::decode::<Claims>(token, key, &validation).map(|d| d.claims).map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => Refusal::Expired,
            _ => Refusal::Invalid,
        })
    };
    let claims = match header.alg {
        Algorithm::RS256 => {
            let key =
                header.kid.as_deref().and_then(|kid| state.oidc.keys.decoding_key(kid)).ok_or(Refusal::Invalid)?;
            check(&key)?
        }
        Algorithm::HS256 => match check(&DecodingKey::from_secret(&state.jwt_secret)) {
            Err(Refusal::Invalid) => {
                let claims = signed_by_an_application(state, &check)?;
                if claims.data.kind != "user" || claims.iss != state.auth.issuer() {
                    return Err(Refusal::Invalid);
                }
                claims
            }
            other => other?,
        },
        _ => return Err(Refusal::Invalid),
    };
    if claims.user_pool_id != state.pool.id {
        return Err(Refusal::Invalid);
    }
    Ok(claims)
}

/// The claims of an HS256 login token signed with the current secret of one of the pool's applications (the one
/// it was issued for); a token signed with a secret since refreshed is invalid.
fn signed_by_an_application(
    state: &State,
    check: &dyn Fn(&DecodingKey) -> Result<Claims, Refusal>,
) -> Result<Claims, Refusal> {
    for secret in state.app_secrets() {
        match check(&DecodingKey::from_secret(secret.as_bytes())) {
            Err(Refusal::Invalid) => continue,
            other => return other,
        }
    }
    Err(Refusal::Invalid)
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

/// Signs a login token (an OIDC id token) for `user` in `app_id` and records it in the user's sessions, so that
/// kick, logout and deletion revoke it. It is signed like the application's id tokens: RS256 with the OIDC
/// signing key (`kid` in the header, verifiable against the served JWKS) by default, HS256 with the secret of
/// the application `app_id` when the application says so.
///
/// Claims: `sub`, `aud` (the app id), `iss` (`{host}/oidc`), `iat`, `exp`, `userpool_id`, the OIDC profile
/// claims (`birthdate`, `family_name`, `gender`, `given_name`, `locale`, `middle_name`, `name`, `nickname`,
/// `picture`, `preferred_username`, `profile`, `updated_at`, `website`, `zoneinfo`, `address {…}`,
/// `phone_number`, `phone_number_verified`, `email`, `email_verified`), `data` (as in the tokens of
/// `refreshToken`), and the emulator's bookkeeping claims `jti`, `userPoolId` and `epoch`.
pub(crate) fn issue_login_token(state: &State, user: &User, app_id: &str) -> Issued {
    let iat = unix_now();
    let exp = iat.saturating_add(state.user_token_lifetime().as_secs().max(1));
    let epoch = state.sessions().issue(&user.id, app_id, exp);
    let claims = LoginClaims {
        sub: &user.id,
        birthdate: &user.birthdate,
        family_name: &user.family_name,
        gender: &user.gender,
        given_name: &user.given_name,
        locale: &user.locale,
        middle_name: &user.middle_name,
        name: &user.name,
        nickname: &user.nickname,
        picture: &user.photo,
        preferred_username: &user.preferred_username,
        profile: &user.profile,
        updated_at: &user.updated_at,
        website: &user.website,
        zoneinfo: &user.zoneinfo,
        address: LoginAddress {
            formatted: &user.formatted,
            street_address: &user.street_address,
            locality: &user.locality,
            region: &user.region,
            postal_code: &user.postal_code,
            country: &user.country,
        },
        phone_number: &user.phone,
        phone_number_verified: user.phone_verified.unwrap_or(false),
        email: &user.email,
        email_verified: user.email_verified.unwrap_or(false),
        data: LoginData {
            kind: "user",
            user_pool_id: &state.pool.id,
            app_id,
            arn: &user.arn,
            id: &user.id,
            user_id: &user.id,
            underscore_id: &user.id,
            phone: &user.phone,
            email: &user.email,
            username: &user.username,
            unionid: &user.unionid,
            openid: &user.openid,
            client_id: app_id,
        },
        userpool_id: &state.pool.id,
        aud: app_id,
        iss: state.auth.issuer(),
        exp,
        iat,
        jti: random_hex(16),
        user_pool_id: &state.pool.id,
        epoch,
    };
    let secret = state.client_secret(app_id).unwrap_or_else(|| state.app_secret());
    let token = state.oidc.sign(state.oidc.settings().id_token_algorithm, &secret, &claims);
    Issued { token, iat, exp }
}

/// The claims of a login token: OIDC's standard claims of the user, then Authing's own.
#[derive(Serialize)]
struct LoginClaims<'a> {
    sub: &'a str,
    birthdate: &'a Option<String>,
    family_name: &'a Option<String>,
    gender: &'a Option<String>,
    given_name: &'a Option<String>,
    locale: &'a Option<String>,
    middle_name: &'a Option<String>,
    name: &'a Option<String>,
    nickname: &'a Option<String>,
    picture: &'a Option<String>,
    preferred_username: &'a Option<String>,
    profile: &'a Option<String>,
    updated_at: &'a Option<String>,
    website: &'a Option<String>,
    zoneinfo: &'a Option<String>,
    address: LoginAddress<'a>,
    phone_number: &'a Option<String>,
    phone_number_verified: bool,
    email: &'a Option<String>,
    email_verified: bool,
    data: LoginData<'a>,
    userpool_id: &'a str,
    aud: &'a str,
    iss: &'a str,
    exp: u64,
    iat: u64,
    jti: String,
    #[serde(rename = "userPoolId")]
    user_pool_id: &'a str,
    epoch: u64,
}

#[derive(Serialize)]
struct LoginAddress<'a> {
    formatted: &'a Option<String>,
    street_address: &'a Option<String>,
    locality: &'a Option<String>,
    region: &'a Option<String>,
    postal_code: &'a Option<String>,
    country: &'a Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginData<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    user_pool_id: &'a str,
    app_id: &'a str,
    arn: &'a str,
    id: &'a str,
    user_id: &'a str,
    #[serde(rename = "_id")]
    underscore_id: &'a str,
    phone: &'a Option<String>,
    email: &'a Option<String>,
    username: &'a Option<String>,
    unionid: &'a Option<String>,
    openid: &'a Option<String>,
    client_id: &'a str,
}

/// The claims of a valid user token (login or `refreshToken`), else 2020.
pub(crate) fn user_claims(state: &State, token: Option<&str>) -> Result<Claims, ApiError> {
    let token = token.ok_or(ApiError::new(Code::NotLoggedIn))?;
    match verify(state, token) {
        Ok(claims) if claims.data.kind == "user" => Ok(claims),
        _ => Err(ApiError::new(Code::NotLoggedIn)),
    }
}

/// The user of a valid user token, else 2020.
pub(crate) fn token_user(state: &State, token: Option<&str>) -> Result<(Claims, User), ApiError> {
    let claims = user_claims(state, token)?;
    let user = state.users_read().get(&claims.data.id).cloned().ok_or(ApiError::new(Code::NotLoggedIn))?;
    Ok((claims, user))
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

    #[test]
    fn a_login_token_carries_the_users_oidc_claims_and_authings_own() {
        use base64::Engine as _;
        let credentials = crate::store::state::Credentials { id: "pool".into(), secret: "s".into() };
        let state = State::new(credentials.clone(), credentials, Duration::from_secs(60));
        let mut user = User::new("pool", "u1".to_owned(), "2024-05-01T00:00:00.000Z".to_owned());
        (user.username, user.email, user.phone) = (Some("ada".into()), Some("a@b.io".into()), None);
        (user.nickname, user.photo, user.country) = (Some("Ada".into()), Some("p.png".into()), Some("UK".into()));
        user.email_verified = Some(true);
        let issued = issue_login_token(&state, &user, "app");
        let payload = issued.token.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        let jti = claims["jti"].as_str().unwrap();
        assert_eq!(jti.len(), 32, "{claims}");
        let expected = serde_json::json!({
            "sub": "u1", "birthdate": null, "family_name": null, "gender": null, "given_name": null, "locale": null,
            "middle_name": null, "name": null, "nickname": "Ada", "picture": "p.png", "preferred_username": null,
            "profile": null, "updated_at": user.updated_at, "website": null, "zoneinfo": null,
            "address": {
                "formatted": null, "street_address": null, "locality": null, "region": null, "postal_code": null,
                "country": "UK",
            },
            "phone_number": null, "phone_number_verified": false, "email": "a@b.io", "email_verified": true,
            "data": {
                "type": "user", "userPoolId": "pool", "appId": "app", "arn": user.arn, "id": "u1", "userId": "u1",
                "_id": "u1", "phone": null, "email": "a@b.io", "username": "ada", "unionid": null, "openid": null,
                "clientId": "app",
            },
            "userpool_id": "pool", "aud": "app", "iss": state.auth.issuer(), "exp": issued.exp, "iat": issued.iat,
            "jti": jti, "userPoolId": "pool", "epoch": claims["epoch"],
        });
        assert_eq!(claims, expected);
        // And the emulator takes it back as a user token of that application.
        let checked = verify(&state, &issued.token).unwrap_err();
        assert_eq!(checked, Refusal::Revoked, "a token of a user the store does not hold");
    }
}
