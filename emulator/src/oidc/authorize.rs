//! The authorization endpoint: `GET /oidc/auth` checks the request and shows a plain HTML sign-in form (no
//! JavaScript) that POSTs back to the same path with the request's parameters in hidden fields plus `username`
//! (a username, e-mail or phone) and `password`. On valid credentials, or at once when the browser holds a
//! session cookie (unless `prompt=login`), the browser is redirected to the redirect URI with `code` and `state`.
//!
//! Errors about the client or its redirect URI are shown on the page (400) and never redirected; the others are
//! redirected as `error`, `error_description` and `state` (RFC 6749 §4.1.2.1). `prompt=none` without a session
//! redirects with `login_required`. Wrong credentials show the form again (401) with a message.

use std::fmt::Write as _;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

use super::{Params, SESSION_COOKIE, St};
use crate::store::oidc::{self, Authorization, AuthorizeError, AuthorizeParams};
use crate::store::state::State;

/// The request parameters carried through the form, in order.
const CARRIED: [&str; 9] = [
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "response_mode",
];

fn params_of(p: &Params) -> AuthorizeParams {
    let get = |name: &str| p.get(name).cloned();
    AuthorizeParams {
        client_id: get("client_id"),
        redirect_uri: get("redirect_uri"),
        response_type: get("response_type"),
        scope: get("scope"),
        state: get("state"),
        nonce: get("nonce"),
        code_challenge: get("code_challenge"),
        code_challenge_method: get("code_challenge_method"),
        response_mode: get("response_mode"),
    }
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body>\n<h1>{t}</h1>\n{body}</body></html>\n",
        t = escape(title)
    );
    let mut response = (status, Html(html)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub(super) fn error_page(message: &str) -> Response {
    page(StatusCode::BAD_REQUEST, "Sign-in error", &format!("<p id=\"error\">{}</p>\n", escape(message)))
}

/// The sign-in form of an authorization request, posting back to `action` with the request's parameters.
fn form(action: &str, p: &Params, message: Option<&str>, status: StatusCode) -> Response {
    let hidden: Vec<(&str, &str)> =
        CARRIED.iter().filter_map(|name| p.get(*name).map(|v| (*name, v.as_str()))).collect();
    sign_in_form(action, &hidden, message, status)
}

/// The sign-in form, posting back to `action` with `hidden` fields.
pub(super) fn sign_in_form(
    action: &str,
    hidden: &[(&str, &str)],
    message: Option<&str>,
    status: StatusCode,
) -> Response {
    let mut body = String::new();
    if let Some(message) = message {
        let _ = writeln!(body, "<p id=\"error\">{}</p>", escape(message));
    }
    let _ = writeln!(body, "<form method=\"post\" action=\"{}\">", escape(action));
    for (name, value) in hidden {
        let _ = writeln!(body, "<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(name), escape(value));
    }
    body.push_str(
        "<p><label>Username, e-mail or phone <input type=\"text\" name=\"username\" autocomplete=\"username\" required></label></p>\n\
         <p><label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label></p>\n\
         <p><button type=\"submit\">Sign in</button></p>\n</form>\n",
    );
    page(status, "Sign in to the Authing emulator", &body)
}

/// Where the browser goes: the redirect URI with the query pairs added.
pub(super) fn redirect(target: &str, pairs: &[(&str, Option<&str>)]) -> Response {
    let Ok(mut url) = url::Url::parse(target) else {
        return error_page("The redirect_uri is not an absolute URL.");
    };
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in pairs {
            if let Some(value) = value {
                query.append_pair(name, value);
            }
        }
    }
    let mut response = StatusCode::FOUND.into_response();
    match HeaderValue::from_str(url.as_str()) {
        Ok(location) => {
            response.headers_mut().insert(header::LOCATION, location);
            response
        }
        Err(_) => error_page("The redirect_uri cannot be used in a Location header."),
    }
}

fn refusal(err: AuthorizeError) -> Response {
    match err {
        AuthorizeError::Page(message) => error_page(&message),
        AuthorizeError::Redirect { redirect_uri, error, description, state } => redirect(
            &redirect_uri,
            &[("error", Some(error)), ("error_description", Some(&description)), ("state", state.as_deref())],
        ),
    }
}

fn with_code(state: &State, auth: &Authorization, user_id: &str) -> Response {
    let code = state.oidc.issue_code(auth, user_id);
    redirect(&auth.redirect_uri, &[("code", Some(&code)), ("state", auth.state.as_deref())])
}

/// The session id of the request's cookie, when it names a live session.
pub(super) fn session_user(state: &State, headers: &HeaderMap) -> Option<(String, String)> {
    let sid = cookie(headers, SESSION_COOKIE)?;
    let user = state.oidc.session_user(&sid)?;
    state.users_read().get(&user).is_some().then_some((sid, user))
}

/// The value of a cookie of the `Cookie` headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// `GET /oidc/auth`.
pub(super) async fn show(AxState(state): St, uri: Uri, headers: HeaderMap, Query(p): Query<Params>) -> Response {
    let openid = uri.path().starts_with("/oidc/");
    let auth = match oidc::check_authorization(&state, &params_of(&p), openid) {
        Ok(auth) => auth,
        Err(e) => return refusal(e),
    };
    let prompt = p.get("prompt").map(String::as_str).unwrap_or_default();
    let prompts: Vec<&str> = prompt.split_whitespace().collect();
    let session = session_user(&state, &headers);
    if prompts.contains(&"none") {
        return match session {
            Some((_, user)) => with_code(&state, &auth, &user),
            None => refusal(AuthorizeError::Redirect {
                redirect_uri: auth.redirect_uri,
                error: "login_required",
                description: "prompt=none, and the browser has no session".to_owned(),
                state: auth.state,
            }),
        };
    }
    match session {
        Some((_, user)) if !prompts.contains(&"login") => with_code(&state, &auth, &user),
        _ => form(uri.path(), &p, None, StatusCode::OK),
    }
}

/// `POST /oidc/auth`: the sign-in form's answer.
pub(super) async fn submit(AxState(state): St, uri: Uri, form_body: Result<Form<Params>, FormRejection>) -> Response {
    let Ok(Form(p)) = form_body else {
        return error_page("The sign-in form must be posted as application/x-www-form-urlencoded.");
    };
    let openid = uri.path().starts_with("/oidc/");
    let auth = match oidc::check_authorization(&state, &params_of(&p), openid) {
        Ok(auth) => auth,
        Err(e) => return refusal(e),
    };
    let identifier = p.get("username").map(String::as_str).unwrap_or_default();
    let password = p.get("password").map(String::as_str).unwrap_or_default();
    let Some(user) = oidc::check_credentials(&state, identifier, password) else {
        return form(uri.path(), &p, Some("Wrong username or password."), StatusCode::UNAUTHORIZED);
    };
    let response = with_code(&state, &auth, &user.id);
    with_session(&state, &user.id, response)
}

/// Opens a browser session for the user and sets its cookie on the response.
pub(super) fn with_session(state: &State, user_id: &str, mut response: Response) -> Response {
    let sid = state.oidc.open_session(user_id);
    let cookie = format!("{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Ends the request's browser session (if any) and expires its cookie on the response.
pub(super) fn without_session(state: &State, headers: &HeaderMap, mut response: Response) -> Response {
    if let Some(sid) = cookie(headers, SESSION_COOKIE) {
        state.oidc.end_session(&sid);
    }
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `GET /oidc/session/end`: ends the browser session, then goes to `post_logout_redirect_uri` (a registered
/// redirect URI) with `state`, or shows a page.
pub(super) async fn end_session(AxState(state): St, headers: HeaderMap, Query(p): Query<Params>) -> Response {
    let target = p.get("post_logout_redirect_uri").filter(|t| !t.is_empty());
    if let Some(target) = target
        && !state.oidc.settings().redirect_uris.contains(target)
    {
        return error_page("The post_logout_redirect_uri is not registered on the application.");
    }
    let response = match target {
        Some(target) => redirect(target, &[("state", p.get("state").map(String::as_str))]),
        None => page(StatusCode::OK, "Signed out", "<p>You are signed out.</p>\n"),
    };
    without_session(&state, &headers, response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn finds_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; authing_emulator_session=abc"));
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "b"), None);
    }
}
