//! The applications themselves: their fields, secrets and agreements, with the rules of each change. Nothing
//! here reads the rest of the state.

use serde_json::{Value, json};

use crate::store::common::{new_id, now_iso, random_hex};
use crate::store::error::{ApiError, Code};

/// The name of the pool's default application.
pub(crate) const DEFAULT_APP_NAME: &str = "Emulator App";

/// `appType` of a new application.
const DEFAULT_APP_TYPE: &str = "INDIVIDUAL";

/// The application types `changeApplicationType` accepts (mind the mixed-case `Tenant`).
const APP_TYPES: [&str; 3] = ["INDIVIDUAL", "Tenant", "BOTH"];

/// An agreement shown at sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Agreement {
    pub(crate) id: u64,
    pub(crate) title: String,
    pub(crate) required: bool,
    pub(crate) lang: String,
}

impl Agreement {
    /// The REST object; `order` is the place in the display order, from 1.
    fn to_json(&self, app: &App, order: usize) -> Value {
        json!({
            "id": self.id,
            "appId": app.id,
            "userPoolId": app.user_pool_id,
            "title": self.title,
            "required": self.required,
            "lang": self.lang,
            "order": order,
        })
    }
}

/// What an agreement update changes: the fields given.
#[derive(Clone, Debug, Default)]
pub(crate) struct AgreementPatch {
    pub(crate) title: Option<String>,
    pub(crate) required: Option<bool>,
    pub(crate) lang: Option<String>,
}

/// One application.
#[derive(Clone, Debug)]
pub(crate) struct App {
    pub(crate) id: String,
    pub(crate) user_pool_id: String,
    pub(crate) name: String,
    pub(crate) identifier: String,
    pub(crate) description: Option<String>,
    pub(crate) logo: String,
    pub(crate) secret: String,
    /// Unused for the default application, whose redirect URIs are its OIDC settings'.
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) protocol: String,
    pub(crate) app_type: String,
    pub(crate) is_default: bool,
    /// The default strategy (`DENY_ALL` when true). Unused for the default application, whose strategy is the
    /// ACL store's.
    pub(crate) deny_all: bool,
    /// In display order.
    pub(crate) agreements: Vec<Agreement>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl App {
    /// The pool's default application, from its id and secret.
    pub(crate) fn default_app(id: &str, secret: &str, user_pool_id: &str, created_at: &str) -> App {
        App {
            id: id.to_owned(),
            user_pool_id: user_pool_id.to_owned(),
            name: DEFAULT_APP_NAME.to_owned(),
            identifier: "emulator-app".to_owned(),
            description: None,
            logo: String::new(),
            secret: secret.to_owned(),
            redirect_uris: Vec::new(),
            protocol: "oidc".to_owned(),
            app_type: DEFAULT_APP_TYPE.to_owned(),
            is_default: true,
            deny_all: false,
            agreements: Vec::new(),
            created_at: created_at.to_owned(),
            updated_at: created_at.to_owned(),
        }
    }

    /// The REST `Application` object, with the redirect URIs and default strategy given.
    pub(crate) fn to_json(&self, redirect_uris: &[String], deny_all: bool) -> Value {
        json!({
            "id": self.id,
            "userPoolId": self.user_pool_id,
            "name": self.name,
            "description": self.description,
            "identifier": self.identifier,
            "protocol": self.protocol,
            "logo": self.logo,
            "secret": self.secret,
            "redirectUris": redirect_uris,
            "logoutRedirectUris": [],
            "isOfficial": false,
            "isDeleted": false,
            "isDefault": self.is_default,
            "registerDisabled": false,
            "skipMfa": false,
            "agreementEnabled": !self.agreements.is_empty(),
            "appType": self.app_type,
            "permissionStrategy": {
                "enabled": true,
                "defaultStrategy": if deny_all { "DENY_ALL" } else { "ALLOW_ALL" },
                "allowPolicyId": null,
                "denyPolicyId": null,
            },
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }

    /// The agreements as REST objects, in display order.
    pub(crate) fn agreements_json(&self) -> Vec<Value> {
        self.agreements.iter().enumerate().map(|(i, a)| a.to_json(self, i + 1)).collect()
    }

    fn agreement_mut(&mut self, id: u64) -> Result<&mut Agreement, ApiError> {
        self.agreements.iter_mut().find(|a| a.id == id).ok_or_else(agreement_missing)
    }
}

/// The agreement does not exist (Authing's console answers 404 with this message).
fn agreement_missing() -> ApiError {
    ApiError::with_message(Code::NotFound, "协议不存在", "The agreement does not exist")
}

/// 2007: the name is empty.
fn bad_name() -> ApiError {
    ApiError::new(Code::AppNameInvalid)
}

/// The applications of the pool, the default one first.
#[derive(Debug)]
pub(crate) struct AppStore {
    pub(crate) apps: Vec<App>,
    next_agreement_id: u64,
}

/// The applications a state document gives, besides the default one, and the default one's agreements and type.
#[derive(Debug, Default)]
pub(crate) struct ImportedApps {
    pub(crate) others: Vec<App>,
    pub(crate) default_agreements: Vec<Agreement>,
    pub(crate) default_app_type: Option<String>,
}

impl AppStore {
    /// A store holding the default application only.
    pub(crate) fn new(default_app: App) -> Self {
        AppStore { apps: vec![default_app], next_agreement_id: 1 }
    }

    /// The default application.
    pub(crate) fn default_app(&self) -> &App {
        &self.apps[0]
    }

    /// An application by id.
    pub(crate) fn get(&self, id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.id == id)
    }

    /// An application that must exist (2011 otherwise).
    pub(crate) fn require(&self, id: &str) -> Result<&App, ApiError> {
        self.get(id).ok_or(ApiError::new(Code::AppNotFound))
    }

    fn require_mut(&mut self, id: &str) -> Result<&mut App, ApiError> {
        self.apps.iter_mut().find(|a| a.id == id).ok_or(ApiError::new(Code::AppNotFound))
    }

    /// Every application, newest first.
    pub(crate) fn list(&self) -> Vec<App> {
        self.apps.iter().rev().cloned().collect()
    }

    /// Creates an application: 2007 for an empty name, 2008 when the name is taken, 3829 when the identifier
    /// (its second-level domain) is.
    pub(crate) fn create(
        &mut self,
        user_pool_id: &str,
        name: &str,
        identifier: &str,
        redirect_uris: Vec<String>,
        logo: Option<String>,
    ) -> Result<App, ApiError> {
        let (name, identifier) = (name.trim(), identifier.trim());
        if name.is_empty() {
            return Err(bad_name());
        }
        if identifier.is_empty() {
            return Err(ApiError::with_message(Code::BadRequest, "缺少 identifier", "identifier is missing"));
        }
        if self.apps.iter().any(|a| a.name == name) {
            return Err(ApiError::new(Code::AppExists));
        }
        if self.apps.iter().any(|a| a.identifier == identifier) {
            return Err(ApiError::new(Code::DomainTaken));
        }
        let now = now_iso();
        let app = App {
            id: new_id(),
            user_pool_id: user_pool_id.to_owned(),
            name: name.to_owned(),
            identifier: identifier.to_owned(),
            description: None,
            logo: logo.unwrap_or_default(),
            secret: random_hex(16),
            redirect_uris,
            protocol: "oidc".to_owned(),
            app_type: DEFAULT_APP_TYPE.to_owned(),
            is_default: false,
            deny_all: false,
            agreements: Vec::new(),
            created_at: now.clone(),
            updated_at: now,
        };
        self.apps.push(app.clone());
        Ok(app)
    }

    /// Deletes an application (2011 when unknown; the default application cannot be deleted).
    pub(crate) fn delete(&mut self, id: &str) -> Result<(), ApiError> {
        let pos = self.apps.iter().position(|a| a.id == id).ok_or(ApiError::new(Code::AppNotFound))?;
        if self.apps[pos].is_default {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "默认应用不能删除",
                "The default application cannot be deleted",
            ));
        }
        self.apps.remove(pos);
        Ok(())
    }

    /// Gives an application a new secret; the old one is refused from then on.
    pub(crate) fn refresh_secret(&mut self, id: &str) -> Result<App, ApiError> {
        let app = self.require_mut(id)?;
        let mut secret = random_hex(16);
        while secret == app.secret {
            secret = random_hex(16);
        }
        app.secret = secret;
        app.updated_at = now_iso();
        Ok(app.clone())
    }

    /// Sets an application's type (`INDIVIDUAL`, `Tenant` or `BOTH`; 400 otherwise).
    pub(crate) fn set_app_type(&mut self, id: &str, app_type: &str) -> Result<(), ApiError> {
        if !APP_TYPES.contains(&app_type) {
            return Err(ApiError::with_message(
                Code::BadRequest,
                format!("appType 无效: {app_type}"),
                format!("Invalid appType: {app_type}"),
            ));
        }
        let app = self.require_mut(id)?;
        app.app_type = app_type.to_owned();
        app.updated_at = now_iso();
        Ok(())
    }

    /// Sets the default strategy of an application other than the default one.
    pub(crate) fn set_deny_all(&mut self, id: &str, deny_all: bool) -> Result<(), ApiError> {
        let app = self.require_mut(id)?;
        app.deny_all = deny_all;
        app.updated_at = now_iso();
        Ok(())
    }

    // ---- agreements ------------------------------------------------------------------------------------

    /// Adds an agreement at the end of the display order; returns it and its place.
    pub(crate) fn create_agreement(
        &mut self,
        app_id: &str,
        title: &str,
        required: bool,
        lang: &str,
    ) -> Result<Value, ApiError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(ApiError::with_message(Code::BadRequest, "缺少 title", "title is missing"));
        }
        let id = self.next_agreement_id;
        let app = self.require_mut(app_id)?;
        app.agreements.push(Agreement { id, title: title.to_owned(), required, lang: lang.to_owned() });
        let created = app.agreements.last().map(|a| a.to_json(app, app.agreements.len()));
        self.next_agreement_id += 1;
        Ok(created.unwrap_or(Value::Null))
    }

    /// Changes the fields of an agreement the patch gives; returns the agreement.
    pub(crate) fn modify_agreement(&mut self, app_id: &str, id: u64, patch: AgreementPatch) -> Result<Value, ApiError> {
        let app = self.require_mut(app_id)?;
        let agreement = app.agreement_mut(id)?;
        if let Some(title) = patch.title.map(|t| t.trim().to_owned()) {
            if title.is_empty() {
                return Err(ApiError::with_message(Code::BadRequest, "缺少 title", "title is missing"));
            }
            agreement.title = title;
        }
        if let Some(required) = patch.required {
            agreement.required = required;
        }
        if let Some(lang) = patch.lang {
            agreement.lang = lang;
        }
        let pos = app.agreements.iter().position(|a| a.id == id).unwrap_or_default();
        Ok(app.agreements[pos].to_json(app, pos + 1))
    }

    /// Removes an agreement.
    pub(crate) fn delete_agreement(&mut self, app_id: &str, id: u64) -> Result<(), ApiError> {
        let app = self.require_mut(app_id)?;
        let pos = app.agreements.iter().position(|a| a.id == id).ok_or_else(agreement_missing)?;
        app.agreements.remove(pos);
        Ok(())
    }

    /// Puts the agreements `ids` first, in that order; the others follow in their old order. An unknown id
    /// changes nothing and is refused.
    pub(crate) fn sort_agreements(&mut self, app_id: &str, ids: &[u64]) -> Result<(), ApiError> {
        let app = self.require_mut(app_id)?;
        if ids.iter().any(|id| app.agreements.iter().all(|a| a.id != *id)) {
            return Err(agreement_missing());
        }
        let mut sorted: Vec<Agreement> = Vec::with_capacity(app.agreements.len());
        for id in ids {
            if let Some(a) = app.agreements.iter().find(|a| a.id == *id)
                && !sorted.contains(a)
            {
                sorted.push(a.clone());
            }
        }
        for a in &app.agreements {
            if !sorted.iter().any(|s| s.id == a.id) {
                sorted.push(a.clone());
            }
        }
        app.agreements = sorted;
        Ok(())
    }

    // ---- state document --------------------------------------------------------------------------------

    /// Replaces every application but the default one, and the default one's agreements and type; the default
    /// application's id and secret stay.
    pub(crate) fn replace(&mut self, imported: ImportedApps) {
        let mut default_app = self.apps[0].clone();
        default_app.agreements = imported.default_agreements;
        if let Some(app_type) = imported.default_app_type {
            default_app.app_type = app_type;
        }
        self.apps = std::iter::once(default_app).chain(imported.others).collect();
        let highest = self.apps.iter().flat_map(|a| a.agreements.iter().map(|g| g.id)).max().unwrap_or(0);
        self.next_agreement_id = self.next_agreement_id.max(highest + 1);
    }

    /// The applications besides the default one, oldest first.
    pub(crate) fn others(&self) -> &[App] {
        &self.apps[1..]
    }

    /// Whether `app_type` is an application type.
    pub(crate) fn is_app_type(app_type: &str) -> bool {
        APP_TYPES.contains(&app_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> AppStore {
        AppStore::new(App::default_app("app0", "s0", "pool", "2024-01-01T00:00:00.000Z"))
    }

    #[test]
    fn names_and_identifiers_are_unique() {
        let mut apps = store();
        let a = apps.create("pool", "Shop", "shop", vec![], None).unwrap();
        assert_eq!(apps.create("pool", "Shop", "other", vec![], None).unwrap_err().code, Code::AppExists);
        assert_eq!(apps.create("pool", "Other", "shop", vec![], None).unwrap_err().code, Code::DomainTaken);
        assert_eq!(apps.create("pool", " ", "x", vec![], None).unwrap_err().code, Code::AppNameInvalid);
        assert_eq!(apps.list()[0].id, a.id, "newest first");
        assert_eq!(apps.delete("app0").unwrap_err().code, Code::BadRequest);
        apps.delete(&a.id).unwrap();
        assert_eq!(apps.delete(&a.id).unwrap_err().code, Code::AppNotFound);
    }

    #[test]
    fn refreshing_changes_the_secret() {
        let mut apps = store();
        let app = apps.refresh_secret("app0").unwrap();
        assert_ne!(app.secret, "s0");
        assert_eq!(apps.default_app().secret, app.secret);
    }

    #[test]
    fn agreements_sort_and_keep_ids() {
        let mut apps = store();
        for title in ["a", "b", "c"] {
            apps.create_agreement("app0", title, true, "zh-CN").unwrap();
        }
        apps.sort_agreements("app0", &[3, 1]).unwrap();
        let order: Vec<u64> = apps.default_app().agreements.iter().map(|a| a.id).collect();
        assert_eq!(order, [3, 1, 2]);
        assert_eq!(apps.sort_agreements("app0", &[9]).unwrap_err().code, Code::NotFound);
        apps.delete_agreement("app0", 1).unwrap();
        assert_eq!(apps.delete_agreement("app0", 1).unwrap_err().code, Code::NotFound);
        let next = apps.create_agreement("app0", "d", false, "en-US").unwrap();
        assert_eq!(next["id"], 4, "ids are not reused");
    }
}
