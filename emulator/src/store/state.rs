//! The in-memory state of one emulated user pool.
//!
//! Everything a request can read or change lives in [`State`], shared behind an `Arc` by the server task
//! and the [`crate::Emulator`] handle. Immutable parts (ids, secrets, keys) are plain fields; mutable parts
//! sit behind their own small lock or atomic, so a request holds a lock only for the few instructions
//! that touch the data.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::Duration;

use rand::RngCore as _;
use rsa::RsaPrivateKey;
use rsa::pkcs8::{EncodePublicKey as _, LineEnding};
use serde_json::Value;

use crate::crypto;
use crate::store::access::AccessStore;
use crate::store::activity::Action;
use crate::store::common::{new_id, now_iso};
use crate::store::error::ApiError;
use crate::store::sessions::SessionBook;
use crate::store::udf::UdfStore;
use crate::store::users::{User, UserStore};

/// How long user tokens live: 15 days, Authing's default `tokenExpiresAfter`.
pub(crate) const USER_TOKEN_TTL: u64 = 15 * 24 * 3600;

/// The largest `limit` of one page of a list, unless the emulator is configured otherwise.
pub(crate) const DEFAULT_MAX_PAGE_SIZE: usize = 1000;

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
    /// The default application's id and its secret at start; the current secret is [`State::app_secret`].
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
    /// The largest `limit` of one page of a list (see [`State::page_size`]).
    pub(crate) max_page_size: usize,
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
    /// The OIDC provider: signing keys, the application's OIDC settings, codes and grants.
    pub(crate) oidc: crate::store::oidc::provider::OidcState,
    /// MFA: authenticators, enforcement and open MFA logins (locked alone).
    pub(crate) mfa: crate::store::mfa::factors::MfaState,
    /// The applications: the default one and the created ones (locked last: nothing is locked while it is held).
    pub(crate) apps: RwLock<crate::store::apps::registry::AppStore>,
    /// LDAP and AD directories, sub-accounts (locked alone).
    pub(crate) directory: crate::store::directory::accounts::DirectoryState,
    /// Principal authentication records (locked alone).
    pub(crate) principal: crate::store::principal::records::PrincipalState,
    /// The pool's settings, registration whitelists and environment variables (locked alone).
    pub(crate) userpool: crate::store::pool::config::PoolState,
    /// The audit log of administrator actions.
    pub(crate) audit: crate::store::audit::AuditLog,
    /// Uploaded files (avatars), served back by URL (locked alone).
    pub(crate) uploads: crate::store::uploads::UploadStore,
}

impl State {
    pub(crate) fn new(pool: Credentials, app: Credentials, management_token_ttl: Duration) -> Self {
        // Selects the JWT backend for the process, so a build that enables both of jsonwebtoken's backends does not
        // panic; a no-op once any provider is installed.
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        let mut jwt_secret = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut jwt_secret);
        let created_at = now_iso();
        let default_app = crate::store::apps::registry::App::default_app(&app.id, &app.secret, &pool.id, &created_at);
        let state = State {
            access: RwLock::new(AccessStore::new(&created_at)),
            pool,
            app,
            admin_id: new_id(),
            created_at,
            keys: shared_keys(),
            jwt_secret,
            management_token_ttl,
            user_token_ttl: Duration::from_secs(USER_TOKEN_TTL),
            max_page_size: DEFAULT_MAX_PAGE_SIZE,
            tokens: TokenBook::default(),
            counters: Mutex::new(HashMap::new()),
            users: RwLock::new(UserStore::default()),
            udf: RwLock::new(UdfStore::default()),
            sessions: Mutex::new(SessionBook::default()),
            actions: Mutex::new(Vec::new()),
            auth: crate::store::auth::AuthState::default(),
            oidc: crate::store::oidc::provider::OidcState::default(),
            mfa: crate::store::mfa::factors::MfaState::default(),
            apps: RwLock::new(crate::store::apps::registry::AppStore::new(default_app)),
            directory: crate::store::directory::accounts::DirectoryState::default(),
            principal: crate::store::principal::records::PrincipalState::default(),
            userpool: crate::store::pool::config::PoolState::default(),
            audit: crate::store::audit::AuditLog::default(),
            uploads: crate::store::uploads::UploadStore::default(),
        };
        state.ensure_app_namespaces();
        state
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

    /// Refuses a page `limit` above [`State::max_page_size`] with 400.
    pub(crate) fn page_size(&self, limit: usize) -> Result<usize, ApiError> {
        if limit <= self.max_page_size {
            return Ok(limit);
        }
        let max = self.max_page_size;
        Err(ApiError::with_message(
            crate::store::error::Code::BadRequest,
            format!("limit 不能大于 {max}"),
            format!("limit must be at most {max}"),
        ))
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

    /// The departments, groups and roles of a user.
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

    /// The pool's default application, as the REST `Application` object.
    pub(crate) fn application_json(&self) -> Value {
        let app = self.apps_read().default_app().clone();
        self.app_json(&app)
    }

    /// The application object of `app_id`, when the pool has it.
    pub(crate) fn application(&self, app_id: &str) -> Option<Value> {
        self.find_app_json(app_id).ok()
    }

    /// Changes the user `id` under the users' write lock (see [`UserStore::update`]), stamping `updatedAt`.
    pub(crate) fn update_user(
        &self,
        id: &str,
        change: impl FnOnce(&mut User) -> Result<(), ApiError>,
    ) -> Result<User, ApiError> {
        self.users_write().update(id, |user| {
            change(user)?;
            user.updated_at = Some(now_iso());
            Ok(())
        })
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
}
