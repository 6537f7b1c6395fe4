//! Applications of a pool and the agreements they show at sign-in.

use serde::{Deserialize, Serialize};

use super::acl::DefaultStrategy;
use super::udf::wire_enum;

/// An application of the pool.
///
/// The management API returns every field; the end user's views (`/users/me/applications`, login status) fill
/// only some of them, so all but `id` are optional. The secret is present in management answers only.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Application {
    /// The application id (also the code of its permission namespace).
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its identifier (sub-domain).
    pub identifier: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Its logo URL.
    pub logo: Option<String>,
    /// Its protocol (`oidc`, `oauth` ...).
    pub protocol: Option<String>,
    /// Its user pool.
    pub user_pool_id: Option<String>,
    /// Its secret (management answers only), as its clients send it to the token endpoint.
    pub secret: Option<crate::secret::Secret>,
    /// The URIs the authorization endpoint may redirect to.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub redirect_uris: Vec<String>,
    /// The URIs a logout may redirect to.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub logout_redirect_uris: Vec<String>,
    /// Whether it is the pool's default application.
    pub is_default: Option<bool>,
    /// Whether it is an official (built-in) application.
    pub is_official: Option<bool>,
    /// Whether it is deleted.
    pub is_deleted: Option<bool>,
    /// Whether registration through it is disabled.
    pub register_disabled: Option<bool>,
    /// Whether its users skip MFA.
    pub skip_mfa: Option<bool>,
    /// Whether it shows agreements at sign-in.
    pub agreement_enabled: Option<bool>,
    /// Who may use it when no access policy matches.
    pub permission_strategy: Option<PermissionStrategy>,
    /// Individual, tenant or both.
    pub app_type: Option<ApplicationType>,
    /// When it was created (ISO-8601).
    pub created_at: Option<String>,
    /// When it was last changed (ISO-8601).
    pub updated_at: Option<String>,
}

/// An application's default access policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PermissionStrategy {
    /// Whether access policies are checked.
    pub enabled: Option<bool>,
    /// What the application allows when no access policy matches.
    pub default_strategy: Option<DefaultStrategy>,
    /// The policy that allows, if any.
    pub allow_policy_id: Option<String>,
    /// The policy that denies, if any.
    pub deny_policy_id: Option<String>,
}

wire_enum!(
    /// Whom an application serves: individuals, tenants or both (Authing spells `Tenant` in mixed case).
    ApplicationType {
        /// Individual users.
        Individual = "INDIVIDUAL",
        /// Tenants.
        Tenant = "Tenant",
        /// Both.
        Both = "BOTH",
    }
);

/// An agreement an application shows at sign-in.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Agreement {
    /// Its id (an integer, unlike most Authing ids).
    pub id: i64,
    /// Its application.
    pub app_id: Option<String>,
    /// Its user pool.
    pub user_pool_id: Option<String>,
    /// Its title (HTML allowed).
    pub title: String,
    /// Whether the user must accept it.
    #[serde(default)]
    pub required: bool,
    /// Its language (`zh-CN`, `en-US`).
    pub lang: Option<String>,
    /// Its place in the display order.
    pub order: Option<i64>,
}

/// The changes of an agreement (`modify_agreement`): only the fields set are sent.
///
/// ```
/// use authing::models::AgreementUpdate;
/// let update = AgreementUpdate::default().title("Terms v2").required(false);
/// assert_eq!(update.lang, None);
/// ```
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[must_use]
pub struct AgreementUpdate {
    /// A new title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether the user must accept it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// A new language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl AgreementUpdate {
    /// A new title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Whether the user must accept it.
    pub fn required(mut self, required: bool) -> Self {
        self.required = Some(required);
        self
    }

    /// A new language.
    pub fn lang(mut self, lang: impl Into<String>) -> Self {
        self.lang = Some(lang.into());
        self
    }
}

/// A list of strings that may be null: null reads as empty.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_an_application_and_an_agreement() {
        let app: Application = serde_json::from_value(serde_json::json!({
            "id": "a1", "name": "Shop", "secret": "s3cr3t", "redirectUris": ["https://x/cb"], "appType": "Tenant",
            "permissionStrategy": {"enabled": true, "defaultStrategy": "DENY_ALL"}, "extra": 1,
            "logoutRedirectUris": null
        }))
        .unwrap();
        assert_eq!(app.app_type, Some(ApplicationType::Tenant));
        assert_eq!(app.permission_strategy.and_then(|p| p.default_strategy), Some(DefaultStrategy::DenyAll));
        assert!(!format!("{:?}", app.secret).contains("s3cr3t"));
        let agreement: Agreement =
            serde_json::from_value(serde_json::json!({"id": 3, "title": "Terms", "required": true})).unwrap();
        assert_eq!((agreement.id, agreement.required), (3, true));
    }

    #[test]
    fn an_update_sends_only_what_is_set() {
        let body = serde_json::to_value(AgreementUpdate::default().required(false)).unwrap();
        assert_eq!(body, serde_json::json!({"required": false}));
    }
}
