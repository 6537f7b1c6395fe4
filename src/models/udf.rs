//! Custom data: user-defined fields (UDF) and their typed values (UDV).

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this version of the crate does not know.
            Unknown(String),
        }

        impl $name {
            /// The name Authing uses for it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(other) => other,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from(text.as_ref()))
            }
        }
    };
}
pub(crate) use wire_enum;

wire_enum!(
    /// What a custom field belongs to.
    UdfTargetType {
        /// An organization node.
        Node = "NODE",
        /// An organization.
        Org = "ORG",
        /// A user.
        User = "USER",
        /// The user pool.
        Userpool = "USERPOOL",
        /// A role.
        Role = "ROLE",
        /// A permission.
        Permission = "PERMISSION",
        /// An application.
        Application = "APPLICATION",
    }
);

wire_enum!(
    /// The type of a custom field's values.
    UdfDataType {
        /// Text.
        String = "STRING",
        /// A number.
        Number = "NUMBER",
        /// A date-time: an ISO-8601 text or Unix milliseconds.
        Datetime = "DATETIME",
        /// true or false.
        Boolean = "BOOLEAN",
        /// Any JSON value.
        Object = "OBJECT",
    }
);

/// The definition of a custom field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserDefinedField {
    /// What the field belongs to.
    pub target_type: UdfTargetType,
    /// The type of its values.
    pub data_type: UdfDataType,
    /// Its key.
    pub key: String,
    /// Its label for humans.
    pub label: Option<String>,
    /// Free-form options (a JSON text), if any.
    pub options: Option<String>,
}

/// A custom data value, typed by its field's data type.
///
/// Values travel JSON-encoded and come back as text; the SDK converts both ways, so what you set is what you get.
///
/// ```
/// use authing::models::UdfValue;
///
/// assert_eq!(UdfValue::from("ucla"), UdfValue::String("ucla".into()));
/// assert_eq!(UdfValue::from(18).as_i64(), Some(18));
/// assert_eq!(UdfValue::from(true), UdfValue::Boolean(true));
/// assert_eq!(UdfValue::datetime_millis(1715239773186).as_str(), Some("1715239773186"));
/// let object = UdfValue::Object(serde_json::json!({ "school": "ucla" }));
/// # let _ = object;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum UdfValue {
    /// A `STRING` value.
    String(String),
    /// A `NUMBER` value, kept exactly as Authing wrote it.
    Number(serde_json::Number),
    /// A `BOOLEAN` value.
    Boolean(bool),
    /// A `DATETIME` value: exactly what was stored, an ISO-8601 text or the digits of Unix milliseconds.
    Datetime(String),
    /// An `OBJECT` value: free-form JSON.
    Object(serde_json::Value),
}

impl UdfValue {
    /// A `DATETIME` value from an ISO-8601 text (`2024-05-09T07:29:33.186123`).
    pub fn datetime(iso: impl Into<String>) -> Self {
        UdfValue::Datetime(iso.into())
    }

    /// A `DATETIME` value from Unix milliseconds.
    pub fn datetime_millis(millis: i64) -> Self {
        UdfValue::Datetime(millis.to_string())
    }

    /// The data type this value has.
    pub fn data_type(&self) -> UdfDataType {
        match self {
            UdfValue::String(_) => UdfDataType::String,
            UdfValue::Number(_) => UdfDataType::Number,
            UdfValue::Boolean(_) => UdfDataType::Boolean,
            UdfValue::Datetime(_) => UdfDataType::Datetime,
            UdfValue::Object(_) => UdfDataType::Object,
        }
    }

    /// The text of a `STRING` or `DATETIME` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            UdfValue::String(s) | UdfValue::Datetime(s) => Some(s),
            _ => None,
        }
    }

    /// A `NUMBER` value that is an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            UdfValue::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// A `NUMBER` value as a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            UdfValue::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// A `BOOLEAN` value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            UdfValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    /// The milliseconds of a `DATETIME` value stored as Unix milliseconds.
    pub fn as_millis(&self) -> Option<i64> {
        match self {
            UdfValue::Datetime(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// The value as the raw JSON value Authing stores (used in `params` at creation).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            UdfValue::String(s) => serde_json::Value::String(s.clone()),
            UdfValue::Number(n) => serde_json::Value::Number(n.clone()),
            UdfValue::Boolean(b) => serde_json::Value::Bool(*b),
            UdfValue::Datetime(s) => match s.parse::<i64>() {
                Ok(millis) => serde_json::Value::from(millis),
                Err(_) => serde_json::Value::String(s.clone()),
            },
            UdfValue::Object(v) => v.clone(),
        }
    }

    /// The value JSON-encoded, as `setUdv` and its batch forms expect it.
    pub(crate) fn to_wire(&self) -> String {
        self.to_json().to_string()
    }

    /// Converts a returned value by its field's data type. A value that does not parse as its type is kept as
    /// text rather than lost.
    pub(crate) fn from_wire(data_type: &UdfDataType, value: &str) -> Self {
        let json = || serde_json::from_str::<serde_json::Value>(value).ok();
        match data_type {
            UdfDataType::Number => match json() {
                Some(serde_json::Value::Number(n)) => UdfValue::Number(n),
                _ => UdfValue::String(value.to_owned()),
            },
            UdfDataType::Boolean => match value.trim() {
                "true" => UdfValue::Boolean(true),
                "false" => UdfValue::Boolean(false),
                _ => UdfValue::String(value.to_owned()),
            },
            UdfDataType::Datetime => UdfValue::Datetime(value.to_owned()),
            UdfDataType::Object => json().map_or_else(|| UdfValue::String(value.to_owned()), UdfValue::Object),
            UdfDataType::String | UdfDataType::Unknown(_) => UdfValue::String(value.to_owned()),
        }
    }
}

impl From<&str> for UdfValue {
    fn from(value: &str) -> Self {
        UdfValue::String(value.to_owned())
    }
}

impl From<String> for UdfValue {
    fn from(value: String) -> Self {
        UdfValue::String(value)
    }
}

impl From<bool> for UdfValue {
    fn from(value: bool) -> Self {
        UdfValue::Boolean(value)
    }
}

impl From<serde_json::Number> for UdfValue {
    fn from(value: serde_json::Number) -> Self {
        UdfValue::Number(value)
    }
}

macro_rules! number_from {
    ($($t:ty),+) => {$(
        impl From<$t> for UdfValue {
            fn from(value: $t) -> Self {
                UdfValue::Number(serde_json::Number::from(value))
            }
        }
    )+};
}
number_from!(i32, i64, u32, u64);

impl TryFrom<f64> for UdfValue {
    type Error = f64;

    /// A `NUMBER` from a finite float; NaN and infinities are given back.
    fn try_from(value: f64) -> Result<Self, f64> {
        serde_json::Number::from_f64(value).map(UdfValue::Number).ok_or(value)
    }
}

/// Custom data of one target: key → typed value.
pub type CustomData = BTreeMap<String, UdfValue>;

/// Custom data as the `params` argument of user creation, registration and login take it: a JSON text of
/// `[{key, value}]` with raw values; `None` when there is none.
pub(crate) fn custom_data_params(custom_data: &CustomData) -> Option<String> {
    #[derive(serde::Serialize)]
    struct Param<'p> {
        key: &'p str,
        value: serde_json::Value,
    }
    if custom_data.is_empty() {
        return None;
    }
    let list: Vec<Param<'_>> = custom_data.iter().map(|(key, value)| Param { key, value: value.to_json() }).collect();
    serde_json::to_string(&list).ok()
}

/// One custom data value with its field's description, as the `udv` calls return it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UdfEntry {
    /// The field's key.
    pub key: String,
    /// The field's data type.
    pub data_type: UdfDataType,
    /// The field's label.
    pub label: Option<String>,
    /// The value, converted by the data type.
    pub value: UdfValue,
}

/// The wire form of `UserDefinedData` and `UserCustomData`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireEntry {
    key: String,
    data_type: UdfDataType,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    label: Option<String>,
}

impl<'de> Deserialize<'de> for UdfEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireEntry::deserialize(deserializer)?;
        let value = UdfValue::from_wire(&wire.data_type, wire.value.as_deref().unwrap_or_default());
        Ok(UdfEntry { key: wire.key, data_type: wire.data_type, label: wire.label, value })
    }
}

/// Turns a list of entries into key → value. Entries without a value are left out.
pub(crate) fn custom_data_from_entries(entries: Vec<UdfEntry>) -> CustomData {
    entries.into_iter().map(|e| (e.key, e.value)).collect()
}

/// `User.customData`: a list of `{key, value, dataType, label}` on the wire, a map here; null stays `None`.
pub(crate) fn deserialize_custom_data<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<CustomData>, D::Error> {
    let entries = Option::<Vec<Option<WireEntry>>>::deserialize(deserializer)?;
    Ok(entries.map(|entries| {
        entries
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let value = e.value?;
                Some((e.key, UdfValue::from_wire(&e.data_type, &value)))
            })
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_json_encoded_on_the_wire() {
        assert_eq!(UdfValue::from("ucla").to_wire(), r#""ucla""#);
        assert_eq!(UdfValue::from(10).to_wire(), "10");
        assert_eq!(UdfValue::from(false).to_wire(), "false");
        assert_eq!(UdfValue::datetime("2024-05-09T07:29:33.186123").to_wire(), r#""2024-05-09T07:29:33.186123""#);
        assert_eq!(UdfValue::datetime_millis(1715239773186).to_wire(), "1715239773186");
        assert_eq!(UdfValue::Object(json!({"a": [1, 2]})).to_wire(), r#"{"a":[1,2]}"#);
    }

    #[test]
    fn returned_values_convert_by_data_type() {
        use UdfDataType as T;
        assert_eq!(UdfValue::from_wire(&T::String, "ucla"), UdfValue::from("ucla"));
        assert_eq!(UdfValue::from_wire(&T::Number, "18.5"), UdfValue::try_from(18.5).unwrap());
        assert_eq!(UdfValue::from_wire(&T::Boolean, "true"), UdfValue::Boolean(true));
        assert_eq!(UdfValue::from_wire(&T::Datetime, "1715239773186").as_millis(), Some(1715239773186));
        assert_eq!(UdfValue::from_wire(&T::Object, r#"{"a":1}"#), UdfValue::Object(json!({"a": 1})));
        assert_eq!(UdfValue::from_wire(&T::Number, "oops"), UdfValue::from("oops"), "kept, not lost");
        assert_eq!(UdfDataType::from("GEO"), UdfDataType::Unknown("GEO".into()));
    }

    #[test]
    fn custom_data_lists_become_maps() {
        #[derive(Deserialize)]
        struct Holder {
            #[serde(deserialize_with = "deserialize_custom_data", default)]
            custom_data: Option<CustomData>,
        }
        let holder: Holder = serde_json::from_value(json!({ "custom_data": [
            { "key": "age", "dataType": "NUMBER", "value": "18", "label": "Age" },
            { "key": "unset", "dataType": "STRING", "value": null },
            null
        ]}))
        .unwrap();
        let data = holder.custom_data.unwrap();
        assert_eq!(data.len(), 1);
        assert_eq!(data["age"].as_i64(), Some(18));
        let holder: Holder = serde_json::from_value(json!({ "custom_data": null })).unwrap();
        assert!(holder.custom_data.is_none());
    }
}
