//! The links of a user to roles, groups and policies, on `management.users()`.

use serde::{Deserialize, Serialize};

use super::ManagementClient;
use super::groups::{ADD_USER_TO_GROUP, Members, REMOVE_USER_FROM_GROUP};
use super::paging::WirePage;
use super::paging::strings;
use super::policies::{ADD_POLICY_ASSIGNMENTS, ListAssignmentsBuilder, REMOVE_POLICY_ASSIGNMENTS};
use super::roles::{ASSIGN_ROLE, REVOKE_ROLE, RoleMembers};
use super::users::Users;
use crate::error::Result;
use crate::models::{
    AuthorizedResource, CommonMessage, Group, PolicyAssignmentTargetType, ResourcePermission, ResourceType, Role,
};
use crate::transport::{Operation, RestCall};

const USER_ROLES: Operation<'static> = operation!("users", "list_roles", "get_user_roles.graphql", "role.graphql");
const USER_RESOURCES: Operation<'static> = operation!(
    "users",
    "list_authorized_resources",
    "list_user_authorized_resources.graphql",
    "authorized_resource.graphql"
);
const USER_GROUPS: Operation<'static> = operation!("users", "list_groups", "get_user_groups.graphql", "group.graphql");

/// The namespace roles live in when none is given.
const DEFAULT_NAMESPACE: &str = "default";

impl<'a> Users<'a> {
    /// The roles of a user (all of them: the list is not paginated); `None` when the user does not exist.
    ///
    /// GraphQL: `getUserRoles`
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
    /// management.users().add_roles(&ada.id, ["editor"]).send().await?;
    /// let roles = management.users().list_roles(&ada.id).send().await?.unwrap_or_default();
    /// assert_eq!(roles[0].code, "editor");
    /// assert!(management.users().has_role(&ada.id, "editor").send().await?);
    /// management.users().remove_roles(&ada.id, ["editor"]).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_roles(&self, user_id: &str) -> ListUserRolesBuilder<'a> {
        ListUserRolesBuilder { client: self.client, user_id: user_id.to_owned(), namespace: None }
    }

    /// Gives roles to a user.
    ///
    /// GraphQL: `assignRole`
    ///
    /// See [`list_roles`](Self::list_roles) for an example.
    pub fn add_roles<I, S>(&self, user_id: &str, role_codes: I) -> UserRolesBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        UserRolesBuilder::new(self.client, ASSIGN_ROLE, user_id, strings(role_codes))
    }

    /// Takes roles from a user.
    ///
    /// GraphQL: `revokeRole`
    ///
    /// See [`list_roles`](Self::list_roles) for an example.
    pub fn remove_roles<I, S>(&self, user_id: &str, role_codes: I) -> UserRolesBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        UserRolesBuilder::new(self.client, REVOKE_ROLE, user_id, strings(role_codes))
    }

    /// Whether a user has a role (in the `default` namespace unless told otherwise).
    ///
    /// GraphQL: `getUserRoles`, compared here, so the answer does not depend on the shape of the REST `has-role`
    /// endpoint.
    ///
    /// See [`list_roles`](Self::list_roles) for an example.
    pub fn has_role(&self, user_id: &str, role_code: &str) -> HasRoleBuilder<'a> {
        HasRoleBuilder { client: self.client, user_id: user_id.to_owned(), code: role_code.to_owned(), namespace: None }
    }

    /// The groups of a user; `None` when the user does not exist.
    ///
    /// GraphQL: `getUserGroups`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// management.groups().create("readers", "Readers").send().await?;
    /// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.users().add_group(&ada.id, "readers").await?;
    /// assert_eq!(management.users().list_groups(&ada.id).await?.map(|g| g.len()), Some(1));
    /// management.users().remove_group(&ada.id, "readers").await?;
    /// assert_eq!(management.users().list_groups(&ada.id).await?.map(|g| g.len()), Some(0));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn list_groups(&self, user_id: &str) -> Result<Option<Vec<Group>>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            id: &'v str,
        }
        #[derive(Deserialize)]
        struct UserGroups {
            groups: Option<WirePage<Group>>,
        }
        let user: Option<UserGroups> = self.client.root(USER_GROUPS, &Vars { id: user_id }).await?;
        Ok(user.map(|u| u.groups.map(|g| g.list).unwrap_or_default()))
    }

    /// Adds a user to a group.
    ///
    /// GraphQL: `addUserToGroup`
    ///
    /// See [`list_groups`](Self::list_groups) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown group or user), or transport errors.
    pub async fn add_group(&self, user_id: &str, group_code: &str) -> Result<CommonMessage> {
        self.client.root(ADD_USER_TO_GROUP, &Members { user_ids: vec![user_id.to_owned()], code: group_code }).await
    }

    /// Removes a user from a group; succeeds when the user is not a member.
    ///
    /// GraphQL: `removeUserFromGroup`
    ///
    /// See [`list_groups`](Self::list_groups) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove_group(&self, user_id: &str, group_code: &str) -> Result<CommonMessage> {
        self.client
            .root(REMOVE_USER_FROM_GROUP, &Members { user_ids: vec![user_id.to_owned()], code: group_code })
            .await
    }

    /// The policies assigned to a user.
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
    /// use authing::models::{CreateUserInput, PolicyStatement};
    /// management.policies().create("books", [PolicyStatement::new("books:*", ["books:read"])]).send().await?;
    /// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.users().add_policies(&ada.id, ["books"]).await?;
    /// assert_eq!(management.users().list_policies(&ada.id).send().await?.items[0].code, "books");
    /// management.users().remove_policies(&ada.id, ["books"]).await?;
    /// assert_eq!(management.users().list_policies(&ada.id).send().await?.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_policies(&self, user_id: &str) -> ListAssignmentsBuilder<'a> {
        ListAssignmentsBuilder::for_target(self.client, PolicyAssignmentTargetType::User, user_id, None)
    }

    /// Assigns policies to a user.
    ///
    /// GraphQL: `addPolicyAssignments`
    ///
    /// See [`list_policies`](Self::list_policies) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown policy or user), or transport errors.
    pub async fn add_policies<I, S>(&self, user_id: &str, policies: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client
            .assign_policies(ADD_POLICY_ASSIGNMENTS, PolicyAssignmentTargetType::User, user_id, strings(policies))
            .await
    }

    /// Removes policies from a user.
    ///
    /// GraphQL: `removePolicyAssignments`
    ///
    /// See [`list_policies`](Self::list_policies) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove_policies<I, S>(&self, user_id: &str, policies: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client
            .assign_policies(REMOVE_POLICY_ASSIGNMENTS, PolicyAssignmentTargetType::User, user_id, strings(policies))
            .await
    }
}

impl<'a> Users<'a> {
    /// The resources a user is authorized on in a namespace, its roles' and groups' grants included; `None` when
    /// the user does not exist.
    ///
    /// GraphQL: `listUserAuthorizedResources`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::management::AllowTarget;
    /// use authing::models::CreateUserInput;
    /// management.acl().create_namespace("library", "Library").send().await?;
    /// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.acl().allow("books:1", "books:read", AllowTarget::User(&ada.id)).namespace("library").send().await?;
    /// let granted = management.users().list_authorized_resources(&ada.id, "library").send().await?.unwrap();
    /// assert_eq!(granted[0].code, "books:1");
    /// let permitted = management.users().check_resource_permission_batch(&ada.id, "library", ["books:1", "books:2"]).await?;
    /// assert_eq!(permitted.len(), 1);
    /// let of_kind = management.users().list_authorized_resources_of_resource_kind(&ada.id, "library", "books").await?;
    /// assert_eq!(of_kind[0].code, "books:1");
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_authorized_resources(&self, user_id: &str, namespace: &str) -> ListUserResourcesBuilder<'a> {
        ListUserResourcesBuilder {
            client: self.client,
            user_id: user_id.to_owned(),
            namespace: namespace.to_owned(),
            resource_type: None,
        }
    }

    /// Which of these resources the user may act on, with the actions, in the order asked; the others are left
    /// out.
    ///
    /// REST: `POST /api/v2/acl/check-resource-permission-batch`
    ///
    /// See [`list_authorized_resources`](Self::list_authorized_resources) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn check_resource_permission_batch<I, S>(
        &self,
        user_id: &str,
        namespace: &str,
        resources: I,
    ) -> Result<Vec<ResourcePermission>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            user_id: &'b str,
            namespace: &'b str,
            resources: Vec<String>,
        }
        let body = Body { user_id, namespace, resources: strings(resources) };
        let call = RestCall::post("users.check_resource_permission_batch", &["acl", "check-resource-permission-batch"]);
        let found: Option<Vec<ResourcePermission>> = self.client.rest(call.json(&body)?).await?;
        Ok(found.unwrap_or_default())
    }

    /// The instances of a resource kind (`books` → `books:1`, `books:2` ...) the user holds grants on, in grant
    /// order.
    ///
    /// REST: `POST /api/v2/acl/get-authorized-resources-of-resource-kind`
    ///
    /// See [`list_authorized_resources`](Self::list_authorized_resources) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn list_authorized_resources_of_resource_kind(
        &self,
        user_id: &str,
        namespace: &str,
        resource: &str,
    ) -> Result<Vec<ResourcePermission>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            user_id: &'b str,
            namespace: &'b str,
            resource: &'b str,
        }
        let call = RestCall::post(
            "users.list_authorized_resources_of_resource_kind",
            &["acl", "get-authorized-resources-of-resource-kind"],
        );
        let found: Option<Vec<ResourcePermission>> =
            self.client.rest(call.json(&Body { user_id, namespace, resource })?).await?;
        Ok(found.unwrap_or_default())
    }
}

/// Builds [`Users::list_authorized_resources`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListUserResourcesBuilder<'a> {
    client: &'a ManagementClient,
    user_id: String,
    namespace: String,
    resource_type: Option<ResourceType>,
}

impl ListUserResourcesBuilder<'_> {
    /// Only resources of this type.
    pub fn resource_type(mut self, resource_type: ResourceType) -> Self {
        self.resource_type = Some(resource_type);
        self
    }

    /// Fetches the resources; `None` when the user does not exist.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Option<Vec<AuthorizedResource>>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            id: &'v str,
            namespace: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            resource_type: Option<&'v ResourceType>,
        }
        let vars = Vars { id: &self.user_id, namespace: &self.namespace, resource_type: self.resource_type.as_ref() };
        let user: Option<super::roles::WithResources> = self.client.root(USER_RESOURCES, &vars).await?;
        Ok(user.map(super::roles::WithResources::into_list))
    }
}

impl ManagementClient {
    /// The roles of a user in `namespace` (every namespace when `None`); `None` when the user does not exist.
    async fn user_roles(&self, user_id: &str, namespace: Option<&str>) -> Result<Option<Vec<Role>>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            id: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
        }
        #[derive(Deserialize)]
        struct UserRoles {
            roles: Option<WirePage<Role>>,
        }
        let user: Option<UserRoles> = self.root(USER_ROLES, &Vars { id: user_id, namespace }).await?;
        Ok(user.map(|u| u.roles.map(|r| r.list).unwrap_or_default()))
    }
}

/// Builds [`Users::list_roles`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListUserRolesBuilder<'a> {
    client: &'a ManagementClient,
    user_id: String,
    namespace: Option<String>,
}

impl ListUserRolesBuilder<'_> {
    /// Only the roles of this namespace (default: every namespace).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Fetches the roles; `None` when the user does not exist.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn send(self) -> Result<Option<Vec<Role>>> {
        self.client.user_roles(&self.user_id, self.namespace.as_deref()).await
    }
}

/// Builds [`Users::add_roles`] and [`Users::remove_roles`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct UserRolesBuilder<'a> {
    client: &'a ManagementClient,
    operation: Operation<'static>,
    user_id: String,
    role_codes: Vec<String>,
    namespace: Option<String>,
}

impl<'a> UserRolesBuilder<'a> {
    fn new(
        client: &'a ManagementClient,
        operation: Operation<'static>,
        user_id: &str,
        role_codes: Vec<String>,
    ) -> Self {
        Self { client, operation, user_id: user_id.to_owned(), role_codes, namespace: None }
    }

    /// The namespace of the roles (default `default`).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Gives or takes the roles.
    ///
    /// # Errors
    /// Authing's refusal (an unknown role or user), or transport errors.
    pub async fn send(self) -> Result<Option<CommonMessage>> {
        let vars = RoleMembers {
            namespace: self.namespace.as_deref(),
            role_codes: self.role_codes,
            user_ids: vec![self.user_id],
        };
        self.client.root(self.operation, &vars).await
    }
}

/// Builds [`Users::has_role`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct HasRoleBuilder<'a> {
    client: &'a ManagementClient,
    user_id: String,
    code: String,
    namespace: Option<String>,
}

impl HasRoleBuilder<'_> {
    /// The namespace of the role (default `default`).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Asks Authing; an unknown user has no role.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn send(self) -> Result<bool> {
        let namespace = self.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE);
        let roles = self.client.user_roles(&self.user_id, Some(namespace)).await?.unwrap_or_default();
        Ok(roles.iter().any(|role| role.code == self.code && role.namespace == namespace))
    }
}
