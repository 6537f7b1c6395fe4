//! Bookkeeping of the user tokens this emulator signed, per user and application.
//!
//! Each user has a revocation counter. A user token carries, in its `epoch` claim, the counter's value
//! when it was signed. Revoking (kick, logout, deletion) raises the counter and records it either for all
//! applications or for one; a token is accepted only while its epoch is at least both records. The
//! signed tokens are also remembered (application, expiry, epoch) to tell whether a user is logged in.

use std::collections::HashMap;

/// One signed user token.
#[derive(Clone, Debug)]
struct Session {
    app_id: String,
    exp: u64,
    epoch: u64,
}

/// The tokens of one user.
#[derive(Default, Debug)]
struct UserSessions {
    counter: u64,
    revoked_all: u64,
    revoked_app: HashMap<String, u64>,
    sessions: Vec<Session>,
}

impl UserSessions {
    fn valid(&self, app_id: &str, epoch: u64) -> bool {
        epoch >= self.revoked_all && epoch >= self.revoked_app.get(app_id).copied().unwrap_or(0)
    }
}

/// The token bookkeeping of every user of the pool.
#[derive(Default, Debug)]
pub(crate) struct SessionBook {
    users: HashMap<String, UserSessions>,
}

impl SessionBook {
    /// Records a token signed now for `user_id` in `app_id`, valid until `exp`; returns its epoch.
    pub(crate) fn issue(&mut self, user_id: &str, app_id: &str, exp: u64) -> u64 {
        let user = self.users.entry(user_id.to_owned()).or_default();
        let epoch = user.counter;
        user.sessions.push(Session { app_id: app_id.to_owned(), exp, epoch });
        epoch
    }

    /// Whether a token of `user_id` for `app_id` signed in `epoch` is still accepted.
    pub(crate) fn is_valid(&self, user_id: &str, app_id: &str, epoch: u64) -> bool {
        self.users.get(user_id).is_none_or(|u| u.valid(app_id, epoch))
    }

    /// Makes the user's tokens signed so far invalid: those of `app_id`, or all of them.
    pub(crate) fn revoke(&mut self, user_id: &str, app_id: Option<&str>) {
        let user = self.users.entry(user_id.to_owned()).or_default();
        user.counter += 1;
        let counter = user.counter;
        match app_id {
            Some(app) => {
                user.revoked_app.insert(app.to_owned(), counter);
            }
            None => user.revoked_all = counter,
        }
        let still = |s: &Session| user.valid(&s.app_id, s.epoch);
        let kept: Vec<Session> = user.sessions.iter().filter(|s| still(s)).cloned().collect();
        user.sessions = kept;
    }

    /// Every accepted, unexpired token: `(user id, application id, expiry in Unix seconds)`, by user id then
    /// signing order.
    pub(crate) fn live(&self, now: u64) -> Vec<(String, String, u64)> {
        let mut users: Vec<(&String, &UserSessions)> = self.users.iter().collect();
        users.sort_by_key(|(id, _)| id.as_str());
        let mut out = Vec::new();
        for (id, user) in users {
            for s in user.sessions.iter().filter(|s| s.exp > now && user.valid(&s.app_id, s.epoch)) {
                out.push((id.clone(), s.app_id.clone(), s.exp));
            }
        }
        out
    }

    /// The applications in which the user holds an accepted, unexpired token, in first-login order.
    pub(crate) fn live_apps(&self, user_id: &str, now: u64) -> Vec<String> {
        let Some(user) = self.users.get(user_id) else {
            return Vec::new();
        };
        let mut apps: Vec<String> = Vec::new();
        for s in &user.sessions {
            if s.exp > now && user.valid(&s.app_id, s.epoch) && !apps.contains(&s.app_id) {
                apps.push(s.app_id.clone());
            }
        }
        apps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoke_by_app_and_all() {
        let mut book = SessionBook::default();
        let a = book.issue("u", "app1", u64::MAX);
        let b = book.issue("u", "app2", u64::MAX);
        assert_eq!(book.live_apps("u", 0), ["app1", "app2"]);
        book.revoke("u", Some("app1"));
        assert!(!book.is_valid("u", "app1", a));
        assert!(book.is_valid("u", "app2", b));
        let c = book.issue("u", "app1", u64::MAX);
        assert!(book.is_valid("u", "app1", c));
        book.revoke("u", None);
        assert!(!book.is_valid("u", "app1", c) && !book.is_valid("u", "app2", b));
        assert!(book.live_apps("u", 0).is_empty());
        let d = book.issue("u", "app2", 10);
        assert!(book.is_valid("u", "app2", d));
        assert!(book.live_apps("u", 10).is_empty(), "expired");
    }
}
