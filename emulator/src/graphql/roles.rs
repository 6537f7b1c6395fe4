//! Roles: the queries `roles`, `role`, the mutations `createRole`, `updateRole`, `deleteRole`,
//! `deleteRoles`, `assignRole`, `revokeRole`, and the computed fields of `Role`. The records and their
//! rules are in [`crate::store::access`].

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Object};

use super::pages::{
    PaginatedAuthorizedResources, PaginatedRoles, PaginatedUsers, count, distinct, members_page, page_args,
};
use super::types;
use super::{CommonMessage, enter, require_management};
use crate::store::access::{AccessStore, Role, Target, code_arg, namespace};
use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::udf::TargetType;
use crate::store::users::{SortBy, UserStore, paginate};

#[ComplexObject]
impl types::Role {
    /// The users that hold the role, newest first.
    async fn users(
        &self,
        ctx: &Context<'_>,
        page: Option<i32>,
        limit: Option<i32>,
    ) -> async_graphql::Result<PaginatedUsers> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let (page, limit) = page_args(state, page, limit)?;
        let ids = state.access_read().role_user_ids(&self.id);
        Ok(members_page(state, &ids, page, limit))
    }

    /// The resources the role may act on, in its namespace.
    async fn authorized_resources(
        &self,
        ctx: &Context<'_>,
        resource_type: Option<String>,
    ) -> Option<PaginatedAuthorizedResources> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let list = crate::store::authz::authorized_resources(
            &state.access_read(),
            &Target::Role(self.id.clone()),
            Some(&self.namespace),
            resource_type.as_deref(),
        );
        Some(PaginatedAuthorizedResources::all(list))
    }

    /// The parent role, if any (null once the parent is deleted).
    async fn parent(&self, ctx: &Context<'_>) -> Option<types::Role> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let parent_id = self.parent_id.as_deref()?;
        state.access_read().role_by_id(parent_id).map(Into::into)
    }
}

/// What `assignRole` and `revokeRole` act on: role ids, user ids, group ids and node ids, all checked.
struct Grantees {
    roles: Vec<String>,
    users: Vec<String>,
    groups: Vec<String>,
    nodes: Vec<String>,
}

/// The arguments of `assignRole` / `revokeRole`.
struct RoleArgs {
    namespace: Option<String>,
    role_code: Option<String>,
    role_codes: Option<Vec<Option<String>>>,
    user_ids: Option<Vec<String>>,
    group_codes: Option<Vec<String>>,
    node_codes: Option<Vec<String>>,
}

/// Checks every role (2101), user (2004), group (2111) and node (2702; `nodeCodes` carries node ids) named.
fn grantees(store: &UserStore, access: &AccessStore, args: RoleArgs) -> Result<Grantees, ApiError> {
    let ns = namespace(args.namespace.as_deref());
    let codes = distinct(args.role_code.into_iter().chain(args.role_codes.into_iter().flatten().flatten()));
    if codes.is_empty() {
        return Err(ApiError::with_message(
            Code::BadRequest,
            "roleCode 或 roleCodes 至少需要一个",
            "roleCode or roleCodes is needed",
        ));
    }
    let roles =
        codes.iter().map(|c| Ok(access.existing_role(&ns, c)?.id.clone())).collect::<Result<Vec<_>, ApiError>>()?;
    let users = distinct(args.user_ids.unwrap_or_default());
    if users.iter().any(|id| store.get(id).is_none()) {
        return Err(ApiError::new(Code::UserNotFound));
    }
    let groups = distinct(args.group_codes.unwrap_or_default())
        .iter()
        .map(|c| Ok(access.existing_group(c)?.id.clone()))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let nodes = super::orgs::node_ids(&access.orgs, &distinct(args.node_codes.unwrap_or_default()))?;
    Ok(Grantees { roles, users, groups, nodes })
}

#[derive(Default)]
pub(crate) struct RoleQuery;

#[Object]
impl RoleQuery {
    /// The roles of a namespace (`default` when null), one page, newest first by default.
    async fn roles(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        page: Option<i32>,
        limit: Option<i32>,
        sort_by: Option<types::SortBy>,
    ) -> async_graphql::Result<PaginatedRoles> {
        let sort_by = sort_by.map(SortBy::from);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let (page, limit) = page_args(state, page, limit)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let roles = state.access_read().roles(&ns, sort_by.unwrap_or_default());
        Ok(PaginatedRoles { total_count: count(roles.len()), list: types::list(paginate(&roles, page, limit)) })
    }

    /// One role by code; null when the namespace has no such role.
    async fn role(
        &self,
        ctx: &Context<'_>,
        code: String,
        namespace: Option<String>,
    ) -> async_graphql::Result<Option<types::Role>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        Ok(state.access_read().role(&ns, code.trim()).map(Into::into))
    }
}

#[derive(Default)]
pub(crate) struct RoleMutation;

#[Object]
impl RoleMutation {
    /// Creates a role; `parent` is the code of a role of the same namespace.
    async fn create_role(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        code: String,
        description: Option<String>,
        parent: Option<String>,
    ) -> async_graphql::Result<types::Role> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let code = code_arg("角色", &code)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let role =
            state.access_write().create_role(&state.pool.id, &ns, &code, description, parent.as_deref(), &now_iso())?;
        Ok(role.into())
    }

    /// Changes a role's description and, with `newCode`, renames it (memberships and assignments follow).
    async fn update_role(
        &self,
        ctx: &Context<'_>,
        code: String,
        description: Option<String>,
        new_code: Option<String>,
        namespace: Option<String>,
    ) -> async_graphql::Result<types::Role> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let new_code = match new_code {
            Some(c) => Some(code_arg("角色", &c)?),
            None => None,
        };
        let role = state.access_write().update_role(&ns, code.trim(), description, new_code.as_deref(), &now_iso())?;
        Ok(role.into())
    }

    /// Deletes a role with its memberships, policy assignments and custom data; 2101 when unknown.
    async fn delete_role(
        &self,
        ctx: &Context<'_>,
        code: String,
        namespace: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let role = state.access_write().delete_role(&ns, code.trim()).ok_or(ApiError::new(Code::RoleNotFound))?;
        state.udf_write().remove_target(TargetType::Role, &role.id);
        Ok(CommonMessage::ok(meta.lang, "删除成功", "Deleted"))
    }

    /// Deletes several roles of a namespace like `deleteRole`; unknown codes are skipped.
    async fn delete_roles(
        &self,
        ctx: &Context<'_>,
        code_list: Vec<String>,
        namespace: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let deleted: Vec<Role> = {
            let mut access = state.access_write();
            distinct(code_list).iter().filter_map(|c| access.delete_role(&ns, c)).collect()
        };
        let mut udf = state.udf_write();
        for role in &deleted {
            udf.remove_target(TargetType::Role, &role.id);
        }
        Ok(CommonMessage::ok(meta.lang, "删除成功", "Deleted"))
    }

    /// Gives roles (`roleCode` and/or `roleCodes`) to users, groups and nodes; all or nothing, idempotent.
    #[allow(clippy::too_many_arguments)]
    async fn assign_role(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        role_code: Option<String>,
        role_codes: Option<Vec<Option<String>>>,
        user_ids: Option<Vec<String>>,
        group_codes: Option<Vec<String>>,
        node_codes: Option<Vec<String>>,
    ) -> async_graphql::Result<Option<CommonMessage>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let args = RoleArgs { namespace, role_code, role_codes, user_ids, group_codes, node_codes };
        let store = state.users_read();
        let mut access = state.access_write();
        let g = grantees(&store, &access, args)?;
        access.assign_roles(&g.roles, &g.users, &g.groups);
        access.orgs.assign_roles(&g.roles, &g.nodes);
        Ok(Some(CommonMessage::ok(meta.lang, "授权成功", "Roles assigned")))
    }

    /// Takes roles from users and groups; what is not assigned is skipped (code 200).
    #[allow(clippy::too_many_arguments)]
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        role_code: Option<String>,
        role_codes: Option<Vec<Option<String>>>,
        user_ids: Option<Vec<String>>,
        group_codes: Option<Vec<String>>,
        node_codes: Option<Vec<String>>,
    ) -> async_graphql::Result<Option<CommonMessage>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let args = RoleArgs { namespace, role_code, role_codes, user_ids, group_codes, node_codes };
        let store = state.users_read();
        let mut access = state.access_write();
        let g = grantees(&store, &access, args)?;
        access.revoke_roles(&g.roles, &g.users, &g.groups);
        access.orgs.revoke_roles(&g.roles, &g.nodes);
        Ok(Some(CommonMessage::ok(meta.lang, "撤销成功", "Roles revoked")))
    }
}
