//! Access control over GraphQL: the queries `isActionAllowed`, `authorizedResources`, `authorizedTargets`
//! and the mutations `allow`, `authorizeResource`. The rules are in [`crate::store::acl`].

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};

use super::pages::{PaginatedAuthorizedResources, count};
use super::types;
use super::{CommonMessage, enter, require_management};
use crate::store::access::{ResourceType, TargetKind};
use crate::store::acl::action_covers;
use crate::store::authz::{self, acl_namespace, grant_target, is_allowed, resource_arg};
use crate::store::error::{ApiError, Code};

/// `Operator` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "Operator")]
pub(crate) enum Operator {
    And,
    Or,
}

/// `AuthorizeResourceOpt` of the official schema.
#[derive(Clone, Debug, InputObject)]
#[graphql(name = "AuthorizeResourceOpt")]
pub(crate) struct AuthorizeResourceOpt {
    target_type: types::TargetKind,
    target_identifier: String,
    actions: Option<Vec<String>>,
}

/// `AuthorizedTargetsActionsInput` of the official schema.
#[derive(Clone, Debug, InputObject)]
#[graphql(name = "AuthorizedTargetsActionsInput")]
pub(crate) struct AuthorizedTargetsActionsInput {
    op: Operator,
    list: Vec<Option<String>>,
}

/// `ResourcePermissionAssignment` of the official schema.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "ResourcePermissionAssignment")]
pub(crate) struct ResourcePermissionAssignment {
    target_type: Option<types::TargetKind>,
    target_identifier: Option<String>,
    actions: Option<Vec<String>>,
}

/// `PaginatedAuthorizedTargets` of the official schema.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "PaginatedAuthorizedTargets")]
pub(crate) struct PaginatedAuthorizedTargets {
    list: Option<Vec<Option<ResourcePermissionAssignment>>>,
    total_count: Option<i32>,
}

#[derive(Default)]
pub(crate) struct AclQuery;

#[Object]
impl AclQuery {
    /// Whether a user may take an action on a resource, through its own grants, its roles' (of the
    /// namespace) and its groups'.
    async fn is_action_allowed(
        &self,
        ctx: &Context<'_>,
        resource: String,
        action: String,
        user_id: String,
        namespace: Option<String>,
    ) -> async_graphql::Result<bool> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        Ok(is_allowed(state, &user_id, namespace.as_deref(), &resource, &action)?)
    }

    /// The resources a target holds grants on (a user's with those of its roles and groups); an unknown
    /// target holds none.
    async fn authorized_resources(
        &self,
        ctx: &Context<'_>,
        target_type: Option<types::TargetKind>,
        target_identifier: Option<String>,
        namespace: Option<String>,
        resource_type: Option<String>,
    ) -> async_graphql::Result<Option<PaginatedAuthorizedResources>> {
        let target_type = target_type.map(TargetKind::from);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let users = state.users_read();
        let access = state.access_read();
        let ns = acl_namespace(&access, namespace.as_deref())?;
        let kind = target_type.unwrap_or(TargetKind::User);
        let identifier = target_identifier.unwrap_or_default();
        let list = match access.target(&ns, kind, identifier.trim(), |id| users.get(id).is_some()) {
            Ok(target) => authz::authorized_resources(&access, &target, Some(&ns), resource_type.as_deref()),
            Err(_) => Vec::new(),
        };
        Ok(Some(PaginatedAuthorizedResources::all(list)))
    }

    /// The targets holding a grant on exactly `resource` (of `resourceType`), of one kind when given,
    /// holding all (`AND`) or any (`OR`) of `actions` when given; in grant order.
    async fn authorized_targets(
        &self,
        ctx: &Context<'_>,
        namespace: String,
        resource_type: types::ResourceType,
        resource: String,
        target_type: Option<types::TargetKind>,
        actions: Option<AuthorizedTargetsActionsInput>,
    ) -> async_graphql::Result<Option<PaginatedAuthorizedTargets>> {
        let resource_type = ResourceType::from(resource_type);
        let target_type = target_type.map(TargetKind::from);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let access = state.access_read();
        let ns = acl_namespace(&access, Some(&namespace))?;
        let resource = resource_arg(&resource)?;
        let kind = resource.split_once(':').map_or(resource.as_str(), |(k, _)| k);
        let wanted: Vec<String> = actions
            .as_ref()
            .map(|a| a.list.iter().flatten().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        let list: Vec<Option<ResourcePermissionAssignment>> = access
            .acl
            .holders(&ns, &resource, resource_type)
            .into_iter()
            .filter(|(who, _)| target_type.is_none_or(|t| who.kind() == t))
            .filter(|(_, held)| {
                let has = |w: &String| held.iter().any(|h| action_covers(h, w, kind));
                match (&actions, wanted.is_empty()) {
                    (None, _) | (_, true) => true,
                    (Some(a), false) if a.op == Operator::And => wanted.iter().all(has),
                    (Some(_), false) => wanted.iter().any(has),
                }
            })
            .map(|(who, held)| {
                Some(ResourcePermissionAssignment {
                    target_type: Some(who.kind().into()),
                    target_identifier: Some(authz::identifier(&who, &access)),
                    actions: Some(held),
                })
            })
            .collect();
        Ok(Some(PaginatedAuthorizedTargets { total_count: Some(count(list.len())), list: Some(list) }))
    }
}

#[derive(Default)]
pub(crate) struct AclMutation;

#[Object]
impl AclMutation {
    /// Grants `action` on `resource` (`type:id`, 400 otherwise) as a DATA grant to users (`userId`,
    /// `userIds`) and roles of the namespace (`roleCode`, `roleCodes`), all or nothing.
    #[allow(clippy::too_many_arguments)]
    async fn allow(
        &self,
        ctx: &Context<'_>,
        resource: String,
        action: String,
        user_id: Option<String>,
        user_ids: Option<Vec<String>>,
        role_code: Option<String>,
        role_codes: Option<Vec<String>>,
        namespace: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let resource = resource_arg(&resource)?;
        if !resource.contains(':') {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "resource 必须是 资源类型:资源标识 的格式",
                "resource must look like type:identifier",
            )
            .into());
        }
        let action = action.trim().to_owned();
        if action.is_empty() {
            return Err(ApiError::with_message(Code::BadRequest, "action 不能为空", "action must not be empty").into());
        }
        let users = state.users_read();
        let mut access = state.access_write();
        let ns = acl_namespace(&access, namespace.as_deref())?;
        let mut named: Vec<(TargetKind, String)> = Vec::new();
        named.extend(user_id.into_iter().chain(user_ids.into_iter().flatten()).map(|u| (TargetKind::User, u)));
        named.extend(role_code.into_iter().chain(role_codes.into_iter().flatten()).map(|r| (TargetKind::Role, r)));
        named.retain(|(_, id)| !id.trim().is_empty());
        if named.is_empty() {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "请指定 userId 或 roleCode",
                "Give a userId or a roleCode",
            )
            .into());
        }
        let whos = named
            .iter()
            .map(|(kind, id)| grant_target(&users, &access, &ns, *kind, id))
            .collect::<Result<Vec<_>, _>>()?;
        for who in &whos {
            access.acl.grant(&ns, who, &resource, std::slice::from_ref(&action), Some(ResourceType::Data));
        }
        Ok(CommonMessage::ok(meta.lang, "授权成功", "Granted"))
    }

    /// Grants actions on a resource to targets, all or nothing. The grant's type is `resourceType`, else
    /// that of the resource's definition, else DATA.
    async fn authorize_resource(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        resource_type: Option<types::ResourceType>,
        resource: Option<String>,
        opts: Option<Vec<Option<AuthorizeResourceOpt>>>,
    ) -> async_graphql::Result<CommonMessage> {
        let resource_type = resource_type.map(ResourceType::from);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let resource = resource_arg(resource.as_deref().unwrap_or_default())?;
        let users = state.users_read();
        let mut access = state.access_write();
        let ns = acl_namespace(&access, namespace.as_deref())?;
        let opts: Vec<AuthorizeResourceOpt> = opts.into_iter().flatten().flatten().collect();
        let grants = opts
            .iter()
            .map(|o| {
                let who = grant_target(&users, &access, &ns, o.target_type.into(), &o.target_identifier)?;
                let actions: Vec<String> =
                    o.actions.iter().flatten().map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect();
                Ok((who, actions))
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        for (who, actions) in &grants {
            access.acl.grant(&ns, who, &resource, actions, resource_type);
        }
        Ok(CommonMessage::ok(meta.lang, "授权成功", "Granted"))
    }
}
