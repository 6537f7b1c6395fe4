//! REST calls about organizations (management token):
//!
//! * `GET /api/v2/orgs/count`: `{count}`; `GET /api/v2/orgs?page=&limit=`: one page of organizations (a list),
//!   newest first; `GET /api/v2/orgs/by-tenant?tenant_id=`: the tenant's organization, or `null`.
//! * `POST /api/v2/orgs/import` `{filetype: "json", file}`: creates an organization from a nested tree, given as
//!   an object or as its JSON text, whole or not at all; `data` is the organization.
//! * `GET /api/v2/orgs/export[?org_id=]`: the trees of every organization (a list), or of one (an object), in the
//!   import format; message `导出数据成功`.
//! * `POST /connections/enterprise/{provider}/start-sync` and `POST /api/v2/ad/sync`: third-party directory sync.
//!   No directory is ever configured in the emulator, so both answer 2707 (`你还没有配置钉钉通讯录` for DingTalk).

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::RestState;
use super::envelope::page_limit;
use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code, Lang};
use crate::store::orgs::Tree;
use crate::store::state::State;
use crate::store::tokens;

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new()
        .route("/api/v2/orgs", get(list))
        .route("/api/v2/orgs/count", get(count))
        .route("/api/v2/orgs/by-tenant", get(by_tenant))
        .route("/api/v2/orgs/import", post(import))
        .route("/api/v2/orgs/export", get(export))
        .route("/connections/enterprise/{provider}/start-sync", post(start_sync))
        .route("/api/v2/ad/sync", post(ad_sync))
}

/// Checks the management token, runs `f` and wraps its result in the envelope with `message`.
fn run(
    app: &RestState,
    headers: &HeaderMap,
    message: (&str, &str),
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
            let message = if lang == Lang::Zh { message.0 } else { message.1 };
            Json(json!({ "code": 200, "message": message, "data": data })).into_response()
        }
        Err(e) => {
            let mut body = e.to_object(lang);
            body["data"] = body.get("data").cloned().unwrap_or(Value::Null);
            Json(body).into_response()
        }
    }
}

/// `GET /api/v2/orgs/count`.
async fn count(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    run(&app, &headers, ("", ""), |state| Ok(json!({ "count": state.access_read().orgs.orgs(false).len() })))
}

/// `GET /api/v2/orgs?page=&limit=`.
async fn list(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, ("", ""), |state| {
        let (page, limit) = page_limit(state, &query)?;
        let access = state.access_read();
        let list: Vec<Value> = access
            .orgs
            .orgs(false)
            .iter()
            .skip((page - 1).saturating_mul(limit))
            .take(limit)
            .filter_map(|o| access.orgs.org_json(&o.id))
            .collect();
        Ok(Value::Array(list))
    })
}

/// `GET /api/v2/orgs/by-tenant?tenant_id=`.
async fn by_tenant(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, ("", ""), |state| {
        let tenant = query.get("tenant_id").map(String::as_str).unwrap_or_default();
        let access = state.access_read();
        Ok(access.orgs.org_of_tenant(tenant).and_then(|o| access.orgs.org_json(&o.id)).unwrap_or(Value::Null))
    })
}

/// The body of `POST /api/v2/orgs/import`.
#[derive(Deserialize)]
struct ImportBody {
    filetype: Option<String>,
    file: Option<Value>,
}

/// Reads the tree of an import: an object, or the JSON text of one (400 otherwise).
fn tree_of(bytes: &Bytes) -> Result<Tree, ApiError> {
    let bad = |e: &dyn std::fmt::Display| {
        ApiError::with_message(
            Code::BadRequest,
            format!("导入的文件格式错误: {e}"),
            format!("Invalid import file: {e}"),
        )
    };
    let body: ImportBody = serde_json::from_slice(bytes).map_err(|e| bad(&e))?;
    if body.filetype.as_deref().is_some_and(|t| !t.eq_ignore_ascii_case("json")) {
        return Err(bad(&"filetype must be json"));
    }
    let file = match body.file {
        Some(Value::String(text)) => serde_json::from_str(&text).map_err(|e| bad(&e))?,
        Some(value @ Value::Object(_)) => value,
        _ => return Err(bad(&"file is missing")),
    };
    serde_json::from_value(file).map_err(|e| bad(&e))
}

/// `POST /api/v2/orgs/import`.
async fn import(AxState(app): AxState<RestState>, headers: HeaderMap, bytes: Bytes) -> Response {
    run(&app, &headers, ("导入成功", "Imported"), |state| {
        let tree = tree_of(&bytes)?;
        let mut access = state.access_write();
        let id = access.orgs.import_tree(tree, None, &now_iso())?;
        Ok(access.orgs.org_json(&id).unwrap_or(Value::Null))
    })
}

/// `GET /api/v2/orgs/export[?org_id=]`.
async fn export(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(&app, &headers, ("导出数据成功", "Data exported"), |state| {
        let access = state.access_read();
        let orgs = &access.orgs;
        let tree_json = |root: &str| serde_json::to_value(orgs.export_tree(root)).unwrap_or(Value::Null);
        match query.get("org_id").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(id) => Ok(tree_json(&orgs.existing_org(id)?.root)),
            None => Ok(Value::Array(orgs.orgs(true).iter().map(|o| tree_json(&o.root)).collect())),
        }
    })
}

/// The refusal of a directory sync: no directory is configured.
fn not_configured(provider: &str) -> ApiError {
    let (zh, en) = match provider {
        "dingtalk" => ("你还没有配置钉钉通讯录", "You have not configured the DingTalk directory yet"),
        "wechatwork" => ("你还没有配置企业微信通讯录", "You have not configured the WeCom directory yet"),
        "ad" => ("你还没有配置 AD 通讯录", "You have not configured the AD directory yet"),
        _ => ("不支持的通讯录类型", "Unsupported directory provider"),
    };
    ApiError::with_message(Code::SyncNotConfigured, zh, en)
}

/// `POST /connections/enterprise/{provider}/start-sync`.
async fn start_sync(AxState(app): AxState<RestState>, headers: HeaderMap, Path(provider): Path<String>) -> Response {
    run(&app, &headers, ("", ""), |_| Err(not_configured(&provider)))
}

/// `POST /api/v2/ad/sync`.
async fn ad_sync(AxState(app): AxState<RestState>, headers: HeaderMap) -> Response {
    run(&app, &headers, ("", ""), |_| Err(not_configured("ad")))
}
