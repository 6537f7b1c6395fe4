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
use crate::error::{ApiError, Code};

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
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The current time as ISO-8601 UTC with milliseconds, the way Authing prints dates (`2024-05-09T07:29:33.186Z`).
pub(crate) fn now_iso() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
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
            let private = RsaPrivateKey::new(&mut rand::thread_rng(), 1024)
                .expect("generating a 1024-bit RSA key");
            let public_pem = private
                .to_public_key()
                .to_public_key_pem(LineEnding::LF)
                .expect("encoding an RSA public key as PEM");
            Arc::new(KeyPair {
                private,
                public_pem,
            })
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

/// One user of the pool.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) username: Option<String>,
    /// Stored lower-cased.
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) external_id: Option<String>,
    /// Argon2 PHC string; the clear text is never kept.
    pub(crate) password_hash: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl User {
    /// Whether `password` (clear text) is this user's password.
    pub(crate) fn check_password(&self, password: &str) -> bool {
        self.password_hash
            .as_deref()
            .is_some_and(|h| crypto::verify_password(h, password))
    }

    /// The user as Authing's REST and GraphQL `User` object (camelCase fields).
    pub(crate) fn to_json(&self, pool_id: &str, with_custom_data: bool) -> Value {
        let mut v = json!({
            "id": self.id,
            "arn": format!("arn:cn:authing:{pool_id}:user:{}", self.id),
            "userPoolId": pool_id,
            "status": "Activated",
            "username": self.username,
            "email": self.email,
            "emailVerified": false,
            "phone": self.phone,
            "phoneVerified": false,
            "externalId": self.external_id,
            "identities": [],
            "registerSource": ["import:manual"],
            "loginsCount": 0,
            "blocked": false,
            "isDeleted": false,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        });
        if with_custom_data {
            v["customData"] = json!([]);
        }
        v
    }
}

/// The users of the pool, in creation order.
#[derive(Default)]
pub(crate) struct UserStore {
    users: Vec<User>,
}

impl UserStore {
    pub(crate) fn get(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// Finds a user by any of the identifiers given (e-mails compare case-insensitively).
    pub(crate) fn find(
        &self,
        email: Option<&str>,
        phone: Option<&str>,
        username: Option<&str>,
        external_id: Option<&str>,
    ) -> Option<&User> {
        let email = email.map(str::to_lowercase);
        self.users.iter().find(|u| {
            matches(u.email.as_deref(), email.as_deref())
                || matches(u.phone.as_deref(), phone)
                || matches(u.username.as_deref(), username)
                || matches(u.external_id.as_deref(), external_id)
        })
    }

    /// Adds a user whose identifiers are unique in the pool.
    pub(crate) fn insert(&mut self, user: User) -> Result<(), ApiError> {
        if user.username.is_none()
            && user.email.is_none()
            && user.phone.is_none()
            && user.external_id.is_none()
        {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "用户名、邮箱、手机号至少需要一个",
                "A user needs a username, e-mail, phone or external id",
            ));
        }
        if let Some(name) = &user.username
            && self.find(None, None, Some(name), None).is_some()
        {
            return Err(ApiError::new(Code::UsernameExists));
        }
        if self
            .find(
                user.email.as_deref(),
                user.phone.as_deref(),
                None,
                user.external_id.as_deref(),
            )
            .is_some()
        {
            return Err(ApiError::new(Code::UserExists));
        }
        self.users.push(user);
        Ok(())
    }
}

fn matches(stored: Option<&str>, wanted: Option<&str>) -> bool {
    matches!((stored, wanted), (Some(s), Some(w)) if s == w)
}

/// Everything one emulator knows.
pub(crate) struct State {
    pub(crate) pool: Credentials,
    pub(crate) app: Credentials,
    /// The id of the pool's administrator, the subject of management tokens.
    pub(crate) admin_id: String,
    pub(crate) keys: Arc<KeyPair>,
    /// HS256 secret of the tokens this emulator signs.
    pub(crate) jwt_secret: Vec<u8>,
    pub(crate) management_token_ttl: Duration,
    pub(crate) tokens: TokenBook,
    counters: Mutex<HashMap<String, u64>>,
    pub(crate) users: RwLock<UserStore>,
}

impl State {
    pub(crate) fn new(pool: Credentials, app: Credentials, management_token_ttl: Duration) -> Self {
        // Selects the pure-Rust JWT backend for the process; a no-op once any provider is installed.
        let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
        let mut jwt_secret = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut jwt_secret);
        State {
            pool,
            app,
            admin_id: new_id(),
            keys: shared_keys(),
            jwt_secret,
            management_token_ttl,
            tokens: TokenBook::default(),
            counters: Mutex::new(HashMap::new()),
            users: RwLock::new(UserStore::default()),
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

    /// Creates a user from clear-text fields (the password is hashed here).
    pub(crate) fn add_user(
        &self,
        username: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        external_id: Option<String>,
        password: Option<&str>,
    ) -> Result<String, ApiError> {
        let now = now_iso();
        let user = User {
            id: new_id(),
            username,
            email: email.map(|e| e.to_lowercase()),
            phone,
            external_id,
            password_hash: password.map(crypto::hash_password),
            created_at: now.clone(),
            updated_at: now,
        };
        let id = user.id.clone();
        self.users_write().insert(user)?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let pool = Credentials {
            id: "p".into(),
            secret: "s".into(),
        };
        let st = State::new(pool.clone(), pool, Duration::from_secs(60));
        let id = st
            .add_user(None, Some("A@B.io".into()), None, None, Some("pw"))
            .unwrap();
        let users = st.users_read();
        let u = users.find(Some("a@b.IO"), None, None, None).unwrap();
        assert_eq!(u.id, id);
        assert!(crypto::verify_password(
            u.password_hash.as_deref().unwrap(),
            "pw"
        ));
        drop(users);
        let err = st
            .add_user(None, Some("a@b.io".into()), None, None, None)
            .unwrap_err();
        assert_eq!(err.code, Code::UserExists);
        let err = st.add_user(None, None, None, None, None).unwrap_err();
        assert_eq!(err.code, Code::BadRequest);
    }
}
