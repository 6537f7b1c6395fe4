//! The OIDC / OAuth 2.0 provider's domain: the application's settings, authorization codes, refresh tokens,
//! browser sessions, client authentication and the tokens it signs. Nothing here knows HTTP; the front end is
//! the `oidc` module.
//!
//! # Tokens
//!
//! * **Access tokens** are RS256 JWTs signed by the key set ([`crate::store::signing`]), `kid` in the header,
//!   with the claims `jti`, `sub` (the user id, or the access key of the client credentials grant), `iat`,
//!   `exp`, `iss` (`{host}/oidc`), `aud` (the app id), `scope`, `client_id` and `userpool_id`. Revoking one
//!   (RFC 7009) records its `jti`.
//! * **Id tokens** are JWTs signed RS256 (with `kid`) or HS256 with the app secret, as the application says
//!   ([`IdTokenAlgorithm`]), issued when the scope holds `openid`: `sub`, `iss`, `aud`, `iat`, `exp`, `nonce`
//!   (when the authorization request had one), `at_hash`, the standard claims of the scope (`profile`: `name`,
//!   `nickname`, `picture`, `updated_at` …; `email`: `email`, `email_verified`; `phone`: `phone_number`,
//!   `phone_number_verified`; `address`: `address {…}`), and Authing's `data {…}` and `userpool_id`.
//! * **Refresh tokens** are opaque (random hex), issued only when the scope holds `offline_access`, and rotated:
//!   each use gives a new one and the old one is refused.
//! * **Authorization codes** are opaque, single-use, valid [`OidcSettings::code_ttl`] (10 minutes by default),
//!   bound to the client, the redirect URI and the PKCE challenge of the authorization request.
//!
//! # Client authentication
//!
//! Every application of the pool is a client: it authenticates with its id and its current secret (a refreshed
//! secret replaces the old one at once), and its authorization requests must name one of its own redirect URIs
//! (the default application's are its OIDC settings'). The settings say how clients authenticate at the token
//! endpoint, at introspection and at revocation
//! ([`TokenAuthMethod`]): `client_secret_post` (`client_id` and `client_secret` in the body), `client_secret_basic`
//! (`Authorization: Basic base64(app_id:secret)`) or `none` (`client_id` only; the authorization request must
//! then carry a PKCE challenge). Another method than the configured one is refused (`invalid_client`, 401). The
//! client credentials grant authenticates a programmatic access account (access key and secret) by post or basic.

use std::fmt;
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, Validation};
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

use crate::store::common::{random_hex, unix_now};
use crate::store::state::State;
use crate::store::tokens;
use crate::store::users::User;

pub(crate) mod provider;

// The provider's vocabulary (settings, errors, authorization parameters) is this module's too.
pub(crate) use provider::*;

/// Checks an authorization request for an application of the pool (the redirect URI must be one of its own).
/// `openid_required` is true for `/oidc/auth`.
pub(crate) fn check_authorization(
    state: &State,
    p: &AuthorizeParams,
    openid_required: bool,
) -> Result<Authorization, AuthorizeError> {
    let settings = state.oidc.settings();
    let client_id = p.client_id.as_deref().unwrap_or_default();
    if client_id.is_empty() {
        return Err(AuthorizeError::Page("The request has no client_id.".to_owned()));
    }
    let Some(registered) = state.client_redirect_uris(client_id) else {
        return Err(AuthorizeError::Page("The client_id names no application of this user pool.".to_owned()));
    };
    let Some(redirect_uri) = p.redirect_uri.clone().filter(|r| !r.is_empty()) else {
        return Err(AuthorizeError::Page("The request has no redirect_uri.".to_owned()));
    };
    if !registered.contains(&redirect_uri) {
        return Err(AuthorizeError::Page("The redirect_uri is not registered on the application.".to_owned()));
    }
    let refuse = |error: &'static str, description: &str| AuthorizeError::Redirect {
        redirect_uri: redirect_uri.clone(),
        error,
        description: description.to_owned(),
        state: p.state.clone(),
    };
    match p.response_type.as_deref() {
        Some("code") => {}
        None | Some("") => return Err(refuse("invalid_request", "response_type is required")),
        Some(_) => return Err(refuse("unsupported_response_type", "only response_type=code is supported")),
    }
    if !matches!(p.response_mode.as_deref(), None | Some("" | "query")) {
        return Err(refuse("invalid_request", "only response_mode=query is supported"));
    }
    let scope = p.scope.clone().unwrap_or_default();
    if openid_required && !scope.split_whitespace().any(|s| s == "openid") {
        return Err(refuse("invalid_scope", "the scope must contain openid"));
    }
    let challenge = match (p.code_challenge.as_deref(), p.code_challenge_method.as_deref()) {
        (None | Some(""), None | Some("")) => None,
        (None | Some(""), Some(_)) => {
            return Err(refuse("invalid_request", "code_challenge_method without code_challenge"));
        }
        (Some(value), method) => {
            let s256 = match method {
                None | Some("") | Some("plain") => false,
                Some("S256") => true,
                Some(_) => return Err(refuse("invalid_request", "code_challenge_method must be S256 or plain")),
            };
            if !pkce_form(value) {
                return Err(refuse("invalid_request", "code_challenge must be 43 to 128 unreserved characters"));
            }
            Some(Challenge { value: value.to_owned(), s256 })
        }
    };
    if challenge.is_none() && settings.token_endpoint_auth_method == TokenAuthMethod::None {
        return Err(refuse("invalid_request", "a public client (token endpoint auth method none) must use PKCE"));
    }
    Ok(Authorization {
        client_id: client_id.to_owned(),
        redirect_uri,
        scope,
        state: p.state.clone(),
        nonce: p.nonce.clone().filter(|n| !n.is_empty()),
        challenge,
    })
}

/// What a client sent to identify itself: the Basic header's pair and the body's fields.
#[derive(Clone, Default)]
pub(crate) struct ClientCredentials {
    pub(crate) basic: Option<(String, String)>,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<String>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("basic", &self.basic.as_ref().map(|(id, _)| (id, "[redacted]")))
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// Which endpoint authenticates a client (each has its own configured method).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Token,
    Introspection,
    Revocation,
}

/// Authenticates an application of the pool, with its current secret, by the method configured for `endpoint`;
/// returns the client id.
pub(crate) fn authenticate_client(
    state: &State,
    endpoint: Endpoint,
    creds: &ClientCredentials,
) -> Result<String, OAuthError> {
    let settings = state.oidc.settings();
    let method = match endpoint {
        Endpoint::Token => settings.token_endpoint_auth_method,
        Endpoint::Introspection => settings.introspection_endpoint_auth_method,
        Endpoint::Revocation => settings.revocation_endpoint_auth_method,
    };
    let (id, secret) = match method {
        TokenAuthMethod::ClientSecretBasic => {
            if creds.client_secret.is_some() {
                return Err(OAuthError::invalid_client(
                    "the application authenticates clients by client_secret_basic, not client_secret in the body",
                ));
            }
            let Some((id, secret)) = &creds.basic else {
                return Err(OAuthError::invalid_client(
                    "client_secret_basic: the Authorization: Basic header is missing",
                ));
            };
            (id.as_str(), Some(secret.as_str()))
        }
        TokenAuthMethod::ClientSecretPost => {
            if creds.basic.is_some() {
                return Err(OAuthError::invalid_client(
                    "the application authenticates clients by client_secret_post, not an Authorization: Basic header",
                ));
            }
            let Some(secret) = creds.client_secret.as_deref() else {
                return Err(OAuthError::invalid_client("client_secret_post: client_secret is missing from the body"));
            };
            (creds.client_id.as_deref().unwrap_or_default(), Some(secret))
        }
        TokenAuthMethod::None => {
            if creds.basic.is_some() || creds.client_secret.is_some() {
                return Err(OAuthError::invalid_client("the application is a public client: send client_id only"));
            }
            (creds.client_id.as_deref().unwrap_or_default(), None)
        }
    };
    if id.is_empty() {
        return Err(OAuthError::invalid_client("client_id is missing"));
    }
    let Some(expected) = state.client_secret(id) else {
        return Err(OAuthError::invalid_client("unknown client"));
    };
    if let Some(secret) = secret
        && secret != expected
    {
        return Err(OAuthError::invalid_client("wrong client secret"));
    }
    Ok(id.to_owned())
}

/// The answer of the token endpoint (RFC 6749 §5.1).
pub(crate) fn token_response(
    access_token: &str,
    expires_in: u64,
    scope: &str,
    id_token: Option<String>,
    refresh_token: Option<String>,
) -> Value {
    let mut body = json!({
        "access_token": access_token,
        "expires_in": expires_in,
        "token_type": "Bearer",
        "scope": scope,
    });
    if let Some(id_token) = id_token {
        body["id_token"] = Value::String(id_token);
    }
    if let Some(refresh_token) = refresh_token {
        body["refresh_token"] = Value::String(refresh_token);
    }
    body
}

fn has_scope(scope: &str, wanted: &str) -> bool {
    scope.split_whitespace().any(|s| s == wanted)
}

/// Signs the tokens of a user grant: access token, id token (scope `openid`), refresh token (`offline_access`).
fn issue_user_tokens(state: &State, user: &User, client_id: &str, scope: &str, nonce: Option<&str>) -> Value {
    let settings = state.oidc.settings();
    let now = unix_now();
    let access_ttl = settings.access_token_ttl.as_secs().max(1);
    let access = json!({
        "jti": random_hex(16),
        "sub": user.id,
        "iat": now,
        "exp": now.saturating_add(access_ttl),
        "scope": scope,
        "iss": state.auth.issuer(),
        "aud": client_id,
        "client_id": client_id,
        "userpool_id": state.pool.id,
    });
    let access_token = state.oidc.keys.current().sign(&access);
    let id_token = has_scope(scope, "openid").then(|| {
        let mut claims = user_claims(user, scope);
        let exp = now.saturating_add(settings.id_token_ttl.as_secs().max(1));
        claims.insert("aud".into(), json!(client_id));
        claims.insert("iss".into(), json!(state.auth.issuer()));
        claims.insert("iat".into(), json!(now));
        claims.insert("exp".into(), json!(exp));
        if let Some(nonce) = nonce {
            claims.insert("nonce".into(), json!(nonce));
        }
        claims.insert("at_hash".into(), json!(at_hash(&access_token)));
        claims.insert("data".into(), token_data(state, user, client_id));
        claims.insert("userpool_id".into(), json!(state.pool.id));
        let secret = state.client_secret(client_id).unwrap_or_default();
        state.oidc.sign(settings.id_token_algorithm, &secret, &Value::Object(claims))
    });
    let refresh_token = has_scope(scope, "offline_access").then(|| {
        let token = random_hex(32);
        let exp = now.saturating_add(settings.refresh_token_ttl.as_secs().max(1));
        let grant =
            RefreshGrant { client_id: client_id.to_owned(), user_id: user.id.clone(), scope: scope.to_owned(), exp };
        state.oidc.grants().refresh.insert(token.clone(), grant);
        token
    });
    token_response(&access_token, access_ttl, scope, id_token, refresh_token)
}

/// `at_hash`: base64url of the left half of SHA-256 of the access token (OIDC Core §3.1.3.6).
pub(crate) fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// Authing's `data` object of a user token.
fn token_data(state: &State, user: &User, client_id: &str) -> Value {
    json!({
        "type": "user",
        "userPoolId": state.pool.id,
        "appId": client_id,
        "arn": user.arn,
        "id": user.id,
        "userId": user.id,
        "_id": user.id,
        "phone": user.phone,
        "email": user.email,
        "username": user.username,
        "unionid": user.unionid,
        "openid": user.openid,
        "clientId": client_id,
    })
}

/// `sub` and the standard claims of the scopes `profile`, `email`, `phone` and `address` (OIDC Core §5.4):
/// the id token's and the userinfo's.
pub(crate) fn user_claims(user: &User, scope: &str) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(user.id));
    if has_scope(scope, "profile") {
        let profile = [
            ("name", &user.name),
            ("nickname", &user.nickname),
            ("given_name", &user.given_name),
            ("middle_name", &user.middle_name),
            ("family_name", &user.family_name),
            ("preferred_username", &user.preferred_username),
            ("profile", &user.profile),
            ("picture", &user.photo),
            ("website", &user.website),
            ("birthdate", &user.birthdate),
            ("gender", &user.gender),
            ("zoneinfo", &user.zoneinfo),
            ("locale", &user.locale),
            ("updated_at", &user.updated_at),
        ];
        for (name, value) in profile {
            claims.insert(name.into(), json!(value));
        }
    }
    if has_scope(scope, "email") {
        claims.insert("email".into(), json!(user.email));
        claims.insert("email_verified".into(), json!(user.email_verified.unwrap_or(false)));
    }
    if has_scope(scope, "phone") {
        claims.insert("phone_number".into(), json!(user.phone));
        claims.insert("phone_number_verified".into(), json!(user.phone_verified.unwrap_or(false)));
    }
    if has_scope(scope, "address") {
        claims.insert(
            "address".into(),
            json!({
                "formatted": user.formatted,
                "street_address": user.street_address,
                "locality": user.locality,
                "region": user.region,
                "postal_code": user.postal_code,
                "country": user.country,
            }),
        );
    }
    claims
}

fn user_of(state: &State, user_id: &str) -> Result<User, OAuthError> {
    state.users_read().get(user_id).cloned().ok_or_else(|| OAuthError::invalid_grant("the user no longer exists"))
}

/// `grant_type=authorization_code`: the code (once), its client, redirect URI and PKCE verifier.
pub(crate) fn exchange_code(
    state: &State,
    client_id: &str,
    code: Option<&str>,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
) -> Result<Value, OAuthError> {
    let code = code.filter(|c| !c.is_empty()).ok_or_else(|| OAuthError::invalid_request("code is required"))?;
    // The code is used up by this attempt, whatever follows (a second attempt is refused).
    let grant = state
        .oidc
        .grants()
        .codes
        .remove(code)
        .ok_or_else(|| OAuthError::invalid_grant("the authorization code is invalid or was already used"))?;
    if Instant::now() >= grant.expires {
        return Err(OAuthError::invalid_grant("the authorization code has expired"));
    }
    if grant.auth.client_id != client_id {
        return Err(OAuthError::invalid_grant("the authorization code was issued to another client"));
    }
    if redirect_uri != Some(grant.auth.redirect_uri.as_str()) {
        return Err(OAuthError::invalid_grant("redirect_uri differs from the authorization request's"));
    }
    if let Some(challenge) = &grant.auth.challenge {
        let Some(verifier) = verifier.filter(|v| !v.is_empty()) else {
            return Err(OAuthError::invalid_grant("code_verifier is required: the request had a code_challenge"));
        };
        if !challenge.accepts(verifier) {
            return Err(OAuthError::invalid_grant("code_verifier does not match the code_challenge"));
        }
    }
    let user = user_of(state, &grant.user_id)?;
    Ok(issue_user_tokens(state, &user, client_id, &grant.auth.scope, grant.auth.nonce.as_deref()))
}

/// `grant_type=refresh_token`: a new token set, and a new refresh token in place of the used one.
pub(crate) fn refresh(state: &State, client_id: &str, token: Option<&str>) -> Result<Value, OAuthError> {
    let token =
        token.filter(|t| !t.is_empty()).ok_or_else(|| OAuthError::invalid_request("refresh_token is required"))?;
    let grant = {
        let mut grants = state.oidc.grants();
        match grants.refresh.get(token) {
            Some(g) if g.client_id != client_id => {
                return Err(OAuthError::invalid_grant("the refresh token was issued to another client"));
            }
            Some(_) => grants.refresh.remove(token).expect("present"),
            None => return Err(OAuthError::invalid_grant("the refresh token is invalid, used or revoked")),
        }
    };
    if unix_now() >= grant.exp {
        return Err(OAuthError::invalid_grant("the refresh token has expired"));
    }
    let user = user_of(state, &grant.user_id)?;
    Ok(issue_user_tokens(state, &user, client_id, &grant.scope, None))
}

/// `grant_type=client_credentials`: a programmatic access account (access key and secret) gets an access token.
pub(crate) fn client_credentials(
    state: &State,
    creds: &ClientCredentials,
    scope: Option<&str>,
) -> Result<Value, OAuthError> {
    let (key, secret) = match (&creds.basic, &creds.client_id, &creds.client_secret) {
        (Some(_), _, Some(_)) => {
            return Err(OAuthError::invalid_request("send the credentials either in the body or as Basic, not both"));
        }
        (Some((key, secret)), _, None) => (key.clone(), secret.clone()),
        (None, Some(key), Some(secret)) => (key.clone(), secret.clone()),
        _ => return Err(OAuthError::invalid_client("the access key and secret are required")),
    };
    let scope =
        scope.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| OAuthError::invalid_scope("scope is required"))?;
    let (app_id, lifetime) = {
        let access = state.access_read();
        let account = access.acl.account(&key).ok_or_else(|| OAuthError::invalid_client("unknown access key"))?;
        if !account.accepts(&secret) {
            return Err(OAuthError::invalid_client("wrong access secret, or the account is disabled"));
        }
        (account.app_id().to_owned(), u64::try_from(account.token_lifetime()).unwrap_or(1).max(1))
    };
    let now = unix_now();
    let claims = json!({
        "jti": random_hex(16),
        "sub": key,
        "iat": now,
        "exp": now.saturating_add(lifetime),
        "scope": scope,
        "iss": state.auth.issuer(),
        "aud": app_id,
        "client_id": key,
        "userpool_id": state.pool.id,
    });
    let token = state.oidc.keys.current().sign(&claims);
    Ok(token_response(&token, lifetime, scope, None, None))
}

/// `grant_type=http://authing.cn/oidc/grant_type/authing_token`: a valid user token (from a login) for OIDC
/// tokens of the scope.
pub(crate) fn exchange_user_token(
    state: &State,
    client_id: &str,
    token: Option<&str>,
    scope: Option<&str>,
) -> Result<Value, OAuthError> {
    let token = token.filter(|t| !t.is_empty()).ok_or_else(|| OAuthError::invalid_request("token is required"))?;
    let (_, user) =
        tokens::token_user(state, Some(token)).map_err(|_| OAuthError::invalid_grant("the user token is invalid"))?;
    let scope = scope.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("openid profile");
    Ok(issue_user_tokens(state, &user, client_id, scope, None))
}

/// The claims of a valid access token signed by this provider: key of the set, RS256, issuer, expiry, not
/// revoked, and a `scope` claim (id tokens have none).
pub(crate) fn verify_access_token(state: &State, token: &str) -> Option<Map<String, Value>> {
    let header = jsonwebtoken::decode_header(token).ok()?;
    if header.alg != Algorithm::RS256 {
        return None;
    }
    let key = state.oidc.keys.decoding_key(header.kid.as_deref()?)?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 0;
    validation.validate_aud = false;
    validation.set_issuer(&[state.auth.issuer()]);
    validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
    let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation).ok()?.claims;
    let jti = claims.get("jti")?.as_str()?;
    if !claims.contains_key("scope") || state.oidc.grants().revoked.contains(jti) {
        return None;
    }
    Some(claims)
}

/// The claims of a valid access token or id token of the provider: an access token as
/// [`verify_access_token`] checks it; an id token by its algorithm (RS256 with a key of the set, HS256 with the
/// app secret), issuer, expiry and audience (the app id).
pub(crate) fn verify_oidc_token(state: &State, token: &str) -> Option<Map<String, Value>> {
    if let Some(claims) = verify_access_token(state, token) {
        return Some(claims);
    }
    let header = jsonwebtoken::decode_header(token).ok()?;
    let decode = |key: &jsonwebtoken::DecodingKey, audience: &[String]| {
        let mut validation = Validation::new(header.alg);
        validation.leeway = 0;
        validation.set_issuer(&[state.auth.issuer()]);
        validation.set_audience(audience);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        jsonwebtoken::decode::<Map<String, Value>>(token, key, &validation).ok().map(|d| d.claims)
    };
    let clients = state.clients();
    let claims = match header.alg {
        Algorithm::RS256 => {
            let audience: Vec<String> = clients.into_iter().map(|(id, _)| id).collect();
            decode(&state.oidc.keys.decoding_key(header.kid.as_deref()?)?, &audience)?
        }
        // Signed with the secret of the application it was issued to.
        Algorithm::HS256 => clients.into_iter().find_map(|(id, secret)| {
            decode(&jsonwebtoken::DecodingKey::from_secret(secret.as_bytes()), std::slice::from_ref(&id))
        })?,
        _ => return None,
    };
    // An id token: neither an access token whose `jti` was revoked, nor a login token (its `epoch` marks it),
    // which only `tokens::verify` may accept, as it knows whether it was revoked.
    (!claims.contains_key("scope") && !claims.contains_key("epoch")).then_some(claims)
}

/// The userinfo of an access token: `sub` and the claims of its scope.
pub(crate) fn userinfo(state: &State, token: &str) -> Result<Value, OAuthError> {
    let claims = verify_access_token(state, token)
        .ok_or_else(|| OAuthError::invalid_token("the access token is invalid, expired or revoked"))?;
    let sub = claims.get("sub").and_then(Value::as_str).unwrap_or_default();
    let user = state
        .users_read()
        .get(sub)
        .cloned()
        .ok_or_else(|| OAuthError::invalid_token("the access token belongs to no user"))?;
    let scope = claims.get("scope").and_then(Value::as_str).unwrap_or_default();
    Ok(Value::Object(user_claims(&user, scope)))
}

/// RFC 7662: `{active: true, …}` for a valid access or refresh token, `{active: false}` otherwise.
pub(crate) fn introspect(state: &State, token: &str) -> Value {
    if let Some(claims) = verify_access_token(state, token) {
        let mut body = json!({ "active": true, "token_type": "Bearer" });
        for name in ["scope", "client_id", "sub", "exp", "iat", "iss", "aud", "jti"] {
            if let Some(v) = claims.get(name) {
                body[name] = v.clone();
            }
        }
        return body;
    }
    let grants = state.oidc.grants();
    match grants.refresh.get(token) {
        Some(g) if unix_now() < g.exp => json!({
            "active": true,
            "token_type": "refresh_token",
            "scope": g.scope,
            "client_id": g.client_id,
            "sub": g.user_id,
            "exp": g.exp,
            "iss": state.auth.issuer(),
            "aud": g.client_id,
        }),
        _ => json!({ "active": false }),
    }
}

/// RFC 7009: revokes an access token (by its `jti`) or a refresh token; an unknown token changes nothing.
pub(crate) fn revoke(state: &State, token: &str) {
    if let Some(claims) = verify_access_token(state, token) {
        if let Some(jti) = claims.get("jti").and_then(Value::as_str) {
            state.oidc.grants().revoked.insert(jti.to_owned());
        }
        return;
    }
    state.oidc.grants().refresh.remove(token);
}

/// The user a sign-in form names (username, e-mail or phone) when the password is right and the user not
/// blocked.
pub(crate) fn check_credentials(state: &State, identifier: &str, password: &str) -> Option<User> {
    let identifier = identifier.trim();
    if identifier.is_empty() || password.is_empty() {
        return None;
    }
    let users = state.users_read();
    let user = ["username", "email", "phone"].into_iter().find_map(|kind| users.find_by(kind, identifier))?;
    (user.check_password(password) && crate::store::identities::sign_in_refusal(user).is_none()).then(|| user.clone())
}

/// The payload of a valid user token, or of a valid OIDC id or access token of the provider, as plain JSON
/// (what `validate_token` answers); `None` when the token is none of these.
pub(crate) fn token_payload(state: &State, token: &str) -> Option<Value> {
    use base64::Engine as _;
    if tokens::user_claims(state, Some(token)).is_err() {
        return verify_oidc_token(state, token).map(Value::Object);
    }
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        assert_eq!(s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        let c = Challenge { value: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(), s256: true };
        assert!(c.accepts("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert!(!c.accepts("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert!(pkce_form("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert!(!pkce_form("short"));
    }

    #[test]
    fn credentials_never_print_secrets() {
        let c = ClientCredentials {
            basic: Some(("app".into(), "basic-secret".into())),
            client_id: Some("app".into()),
            client_secret: Some("body-secret".into()),
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("basic-secret") && !shown.contains("body-secret"), "{shown}");
    }
}
