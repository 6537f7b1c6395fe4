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
//! * **The second step of a login**: a correct password login of a user with a bound TOTP authenticator answers
//!   1635 with `data.mfaToken` (an opaque token valid [`crate::EmulatorBuilder::mfa_token_ttl`], 10 minutes by
//!   default) and the factors on offer. [`MfaState::set_enforced`](factors::MfaState::set_enforced) (or
//!   [`crate::EmulatorBuilder::enforce_mfa`]) asks every user for it, bound or not.
//! * **MFA tokens** are accepted by the MFA endpoints only (anywhere else they are not tokens: 2020). An
//!   unknown token gives 2020; an expired one 2020 with the message `MFA token 已过期`. A successful
//!   verification uses the token up and signs the user in (a login token, `loginsCount`, `lastLogin`).

use serde_json::{Value, json};

use crate::store::common::{iso_from_unix, new_id, now_iso, random_hex};
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::tokens;
use crate::store::users::User;

pub(crate) mod factors;

pub(crate) use factors::{Caller, DEFAULT_MFA_TOKEN_TTL, Totp};
use factors::{bad_request, new_secret, otpauth_uri, reused_totp, totp_step, wrong_totp};

/// The user of an MFA token (see [`MfaState`](factors::MfaState)); nothing else is accepted.
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
    if let Some(refusal) = crate::store::identities::sign_in_refusal(&user) {
        return Err(refusal);
    }
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
    use totp_rs::{Builder, Secret};

    use super::*;
    use crate::store::common::unix_now;

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
