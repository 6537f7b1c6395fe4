//! The users of the pool: the stored record (served by the GraphQL front end as its `User` object and, serialized, as the
//! REST user), uniqueness of identifiers, the archive of deleted users, listing and search.
//!
//! Uniqueness within the pool, checked on creation and on every update:
//!
//! | identifier | code when taken |
//! |---|---|
//! | username | 2034 |
//! | e-mail (compared lower-cased) | 2026 |
//! | phone | 2035 |
//! | external id | 2026 |
//! | identity (provider + user id in the provider) | 2026 |
//!
//! A user without any identifier (username, e-mail, phone, external id or identity) is refused with 400.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, btree_map};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::crypto;
use crate::store::error::{ApiError, Code};

/// `UserStatus` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum UserStatus {
    Suspended,
    Resigned,
    Activated,
    Archived,
}

/// `Identity` of the official schema: an account of the user at an identity provider.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Identity {
    pub(crate) openid: Option<String>,
    pub(crate) user_id_in_idp: Option<String>,
    pub(crate) user_id: Option<String>,
    pub(crate) ext_idp_id: Option<String>,
    pub(crate) is_social: Option<bool>,
    pub(crate) provider: Option<String>,
    pub(crate) user_pool_id: Option<String>,
    pub(crate) refresh_token: Option<String>,
    pub(crate) access_token: Option<String>,
    pub(crate) connection_id: Option<String>,
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    pub(crate) user_info_in_idp: Option<String>,
}

/// One user of the pool, with every scalar field of the official `User` type.
///
/// The GraphQL front end serves a copy of its public fields as `User`; through serde it is the REST user.
/// The password hash and the bookkeeping fields are neither served nor serialized; `password` is always
/// null.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) arn: String,
    pub(crate) status: Option<UserStatus>,
    pub(crate) user_pool_id: String,
    pub(crate) username: Option<String>,
    /// Stored lower-cased.
    pub(crate) email: Option<String>,
    pub(crate) email_verified: Option<bool>,
    pub(crate) phone: Option<String>,
    pub(crate) phone_verified: Option<bool>,
    pub(crate) unionid: Option<String>,
    pub(crate) openid: Option<String>,
    /// Always `Some` (a list, possibly empty).
    pub(crate) identities: Option<Vec<Option<Identity>>>,
    pub(crate) nickname: Option<String>,
    pub(crate) register_source: Option<Vec<String>>,
    pub(crate) photo: Option<String>,
    /// Always null in GraphQL, absent from REST: the hash is never exposed.
    #[serde(skip)]
    pub(crate) password: Option<String>,
    pub(crate) oauth: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) token_expired_at: Option<String>,
    pub(crate) logins_count: Option<i32>,
    pub(crate) last_login: Option<String>,
    #[serde(rename = "lastIP")]
    pub(crate) last_ip: Option<String>,
    pub(crate) signed_up: Option<String>,
    pub(crate) blocked: Option<bool>,
    pub(crate) is_deleted: Option<bool>,
    pub(crate) device: Option<String>,
    pub(crate) browser: Option<String>,
    pub(crate) company: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) given_name: Option<String>,
    pub(crate) family_name: Option<String>,
    pub(crate) middle_name: Option<String>,
    pub(crate) profile: Option<String>,
    pub(crate) preferred_username: Option<String>,
    pub(crate) website: Option<String>,
    pub(crate) gender: Option<String>,
    pub(crate) birthdate: Option<String>,
    pub(crate) zoneinfo: Option<String>,
    pub(crate) locale: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) formatted: Option<String>,
    pub(crate) street_address: Option<String>,
    pub(crate) locality: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) postal_code: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) province: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) created_at: Option<String>,
    pub(crate) updated_at: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) phone_country_code: Option<String>,
    pub(crate) newly_created: Option<bool>,
    pub(crate) expired_at: Option<String>,
    pub(crate) direct_management: Option<String>,
    pub(crate) main_department_id: Option<String>,
    pub(crate) main_department_code: Option<String>,

    /// A salted hash as a PHC string ([`crypto::hash_password`]); the clear text is never kept.
    #[serde(skip)]
    pub(crate) password_hash: Option<String>,
    /// Whether the user must set a new password at the first login (`createUser(resetPasswordOnFirstLogin)`).
    #[serde(skip)]
    pub(crate) reset_password_on_first_login: bool,
    /// Creation order; breaks ties between equal `createdAt`.
    #[serde(skip)]
    pub(crate) created_seq: u64,
    /// Order of the last change; breaks ties between equal `updatedAt`.
    #[serde(skip)]
    pub(crate) updated_seq: u64,
    /// Order of deletion, for archived users.
    #[serde(skip)]
    pub(crate) deleted_seq: u64,
}

impl User {
    /// Sets a phone number the user proved with a code; the country code changes only when one is given.
    pub(crate) fn set_verified_phone(&mut self, phone: String, country_code: Option<String>) {
        self.phone = Some(phone);
        self.phone_verified = Some(true);
        if country_code.is_some() {
            self.phone_country_code = country_code;
        }
    }

    /// Sets an e-mail address the user proved with a code.
    pub(crate) fn set_verified_email(&mut self, email: String) {
        self.email = Some(email);
        self.email_verified = Some(true);
    }

    /// A new, active user of `pool_id` with a fresh id; `now` is its creation time.
    pub(crate) fn new(pool_id: &str, id: String, now: String) -> Self {
        User {
            arn: format!("arn:cn:authing:{pool_id}:user:{id}"),
            id,
            status: Some(UserStatus::Activated),
            user_pool_id: pool_id.to_owned(),
            email_verified: Some(false),
            phone_verified: Some(false),
            identities: Some(Vec::new()),
            register_source: Some(vec!["import:manual".to_owned()]),
            logins_count: Some(0),
            blocked: Some(false),
            is_deleted: Some(false),
            created_at: Some(now.clone()),
            updated_at: Some(now),
            ..User::default()
        }
    }

    /// Whether `password` (clear text) is this user's password.
    pub(crate) fn check_password(&self, password: &str) -> bool {
        self.password_hash.as_deref().is_some_and(|h| crypto::verify_password(h, password))
    }

    /// The identities, without the null entries the GraphQL type allows.
    pub(crate) fn identity_list(&self) -> impl Iterator<Item = &Identity> {
        self.identities.iter().flatten().flatten()
    }

    /// Whether the user has at least one identifier.
    fn has_identifier(&self) -> bool {
        self.username.is_some()
            || self.email.is_some()
            || self.phone.is_some()
            || self.external_id.is_some()
            || self.identity_list().next().is_some()
    }

    /// Trims the identifiers (username, e-mail, phone, external id), turns empty ones into none and lower-cases
    /// the e-mail. Lookups ([`UserStore::find`]) trim what they are given the same way, so a user created as
    /// `" ada "` is stored, found and logs in as `ada`.
    pub(crate) fn normalize(&mut self) {
        for field in [&mut self.username, &mut self.email, &mut self.phone, &mut self.external_id] {
            match field.as_deref().map(str::trim) {
                Some("") => *field = None,
                Some(trimmed) if trimmed.len() != field.as_deref().map_or(0, str::len) => {
                    *field = Some(trimmed.to_owned());
                }
                _ => {}
            }
        }
        if let Some(email) = &mut self.email {
            *email = email.to_lowercase();
        }
    }

    /// The user as the REST `User` object (camelCase fields, nulls included).
    pub(crate) fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The value of a searchable field, by its GraphQL name.
    fn search_field(&self, name: &str) -> Option<&str> {
        match name {
            "username" => self.username.as_deref(),
            "email" => self.email.as_deref(),
            "phone" => self.phone.as_deref(),
            "nickname" => self.nickname.as_deref(),
            "name" => self.name.as_deref(),
            "givenName" => self.given_name.as_deref(),
            "familyName" => self.family_name.as_deref(),
            "middleName" => self.middle_name.as_deref(),
            "preferredUsername" => self.preferred_username.as_deref(),
            _ => None,
        }
    }
}

/// The fields `searchUser` looks in when `fields` is not given.
pub(crate) const SEARCH_FIELDS: [&str; 9] =
    ["username", "email", "phone", "nickname", "name", "givenName", "familyName", "middleName", "preferredUsername"];

/// Whether `user` matches the `searchUser` query: a case-insensitive substring of one of `fields`.
pub(crate) fn search_matches(user: &User, query: &str, fields: &[String]) -> bool {
    let query = query.to_lowercase();
    let hit = |name: &str| user.search_field(name).is_some_and(|v| v.to_lowercase().contains(&query));
    if fields.is_empty() {
        query.is_empty() || SEARCH_FIELDS.iter().any(|f| hit(f))
    } else {
        fields.iter().any(|f| hit(f))
    }
}

/// The groups, roles and departments a user belongs to, for the membership filters of `searchUser`
/// (filled by `State::memberships`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Memberships {
    /// Department ids.
    pub(crate) departments: Vec<String>,
    /// Group codes.
    pub(crate) groups: Vec<String>,
    /// `(namespace, role code)` pairs.
    pub(crate) roles: Vec<(String, String)>,
}

/// `SortByEnum` of the official schema.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum SortBy {
    #[default]
    CreatedatDesc,
    CreatedatAsc,
    UpdatedatDesc,
    UpdatedatAsc,
}

/// Sorts users in place.
pub(crate) fn sort_users(users: &mut [&User], sort: SortBy) {
    match sort {
        SortBy::CreatedatDesc => users.sort_by_key(|u| Reverse(u.created_seq)),
        SortBy::CreatedatAsc => users.sort_by_key(|u| u.created_seq),
        SortBy::UpdatedatDesc => users.sort_by_key(|u| Reverse(u.updated_seq)),
        SortBy::UpdatedatAsc => users.sort_by_key(|u| u.updated_seq),
    }
}

/// One page of `items` (1-based `page`), and the total count.
pub(crate) fn paginate<T: Clone>(items: &[T], page: usize, limit: usize) -> Vec<T> {
    let start = page.saturating_sub(1).saturating_mul(limit);
    items.iter().skip(start).take(limit).cloned().collect()
}

/// The users of the pool, and the archive of deleted ones.
///
/// Users are kept in creation order, in an ordered map keyed by their creation sequence, with an index from id to
/// that key and one from each identifier (username, e-mail, phone, external id) to the user's id, so that lookups,
/// uniqueness checks and deletions stay cheap in pools of hundreds of thousands of users: deleting a user costs
/// O(log n), whatever its place (a vector shifted every later user, and deleting 1 000 users of 19 000 held the
/// write lock for most of a second).
#[derive(Default)]
pub(crate) struct UserStore {
    /// By creation sequence; shared, so that a page of users is served without copying them.
    users: BTreeMap<u64, Arc<User>>,
    archived: Vec<User>,
    seq: u64,
    /// From id to creation sequence, the key of [`UserStore::users`].
    positions: HashMap<String, u64>,
    identifiers: [HashMap<String, String>; 4],
}

/// The identifiers kept in [`UserStore::identifiers`], in that order.
const IDENTIFIERS: [fn(&User) -> Option<&str>; 4] =
    [|u| u.username.as_deref(), |u| u.email.as_deref(), |u| u.phone.as_deref(), |u| u.external_id.as_deref()];
const USERNAME: usize = 0;
const EMAIL: usize = 1;
const PHONE: usize = 2;
const EXTERNAL_ID: usize = 3;

impl UserStore {
    /// The next value of the store's monotonic sequence.
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub(crate) fn get(&self, id: &str) -> Option<&User> {
        self.positions.get(id).and_then(|pos| self.users.get(pos)).map(|u| &**u)
    }

    /// Every active user, in creation order.
    pub(crate) fn all(&self) -> btree_map::Values<'_, u64, Arc<User>> {
        self.users.values()
    }

    /// Every archived user, in deletion order.
    pub(crate) fn archived(&self) -> &[User] {
        &self.archived
    }

    /// The creation sequence of the user whose identifier `kind` is `value`.
    fn position_of(&self, kind: usize, value: Option<&str>) -> Option<u64> {
        let id = self.identifiers[kind].get(value?)?;
        self.positions.get(id.as_str()).copied()
    }

    /// Finds a user by any of the identifiers given, trimmed as they are stored (e-mails compare
    /// case-insensitively); when several users match, the one created first.
    pub(crate) fn find(
        &self,
        email: Option<&str>,
        phone: Option<&str>,
        username: Option<&str>,
        external_id: Option<&str>,
    ) -> Option<&User> {
        let (phone, username, external_id) =
            (phone.map(str::trim), username.map(str::trim), external_id.map(str::trim));
        let email = email.map(|e| e.trim().to_lowercase());
        [
            self.position_of(EMAIL, email.as_deref()),
            self.position_of(PHONE, phone),
            self.position_of(USERNAME, username),
            self.position_of(EXTERNAL_ID, external_id),
        ]
        .into_iter()
        .flatten()
        .min()
        .and_then(|pos| self.users.get(&pos))
        .map(|u| &**u)
    }

    /// Finds a user by one kind of identifier: `id`, `username`, `phone`, `email` or `externalId`.
    pub(crate) fn find_by(&self, kind: &str, value: &str) -> Option<&User> {
        match kind {
            "id" => self.get(value),
            "username" => self.find(None, None, Some(value), None),
            "phone" => self.find(None, Some(value), None, None),
            "email" => self.find(Some(value), None, None, None),
            "externalId" => self.find(None, None, None, Some(value)),
            _ => None,
        }
    }

    /// Finds a user by one of its identities. Every criterion given must match; `identifier` matches the
    /// user id in the provider or the openid.
    pub(crate) fn find_by_identity(
        &self,
        provider: Option<&str>,
        user_id_in_idp: Option<&str>,
        is_social: Option<bool>,
        identifier: Option<&str>,
    ) -> Option<&User> {
        if provider.is_none() && user_id_in_idp.is_none() && identifier.is_none() {
            return None;
        }
        self.users.values().map(|u| &**u).find(|u| {
            u.identity_list().any(|i| {
                provider.is_none_or(|p| i.provider.as_deref() == Some(p))
                    && user_id_in_idp.is_none_or(|x| i.user_id_in_idp.as_deref() == Some(x))
                    && is_social.is_none_or(|s| i.is_social.unwrap_or(false) == s)
                    && identifier
                        .is_none_or(|x| i.user_id_in_idp.as_deref() == Some(x) || i.openid.as_deref() == Some(x))
            })
        })
    }

    /// Refuses `user` when it has no identifier or shares one with another user (not `user` itself).
    fn check_unique(&self, user: &User) -> Result<(), ApiError> {
        if !user.has_identifier() {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "用户名、邮箱、手机号、外部 ID 或身份至少需要一个",
                "A user needs a username, e-mail, phone, external id or identity",
            ));
        }
        let taken = |kind: usize| {
            IDENTIFIERS[kind](user)
                .and_then(|mine| self.identifiers[kind].get(mine))
                .is_some_and(|owner| *owner != user.id)
        };
        if taken(USERNAME) {
            return Err(ApiError::new(Code::UsernameExists));
        }
        if taken(EMAIL) || taken(EXTERNAL_ID) {
            return Err(ApiError::new(Code::UserExists));
        }
        if taken(PHONE) {
            return Err(ApiError::new(Code::PhoneExists));
        }
        let mut mine = user.identity_list().peekable();
        if mine.peek().is_some() {
            let others: Vec<&User> = self.users.values().map(|u| &**u).filter(|u| u.id != user.id).collect();
            for mine in mine {
                let clash = others.iter().any(|u| {
                    u.identity_list().any(|i| i.provider == mine.provider && i.user_id_in_idp == mine.user_id_in_idp)
                });
                if clash {
                    return Err(ApiError::new(Code::UserExists));
                }
            }
        }
        Ok(())
    }

    /// Adds the identifiers of `user` to the indexes.
    fn index(&mut self, user: &User) {
        for (kind, get) in IDENTIFIERS.iter().enumerate() {
            if let Some(value) = get(user) {
                self.identifiers[kind].insert(value.to_owned(), user.id.clone());
            }
        }
    }

    /// Removes the identifiers of `user` from the indexes.
    fn unindex(&mut self, user: &User) {
        for (kind, get) in IDENTIFIERS.iter().enumerate() {
            if let Some(value) = get(user)
                && self.identifiers[kind].get(value).is_some_and(|owner| *owner == user.id)
            {
                self.identifiers[kind].remove(value);
            }
        }
    }

    /// Adds a user whose identifiers are unique in the pool; assigns its sequence numbers.
    pub(crate) fn insert(&mut self, mut user: User) -> Result<User, ApiError> {
        user.normalize();
        if self.positions.contains_key(&user.id) {
            return Err(ApiError::new(Code::UserExists));
        }
        self.check_unique(&user)?;
        let seq = self.next_seq();
        user.created_seq = seq;
        user.updated_seq = seq;
        self.index(&user);
        self.positions.insert(user.id.clone(), seq);
        self.users.insert(seq, Arc::new(user.clone()));
        Ok(user)
    }

    /// Replaces the user of the same id, after the same checks as [`UserStore::insert`].
    pub(crate) fn replace(&mut self, mut user: User) -> Result<User, ApiError> {
        user.normalize();
        self.check_unique(&user)?;
        let pos = *self.positions.get(&user.id).ok_or(ApiError::new(Code::UserNotFound))?;
        user.created_seq = pos;
        user.updated_seq = self.next_seq();
        let old = self.users.insert(pos, Arc::new(user.clone()));
        if let Some(old) = old {
            self.unindex(&old);
        }
        self.index(&user);
        Ok(user)
    }

    /// Changes the stored user `id` in place: `change` gets the current record, under the store's write lock the
    /// caller holds, and sets only its own fields; the result is checked like [`UserStore::replace`]. Nothing is
    /// stored when `change` or the checks refuse. So a read-modify-write never writes back a stale copy over a
    /// change made in between (an administrator's `blocked: true`, a nickname).
    pub(crate) fn update(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut User) -> Result<(), ApiError>,
    ) -> Result<User, ApiError> {
        let mut user = self.get(id).cloned().ok_or(ApiError::new(Code::UserNotFound))?;
        change(&mut user)?;
        self.replace(user)
    }

    /// Moves a user to the archive; its identifiers become free. Returns the archived user.
    pub(crate) fn archive(&mut self, id: &str, now: String) -> Option<User> {
        let pos = self.positions.remove(id)?;
        let mut user = Arc::unwrap_or_clone(self.users.remove(&pos)?);
        self.unindex(&user);
        user.status = Some(UserStatus::Archived);
        user.is_deleted = Some(true);
        user.updated_at = Some(now);
        user.deleted_seq = self.next_seq();
        user.updated_seq = user.deleted_seq;
        self.archived.push(user.clone());
        Some(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> User {
        User::new("pool", id.to_owned(), "2024-01-01T00:00:00.000Z".to_owned())
    }

    #[test]
    fn uniqueness_and_archive() {
        let mut store = UserStore::default();
        let mut a = user("a");
        a.username = Some("ada".into());
        a.email = Some("Ada@X.io".into());
        let a = store.insert(a).unwrap();
        assert_eq!(a.email.as_deref(), Some("ada@x.io"));
        let mut b = user("b");
        b.email = Some("ADA@x.io".into());
        assert_eq!(store.insert(b).unwrap_err().code, Code::UserExists);
        let mut c = user("c");
        c.phone = Some("1".into());
        store.insert(c.clone()).unwrap();
        let mut d = user("d");
        d.phone = Some("1".into());
        assert_eq!(store.insert(d).unwrap_err().code, Code::PhoneExists);
        assert_eq!(store.insert(user("e")).unwrap_err().code, Code::BadRequest);
        // a user may keep its own identifiers on update
        c.nickname = Some("x".into());
        store.replace(c).unwrap();
        store.archive("a", "now".into()).unwrap();
        let mut f = user("f");
        f.username = Some("ada".into());
        store.insert(f).unwrap();
        assert_eq!(store.archived().len(), 1);
    }

    #[test]
    fn identifiers_are_stored_and_found_trimmed() {
        let mut store = UserStore::default();
        let mut a = user("a");
        a.username = Some("  ada ".into());
        a.email = Some(" Ada@X.io\t".into());
        a.phone = Some(" 13800000000 ".into());
        let a = store.insert(a).unwrap();
        assert_eq!(
            (a.username.as_deref(), a.email.as_deref(), a.phone.as_deref()),
            (Some("ada"), Some("ada@x.io"), Some("13800000000"))
        );
        assert_eq!(store.find_by("username", "ada").unwrap().id, "a");
        assert_eq!(store.find_by("username", " ada  ").unwrap().id, "a");
        assert_eq!(store.find_by("email", " ADA@x.io").unwrap().id, "a");
        assert_eq!(store.find_by("phone", "13800000000 ").unwrap().id, "a");
        let mut b = user("b");
        b.username = Some("ada".into());
        assert_eq!(store.insert(b).unwrap_err().code, Code::UsernameExists);
    }

    #[test]
    fn search_is_case_insensitive() {
        let mut u = user("a");
        u.nickname = Some("Grace Hopper".into());
        assert!(search_matches(&u, "hop", &[]));
        assert!(search_matches(&u, "HOP", &["nickname".into()]));
        assert!(!search_matches(&u, "hop", &["username".into()]));
    }
}
