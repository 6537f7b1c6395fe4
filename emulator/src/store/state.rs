//! The in-memory state of one emulated user pool.
//!
//! Everything a request can read or change lives in [`State`], shared behind an `Arc` by the server task
//! and the [`crate::Emulator`] handle. Immutable parts (ids, secrets, keys) are plain fields; mutable parts
//! sit behind their own small lock or atomic, so a request holds a lock only for the few instructions
//! that touch the data.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::RngCore as _;
use rsa::RsaPrivateKey;
use rsa::pkcs8::{EncodePublicKey as _, LineEnding};
use serde_json::{Value, json};

use crate::crypto;
use crate::store::access::AccessStore;
use crate::store::activity::Action;
use crate::store::error::ApiError;
use crate::store::sessions::SessionBook;
use crate::store::udf::UdfStore;
use crate::store::users::{User, UserStore};

/// An id in the style of Authing's: 24 lower-case hex digits, like a MongoDB ObjectId.
pub(crate) fn new_id() -> String {
    random_hex(12)
}

/// `n` random bytes as lower-case hex.
pub(crate) fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The current time as ISO-8601 UTC with milliseconds, the way Authing prints dates (`2024-05-09T07:29:33.186Z`).
pub(crate) fn now_iso() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = now.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_millis()
    )
}

/// Whether `s` is an ISO-8601 date (`2024-05-09`) or date-time (`2024-05-09T07:29:33.186Z`, with `T` or
/// a space, optional seconds and fraction, optional `Z` or `±HH:MM` / `±HHMM` / `±HH` offset).
pub(crate) fn is_iso_datetime(s: &str) -> bool {
    fn num(s: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok().filter(|n| range.contains(n))
    }
    fn valid_date(d: &str) -> Option<()> {
        let (y, rest) = d.split_once('-')?;
        let (m, day) = rest.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || day.len() != 2 {
            return None;
        }
        let y = num(y, 0..=9999)?;
        let m = num(m, 1..=12)?;
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        num(day, 1..=days).map(|_| ())
    }
    fn valid_offset(z: &str) -> Option<()> {
        if z.is_empty() || z.eq_ignore_ascii_case("z") {
            return Some(());
        }
        let body = z.strip_prefix('+').or_else(|| z.strip_prefix('-'))?;
        let (h, m) = match (body.len(), body.split_once(':')) {
            (5, Some((h, m))) => (h, m),
            (4, None) => body.split_at(2),
            (2, None) => (body, "00"),
            _ => return None,
        };
        (h.len() == 2 && m.len() == 2).then_some(())?;
        num(h, 0..=23)?;
        num(m, 0..=59).map(|_| ())
    }
    fn valid_time(t: &str) -> Option<()> {
        let zone_at = t.find(['Z', 'z', '+', '-']).unwrap_or(t.len());
        let (clock, zone) = t.split_at(zone_at);
        valid_offset(zone)?;
        let (hms, frac) = match clock.split_once('.') {
            Some((hms, frac)) => (hms, Some(frac)),
            None => (clock, None),
        };
        if let Some(frac) = frac {
            num(&frac[..frac.len().min(9)], 0..=999_999_999)?;
            (frac.len() <= 9).then_some(())?;
        }
        let parts: Vec<&str> = hms.split(':').collect();
        if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
            return None;
        }
        num(parts[0], 0..=23)?;
        num(parts[1], 0..=59)?;
        if frac.is_some() && parts.len() != 3 {
            return None;
        }
        match parts.get(2) {
            Some(sec) => num(sec, 0..=60).map(|_| ()),
            None => Some(()),
        }
    }
    let s = s.trim();
    let (date, time) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    valid_date(date).is_some() && time.is_none_or(|t| valid_time(t).is_some())
}

/// The emulator's RSA key pair: 1024 bits, like Authing's password-encryption key.
pub(crate) struct KeyPair {
    pub(crate) private: RsaPrivateKey,
    pub(crate) public_pem: String,
}

static SHARED_KEYS: OnceLock<Arc<KeyPair>> = OnceLock::new();

/// The key pair shared by every emulator of this process, generated on first use.
///
/// Generating an RSA key costs tens of milliseconds with optimised big-number code and far more without;
/// tests start many emulators, so they share one pair. Each emulator still has its own JWT secret.
pub(crate) fn shared_keys() -> Arc<KeyPair> {
    SHARED_KEYS
        .get_or_init(|| {
            let private = crypto::generate_key(1024);
            let public_pem =
                private.to_public_key().to_public_key_pem(LineEnding::LF).expect("encoding an RSA public key as PEM");
            Arc::new(KeyPair { private, public_pem })
        })
        .clone()
}

/// An id and its secret: a user pool's or an application's.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub(crate) id: String,
    pub(crate) secret: String,
}

/// Bookkeeping of the tokens this emulator signed.
#[derive(Default)]
pub(crate) struct TokenBook {
    /// Management tokens carry the epoch they were issued in; a token of an older epoch is revoked.
    pub(crate) management_epoch: AtomicU64,
    /// How many management tokens were issued.
    pub(crate) management_issued: AtomicU64,
}

/// Everything one emulator knows.
pub(crate) struct State {
    pub(crate) pool: Credentials,
    pub(crate) app: Credentials,
    /// The id of the pool's administrator, the subject of management tokens.
    pub(crate) admin_id: String,
    /// When the emulator started (ISO-8601): the creation time of its pool and application.
    pub(crate) created_at: String,
    pub(crate) keys: Arc<KeyPair>,
    /// HS256 secret of the tokens this emulator signs.
    pub(crate) jwt_secret: Vec<u8>,
    pub(crate) management_token_ttl: Duration,
    /// How long the user tokens this emulator issues (login and `refreshToken`) stay valid.
    pub(crate) user_token_ttl: Duration,
    pub(crate) tokens: TokenBook,
    counters: Mutex<HashMap<String, u64>>,
    /// Lock order: `users` before `access` before `udf` before `sessions` before `actions`.
    pub(crate) users: RwLock<UserStore>,
    /// Roles, groups, policies, memberships and policy assignments.
    pub(crate) access: RwLock<AccessStore>,
    pub(crate) udf: RwLock<UdfStore>,
    pub(crate) sessions: Mutex<SessionBook>,
    pub(crate) actions: Mutex<Vec<Action>>,
    /// End-user authentication: verification codes, failed logins, reset tickets (locked last).
    pub(crate) auth: crate::store::auth::AuthState,
}

impl State {
    pub(crate) fn new(pool: Credentials, app: Credentials, management_token_ttl: Duration) -> Self {
        // Selects the pure-Rust JWT backend for the process; a no-op once any provider is installed.
        let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
        let mut jwt_secret = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut jwt_secret);
        let created_at = now_iso();
        State {
            access: RwLock::new(AccessStore::new(&created_at)),
            pool,
            app,
            admin_id: new_id(),
            created_at,
            keys: shared_keys(),
            jwt_secret,
            management_token_ttl,
            user_token_ttl: Duration::from_secs(crate::store::tokens::USER_TOKEN_TTL),
            tokens: TokenBook::default(),
            counters: Mutex::new(HashMap::new()),
            users: RwLock::new(UserStore::default()),
            udf: RwLock::new(UdfStore::default()),
            sessions: Mutex::new(SessionBook::default()),
            actions: Mutex::new(Vec::new()),
            auth: crate::store::auth::AuthState::default(),
        }
    }

    /// Counts one execution of a GraphQL root field.
    pub(crate) fn count(&self, root_field: &str) {
        let mut map = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        match map.get_mut(root_field) {
            Some(n) => *n += 1,
            None => {
                map.insert(root_field.to_owned(), 1);
            }
        }
    }

    /// How many times a GraphQL root field was executed.
    pub(crate) fn request_count(&self, root_field: &str) -> u64 {
        let map = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(root_field).copied().unwrap_or(0)
    }

    /// Invalidates every management token issued so far.
    pub(crate) fn revoke_management_tokens(&self) {
        self.tokens.management_epoch.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn users_read(&self) -> std::sync::RwLockReadGuard<'_, UserStore> {
        self.users.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn users_write(&self) -> std::sync::RwLockWriteGuard<'_, UserStore> {
        self.users.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn access_read(&self) -> std::sync::RwLockReadGuard<'_, AccessStore> {
        self.access.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn access_write(&self) -> std::sync::RwLockWriteGuard<'_, AccessStore> {
        self.access.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn udf_read(&self) -> std::sync::RwLockReadGuard<'_, UdfStore> {
        self.udf.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn udf_write(&self) -> std::sync::RwLockWriteGuard<'_, UdfStore> {
        self.udf.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn sessions(&self) -> std::sync::MutexGuard<'_, SessionBook> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn actions(&self) -> std::sync::MutexGuard<'_, Vec<Action>> {
        self.actions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The groups and roles of a user (departments do not exist yet).
    pub(crate) fn memberships(&self, user_id: &str) -> crate::store::users::Memberships {
        self.access_read().memberships(user_id)
    }

    /// Removes what refers to a deleted user: its memberships and USER policy assignments.
    pub(crate) fn forget_user(&self, user_id: &str) {
        self.access_write().forget_user(user_id);
    }

    /// Appends an entry to the user-action log.
    pub(crate) fn record(&self, action: Action) {
        self.actions().push(action);
    }

    /// The pool's one application, as the REST `Application` object.
    pub(crate) fn application_json(&self) -> Value {
        json!({
            "id": self.app.id,
            "userPoolId": self.pool.id,
            "name": "Emulator App",
            "description": null,
            "identifier": "emulator-app",
            "protocol": "oidc",
            "logo": "",
            "redirectUris": [],
            "logoutRedirectUris": [],
            "isOfficial": false,
            "isDeleted": false,
            "isDefault": true,
            "registerDisabled": false,
            "skipMfa": false,
            "createdAt": self.created_at,
            "updatedAt": self.created_at,
        })
    }

    /// The application object of `app_id` when it is the pool's application.
    pub(crate) fn application(&self, app_id: &str) -> Option<Value> {
        (app_id == self.app.id).then(|| self.application_json())
    }

    /// Creates a user from clear-text fields (the password is hashed here).
    pub(crate) fn add_user(
        &self,
        username: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        external_id: Option<String>,
        password: Option<&str>,
    ) -> Result<String, ApiError> {
        let mut user = User::new(&self.pool.id, new_id(), now_iso());
        user.username = username;
        user.email = email;
        user.phone = phone;
        user.external_id = external_id;
        user.password_hash = password.map(crypto::hash_password);
        if let Some(clear) = password {
            self.auth.note_password(&user.id, clear);
        }
        Ok(self.users_write().insert(user)?.id)
    }

    /// Adds the users `seed-user-1` to `seed-user-{count}` (no password), oldest first.
    pub(crate) fn seed_users(&self, count: usize) {
        let created = now_iso();
        let mut store = self.users_write();
        for i in 1..=count {
            let mut user = User::new(&self.pool.id, new_id(), created.clone());
            user.username = Some(format!("seed-user-{i}"));
            if let Err(e) = store.insert(user) {
                tracing::warn!(code = e.code.number(), "a seeded user was refused");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::error::Code;

    #[test]
    fn iso_dates_look_right() {
        let s = now_iso();
        assert_eq!(s.len(), 24, "{s}");
        assert!(s.ends_with('Z') && s.as_bytes()[10] == b'T', "{s}");
        assert!(s.starts_with("20"), "{s}");
    }

    #[test]
    fn ids_are_24_hex() {
        let id = new_id();
        assert_eq!(id.len(), 24);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn store_is_unique_and_case_insensitive() {
        let pool = Credentials { id: "p".into(), secret: "s".into() };
        let st = State::new(pool.clone(), pool, Duration::from_secs(60));
        let id = st.add_user(None, Some("A@B.io".into()), None, None, Some("pw")).unwrap();
        let users = st.users_read();
        let u = users.find(Some("a@b.IO"), None, None, None).unwrap();
        assert_eq!(u.id, id);
        assert!(crypto::verify_password(u.password_hash.as_deref().unwrap(), "pw"));
        drop(users);
        let err = st.add_user(None, Some("a@b.io".into()), None, None, None).unwrap_err();
        assert_eq!(err.code, Code::UserExists);
        let err = st.add_user(None, None, None, None, None).unwrap_err();
        assert_eq!(err.code, Code::BadRequest);
    }

    #[test]
    fn iso_datetimes() {
        for ok in [
            "2024-05-09",
            "2024-05-09T07:29:33Z",
            "2024-05-09T07:29:33.186Z",
            "2024-05-09T07:29:33.186123",
            "2024-02-29 07:29",
            "2024-05-09T07:29:33+08:00",
            "2024-05-09T07:29:33-0530",
            &now_iso(),
        ] {
            assert!(is_iso_datetime(ok), "{ok}");
        }
        for bad in [
            "1715239773186",
            "",
            "2024-13-01",
            "2023-02-29",
            "2024-05-09T25:00",
            "2024-05-09T07:29:33.Z",
            "2024-05-09T07:29:33+8",
            "yesterday",
        ] {
            assert!(!is_iso_datetime(bad), "{bad}");
        }
    }
}
