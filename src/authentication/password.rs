//! Password reset (by code or one-time token), update, and strength.

use serde::Serialize;

use super::{Auth, AuthenticationClient};
use crate::error::Result;
use crate::models::{CommonMessage, PasswordSecurityLevel, PasswordStrength, User};
use crate::secret::Password;
use crate::transport::Operation;

const RESET_PASSWORD: Operation<'static> = operation!("authentication", "reset_password", "reset_password.graphql");
const RESET_BY_FIRST_LOGIN_TOKEN: Operation<'static> =
    operation!("authentication", "reset_password_by_first_login_token", "reset_password_by_first_login_token.graphql");
const RESET_BY_FORCE_RESET_TOKEN: Operation<'static> =
    operation!("authentication", "reset_password_by_force_reset_token", "reset_password_by_force_reset_token.graphql");
const UPDATE_PASSWORD: Operation<'static> =
    operation!("authentication", "update_password", "update_password.graphql", "user.graphql");
const CHECK_PASSWORD_STRENGTH: Operation<'static> =
    operation!("authentication", "check_password_strength", "check_password_strength.graphql");

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResetVars<'v> {
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'v str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'v str>,
    code: &'v str,
    new_password: String,
}

impl AuthenticationClient {
    /// Sets a new password with the code sent by SMS to the user's phone.
    ///
    /// GraphQL: `resetPassword`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.send_sms_code("13800000000").await?;
    /// let code = emulator.verification_code("13800000000").unwrap();
    /// app.register_by_phone_code("13800000000", &code).password("Old-Passw0rd").send().await?;
    ///
    /// app.send_sms_code("13800000000").await?;
    /// let code = emulator.verification_code("13800000000").unwrap();
    /// app.reset_password_by_phone_code("13800000000", &code, "New-Passw0rd").await?;
    /// app.login_by_phone_password("13800000000", "New-Passw0rd").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (a wrong, used or expired code; an unknown user), or encryption and transport errors.
    pub async fn reset_password_by_phone_code(
        &self,
        phone: &str,
        code: &str,
        new_password: impl Into<Password>,
    ) -> Result<Option<CommonMessage>> {
        let new_password = self.encrypt_password(&new_password.into()).await?;
        let vars = ResetVars { phone: Some(phone), email: None, code, new_password };
        self.root(Auth::Anonymous, RESET_PASSWORD, &vars).await
    }

    /// Sets a new password with the code sent by e-mail (scene `RESET_PASSWORD`).
    ///
    /// GraphQL: `resetPassword`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// use authing::models::EmailScene;
    /// app.register_by_email("ada@example.com", "Old-Passw0rd").send().await?;
    /// app.send_email("ada@example.com", EmailScene::ResetPassword).await?;
    /// let code = emulator.verification_code("ada@example.com").unwrap();
    /// app.reset_password_by_email_code("ada@example.com", &code, "New-Passw0rd").await?;
    /// app.login_by_email("ada@example.com", "New-Passw0rd").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (a wrong, used or expired code; an unknown user), or encryption and transport errors.
    pub async fn reset_password_by_email_code(
        &self,
        email: &str,
        code: &str,
        new_password: impl Into<Password>,
    ) -> Result<Option<CommonMessage>> {
        let new_password = self.encrypt_password(&new_password.into()).await?;
        let vars = ResetVars { phone: None, email: Some(email), code, new_password };
        self.root(Auth::Anonymous, RESET_PASSWORD, &vars).await
    }

    /// Changes the logged-in user's password; the old one must be given when one is set.
    ///
    /// GraphQL: `updatePassword`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_username("ada", "Old-Passw0rd").force_login(true).send().await?;
    /// app.update_password("New-Passw0rd", Some("Old-Passw0rd")).await?;
    /// app.login_by_username("ada", "New-Passw0rd").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; Authing's refusal (a wrong
    /// old password), or encryption and transport errors.
    pub async fn update_password(&self, new_password: impl Into<Password>, old_password: Option<&str>) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars {
            new_password: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            old_password: Option<String>,
            with_custom_data: bool,
        }
        self.token_for(Auth::User)?;
        let new_password = self.encrypt_password(&new_password.into()).await?;
        let old_password = match old_password {
            Some(old) => Some(self.encrypt_password(&Password::new(old)).await?),
            None => None,
        };
        let vars = Vars { new_password, old_password, with_custom_data: false };
        self.root(Auth::User, UPDATE_PASSWORD, &vars).await
    }

    /// Sets the password of a user who must choose one at first login, with the token Authing gave for that.
    ///
    /// GraphQL: `resetPasswordByFirstLoginToken`
    ///
    /// ```no_run
    /// # async fn demo(app: authing::AuthenticationClient, first_login_token: &str) -> authing::Result<()> {
    /// app.reset_password_by_first_login_token(first_login_token, "New-Passw0rd").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an invalid token, a weak password), or encryption and transport errors.
    pub async fn reset_password_by_first_login_token(
        &self,
        token: &str,
        password: impl Into<Password>,
    ) -> Result<Option<CommonMessage>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            token: &'v str,
            password: String,
        }
        let password = self.encrypt_password(&password.into()).await?;
        self.root(Auth::Anonymous, RESET_BY_FIRST_LOGIN_TOKEN, &Vars { token, password }).await
    }

    /// Changes a password Authing requires to be changed (code 2058 at login), with the token it gave for that.
    ///
    /// GraphQL: `resetPasswordByForceResetToken`
    ///
    /// ```no_run
    /// # async fn demo(app: authing::AuthenticationClient, force_reset_token: &str) -> authing::Result<()> {
    /// app.reset_password_by_force_reset_token(force_reset_token, "Old-Passw0rd", "New-Passw0rd").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an invalid token, a wrong old password), or encryption and transport errors.
    pub async fn reset_password_by_force_reset_token(
        &self,
        token: &str,
        old_password: impl Into<Password>,
        new_password: impl Into<Password>,
    ) -> Result<Option<CommonMessage>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            token: &'v str,
            old_password: String,
            new_password: String,
        }
        let old_password = self.encrypt_password(&old_password.into()).await?;
        let new_password = self.encrypt_password(&new_password.into()).await?;
        self.root(Auth::Anonymous, RESET_BY_FORCE_RESET_TOKEN, &Vars { token, old_password, new_password }).await
    }

    /// Asks Authing whether a password satisfies the pool's rule. The password travels in clear (as Authing
    /// expects for this call).
    ///
    /// GraphQL: `checkPasswordStrength`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// assert!(app.check_password_strength("Tr0ub4dor&3-Horse").await?.valid);
    /// assert!(!app.check_password_strength("abc123").await?.valid);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn check_password_strength(&self, password: &str) -> Result<PasswordStrength> {
        #[derive(Serialize)]
        struct Vars<'v> {
            password: &'v str,
        }
        self.root(Auth::Anonymous, CHECK_PASSWORD_STRENGTH, &Vars { password }).await
    }

    /// How strong a password looks, judged here without a request: high for 12+ characters with lower-case,
    /// upper-case letters and digits; middle for 8+ with letters and digits; low otherwise.
    ///
    /// ```
    /// use authing::models::PasswordSecurityLevel;
    /// use authing::AuthenticationClient;
    /// assert_eq!(AuthenticationClient::compute_password_security_level("Tr0ub4dorHorse"), PasswordSecurityLevel::High);
    /// assert_eq!(AuthenticationClient::compute_password_security_level("troub4dor"), PasswordSecurityLevel::Middle);
    /// assert_eq!(AuthenticationClient::compute_password_security_level("123456"), PasswordSecurityLevel::Low);
    /// ```
    pub fn compute_password_security_level(password: &str) -> PasswordSecurityLevel {
        let length = password.chars().count();
        let lower = password.chars().any(|c| c.is_ascii_lowercase());
        let upper = password.chars().any(|c| c.is_ascii_uppercase());
        let digit = password.chars().any(|c| c.is_ascii_digit());
        if length >= 12 && lower && upper && digit {
            PasswordSecurityLevel::High
        } else if length >= 8 && (lower || upper) && digit {
            PasswordSecurityLevel::Middle
        } else {
            PasswordSecurityLevel::Low
        }
    }
}
