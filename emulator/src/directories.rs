//! The emulator's LDAP and AD directories and sub-accounts, as configured by a test or at start: the accounts
//! `POST /api/v2/ldap/verify-user`, `POST /api/v2/ad/verify-user` and `loginBySubAccount` accept. The rules of
//! those logins are in the crate docs ([Directories](crate#directories-and-sub-accounts)).

use std::fmt;

use crate::store::directory::{self, DirectoryEntry, DirectoryKind};
use crate::store::error;
use crate::{AddUserError, Emulator, EmulatorBuilder};

/// Which enterprise directory an account lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Directory {
    /// The LDAP server behind `POST /api/v2/ldap/verify-user`.
    Ldap,
    /// The Active Directory connector behind `POST /api/v2/ad/verify-user`.
    Ad,
}

impl Directory {
    pub(crate) fn kind(self) -> DirectoryKind {
        match self {
            Directory::Ldap => DirectoryKind::Ldap,
            Directory::Ad => DirectoryKind::Ad,
        }
    }
}

/// An account of a [`Directory`]: a username and a password, and optionally the e-mail address and name the
/// directory holds (the e-mail links the account to the pool user who has it at the first login).
#[derive(Clone)]
#[non_exhaustive]
pub struct DirectoryUser {
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) email: Option<String>,
    pub(crate) name: Option<String>,
}

impl fmt::Debug for DirectoryUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DirectoryUser")
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("email", &self.email)
            .field("name", &self.name)
            .finish()
    }
}

impl DirectoryUser {
    /// An account with its username and clear-text password (only a hash is kept).
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        DirectoryUser { username: username.into(), password: password.into(), email: None, name: None }
    }

    /// The e-mail address the directory holds.
    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The display name the directory holds.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    pub(crate) fn entry(&self) -> DirectoryEntry {
        DirectoryEntry::new(&self.username, &self.password, self.email.clone(), self.name.clone())
    }
}

impl EmulatorBuilder {
    /// Adds an account to a directory before serving (repeat for more). The binary's flags are `--ldap-user` and
    /// `--ad-user` (`username:password`).
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// use authing_emulator::{Directory, DirectoryUser, Emulator};
    /// let emulator = Emulator::builder()
    ///     .directory_user(Directory::Ldap, DirectoryUser::new("ada", "pw").email("ada@example.com"))
    ///     .start()
    ///     .await?;
    /// assert!(emulator.remove_directory_user(Directory::Ldap, "ada"));
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn directory_user(mut self, directory: Directory, user: DirectoryUser) -> Self {
        self.directory_users.push((directory, user));
        self
    }
}

impl Emulator {
    /// Adds (or replaces) an account of a directory; logins see it at once.
    pub fn add_directory_user(&self, directory: Directory, user: DirectoryUser) {
        self.state.directory.put(directory.kind(), user.entry());
    }

    /// Removes an account of a directory; whether there was one. The pool user it was linked to stays.
    pub fn remove_directory_user(&self, directory: Directory, username: &str) -> bool {
        self.state.directory.remove(directory.kind(), username)
    }

    /// Adds a sub-account of the user `main_user_id`: a user of its own, who logs in by `loginBySubAccount` with
    /// `username` and `password`. Returns the sub-account's user id.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start().await?;
    /// let main = emulator.add_user(NewUser::new().username("ada")).unwrap();
    /// let sub = emulator.add_sub_account(&main, "ada-ops", "pw").unwrap();
    /// assert_eq!(emulator.main_user_of(&sub).as_deref(), Some(main.as_str()));
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    ///
    /// # Errors
    /// [`AddUserError`] with 2004 when the main user does not exist or is a sub-account, 2034 when the username
    /// is taken, 400 when it is empty.
    pub fn add_sub_account(&self, main_user_id: &str, username: &str, password: &str) -> Result<String, AddUserError> {
        directory::add_sub_account(&self.state, main_user_id, username, password)
            .map_err(|e| AddUserError { code: e.code.number(), message: e.message(error::Lang::En) })
    }

    /// The main user of a sub-account; `None` for any other user.
    pub fn main_user_of(&self, sub_account_id: &str) -> Option<String> {
        self.state.directory.main_user_of(sub_account_id)
    }

    /// The principal authentication record of a user as `detail` serves it (`principalType`, `principalName`,
    /// `principalCode`, `authenticationTime` …), or `None`.
    pub fn principal_of(&self, user_id: &str) -> Option<serde_json::Value> {
        crate::store::principal::detail(&self.state, user_id).ok().filter(|v| !v.is_null())
    }
}
