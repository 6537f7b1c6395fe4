//! `management.acl()`: resource namespaces, resources, grants and checks, programmatic access accounts, and who
//! may use an application.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::ManagementClient;
use super::paging::WirePage;
use super::paging::strings;
use crate::error::Result;
use crate::models::{
    ApplicationAccessPolicy, AuthorizedResource, AuthorizedTarget, CommonMessage, DefaultStrategy, GrantResources,
    GrantTarget, Namespace, Operator, PolicyAssignmentTargetType, ProgrammaticAccessAccount, Resource, ResourceAction,
    ResourceType,
};
use crate::page::Page;
use crate::transport::{Operation, PageQuery, RestCall};

const ALLOW: Operation<'static> = operation!("acl", "allow", "allow.graphql");
const IS_ACTION_ALLOWED: Operation<'static> = operation!("acl", "is_allowed", "is_action_allowed.graphql");
const AUTHORIZED_RESOURCES: Operation<'static> =
    operation!("acl", "list_authorized_resources", "authorized_resources.graphql", "authorized_resource.graphql");
const AUTHORIZE_RESOURCE: Operation<'static> = operation!("acl", "authorize_resource", "authorize_resource.graphql");
const AUTHORIZED_TARGETS: Operation<'static> =
    operation!("acl", "get_authorized_targets", "authorized_targets.graphql");

/// Access control: `management.acl()`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// use authing::management::AllowTarget;
/// use authing::models::{CreateUserInput, ResourceAction, ResourceType};
///
/// let acl = management.acl();
/// acl.create_namespace("library", "Library").send().await?;
/// let actions = [ResourceAction::new("books:read", "Read"), ResourceAction::new("books:edit", "Edit")];
/// acl.create_resource("library", "books", ResourceType::Data, actions).send().await?;
///
/// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
/// acl.allow("books:*", "books:read", AllowTarget::User(&ada.id)).namespace("library").send().await?;
/// assert!(acl.is_allowed(&ada.id, "books:42", "books:read").namespace("library").send().await?);
/// assert!(!acl.is_allowed(&ada.id, "books:42", "books:edit").namespace("library").send().await?);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Acl<'a> {
    client: &'a ManagementClient,
}

impl ManagementClient {
    /// Access control.
    pub fn acl(&self) -> Acl<'_> {
        Acl { client: self }
    }
}

/// Who [`Acl::allow`] grants to.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum AllowTarget<'a> {
    /// A user, by id.
    User(&'a str),
    /// A role, by code (its members inherit the grant).
    Role(&'a str),
}

impl<'a> Acl<'a> {
    /// Grants an action on a resource (a `DATA` grant) to a user or a role.
    ///
    /// GraphQL: `allow`
    ///
    /// See [`Acl`] for an example.
    pub fn allow(&self, resource: &str, action: &str, target: AllowTarget<'_>) -> AllowBuilder<'a> {
        let (user_id, role_code) = match target {
            AllowTarget::User(id) => (Some(id.to_owned()), None),
            AllowTarget::Role(code) => (None, Some(code.to_owned())),
        };
        AllowBuilder {
            client: self.client,
            resource: resource.to_owned(),
            action: action.to_owned(),
            user_id,
            role_code,
            namespace: None,
        }
    }

    /// Whether a user may take an action on a resource, through its own grants, its roles', groups' or org's.
    ///
    /// GraphQL: `isActionAllowed`
    ///
    /// See [`Acl`] for an example.
    pub fn is_allowed(&self, user_id: &str, resource: &str, action: &str) -> IsAllowedBuilder<'a> {
        IsAllowedBuilder {
            client: self.client,
            user_id: user_id.to_owned(),
            resource: resource.to_owned(),
            action: action.to_owned(),
            namespace: None,
        }
    }

    /// Creates a resource namespace; Authing gives it a numeric id.
    ///
    /// REST: `POST /api/v2/resource-namespace/{userPoolId}`
    ///
    /// See [`Acl`] for an example.
    pub fn create_namespace(&self, code: &str, name: &str) -> NamespaceBuilder<'a> {
        NamespaceBuilder::new(self.client, None, Some(code), Some(name))
    }

    /// Changes a namespace's code, name or description.
    ///
    /// REST: `PUT /api/v2/resource-namespace/{userPoolId}/{id}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let created = management.acl().create_namespace("library", "Library").send().await?;
    /// let updated = management.acl().update_namespace(created.id).name("City library").send().await?;
    /// assert_eq!(updated.name, "City library");
    /// let missing = management.acl().update_namespace(0).name("x").send().await.unwrap_err();
    /// assert_eq!(missing.code(), Some(3005));
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_namespace(&self, id: i64) -> NamespaceBuilder<'a> {
        NamespaceBuilder::new(self.client, Some(id), None, None)
    }

    /// Lists the resource namespaces.
    ///
    /// REST: `GET /api/v2/resource-namespace/{userPoolId}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.acl().create_namespace("library", "Library").send().await?;
    /// let page = management.acl().list_namespaces(1, 10).await?;
    /// assert!(page.items.iter().any(|n| n.code == "library"));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn list_namespaces(&self, page: u32, limit: u32) -> Result<Page<Namespace>> {
        #[derive(Deserialize)]
        struct Namespaces {
            #[serde(default)]
            total: u64,
            #[serde(default)]
            list: Vec<Namespace>,
        }
        let (page, limit) = (page.max(1), limit.max(1));
        let call = RestCall::get("acl.list_namespaces", &["resource-namespace", self.client.user_pool_id()]);
        let found: Namespaces = self.client.rest(call.query(&PageQuery { page, limit })).await?;
        Ok(Page::new(found.list, found.total, page, limit))
    }

    /// Deletes a namespace.
    ///
    /// REST: `DELETE /api/v2/resource-namespace/{userPoolId}/{id}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let created = management.acl().create_namespace("library", "Library").send().await?;
    /// management.acl().delete_namespace(created.id).await?;
    /// assert_eq!(management.acl().delete_namespace(created.id).await.unwrap_err().code(), Some(3003));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (3003 for an unknown id), or transport errors.
    pub async fn delete_namespace(&self, id: i64) -> Result<()> {
        let id = id.to_string();
        self.send(RestCall::delete("acl.delete_namespace", &["resource-namespace", self.client.user_pool_id(), &id]))
            .await
    }

    /// Creates a resource with the actions it supports.
    ///
    /// REST: `POST /api/v2/resources`
    ///
    /// See [`Acl`] for an example.
    pub fn create_resource<I>(
        &self,
        namespace: &str,
        code: &str,
        resource_type: ResourceType,
        actions: I,
    ) -> ResourceBuilder<'a>
    where
        I: IntoIterator<Item = ResourceAction>,
    {
        let mut builder = ResourceBuilder::new(self.client, namespace, code, true);
        builder.resource_type = Some(resource_type);
        builder.actions = Some(actions.into_iter().collect());
        builder
    }

    /// Changes a resource's type, actions, description or API identifier.
    ///
    /// REST: `POST /api/v2/resources/{code}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{ResourceAction, ResourceType};
    /// let acl = management.acl();
    /// acl.create_namespace("library", "Library").send().await?;
    /// acl.create_resource("library", "books", ResourceType::Data, [ResourceAction::new("books:read", "Read")]).send().await?;
    /// let books = acl.update_resource("library", "books").description("All the books").send().await?;
    /// assert_eq!(books.description.as_deref(), Some("All the books"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_resource(&self, namespace: &str, code: &str) -> ResourceBuilder<'a> {
        ResourceBuilder::new(self.client, namespace, code, false)
    }

    /// Lists the resources of a namespace.
    ///
    /// REST: `GET /api/v2/resources`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{ResourceAction, ResourceType};
    /// let acl = management.acl();
    /// acl.create_namespace("library", "Library").send().await?;
    /// acl.create_resource("library", "books", ResourceType::Data, [ResourceAction::new("books:read", "Read")]).send().await?;
    /// let page = acl.list_resources("library").resource_type(ResourceType::Data).send().await?;
    /// assert_eq!(page.items[0].code, "books");
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_resources(&self, namespace: &str) -> ListResourcesBuilder<'a> {
        ListResourcesBuilder {
            client: self.client,
            namespace: namespace.to_owned(),
            resource_type: None,
            page: 1,
            limit: 10,
        }
    }

    /// Deletes a resource.
    ///
    /// REST: `DELETE /api/v2/resources/{code}?namespace=`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{ResourceAction, ResourceType};
    /// let acl = management.acl();
    /// acl.create_namespace("library", "Library").send().await?;
    /// acl.create_resource("library", "books", ResourceType::Data, [ResourceAction::new("books:read", "Read")]).send().await?;
    /// acl.delete_resource("library", "books").await?;
    /// assert!(acl.get_resource_by_code("library", "books").await?.is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn delete_resource(&self, namespace: &str, code: &str) -> Result<()> {
        let query = [("namespace", namespace)];
        self.send(RestCall::delete("acl.delete_resource", &["resources", code]).query(&query)).await
    }

    /// A resource by its id; `None` when there is none.
    ///
    /// REST: `GET /api/v2/resources/detail?id=`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{ResourceAction, ResourceType};
    /// let acl = management.acl();
    /// acl.create_namespace("library", "Library").send().await?;
    /// let books = acl.create_resource("library", "books", ResourceType::Data, [ResourceAction::new("books:read", "Read")]).send().await?;
    /// assert_eq!(acl.get_resource_by_id(&books.id).await?.map(|r| r.code), Some("books".to_owned()));
    /// assert_eq!(acl.get_resource_by_code("library", "books").await?.map(|r| r.id), Some(books.id));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get_resource_by_id(&self, id: &str) -> Result<Option<Resource>> {
        self.client.rest(RestCall::get("acl.get_resource_by_id", &["resources", "detail"]).query(&[("id", id)])).await
    }

    /// A resource by its namespace and code; `None` when there is none.
    ///
    /// REST: `GET /api/v2/resources/detail?namespace=&code=`
    ///
    /// See [`get_resource_by_id`](Self::get_resource_by_id) for an example.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get_resource_by_code(&self, namespace: &str, code: &str) -> Result<Option<Resource>> {
        let query = [("namespace", namespace), ("code", code)];
        self.client.rest(RestCall::get("acl.get_resource_by_code", &["resources", "detail"]).query(&query)).await
    }

    /// The resources a target (user id, role code, group code, org node id) holds grants on.
    ///
    /// GraphQL: `authorizedResources`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{GrantTarget, PolicyAssignmentTargetType as Target};
    /// let acl = management.acl();
    /// acl.create_namespace("library", "Library").send().await?;
    /// management.roles().namespace("library").create("editor").send().await?;
    /// acl.authorize_resource("library", "books:1", [GrantTarget::new(Target::Role, "editor").actions(["books:edit"])]).await?;
    /// let granted = acl.list_authorized_resources("library", Target::Role, "editor").send().await?;
    /// assert_eq!(granted[0].code, "books:1");
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_authorized_resources(
        &self,
        namespace: &str,
        target_type: PolicyAssignmentTargetType,
        target: &str,
    ) -> ListAuthorizedResourcesBuilder<'a> {
        ListAuthorizedResourcesBuilder {
            client: self.client,
            namespace: namespace.to_owned(),
            target_type,
            target: target.to_owned(),
            resource_type: None,
        }
    }

    /// Grants actions on a resource to targets.
    ///
    /// GraphQL: `authorizeResource`
    ///
    /// See [`list_authorized_resources`](Self::list_authorized_resources) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn authorize_resource<I>(&self, namespace: &str, resource: &str, targets: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = GrantTarget>,
    {
        #[derive(Serialize)]
        struct Vars<'v> {
            namespace: &'v str,
            resource: &'v str,
            opts: Vec<GrantTarget>,
        }
        let vars = Vars { namespace, resource, opts: targets.into_iter().collect() };
        self.client.root(AUTHORIZE_RESOURCE, &vars).await
    }

    /// Takes grants on a resource back from targets. Revoking a type (`books`) also removes the target's instance
    /// grants (`books:1`); revoking an instance leaves a type grant.
    ///
    /// REST: `POST /api/v2/acl/revoke-resource`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{GrantTarget, PolicyAssignmentTargetType as Target};
    /// let acl = management.acl();
    /// acl.create_namespace("library", "Library").send().await?;
    /// management.roles().namespace("library").create("editor").send().await?;
    /// acl.authorize_resource("library", "books:1", [GrantTarget::new(Target::Role, "editor").actions(["books:edit"])]).await?;
    /// acl.revoke_resource("library", "books", [GrantTarget::new(Target::Role, "editor")]).await?;
    /// assert!(acl.list_authorized_resources("library", Target::Role, "editor").send().await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn revoke_resource<I>(&self, namespace: &str, resource: &str, targets: I) -> Result<()>
    where
        I: IntoIterator<Item = GrantTarget>,
    {
        #[derive(Serialize)]
        struct Body<'b> {
            namespace: &'b str,
            resource: &'b str,
            opts: Vec<GrantTarget>,
        }
        let body = Body { namespace, resource, opts: targets.into_iter().collect() };
        self.send(RestCall::post("acl.revoke_resource", &["acl", "revoke-resource"]).json(&body)?).await
    }

    /// The targets that hold grants on a resource.
    ///
    /// GraphQL: `authorizedTargets`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{GrantTarget, Operator, PolicyAssignmentTargetType as Target, ResourceType};
    /// let acl = management.acl();
    /// acl.create_namespace("library", "Library").send().await?;
    /// management.roles().namespace("library").create("editor").send().await?;
    /// acl.authorize_resource("library", "books:1", [GrantTarget::new(Target::Role, "editor").actions(["books:edit"])]).await?;
    /// let targets = acl
    ///     .get_authorized_targets("library", ResourceType::Data, "books:1")
    ///     .actions(Operator::Or, ["books:edit"])
    ///     .send()
    ///     .await?;
    /// assert_eq!(targets[0].target_identifier.as_deref(), Some("editor"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_authorized_targets(
        &self,
        namespace: &str,
        resource_type: ResourceType,
        resource: &str,
    ) -> AuthorizedTargetsBuilder<'a> {
        AuthorizedTargetsBuilder {
            client: self.client,
            namespace: namespace.to_owned(),
            resource_type,
            resource: resource.to_owned(),
            target_type: None,
            actions: None,
        }
    }

    /// The resources each target holds grants on, in the order of the targets.
    ///
    /// REST: `POST /api/v2/acl/list-authorized-resources-batch`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{GrantTarget, PolicyAssignmentTargetType as Target};
    /// let acl = management.acl();
    /// acl.create_namespace("library", "Library").send().await?;
    /// management.roles().namespace("library").create("editor").send().await?;
    /// acl.authorize_resource("library", "books:1", [GrantTarget::new(Target::Role, "editor").actions(["books:edit"])]).await?;
    /// let each = acl.list_authorized_resources_batch("library", [(Target::Role, "editor"), (Target::Role, "nobody")]).await?;
    /// assert_eq!((each[0].len(), each[1].len()), (1, 0));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn list_authorized_resources_batch<I, S>(
        &self,
        namespace: &str,
        targets: I,
    ) -> Result<Vec<Vec<AuthorizedResource>>>
    where
        I: IntoIterator<Item = (PolicyAssignmentTargetType, S)>,
        S: Into<String>,
    {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Target {
            target_type: PolicyAssignmentTargetType,
            target_identifier: String,
        }
        #[derive(Serialize)]
        struct Body<'b> {
            namespace: &'b str,
            targets: Vec<Target>,
        }
        #[derive(Deserialize)]
        struct Lists {
            list: Vec<WirePage<AuthorizedResource>>,
        }
        let targets =
            targets.into_iter().map(|(target_type, id)| Target { target_type, target_identifier: id.into() }).collect();
        let body = Body { namespace, targets };
        let call = RestCall::post("acl.list_authorized_resources_batch", &["acl", "list-authorized-resources-batch"]);
        let lists: Lists = self.client.rest(call.json(&body)?).await?;
        Ok(lists.list.into_iter().map(|page| page.list).collect())
    }

    /// Grants resources of several types to several targets at once.
    ///
    /// REST: `POST /api/v2/acl/authorize-resources`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{GrantResource, GrantResources, PolicyAssignmentTargetType as Target};
    /// let acl = management.acl();
    /// acl.create_namespace("library", "Library").send().await?;
    /// management.roles().namespace("library").create("editor").send().await?;
    /// let grant = GrantResources::new(Target::Role, ["editor"]).resource(GrantResource::new("books:1", ["books:edit"]));
    /// acl.authorize_resources("library", [grant.clone()]).await?;
    /// assert_eq!(acl.list_authorized_resources("library", Target::Role, "editor").send().await?.len(), 1);
    /// acl.revoke_resources("library", [grant]).await?;
    /// assert!(acl.list_authorized_resources("library", Target::Role, "editor").send().await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn authorize_resources<I>(&self, namespace: &str, grants: I) -> Result<()>
    where
        I: IntoIterator<Item = GrantResources>,
    {
        self.send_grants("acl.authorize_resources", "authorize-resources", namespace, grants).await
    }

    /// Takes back resources of several types from several targets at once.
    ///
    /// REST: `POST /api/v2/acl/revoke-resources`
    ///
    /// See [`authorize_resources`](Self::authorize_resources) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn revoke_resources<I>(&self, namespace: &str, grants: I) -> Result<()>
    where
        I: IntoIterator<Item = GrantResources>,
    {
        self.send_grants("acl.revoke_resources", "revoke-resources", namespace, grants).await
    }

    /// `POST /api/v2/acl/{action}` with grants.
    async fn send_grants<I>(&self, name: &str, action: &str, namespace: &str, grants: I) -> Result<()>
    where
        I: IntoIterator<Item = GrantResources>,
    {
        #[derive(Serialize)]
        struct Body<'b> {
            namespace: &'b str,
            opts: Vec<GrantResources>,
        }
        let body = Body { namespace, opts: grants.into_iter().collect() };
        self.send(RestCall::post(name, &["acl", action]).json(&body)?).await
    }

    /// The programmatic access accounts (access key + secret) of an application.
    ///
    /// REST: `GET /api/v2/applications/{appId}/programmatic-access-accounts`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let acl = management.acl();
    /// let account = acl.create_programmatic_access_account(emulator.app_id()).remarks("CI").send().await?;
    /// assert!(account.enabled && account.secret.is_some());
    /// acl.disable_programmatic_access_account(&account.id).await?;
    /// acl.enable_programmatic_access_account(&account.id).await?;
    /// let renewed = acl.refresh_programmatic_access_account_secret(&account.id, None).await?;
    /// assert_ne!(renewed.secret.map(|s| s.expose().to_owned()), account.secret.map(|s| s.expose().to_owned()));
    /// assert_eq!(acl.list_programmatic_access_accounts(emulator.app_id(), 1, 10).await?.total_count, 1);
    /// acl.delete_programmatic_access_account(&account.id).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an unknown application), or transport and decode errors.
    pub async fn list_programmatic_access_accounts(
        &self,
        app_id: &str,
        page: u32,
        limit: u32,
    ) -> Result<Page<ProgrammaticAccessAccount>> {
        let (page, limit) = (page.max(1), limit.max(1));
        let call = RestCall::get(
            "acl.list_programmatic_access_accounts",
            &["applications", app_id, "programmatic-access-accounts"],
        );
        let found: WirePage<ProgrammaticAccessAccount> =
            self.client.rest(call.query(&PageQuery { page, limit })).await?;
        Ok(Page::new(found.list, found.total_count, page, limit))
    }

    /// Creates a programmatic access account for an application.
    ///
    /// REST: `POST /api/v2/applications/{appId}/programmatic-access-accounts`
    ///
    /// See [`list_programmatic_access_accounts`](Self::list_programmatic_access_accounts) for an example.
    pub fn create_programmatic_access_account(&self, app_id: &str) -> CreateAccessAccountBuilder<'a> {
        CreateAccessAccountBuilder {
            client: self.client,
            app_id: app_id.to_owned(),
            remarks: None,
            token_lifetime: 600,
        }
    }

    /// Turns a programmatic access account on.
    ///
    /// REST: `PATCH /api/v2/applications/programmatic-access-accounts`
    ///
    /// See [`list_programmatic_access_accounts`](Self::list_programmatic_access_accounts) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown account), or transport errors.
    pub async fn enable_programmatic_access_account(&self, id: &str) -> Result<()> {
        self.patch_account(&AccountPatch { id, enabled: Some(true), secret: None }).await.map(drop)
    }

    /// Turns a programmatic access account off.
    ///
    /// REST: `PATCH /api/v2/applications/programmatic-access-accounts`
    ///
    /// See [`list_programmatic_access_accounts`](Self::list_programmatic_access_accounts) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown account), or transport errors.
    pub async fn disable_programmatic_access_account(&self, id: &str) -> Result<()> {
        self.patch_account(&AccountPatch { id, enabled: Some(false), secret: None }).await.map(drop)
    }

    /// Deletes a programmatic access account.
    ///
    /// REST: `DELETE /api/v2/applications/programmatic-access-accounts?id=`
    ///
    /// See [`list_programmatic_access_accounts`](Self::list_programmatic_access_accounts) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown account), or transport errors.
    pub async fn delete_programmatic_access_account(&self, id: &str) -> Result<()> {
        let call = RestCall::delete(
            "acl.delete_programmatic_access_account",
            &["applications", "programmatic-access-accounts"],
        );
        self.send(call.query(&[("id", id)])).await
    }

    /// Gives a programmatic access account a new secret: the one given, or a random one of 32 characters.
    ///
    /// REST: `PATCH /api/v2/applications/programmatic-access-accounts`
    ///
    /// See [`list_programmatic_access_accounts`](Self::list_programmatic_access_accounts) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown account), or transport and decode errors.
    pub async fn refresh_programmatic_access_account_secret(
        &self,
        id: &str,
        secret: Option<&str>,
    ) -> Result<ProgrammaticAccessAccount> {
        let generated;
        let secret = match secret {
            Some(secret) => secret,
            None => {
                generated = random_secret();
                &generated
            }
        };
        self.patch_account(&AccountPatch { id, enabled: None, secret: Some(secret) }).await
    }

    async fn patch_account(&self, patch: &AccountPatch<'_>) -> Result<ProgrammaticAccessAccount> {
        let call = RestCall::patch(
            "acl.update_programmatic_access_account",
            &["applications", "programmatic-access-accounts"],
        );
        self.client.rest(call.json(patch)?).await
    }

    /// Lets targets use an application (an access policy that allows).
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/allow`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{DefaultStrategy, PolicyAssignmentTargetType as Target};
    /// let (acl, app) = (management.acl(), emulator.app_id());
    /// management.roles().create("staff").send().await?;
    /// acl.update_default_application_access_policy(app, DefaultStrategy::DenyAll).await?;
    /// acl.allow_access_application(app, Target::Role, ["staff"]).send().await?;
    /// acl.disable_application_access_policies(app, Target::Role, ["staff"]).send().await?;
    /// acl.enable_application_access_policies(app, Target::Role, ["staff"]).send().await?;
    /// let policies = acl.get_application_access_policies(app, 1, 10).await?;
    /// assert_eq!(policies.items[0].target_identifier, "staff");
    /// acl.delete_application_access_policies(app, Target::Role, ["staff"]).send().await?;
    /// acl.deny_access_application(app, Target::Role, ["staff"]).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn allow_access_application<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AppAccessBuilder::new(self.client, "allow", app_id, target_type, strings(targets))
    }

    /// Keeps targets from using an application (an access policy that denies).
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/deny`
    ///
    /// See [`allow_access_application`](Self::allow_access_application) for an example.
    pub fn deny_access_application<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AppAccessBuilder::new(self.client, "deny", app_id, target_type, strings(targets))
    }

    /// Puts targets' access policies of an application back in effect.
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/enable-effect`
    ///
    /// See [`allow_access_application`](Self::allow_access_application) for an example.
    pub fn enable_application_access_policies<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AppAccessBuilder::new(self.client, "enable-effect", app_id, target_type, strings(targets))
    }

    /// Takes targets' access policies of an application out of effect, without removing them.
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/disable-effect`
    ///
    /// See [`allow_access_application`](Self::allow_access_application) for an example.
    pub fn disable_application_access_policies<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AppAccessBuilder::new(self.client, "disable-effect", app_id, target_type, strings(targets))
    }

    /// Removes targets' access policies of an application.
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/revoke`
    ///
    /// See [`allow_access_application`](Self::allow_access_application) for an example.
    pub fn delete_application_access_policies<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AppAccessBuilder::new(self.client, "revoke", app_id, target_type, strings(targets))
    }

    /// The access policies of an application.
    ///
    /// REST: `GET /api/v2/applications/{appId}/authorization/records`
    ///
    /// See [`allow_access_application`](Self::allow_access_application) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown application), or transport and decode errors.
    pub async fn get_application_access_policies(
        &self,
        app_id: &str,
        page: u32,
        limit: u32,
    ) -> Result<Page<ApplicationAccessPolicy>> {
        let (page, limit) = (page.max(1), limit.max(1));
        let call = RestCall::get(
            "acl.list_application_access_policies",
            &["applications", app_id, "authorization", "records"],
        );
        let found: WirePage<ApplicationAccessPolicy> = self.client.rest(call.query(&PageQuery { page, limit })).await?;
        Ok(Page::new(found.list, found.total_count, page, limit))
    }

    /// What an application allows when no access policy matches: everybody, or nobody.
    ///
    /// REST: `POST /api/v2/applications/{appId}`
    ///
    /// See [`allow_access_application`](Self::allow_access_application) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown application), or transport errors.
    pub async fn update_default_application_access_policy(
        &self,
        app_id: &str,
        strategy: DefaultStrategy,
    ) -> Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Strategy {
            default_strategy: DefaultStrategy,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body {
            permission_strategy: Strategy,
        }
        let body = Body { permission_strategy: Strategy { default_strategy: strategy } };
        let call = RestCall::post("acl.update_default_application_access_policy", &["applications", app_id]);
        self.send(call.json(&body)?).await
    }

    /// A management REST call whose `data` does not matter.
    async fn send<Q: Serialize + ?Sized>(&self, call: RestCall<'_, Q>) -> Result<()> {
        let _: serde::de::IgnoredAny = self.client.rest(call).await?;
        Ok(())
    }
}

#[derive(Serialize)]
struct AccountPatch<'p> {
    id: &'p str,
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'p str>,
}

/// 32 characters from an alphabet without look-alikes.
fn random_secret() -> String {
    const ALPHABET: &[u8] = b"abcdefhijkmnprstwxyz2345678";
    let mut rng = rand::thread_rng();
    (0..32).map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])).collect()
}

/// Builds [`Acl::allow`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct AllowBuilder<'a> {
    client: &'a ManagementClient,
    resource: String,
    action: String,
    user_id: Option<String>,
    role_code: Option<String>,
    namespace: Option<String>,
}

impl AllowBuilder<'_> {
    /// The resource namespace (code).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Grants.
    ///
    /// # Errors
    /// Authing's refusal (an unknown user or role), or transport errors.
    pub async fn send(self) -> Result<CommonMessage> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            resource: &'v str,
            action: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            user_id: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            role_code: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
        }
        let vars = Vars {
            resource: &self.resource,
            action: &self.action,
            user_id: self.user_id.as_deref(),
            role_code: self.role_code.as_deref(),
            namespace: self.namespace.as_deref(),
        };
        self.client.root(ALLOW, &vars).await
    }
}

/// Builds [`Acl::is_allowed`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct IsAllowedBuilder<'a> {
    client: &'a ManagementClient,
    user_id: String,
    resource: String,
    action: String,
    namespace: Option<String>,
}

impl IsAllowedBuilder<'_> {
    /// The resource namespace (code).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Asks Authing.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn send(self) -> Result<bool> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            resource: &'v str,
            action: &'v str,
            user_id: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
        }
        let vars = Vars {
            resource: &self.resource,
            action: &self.action,
            user_id: &self.user_id,
            namespace: self.namespace.as_deref(),
        };
        self.client.root(IS_ACTION_ALLOWED, &vars).await
    }
}

/// Builds [`Acl::create_namespace`] and [`Acl::update_namespace`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct NamespaceBuilder<'a> {
    client: &'a ManagementClient,
    id: Option<i64>,
    code: Option<String>,
    name: Option<String>,
    description: Option<String>,
}

impl<'a> NamespaceBuilder<'a> {
    fn new(client: &'a ManagementClient, id: Option<i64>, code: Option<&str>, name: Option<&str>) -> Self {
        Self { client, id, code: code.map(str::to_owned), name: name.map(str::to_owned), description: None }
    }

    /// A (new) code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// A (new) name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// A (new) description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Creates or updates the namespace.
    ///
    /// # Errors
    /// Authing's refusal (the code taken; 3005 for an unknown id), or transport and decode errors.
    pub async fn send(self) -> Result<Namespace> {
        #[derive(Serialize)]
        struct Body<'b> {
            #[serde(skip_serializing_if = "Option::is_none")]
            code: Option<&'b str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            name: Option<&'b str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'b str>,
        }
        let body =
            Body { code: self.code.as_deref(), name: self.name.as_deref(), description: self.description.as_deref() };
        let pool = self.client.user_pool_id();
        match self.id {
            Some(id) => {
                let id = id.to_string();
                let call = RestCall::put("acl.update_namespace", &["resource-namespace", pool, &id]);
                self.client.rest(call.json(&body)?).await
            }
            None => {
                let call = RestCall::post("acl.create_namespace", &["resource-namespace", pool]);
                self.client.rest(call.json(&body)?).await
            }
        }
    }
}

/// Builds [`Acl::create_resource`] and [`Acl::update_resource`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ResourceBuilder<'a> {
    client: &'a ManagementClient,
    namespace: String,
    code: String,
    create: bool,
    resource_type: Option<ResourceType>,
    actions: Option<Vec<ResourceAction>>,
    description: Option<String>,
    api_identifier: Option<String>,
}

impl<'a> ResourceBuilder<'a> {
    fn new(client: &'a ManagementClient, namespace: &str, code: &str, create: bool) -> Self {
        Self {
            client,
            namespace: namespace.to_owned(),
            code: code.to_owned(),
            create,
            resource_type: None,
            actions: None,
            description: None,
            api_identifier: None,
        }
    }

    /// The resource's type.
    pub fn resource_type(mut self, resource_type: ResourceType) -> Self {
        self.resource_type = Some(resource_type);
        self
    }

    /// The actions it supports (replacing the old ones on update).
    pub fn actions<I: IntoIterator<Item = ResourceAction>>(mut self, actions: I) -> Self {
        self.actions = Some(actions.into_iter().collect());
        self
    }

    /// The description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The API identifier, for `API` resources.
    pub fn api_identifier(mut self, api_identifier: impl Into<String>) -> Self {
        self.api_identifier = Some(api_identifier.into());
        self
    }

    /// Creates or updates the resource.
    ///
    /// # Errors
    /// Authing's refusal (an unknown namespace, the code taken, an unknown resource), or transport and decode
    /// errors.
    pub async fn send(self) -> Result<Resource> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            namespace: &'b str,
            #[serde(skip_serializing_if = "Option::is_none")]
            code: Option<&'b str>,
            #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
            kind: Option<&'b ResourceType>,
            #[serde(skip_serializing_if = "Option::is_none")]
            actions: Option<&'b [ResourceAction]>,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'b str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            api_identifier: Option<&'b str>,
        }
        let body = Body {
            namespace: &self.namespace,
            code: self.create.then_some(self.code.as_str()),
            kind: self.resource_type.as_ref(),
            actions: self.actions.as_deref(),
            description: self.description.as_deref(),
            api_identifier: self.api_identifier.as_deref(),
        };
        let call = if self.create {
            RestCall::post("acl.create_resource", &["resources"])
        } else {
            RestCall::post("acl.update_resource", &["resources", &self.code])
        };
        self.client.rest(call.json(&body)?).await
    }
}

/// Builds [`Acl::list_resources`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListResourcesBuilder<'a> {
    client: &'a ManagementClient,
    namespace: String,
    resource_type: Option<ResourceType>,
    page: u32,
    limit: u32,
}

impl ListResourcesBuilder<'_> {
    /// Only resources of this type.
    pub fn resource_type(mut self, resource_type: ResourceType) -> Self {
        self.resource_type = Some(resource_type);
        self
    }

    /// The page to fetch, from 1 (default 1).
    pub fn page(mut self, page: u32) -> Self {
        self.page = page.max(1);
        self
    }

    /// The page size (default 10).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit.max(1);
        self
    }

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<Resource>> {
        #[derive(Serialize)]
        struct Query<'q> {
            namespace: &'q str,
            #[serde(rename = "type")]
            resource_type: Option<&'q ResourceType>,
            page: u32,
            limit: u32,
        }
        let query = Query {
            namespace: &self.namespace,
            resource_type: self.resource_type.as_ref(),
            page: self.page,
            limit: self.limit,
        };
        let found: WirePage<Resource> =
            self.client.rest(RestCall::get("acl.list_resources", &["resources"]).query(&query)).await?;
        Ok(Page::new(found.list, found.total_count, self.page, self.limit))
    }
}

/// Builds [`Acl::list_authorized_resources`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListAuthorizedResourcesBuilder<'a> {
    client: &'a ManagementClient,
    namespace: String,
    target_type: PolicyAssignmentTargetType,
    target: String,
    resource_type: Option<ResourceType>,
}

impl ListAuthorizedResourcesBuilder<'_> {
    /// Only resources of this type.
    pub fn resource_type(mut self, resource_type: ResourceType) -> Self {
        self.resource_type = Some(resource_type);
        self
    }

    /// Fetches the resources.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Vec<AuthorizedResource>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            target_type: &'v PolicyAssignmentTargetType,
            target_identifier: &'v str,
            namespace: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            resource_type: Option<&'v ResourceType>,
        }
        let vars = Vars {
            target_type: &self.target_type,
            target_identifier: &self.target,
            namespace: &self.namespace,
            resource_type: self.resource_type.as_ref(),
        };
        let found: Option<WirePage<AuthorizedResource>> = self.client.root(AUTHORIZED_RESOURCES, &vars).await?;
        Ok(found.map(|page| page.list).unwrap_or_default())
    }
}

/// Builds [`Acl::get_authorized_targets`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct AuthorizedTargetsBuilder<'a> {
    client: &'a ManagementClient,
    namespace: String,
    resource_type: ResourceType,
    resource: String,
    target_type: Option<PolicyAssignmentTargetType>,
    actions: Option<(Operator, Vec<String>)>,
}

impl AuthorizedTargetsBuilder<'_> {
    /// Only targets of this kind.
    pub fn target_type(mut self, target_type: PolicyAssignmentTargetType) -> Self {
        self.target_type = Some(target_type);
        self
    }

    /// Only targets holding all (`And`) or any (`Or`) of these actions.
    pub fn actions<I, S>(mut self, op: Operator, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.actions = Some((op, strings(actions)));
        self
    }

    /// Fetches the targets.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Vec<AuthorizedTarget>> {
        #[derive(Serialize)]
        struct Actions<'v> {
            op: &'v Operator,
            list: &'v [String],
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            namespace: &'v str,
            resource_type: &'v ResourceType,
            resource: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            target_type: Option<&'v PolicyAssignmentTargetType>,
            #[serde(skip_serializing_if = "Option::is_none")]
            actions: Option<Actions<'v>>,
        }
        #[derive(Deserialize)]
        struct Targets {
            list: Option<Vec<Option<AuthorizedTarget>>>,
        }
        let vars = Vars {
            namespace: &self.namespace,
            resource_type: &self.resource_type,
            resource: &self.resource,
            target_type: self.target_type.as_ref(),
            actions: self.actions.as_ref().map(|(op, list)| Actions { op, list }),
        };
        let found: Option<Targets> = self.client.root(AUTHORIZED_TARGETS, &vars).await?;
        Ok(found.and_then(|t| t.list).unwrap_or_default().into_iter().flatten().collect())
    }
}

/// Builds [`Acl::create_programmatic_access_account`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CreateAccessAccountBuilder<'a> {
    client: &'a ManagementClient,
    app_id: String,
    remarks: Option<String>,
    token_lifetime: u64,
}

impl CreateAccessAccountBuilder<'_> {
    /// Remarks.
    pub fn remarks(mut self, remarks: impl Into<String>) -> Self {
        self.remarks = Some(remarks.into());
        self
    }

    /// How long the account's tokens live, in seconds (default 600).
    pub fn token_lifetime(mut self, seconds: u64) -> Self {
        self.token_lifetime = seconds;
        self
    }

    /// Creates the account; its secret is in the result.
    ///
    /// # Errors
    /// Authing's refusal (an unknown application), or transport and decode errors.
    pub async fn send(self) -> Result<ProgrammaticAccessAccount> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            token_lifetime: u64,
            #[serde(skip_serializing_if = "Option::is_none")]
            remarks: Option<&'b str>,
        }
        let body = Body { token_lifetime: self.token_lifetime, remarks: self.remarks.as_deref() };
        let call = RestCall::post(
            "acl.create_programmatic_access_account",
            &["applications", &self.app_id, "programmatic-access-accounts"],
        );
        self.client.rest(call.json(&body)?).await
    }
}

/// Builds the application access policy calls of [`Acl`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct AppAccessBuilder<'a> {
    client: &'a ManagementClient,
    action: &'static str,
    app_id: String,
    target_type: PolicyAssignmentTargetType,
    targets: Vec<String>,
    namespace: Option<String>,
    inherit_by_children: Option<bool>,
}

impl<'a> AppAccessBuilder<'a> {
    fn new(
        client: &'a ManagementClient,
        action: &'static str,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: Vec<String>,
    ) -> Self {
        Self {
            client,
            action,
            app_id: app_id.to_owned(),
            target_type,
            targets,
            namespace: None,
            inherit_by_children: None,
        }
    }

    /// The namespace of role targets.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// For `ORG` targets: whether the node's children are covered too.
    pub fn inherit_by_children(mut self, inherit: bool) -> Self {
        self.inherit_by_children = Some(inherit);
        self
    }

    /// Sends the change.
    ///
    /// # Errors
    /// Authing's refusal (an unknown application), or transport errors.
    pub async fn send(self) -> Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            target_type: &'b PolicyAssignmentTargetType,
            target_identifiers: &'b [String],
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'b str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            inherit_by_children: Option<bool>,
        }
        let body = Body {
            target_type: &self.target_type,
            target_identifiers: &self.targets,
            namespace: self.namespace.as_deref(),
            inherit_by_children: self.inherit_by_children,
        };
        let call = RestCall::post(
            "acl.application_access_policy",
            &["applications", &self.app_id, "authorization", self.action],
        );
        let _: serde::de::IgnoredAny = self.client.rest(call.json(&body)?).await?;
        Ok(())
    }
}

#[derive(Serialize)]
struct AssignmentsByTargetQuery<'a> {
    namespace: &'a str,
    policy_code: &'a str,
    target_type: &'a str,
}

impl Acl<'_> {
    /// The assignments of a policy to targets of one type.
    ///
    /// REST: `GET /api/v2/policies/assignments/by-target?namespace=&policy_code=&target_type=`
    ///
    /// ```no_run
    /// # async fn demo(management: authing::ManagementClient) -> authing::Result<()> {
    /// use authing::models::PolicyAssignmentTargetType;
    /// let assigned = management.acl().get_policies_assignments_condition("default", "read-books", PolicyAssignmentTargetType::User).await?;
    /// # let _ = assigned;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an unknown policy); transport and decode errors.
    pub async fn get_policies_assignments_condition(
        &self,
        namespace: &str,
        policy_code: &str,
        target_type: crate::models::PolicyAssignmentTargetType,
    ) -> Result<Vec<crate::models::PolicyAssignment>> {
        let query = AssignmentsByTargetQuery { namespace, policy_code, target_type: target_type.as_str() };
        let call = RestCall::get("acl.get_policies_assignments_condition", &["policies", "assignments", "by-target"])
            .query(&query);
        let wire: Option<WirePage<crate::models::PolicyAssignment>> = self.client.rest(call).await?;
        Ok(wire.map(|w| w.list).unwrap_or_default())
    }
}
