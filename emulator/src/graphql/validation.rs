//! Full validation once per document.
//!
//! async-graphql validates every request in full before executing it; for a `users` document of some sixty fields
//! that was half of the call's CPU time. Almost all of the rules depend on the document alone, so a document that
//! passed once passes them again. What depends on the request is whether its variables fit the types they are used
//! at; the document-level rules already make each variable's declared type fit where it is used, so it is enough
//! to check the values against the declared types ([`InputTypes`]): scalars, enums, lists, input objects with no
//! unknown and no missing fields. A request takes the [`Schemas::known_valid`] schema, which skips the rules, only
//! when its document passed full validation before and its variables pass that check. Every other request is
//! validated in full, as before, and gets the same answer as before.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Type, TypeKind, TypeSystemDefinition, VariableDefinition,
};
use async_graphql::{
    CacheControl, EmptySubscription, Schema, ServerError, ValidationMode, ValidationResult, Value, Variables,
};

use super::{AppSchema, Mutation, Query};
use crate::state::State;

/// The schema, twice over one emulator's state: validating everything, and validating only what does not depend
/// on the document (for documents that passed full validation, see the module's documentation).
pub(crate) struct Schemas {
    pub(crate) full: AppSchema,
    pub(crate) known_valid: AppSchema,
    inputs: InputTypes,
}

impl Schemas {
    pub(crate) fn new(state: Arc<State>) -> Self {
        // No extension with per-field hooks: `user_node` resolves users without them.
        let build = || Schema::build(Query::default(), Mutation::default(), EmptySubscription).data(state.clone());
        let full = build().finish();
        let inputs = InputTypes::from_sdl(&full.sdl());
        let known_valid = build().validation_mode(ValidationMode::Fast).extension(Validated).finish();
        Schemas { full, known_valid, inputs }
    }

    /// Whether the variables of a request fit their declared types in `document`: then, if the document passed
    /// full validation before, the request may take `known_valid`.
    pub(crate) fn variables_fit(&self, document: &ExecutableDocument, variables: &Variables) -> bool {
        document.operations.iter().all(|(_, operation)| {
            operation.node.variable_definitions.iter().all(|definition| self.inputs.fit(&definition.node, variables))
        })
    }
}

/// The one extension of the `known_valid` schema: it skips what async-graphql still checks in
/// `ValidationMode::Fast`. Those are two document rules (fragment cycles, uploads), which the full validation the
/// document passed covers, and the complexity, depth and cache-control figures, which this server neither limits nor
/// reports. Walking the document for them cost about as much as writing a page of ten users. It has no per-field
/// hooks, so `user_node` skipping those skips nothing.
struct Validated;

impl ExtensionFactory for Validated {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Validated)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Validated {
    async fn validation(
        &self,
        _ctx: &ExtensionContext<'_>,
        _next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        Ok(ValidationResult { cache_control: CacheControl::default(), complexity: 0, depth: 0 })
    }
}

/// The input types of the schema: each enum's values, each input object's fields with their types and whether
/// they have a default.
struct InputTypes {
    enums: HashMap<String, HashSet<String>>,
    objects: HashMap<String, HashMap<String, (Type, bool)>>,
}

impl InputTypes {
    fn from_sdl(sdl: &str) -> Self {
        let document = async_graphql::parser::parse_schema(sdl).expect("the emulator's own schema parses");
        let (mut enums, mut objects) = (HashMap::new(), HashMap::new());
        for definition in document.definitions {
            let TypeSystemDefinition::Type(definition) = definition else { continue };
            let name = definition.node.name.node.to_string();
            match &definition.node.kind {
                TypeKind::Enum(kind) => {
                    enums.insert(name, kind.values.iter().map(|v| v.node.value.node.to_string()).collect());
                }
                TypeKind::InputObject(kind) => {
                    let fields = kind.fields.iter().map(|field| {
                        let field = &field.node;
                        (field.name.node.to_string(), (field.ty.node.clone(), field.default_value.is_some()))
                    });
                    objects.insert(name, fields.collect());
                }
                _ => {}
            }
        }
        InputTypes { enums, objects }
    }

    /// Whether the request's value for `variable` fits its declared type. A null given for a variable with a
    /// default does not count as fitting: where it is used decides, which only full validation sees.
    fn fit(&self, variable: &VariableDefinition, variables: &Variables) -> bool {
        let declared = &variable.var_type.node;
        match variables.get(&variable.name.node) {
            None => variable.default_value.is_some() || declared.nullable,
            Some(Value::Null) if variable.default_value.is_some() => false,
            Some(value) => self.accepts(declared, value),
        }
    }

    fn accepts(&self, ty: &Type, value: &Value) -> bool {
        if matches!(value, Value::Null) {
            return ty.nullable;
        }
        match (&ty.base, value) {
            (BaseType::List(item_type), Value::List(items)) => items.iter().all(|item| self.accepts(item_type, item)),
            // A single value stands for a list of one.
            (BaseType::List(item_type), value) => self.accepts(item_type, value),
            (BaseType::Named(name), value) => self.accepts_named(name, value),
        }
    }

    fn accepts_named(&self, name: &str, value: &Value) -> bool {
        match (name, value) {
            ("String", Value::String(_)) | ("Boolean", Value::Boolean(_)) | ("Float", Value::Number(_)) => true,
            ("Int", Value::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            ("ID", Value::String(_)) => true,
            ("ID", Value::Number(n)) => n.is_i64() || n.is_u64(),
            ("String" | "Boolean" | "Float" | "Int" | "ID", _) => false,
            _ => {
                if let Some(values) = self.enums.get(name) {
                    return matches!(value, Value::String(v) if values.contains(v.as_str()));
                }
                let Some(fields) = self.objects.get(name) else {
                    return true; // a custom scalar (`Object`) takes any value
                };
                let Value::Object(given) = value else { return false };
                given.keys().all(|key| fields.contains_key(key.as_str()))
                    && fields.iter().all(|(field, (ty, has_default))| match given.get(field.as_str()) {
                        Some(value) => self.accepts(ty, value),
                        None => ty.nullable || *has_default,
                    })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn types() -> InputTypes {
        InputTypes::from_sdl(
            "input Outer { name: String inner: Inner list: [Inner!] count: Int = 1 } input Inner { code: String! kind: Kind } \
             enum Kind { A B } scalar Object type Query { a(o: Outer): Int }",
        )
    }

    fn fits(ty: &str, default: &str, value: Option<serde_json::Value>) -> bool {
        let document = async_graphql::parser::parse_query(format!("query q($v: {ty}{default}) {{ a }}")).unwrap();
        let (_, operation) = document.operations.iter().next().unwrap();
        let variables = Variables::from_json(value.map_or_else(|| json!({}), |value| json!({ "v": value })));
        types().fit(&operation.node.variable_definitions[0].node, &variables)
    }

    #[test]
    fn input_objects_fit_with_their_declared_fields_only() {
        assert!(fits("Outer", "", Some(json!({ "name": "a", "inner": { "code": "x", "kind": "A" } }))));
        assert!(fits("Outer", "", Some(json!({ "list": [{ "code": "x" }] }))));
        assert!(fits("Outer", "", Some(json!({ "list": { "code": "x" } }))), "one value stands for a list of one");
        assert!(!fits("Outer", "", Some(json!({ "city": "Paris" }))), "unknown field");
        assert!(!fits("Outer", "", Some(json!({ "inner": { "code": "x", "extra": 1 } }))), "unknown nested field");
        assert!(!fits("Outer", "", Some(json!({ "inner": {} }))), "missing non-null field");
        assert!(!fits("Outer", "", Some(json!({ "inner": { "code": null } }))), "null for a non-null field");
        assert!(!fits("Outer", "", Some(json!({ "inner": { "code": "x", "kind": "C" } }))), "unknown enum value");
        assert!(!fits("Outer", "", Some(json!({ "list": [{ "code": "x" }, null] }))), "null item of [Inner!]");
        assert!(!fits("Outer", "", Some(json!({ "count": 1.5 }))));
        assert!(!fits("Outer", "", Some(json!("text"))));
    }

    #[test]
    fn scalars_and_nullability_follow_the_declared_type() {
        assert!(fits("String", "", None) && fits("String", "", Some(json!(null))));
        assert!(!fits("String!", "", None) && !fits("String!", "", Some(json!(null))));
        assert!(fits("String!", " = \"d\"", None), "a default stands in for an absent value");
        assert!(!fits("String", " = \"d\"", Some(json!(null))), "null against a default: full validation decides");
        assert!(fits("Int", "", Some(json!(7))) && !fits("Int", "", Some(json!(1u64 << 40))));
        assert!(!fits("Int", "", Some(json!("7"))) && !fits("Boolean", "", Some(json!("true"))));
        assert!(
            fits("Float", "", Some(json!(7))) && fits("ID", "", Some(json!(7))) && fits("ID", "", Some(json!("7")))
        );
        assert!(fits("[String!]", "", Some(json!(["a", "b"]))) && !fits("[String!]", "", Some(json!(["a", 1]))));
        assert!(fits("Object", "", Some(json!({ "any": ["thing"] }))), "a custom scalar takes anything");
        assert!(fits("Kind", "", Some(json!("B"))) && !fits("Kind", "", Some(json!("b"))));
    }
}
