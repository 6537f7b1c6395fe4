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

use crate::store::common::random_hex;
use crate::store::error::{ApiError, Code};
use crate::store::outbox::Outbox;
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

    /// Forgets every code, failed login, ticket, password level and reset mark (a reset or an import).
    pub(crate) fn clear(&self) {
        *self.store() = AuthStore::default();
    }

    /// Records the level of a password the emulator knows only by its level (an imported state).
    pub(crate) fn set_password_level(&self, user_id: &str, level: u8) {
        self.store().password_levels.insert(user_id.to_owned(), level);
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
    fn strength_rule() {
        assert!(!password_is_strong("abc123"));
        assert!(!password_is_strong("abcdefgh123"), "lower-case and digits only");
        assert!(password_is_strong("Tr0ub4dor&3-Horse"));
        assert!(password_is_strong("Abcdefg1!"));
        assert!(password_is_strong("Abcdefg12"));
        assert!(!password_is_strong("Ab1!"), "too short");
    }

    #[test]
    fn levels() {
        assert_eq!(password_level("Tr0ub4dorHorse"), 3);
        assert_eq!(password_level("troub4dor"), 2);
        assert_eq!(password_level("123456"), 1);
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
