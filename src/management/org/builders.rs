//! The builders of `management.org()` and the variables they send.

use serde::{Deserialize, Serialize};

use super::super::ManagementClient;
use super::super::paging::{PageLimit, WirePage, first_page, page_setters, paged_vars};
use super::super::roles::WithResources;
use super::{
    ADD_MEMBER, ADD_MEMBER_BY_CODE, ADD_NODE, ADD_NODE_V2, CREATE_ORG, NODE_MEMBERS, NODE_RESOURCES,
    NODE_RESOURCES_BY_CODE, ORGS, UPDATE_NODE,
};
use crate::error::Result;
use crate::models::{AuthorizedResource, Org as OrgModel, OrgNode, ResourceType, SortBy, User};
use crate::page::Page;
use crate::transport::{PageQuery, RestCall};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateOrgVars {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_id: Option<String>,
}

/// Builds [`Org::create`](super::Org::create).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CreateOrgBuilder<'a> {
    client: &'a ManagementClient,
    vars: CreateOrgVars,
}

impl<'a> CreateOrgBuilder<'a> {
    pub(super) fn new(client: &'a ManagementClient, name: &str) -> Self {
        let vars = CreateOrgVars { name: name.to_owned(), code: None, description: None, tenant_id: None };
        Self { client, vars }
    }

    /// The root node's code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.vars.code = Some(code.into());
        self
    }

    /// The root node's description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.vars.description = Some(description.into());
        self
    }

    /// The tenant the organization belongs to.
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.vars.tenant_id = Some(tenant_id.into());
        self
    }

    /// Creates the organization.
    ///
    /// # Errors
    /// Authing's refusal (an empty name), or transport errors.
    pub async fn send(self) -> Result<OrgModel> {
        self.client.root(CREATE_ORG, &self.vars).await
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ListOrgsVars {
    #[serde(flatten)]
    page: PageLimit,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_by: Option<SortBy>,
}

paged_vars!(ListOrgsVars);

/// Builds [`Org::list`](super::Org::list).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListOrgsBuilder<'a> {
    client: &'a ManagementClient,
    vars: ListOrgsVars,
}

impl<'a> ListOrgsBuilder<'a> {
    pub(super) fn new(client: &'a ManagementClient) -> Self {
        Self { client, vars: ListOrgsVars { page: PageLimit::default(), sort_by: None } }
    }

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
    pub async fn send(self) -> Result<Page<OrgModel>> {
        first_page(self.client, self.vars, |client, vars| Box::pin(async move { client.root(ORGS, &vars).await })).await
    }
}

#[derive(Debug, Clone, Serialize)]
struct AllOrgsVars {
    #[serde(flatten)]
    page: PageLimit,
}

paged_vars!(AllOrgsVars);

/// Builds [`Org::get_all_orgs`](super::Org::get_all_orgs).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct GetAllOrgsBuilder<'a> {
    client: &'a ManagementClient,
    vars: AllOrgsVars,
}

impl<'a> GetAllOrgsBuilder<'a> {
    pub(super) fn new(client: &'a ManagementClient) -> Self {
        Self { client, vars: AllOrgsVars { page: PageLimit::default() } }
    }

    page_setters!();

    /// Fetches the count and the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<OrgModel>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(async move {
                #[derive(Deserialize)]
                struct Count {
                    #[serde(default)]
                    count: u64,
                }
                let count: Count = client.rest(RestCall::get("org.get_all_orgs", &["orgs", "count"])).await?;
                let query = PageQuery { page: vars.page.page, limit: vars.page.limit };
                let list: Option<Vec<OrgModel>> =
                    client.rest(RestCall::get("org.get_all_orgs", &["orgs"]).query(&query)).await?;
                Ok(WirePage { total_count: count.count, list: list.unwrap_or_default() })
            })
        })
        .await
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct NodeVars {
    org_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_node_id: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<u32>,
    #[serde(rename = "nameI18n", skip_serializing_if = "Option::is_none")]
    name_i18n: Option<String>,
    #[serde(rename = "descriptionI18n", skip_serializing_if = "Option::is_none")]
    description_i18n: Option<String>,
}

impl NodeVars {
    fn new(org_id: &str, name: &str) -> Self {
        Self {
            org_id: org_id.to_owned(),
            parent_node_id: None,
            name: name.to_owned(),
            code: None,
            description: None,
            order: None,
            name_i18n: None,
            description_i18n: None,
        }
    }
}

/// The setters shared by [`CreateNodeBuilder`] and [`AddNodeBuilder`].
macro_rules! node_setters {
    () => {
        /// The parent node (default: the root).
        pub fn parent(mut self, parent_node_id: impl Into<String>) -> Self {
            self.vars.parent_node_id = Some(parent_node_id.into());
            self
        }

        /// The node's code, unique in its organization.
        pub fn code(mut self, code: impl Into<String>) -> Self {
            self.vars.code = Some(code.into());
            self
        }

        /// The description.
        pub fn description(mut self, description: impl Into<String>) -> Self {
            self.vars.description = Some(description.into());
            self
        }

        /// The position among its siblings: a larger value sorts first.
        pub fn order(mut self, order: u32) -> Self {
            self.vars.order = Some(order);
            self
        }

        /// The name in other languages, as JSON text keyed by language code (`{"en": "Sales"}`).
        pub fn name_i18n(mut self, json: impl Into<String>) -> Self {
            self.vars.name_i18n = Some(json.into());
            self
        }

        /// The description in other languages, as JSON text keyed by language code.
        pub fn description_i18n(mut self, json: impl Into<String>) -> Self {
            self.vars.description_i18n = Some(json.into());
            self
        }
    };
}

/// Builds [`Org::create_node`](super::Org::create_node).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CreateNodeBuilder<'a> {
    client: &'a ManagementClient,
    vars: NodeVars,
}

impl<'a> CreateNodeBuilder<'a> {
    pub(super) fn new(client: &'a ManagementClient, org_id: &str, name: &str) -> Self {
        Self { client, vars: NodeVars::new(org_id, name) }
    }

    node_setters!();

    /// Adds the node and answers with it.
    ///
    /// # Errors
    /// Authing's refusal (an unknown organization or parent, a code taken in the organization), or transport
    /// errors.
    pub async fn send(self) -> Result<OrgNode> {
        self.client.root(ADD_NODE_V2, &self.vars).await
    }
}

/// Builds [`Org::add_node`](super::Org::add_node).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct AddNodeBuilder<'a> {
    client: &'a ManagementClient,
    vars: NodeVars,
}

impl<'a> AddNodeBuilder<'a> {
    pub(super) fn new(client: &'a ManagementClient, org_id: &str, name: &str) -> Self {
        Self { client, vars: NodeVars::new(org_id, name) }
    }

    node_setters!();

    /// Adds the node and answers with the whole organization.
    ///
    /// # Errors
    /// As [`CreateNodeBuilder::send`].
    pub async fn send(self) -> Result<OrgModel> {
        self.client.root(ADD_NODE, &self.vars).await
    }
}

#[derive(Debug, Clone, Serialize)]
struct UpdateNodeVars {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

/// Builds [`Org::update_node`](super::Org::update_node).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct UpdateNodeBuilder<'a> {
    client: &'a ManagementClient,
    vars: UpdateNodeVars,
}

impl<'a> UpdateNodeBuilder<'a> {
    pub(super) fn new(client: &'a ManagementClient, node_id: &str) -> Self {
        Self { client, vars: UpdateNodeVars { id: node_id.to_owned(), name: None, code: None, description: None } }
    }

    /// A new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.vars.name = Some(name.into());
        self
    }

    /// A new code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.vars.code = Some(code.into());
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.vars.description = Some(description.into());
        self
    }

    /// Updates the node.
    ///
    /// # Errors
    /// Authing's refusal (an unknown node, a code taken in the organization), or transport errors.
    pub async fn send(self) -> Result<OrgNode> {
        self.client.root(UPDATE_NODE, &self.vars).await
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct MembersPageVars {
    id: String,
    #[serde(flatten)]
    page: PageLimit,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_by: Option<SortBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_children_nodes: Option<bool>,
    with_custom_data: bool,
}

paged_vars!(MembersPageVars);

/// Builds [`Org::list_members`](super::Org::list_members).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListMembersBuilder<'a> {
    client: &'a ManagementClient,
    vars: MembersPageVars,
}

impl<'a> ListMembersBuilder<'a> {
    pub(super) fn new(client: &'a ManagementClient, node_id: &str) -> Self {
        let vars = MembersPageVars {
            id: node_id.to_owned(),
            page: PageLimit::default(),
            sort_by: None,
            include_children_nodes: None,
            with_custom_data: false,
        };
        Self { client, vars }
    }

    page_setters!();

    /// The order (default newest first).
    pub fn sort_by(mut self, sort_by: SortBy) -> Self {
        self.vars.sort_by = Some(sort_by);
        self
    }

    /// Whether the members of the node's descendants count too (the server's default: yes).
    pub fn include_children_nodes(mut self, include: bool) -> Self {
        self.vars.include_children_nodes = Some(include);
        self
    }

    /// Includes each user's custom data.
    pub fn with_custom_data(mut self, with: bool) -> Self {
        self.vars.with_custom_data = with;
        self
    }

    /// Fetches the page; an empty page when the node does not exist.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<User>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(async move {
                #[derive(Deserialize)]
                struct NodeUsers {
                    users: WirePage<User>,
                }
                let node: Option<NodeUsers> = client.root(NODE_MEMBERS, &vars).await?;
                Ok(node.map_or_else(WirePage::empty, |n| n.users))
            })
        })
        .await
    }
}

/// How `addMember` and `removeMember` name their node: by id, or by organization and code.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(super) enum MemberNode {
    #[serde(rename_all = "camelCase")]
    Id { node_id: String },
    #[serde(rename_all = "camelCase")]
    Code { org_id: String, node_code: String },
}

/// The variables of `addMember` and `removeMember`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MembersVars {
    #[serde(flatten)]
    pub(super) node: MemberNode,
    pub(super) user_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) is_leader: Option<bool>,
}

/// Builds [`Org::add_members`](super::Org::add_members) and
/// [`Org::add_members_by_code`](super::Org::add_members_by_code).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct AddMembersBuilder<'a> {
    client: &'a ManagementClient,
    vars: MembersVars,
}

impl<'a> AddMembersBuilder<'a> {
    pub(super) fn new(client: &'a ManagementClient, node: MemberNode, user_ids: Vec<String>) -> Self {
        Self { client, vars: MembersVars { node, user_ids, is_leader: None } }
    }

    /// Whether the users lead the node (`isLeader`; the server's default: no). Adding a member again sets the
    /// flag anew.
    pub fn is_leader(mut self, is_leader: bool) -> Self {
        self.vars.is_leader = Some(is_leader);
        self
    }

    /// Adds the members; answers with the node.
    ///
    /// # Errors
    /// Authing's refusal (an unknown node, organization or user), or transport errors.
    pub async fn send(self) -> Result<OrgNode> {
        let operation = match self.vars.node {
            MemberNode::Id { .. } => ADD_MEMBER,
            MemberNode::Code { .. } => ADD_MEMBER_BY_CODE,
        };
        self.client.root(operation, &self.vars).await
    }
}

/// How a resource listing names its node.
#[derive(Debug)]
pub(super) enum NodeKey {
    Id(String),
    Code { org_id: String, code: String },
}

/// Builds [`Org::list_authorized_resources`](super::Org::list_authorized_resources) and [`Org::list_authorized_resources_by_code`](super::Org::list_authorized_resources_by_code).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListNodeResourcesBuilder<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
    node: NodeKey,
    resource_type: Option<ResourceType>,
}

impl<'a> ListNodeResourcesBuilder<'a> {
    pub(super) fn new(client: &'a ManagementClient, namespace: Option<&'a str>, node: NodeKey) -> Self {
        Self { client, namespace, node, resource_type: None }
    }

    /// Only resources of this type.
    pub fn resource_type(mut self, resource_type: ResourceType) -> Self {
        self.resource_type = Some(resource_type);
        self
    }

    /// Fetches the resources; `None` when the node does not exist.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Option<Vec<AuthorizedResource>>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            #[serde(skip_serializing_if = "Option::is_none")]
            id: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            org_id: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            code: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            resource_type: Option<&'v ResourceType>,
        }
        let resource_type = self.resource_type.as_ref();
        let (operation, vars) = match &self.node {
            NodeKey::Id(id) => (
                NODE_RESOURCES,
                Vars { id: Some(id), org_id: None, code: None, namespace: self.namespace, resource_type },
            ),
            NodeKey::Code { org_id, code } => (
                NODE_RESOURCES_BY_CODE,
                Vars { id: None, org_id: Some(org_id), code: Some(code), namespace: self.namespace, resource_type },
            ),
        };
        let node: Option<WithResources> = self.client.root(operation, &vars).await?;
        Ok(node.map(WithResources::into_list))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn variables_are_what_the_documents_declare() {
        let mut node = NodeVars::new("o", "Sales");
        node.order = Some(3);
        node.name_i18n = Some("{}".into());
        assert_eq!(
            serde_json::to_value(&node).unwrap(),
            json!({ "orgId": "o", "name": "Sales", "order": 3, "nameI18n": "{}" })
        );
        let members = MembersPageVars {
            id: "n".into(),
            page: PageLimit::default(),
            sort_by: None,
            include_children_nodes: Some(false),
            with_custom_data: false,
        };
        assert_eq!(
            serde_json::to_value(&members).unwrap(),
            json!({ "id": "n", "page": 1, "limit": 10, "includeChildrenNodes": false, "withCustomData": false })
        );
        let by_id = MembersVars {
            node: MemberNode::Id { node_id: "n".into() },
            user_ids: vec!["u".into()],
            is_leader: Some(true),
        };
        assert_eq!(serde_json::to_value(&by_id).unwrap(), json!({ "nodeId": "n", "userIds": ["u"], "isLeader": true }));
        let by_code = MembersVars {
            node: MemberNode::Code { org_id: "o".into(), node_code: "dev".into() },
            user_ids: vec!["u".into()],
            is_leader: None,
        };
        assert_eq!(
            serde_json::to_value(&by_code).unwrap(),
            json!({ "orgId": "o", "nodeCode": "dev", "userIds": ["u"] })
        );
        let orgs = ListOrgsVars { page: PageLimit::default(), sort_by: Some(SortBy::CreatedAtAsc) };
        assert_eq!(serde_json::to_value(&orgs).unwrap(), json!({ "page": 1, "limit": 10, "sortBy": "CREATEDAT_ASC" }));
    }
}
