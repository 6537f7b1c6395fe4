//! REST for the management calls of users, roles and policies that only the JS SDK makes (a management token):
//!
//! * `POST /api/v2/users/batch` `{ids, type?, withCustomData?}`: the users in the order of `ids` (unknown ones
//!   left out; `type` is `id` by default, or `username`, `phone`, `email`, `externalId`), with `customData` as
//!   `[{key, value, dataType, label}]` when asked;
//! * `POST /api/v2/users/filter` `{page?, limit?, filter?}`: `{totalCount, list}` of the users passing every
//!   condition (the rules are in `store::user_filter`), newest first;
//! * `GET /api/v2/users/{id}/tenants`: `[]` (tenants do not exist in the emulator); 2004 for an unknown user;
//! * `POST /api/v2/roles/roleUsers` `{code, namespace?, search?, page?, limit?}`: `{totalCount, list}` of the
//!   role's members whose username, e-mail, phone, nickname or name contains `search`, newest first; 2101 for an
//!   unknown role;
//! * `GET /api/v2/policies/assignments/by-target?namespace=&policy_code=&target_type=`: `{totalCount, list:
//!   [{code, targetType, targetIdentifier}]}`, the policy's assignments to targets of that type; 2121 for an
//!   unknown policy, 400 for an unknown target type.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::RestState;
use super::envelope::{body, reply, require_management, required};
use crate::store::access::{AssignmentFilter, namespace};
use crate::store::error::{ApiError, Code};
use crate::store::model::TargetKind;
use crate::store::state::State;
use crate::store::udf::TargetType;
use crate::store::user_filter;
use crate::store::users::{User, paginate, search_matches};

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/users/batch", post(batch))
        .route("/api/v2/users/filter", post(filter))
        .route("/api/v2/users/{id}/tenants", get(tenants))
        .route("/api/v2/roles/roleUsers", post(role_users))
        .route("/api/v2/policies/assignments/by-target", get(assignments_by_target))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct BatchBody {
    ids: Option<Vec<String>>,
    #[serde(rename = "type")]
    kind: Option<String>,
    with_custom_data: Option<bool>,
}

fn user_json(state: &State, user: &User, with_custom_data: bool) -> Value {
    let mut json = user.to_json();
    if with_custom_data {
        json["customData"] = json!(state.udf_read().entries(TargetType::User, &user.id));
    }
    json
}

/// `POST /api/v2/users/batch`.
async fn batch(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        let body: BatchBody = body(&bytes)?;
        let ids = body.ids.ok_or_else(|| ApiError::with_message(Code::BadRequest, "缺少 ids", "ids is missing"))?;
        let kind = body.kind.unwrap_or_else(|| "id".to_owned());
        if !["id", "username", "phone", "email", "externalId"].contains(&kind.as_str()) {
            return Err(ApiError::with_message(
                Code::BadRequest,
                format!("type 必须是 id、username、phone、email 或 externalId: {kind}"),
                format!("type must be id, username, phone, email or externalId: {kind}"),
            ));
        }
        let found: Vec<User> = {
            let store = state.users_read();
            ids.iter().filter_map(|v| store.find_by(&kind, v).cloned()).collect()
        };
        let with = body.with_custom_data.unwrap_or(false);
        Ok(Value::Array(found.iter().map(|u| user_json(state, u, with)).collect()))
    })();
    reply(&headers, result)
}

/// `page` and `limit` of a body, 1 and 10 by default; 400 below 1 or above the page size limit.
fn page_limit(state: &State, page: Option<i64>, limit: Option<i64>) -> Result<(usize, usize), ApiError> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(10);
    if page < 1 || limit < 1 {
        return Err(ApiError::with_message(
            Code::BadRequest,
            "page 和 limit 必须大于 0",
            "page and limit must be at least 1",
        ));
    }
    let limit = state.page_size(usize::try_from(limit).unwrap_or(usize::MAX))?;
    Ok((usize::try_from(page).unwrap_or(usize::MAX), limit))
}

#[derive(Deserialize, Default)]
struct FilterBody {
    page: Option<i64>,
    limit: Option<i64>,
    filter: Option<Value>,
}

/// `POST /api/v2/users/filter`.
async fn filter(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        let body: FilterBody = body(&bytes)?;
        let (page, limit) = page_limit(state, body.page, body.limit)?;
        let conditions = user_filter::parse(body.filter.as_ref())?;
        let users = user_filter::filter(state, &conditions);
        let list: Vec<Value> = paginate(&users, page, limit).iter().map(User::to_json).collect();
        Ok(json!({ "totalCount": users.len(), "list": list }))
    })();
    reply(&headers, result)
}

/// `GET /api/v2/users/{id}/tenants`.
async fn tenants(AxState(app): AxState<RestState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let state = &app.state;
    let result = require_management(state, &headers).and_then(|_| {
        if state.users_read().get(&id).is_none() {
            return Err(ApiError::new(Code::UserNotFound));
        }
        Ok(json!([]))
    });
    reply(&headers, result)
}

#[derive(Deserialize, Default)]
struct RoleUsersBody {
    code: Option<String>,
    namespace: Option<String>,
    search: Option<String>,
    page: Option<i64>,
    limit: Option<i64>,
}

/// `POST /api/v2/roles/roleUsers`.
async fn role_users(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        let body: RoleUsersBody = body(&bytes)?;
        let code = required("code", body.code.as_deref())?;
        let (page, limit) = page_limit(state, body.page, body.limit)?;
        let ns = namespace(body.namespace.as_deref());
        let ids = {
            let access = state.access_read();
            let role = access.existing_role(&ns, code)?;
            access.role_user_ids(&role.id)
        };
        let search = body.search.unwrap_or_default();
        let members: Vec<User> = {
            let store = state.users_read();
            let mut found: Vec<User> = ids
                .iter()
                .filter_map(|id| store.get(id))
                .filter(|u| search_matches(u, search.trim(), &[]))
                .cloned()
                .collect();
            found.sort_by(|a, b| b.created_at.cmp(&a.created_at));
            found
        };
        let list: Vec<Value> = paginate(&members, page, limit).iter().map(User::to_json).collect();
        Ok(json!({ "totalCount": members.len(), "list": list }))
    })();
    reply(&headers, result)
}

/// `GET /api/v2/policies/assignments/by-target`.
async fn assignments_by_target(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = &app.state;
    let result = (|| {
        require_management(state, &headers)?;
        let policy = required("policy_code", query.get("policy_code").map(String::as_str))?;
        let kind_name = required("target_type", query.get("target_type").map(String::as_str))?;
        let kind = TargetKind::from_name(kind_name).ok_or_else(|| {
            ApiError::with_message(
                Code::BadRequest,
                format!("未知的 target_type: {kind_name}"),
                format!("Unknown target_type: {kind_name}"),
            )
        })?;
        let ns = namespace(query.get("namespace").map(String::as_str));
        let access = state.access_read();
        access.existing_policy(&ns, policy)?;
        let filter = AssignmentFilter {
            namespace: Some(ns),
            policy: Some(policy.to_owned()),
            target_type: Some(kind),
            ..AssignmentFilter::default()
        };
        let list: Vec<Value> = access
            .assignments(&filter)
            .into_iter()
            .map(|a| json!({ "code": a.code, "targetType": kind_name, "targetIdentifier": a.target_identifier }))
            .collect();
        Ok(json!({ "totalCount": list.len(), "list": list }))
    })();
    reply(&headers, result)
}
