//! Enterprise directories (LDAP and Active Directory) and sub-accounts: the accounts a user may log in with
//! besides the pool's own identifiers. No HTTP here; `rest::directory` and the GraphQL `loginBySubAccount` call
//! these functions.
//!
//! * **Directories**: the emulator stands in for the LDAP server or the AD connector Authing would ask. Each
//!   directory is a list of entries (username, password, optional e-mail and name) configured on the emulator.
//!   A login checks the entry: an unknown username gives 2004, a wrong password 2333. The first successful login
//!   of an entry links it to a pool user as an identity (`provider` `ldap` or `ad`, `userIdInIdp` the username):
//!   the user with the entry's e-mail when there is one, else a new user (`registerSource` `ldap` / `ad`, the
//!   username when it is free, the e-mail). Later logins find the user by that identity. The user is then
//!   signed in like a password login (a login token, `loginsCount`, `lastLogin`); a blocked user gets 2005.
//! * **Sub-accounts**: a pool user of its own (its username and password) linked to a main user. Only a
//!   sub-account logs in by `loginBySubAccount`: any other account gives 2004, a wrong password 2333.

use serde_json::json;

use crate::crypto;
use crate::store::common::{iso_from_unix, new_id, now_iso};
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::tokens;
use crate::store::users::{Identity, User};

pub(crate) mod accounts;
pub(crate) mod doc;

pub(crate) use accounts::{DirectoryEntry, DirectoryKind};

fn unknown_account() -> ApiError {
    ApiError::new(Code::UserNotFound)
}

/// Logs in with a directory account (the password in clear text, as LDAP and AD logins send it) and returns
/// the signed-in user, `token` included; 2005 for a blocked or resigned user, and 1635 with an MFA token (the
/// second step as for a password login) when the pool enforces MFA.
pub(crate) fn directory_login(
    state: &State,
    kind: DirectoryKind,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<User, ApiError> {
    let entry = state.directory.entry(kind, username).ok_or_else(unknown_account)?;
    if !crypto::verify_password(&entry.password_hash, password) {
        return Err(ApiError::new(Code::WrongCredentials));
    }
    let user_id = linked_user(state, kind, &entry)?;
    sign_in(state, &user_id, ip)
}

/// The pool user of a directory entry: the one holding its identity, else the one with its e-mail (the
/// identity is added), else a new user.
fn linked_user(state: &State, kind: DirectoryKind, entry: &DirectoryEntry) -> Result<String, ApiError> {
    let provider = kind.provider();
    let mut users = state.users_write();
    if let Some(user) = users.find_by_identity(Some(provider), Some(&entry.username), None, None) {
        return Ok(user.id.clone());
    }
    let identity = Identity {
        user_id_in_idp: Some(entry.username.clone()),
        is_social: Some(false),
        provider: Some(provider.to_owned()),
        user_pool_id: Some(state.pool.id.clone()),
        kind: Some("username".to_owned()),
        user_info_in_idp: Some(
            json!({ "username": entry.username, "email": entry.email, "name": entry.name }).to_string(),
        ),
        ..Identity::default()
    };
    let by_email = entry.email.as_deref().and_then(|e| users.find_by("email", e)).map(|u| u.id.clone());
    if let Some(id) = by_email {
        let mut identity = identity;
        identity.user_id = Some(id.clone());
        users.update(&id, |user| {
            user.identities.get_or_insert_with(Vec::new).push(Some(identity));
            user.updated_at = Some(now_iso());
            Ok(())
        })?;
        return Ok(id);
    }
    let mut user = User::new(&state.pool.id, new_id(), now_iso());
    user.register_source = Some(vec![provider.to_owned()]);
    if users.find_by("username", &entry.username).is_none() {
        user.username = Some(entry.username.clone());
    }
    user.email = entry.email.clone();
    user.name = entry.name.clone();
    let mut identity = identity;
    identity.user_id = Some(user.id.clone());
    user.identities = Some(vec![Some(identity)]);
    Ok(users.insert(user)?.id)
}

/// Adds a sub-account of `main_user_id`: a user of its own with `username` and `password`. 2004 when the main
/// user does not exist (or is a sub-account itself); 2034 when the username is taken.
pub(crate) fn add_sub_account(
    state: &State,
    main_user_id: &str,
    username: &str,
    password: &str,
) -> Result<String, ApiError> {
    if state.users_read().get(main_user_id).is_none() || state.directory.main_user_of(main_user_id).is_some() {
        return Err(ApiError::new(Code::UserNotFound));
    }
    let mut user = User::new(&state.pool.id, new_id(), now_iso());
    user.username = Some(username.trim().to_owned());
    user.password_hash = Some(crypto::hash_password(password));
    user.register_source = Some(vec!["sub-account".to_owned()]);
    let id = state.users_write().insert(user)?.id;
    state.auth.note_password(&id, password);
    state.directory.store().sub_accounts.insert(id.clone(), main_user_id.to_owned());
    Ok(id)
}

/// Logs in with a sub-account's username and password: 2004 when no sub-account has that username, 2333 when
/// the password is wrong, 2005 when it is blocked, 1635 with an MFA token when the pool enforces MFA.
pub(crate) fn sub_account_login(state: &State, account: &str, password: &str, ip: &str) -> Result<User, ApiError> {
    let user = state.users_read().find_by("username", account.trim()).cloned().ok_or_else(unknown_account)?;
    if state.directory.main_user_of(&user.id).is_none() {
        return Err(unknown_account());
    }
    if !user.check_password(password) {
        return Err(ApiError::new(Code::WrongCredentials));
    }
    sign_in(state, &user.id, ip)
}

/// Signs a user in to the emulator's application: a login token, `loginsCount`, `lastLogin`, `lastIP`; 2005 for
/// a blocked or resigned user, and 1635 with an MFA token when the pool enforces MFA (the second step then
/// finishes the login, as after a correct password).
fn sign_in(state: &State, user_id: &str, ip: &str) -> Result<User, ApiError> {
    let user = state.users_read().get(user_id).cloned().ok_or_else(unknown_account)?;
    if let Some(refusal) = crate::store::identities::sign_in_refusal(&user) {
        return Err(refusal);
    }
    if let Some(challenge) = state.mfa.login_challenge(&user, &state.app.id) {
        return Err(challenge);
    }
    let issued = tokens::issue_login_token(state, &user, &state.app.id);
    state.users_write().update(user_id, |user| {
        user.logins_count = Some(user.logins_count.unwrap_or(0).saturating_add(1));
        user.last_login = Some(now_iso());
        user.last_ip = Some(ip.to_owned());
        user.token = Some(issued.token);
        user.token_expired_at = Some(iso_from_unix(issued.exp));
        Ok(())
    })
}
