//! Client options: hosts, credentials, timeouts, retries, language, public key and HTTP client.

use std::fmt;
use std::sync::Arc;

use url::Url;

use crate::crypto::keys::parse_public_key;
use crate::error::{AuthingError, Result};
use crate::secret::{AccessToken, Secret};
use crate::settings::TransportSettings;
pub use crate::settings::{Lang, RetryConfig, Timeouts};
use crate::transport::Transport;

/// The host of Authing's public cloud, used when no other host is configured.
pub const DEFAULT_HOST: &str = "https://core.authing.cn";

/// Options shared by [`ManagementClient`](crate::ManagementClient) and
/// [`AuthenticationClient`](crate::AuthenticationClient).
///
/// Building them is synchronous and does no I/O. Every client made from the same `Options` (and every clone of
/// those clients) shares ONE transport, so one connection pool.
///
/// ```
/// use std::time::Duration;
/// use authing::{Options, Lang, RetryConfig, Timeouts};
///
/// let options = Options::builder()
///     .host("https://auth.example.com:8443")
///     .user_pool_id("5f0c3f6b1e8d5c0001a1b2c3")
///     .secret("pool-secret")
///     .lang(Lang::EnUs)
///     .timeouts(Timeouts::default().with_attempt(Duration::from_secs(5)))
///     .retry(RetryConfig::standard())
///     .build()?;
/// assert_eq!(options.host().as_str(), "https://auth.example.com:8443/");
/// # Ok::<(), authing::AuthingError>(())
/// ```
#[derive(Clone)]
pub struct Options {
    pub(crate) host: Url,
    pub(crate) app_host: Option<Url>,
    pub(crate) websocket_host: Option<Url>,
    pub(crate) user_pool_id: Option<String>,
    pub(crate) secret: Option<Secret>,
    pub(crate) app_id: Option<String>,
    pub(crate) token: Option<AccessToken>,
    pub(crate) app_secret: Option<Secret>,
    pub(crate) redirect_uri: Option<Url>,
    pub(crate) protocol: Protocol,
    pub(crate) scope: Option<String>,
    pub(crate) token_endpoint_auth_method: TokenEndpointAuthMethod,
    pub(crate) transport: Arc<Transport>,
}

impl Options {
    /// Starts building options; every value has a default except the credentials.
    pub fn builder() -> OptionsBuilder {
        OptionsBuilder::default()
    }

    /// Options from the environment: `AUTHING_USERPOOL_ID`, `AUTHING_USERPOOL_SECRET`, `AUTHING_SERVER` (the host),
    /// `AUTHING_APP_ID`, `AUTHING_APP_HOST`, and for the OIDC flows and token verification `AUTHING_APP_SECRET`
    /// and `AUTHING_REDIRECT_URI`. Unset or empty variables are left at their defaults.
    ///
    /// ```no_run
    /// let management = authing::ManagementClient::new(&authing::Options::from_env()?)?;
    /// # Ok::<(), authing::AuthingError>(())
    /// ```
    ///
    /// # Errors
    /// As [`OptionsBuilder::build`].
    pub fn from_env() -> Result<Options> {
        OptionsBuilder::from_env().build()
    }

    /// The management host (GraphQL at `{host}/graphql/v2`, REST at `{host}/api/v2/...`).
    pub fn host(&self) -> &Url {
        &self.host
    }

    /// The host of Active Directory logins (`login_by_ad`): `websocket_host` when set; else `https://ws.` followed
    /// by the authentication host's domain without its first label (`https://ws.authing.cn` for
    /// `https://core.authing.cn`), as the official SDKs derive it; the authentication host itself when that is an
    /// IP address, `localhost` or a domain of two labels or fewer (a private deployment, the emulator).
    ///
    /// ```
    /// let options = authing::Options::builder().app_host("https://my-app.authing.cn").app_id("app").build()?;
    /// assert_eq!(options.websocket_host().as_str(), "https://ws.authing.cn/");
    /// let local = authing::Options::builder().host("http://127.0.0.1:8080").app_id("app").build()?;
    /// assert_eq!(local.websocket_host().as_str(), "http://127.0.0.1:8080/");
    /// # Ok::<(), authing::AuthingError>(())
    /// ```
    pub fn websocket_host(&self) -> Url {
        if let Some(host) = &self.websocket_host {
            return host.clone();
        }
        let app_host = self.app_host();
        let derived = match app_host.host() {
            Some(url::Host::Domain(domain)) if domain.split('.').count() > 2 => {
                let rest = domain.split_once('.').map_or(domain, |(_, rest)| rest);
                Url::parse(&format!("https://ws.{rest}")).ok()
            }
            _ => None,
        };
        derived.unwrap_or_else(|| app_host.clone())
    }

    /// The host of the authentication side: `app_host` when set, else `host`.
    pub fn app_host(&self) -> &Url {
        self.app_host.as_ref().unwrap_or(&self.host)
    }

    /// The user-pool id, if set.
    pub fn user_pool_id(&self) -> Option<&str> {
        self.user_pool_id.as_deref()
    }

    /// The application id, if set.
    pub fn app_id(&self) -> Option<&str> {
        self.app_id.as_deref()
    }

    /// The redirect URI of the OIDC/OAuth flows, if set.
    pub fn redirect_uri(&self) -> Option<&Url> {
        self.redirect_uri.as_ref()
    }

    /// The sign-in protocol of the application (default [`Protocol::Oidc`]).
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The scope asked for in the OIDC/OAuth flows, if set.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// How the client authenticates at the token, introspection and revocation endpoints (default
    /// [`TokenEndpointAuthMethod::ClientSecretPost`]).
    pub fn token_endpoint_auth_method(&self) -> TokenEndpointAuthMethod {
        self.token_endpoint_auth_method
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("host", &self.host.as_str())
            .field("app_host", &self.app_host.as_ref().map(Url::as_str))
            .field("websocket_host", &self.websocket_host.as_ref().map(Url::as_str))
            .field("user_pool_id", &self.user_pool_id)
            .field("secret", &self.secret)
            .field("app_id", &self.app_id)
            .field("token", &self.token)
            .field("app_secret", &self.app_secret)
            .field("redirect_uri", &self.redirect_uri.as_ref().map(Url::as_str))
            .field("protocol", &self.protocol)
            .field("scope", &self.scope)
            .field("token_endpoint_auth_method", &self.token_endpoint_auth_method)
            .field("transport", &self.transport)
            .finish()
    }
}

/// Builds [`Options`]; see there for an example.
#[derive(Clone, Default)]
#[must_use]
pub struct OptionsBuilder {
    host: Option<String>,
    app_host: Option<String>,
    websocket_host: Option<String>,
    user_pool_id: Option<String>,
    secret: Option<Secret>,
    app_id: Option<String>,
    token: Option<AccessToken>,
    lang: Option<Lang>,
    timeouts: Timeouts,
    retry: RetryConfig,
    public_key: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: Option<usize>,
    app_secret: Option<Secret>,
    redirect_uri: Option<String>,
    protocol: Protocol,
    scope: Option<String>,
    token_endpoint_auth_method: TokenEndpointAuthMethod,
}

/// The largest response body read by default, after decompression: 8 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 << 20;

impl OptionsBuilder {
    /// A builder preset from the environment variables listed at [`Options::from_env`].
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        Self {
            host: var("AUTHING_SERVER"),
            app_host: var("AUTHING_APP_HOST"),
            user_pool_id: var("AUTHING_USERPOOL_ID"),
            secret: var("AUTHING_USERPOOL_SECRET").map(Secret::from),
            app_id: var("AUTHING_APP_ID"),
            app_secret: var("AUTHING_APP_SECRET").map(Secret::from),
            redirect_uri: var("AUTHING_REDIRECT_URI"),
            ..Self::default()
        }
    }

    /// The Authing host, scheme and port included (default [`DEFAULT_HOST`]). Set it for a private deployment or
    /// for the emulator.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The application's own host (`https://your-app.authing.cn`), used by the authentication side.
    pub fn app_host(mut self, app_host: impl Into<String>) -> Self {
        self.app_host = Some(app_host.into());
        self
    }

    /// The host Active Directory logins go to (`{websocket_host}/api/v2/ad/verify-user`); see
    /// [`Options::websocket_host`] for the default.
    pub fn websocket_host(mut self, host: impl Into<String>) -> Self {
        self.websocket_host = Some(host.into());
        self
    }

    /// The user-pool id: required by the management client.
    pub fn user_pool_id(mut self, id: impl Into<String>) -> Self {
        self.user_pool_id = Some(id.into());
        self
    }

    /// The user-pool secret: required by the management client.
    pub fn secret(mut self, secret: impl Into<Secret>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// The application id: required by the authentication client (unless a user-pool id is set).
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_id = Some(id.into());
        self
    }

    /// The application's secret: client authentication at the OIDC/OAuth token, introspection and revocation
    /// endpoints, and the key of HS256 id tokens for [`TokenVerifier`](crate::oidc::TokenVerifier).
    pub fn app_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.app_secret = Some(secret.into());
        self
    }

    /// The redirect URI registered on the application, where Authing sends the user back with the code.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// The application's sign-in protocol (default [`Protocol::Oidc`]): decides the authorize, token and logout
    /// URLs.
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// The scope asked for by default in the OIDC/OAuth flows (default `openid profile email phone address`).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// How the client authenticates at the token, introspection and revocation endpoints (default
    /// [`TokenEndpointAuthMethod::ClientSecretPost`]).
    pub fn token_endpoint_auth_method(mut self, method: TokenEndpointAuthMethod) -> Self {
        self.token_endpoint_auth_method = method;
        self
    }

    /// An end user's token the authentication client starts with.
    pub fn token(mut self, token: impl Into<AccessToken>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The language of Authing's messages (`x-authing-lang`). Unset, the server's default (zh-CN) applies.
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = Some(lang);
        self
    }

    /// Connect, attempt and operation timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// When failed requests are tried again.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// The PEM public key passwords are encrypted with (`-----BEGIN PUBLIC KEY-----`, or its base64 body alone).
    /// Unset, the key is fetched once from `{app_host}/api/v2/.well-known`.
    pub fn public_key(mut self, pem: impl Into<String>) -> Self {
        self.public_key = Some(pem.into());
        self
    }

    /// A `reqwest::Client` of your own (proxy, custom CA, ...). Its connect timeout and redirect policy are
    /// then yours; the attempt and operation timeouts still apply. The default client reads no proxy settings
    /// from the environment: give a client of your own to go through a proxy.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The largest response body a call reads, counted after decompression (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 8 MiB). A larger answer fails the call with
    /// [`AuthingError::ResponseTooLarge`] as soon as the limit is passed; nothing more of it is read.
    ///
    /// ```
    /// let options = authing::Options::builder().app_id("app").max_response_bytes(1 << 20).build()?;
    /// # Ok::<(), authing::AuthingError>(())
    /// ```
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Checks the options and creates the shared transport. No I/O happens here.
    ///
    /// # Errors
    /// [`AuthingError::Config`] naming the field when a host is not an `http`/`https` URL, a timeout is zero, the
    /// public key does not parse, an id or secret is empty, or the secret is set without a user-pool id.
    pub fn build(self) -> Result<Options> {
        let host = parse_host("host", self.host.as_deref().unwrap_or(DEFAULT_HOST))?;
        let app_host = self.app_host.as_deref().map(|h| parse_host("app_host", h)).transpose()?;
        let websocket_host = self.websocket_host.as_deref().map(|h| parse_host("websocket_host", h)).transpose()?;
        let user_pool_id = non_empty("user_pool_id", self.user_pool_id)?;
        let app_id = non_empty("app_id", self.app_id)?;
        if self.secret.as_ref().is_some_and(|s| s.expose().is_empty()) {
            return Err(AuthingError::config("secret", "is empty"));
        }
        if self.app_secret.as_ref().is_some_and(|s| s.expose().is_empty()) {
            return Err(AuthingError::config("app_secret", "is empty"));
        }
        let redirect_uri = self
            .redirect_uri
            .as_deref()
            .map(|uri| {
                Url::parse(uri.trim()).map_err(|e| AuthingError::config_source("redirect_uri", "is not a valid URL", e))
            })
            .transpose()?;
        let scope = non_empty("scope", self.scope)?;
        if self.secret.is_some() && user_pool_id.is_none() {
            return Err(AuthingError::config("user_pool_id", "is required when a secret is set"));
        }
        self.timeouts.validate()?;
        let max_response_bytes = self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        if max_response_bytes == 0 {
            return Err(AuthingError::config("max_response_bytes", "is zero"));
        }
        let public_key = self.public_key.as_deref().map(parse_public_key).transpose()?;
        let key_host = app_host.clone().unwrap_or_else(|| host.clone());
        let transport = Transport::new(TransportSettings {
            http_client: self.http_client,
            lang: self.lang,
            timeouts: self.timeouts,
            retry: self.retry,
            public_key,
            key_host,
            max_response_bytes,
        })?;
        Ok(Options {
            host,
            app_host,
            websocket_host,
            user_pool_id,
            secret: self.secret,
            app_id,
            token: self.token,
            app_secret: self.app_secret,
            redirect_uri,
            protocol: self.protocol,
            scope,
            token_endpoint_auth_method: self.token_endpoint_auth_method,
            transport: Arc::new(transport),
        })
    }
}

impl fmt::Debug for OptionsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OptionsBuilder")
            .field("host", &self.host)
            .field("app_host", &self.app_host)
            .field("websocket_host", &self.websocket_host)
            .field("user_pool_id", &self.user_pool_id)
            .field("secret", &self.secret)
            .field("app_id", &self.app_id)
            .field("token", &self.token)
            .field("lang", &self.lang)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("public_key", &self.public_key.as_ref().map(|_| "[set]"))
            .field("http_client", &self.http_client.as_ref().map(|_| "[custom]"))
            .field("max_response_bytes", &self.max_response_bytes)
            .field("app_secret", &self.app_secret)
            .field("redirect_uri", &self.redirect_uri)
            .field("protocol", &self.protocol)
            .field("scope", &self.scope)
            .field("token_endpoint_auth_method", &self.token_endpoint_auth_method)
            .finish()
    }
}

fn parse_host(field: &'static str, value: &str) -> Result<Url> {
    let url = Url::parse(value.trim()).map_err(|e| AuthingError::config_source(field, "is not a valid URL", e))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(AuthingError::config(field, "must be an http(s) URL with a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AuthingError::config(field, "must not contain credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(AuthingError::config(field, "must not have a query or fragment"));
    }
    Ok(url)
}

fn non_empty(field: &'static str, value: Option<String>) -> Result<Option<String>> {
    match value {
        Some(v) if v.trim().is_empty() => Err(AuthingError::config(field, "is empty")),
        other => Ok(other),
    }
}

/// The sign-in protocol of an application: which URLs the OIDC/OAuth/SAML/CAS flows use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Protocol {
    /// OpenID Connect (`{app_host}/oidc/...`), the default.
    #[default]
    Oidc,
    /// OAuth 2.0 (`{app_host}/oauth/...`).
    OAuth,
    /// SAML 2.0 (`{app_host}/api/v2/saml-idp/{app_id}`).
    Saml,
    /// CAS (`{app_host}/cas-idp/{app_id}`).
    Cas,
}

impl Protocol {
    /// The protocol's name: `oidc`, `oauth`, `saml` or `cas`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Oidc => "oidc",
            Protocol::OAuth => "oauth",
            Protocol::Saml => "saml",
            Protocol::Cas => "cas",
        }
    }
}

/// How a client authenticates at the OIDC/OAuth token, introspection and revocation endpoints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenEndpointAuthMethod {
    /// `client_id` and `client_secret` in the form body (the default).
    #[default]
    ClientSecretPost,
    /// `Authorization: Basic base64(app_id:app_secret)`, neither in the body.
    ClientSecretBasic,
    /// `client_id` alone: a public client (use PKCE).
    None,
}

impl TokenEndpointAuthMethod {
    /// The method's name: `client_secret_post`, `client_secret_basic` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenEndpointAuthMethod::ClientSecretPost => "client_secret_post",
            TokenEndpointAuthMethod::ClientSecretBasic => "client_secret_basic",
            TokenEndpointAuthMethod::None => "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn field_of(result: Result<Options>) -> &'static str {
        match result {
            Err(AuthingError::Config { field, .. }) => field,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn defaults_to_the_public_cloud() {
        let options = Options::builder().build().unwrap();
        assert_eq!(options.host().as_str(), "https://core.authing.cn/");
        assert_eq!(options.app_host(), options.host());
    }

    #[test]
    fn keeps_scheme_port_and_path_of_private_hosts() {
        let options = Options::builder()
            .host("http://10.0.0.7:3000/authing")
            .app_host("https://app.example.com")
            .build()
            .unwrap();
        assert_eq!(options.host().as_str(), "http://10.0.0.7:3000/authing");
        assert_eq!(options.app_host().as_str(), "https://app.example.com/");
    }

    #[test]
    fn bad_values_name_their_field() {
        assert_eq!(field_of(Options::builder().host("not a url").build()), "host");
        assert_eq!(field_of(Options::builder().host("ftp://x").build()), "host");
        assert_eq!(field_of(Options::builder().app_host("://").build()), "app_host");
        assert_eq!(field_of(Options::builder().secret("s").build()), "user_pool_id");
        assert_eq!(field_of(Options::builder().user_pool_id("p").secret("").build()), "secret");
        assert_eq!(field_of(Options::builder().app_id(" ").build()), "app_id");
        assert_eq!(field_of(Options::builder().public_key("garbage").build()), "public_key");
        let zero = Timeouts::default().with_attempt(Duration::ZERO);
        assert_eq!(field_of(Options::builder().timeouts(zero).build()), "timeouts.attempt");
    }

    #[test]
    fn reads_the_documented_variables() {
        let env = |name: &str| {
            Some(String::from(match name {
                "AUTHING_USERPOOL_ID" => "pool",
                "AUTHING_USERPOOL_SECRET" => "secret",
                "AUTHING_SERVER" => "http://127.0.0.1:9",
                "AUTHING_APP_ID" => "app",
                "AUTHING_APP_HOST" => "",
                "AUTHING_APP_SECRET" => "app-secret",
                "AUTHING_REDIRECT_URI" => "http://localhost:3000/callback",
                _ => return None,
            }))
        };
        let options = OptionsBuilder::from_lookup(env).build().unwrap();
        assert_eq!(options.user_pool_id(), Some("pool"));
        assert_eq!(options.secret.as_ref().map(Secret::expose), Some("secret"));
        assert_eq!(options.app_id(), Some("app"));
        assert_eq!(options.host().as_str(), "http://127.0.0.1:9/");
        assert!(options.app_host.is_none(), "an empty variable counts as unset");
        assert_eq!(options.app_secret.as_ref().map(Secret::expose), Some("app-secret"));
        assert_eq!(options.redirect_uri().map(Url::as_str), Some("http://localhost:3000/callback"));
    }
}
