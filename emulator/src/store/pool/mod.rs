//! The user pool itself: its settings ([`settings`]), the registration whitelists ([`whitelist`]) and the
//! environment variables ([`env`]). The settings change behaviour elsewhere:
//!
//! * `registerDisabled` and the whitelists refuse self-registration (code 2031, see
//!   [`PoolState::check_registration`]);
//! * the password-strength level refuses weak passwords at registration and when a user sets a password
//!   (code 2029, see [`PoolState::check_password`]);
//! * `tokenExpiresAfter` is the lifetime of the user tokens issued from then on ([`State::user_token_lifetime`]).

pub(crate) mod env;
pub(crate) mod settings;
pub(crate) mod whitelist;

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};

use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use env::{Env, EnvVar};
use settings::PoolSettings;
use whitelist::{Entry, ListKind, Whitelists};

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

impl State {
    /// How long a user token issued now lives: the pool's `tokenExpiresAfter` once set, else the emulator's
    /// configured lifetime.
    pub(crate) fn user_token_lifetime(&self) -> Duration {
        self.userpool.settings().token_expires_after.map_or(self.user_token_ttl, Duration::from_secs)
    }

    /// The pool as the `UserPool` object of `GET /api/v2/userpools/detail` and GraphQL `userpool`.
    pub(crate) fn userpool_json(&self) -> Value {
        let settings = self.userpool.settings();
        let mut pool = settings.to_json();
        let types: Vec<Value> = settings
            .userpool_types
            .iter()
            .map(|code| json!({ "code": code, "name": code, "description": null, "image": null, "sdks": [] }))
            .collect();
        pool["userpoolTypes"] = Value::Array(types);
        pool["tokenExpiresAfter"] = json!(self.user_token_lifetime().as_secs());
        pool["id"] = json!(self.pool.id);
        pool["secret"] = json!(self.pool.secret);
        pool["jwtSecret"] = json!(self.jwt_secret.iter().map(|b| format!("{b:02x}")).collect::<String>());
        pool["ownerId"] = json!(self.admin_id);
        pool["createdAt"] = json!(self.created_at);
        pool["updatedAt"] = json!(self.created_at);
        pool["isDeleted"] = json!(false);
        pool["showWxQRCodeWhenRegisterDisabled"] = json!(false);
        pool["packageType"] = json!(1);
        pool["useCustomUserStore"] = json!(false);
        pool
    }
}
