//! Groups: the queries `group`, `groups`, the mutations `createGroup`, `updateGroup`, `deleteGroups`,
//! `addUserToGroup`, `removeUserFromGroup`, and the computed fields of `Group`. The records and their
//! rules are in [`crate::store::access`].

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Object};

use super::pages::{
    PaginatedAuthorizedResources, PaginatedGroups, PaginatedUsers, count, distinct, members_page, page_args,
};
use super::types;
use super::{CommonMessage, enter, require_management};
use crate::store::access::{Target, code_arg};
use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::users::{SortBy, paginate};

#[ComplexObject]
impl types::Group {
    /// The group's users, newest first.
    async fn users(
        &self,
        ctx: &Context<'_>,
        page: Option<i32>,
        limit: Option<i32>,
    ) -> async_graphql::Result<PaginatedUsers> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let (page, limit) = page_args(state, page, limit)?;
        let ids = state.access_read().group_user_ids(&self.id);
        Ok(members_page(state, &ids, page, limit))
    }

    /// The resources the group may act on; in every namespace when `namespace` is null.
    async fn authorized_resources(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        resource_type: Option<String>,
    ) -> Option<PaginatedAuthorizedResources> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let list = crate::store::authz::authorized_resources(
            &state.access_read(),
            &Target::Group(self.id.clone()),
            namespace.as_deref(),
            resource_type.as_deref(),
        );
        Some(PaginatedAuthorizedResources::all(list))
    }
}

/// The group code of `addUserToGroup` / `removeUserFromGroup` (nullable in the schema): 400 when absent.
fn group_code(code: Option<String>) -> Result<String, ApiError> {
    code_arg("分组", code.as_deref().unwrap_or_default())
}

#[derive(Default)]
pub(crate) struct GroupQuery;

#[Object]
impl GroupQuery {
    /// One group by code; null when unknown.
    async fn group(&self, ctx: &Context<'_>, code: String) -> async_graphql::Result<Option<types::Group>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        Ok(state.access_read().group(code.trim()).map(Into::into))
    }

    /// The groups of the pool, or with `userId` those of one user (2004 for an unknown user); one page,
    /// newest first by default.
    async fn groups(
        &self,
        ctx: &Context<'_>,
        user_id: Option<String>,
        page: Option<i32>,
        limit: Option<i32>,
        sort_by: Option<types::SortBy>,
    ) -> async_graphql::Result<PaginatedGroups> {
        let sort_by = sort_by.map(SortBy::from);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let (page, limit) = page_args(state, page, limit)?;
        let user_id = user_id.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
        if let Some(id) = &user_id
            && state.users_read().get(id).is_none()
        {
            return Err(ApiError::new(Code::UserNotFound).into());
        }
        let groups = state.access_read().groups(user_id.as_deref(), sort_by.unwrap_or_default());
        Ok(PaginatedGroups { total_count: count(groups.len()), list: types::list(paginate(&groups, page, limit)) })
    }
}

#[derive(Default)]
pub(crate) struct GroupMutation;

#[Object]
impl GroupMutation {
    /// Creates a group; 2112 when the code is taken.
    async fn create_group(
        &self,
        ctx: &Context<'_>,
        code: String,
        name: String,
        description: Option<String>,
    ) -> async_graphql::Result<types::Group> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let code = code_arg("分组", &code)?;
        Ok(state.access_write().create_group(&code, name, description, &now_iso())?.into())
    }

    /// Changes a group's name and description and, with `newCode`, renames it (members follow).
    async fn update_group(
        &self,
        ctx: &Context<'_>,
        code: String,
        name: Option<String>,
        description: Option<String>,
        new_code: Option<String>,
    ) -> async_graphql::Result<types::Group> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let new_code = match new_code {
            Some(c) => Some(code_arg("分组", &c)?),
            None => None,
        };
        Ok(state.access_write().update_group(code.trim(), name, description, new_code.as_deref(), &now_iso())?.into())
    }

    /// Deletes groups with their memberships and assignments, all or nothing: a code that names no group
    /// refuses the whole call with 2111.
    async fn delete_groups(&self, ctx: &Context<'_>, code_list: Vec<String>) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let mut access = state.access_write();
        let codes = distinct(code_list);
        for code in &codes {
            access.existing_group(code)?;
        }
        for code in codes {
            access.delete_group(&code);
        }
        Ok(CommonMessage::ok(meta.lang, "删除成功", "Deleted"))
    }

    /// Adds users to a group, all or nothing (2111 unknown group, 2004 unknown user); idempotent.
    async fn add_user_to_group(
        &self,
        ctx: &Context<'_>,
        user_ids: Vec<String>,
        code: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let code = group_code(code)?;
        let ids = distinct(user_ids);
        let store = state.users_read();
        let mut access = state.access_write();
        let group_id = access.existing_group(&code)?.id.clone();
        if ids.iter().any(|id| store.get(id).is_none()) {
            return Err(ApiError::new(Code::UserNotFound).into());
        }
        access.add_group_users(&group_id, &ids);
        Ok(CommonMessage::ok(meta.lang, "添加成功", "Users added"))
    }

    /// Removes users from a group (2111 unknown group, 2004 unknown user); a user not in the group is
    /// skipped (code 200).
    async fn remove_user_from_group(
        &self,
        ctx: &Context<'_>,
        user_ids: Vec<String>,
        code: Option<String>,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let code = group_code(code)?;
        let ids = distinct(user_ids);
        let store = state.users_read();
        let mut access = state.access_write();
        let group_id = access.existing_group(&code)?.id.clone();
        if ids.iter().any(|id| store.get(id).is_none()) {
            return Err(ApiError::new(Code::UserNotFound).into());
        }
        access.remove_group_users(&group_id, &ids);
        Ok(CommonMessage::ok(meta.lang, "移除成功", "Users removed"))
    }
}
