//! OIDC / OAuth 2.0 / SAML / CAS flows (PROTOCOL §c.9): authorize and logout URLs, PKCE, the token endpoint's
//! grants, userinfo, introspection, revocation, CAS ticket validation.

use std::fmt;

use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use rand::distributions::Alphanumeric;
use serde::{Deserialize, Serialize};
use url::Url;

use super::{Auth, AuthenticationClient};
use crate::config::{Options, Protocol, TokenEndpointAuthMethod};
use crate::error::{AuthingError, Result};
use crate::oidc::UserInfo;
use crate::secret::{AccessToken, Secret};
use crate::transport::RestCall;

const DEFAULT_SCOPE: &str = "openid profile email phone address";
const AUTHING_TOKEN_GRANT: &str = "http://authing.cn/oidc/grant_type/authing_token";

/// The OIDC settings of the options, kept by the client.
pub(super) struct Settings {
    app_host: Url,
    app_secret: Option<Secret>,
    redirect_uri: Option<Url>,
    protocol: Protocol,
    scope: Option<String>,
    method: TokenEndpointAuthMethod,
}

impl Settings {
    pub(super) fn new(options: &Options) -> Self {
        Self {
            app_host: options.app_host().clone(),
            app_secret: options.app_secret.clone(),
            redirect_uri: options.redirect_uri.clone(),
            protocol: options.protocol,
            scope: options.scope.clone(),
            method: options.token_endpoint_auth_method,
        }
    }
}

/// The tokens of a token endpoint's answer.
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct TokenSet {
    /// The access token.
    pub access_token: AccessToken,
    /// The id token, when `openid` was granted.
    #[serde(default)]
    pub id_token: Option<AccessToken>,
    /// The refresh token, when `offline_access` was granted.
    #[serde(default)]
    pub refresh_token: Option<AccessToken>,
    /// Lifetime of the access token, in seconds.
    #[serde(default)]
    pub expires_in: Option<u64>,
    /// `Bearer`.
    #[serde(default)]
    pub token_type: Option<String>,
    /// The granted scopes, separated by spaces.
    #[serde(default)]
    pub scope: Option<String>,
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &self.access_token)
            .field("id_token", &self.id_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .field("scope", &self.scope)
            .finish()
    }
}

/// A token's state as the introspection endpoint tells it (RFC 7662).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Introspection {
    /// Whether the token is valid now (not expired, not revoked).
    pub active: bool,
    /// Granted scopes.
    #[serde(default)]
    pub scope: Option<String>,
    /// The client it was issued to.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The user.
    #[serde(default)]
    pub sub: Option<String>,
    /// Expiry, in seconds since the epoch.
    #[serde(default)]
    pub exp: Option<u64>,
    /// Issue time, in seconds since the epoch.
    #[serde(default)]
    pub iat: Option<u64>,
    /// `Bearer`, `refresh_token` ...
    #[serde(default)]
    pub token_type: Option<String>,
}

/// How a PKCE code challenge is made from the verifier (RFC 7636).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CodeChallengeMethod {
    /// base64url(SHA-256(verifier)), the default.
    #[default]
    S256,
    /// The verifier itself.
    Plain,
}

impl CodeChallengeMethod {
    /// `S256` or `plain`.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeChallengeMethod::S256 => "S256",
            CodeChallengeMethod::Plain => "plain",
        }
    }
}

/// An authorization URL and the values generated for it, which the service keeps (in the user's session) to
/// check the answer: `state` against the redirect's, `nonce` against the id token's, `code_verifier` for the code
/// exchange.
#[derive(Clone)]
#[non_exhaustive]
pub struct AuthorizeRequest {
    /// Where to send the user's browser.
    pub url: Url,
    /// The state (OIDC and OAuth).
    pub state: Option<String>,
    /// The nonce (OIDC).
    pub nonce: Option<String>,
    /// The PKCE verifier (OIDC with PKCE): pass it to
    /// [`get_access_token_by_code`](AuthenticationClient::get_access_token_by_code).
    pub code_verifier: Option<Secret>,
}

impl fmt::Debug for AuthorizeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizeRequest")
            .field("url", &self.url.as_str())
            .field("state", &self.state)
            .field("nonce", &self.nonce)
            .field("code_verifier", &self.code_verifier)
            .finish()
    }
}

/// Builds the authorization URL of the application's protocol; see
/// [`AuthenticationClient::build_authorize_url`].
#[derive(Debug, Clone)]
#[must_use]
pub struct AuthorizeUrlBuilder<'c> {
    client: &'c AuthenticationClient,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    response_mode: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    scope: Option<String>,
    pkce: Option<CodeChallengeMethod>,
    service: Option<String>,
}

impl AuthorizeUrlBuilder<'_> {
    /// The redirect URI (default: the options').
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// The response type (default `code`).
    pub fn response_type(mut self, response_type: impl Into<String>) -> Self {
        self.response_type = Some(response_type.into());
        self
    }

    /// The response mode (`query`, `fragment`, `form_post`); unset, the server's default for the response type.
    pub fn response_mode(mut self, mode: impl Into<String>) -> Self {
        self.response_mode = Some(mode.into());
        self
    }

    /// The state (default: 16 random characters).
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }

    /// The nonce (default: 16 random characters).
    pub fn nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// The scope (default: the options', else `openid profile email phone address`; `user` for OAuth).
    /// With `offline_access`, `prompt=consent` is added, as Authing requires for a refresh token.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The PKCE method (default [`CodeChallengeMethod::S256`]), or `None` for no PKCE (OIDC only).
    pub fn pkce(mut self, method: Option<CodeChallengeMethod>) -> Self {
        self.pkce = method;
        self
    }

    /// The CAS service URL.
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.service = Some(service.into());
        self
    }

    /// The URL and the values generated for it. No I/O.
    ///
    /// # Errors
    /// [`AuthingError::Config`] naming `app_id` when the options have none, or `redirect_uri` when an OIDC or
    /// OAuth URL has none.
    pub fn build(self) -> Result<AuthorizeRequest> {
        let settings = &self.client.app.oidc;
        let app_id = self.client.app_id().ok_or_else(|| AuthingError::config("app_id", "is required"))?;
        let mut request =
            AuthorizeRequest { url: settings.app_host.clone(), state: None, nonce: None, code_verifier: None };
        let redirect = || {
            self.redirect_uri
                .clone()
                .or_else(|| settings.redirect_uri.as_ref().map(|u| u.to_string()))
                .ok_or_else(|| AuthingError::config("redirect_uri", "is required to build an authorize URL"))
        };
        match settings.protocol {
            Protocol::Oidc => {
                let scope =
                    self.scope.clone().or_else(|| settings.scope.clone()).unwrap_or_else(|| DEFAULT_SCOPE.into());
                let state = self.state.clone().unwrap_or_else(|| random_string(16));
                let nonce = self.nonce.clone().unwrap_or_else(|| random_string(16));
                let redirect_uri = redirect()?;
                let mut url = with_path(&settings.app_host, &["oidc", "auth"])?;
                {
                    let mut query = url.query_pairs_mut();
                    query
                        .append_pair("nonce", &nonce)
                        .append_pair("state", &state)
                        .append_pair("scope", &scope)
                        .append_pair("client_id", app_id)
                        .append_pair("redirect_uri", &redirect_uri)
                        .append_pair("response_type", self.response_type.as_deref().unwrap_or("code"));
                    if let Some(mode) = &self.response_mode {
                        query.append_pair("response_mode", mode);
                    }
                    if scope.split_whitespace().any(|s| s == "offline_access") {
                        query.append_pair("prompt", "consent");
                    }
                    if let Some(method) = self.pkce {
                        let verifier = AuthenticationClient::generate_code_verifier();
                        query
                            .append_pair(
                                "code_challenge",
                                &AuthenticationClient::generate_code_challenge(&verifier, method),
                            )
                            .append_pair("code_challenge_method", method.as_str());
                        request.code_verifier = Some(Secret::new(verifier));
                    }
                }
                request.url = url;
                request.state = Some(state);
                request.nonce = Some(nonce);
            }
            Protocol::OAuth => {
                let state = self.state.clone().unwrap_or_else(|| random_string(16));
                let redirect_uri = redirect()?;
                let mut url = with_path(&settings.app_host, &["oauth", "auth"])?;
                url.query_pairs_mut()
                    .append_pair("state", &state)
                    .append_pair("scope", self.scope.as_deref().unwrap_or("user"))
                    .append_pair("client_id", app_id)
                    .append_pair("redirect_uri", &redirect_uri)
                    .append_pair("response_type", self.response_type.as_deref().unwrap_or("code"));
                request.url = url;
                request.state = Some(state);
            }
            Protocol::Saml => request.url = with_path(&settings.app_host, &["api", "v2", "saml-idp", app_id])?,
            Protocol::Cas => {
                let mut url = with_path(&settings.app_host, &["cas-idp", app_id])?;
                if let Some(service) = &self.service {
                    url.query_pairs_mut().append_pair("service", service);
                }
                request.url = url;
            }
        }
        Ok(request)
    }
}

/// Builds the logout URL of the application's protocol; see [`AuthenticationClient::build_logout_url`].
#[derive(Debug, Clone)]
#[must_use]
pub struct LogoutUrlBuilder<'c> {
    client: &'c AuthenticationClient,
    expert: bool,
    redirect_uri: Option<String>,
    id_token: Option<AccessToken>,
}

impl LogoutUrlBuilder<'_> {
    /// OIDC only: end the OIDC session (`/oidc/session/end` with `id_token_hint`) instead of Authing's hosted
    /// logout page.
    pub fn expert(mut self, id_token: impl Into<AccessToken>) -> Self {
        self.expert = true;
        self.id_token = Some(id_token.into());
        self
    }

    /// Where the browser goes after the logout.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// The URL. No I/O.
    ///
    /// # Errors
    /// [`AuthingError::Config`] when the host cannot carry a path.
    pub fn build(self) -> Result<Url> {
        let settings = &self.client.app.oidc;
        let host = &settings.app_host;
        let url = match (settings.protocol, self.expert) {
            (Protocol::Oidc, true) => {
                let mut url = with_path(host, &["oidc", "session", "end"])?;
                {
                    let mut query = url.query_pairs_mut();
                    if let Some(token) = &self.id_token {
                        query.append_pair("id_token_hint", token.expose());
                    }
                    if let Some(uri) = &self.redirect_uri {
                        query.append_pair("post_logout_redirect_uri", uri);
                    }
                }
                url
            }
            (Protocol::Cas, _) => {
                let mut url = with_path(host, &["cas-idp", "logout"])?;
                if let Some(uri) = &self.redirect_uri {
                    url.query_pairs_mut().append_pair("url", uri);
                }
                url
            }
            _ => {
                let mut url = with_path(host, &["login", "profile", "logout"])?;
                if let Some(uri) = &self.redirect_uri {
                    url.query_pairs_mut().append_pair("redirect_uri", uri);
                }
                url
            }
        };
        Ok(url)
    }
}

/// The result of CAS 1.0 ticket validation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CasValidation {
    /// Whether the ticket was valid for the service.
    pub valid: bool,
    /// The user, when valid.
    pub user: Option<String>,
}

/// The result of CAS 2.0 ticket validation (`serviceValidate`, JSON format).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CasServiceValidation {
    /// Whether the ticket was valid for the service.
    pub valid: bool,
    /// The user, when valid.
    pub user: Option<String>,
    /// The user's attributes, when valid.
    pub attributes: serde_json::Map<String, serde_json::Value>,
    /// The failure's code (`INVALID_TICKET`, `INVALID_SERVICE`, `INVALID_REQUEST`), when not valid.
    pub failure_code: Option<String>,
    /// The failure's description, when not valid.
    pub failure_description: Option<String>,
}

/// The CAS single sign-on session of the browser, from [`AuthenticationClient::track_session`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TrackedSession {
    /// The session: application and user ids.
    #[serde(default)]
    pub session: Option<serde_json::Value>,
    /// The user's attributes.
    #[serde(default)]
    pub user_info: Option<serde_json::Value>,
}

/// The form of the token, introspection and revocation endpoints; `None` fields are left out.
#[derive(Serialize, Default)]
struct OAuthForm<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    grant_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_verifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
}

impl AuthenticationClient {
    /// The authorization URL of the application's protocol, with a generated state, nonce and PKCE verifier (OIDC).
    ///
    /// Local: OIDC `{app_host}/oidc/auth?...`, OAuth `{app_host}/oauth/auth?...`, SAML
    /// `{app_host}/api/v2/saml-idp/{app_id}`, CAS `{app_host}/cas-idp/{app_id}?service=`.
    ///
    /// ```
    /// let options = authing::Options::builder()
    ///     .app_host("https://my-app.authing.cn")
    ///     .app_id("app-id")
    ///     .redirect_uri("https://service.example.com/callback")
    ///     .build()?;
    /// let app = authing::AuthenticationClient::new(&options)?;
    /// let request = app.build_authorize_url().scope("openid profile offline_access").build()?;
    /// assert!(request.url.as_str().starts_with("https://my-app.authing.cn/oidc/auth?"));
    /// assert!(request.url.query_pairs().any(|(k, v)| k == "prompt" && v == "consent"));
    /// assert!(request.code_verifier.is_some());
    /// # Ok::<(), authing::AuthingError>(())
    /// ```
    pub fn build_authorize_url(&self) -> AuthorizeUrlBuilder<'_> {
        AuthorizeUrlBuilder {
            client: self,
            redirect_uri: None,
            response_type: None,
            response_mode: None,
            state: None,
            nonce: None,
            scope: None,
            pkce: Some(CodeChallengeMethod::S256),
            service: None,
        }
    }

    /// The logout URL of the application's protocol: Authing's hosted logout
    /// (`{app_host}/login/profile/logout`), the OIDC session end with [`expert`](LogoutUrlBuilder::expert), or
    /// CAS's `{app_host}/cas-idp/logout`.
    ///
    /// ```
    /// let options = authing::Options::builder().app_host("https://my-app.authing.cn").app_id("app-id").build()?;
    /// let app = authing::AuthenticationClient::new(&options)?;
    /// let url = app.build_logout_url().redirect_uri("https://service.example.com/").build()?;
    /// assert_eq!(url.as_str(), "https://my-app.authing.cn/login/profile/logout?redirect_uri=https%3A%2F%2Fservice.example.com%2F");
    /// # Ok::<(), authing::AuthingError>(())
    /// ```
    pub fn build_logout_url(&self) -> LogoutUrlBuilder<'_> {
        LogoutUrlBuilder { client: self, expert: false, redirect_uri: None, id_token: None }
    }

    /// A random PKCE code verifier: 64 characters from the unreserved set (RFC 7636 §4.1).
    pub fn generate_code_verifier() -> String {
        random_string(64)
    }

    /// The PKCE code challenge of `verifier`: base64url(SHA-256) without padding for S256, the verifier itself
    /// for plain.
    ///
    /// ```
    /// use authing::AuthenticationClient;
    /// use authing::authentication::CodeChallengeMethod;
    /// // RFC 7636, appendix B.
    /// let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /// let challenge = AuthenticationClient::generate_code_challenge(verifier, CodeChallengeMethod::S256);
    /// assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    /// ```
    pub fn generate_code_challenge(verifier: &str, method: CodeChallengeMethod) -> String {
        match method {
            CodeChallengeMethod::S256 => URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes())),
            CodeChallengeMethod::Plain => verifier.to_owned(),
        }
    }

    /// Exchanges an authorization code (and the PKCE verifier, when the authorize URL had a challenge) for tokens.
    ///
    /// REST: `POST {app_host}/{oidc|oauth}/token` (`grant_type=authorization_code`)
    ///
    /// # Errors
    /// [`AuthingError::OAuth`] for the server's refusal (`invalid_grant` for a used, expired or foreign code or a
    /// wrong verifier, `invalid_client` for a wrong secret); [`AuthingError::Config`] without a redirect URI, or
    /// without an app secret when the method needs one.
    pub async fn get_access_token_by_code(&self, code: &str, code_verifier: Option<&str>) -> Result<TokenSet> {
        let settings = &self.app.oidc;
        let redirect_uri = settings
            .redirect_uri
            .as_ref()
            .ok_or_else(|| AuthingError::config("redirect_uri", "is required to exchange a code"))?
            .to_string();
        let form = OAuthForm {
            grant_type: Some("authorization_code"),
            code: Some(code),
            redirect_uri: Some(&redirect_uri),
            code_verifier,
            ..OAuthForm::default()
        };
        self.token_endpoint("authentication.get_access_token_by_code", &["token"], form).await
    }

    /// Exchanges a refresh token for new tokens (Authing rotates the refresh token).
    ///
    /// REST: `POST {app_host}/{oidc|oauth}/token` (`grant_type=refresh_token`)
    ///
    /// # Errors
    /// As [`get_access_token_by_code`](Self::get_access_token_by_code).
    pub async fn get_new_access_token_by_refresh_token(&self, refresh_token: &str) -> Result<TokenSet> {
        let form =
            OAuthForm { grant_type: Some("refresh_token"), refresh_token: Some(refresh_token), ..OAuthForm::default() };
        self.token_endpoint("authentication.get_new_access_token_by_refresh_token", &["token"], form).await
    }

    /// Tokens for a programmatic access account (machine to machine): its access key and secret, and a scope.
    ///
    /// REST: `POST {app_host}/{oidc|oauth}/token` (`grant_type=client_credentials`)
    ///
    /// # Errors
    /// [`AuthingError::OAuth`] (`invalid_client` for a wrong key or secret).
    pub async fn get_access_token_by_client_credentials(
        &self,
        scope: &str,
        access_key: &str,
        access_secret: &Secret,
    ) -> Result<TokenSet> {
        let form = OAuthForm {
            grant_type: Some("client_credentials"),
            scope: Some(scope),
            client_id: Some(access_key),
            client_secret: Some(access_secret.expose()),
            ..OAuthForm::default()
        };
        let path = self.protocol_path(&["token"])?;
        let call = RestCall::post("authentication.get_access_token_by_client_credentials", &[])
            .under_host_root(&path)
            .form(&form)
            .oauth();
        self.rest(Auth::Anonymous, call).await
    }

    /// Exchanges a user's id token (from a login) for OIDC tokens of the application.
    ///
    /// REST: `POST {app_host}/{oidc|oauth}/token` (`grant_type=http://authing.cn/oidc/grant_type/authing_token`)
    ///
    /// # Errors
    /// As [`get_access_token_by_code`](Self::get_access_token_by_code).
    pub async fn get_access_token_by_id_token(&self, id_token: &str, scope: Option<&str>) -> Result<TokenSet> {
        let scope = scope.or(self.app.oidc.scope.as_deref()).unwrap_or(DEFAULT_SCOPE);
        let form = OAuthForm {
            grant_type: Some(AUTHING_TOKEN_GRANT),
            token: Some(id_token),
            scope: Some(scope),
            ..OAuthForm::default()
        };
        self.token_endpoint("authentication.get_access_token_by_id_token", &["token"], form).await
    }

    /// The claims the userinfo endpoint gives for an access token.
    ///
    /// REST: `POST {app_host}/{oidc|oauth}/me` with `Authorization: Bearer`
    ///
    /// # Errors
    /// [`AuthingError::OAuth`] (`invalid_token`) for an invalid, expired or revoked token.
    pub async fn get_user_info_by_access_token(&self, access_token: &str) -> Result<UserInfo> {
        let path = self.protocol_path(&["me"])?;
        let token = AccessToken::new(access_token);
        let call = RestCall::post("authentication.get_user_info_by_access_token", &[]).under_host_root(&path).oauth();
        self.transport.rest(&self.app.endpoint, Some(&token), &call).await
    }

    /// Asks the server whether a token is active (RFC 7662).
    ///
    /// REST: `POST {app_host}/{oidc|oauth}/token/introspection`
    ///
    /// # Errors
    /// [`AuthingError::OAuth`] (`invalid_client`); an inactive token is not an error.
    pub async fn introspect_token(&self, token: &str) -> Result<Introspection> {
        let form = OAuthForm { token: Some(token), ..OAuthForm::default() };
        self.token_endpoint("authentication.introspect_token", &["token", "introspection"], form).await
    }

    /// Revokes an access or refresh token (RFC 7009).
    ///
    /// REST: `POST {app_host}/{oidc|oauth}/token/revocation`
    ///
    /// # Errors
    /// [`AuthingError::OAuth`] (`invalid_client`).
    pub async fn revoke_token(&self, token: &str) -> Result<()> {
        let form = OAuthForm { token: Some(token), ..OAuthForm::default() };
        let _: serde::de::IgnoredAny =
            self.token_endpoint("authentication.revoke_token", &["token", "revocation"], form).await?;
        Ok(())
    }

    /// Validates a CAS service ticket (CAS 1.0): the server answers `yes\n<user>` or `no`.
    ///
    /// REST: `GET {app_host}/cas-idp/{app_id}/validate?service=&ticket=`
    ///
    /// # Errors
    /// [`AuthingError::Config`] without an app id; decode errors when the answer is neither.
    pub async fn validate_ticket_v1(&self, ticket: &str, service: &str) -> Result<CasValidation> {
        let app_id = self.app_id().ok_or_else(|| AuthingError::config("app_id", "is required"))?;
        let query = [("service", service), ("ticket", ticket)];
        let call = RestCall::get("authentication.validate_ticket_v1", &[])
            .under_host_root(&["cas-idp", app_id, "validate"])
            .query(&query)
            .text();
        let text: String = self.rest(Auth::Anonymous, call).await?;
        let mut lines = text.lines();
        Ok(match lines.next().map(str::trim) {
            Some("yes") => CasValidation { valid: true, user: lines.next().map(|u| u.trim().to_owned()) },
            _ => CasValidation { valid: false, user: None },
        })
    }

    /// Validates a CAS service ticket (CAS 2.0, JSON format).
    ///
    /// REST: `GET {app_host}/cas-idp/{app_id}/serviceValidate?service=&ticket=&format=JSON`
    ///
    /// # Errors
    /// [`AuthingError::Config`] without an app id; decode errors for an answer of another shape.
    pub async fn validate_ticket_v2(&self, ticket: &str, service: &str) -> Result<CasServiceValidation> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            service_response: ServiceResponse,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct ServiceResponse {
            #[serde(default)]
            authentication_success: Option<Success>,
            #[serde(default)]
            authentication_failure: Option<Failure>,
        }
        #[derive(Deserialize)]
        struct Success {
            user: String,
            #[serde(default)]
            attributes: serde_json::Map<String, serde_json::Value>,
        }
        #[derive(Deserialize)]
        struct Failure {
            #[serde(default)]
            code: Option<String>,
            #[serde(default)]
            description: Option<String>,
        }
        let app_id = self.app_id().ok_or_else(|| AuthingError::config("app_id", "is required"))?;
        let query = [("service", service), ("ticket", ticket), ("format", "JSON")];
        let call = RestCall::get("authentication.validate_ticket_v2", &[])
            .under_host_root(&["cas-idp", app_id, "serviceValidate"])
            .query(&query)
            .oauth();
        let answer: Answer = self.rest(Auth::Anonymous, call).await?;
        let response = answer.service_response;
        let failure = response.authentication_failure;
        Ok(match response.authentication_success {
            Some(success) => CasServiceValidation {
                valid: true,
                user: Some(success.user),
                attributes: success.attributes,
                failure_code: None,
                failure_description: None,
            },
            None => CasServiceValidation {
                valid: false,
                user: None,
                attributes: serde_json::Map::new(),
                failure_code: failure.as_ref().and_then(|f| f.code.clone()),
                failure_description: failure.and_then(|f| f.description),
            },
        })
    }

    /// The CAS single sign-on session of the browser this client speaks for (`None` without one). Meant for a
    /// client whose HTTP client carries the browser's cookies; a server-side client has no session.
    ///
    /// REST: `GET {app_host}/cas/session`
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn track_session(&self) -> Result<Option<TrackedSession>> {
        let call = RestCall::get("authentication.track_session", &[]).under_host_root(&["cas", "session"]).oauth();
        self.rest(Auth::Anonymous, call).await
    }

    /// `{protocol}/{rest}` for OIDC and OAuth; other protocols have no token endpoint.
    fn protocol_path<'a>(&self, rest: &[&'a str]) -> Result<Vec<&'a str>> {
        let protocol = match self.app.oidc.protocol {
            Protocol::Oidc => "oidc",
            Protocol::OAuth => "oauth",
            _ => return Err(AuthingError::config("protocol", "must be oidc or oauth for the token endpoints")),
        };
        Ok(std::iter::once(protocol).chain(rest.iter().copied()).collect())
    }

    /// A POST to a token endpoint with the client authentication of the options.
    async fn token_endpoint<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        rest: &[&str],
        mut form: OAuthForm<'_>,
    ) -> Result<T> {
        let settings = &self.app.oidc;
        let app_id = self.app_id().ok_or_else(|| AuthingError::config("app_id", "is required"))?;
        let secret = || {
            settings
                .app_secret
                .as_ref()
                .ok_or_else(|| AuthingError::config("app_secret", "is required by the token endpoint auth method"))
        };
        let path = self.protocol_path(rest)?;
        let mut basic = None;
        match settings.method {
            TokenEndpointAuthMethod::ClientSecretPost => {
                form.client_id = Some(app_id);
                form.client_secret = Some(secret()?.expose());
            }
            TokenEndpointAuthMethod::ClientSecretBasic => basic = Some(secret()?),
            TokenEndpointAuthMethod::None => form.client_id = Some(app_id),
        }
        let mut call = RestCall::post(name, &[]).under_host_root(&path).form(&form).oauth();
        if let Some(secret) = basic {
            call = call.basic_auth(app_id, secret);
        }
        self.rest(Auth::Anonymous, call).await
    }
}

fn with_path(host: &Url, segments: &[&str]) -> Result<Url> {
    let mut url = host.clone();
    url.path_segments_mut()
        .map_err(|()| AuthingError::config("app_host", "cannot be a base URL"))?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

fn random_string(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(protocol: Protocol) -> AuthenticationClient {
        let options = Options::builder()
            .app_host("https://app.example.com")
            .app_id("app1")
            .redirect_uri("https://svc.example.com/cb")
            .protocol(protocol)
            .build()
            .unwrap();
        AuthenticationClient::new(&options).unwrap()
    }

    fn query(url: &Url) -> Vec<(String, String)> {
        url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
    }

    #[test]
    fn the_oidc_authorize_url_carries_state_nonce_and_a_pkce_challenge() {
        let app = client(Protocol::Oidc);
        let request = app.build_authorize_url().state("s1").build().unwrap();
        assert_eq!(request.url.path(), "/oidc/auth");
        let pairs = query(&request.url);
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(get("state"), Some("s1"));
        assert_eq!(get("nonce"), request.nonce.as_deref());
        assert_eq!(get("client_id"), Some("app1"));
        assert_eq!(get("redirect_uri"), Some("https://svc.example.com/cb"));
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("scope"), Some(DEFAULT_SCOPE));
        assert_eq!(get("prompt"), None);
        let verifier = request.code_verifier.unwrap();
        let challenge = AuthenticationClient::generate_code_challenge(verifier.expose(), CodeChallengeMethod::S256);
        assert_eq!((get("code_challenge"), get("code_challenge_method")), (Some(&*challenge), Some("S256")));
        let plain = app.build_authorize_url().pkce(None).response_mode("form_post").build().unwrap();
        assert!(plain.code_verifier.is_none() && !plain.url.as_str().contains("code_challenge"));
        assert!(plain.url.as_str().contains("response_mode=form_post"));
    }

    #[test]
    fn other_protocols_have_their_own_urls() {
        let oauth = client(Protocol::OAuth).build_authorize_url().build().unwrap();
        assert!(oauth.url.as_str().starts_with("https://app.example.com/oauth/auth?state="), "{}", oauth.url);
        assert!(oauth.url.as_str().contains("scope=user"));
        let saml = client(Protocol::Saml).build_authorize_url().build().unwrap();
        assert_eq!(saml.url.as_str(), "https://app.example.com/api/v2/saml-idp/app1");
        let cas = client(Protocol::Cas).build_authorize_url().service("https://svc/x?a=1").build().unwrap();
        assert_eq!(cas.url.as_str(), "https://app.example.com/cas-idp/app1?service=https%3A%2F%2Fsvc%2Fx%3Fa%3D1");
    }

    #[test]
    fn logout_urls_per_protocol() {
        let oidc = client(Protocol::Oidc);
        assert_eq!(oidc.build_logout_url().build().unwrap().as_str(), "https://app.example.com/login/profile/logout");
        let expert = oidc.build_logout_url().expert("idt").redirect_uri("https://svc/").build().unwrap();
        assert_eq!(
            expert.as_str(),
            "https://app.example.com/oidc/session/end?id_token_hint=idt&post_logout_redirect_uri=https%3A%2F%2Fsvc%2F"
        );
        let cas = client(Protocol::Cas).build_logout_url().redirect_uri("https://svc/").build().unwrap();
        assert_eq!(cas.as_str(), "https://app.example.com/cas-idp/logout?url=https%3A%2F%2Fsvc%2F");
    }

    #[test]
    fn token_sets_and_requests_show_no_secret() {
        let set: TokenSet =
            serde_json::from_str(r#"{"access_token":"at-secret","refresh_token":"rt-secret"}"#).unwrap();
        let request = client(Protocol::Oidc).build_authorize_url().build().unwrap();
        let text = format!("{set:?} {request:?}");
        assert!(!text.contains("at-secret") && !text.contains("rt-secret"));
        assert!(!text.contains(request.code_verifier.unwrap().expose()));
    }
}
