//! The directories' accounts and the sub-account links: the part of the state behind `State::directory`.
//! Nothing here reads the rest of the state.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::crypto;

/// Which directory an entry lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DirectoryKind {
    Ldap,
    Ad,
}

impl DirectoryKind {
    /// The identity provider name of the directory, also its `registerSource`.
    pub(crate) fn provider(self) -> &'static str {
        match self {
            DirectoryKind::Ldap => "ldap",
            DirectoryKind::Ad => "ad",
        }
    }
}

/// One account of a directory.
#[derive(Clone, Debug)]
pub(crate) struct DirectoryEntry {
    pub(crate) username: String,
    /// A salted hash ([`crypto::hash_password`]).
    pub(crate) password_hash: String,
    pub(crate) email: Option<String>,
    pub(crate) name: Option<String>,
}

impl DirectoryEntry {
    /// An entry with a clear-text password (only its hash is kept).
    pub(crate) fn new(username: &str, password: &str, email: Option<String>, name: Option<String>) -> Self {
        DirectoryEntry {
            username: username.trim().to_owned(),
            password_hash: crypto::hash_password(password),
            email: email.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()),
            name,
        }
    }
}

#[derive(Default, Debug)]
pub(crate) struct DirectoryStore {
    pub(crate) ldap: BTreeMap<String, DirectoryEntry>,
    pub(crate) ad: BTreeMap<String, DirectoryEntry>,
    /// Sub-account user id → main user id.
    pub(crate) sub_accounts: BTreeMap<String, String>,
}

impl DirectoryStore {
    fn entries(&mut self, kind: DirectoryKind) -> &mut BTreeMap<String, DirectoryEntry> {
        match kind {
            DirectoryKind::Ldap => &mut self.ldap,
            DirectoryKind::Ad => &mut self.ad,
        }
    }
}

/// The directories and sub-accounts of the state. Its lock is taken alone, never while another lock of the
/// state is held.
#[derive(Default, Debug)]
pub(crate) struct DirectoryState {
    store: Mutex<DirectoryStore>,
}

impl DirectoryState {
    pub(crate) fn store(&self) -> MutexGuard<'_, DirectoryStore> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds or replaces an entry of a directory.
    pub(crate) fn put(&self, kind: DirectoryKind, entry: DirectoryEntry) {
        self.store().entries(kind).insert(entry.username.clone(), entry);
    }

    /// Removes an entry; whether there was one.
    pub(crate) fn remove(&self, kind: DirectoryKind, username: &str) -> bool {
        self.store().entries(kind).remove(username.trim()).is_some()
    }

    pub(super) fn entry(&self, kind: DirectoryKind, username: &str) -> Option<DirectoryEntry> {
        self.store().entries(kind).get(username.trim()).cloned()
    }

    /// The main user of a sub-account.
    pub(crate) fn main_user_of(&self, sub_account_id: &str) -> Option<String> {
        self.store().sub_accounts.get(sub_account_id).cloned()
    }

    /// Replaces the directories and the sub-accounts (an imported document's).
    pub(crate) fn replace(&self, store: DirectoryStore) {
        *self.store() = store;
    }

    /// Forgets which users are sub-accounts (the pool's users were replaced); the directories stay.
    pub(crate) fn forget_sub_accounts(&self) {
        self.store().sub_accounts.clear();
    }
}
