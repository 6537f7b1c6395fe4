//! End-user authentication: what the registration, login, code and password flows remember between requests,
//! the login tokens (OIDC id tokens), and the rules shared by the GraphQL and REST sides.
//!
//! * Verification codes live in the [`Outbox`]; their lifetime is [`crate::EmulatorBuilder::verification_code_ttl`].
//! * Failed password logins are counted per identifier (`email:`, `username:` or `phone:` + the identifier).
//!   After [`MAX_FAILURES`] wrong passwords in a row every password login of that identifier answers 2000
//!   (captcha required) unless `captchaCode` is set (any non-empty text passes); a correct login clears the
//!   count.
//! * Password-reset tickets are one-time tokens, valid [`TICKET_TTL`], given in the `data.token` of a 2058
//!   refusal at login: for a user created with `resetPasswordOnFirstLogin` (ticket kind *first login*) or one
//!   marked with [`crate::Emulator::require_password_reset`] (kind *force reset*).
//! * The strength rule of `checkPasswordStrength` is [`password_is_strong`]; the level shown by
//!   `/users/me/security-level` is [`password_level`], noted whenever the emulator sees a clear password.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use serde_json::Value;

use crate::store::error::{ApiError, Code};
use crate::store::outbox::Outbox;
use crate::store::state::{State, random_hex, unix_now};
use crate::store::tokens::{self, Claims, Issued};
use crate::store::users::User;

/// Wrong passwords in a row after which a captcha is required.
pub(crate) const MAX_FAILURES: u32 = 5;
/// How long a password-reset ticket stays valid.
pub(crate) const TICKET_TTL: Duration = Duration::from_secs(3600);
/// The default lifetime of verification codes.
pub(crate) const DEFAULT_CODE_TTL: Duration = Duration::from_secs(300);

/// Why a password-reset ticket was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TicketKind {
    /// The user was created with `resetPasswordOnFirstLogin`.
    FirstLogin,
    /// The user was marked with `Emulator::require_password_reset`.
    ForceReset,
}

#[derive(Clone, Debug)]
struct Ticket {
    user_id: String,
    kind: TicketKind,
    expires: Instant,
}

#[derive(Default, Debug)]
struct AuthStore {
    outbox: Outbox,
    failures: HashMap<String, u32>,
    tickets: HashMap<String, Ticket>,
    password_levels: HashMap<String, u8>,
    force_reset: HashSet<String>,
}

/// The authentication part of the state (see the module docs). Its lock is taken last, alone.
#[derive(Default, Debug)]
pub(crate) struct AuthState {
    issuer: OnceLock<String>,
    code_ttl: OnceLock<Duration>,
    store: Mutex<AuthStore>,
}

impl AuthState {
    /// Sets the issuer of login tokens (`{host}/oidc`) and the lifetime of verification codes; once.
    pub(crate) fn configure(&self, host: &str, code_ttl: Duration) {
        let _ = self.issuer.set(format!("{}/oidc", host.trim_end_matches('/')));
        let _ = self.code_ttl.set(code_ttl);
    }

    /// The `iss` of login tokens.
    pub(crate) fn issuer(&self) -> &str {
        self.issuer.get().map_or("http://localhost/oidc", String::as_str)
    }

    fn code_ttl(&self) -> Duration {
        self.code_ttl.get().copied().unwrap_or(DEFAULT_CODE_TTL)
    }

    fn store(&self) -> MutexGuard<'_, AuthStore> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes and keeps a new verification code for a phone number or e-mail address.
    pub(crate) fn send_code(&self, to: &str) -> String {
        let ttl = self.code_ttl();
        self.store().outbox.send(to, ttl)
    }

    /// The latest unused, unexpired code of a recipient.
    pub(crate) fn latest_code(&self, to: &str) -> Option<String> {
        self.store().outbox.latest(to)
    }

    /// Checks a code and uses it up (2001 when wrong, used or expired).
    pub(crate) fn consume_code(&self, to: &str, code: &str) -> Result<(), ApiError> {
        self.store().outbox.consume(to, code)
    }

    /// Checks a code without using it.
    pub(crate) fn check_code(&self, to: &str, code: &str) -> Result<(), ApiError> {
        self.store().outbox.check(to, code)
    }

    /// Wrong passwords in a row for a login key.
    pub(crate) fn failures(&self, key: &str) -> u32 {
        self.store().failures.get(key).copied().unwrap_or(0)
    }

    pub(crate) fn record_failure(&self, key: &str) {
        *self.store().failures.entry(key.to_owned()).or_default() += 1;
    }

    pub(crate) fn clear_failures(&self, key: &str) {
        self.store().failures.remove(key);
    }

    /// Remembers the strength level of a user's new clear-text password.
    pub(crate) fn note_password(&self, user_id: &str, clear: &str) {
        self.store().password_levels.insert(user_id.to_owned(), password_level(clear));
    }

    /// The level of the user's password, when the emulator saw it.
    pub(crate) fn password_level(&self, user_id: &str) -> Option<u8> {
        self.store().password_levels.get(user_id).copied()
    }

    /// Marks a user whose next password login must first reset the password.
    pub(crate) fn require_reset(&self, user_id: &str) {
        self.store().force_reset.insert(user_id.to_owned());
    }

    pub(crate) fn must_reset(&self, user_id: &str) -> bool {
        self.store().force_reset.contains(user_id)
    }

    /// Forgets the reset mark and the user's open tickets (after a new password was set).
    pub(crate) fn reset_done(&self, user_id: &str) {
        let mut store = self.store();
        store.force_reset.remove(user_id);
        store.tickets.retain(|_, t| t.user_id != user_id);
    }

    /// Opens a one-time password-reset ticket.
    pub(crate) fn issue_ticket(&self, user_id: &str, kind: TicketKind) -> String {
        let token = random_hex(20);
        let ticket = Ticket { user_id: user_id.to_owned(), kind, expires: Instant::now() + TICKET_TTL };
        self.store().tickets.insert(token.clone(), ticket);
        token
    }

    /// The user of an open, unexpired ticket of one of `kinds`, without using it.
    pub(crate) fn ticket_user(&self, token: &str, kinds: &[TicketKind]) -> Option<String> {
        let store = self.store();
        let ticket = store.tickets.get(token)?;
        (ticket.expires > Instant::now() && kinds.contains(&ticket.kind)).then(|| ticket.user_id.clone())
    }
}

/// Whether a password passes `checkPasswordStrength`: at least 8 characters of at least 3 of the classes
/// lower-case letter, upper-case letter, digit, other character.
pub(crate) fn password_is_strong(password: &str) -> bool {
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    password.chars().count() >= 8 && classes.iter().filter(|c| **c).count() >= 3
}

/// 3 (high) for 12+ characters with lower-case, upper-case letters and digits; 2 (middle) for 8+ with letters
/// and digits; 1 (low) otherwise.
pub(crate) fn password_level(password: &str) -> u8 {
    let length = password.chars().count();
    let lower = password.chars().any(|c| c.is_ascii_lowercase());
    let upper = password.chars().any(|c| c.is_ascii_uppercase());
    let digit = password.chars().any(|c| c.is_ascii_digit());
    if length >= 12 && lower && upper && digit {
        3
    } else if length >= 8 && (lower || upper) && digit {
        2
    } else {
        1
    }
}

/// Unix seconds as ISO-8601 UTC with milliseconds (`2024-05-09T07:29:33.000Z`).
pub(crate) fn iso_from_unix(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Signs a login token (an OIDC id token) for `user` in `app_id` and records it in the user's sessions, so that
/// kick, logout and deletion revoke it.
///
/// Claims: `sub`, `aud` (the app id), `iss` (`{host}/oidc`), `iat`, `exp`, `userpool_id`, the OIDC profile
/// claims (`birthdate`, `family_name`, `gender`, `given_name`, `locale`, `middle_name`, `name`, `nickname`,
/// `picture`, `preferred_username`, `profile`, `updated_at`, `website`, `zoneinfo`, `address {…}`,
/// `phone_number`, `phone_number_verified`, `email`, `email_verified`), `data` (as in the tokens of
/// `refreshToken`), and the emulator's bookkeeping claims `jti`, `userPoolId` and `epoch`.
pub(crate) fn issue_login_token(state: &State, user: &User, app_id: &str) -> Issued {
    let iat = unix_now();
    let exp = iat.saturating_add(state.user_token_ttl.as_secs().max(1));
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
    let token =
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(&state.jwt_secret))
            .expect("HS256 signing cannot fail");
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
    match tokens::verify(state, token) {
        Ok(claims) if claims.data.kind == "user" => Ok(claims),
        _ => Err(ApiError::new(Code::NotLoggedIn)),
    }
}

/// The payload of a valid user token as plain JSON (what `validate_token` answers); `None` when the token is
/// not a valid user token of this emulator.
pub(crate) fn token_payload(state: &State, token: &str) -> Option<Value> {
    use base64::Engine as _;
    user_claims(state, Some(token)).ok()?;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The user of a valid user token, else 2020.
pub(crate) fn token_user(state: &State, token: Option<&str>) -> Result<(Claims, User), ApiError> {
    let claims = user_claims(state, token)?;
    let user = state.users_read().get(&claims.data.id).cloned().ok_or(ApiError::new(Code::NotLoggedIn))?;
    Ok((claims, user))
}

/// Whether the user keeps a way to log in: a phone (code login), an e-mail or username with a password, or an
/// identity.
pub(crate) fn can_log_in(user: &User) -> bool {
    let password = user.password_hash.is_some();
    user.phone.is_some()
        || (password && (user.email.is_some() || user.username.is_some()))
        || user.identity_list().next().is_some()
}

/// Checks an e-mail address enough to refuse obvious mistakes (2003).
pub(crate) fn check_email(email: &str) -> Result<(), ApiError> {
    let email = email.trim();
    match email.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => Ok(()),
        _ => Err(ApiError::new(Code::BadEmail)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let claims: Value =
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
        let checked = tokens::verify(&state, &issued.token).unwrap_err();
        assert_eq!(checked, tokens::Refusal::Revoked, "a token of a user the store does not hold");
    }

    #[test]
    fn strength_rule() {
        assert!(!password_is_strong("abc123"));
        assert!(!password_is_strong("abcdefgh123"), "lower-case and digits only");
        assert!(password_is_strong("Tr0ub4dor&3-Horse"));
        assert!(password_is_strong("Abcdefg1!"));
        assert!(password_is_strong("Abcdefg12"));
        assert!(!password_is_strong("Ab1!"), "too short");
    }

    #[test]
    fn levels_and_dates() {
        assert_eq!(password_level("Tr0ub4dorHorse"), 3);
        assert_eq!(password_level("troub4dor"), 2);
        assert_eq!(password_level("123456"), 1);
        assert_eq!(iso_from_unix(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_unix(1_715_239_773), "2024-05-09T07:29:33.000Z");
    }

    #[test]
    fn tickets_and_failures() {
        let auth = AuthState::default();
        let t = auth.issue_ticket("u", TicketKind::FirstLogin);
        assert_eq!(auth.ticket_user(&t, &[TicketKind::ForceReset]), None);
        assert_eq!(auth.ticket_user(&t, &[TicketKind::FirstLogin]).as_deref(), Some("u"));
        auth.reset_done("u");
        assert_eq!(auth.ticket_user(&t, &[TicketKind::FirstLogin]), None);
        auth.record_failure("k");
        auth.record_failure("k");
        assert_eq!(auth.failures("k"), 2);
        auth.clear_failures("k");
        assert_eq!(auth.failures("k"), 0);
    }
}
