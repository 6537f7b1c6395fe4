//! The pool's settings: the fields of `UserPool` an administrator changes with `updateUserpool`, and the
//! password-strength rule (an emulator setting: the official schema has no field for it).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::store::error::{ApiError, Code};

/// A check that counts events in a time window (`frequentRegisterCheck`, `loginFailCheck`, ...).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WindowCheck {
    pub(crate) time_interval: Option<i64>,
    pub(crate) limit: Option<i64>,
    pub(crate) enabled: Option<bool>,
}

/// `RegisterWhiteListConfig`: which registration whitelists are on (all off in a new pool).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WhitelistFlags {
    pub(crate) phone_enabled: Option<bool>,
    pub(crate) email_enabled: Option<bool>,
    pub(crate) username_enabled: Option<bool>,
}

impl Default for WhitelistFlags {
    fn default() -> Self {
        WhitelistFlags { phone_enabled: Some(false), email_enabled: Some(false), username_enabled: Some(false) }
    }
}

/// The settings of the pool, as the camelCase fields of `UserPool` (nested objects kept as JSON objects of
/// their own fields, the way `updateUserpool` takes them).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PoolSettings {
    pub(crate) name: String,
    pub(crate) logo: String,
    pub(crate) domain: String,
    pub(crate) description: Option<String>,
    pub(crate) userpool_types: Vec<String>,
    pub(crate) email_verified_default: bool,
    pub(crate) send_welcome_email: bool,
    pub(crate) register_disabled: bool,
    pub(crate) app_sso_enabled: bool,
    pub(crate) allowed_origins: Option<String>,
    /// Seconds a user token lives; unset: the emulator's configured lifetime.
    pub(crate) token_expires_after: Option<u64>,
    pub(crate) frequent_register_check: Option<WindowCheck>,
    pub(crate) login_fail_check: Option<WindowCheck>,
    pub(crate) login_fail_strategy: Option<String>,
    pub(crate) login_password_fail_check: Option<WindowCheck>,
    pub(crate) change_phone_strategy: Option<Map<String, Value>>,
    pub(crate) change_email_strategy: Option<Map<String, Value>>,
    pub(crate) qrcode_login_strategy: Option<Map<String, Value>>,
    pub(crate) app2_wxapp_login_strategy: Option<Map<String, Value>>,
    pub(crate) whitelist: WhitelistFlags,
    #[serde(rename = "customSMSProvider")]
    pub(crate) custom_sms_provider: Option<Map<String, Value>>,
    pub(crate) login_require_email_verified: bool,
    pub(crate) verify_code_length: i64,
    pub(crate) verify_code_max_attempts: i64,
    pub(crate) password_update_policy: Option<Map<String, Value>>,
    /// The password-strength level, 0 to 4 (see [`PasswordStrength`]).
    pub(crate) password_strength: u8,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            name: "Emulator Pool".to_owned(),
            logo: String::new(),
            domain: "emulator".to_owned(),
            description: None,
            userpool_types: Vec::new(),
            email_verified_default: false,
            send_welcome_email: false,
            register_disabled: false,
            app_sso_enabled: false,
            allowed_origins: None,
            token_expires_after: None,
            frequent_register_check: None,
            login_fail_check: None,
            login_fail_strategy: None,
            login_password_fail_check: None,
            change_phone_strategy: None,
            change_email_strategy: None,
            qrcode_login_strategy: None,
            app2_wxapp_login_strategy: None,
            whitelist: WhitelistFlags::default(),
            custom_sms_provider: None,
            login_require_email_verified: false,
            verify_code_length: 6,
            verify_code_max_attempts: 1,
            password_update_policy: None,
            password_strength: 0,
        }
    }
}

/// The settings `updateUserpool` may not change: they are not among its input fields.
const NOT_UPDATABLE: [&str; 1] = ["passwordStrength"];

impl PoolSettings {
    /// Applies a patch of `UpdateUserpoolInput` fields: a field that is absent or null keeps its value, and a
    /// nested object changes only the fields it gives (so `{whitelist: {phoneEnabled: true}}` leaves the other
    /// flags as they are).
    pub(crate) fn apply(&mut self, patch: &Value) -> Result<(), ApiError> {
        if let Some(key) = patch.as_object().and_then(|p| p.keys().find(|k| NOT_UPDATABLE.contains(&k.as_str()))) {
            return Err(bad(&format!("unknown field {key}")));
        }
        *self = self.merged(patch)?;
        Ok(())
    }

    /// The settings of a state document: the defaults with the fields the document gives (any of them).
    pub(crate) fn from_doc(doc: &Value) -> Result<Self, String> {
        PoolSettings::default().merged(doc).map_err(|e| e.message(crate::store::error::Lang::En))
    }

    fn merged(&self, patch: &Value) -> Result<PoolSettings, ApiError> {
        if !patch.is_object() {
            return Err(bad("the settings must be an object"));
        }
        let mut current = serde_json::to_value(self).map_err(|e| bad(&e.to_string()))?;
        merge(&mut current, patch);
        let updated: PoolSettings = serde_json::from_value(current).map_err(|e| bad(&e.to_string()))?;
        updated.check()?;
        Ok(updated)
    }

    /// Refuses values no pool can have.
    pub(crate) fn check(&self) -> Result<(), ApiError> {
        if self.name.trim().is_empty() {
            return Err(bad("the pool's name must not be empty"));
        }
        if self.token_expires_after == Some(0) {
            return Err(bad("tokenExpiresAfter must be a positive number of seconds"));
        }
        if PasswordStrength::from_level(self.password_strength).is_none() {
            return Err(bad("passwordStrength must be 0 to 4"));
        }
        Ok(())
    }

    /// The settings as JSON (camelCase, nested objects as objects).
    pub(crate) fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The password rule in force.
    pub(crate) fn password_rule(&self) -> PasswordStrength {
        PasswordStrength::from_level(self.password_strength).unwrap_or(PasswordStrength::Any)
    }
}

/// Merges `patch` into `target`: objects field by field, nulls skipped, anything else replaced.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (_, Value::Null) => {}
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                match target.get_mut(key) {
                    Some(slot) if !slot.is_null() => merge(slot, value),
                    _ if value.is_null() => {}
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

fn bad(detail: &str) -> ApiError {
    ApiError::with_message(Code::BadRequest, format!("参数错误: {detail}"), format!("Bad input: {detail}"))
}

/// The pool's password-strength rule, by level (the levels of Authing's console).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PasswordStrength {
    /// 0: any non-empty password.
    Any,
    /// 1: at least 6 characters.
    Min6,
    /// 2: at least 6 characters of at least two classes (letters, digits, symbols).
    TwoClasses,
    /// 3: at least 6 characters of three classes (letters, digits, symbols).
    ThreeClasses,
    /// 4: at least 8 characters with lower-case and upper-case letters, digits and symbols.
    Strongest,
}

impl PasswordStrength {
    pub(crate) fn from_level(level: u8) -> Option<Self> {
        Some(match level {
            0 => PasswordStrength::Any,
            1 => PasswordStrength::Min6,
            2 => PasswordStrength::TwoClasses,
            3 => PasswordStrength::ThreeClasses,
            4 => PasswordStrength::Strongest,
            _ => return None,
        })
    }

    /// Whether `password` passes the rule.
    pub(crate) fn accepts(self, password: &str) -> bool {
        let length = password.chars().count();
        let letter = password.chars().any(char::is_alphabetic);
        let digit = password.chars().any(|c| c.is_ascii_digit());
        let symbol = password.chars().any(|c| !c.is_alphanumeric());
        let classes = [letter, digit, symbol].iter().filter(|c| **c).count();
        match self {
            PasswordStrength::Any => length > 0,
            PasswordStrength::Min6 => length >= 6,
            PasswordStrength::TwoClasses => length >= 6 && classes >= 2,
            PasswordStrength::ThreeClasses => length >= 6 && classes == 3,
            PasswordStrength::Strongest => {
                length >= 8
                    && digit
                    && symbol
                    && password.chars().any(char::is_lowercase)
                    && password.chars().any(char::is_uppercase)
            }
        }
    }

    /// The refusal of a password the rule does not accept: code 2029.
    pub(crate) fn refusal(self) -> ApiError {
        let (zh, en) = match self {
            PasswordStrength::Any => ("密码不能为空", "The password must not be empty"),
            PasswordStrength::Min6 => ("密码长度不能少于 6 位", "The password needs at least 6 characters"),
            PasswordStrength::TwoClasses => (
                "密码至少 6 位，且包含字母、数字、符号中的两种",
                "The password needs at least 6 characters of two kinds: letters, digits, symbols",
            ),
            PasswordStrength::ThreeClasses => (
                "密码至少 6 位，且包含字母、数字和符号",
                "The password needs at least 6 characters with letters, digits and symbols",
            ),
            PasswordStrength::Strongest => (
                "密码至少 8 位，且包含大写字母、小写字母、数字和符号",
                "The password needs at least 8 characters with upper-case and lower-case letters, digits and symbols",
            ),
        };
        ApiError::with_message(Code::WeakPassword, zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_patch_changes_only_what_it_gives() {
        let mut settings = PoolSettings::default();
        settings.apply(&json!({ "whitelist": { "emailEnabled": true } })).unwrap();
        settings.apply(&json!({ "whitelist": { "phoneEnabled": true }, "name": null })).unwrap();
        assert_eq!(settings.whitelist.email_enabled, Some(true));
        assert_eq!(settings.whitelist.phone_enabled, Some(true));
        assert_eq!(settings.name, "Emulator Pool");
        settings.apply(&json!({ "tokenExpiresAfter": 60, "loginFailCheck": { "limit": 3 } })).unwrap();
        assert_eq!(settings.token_expires_after, Some(60));
        assert_eq!(settings.login_fail_check.as_ref().and_then(|c| c.limit), Some(3));
        assert!(settings.apply(&json!({ "tokenExpiresAfter": 0 })).is_err());
        assert!(settings.apply(&json!({ "passwordStrength": 4 })).is_err());
        assert_eq!(settings.token_expires_after, Some(60));
    }

    #[test]
    fn password_levels() {
        assert!(PasswordStrength::Any.accepts("a"));
        assert!(!PasswordStrength::Min6.accepts("abcde"));
        assert!(PasswordStrength::Min6.accepts("abcdef"));
        assert!(!PasswordStrength::TwoClasses.accepts("abcdefg"));
        assert!(PasswordStrength::TwoClasses.accepts("abc123"));
        assert!(!PasswordStrength::ThreeClasses.accepts("abc123"));
        assert!(PasswordStrength::ThreeClasses.accepts("abc12!"));
        assert!(!PasswordStrength::Strongest.accepts("abc12!xy"));
        assert!(PasswordStrength::Strongest.accepts("Abc12!xy"));
    }
}
