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

use crate::config::{Lang, RetryConfig, Timeouts, TransportSettings};
use crate::crypto::PublicKeys;
use crate::error::{AuthingError, Result, TimeoutKind};
use crate::secret::AccessToken;

pub(crate) use graphql::{Operation, RootField};
pub(crate) use rest::RestCall;
pub use token::ManagementToken;
pub(crate) use token::TokenCache;

const SDK_VERSION: &str = concat!("rust:", env!("CARGO_PKG_VERSION"));
const USER_AGENT: &str = concat!("authing-rust/", env!("CARGO_PKG_VERSION"));

pub(crate) struct Transport {
    http: reqwest::Client,
    lang: Option<Lang>,
    timeouts: Timeouts,
    retry: RetryConfig,
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
    root: String,
    headers: HeaderMap,
}

impl Endpoint {
    pub(crate) fn new(
        base: &Url,
        user_pool_id: Option<&str>,
        app_id: Option<&str>,
        lang: Option<Lang>,
    ) -> Result<Self> {
        let root = base.as_str().trim_end_matches('/').to_owned();
        let graphql = Url::parse(&format!("{root}/graphql/v2"))
            .map_err(|e| AuthingError::config_source("host", "cannot hold the GraphQL path", e))?;
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
        Ok(Self { graphql, root, headers })
    }

    /// `{host}/api/v2/{path}` for a relative path; `{host}{path}` for a path starting with `/`.
    fn rest_url(&self, path: &str) -> Result<Url> {
        let url =
            if path.starts_with('/') { format!("{}{path}", self.root) } else { format!("{}/api/v2/{path}", self.root) };
        Url::parse(&url).map_err(|e| AuthingError::config_source("path", "does not make a URL", e))
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
}

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
        if let Some(body) = &request.body {
            builder = builder.header(header::CONTENT_TYPE, "application/json").body(body.clone());
        }
        let exchange = async {
            let response = builder.send().await?;
            let status = response.status();
            let retry_after = retry::retry_after(response.headers());
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>(RawResponse { status, retry_after, body })
        };
        match tokio::time::timeout(self.timeouts.attempt(), exchange).await {
            Ok(Ok(raw)) => Ok(raw),
            Ok(Err(e)) => Err(self.reqwest_error(e)),
            Err(elapsed) => Err(AuthingError::Timeout {
                kind: TimeoutKind::Attempt,
                after: self.timeouts.attempt(),
                source: Some(Box::new(elapsed)),
            }),
        }
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
        .map_err(|_| AuthingError::config("token", "contains characters not allowed in an HTTP header"))?;
    value.set_sensitive(true);
    Ok(value)
}

fn default_http_client(timeouts: &Timeouts) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(timeouts.connect())
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true)
        .build()
        .map_err(|e| AuthingError::config_source("http_client", "could not be created", e))
}

/// Percent-encodes one path segment (an id taken from the caller) so it cannot change the path.
pub(crate) fn path_segment(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// A query string from name/value pairs, values percent-encoded; pairs whose value is `None` are left out.
pub(crate) fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        if let Some(value) = value {
            query.append_pair(name, value);
        }
    }
    query.finish()
}

/// `page=&limit=` for the REST lists.
pub(crate) fn page_query(page: u32, limit: u32) -> String {
    let (page, limit) = (page.to_string(), limit.to_string());
    query_string([("page", Some(page.as_str())), ("limit", Some(limit.as_str()))])
}
