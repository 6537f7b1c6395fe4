//! `management.org()`: organizations, their node trees, members, node roles and resources, import and export,
//! and third-party directory sync.

mod builders;

use serde::{Deserialize, Serialize};

use super::ManagementClient;
use super::paging::{WirePage, strings};
use super::roles::{ASSIGN_ROLE, REVOKE_ROLE};
use crate::error::{AuthingError, Result};
use crate::models::{CommonMessage, Org as OrgModel, OrgExport, OrgNode, Role, SyncProvider};
use crate::transport::{Operation, RestCall};

pub use builders::{
    AddMembersBuilder, AddNodeBuilder, CreateNodeBuilder, CreateOrgBuilder, GetAllOrgsBuilder, ListMembersBuilder,
    ListNodeResourcesBuilder, ListOrgsBuilder, UpdateNodeBuilder,
};
use builders::{MemberNode, MembersVars, NodeKey};

const CREATE_ORG: Operation<'static> =
    operation!("org", "create", "org/create_org.graphql", "org.graphql", "org_node.graphql");
const DELETE_ORG: Operation<'static> = operation!("org", "delete_by_id", "org/delete_org.graphql");
const ORGS: Operation<'static> = operation!("org", "list", "org/orgs.graphql", "org.graphql", "org_node.graphql");
const ORG: Operation<'static> = operation!("org", "find_by_id", "org/org.graphql", "org.graphql", "org_node.graphql");
const ADD_NODE: Operation<'static> =
    operation!("org", "add_node", "org/add_node.graphql", "org.graphql", "org_node.graphql");
const ADD_NODE_V2: Operation<'static> = operation!("org", "create_node", "org/add_node_v2.graphql", "org_node.graphql");
const NODE_BY_ID: Operation<'static> =
    operation!("org", "get_node_by_id", "org/node_by_id.graphql", "org_node.graphql");
const NODE_BY_CODE: Operation<'static> =
    operation!("org", "get_node_by_code", "org/node_by_code.graphql", "org_node.graphql");
const UPDATE_NODE: Operation<'static> = operation!("org", "update_node", "org/update_node.graphql", "org_node.graphql");
const DELETE_NODE: Operation<'static> = operation!("org", "delete_node", "org/delete_node.graphql");
const IS_ROOT_NODE: Operation<'static> = operation!("org", "is_root_node", "org/is_root_node.graphql");
const MOVE_NODE: Operation<'static> =
    operation!("org", "move_node", "org/move_node.graphql", "org.graphql", "org_node.graphql");
const CHILDREN_NODES: Operation<'static> =
    operation!("org", "list_children", "org/children_nodes.graphql", "org_node.graphql");
const ROOT_NODE: Operation<'static> = operation!("org", "root_node", "org/root_node.graphql", "org_node.graphql");
const SEARCH_NODES: Operation<'static> =
    operation!("org", "search_nodes", "org/search_nodes.graphql", "org_node.graphql");
const ADD_MEMBER: Operation<'static> = operation!("org", "add_members", "org/add_member.graphql", "org_node.graphql");
const ADD_MEMBER_BY_CODE: Operation<'static> =
    operation!("org", "add_members_by_code", "org/add_member.graphql", "org_node.graphql");
const REMOVE_MEMBER: Operation<'static> =
    operation!("org", "delete_members", "org/remove_member.graphql", "org_node.graphql");
const REMOVE_MEMBER_BY_CODE: Operation<'static> =
    operation!("org", "delete_members_by_code", "org/remove_member.graphql", "org_node.graphql");
const NODE_MEMBERS: Operation<'static> = operation!("org", "list_members", "org/node_members.graphql", "user.graphql");
const MOVE_MEMBERS: Operation<'static> = operation!("org", "move_members", "org/move_members.graphql");
const SET_MAIN_DEPARTMENT: Operation<'static> =
    operation!("org", "set_main_department", "org/set_main_department.graphql");
const CLEAR_MAIN_DEPARTMENT: Operation<'static> =
    operation!("org", "clear_main_department", "org/set_main_department.graphql");
const NODE_ROLES: Operation<'static> = operation!("org", "list_roles", "org/node_roles.graphql", "role.graphql");
const NODE_ROLES_BY_CODE: Operation<'static> =
    operation!("org", "list_roles_by_code", "org/node_roles_by_code.graphql", "role.graphql");
const NODE_RESOURCES: Operation<'static> = operation!(
    "org",
    "list_authorized_resources",
    "org/node_authorized_resources.graphql",
    "authorized_resource.graphql"
);
const NODE_RESOURCES_BY_CODE: Operation<'static> = operation!(
    "org",
    "list_authorized_resources_by_code",
    "org/node_authorized_resources_by_code.graphql",
    "authorized_resource.graphql"
);

/// The organizations of the pool: `management.org()`. Node roles and resources are read and given in the
/// `default` namespace unless [`namespace`](Self::namespace) says otherwise.
///
/// See [`Org`](crate::models::Org) for an example.
#[derive(Debug, Clone, Copy)]
pub struct Org<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
}

impl ManagementClient {
    /// The organizations of the pool.
    pub fn org(&self) -> Org<'_> {
        Org { client: self, namespace: None }
    }
}

#[derive(Serialize)]
struct IdVars<'v> {
    id: &'v str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrgNodeVars<'v> {
    org_id: &'v str,
    node_id: &'v str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NodeRolesVars<'v> {
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<&'v str>,
    role_codes: Vec<String>,
    /// Named `nodeCodes` by the schema, it carries node ids.
    node_codes: [&'v str; 1],
}

/// A node as the role documents select it.
#[derive(Deserialize)]
struct WithRoles {
    roles: Option<WirePage<Role>>,
}

impl<'a> Org<'a> {
    /// The same accessor with node roles and resources in another namespace (permission group).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let org = management.org().create("Acme").send().await?;
    /// management.roles().namespace("shop").create("clerk").send().await?;
    /// let shop = management.org().namespace("shop");
    /// shop.add_roles(&org.root_node.id, ["clerk"]).await?;
    /// assert_eq!(shop.list_roles(&org.root_node.id).await?.map(|r| r.len()), Some(1));
    /// # Ok(())
    /// # }
    /// ```
    pub fn namespace(self, namespace: &'a str) -> Self {
        Self { namespace: Some(namespace), ..self }
    }

    // ---- organizations -------------------------------------------------------------------------------

    /// Creates an organization. It starts with one node, its root, which carries the name, code and description.
    ///
    /// GraphQL: `createOrg`
    ///
    /// See [`Org`](crate::models::Org) for an example.
    pub fn create(&self, name: &str) -> CreateOrgBuilder<'a> {
        CreateOrgBuilder::new(self.client, name)
    }

    /// The same as [`create`](Self::create) (the Python SDK's `create_org`).
    ///
    /// GraphQL: `createOrg`
    ///
    /// See [`create`](Self::create) for an example.
    pub fn create_org(&self, name: &str) -> CreateOrgBuilder<'a> {
        self.create(name)
    }

    /// Deletes an organization with all its nodes.
    ///
    /// GraphQL: `deleteOrg`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let org = management.org().create("Acme").send().await?;
    /// assert!(management.org().delete_by_id(&org.id).await?.is_success());
    /// assert_eq!(management.org().list().send().await?.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an unknown organization), or transport errors.
    pub async fn delete_by_id(&self, org_id: &str) -> Result<CommonMessage> {
        self.client.root(DELETE_ORG, &IdVars { id: org_id }).await
    }

    /// Lists the organizations, newest first.
    ///
    /// GraphQL: `orgs`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use futures::TryStreamExt as _;
    /// management.org().create("Acme").send().await?;
    /// management.org().create("Beta").send().await?;
    /// let page = management.org().list().limit(1).send().await?;
    /// assert_eq!(page.total_count, 2);
    /// let all: Vec<_> = page.into_stream().try_collect().await?;
    /// assert_eq!(all[0].root_node.name, "Beta", "newest first");
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListOrgsBuilder<'a> {
        ListOrgsBuilder::new(self.client)
    }

    /// Lists the organizations through REST (the JS SDK's `getAllOrgs`): the count, then the page.
    ///
    /// REST: `GET /api/v2/orgs/count`, then `GET /api/v2/orgs?page=&limit=`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// management.org().create("Acme").send().await?;
    /// let page = management.org().get_all_orgs().send().await?;
    /// assert_eq!((page.total_count, page.items.len()), (1, 1));
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_all_orgs(&self) -> GetAllOrgsBuilder<'a> {
        GetAllOrgsBuilder::new(self.client)
    }

    /// One organization with all its nodes.
    ///
    /// GraphQL: `org`
    ///
    /// See [`Org`](crate::models::Org) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown organization), or transport errors.
    pub async fn find_by_id(&self, org_id: &str) -> Result<OrgModel> {
        self.client.root(ORG, &IdVars { id: org_id }).await
    }

    /// The organization of a tenant; `None` when it has none.
    ///
    /// REST: `GET /api/v2/orgs/by-tenant?tenant_id=`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let org = management.org().create("Acme").tenant_id("tenant-1").send().await?;
    /// let found = management.org().get_org_by_tenant_id("tenant-1").await?;
    /// assert_eq!(found.map(|o| o.id), Some(org.id));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn get_org_by_tenant_id(&self, tenant_id: &str) -> Result<Option<OrgModel>> {
        let query = [("tenant_id", tenant_id)];
        self.client.rest(RestCall::get("org.get_org_by_tenant_id", &["orgs", "by-tenant"]).query(&query)).await
    }

    // ---- nodes ---------------------------------------------------------------------------------------

    /// Adds a node and answers with it (under the root unless [`parent`](CreateNodeBuilder::parent) is set).
    ///
    /// GraphQL: `addNodeV2`
    ///
    /// See [`Org`](crate::models::Org) for an example.
    pub fn create_node(&self, org_id: &str, name: &str) -> CreateNodeBuilder<'a> {
        CreateNodeBuilder::new(self.client, org_id, name)
    }

    /// Adds a node and answers with the whole organization (the Python SDK's `add_node`); the i18n values are
    /// sent under the names the document declares.
    ///
    /// GraphQL: `addNode`
    ///
    /// See [`Org`](crate::models::Org) for an example.
    pub fn add_node(&self, org_id: &str, name: &str) -> AddNodeBuilder<'a> {
        AddNodeBuilder::new(self.client, org_id, name)
    }

    /// One node; `None` when there is none.
    ///
    /// GraphQL: `nodeById`
    ///
    /// See [`get_node_by_code`](Self::get_node_by_code) for an example.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get_node_by_id(&self, node_id: &str) -> Result<Option<OrgNode>> {
        self.client.root(NODE_BY_ID, &IdVars { id: node_id }).await
    }

    /// The node of an organization with this code; `None` when there is none.
    ///
    /// GraphQL: `nodeByCode`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let org = management.org().create("Acme").send().await?;
    /// let dev = management.org().create_node(&org.id, "Dev").code("dev").send().await?;
    /// let found = management.org().get_node_by_code(&org.id, "dev").await?;
    /// assert_eq!(found.map(|n| n.id), Some(dev.id.clone()));
    /// assert_eq!(management.org().get_node_by_id(&dev.id).await?.map(|n| n.name), Some("Dev".to_owned()));
    /// assert!(management.org().is_root_node(&org.id, &org.root_node.id).await?.unwrap_or(false));
    /// assert_eq!(management.org().root_node(&org.id).await?.id, org.root_node.id);
    /// assert_eq!(management.org().list_children(&org.root_node.id).await?.len(), 1);
    /// assert_eq!(management.org().search_nodes("De").await?.len(), 1);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get_node_by_code(&self, org_id: &str, code: &str) -> Result<Option<OrgNode>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            org_id: &'v str,
            code: &'v str,
        }
        self.client.root(NODE_BY_CODE, &Vars { org_id, code }).await
    }

    /// Changes a node's name, code or description (only those given).
    ///
    /// GraphQL: `updateNode`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let org = management.org().create("Acme").send().await?;
    /// let dev = management.org().create_node(&org.id, "Dev").code("dev").send().await?;
    /// let renamed = management.org().update_node(&dev.id).name("Engineering").send().await?;
    /// assert_eq!((renamed.name.as_str(), renamed.code.as_deref()), ("Engineering", Some("dev")));
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_node(&self, node_id: &str) -> UpdateNodeBuilder<'a> {
        UpdateNodeBuilder::new(self.client, node_id)
    }

    /// Deletes a node with its whole subtree.
    ///
    /// GraphQL: `deleteNode`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let org = management.org().create("Acme").send().await?;
    /// let dev = management.org().create_node(&org.id, "Dev").send().await?;
    /// management.org().create_node(&org.id, "Backend").parent(&dev.id).send().await?;
    /// management.org().delete_node(&org.id, &dev.id).await?;
    /// assert_eq!(management.org().find_by_id(&org.id).await?.nodes.len(), 1, "the subtree went too");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an unknown organization or node, the root), or transport errors.
    pub async fn delete_node(&self, org_id: &str, node_id: &str) -> Result<CommonMessage> {
        self.client.root(DELETE_NODE, &OrgNodeVars { org_id, node_id }).await
    }

    /// Moves a node with its subtree under another node; answers with the updated organization.
    ///
    /// GraphQL: `moveNode`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let org = management.org().create("Acme").send().await?;
    /// let dev = management.org().create_node(&org.id, "Dev").send().await?;
    /// let ops = management.org().create_node(&org.id, "Ops").send().await?;
    /// let moved = management.org().move_node(&org.id, &ops.id, &dev.id).await?;
    /// assert_eq!(moved.node(&ops.id).map(|n| n.depth), Some(Some(2)));
    /// let refused = management.org().move_node(&org.id, &dev.id, &ops.id).await;
    /// assert_eq!(refused.unwrap_err().code(), Some(2703), "not under its own descendant");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (a target inside the node's own subtree, an unknown node), or transport errors.
    pub async fn move_node(&self, org_id: &str, node_id: &str, target_parent_id: &str) -> Result<OrgModel> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            org_id: &'v str,
            node_id: &'v str,
            target_parent_id: &'v str,
        }
        self.client.root(MOVE_NODE, &Vars { org_id, node_id, target_parent_id }).await
    }

    /// Whether a node is its organization's root (`None` when the server says nothing).
    ///
    /// GraphQL: `isRootNode`
    ///
    /// See [`get_node_by_code`](Self::get_node_by_code) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown organization or node), or transport errors.
    pub async fn is_root_node(&self, org_id: &str, node_id: &str) -> Result<Option<bool>> {
        self.client.root(IS_ROOT_NODE, &OrgNodeVars { org_id, node_id }).await
    }

    /// The root node of an organization.
    ///
    /// GraphQL: `rootNode`
    ///
    /// See [`get_node_by_code`](Self::get_node_by_code) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown organization), or transport errors.
    pub async fn root_node(&self, org_id: &str) -> Result<OrgNode> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            org_id: &'v str,
        }
        self.client.root(ROOT_NODE, &Vars { org_id }).await
    }

    /// The direct children of a node; their `depth` counts from it.
    ///
    /// GraphQL: `childrenNodes`
    ///
    /// See [`get_node_by_code`](Self::get_node_by_code) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown node), or transport errors.
    pub async fn list_children(&self, node_id: &str) -> Result<Vec<OrgNode>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            node_id: &'v str,
        }
        self.client.root(CHILDREN_NODES, &Vars { node_id }).await
    }

    /// The nodes of every organization whose name contains `keyword`.
    ///
    /// GraphQL: `searchNodes`
    ///
    /// See [`get_node_by_code`](Self::get_node_by_code) for an example.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn search_nodes(&self, keyword: &str) -> Result<Vec<OrgNode>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            keyword: &'v str,
        }
        self.client.root(SEARCH_NODES, &Vars { keyword }).await
    }

    // ---- members -------------------------------------------------------------------------------------

    /// Makes users members of a node, as its leaders with [`is_leader`](AddMembersBuilder::is_leader); answers
    /// with the node.
    ///
    /// GraphQL: `addMember`
    ///
    /// See [`list_members`](Self::list_members) for an example.
    pub fn add_members<I, S>(&self, node_id: &str, user_ids: I) -> AddMembersBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AddMembersBuilder::new(self.client, MemberNode::Id { node_id: node_id.to_owned() }, strings(user_ids))
    }

    /// Makes users members of the node of an organization with this code: the same `addMember` mutation as
    /// [`add_members`](Self::add_members), addressed by `orgId` and `nodeCode` instead of `nodeId`.
    ///
    /// GraphQL: `addMember` with `orgId`, `nodeCode`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let org = management.org().create("Acme").send().await?;
    /// let dev = management.org().create_node(&org.id, "Dev").code("dev").send().await?;
    /// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// let node = management.org().add_members_by_code(&org.id, "dev", [ada.id.as_str()]).is_leader(true).send().await?;
    /// assert_eq!(node.id, dev.id);
    /// management.org().delete_members_by_code(&org.id, "dev", [ada.id.as_str()]).await?;
    /// assert_eq!(management.org().list_members(&dev.id).send().await?.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_members_by_code<I, S>(&self, org_id: &str, code: &str, user_ids: I) -> AddMembersBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let node = MemberNode::Code { org_id: org_id.to_owned(), node_code: code.to_owned() };
        AddMembersBuilder::new(self.client, node, strings(user_ids))
    }

    /// Takes users out of a node; answers with the node.
    ///
    /// GraphQL: `removeMember`
    ///
    /// See [`list_members`](Self::list_members) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown node), or transport errors.
    pub async fn delete_members<I, S>(&self, node_id: &str, user_ids: I) -> Result<OrgNode>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let node = MemberNode::Id { node_id: node_id.to_owned() };
        self.client.root(REMOVE_MEMBER, &MembersVars { node, user_ids: strings(user_ids), is_leader: None }).await
    }

    /// Takes users out of the node of an organization with this code: the same `removeMember` mutation as
    /// [`delete_members`](Self::delete_members), addressed by `orgId` and `nodeCode` instead of `nodeId`.
    ///
    /// GraphQL: `removeMember` with `orgId`, `nodeCode`
    ///
    /// See [`add_members_by_code`](Self::add_members_by_code) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown organization or code), or transport errors.
    pub async fn delete_members_by_code<I, S>(&self, org_id: &str, code: &str, user_ids: I) -> Result<OrgNode>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let node = MemberNode::Code { org_id: org_id.to_owned(), node_code: code.to_owned() };
        let vars = MembersVars { node, user_ids: strings(user_ids), is_leader: None };
        self.client.root(REMOVE_MEMBER_BY_CODE, &vars).await
    }

    /// The members of a node, and by default those of its descendants, newest first.
    ///
    /// GraphQL: `nodeById { users }`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let org = management.org().create("Acme").send().await?;
    /// let dev = management.org().create_node(&org.id, "Dev").send().await?;
    /// let ops = management.org().create_node(&org.id, "Ops").send().await?;
    /// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.org().add_members(&dev.id, [ada.id.as_str()]).send().await?;
    /// management.org().set_main_department(&ada.id, &dev.id).await?;
    /// let everyone = management.org().list_members(&org.root_node.id).send().await?;
    /// assert_eq!(everyone.total_count, 1, "the members of descendants count");
    /// let direct = management.org().list_members(&org.root_node.id).include_children_nodes(false).send().await?;
    /// assert_eq!(direct.total_count, 0);
    /// management.org().move_members([ada.id.as_str()], &ops.id, &dev.id).await?;
    /// management.org().delete_members(&ops.id, [ada.id.as_str()]).await?;
    /// assert_eq!(management.org().list_members(&org.root_node.id).send().await?.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_members(&self, node_id: &str) -> ListMembersBuilder<'a> {
        ListMembersBuilder::new(self.client, node_id)
    }

    /// Moves users from `source_node_id` to `target_node_id` (the argument order of the Python SDK).
    ///
    /// GraphQL: `moveMembers`
    ///
    /// See [`list_members`](Self::list_members) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown node or user), or transport errors.
    pub async fn move_members<I, S>(
        &self,
        user_ids: I,
        target_node_id: &str,
        source_node_id: &str,
    ) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            user_ids: Vec<String>,
            source_node_id: &'v str,
            target_node_id: &'v str,
        }
        self.client.root(MOVE_MEMBERS, &Vars { user_ids: strings(user_ids), source_node_id, target_node_id }).await
    }

    /// Makes a department (a node the user belongs to) the user's main one.
    ///
    /// GraphQL: `setMainDepartment`
    ///
    /// See [`list_members`](Self::list_members) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown user or node, a user who is not a member), or transport errors.
    pub async fn set_main_department(&self, user_id: &str, department_id: &str) -> Result<CommonMessage> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            user_id: &'v str,
            department_id: &'v str,
        }
        self.client.root(SET_MAIN_DEPARTMENT, &Vars { user_id, department_id }).await
    }

    /// Leaves the user with no main department: `setMainDepartment` without a `departmentId`. The user stays a
    /// member of its departments; `mainDepartmentId` and `mainDepartmentCode` become empty.
    ///
    /// GraphQL: `setMainDepartment` with `departmentId: null`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let org = management.org().create("Acme").send().await?;
    /// let dev = management.org().create_node(&org.id, "Dev").send().await?;
    /// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.org().add_members(&dev.id, [ada.id.as_str()]).send().await?;
    /// management.org().set_main_department(&ada.id, &dev.id).await?;
    /// management.org().clear_main_department(&ada.id).await?;
    /// let ada = management.users().detail(&ada.id).send().await?.expect("ada exists");
    /// assert_eq!(ada.main_department_id, None);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an unknown user), or transport errors.
    pub async fn clear_main_department(&self, user_id: &str) -> Result<CommonMessage> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            user_id: &'v str,
        }
        self.client.root(CLEAR_MAIN_DEPARTMENT, &Vars { user_id }).await
    }

    // ---- roles and resources -------------------------------------------------------------------------

    /// Gives roles (by code, in the accessor's namespace) to a node; its members hold them.
    ///
    /// GraphQL: `assignRole` with `nodeCodes: [node_id]`
    ///
    /// See [`namespace`](Self::namespace) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown role or node), or transport errors.
    pub async fn add_roles<I, S>(&self, node_id: &str, role_codes: I) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let vars = NodeRolesVars { namespace: self.namespace, role_codes: strings(role_codes), node_codes: [node_id] };
        self.client.root(ASSIGN_ROLE, &vars).await
    }

    /// Takes roles from a node.
    ///
    /// GraphQL: `revokeRole` with `nodeCodes: [node_id]`
    ///
    /// See [`namespace`](Self::namespace) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown role or node), or transport errors.
    pub async fn remove_roles<I, S>(&self, node_id: &str, role_codes: I) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let vars = NodeRolesVars { namespace: self.namespace, role_codes: strings(role_codes), node_codes: [node_id] };
        self.client.root(REVOKE_ROLE, &vars).await
    }

    /// Gives roles to the node of an organization with this code. `assignRole` names nodes by id only (its
    /// `nodeCodes` carries node ids), so this is two requests: the node is looked up with `nodeByCode`, then
    /// [`add_roles`](Self::add_roles) is called with its id.
    ///
    /// GraphQL: `nodeByCode`, then `assignRole` with `nodeCodes: [node id]`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::AuthingError;
    /// let org = management.org().create("Acme").send().await?;
    /// management.org().create_node(&org.id, "Dev").code("dev").send().await?;
    /// management.roles().create("engineer").send().await?;
    /// management.org().add_roles_by_code(&org.id, "dev", ["engineer"]).await?;
    /// assert_eq!(management.org().list_roles_by_code(&org.id, "dev").await?.map(|r| r.len()), Some(1));
    /// management.org().remove_roles_by_code(&org.id, "dev", ["engineer"]).await?;
    /// assert_eq!(management.org().list_roles_by_code(&org.id, "dev").await?.map(|r| r.len()), Some(0));
    /// let missing = management.org().add_roles_by_code(&org.id, "ghost", ["engineer"]).await;
    /// assert!(matches!(missing, Err(AuthingError::NotFound { .. })));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotFound`] when the organization has no node with this code (the roles request is then
    /// not sent); Authing's refusal (an unknown role), or transport errors.
    pub async fn add_roles_by_code<I, S>(
        &self,
        org_id: &str,
        code: &str,
        role_codes: I,
    ) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let node_id = self.node_id_by_code(org_id, code).await?;
        self.add_roles(&node_id, role_codes).await
    }

    /// Takes roles from the node of an organization with this code: `nodeByCode`, then
    /// [`remove_roles`](Self::remove_roles) with its id (two requests, as [`add_roles_by_code`](Self::add_roles_by_code)).
    ///
    /// GraphQL: `nodeByCode`, then `revokeRole` with `nodeCodes: [node id]`
    ///
    /// See [`add_roles_by_code`](Self::add_roles_by_code) for an example.
    ///
    /// # Errors
    /// [`AuthingError::NotFound`] when the organization has no node with this code (the roles request is then
    /// not sent); Authing's refusal (an unknown role), or transport errors.
    pub async fn remove_roles_by_code<I, S>(
        &self,
        org_id: &str,
        code: &str,
        role_codes: I,
    ) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let node_id = self.node_id_by_code(org_id, code).await?;
        self.remove_roles(&node_id, role_codes).await
    }

    /// The id of the node of an organization with this code; [`AuthingError::NotFound`] when there is none.
    async fn node_id_by_code(&self, org_id: &str, code: &str) -> Result<String> {
        match self.get_node_by_code(org_id, code).await? {
            Some(node) => Ok(node.id),
            None => Err(AuthingError::NotFound { what: "organization node", key: format!("{org_id}/{code}") }),
        }
    }

    /// The roles of a node and of its ancestors, each once (of the accessor's namespace when one is set, else of
    /// all); `None` when the node does not exist.
    ///
    /// GraphQL: `getNodeRoles`
    ///
    /// See [`namespace`](Self::namespace) for an example.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn list_roles(&self, node_id: &str) -> Result<Option<Vec<Role>>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            id: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
        }
        let node: Option<WithRoles> =
            self.client.root(NODE_ROLES, &Vars { id: node_id, namespace: self.namespace }).await?;
        Ok(node.map(|n| n.roles.map(|p| p.list).unwrap_or_default()))
    }

    /// The roles of the node of an organization with this code, as [`list_roles`](Self::list_roles).
    ///
    /// GraphQL: `nodeByCode { roles }`
    ///
    /// See [`namespace`](Self::namespace) for an example.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn list_roles_by_code(&self, org_id: &str, code: &str) -> Result<Option<Vec<Role>>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            org_id: &'v str,
            code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
        }
        let node: Option<WithRoles> =
            self.client.root(NODE_ROLES_BY_CODE, &Vars { org_id, code, namespace: self.namespace }).await?;
        Ok(node.map(|n| n.roles.map(|p| p.list).unwrap_or_default()))
    }

    /// The resources granted to a node (ACL grants with target type `ORG`), in the accessor's namespace when one
    /// is set, else in all.
    ///
    /// GraphQL: `listNodeByIdAuthorizedResources`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{GrantTarget, PolicyAssignmentTargetType};
    /// let org = management.org().create("Acme").code("acme").send().await?;
    /// let grant = GrantTarget::new(PolicyAssignmentTargetType::Org, &org.root_node.id).actions(["books:read"]);
    /// management.acl().authorize_resource("default", "books:*", [grant]).await?;
    /// let resources = management.org().list_authorized_resources(&org.root_node.id).send().await?;
    /// assert_eq!(resources.map(|r| r.len()), Some(1));
    /// let by_code = management.org().list_authorized_resources_by_code(&org.id, "acme").send().await?;
    /// assert_eq!(by_code.map(|r| r.len()), Some(1));
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_authorized_resources(&self, node_id: &str) -> ListNodeResourcesBuilder<'a> {
        ListNodeResourcesBuilder::new(self.client, self.namespace, NodeKey::Id(node_id.to_owned()))
    }

    /// The resources granted to the node of an organization with this code.
    ///
    /// GraphQL: `listNodeByCodeAuthorizedResources`
    ///
    /// See [`list_authorized_resources`](Self::list_authorized_resources) for an example.
    pub fn list_authorized_resources_by_code(&self, org_id: &str, code: &str) -> ListNodeResourcesBuilder<'a> {
        let node = NodeKey::Code { org_id: org_id.to_owned(), code: code.to_owned() };
        ListNodeResourcesBuilder::new(self.client, self.namespace, node)
    }

    // ---- import, export, sync ------------------------------------------------------------------------

    /// Creates an organization from a nested tree, whole or not at all; answers with it.
    ///
    /// REST: `POST /api/v2/orgs/import` with `{filetype: "json", file}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::OrgExport;
    /// let tree = OrgExport::new("Acme").code("acme").child(OrgExport::new("Sales").code("sales"));
    /// let org = management.org().import_by_json(&tree).await?;
    /// assert_eq!(org.nodes.len(), 2);
    /// assert_eq!(management.org().export_by_org_id(&org.id).await?, tree);
    /// assert_eq!(management.org().export_all().await?, [tree]);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (a duplicate code, an empty name), or transport errors.
    pub async fn import_by_json(&self, tree: &OrgExport) -> Result<OrgModel> {
        #[derive(Serialize)]
        struct Body<'v> {
            filetype: &'static str,
            file: &'v OrgExport,
        }
        let call =
            RestCall::post("org.import_by_json", &["orgs", "import"]).json(&Body { filetype: "json", file: tree })?;
        self.client.rest(call).await
    }

    /// Every organization in the nested form import takes, oldest first.
    ///
    /// REST: `GET /api/v2/orgs/export`
    ///
    /// See [`import_by_json`](Self::import_by_json) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn export_all(&self) -> Result<Vec<OrgExport>> {
        let trees: Option<Vec<OrgExport>> =
            self.client.rest(RestCall::get("org.export_all", &["orgs", "export"])).await?;
        Ok(trees.unwrap_or_default())
    }

    /// One organization in the nested form import takes.
    ///
    /// REST: `GET /api/v2/orgs/export?org_id=`
    ///
    /// See [`import_by_json`](Self::import_by_json) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown organization), or transport errors.
    pub async fn export_by_org_id(&self, org_id: &str) -> Result<OrgExport> {
        let query = [("org_id", org_id)];
        self.client.rest(RestCall::get("org.export_by_org_id", &["orgs", "export"]).query(&query)).await
    }

    /// Starts a sync from a third-party directory. Active Directory needs the connector's id.
    ///
    /// REST: `POST {host}/connections/enterprise/{provider}/start-sync` (DingTalk, WeCom) or
    /// `POST /api/v2/ad/sync` with `{connectionId}` (AD)
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::SyncProvider;
    /// let refused = management.org().start_sync(SyncProvider::DingTalk, None).await;
    /// assert!(refused.is_err(), "the emulator has no directory configured");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (no directory configured for the provider), or transport errors.
    pub async fn start_sync(&self, provider: SyncProvider, ad_connector_id: Option<&str>) -> Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct AdBody<'v> {
            #[serde(skip_serializing_if = "Option::is_none")]
            connection_id: Option<&'v str>,
        }
        let call = match provider {
            SyncProvider::Ad => {
                RestCall::post("org.start_sync", &["ad", "sync"]).json(&AdBody { connection_id: ad_connector_id })?
            }
            other => RestCall::post("org.start_sync", &[])
                .under_host_root(&["connections", "enterprise", other.as_str(), "start-sync"])
                .json(&serde_json::Map::new())?,
        };
        let _: Option<serde_json::Value> = self.client.rest(call).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn node_roles_carry_node_ids_as_node_codes() {
        let roles = NodeRolesVars { namespace: None, role_codes: vec!["a".into()], node_codes: ["n1"] };
        assert_eq!(serde_json::to_value(&roles).unwrap(), json!({ "roleCodes": ["a"], "nodeCodes": ["n1"] }));
    }
}
