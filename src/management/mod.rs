//! The administrator's client, [`ManagementClient`], and its API areas: [`Users`], [`Udf`], [`Roles`], [`Groups`],
//! [`Policies`], [`Applications`], [`Mfa`], [`Org`], [`Pool`], [`Whitelist`] and [`Statistics`].

mod acl;
mod applications;
mod custom_data;
mod groups;
mod mfa;
mod org;
mod paging;
mod policies;
mod principal;
mod roles;
mod statistics;
mod udf;
mod user_links;
mod userpool;
mod users;
mod users_extra;
mod whitelist;

pub use acl::{
    Acl, AllowBuilder, AllowTarget, AppAccessBuilder, AuthorizedTargetsBuilder, CreateAccessAccountBuilder,
    IsAllowedBuilder, ListAuthorizedResourcesBuilder, ListResourcesBuilder, NamespaceBuilder, ResourceBuilder,
};
pub use applications::{
    ActiveUsersBuilder, Applications, CreateAgreementBuilder, CreateApplicationBuilder, ListApplicationsBuilder,
};
pub use groups::{
    CreateGroupBuilder, Groups, ListGroupResourcesBuilder, ListGroupUsersBuilder, ListGroupsBuilder, UpdateGroupBuilder,
};
pub use mfa::Mfa;
pub use org::AddMembersBuilder;
pub use org::{
    AddNodeBuilder, CreateNodeBuilder, CreateOrgBuilder, GetAllOrgsBuilder, ListMembersBuilder,
    ListNodeResourcesBuilder, ListOrgsBuilder, Org, UpdateNodeBuilder,
};
pub use policies::{
    AddAssignmentsBuilder, CreatePolicyBuilder, ListAssignmentsBuilder, ListPoliciesBuilder, Policies,
    UpdatePolicyBuilder,
};
pub use principal::PrincipalAuthentication;
pub use roles::{
    CreateRoleBuilder, FindRoleUsersBuilder, ListRoleResourcesBuilder, ListRoleUsersBuilder, ListRolesBuilder, Roles,
    UpdateRoleBuilder,
};
pub use statistics::{ListAuditLogsBuilder, Statistics};
pub use udf::{SetUdfBuilder, Udf};
pub use user_links::{HasRoleBuilder, ListUserResourcesBuilder, ListUserRolesBuilder, UserRolesBuilder};
pub use userpool::Pool;
#[cfg(test)]
pub(crate) use users::USERS;
pub use users::{
    BatchGetUsersBuilder, CheckLoginStatusBuilder, CreateUserBuilder, FindUserBuilder, ListArchivedUsersBuilder,
    ListUserActionsBuilder, ListUsersBuilder, LogoutUserBuilder, SearchUsersBuilder, UserDetailBuilder,
    UserExistsBuilder, Users,
};
pub use users_extra::{BatchUsersBuilder, FilterOperator, FilterUsersBuilder, IdentityLinkBuilder, UserFilter};
pub use whitelist::Whitelist;

use std::fmt;
use std::sync::Arc;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::Options;
use crate::error::{AuthingError, Result};
use crate::secret::{AccessToken, Password, Secret};
use crate::transport::{Endpoint, ManagementToken, Operation, RestCall, RestPath, RootField, TokenCache, Transport};

/// Authing's code for "not logged in / token invalid or expired": a management call refused with it gets a new
/// token and is sent once more, mutations included. The server checks the token before anything else, so a call
/// refused with this code has changed nothing and sending it again cannot apply it twice.
const TOKEN_REFUSED: i64 = crate::codes::NOT_LOGGED_IN;

/// Manages a user pool as its administrator.
///
/// Build it once per process; clones are cheap and share the connection pool and the cached management access
/// token, which the client fetches (`accessToken(userPoolId, secret)`) and renews by itself.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// use authing::{ManagementClient, Options};
///
/// let options = Options::builder()
///     .host(emulator.host())
///     .user_pool_id(emulator.user_pool_id())
///     .secret(emulator.secret())
///     .build()?;
/// let management = ManagementClient::new(&options)?;
/// let token = management.get_management_token().await?;
/// assert!(token.exp > token.iat);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ManagementClient {
    pub(crate) transport: Arc<Transport>,
    state: Arc<State>,
}

struct State {
    user_pool_id: String,
    secret: Secret,
    endpoint: Endpoint,
    token: TokenCache,
}

impl fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementClient")
            .field("user_pool_id", &self.state.user_pool_id)
            .field("secret", &self.state.secret)
            .field("token", &self.state.token)
            .field("transport", &self.transport)
            .finish()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccessTokenVars<'a> {
    user_pool_id: &'a str,
    secret: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessTokenData {
    access_token: AccessTokenRes,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessTokenRes {
    access_token: Option<String>,
    exp: Option<i64>,
    iat: Option<i64>,
}

const ACCESS_TOKEN: Operation<'static> = operation!("management", "access_token", "access_token.graphql");

impl ManagementClient {
    /// A management client over the transport of `options`.
    ///
    /// # Errors
    /// [`AuthingError::Config`] naming `user_pool_id` or `secret` when either is missing.
    pub fn new(options: &Options) -> Result<Self> {
        let user_pool_id =
            options.user_pool_id.clone().ok_or_else(|| AuthingError::config("user_pool_id", "is required"))?;
        let secret = options.secret.clone().ok_or_else(|| AuthingError::config("secret", "is required"))?;
        let endpoint = Endpoint::new(&options.host, Some(&user_pool_id), None, options.transport.lang())?;
        Ok(Self {
            transport: options.transport.clone(),
            state: Arc::new(State { user_pool_id, secret, endpoint, token: TokenCache::default() }),
        })
    }

    /// The id of the managed user pool.
    pub fn user_pool_id(&self) -> &str {
        &self.state.user_pool_id
    }

    /// The management access token, from the cache while it is fresh, else newly issued. Calling it is the way
    /// to check the user-pool id and secret.
    ///
    /// GraphQL: `accessToken`
    ///
    /// # Errors
    /// [`AuthingError::Api`] when Authing refuses the credentials; transport errors otherwise.
    pub async fn get_management_token(&self) -> Result<ManagementToken> {
        self.state.token.get(|| self.fetch_token()).await
    }

    async fn fetch_token(&self) -> Result<ManagementToken> {
        let vars = AccessTokenVars { user_pool_id: &self.state.user_pool_id, secret: self.state.secret.expose() };
        let data: AccessTokenData = self.transport.graphql(&self.state.endpoint, None, ACCESS_TOKEN, &vars).await?;
        let AccessTokenRes { access_token: Some(token), exp: Some(exp), iat } = data.access_token else {
            return Err(AuthingError::decode(200, b"", "accessToken returned no token or no expiry"));
        };
        Ok(ManagementToken { access_token: AccessToken::new(token), exp, iat: iat.unwrap_or(exp) })
    }

    /// Runs a GraphQL document of your own with the management token and decodes its `data` into `T`: the way to
    /// reach an operation this crate does not wrap yet. A query is retried on transient failures; a mutation
    /// (the document's first operation decides) never is once it may have reached the server.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// #[derive(serde::Deserialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct Exists {
    ///     is_user_exists: Option<bool>,
    /// }
    /// let data: Exists = management
    ///     .graphql(
    ///         "query exists($username: String) { isUserExists(username: $username) }",
    ///         &serde_json::json!({ "username": "nobody" }),
    ///     )
    ///     .await?;
    /// assert_eq!(data.is_user_exists, Some(false));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::Api`] for Authing's refusals (any `errors` entry), decode errors when `data` is not a `T`.
    pub async fn graphql<T: DeserializeOwned>(&self, document: &str, variables: &impl Serialize) -> Result<T> {
        self.request(Operation::new("graphql", document), variables).await
    }

    /// Sends a REST `GET` of your own to `{host}/api/v2/{path}` (query string included; a path starting with `/`
    /// is taken from the host's root instead) with the management token, and decodes the envelope's `data` into `T`.
    ///
    /// REST: `GET /api/v2/{path}`
    ///
    /// # Errors
    /// [`AuthingError::Api`] when the envelope's code is not 200; decode errors when `data` is not a `T`.
    pub async fn rest_get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.rest(RestCall::new("rest", Method::GET, RestPath::Raw(path))).await
    }

    /// Sends a REST `POST` of your own with a JSON body; see [`rest_get`](Self::rest_get). Never retried once it
    /// may have reached the server.
    ///
    /// REST: `POST /api/v2/{path}`
    ///
    /// # Errors
    /// As [`rest_get`](Self::rest_get).
    pub async fn rest_post<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T> {
        self.rest(RestCall::new("rest", Method::POST, RestPath::Raw(path)).json(body)?).await
    }

    /// Encrypts a password with the user pool's public key, as every call that sends a password does by itself;
    /// useful with [`graphql`](Self::graphql).
    ///
    /// # Errors
    /// [`AuthingError::Encryption`] when the password is too long for the key (117 bytes for 1024-bit keys);
    /// transport errors while the key is discovered.
    pub async fn encrypt_password(&self, password: &Password) -> Result<String> {
        self.transport.encrypt_password(password).await
    }

    /// Runs a management GraphQL operation and returns the value of its root field.
    pub(crate) async fn root<V: Serialize, T: DeserializeOwned>(
        &self,
        operation: Operation<'_>,
        variables: &V,
    ) -> Result<T> {
        let RootField(value) = self.request(operation, variables).await?;
        Ok(value)
    }

    /// Runs a GraphQL operation with the management token; a refusal of the token renews it and retries once.
    pub(crate) async fn request<V: Serialize, T: DeserializeOwned>(
        &self,
        operation: Operation<'_>,
        variables: &V,
    ) -> Result<T> {
        let endpoint = &self.state.endpoint;
        self.with_token(
            |token| async move { self.transport.graphql(endpoint, Some(&token), operation, variables).await },
        )
        .await
    }

    /// Runs a REST call with the management token; a refusal of the token renews it and retries once.
    pub(crate) async fn rest<Q: Serialize + ?Sized, T: DeserializeOwned>(&self, call: RestCall<'_, Q>) -> Result<T> {
        let endpoint = &self.state.endpoint;
        let call = &call;
        self.with_token(|token| async move { self.transport.rest(endpoint, Some(&token), call).await }).await
    }

    async fn with_token<T, F, Fut>(&self, send: F) -> Result<T>
    where
        F: Fn(AccessToken) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        self.transport.within_operation(self.renewing_token_once(send)).await
    }

    async fn renewing_token_once<T, F, Fut>(&self, send: F) -> Result<T>
    where
        F: Fn(AccessToken) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let token = self.get_management_token().await?.access_token;
        match send(token.clone()).await {
            Err(e) if e.code() == Some(TOKEN_REFUSED) => {
                tracing::debug!("management token refused; renewing it once");
                self.state.token.invalidate(&token);
                let token = self.get_management_token().await?.access_token;
                send(token).await
            }
            other => other,
        }
    }
}
