//! Principal (real-name) authentication of the logged-in user: [`PrincipalAuthentication`], from
//! [`AuthenticationClient::principal_authentication`].

use super::{Auth, AuthenticationClient};
use crate::error::Result;
use crate::models::{PrincipalDetail, PrincipalInfo};
use crate::transport::RestCall;

/// The logged-in user's principal authentication (the client's token).
#[derive(Debug, Clone, Copy)]
pub struct PrincipalAuthentication<'a> {
    client: &'a AuthenticationClient,
}

impl AuthenticationClient {
    /// The logged-in user's principal (real-name) authentication: its record, and submitting one.
    pub fn principal_authentication(&self) -> PrincipalAuthentication<'_> {
        PrincipalAuthentication { client: self }
    }
}

impl PrincipalAuthentication<'_> {
    /// The user's principal authentication record; `None` when the user has none.
    ///
    /// REST: `GET /api/v2/users/principal_authentication`
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; 2020 for a token the
    /// server refuses.
    pub async fn detail(&self) -> Result<Option<PrincipalDetail>> {
        let call = RestCall::get("authentication.principal_detail", &["users", "principal_authentication"]);
        self.client.rest(Auth::User, call).await
    }

    /// Submits the user's principal authentication: a person or an enterprise.
    ///
    /// REST: `POST /api/v2/users/principal_authentication` `{type, name, idCard, ext}`
    ///
    /// ```no_run
    /// # async fn demo(app: authing::AuthenticationClient) -> authing::Result<()> {
    /// use authing::models::PrincipalInfo;
    /// let info = PrincipalInfo::person("张三", "11010119900307123X", "6222020000000000000");
    /// app.principal_authentication().authenticate(&info).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal of the submission (400 when a number does not have the right form), 2020 without a valid
    /// token.
    pub async fn authenticate(&self, info: &PrincipalInfo) -> Result<()> {
        let call = RestCall::post("authentication.principal_authenticate", &["users", "principal_authentication"])
            .json(&info.wire())?;
        self.client.rest::<_, _, serde::de::IgnoredAny>(Auth::User, call).await.map(|_| ())
    }
}
