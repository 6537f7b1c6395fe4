//! Access control over REST (management token required everywhere, 2020 otherwise): resource namespaces,
//! resources, grants and checks, programmatic access accounts and application access policies. The rules
//! are in [`crate::store::acl`]; the envelope is `{code, message, data}` with HTTP 200.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::RestState;
use super::envelope::page_limit;
use crate::store::access::{AccessStore, AuthorizedResource, TargetKind, namespace};
use crate::store::acl::{AppPolicyChange, Effect, ResourceAction, Who, parse_type, type_name};
use crate::store::authz::{self, acl_namespace, grant_target, is_allowed, resource_arg, user_targets};
use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code, Lang};
use crate::store::state::State;
use crate::store::tokens;
use crate::store::udf::TargetType;
use crate::store::users::{SortBy, UserStore, paginate};

/// The ACL routes, merged into the emulator's router.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/resource-namespace/{pool}", post(create_namespace).get(list_namespaces))
        .route("/api/v2/resource-namespace/{pool}/{id}", put(update_namespace).delete(delete_namespace))
        .route(
            "/api/v2/resource-namespace/{pool}/code/{code}",
            put(update_namespace_by_code).delete(delete_namespace_by_code),
        )
        .route("/api/v2/resources", post(create_resource).get(list_resources))
        .route("/api/v2/resources/detail", get(resource_detail))
        .route("/api/v2/resources/{code}", post(update_resource).delete(delete_resource))
        .route("/api/v2/acl/revoke-resource", post(revoke_resource))
        .route("/api/v2/acl/check-resource-permission-batch", post(check_permission_batch))
        .route("/api/v2/acl/get-authorized-resources-of-resource-kind", post(resources_of_kind))
        .route("/api/v2/acl/is-allowed", post(is_allowed_rest))
        .route("/api/v2/acl/list-authorized-resources-batch", post(list_authorized_batch))
        .route("/api/v2/acl/authorize-resources", post(authorize_resources))
        .route("/api/v2/acl/revoke-resources", post(revoke_resources))
        .route("/api/v2/applications/{id}/programmatic-access-accounts", get(list_accounts).post(create_account))
        .route(
            "/api/v2/applications/programmatic-access-accounts",
            axum::routing::patch(patch_account).delete(delete_account),
        )
        .route("/api/v2/applications/{id}/authorization/records", get(app_policy_records))
        .route("/api/v2/applications/{id}/authorization/{op}", post(change_app_policies))
}

// ---- envelope ------------------------------------------------------------------------------------------

/// Checks the management token, runs `f` and wraps its result (message `message`, `""` by default).
pub(super) fn run(
    app: &RestState,
    headers: &HeaderMap,
    message: Option<(&str, &str)>,
    f: impl FnOnce(&State) -> Result<Value, ApiError>,
) -> Response {
    let lang = crate::http::lang(headers);
    let state = &app.state;
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(tokens::bearer)
        .is_some_and(|t| tokens::verify_management(state, t).is_ok());
    let result = if authorized { f(state) } else { Err(ApiError::new(Code::NotLoggedIn)) };
    match result {
        Ok(data) => {
            let message = match (message, lang) {
                (Some((zh, _)), Lang::Zh) => zh,
                (Some((_, en)), Lang::En) => en,
                (None, _) => "",
            };
            Json(json!({ "code": 200, "message": message, "data": data })).into_response()
        }
        Err(e) => {
            let mut body = e.to_object(lang);
            if body.get("data").is_none() {
                body["data"] = Value::Null;
            }
            Json(body).into_response()
        }
    }
}

/// Parses a JSON body (400 when it does not fit).
pub(super) fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::with_message(Code::BadRequest, format!("请求体格式错误: {e}"), format!("Invalid body: {e}"))
    })
}

/// A required, non-empty string field (400 otherwise).
pub(super) fn required(what: &str, value: Option<&str>) -> Result<String, ApiError> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v.to_owned()),
        _ => Err(ApiError::with_message(Code::BadRequest, format!("缺少 {what}"), format!("{what} is missing"))),
    }
}

/// A `PolicyAssignmentTargetType` name (400 otherwise).
fn target_kind(name: &str) -> Result<TargetKind, ApiError> {
    TargetKind::from_name(name.trim()).ok_or_else(|| {
        ApiError::with_message(
            Code::BadRequest,
            format!("targetType 无效: {name}"),
            format!("Invalid targetType: {name}"),
        )
    })
}

/// A `ResourceType` name (400 otherwise).
fn resource_kind(name: &str) -> Result<crate::store::access::ResourceType, ApiError> {
    parse_type(name).ok_or_else(|| {
        ApiError::with_message(
            Code::BadRequest,
            format!("资源类型无效: {name}"),
            format!("Invalid resource type: {name}"),
        )
    })
}

/// The pool id of a namespace path (2224 when it is not the emulator's).
fn check_pool(state: &State, pool: &str) -> Result<(), ApiError> {
    if pool == state.pool.id { Ok(()) } else { Err(ApiError::new(Code::UserPoolNotFound)) }
}

/// The application of a path (2011 when the pool has no such application).
pub(super) fn check_app(state: &State, app_id: &str) -> Result<(), ApiError> {
    if state.app_exists(app_id) { Ok(()) } else { Err(ApiError::new(Code::AppNotFound)) }
}

/// An `AuthorizedResource` as REST JSON.
fn authorized_json(r: &AuthorizedResource) -> Value {
    json!({
        "code": r.code,
        "type": r.kind.map(type_name),
        "actions": r.actions,
        "apiIdentifier": r.api_identifier,
    })
}

// ---- namespaces ----------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct NamespaceBody {
    code: Option<String>,
    name: Option<String>,
    description: Option<String>,
}

/// `POST /api/v2/resource-namespace/{userPoolId}` `{code, name, description}`: 3001 when the code is taken.
async fn create_namespace(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(pool): Path<String>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, None, |state| {
        check_pool(state, &pool)?;
        let b: NamespaceBody = body(&bytes)?;
        let code = required("code", b.code.as_deref())?;
        let name = b.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| code.clone());
        let ns = state.access_write().acl.create_namespace(&code, &name, b.description, &now_iso())?;
        Ok(state.namespace_json(&ns))
    })
}

/// `GET /api/v2/resource-namespace/{userPoolId}?page=&limit=`: `{total, list}`, newest first.
async fn list_namespaces(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(pool): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, None, |state| {
        check_pool(state, &pool)?;
        let (page, limit) = page_limit(state, &query)?;
        let all = state.access_read().acl.namespaces();
        let list: Vec<Value> = paginate(&all, page, limit).iter().map(|n| state.namespace_json(n)).collect();
        Ok(json!({ "total": all.len(), "list": list }))
    })
}

/// Applies an update to the namespace `id` (3005 when unknown): a new code moves its roles, policies,
/// resources and grants (3001 when taken; `default` keeps its code).
fn update_namespace_by_id(state: &State, id: Option<i64>, bytes: &Bytes) -> Result<Value, ApiError> {
    let b: NamespaceBody = body(bytes)?;
    let id = id.ok_or(ApiError::new(Code::NamespaceUpdateMissing))?;
    let mut access = state.access_write();
    let old = access.acl.namespace_by_id(id).ok_or(ApiError::new(Code::NamespaceUpdateMissing))?.code.clone();
    let new_code = b.code.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty() && *c != old);
    if let Some(new_code) = &new_code {
        if old == crate::store::access::DEFAULT_NAMESPACE {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "默认权限分组的 code 不能修改",
                "The code of the default namespace cannot change",
            ));
        }
        if access.acl.namespace(new_code).is_some() {
            return Err(ApiError::new(Code::NamespaceExists));
        }
        access.rename_namespace(&old, new_code);
    }
    let ns = access.acl.update_namespace(id, b.name, b.description, &now_iso())?;
    Ok(state.namespace_json(&ns))
}

/// Deletes the namespace `id` (3003 when unknown; `default` cannot go) with its resources, grants, roles
/// (and their custom data) and policies.
pub(super) fn delete_namespace_by_id(state: &State, id: Option<i64>) -> Result<Value, ApiError> {
    let id = id.ok_or(ApiError::new(Code::NamespaceNotFound))?;
    let deleted_roles: Vec<String> = {
        let mut access = state.access_write();
        let code = access.acl.delete_namespace(id)?;
        let roles = access.roles(&code, SortBy::CreatedatAsc);
        let deleted = roles.iter().filter_map(|r| access.delete_role(&code, &r.code)).map(|r| r.id).collect();
        let policies: Vec<String> = access.policies(&code, false).into_iter().map(|p| p.code).collect();
        access.delete_policies(&code, &policies)?;
        deleted
    };
    let mut udf = state.udf_write();
    for id in &deleted_roles {
        udf.remove_target(TargetType::Role, id);
    }
    Ok(Value::Null)
}

/// The id of a namespace by code.
pub(super) fn namespace_id(state: &State, code: &str) -> Option<i64> {
    state.access_read().acl.namespace(code).map(|n| n.id)
}

/// `PUT /api/v2/resource-namespace/{userPoolId}/{id}` `{code?, name?, description?}`.
async fn update_namespace(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path((pool, id)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, None, |state| {
        check_pool(state, &pool)?;
        update_namespace_by_id(state, id.trim().parse().ok(), &bytes)
    })
}

/// `PUT /api/v2/resource-namespace/{userPoolId}/code/{code}`.
async fn update_namespace_by_code(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path((pool, code)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, None, |state| {
        check_pool(state, &pool)?;
        update_namespace_by_id(state, namespace_id(state, &code), &bytes)
    })
}

/// `DELETE /api/v2/resource-namespace/{userPoolId}/{id}`.
async fn delete_namespace(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path((pool, id)): Path<(String, String)>,
) -> Response {
    run(&app, &headers, Some(("删除成功", "Deleted")), |state| {
        check_pool(state, &pool)?;
        delete_namespace_by_id(state, id.trim().parse().ok())
    })
}

/// `DELETE /api/v2/resource-namespace/{userPoolId}/code/{code}`.
async fn delete_namespace_by_code(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path((pool, code)): Path<(String, String)>,
) -> Response {
    run(&app, &headers, Some(("删除成功", "Deleted")), |state| {
        check_pool(state, &pool)?;
        delete_namespace_by_id(state, namespace_id(state, &code))
    })
}

// ---- resources -----------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceBody {
    code: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    actions: Option<Vec<ResourceAction>>,
    namespace: Option<String>,
    description: Option<String>,
    api_identifier: Option<String>,
}

/// `POST /api/v2/resources`: creates a resource (3003 unknown namespace, 3012 code taken, 400 without a
/// valid `type`).
async fn create_resource(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, None, |state| {
        let b: ResourceBody = body(&bytes)?;
        let code = required("code", b.code.as_deref())?;
        let kind = resource_kind(&required("type", b.kind.as_deref())?)?;
        let ns = namespace(b.namespace.as_deref());
        let mut access = state.access_write();
        let r = access.acl.create_resource(
            &ns,
            &code,
            kind,
            b.actions.unwrap_or_default(),
            b.description,
            b.api_identifier,
            &now_iso(),
        )?;
        Ok(access.acl.resource_json(&r, &state.pool.id))
    })
}

/// `POST /api/v2/resources/{code}`: changes what is given (3011 unknown resource).
async fn update_resource(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, None, |state| {
        let b: ResourceBody = body(&bytes)?;
        let kind = match b.kind.as_deref().filter(|k| !k.trim().is_empty()) {
            Some(k) => Some(resource_kind(k)?),
            None => None,
        };
        let ns = namespace(b.namespace.as_deref());
        let mut access = state.access_write();
        let r = access.acl.update_resource(
            &ns,
            code.trim(),
            kind,
            b.actions,
            b.description,
            b.api_identifier,
            &now_iso(),
        )?;
        Ok(access.acl.resource_json(&r, &state.pool.id))
    })
}

/// `GET /api/v2/resources?namespace=&type=&page=&limit=`: `{totalCount, list}`, newest first.
async fn list_resources(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, None, |state| {
        let (page, limit) = page_limit(state, &query)?;
        let kind = match query.get("type").map(|t| t.trim()).filter(|t| !t.is_empty()) {
            Some(t) => Some(resource_kind(t)?),
            None => None,
        };
        let ns = namespace(query.get("namespace").map(String::as_str));
        let access = state.access_read();
        let all = access.acl.resources(&ns, kind)?;
        let list: Vec<Value> =
            paginate(&all, page, limit).iter().map(|r| access.acl.resource_json(r, &state.pool.id)).collect();
        Ok(json!({ "totalCount": all.len(), "list": list }))
    })
}

/// `DELETE /api/v2/resources/{code}?namespace=` (3011 unknown resource).
async fn delete_resource(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, Some(("删除成功", "Deleted")), |state| {
        let ns = namespace(query.get("namespace").map(String::as_str));
        state.access_write().acl.delete_resource(&ns, code.trim())?;
        Ok(Value::Null)
    })
}

/// `GET /api/v2/resources/detail?id=` or `?namespace=&code=`: the resource, or null.
async fn resource_detail(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, None, |state| {
        let access = state.access_read();
        let param = |name: &str| query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
        let found = match (param("id"), param("code")) {
            (Some(id), _) => access.acl.resource_by_id(id),
            (None, Some(code)) => access.acl.resource(&namespace(param("namespace")), code),
            (None, None) => {
                return Err(ApiError::with_message(Code::BadRequest, "缺少 id 或 code", "id or code is missing"));
            }
        };
        Ok(found.map_or(Value::Null, |r| access.acl.resource_json(r, &state.pool.id)))
    })
}

// ---- grants and checks ---------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TargetOpt {
    target_type: String,
    target_identifier: String,
    #[serde(default)]
    actions: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct RevokeBody {
    namespace: Option<String>,
    resource: String,
    #[serde(default)]
    opts: Vec<TargetOpt>,
}

/// `POST /api/v2/acl/revoke-resource` `{namespace, resource, opts: [{targetType, targetIdentifier,
/// actions?}]}`: every target must exist (2004, 2101, 2111).
async fn revoke_resource(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, Some(("取消授权成功", "Revoked")), |state| {
        let b: RevokeBody = body(&bytes)?;
        let resource = resource_arg(&b.resource)?;
        let users = state.users_read();
        let mut access = state.access_write();
        let ns = acl_namespace(&access, b.namespace.as_deref())?;
        let whos = b
            .opts
            .iter()
            .map(|o| Ok((grant_target(&users, &access, &ns, target_kind(&o.target_type)?, &o.target_identifier)?, o)))
            .collect::<Result<Vec<_>, ApiError>>()?;
        for (who, o) in whos {
            access.acl.revoke(&ns, &who, &resource, o.actions.as_deref());
        }
        Ok(Value::Bool(true))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserCheck {
    user_id: String,
    namespace: Option<String>,
    #[serde(default)]
    resources: Vec<String>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    action: Option<String>,
}

/// The user of a check (2004 when unknown), the namespace (3003) and the targets whose grants it holds.
fn check_targets(
    users: &UserStore,
    access: &AccessStore,
    user_id: &str,
    ns: Option<&str>,
) -> Result<(String, Vec<Who>), ApiError> {
    let ns = acl_namespace(access, ns)?;
    let user_id = user_id.trim();
    users.get(user_id).ok_or(ApiError::new(Code::UserNotFound))?;
    let whos = user_targets(access, user_id, &ns);
    Ok((ns, whos))
}

/// `POST /api/v2/acl/check-resource-permission-batch` `{userId, namespace, resources}`: `[{code,
/// actions}]` of the resources the user holds actions on, in request order.
async fn check_permission_batch(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, None, |state| {
        let b: UserCheck = body(&bytes)?;
        let users = state.users_read();
        let access = state.access_read();
        let (ns, whos) = check_targets(&users, &access, &b.user_id, b.namespace.as_deref())?;
        let list: Vec<Value> = b
            .resources
            .iter()
            .map(|r| r.trim())
            .filter_map(|r| {
                let actions = access.acl.actions_on(&ns, &whos, r);
                (!actions.is_empty()).then(|| json!({ "code": r, "actions": actions }))
            })
            .collect();
        Ok(Value::Array(list))
    })
}

/// `POST /api/v2/acl/get-authorized-resources-of-resource-kind` `{userId, namespace, resource}`: the
/// instance grants (`books:1`) of the type `resource` the user holds, in grant order.
async fn resources_of_kind(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, None, |state| {
        let b: UserCheck = body(&bytes)?;
        let kind = required("resource", b.resource.as_deref())?;
        let users = state.users_read();
        let access = state.access_read();
        let (ns, whos) = check_targets(&users, &access, &b.user_id, b.namespace.as_deref())?;
        let list: Vec<Value> = access
            .acl
            .instances_of_kind(&ns, &whos, &kind)
            .into_iter()
            .map(|(code, actions)| json!({ "code": code, "actions": actions }))
            .collect();
        Ok(Value::Array(list))
    })
}

/// `POST /api/v2/acl/is-allowed` `{namespace, userId, resource, action}`: `{allowed}`.
async fn is_allowed_rest(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, None, |state| {
        let b: UserCheck = body(&bytes)?;
        let resource = required("resource", b.resource.as_deref())?;
        let action = required("action", b.action.as_deref())?;
        let allowed = is_allowed(state, &b.user_id, b.namespace.as_deref(), &resource, &action)?;
        Ok(json!({ "allowed": allowed }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TargetRef {
    target_type: String,
    target_identifier: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BatchBody {
    namespace: Option<String>,
    #[serde(default)]
    targets: Vec<TargetRef>,
    resource_type: Option<String>,
}

/// `POST /api/v2/acl/list-authorized-resources-batch` `{namespace, targets, resourceType?}`: `{list:
/// [{totalCount, list}]}` in target order; an unknown target holds nothing.
async fn list_authorized_batch(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, None, |state| {
        let b: BatchBody = body(&bytes)?;
        let users = state.users_read();
        let access = state.access_read();
        let ns = acl_namespace(&access, b.namespace.as_deref())?;
        let mut lists = Vec::new();
        for t in &b.targets {
            let kind = target_kind(&t.target_type)?;
            let list = match access.target(&ns, kind, t.target_identifier.trim(), |id| users.get(id).is_some()) {
                Ok(target) => authz::authorized_resources(&access, &target, Some(&ns), b.resource_type.as_deref()),
                Err(_) => Vec::new(),
            };
            let items: Vec<Value> = list.iter().map(authorized_json).collect();
            lists.push(json!({ "totalCount": items.len(), "list": items }));
        }
        Ok(json!({ "list": lists }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GrantResource {
    code: String,
    #[serde(default)]
    actions: Vec<String>,
    resource_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GrantsOpt {
    target_type: String,
    #[serde(default)]
    target_identifiers: Vec<String>,
    #[serde(default)]
    resources: Vec<GrantResource>,
}

#[derive(Deserialize)]
struct GrantsBody {
    namespace: Option<String>,
    #[serde(default)]
    opts: Vec<GrantsOpt>,
}

/// The resolved `(target, resource, actions, type)` of an authorize-resources / revoke-resources body,
/// all or nothing.
#[allow(clippy::type_complexity)]
fn resolve_grants(
    users: &UserStore,
    access: &AccessStore,
    b: &GrantsBody,
) -> Result<(String, Vec<(Who, String, Vec<String>, Option<crate::store::access::ResourceType>)>), ApiError> {
    let ns = acl_namespace(access, b.namespace.as_deref())?;
    let mut out = Vec::new();
    for opt in &b.opts {
        let kind = target_kind(&opt.target_type)?;
        for id in &opt.target_identifiers {
            let who = grant_target(users, access, &ns, kind, id)?;
            for r in &opt.resources {
                let code = resource_arg(&r.code)?;
                let rtype = match r.resource_type.as_deref().filter(|t| !t.trim().is_empty()) {
                    Some(t) => Some(resource_kind(t)?),
                    None => None,
                };
                let actions = r.actions.iter().map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect();
                out.push((who.clone(), code, actions, rtype));
            }
        }
    }
    Ok((ns, out))
}

/// `POST /api/v2/acl/authorize-resources` `{namespace, opts: [{targetType, targetIdentifiers, resources:
/// [{code, actions, resourceType}]}]}`: grants, all or nothing.
async fn authorize_resources(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, Some(("授权成功", "Granted")), |state| {
        let b: GrantsBody = body(&bytes)?;
        let users = state.users_read();
        let mut access = state.access_write();
        let (ns, grants) = resolve_grants(&users, &access, &b)?;
        for (who, code, actions, rtype) in grants {
            access.acl.grant(&ns, &who, &code, &actions, rtype);
        }
        Ok(Value::Bool(true))
    })
}

/// `POST /api/v2/acl/revoke-resources` (same body): revokes the listed actions (all of a resource's when
/// the list is empty).
async fn revoke_resources(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, Some(("取消授权成功", "Revoked")), |state| {
        let b: GrantsBody = body(&bytes)?;
        let users = state.users_read();
        let mut access = state.access_write();
        let (ns, grants) = resolve_grants(&users, &access, &b)?;
        for (who, code, actions, _) in grants {
            access.acl.revoke(&ns, &who, &code, Some(&actions));
        }
        Ok(Value::Bool(true))
    })
}

// ---- programmatic access accounts ----------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountBody {
    token_lifetime: Option<i64>,
    remark: Option<String>,
    remarks: Option<String>,
}

/// `GET /api/v2/applications/{appId}/programmatic-access-accounts?page=&limit=`: `{totalCount, list}`,
/// newest first (2011 unknown application).
async fn list_accounts(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(app_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, Some(("获取编程访问账号列表成功", "Programmatic access accounts listed")), |state| {
        check_app(state, &app_id)?;
        let (page, limit) = page_limit(state, &query)?;
        let all = state.access_read().acl.accounts(&app_id);
        let list: Vec<Value> = paginate(&all, page, limit).iter().map(|a| a.to_json()).collect();
        Ok(json!({ "totalCount": all.len(), "list": list }))
    })
}

/// `POST /api/v2/applications/{appId}/programmatic-access-accounts` `{tokenLifetime, remark|remarks}`:
/// an enabled account with a random secret.
async fn create_account(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(app_id): Path<String>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, Some(("创建成功", "Created")), |state| {
        check_app(state, &app_id)?;
        let b: AccountBody = if bytes.is_empty() {
            AccountBody { token_lifetime: None, remark: None, remarks: None }
        } else {
            body(&bytes)?
        };
        let lifetime = b.token_lifetime.unwrap_or(600);
        if lifetime <= 0 {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "tokenLifetime 必须是正整数",
                "tokenLifetime must be a positive integer",
            ));
        }
        let account = state.access_write().acl.create_account(&app_id, b.remarks.or(b.remark), lifetime, &now_iso());
        Ok(account.to_json())
    })
}

#[derive(Deserialize)]
struct AccountPatch {
    id: String,
    enabled: Option<bool>,
    secret: Option<String>,
}

/// `PATCH /api/v2/applications/programmatic-access-accounts` `{id, enabled?, secret?}`: the updated
/// account (3021 unknown account).
async fn patch_account(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, None, |state| {
        let b: AccountPatch = body(&bytes)?;
        let secret = b.secret.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let account = state.access_write().acl.update_account(b.id.trim(), b.enabled, secret, &now_iso())?;
        Ok(account.to_json())
    })
}

/// `DELETE /api/v2/applications/programmatic-access-accounts?id=` (3021 unknown account).
async fn delete_account(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, Some(("删除成功", "Deleted")), |state| {
        let id = required("id", query.get("id").map(String::as_str))?;
        state.access_write().acl.delete_account(&id)?;
        Ok(Value::Null)
    })
}

// ---- application access policies -----------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppPolicyBody {
    target_type: String,
    #[serde(default)]
    target_identifiers: Vec<String>,
    namespace: Option<String>,
    inherit_by_children: Option<bool>,
}

/// `POST /api/v2/applications/{appId}/authorization/{allow|deny|enable-effect|disable-effect|revoke}`
/// `{targetType, targetIdentifiers, namespace, inheritByChildren}`. `allow` and `deny` need existing
/// targets (2004, 2101 for a role code of `namespace`, 2111); the others skip unknown targets.
async fn change_app_policies(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path((app_id, op)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    run(&app, &headers, Some(("操作成功", "Done")), |state| {
        check_app(state, &app_id)?;
        let change = match op.as_str() {
            "allow" => AppPolicyChange::Set(Effect::Allow),
            "deny" => AppPolicyChange::Set(Effect::Deny),
            "enable-effect" => AppPolicyChange::Enable(true),
            "disable-effect" => AppPolicyChange::Enable(false),
            "revoke" => AppPolicyChange::Revoke,
            _ => return Err(ApiError::new(Code::NotFound)),
        };
        let b: AppPolicyBody = body(&bytes)?;
        let kind = target_kind(&b.target_type)?;
        let ns = namespace(b.namespace.as_deref());
        let users = state.users_read();
        let mut access = state.access_write();
        let mut whos = Vec::new();
        for id in &b.target_identifiers {
            match grant_target(&users, &access, &ns, kind, id) {
                Ok(who) => whos.push(who),
                Err(e) if matches!(change, AppPolicyChange::Set(_)) => return Err(e),
                Err(_) => {}
            }
        }
        let inherit = b.inherit_by_children.unwrap_or(false);
        access.acl.change_app_policies(&app_id, &whos, &ns, inherit, change, &now_iso());
        Ok(Value::Null)
    })
}

/// `GET /api/v2/applications/{appId}/authorization/records?page=&limit=`: `{totalCount, list}`, newest
/// first.
async fn app_policy_records(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Path(app_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, None, |state| {
        check_app(state, &app_id)?;
        let (page, limit) = page_limit(state, &query)?;
        let access = state.access_read();
        let all = authz::app_policy_records(&access, &app_id);
        Ok(json!({ "totalCount": all.len(), "list": paginate(&all, page, limit) }))
    })
}
