//! REST under `{host}/api/v2/`: the one path every REST call takes (method, escaped path segments, query, JSON
//! body), and Authing's `{code, message, data}` envelope, where code 200 means success.

use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::graphql::WireCode;
use super::retry::OpInfo;
use super::{Endpoint, FilePart, RawResponse, Request, Transport};
use crate::error::{ApiError, AuthingError, OAuthError, Result};
use crate::secret::{AccessToken, Secret};

/// Where a REST call goes.
#[derive(Debug, Clone)]
pub(crate) enum RestPath<'a> {
    /// Segments under `{host}/api/v2/`, each escaped by `url` so that an id taken from a caller cannot change the
    /// path.
    Segments(Vec<&'a str>),
    /// Segments under the host's root (`{host}/logout`), escaped likewise.
    Root(Vec<&'a str>),
    /// A path of the caller's own, query string included, for [`ManagementClient::rest_get`]: relative to
    /// `{host}/api/v2/`, or to the host's root when it starts with `/`.
    ///
    /// [`ManagementClient::rest_get`]: crate::ManagementClient::rest_get
    Raw(&'a str),
}

/// How the body of a REST answer is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// Authing's `{code, message, data}` envelope.
    Envelope,
    /// Plain JSON (the OIDC endpoints); a numeric `code` other than 200 in it is Authing's refusal.
    Plain,
    /// Plain text (CAS 1.0), handed over as a JSON string.
    Text,
    /// An OAuth 2.0 endpoint: plain JSON (an empty body counts as `null`), and `{error, error_description}` is
    /// the refusal (RFC 6749 §5.2).
    OAuth,
}

/// One REST call: its name for tracing, method, path, query parameters and JSON or form body.
///
/// ```ignore
/// let call = RestCall::get("acl.resource", &["resources", code]).query(&[("namespace", namespace)]);
/// ```
#[must_use]
pub(crate) struct RestCall<'a, Q: ?Sized = (), F: ?Sized = ()> {
    name: &'a str,
    method: Method,
    path: RestPath<'a>,
    query: Option<&'a Q>,
    body: Option<Bytes>,
    form: Option<&'a F>,
    basic: Option<(&'a str, &'a Secret)>,
    file: Option<FilePart>,
    answer: Answer,
}

impl<'a> RestCall<'a> {
    pub(crate) fn new(name: &'a str, method: Method, path: RestPath<'a>) -> Self {
        Self {
            name,
            method,
            path,
            query: None,
            body: None,
            form: None,
            basic: None,
            file: None,
            answer: Answer::Envelope,
        }
    }

    /// A `GET` of `{host}/api/v2/{segments}`.
    pub(crate) fn get(name: &'a str, segments: &[&'a str]) -> Self {
        Self::new(name, Method::GET, RestPath::Segments(segments.to_vec()))
    }

    /// A `POST` to `{host}/api/v2/{segments}`.
    pub(crate) fn post(name: &'a str, segments: &[&'a str]) -> Self {
        Self::new(name, Method::POST, RestPath::Segments(segments.to_vec()))
    }

    /// A `PUT` to `{host}/api/v2/{segments}`.
    pub(crate) fn put(name: &'a str, segments: &[&'a str]) -> Self {
        Self::new(name, Method::PUT, RestPath::Segments(segments.to_vec()))
    }

    /// A `PATCH` to `{host}/api/v2/{segments}`.
    pub(crate) fn patch(name: &'a str, segments: &[&'a str]) -> Self {
        Self::new(name, Method::PATCH, RestPath::Segments(segments.to_vec()))
    }

    /// A `DELETE` of `{host}/api/v2/{segments}`.
    pub(crate) fn delete(name: &'a str, segments: &[&'a str]) -> Self {
        Self::new(name, Method::DELETE, RestPath::Segments(segments.to_vec()))
    }
}

impl<'a, Q: Serialize + ?Sized, F: Serialize + ?Sized> RestCall<'a, Q, F> {
    /// The query parameters, encoded by reqwest's `.query()`: a struct, a map or a slice of pairs; `None` fields
    /// are left out.
    pub(crate) fn query<R: Serialize + ?Sized>(self, query: &'a R) -> RestCall<'a, R, F> {
        let RestCall { name, method, path, body, form, basic, file, answer, .. } = self;
        RestCall { name, method, path, query: Some(query), body, form, basic, file, answer }
    }

    /// A form body (`application/x-www-form-urlencoded`), encoded by reqwest's `.form()`; `None` fields are left
    /// out.
    pub(crate) fn form<G: Serialize + ?Sized>(self, form: &'a G) -> RestCall<'a, Q, G> {
        let RestCall { name, method, path, query, basic, answer, .. } = self;
        RestCall { name, method, path, query, body: None, form: Some(form), basic, file: None, answer }
    }

    /// HTTP basic authentication with `user` and `password` (reqwest's `.basic_auth()`, a sensitive header).
    pub(crate) fn basic_auth(mut self, user: &'a str, password: &'a Secret) -> Self {
        self.basic = Some((user, password));
        self
    }

    /// A `multipart/form-data` body of one file, in the part named `field`; it replaces any other body.
    pub(crate) fn file(mut self, field: &'static str, bytes: Bytes, file_name: String, content_type: String) -> Self {
        self.body = None;
        self.file = Some(FilePart { field, bytes, file_name, content_type });
        self
    }

    /// The answer is plain text, decoded as a string.
    pub(crate) fn text(mut self) -> Self {
        self.answer = Answer::Text;
        self
    }

    /// The answer is an OAuth 2.0 endpoint's: JSON, or `{error, error_description}` for a refusal.
    pub(crate) fn oauth(mut self) -> Self {
        self.answer = Answer::OAuth;
        self
    }

    /// The call goes to `{host}/{segments}` instead of under `/api/v2/`.
    pub(crate) fn under_host_root(mut self, segments: &[&'a str]) -> Self {
        self.path = RestPath::Root(segments.to_vec());
        self
    }

    /// The JSON body.
    ///
    /// # Errors
    /// [`AuthingError::Request`] when `body` cannot be serialized to JSON.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| AuthingError::request("the JSON body", e))?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }

    /// The answer is plain JSON, not an envelope.
    pub(crate) fn plain(mut self) -> Self {
        self.answer = Answer::Plain;
        self
    }
}

/// `page` and `limit`, the query of the REST lists.
#[derive(Debug, Serialize)]
pub(crate) struct PageQuery {
    pub(crate) page: u32,
    pub(crate) limit: u32,
}

impl Transport {
    /// Runs a REST call and decodes the envelope's `data` (or, for [`RestCall::plain`], the whole body) into `T`.
    /// `GET`s are retried like GraphQL queries; other methods only when they never reached the server.
    pub(crate) async fn rest<Q: Serialize + ?Sized, F: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        token: Option<&AccessToken>,
        call: &RestCall<'_, Q, F>,
    ) -> Result<T> {
        let url = rest_url(&self.http, endpoint, call)?;
        let idempotent = matches!(call.method, Method::GET | Method::HEAD);
        let (body, content_type) = match call.form {
            Some(form) => (Some(form_body(&self.http, &url, form)?), FORM),
            None => (call.body.clone(), super::JSON),
        };
        let (body, file) = match &call.file {
            Some(file) => (None, Some(file)),
            None => (body, None),
        };
        let request = Request {
            method: call.method.clone(),
            url: &url,
            endpoint,
            token,
            body,
            content_type,
            basic: call.basic,
            file,
        };
        let info = OpInfo { name: call.name, transport: "rest", idempotent };
        match call.answer {
            Answer::Envelope => self.execute(info, request, decode_envelope).await,
            Answer::Plain => self.execute(info, request, decode_plain).await,
            Answer::OAuth => self.execute(info, request, decode_oauth).await,
            Answer::Text => self.execute(info, request, decode_text).await,
        }
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

/// A form body, encoded by reqwest's `.form()`.
fn form_body<F: Serialize + ?Sized>(http: &reqwest::Client, url: &url::Url, form: &F) -> Result<Bytes> {
    let request = http.post(url.clone()).form(form).build().map_err(|e| AuthingError::request("the form body", e))?;
    let bytes = request.body().and_then(reqwest::Body::as_bytes).unwrap_or_default();
    Ok(Bytes::copy_from_slice(bytes))
}

/// The call's URL: its path under the endpoint, with the query encoded by reqwest.
fn rest_url<Q: Serialize + ?Sized, F: ?Sized>(
    http: &reqwest::Client,
    endpoint: &Endpoint,
    call: &RestCall<'_, Q, F>,
) -> Result<url::Url> {
    let url = match &call.path {
        RestPath::Segments(segments) => endpoint.url(&["api", "v2"], segments)?,
        RestPath::Root(segments) => endpoint.url(&[], segments)?,
        RestPath::Raw(path) => endpoint.raw_url(path)?,
    };
    let Some(query) = call.query else {
        return Ok(url);
    };
    let request = http.get(url).query(query).build().map_err(|e| AuthingError::request("the query parameters", e))?;
    Ok(request.url().clone())
}

#[derive(Deserialize)]
struct Envelope<'a> {
    code: Option<WireCode>,
    #[serde(default)]
    message: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

fn decode_envelope<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    let status = raw.status.as_u16();
    let envelope: Envelope<'_> =
        serde_json::from_slice(&raw.body).map_err(|e| AuthingError::decode(status, &raw.body, e))?;
    let Some(code) = envelope.code.as_ref().and_then(WireCode::value) else {
        return Err(AuthingError::decode(status, &raw.body, "the response is not an envelope with a numeric `code`"));
    };
    let data = envelope.data.map_or("null", RawValue::get);
    if code != 200 {
        let data = serde_json::from_str(data).ok();
        return Err(ApiError::new(code, envelope.message.unwrap_or_default(), status).with_data(data).into());
    }
    serde_json::from_str(data).map_err(|e| AuthingError::decode(status, &raw.body, e))
}

/// A plain-text answer of a successful status, as a JSON string for `T`.
fn decode_text<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    let status = raw.status.as_u16();
    if !raw.status.is_success() {
        return Err(AuthingError::decode(status, &raw.body, "an error status"));
    }
    let text = std::str::from_utf8(&raw.body).map_err(|e| AuthingError::decode(status, &raw.body, e))?;
    T::deserialize(serde_json::Value::String(text.to_owned())).map_err(|e| AuthingError::decode(status, &raw.body, e))
}

/// An OAuth 2.0 answer: `{error, error_description}` is the refusal, whatever the status (400, or 401 for
/// `invalid_client`); an empty body of a success is `null` (revocation answers 200 with nothing).
fn decode_oauth<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    #[derive(Deserialize)]
    struct MaybeError {
        #[serde(default)]
        error: Option<String>,
        #[serde(default)]
        error_description: Option<String>,
    }
    let status = raw.status.as_u16();
    let body: &[u8] = if raw.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &raw.body };
    if let Ok(MaybeError { error: Some(error), error_description }) = serde_json::from_slice(body) {
        return Err(AuthingError::OAuth(OAuthError::new(error, error_description, status)));
    }
    if !raw.status.is_success() {
        // Authing's own `{code, message}` refusal, else a body that is no answer at all.
        decode_plain::<serde::de::IgnoredAny>(raw)?;
        return Err(AuthingError::decode(status, &raw.body, "an error status without an OAuth error"));
    }
    serde_json::from_slice(body).map_err(|e| AuthingError::decode(status, &raw.body, e))
}

fn decode_plain<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    #[derive(Deserialize)]
    struct MaybeRefusal {
        #[serde(default)]
        code: Option<WireCode>,
        #[serde(default)]
        message: Option<String>,
    }
    let status = raw.status.as_u16();
    let refusal: MaybeRefusal =
        serde_json::from_slice(&raw.body).map_err(|e| AuthingError::decode(status, &raw.body, e))?;
    if let Some(code) = refusal.code.as_ref().and_then(WireCode::value).filter(|code| *code != 200) {
        return Err(ApiError::new(code, refusal.message.unwrap_or_default(), status).into());
    }
    serde_json::from_slice(&raw.body).map_err(|e| AuthingError::decode(status, &raw.body, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: None,
            body: Bytes::from(body.to_owned()),
        }
    }

    fn url_of<Q: Serialize + ?Sized>(call: &RestCall<'_, Q>) -> Result<String> {
        let base = url::Url::parse("https://pool.example.com/prefix/").unwrap();
        let endpoint = Endpoint::new(&base, None, None, None).unwrap();
        rest_url(&reqwest::Client::new(), &endpoint, call).map(String::from)
    }

    #[test]
    fn segments_are_escaped_so_an_id_cannot_change_the_path() {
        let url = url_of(&RestCall::get("t", &["users", "a/../b?c=1#d", "orgs"])).unwrap();
        assert_eq!(url, "https://pool.example.com/prefix/api/v2/users/a%2F..%2Fb%3Fc=1%23d/orgs");
        for id in ["", ".", ".."] {
            let err = url_of(&RestCall::get("t", &["users", id, "orgs"])).unwrap_err();
            assert!(matches!(err, AuthingError::Request { what: "a path segment", .. }), "{id:?}: {err:?}");
        }
    }

    #[test]
    fn the_query_is_encoded_and_none_fields_left_out() {
        #[derive(Serialize)]
        struct Query<'q> {
            namespace: &'q str,
            code: Option<&'q str>,
            page: u32,
        }
        let query = Query { namespace: "a&b=c d", code: None, page: 2 };
        let url = url_of(&RestCall::get("t", &["resources"]).query(&query)).unwrap();
        assert_eq!(url, "https://pool.example.com/prefix/api/v2/resources?namespace=a%26b%3Dc+d&page=2");
        let url = url_of(&RestCall::get("t", &[]).under_host_root(&["logout"]).query(&[("userId", "u 1")])).unwrap();
        assert_eq!(url, "https://pool.example.com/prefix/logout?userId=u+1");
    }

    #[test]
    fn a_query_that_cannot_be_encoded_is_a_request_error() {
        let nested = serde_json::json!({ "filter": { "name": "ada" } });
        let err = url_of(&RestCall::get("t", &["users"]).query(&nested)).unwrap_err();
        assert!(matches!(err, AuthingError::Request { what: "the query parameters", .. }), "{err:?}");
        assert!(!err.is_retryable());
    }

    #[test]
    fn success_returns_data_and_null_data_is_none() {
        let key: String = decode_envelope(&raw(200, r#"{"code":200,"message":"","data":"pem"}"#)).unwrap();
        assert_eq!(key, "pem");
        let none: Option<String> = decode_envelope(&raw(200, r#"{"code":200,"data":null}"#)).unwrap();
        assert_eq!(none, None);
        let missing: Option<String> = decode_envelope(&raw(200, r#"{"code":200}"#)).unwrap();
        assert_eq!(missing, None);
    }

    #[test]
    fn other_codes_are_api_errors() {
        let err = decode_envelope::<()>(&raw(200, r#"{"code":2020,"message":"尚未登录","data":null}"#)).unwrap_err();
        assert_eq!((err.code(), err.message().as_ref(), err.http_status()), (Some(2020), "尚未登录", Some(200)));
    }

    #[test]
    fn plain_bodies_decode_or_carry_a_refusal() {
        #[derive(Debug, Deserialize)]
        struct Claims {
            sub: String,
        }
        let claims: Claims = decode_plain(&raw(200, r#"{"sub":"u1","exp":1}"#)).unwrap();
        assert_eq!(claims.sub, "u1");
        let err = decode_plain::<Claims>(&raw(200, r#"{"code":400,"message":"invalid token"}"#)).unwrap_err();
        assert_eq!((err.code(), err.message().as_ref()), (Some(400), "invalid token"));
    }

    #[test]
    fn bodies_without_an_envelope_are_decode_errors() {
        for body in ["<html>502</html>", r#"{"message":"oops"}"#, r#"{"code":200,"data":{"#] {
            let err = decode_envelope::<Option<String>>(&raw(502, body)).unwrap_err();
            assert!(matches!(err, AuthingError::Decode { status: 502, .. }), "{err:?}");
        }
    }
}
