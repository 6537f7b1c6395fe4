//! `management.roles()`: roles per namespace, their members, policies, authorized resources and custom data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ManagementClient;
use super::paging::strings;
use super::paging::{PageLimit, WirePage, first_page, page_setters, paged_vars};
use super::policies::{ADD_POLICY_ASSIGNMENTS, ListAssignmentsBuilder, REMOVE_POLICY_ASSIGNMENTS};
use crate::error::Result;
use crate::models::{
    AuthorizedResource, CommonMessage, CustomData, PolicyAssignmentTargetType, ResourceType, Role, SortBy,
    UdfTargetType, UdfValue, User,
};
use crate::page::Page;
use crate::transport::Operation;

const ROLES: Operation<'static> = operation!("roles", "list", "roles.graphql", "role.graphql");
const CREATE_ROLE: Operation<'static> = operation!("roles", "create", "create_role.graphql", "role.graphql");
const ROLE: Operation<'static> = operation!("roles", "detail", "role.graphql", "role.graphql");
const UPDATE_ROLE: Operation<'static> = operation!("roles", "update", "update_role.graphql", "role.graphql");
const DELETE_ROLE: Operation<'static> = operation!("roles", "delete", "delete_role.graphql");
const DELETE_ROLES: Operation<'static> = operation!("roles", "delete_many", "delete_roles.graphql");
const ROLE_USERS: Operation<'static> = operation!("roles", "list_users", "role_with_users.graphql", "user.graphql");
pub(super) const ASSIGN_ROLE: Operation<'static> = operation!("roles", "add_users", "assign_role.graphql");
pub(super) const REVOKE_ROLE: Operation<'static> = operation!("roles", "remove_users", "revoke_role.graphql");
const ROLE_RESOURCES: Operation<'static> = operation!(
    "roles",
    "list_authorized_resources",
    "list_role_authorized_resources.graphql",
    "authorized_resource.graphql"
);

/// The roles of the pool: `management.roles()`, in the `default` namespace unless
/// [`namespace`](Self::namespace) says otherwise.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// let editor = management.roles().create("editor").description("Edits books").send().await?;
/// assert_eq!(editor.namespace, "default");
/// let found = management.roles().detail("editor").await?;
/// assert_eq!(found.map(|r| r.id), Some(editor.id));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Roles<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
}

impl ManagementClient {
    /// The roles of the pool, in the `default` namespace.
    pub fn roles(&self) -> Roles<'_> {
        Roles { client: self, namespace: None }
    }
}

#[derive(Serialize)]
struct CodeVars<'v> {
    code: &'v str,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<&'v str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RoleMembers<'v> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) namespace: Option<&'v str>,
    pub(super) role_codes: Vec<String>,
    pub(super) user_ids: Vec<String>,
}

impl<'a> Roles<'a> {
    /// The same roles accessor in another namespace (permission group).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let shop = management.roles().namespace("shop");
    /// let role = shop.create("editor").send().await?;
    /// assert_eq!(role.namespace, "shop");
    /// assert!(management.roles().detail("editor").await?.is_none(), "not in `default`");
    /// # Ok(())
    /// # }
    /// ```
    pub fn namespace(self, namespace: &'a str) -> Self {
        Self { namespace: Some(namespace), ..self }
    }

    /// Lists the roles of the namespace, newest first.
    ///
    /// GraphQL: `roles`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let page = management.roles().list().limit(50).send().await?;
    /// assert_eq!(page.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListRolesBuilder<'a> {
        ListRolesBuilder {
            client: self.client,
            vars: ListVars { namespace: self.namespace.map(str::to_owned), page: PageLimit::default(), sort_by: None },
        }
    }

    /// Creates a role.
    ///
    /// GraphQL: `createRole`. The parent is sent as the document's `parent` variable (the official Python SDK sends
    /// it under another name, so its parent is lost).
    ///
    /// See [`Roles`] for an example.
    pub fn create(&self, code: &str) -> CreateRoleBuilder<'a> {
        CreateRoleBuilder {
            client: self.client,
            namespace: self.namespace,
            code: code.to_owned(),
            description: None,
            parent: None,
        }
    }

    /// The role with this code; `None` when there is none.
    ///
    /// GraphQL: `role`
    ///
    /// See [`Roles`] for an example.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn detail(&self, code: &str) -> Result<Option<Role>> {
        self.client.root(ROLE, &CodeVars { code, namespace: self.namespace }).await
    }

    /// The role with this code; the same as [`detail`](Self::detail).
    ///
    /// GraphQL: `role`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// assert!(management.roles().find_by_code("ghost").await?.is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn find_by_code(&self, code: &str) -> Result<Option<Role>> {
        self.detail(code).await
    }

    /// Changes a role's description, or renames it with a new code.
    ///
    /// GraphQL: `updateRole`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.roles().create("editor").send().await?;
    /// let role = management.roles().update("editor").new_code("author").send().await?;
    /// assert_eq!(role.code, "author");
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, code: &str) -> UpdateRoleBuilder<'a> {
        UpdateRoleBuilder {
            client: self.client,
            namespace: self.namespace,
            code: code.to_owned(),
            description: None,
            new_code: None,
        }
    }

    /// Deletes a role, and with it its memberships.
    ///
    /// GraphQL: `deleteRole`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.roles().create("editor").send().await?;
    /// assert!(management.roles().delete("editor").await?.is_success());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn delete(&self, code: &str) -> Result<CommonMessage> {
        self.client.root(DELETE_ROLE, &CodeVars { code, namespace: self.namespace }).await
    }

    /// Deletes several roles.
    ///
    /// GraphQL: `deleteRoles`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// assert!(management.roles().delete_many(["a", "b"]).await?.is_success());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn delete_many<I, S>(&self, codes: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            code_list: Vec<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
        }
        self.client.root(DELETE_ROLES, &Vars { code_list: strings(codes), namespace: self.namespace }).await
    }

    /// The users who have a role; an empty page when the role does not exist.
    ///
    /// GraphQL: `roleWithUsers`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// management.roles().create("editor").send().await?;
    /// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.roles().add_users("editor", [ada.id.as_str()]).await?;
    /// let members = management.roles().list_users("editor").send().await?;
    /// assert_eq!(members.total_count, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_users(&self, code: &str) -> ListRoleUsersBuilder<'a> {
        ListRoleUsersBuilder {
            client: self.client,
            vars: RoleUsersVars {
                code: code.to_owned(),
                namespace: self.namespace.map(str::to_owned),
                page: PageLimit::default(),
                with_custom_data: false,
            },
        }
    }

    /// Gives a role to users.
    ///
    /// GraphQL: `assignRole`
    ///
    /// See [`list_users`](Self::list_users) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown role or user), or transport errors.
    pub async fn add_users<I, S>(&self, code: &str, user_ids: I) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let vars =
            RoleMembers { namespace: self.namespace, role_codes: vec![code.to_owned()], user_ids: strings(user_ids) };
        self.client.root(ASSIGN_ROLE, &vars).await
    }

    /// Takes a role from users.
    ///
    /// GraphQL: `revokeRole`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// management.roles().create("editor").send().await?;
    /// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.roles().add_users("editor", [ada.id.as_str()]).await?;
    /// management.roles().remove_users("editor", [ada.id.as_str()]).await?;
    /// assert_eq!(management.roles().list_users("editor").send().await?.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove_users<I, S>(&self, code: &str, user_ids: I) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let vars =
            RoleMembers { namespace: self.namespace, role_codes: vec![code.to_owned()], user_ids: strings(user_ids) };
        self.client.root(REVOKE_ROLE, &vars).await
    }

    /// The policies assigned to a role.
    ///
    /// GraphQL: `policyAssignments`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.roles().create("editor").send().await?;
    /// let page = management.roles().list_policies("editor").send().await?;
    /// assert!(page.items.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_policies(&self, code: &str) -> ListAssignmentsBuilder<'a> {
        ListAssignmentsBuilder::for_target(self.client, PolicyAssignmentTargetType::Role, code, self.namespace)
    }

    /// Assigns policies to a role (as a `ROLE` target; the official JS SDK wrongly sends `USER` here).
    ///
    /// GraphQL: `addPolicyAssignments`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::PolicyStatement;
    /// management.roles().create("editor").send().await?;
    /// management.policies().create("books-rw", [PolicyStatement::new("books:*", ["books:*"])]).send().await?;
    /// management.roles().add_policies("editor", ["books-rw"]).await?;
    /// let assigned = management.roles().list_policies("editor").send().await?;
    /// assert_eq!(assigned.items[0].code, "books-rw");
    /// management.roles().remove_policies("editor", ["books-rw"]).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an unknown role or policy), or transport errors.
    pub async fn add_policies<I, S>(&self, code: &str, policies: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client
            .assign_policies(ADD_POLICY_ASSIGNMENTS, PolicyAssignmentTargetType::Role, code, strings(policies))
            .await
    }

    /// Removes policies from a role.
    ///
    /// GraphQL: `removePolicyAssignments`
    ///
    /// See [`add_policies`](Self::add_policies) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove_policies<I, S>(&self, code: &str, policies: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client
            .assign_policies(REMOVE_POLICY_ASSIGNMENTS, PolicyAssignmentTargetType::Role, code, strings(policies))
            .await
    }

    /// The resources a role is authorized on; `None` when the role does not exist.
    ///
    /// GraphQL: `listRoleAuthorizedResources`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.roles().create("editor").send().await?;
    /// let resources = management.roles().list_authorized_resources("editor").send().await?;
    /// assert_eq!(resources.map(|r| r.len()), Some(0));
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_authorized_resources(&self, code: &str) -> ListRoleResourcesBuilder<'a> {
        ListRoleResourcesBuilder {
            client: self.client,
            namespace: self.namespace,
            code: code.to_owned(),
            resource_type: None,
        }
    }

    /// The custom data of a role (by role **id**), key → typed value.
    ///
    /// GraphQL: `udv`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{UdfDataType, UdfTargetType};
    /// management.udf().set(UdfTargetType::Role, "level", UdfDataType::Number, "Level").send().await?;
    /// let role = management.roles().create("editor").send().await?;
    /// management.roles().set_udf_value(&role.id, [("level", 3.into())]).await?;
    /// assert_eq!(management.roles().get_udf_value(&role.id).await?["level"].as_i64(), Some(3));
    /// assert_eq!(management.roles().get_specific_udf_value(&role.id, "level").await?.and_then(|v| v.as_i64()), Some(3));
    /// management.roles().remove_udf_value(&role.id, "level").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get_udf_value(&self, role_id: &str) -> Result<CustomData> {
        let entries = self.client.udv(&UdfTargetType::Role, role_id).await?;
        Ok(crate::models::custom_data_from_entries(entries))
    }

    /// The custom data of several roles (by id): role id → key → value.
    ///
    /// GraphQL: `udfValueBatch`
    ///
    /// See [`get_udf_value`](Self::get_udf_value) for an example of the single form.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get_udf_value_batch<I, S>(&self, role_ids: I) -> Result<BTreeMap<String, CustomData>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.udf_value_batch(&UdfTargetType::Role, strings(role_ids)).await
    }

    /// One custom data value of a role (by id); `None` when it is not set.
    ///
    /// GraphQL: `udv`
    ///
    /// See [`get_udf_value`](Self::get_udf_value) for an example.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get_specific_udf_value(&self, role_id: &str, key: &str) -> Result<Option<UdfValue>> {
        Ok(self.get_udf_value(role_id).await?.remove(key))
    }

    /// Sets custom data values of a role (by id); each key must be a defined `ROLE` field.
    ///
    /// GraphQL: `setUdvBatch`
    ///
    /// See [`get_udf_value`](Self::get_udf_value) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an undefined key, a value of the wrong type, an unknown role), or transport errors.
    pub async fn set_udf_value<I, K>(&self, role_id: &str, data: I) -> Result<()>
    where
        I: IntoIterator<Item = (K, UdfValue)>,
        K: Into<String>,
    {
        self.client.set_udv_batch(&UdfTargetType::Role, role_id, data).await.map(drop)
    }

    /// Sets custom data values of several roles at once: role id → key → value.
    ///
    /// GraphQL: `setUdfValueBatch`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{CustomData, UdfDataType, UdfTargetType};
    /// management.udf().set(UdfTargetType::Role, "level", UdfDataType::Number, "Level").send().await?;
    /// let role = management.roles().create("editor").send().await?;
    /// let data = CustomData::from([("level".to_owned(), 2.into())]);
    /// management.roles().set_udf_value_batch([(role.id.clone(), data)]).await?;
    /// let all = management.roles().get_udf_value_batch([role.id.as_str()]).await?;
    /// assert_eq!(all[&role.id]["level"].as_i64(), Some(2));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn set_udf_value_batch<I, S>(&self, data: I) -> Result<()>
    where
        I: IntoIterator<Item = (S, CustomData)>,
        S: Into<String>,
    {
        self.client.set_udf_value_batch(&UdfTargetType::Role, data).await
    }

    /// Removes one custom data value of a role (by id).
    ///
    /// GraphQL: `removeUdv`
    ///
    /// See [`get_udf_value`](Self::get_udf_value) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove_udf_value(&self, role_id: &str, key: &str) -> Result<()> {
        self.client.remove_udv(&UdfTargetType::Role, role_id, key).await.map(drop)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ListVars {
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(flatten)]
    page: PageLimit,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_by: Option<SortBy>,
}

paged_vars!(ListVars);

/// Builds [`Roles::list`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListRolesBuilder<'a> {
    client: &'a ManagementClient,
    vars: ListVars,
}

impl ListRolesBuilder<'_> {
    page_setters!();

    /// The order (default newest first).
    pub fn sort_by(mut self, sort_by: SortBy) -> Self {
        self.vars.sort_by = Some(sort_by);
        self
    }

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<Role>> {
        first_page(self.client, self.vars, |client, vars| Box::pin(async move { client.root(ROLES, &vars).await }))
            .await
    }
}

/// Builds [`Roles::create`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CreateRoleBuilder<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
    code: String,
    description: Option<String>,
    parent: Option<String>,
}

impl CreateRoleBuilder<'_> {
    /// The description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The code of the parent role (in the same namespace).
    pub fn parent(mut self, parent_code: impl Into<String>) -> Self {
        self.parent = Some(parent_code.into());
        self
    }

    /// Creates the role.
    ///
    /// # Errors
    /// Authing's refusal (the code is taken in this namespace, an unknown parent), or transport errors.
    pub async fn send(self) -> Result<Role> {
        #[derive(Serialize)]
        struct Vars<'v> {
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
            code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            parent: Option<&'v str>,
        }
        let vars = Vars {
            namespace: self.namespace,
            code: &self.code,
            description: self.description.as_deref(),
            parent: self.parent.as_deref(),
        };
        self.client.root(CREATE_ROLE, &vars).await
    }
}

/// Builds [`Roles::update`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct UpdateRoleBuilder<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
    code: String,
    description: Option<String>,
    new_code: Option<String>,
}

impl UpdateRoleBuilder<'_> {
    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// A new code: renames the role (its old code then finds nothing).
    pub fn new_code(mut self, new_code: impl Into<String>) -> Self {
        self.new_code = Some(new_code.into());
        self
    }

    /// Updates the role.
    ///
    /// # Errors
    /// Authing's refusal (an unknown role, the new code taken), or transport errors.
    pub async fn send(self) -> Result<Role> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            new_code: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
        }
        let vars = Vars {
            code: &self.code,
            description: self.description.as_deref(),
            new_code: self.new_code.as_deref(),
            namespace: self.namespace,
        };
        self.client.root(UPDATE_ROLE, &vars).await
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleUsersVars {
    code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(flatten)]
    page: PageLimit,
    with_custom_data: bool,
}

paged_vars!(RoleUsersVars);

/// Builds [`Roles::list_users`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListRoleUsersBuilder<'a> {
    client: &'a ManagementClient,
    vars: RoleUsersVars,
}

impl ListRoleUsersBuilder<'_> {
    page_setters!();

    /// Includes each user's custom data.
    pub fn with_custom_data(mut self, with: bool) -> Self {
        self.vars.with_custom_data = with;
        self
    }

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<User>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(async move {
                #[derive(Deserialize)]
                struct RoleUsers {
                    users: WirePage<User>,
                }
                let role: Option<RoleUsers> = client.root(ROLE_USERS, &vars).await?;
                Ok(role.map_or_else(WirePage::empty, |r| r.users))
            })
        })
        .await
    }
}

/// Builds [`Roles::list_authorized_resources`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListRoleResourcesBuilder<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
    code: String,
    resource_type: Option<ResourceType>,
}

impl ListRoleResourcesBuilder<'_> {
    /// Only resources of this type.
    pub fn resource_type(mut self, resource_type: ResourceType) -> Self {
        self.resource_type = Some(resource_type);
        self
    }

    /// Fetches the resources; `None` when the role does not exist.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Option<Vec<AuthorizedResource>>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            resource_type: Option<&'v ResourceType>,
        }
        let vars = Vars { code: &self.code, namespace: self.namespace, resource_type: self.resource_type.as_ref() };
        let role: Option<WithResources> = self.client.root(ROLE_RESOURCES, &vars).await?;
        Ok(role.map(WithResources::into_list))
    }
}

/// A role, group or user as the `authorizedResources` documents select it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WithResources {
    authorized_resources: Option<WirePage<AuthorizedResource>>,
}

impl WithResources {
    pub(super) fn into_list(self) -> Vec<AuthorizedResource> {
        self.authorized_resources.map(|page| page.list).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize)]
struct FindUsersVars {
    #[serde(flatten)]
    page: PageLimit,
    code: String,
    namespace: String,
    search: String,
}

paged_vars!(FindUsersVars);

impl<'a> Roles<'a> {
    /// The members of a role whose username, e-mail, phone or name contains a search text, a page at a time.
    ///
    /// REST: `POST /api/v2/roles/roleUsers` `{namespace, code, limit, page, search}` (the GraphQL way is
    /// [`list_users`](Self::list_users))
    ///
    /// ```no_run
    /// # async fn demo(management: authing::ManagementClient) -> authing::Result<()> {
    /// let page = management.roles().find_users("admin").search("ada").send().await?;
    /// # let _ = page;
    /// # Ok(())
    /// # }
    /// ```
    pub fn find_users(&self, code: &str) -> FindRoleUsersBuilder<'a> {
        FindRoleUsersBuilder {
            client: self.client,
            vars: FindUsersVars {
                page: PageLimit::default(),
                code: code.to_owned(),
                namespace: self.namespace.unwrap_or("default").to_owned(),
                search: String::new(),
            },
        }
    }
}

/// Builds [`Roles::find_users`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct FindRoleUsersBuilder<'a> {
    client: &'a ManagementClient,
    vars: FindUsersVars,
}

impl FindRoleUsersBuilder<'_> {
    page_setters!();

    /// Only the members whose username, e-mail, phone or name contains this text.
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.vars.search = text.into();
        self
    }

    /// Fetches the page.
    ///
    /// # Errors
    /// 2101 for an unknown role; transport and decode errors.
    pub async fn send(self) -> Result<Page<User>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(async move {
                let call = crate::transport::RestCall::post("roles.find_users", &["roles", "roleUsers"]).json(&vars)?;
                client.rest(call).await
            })
        })
        .await
    }
}
