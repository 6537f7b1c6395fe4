//! What the authentication side sends and receives: registration profiles, token status, security level ...

use serde::{Deserialize, Serialize};

use super::udf::wire_enum;

/// Declares an input whose fields are all optional, public, and settable with chained setters.
macro_rules! optional_input {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, Serialize)]
        #[serde(rename_all = "camelCase")]
        #[non_exhaustive]
        #[must_use]
        pub struct $name {
            $(
                $(#[$fdoc])*
                #[serde(skip_serializing_if = "Option::is_none")]
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

optional_input!(
    /// Profile fields given at registration.
    ///
    /// ```
    /// let profile = authing::models::RegisterProfile::default().nickname("Ada").company("Analytical Engines");
    /// assert_eq!(profile.nickname.as_deref(), Some("Ada"));
    /// ```
    RegisterProfile {
        /// The IP the user registers from.
        ip: String,
        /// Raw social login data.
        oauth: String,
        /// The username (when registering by e-mail or phone).
        username: String,
        /// The nickname.
        nickname: String,
        /// The company.
        company: String,
        /// The avatar URL.
        photo: String,
        /// The device.
        device: String,
        /// The browser.
        browser: String,
        /// The full name.
        name: String,
        /// The given name.
        given_name: String,
        /// The family name.
        family_name: String,
        /// The middle name.
        middle_name: String,
        /// The profile page URL.
        profile: String,
        /// The preferred username.
        preferred_username: String,
        /// The website.
        website: String,
        /// The gender.
        gender: String,
        /// The birth date.
        birthdate: String,
        /// The time zone.
        zoneinfo: String,
        /// The locale.
        locale: String,
        /// The address.
        address: String,
        /// The formatted address.
        formatted: String,
        /// The street address.
        street_address: String,
        /// The locality.
        locality: String,
        /// The region.
        region: String,
        /// The postal code.
        postal_code: String,
        /// The country.
        country: String,
        /// The phone number (when registering by e-mail or username).
        phone: String,
        /// The e-mail address (when registering by phone or username).
        email: String,
    }
);

/// What `checkLoginStatus` says of a token.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TokenStatus {
    /// 200 when the token is valid, else Authing's code (2020 ...).
    pub code: Option<i64>,
    /// Authing's message.
    pub message: Option<String>,
    /// Whether the token is valid.
    #[serde(default)]
    pub status: bool,
    /// When it expires, in Unix seconds.
    pub exp: Option<i64>,
    /// When it was issued, in Unix seconds.
    pub iat: Option<i64>,
    /// Whose token it is.
    pub data: Option<TokenStatusData>,
}

/// The user a valid token belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TokenStatusData {
    /// The user id.
    pub id: Option<String>,
    /// The user pool.
    pub user_pool_id: Option<String>,
    /// The user's ARN.
    pub arn: Option<String>,
}

/// Whether a password satisfies the pool's rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PasswordStrength {
    /// Whether it does.
    pub valid: bool,
    /// Why not, or a confirmation.
    pub message: Option<String>,
}

/// How strong a password looks, judged locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum PasswordSecurityLevel {
    /// Anything weaker than the levels below.
    Low = 1,
    /// At least 8 characters with letters and digits.
    Middle = 2,
    /// At least 12 characters with lower-case letters, upper-case letters and digits.
    High = 3,
}

/// The security of the current user's account.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SecurityLevel {
    /// A score out of 100.
    pub score: Option<i64>,
    /// Whether an e-mail address is bound.
    #[serde(default)]
    pub email: bool,
    /// Whether a phone number is bound.
    #[serde(default)]
    pub phone: bool,
    /// Whether a password is set.
    #[serde(default)]
    pub password: bool,
    /// The strength of the password (1 low, 2 middle, 3 high), when one is set.
    pub password_security_level: Option<i64>,
    /// Whether multi-factor authentication is on.
    #[serde(default)]
    pub mfa: bool,
}

/// The claims of a token Authing validated (`validate_token`).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct TokenClaims {
    /// The subject: the user id.
    pub sub: Option<String>,
    /// The audience: the application id.
    pub aud: Option<String>,
    /// The issuer.
    pub iss: Option<String>,
    /// When it expires, in Unix seconds.
    pub exp: Option<i64>,
    /// When it was issued, in Unix seconds.
    pub iat: Option<i64>,
    /// Every other claim (profile claims and Authing's own): free-form JSON.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

wire_enum!(
    /// Why an e-mail is sent (`sendEmail`).
    EmailScene {
        /// A link to reset the password.
        ResetPassword = "RESET_PASSWORD",
        /// A link to verify the address.
        VerifyEmail = "VERIFY_EMAIL",
        /// A code to change the address.
        ChangeEmail = "CHANGE_EMAIL",
        /// A code for multi-factor authentication.
        MfaVerify = "MFA_VERIFY",
        /// A code to reset the password.
        ResetPasswordVerifyCode = "RESET_PASSWORD_VERIFY_CODE",
        /// A code to verify the address at first login.
        FirstEmailLoginVerify = "FIRST_EMAIL_LOGIN_VERIFY",
        /// A code for a verification the console asked for.
        ConsoleConductedVerify = "CONSOLE_CONDUCTED_VERIFY",
        /// A code to bind the address.
        EmailBindVerifyCode = "EMAIL_BIND_VERIFY_CODE",
        /// A code to unbind the address.
        EmailUnbindVerifyCode = "EMAIL_UNBIND_VERIFY_CODE",
        /// A general verification code.
        VerifyCode = "VERIFY_CODE",
        /// A code to register.
        RegisterVerifyCode = "REGISTER_VERIFY_CODE",
        /// A code to log in.
        LoginVerifyCode = "LOGIN_VERIFY_CODE",
        /// A code for multi-factor authentication.
        MfaVerifyCode = "MFA_VERIFY_CODE",
        /// A code to complete the profile.
        InformationCompletionVerifyCode = "INFORMATION_COMPLETION_VERIFY_CODE",
    }
);
