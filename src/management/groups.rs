//! `management.groups()`: groups of users, their members and the resources they are authorized on.

use serde::{Deserialize, Serialize};

use super::ManagementClient;
use super::paging::strings;
use super::paging::{PageLimit, WirePage, first_page, page_setters, paged_vars};
use super::roles::WithResources;
use crate::error::Result;
use crate::models::{AuthorizedResource, CommonMessage, Group, ResourceType, SortBy, User};
use crate::page::Page;
use crate::transport::Operation;

const GROUPS: Operation<'static> = operation!("groups", "list", "groups.graphql", "group.graphql");
const CREATE_GROUP: Operation<'static> = operation!("groups", "create", "create_group.graphql", "group.graphql");
const GROUP: Operation<'static> = operation!("groups", "detail", "group.graphql", "group.graphql");
const UPDATE_GROUP: Operation<'static> = operation!("groups", "update", "update_group.graphql", "group.graphql");
const DELETE_GROUPS: Operation<'static> = operation!("groups", "delete", "delete_groups.graphql");
const GROUP_USERS: Operation<'static> = operation!("groups", "list_users", "group_with_users.graphql", "user.graphql");
pub(super) const ADD_USER_TO_GROUP: Operation<'static> = operation!("groups", "add_users", "add_user_to_group.graphql");
pub(super) const REMOVE_USER_FROM_GROUP: Operation<'static> =
    operation!("groups", "remove_users", "remove_user_from_group.graphql");
const GROUP_RESOURCES: Operation<'static> = operation!(
    "groups",
    "list_authorized_resources",
    "list_group_authorized_resources.graphql",
    "authorized_resource.graphql"
);

/// The groups of the pool: `management.groups()`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// use authing::models::CreateUserInput;
/// let group = management.groups().create("readers", "Readers").description("They read").send().await?;
/// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
/// management.groups().add_users("readers", [ada.id.as_str()]).await?;
/// assert_eq!(management.groups().list_users("readers").send().await?.total_count, 1);
/// # let _ = group;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Groups<'a> {
    client: &'a ManagementClient,
}

impl ManagementClient {
    /// The groups of the pool.
    pub fn groups(&self) -> Groups<'_> {
        Groups { client: self }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Members<'v> {
    pub(super) user_ids: Vec<String>,
    pub(super) code: &'v str,
}

impl<'a> Groups<'a> {
    /// Creates a group.
    ///
    /// GraphQL: `createGroup`
    ///
    /// See [`Groups`] for an example.
    pub fn create(&self, code: &str, name: &str) -> CreateGroupBuilder<'a> {
        CreateGroupBuilder { client: self.client, code: code.to_owned(), name: name.to_owned(), description: None }
    }

    /// The group with this code; `None` when there is none.
    ///
    /// GraphQL: `group`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// assert!(management.groups().detail("ghosts").await?.is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn detail(&self, code: &str) -> Result<Option<Group>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            code: &'v str,
        }
        self.client.root(GROUP, &Vars { code }).await
    }

    /// Changes a group's name or description, or renames it with a new code.
    ///
    /// GraphQL: `updateGroup`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.groups().create("readers", "Readers").send().await?;
    /// let group = management.groups().update("readers").name("Book readers").new_code("bookworms").send().await?;
    /// assert_eq!((group.code.as_str(), group.name.as_str()), ("bookworms", "Book readers"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, code: &str) -> UpdateGroupBuilder<'a> {
        UpdateGroupBuilder { client: self.client, code: code.to_owned(), name: None, description: None, new_code: None }
    }

    /// Deletes a group, and with it its memberships.
    ///
    /// GraphQL: `deleteGroups`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.groups().create("readers", "Readers").send().await?;
    /// assert!(management.groups().delete("readers").await?.is_success());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn delete(&self, code: &str) -> Result<CommonMessage> {
        self.delete_many([code]).await
    }

    /// Deletes several groups.
    ///
    /// GraphQL: `deleteGroups`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.groups().create("a", "A").send().await?;
    /// management.groups().create("b", "B").send().await?;
    /// assert!(management.groups().delete_many(["a", "b"]).await?.is_success());
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
        struct Vars {
            code_list: Vec<String>,
        }
        self.client.root(DELETE_GROUPS, &Vars { code_list: strings(codes) }).await
    }

    /// Lists the groups of the pool, newest first.
    ///
    /// GraphQL: `groups`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.groups().create("readers", "Readers").send().await?;
    /// let page = management.groups().list().limit(20).send().await?;
    /// assert_eq!(page.items[0].code, "readers");
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListGroupsBuilder<'a> {
        ListGroupsBuilder { client: self.client, vars: GroupListVars::default() }
    }

    /// The members of a group; an empty page when the group does not exist.
    ///
    /// GraphQL: `group { users }`
    ///
    /// See [`Groups`] for an example.
    pub fn list_users(&self, code: &str) -> ListGroupUsersBuilder<'a> {
        ListGroupUsersBuilder {
            client: self.client,
            vars: GroupUsersVars { code: code.to_owned(), page: PageLimit::default(), with_custom_data: false },
        }
    }

    /// Adds users to a group.
    ///
    /// GraphQL: `addUserToGroup`
    ///
    /// See [`Groups`] for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown group or user), or transport errors.
    pub async fn add_users<I, S>(&self, code: &str, user_ids: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.root(ADD_USER_TO_GROUP, &Members { user_ids: strings(user_ids), code }).await
    }

    /// Removes users from a group; removing a user who is not a member succeeds.
    ///
    /// GraphQL: `removeUserFromGroup`
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
    /// assert!(management.groups().remove_users("readers", [ada.id.as_str()]).await?.is_success());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove_users<I, S>(&self, code: &str, user_ids: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.root(REMOVE_USER_FROM_GROUP, &Members { user_ids: strings(user_ids), code }).await
    }

    /// The resources a group is authorized on; `None` when the group does not exist.
    ///
    /// GraphQL: `listGroupAuthorizedResources`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.groups().create("readers", "Readers").send().await?;
    /// let resources = management.groups().list_authorized_resources("readers").namespace("default").send().await?;
    /// assert_eq!(resources.map(|r| r.len()), Some(0));
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_authorized_resources(&self, code: &str) -> ListGroupResourcesBuilder<'a> {
        ListGroupResourcesBuilder { client: self.client, code: code.to_owned(), namespace: None, resource_type: None }
    }
}

/// Builds [`Groups::create`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CreateGroupBuilder<'a> {
    client: &'a ManagementClient,
    code: String,
    name: String,
    description: Option<String>,
}

impl CreateGroupBuilder<'_> {
    /// The description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Creates the group.
    ///
    /// # Errors
    /// Authing's refusal (the code is taken), or transport errors.
    pub async fn send(self) -> Result<Group> {
        #[derive(Serialize)]
        struct Vars<'v> {
            code: &'v str,
            name: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'v str>,
        }
        let vars = Vars { code: &self.code, name: &self.name, description: self.description.as_deref() };
        self.client.root(CREATE_GROUP, &vars).await
    }
}

/// Builds [`Groups::update`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct UpdateGroupBuilder<'a> {
    client: &'a ManagementClient,
    code: String,
    name: Option<String>,
    description: Option<String>,
    new_code: Option<String>,
}

impl UpdateGroupBuilder<'_> {
    /// A new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// A new code: renames the group.
    pub fn new_code(mut self, new_code: impl Into<String>) -> Self {
        self.new_code = Some(new_code.into());
        self
    }

    /// Updates the group.
    ///
    /// # Errors
    /// Authing's refusal (an unknown group, the new code taken), or transport errors.
    pub async fn send(self) -> Result<Group> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            name: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            new_code: Option<&'v str>,
        }
        let vars = Vars {
            code: &self.code,
            name: self.name.as_deref(),
            description: self.description.as_deref(),
            new_code: self.new_code.as_deref(),
        };
        self.client.root(UPDATE_GROUP, &vars).await
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupListVars {
    #[serde(flatten)]
    page: PageLimit,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_by: Option<SortBy>,
}

paged_vars!(GroupListVars);

/// Builds [`Groups::list`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListGroupsBuilder<'a> {
    client: &'a ManagementClient,
    vars: GroupListVars,
}

impl ListGroupsBuilder<'_> {
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
    pub async fn send(self) -> Result<Page<Group>> {
        first_page(self.client, self.vars, |client, vars| Box::pin(async move { client.root(GROUPS, &vars).await }))
            .await
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupUsersVars {
    code: String,
    #[serde(flatten)]
    page: PageLimit,
    with_custom_data: bool,
}

paged_vars!(GroupUsersVars);

/// Builds [`Groups::list_users`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListGroupUsersBuilder<'a> {
    client: &'a ManagementClient,
    vars: GroupUsersVars,
}

impl ListGroupUsersBuilder<'_> {
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
                struct GroupUsers {
                    users: WirePage<User>,
                }
                let group: Option<GroupUsers> = client.root(GROUP_USERS, &vars).await?;
                Ok(group.map_or_else(WirePage::empty, |g| g.users))
            })
        })
        .await
    }
}

/// Builds [`Groups::list_authorized_resources`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListGroupResourcesBuilder<'a> {
    client: &'a ManagementClient,
    code: String,
    namespace: Option<String>,
    resource_type: Option<ResourceType>,
}

impl ListGroupResourcesBuilder<'_> {
    /// In this namespace (permission group).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Only resources of this type.
    pub fn resource_type(mut self, resource_type: ResourceType) -> Self {
        self.resource_type = Some(resource_type);
        self
    }

    /// Fetches the resources; `None` when the group does not exist.
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
        let vars =
            Vars { code: &self.code, namespace: self.namespace.as_deref(), resource_type: self.resource_type.as_ref() };
        let group: Option<WithResources> = self.client.root(GROUP_RESOURCES, &vars).await?;
        Ok(group.map(WithResources::into_list))
    }
}
