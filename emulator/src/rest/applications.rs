//! Applications over REST (management token required everywhere, 2020 otherwise). The rules are in
//! [`crate::store::apps`]; the envelope is `{code, message, data}` with HTTP 200.
//!
//! * `GET /api/v2/applications?page=&limit=` (`{totalCount, list}`, newest first) and `POST` `{name, identifier,
//!   redirectUris, logo}`;
//! * `GET`, `DELETE` and `POST /api/v2/applications/{id}` (the update takes `permissionStrategy.defaultStrategy`
//!   and `appType`);
//! * `PATCH /api/v2/application/{id}/refresh-secret` (singular `application`) and `GET
//!   /api/v2/application/{id}/tenants`;
//! * `GET /api/v2/applications/{id}/active-users?page=&limit=`: the users with a live token of the application;
//! * the agreements: `GET`/`POST /api/v2/applications/{id}/agreements`, `PUT`/`DELETE …/agreements/{agreementId}`
//!   and `POST …/agreements/sort` `{ids}`.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, patch, post, put};
use serde::Deserialize;
use serde_json::{Value, json};

use super::RestState;
use super::acl::{body, check_app, delete_namespace_by_id, namespace_id, run};
use super::envelope::page_limit;
use crate::store::apps::AgreementPatch;
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::users::paginate;

/// The application routes, merged into the emulator's router.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/applications", get(list).post(create))
        .route("/api/v2/applications/{id}", get(find).delete(delete).post(update))
        .route("/api/v2/application/{id}/refresh-secret", patch(refresh_secret))
        .route("/api/v2/application/{id}/tenants", get(tenants))
        .route("/api/v2/applications/{id}/active-users", get(active_users))
        .route("/api/v2/applications/{id}/agreements", get(list_agreements).post(create_agreement))
        .route("/api/v2/applications/{id}/agreements/sort", post(sort_agreements))
        .route("/api/v2/applications/{id}/agreements/{agreement}", put(modify_agreement).delete(delete_agreement))
}

/// `GET /api/v2/applications?page=&limit=`: `{totalCount, list}`, newest first.
async fn list(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, None, |state| {
        let (page, limit) = page_limit(state, &query)?;
        let all = state.apps_read().list();
        let list: Vec<Value> = paginate(&all, page, limit).iter().map(|a| state.app_json(a)).collect();
        Ok(json!({ "totalCount": all.len(), "list": list }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    name: Option<String>,
    identifier: Option<String>,
    #[serde(default)]
    redirect_uris: Vec<String>,
    logo: Option<String>,
}

/// `POST /api/v2/applications` `{name, identifier, redirectUris, logo}`: the new application, with its secret
/// and its permission namespace (code = its id).
async fn create(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, None, |state| {
        let b: CreateBody = body(&bytes)?;
        let name = b.name.unwrap_or_default();
        let identifier = b.identifier.unwrap_or_default();
        let created = state.apps_write().create(&state.pool.id, &name, &identifier, b.redirect_uris, b.logo)?;
        state.ensure_app_namespaces();
        Ok(state.app_json(&created))
    })
}

/// `GET /api/v2/applications/{id}`: the application (2011 when unknown).
async fn find(AxState(app): AxState<RestState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    run(&app, &headers, None, |state| state.find_app_json(&id))
}

/// `DELETE /api/v2/applications/{id}`: code 200 (2011 when unknown; the default application stays). Its
/// namespace (with its resources, roles and policies), access policies and programmatic access accounts go too.
async fn delete(AxState(app): AxState<RestState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    run(&app, &headers, None, |state| {
        state.apps_write().delete(&id)?;
        state.forget_app(&id);
        if let Some(namespace) = namespace_id(state, &id) {
            delete_namespace_by_id(state, Some(namespace))?;
        }
        Ok(Value::Bool(true))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Strategy {
    default_strategy: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    permission_strategy: Option<Strategy>,
    app_type: Option<String>,
}

/// `POST /api/v2/applications/{id}` `{permissionStrategy: {defaultStrategy: ALLOW_ALL|DENY_ALL}}` or
/// `{appType: INDIVIDUAL|Tenant|BOTH}`: the updated application.
async fn update(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, None, |state| {
        check_app(state, &id)?;
        let b: UpdateBody = body(&bytes)?;
        if let Some(s) = b.permission_strategy {
            let deny_all = match s.default_strategy.trim() {
                "ALLOW_ALL" => false,
                "DENY_ALL" => true,
                other => {
                    return Err(ApiError::with_message(
                        Code::BadRequest,
                        format!("defaultStrategy 无效: {other}"),
                        format!("Invalid defaultStrategy: {other}"),
                    ));
                }
            };
            state.set_app_deny_all(&id, deny_all)?;
        }
        if let Some(app_type) = b.app_type {
            state.apps_write().set_app_type(&id, app_type.trim())?;
        }
        state.find_app_json(&id)
    })
}

/// `PATCH /api/v2/application/{id}/refresh-secret`: the application with its new secret.
async fn refresh_secret(AxState(app): AxState<RestState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    run(&app, &headers, None, |state| {
        let refreshed = state.apps_write().refresh_secret(&id)?;
        Ok(state.app_json(&refreshed))
    })
}

/// `GET /api/v2/application/{id}/tenants`: the application with its tenants (the emulator has none).
async fn tenants(AxState(app): AxState<RestState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    run(&app, &headers, None, |state| {
        let mut data = state.find_app_json(&id)?;
        data["isIntegrate"] = json!(false);
        data["tenants"] = json!([]);
        Ok(data)
    })
}

/// `GET /api/v2/applications/{id}/active-users?page=&limit=`: `{totalCount, list}` of the users holding a live
/// token of the application.
async fn active_users(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, None, |state| {
        check_app(state, &id)?;
        let (page, limit) = page_limit(state, &query)?;
        let ids = state.active_user_ids(&id);
        let users = state.users_read();
        let all: Vec<Value> = ids.iter().filter_map(|u| users.get(u)).map(|u| u.to_json()).collect();
        Ok(json!({ "totalCount": all.len(), "list": paginate(&all, page, limit) }))
    })
}

// ---- agreements ----------------------------------------------------------------------------------------

/// `GET /api/v2/applications/{id}/agreements`: `{totalCount, list}` in display order.
async fn list_agreements(AxState(app): AxState<RestState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    run(&app, &headers, None, |state| {
        let apps = state.apps_read();
        let list = apps.require(&id)?.agreements_json();
        Ok(json!({ "totalCount": list.len(), "list": list }))
    })
}

#[derive(Deserialize)]
struct AgreementBody {
    title: Option<String>,
    required: Option<bool>,
    lang: Option<String>,
}

/// `POST /api/v2/applications/{id}/agreements` `{title, required = true, lang = "zh-CN"}`: the agreement.
async fn create_agreement(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, None, |state| {
        let b: AgreementBody = body(&bytes)?;
        let title = b.title.unwrap_or_default();
        let lang = b.lang.unwrap_or_else(|| "zh-CN".to_owned());
        state.apps_write().create_agreement(&id, &title, b.required.unwrap_or(true), &lang)
    })
}

/// An agreement id of a path (the agreement is unknown when it is not a number).
fn agreement_id(state: &State, app_id: &str, given: &str) -> Result<u64, ApiError> {
    check_app(state, app_id)?;
    given
        .trim()
        .parse()
        .map_err(|_| ApiError::with_message(Code::NotFound, "协议不存在", "The agreement does not exist"))
}

/// `PUT /api/v2/applications/{id}/agreements/{agreementId}` `{title?, required?, lang?}`: the agreement.
async fn modify_agreement(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path((id, agreement)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, None, |state| {
        let agreement = agreement_id(state, &id, &agreement)?;
        let b: AgreementBody = body(&bytes)?;
        let patch = AgreementPatch { title: b.title, required: b.required, lang: b.lang };
        state.apps_write().modify_agreement(&id, agreement, patch)
    })
}

/// `DELETE /api/v2/applications/{id}/agreements/{agreementId}`: code 200.
async fn delete_agreement(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path((id, agreement)): Path<(String, String)>,
) -> Response {
    run(&app, &headers, None, |state| {
        let agreement = agreement_id(state, &id, &agreement)?;
        state.apps_write().delete_agreement(&id, agreement)?;
        Ok(Value::Bool(true))
    })
}

#[derive(Deserialize)]
struct SortBody {
    ids: Vec<u64>,
}

/// `POST /api/v2/applications/{id}/agreements/sort` `{ids}`: code 200; the list then follows `ids`.
async fn sort_agreements(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, None, |state| {
        let b: SortBody = body(&bytes)?;
        state.apps_write().sort_agreements(&id, &b.ids)?;
        Ok(Value::Bool(true))
    })
}
