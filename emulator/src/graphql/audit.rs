//! Records every management mutation in the audit log ([`crate::store::audit`]), in one place: an extension
//! that sees each root field of `Mutation` resolve, with its arguments and its result. A mutation counts as
//! an administrator's when the request carries a valid management token; end-user mutations (registration,
//! login, profile) are not audited.

use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextResolve, ResolveInfo,
};
use async_graphql::{Request, ServerResult, Value, Variables};

use super::RequestMeta;
use crate::store::audit::AuditEntry;
use crate::store::error::ApiError;
use crate::store::state::State;
use crate::store::tokens;

/// The arguments that name what a mutation acts on, in the order they are looked for.
const TARGET_ARGUMENTS: [&str; 10] =
    ["id", "userId", "code", "key", "userIds", "ids", "codeList", "codes", "list", "namespace"];

/// The extension's factory, installed on the schema.
pub(crate) struct Audit;

impl ExtensionFactory for Audit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AuditExtension { variables: Mutex::new(Variables::default()) })
    }
}

/// One request's extension: it keeps the request's variables to read the arguments with.
struct AuditExtension {
    variables: Mutex<Variables>,
}

/// The name an operation has in the audit log: Authing's event names where they differ from the field.
fn event_type(field: &str) -> String {
    match field {
        "updateUserpool" => "userpool:UpdateConfig".to_owned(),
        other => other.to_owned(),
    }
}

/// The argument's value as text: a string as is, a list of strings joined with commas.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().filter_map(text).collect();
            (!parts.is_empty()).then(|| parts.join(","))
        }
        _ => None,
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for AuditExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        // Only a document with a mutation can need them; queries skip the copy.
        if request.query.contains("mutation") {
            *self.variables.lock().unwrap_or_else(PoisonError::into_inner) = request.variables.clone();
        }
        next.run(ctx, request).await
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.parent_type != "Mutation" || info.path_node.parent.is_some() {
            return next.run(ctx, info).await;
        }
        let (Some(state), Some(meta)) = (ctx.data_opt::<Arc<State>>(), ctx.data_opt::<RequestMeta>()) else {
            return next.run(ctx, info).await;
        };
        let Some(admin) = meta.token.as_deref().and_then(|t| tokens::verify_management(state, t).ok()) else {
            return next.run(ctx, info).await;
        };
        let target = {
            let variables = self.variables.lock().unwrap_or_else(PoisonError::into_inner);
            TARGET_ARGUMENTS.iter().find_map(|name| {
                let value = info.field.get_argument(name)?.node.clone();
                let value = value.into_const_with(|var| variables.get(&var).cloned().ok_or(())).ok()?;
                text(&value)
            })
        };
        let event = event_type(info.name);
        let result = next.run(ctx, info).await;
        let outcome = match &result {
            Ok(_) => (200, String::new()),
            Err(e) => match e.source::<ApiError>() {
                Some(api) => (api.code.number(), api.message(meta.lang)),
                None => (400, e.message.clone()),
            },
        };
        let entry = AuditEntry::new(&state.pool.id, &admin.data.id, event, target, outcome, meta.origin());
        state.audit.record(entry);
        result
    }
}
