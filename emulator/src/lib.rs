//! A local, stateful, Authing-compatible server for the Authing v2 API, in the spirit of the Firebase Auth
//! emulator: start it in a test, point a client at [`Emulator::host`], and assert on what it did.
//!
//! ```
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = authing_emulator::Emulator::start().await?;
//! println!("GraphQL at {}/graphql/v2", emulator.host());
//! // use emulator.user_pool_id() and emulator.secret() to obtain a management token
//! # Ok(()) }
//! # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
//! ```
//!
//! # What it serves
//!
//! * `POST /graphql/v2`, with introspection; every type, field and argument is typed exactly as in the
//!   official schema. Root fields:
//!   * tokens: `accessToken`, `checkLoginStatus` (management and user tokens), `refreshToken`;
//!   * users: `users`, `archivedUsers`, `user`, `findUser`, `searchUser`, `userBatch`, `isUserExists`,
//!     `createUser`, `updateUser`, `deleteUser`, `deleteUsers`, `sendFirstLoginVerifyEmail`;
//!   * custom data: `udf`, `udv`, `udfValueBatch`, `setUdf`, `removeUdf`, `setUdv`, `setUdvBatch`,
//!     `removeUdv`, `setUdfValueBatch` (targets USER by user id and ROLE by role id are checked);
//!   * roles: `roles`, `role`, `createRole`, `updateRole`, `deleteRole`, `deleteRoles`, `assignRole`,
//!     `revokeRole`;
//!   * groups: `groups`, `group`, `createGroup`, `updateGroup`, `deleteGroups`, `addUserToGroup`,
//!     `removeUserFromGroup`;
//!   * policies: `policies`, `policy`, `policyAssignments`, `createPolicy`, `updatePolicy`,
//!     `deletePolicy`, `deletePolicies`, `addPolicyAssignments`, `removePolicyAssignments`,
//!     `enablePolicyAssignment`, `disbalePolicyAssignment` (the official spelling).
//!
//!   `User` has every scalar field of the official type, plus `customData`, `roles`, `groups`,
//!   `authorizedResources` and `departments` (always empty: organizations do not exist yet). `Role` has
//!   `users` and `parent`, `Group` has `users`, `Policy` has `assignmentsCount` and `assignments`; every
//!   `authorizedResources` is empty until resource grants (ACL) exist.
//! * REST, with a management token: `GET /api/v2/.well-known` (no token), `GET /api/v2/users/{id}`,
//!   `GET /api/v2/users/{id}/orgs`, `GET /api/v2/users/{id}/has-role?code=&namespace=` (`data: true` or
//!   `false`), `POST /api/v2/users/kick`, `GET /logout`, `GET /api/v2/users/login-status`,
//!   `GET /api/v2/analysis/user-action`.
//!
//! # Behaviour
//!
//! * Lists are newest first unless `sortBy` says otherwise, page 1 and limit 10 by default, with no upper
//!   limit; a page past the end is empty and keeps the real `totalCount`. Deleted users move to the
//!   archive (`archivedUsers`, newest deletion first), their identifiers become free and their tokens
//!   stop working.
//! * Passwords of `createUser` and `updateUser` arrive RSA-encrypted; only a hash is kept. With
//!   `keepPassword: true` a text that does not decrypt is taken as the password itself.
//! * Dates given by callers (`lastLogin`, `signedUp`, `tokenExpiredAt`, `expiredAt`) must be ISO-8601
//!   and are kept as given.
//! * `createUser(params)` is the JSON text of `[{key, value}]` with raw values; each is checked like a
//!   `setUdv` value. The rules for custom data values are in the `udf` module docs: they are checked
//!   against the field's data type and served back as text that converts to the same value.
//! * Roles and policies live in a namespace (a permission group's code): a null namespace means `default`,
//!   which always exists; other namespaces come into being when first used. Role and policy codes are
//!   unique per namespace, group codes per pool. Renaming (`newCode`) keeps memberships and assignments;
//!   the old code then finds nothing. `User.roles(namespace)` lists all the user's roles (not paginated),
//!   of every namespace when `namespace` is null; `User.groups` all its groups. Member lists (`Role.users`,
//!   `Group.users`) are newest user first; `policyAssignments` oldest assignment first.
//! * `assignRole` / `revokeRole` take `roleCode` and `roleCodes` together, for `userIds` and `groupCodes`;
//!   everything named must exist (all or nothing); assigning twice changes nothing and revoking what is
//!   not assigned answers 200. Any `nodeCodes` entry is refused (organizations do not exist yet). Roles
//!   given to a group are kept but not passed on to its users.
//! * Deleting a role removes its memberships, its policy assignments and its custom data, and its
//!   children lose their parent; deleting a group removes its memberships and assignments; deleting a
//!   policy removes its assignments; deleting a user removes its memberships and USER assignments. The
//!   batch deletes skip unknown codes; `deleteRole` and `deletePolicy` refuse them.
//! * The built-in policy `AdministratorAccess` of `default` (`isDefault: true`, statement `*` / `*` ALLOW)
//!   is listed by `policies` unless `excludeDefault`, and can be neither updated nor deleted (a batch
//!   delete that names it deletes nothing). Statement conditions keep their `value` as given (any JSON).
//! * `addPolicyAssignments` targets: USER = a user id, ROLE = a role code of the namespace, GROUP = a
//!   group code; ORG and AK_SK identifiers are taken as given; `inheritByChildren` has no effect. In
//!   `policyAssignments`, `enablePolicyAssignment` and `disbalePolicyAssignment` a ROLE may be named by
//!   code or id. Enabling or disabling an assignment that does not exist answers 200 and changes
//!   nothing; [`Emulator::policy_assignment_enabled`] shows the flag.
//! * `searchUser` filters by direct group and role memberships; `departmentOpts` match nobody.
//! * The user-action log records `createUser`, `updateUser`, `deleteUser`, `refreshToken`, `kick` and
//!   `logout`, each about the user concerned (its `operator_arn`).
//!
//! # Errors
//!
//! Refusals use Authing's shapes and codes, with HTTP 200: in GraphQL each `errors[].message` is an object
//! `{code, message}`, in REST the envelope is `{code, message, data}`. Messages are Chinese unless the
//! request says `x-authing-lang: en-US`. Codes:
//!
//! | code | when |
//! |---|---|
//! | 400 | the body is not JSON or not a GraphQL request; parse and validation errors (unknown fields, wrong or missing variables); a bad query parameter or body; a user without any identifier; a date that is not ISO-8601 (a numeric string included); `page`/`limit` below 1; an unknown `userBatch` type; an empty role, group or policy code; `assignRole`/`revokeRole` without any role or with `nodeCodes`; has-role without `code`; `params` that is not a JSON list; a custom data value of the wrong type (`自定义字段 KEY 的值类型错误…`) or for an undefined key (`自定义字段 KEY 未定义`) |
//! | 404 | unknown route (HTTP 404) |
//! | 405 | a method other than POST on `/graphql/v2` (HTTP 405) |
//! | 413 | a body over 1 MiB (HTTP 413) |
//! | 1001 | `accessToken` with a wrong secret (`用户池密钥错误` / `Wrong user pool secret`) |
//! | 2004 | unknown user (`用户不存在` / `User does not exist`): update, delete, refresh token, first-login e-mail, custom data of a USER target, orgs, login status, has-role, `assignRole`/`revokeRole`, `addUserToGroup`/`removeUserFromGroup`, `groups(userId)`, a USER policy target |
//! | 2011 | `sendFirstLoginVerifyEmail` with an application id other than the emulator's (`应用不存在`) |
//! | 2016 | a password that does not RSA-decrypt (`密码解密失败`) |
//! | 2020 | missing, invalid, expired or revoked management token (`尚未登录，无访问权限` / `Not logged in, access denied`); also the `code` of a refused `checkLoginStatus` |
//! | 2026 | the e-mail (case-insensitive), external id or identity is taken (`用户已存在`) |
//! | 2034 | the username is taken (`用户名已存在`) |
//! | 2035 | the phone is taken (`手机号已被绑定`) |
//! | 2101 | unknown role (`角色不存在` / `Role does not exist`): `updateRole`, `deleteRole`, `assignRole`, `revokeRole`, a ROLE policy target, custom data of a ROLE target (by role id); an unknown `parent` of `createRole` (`父角色 P 不存在` / `The parent role P does not exist`) |
//! | 2102 | the namespace already has a role with this code (`角色已存在` / `Role already exists`): `createRole`, `updateRole(newCode)` |
//! | 2111 | unknown group (`分组不存在` / `Group does not exist`): `updateGroup`, `addUserToGroup`, `removeUserFromGroup`, `assignRole(groupCodes)`, a GROUP policy target |
//! | 2112 | the pool already has a group with this code (`分组已存在` / `Group already exists`): `createGroup`, `updateGroup(newCode)` |
//! | 2121 | unknown policy (`策略不存在` / `Policy does not exist`): `updatePolicy`, `deletePolicy`, `addPolicyAssignments`, `removePolicyAssignments`, `enablePolicyAssignment`, `disbalePolicyAssignment` |
//! | 2122 | the namespace already has a policy with this code (`策略已存在` / `Policy already exists`): `createPolicy`, `updatePolicy(newCode)` |
//! | 2123 | the built-in policy (`系统内置策略不能修改或删除` / `The built-in policy cannot be changed or deleted`): `updatePolicy`, `deletePolicy`, `deletePolicies` |
//! | 2224 | `accessToken` with an unknown user pool id (`用户池不存在` / `User pool does not exist`) |
//!
//! # Tokens
//!
//! Management tokens are HS256 JWTs signed with a random secret of each emulator; their claims are
//! `sub` (the pool administrator's id), `iat`, `exp`, `jti`, `iss` (`authing-emulator`), `userPoolId`,
//! `epoch` and `data: {type: "management", id, userPoolId}`. They live
//! [`EmulatorBuilder::management_token_ttl`] (24 hours by default) unless
//! [`Emulator::revoke_management_tokens`] is called.
//!
//! User tokens (from `refreshToken`) are HS256 JWTs too, valid 15 days, with `sub` = the user id and
//! `data: {type: "user", userPoolId, appId, arn, id, userId, _id, phone, email, username, unionid, openid,
//! clientId}`. Kicking, logging out (per application or everywhere) and deleting the user revoke the
//! tokens signed before.
//!
//! # Keys
//!
//! All emulators of one process share one RSA 1024-bit key pair, generated on first use, so that starting
//! an emulator stays fast. Passwords travel RSA-encrypted (PKCS#1 v1.5) and base64-encoded; see [`crypto`].

mod access;
mod activity;
pub mod crypto;
mod error;
mod graphql;
mod rest;
mod server;
mod sessions;
mod state;
mod tokens;
mod udf;
mod users;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::state::{Credentials, State, new_id, random_hex};

/// The GraphQL schema the emulator serves, as SDL.
///
/// ```
/// assert!(authing_emulator::schema_sdl().contains("accessToken"));
/// ```
pub fn schema_sdl() -> String {
    graphql::sdl()
}

/// Configures an emulator before it starts. Made by [`Emulator::builder`].
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// let emulator = authing_emulator::Emulator::builder()
///     .user_pool_id("60b6f5a0c1e2d3f4a5b6c7d8")
///     .secret("pool-secret")
///     .management_token_ttl(Duration::from_secs(60))
///     .start()
///     .await?;
/// assert_eq!(emulator.secret(), "pool-secret");
/// # Ok(()) }
/// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
/// ```
#[must_use]
pub struct EmulatorBuilder {
    user_pool_id: Option<String>,
    secret: Option<String>,
    app_id: Option<String>,
    app_secret: Option<String>,
    bind: SocketAddr,
    management_token_ttl: Duration,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            user_pool_id: None,
            secret: None,
            app_id: None,
            app_secret: None,
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            management_token_ttl: Duration::from_secs(24 * 3600),
        }
    }
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("user_pool_id", &self.user_pool_id)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("app_id", &self.app_id)
            .field("app_secret", &self.app_secret.as_ref().map(|_| "[redacted]"))
            .field("bind", &self.bind)
            .field("management_token_ttl", &self.management_token_ttl)
            .finish()
    }
}

impl EmulatorBuilder {
    /// The user pool id (default: 24 random hex digits).
    pub fn user_pool_id(mut self, id: impl Into<String>) -> Self {
        self.user_pool_id = Some(id.into());
        self
    }

    /// The user pool secret that `accessToken` accepts (default: 32 random hex digits).
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// The application id (default: 24 random hex digits).
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_id = Some(id.into());
        self
    }

    /// The application secret (default: 32 random hex digits).
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(secret.into());
        self
    }

    /// The address to listen on (default `127.0.0.1:0`: loopback, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// The port to listen on, keeping the bind IP (default 0: a free port).
    pub fn port(mut self, port: u16) -> Self {
        self.bind.set_port(port);
        self
    }

    /// How long management tokens stay valid (default 24 hours, at least one second).
    pub fn management_token_ttl(mut self, ttl: Duration) -> Self {
        self.management_token_ttl = ttl;
        self
    }

    /// Binds the listener, then serves on a spawned tokio task. When this returns, the server accepts
    /// connections. Must be called within a tokio runtime.
    ///
    /// # Errors
    /// The error of binding the address.
    pub async fn start(self) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new(
            Credentials {
                id: self.user_pool_id.unwrap_or_else(new_id),
                secret: self.secret.unwrap_or_else(|| random_hex(16)),
            },
            Credentials {
                id: self.app_id.unwrap_or_else(new_id),
                secret: self.app_secret.unwrap_or_else(|| random_hex(16)),
            },
            self.management_token_ttl,
        ));
        let app = server::router(state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let app = app.into_make_service_with_connect_info::<SocketAddr>();
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "the emulator stopped serving");
            }
        });
        let ip = match addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let host = format!("http://{}", SocketAddr::new(ip, addr.port()));
        tracing::info!(%host, user_pool_id = %state.pool.id, "emulator listening");
        Ok(Emulator { host, addr, state, shutdown: Some(tx), task: Some(task) })
    }
}

/// A running emulator. Dropping it stops the server.
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// let emulator = authing_emulator::Emulator::start().await?;
/// assert!(emulator.host().starts_with("http://127.0.0.1:"));
/// assert_eq!(emulator.request_count("accessToken"), 0);
/// # Ok(()) }
/// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
/// ```
pub struct Emulator {
    host: String,
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("host", &self.host)
            .field("user_pool_id", &self.state.pool.id)
            .field("secret", &"[redacted]")
            .field("app_id", &self.state.app.id)
            .field("app_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts an emulator with the defaults: `127.0.0.1`, a free port, random ids and secrets.
    ///
    /// # Errors
    /// The error of binding the address.
    pub async fn start() -> std::io::Result<Emulator> {
        Self::builder().start().await
    }

    /// A builder to choose ids, secrets, address and token lifetime.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The user pool id.
    pub fn user_pool_id(&self) -> &str {
        &self.state.pool.id
    }

    /// The user pool secret.
    pub fn secret(&self) -> &str {
        &self.state.pool.secret
    }

    /// The application id.
    pub fn app_id(&self) -> &str {
        &self.state.app.id
    }

    /// The application secret.
    pub fn app_secret(&self) -> &str {
        &self.state.app.secret
    }

    /// The RSA public key, PEM (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo), as served at
    /// `/api/v2/.well-known`.
    pub fn public_key_pem(&self) -> &str {
        &self.state.keys.public_pem
    }

    /// How many times the GraphQL root field `root_field` (e.g. `"accessToken"`) was executed.
    pub fn request_count(&self, root_field: &str) -> u64 {
        self.state.request_count(root_field)
    }

    /// Makes every management token issued so far invalid; tokens issued afterwards are valid.
    pub fn revoke_management_tokens(&self) {
        self.state.revoke_management_tokens();
    }

    /// Adds a user to the pool, as a test fixture; returns its id.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start().await?;
    /// let id = emulator.add_user(NewUser::new().email("Ada@Example.com").password("pw")).unwrap();
    /// assert_eq!(id.len(), 24);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    ///
    /// # Errors
    /// [`AddUserError`] when the user has no identifier (code 400), or one of them is taken (2026 for
    /// e-mail or external id, 2034 for the username, 2035 for the phone).
    pub fn add_user(&self, user: NewUser) -> Result<String, AddUserError> {
        self.state
            .add_user(user.username, user.email, user.phone, user.external_id, user.password.as_deref())
            .map_err(|e| AddUserError { code: e.code.number(), message: e.message(error::Lang::En) })
    }

    /// Decrypts a password the way the server does (base64, then RSA PKCS#1 v1.5 with the emulator's
    /// private key): lets a test check what a client sent.
    ///
    /// # Errors
    /// [`crypto::PasswordError`] when the text is not a ciphertext made with [`Emulator::public_key_pem`].
    pub fn decrypt_password(&self, encrypted: &str) -> Result<String, crypto::PasswordError> {
        crypto::decrypt_password(&self.state.keys.private, encrypted)
    }

    /// Whether the user `user_id` exists and has the clear-text password `password`.
    pub fn check_user_password(&self, user_id: &str, password: &str) -> bool {
        self.state.users_read().get(user_id).is_some_and(|u| u.check_password(password))
    }

    /// Whether the assignment of the policy `policy` (of `namespace`, `default` when `None`) to a target
    /// is enabled, as `enablePolicyAssignment` / `disbalePolicyAssignment` left it; `None` when there is
    /// no such assignment. `target_type` is a `PolicyAssignmentTargetType` name (`USER`, `ROLE`, `GROUP`,
    /// `ORG`, `AK_SK`); a ROLE may be named by code or id.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let emulator = authing_emulator::Emulator::start().await?;
    /// assert_eq!(emulator.policy_assignment_enabled(None, "AdministratorAccess", "USER", "nobody"), None);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn policy_assignment_enabled(
        &self,
        namespace: Option<&str>,
        policy: &str,
        target_type: &str,
        target_identifier: &str,
    ) -> Option<bool> {
        let kind = access::TargetKind::from_name(target_type)?;
        let ns = access::namespace(namespace);
        self.state.access_read().assignment_enabled(&ns, policy, kind, target_identifier)
    }

    /// Stops the server gracefully, waiting for open requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A user to add with [`Emulator::add_user`]. At least one identifier is needed.
#[derive(Default, Clone)]
#[non_exhaustive]
pub struct NewUser {
    username: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    external_id: Option<String>,
    password: Option<String>,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("external_id", &self.external_id)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl NewUser {
    /// An empty user; set at least one identifier.
    pub fn new() -> Self {
        Self::default()
    }

    /// The username.
    #[must_use]
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The e-mail address (stored lower-cased).
    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The phone number.
    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// The external id.
    #[must_use]
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// The clear-text password; only its hash is kept.
    #[must_use]
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }
}

/// Why [`Emulator::add_user`] refused a user: the Authing code and an English message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddUserError {
    /// The Authing code (400, 2026, 2034 or 2035).
    pub code: i32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for AddUserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for AddUserError {}
