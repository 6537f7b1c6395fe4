//! Organizations: each is a tree of nodes (departments) with one root. A node has one parent, an order among its
//! siblings (a larger `order` sorts first, then creation order), members and roles.
//!
//! * Node codes are unique within their organization; a node belongs to exactly one organization.
//! * Moving a node moves its subtree; a node cannot move under itself or one of its descendants.
//! * Deleting a node deletes its subtree with the memberships and roles of every node in it; the root goes only
//!   with its organization.
//! * A user may belong to several nodes, and has at most one main department.
//! * A tree is imported whole or not at all ([`OrgStore::import_tree`]).
//!
//! The operations that reach beyond the tree (users, the ACL, roles) are in [`ops`].

pub(crate) mod ops;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::store::common::new_id;
use crate::store::error::{ApiError, Code};

/// A stored node.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) org_id: String,
    pub(crate) parent: Option<String>,
    pub(crate) name: String,
    pub(crate) name_i18n: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) description_i18n: Option<String>,
    pub(crate) order: Option<i64>,
    pub(crate) code: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    seq: u64,
}

/// A stored organization.
#[derive(Clone, Debug)]
pub(crate) struct Org {
    pub(crate) id: String,
    pub(crate) root: String,
    pub(crate) tenant_id: Option<String>,
    seq: u64,
}

/// A user's membership of a node.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    pub(crate) node: String,
    pub(crate) user: String,
    pub(crate) joined_at: String,
    pub(crate) main: bool,
    /// `addMember`'s `isLeader`. The schema serves it nowhere; it lives in the state document.
    pub(crate) leader: bool,
}

/// What a new node is made of.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NodeFields {
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) order: Option<i64>,
    #[serde(default, rename = "nameI18n", skip_serializing_if = "Option::is_none", with = "i18n")]
    pub(crate) name_i18n: Option<String>,
    #[serde(default, rename = "descriptionI18n", skip_serializing_if = "Option::is_none", with = "i18n")]
    pub(crate) description_i18n: Option<String>,
}

/// The nested tree of `POST /api/v2/orgs/import` and of the exports: a node's fields and its children.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Tree {
    #[serde(flatten)]
    pub(crate) fields: NodeFields,
    #[serde(default)]
    pub(crate) children: Vec<Tree>,
}

/// The i18n values travel as objects keyed by language code and are kept as their JSON text.
mod i18n {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    pub(crate) fn serialize<S: Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        let value = text.as_deref().map(|t| serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_owned())));
        value.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => Some(other.to_string()),
        })
    }
}

/// A node as served: its fields and where it sits in the tree.
#[derive(Clone, Debug)]
pub(crate) struct NodeView {
    pub(crate) node: Node,
    pub(crate) root: bool,
    pub(crate) depth: usize,
    pub(crate) path: Vec<String>,
    pub(crate) code_path: Vec<Option<String>>,
    pub(crate) name_path: Vec<String>,
    pub(crate) children: Vec<String>,
}

impl NodeView {
    /// The REST form (the `Node` fields of the GraphQL schema).
    pub(crate) fn to_json(&self) -> Value {
        let n = &self.node;
        json!({
            "id": n.id,
            "orgId": n.org_id,
            "name": n.name,
            "nameI18n": n.name_i18n,
            "description": n.description,
            "descriptionI18n": n.description_i18n,
            "order": n.order,
            "code": n.code,
            "root": self.root,
            "depth": self.depth,
            "path": self.path,
            "codePath": self.code_path,
            "namePath": self.name_path,
            "children": self.children,
            "createdAt": n.created_at,
            "updatedAt": n.updated_at,
            "isVirtualNode": false,
        })
    }
}

fn org_missing() -> ApiError {
    ApiError::new(Code::OrgNotFound)
}

fn node_missing() -> ApiError {
    ApiError::new(Code::NodeNotFound)
}

/// A name argument: trimmed, 400 when empty.
fn name_arg(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::with_message(Code::BadRequest, "name 不能为空", "name must not be empty"));
    }
    Ok(name.to_owned())
}

/// An optional code: trimmed, `None` when blank.
fn code_of(code: Option<&str>) -> Option<String> {
    code.map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned)
}

/// Every organization of the pool.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrgStore {
    orgs: Vec<Org>,
    nodes: Vec<Node>,
    members: Vec<Member>,
    /// `(node id, role id)`.
    node_roles: Vec<(String, String)>,
    seq: u64,
}

impl OrgStore {
    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    // ---- organizations -----------------------------------------------------------------------------

    /// The organizations, newest first (or oldest first with `oldest_first`).
    pub(crate) fn orgs(&self, oldest_first: bool) -> Vec<&Org> {
        let mut all: Vec<&Org> = self.orgs.iter().collect();
        if oldest_first {
            all.sort_by_key(|o| o.seq);
        } else {
            all.sort_by_key(|o| std::cmp::Reverse(o.seq));
        }
        all
    }

    pub(crate) fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.iter().find(|o| o.id == id.trim())
    }

    pub(crate) fn existing_org(&self, id: &str) -> Result<&Org, ApiError> {
        self.org(id).ok_or_else(org_missing)
    }

    /// The organization of a tenant, if any.
    pub(crate) fn org_of_tenant(&self, tenant_id: &str) -> Option<&Org> {
        self.orgs.iter().find(|o| o.tenant_id.as_deref() == Some(tenant_id.trim()))
    }

    /// Creates an organization whose only node is its root, made of `root`; answers its id.
    pub(crate) fn create_org(
        &mut self,
        root: NodeFields,
        tenant_id: Option<String>,
        now: &str,
    ) -> Result<String, ApiError> {
        self.create_org_with_ids(None, None, root, tenant_id, now)
    }

    fn create_org_with_ids(
        &mut self,
        org_id: Option<String>,
        root_id: Option<String>,
        root: NodeFields,
        tenant_id: Option<String>,
        now: &str,
    ) -> Result<String, ApiError> {
        let name = name_arg(&root.name)?;
        let org_id = org_id.unwrap_or_else(new_id);
        let root_id = root_id.unwrap_or_else(new_id);
        let seq = self.next_seq();
        self.nodes.push(Node {
            id: root_id.clone(),
            org_id: org_id.clone(),
            parent: None,
            name,
            name_i18n: root.name_i18n,
            description: root.description,
            description_i18n: root.description_i18n,
            order: root.order,
            code: code_of(root.code.as_deref()),
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
            seq,
        });
        self.orgs.push(Org { id: org_id.clone(), root: root_id, tenant_id, seq });
        Ok(org_id)
    }

    /// Deletes an organization with all its nodes; answers the ids of the nodes removed.
    pub(crate) fn delete_org(&mut self, id: &str) -> Result<Vec<String>, ApiError> {
        let org = self.existing_org(id)?.clone();
        let removed = self.subtree(&org.root);
        self.remove_nodes(&removed);
        self.orgs.retain(|o| o.id != org.id);
        Ok(removed)
    }

    /// The REST form of an organization: `{id, rootNode, nodes, tenantId}`, every node with depth from the root.
    pub(crate) fn org_json(&self, id: &str) -> Option<Value> {
        let org = self.org(id)?;
        let nodes: Vec<Value> =
            self.org_nodes(&org.id).iter().filter_map(|n| self.view(&n.id, None)).map(|v| v.to_json()).collect();
        Some(json!({
            "id": org.id,
            "rootNode": self.view(&org.root, None)?.to_json(),
            "nodes": nodes,
            "tenantId": org.tenant_id,
        }))
    }

    // ---- nodes -------------------------------------------------------------------------------------

    pub(crate) fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id.trim())
    }

    pub(crate) fn existing_node(&self, id: &str) -> Result<&Node, ApiError> {
        self.node(id).ok_or_else(node_missing)
    }

    /// A node of the organization `org_id`: 2701 for an unknown organization, 2702 for a node that is not in it.
    pub(crate) fn node_in(&self, org_id: &str, node_id: &str) -> Result<&Node, ApiError> {
        let org = self.existing_org(org_id)?;
        self.node(node_id).filter(|n| n.org_id == org.id).ok_or_else(node_missing)
    }

    /// The node of `org_id` with this code.
    pub(crate) fn node_by_code(&self, org_id: &str, code: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.org_id == org_id.trim() && n.code.as_deref() == Some(code.trim()))
    }

    /// Every node of an organization, root first, then depth-first in sibling order.
    pub(crate) fn org_nodes(&self, org_id: &str) -> Vec<&Node> {
        match self.org(org_id) {
            Some(org) => self.subtree(&org.root).iter().filter_map(|id| self.node(id)).collect(),
            None => Vec::new(),
        }
    }

    /// The children of a node, in sibling order (larger `order` first, then oldest first).
    pub(crate) fn children(&self, id: &str) -> Vec<&Node> {
        let mut kids: Vec<&Node> = self.nodes.iter().filter(|n| n.parent.as_deref() == Some(id)).collect();
        kids.sort_by_key(|n| (std::cmp::Reverse(n.order.unwrap_or(0)), n.seq));
        kids
    }

    /// The ids of a node and its descendants, depth-first in sibling order.
    pub(crate) fn subtree(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_owned()];
        let mut i = 0;
        while i < out.len() {
            let kids: Vec<String> = self.children(&out[i]).into_iter().map(|n| n.id.clone()).collect();
            let at = i + 1;
            // Keeps depth-first order: a node's children follow it directly.
            let tail = out.split_off(at);
            out.extend(kids);
            out.extend(tail);
            i += 1;
        }
        out
    }

    /// The nodes from the root down to `id`.
    pub(crate) fn ancestry(&self, id: &str) -> Vec<&Node> {
        let mut chain = Vec::new();
        let mut at = self.node(id);
        while let Some(node) = at {
            chain.push(node);
            at = node.parent.as_deref().and_then(|p| self.node(p));
        }
        chain.reverse();
        chain
    }

    /// A node as served; `depth` counts from `from` (an ancestor) instead of the root when given.
    pub(crate) fn view(&self, id: &str, from: Option<&str>) -> Option<NodeView> {
        let node = self.node(id)?.clone();
        let chain = self.ancestry(id);
        let base = from.and_then(|f| chain.iter().position(|n| n.id == f)).unwrap_or(0);
        Some(NodeView {
            root: node.parent.is_none(),
            depth: chain.len() - 1 - base,
            path: chain.iter().map(|n| n.id.clone()).collect(),
            code_path: chain.iter().map(|n| n.code.clone()).collect(),
            name_path: chain.iter().map(|n| n.name.clone()).collect(),
            children: self.children(id).into_iter().map(|n| n.id.clone()).collect(),
            node,
        })
    }

    /// Refuses a code another node of the organization has (2704).
    fn check_code_free(&self, org_id: &str, code: Option<&str>, except: Option<&str>) -> Result<(), ApiError> {
        let Some(code) = code else {
            return Ok(());
        };
        let taken = self
            .nodes
            .iter()
            .any(|n| n.org_id == org_id && n.code.as_deref() == Some(code) && except.is_none_or(|e| e != n.id));
        if taken { Err(ApiError::new(Code::NodeCodeExists)) } else { Ok(()) }
    }

    /// Adds a node under `parent` (the root when `None`); answers its id.
    pub(crate) fn add_node(
        &mut self,
        org_id: &str,
        parent: Option<&str>,
        fields: NodeFields,
        now: &str,
    ) -> Result<String, ApiError> {
        let org = self.existing_org(org_id)?.clone();
        let parent = match parent.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => self.node_in(&org.id, p)?.id.clone(),
            None => org.root.clone(),
        };
        self.insert_node(&org.id, &parent, None, fields, now)
    }

    fn insert_node(
        &mut self,
        org_id: &str,
        parent: &str,
        id: Option<String>,
        fields: NodeFields,
        now: &str,
    ) -> Result<String, ApiError> {
        let name = name_arg(&fields.name)?;
        let code = code_of(fields.code.as_deref());
        self.check_code_free(org_id, code.as_deref(), None)?;
        check_order(fields.order)?;
        let id = id.unwrap_or_else(new_id);
        let seq = self.next_seq();
        self.nodes.push(Node {
            id: id.clone(),
            org_id: org_id.to_owned(),
            parent: Some(parent.to_owned()),
            name,
            name_i18n: fields.name_i18n,
            description: fields.description,
            description_i18n: fields.description_i18n,
            order: fields.order,
            code,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
            seq,
        });
        Ok(id)
    }

    /// Changes the fields given of a node.
    pub(crate) fn update_node(
        &mut self,
        id: &str,
        name: Option<&str>,
        code: Option<&str>,
        description: Option<String>,
        now: &str,
    ) -> Result<(), ApiError> {
        let node = self.existing_node(id)?.clone();
        let name = name.map(name_arg).transpose()?;
        let code = code.map(|c| code_of(Some(c)));
        if let Some(code) = &code {
            self.check_code_free(&node.org_id, code.as_deref(), Some(&node.id))?;
        }
        let Some(stored) = self.nodes.iter_mut().find(|n| n.id == node.id) else {
            return Err(node_missing());
        };
        if let Some(name) = name {
            stored.name = name;
        }
        if let Some(code) = code {
            stored.code = code;
        }
        if description.is_some() {
            stored.description = description;
        }
        stored.updated_at = now.to_owned();
        Ok(())
    }

    /// Deletes a node of `org_id` with its subtree; answers the ids removed. The root is refused (2705): it goes
    /// with its organization.
    pub(crate) fn delete_node(&mut self, org_id: &str, id: &str) -> Result<Vec<String>, ApiError> {
        let node = self.node_in(org_id, id)?.clone();
        if node.parent.is_none() {
            return Err(ApiError::new(Code::RootNodeFixed));
        }
        let removed = self.subtree(&node.id);
        self.remove_nodes(&removed);
        Ok(removed)
    }

    fn remove_nodes(&mut self, ids: &[String]) {
        self.nodes.retain(|n| !ids.contains(&n.id));
        self.members.retain(|m| !ids.contains(&m.node));
        self.node_roles.retain(|(n, _)| !ids.contains(n));
    }

    /// Moves a node with its subtree under `target`. Moving under itself or a descendant, or moving the root, is
    /// refused (2703).
    pub(crate) fn move_node(&mut self, org_id: &str, id: &str, target: &str, now: &str) -> Result<(), ApiError> {
        let node = self.node_in(org_id, id)?.clone();
        let target = self.node_in(org_id, target)?.id.clone();
        if node.parent.is_none() || self.subtree(&node.id).contains(&target) {
            return Err(ApiError::new(Code::NodeMoveCycle));
        }
        if let Some(stored) = self.nodes.iter_mut().find(|n| n.id == node.id) {
            stored.parent = Some(target);
            stored.updated_at = now.to_owned();
        }
        Ok(())
    }

    /// The nodes whose name contains `keyword` (case-insensitive), in every organization, oldest first.
    pub(crate) fn search(&self, keyword: &str) -> Vec<&Node> {
        let keyword = keyword.trim().to_lowercase();
        let mut found: Vec<&Node> = self.nodes.iter().filter(|n| n.name.to_lowercase().contains(&keyword)).collect();
        found.sort_by_key(|n| n.seq);
        found
    }

    // ---- trees -------------------------------------------------------------------------------------

    /// Creates an organization from a nested tree, whole or not at all: every name and code is checked first.
    /// Ids come from `ids` when given (a state document), else are new.
    pub(crate) fn import_tree(&mut self, tree: Tree, tenant_id: Option<String>, now: &str) -> Result<String, ApiError> {
        check_tree(&tree)?;
        let mut staged = self.clone();
        let Tree { fields, children } = tree;
        let org_id = staged.create_org(fields, tenant_id, now)?;
        let root = staged.existing_org(&org_id)?.root.clone();
        staged.insert_children(&org_id, &root, children, now)?;
        *self = staged;
        Ok(org_id)
    }

    fn insert_children(&mut self, org_id: &str, parent: &str, children: Vec<Tree>, now: &str) -> Result<(), ApiError> {
        for child in children {
            let Tree { fields, children } = child;
            let id = self.insert_node(org_id, parent, None, fields, now)?;
            self.insert_children(org_id, &id, children, now)?;
        }
        Ok(())
    }

    /// The nested tree below (and including) a node.
    pub(crate) fn export_tree(&self, id: &str) -> Option<Tree> {
        let node = self.node(id)?;
        Some(Tree {
            fields: NodeFields {
                name: node.name.clone(),
                code: node.code.clone(),
                description: node.description.clone(),
                order: node.order,
                name_i18n: node.name_i18n.clone(),
                description_i18n: node.description_i18n.clone(),
            },
            children: self.children(id).into_iter().filter_map(|c| self.export_tree(&c.id)).collect(),
        })
    }

    // ---- members -----------------------------------------------------------------------------------

    /// Makes users members of a node, leaders of it or not: a user already a member keeps its joining time and
    /// takes the new leader flag (`addMember`'s `isLeader` defaults to false).
    pub(crate) fn add_members(&mut self, node_id: &str, user_ids: &[String], leader: bool, now: &str) {
        for user in user_ids {
            self.join(node_id, user, now).leader = leader;
        }
    }

    /// The user's membership of the node, made (not a leader) when there is none.
    fn join(&mut self, node_id: &str, user_id: &str, now: &str) -> &mut Member {
        let at = match self.members.iter().position(|m| m.node == node_id && m.user == user_id) {
            Some(at) => at,
            None => {
                self.members.push(Member {
                    node: node_id.to_owned(),
                    user: user_id.to_owned(),
                    joined_at: now.to_owned(),
                    main: false,
                    leader: false,
                });
                self.members.len() - 1
            }
        };
        &mut self.members[at]
    }

    /// Takes users out of a node.
    pub(crate) fn remove_members(&mut self, node_id: &str, user_ids: &[String]) {
        self.members.retain(|m| m.node != node_id || !user_ids.contains(&m.user));
    }

    /// Moves users from one node to another; a user's main department moves with it, leadership does not (a user
    /// already in the target keeps its flag there).
    pub(crate) fn move_members(&mut self, user_ids: &[String], source: &str, target: &str, now: &str) {
        for user in user_ids {
            let was_main = self.members.iter().any(|m| m.node == source && m.user == *user && m.main);
            self.remove_members(source, std::slice::from_ref(user));
            self.join(target, user, now);
            if was_main {
                self.set_main(user, Some(target));
            }
        }
    }

    /// Makes `node` the user's only main department (none with `None`). The user must be a member (2706).
    pub(crate) fn set_main(&mut self, user_id: &str, node: Option<&str>) -> bool {
        if let Some(node) = node
            && !self.members.iter().any(|m| m.node == node && m.user == user_id)
        {
            return false;
        }
        for m in self.members.iter_mut().filter(|m| m.user == user_id) {
            m.main = Some(m.node.as_str()) == node;
        }
        true
    }

    /// The user ids of a node (and of its descendants with `with_children`), each once, in joining order.
    pub(crate) fn member_ids(&self, node_id: &str, with_children: bool) -> Vec<String> {
        let nodes = if with_children { self.subtree(node_id) } else { vec![node_id.to_owned()] };
        let mut ids: Vec<String> = Vec::new();
        for m in self.members.iter().filter(|m| nodes.contains(&m.node)) {
            if !ids.contains(&m.user) {
                ids.push(m.user.clone());
            }
        }
        ids
    }

    /// A user's memberships, in joining order, of one organization when given.
    pub(crate) fn memberships_of(&self, user_id: &str, org_id: Option<&str>) -> Vec<&Member> {
        self.members
            .iter()
            .filter(|m| m.user == user_id)
            .filter(|m| org_id.is_none_or(|o| self.node(&m.node).is_some_and(|n| n.org_id == o.trim())))
            .collect()
    }

    /// The user's main department, if any.
    pub(crate) fn main_department(&self, user_id: &str) -> Option<&Node> {
        self.members.iter().find(|m| m.user == user_id && m.main).and_then(|m| self.node(&m.node))
    }

    /// The nodes whose grants and roles a user holds: its departments and all their ancestors, each once.
    pub(crate) fn holding_nodes(&self, user_id: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in self.members.iter().filter(|m| m.user == user_id) {
            for node in self.ancestry(&m.node) {
                if !out.contains(&node.id) {
                    out.push(node.id.clone());
                }
            }
        }
        out
    }

    /// Removes a deleted user's memberships.
    pub(crate) fn forget_user(&mut self, user_id: &str) {
        self.members.retain(|m| m.user != user_id);
    }

    // ---- roles -------------------------------------------------------------------------------------

    /// Gives roles (by id) to nodes (idempotent).
    pub(crate) fn assign_roles(&mut self, role_ids: &[String], node_ids: &[String]) {
        for node in node_ids {
            for role in role_ids {
                if !self.node_roles.iter().any(|(n, r)| n == node && r == role) {
                    self.node_roles.push((node.clone(), role.clone()));
                }
            }
        }
    }

    /// Takes roles (by id) from nodes.
    pub(crate) fn revoke_roles(&mut self, role_ids: &[String], node_ids: &[String]) {
        self.node_roles.retain(|(n, r)| !node_ids.contains(n) || !role_ids.contains(r));
    }

    /// The role ids a node holds, itself and through its ancestors, each once.
    pub(crate) fn node_role_ids(&self, node_id: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for node in self.ancestry(node_id) {
            for (_, role) in self.node_roles.iter().filter(|(n, _)| *n == node.id) {
                if !out.contains(role) {
                    out.push(role.clone());
                }
            }
        }
        out
    }

    /// The role ids given to one node directly.
    pub(crate) fn direct_role_ids(&self, node_id: &str) -> Vec<String> {
        self.node_roles.iter().filter(|(n, _)| n == node_id).map(|(_, r)| r.clone()).collect()
    }

    /// Forgets a deleted role.
    pub(crate) fn forget_role(&mut self, role_id: &str) {
        self.node_roles.retain(|(_, r)| r != role_id);
    }

    // ---- state documents ---------------------------------------------------------------------------

    /// Adds an organization of a state document with its ids; nodes are added parent first.
    pub(crate) fn restore_org(&mut self, doc: &OrgDoc, now: &str) -> Result<(), ApiError> {
        if self.org(&doc.id).is_some() || self.node(&doc.root.id).is_some() {
            return Err(ApiError::with_message(Code::BadRequest, "组织机构 id 重复", "duplicate organization id"));
        }
        let org_id = doc.id.clone();
        self.create_org_with_ids(
            Some(org_id.clone()),
            Some(doc.root.id.clone()),
            doc.root.fields.clone(),
            doc.tenant_id.clone(),
            now,
        )?;
        self.restore_node_members(&doc.root, now);
        self.restore_children(&org_id, &doc.root, now)
    }

    fn restore_children(&mut self, org_id: &str, parent: &NodeDoc, now: &str) -> Result<(), ApiError> {
        for child in &parent.children {
            if self.node(&child.id).is_some() {
                return Err(ApiError::with_message(Code::BadRequest, "节点 id 重复", "duplicate node id"));
            }
            self.insert_node(org_id, &parent.id, Some(child.id.clone()), child.fields.clone(), now)?;
            self.restore_node_members(child, now);
            self.restore_children(org_id, child, now)?;
        }
        Ok(())
    }

    fn restore_node_members(&mut self, doc: &NodeDoc, now: &str) {
        for m in &doc.members {
            self.add_members(&doc.id, std::slice::from_ref(&m.user_id), m.is_leader, now);
            if m.main {
                self.set_main(&m.user_id, Some(&doc.id));
            }
        }
    }

    /// The state-document form of an organization; role ids are turned into `(namespace, code)` by `role`.
    pub(crate) fn org_doc(&self, org: &Org, role: &dyn Fn(&str) -> Option<RoleRef>) -> Option<OrgDoc> {
        Some(OrgDoc { id: org.id.clone(), tenant_id: org.tenant_id.clone(), root: self.node_doc(&org.root, role)? })
    }

    fn node_doc(&self, id: &str, role: &dyn Fn(&str) -> Option<RoleRef>) -> Option<NodeDoc> {
        let tree = self.export_tree(id)?;
        Some(NodeDoc {
            id: id.to_owned(),
            fields: tree.fields,
            members: self
                .members
                .iter()
                .filter(|m| m.node == id)
                .map(|m| MemberDoc { user_id: m.user.clone(), main: m.main, is_leader: m.leader })
                .collect(),
            roles: self.direct_role_ids(id).iter().filter_map(|r| role(r)).collect(),
            children: self.children(id).into_iter().filter_map(|c| self.node_doc(&c.id, role)).collect(),
        })
    }
}

/// `order` must be 0 ≤ order < 2³².
fn check_order(order: Option<i64>) -> Result<(), ApiError> {
    match order {
        Some(o) if !(0..1_i64 << 32).contains(&o) => Err(ApiError::with_message(
            Code::BadRequest,
            "order 必须在 0 到 2^32 之间",
            "order must be at least 0 and below 2^32",
        )),
        _ => Ok(()),
    }
}

/// Checks every name, order and code of a tree before anything is created: codes are unique in the tree.
fn check_tree(tree: &Tree) -> Result<(), ApiError> {
    fn walk<'t>(tree: &'t Tree, codes: &mut Vec<&'t str>) -> Result<(), ApiError> {
        name_arg(&tree.fields.name)?;
        check_order(tree.fields.order)?;
        if let Some(code) = tree.fields.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            if codes.contains(&code) {
                return Err(ApiError::new(Code::NodeCodeExists));
            }
            codes.push(code);
        }
        tree.children.iter().try_for_each(|c| walk(c, codes))
    }
    walk(tree, &mut Vec::new())
}

/// A role named in a state document.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub(crate) struct RoleRef {
    #[serde(default = "default_namespace")]
    pub(crate) namespace: String,
    pub(crate) code: String,
}

fn default_namespace() -> String {
    crate::store::model::DEFAULT_NAMESPACE.to_owned()
}

/// A member in a state document.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MemberDoc {
    pub(crate) user_id: String,
    #[serde(default)]
    pub(crate) main: bool,
    /// Left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) is_leader: bool,
}

/// A node in a state document: its id, fields, members, roles and children.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct NodeDoc {
    /// Generated when the document gives none.
    #[serde(default = "new_id")]
    pub(crate) id: String,
    #[serde(flatten)]
    pub(crate) fields: NodeFields,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) members: Vec<MemberDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) roles: Vec<RoleRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) children: Vec<NodeDoc>,
}

/// An organization in a state document.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrgDoc {
    /// Generated when the document gives none.
    #[serde(default = "new_id")]
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) tenant_id: Option<String>,
    pub(crate) root: NodeDoc,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str, code: &str) -> NodeFields {
        NodeFields { name: name.into(), code: Some(code.into()), ..NodeFields::default() }
    }

    #[test]
    fn moving_keeps_the_subtree_and_refuses_cycles() {
        let mut s = OrgStore::default();
        let org = s.create_org(fields("Co", "co"), None, "t").unwrap();
        let a = s.add_node(&org, None, fields("A", "a"), "t").unwrap();
        let b = s.add_node(&org, Some(&a), fields("B", "b"), "t").unwrap();
        let c = s.add_node(&org, None, fields("C", "c"), "t").unwrap();
        assert_eq!(s.move_node(&org, &a, &b, "t").unwrap_err().code, Code::NodeMoveCycle);
        assert_eq!(s.move_node(&org, &a, &a, "t").unwrap_err().code, Code::NodeMoveCycle);
        s.move_node(&org, &a, &c, "t").unwrap();
        let view = s.view(&b, None).unwrap();
        assert_eq!(view.depth, 3);
        assert_eq!(view.path[1..], [c.clone(), a.clone(), b.clone()]);
        assert_eq!(s.add_node(&org, None, fields("D", "b"), "t").unwrap_err().code, Code::NodeCodeExists);
        let removed = s.delete_node(&org, &c).unwrap();
        assert_eq!(removed.len(), 3);
        assert_eq!(s.org_nodes(&org).len(), 1);
    }

    #[test]
    fn an_invalid_tree_creates_nothing() {
        let mut s = OrgStore::default();
        let tree: Tree = serde_json::from_value(json!({
            "name": "Co", "code": "co",
            "children": [{ "name": "A", "code": "x" }, { "name": "B", "code": "x" }]
        }))
        .unwrap();
        assert_eq!(s.import_tree(tree, None, "t").unwrap_err().code, Code::NodeCodeExists);
        assert!(s.orgs(false).is_empty());
    }
}
