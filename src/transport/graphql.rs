//! GraphQL over `POST {host}/graphql/v2`: the request body, the kind of an operation, and the decoding of
//! Authing's response envelope.

use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::json_reader::{JsonReader, root_field};
use super::retry::OpInfo;
use super::{Endpoint, RawResponse, Request, Transport};
use crate::error::{ApiError, AuthingError, Result};
use crate::secret::AccessToken;

/// Whether an operation reads (and may be retried) or writes (and may not, once it may have reached the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OperationKind {
    Query,
    Mutation,
}

impl OperationKind {
    /// The kind of the first operation of a document; anything that is not clearly a query counts as a mutation,
    /// so an unknown document is never sent twice.
    pub(crate) fn of_document(document: &str) -> Self {
        let mut rest = document;
        while let Some(c) = rest.chars().next() {
            if c == '#' {
                rest = rest.find('\n').map_or("", |i| &rest[i..]);
            } else if c == '{' {
                return OperationKind::Query;
            } else if c == '"' {
                rest = skip_string(rest);
            } else if c.is_ascii_alphabetic() {
                let end = rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '_').unwrap_or(rest.len());
                match &rest[..end] {
                    "query" => return OperationKind::Query,
                    "fragment" => rest = skip_block(rest.find('{').map_or("", |i| &rest[i..])),
                    _ => return OperationKind::Mutation,
                }
            } else {
                rest = &rest[c.len_utf8()..];
            }
        }
        OperationKind::Mutation
    }
}

fn skip_string(s: &str) -> &str {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return &s[i + 1..],
            _ => escaped = false,
        }
    }
    ""
}

fn skip_block(s: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &s[i + 1..];
                }
            }
            _ => {}
        }
    }
    ""
}

/// One GraphQL operation: its name (for tracing), kind and document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation<'a> {
    pub(crate) name: &'a str,
    pub(crate) kind: OperationKind,
    pub(crate) document: &'a str,
    /// The document already escaped as the inside of a JSON string, for the SDK's own documents; escaping a
    /// document of a few kilobytes on every call costs more than the rest of the request.
    pub(crate) escaped: Option<&'a str>,
}

/// The escape sequence JSON needs for `byte` inside a string (the two-byte forms), if it has one.
const fn json_short_escape(byte: u8) -> Option<u8> {
    match byte {
        b'"' => Some(b'"'),
        b'\\' => Some(b'\\'),
        b'\n' => Some(b'n'),
        b'\r' => Some(b'r'),
        b'\t' => Some(b't'),
        0x08 => Some(b'b'),
        0x0c => Some(b'f'),
        _ => None,
    }
}

/// The length of `text` escaped as the inside of a JSON string.
pub(crate) const fn json_escaped_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut i, mut len) = (0, 0);
    while i < bytes.len() {
        len += match (json_short_escape(bytes[i]), bytes[i]) {
            (Some(_), _) => 2,
            (None, 0..0x20) => 6,
            (None, _) => 1,
        };
        i += 1;
    }
    len
}

/// `text` escaped as the inside of a JSON string, `N` being [`json_escaped_len`] of it. Bytes of multi-byte
/// characters are copied as they are, so the result is UTF-8 too.
pub(crate) const fn json_escape<const N: usize>(text: &str) -> [u8; N] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let mut out = [0u8; N];
    let (mut i, mut o) = (0, 0);
    while i < bytes.len() {
        let byte = bytes[i];
        match json_short_escape(byte) {
            Some(short) => {
                out[o] = b'\\';
                out[o + 1] = short;
                o += 2;
            }
            None if byte < 0x20 => {
                let unicode = [b'\\', b'u', b'0', b'0', HEX[(byte >> 4) as usize], HEX[(byte & 0xf) as usize]];
                let mut k = 0;
                while k < unicode.len() {
                    out[o + k] = unicode[k];
                    k += 1;
                }
                o += 6;
            }
            None => {
                out[o] = byte;
                o += 1;
            }
        }
        i += 1;
    }
    out
}

/// A constant `&str` escaped at compile time as the inside of a JSON string.
macro_rules! json_escaped {
    ($text:expr) => {{
        const LEN: usize = $crate::transport::json_escaped_len($text);
        const BYTES: [u8; LEN] = $crate::transport::json_escape($text);
        const ESCAPED: &str = match ::core::str::from_utf8(&BYTES) {
            Ok(escaped) => escaped,
            Err(_) => panic!("escaping keeps UTF-8 intact"),
        };
        ESCAPED
    }};
}
pub(crate) use json_escaped;

#[derive(Serialize)]
struct Body<'a, V> {
    query: &'a str,
    variables: &'a V,
}

impl Transport {
    /// Runs a GraphQL operation and decodes its `data` into `T`.
    pub(crate) async fn graphql<V: Serialize, T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        token: Option<&AccessToken>,
        operation: Operation<'_>,
        variables: &V,
    ) -> Result<T> {
        self.graphql_decoded(endpoint, token, operation, variables, decode_response).await
    }

    /// Runs a GraphQL operation whose root field's value `read` can usually read straight from the body (users,
    /// pages of users); serde decodes whatever `read` gives up on.
    pub(crate) async fn graphql_root<V: Serialize, T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        token: Option<&AccessToken>,
        operation: Operation<'_>,
        variables: &V,
        read: ReadRoot<T>,
    ) -> Result<T> {
        self.graphql_decoded(endpoint, token, operation, variables, |raw| decode_root(raw, read)).await
    }

    async fn graphql_decoded<V: Serialize, T>(
        &self,
        endpoint: &Endpoint,
        token: Option<&AccessToken>,
        operation: Operation<'_>,
        variables: &V,
        decode: impl Fn(&RawResponse) -> Result<T>,
    ) -> Result<T> {
        let body = encode_body(&operation, variables)?;
        let request =
            Request { method: Method::POST, url: &endpoint.graphql, endpoint, token, body: Some(Bytes::from(body)) };
        let info =
            OpInfo { name: operation.name, transport: "graphql", idempotent: operation.kind == OperationKind::Query };
        self.execute(info, request, decode).await
    }
}

/// The JSON body of a GraphQL request: `{query, variables}`.
pub(crate) fn encode_body<V: Serialize>(operation: &Operation<'_>, variables: &V) -> Result<Vec<u8>> {
    let unserializable = |e| AuthingError::request("the variables", e);
    let Some(escaped) = operation.escaped else {
        return serde_json::to_vec(&Body { query: operation.document, variables }).map_err(unserializable);
    };
    let mut body = Vec::with_capacity(escaped.len() + 128);
    body.extend_from_slice(b"{\"query\":\"");
    body.extend_from_slice(escaped.as_bytes());
    body.extend_from_slice(b"\",\"variables\":");
    super::json_writer::write(&mut body, variables).map_err(unserializable)?;
    body.push(b'}');
    Ok(body)
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    errors: Option<Vec<WireError>>,
}

#[derive(Deserialize)]
struct WireError {
    message: WireMessage,
    #[serde(default)]
    extensions: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum WireMessage {
    Authing {
        #[serde(default)]
        code: Option<WireCode>,
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        data: Option<serde_json::Value>,
    },
    Text(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum WireCode {
    Number(i64),
    Text(String),
}

impl WireCode {
    pub(super) fn value(&self) -> Option<i64> {
        match self {
            WireCode::Number(n) => Some(*n),
            WireCode::Text(s) => s.trim().parse().ok(),
        }
    }
}

/// The envelope decoded in one pass, straight into the caller's type.
#[derive(Deserialize)]
struct TypedEnvelope<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Option<Vec<WireError>>,
}

/// Decodes a GraphQL response whatever its HTTP status: any `errors` entry is a failure, even beside `data`.
///
/// The usual answer is decoded in one pass into `T`; only a body that does not fit (partial data beside errors, a
/// shape `T` refuses, not JSON at all) takes the second path, which finds the error or describes the mismatch.
pub(crate) fn decode_response<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    // One UTF-8 check of the whole body is cheaper than serde_json's check of every string in it.
    decode_text(raw, std::str::from_utf8(&raw.body).ok())
}

/// [`decode_response`] for a body already checked for UTF-8: `body` is its text, `None` when it is not UTF-8.
fn decode_text<T: DeserializeOwned>(raw: &RawResponse, body: Option<&str>) -> Result<T> {
    let status = raw.status.as_u16();
    if let Some(Ok(envelope)) = body.map(serde_json::from_str::<TypedEnvelope<T>>) {
        if let Some(first) = envelope.errors.and_then(|errors| errors.into_iter().next()) {
            return Err(first.into_error(status));
        }
        if let Some(data) = envelope.data {
            return Ok(data);
        }
    }
    decode_precisely(raw, status)
}

/// Reads the value of a response's root field straight from the body's text; `None` when the text is not in the
/// plain shape the reader knows.
pub(crate) type ReadRoot<T> = fn(&mut JsonReader<'_>) -> Option<T>;

/// The value of the root field: read by `read` when the body is `{"data": {"<field>": value}}` in the plain shape it
/// knows, else decoded by [`decode_response`], which also finds any error.
pub(crate) fn decode_root<T: DeserializeOwned>(raw: &RawResponse, read: ReadRoot<T>) -> Result<T> {
    let body = std::str::from_utf8(&raw.body).ok();
    match body.and_then(|text| root_field(text, read)) {
        Some(value) => Ok(value),
        None => decode_text(raw, body).map(|RootField(value)| value),
    }
}

/// The second path of [`decode_response`]: `errors` first, then `data`, each with its own diagnosis.
fn decode_precisely<T: DeserializeOwned>(raw: &RawResponse, status: u16) -> Result<T> {
    let envelope: Envelope<'_> =
        serde_json::from_slice(&raw.body).map_err(|e| AuthingError::decode(status, &raw.body, e))?;
    if let Some(first) = envelope.errors.and_then(|errors| errors.into_iter().next()) {
        return Err(first.into_error(status));
    }
    match envelope.data {
        Some(data) => serde_json::from_str(data.get()).map_err(|e| AuthingError::decode(status, &raw.body, e)),
        None => Err(AuthingError::decode(status, &raw.body, "the response has neither `data` nor `errors`")),
    }
}

impl WireError {
    /// Authing's refusal when the error carries a code (in `message.code` or `extensions.code`), else a plain
    /// GraphQL error: no code is made up.
    fn into_error(self, status: u16) -> AuthingError {
        let extension_code = || {
            let code = self.extensions.as_ref()?.get("code")?;
            code.as_i64().or_else(|| code.as_str()?.parse().ok())
        };
        let (code, message, data) = match self.message {
            WireMessage::Authing { code, message, data } => {
                (code.as_ref().and_then(WireCode::value).or_else(extension_code), message.unwrap_or_default(), data)
            }
            WireMessage::Text(text) => (extension_code(), text, None),
        };
        match code {
            Some(code) => ApiError::new(code, message, status).with_data(data).into(),
            None => AuthingError::Graphql { message, http_status: status },
        }
    }
}

/// The value of the single root field of a GraphQL `data` object, whatever its name.
pub(crate) struct RootField<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for RootField<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T> {
            type Value = RootField<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object with one root field")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
                let Some((_, value)) = map.next_entry::<serde::de::IgnoredAny, T>()? else {
                    return Err(serde::de::Error::custom("`data` has no root field"));
                };
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Ok(RootField(value))
            }
        }

        deserializer.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    #[test]
    fn documents_are_escaped_at_compile_time_as_serde_json_escapes_them() {
        const TRICKY: &str = "query q($a: String) {\n\tf(a: \"\\\"\")\r\u{8}\u{c}\u{1}\u{1f} é 中 }";
        assert_eq!(format!("\"{}\"", json_escaped!(TRICKY)), serde_json::to_string(TRICKY).unwrap());
        let users = crate::management::USERS;
        let escaped = users.escaped.expect("the SDK's documents are escaped in advance");
        assert_eq!(format!("\"{escaped}\""), serde_json::to_string(users.document).unwrap());
    }

    #[test]
    fn a_body_from_an_escaped_document_equals_one_serialized_at_run_time() {
        let variables = serde_json::json!({ "page": 1, "limit": 10, "name": "a \"b\"" });
        let escaped = encode_body(&crate::management::USERS, &variables).unwrap();
        let at_run_time = encode_body(&Operation { escaped: None, ..crate::management::USERS }, &variables).unwrap();
        assert_eq!(String::from_utf8(escaped).unwrap(), String::from_utf8(at_run_time).unwrap());
    }

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: None,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Data {
        value: i32,
    }

    #[test]
    fn kinds_of_documents() {
        use OperationKind::*;
        assert_eq!(OperationKind::of_document("query users { users { totalCount } }"), Query);
        assert_eq!(OperationKind::of_document("{ users { totalCount } }"), Query);
        assert_eq!(OperationKind::of_document("  # a comment with mutation\nquery q { a }"), Query);
        assert_eq!(
            OperationKind::of_document("mutation deleteUser($id: String!) { deleteUser(id: $id) { code } }"),
            Mutation
        );
        assert_eq!(
            OperationKind::of_document("fragment F on User { query: id } mutation m { createUser { ...F } }"),
            Mutation
        );
        assert_eq!(OperationKind::of_document("fragment F on User { id } query q { user { ...F } }"), Query);
        assert_eq!(OperationKind::of_document("subscription s { x }"), Mutation);
        assert_eq!(OperationKind::of_document("garbage"), Mutation);
    }

    #[test]
    fn decodes_data() {
        let data: Data = decode_response(&raw(200, r#"{"data":{"value":7}}"#)).unwrap();
        assert_eq!(data, Data { value: 7 });
    }

    #[test]
    fn object_errors_keep_code_message_and_data_even_with_partial_data() {
        let body = r#"{"errors":[{"message":{"code":2004,"message":"用户不存在","data":{"k":1}},"locations":[]}],"data":{"value":1}}"#;
        let err = decode_response::<Data>(&raw(200, body)).unwrap_err();
        let AuthingError::Api(api) = err else { panic!("{err:?}") };
        assert_eq!((api.code, api.message.as_str(), api.http_status), (2004, "用户不存在", 200));
        assert_eq!(api.data().unwrap()["k"], 1);
    }

    #[test]
    fn string_errors_decode_with_extension_code_or_without_one() {
        let body = r#"{"errors":[{"message":"Cannot query field \"x\"","extensions":{"code":"2020"}}],"data":null}"#;
        let err = decode_response::<Data>(&raw(400, body)).unwrap_err();
        assert_eq!(err.code(), Some(2020));
        assert_eq!(err.http_status(), Some(400));
        let body = r#"{"errors":[{"message":"boom"}]}"#;
        let err = decode_response::<Data>(&raw(200, body)).unwrap_err();
        assert_eq!((err.code(), err.message().as_ref()), (None, "boom"));
        assert!(matches!(err, AuthingError::Graphql { http_status: 200, .. }), "{err:?}");
        let body = r#"{"errors":[{"message":{"message":"no code"}}]}"#;
        let err = decode_response::<Data>(&raw(200, body)).unwrap_err();
        assert_eq!((err.code(), err.message().as_ref()), (None, "no code"));
    }

    #[test]
    fn unexpected_bodies_are_decode_errors_with_status() {
        for (status, body) in [
            (502, "<html>Bad Gateway</html>"),
            (200, r#"{"data":{"val"#),
            (200, "{}"),
            (200, r#"{"data":{"value":"x"}}"#),
        ] {
            match decode_response::<Data>(&raw(status, body)).unwrap_err() {
                AuthingError::Decode { status: s, body_start, .. } => {
                    assert_eq!(s, status);
                    let shown = if body.starts_with('{') {
                        format!("[a JSON body of {} bytes]", body.len())
                    } else {
                        body.to_owned()
                    };
                    assert_eq!(body_start, shown);
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
