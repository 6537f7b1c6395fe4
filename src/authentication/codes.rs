//! Verification codes sent by SMS and e-mail.

use serde::Serialize;

use super::{Auth, AuthenticationClient};
use crate::error::Result;
use crate::models::{CommonMessage, EmailScene};
use crate::transport::{Operation, RestCall};

const SEND_EMAIL: Operation<'static> = operation!("authentication", "send_email", "send_email.graphql");

impl AuthenticationClient {
    /// Sends a verification code by SMS, for registration, login, password reset or phone binding.
    ///
    /// REST: `POST /api/v2/sms/send`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.send_sms_code("13800000000").await?;
    /// // The emulator keeps the codes it "sends" instead of sending them.
    /// assert!(emulator.verification_code("13800000000").is_some());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (a malformed number, too many codes), or transport errors.
    pub async fn send_sms_code(&self, phone: &str) -> Result<()> {
        #[derive(Serialize)]
        struct Body<'b> {
            phone: &'b str,
        }
        let _: serde::de::IgnoredAny = self
            .rest(
                Auth::Anonymous,
                RestCall::post("authentication.send_sms_code", &["sms", "send"]).json(&Body { phone })?,
            )
            .await?;
        Ok(())
    }

    /// Sends an e-mail for a scene: a reset link or code, a verification, a binding code ...
    ///
    /// GraphQL: `sendEmail`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// use authing::models::EmailScene;
    /// let sent = app.send_email("ada@example.com", EmailScene::ResetPassword).await?;
    /// assert!(sent.is_success());
    /// assert!(emulator.verification_code("ada@example.com").is_some());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (a malformed address), or transport errors.
    pub async fn send_email(&self, email: &str, scene: EmailScene) -> Result<CommonMessage> {
        #[derive(Serialize)]
        struct Vars<'v> {
            email: &'v str,
            scene: EmailScene,
        }
        self.root(Auth::Anonymous, SEND_EMAIL, &Vars { email, scene }).await
    }
}
