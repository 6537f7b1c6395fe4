//! The JSON text of a GraphQL answer, written straight from async-graphql's value.
//!
//! serde_json escapes strings one byte at a time and reaches every value through serde's generic machinery; for
//! a page of users, mostly keys and short plain strings, that was about a sixth of the call. Here a string with
//! nothing to escape (no quote, backslash or control character, which is nearly every key and value) is copied
//! as it is, and everything else is handed to serde_json, so the text is the one serde_json would write.
//!
//! A value may also carry text already written as JSON ([`raw`]), which is copied in as it is: `user_node`
//! writes users that way.

use std::sync::LazyLock;

use async_graphql::indexmap::IndexMap;
use async_graphql::{Name, Value};

/// The key of the one-entry object that async-graphql's `raw_value` feature writes as raw JSON.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The key of the one-entry objects made by [`raw`]. They are told apart by this very allocation, not by the
/// text, so that no object from outside (an `Object` scalar holds any JSON) can pass for one.
static RAW_KEY: LazyLock<Name> = LazyLock::new(|| Name::new("$raw JSON text"));

/// A value that [`answer`] writes as `text`, which must be one JSON value.
pub(crate) fn raw(text: String) -> Value {
    Value::Object(IndexMap::from_iter([(RAW_KEY.clone(), Value::String(text))]))
}

fn raw_text(object: &IndexMap<Name, Value>) -> Option<&str> {
    match object.first() {
        Some((key, Value::String(text))) if object.len() == 1 && std::ptr::eq(key.as_str(), RAW_KEY.as_str()) => {
            Some(text)
        }
        _ => None,
    }
}

/// `{"data": data}`, with `"errors": errors` after it unless there are none.
pub(crate) fn answer(data: &Value, errors: &[serde_json::Value]) -> serde_json::Result<Vec<u8>> {
    let mut out = String::with_capacity(4096);
    out.push_str("{\"data\":");
    write_value(&mut out, data)?;
    if !errors.is_empty() {
        out.push_str(",\"errors\":");
        out.push_str(&serde_json::to_string(errors)?);
    }
    out.push('}');
    Ok(out.into_bytes())
}

/// Appends `value` as JSON.
pub(crate) fn write_value(out: &mut String, value: &Value) -> serde_json::Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Boolean(true) => out.push_str("true"),
        Value::Boolean(false) => out.push_str("false"),
        Value::String(text) => write_str(out, text)?,
        Value::Enum(name) => write_str(out, name)?,
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item)?;
            }
            out.push(']');
        }
        Value::Object(object) if let Some(text) = raw_text(object) => out.push_str(text),
        Value::Object(object) if !(object.len() == 1 && object.contains_key(RAW_VALUE_TOKEN)) => {
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, key)?;
                out.push(':');
                write_value(out, item)?;
            }
            out.push('}');
        }
        // Numbers, bytes and raw values: rare, and serde_json's own rules.
        other => out.push_str(&serde_json::to_string(other)?),
    }
    Ok(())
}

/// Appends `text` as a JSON string.
pub(crate) fn write_str(out: &mut String, text: &str) -> serde_json::Result<()> {
    if needs_escape(text.as_bytes()) {
        out.push_str(&serde_json::to_string(text)?);
        return Ok(());
    }
    out.reserve(text.len() + 2);
    out.push('"');
    out.push_str(text);
    out.push('"');
    Ok(())
}

/// Appends a name parsed from a GraphQL document (a field's name or alias) as a JSON string. The grammar makes
/// such names letters, digits and `_`, so there is nothing to escape. (Object keys in general are not names: an
/// `Object` scalar holds any JSON.)
pub(crate) fn write_document_name(out: &mut String, name: &Name) {
    out.push('"');
    out.push_str(name);
    out.push('"');
}

/// Whether serde_json escapes any byte of `bytes`: a quote, a backslash or a control character below 0x20.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // Non-zero when some byte of `word` is below `limit` (at most 0x80).
    let any_below = |word: u64, limit: u8| word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS != 0;
    let any_equal = |word: u64, byte: u8| any_below(word ^ (ONES * u64::from(byte)), 1);
    // Eight bytes at a time: strings here are mostly short and plain.
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_ne_bytes(word);
        if any_below(word, 0x20) || any_equal(word, b'"') || any_equal(word, b'\\') {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

#[cfg(test)]
mod tests {
    use async_graphql::Number;

    use super::*;

    /// What the handler wrote before: serde_json over async-graphql's `Serialize`.
    fn with_serde(data: &Value, errors: &[serde_json::Value]) -> Vec<u8> {
        #[derive(serde::Serialize)]
        struct Answer<'a> {
            data: &'a Value,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            errors: &'a [serde_json::Value],
        }
        serde_json::to_vec(&Answer { data, errors }).unwrap()
    }

    fn object(entries: Vec<(&str, Value)>) -> Value {
        Value::Object(entries.into_iter().map(|(k, v)| (Name::new(k), v)).collect::<IndexMap<_, _>>())
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut texts: Vec<String> = ["", "plain", "é 中 🙂", "quote\"", "back\\slash", "tab\t", "nl\n", "\u{7f}", "/"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        // Every byte value below 0x80 at every position of strings around the chunk size.
        for length in [1, 15, 16, 17, 33] {
            for at in 0..length {
                for byte in 0u8..0x80 {
                    let mut bytes = vec![b'a'; length];
                    bytes[at] = byte;
                    texts.push(String::from_utf8(bytes).unwrap());
                }
            }
        }
        // Bytes from 0x80 up (in multi-byte characters), before, around and after bytes to escape.
        for before in 0..9 {
            for special in ["", "\"", "\\", "\n", "\u{1f}"] {
                texts.push(format!("{}{special}中ÿ🙂", "é".repeat(before)));
            }
        }
        for text in texts {
            let value =
                object(vec![(text.as_str(), Value::String(text.clone())), ("e", Value::Enum(Name::new(&text)))]);
            assert_eq!(answer(&value, &[]).unwrap(), with_serde(&value, &[]), "{text:?}");
        }
    }

    #[test]
    fn every_kind_of_value_is_written_as_serde_json_writes_it() {
        let nested = object(vec![
            ("null", Value::Null),
            ("yes", Value::Boolean(true)),
            ("no", Value::Boolean(false)),
            ("int", Value::Number(Number::from(-42))),
            ("big", Value::Number(Number::from(u64::MAX))),
            ("float", Value::Number(Number::from_f64(1.5).unwrap())),
            ("bytes", Value::Binary(vec![0, 1, 255].into())),
            ("enum", Value::Enum(Name::new("Activated"))),
            ("empty list", Value::List(vec![])),
            ("empty object", object(vec![])),
            ("list", Value::List(vec![Value::Null, Value::String("x\"y".into()), object(vec![("a", Value::Null)])])),
            (RAW_VALUE_TOKEN, Value::String("[1]".into())),
        ]);
        let data =
            object(vec![("users", nested), ("raw", object(vec![(RAW_VALUE_TOKEN, Value::String("[1]".into()))]))]);
        let errors = [serde_json::json!({ "message": { "code": 2004, "message": "用户不存在" } })];
        for (data, errors) in [(&data, &[][..]), (&data, &errors[..]), (&Value::Null, &errors[..])] {
            assert_eq!(answer(data, errors).unwrap(), with_serde(data, errors));
        }
    }

    #[test]
    fn raw_text_is_copied_in_and_only_from_raw() {
        let inner = object(vec![("a", Value::List(vec![Value::Null, Value::Boolean(true)]))]);
        let mut text = String::new();
        write_value(&mut text, &inner).unwrap();
        let data = object(vec![("made", raw(text)), ("same", inner)]);
        assert_eq!(answer(&data, &[]).unwrap(), br#"{"data":{"made":{"a":[null,true]},"same":{"a":[null,true]}}}"#);
        // The same key made elsewhere is an ordinary key.
        let lookalike = object(vec![("$raw JSON text", Value::String("[1]".into()))]);
        assert_eq!(answer(&lookalike, &[]).unwrap(), with_serde(&lookalike, &[]));
    }
}
