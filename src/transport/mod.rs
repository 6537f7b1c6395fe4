//! The one transport under both clients: a pooled `reqwest::Client`, the headers Authing expects, timeouts,
//! retries, tracing, and the decoding of GraphQL and REST responses.

mod graphql;
mod rest;
mod retry;
mod token;

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::crypto::keys::PublicKeys;
use crate::error::{AuthingError, Result, TimeoutKind};
use crate::secret::{AccessToken, Secret};
use crate::settings::{Lang, RetryConfig, Timeouts, TransportSettings};

pub(crate) use graphql::{Operation, RootField};
pub(crate) use rest::{PageQuery, RestCall, RestPath};
pub use token::ManagementToken;
pub(crate) use token::TokenCache;

/// How long an idle pooled connection is kept: below the 60 s after which common load balancers close idle
/// connections, so that a request is rarely written to a connection the other side has already closed.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

const SDK_VERSION: &str = concat!("rust:", env!("CARGO_PKG_VERSION"));
const USER_AGENT: &str = concat!("authing-rust/", env!("CARGO_PKG_VERSION"));

pub(crate) struct Transport {
    http: reqwest::Client,
    lang: Option<Lang>,
    timeouts: Timeouts,
    retry: RetryConfig,
    max_response_bytes: usize,
    pub(crate) keys: PublicKeys,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("lang", &self.lang)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Where a client sends its requests and how it identifies itself: its base URL and the id headers
/// (`x-authing-userpool-id`, `x-authing-app-id`) plus the fixed SDK headers, built once per client.
#[derive(Clone)]
pub(crate) struct Endpoint {
    graphql: Url,
    /// The host's URL, under which `/api/v2/...` and `/graphql/v2` are found.
    base: Url,
    headers: HeaderMap,
}

impl Endpoint {
    pub(crate) fn new(
        base: &Url,
        user_pool_id: Option<&str>,
        app_id: Option<&str>,
        lang: Option<Lang>,
    ) -> Result<Self> {
        let mut graphql = base.clone();
        graphql
            .path_segments_mut()
            .map_err(|()| AuthingError::config("host", "cannot be a base URL"))?
            .pop_if_empty()
            .extend(["graphql", "v2"]);
        let mut headers = HeaderMap::new();
        headers.insert("x-authing-request-from", HeaderValue::from_static("sdk"));
        headers.insert("x-authing-sdk-version", HeaderValue::from_static(SDK_VERSION));
        if let Some(lang) = lang {
            headers.insert("x-authing-lang", HeaderValue::from_static(lang.as_str()));
        }
        for (name, field, value) in
            [("x-authing-userpool-id", "user_pool_id", user_pool_id), ("x-authing-app-id", "app_id", app_id)]
        {
            if let Some(value) = value {
                let value = HeaderValue::from_str(value)
                    .map_err(|e| AuthingError::config_source(field, "is not a valid header value", e))?;
                headers.insert(HeaderName::from_static(name), value);
            }
        }
        Ok(Self { graphql, base: base.clone(), headers })
    }

    /// `{host}/{prefix}/{segments}`, each segment escaped by `url`. An empty segment, `.` or `..` (which `url`
    /// would read as a step up the path) is refused: an id taken from a caller cannot change the route.
    fn url(&self, prefix: &[&str], segments: &[&str]) -> Result<Url> {
        if segments.iter().any(|s| matches!(*s, "" | "." | "..")) {
            return Err(AuthingError::request("a path segment", "an id cannot be empty, `.` or `..`"));
        }
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| AuthingError::config("host", "cannot be a base URL"))?
            .pop_if_empty()
            .extend(prefix)
            .extend(segments);
        Ok(url)
    }

    /// A caller's own path, query string included: `{host}/api/v2/{path}`, or `{host}{path}` when it starts
    /// with `/`.
    fn raw_url(&self, path: &str) -> Result<Url> {
        let root = self.base.as_str().trim_end_matches('/');
        let url = if path.starts_with('/') { format!("{root}{path}") } else { format!("{root}/api/v2/{path}") };
        Url::parse(&url).map_err(|e| AuthingError::request("the path", e))
    }
}

/// The response of one attempt, read to the end.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Bytes,
}

/// A request about to be sent; cheap to send again.
struct Request<'a> {
    method: Method,
    url: &'a Url,
    endpoint: &'a Endpoint,
    token: Option<&'a AccessToken>,
    body: Option<Bytes>,
    /// The body's media type.
    content_type: &'static str,
    /// HTTP basic authentication (the OAuth `client_secret_basic` method), instead of a bearer token.
    basic: Option<(&'a str, &'a Secret)>,
    /// A file sent as a `multipart/form-data` body instead of `body`.
    file: Option<&'a FilePart>,
}

/// A file for a `multipart/form-data` body: one part of the form, named `field`. reqwest's form is consumed by the
/// request it is sent with, so each attempt builds its own from these bytes, which clone without copying.
#[derive(Clone)]
pub(crate) struct FilePart {
    pub(crate) field: &'static str,
    pub(crate) bytes: Bytes,
    pub(crate) file_name: String,
    pub(crate) content_type: String,
}

impl FilePart {
    /// A new form holding this file, for one attempt.
    fn form(&self) -> Result<reqwest::multipart::Form> {
        let length = self.bytes.len() as u64;
        let part = reqwest::multipart::Part::stream_with_length(self.bytes.clone(), length)
            .file_name(self.file_name.clone())
            .mime_str(&self.content_type)
            .map_err(|e| AuthingError::request("the file's content type", e))?;
        Ok(reqwest::multipart::Form::new().part(self.field, part))
    }
}

const JSON: &str = "application/json";

impl Transport {
    pub(crate) fn new(settings: TransportSettings) -> Result<Self> {
        let http = match settings.http_client {
            Some(client) => client,
            None => default_http_client(&settings.timeouts)?,
        };
        Ok(Self {
            http,
            lang: settings.lang,
            timeouts: settings.timeouts,
            retry: settings.retry,
            max_response_bytes: settings.max_response_bytes,
            keys: PublicKeys::new(settings.public_key, settings.key_host),
        })
    }

    pub(crate) fn lang(&self) -> Option<Lang> {
        self.lang
    }

    /// Sends one attempt and reads the whole body within the attempt timeout.
    async fn attempt(&self, request: &Request<'_>) -> Result<RawResponse> {
        let mut builder =
            self.http.request(request.method.clone(), request.url.clone()).headers(request.endpoint.headers.clone());
        if let Some(token) = request.token {
            builder = builder.header(header::AUTHORIZATION, bearer(token)?);
        }
        if let Some((user, password)) = request.basic {
            // reqwest marks the header sensitive.
            builder = builder.basic_auth(user, Some(password.expose()));
        }
        if let Some(body) = &request.body {
            builder = builder.header(header::CONTENT_TYPE, request.content_type).body(body.clone());
        }
        if let Some(file) = request.file {
            builder = builder.multipart(file.form()?);
        }
        let exchange = async {
            let response = builder.send().await.map_err(|e| self.reqwest_error(e))?;
            let status = response.status();
            let retry_after = retry::retry_after(response.headers());
            let body = self.read_body(response).await?;
            Ok(RawResponse { status, retry_after, body })
        };
        match tokio::time::timeout(self.timeouts.attempt(), exchange).await {
            Ok(result) => result,
            Err(elapsed) => Err(AuthingError::Timeout {
                kind: TimeoutKind::Attempt,
                after: self.timeouts.attempt(),
                source: Some(Box::new(elapsed)),
            }),
        }
    }

    /// Reads the whole (decompressed) body, failing as soon as it grows past the configured limit.
    async fn read_body(&self, mut response: reqwest::Response) -> Result<Bytes> {
        let limit = self.max_response_bytes;
        let too_large = |status: StatusCode| AuthingError::ResponseTooLarge { limit, status: status.as_u16() };
        let status = response.status();
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return Err(too_large(status));
        }
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.reqwest_error(e))? {
            if body.len() + chunk.len() > limit {
                return Err(too_large(status));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    fn reqwest_error(&self, error: reqwest::Error) -> AuthingError {
        let error = error.without_url();
        if error.is_timeout() {
            let (kind, after) = if error.is_connect() {
                (TimeoutKind::Connect, self.timeouts.connect())
            } else {
                (TimeoutKind::Attempt, self.timeouts.attempt())
            };
            AuthingError::Timeout { kind, after, source: Some(Box::new(error)) }
        } else {
            AuthingError::Transport(error)
        }
    }
}

fn bearer(token: &AccessToken) -> Result<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| AuthingError::request("the token", "it has characters an HTTP header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
}

fn default_http_client(timeouts: &Timeouts) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(timeouts.connect())
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .tcp_nodelay(true)
        .build()
        .map_err(|e| AuthingError::config_source("http_client", "could not be created", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_part_builds_a_new_form_for_each_attempt_without_copying_the_bytes() {
        let bytes = Bytes::from_static(b"\x89PNG");
        let file = FilePart {
            field: "file",
            bytes: bytes.clone(),
            file_name: "a.png".into(),
            content_type: "image/png".into(),
        };
        for _ in 0..2 {
            let form = file.form().unwrap();
            assert!(form.boundary().len() > 8);
        }
        assert_eq!(file.bytes.as_ptr(), bytes.as_ptr(), "the same buffer, shared");
        let bad = FilePart { content_type: "not a media type".into(), ..file };
        assert!(matches!(bad.form(), Err(AuthingError::Request { what: "the file's content type", .. })));
    }
}
