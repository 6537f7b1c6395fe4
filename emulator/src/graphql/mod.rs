//! GraphQL at `POST /graphql/v2`: the schema, the request handler and Authing's error shape.
//!
//! Every type served here has the name, fields and argument types of the official Authing v2 schema.
//! Each area of the API has its own query and mutation objects (`token.rs`, `auth.rs`, `users.rs`, `udf.rs`,
//! `roles.rs`, `groups.rs`, `policies.rs`, `acl.rs`, `orgs.rs`, `userpool.rs`), whose resolvers call the store; [`Query`] and
//! [`Mutation`] merge them into the root types. `pages.rs` has the paginated lists they share, `limits.rs` the
//! limits every request is held to. Requests take async-graphql's normal path: parsed, validated in full and
//! executed by [`Schema::execute`], with nothing kept between requests.

mod acl;
mod audit;
mod auth;
mod groups;
mod limits;
mod orgs;
mod pages;
mod policies;
mod roles;
mod token;
mod types;
mod udf;
mod userpool;
mod users;

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use async_graphql::{Context, EmptySubscription, MergedObject, Schema, ServerError, SimpleObject};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use http_body_util::BodyExt as _;
use serde_json::{Value, json};

use crate::http::{Limits, graphql_error, origin};
use crate::store::activity::Origin;
use crate::store::error::{ApiError, Code, Lang};
use crate::store::state::State;
use crate::store::tokens::{self, Claims};

/// Past the body limit, up to this many bytes are read and discarded so that the client, still sending, receives
/// the error response instead of a reset connection.
const MAX_DRAIN: usize = 16 << 20;

/// The root `Query` type.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub(crate) struct Query(
    token::TokenQuery,
    auth::AuthQuery,
    users::UserQuery,
    udf::UdfQuery,
    roles::RoleQuery,
    groups::GroupQuery,
    policies::PolicyQuery,
    acl::AclQuery,
    orgs::OrgQuery,
    userpool::UserpoolQuery,
);

/// The root `Mutation` type.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub(crate) struct Mutation(
    users::UserMutation,
    auth::AuthMutation,
    udf::UdfMutation,
    roles::RoleMutation,
    groups::GroupMutation,
    policies::PolicyMutation,
    acl::AclMutation,
    orgs::OrgMutation,
    userpool::UserpoolMutation,
);

/// The executable schema.
pub(crate) type AppSchema = Schema<Query, Mutation, EmptySubscription>;

use limits::{MAX_DIRECTIVES, MAX_RECURSIVE_DEPTH};

/// The schema over one emulator's state, with the limits every request is held to (see [`limits`]).
pub(crate) fn schema(state: Arc<State>, limits: &Limits) -> AppSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(state)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(MAX_RECURSIVE_DEPTH)
        .limit_directives(MAX_DIRECTIVES)
        .extension(audit::Audit)
        .finish()
}

/// What the GraphQL handler needs: the schema and the limits.
#[derive(Clone)]
struct GraphqlState {
    schema: AppSchema,
    limits: Limits,
}

/// The GraphQL route, `/graphql/v2`, over one emulator's state.
pub(crate) fn routes(state: Arc<State>, limits: Limits) -> Router {
    let schema = schema(state, &limits);
    Router::new()
        .route("/graphql/v2", post(handler).fallback(method_not_allowed))
        .with_state(GraphqlState { schema, limits })
}

/// The schema as SDL, without any state.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription).finish().sdl()
}

/// `CommonMessage` of the official schema.
#[derive(SimpleObject, Debug)]
#[graphql(name = "CommonMessage")]
pub(crate) struct CommonMessage {
    message: Option<String>,
    code: Option<i32>,
}

impl CommonMessage {
    /// Code 200 with a message in the request's language.
    pub(crate) fn ok(lang: Lang, zh: &str, en: &str) -> Self {
        CommonMessage {
            message: Some(
                match lang {
                    Lang::Zh => zh,
                    Lang::En => en,
                }
                .to_owned(),
            ),
            code: Some(200),
        }
    }
}

/// What a resolver needs to know about the HTTP request.
pub(crate) struct RequestMeta {
    /// The bearer token of the `authorization` header, if any.
    pub(crate) token: Option<String>,
    pub(crate) lang: Lang,
    /// The `x-authing-app-id` header, if any.
    pub(crate) app_id: Option<String>,
    /// The request's headers and peer, from which [`RequestMeta::origin`] is worked out once.
    headers: HeaderMap,
    peer: SocketAddr,
    origin: OnceLock<Origin>,
}

impl RequestMeta {
    /// Where the request came from, for the user-action log and a login's last IP. Worked out the first time a
    /// resolver asks: most requests record nothing, and formatting the peer's address is not free.
    pub(crate) fn origin(&self) -> &Origin {
        self.origin.get_or_init(|| origin(&self.headers, self.peer, "/graphql/v2"))
    }
}

/// Entry of every root resolver: counts the root field and hands out the state and request data.
pub(crate) fn enter<'a>(ctx: &Context<'a>) -> (&'a State, &'a RequestMeta) {
    let state = ctx.data_unchecked::<Arc<State>>();
    let meta = ctx.data_unchecked::<RequestMeta>();
    state.count(ctx.field().name());
    (state, meta)
}

/// Requires a valid management token, else Authing code 2020.
pub(crate) fn require_management(state: &State, meta: &RequestMeta) -> Result<Claims, ApiError> {
    let token = meta.token.as_deref().ok_or(ApiError::new(Code::NotLoggedIn))?;
    tokens::verify_management(state, token).map_err(|_| ApiError::new(Code::NotLoggedIn))
}

/// Rewrites async-graphql's error into Authing's: `message` becomes `{code, message[, data]}`.
///
/// Resolver refusals keep their Authing code. Every other error comes from the request itself (parse
/// errors, validation errors such as unknown fields, missing or ill-typed variables) and gets code 400;
/// resolvers report their own failures as an `ApiError`.
fn authing_error(err: &ServerError, lang: Lang) -> Value {
    let message = match err.source::<ApiError>() {
        Some(api) => api.to_object(lang),
        None => json!({ "code": Code::BadRequest.number(), "message": err.message }),
    };
    let mut extensions = err
        .extensions
        .as_ref()
        .and_then(|e| serde_json::to_value(e).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    extensions["code"] = message["code"].clone();
    let mut out = json!({
        "message": message,
        "locations": err.locations,
        "extensions": extensions,
    });
    if !err.path.is_empty() {
        out["path"] = serde_json::to_value(&err.path).unwrap_or(Value::Null);
    }
    out
}

/// Reads the whole body, up to `max` bytes.
async fn read_body(mut body: Body, max: usize) -> Result<Vec<u8>, Code> {
    let mut buf = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| Code::BadRequest)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen > max {
            buf = Vec::new();
            if seen > MAX_DRAIN.max(max) {
                break;
            }
        } else {
            buf.extend_from_slice(&data);
        }
    }
    if seen > max { Err(Code::PayloadTooLarge) } else { Ok(buf) }
}

/// `POST /graphql/v2`.
async fn handler(
    AxState(GraphqlState { schema, limits }): AxState<GraphqlState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let lang = crate::http::lang(&headers);
    let max = limits.max_body_size;
    let too_long = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|n| n > MAX_DRAIN.max(max));
    let bytes = if too_long { Err(Code::PayloadTooLarge) } else { read_body(body, max).await };
    let bytes = match bytes {
        Ok(b) => b,
        Err(Code::PayloadTooLarge) => {
            let err = ApiError::with_message(
                Code::PayloadTooLarge,
                format!("请求体过大，最多 {max} 字节"),
                format!("Request body too large: at most {max} bytes"),
            );
            return graphql_error(StatusCode::OK, &err, lang);
        }
        Err(code) => return graphql_error(StatusCode::OK, &ApiError::new(code), lang),
    };
    let request: async_graphql::Request = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => {
            tracing::debug!(error = %e, "GraphQL body refused");
            let err = ApiError::with_message(
                Code::BadRequest,
                format!("请求体不是合法的 GraphQL 请求: {e}"),
                format!("The body is not a GraphQL request: {e}"),
            );
            return graphql_error(StatusCode::OK, &err, lang);
        }
    };
    let token =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(tokens::bearer).map(str::to_owned);
    let app_id = auth::app_id_header(&headers);
    let meta = RequestMeta { token, lang, app_id, headers, peer, origin: OnceLock::new() };
    let response = match limits::check(request, &limits) {
        Ok(request) => schema.execute(request.data(meta)).await,
        Err(refusal) => async_graphql::Response::from_errors(vec![refusal]),
    };
    if !response.errors.is_empty() {
        tracing::debug!(errors = response.errors.len(), "GraphQL errors");
    }
    let answer =
        Answer { data: &response.data, errors: response.errors.iter().map(|e| authing_error(e, lang)).collect() };
    (StatusCode::OK, axum::Json(answer)).into_response()
}

/// The body of a GraphQL answer: `data`, then `errors` unless there are none.
#[derive(serde::Serialize)]
struct Answer<'a> {
    data: &'a async_graphql::Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<Value>,
}

/// Any other method on `/graphql/v2`: code 405, with HTTP 200 like every GraphQL error.
async fn method_not_allowed(headers: HeaderMap) -> Response {
    graphql_error(StatusCode::OK, &ApiError::new(Code::MethodNotAllowed), crate::http::lang(&headers))
}
