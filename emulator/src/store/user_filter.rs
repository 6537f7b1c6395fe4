//! The conditions of `POST /api/v2/users/filter`: each `[{type, value}, OP, operand]`, all of them must hold.
//!
//! * `{type: "userDefinedFields", value: KEY}`: the user's custom data value of KEY (as served, text) compared
//!   with the operand (a string as is, any other JSON value as its JSON text); a user without a value is not
//!   equal to anything;
//! * `{type: "OtherFields", value: "app"}` with the operand `{id}`: the users who may use that application
//!   (`EQ`) or may not (`NEQ`);
//! * `{type: "baseFields" | "BaseFields", value: FIELD}`: a profile field (`username`, `email`, `phone`,
//!   `nickname`, `name` …) compared with the operand text.
//!
//! `OP` is `EQ` or `NEQ`. Anything else gives 400.

use serde_json::Value;

use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::udf::TargetType;
use crate::store::users::User;

/// One parsed condition.
pub(crate) struct Condition {
    field: Field,
    equal: bool,
    operand: Value,
}

enum Field {
    Custom(String),
    Application,
    Base(String),
}

fn bad(detail: &str) -> ApiError {
    ApiError::with_message(
        Code::BadRequest,
        format!("filter 条件无效: {detail}"),
        format!("Invalid filter condition: {detail}"),
    )
}

/// Parses `filter`: one condition, or a list of them; null or absent is none.
pub(crate) fn parse(filter: Option<&Value>) -> Result<Vec<Condition>, ApiError> {
    let items = match filter {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) if items.first().is_some_and(Value::is_object) => vec![Value::Array(items.clone())],
        Some(Value::Array(items)) => items.clone(),
        Some(_) => return Err(bad("filter must be a list")),
    };
    items.iter().map(condition).collect()
}

fn condition(item: &Value) -> Result<Condition, ApiError> {
    let [field, op, operand] = item.as_array().map(Vec::as_slice).unwrap_or_default() else {
        return Err(bad("each condition is [{type, value}, OP, operand]"));
    };
    let kind = field.get("type").and_then(Value::as_str).unwrap_or_default();
    let value = field.get("value").and_then(Value::as_str).unwrap_or_default().to_owned();
    let field = match kind {
        "userDefinedFields" if !value.is_empty() => Field::Custom(value),
        "OtherFields" if value == "app" => Field::Application,
        "baseFields" | "BaseFields" if !value.is_empty() => Field::Base(value),
        _ => return Err(bad(&format!("unknown field {kind}/{value}"))),
    };
    let equal = match op.as_str() {
        Some("EQ") => true,
        Some("NEQ") => false,
        _ => return Err(bad("OP must be EQ or NEQ")),
    };
    Ok(Condition { field, equal, operand: operand.clone() })
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Condition {
    fn holds(&self, state: &State, user: &User) -> bool {
        let same = match &self.field {
            Field::Custom(key) => {
                let entries = state.udf_read().entries(TargetType::User, &user.id);
                entries.iter().any(|e| e.key == *key && e.value == text(&self.operand))
            }
            Field::Application => {
                let app = self.operand.get("id").map(text).unwrap_or_default();
                state.may_use_application(&user.id, &app)
            }
            Field::Base(name) => {
                let json = user.to_json();
                json.get(name).is_some_and(|v| !v.is_null() && text(v) == text(&self.operand))
            }
        };
        same == self.equal
    }
}

/// The users that pass every condition, newest first.
pub(crate) fn filter(state: &State, conditions: &[Condition]) -> Vec<User> {
    let users: Vec<User> = state.users_read().all().rev().map(|u| (**u).clone()).collect();
    users.into_iter().filter(|u| conditions.iter().all(|c| c.holds(state, u))).collect()
}
