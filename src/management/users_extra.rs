//! The user calls only the JS SDK had (PROTOCOL b.15): the REST batch lookup, filtering, tenants, identities
//! linked by the administrator, and resignation.

use serde::Serialize;

use super::ManagementClient;
use super::paging::{PageLimit, first_page, page_setters, paged_vars, strings};
use super::users::Users;
use crate::error::{AuthingError, Result};
use crate::models::{BatchField, User};
use crate::page::Page;
use crate::transport::RestCall;

/// How a filter condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum FilterOperator {
    /// Equal.
    #[serde(rename = "EQ")]
    Eq,
    /// Not equal.
    #[serde(rename = "NEQ")]
    Neq,
}

#[derive(Debug, Clone, Serialize)]
struct FilterField {
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

/// One condition of [`Users::filter`], sent as `[{type, value}, OP, operand]`.
///
/// ```
/// use authing::management::{FilterOperator, UserFilter};
/// let adults = UserFilter::custom_field("age", FilterOperator::Neq, 0);
/// let of_app = UserFilter::application("APP_ID");
/// # let _ = (adults, of_app);
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct UserFilter(FilterField, FilterOperator, serde_json::Value);

impl UserFilter {
    /// A custom field (`userDefinedFields`) of the users compared with `value`.
    pub fn custom_field(key: impl Into<String>, op: FilterOperator, value: impl Into<serde_json::Value>) -> Self {
        UserFilter(FilterField { kind: "userDefinedFields", value: key.into() }, op, value.into())
    }

    /// The users who may use the application `app_id` (`OtherFields` / `app`).
    pub fn application(app_id: impl Into<String>) -> Self {
        let operand = serde_json::json!({ "id": app_id.into() });
        UserFilter(FilterField { kind: "OtherFields", value: "app".to_owned() }, FilterOperator::Eq, operand)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
struct FilterVars {
    #[serde(flatten)]
    page: PageLimit,
    filter: Vec<UserFilter>,
}

paged_vars!(FilterVars);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdentityBody<'a> {
    user_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id_in_idp: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_social: Option<bool>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    identifier: &'a str,
    ext_idp_id: &'a str,
}

impl<'a> Users<'a> {
    /// Users by id, username, phone, e-mail or external id, in the order asked for (unknown ones are left out).
    ///
    /// REST: `POST /api/v2/users/batch` `{ids, type, withCustomData}` (the GraphQL twin is
    /// [`batch_get`](Self::batch_get))
    ///
    /// ```no_run
    /// # async fn demo(management: authing::ManagementClient) -> authing::Result<()> {
    /// use authing::models::BatchField;
    /// let users = management.users().batch(["ada", "grace"]).by(BatchField::Username).send().await?;
    /// # let _ = users;
    /// # Ok(())
    /// # }
    /// ```
    pub fn batch<I, S>(&self, identifiers: I) -> BatchUsersBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        BatchUsersBuilder {
            client: self.client,
            ids: strings(identifiers),
            field: BatchField::Id,
            with_custom_data: false,
        }
    }

    /// Users that pass every condition, a page at a time.
    ///
    /// REST: `POST /api/v2/users/filter` `{page, limit, filter: [[{type, value}, OP, operand], …]}`
    ///
    /// ```no_run
    /// # async fn demo(management: authing::ManagementClient) -> authing::Result<()> {
    /// use authing::management::{FilterOperator, UserFilter};
    /// let page = management.users().filter().condition(UserFilter::custom_field("team", FilterOperator::Eq, "ops")).send().await?;
    /// # let _ = page;
    /// # Ok(())
    /// # }
    /// ```
    pub fn filter(&self) -> FilterUsersBuilder<'a> {
        FilterUsersBuilder { client: self.client, vars: FilterVars::default() }
    }

    /// The tenants a user belongs to.
    ///
    /// REST: `GET /api/v2/users/{user_id}/tenants`
    ///
    /// # Errors
    /// 2004 for an unknown user.
    pub async fn get_user_tenants(&self, user_id: &str) -> Result<Vec<serde_json::Value>> {
        let call = RestCall::get("users.get_user_tenants", &["users", user_id, "tenants"]);
        Ok(self.client.rest::<_, Option<Vec<serde_json::Value>>>(call).await?.unwrap_or_default())
    }

    /// Links an identity at an external identity provider to a user.
    ///
    /// REST: `POST /api/v2/users/identity/link`
    ///
    /// ```no_run
    /// # async fn demo(management: authing::ManagementClient) -> authing::Result<()> {
    /// management.users().link_identity("USER_ID", "github-12345", "github", "EXT_IDP_ID").is_social(true).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn link_identity(
        &self,
        user_id: &str,
        user_id_in_idp: &str,
        identifier: &str,
        ext_idp_id: &str,
    ) -> IdentityLinkBuilder<'a> {
        IdentityLinkBuilder {
            client: self.client,
            link: true,
            user_id: user_id.to_owned(),
            user_id_in_idp: Some(user_id_in_idp.to_owned()),
            identifier: identifier.to_owned(),
            ext_idp_id: ext_idp_id.to_owned(),
            is_social: None,
            kind: None,
        }
    }

    /// Unlinks a user's identities of a connection (`identifier`) of an external identity provider.
    ///
    /// REST: `POST /api/v2/users/identity/unlink`
    pub fn unlink_identity(&self, user_id: &str, identifier: &str, ext_idp_id: &str) -> IdentityLinkBuilder<'a> {
        IdentityLinkBuilder {
            client: self.client,
            link: false,
            user_id: user_id.to_owned(),
            user_id_in_idp: None,
            identifier: identifier.to_owned(),
            ext_idp_id: ext_idp_id.to_owned(),
            is_social: None,
            kind: None,
        }
    }

    /// Marks a user as resigned; every token the user holds stops working, and the user's logins are refused
    /// from then on ([`codes::USER_LOCKED`](crate::codes::USER_LOCKED), as for a blocked user).
    ///
    /// REST: `POST /api/v3/resign-user` `{userId}`
    ///
    /// # Errors
    /// 2004 for an unknown user.
    pub async fn resign_user(&self, user_id: &str) -> Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            user_id: &'b str,
        }
        let call = RestCall::post("users.resign_user", &[])
            .under_host_root(&["api", "v3", "resign-user"])
            .json(&Body { user_id })?;
        self.client.rest::<_, serde::de::IgnoredAny>(call).await.map(|_| ())
    }

    /// Marks users as resigned; every token they hold stops working, and their logins are refused from then on.
    ///
    /// REST: `POST /api/v3/resign-user-batch` `{userIds}`
    ///
    /// # Errors
    /// [`AuthingError::Request`] for an empty list (nothing is sent); 2004 when one of the users does not exist
    /// (nobody is resigned).
    pub async fn resign_user_batch<I, S>(&self, user_ids: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body {
            user_ids: Vec<String>,
        }
        let body = Body { user_ids: strings(user_ids) };
        if body.user_ids.is_empty() {
            return Err(AuthingError::request("an empty list of users", "resign_user_batch needs user ids"));
        }
        let call = RestCall::post("users.resign_user_batch", &[])
            .under_host_root(&["api", "v3", "resign-user-batch"])
            .json(&body)?;
        self.client.rest::<_, serde::de::IgnoredAny>(call).await.map(|_| ())
    }
}

/// Builds [`Users::batch`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct BatchUsersBuilder<'a> {
    client: &'a ManagementClient,
    ids: Vec<String>,
    field: BatchField,
    with_custom_data: bool,
}

impl BatchUsersBuilder<'_> {
    /// What the identifiers are (default: user ids).
    pub fn by(mut self, field: BatchField) -> Self {
        self.field = field;
        self
    }

    /// Includes each user's custom data.
    pub fn with_custom_data(mut self, with: bool) -> Self {
        self.with_custom_data = with;
        self
    }

    /// Fetches the users.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Vec<User>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            ids: &'b [String],
            #[serde(rename = "type")]
            field: BatchField,
            with_custom_data: bool,
        }
        let body = Body { ids: &self.ids, field: self.field, with_custom_data: self.with_custom_data };
        let call = RestCall::post("users.batch", &["users", "batch"]).json(&body)?;
        Ok(self.client.rest::<_, Option<Vec<User>>>(call).await?.unwrap_or_default())
    }
}

/// Builds [`Users::filter`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct FilterUsersBuilder<'a> {
    client: &'a ManagementClient,
    vars: FilterVars,
}

impl FilterUsersBuilder<'_> {
    page_setters!();

    /// Adds a condition; a user must pass all of them.
    pub fn condition(mut self, condition: UserFilter) -> Self {
        self.vars.filter.push(condition);
        self
    }

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal (400 for a condition it does not take), or transport and decode errors.
    pub async fn send(self) -> Result<Page<User>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(
                async move { client.rest(RestCall::post("users.filter", &["users", "filter"]).json(&vars)?).await },
            )
        })
        .await
    }
}

/// Builds [`Users::link_identity`] and [`Users::unlink_identity`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct IdentityLinkBuilder<'a> {
    client: &'a ManagementClient,
    link: bool,
    user_id: String,
    user_id_in_idp: Option<String>,
    identifier: String,
    ext_idp_id: String,
    is_social: Option<bool>,
    kind: Option<String>,
}

impl IdentityLinkBuilder<'_> {
    /// Whether the provider is a social one (a link defaults to `false`; an unlink matches either unless set).
    pub fn is_social(mut self, social: bool) -> Self {
        self.is_social = Some(social);
        self
    }

    /// The identity's type (`openid`, `unionid` …).
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = Some(kind.into());
        self
    }

    /// Links or unlinks.
    ///
    /// # Errors
    /// 2004 for an unknown user; 2026 when another user holds the identity (link); 400 when the user has no such
    /// identity (unlink).
    pub async fn send(self) -> Result<()> {
        let body = IdentityBody {
            user_id: &self.user_id,
            user_id_in_idp: self.user_id_in_idp.as_deref(),
            is_social: self.is_social.or(self.link.then_some(false)),
            kind: self.kind.as_deref(),
            identifier: &self.identifier,
            ext_idp_id: &self.ext_idp_id,
        };
        let (name, action) =
            if self.link { ("users.link_identity", "link") } else { ("users.unlink_identity", "unlink") };
        let call = RestCall::post(name, &["users", "identity", action]).json(&body)?;
        self.client.rest::<_, serde::de::IgnoredAny>(call).await.map(|_| ())
    }
}
