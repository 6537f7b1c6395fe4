//! Multi-factor authentication: authenticators, MFA tokens and the rules of the second step of a login.
//! No HTTP here; the REST front end (`rest::mfa`) calls these functions.
//!
//! * **TOTP** (RFC 6238 through `totp-rs`): HMAC-SHA-1, 6 digits, 30-second steps, the base32 `secret`; a
//!   code of the current step or of the one before or after is valid. A step accepted once is not accepted
//!   again for the same authenticator (a replayed code gives 6001, like a wrong one). An authenticator comes
//!   from `associate` + `confirm` (the user) or from `import` (the administrator, secret and recovery code
//!   stored as given).
//! * **Recovery code**: one per TOTP authenticator, usable once: a used one gives 6001.
//! * **SMS and e-mail factors** check a code of the verification-code outbox (`POST /api/v2/sms/send`,
//!   `sendEmail` with any scene) for the user's phone or e-mail; a user without one binds it in the same step
//!   when no other user has it.
//! * **Face**: the emulator has no face engine. Associating stores the two photo URLs (`http` or `https`)
//!   without comparing them; a face verification succeeds when the photo URL given is one of those stored.
//! * **Enforcement**: [`MfaState::set_enforced`] (or [`crate::EmulatorBuilder::enforce_mfa`]) makes every
//!   correct password login answer 1635 with `data.mfaToken` (an opaque token valid
//!   [`crate::EmulatorBuilder::mfa_token_ttl`], 10 minutes by default) and the factors on offer.
//! * **MFA tokens** are accepted by the MFA endpoints only (anywhere else they are not tokens: 2020). An
//!   unknown token gives 2020; an expired one 2020 with the message `MFA token 已过期`. A successful
//!   verification uses the token up and signs the user in (a login token, `loginsCount`, `lastLogin`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use rand::RngCore as _;
use serde_json::{Value, json};
use totp_rs::{Builder, Secret};

use crate::store::common::{iso_from_unix, new_id, now_iso, random_hex, unix_now};
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::tokens;
use crate::store::users::User;

/// The default lifetime of an MFA token.
pub(crate) const DEFAULT_MFA_TOKEN_TTL: Duration = Duration::from_secs(600);
/// The issuer shown in the otpauth URI.
const ISSUER: &str = "Authing Emulator";

/// A bound TOTP authenticator.
#[derive(Clone, Debug)]
pub(crate) struct Totp {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) secret: String,
    pub(crate) recovery_code: String,
    pub(crate) recovery_used: bool,
    /// `SELF` (associated by the user) or `APPLICATION` (imported by the administrator).
    pub(crate) source: String,
    /// The last time step accepted (replay protection).
    pub(crate) last_step: Option<u64>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl Totp {
    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "userId": self.user_id,
            "enable": true,
            "secret": self.secret,
            "authenticatorType": "totp",
            "recoveryCode": self.recovery_code,
            "source": self.source,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }
}

/// An open MFA login: the user who gave the right password, and until when the token is valid.
#[derive(Clone, Debug)]
struct Challenge {
    user_id: String,
    app_id: String,
    expires: Instant,
}

#[derive(Default, Debug)]
struct MfaStore {
    totp: HashMap<String, Totp>,
    /// Associated but not yet confirmed: user id → (secret, recovery code).
    pending: HashMap<String, (String, String)>,
    faces: HashMap<String, Vec<String>>,
    challenges: HashMap<String, Challenge>,
}

/// The MFA part of the state. Its lock is taken alone, never while another lock of the state is held.
#[derive(Default, Debug)]
pub(crate) struct MfaState {
    enforced: AtomicBool,
    token_ttl: OnceLock<Duration>,
    store: Mutex<MfaStore>,
}

/// Whom an MFA endpoint acts for.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub(crate) user: User,
    /// The MFA token presented, when the caller is in the middle of a login.
    pub(crate) mfa_token: Option<String>,
}

fn wrong_totp() -> ApiError {
    ApiError::with_message(Code::WrongTotp, "口令错误", "The TOTP code is wrong")
}

fn reused_totp() -> ApiError {
    ApiError::with_message(Code::WrongTotp, "口令已使用，请等待下一个口令", "This TOTP code was already used")
}

fn bad_request(zh: &str, en: &str) -> ApiError {
    ApiError::with_message(Code::BadRequest, zh, en)
}

/// Whether `code` is a valid TOTP of `secret` now, and the step it belongs to.
fn totp_step(secret: &str, code: &str) -> Option<u64> {
    let bytes = Secret::try_from_base32(secret.trim().to_uppercase()).ok()?;
    let totp = Builder::new().with_secret(bytes.as_bytes().to_vec()).build_noncompliant();
    totp.check(code.trim(), unix_now())
}

/// A new base32 secret of 20 random bytes.
fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    Secret::from(bytes.to_vec()).to_base32()
}

/// The otpauth URI of a secret for an account.
fn otpauth_uri(secret: &str, account: &str) -> String {
    let account = account.replace(':', "_");
    let built = Secret::try_from_base32(secret).ok().and_then(|bytes| {
        Builder::new()
            .with_secret(bytes.as_bytes().to_vec())
            .with_account_name(account.as_str())
            .with_issuer(Some(ISSUER))
            .build()
            .ok()
    });
    built.and_then(|t| t.to_url().ok()).unwrap_or_default()
}

impl MfaState {
    /// Sets the lifetime of MFA tokens; once.
    pub(crate) fn configure(&self, token_ttl: Duration) {
        let _ = self.token_ttl.set(token_ttl);
    }

    fn token_ttl(&self) -> Duration {
        self.token_ttl.get().copied().unwrap_or(DEFAULT_MFA_TOKEN_TTL)
    }

    /// Whether password logins need a second factor.
    pub(crate) fn enforced(&self) -> bool {
        self.enforced.load(Ordering::SeqCst)
    }

    /// Turns the enforcement of MFA at password login on or off.
    pub(crate) fn set_enforced(&self, on: bool) {
        self.enforced.store(on, Ordering::SeqCst);
    }

    /// The bound TOTP authenticators, oldest first (for a state document).
    pub(crate) fn authenticators(&self) -> Vec<Totp> {
        let mut list: Vec<Totp> = self.store().totp.values().cloned().collect();
        list.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        list
    }

    /// Replaces the bound TOTP authenticators (keyed by their user); pending associations, faces and open
    /// MFA logins are dropped, as they belong to the users replaced.
    pub(crate) fn replace_authenticators(&self, list: Vec<Totp>) {
        let mut store = self.store();
        *store = MfaStore::default();
        store.totp = list.into_iter().map(|t| (t.user_id.clone(), t)).collect();
    }

    fn store(&self) -> MutexGuard<'_, MfaStore> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the user has a bound TOTP authenticator, and a face.
    pub(crate) fn status(&self, user_id: &str) -> (bool, bool) {
        let store = self.store();
        (store.totp.contains_key(user_id), store.faces.contains_key(user_id))
    }

    /// The refusal of a correct password login when MFA is enforced: 1635 with `data.mfaToken` and the
    /// factors on offer (`applicationMfa`: OTP, SMS, EMAIL, and FACE when a face is bound).
    pub(crate) fn login_challenge(&self, user: &User, app_id: &str) -> Option<ApiError> {
        if !self.enforced() {
            return None;
        }
        let token = random_hex(24);
        let challenge = Challenge {
            user_id: user.id.clone(),
            app_id: app_id.to_owned(),
            expires: Instant::now() + self.token_ttl(),
        };
        let (totp, face) = {
            let mut store = self.store();
            let now = Instant::now();
            store.challenges.retain(|_, c| c.expires > now);
            store.challenges.insert(token.clone(), challenge);
            (store.totp.contains_key(&user.id), store.faces.contains_key(&user.id))
        };
        let mut policies = vec!["OTP", "SMS", "EMAIL"];
        if face {
            policies.push("FACE");
        }
        let application_mfa: Vec<Value> =
            policies.iter().enumerate().map(|(i, p)| json!({ "mfaPolicy": p, "status": 1, "sort": i })).collect();
        let mut err = ApiError::with_message(Code::MfaRequired, "请进行二次认证", "A second factor is required");
        err.data = Some(json!({
            "mfaToken": token,
            "nickname": user.nickname,
            "username": user.username,
            "email": user.email,
            "phone": user.phone,
            "emailVerified": user.email_verified.unwrap_or(false),
            "phoneVerified": user.phone_verified.unwrap_or(false),
            "avatar": user.photo,
            "applicationMfa": application_mfa,
            "totpMfaEnabled": totp,
            "faceMfaEnabled": face,
        }));
        Some(err)
    }

    /// The open login of an MFA token: 2020 when unknown, 2020 `MFA token 已过期` when expired.
    fn challenge(&self, token: &str) -> Result<Challenge, ApiError> {
        let mut store = self.store();
        let Some(challenge) = store.challenges.get(token).cloned() else {
            return Err(ApiError::new(Code::NotLoggedIn));
        };
        if challenge.expires <= Instant::now() {
            store.challenges.remove(token);
            return Err(ApiError::with_message(Code::NotLoggedIn, "MFA token 已过期", "The MFA token has expired"));
        }
        Ok(challenge)
    }
}

/// The user of an MFA token (see [`MfaState`]); nothing else is accepted.
pub(crate) fn mfa_caller(state: &State, token: Option<&str>) -> Result<Caller, ApiError> {
    let token = token.ok_or(ApiError::new(Code::NotLoggedIn))?;
    let challenge = state.mfa.challenge(token)?;
    let user = state.users_read().get(&challenge.user_id).cloned().ok_or(ApiError::new(Code::NotLoggedIn))?;
    Ok(Caller { user, mfa_token: Some(token.to_owned()) })
}

/// The caller of a self-service endpoint: an MFA token or a user token.
pub(crate) fn self_caller(state: &State, token: Option<&str>) -> Result<Caller, ApiError> {
    let is_mfa_token = token.is_some_and(|t| state.mfa.store().challenges.contains_key(t));
    if is_mfa_token {
        return mfa_caller(state, token);
    }
    let (_, user) = tokens::token_user(state, token)?;
    Ok(Caller { user, mfa_token: None })
}

/// The bound authenticators of a user of `kind` (`totp`; any other kind has none).
pub(crate) fn list(state: &State, user_id: &str, kind: &str) -> Vec<Value> {
    if !kind.eq_ignore_ascii_case("totp") {
        return Vec::new();
    }
    state.mfa.store().totp.get(user_id).map(Totp::to_json).into_iter().collect()
}

/// Starts associating a TOTP authenticator: `{authenticator_type, secret, qrcode_uri, qrcode_data_url,
/// recovery_code}`. A user with one already bound gets 400.
pub(crate) fn associate(state: &State, user: &User) -> Result<Value, ApiError> {
    let secret = new_secret();
    let recovery = format!("{}-{}-{}-{}", random_hex(2), random_hex(2), random_hex(2), random_hex(2));
    {
        let mut store = state.mfa.store();
        if store.totp.contains_key(&user.id) {
            return Err(bad_request("已绑定 TOTP", "A TOTP authenticator is already bound"));
        }
        store.pending.insert(user.id.clone(), (secret.clone(), recovery.clone()));
    }
    let account = user.email.clone().or_else(|| user.username.clone()).or_else(|| user.phone.clone());
    let uri = otpauth_uri(&secret, &account.unwrap_or_else(|| user.id.clone()));
    Ok(json!({
        "authenticator_type": "totp",
        "secret": secret,
        "qrcode_uri": uri,
        "qrcode_data_url": "",
        "recovery_code": recovery,
    }))
}

/// Confirms the pending association with a TOTP of its secret: 6001 when wrong, 400 when nothing is pending.
pub(crate) fn confirm(state: &State, user_id: &str, code: &str) -> Result<(), ApiError> {
    let mut store = state.mfa.store();
    let Some((secret, recovery)) = store.pending.get(user_id).cloned() else {
        return Err(bad_request("请先绑定 TOTP", "No TOTP association is pending"));
    };
    totp_step(&secret, code).ok_or_else(wrong_totp)?;
    store.pending.remove(user_id);
    let now = now_iso();
    let totp = Totp {
        id: new_id(),
        user_id: user_id.to_owned(),
        secret,
        recovery_code: recovery,
        recovery_used: false,
        source: "SELF".to_owned(),
        // The confirmation is not a login: the code may still finish one.
        last_step: None,
        created_at: now.clone(),
        updated_at: now,
    };
    store.totp.insert(user_id.to_owned(), totp);
    Ok(())
}

/// Unbinds the user's TOTP authenticator (and any pending association); fine when there is none.
pub(crate) fn delete_totp(state: &State, user_id: &str) {
    let mut store = state.mfa.store();
    store.totp.remove(user_id);
    store.pending.remove(user_id);
}

/// Unbinds a factor of a user by the administrator's type name (`OTP` or `FACE`); 400 for another type.
pub(crate) fn unbind(state: &State, user_id: &str, kind: &str) -> Result<(), ApiError> {
    match kind.trim().to_uppercase().as_str() {
        "OTP" | "TOTP" => delete_totp(state, user_id),
        "FACE" => {
            state.mfa.store().faces.remove(user_id);
        }
        _ => return Err(bad_request("不支持的 MFA 类型", "Unknown MFA type; use OTP or FACE")),
    }
    Ok(())
}

/// The administrator imports a TOTP secret (and recovery code) for a user, stored as given.
pub(crate) fn import(
    state: &State,
    user_id: &str,
    secret: &str,
    recovery_code: Option<&str>,
) -> Result<Value, ApiError> {
    if state.users_read().get(user_id).is_none() {
        return Err(ApiError::new(Code::UserNotFound));
    }
    let now = now_iso();
    let totp = Totp {
        id: new_id(),
        user_id: user_id.to_owned(),
        secret: secret.to_owned(),
        recovery_code: recovery_code.map_or_else(|| random_hex(8), str::to_owned),
        recovery_used: false,
        source: "APPLICATION".to_owned(),
        last_step: None,
        created_at: now.clone(),
        updated_at: now,
    };
    let json = totp.to_json();
    let mut store = state.mfa.store();
    store.pending.remove(user_id);
    store.totp.insert(user_id.to_owned(), totp);
    Ok(json)
}

/// Checks a TOTP of the caller's bound authenticator: 6001 when wrong, replayed or when none is bound.
pub(crate) fn check_totp(state: &State, user_id: &str, code: &str) -> Result<(), ApiError> {
    let mut store = state.mfa.store();
    let totp = store.totp.get_mut(user_id).ok_or_else(wrong_totp)?;
    let step = totp_step(&totp.secret, code).ok_or_else(wrong_totp)?;
    if totp.last_step.is_some_and(|last| step <= last) {
        return Err(reused_totp());
    }
    totp.last_step = Some(step);
    Ok(())
}

/// Checks and uses up the recovery code of the caller's authenticator: 6001 when wrong or already used.
pub(crate) fn check_recovery(state: &State, user_id: &str, code: &str) -> Result<(), ApiError> {
    let mut store = state.mfa.store();
    let totp = store.totp.get_mut(user_id).ok_or_else(wrong_totp)?;
    if totp.recovery_code != code.trim() {
        return Err(ApiError::with_message(Code::WrongTotp, "恢复代码错误", "The recovery code is wrong"));
    }
    if totp.recovery_used {
        return Err(ApiError::with_message(Code::WrongTotp, "恢复代码已使用", "The recovery code was already used"));
    }
    totp.recovery_used = true;
    Ok(())
}

/// Whether a phone (`"phone"`) or e-mail (`"email"`) can serve as the caller's factor: its own, or free
/// while the caller has none. Taken by another user: 2035 (phone) or 2026 (e-mail); the caller has another
/// one: 400.
pub(crate) fn bindable(state: &State, user: &User, kind: &str, value: &str) -> Result<(), ApiError> {
    let own = if kind == "phone" { user.phone.as_deref() } else { user.email.as_deref() };
    let value = value.trim();
    match own {
        Some(own) if own.eq_ignore_ascii_case(value) => Ok(()),
        Some(_) => Err(bad_request("与账号绑定的不一致", "The user has another one bound")),
        None => match state.users_read().find_by(kind, value) {
            Some(other) if other.id != user.id => {
                Err(ApiError::new(if kind == "phone" { Code::PhoneExists } else { Code::UserExists }))
            }
            _ => Ok(()),
        },
    }
}

/// The SMS or e-mail factor: checks [`bindable`], uses up the code (2001) and binds the contact, verified,
/// when the user had none.
pub(crate) fn check_contact(state: &State, user: &User, kind: &str, value: &str, code: &str) -> Result<(), ApiError> {
    bindable(state, user, kind, value)?;
    state.auth.consume_code(value.trim(), code.trim())?;
    let mut store = state.users_write();
    let mut changed = store.get(&user.id).cloned().ok_or(ApiError::new(Code::UserNotFound))?;
    if kind == "phone" {
        changed.phone = Some(value.trim().to_owned());
        changed.phone_verified = Some(true);
    } else {
        changed.email = Some(value.trim().to_lowercase());
        changed.email_verified = Some(true);
    }
    changed.updated_at = Some(now_iso());
    store.replace(changed)?;
    Ok(())
}

fn photo_url(value: Option<&str>) -> Result<String, ApiError> {
    let url = value.map(str::trim).unwrap_or_default();
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(url.to_owned())
    } else {
        Err(bad_request("请提供人脸照片地址", "A photo URL (http or https) is required"))
    }
}

/// Binds a face from two photo URLs (not compared: there is no face engine).
pub(crate) fn associate_face(state: &State, user_id: &str, a: Option<&str>, b: Option<&str>) -> Result<(), ApiError> {
    let photos = vec![photo_url(a)?, photo_url(b)?];
    state.mfa.store().faces.insert(user_id.to_owned(), photos);
    Ok(())
}

/// Checks a face: the photo URL must be one of those associated; else 400 `人脸比对失败`.
pub(crate) fn check_face(state: &State, user_id: &str, photo: Option<&str>) -> Result<(), ApiError> {
    let photo = photo_url(photo)?;
    let store = state.mfa.store();
    match store.faces.get(user_id) {
        Some(photos) if photos.contains(&photo) => Ok(()),
        _ => Err(bad_request("人脸比对失败", "The face does not match")),
    }
}

/// Ends the login of an MFA token: the token is used up, the user signed in; returns the user with `token`
/// and `tokenExpiredAt`.
pub(crate) fn finish_login(state: &State, mfa_token: &str, ip: &str) -> Result<Value, ApiError> {
    let challenge = state.mfa.challenge(mfa_token)?;
    state.mfa.store().challenges.remove(mfa_token);
    let user = state.users_read().get(&challenge.user_id).cloned().ok_or(ApiError::new(Code::UserNotFound))?;
    let issued = tokens::issue_login_token(state, &user, &challenge.app_id);
    let mut store = state.users_write();
    let mut user = store.get(&user.id).cloned().ok_or(ApiError::new(Code::UserNotFound))?;
    user.logins_count = Some(user.logins_count.unwrap_or(0).saturating_add(1));
    user.last_login = Some(now_iso());
    user.last_ip = Some(ip.to_owned());
    user.token = Some(issued.token);
    user.token_expired_at = Some(iso_from_unix(issued.exp));
    Ok(store.replace(user)?.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_codes_of_the_current_step_pass_and_others_fail() {
        let secret = new_secret();
        let bytes = Secret::try_from_base32(&secret).unwrap();
        let totp = Builder::new().with_secret(bytes.as_bytes().to_vec()).build().unwrap();
        let code = totp.generate(unix_now()).to_string();
        assert!(totp_step(&secret, &code).is_some());
        let far = totp.generate(unix_now() - 3600).to_string();
        assert!(far == code || totp_step(&secret, &far).is_none());
        assert!(totp_step("not base32 !", "123456").is_none());
        assert!(otpauth_uri(&secret, "ada@example.com").starts_with("otpauth://totp/"));
    }
}
