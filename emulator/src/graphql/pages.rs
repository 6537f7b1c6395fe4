//! The paginated lists of the official schema (`PaginatedUsers`, `PaginatedRoles`, `PaginatedGroups`,
//! `PaginatedAuthorizedResources`) and the helpers for list arguments, shared by the areas of the API.

use async_graphql::SimpleObject;

use super::types::{self, AuthorizedResource, Group, Role, User};
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::{access, model, users};

/// `PaginatedUsers` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "PaginatedUsers")]
pub(crate) struct PaginatedUsers {
    pub(crate) total_count: i32,
    pub(crate) list: Vec<User>,
}

/// `PaginatedRoles` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "PaginatedRoles")]
pub(crate) struct PaginatedRoles {
    pub(crate) total_count: i32,
    pub(crate) list: Vec<Role>,
}

impl PaginatedRoles {
    /// Every role of `list`, unpaginated.
    pub(crate) fn all(list: Vec<access::Role>) -> Self {
        PaginatedRoles { total_count: count(list.len()), list: types::list(list) }
    }
}

/// `PaginatedAuthorizedResources` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "PaginatedAuthorizedResources")]
pub(crate) struct PaginatedAuthorizedResources {
    pub(crate) total_count: i32,
    pub(crate) list: Vec<AuthorizedResource>,
}

impl PaginatedAuthorizedResources {
    pub(crate) fn all(list: Vec<model::AuthorizedResource>) -> Self {
        PaginatedAuthorizedResources { total_count: count(list.len()), list: types::list(list) }
    }
}

/// A length as a GraphQL `Int`.
pub(crate) fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// `PaginatedGroups` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "PaginatedGroups")]
pub(crate) struct PaginatedGroups {
    pub(crate) total_count: i32,
    pub(crate) list: Vec<Group>,
}

impl PaginatedGroups {
    /// Every group of `list`, unpaginated.
    pub(crate) fn all(list: Vec<access::Group>) -> Self {
        PaginatedGroups { total_count: count(list.len()), list: types::list(list) }
    }
}

/// `page` and `limit` with their defaults (1 and 10); values below 1, and a `limit` above the emulator's page size,
/// are refused with 400.
pub(crate) fn page_args(state: &State, page: Option<i32>, limit: Option<i32>) -> Result<(usize, usize), ApiError> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(10);
    if page < 1 || limit < 1 {
        return Err(ApiError::with_message(
            Code::BadRequest,
            "page 和 limit 必须大于 0",
            "page and limit must be positive",
        ));
    }
    Ok((page as usize, state.page_size(limit as usize)?))
}

/// One page of users, with the total count.
pub(crate) fn page_of(all: &[&users::User], page: usize, limit: usize) -> PaginatedUsers {
    PaginatedUsers { total_count: count(all.len()), list: types::list(users::paginate(all, page, limit)) }
}

/// One page of the users among `ids` (unknown ids skipped), newest first.
pub(crate) fn members_page(state: &State, ids: &[String], page: usize, limit: usize) -> PaginatedUsers {
    let store = state.users_read();
    let mut members: Vec<&users::User> = ids.iter().filter_map(|id| store.get(id)).collect();
    users::sort_users(&mut members, users::SortBy::CreatedatDesc);
    page_of(&members, page, limit)
}

/// The non-empty, trimmed, distinct strings of a list argument.
pub(crate) fn distinct(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|o| o == item) {
            out.push(item.to_owned());
        }
    }
    out
}
