//! The administrator's view of users' MFA: [`Mfa`], from [`ManagementClient::mfa`].

use serde::Serialize;

use super::ManagementClient;
use crate::error::{AuthingError, Result};
use crate::models::{MfaAuthenticator, MfaBindType, MfaStatus};
use crate::transport::RestCall;

/// Users' second factors, as the administrator sees them.
#[derive(Debug, Clone, Copy)]
pub struct Mfa<'a> {
    client: &'a ManagementClient,
}

impl ManagementClient {
    /// Users' MFA factors: their status, unbinding, importing a TOTP secret.
    pub fn mfa(&self) -> Mfa<'_> {
        Mfa { client: self }
    }
}

#[derive(Serialize)]
struct UnbindQuery<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportBody<'a> {
    user_id: &'a str,
    secret: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery_code: Option<&'a str>,
}

impl Mfa<'_> {
    /// Which factors a user has bound.
    ///
    /// REST: `GET /api/v2/users/{user_id}/mfa-bound`
    pub async fn status(&self, user_id: &str) -> Result<MfaStatus> {
        self.client.rest(RestCall::get("mfa.status", &["users", user_id, "mfa-bound"])).await
    }

    /// Unbinds a factor of a user.
    ///
    /// REST: `DELETE /api/v2/users/{user_id}/mfa-bound?type=OTP|FACE`
    pub async fn unbind(&self, user_id: &str, kind: MfaBindType) -> Result<()> {
        let query = UnbindQuery { kind: kind.as_str() };
        let call = RestCall::delete("mfa.unbind", &["users", user_id, "mfa-bound"]).query(&query);
        self.client.rest::<_, serde::de::IgnoredAny>(call).await.map(|_| ())
    }

    /// Binds a TOTP authenticator with a secret the user already has (base32, as authenticator apps take it),
    /// and optionally its recovery code; Authing stores both as given.
    ///
    /// REST: `POST /api/v2/mfa/totp/import`
    ///
    /// # Errors
    /// [`AuthingError::Request`] when `user_id` or `secret` is empty; nothing is sent.
    pub async fn import_totp(
        &self,
        user_id: &str,
        secret: &str,
        recovery_code: Option<&str>,
    ) -> Result<MfaAuthenticator> {
        if user_id.trim().is_empty() {
            return Err(AuthingError::request("an empty user id", "import_totp needs the user's id"));
        }
        if secret.trim().is_empty() {
            return Err(AuthingError::request("an empty TOTP secret", "import_totp needs the secret"));
        }
        let body = ImportBody { user_id, secret, recovery_code };
        self.client.rest(RestCall::post("mfa.import_totp", &["mfa", "totp", "import"]).json(&body)?).await
    }
}
