//! The logged-in user's identities at external identity providers.

use serde::{Deserialize, Serialize};
use url::Url;

use super::{Auth, AuthenticationClient};
use crate::error::Result;
use crate::models::LinkedIdentity;
use crate::transport::RestCall;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UnlinkBody<'a> {
    ext_idp_id: &'a str,
}

#[derive(Serialize)]
struct LinkUrlQuery<'a> {
    ext_idp_conn_identifier: &'a str,
    id_token: &'a str,
    app_id: Option<&'a str>,
}

#[derive(Deserialize)]
struct LinkUrl {
    url: Url,
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

    /// The address of the page that links the logged-in user to an identity at an external identity provider's
    /// connection: open it in the user's browser. `id_token` is the user's id token (the login token); Authing does
    /// not check the connection identifier here, the page does.
    ///
    /// REST: `GET /api/v3/generate-link-extidp-url?ext_idp_conn_identifier=&id_token=&app_id=`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// let user = app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// let token = user.token.expect("a login token");
    /// let url = app.generate_link_ext_idp_url("github", token.expose()).await?;
    /// assert!(url.query_pairs().any(|(key, _)| key == "id_token"));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; 2020 for a token the
    /// server refuses; 400 for a blank identifier or id token.
    pub async fn generate_link_ext_idp_url(&self, ext_idp_conn_identifier: &str, id_token: &str) -> Result<Url> {
        let query = LinkUrlQuery { ext_idp_conn_identifier, id_token, app_id: self.app_id() };
        let call = RestCall::get("authentication.generate_link_ext_idp_url", &[])
            .under_host_root(&["api", "v3", "generate-link-extidp-url"])
            .query(&query);
        let answer: LinkUrl = self.rest(Auth::User, call).await?;
        Ok(answer.url)
    }
}
