//! The MFA part of the state: TOTP authenticators, open MFA logins, enforcement; and the TOTP arithmetic. Nothing
//! here reads the rest of the state.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use rand::RngCore as _;
use serde_json::{Value, json};
use totp_rs::{Builder, Secret};

use crate::store::common::{random_hex, unix_now};
use crate::store::error::{ApiError, Code};
use crate::store::users::User;

/// The default lifetime of an MFA token.
pub(crate) const DEFAULT_MFA_TOKEN_TTL: Duration = Duration::from_secs(600);
/// The issuer shown in the otpauth URI.
pub(super) const ISSUER: &str = "Authing Emulator";

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
    pub(super) fn to_json(&self) -> Value {
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
pub(super) struct Challenge {
    pub(super) user_id: String,
    pub(super) app_id: String,
    pub(super) expires: Instant,
}

#[derive(Default, Debug)]
pub(super) struct MfaStore {
    pub(super) totp: HashMap<String, Totp>,
    /// Associated but not yet confirmed: user id → (secret, recovery code).
    pub(super) pending: HashMap<String, (String, String)>,
    pub(super) faces: HashMap<String, Vec<String>>,
    pub(super) challenges: HashMap<String, Challenge>,
}

/// The MFA part of the state. Its lock is taken alone, never while another lock of the state is held.
#[derive(Default, Debug)]
pub(crate) struct MfaState {
    pub(super) enforced: AtomicBool,
    pub(super) token_ttl: OnceLock<Duration>,
    pub(super) store: Mutex<MfaStore>,
}

/// Whom an MFA endpoint acts for.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub(crate) user: User,
    /// The MFA token presented, when the caller is in the middle of a login.
    pub(crate) mfa_token: Option<String>,
}

pub(super) fn wrong_totp() -> ApiError {
    ApiError::with_message(Code::WrongTotp, "口令错误", "The TOTP code is wrong")
}

pub(super) fn reused_totp() -> ApiError {
    ApiError::with_message(Code::WrongTotp, "口令已使用，请等待下一个口令", "This TOTP code was already used")
}

pub(super) fn bad_request(zh: &str, en: &str) -> ApiError {
    ApiError::with_message(Code::BadRequest, zh, en)
}

/// Whether `code` is a valid TOTP of `secret` now, and the step it belongs to.
pub(super) fn totp_step(secret: &str, code: &str) -> Option<u64> {
    let bytes = Secret::try_from_base32(secret.trim().to_uppercase()).ok()?;
    let totp = Builder::new().with_secret(bytes.as_bytes().to_vec()).build_noncompliant();
    totp.check(code.trim(), unix_now())
}

/// A new base32 secret of 20 random bytes.
pub(super) fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    Secret::from(bytes.to_vec()).to_base32()
}

/// The otpauth URI of a secret for an account.
pub(super) fn otpauth_uri(secret: &str, account: &str) -> String {
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

    pub(super) fn token_ttl(&self) -> Duration {
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

    pub(super) fn store(&self) -> MutexGuard<'_, MfaStore> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the user has a bound TOTP authenticator, and a face.
    pub(crate) fn status(&self, user_id: &str) -> (bool, bool) {
        let store = self.store();
        (store.totp.contains_key(user_id), store.faces.contains_key(user_id))
    }

    /// The refusal of a correct password login when MFA is enforced, or when the user has bound a TOTP
    /// authenticator (as Authing does: the official JS SDK's tests log in once, bind TOTP, and expect the next login
    /// to ask for it): 1635 with `data.mfaToken` and the factors on offer (`applicationMfa`: OTP, SMS, EMAIL, and
    /// FACE when a face is bound).
    pub(crate) fn login_challenge(&self, user: &User, app_id: &str) -> Option<ApiError> {
        if !self.enforced() && !self.store().totp.contains_key(&user.id) {
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
    pub(super) fn challenge(&self, token: &str) -> Result<Challenge, ApiError> {
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
