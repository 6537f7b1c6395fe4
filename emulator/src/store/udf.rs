//! User-defined fields (UDF) and their values (UDV).
//!
//! A field is defined per target type (`USER`, `ROLE`, ...) with a key, a data type and a label; values
//! are kept per target, keyed by `(targetType, targetId)`, in the order they were first set.
//!
//! Values arrive JSON-encoded (`"\"ucla\""`, `"10"`, `"false"`, `"{\"a\":1}"`). They are decoded,
//! checked against the field's data type and kept as the text that is served back:
//!
//! | data type | accepted (decoded) | served |
//! |---|---|---|
//! | STRING | a JSON string; or any text that is not JSON at all, taken as is | the text |
//! | NUMBER | a JSON number | the number's JSON text |
//! | BOOLEAN | `true` or `false` | `true` / `false` |
//! | DATETIME | a JSON string holding an ISO-8601 date or date-time, or an integer (milliseconds) | exactly the string, or the digits |
//! | OBJECT | a JSON object or array | its JSON text |
//!
//! Anything else is refused with code 400, and so is a value for a key that is not defined (400, message
//! "自定义字段 KEY 未定义" / "The custom field KEY is not defined").

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::store::common::is_iso_datetime;
use crate::store::error::{ApiError, Code};

/// `UDFTargetType` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum TargetType {
    Node,
    Org,
    User,
    Userpool,
    Role,
    Permission,
    Application,
}

/// `UDFDataType` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum DataType {
    String,
    Number,
    Datetime,
    Boolean,
    Object,
}

/// A field definition.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) target_type: TargetType,
    pub(crate) key: String,
    pub(crate) data_type: DataType,
    pub(crate) label: String,
    pub(crate) options: Option<String>,
}

/// A value of a target, with its field's definition: what `udv` and `User.customData` list.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) data_type: DataType,
    pub(crate) label: Option<String>,
}

/// All fields and values of the pool.
#[derive(Default)]
pub(crate) struct UdfStore {
    pub(crate) fields: Vec<Field>,
    pub(crate) values: HashMap<(TargetType, String), Vec<(String, String)>>,
}

impl UdfStore {
    /// The fields of a target type, in definition order.
    pub(crate) fn fields(&self, target_type: TargetType) -> Vec<Field> {
        self.fields.iter().filter(|f| f.target_type == target_type).cloned().collect()
    }

    pub(crate) fn field(&self, target_type: TargetType, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.target_type == target_type && f.key == key)
    }

    /// Creates or replaces a field definition; existing values stay.
    pub(crate) fn set_field(&mut self, field: Field) -> Field {
        match self.fields.iter_mut().find(|f| f.target_type == field.target_type && f.key == field.key) {
            Some(slot) => *slot = field.clone(),
            None => self.fields.push(field.clone()),
        }
        field
    }

    /// Deletes a field definition and every value of it.
    pub(crate) fn remove_field(&mut self, target_type: TargetType, key: &str) {
        self.fields.retain(|f| !(f.target_type == target_type && f.key == key));
        for ((t, _), values) in &mut self.values {
            if *t == target_type {
                values.retain(|(k, _)| k != key);
            }
        }
    }

    /// The values of a target, with their definitions; `[]` for an unknown target.
    pub(crate) fn entries(&self, target_type: TargetType, target_id: &str) -> Vec<Entry> {
        let Some(values) = self.values.get(&(target_type, target_id.to_owned())) else {
            return Vec::new();
        };
        values
            .iter()
            .filter_map(|(key, value)| {
                let field = self.field(target_type, key)?;
                Some(Entry {
                    key: key.clone(),
                    value: value.clone(),
                    data_type: field.data_type,
                    label: Some(field.label.clone()),
                })
            })
            .collect()
    }

    /// Checks a JSON-encoded value for a field; returns the text to store.
    pub(crate) fn check_encoded(&self, target_type: TargetType, key: &str, encoded: &str) -> Result<String, ApiError> {
        let field = self.defined(target_type, key)?;
        match serde_json::from_str::<Value>(encoded) {
            Ok(value) => check_value(field, &value),
            Err(_) if field.data_type == DataType::String => Ok(encoded.to_owned()),
            Err(_) => Err(wrong_type(field)),
        }
    }

    /// Checks a decoded value (the raw values of `params`); returns the text to store.
    pub(crate) fn check_raw(&self, target_type: TargetType, key: &str, value: &Value) -> Result<String, ApiError> {
        check_value(self.defined(target_type, key)?, value)
    }

    fn defined(&self, target_type: TargetType, key: &str) -> Result<&Field, ApiError> {
        self.field(target_type, key).ok_or_else(|| {
            ApiError::with_message(
                Code::BadRequest,
                format!("自定义字段 {key} 未定义"),
                format!("The custom field {key} is not defined"),
            )
        })
    }

    /// Stores an already checked value.
    pub(crate) fn put(&mut self, target_type: TargetType, target_id: &str, key: &str, text: String) {
        let values = self.values.entry((target_type, target_id.to_owned())).or_default();
        match values.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = text,
            None => values.push((key.to_owned(), text)),
        }
    }

    /// Removes every value of a target (a deleted role's, for instance).
    pub(crate) fn remove_target(&mut self, target_type: TargetType, target_id: &str) {
        self.values.remove(&(target_type, target_id.to_owned()));
    }

    /// Removes one value of a target (nothing happens when it is not set).
    pub(crate) fn remove(&mut self, target_type: TargetType, target_id: &str, key: &str) {
        if let Some(values) = self.values.get_mut(&(target_type, target_id.to_owned())) {
            values.retain(|(k, _)| k != key);
        }
    }
}

fn wrong_type(field: &Field) -> ApiError {
    let ty = serde_json::to_value(field.data_type).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    ApiError::with_message(
        Code::BadRequest,
        format!("自定义字段 {} 的值类型错误，应为 {ty}", field.key),
        format!("Wrong value type for the custom field {}: expected {ty}", field.key),
    )
}

/// Checks a decoded value against the field's type; returns the text to serve.
fn check_value(field: &Field, value: &Value) -> Result<String, ApiError> {
    let text = match (field.data_type, value) {
        (DataType::String, Value::String(s)) => Some(s.clone()),
        (DataType::Number, Value::Number(n)) => Some(n.to_string()),
        (DataType::Boolean, Value::Bool(b)) => Some(b.to_string()),
        (DataType::Datetime, Value::String(s)) if is_iso_datetime(s) => Some(s.clone()),
        (DataType::Datetime, Value::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        (DataType::Object, Value::Object(_) | Value::Array(_)) => Some(value.to_string()),
        _ => None,
    };
    text.ok_or_else(|| wrong_type(field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> UdfStore {
        let mut s = UdfStore::default();
        for (key, data_type) in [
            ("s", DataType::String),
            ("n", DataType::Number),
            ("b", DataType::Boolean),
            ("d", DataType::Datetime),
            ("o", DataType::Object),
        ] {
            s.set_field(Field {
                target_type: TargetType::User,
                key: key.into(),
                data_type,
                label: key.to_uppercase(),
                options: None,
            });
        }
        s
    }

    #[test]
    fn values_round_trip() {
        let s = store();
        let ok = |k: &str, v: &str| s.check_encoded(TargetType::User, k, v).unwrap();
        assert_eq!(ok("s", r#""ucla""#), "ucla");
        assert_eq!(ok("s", "plain text"), "plain text");
        assert_eq!(ok("n", "10"), "10");
        assert_eq!(ok("n", "1.5"), "1.5");
        assert_eq!(ok("b", "false"), "false");
        assert_eq!(ok("d", r#""2024-05-09T07:29:33.186123""#), "2024-05-09T07:29:33.186123");
        assert_eq!(ok("d", "1715239773186"), "1715239773186");
        assert_eq!(ok("o", r#"{"a":1}"#), r#"{"a":1}"#);
    }

    #[test]
    fn wrong_types_are_refused() {
        let s = store();
        for (k, v) in
            [("s", "10"), ("n", r#""18""#), ("b", "ok"), ("b", r#""true""#), ("d", r#""yesterday""#), ("o", "1")]
        {
            let e = s.check_encoded(TargetType::User, k, v).unwrap_err();
            assert_eq!(e.code, Code::BadRequest, "{k} {v}");
        }
        assert!(s.check_encoded(TargetType::Role, "s", "1").is_err());
        assert!(s.check_encoded(TargetType::User, "nope", "1").is_err());
    }
}
