//! The user pool itself: its settings ([`settings`]), the registration whitelists ([`whitelist`]) and the
//! environment variables ([`env`]). The settings change behaviour elsewhere:
//!
//! * `registerDisabled` and the whitelists refuse self-registration (code 2031, see
//!   [`config::PoolState::check_registration`]);
//! * the password-strength level refuses weak passwords at registration and when a user sets a password
//!   (code 2029, see [`config::PoolState::check_password`]);
//! * `tokenExpiresAfter` is the lifetime of the user tokens issued from then on ([`State::user_token_lifetime`]).

pub(crate) mod config;
pub(crate) mod env;
pub(crate) mod settings;
pub(crate) mod whitelist;

use std::time::Duration;

use serde_json::{Value, json};

use crate::store::state::State;

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
