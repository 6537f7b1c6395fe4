//! Organizations: the queries `org`, `orgs`, `nodeById`, `nodeByCode`, `childrenNodes`, `rootNode`, `isRootNode`,
//! `searchNodes`, the mutations `createOrg`, `deleteOrg`, `addNode`, `addNodeV2`, `updateNode`, `deleteNode`,
//! `moveNode`, `addMember`, `removeMember`, `moveMembers`, `setMainDepartment`, and the computed fields of `Node`
//! (`users`, `authorizedResources`, `roles`). The tree and its rules are in [`crate::store::orgs`].

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Object, SimpleObject};

use super::pages::{PaginatedAuthorizedResources, PaginatedRoles, PaginatedUsers, count, page_args, page_of};
use super::types;
use super::{CommonMessage, enter, require_management};
use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code};
use crate::store::model::Target;
use crate::store::orgs::ops::NodeRef;
use crate::store::orgs::{NodeFields, NodeView, OrgStore};
use crate::store::state::State;
use crate::store::users::{SortBy, paginate, sort_users};

/// `Node` of the official schema: a department.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Node", complex)]
pub(crate) struct Node {
    id: String,
    org_id: Option<String>,
    name: String,
    #[graphql(name = "nameI18n")]
    name_i18n: Option<String>,
    description: Option<String>,
    #[graphql(name = "descriptionI18n")]
    description_i18n: Option<String>,
    order: Option<i32>,
    code: Option<String>,
    root: Option<bool>,
    depth: Option<i32>,
    path: Vec<String>,
    code_path: Vec<Option<String>>,
    name_path: Vec<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    children: Option<Vec<String>>,
    is_virtual_node: Option<bool>,
}

impl From<NodeView> for Node {
    fn from(v: NodeView) -> Self {
        let n = v.node;
        Node {
            id: n.id,
            org_id: Some(n.org_id),
            name: n.name,
            name_i18n: n.name_i18n,
            description: n.description,
            description_i18n: n.description_i18n,
            order: n.order.map(|o| i32::try_from(o).unwrap_or(i32::MAX)),
            code: n.code,
            root: Some(v.root),
            depth: Some(count(v.depth)),
            path: v.path,
            code_path: v.code_path,
            name_path: v.name_path,
            created_at: Some(n.created_at),
            updated_at: Some(n.updated_at),
            children: Some(v.children),
            is_virtual_node: Some(false),
        }
    }
}

/// The node `id` as served (depth from the root).
pub(crate) fn node_of(orgs: &OrgStore, id: &str) -> Option<Node> {
    orgs.view(id, None).map(Node::from)
}

/// `Org` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "Org")]
pub(crate) struct Org {
    id: String,
    root_node: Node,
    nodes: Vec<Node>,
    tenant_id: Option<String>,
}

/// `PaginatedOrgs` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "PaginatedOrgs")]
pub(crate) struct PaginatedOrgs {
    total_count: i32,
    list: Vec<Org>,
}

/// The organization `id` as served: its root and every node, root first.
fn org_of(orgs: &OrgStore, id: &str) -> Result<Org, ApiError> {
    let org = orgs.existing_org(id)?;
    let root_node = node_of(orgs, &org.root).ok_or(ApiError::new(Code::NodeNotFound))?;
    let nodes = orgs.org_nodes(&org.id).iter().filter_map(|n| node_of(orgs, &n.id)).collect();
    Ok(Org { id: org.id.clone(), root_node, nodes, tenant_id: org.tenant_id.clone() })
}

#[ComplexObject]
impl Node {
    /// The members of the node (and of its descendants unless `includeChildrenNodes` is false), newest first by
    /// default. Null `page` and `limit` mean 1 and 10.
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(1)")] page: Option<i32>,
        #[graphql(default_with = "Some(10)")] limit: Option<i32>,
        #[graphql(default_with = "Some(types::SortBy::CreatedatDesc)")] sort_by: Option<types::SortBy>,
        #[graphql(default_with = "Some(true)")] include_children_nodes: Option<bool>,
    ) -> async_graphql::Result<PaginatedUsers> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let (page, limit) = page_args(state, page, limit)?;
        let ids = state.access_read().orgs.member_ids(&self.id, include_children_nodes.unwrap_or(true));
        let users = state.users_read();
        let mut members: Vec<_> = ids.iter().filter_map(|id| users.get(id)).collect();
        sort_users(&mut members, sort_by.map(SortBy::from).unwrap_or_default());
        Ok(page_of(&members, page, limit))
    }

    /// The resources granted to the node (ACL grants with `targetType: ORG`), in one namespace or in all.
    async fn authorized_resources(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        resource_type: Option<String>,
    ) -> Option<PaginatedAuthorizedResources> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let ns = namespace.as_deref().map(str::trim).filter(|ns| !ns.is_empty());
        let list = crate::store::authz::authorized_resources(
            &state.access_read(),
            &Target::Org(self.id.clone()),
            ns,
            resource_type.as_deref(),
        );
        Some(PaginatedAuthorizedResources::all(list))
    }

    /// The roles of the node and of its ancestors, each once; of one namespace when given.
    async fn roles(&self, ctx: &Context<'_>, namespace: Option<String>) -> Option<PaginatedRoles> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let ns = namespace.map(|ns| crate::store::model::namespace(Some(&ns)));
        let access = state.access_read();
        let roles = access
            .orgs
            .node_role_ids(&self.id)
            .iter()
            .filter_map(|id| access.role_by_id(id))
            .filter(|r| ns.as_deref().is_none_or(|ns| r.namespace == ns))
            .cloned()
            .collect();
        Some(PaginatedRoles::all(roles))
    }
}

#[derive(Default)]
pub(crate) struct OrgQuery;

#[Object]
impl OrgQuery {
    /// One organization; 2701 when unknown.
    async fn org(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<Org> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        Ok(org_of(&state.access_read().orgs, &id)?)
    }

    /// The organizations of the pool, one page, newest first by default.
    async fn orgs(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(1)")] page: Option<i32>,
        #[graphql(default_with = "Some(10)")] limit: Option<i32>,
        #[graphql(default_with = "Some(types::SortBy::CreatedatDesc)")] sort_by: Option<types::SortBy>,
    ) -> async_graphql::Result<PaginatedOrgs> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let (page, limit) = page_args(state, page, limit)?;
        let oldest_first = matches!(sort_by.map(SortBy::from), Some(SortBy::CreatedatAsc | SortBy::UpdatedatAsc));
        let access = state.access_read();
        let ids: Vec<String> = access.orgs.orgs(oldest_first).iter().map(|o| o.id.clone()).collect();
        let list = paginate(&ids, page, limit).iter().map(|id| org_of(&access.orgs, id)).collect::<Result<_, _>>()?;
        Ok(PaginatedOrgs { total_count: count(ids.len()), list })
    }

    /// One node by id; null when unknown.
    async fn node_by_id(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<Option<Node>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        Ok(node_of(&state.access_read().orgs, id.trim()))
    }

    /// One node of an organization by code; null when unknown.
    async fn node_by_code(
        &self,
        ctx: &Context<'_>,
        org_id: String,
        code: String,
    ) -> async_graphql::Result<Option<Node>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let access = state.access_read();
        Ok(access.orgs.node_by_code(&org_id, &code).and_then(|n| node_of(&access.orgs, &n.id)))
    }

    /// The direct children of a node, with `depth` counted from it; 2702 when the node is unknown.
    async fn children_nodes(
        &self,
        ctx: &Context<'_>,
        org_id: Option<String>,
        node_id: String,
    ) -> async_graphql::Result<Vec<Node>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let access = state.access_read();
        let orgs = &access.orgs;
        let node = match org_id.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            Some(org) => orgs.node_in(org, &node_id)?,
            None => orgs.existing_node(&node_id)?,
        };
        Ok(orgs.children(&node.id).iter().filter_map(|c| orgs.view(&c.id, Some(&node.id)).map(Node::from)).collect())
    }

    /// The root node of an organization; 2701 when unknown.
    async fn root_node(&self, ctx: &Context<'_>, org_id: String) -> async_graphql::Result<Node> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let access = state.access_read();
        let root = access.orgs.existing_org(&org_id)?.root.clone();
        Ok(node_of(&access.orgs, &root).ok_or(ApiError::new(Code::NodeNotFound))?)
    }

    /// Whether the node is the organization's root; 2701 / 2702 when either is unknown.
    async fn is_root_node(
        &self,
        ctx: &Context<'_>,
        node_id: String,
        org_id: String,
    ) -> async_graphql::Result<Option<bool>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let access = state.access_read();
        Ok(Some(access.orgs.node_in(&org_id, &node_id)?.parent.is_none()))
    }

    /// The nodes of every organization whose name contains `keyword`.
    async fn search_nodes(&self, ctx: &Context<'_>, keyword: String) -> async_graphql::Result<Vec<Node>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let access = state.access_read();
        Ok(access.orgs.search(&keyword).iter().filter_map(|n| node_of(&access.orgs, &n.id)).collect())
    }
}

#[derive(Default)]
pub(crate) struct OrgMutation;

/// The arguments of `addNode` and `addNodeV2`.
struct AddNodeArgs {
    org_id: String,
    parent_node_id: Option<String>,
    fields: NodeFields,
}

/// Adds a node; answers its id.
fn add_node(state: &State, args: AddNodeArgs) -> Result<String, ApiError> {
    state.access_write().orgs.add_node(&args.org_id, args.parent_node_id.as_deref(), args.fields, &now_iso())
}

#[Object]
impl OrgMutation {
    /// Creates an organization whose only node is its root, which carries the name, code and description.
    async fn create_org(
        &self,
        ctx: &Context<'_>,
        name: String,
        code: Option<String>,
        description: Option<String>,
        tenant_id: Option<String>,
    ) -> async_graphql::Result<Org> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let mut access = state.access_write();
        let root = NodeFields { name, code, description, ..NodeFields::default() };
        let id = access.orgs.create_org(root, tenant_id, &now_iso())?;
        Ok(org_of(&access.orgs, &id)?)
    }

    /// Deletes an organization with all its nodes; 2701 when unknown.
    async fn delete_org(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        state.delete_org(&id)?;
        Ok(CommonMessage::ok(meta.lang, "删除成功", "Deleted"))
    }

    /// Adds a node (under the root without a parent) and answers with the whole organization.
    #[allow(clippy::too_many_arguments)]
    async fn add_node(
        &self,
        ctx: &Context<'_>,
        org_id: String,
        parent_node_id: Option<String>,
        name: String,
        #[graphql(name = "nameI18n")] name_i18n: Option<String>,
        description: Option<String>,
        #[graphql(name = "descriptionI18n")] description_i18n: Option<String>,
        order: Option<i32>,
        code: Option<String>,
    ) -> async_graphql::Result<Org> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let fields = NodeFields { name, code, description, order: order.map(i64::from), name_i18n, description_i18n };
        add_node(state, AddNodeArgs { org_id: org_id.clone(), parent_node_id, fields })?;
        Ok(org_of(&state.access_read().orgs, &org_id)?)
    }

    /// Adds a node (under the root without a parent) and answers with it.
    #[allow(clippy::too_many_arguments)]
    async fn add_node_v2(
        &self,
        ctx: &Context<'_>,
        org_id: String,
        parent_node_id: Option<String>,
        name: String,
        #[graphql(name = "nameI18n")] name_i18n: Option<String>,
        description: Option<String>,
        #[graphql(name = "descriptionI18n")] description_i18n: Option<String>,
        order: Option<i32>,
        code: Option<String>,
    ) -> async_graphql::Result<Node> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let fields = NodeFields { name, code, description, order: order.map(i64::from), name_i18n, description_i18n };
        let id = add_node(state, AddNodeArgs { org_id, parent_node_id, fields })?;
        Ok(node_of(&state.access_read().orgs, &id).ok_or(ApiError::new(Code::NodeNotFound))?)
    }

    /// Changes the fields given of a node; 2702 when unknown, 2704 when the code is taken.
    async fn update_node(
        &self,
        ctx: &Context<'_>,
        id: String,
        name: Option<String>,
        code: Option<String>,
        description: Option<String>,
    ) -> async_graphql::Result<Node> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let members = {
            let mut access = state.access_write();
            access.orgs.update_node(&id, name.as_deref(), code.as_deref(), description, &now_iso())?;
            access.orgs.member_ids(id.trim(), false)
        };
        state.sync_main_departments(&members);
        Ok(node_of(&state.access_read().orgs, id.trim()).ok_or(ApiError::new(Code::NodeNotFound))?)
    }

    /// Deletes a node with its subtree; the root is refused (2705).
    async fn delete_node(
        &self,
        ctx: &Context<'_>,
        org_id: String,
        node_id: String,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        state.delete_org_node(&org_id, &node_id)?;
        Ok(CommonMessage::ok(meta.lang, "删除成功", "Deleted"))
    }

    /// Moves a node with its subtree under another node of the organization; answers the organization.
    async fn move_node(
        &self,
        ctx: &Context<'_>,
        org_id: String,
        node_id: String,
        target_parent_id: String,
    ) -> async_graphql::Result<Org> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let mut access = state.access_write();
        access.orgs.move_node(&org_id, &node_id, &target_parent_id, &now_iso())?;
        Ok(org_of(&access.orgs, &org_id)?)
    }

    /// Adds users to a node (by id, or by organization and code), as its leaders with `isLeader`; answers the
    /// node. The schema serves the leader flag nowhere: it is kept for the state document.
    async fn add_member(
        &self,
        ctx: &Context<'_>,
        node_id: Option<String>,
        org_id: Option<String>,
        node_code: Option<String>,
        user_ids: Vec<String>,
        #[graphql(default_with = "Some(false)")] is_leader: Option<bool>,
    ) -> async_graphql::Result<Node> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let node_ref =
            NodeRef { node_id: node_id.as_deref(), org_id: org_id.as_deref(), node_code: node_code.as_deref() };
        let node = state.add_node_members(node_ref, &user_ids, is_leader.unwrap_or(false))?;
        Ok(node_of(&state.access_read().orgs, &node.id).ok_or(ApiError::new(Code::NodeNotFound))?)
    }

    /// Takes users out of a node; answers the node.
    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        node_id: Option<String>,
        org_id: Option<String>,
        node_code: Option<String>,
        user_ids: Vec<String>,
    ) -> async_graphql::Result<Node> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let node_ref =
            NodeRef { node_id: node_id.as_deref(), org_id: org_id.as_deref(), node_code: node_code.as_deref() };
        let node = state.remove_node_members(node_ref, &user_ids)?;
        Ok(node_of(&state.access_read().orgs, &node.id).ok_or(ApiError::new(Code::NodeNotFound))?)
    }

    /// Moves users from one node to another.
    async fn move_members(
        &self,
        ctx: &Context<'_>,
        user_ids: Vec<String>,
        source_node_id: String,
        target_node_id: String,
    ) -> async_graphql::Result<Option<CommonMessage>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        state.move_node_members(&user_ids, &source_node_id, &target_node_id)?;
        Ok(Some(CommonMessage::ok(meta.lang, "移动成功", "Members moved")))
    }

    /// Makes a department the user's main one (none when `departmentId` is null).
    async fn set_main_department(
        &self,
        ctx: &Context<'_>,
        user_id: String,
        department_id: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        state.set_main_department(&user_id, department_id.as_deref())?;
        Ok(CommonMessage::ok(meta.lang, "设置主部门成功", "Main department set"))
    }
}

/// A user's departments, of one organization when given, in joining order: `(node, main, joinedAt)`.
pub(crate) fn user_departments(state: &State, user_id: &str, org_id: Option<&str>) -> Vec<(Node, bool, String)> {
    let access = state.access_read();
    let orgs = &access.orgs;
    orgs.memberships_of(user_id, org_id.map(str::trim).filter(|o| !o.is_empty()))
        .iter()
        .filter_map(|m| Some((node_of(orgs, &m.node)?, m.main, m.joined_at.clone())))
        .collect()
}

/// Resolves the `nodeCodes` of `assignRole` / `revokeRole` (node ids, despite the name): 2702 when unknown.
pub(crate) fn node_ids(orgs: &OrgStore, given: &[String]) -> Result<Vec<String>, ApiError> {
    given.iter().map(|id| Ok(orgs.existing_node(id)?.id.clone())).collect()
}
