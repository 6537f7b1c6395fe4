//! Roles, groups, policies and who holds them: the stored records (served by the GraphQL front end as `Role`,
//! `Group` and `Policy` objects), memberships and policy assignments.
//!
//! * Roles live in a namespace (a permission group's code); `default` always exists, other namespaces come
//!   into being when first used. A role's code is unique within its namespace.
//! * Groups belong to the pool; a group's code is unique in the pool.
//! * Policies live in a namespace too. The built-in `AdministratorAccess` of the `default` namespace
//!   (`isDefault: true`) can be neither changed nor deleted.
//! * Memberships (user in role, group in role, user in group) and policy assignments refer to roles and
//!   groups by an internal id, so that renaming one keeps them; assignments are served with the target's
//!   current code.
//! * Deleting a role, a group or a policy removes its memberships and assignments; deleting a user removes
//!   the user's memberships and USER assignments ([`AccessStore::forget_user`]).

use std::cmp::Reverse;

use crate::store::common::new_id;
use crate::store::error::{ApiError, Code};
pub(crate) use crate::store::model::{
    AuthorizedResource, DEFAULT_NAMESPACE, ResourceType, Target, TargetKind, namespace,
};
use crate::store::users::{Memberships, SortBy};

/// The code of the built-in policy.
pub(crate) const ADMIN_POLICY: &str = "AdministratorAccess";

/// A code given by a caller: trimmed, refused with 400 when empty.
pub(crate) fn code_arg(what: &str, code: &str) -> Result<String, ApiError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(ApiError::with_message(
            Code::BadRequest,
            format!("{what} 的 code 不能为空"),
            format!("The {what} code must not be empty"),
        ));
    }
    Ok(code.to_owned())
}

/// `Role` of the official schema (its scalar fields; `users`, `authorizedResources` and `parent` are
/// resolved in `graphql::roles`).
#[derive(Clone, Debug)]
pub(crate) struct Role {
    pub(crate) id: String,
    pub(crate) namespace: String,
    pub(crate) code: String,
    pub(crate) arn: String,
    pub(crate) description: Option<String>,
    pub(crate) is_system: Option<bool>,
    pub(crate) created_at: Option<String>,
    pub(crate) updated_at: Option<String>,
    /// The id of the parent role, if any.
    pub(crate) parent_id: Option<String>,
    pub(crate) created_seq: u64,
    pub(crate) updated_seq: u64,
}

/// `Group` of the official schema (its scalar fields; `users` and `authorizedResources` are resolved in
/// `graphql::groups`).
#[derive(Clone, Debug)]
pub(crate) struct Group {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) created_at: Option<String>,
    pub(crate) updated_at: Option<String>,
    /// Internal id: memberships keep it across renames.
    pub(crate) id: String,
    pub(crate) created_seq: u64,
    pub(crate) updated_seq: u64,
}

/// `PolicyEffect` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PolicyEffect {
    Allow,
    Deny,
}

/// The value of a policy statement condition: any JSON value, kept and served as given.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ObjectValue(pub(crate) serde_json::Value);

/// `PolicyStatementCondition` of the official schema.
#[derive(Clone, Debug)]
pub(crate) struct PolicyStatementCondition {
    pub(crate) param: String,
    pub(crate) operator: String,
    pub(crate) value: ObjectValue,
}

/// `PolicyStatement` of the official schema.
#[derive(Clone, Debug)]
pub(crate) struct PolicyStatement {
    pub(crate) resource: String,
    pub(crate) actions: Vec<String>,
    pub(crate) effect: Option<PolicyEffect>,
    /// Null when the caller gave none.
    pub(crate) condition: Option<Vec<PolicyStatementCondition>>,
}

/// `Policy` of the official schema (its scalar fields; `assignmentsCount` and `assignments` are resolved
/// in `graphql::policies`).
#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub(crate) namespace: String,
    pub(crate) code: String,
    pub(crate) is_default: bool,
    pub(crate) description: Option<String>,
    pub(crate) statements: Vec<PolicyStatement>,
    pub(crate) created_at: Option<String>,
    pub(crate) updated_at: Option<String>,
    pub(crate) created_seq: u64,
}

/// `PolicyAssignment` of the official schema.
#[derive(Clone, Debug)]
pub(crate) struct PolicyAssignment {
    pub(crate) code: String,
    pub(crate) target_type: TargetKind,
    pub(crate) target_identifier: String,
}

/// A policy assignment as stored.
#[derive(Clone, Debug)]
pub(crate) struct Assignment {
    /// The namespace of the policy (and of a ROLE target).
    pub(crate) namespace: String,
    pub(crate) policy: String,
    pub(crate) target: Target,
    pub(crate) enabled: bool,
}

/// A filter of [`AccessStore::assignments`]; `None` matches everything.
#[derive(Clone, Debug, Default)]
pub(crate) struct AssignmentFilter {
    pub(crate) namespace: Option<String>,
    pub(crate) policy: Option<String>,
    pub(crate) target_type: Option<TargetKind>,
    pub(crate) target_identifier: Option<String>,
}

/// All roles, groups, policies, memberships and assignments of the pool.
pub(crate) struct AccessStore {
    pub(crate) roles: Vec<Role>,
    pub(crate) groups: Vec<Group>,
    pub(crate) policies: Vec<Policy>,
    pub(crate) assignments: Vec<Assignment>,
    /// `(role id, user id)`.
    pub(crate) role_users: Vec<(String, String)>,
    /// `(role id, group id)`.
    pub(crate) role_groups: Vec<(String, String)>,
    /// `(group id, user id)`.
    pub(crate) group_users: Vec<(String, String)>,
    seq: u64,
    /// Resource namespaces, resources, grants, access accounts and application access policies.
    pub(crate) acl: crate::store::acl::AclStore,
    /// Organizations: their trees, members and node roles.
    pub(crate) orgs: crate::store::orgs::OrgStore,
}

/// Sorts records by their creation or update order.
fn sort_by_seq<T>(items: &mut [&T], sort: SortBy, seqs: impl Fn(&T) -> (u64, u64)) {
    match sort {
        SortBy::CreatedatDesc => items.sort_by_key(|r| Reverse(seqs(r).0)),
        SortBy::CreatedatAsc => items.sort_by_key(|r| seqs(r).0),
        SortBy::UpdatedatDesc => items.sort_by_key(|r| Reverse(seqs(r).1)),
        SortBy::UpdatedatAsc => items.sort_by_key(|r| seqs(r).1),
    }
}

impl AccessStore {
    /// A store with the `default` namespace and the built-in policy, created at `now`.
    pub(crate) fn new(now: &str) -> Self {
        let mut store = AccessStore {
            roles: Vec::new(),
            groups: Vec::new(),
            policies: Vec::new(),
            assignments: Vec::new(),
            role_users: Vec::new(),
            role_groups: Vec::new(),
            group_users: Vec::new(),
            seq: 0,
            acl: crate::store::acl::AclStore::new(now),
            orgs: crate::store::orgs::OrgStore::default(),
        };
        let created_seq = store.next_seq();
        store.policies.push(Policy {
            namespace: DEFAULT_NAMESPACE.to_owned(),
            code: ADMIN_POLICY.to_owned(),
            is_default: true,
            description: Some("Full access to every resource".to_owned()),
            statements: vec![PolicyStatement {
                resource: "*".to_owned(),
                actions: vec!["*".to_owned()],
                effect: Some(PolicyEffect::Allow),
                condition: None,
            }],
            created_at: Some(now.to_owned()),
            updated_at: Some(now.to_owned()),
            created_seq,
        });
        store
    }

    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    // ---- roles -------------------------------------------------------------------------------------

    pub(crate) fn role(&self, ns: &str, code: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.namespace == ns && r.code == code)
    }

    pub(crate) fn role_by_id(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// A role that must exist (2101 otherwise).
    pub(crate) fn existing_role(&self, ns: &str, code: &str) -> Result<&Role, ApiError> {
        self.role(ns, code).ok_or(ApiError::new(Code::RoleNotFound))
    }

    /// The roles of a namespace, sorted.
    pub(crate) fn roles(&self, ns: &str, sort: SortBy) -> Vec<Role> {
        let mut roles: Vec<&Role> = self.roles.iter().filter(|r| r.namespace == ns).collect();
        sort_by_seq(&mut roles, sort, |r| (r.created_seq, r.updated_seq));
        roles.into_iter().cloned().collect()
    }

    /// Creates a role; `parent` is the code of a role of the same namespace.
    pub(crate) fn create_role(
        &mut self,
        pool_id: &str,
        ns: &str,
        code: &str,
        description: Option<String>,
        parent: Option<&str>,
        now: &str,
    ) -> Result<Role, ApiError> {
        if self.role(ns, code).is_some() {
            return Err(ApiError::new(Code::RoleExists));
        }
        let parent_id = match parent.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(
                self.role(ns, p)
                    .ok_or_else(|| {
                        ApiError::with_message(
                            Code::RoleNotFound,
                            format!("父角色 {p} 不存在"),
                            format!("The parent role {p} does not exist"),
                        )
                    })?
                    .id
                    .clone(),
            ),
            None => None,
        };
        let id = new_id();
        let seq = self.next_seq();
        let role = Role {
            arn: format!("arn:cn:authing:{pool_id}:role:{id}"),
            id,
            namespace: ns.to_owned(),
            code: code.to_owned(),
            description,
            is_system: Some(false),
            created_at: Some(now.to_owned()),
            updated_at: Some(now.to_owned()),
            parent_id,
            created_seq: seq,
            updated_seq: seq,
        };
        self.roles.push(role.clone());
        self.acl.ensure_namespace(ns, now);
        Ok(role)
    }

    /// Changes a role's description and, with `new_code`, renames it.
    pub(crate) fn update_role(
        &mut self,
        ns: &str,
        code: &str,
        description: Option<String>,
        new_code: Option<&str>,
        now: &str,
    ) -> Result<Role, ApiError> {
        let id = self.existing_role(ns, code)?.id.clone();
        if let Some(new_code) = new_code
            && self.role(ns, new_code).is_some_and(|r| r.id != id)
        {
            return Err(ApiError::new(Code::RoleExists));
        }
        let seq = self.next_seq();
        let role = self.roles.iter_mut().find(|r| r.id == id).ok_or(ApiError::new(Code::RoleNotFound))?;
        if let Some(d) = description {
            role.description = Some(d);
        }
        if let Some(new_code) = new_code {
            role.code = new_code.to_owned();
        }
        role.updated_at = Some(now.to_owned());
        role.updated_seq = seq;
        Ok(role.clone())
    }

    /// Deletes a role with its memberships and assignments; its children lose their parent. Returns the
    /// deleted role (the caller removes its custom data).
    pub(crate) fn delete_role(&mut self, ns: &str, code: &str) -> Option<Role> {
        let pos = self.roles.iter().position(|r| r.namespace == ns && r.code == code)?;
        let role = self.roles.remove(pos);
        self.role_users.retain(|(r, _)| *r != role.id);
        self.role_groups.retain(|(r, _)| *r != role.id);
        self.assignments.retain(|a| a.target != Target::Role(role.id.clone()));
        self.acl.forget(&Target::Role(role.id.clone()));
        self.orgs.forget_role(&role.id);
        for child in self.roles.iter_mut().filter(|r| r.parent_id.as_deref() == Some(role.id.as_str())) {
            child.parent_id = None;
        }
        Some(role)
    }

    /// Gives each role to each user and group (idempotent).
    pub(crate) fn assign_roles(&mut self, role_ids: &[String], user_ids: &[String], group_ids: &[String]) {
        for role in role_ids {
            for user in user_ids {
                let pair = (role.clone(), user.clone());
                if !self.role_users.contains(&pair) {
                    self.role_users.push(pair);
                }
            }
            for group in group_ids {
                let pair = (role.clone(), group.clone());
                if !self.role_groups.contains(&pair) {
                    self.role_groups.push(pair);
                }
            }
        }
    }

    /// Takes each role from each user and group (what is not assigned is skipped).
    pub(crate) fn revoke_roles(&mut self, role_ids: &[String], user_ids: &[String], group_ids: &[String]) {
        self.role_users.retain(|(r, u)| !(role_ids.contains(r) && user_ids.contains(u)));
        self.role_groups.retain(|(r, g)| !(role_ids.contains(r) && group_ids.contains(g)));
    }

    /// The ids of the users that hold a role directly, in assignment order.
    pub(crate) fn role_user_ids(&self, role_id: &str) -> Vec<String> {
        self.role_users.iter().filter(|(r, _)| r == role_id).map(|(_, u)| u.clone()).collect()
    }

    /// The roles a user holds directly, newest role first; in one namespace or, with `None`, in all.
    pub(crate) fn user_roles(&self, user_id: &str, ns: Option<&str>) -> Vec<Role> {
        let mut roles: Vec<&Role> = self
            .roles
            .iter()
            .filter(|r| ns.is_none_or(|ns| r.namespace == ns))
            .filter(|r| self.role_users.iter().any(|(rid, u)| *rid == r.id && u == user_id))
            .collect();
        sort_by_seq(&mut roles, SortBy::CreatedatDesc, |r| (r.created_seq, r.updated_seq));
        roles.into_iter().cloned().collect()
    }

    // ---- groups ------------------------------------------------------------------------------------

    pub(crate) fn group(&self, code: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.code == code)
    }

    /// A group that must exist (2111 otherwise).
    pub(crate) fn existing_group(&self, code: &str) -> Result<&Group, ApiError> {
        self.group(code).ok_or(ApiError::new(Code::GroupNotFound))
    }

    /// Every group, sorted; only those of `user_id` when given.
    pub(crate) fn groups(&self, user_id: Option<&str>, sort: SortBy) -> Vec<Group> {
        let mut groups: Vec<&Group> = self
            .groups
            .iter()
            .filter(|g| user_id.is_none_or(|u| self.group_users.iter().any(|(gid, m)| *gid == g.id && m == u)))
            .collect();
        sort_by_seq(&mut groups, sort, |g| (g.created_seq, g.updated_seq));
        groups.into_iter().cloned().collect()
    }

    pub(crate) fn create_group(
        &mut self,
        code: &str,
        name: String,
        description: Option<String>,
        now: &str,
    ) -> Result<Group, ApiError> {
        if self.group(code).is_some() {
            return Err(ApiError::new(Code::GroupExists));
        }
        let seq = self.next_seq();
        let group = Group {
            code: code.to_owned(),
            name,
            description,
            created_at: Some(now.to_owned()),
            updated_at: Some(now.to_owned()),
            id: new_id(),
            created_seq: seq,
            updated_seq: seq,
        };
        self.groups.push(group.clone());
        Ok(group)
    }

    pub(crate) fn update_group(
        &mut self,
        code: &str,
        name: Option<String>,
        description: Option<String>,
        new_code: Option<&str>,
        now: &str,
    ) -> Result<Group, ApiError> {
        let id = self.existing_group(code)?.id.clone();
        if let Some(new_code) = new_code
            && self.group(new_code).is_some_and(|g| g.id != id)
        {
            return Err(ApiError::new(Code::GroupExists));
        }
        let seq = self.next_seq();
        let group = self.groups.iter_mut().find(|g| g.id == id).ok_or(ApiError::new(Code::GroupNotFound))?;
        if let Some(name) = name {
            group.name = name;
        }
        if let Some(d) = description {
            group.description = Some(d);
        }
        if let Some(new_code) = new_code {
            group.code = new_code.to_owned();
        }
        group.updated_at = Some(now.to_owned());
        group.updated_seq = seq;
        Ok(group.clone())
    }

    /// Deletes a group with its memberships, its roles and its assignments; false when it is unknown.
    pub(crate) fn delete_group(&mut self, code: &str) -> bool {
        let Some(pos) = self.groups.iter().position(|g| g.code == code) else {
            return false;
        };
        let group = self.groups.remove(pos);
        self.group_users.retain(|(g, _)| *g != group.id);
        self.role_groups.retain(|(_, g)| *g != group.id);
        self.assignments.retain(|a| a.target != Target::Group(group.id.clone()));
        self.acl.forget(&Target::Group(group.id.clone()));
        true
    }

    /// Adds users to a group (idempotent).
    pub(crate) fn add_group_users(&mut self, group_id: &str, user_ids: &[String]) {
        for user in user_ids {
            let pair = (group_id.to_owned(), user.clone());
            if !self.group_users.contains(&pair) {
                self.group_users.push(pair);
            }
        }
    }

    /// Removes users from a group (users not in it are skipped).
    pub(crate) fn remove_group_users(&mut self, group_id: &str, user_ids: &[String]) {
        self.group_users.retain(|(g, u)| !(g == group_id && user_ids.contains(u)));
    }

    /// The ids of a group's users, in joining order.
    pub(crate) fn group_user_ids(&self, group_id: &str) -> Vec<String> {
        self.group_users.iter().filter(|(g, _)| g == group_id).map(|(_, u)| u.clone()).collect()
    }

    // ---- users -------------------------------------------------------------------------------------

    /// The departments, groups and roles a user belongs to directly.
    pub(crate) fn memberships(&self, user_id: &str) -> Memberships {
        Memberships {
            departments: self.orgs.memberships_of(user_id, None).iter().map(|m| m.node.clone()).collect(),
            groups: self.groups(Some(user_id), SortBy::CreatedatAsc).into_iter().map(|g| g.code).collect(),
            roles: self.user_roles(user_id, None).into_iter().map(|r| (r.namespace, r.code)).collect(),
        }
    }

    /// Removes a deleted user's memberships and USER assignments.
    pub(crate) fn forget_user(&mut self, user_id: &str) {
        self.role_users.retain(|(_, u)| u != user_id);
        self.group_users.retain(|(_, u)| u != user_id);
        self.assignments.retain(|a| a.target != Target::User(user_id.to_owned()));
        self.acl.forget(&Target::User(user_id.to_owned()));
        self.orgs.forget_user(user_id);
    }

    // ---- policies ----------------------------------------------------------------------------------

    pub(crate) fn policy(&self, ns: &str, code: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.namespace == ns && p.code == code)
    }

    /// A policy that must exist (2121 otherwise).
    pub(crate) fn existing_policy(&self, ns: &str, code: &str) -> Result<&Policy, ApiError> {
        self.policy(ns, code).ok_or(ApiError::new(Code::PolicyNotFound))
    }

    /// The policies of a namespace, newest first; without the built-in one when `exclude_default`.
    pub(crate) fn policies(&self, ns: &str, exclude_default: bool) -> Vec<Policy> {
        let mut list: Vec<&Policy> =
            self.policies.iter().filter(|p| p.namespace == ns && !(exclude_default && p.is_default)).collect();
        list.sort_by_key(|p| Reverse(p.created_seq));
        list.into_iter().cloned().collect()
    }

    pub(crate) fn create_policy(
        &mut self,
        ns: &str,
        code: &str,
        description: Option<String>,
        statements: Vec<PolicyStatement>,
        now: &str,
    ) -> Result<Policy, ApiError> {
        if self.policy(ns, code).is_some() {
            return Err(ApiError::new(Code::PolicyExists));
        }
        let created_seq = self.next_seq();
        let policy = Policy {
            namespace: ns.to_owned(),
            code: code.to_owned(),
            is_default: false,
            description,
            statements,
            created_at: Some(now.to_owned()),
            updated_at: Some(now.to_owned()),
            created_seq,
        };
        self.policies.push(policy.clone());
        self.acl.ensure_namespace(ns, now);
        Ok(policy)
    }

    pub(crate) fn update_policy(
        &mut self,
        ns: &str,
        code: &str,
        description: Option<String>,
        statements: Option<Vec<PolicyStatement>>,
        new_code: Option<&str>,
        now: &str,
    ) -> Result<Policy, ApiError> {
        if self.existing_policy(ns, code)?.is_default {
            return Err(ApiError::new(Code::PolicyBuiltIn));
        }
        if let Some(new_code) = new_code
            && new_code != code
            && self.policy(ns, new_code).is_some()
        {
            return Err(ApiError::new(Code::PolicyExists));
        }
        let policy = self
            .policies
            .iter_mut()
            .find(|p| p.namespace == ns && p.code == code)
            .ok_or(ApiError::new(Code::PolicyNotFound))?;
        if let Some(d) = description {
            policy.description = Some(d);
        }
        if let Some(s) = statements {
            policy.statements = s;
        }
        if let Some(new_code) = new_code {
            policy.code = new_code.to_owned();
            for a in self.assignments.iter_mut().filter(|a| a.namespace == ns && a.policy == code) {
                a.policy = new_code.to_owned();
            }
        }
        policy.updated_at = Some(now.to_owned());
        Ok(policy.clone())
    }

    /// Deletes policies of a namespace with their assignments, all or nothing: the built-in policy among
    /// them refuses the whole call (2123). Unknown codes are skipped; returns how many were deleted.
    pub(crate) fn delete_policies(&mut self, ns: &str, codes: &[String]) -> Result<usize, ApiError> {
        if codes.iter().any(|c| self.policy(ns, c).is_some_and(|p| p.is_default)) {
            return Err(ApiError::new(Code::PolicyBuiltIn));
        }
        let before = self.policies.len();
        self.policies.retain(|p| !(p.namespace == ns && codes.contains(&p.code)));
        self.assignments.retain(|a| !(a.namespace == ns && codes.contains(&a.policy)));
        Ok(before - self.policies.len())
    }

    /// The identifier a target is served with: a role's or group's current code, else the id given.
    fn identifier(&self, target: &Target) -> String {
        match target {
            Target::Role(id) => self.role_by_id(id).map(|r| r.code.clone()).unwrap_or_default(),
            Target::Group(id) => self.groups.iter().find(|g| g.id == *id).map(|g| g.code.clone()).unwrap_or_default(),
            Target::User(id) | Target::Org(id) | Target::AkSk(id) => id.clone(),
        }
    }

    /// Whether a stored target is the one a caller named: ROLE by code or id, GROUP by code, others by
    /// the identifier itself.
    fn names(&self, target: &Target, kind: TargetKind, identifier: &str) -> bool {
        if target.kind() != kind {
            return false;
        }
        match target {
            Target::Role(id) => id == identifier || self.identifier(target) == identifier,
            _ => self.identifier(target) == identifier,
        }
    }

    /// The assignments that pass `filter`, oldest first, as served.
    pub(crate) fn assignments(&self, filter: &AssignmentFilter) -> Vec<PolicyAssignment> {
        self.assignments
            .iter()
            .filter(|a| filter.namespace.as_ref().is_none_or(|ns| a.namespace == *ns))
            .filter(|a| filter.policy.as_ref().is_none_or(|p| a.policy == *p))
            .filter(|a| filter.target_type.is_none_or(|k| a.target.kind() == k))
            .filter(|a| {
                filter.target_identifier.as_ref().is_none_or(|id| match filter.target_type {
                    Some(kind) => self.names(&a.target, kind, id),
                    None => self.names(&a.target, a.target.kind(), id),
                })
            })
            .map(|a| PolicyAssignment {
                code: a.policy.clone(),
                target_type: a.target.kind(),
                target_identifier: self.identifier(&a.target),
            })
            .collect()
    }

    /// Resolves what a caller named into a stored target: a USER must be an existing user (checked with
    /// `user_exists`, 2004), a ROLE a role code of `ns` (2101), a GROUP a group code (2111).
    pub(crate) fn target(
        &self,
        ns: &str,
        kind: TargetKind,
        identifier: &str,
        user_exists: impl Fn(&str) -> bool,
    ) -> Result<Target, ApiError> {
        Ok(match kind {
            TargetKind::User if user_exists(identifier) => Target::User(identifier.to_owned()),
            TargetKind::User => return Err(ApiError::new(Code::UserNotFound)),
            TargetKind::Role => Target::Role(self.existing_role(ns, identifier)?.id.clone()),
            TargetKind::Group => Target::Group(self.existing_group(identifier)?.id.clone()),
            TargetKind::Org => Target::Org(identifier.to_owned()),
            TargetKind::AkSk => Target::AkSk(identifier.to_owned()),
        })
    }

    /// Assigns policies of `ns` to targets (idempotent; a repeated assignment keeps its state).
    pub(crate) fn add_assignments(&mut self, ns: &str, policies: &[String], targets: &[Target]) {
        for policy in policies {
            for target in targets {
                let exists =
                    self.assignments.iter().any(|a| a.namespace == ns && a.policy == *policy && a.target == *target);
                if !exists {
                    self.assignments.push(Assignment {
                        namespace: ns.to_owned(),
                        policy: policy.clone(),
                        target: target.clone(),
                        enabled: true,
                    });
                }
            }
        }
    }

    /// Removes assignments of policies of `ns` from the named targets (missing ones are skipped).
    pub(crate) fn remove_assignments(
        &mut self,
        ns: &str,
        policies: &[String],
        kind: TargetKind,
        identifiers: &[String],
    ) {
        let doomed: Vec<bool> = self
            .assignments
            .iter()
            .map(|a| {
                a.namespace == ns
                    && policies.contains(&a.policy)
                    && identifiers.iter().any(|id| self.names(&a.target, kind, id))
            })
            .collect();
        let mut doomed = doomed.into_iter();
        self.assignments.retain(|_| !doomed.next().unwrap_or(false));
    }

    /// Enables or disables the assignments of a policy to a named target; returns how many matched.
    pub(crate) fn set_assignment_enabled(
        &mut self,
        ns: &str,
        policy: &str,
        kind: TargetKind,
        identifier: &str,
        enabled: bool,
    ) -> usize {
        let hits: Vec<usize> = self
            .assignments
            .iter()
            .enumerate()
            .filter(|(_, a)| a.namespace == ns && a.policy == policy && self.names(&a.target, kind, identifier))
            .map(|(i, _)| i)
            .collect();
        for &i in &hits {
            self.assignments[i].enabled = enabled;
        }
        hits.len()
    }

    /// Whether the assignment of a policy to a named target is enabled (`None` when there is none).
    pub(crate) fn assignment_enabled(
        &self,
        ns: &str,
        policy: &str,
        kind: TargetKind,
        identifier: &str,
    ) -> Option<bool> {
        self.assignments
            .iter()
            .find(|a| a.namespace == ns && a.policy == policy && self.names(&a.target, kind, identifier))
            .map(|a| a.enabled)
    }

    // ---- resources ---------------------------------------------------------------------------------

    /// Moves the roles, policies and assignments of namespace `old` to the code `new` (for a renamed
    /// resource namespace; the ACL data moves in [`crate::store::acl::AclStore::rename_namespace`]).
    pub(crate) fn rename_namespace(&mut self, old: &str, new: &str) {
        for r in self.roles.iter_mut().filter(|r| r.namespace == old) {
            r.namespace = new.to_owned();
        }
        for p in self.policies.iter_mut().filter(|p| p.namespace == old) {
            p.namespace = new.to_owned();
        }
        for a in self.assignments.iter_mut().filter(|a| a.namespace == old) {
            a.namespace = new.to_owned();
        }
        self.acl.rename_namespace(old, new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2024-01-01T00:00:00.000Z";

    #[test]
    fn roles_are_unique_per_namespace_and_renames_keep_members() {
        let mut s = AccessStore::new(NOW);
        let a = s.create_role("p", "default", "admin", None, None, NOW).unwrap();
        assert_eq!(s.create_role("p", "default", "admin", None, None, NOW).unwrap_err().code, Code::RoleExists);
        s.create_role("p", "books", "admin", None, Some("nope"), NOW).unwrap_err();
        let b = s.create_role("p", "books", "admin", None, None, NOW).unwrap();
        assert_ne!(a.id, b.id);
        s.assign_roles(std::slice::from_ref(&a.id), &["u1".into()], &[]);
        s.assign_roles(std::slice::from_ref(&a.id), &["u1".into()], &[]);
        assert_eq!(s.role_user_ids(&a.id), ["u1"]);
        s.update_role("default", "admin", None, Some("boss"), NOW).unwrap();
        assert!(s.role("default", "admin").is_none());
        assert_eq!(s.user_roles("u1", None)[0].code, "boss");
        assert_eq!(s.memberships("u1").roles, [("default".to_owned(), "boss".to_owned())]);
        s.forget_user("u1");
        assert!(s.user_roles("u1", None).is_empty());
    }

    #[test]
    fn built_in_policy_is_protected() {
        let mut s = AccessStore::new(NOW);
        assert_eq!(s.policies("default", false).len(), 1);
        assert!(s.policies("default", true).is_empty());
        let e = s.update_policy("default", ADMIN_POLICY, None, None, None, NOW).unwrap_err();
        assert_eq!(e.code, Code::PolicyBuiltIn);
        assert_eq!(s.delete_policies("default", &[ADMIN_POLICY.into()]).unwrap_err().code, Code::PolicyBuiltIn);
    }

    #[test]
    fn assignments_follow_role_renames() {
        let mut s = AccessStore::new(NOW);
        let r = s.create_role("p", "default", "r", None, None, NOW).unwrap();
        s.create_policy("default", "p1", None, Vec::new(), NOW).unwrap();
        let t = s.target("default", TargetKind::Role, "r", |_| false).unwrap();
        s.add_assignments("default", &["p1".into()], &[t]);
        s.update_role("default", "r", None, Some("r2"), NOW).unwrap();
        let f = AssignmentFilter { target_identifier: Some("r2".into()), ..AssignmentFilter::default() };
        assert_eq!(s.assignments(&f).len(), 1);
        assert_eq!(s.set_assignment_enabled("default", "p1", TargetKind::Role, &r.id, false), 1);
        assert_eq!(s.assignment_enabled("default", "p1", TargetKind::Role, "r2"), Some(false));
        s.delete_role("default", "r2").unwrap();
        assert!(s.assignments(&AssignmentFilter::default()).is_empty());
    }
}
