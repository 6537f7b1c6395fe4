//! Policies: the queries `policies`, `policy`, `policyAssignments`, the mutations `createPolicy`,
//! `updatePolicy`, `deletePolicy`, `deletePolicies`, `addPolicyAssignments`, `removePolicyAssignments`,
//! `enablePolicyAssignment`, `disbalePolicyAssignment` (sic), and the computed fields of `Policy`. The
//! records and their rules are in [`crate::store::access`].

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, InputObject, Object, SimpleObject};

use super::pages::{count, distinct, page_args};
use super::types;
use super::{CommonMessage, enter, require_management};
use crate::store::access::{AssignmentFilter, PolicyStatement, PolicyStatementCondition, TargetKind, code_arg};
use crate::store::common::now_iso;
use crate::store::error::ApiError;
use crate::store::state::State;
use crate::store::users::paginate;

/// `PaginatedPolicies` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "PaginatedPolicies")]
pub(crate) struct PaginatedPolicies {
    total_count: i32,
    list: Vec<types::Policy>,
}

/// `PaginatedPolicyAssignments` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "PaginatedPolicyAssignments")]
pub(crate) struct PaginatedPolicyAssignments {
    total_count: i32,
    list: Vec<types::PolicyAssignment>,
}

/// `PolicyStatementConditionInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "PolicyStatementConditionInput")]
pub(crate) struct PolicyStatementConditionInput {
    param: String,
    operator: String,
    value: types::ObjectValue,
}

/// `PolicyStatementInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "PolicyStatementInput")]
pub(crate) struct PolicyStatementInput {
    resource: String,
    actions: Vec<String>,
    effect: Option<types::PolicyEffect>,
    condition: Option<Vec<PolicyStatementConditionInput>>,
}

impl From<PolicyStatementInput> for PolicyStatement {
    fn from(s: PolicyStatementInput) -> Self {
        PolicyStatement {
            resource: s.resource,
            actions: s.actions,
            effect: s.effect.map(Into::into),
            condition: s.condition.map(|list| {
                list.into_iter()
                    .map(|c| PolicyStatementCondition { param: c.param, operator: c.operator, value: c.value.into() })
                    .collect()
            }),
        }
    }
}

fn statements(list: Vec<PolicyStatementInput>) -> Vec<PolicyStatement> {
    list.into_iter().map(Into::into).collect()
}

#[ComplexObject]
impl types::Policy {
    /// How many targets the policy is assigned to.
    async fn assignments_count(&self, ctx: &Context<'_>) -> i32 {
        let state = ctx.data_unchecked::<Arc<State>>();
        count(state.access_read().assignments(&self.filter()).len())
    }

    /// The policy's assignments, one page, oldest first. A `namespace` other than the policy's gives `[]`.
    async fn assignments(
        &self,
        ctx: &Context<'_>,
        page: Option<i32>,
        limit: Option<i32>,
        namespace: Option<String>,
    ) -> async_graphql::Result<Vec<types::PolicyAssignment>> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let (page, limit) = page_args(state, page, limit)?;
        if namespace.is_some_and(|ns| crate::store::access::namespace(Some(&ns)) != self.namespace) {
            return Ok(Vec::new());
        }
        let list = state.access_read().assignments(&self.filter());
        Ok(types::list(paginate(&list, page, limit)))
    }
}

impl types::Policy {
    fn filter(&self) -> AssignmentFilter {
        AssignmentFilter {
            namespace: Some(self.namespace.clone()),
            policy: Some(self.code.clone()),
            ..AssignmentFilter::default()
        }
    }
}

#[derive(Default)]
pub(crate) struct PolicyQuery;

#[Object]
impl PolicyQuery {
    /// The policies of a namespace (`default` when null), one page, newest first; the built-in
    /// `AdministratorAccess` of `default` is included unless `excludeDefault`.
    async fn policies(
        &self,
        ctx: &Context<'_>,
        page: Option<i32>,
        limit: Option<i32>,
        namespace: Option<String>,
        exclude_default: Option<bool>,
    ) -> async_graphql::Result<PaginatedPolicies> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let (page, limit) = page_args(state, page, limit)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let list = state.access_read().policies(&ns, exclude_default.unwrap_or(false));
        Ok(PaginatedPolicies { total_count: count(list.len()), list: types::list(paginate(&list, page, limit)) })
    }

    /// One policy by code; null when the namespace has no such policy.
    async fn policy(
        &self,
        ctx: &Context<'_>,
        code: String,
        namespace: Option<String>,
    ) -> async_graphql::Result<Option<types::Policy>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        Ok(state.access_read().policy(&ns, code.trim()).map(Into::into))
    }

    /// The policy assignments of a namespace (`default` when null), oldest first, narrowed by any
    /// combination of policy code, target type and target identifier (a ROLE may be named by code or id).
    #[allow(clippy::too_many_arguments)]
    async fn policy_assignments(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        code: Option<String>,
        target_type: Option<types::TargetKind>,
        target_identifier: Option<String>,
        page: Option<i32>,
        limit: Option<i32>,
    ) -> async_graphql::Result<PaginatedPolicyAssignments> {
        let target_type = target_type.map(TargetKind::from);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let (page, limit) = page_args(state, page, limit)?;
        let filter = AssignmentFilter {
            namespace: Some(crate::store::access::namespace(namespace.as_deref())),
            policy: code.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()),
            target_type,
            target_identifier: target_identifier.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()),
        };
        let list = state.access_read().assignments(&filter);
        Ok(PaginatedPolicyAssignments {
            total_count: count(list.len()),
            list: types::list(paginate(&list, page, limit)),
        })
    }
}

/// Refuses a policy code that the namespace does not have (2121).
fn known_policies(state: &State, ns: &str, codes: &[String]) -> Result<(), ApiError> {
    let access = state.access_read();
    for code in codes {
        access.existing_policy(ns, code)?;
    }
    Ok(())
}

#[derive(Default)]
pub(crate) struct PolicyMutation;

#[Object]
impl PolicyMutation {
    /// Creates a policy; 2122 when the namespace has one with this code.
    async fn create_policy(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        code: String,
        description: Option<String>,
        statements: Vec<PolicyStatementInput>,
    ) -> async_graphql::Result<types::Policy> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let code = code_arg("策略", &code)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let statements = self::statements(statements);
        Ok(state.access_write().create_policy(&ns, &code, description, statements, &now_iso())?.into())
    }

    /// Changes a policy's description and statements and, with `newCode`, renames it (assignments
    /// follow). The built-in policy is refused with 2123.
    async fn update_policy(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        code: String,
        description: Option<String>,
        statements: Option<Vec<PolicyStatementInput>>,
        new_code: Option<String>,
    ) -> async_graphql::Result<types::Policy> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let new_code = match new_code {
            Some(c) => Some(code_arg("策略", &c)?),
            None => None,
        };
        let statements = statements.map(self::statements);
        let policy = state.access_write().update_policy(
            &ns,
            code.trim(),
            description,
            statements,
            new_code.as_deref(),
            &now_iso(),
        )?;
        Ok(policy.into())
    }

    /// Deletes a policy with its assignments: 2121 when unknown, 2123 for the built-in one.
    async fn delete_policy(
        &self,
        ctx: &Context<'_>,
        code: String,
        namespace: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let code = code.trim().to_owned();
        let mut access = state.access_write();
        access.existing_policy(&ns, &code)?;
        access.delete_policies(&ns, &[code])?;
        Ok(CommonMessage::ok(meta.lang, "删除成功", "Deleted"))
    }

    /// Deletes policies with their assignments, all or nothing: the built-in one among them gives 2123.
    /// Unknown codes are skipped.
    async fn delete_policies(
        &self,
        ctx: &Context<'_>,
        code_list: Vec<String>,
        namespace: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        state.access_write().delete_policies(&ns, &distinct(code_list))?;
        Ok(CommonMessage::ok(meta.lang, "删除成功", "Deleted"))
    }

    /// Assigns policies to targets, all or nothing; idempotent. Policies must exist (2121); a USER target
    /// is a user id (2004), a ROLE a role code of the namespace (2101), a GROUP a group code (2111); ORG
    /// and AK_SK identifiers are taken as given. `inheritByChildren` is accepted and has no effect (policy
    /// assignments are not evaluated).
    async fn add_policy_assignments(
        &self,
        ctx: &Context<'_>,
        policies: Vec<String>,
        target_type: types::TargetKind,
        target_identifiers: Option<Vec<String>>,
        inherit_by_children: Option<bool>,
        namespace: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let target_type = TargetKind::from(target_type);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let _ = inherit_by_children;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let policies = distinct(policies);
        let identifiers = distinct(target_identifiers.unwrap_or_default());
        let store = state.users_read();
        let mut access = state.access_write();
        for code in &policies {
            access.existing_policy(&ns, code)?;
        }
        let targets = identifiers
            .iter()
            .map(|id| access.target(&ns, target_type, id, |u| store.get(u).is_some()))
            .collect::<Result<Vec<_>, ApiError>>()?;
        access.add_assignments(&ns, &policies, &targets);
        Ok(CommonMessage::ok(meta.lang, "授权成功", "Policies assigned"))
    }

    /// Removes assignments of policies (2121 for an unknown policy); missing assignments are skipped.
    async fn remove_policy_assignments(
        &self,
        ctx: &Context<'_>,
        policies: Vec<String>,
        target_type: types::TargetKind,
        target_identifiers: Option<Vec<String>>,
        namespace: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let target_type = TargetKind::from(target_type);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let ns = crate::store::access::namespace(namespace.as_deref());
        let policies = distinct(policies);
        known_policies(state, &ns, &policies)?;
        let identifiers = distinct(target_identifiers.unwrap_or_default());
        state.access_write().remove_assignments(&ns, &policies, target_type, &identifiers);
        Ok(CommonMessage::ok(meta.lang, "撤销成功", "Policies revoked"))
    }

    /// Enables the assignment of a policy to a target (2121 for an unknown policy; no assignment: 200).
    async fn enable_policy_assignment(
        &self,
        ctx: &Context<'_>,
        policy: String,
        target_type: types::TargetKind,
        target_identifier: String,
        namespace: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let target_type = TargetKind::from(target_type);
        switch(ctx, policy, target_type, target_identifier, namespace, true)
    }

    /// Disables the assignment of a policy to a target (the official spelling of the field).
    async fn disbale_policy_assignment(
        &self,
        ctx: &Context<'_>,
        policy: String,
        target_type: types::TargetKind,
        target_identifier: String,
        namespace: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let target_type = TargetKind::from(target_type);
        switch(ctx, policy, target_type, target_identifier, namespace, false)
    }
}

/// `enablePolicyAssignment` / `disbalePolicyAssignment`.
fn switch(
    ctx: &Context<'_>,
    policy: String,
    target_type: TargetKind,
    target_identifier: String,
    namespace: Option<String>,
    enabled: bool,
) -> async_graphql::Result<CommonMessage> {
    let (state, meta) = enter(ctx);
    require_management(state, meta)?;
    let ns = crate::store::access::namespace(namespace.as_deref());
    let policy = policy.trim().to_owned();
    let mut access = state.access_write();
    access.existing_policy(&ns, &policy)?;
    access.set_assignment_enabled(&ns, &policy, target_type, target_identifier.trim(), enabled);
    Ok(match enabled {
        true => CommonMessage::ok(meta.lang, "启用成功", "Enabled"),
        false => CommonMessage::ok(meta.lang, "禁用成功", "Disabled"),
    })
}
