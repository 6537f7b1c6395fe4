//! The user pool: its settings ([`UserPool`], [`UpdateUserpoolInput`]), environment variables ([`EnvVar`]),
//! registration whitelists ([`WhitelistType`], [`WhitelistEntry`]) and audit log ([`AuditLog`]).

use serde::{Deserialize, Serialize};

use super::udf::wire_enum;
use crate::secret::Secret;

/// A check that counts events in a time window: `frequentRegisterCheck`, `loginFailCheck` and
/// `loginPasswordFailCheck` of the pool.
///
/// ```
/// let check = authing::models::WindowCheck { enabled: Some(true), limit: Some(5), ..Default::default() };
/// assert_eq!(check.time_interval, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowCheck {
    /// The window, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_interval: Option<i64>,
    /// How many events the window allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Whether the check is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Which registration whitelists are on (`UserPool.whitelist`); a flag left `None` in an update keeps its value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WhitelistConfig {
    /// The phone whitelist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_enabled: Option<bool>,
    /// The e-mail whitelist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_enabled: Option<bool>,
    /// The username whitelist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_enabled: Option<bool>,
}

/// Whether changing a phone needs the old phone's code (`changePhoneStrategy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangePhoneStrategy {
    /// The old phone must be verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_old_phone: Option<bool>,
}

/// Whether changing an e-mail address needs the old address's code (`changeEmailStrategy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeEmailStrategy {
    /// The old address must be verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_old_email: Option<bool>,
}

/// QR-code login settings (`qrcodeLoginStrategy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrcodeLoginStrategy {
    /// How long a QR code is valid, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qrcode_expires_after: Option<i64>,
    /// Whether the full user is returned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_full_user_info: Option<bool>,
    /// Whether a browser may exchange the ticket for the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_exchange_user_info_from_browser: Option<bool>,
    /// How long a ticket is valid, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_expires_after: Option<i64>,
}

/// App-to-mini-program login settings (`app2WxappLoginStrategy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct App2WxappLoginStrategy {
    /// How long a ticket is valid, in seconds (Authing spells the field `ticketExpriresAfter`).
    #[serde(rename = "ticketExpriresAfter", skip_serializing_if = "Option::is_none")]
    pub ticket_expires_after: Option<i64>,
    /// Whether exchanging the ticket needs the pool's secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_exchange_user_info_need_secret: Option<bool>,
}

/// A custom SMS provider (`customSMSProvider`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomSmsProvider {
    /// Whether it is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The provider's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Its configuration, as JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

/// The password renewal policy (`passwordUpdatePolicy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordUpdatePolicy {
    /// Whether it is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Days after which a password must be changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forced_cycle: Option<i64>,
    /// How many previous passwords may not be reused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference_cycle: Option<i64>,
}

/// A kind of user pool (`UserPool.userpoolTypes`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserPoolType {
    /// Its code.
    pub code: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its description.
    pub description: Option<String>,
}

/// The user pool and its settings (GraphQL `UserPool`, and `GET /api/v2/userpools/detail`). The secrets are
/// redacted in `Debug`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserPool {
    /// The pool's id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its second-level domain.
    pub domain: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Its secret, which obtains management tokens.
    pub secret: Option<Secret>,
    /// The secret its HS256 tokens are signed with.
    pub jwt_secret: Option<Secret>,
    /// The id of its owner.
    pub owner_id: Option<String>,
    /// Its kinds.
    pub userpool_types: Option<Vec<UserPoolType>>,
    /// Its logo.
    pub logo: Option<String>,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last changed.
    pub updated_at: Option<String>,
    /// Whether new users' e-mail addresses count as verified.
    pub email_verified_default: Option<bool>,
    /// Whether new users get a welcome e-mail.
    pub send_welcome_email: Option<bool>,
    /// Whether self-registration is closed.
    pub register_disabled: Option<bool>,
    /// Whether single sign-on across its applications is on.
    pub app_sso_enabled: Option<bool>,
    /// The origins allowed to call it, one per line.
    pub allowed_origins: Option<String>,
    /// How long user tokens live, in seconds.
    pub token_expires_after: Option<i64>,
    /// Whether it is deleted.
    pub is_deleted: Option<bool>,
    /// The frequent-registration check.
    pub frequent_register_check: Option<WindowCheck>,
    /// The failed-login check.
    pub login_fail_check: Option<WindowCheck>,
    /// The failed-password check.
    pub login_password_fail_check: Option<WindowCheck>,
    /// What failed logins lead to.
    pub login_fail_strategy: Option<String>,
    /// How a phone is changed.
    pub change_phone_strategy: Option<ChangePhoneStrategy>,
    /// How an e-mail address is changed.
    pub change_email_strategy: Option<ChangeEmailStrategy>,
    /// QR-code logins.
    pub qrcode_login_strategy: Option<QrcodeLoginStrategy>,
    /// App-to-mini-program logins.
    pub app2_wxapp_login_strategy: Option<App2WxappLoginStrategy>,
    /// Which registration whitelists are on.
    pub whitelist: Option<WhitelistConfig>,
    /// The custom SMS provider.
    #[serde(rename = "customSMSProvider")]
    pub custom_sms_provider: Option<CustomSmsProvider>,
    /// Whether a login needs a verified e-mail address.
    pub login_require_email_verified: Option<bool>,
    /// The length of verification codes.
    pub verify_code_length: Option<i64>,
    /// How many tries a verification code allows.
    pub verify_code_max_attempts: Option<i64>,
    /// The password renewal policy.
    pub password_update_policy: Option<PasswordUpdatePolicy>,
    /// The password-strength level (REST detail only; 0 accepts any password).
    pub password_strength: Option<i64>,
}

macro_rules! update_input {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $(@rename $wire:literal)? $field:ident : $ty:ty),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, Serialize)]
        #[serde(rename_all = "camelCase")]
        #[non_exhaustive]
        #[must_use]
        pub struct $name {
            $(
                $(#[$fdoc])*
                #[serde(skip_serializing_if = "Option::is_none")]
                $(#[serde(rename = $wire)])?
                pub $field: Option<$ty>,
            )+
        }

        impl $name {
            $(
                $(#[$fdoc])*
                pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )+
        }
    };
}

update_input!(
    /// Changes to the pool's settings (`UpdateUserpoolInput`): only the fields set are sent, and Authing changes
    /// only those.
    ///
    /// ```
    /// use authing::models::{UpdateUserpoolInput, WhitelistConfig};
    /// let changes = UpdateUserpoolInput::default()
    ///     .token_expires_after(3600)
    ///     .whitelist(WhitelistConfig { email_enabled: Some(true), ..Default::default() });
    /// assert_eq!(changes.token_expires_after, Some(3600));
    /// ```
    UpdateUserpoolInput {
        /// The pool's name.
        name: String,
        /// Its logo.
        logo: String,
        /// Its second-level domain.
        domain: String,
        /// Its description.
        description: String,
        /// Its kinds (codes).
        userpool_types: Vec<String>,
        /// Whether new users' e-mail addresses count as verified.
        email_verified_default: bool,
        /// Whether new users get a welcome e-mail.
        send_welcome_email: bool,
        /// Whether self-registration is closed.
        register_disabled: bool,
        /// Whether single sign-on across its applications is on.
        app_sso_enabled: bool,
        /// The origins allowed to call it, one per line.
        allowed_origins: String,
        /// How long the user tokens issued from now on live, in seconds.
        token_expires_after: i64,
        /// The frequent-registration check.
        frequent_register_check: WindowCheck,
        /// The failed-login check.
        login_fail_check: WindowCheck,
        /// What failed logins lead to.
        login_fail_strategy: String,
        /// The failed-password check.
        login_password_fail_check: WindowCheck,
        /// How a phone is changed.
        change_phone_strategy: ChangePhoneStrategy,
        /// How an e-mail address is changed.
        change_email_strategy: ChangeEmailStrategy,
        /// QR-code logins.
        qrcode_login_strategy: QrcodeLoginStrategy,
        /// App-to-mini-program logins.
        app2_wxapp_login_strategy: App2WxappLoginStrategy,
        /// Which registration whitelists are on (a flag left `None` keeps its value).
        whitelist: WhitelistConfig,
        /// The custom SMS provider.
        @rename "customSMSProvider"
        custom_sms_provider: CustomSmsProvider,
        /// Whether a login needs a verified e-mail address.
        login_require_email_verified: bool,
        /// The length of verification codes.
        verify_code_length: i64,
        /// The password renewal policy.
        password_update_policy: PasswordUpdatePolicy,
        /// How many tries a verification code allows.
        verify_code_max_attempts: i64,
    }
);

/// One environment variable of the pool.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct EnvVar {
    /// Its name.
    pub key: String,
    /// Its value: any JSON value.
    #[serde(default)]
    pub value: serde_json::Value,
}

wire_enum!(
    /// The identifier a registration whitelist holds (`WhitelistType`).
    WhitelistType {
        /// Usernames.
        Username = "USERNAME",
        /// E-mail addresses (compared without case).
        Email = "EMAIL",
        /// Phone numbers.
        Phone = "PHONE",
    }
);

/// One identifier on a registration whitelist (`WhiteList`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WhitelistEntry {
    /// The identifier.
    pub value: String,
    /// When it was added.
    pub created_at: Option<String>,
    /// When it was last changed.
    pub updated_at: Option<String>,
}

/// One entry of the audit log of administrator actions (`GET /api/v2/analysis/audit`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuditLog {
    /// What was done (`createUser`, `userpool:UpdateConfig` ...).
    pub event_type: Option<String>,
    /// The id of the administrator who did it.
    pub user_id: Option<String>,
    /// The administrator's name.
    pub user_name: Option<String>,
    /// The user pool.
    pub user_pool_id: Option<String>,
    /// The parameters of the operation (what it acted on).
    pub operation_param: Option<String>,
    /// A description of the event.
    pub event_details: Option<String>,
    /// The result: Authing's code (200 for success).
    pub event_result_code: Option<i64>,
    /// The result's message.
    pub event_result_msg: Option<String>,
    /// How it was done (`API`, console ...).
    pub operation_mode: Option<String>,
    /// The client IP.
    pub client_ip: Option<String>,
    /// The application, if any.
    pub app_id: Option<String>,
    /// That application's name.
    pub app_name: Option<String>,
    /// When it happened.
    pub timestamp: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_sends_only_what_is_set() {
        let input = UpdateUserpoolInput::default()
            .whitelist(WhitelistConfig { phone_enabled: Some(true), ..Default::default() })
            .custom_sms_provider(CustomSmsProvider { enabled: Some(false), ..Default::default() });
        let json = serde_json::to_value(&input).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "whitelist": { "phoneEnabled": true }, "customSMSProvider": { "enabled": false } })
        );
    }

    #[test]
    fn a_pool_decodes_with_redacted_secrets() {
        let pool: UserPool = serde_json::from_value(serde_json::json!({
            "id": "p1", "secret": "s3cr3t", "jwtSecret": "j", "customSMSProvider": null,
            "app2WxappLoginStrategy": { "ticketExpriresAfter": 60 }, "whitelist": { "emailEnabled": true },
        }))
        .unwrap();
        assert_eq!(pool.app2_wxapp_login_strategy.unwrap().ticket_expires_after, Some(60));
        assert_eq!(pool.whitelist.unwrap().email_enabled, Some(true));
        assert!(!format!("{:?}", pool.secret).contains("s3cr3t"));
    }
}
