//! REST for the statistics of the pool, with a management token:
//!
//! * `GET /api/v2/analysis/audit`: the audit log of administrator actions (`store::audit`), `{totalCount,
//!   list}` newest first. Query (all optional, combined with AND): `page`, `limit`, `clientip`, `eventType`
//!   and `operation_name` (the operation), `userId` (the administrator), `operator_arn`, `app_id` / `appId`,
//!   `start` and `end` (milliseconds since the epoch, inclusive), `exclude_non_app_records=1`; list filters
//!   also as a repeated key or in the `key[]` form.
//! * `GET /api/v2/analysis/user-action`: the user-action log (`store::activity`), with the same query; the
//!   operator of an action (`userId`, `operator_arn`) is the user it was about.
//! * `GET /api/v2/analysis/total-login-count?appId=`: how many users have logged in to the application.
//! * `GET /api/v2/analysis/exist-defined-field-count?definedFieldKey=&appId=`: how many users have a value
//!   for the user custom field `definedFieldKey`.

use axum::Router;
use axum::extract::{Query, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use super::RestState;
use super::envelope::{list_param, number_param, reply, require_management};
use crate::store::error::{ApiError, Code};
use crate::store::log_filter::LogFilter;
use crate::store::state::State;
use crate::store::udf::TargetType;

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/analysis/audit", get(audit))
        .route("/api/v2/analysis/user-action", get(user_actions))
        .route("/api/v2/analysis/total-login-count", get(total_login_count))
        .route("/api/v2/analysis/exist-defined-field-count", get(defined_field_count))
}

type Params = Vec<(String, String)>;

/// A single query parameter, trimmed; absent when missing or empty.
fn param(query: &Params, name: &str) -> Option<String> {
    query.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A time bound in milliseconds, else 400.
fn millis(query: &Params, name: &str) -> Result<Option<u64>, ApiError> {
    param(query, name)
        .map(|v| {
            v.parse::<u64>().map_err(|_| {
                ApiError::with_message(
                    Code::BadRequest,
                    format!("参数 {name} 必须是毫秒时间戳: {v}"),
                    format!("{name} must be a timestamp in milliseconds: {v}"),
                )
            })
        })
        .transpose()
}

/// The filter both logs take from the query.
fn log_filter(query: &Params) -> Result<LogFilter, ApiError> {
    let mut event_types = list_param(query, "eventType");
    event_types.extend(list_param(query, "operation_name"));
    let mut app_ids = list_param(query, "app_id");
    app_ids.extend(list_param(query, "appId"));
    Ok(LogFilter {
        client_ip: param(query, "clientip"),
        event_types,
        user_ids: list_param(query, "userId"),
        arns: list_param(query, "operator_arn"),
        app_ids,
        start: millis(query, "start")?,
        end: millis(query, "end")?,
        app_records_only: param(query, "exclude_non_app_records").is_some_and(|v| v == "1" || v == "true"),
    })
}

fn audit_page(state: &State, query: &Params) -> Result<Value, ApiError> {
    let page = number_param(query, "page", 1)?;
    let limit = state.page_size(number_param(query, "limit", 10)?)?;
    let filter = log_filter(query)?;
    let (total, list) = state.audit.page(&filter, page, limit);
    let list: Vec<Value> = list.iter().map(|e| e.to_json(&state.pool.id)).collect();
    Ok(json!({ "totalCount": total, "list": list }))
}

/// `GET /api/v2/analysis/audit`.
async fn audit(AxState(app): AxState<RestState>, headers: HeaderMap, Query(query): Query<Params>) -> Response {
    let state = &app.state;
    let result = require_management(state, &headers).and_then(|_| audit_page(state, &query));
    reply(&headers, result)
}

fn user_action_page(state: &State, query: &Params) -> Result<Value, ApiError> {
    let page = number_param(query, "page", 1)?;
    let limit = state.page_size(number_param(query, "limit", 10)?)?;
    let filter = log_filter(query)?;
    let matching: Vec<_> = state.actions().iter().rev().filter(|a| filter.accepts(&a.record())).cloned().collect();
    let list: Vec<Value> = matching
        .iter()
        .skip(page.saturating_sub(1).saturating_mul(limit))
        .take(limit)
        .map(|a| {
            let app = a.app_id.as_deref().and_then(|id| state.application(id));
            a.to_json(&state.pool.id, app)
        })
        .collect();
    Ok(json!({ "totalCount": matching.len(), "list": list }))
}

/// `GET /api/v2/analysis/user-action`: `{totalCount, list}`, newest first.
async fn user_actions(AxState(app): AxState<RestState>, headers: HeaderMap, Query(query): Query<Params>) -> Response {
    let state = &app.state;
    let result = require_management(state, &headers).and_then(|_| user_action_page(state, &query));
    reply(&headers, result)
}

/// The application `appId` names: 400 when missing, 2011 when it is not the pool's.
fn application(state: &State, query: &Params) -> Result<(), ApiError> {
    let app_id = param(query, "appId")
        .ok_or_else(|| ApiError::with_message(Code::BadRequest, "缺少 appId", "appId is missing"))?;
    state.application(&app_id).map(|_| ()).ok_or(ApiError::new(Code::AppNotFound))
}

/// `GET /api/v2/analysis/total-login-count?appId=`: users with at least one login (every login of the
/// emulator is into its one application).
async fn total_login_count(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<Params>,
) -> Response {
    let state = &app.state;
    let result = require_management(state, &headers).and_then(|_| application(state, &query)).map(|()| {
        let users = state.users_read();
        json!(users.all().filter(|u| u.logins_count.unwrap_or(0) > 0).count())
    });
    reply(&headers, result)
}

/// `GET /api/v2/analysis/exist-defined-field-count?definedFieldKey=&appId=`.
async fn defined_field_count(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<Params>,
) -> Response {
    let state = &app.state;
    let result = require_management(state, &headers).and_then(|_| application(state, &query)).and_then(|()| {
        let key = param(&query, "definedFieldKey").ok_or_else(|| {
            ApiError::with_message(Code::BadRequest, "缺少 definedFieldKey", "definedFieldKey is missing")
        })?;
        let users = state.users_read();
        let udf = state.udf_read();
        let count = udf
            .values
            .iter()
            .filter(|((kind, id), values)| {
                *kind == TargetType::User && users.get(id).is_some() && values.iter().any(|(k, _)| *k == key)
            })
            .count();
        Ok(json!(count))
    });
    reply(&headers, result)
}
