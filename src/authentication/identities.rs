//! The logged-in user's identities at external identity providers.

use serde::Serialize;

use super::{Auth, AuthenticationClient};
use crate::error::Result;
use crate::models::LinkedIdentity;
use crate::transport::RestCall;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UnlinkBody<'a> {
    ext_idp_id: &'a str,
}

impl AuthenticationClient {
    /// The logged-in user's identities at external identity providers (social logins, enterprise directories).
    ///
    /// REST: `GET /api/v3/get-identities`
    ///
    /// ```no_run
    /// # async fn demo(app: authing::AuthenticationClient) -> authing::Result<()> {
    /// for identity in app.get_identities().await? {
    ///     println!("{:?} {:?}", identity.provider, identity.user_id_in_idp);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; 2020 for a token the
    /// server refuses.
    pub async fn get_identities(&self) -> Result<Vec<LinkedIdentity>> {
        let call =
            RestCall::get("authentication.get_identities", &[]).under_host_root(&["api", "v3", "get-identities"]);
        Ok(self.rest::<_, _, Option<Vec<LinkedIdentity>>>(Auth::User, call).await?.unwrap_or_default())
    }

    /// Removes the logged-in user's identities of an external identity provider.
    ///
    /// REST: `POST /api/v3/unlink-extidp` `{extIdpId}`
    ///
    /// # Errors
    /// Authing's refusal (400 when the user has no identity of that provider), 2020 without a valid token.
    pub async fn unlink_ext_idp(&self, ext_idp_id: &str) -> Result<()> {
        let call = RestCall::post("authentication.unlink_ext_idp", &[])
            .under_host_root(&["api", "v3", "unlink-extidp"])
            .json(&UnlinkBody { ext_idp_id })?;
        self.rest::<_, _, serde::de::IgnoredAny>(Auth::User, call).await.map(|_| ())
    }
}
