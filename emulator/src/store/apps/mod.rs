//! The pool's applications: the default one the emulator starts with and those created over
//! `/api/v2/applications`, each with its secret, redirect URIs, protocol, type, default access strategy and the
//! agreements shown at sign-in.
//!
//! Each application owns the permission namespace whose code is its id, as Authing creates it, so that the
//! application-scoped resource and role calls are ordinary namespace calls ([`State::ensure_app_namespaces`]).
//! The default application's redirect URIs are its OIDC settings' ([`crate::store::oidc::OidcSettings`]) and its
//! default strategy is the ACL store's; a refreshed secret is what the OIDC provider checks from then on.

use std::sync::{PoisonError, RwLockReadGuard, RwLockWriteGuard};

use serde_json::Value;

use crate::store::acl::Namespace;
use crate::store::common::{now_iso, unix_now};
use crate::store::error::ApiError;
use crate::store::state::State;

pub(crate) mod registry;

pub(crate) use registry::*;

impl State {
    pub(crate) fn apps_read(&self) -> RwLockReadGuard<'_, AppStore> {
        self.apps.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn apps_write(&self) -> RwLockWriteGuard<'_, AppStore> {
        self.apps.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The default application's current secret: the one its clients authenticate with and HS256 tokens are
    /// signed with.
    pub(crate) fn app_secret(&self) -> String {
        self.apps_read().default_app().secret.clone()
    }

    /// The current secrets of every application of the pool.
    pub(crate) fn app_secrets(&self) -> Vec<String> {
        self.apps_read().list().into_iter().map(|a| a.secret).collect()
    }

    /// The current secret of the application `app_id`, when the pool has it.
    pub(crate) fn client_secret(&self, app_id: &str) -> Option<String> {
        self.apps_read().get(app_id).map(|a| a.secret.clone())
    }

    /// The redirect URIs an authorization request for `app_id` may name (the default application's are its
    /// OIDC settings'), when the pool has the application.
    pub(crate) fn client_redirect_uris(&self, app_id: &str) -> Option<Vec<String>> {
        let app = self.apps_read().get(app_id).map(|a| (a.is_default, a.redirect_uris.clone()))?;
        Some(if app.0 { self.oidc.settings().redirect_uris } else { app.1 })
    }

    /// Every application's id and current secret, the default one first.
    pub(crate) fn clients(&self) -> Vec<(String, String)> {
        self.apps_read().apps.iter().map(|a| (a.id.clone(), a.secret.clone())).collect()
    }

    /// A namespace as the REST object, with `appId` and `appName` when it is an application's own.
    pub(crate) fn namespace_json(&self, namespace: &Namespace) -> Value {
        let mut json = namespace.to_json(&self.pool.id);
        if let Some(app) = self.apps_read().get(&namespace.code) {
            json["appId"] = Value::String(app.id.clone());
            json["appName"] = Value::String(app.name.clone());
        }
        json
    }

    /// Whether `app_id` names an application of the pool.
    pub(crate) fn app_exists(&self, app_id: &str) -> bool {
        self.apps_read().get(app_id).is_some()
    }

    /// An application as the REST `Application` object.
    pub(crate) fn app_json(&self, app: &App) -> Value {
        if app.is_default {
            let redirect_uris = self.oidc.settings().redirect_uris;
            app.to_json(&redirect_uris, self.access_read().acl.deny_all())
        } else {
            app.to_json(&app.redirect_uris, app.deny_all)
        }
    }

    /// The application `app_id` as the REST object (2011 when unknown).
    pub(crate) fn find_app_json(&self, app_id: &str) -> Result<Value, ApiError> {
        let app = self.apps_read().require(app_id)?.clone();
        Ok(self.app_json(&app))
    }

    /// Creates the namespace of every application that has none (its code is the application id).
    pub(crate) fn ensure_app_namespaces(&self) {
        let apps: Vec<(String, String)> =
            self.apps_read().apps.iter().map(|a| (a.id.clone(), a.name.clone())).collect();
        let now = now_iso();
        let mut access = self.access_write();
        for (id, name) in apps {
            if access.acl.namespace(&id).is_none() {
                let _ = access.acl.create_namespace(&id, &name, None, &now);
            }
        }
    }

    /// Removes the access policies and programmatic access accounts of a deleted application.
    pub(crate) fn forget_app(&self, app_id: &str) {
        let mut access = self.access_write();
        access.acl.app_policies.retain(|p| p.app_id != app_id);
        access.acl.accounts.retain(|a| a.app_id != app_id);
    }

    /// Sets an application's default strategy (`DENY_ALL` when `deny_all`).
    pub(crate) fn set_app_deny_all(&self, app_id: &str, deny_all: bool) -> Result<(), ApiError> {
        let is_default = self.apps_read().require(app_id)?.is_default;
        if is_default {
            self.access_write().acl.set_deny_all(deny_all);
            Ok(())
        } else {
            self.apps_write().set_deny_all(app_id, deny_all)
        }
    }

    /// The users holding an accepted, unexpired token of the application, by user id, with the number of their
    /// live tokens there.
    pub(crate) fn active_user_ids(&self, app_id: &str) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for (user, app, _) in self.sessions().live(unix_now()) {
            if app == app_id && !ids.contains(&user) {
                ids.push(user);
            }
        }
        ids
    }
}
