//! Multi-factor authentication of the end user: the authenticators (TOTP, face) and the second step of a login
//! that answered [`AuthingError::MfaRequired`](crate::AuthingError::MfaRequired).
//!
//! The calls that manage authenticators act for the logged-in user (the client's token) or, given
//! `Some(mfa_token)`, for the user in the middle of a login (so that a user who has no authenticator yet can
//! associate one). The verify calls take the MFA token of the challenge, end the login and return the user with
//! a token, which the client keeps, as a login does.
//!
//! Face factors: the service compares face photos; [`authing-emulator`] has no face engine and accepts a
//! verification whose photo URL is one of the two given at association.
//!
//! [`authing-emulator`]: https://github.com/authing/authing-rust/tree/main/emulator

use serde::Serialize;

use super::{Auth, AuthenticationClient};
use crate::error::Result;
use crate::models::{MfaAuthenticator, TotpAssociation, User};
use crate::secret::{AccessToken, MfaToken};
use crate::transport::RestCall;

#[derive(Serialize)]
struct AuthenticatorQuery<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AssociateBody<'a> {
    authenticator_type: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConfirmBody<'a> {
    authenticator_type: &'a str,
    source: &'a str,
    totp: &'a str,
}

#[derive(Serialize)]
struct TotpBody<'a> {
    totp: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecoveryBody<'a> {
    recovery_code: &'a str,
}

#[derive(Serialize)]
struct ContactBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FaceAssociateBody<'a> {
    #[serde(rename = "photoA")]
    photo_a: &'a str,
    #[serde(rename = "photoB")]
    photo_b: &'a str,
    is_external: bool,
}

#[derive(Serialize)]
struct FaceBody<'a> {
    photo: &'a str,
}

/// The authenticator kind and source the SDK asks for: a TOTP app of the user's own.
const TOTP: &str = "totp";
const SELF: &str = "SELF";

impl AuthenticationClient {
    /// Sends a call with the MFA token when given, else with the user's token.
    async fn mfa_call<Q: Serialize + ?Sized, T: serde::de::DeserializeOwned>(
        &self,
        mfa_token: Option<&MfaToken>,
        call: RestCall<'_, Q>,
    ) -> Result<T> {
        match mfa_token {
            Some(token) => {
                let token = AccessToken::new(token.expose());
                self.transport.rest(&self.app.endpoint, Some(&token), &call).await
            }
            None => self.rest(Auth::User, call).await,
        }
    }

    /// Ends a login with a second factor: the user returned carries a token, which this client keeps.
    async fn finish_mfa<Q: Serialize + ?Sized>(&self, mfa_token: &MfaToken, call: RestCall<'_, Q>) -> Result<User> {
        let user: User = self.mfa_call(Some(mfa_token), call).await?;
        if let Some(token) = &user.token {
            self.set_token(Some(token.clone()));
        }
        Ok(user)
    }

    /// The user's bound TOTP authenticators (`[]` when none).
    ///
    /// REST: `GET /api/v2/mfa/authenticator?type=totp&source=SELF` (the user's token, or `mfa_token`)
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without `mfa_token` and without a user token.
    pub async fn get_mfa_authenticators(&self, mfa_token: Option<&MfaToken>) -> Result<Vec<MfaAuthenticator>> {
        let query = AuthenticatorQuery { kind: TOTP, source: SELF };
        let call = RestCall::get("authentication.get_mfa_authenticators", &["mfa", "authenticator"]).query(&query);
        Ok(self.mfa_call::<_, Option<Vec<MfaAuthenticator>>>(mfa_token, call).await?.unwrap_or_default())
    }

    /// Starts associating a TOTP authenticator: the secret, its `otpauth://` URI (for a QR code) and the recovery
    /// code. The association takes effect with [`confirm_totp`](Self::confirm_totp).
    ///
    /// REST: `POST /api/v2/mfa/totp/associate` (the user's token, or `mfa_token`)
    pub async fn associate_totp(&self, mfa_token: Option<&MfaToken>) -> Result<TotpAssociation> {
        let call = RestCall::post("authentication.associate_totp", &["mfa", "totp", "associate"])
            .json(&AssociateBody { authenticator_type: TOTP, source: SELF })?;
        self.mfa_call(mfa_token, call).await
    }

    /// Confirms the association started by [`associate_totp`](Self::associate_totp) with a code from the
    /// authenticator app. A wrong code: [`codes::WRONG_TOTP`](crate::codes::WRONG_TOTP).
    ///
    /// REST: `POST /api/v2/mfa/totp/associate/confirm` (the user's token, or `mfa_token`)
    pub async fn confirm_totp(&self, totp: &str, mfa_token: Option<&MfaToken>) -> Result<()> {
        let call = RestCall::post("authentication.confirm_totp", &["mfa", "totp", "associate", "confirm"])
            .json(&ConfirmBody { authenticator_type: TOTP, source: SELF, totp })?;
        self.mfa_call::<_, serde::de::IgnoredAny>(mfa_token, call).await.map(|_| ())
    }

    /// Unbinds the logged-in user's TOTP authenticator.
    ///
    /// REST: `DELETE /api/v2/mfa/totp/associate` (the user's token)
    pub async fn delete_mfa_authenticator(&self) -> Result<()> {
        let call = RestCall::delete("authentication.delete_mfa_authenticator", &["mfa", "totp", "associate"]);
        self.rest::<(), (), serde::de::IgnoredAny>(Auth::User, call).await.map(|_| ())
    }

    /// Ends a login with a code of the user's TOTP app. A wrong code, or one already used:
    /// [`codes::WRONG_TOTP`](crate::codes::WRONG_TOTP); an expired MFA token:
    /// [`codes::NOT_LOGGED_IN`](crate::codes::NOT_LOGGED_IN).
    ///
    /// REST: `POST /api/v2/mfa/totp/verify` (`mfa_token`)
    pub async fn verify_totp_mfa(&self, totp: &str, mfa_token: &MfaToken) -> Result<User> {
        let call =
            RestCall::post("authentication.verify_totp_mfa", &["mfa", "totp", "verify"]).json(&TotpBody { totp })?;
        self.finish_mfa(mfa_token, call).await
    }

    /// Ends a login with the recovery code of the user's TOTP authenticator (usable once; a used or wrong one:
    /// [`codes::WRONG_TOTP`](crate::codes::WRONG_TOTP)).
    ///
    /// REST: `POST /api/v2/mfa/totp/recovery` (`mfa_token`)
    pub async fn verify_totp_recovery_code(&self, recovery_code: &str, mfa_token: &MfaToken) -> Result<User> {
        let call = RestCall::post("authentication.verify_totp_recovery_code", &["mfa", "totp", "recovery"])
            .json(&RecoveryBody { recovery_code })?;
        self.finish_mfa(mfa_token, call).await
    }

    /// Ends a login with a code sent by SMS to `phone` (see [`send_sms_code`](Self::send_sms_code)): the user's
    /// phone, or a new one that [`phone_or_email_bindable`](Self::phone_or_email_bindable) accepts, which is then
    /// bound. A wrong code: [`codes::VERIFICATION_FAILED`](crate::codes::VERIFICATION_FAILED).
    ///
    /// REST: `POST /api/v2/applications/mfa/sms/verify` (`mfa_token`)
    pub async fn verify_app_sms_mfa(&self, phone: &str, code: &str, mfa_token: &MfaToken) -> Result<User> {
        let call = RestCall::post("authentication.verify_app_sms_mfa", &["applications", "mfa", "sms", "verify"])
            .json(&ContactBody { phone: Some(phone), email: None, code: Some(code) })?;
        self.finish_mfa(mfa_token, call).await
    }

    /// Ends a login with a code sent by e-mail to `email` (see [`send_email`](Self::send_email)), as
    /// [`verify_app_sms_mfa`](Self::verify_app_sms_mfa) does for a phone.
    ///
    /// REST: `POST /api/v2/applications/mfa/email/verify` (`mfa_token`)
    pub async fn verify_app_email_mfa(&self, email: &str, code: &str, mfa_token: &MfaToken) -> Result<User> {
        let call = RestCall::post("authentication.verify_app_email_mfa", &["applications", "mfa", "email", "verify"])
            .json(&ContactBody { phone: None, email: Some(email), code: Some(code) })?;
        self.finish_mfa(mfa_token, call).await
    }

    /// Whether a phone and/or an e-mail address can serve as the second factor of the login: the user's own, or
    /// one no other user has while the user has none. Refused otherwise (another user's phone:
    /// [`codes::PHONE_EXISTS`](crate::codes::PHONE_EXISTS)).
    ///
    /// REST: `POST /api/v2/applications/mfa/check` (`mfa_token`)
    pub async fn phone_or_email_bindable(
        &self,
        mfa_token: &MfaToken,
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Result<bool> {
        let call = RestCall::post("authentication.phone_or_email_bindable", &["applications", "mfa", "check"])
            .json(&ContactBody { phone, email, code: None })?;
        Ok(self.mfa_call::<_, Option<bool>>(Some(mfa_token), call).await?.unwrap_or(false))
    }

    /// Binds a face from two photos given by URL (see the [module docs](self) for what the emulator checks).
    ///
    /// REST: `POST /api/v2/mfa/face/associate` `{photoA, photoB, isExternal: true}` (the user's token, or
    /// `mfa_token`)
    pub async fn associate_face_by_url(
        &self,
        base_face: &str,
        compare_face: &str,
        mfa_token: Option<&MfaToken>,
    ) -> Result<()> {
        let call = RestCall::post("authentication.associate_face_by_url", &["mfa", "face", "associate"])
            .json(&FaceAssociateBody { photo_a: base_face, photo_b: compare_face, is_external: true })?;
        self.mfa_call::<_, serde::de::IgnoredAny>(mfa_token, call).await.map(|_| ())
    }

    /// Ends a login with a face photo given by URL.
    ///
    /// REST: `POST /api/v2/mfa/face/associate` `{photo}` (`mfa_token`), the path the official SDK uses
    pub async fn verify_face_mfa(&self, photo: &str, mfa_token: &MfaToken) -> Result<User> {
        let call = RestCall::post("authentication.verify_face_mfa", &["mfa", "face", "associate"])
            .json(&FaceBody { photo })?;
        self.finish_mfa(mfa_token, call).await
    }
}
