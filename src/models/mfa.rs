//! Multi-factor authentication: the challenge of a login that needs a second factor, authenticators and their
//! status.

use serde::Deserialize;

use super::udf::wire_enum;
use crate::error::ApiError;
use crate::secret::{MfaToken, Secret};

wire_enum!(
    /// A second factor a login may be completed with (`applicationMfa[].mfaPolicy`).
    MfaFactor {
        /// A time-based one-time password from an authenticator app (TOTP), or its recovery code.
        Otp = "OTP",
        /// A code sent by SMS.
        Sms = "SMS",
        /// A code sent by e-mail.
        Email = "EMAIL",
        /// A face photo.
        Face = "FACE",
    }
);

wire_enum!(
    /// The kind of factor the administrator unbinds from a user.
    MfaBindType {
        /// The TOTP authenticator.
        Otp = "OTP",
        /// The face.
        Face = "FACE",
    }
);

/// What Authing sends with a login refused for MFA (code 1635): the MFA token and the factors on offer.
///
/// It reaches the caller as [`AuthingError::MfaRequired`](crate::AuthingError::MfaRequired). Finish the login
/// with the factor the user gives, passing [`token`](Self::token) to one of the verify calls of
/// [`AuthenticationClient`](crate::AuthenticationClient) (`verify_totp_mfa`, `verify_totp_recovery_code`,
/// `verify_app_sms_mfa`, `verify_app_email_mfa`, `verify_face_mfa`). The token is redacted in `Debug`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MfaChallenge {
    /// The MFA token: accepted only by the MFA calls, and only for a few minutes.
    pub token: MfaToken,
    /// The factors the login may be completed with, in the order Authing gives them.
    pub factors: Vec<MfaFactor>,
    /// Whether the user has a TOTP authenticator bound (if not, one can be associated with the MFA token).
    pub totp_bound: bool,
    /// Whether the user has a face bound.
    pub face_bound: bool,
    /// The user's phone, if any (where an SMS code would go).
    pub phone: Option<String>,
    /// The user's e-mail address, if any (where an e-mail code would go).
    pub email: Option<String>,
    /// Authing's refusal itself (code 1635, its message and HTTP status).
    pub refusal: ApiError,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChallengeData {
    mfa_token: Option<MfaToken>,
    #[serde(default)]
    application_mfa: Vec<Policy>,
    #[serde(default)]
    totp_mfa_enabled: Option<bool>,
    #[serde(default)]
    face_mfa_enabled: Option<bool>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Policy {
    mfa_policy: MfaFactor,
    #[serde(default)]
    status: Option<i64>,
}

impl MfaChallenge {
    /// The challenge in a 1635 refusal whose `data` carries an MFA token; `None` otherwise.
    pub(crate) fn from_refusal(refusal: &ApiError) -> Option<Self> {
        if refusal.code != crate::codes::MFA_REQUIRED {
            return None;
        }
        let data = ChallengeData::deserialize(refusal.data()?).ok()?;
        let token = data.mfa_token.filter(|t| !t.expose().is_empty())?;
        let factors = data
            .application_mfa
            .into_iter()
            .filter(|p| p.status.is_none_or(|s| s != 0))
            .map(|p| p.mfa_policy)
            .collect();
        Some(Self {
            token,
            factors,
            totp_bound: data.totp_mfa_enabled.unwrap_or(false),
            face_bound: data.face_mfa_enabled.unwrap_or(false),
            phone: data.phone,
            email: data.email,
            refusal: refusal.clone(),
        })
    }

    /// Whether the login may be completed with `factor`.
    pub fn offers(&self, factor: &MfaFactor) -> bool {
        self.factors.contains(factor)
    }
}

/// A bound MFA authenticator (`GET /api/v2/mfa/authenticator`, `POST /api/v2/mfa/totp/import`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MfaAuthenticator {
    /// Its id.
    pub id: String,
    /// The user it belongs to.
    pub user_id: String,
    /// Whether it is enabled.
    #[serde(default)]
    pub enable: bool,
    /// The kind (`totp`).
    pub authenticator_type: String,
    /// The base32 TOTP secret.
    #[serde(default)]
    pub secret: Option<Secret>,
    /// The recovery code.
    #[serde(default)]
    pub recovery_code: Option<Secret>,
    /// When it was bound (ISO-8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it was last changed (ISO-8601).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// A TOTP authenticator being associated (`POST /api/v2/mfa/totp/associate`): show the URI (as a QR code) or the
/// secret to the user, keep the recovery code, then confirm with a code from the app.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct TotpAssociation {
    /// The kind (`totp`).
    pub authenticator_type: String,
    /// The base32 secret.
    pub secret: Secret,
    /// The `otpauth://totp/...` URI (it contains the secret).
    #[serde(rename = "qrcode_uri")]
    pub otpauth_uri: Secret,
    /// The QR code as a `data:` URL, when Authing sends one.
    #[serde(default)]
    pub qrcode_data_url: Option<String>,
    /// The recovery code: usable once, when the authenticator app is lost.
    pub recovery_code: Secret,
}

/// Which factors a user has bound (`GET /api/v2/users/{id}/mfa-bound`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MfaStatus {
    /// A TOTP authenticator.
    #[serde(rename = "OTP", default)]
    pub otp: bool,
    /// A face.
    #[serde(rename = "FACE", default)]
    pub face: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_1635_refusal_with_a_token_is_a_challenge() {
        let data = serde_json::json!({
            "mfaToken": "tok", "totpMfaEnabled": true, "phone": "138",
            "applicationMfa": [{"mfaPolicy": "OTP", "status": 1}, {"mfaPolicy": "SMS", "status": 0},
                               {"mfaPolicy": "PUSH", "status": 1}]
        });
        let refusal = ApiError::new(1635, "mfa", 200).with_data(Some(data));
        let challenge = MfaChallenge::from_refusal(&refusal).unwrap();
        assert_eq!(challenge.token.expose(), "tok");
        assert_eq!(challenge.factors, [MfaFactor::Otp, MfaFactor::Unknown("PUSH".into())]);
        assert!(challenge.totp_bound && !challenge.face_bound);
        assert!(!format!("{challenge:?}").contains("tok\""));
        assert!(MfaChallenge::from_refusal(&ApiError::new(1635, "mfa", 200)).is_none());
        let other = ApiError::new(2333, "x", 200).with_data(Some(serde_json::json!({"mfaToken": "t"})));
        assert!(MfaChallenge::from_refusal(&other).is_none());
    }
}
