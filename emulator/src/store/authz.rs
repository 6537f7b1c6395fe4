//! Authorization: what a user may do through its own grants and those of its roles and groups, and whether it
//! may use an application. It reads the roles and groups (`AccessStore`) together with the grants and
//! application access policies they hold (`AclStore`).

use serde_json::{Value, json};

use crate::store::access::AccessStore;
use crate::store::acl::{Effect, Who, kind_name};
use crate::store::error::{ApiError, Code};
use crate::store::model::{AuthorizedResource, Target, TargetKind, namespace};
use crate::store::state::State;
use crate::store::users::{SortBy, UserStore};

/// The identifier a grant holder is served with: a role's or group's current code, else the id.
pub(crate) fn identifier(who: &Who, access: &AccessStore) -> String {
    match who {
        Who::Role(id) => access.role_by_id(id).map(|r| r.code.clone()).unwrap_or_default(),
        Who::Group(id) => access
            .groups(None, SortBy::CreatedatAsc)
            .into_iter()
            .find(|g| g.id == *id)
            .map(|g| g.code)
            .unwrap_or_default(),
        Who::User(id) | Who::Org(id) | Who::AkSk(id) => id.clone(),
    }
}

/// The access policy records of an application, newest first, as served.
pub(crate) fn app_policy_records(access: &AccessStore, app_id: &str) -> Vec<Value> {
    access
        .acl
        .app_policies()
        .iter()
        .rev()
        .filter(|p| p.app_id == app_id)
        .map(|p| {
            json!({
                "targetType": kind_name(p.who.kind()),
                "targetIdentifier": identifier(&p.who, access),
                "code": match p.effect { Effect::Allow => "allow", Effect::Deny => "deny" },
                "namespace": p.namespace,
                "enabled": p.enabled,
                "inheritByChildren": p.inherit_by_children,
                "assignedAt": p.assigned_at,
                "policyId": p.policy_id,
            })
        })
        .collect()
}

/// The targets whose grants a user holds in namespace `ns`: itself, its roles of `ns`, its groups, and its
/// departments with their ancestors and the roles of `ns` given to them ([`node_targets`]).
pub(crate) fn user_targets(access: &AccessStore, user_id: &str, ns: &str) -> Vec<Who> {
    let mut whos = vec![Who::User(user_id.to_owned())];
    whos.extend(access.user_roles(user_id, Some(ns)).into_iter().map(|r| Who::Role(r.id)));
    whos.extend(access.groups(Some(user_id), SortBy::CreatedatAsc).into_iter().map(|g| Who::Group(g.id)));
    for who in node_targets(access, user_id, ns) {
        if !whos.contains(&who) {
            whos.push(who);
        }
    }
    whos
}

/// What a user holds through the organization tree: a grant to a node applies to the members of the node and of
/// its descendants, and so does a role given to a node.
fn node_targets(access: &AccessStore, user_id: &str, ns: &str) -> Vec<Who> {
    let nodes = access.orgs.holding_nodes(user_id);
    let mut whos: Vec<Who> = nodes.iter().map(|n| Who::Org(n.clone())).collect();
    for node in &nodes {
        for role_id in access.orgs.direct_role_ids(node) {
            if access.role_by_id(&role_id).is_some_and(|r| r.namespace == ns) {
                whos.push(Who::Role(role_id));
            }
        }
    }
    whos
}

/// What every `authorizedResources` reads: the resources a target holds grants on, in one namespace or
/// (with `None`) in all, of one type when given. A user's list adds those of its roles and groups.
pub(crate) fn authorized_resources(
    access: &AccessStore,
    target: &Target,
    ns: Option<&str>,
    resource_type: Option<&str>,
) -> Vec<AuthorizedResource> {
    let acl = &access.acl;
    let namespaces: Vec<String> = match ns {
        Some(ns) => vec![ns.to_owned()],
        None => acl.namespaces().iter().map(|n| n.code.clone()).collect(),
    };
    let mut out = Vec::new();
    for ns in namespaces {
        let whos = match target {
            Target::User(id) => user_targets(access, id, &ns),
            other => vec![Who::from(other)],
        };
        let resource_type = resource_type.filter(|t| !t.trim().is_empty());
        for (code, kind, actions) in acl.merged(&ns, &whos, resource_type) {
            out.push(AuthorizedResource {
                api_identifier: acl.api_identifier(&ns, &code),
                code,
                kind: Some(kind),
                actions: Some(actions),
            });
        }
    }
    out
}

/// A namespace argument of an ACL call: `default` when null, 3003 when nobody created it.
pub(crate) fn acl_namespace(access: &AccessStore, given: Option<&str>) -> Result<String, ApiError> {
    let ns = namespace(given);
    access.acl.require_namespace(&ns)?;
    Ok(ns)
}

/// A user that must exist (2004 otherwise).
fn existing_user(users: &UserStore, id: &str) -> Result<(), ApiError> {
    users.get(id.trim()).map(drop).ok_or(ApiError::new(Code::UserNotFound))
}

/// Resolves a named grant target: a user id that exists (2004), a role code of `ns` (2101), a group code
/// (2111), an ORG or AK_SK identifier as given.
pub(crate) fn grant_target(
    users: &UserStore,
    access: &AccessStore,
    ns: &str,
    kind: TargetKind,
    identifier: &str,
) -> Result<Who, ApiError> {
    let identifier = identifier.trim();
    Ok(Who::from(&access.target(ns, kind, identifier, |id| users.get(id).is_some())?))
}

/// A resource code argument: trimmed, 400 when empty.
pub(crate) fn resource_arg(resource: &str) -> Result<String, ApiError> {
    let resource = resource.trim();
    if resource.is_empty() {
        return Err(ApiError::with_message(Code::BadRequest, "resource 不能为空", "resource must not be empty"));
    }
    Ok(resource.to_owned())
}

/// Whether a user may take an action on a resource (2004 unknown user, 3003 unknown namespace).
pub(crate) fn is_allowed(
    state: &State,
    user_id: &str,
    ns: Option<&str>,
    resource: &str,
    action: &str,
) -> Result<bool, ApiError> {
    let users = state.users_read();
    let access = state.access_read();
    let ns = acl_namespace(&access, ns)?;
    existing_user(&users, user_id)?;
    let whos = user_targets(&access, user_id.trim(), &ns);
    Ok(access.acl.allowed(&ns, &whos, resource.trim(), action.trim()))
}

impl State {
    /// Whether the user `user_id` may use the application `app_id`.
    ///
    /// Only the emulator's application can be used. Its access policies (see
    /// `POST /api/v2/applications/{appId}/authorization/*`) are read for the user, its roles (of every
    /// namespace), its groups and its departments with their ancestors: an enabled deny record of any of them refuses, else an enabled allow
    /// record admits, else the default strategy decides (`ALLOW_ALL` at start, changed by
    /// `POST /api/v2/applications/{appId}` with `permissionStrategy.defaultStrategy`). An unknown user may
    /// not use anything.
    pub(crate) fn may_use_application(&self, user_id: &str, app_id: &str) -> bool {
        if app_id != self.app.id || self.users_read().get(user_id).is_none() {
            return false;
        }
        let access = self.access_read();
        let mut whos = vec![Who::User(user_id.to_owned())];
        whos.extend(access.user_roles(user_id, None).into_iter().map(|r| Who::Role(r.id)));
        whos.extend(access.groups(Some(user_id), SortBy::CreatedatAsc).into_iter().map(|g| Who::Group(g.id)));
        whos.extend(access.orgs.holding_nodes(user_id).into_iter().map(Who::Org));
        access.acl.may_use(app_id, &whos)
    }
}
