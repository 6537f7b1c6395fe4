//! GraphQL over `POST {host}/graphql/v2`: the request body, the kind of an operation, and the decoding of
//! Authing's response envelope.

use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

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
    /// The kind of the first operation of a document: `query` or an anonymous `{ ... }` is a query; anything that
    /// is not clearly a query (`mutation`, `subscription`, garbage) counts as a mutation, so an unknown document is
    /// never sent twice. Comments, strings and fragment definitions before the operation are skipped.
    ///
    /// A `const fn`, so the crate's `operation!` macro derives the kind of the SDK's own documents at compile time.
    pub(crate) const fn of_document(document: &str) -> Self {
        let bytes = document.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let byte = bytes[i];
            if byte == b'#' {
                i = skip_comment(bytes, i);
            } else if byte == b'"' {
                i = skip_string(bytes, i);
            } else if byte == b'{' {
                return OperationKind::Query;
            } else if byte.is_ascii_alphabetic() || byte == b'_' {
                let end = word_end(bytes, i);
                if is_word(bytes, i, end, b"query") {
                    return OperationKind::Query;
                } else if is_word(bytes, i, end, b"fragment") {
                    i = skip_block(bytes, end);
                } else {
                    return OperationKind::Mutation;
                }
            } else {
                i += 1;
            }
        }
        OperationKind::Mutation
    }
}

/// The index after the comment starting at `start` (at its line's end).
const fn skip_comment(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    i
}

/// The index after the string (`"..."` or block string `"""..."""`) starting at `start`.
const fn skip_string(bytes: &[u8], start: usize) -> usize {
    let block = start + 2 < bytes.len() && bytes[start + 1] == b'"' && bytes[start + 2] == b'"';
    if block {
        let mut i = start + 3;
        while i < bytes.len() {
            if bytes[i] == b'\\' && i + 3 < bytes.len() && bytes[i + 1] == b'"' && bytes[i + 2] == b'"' {
                i += 4;
            } else if bytes[i] == b'"' && i + 2 < bytes.len() && bytes[i + 1] == b'"' && bytes[i + 2] == b'"' {
                return i + 3;
            } else {
                i += 1;
            }
        }
        return bytes.len();
    }
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after the first `{ ... }` block from `start`, braces inside strings and comments not counted.
const fn skip_block(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = skip_comment(bytes, i),
            b'"' => i = skip_string(bytes, i),
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                i += 1;
                if depth <= 1 {
                    return i;
                }
                depth -= 1;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after the name starting at `start`.
const fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    i
}

/// Whether `bytes[start..end]` is `word`.
const fn is_word(bytes: &[u8], start: usize, end: usize, word: &[u8]) -> bool {
    if end - start != word.len() {
        return false;
    }
    let mut k = 0;
    while k < word.len() {
        if bytes[start + k] != word[k] {
            return false;
        }
        k += 1;
    }
    true
}

/// One GraphQL operation: its name (for tracing), kind and document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation<'a> {
    pub(crate) name: &'a str,
    pub(crate) kind: OperationKind,
    pub(crate) document: &'a str,
}

impl<'a> Operation<'a> {
    /// An operation whose kind is read from its document.
    pub(crate) const fn new(name: &'a str, document: &'a str) -> Self {
        Self { name, kind: OperationKind::of_document(document), document }
    }
}

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
        let body = encode_body(&operation, variables)?;
        let request = Request {
            method: Method::POST,
            url: &endpoint.graphql,
            endpoint,
            token,
            body: Some(Bytes::from(body)),
            content_type: super::JSON,
            basic: None,
            file: None,
        };
        let info =
            OpInfo { name: operation.name, transport: "graphql", idempotent: operation.kind == OperationKind::Query };
        self.execute(info, request, decode_response).await
    }
}

/// The JSON body of a GraphQL request: `{query, variables}`.
fn encode_body<V: Serialize>(operation: &Operation<'_>, variables: &V) -> Result<Vec<u8>> {
    serde_json::to_vec(&Body { query: operation.document, variables })
        .map_err(|e| AuthingError::request("the variables", e))
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

/// Decodes a GraphQL response whatever its HTTP status: any `errors` entry is a failure, even beside `data`; a
/// body that is not a GraphQL envelope, or whose `data` is not a `T`, is a decode error with the status.
pub(crate) fn decode_response<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    let status = raw.status.as_u16();
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
    fn the_body_is_the_document_and_the_variables() {
        let variables = serde_json::json!({ "page": 1, "limit": 10, "name": "a \"b\"" });
        let body = encode_body(&crate::management::USERS, &variables).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body, serde_json::json!({ "query": crate::management::USERS.document, "variables": variables }));
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
        assert_eq!(OperationKind::of_document(""), Mutation);
        assert_eq!(OperationKind::of_document("# query\nmutation m { a }"), Mutation);
        assert_eq!(OperationKind::of_document("# mutation\r\n\"\"\"a \\\"\"\" mutation\"\"\" query q { a }"), Query);
        assert_eq!(OperationKind::of_document("\"mutation \\\" {\" query q { a }"), Query);
        assert_eq!(
            OperationKind::of_document("fragment F on User { a(x: \"}\") # }\n b { c } } mutation m { ...F }"),
            Mutation
        );
        assert_eq!(OperationKind::of_document("fragment F on User { a(x: \"}\") } { ...F }"), Query);
        assert_eq!(OperationKind::of_document("queryX { a }"), Mutation);
        assert_eq!(OperationKind::of_document("fragment F on User { a"), Mutation);
    }

    #[test]
    fn the_kind_of_an_operation_is_the_kind_of_its_document() {
        const KINDS: [OperationKind; 2] = [
            Operation::new("q", "query users { users { totalCount } }").kind,
            Operation::new("m", "mutation deleteUser { deleteUser(id: \"1\") { code } }").kind,
        ];
        assert_eq!(KINDS, [OperationKind::Query, OperationKind::Mutation]);
        assert_eq!(crate::management::USERS.kind, OperationKind::Query);
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
