//! The pool part of the state: settings, whitelists and variables behind one lock, and the rules that read them.

use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use super::env::{Env, EnvVar};
use super::settings::PoolSettings;
use super::whitelist::{self, Entry, ListKind, Whitelists};
use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code};

/// Everything about the pool an administrator configures.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PoolConfig {
    pub(crate) settings: PoolSettings,
    pub(crate) whitelists: Whitelists,
    pub(crate) env: Env,
}

/// The pool part of the state. Its lock is taken alone, never while another lock of the state is held.
#[derive(Debug, Default)]
pub(crate) struct PoolState {
    config: Mutex<PoolConfig>,
}

impl PoolState {
    fn lock(&self) -> MutexGuard<'_, PoolConfig> {
        self.config.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of everything (for export).
    pub(crate) fn config(&self) -> PoolConfig {
        self.lock().clone()
    }

    /// Replaces everything (import, reset).
    pub(crate) fn replace(&self, config: PoolConfig) {
        *self.lock() = config;
    }

    pub(crate) fn settings(&self) -> PoolSettings {
        self.lock().settings.clone()
    }

    /// Applies an `updateUserpool` input (see [`PoolSettings::apply`]); on a refusal nothing changes.
    pub(crate) fn update(&self, patch: &Value) -> Result<PoolSettings, ApiError> {
        let mut config = self.lock();
        config.settings.apply(patch)?;
        Ok(config.settings.clone())
    }

    /// Sets the password-strength level; levels above 4 count as 4.
    pub(crate) fn set_password_strength(&self, level: u8) {
        self.lock().settings.password_strength = level.min(4);
    }

    pub(crate) fn whitelist(&self, kind: ListKind) -> Vec<Entry> {
        self.lock().whitelists.list(kind).to_vec()
    }

    pub(crate) fn add_whitelist(&self, kind: ListKind, values: &[String]) -> Result<Vec<Entry>, ApiError> {
        self.lock().whitelists.add(kind, values, &now_iso())
    }

    pub(crate) fn remove_whitelist(&self, kind: ListKind, values: &[String]) -> Vec<Entry> {
        self.lock().whitelists.remove(kind, values)
    }

    /// Refuses a self-registration with code 2031 when the pool disables registration, or when one of the
    /// new user's identifiers is of a type whose whitelist is on and is not on that list.
    pub(crate) fn check_registration(
        &self,
        username: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<(), ApiError> {
        let config = self.lock();
        if config.settings.register_disabled {
            return Err(ApiError::new(Code::RegistrationDisabled));
        }
        let flags = &config.settings.whitelist;
        let checks = [
            (ListKind::Username, flags.username_enabled, username),
            (ListKind::Email, flags.email_enabled, email),
            (ListKind::Phone, flags.phone_enabled, phone),
        ];
        for (kind, enabled, identifier) in checks {
            if let (Some(true), Some(identifier)) = (enabled, identifier)
                && !config.whitelists.contains(kind, identifier)
            {
                return Err(whitelist::not_listed(kind));
            }
        }
        Ok(())
    }

    /// Refuses a password the pool's strength rule does not accept, with code 2029.
    pub(crate) fn check_password(&self, password: &str) -> Result<(), ApiError> {
        let rule = self.lock().settings.password_rule();
        if rule.accepts(password) { Ok(()) } else { Err(rule.refusal()) }
    }

    pub(crate) fn env(&self) -> Value {
        self.lock().env.to_json()
    }

    /// Sets a variable; answers the variables after the change.
    pub(crate) fn add_env(&self, key: &str, value: Value) -> Result<Value, ApiError> {
        let mut config = self.lock();
        config.env.set(key, value)?;
        Ok(config.env.to_json())
    }

    /// Removes a variable; answers the variables after the change.
    pub(crate) fn remove_env(&self, key: &str) -> Value {
        let mut config = self.lock();
        config.env.remove(key);
        config.env.to_json()
    }
}

impl PoolConfig {
    /// The variables, for export.
    pub(crate) fn env_vars(&self) -> Vec<EnvVar> {
        self.env.vars().to_vec()
    }
}
