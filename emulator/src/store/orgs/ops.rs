//! The organization operations that reach beyond the tree: members are users (they must exist, and their
//! `mainDepartmentId` / `mainDepartmentCode` follow their main department), a deleted node takes its ACL grants
//! with it, and a user's organizations are read as paths of nodes.
//!
//! Lock order as everywhere: `users` before `access` (which holds the organizations).

use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code};
use crate::store::model::Target;
use crate::store::orgs::{Node, NodeView, OrgStore};
use crate::store::state::State;

/// How a call names a node: by id, or by an organization and a code (`addMember`, `removeMember`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct NodeRef<'a> {
    pub(crate) node_id: Option<&'a str>,
    pub(crate) org_id: Option<&'a str>,
    pub(crate) node_code: Option<&'a str>,
}

impl NodeRef<'_> {
    /// The node meant: by id (2702 when unknown, 2706 when it is not in `orgId`), else by `orgId` and code.
    pub(crate) fn resolve(self, orgs: &OrgStore) -> Result<Node, ApiError> {
        let given = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let (node_id, org_id, code) = (given(self.node_id), given(self.org_id), given(self.node_code));
        if let Some(id) = node_id {
            let node = orgs.existing_node(&id)?;
            if let Some(org) = org_id {
                orgs.existing_org(&org)?;
                if node.org_id != org {
                    return Err(ApiError::new(Code::NotInNode));
                }
            }
            return Ok(node.clone());
        }
        match (org_id, code) {
            (Some(org), Some(code)) => {
                orgs.existing_org(&org)?;
                orgs.node_by_code(&org, &code).cloned().ok_or(ApiError::new(Code::NodeNotFound))
            }
            _ => Err(ApiError::with_message(
                Code::BadRequest,
                "nodeId 或 orgId 与 nodeCode 至少需要一个",
                "nodeId, or orgId with nodeCode, is needed",
            )),
        }
    }
}

/// User ids that must all exist (2004 otherwise), trimmed and without repeats.
fn existing_users(state: &State, user_ids: &[String]) -> Result<Vec<String>, ApiError> {
    let users = state.users_read();
    let mut out: Vec<String> = Vec::new();
    for id in user_ids.iter().map(|s| s.trim()) {
        if users.get(id).is_none() {
            return Err(ApiError::new(Code::UserNotFound));
        }
        if !out.iter().any(|o| o == id) {
            out.push(id.to_owned());
        }
    }
    Ok(out)
}

impl State {
    /// Adds users to a node, as its leaders or not; answers the node.
    pub(crate) fn add_node_members(
        &self,
        node: NodeRef<'_>,
        user_ids: &[String],
        leader: bool,
    ) -> Result<Node, ApiError> {
        let users = existing_users(self, user_ids)?;
        let node = {
            let mut access = self.access_write();
            let node = node.resolve(&access.orgs)?;
            access.orgs.add_members(&node.id, &users, leader, &now_iso());
            node
        };
        self.sync_main_departments(&users);
        Ok(node)
    }

    /// Takes users out of a node; answers the node.
    pub(crate) fn remove_node_members(&self, node: NodeRef<'_>, user_ids: &[String]) -> Result<Node, ApiError> {
        let users: Vec<String> = user_ids.iter().map(|s| s.trim().to_owned()).collect();
        let node = {
            let mut access = self.access_write();
            let node = node.resolve(&access.orgs)?;
            access.orgs.remove_members(&node.id, &users);
            node
        };
        self.sync_main_departments(&users);
        Ok(node)
    }

    /// Moves users from one node to another (both must exist, 2702).
    pub(crate) fn move_node_members(&self, user_ids: &[String], source: &str, target: &str) -> Result<(), ApiError> {
        let users = existing_users(self, user_ids)?;
        {
            let mut access = self.access_write();
            let source = access.orgs.existing_node(source)?.id.clone();
            let target = access.orgs.existing_node(target)?.id.clone();
            access.orgs.move_members(&users, &source, &target, &now_iso());
        }
        self.sync_main_departments(&users);
        Ok(())
    }

    /// Makes a department the user's only main one (none when `None`): 2004 for an unknown user, 2702 for an
    /// unknown node, 2706 when the user is not a member of it.
    pub(crate) fn set_main_department(&self, user_id: &str, node_id: Option<&str>) -> Result<(), ApiError> {
        let user_id = user_id.trim();
        existing_users(self, &[user_id.to_owned()])?;
        {
            let mut access = self.access_write();
            let node = match node_id.map(str::trim).filter(|n| !n.is_empty()) {
                Some(id) => Some(access.orgs.existing_node(id)?.id.clone()),
                None => None,
            };
            if !access.orgs.set_main(user_id, node.as_deref()) {
                return Err(ApiError::new(Code::NotInNode));
            }
        }
        self.sync_main_departments(&[user_id.to_owned()]);
        Ok(())
    }

    /// Deletes a node with its subtree, their memberships, roles and ACL grants.
    pub(crate) fn delete_org_node(&self, org_id: &str, node_id: &str) -> Result<(), ApiError> {
        let affected = {
            let mut access = self.access_write();
            let affected = access.orgs.member_ids(node_id.trim(), true);
            let removed = access.orgs.delete_node(org_id, node_id)?;
            forget_grants(&mut access.acl, &removed);
            affected
        };
        self.sync_main_departments(&affected);
        Ok(())
    }

    /// Deletes an organization with its nodes, their memberships, roles and ACL grants.
    pub(crate) fn delete_org(&self, org_id: &str) -> Result<(), ApiError> {
        let affected = {
            let mut access = self.access_write();
            let root = access.orgs.existing_org(org_id)?.root.clone();
            let affected = access.orgs.member_ids(&root, true);
            let removed = access.orgs.delete_org(org_id)?;
            forget_grants(&mut access.acl, &removed);
            affected
        };
        self.sync_main_departments(&affected);
        Ok(())
    }

    /// Sets each user's `mainDepartmentId` and `mainDepartmentCode` from its main department.
    pub(crate) fn sync_main_departments(&self, user_ids: &[String]) {
        let mut users = self.users_write();
        let access = self.access_read();
        for id in user_ids {
            let main = access.orgs.main_department(id).map(|n| (n.id.clone(), n.code.clone()));
            let _ = users.update(id, |user| {
                let (main_id, main_code) = match &main {
                    Some((id, code)) => (Some(id.clone()), code.clone()),
                    None => (None, None),
                };
                user.main_department_id = main_id;
                user.main_department_code = main_code;
                Ok(())
            });
        }
    }

    /// A user's organizations, each as the path of nodes from the root to one of the user's nodes, in joining
    /// order.
    pub(crate) fn user_org_paths(&self, user_id: &str) -> Vec<Vec<NodeView>> {
        let access = self.access_read();
        let orgs = &access.orgs;
        orgs.memberships_of(user_id, None)
            .iter()
            .map(|m| orgs.ancestry(&m.node).iter().filter_map(|n| orgs.view(&n.id, None)).collect())
            .collect()
    }
}

/// Removes the ACL grants held by removed nodes.
fn forget_grants(acl: &mut crate::store::acl::AclStore, node_ids: &[String]) {
    for id in node_ids {
        acl.forget(&Target::Org(id.clone()));
    }
}
