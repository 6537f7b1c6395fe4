//! Principal (real-name) authentication of users, as the administrator sees it: [`PrincipalAuthentication`],
//! from [`ManagementClient::principal_authentication`].

use super::ManagementClient;
use crate::error::{AuthingError, Result};
use crate::models::{PrincipalDetail, PrincipalInfo};
use crate::transport::RestCall;

/// Users' principal authentication: a person (name, identity card, bank card) or an enterprise (name, unified
/// social credit code, legal representative) behind an account.
#[derive(Debug, Clone, Copy)]
pub struct PrincipalAuthentication<'a> {
    client: &'a ManagementClient,
}

impl ManagementClient {
    /// Users' principal (real-name) authentication: their records, and submitting one for a user.
    pub fn principal_authentication(&self) -> PrincipalAuthentication<'_> {
        PrincipalAuthentication { client: self }
    }
}

fn user_id_given(user_id: &str) -> Result<()> {
    if user_id.trim().is_empty() {
        return Err(AuthingError::request("an empty user id", "principal authentication needs the user's id"));
    }
    Ok(())
}

impl PrincipalAuthentication<'_> {
    /// A user's principal authentication record; `None` when the user has none.
    ///
    /// REST: `GET /api/v2/users/{user_id}/management/principal_authentication`
    ///
    /// ```no_run
    /// # async fn demo(management: authing::ManagementClient) -> authing::Result<()> {
    /// if let Some(record) = management.principal_authentication().detail("USER_ID").await? {
    ///     println!("{:?} {:?}", record.principal_type, record.principal_name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::Request`] for an empty `user_id` (nothing is sent); 2004 for an unknown user.
    pub async fn detail(&self, user_id: &str) -> Result<Option<PrincipalDetail>> {
        user_id_given(user_id)?;
        let path = ["users", user_id, "management", "principal_authentication"];
        self.client.rest(RestCall::get("principal_authentication.detail", &path)).await
    }

    /// Submits a principal authentication for a user: a person or an enterprise.
    ///
    /// REST: `POST /api/v2/users/{user_id}/management/principal_authentication` `{type, name, idCard, ext}`
    ///
    /// ```no_run
    /// # async fn demo(management: authing::ManagementClient) -> authing::Result<()> {
    /// use authing::models::PrincipalInfo;
    /// let info = PrincipalInfo::enterprise("Example Ltd", "91350100M000100Y43", "李四");
    /// management.principal_authentication().authenticate("USER_ID", &info).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::Request`] for an empty `user_id` (nothing is sent); Authing's refusal of the submission (400
    /// when a number does not have the right form), 2004 for an unknown user.
    pub async fn authenticate(&self, user_id: &str, info: &PrincipalInfo) -> Result<()> {
        user_id_given(user_id)?;
        let path = ["users", user_id, "management", "principal_authentication"];
        let call = RestCall::post("principal_authentication.authenticate", &path).json(&info.wire())?;
        self.client.rest::<_, serde::de::IgnoredAny>(call).await.map(|_| ())
    }
}
