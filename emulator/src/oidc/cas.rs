//! The application as a CAS identity provider (Authing's `/cas-idp/{appId}` paths) and `/cas/session`.
//!
//! * `GET /cas-idp/{appId}?service=` (CAS login): the service must be one of the application's redirect URIs
//!   (else a 400 page); with a session cookie (and without `renew=true`) the browser goes straight back to the
//!   service with `ticket=ST-…`, otherwise the sign-in form is shown and `POST /cas-idp/{appId}` signs in.
//! * `GET /cas-idp/{appId}/validate?service=&ticket=` (CAS 1.0): `text/plain` `yes\n<user>\n` or `no\n`.
//! * `GET /cas-idp/{appId}/serviceValidate?service=&ticket=&format=JSON|XML` (CAS 2.0, XML by default):
//!   `authenticationSuccess` with `user` and `attributes`, or `authenticationFailure` with `INVALID_REQUEST`,
//!   `INVALID_TICKET` or `INVALID_SERVICE`. A ticket is used up by its first validation attempt.
//! * `GET /cas-idp/logout?url=`: ends the browser session, then goes to `url` when it is a redirect URI of the
//!   application.
//! * `GET /cas/session`: `{session: {appId, userId}, userInfo: {…}}` for the browser's session cookie, else
//!   `null`.
//!
//! The CAS user name is the username, else the e-mail, else the phone, else the user id.

use axum::Json;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::authorize::{error_page, escape, redirect, session_user, sign_in_form, with_session, without_session};
use super::{Params, St};
use crate::store::oidc;
use crate::store::state::State;
use crate::store::users::User;

/// The checked service of a login request, or why it is refused (shown on the page).
fn service(state: &State, app_id: &str, p: &Params) -> Result<String, &'static str> {
    if app_id != state.app.id {
        return Err("The path names no application of this user pool.");
    }
    let Some(service) = p.get("service").filter(|s| !s.is_empty()) else {
        return Err("The request has no service.");
    };
    if !state.oidc.settings().redirect_uris.contains(service) {
        return Err("The service is not a redirect URI of the application.");
    }
    Ok(service.clone())
}

fn with_ticket(state: &State, service: &str, user_id: &str) -> Response {
    let ticket = state.oidc.cas.issue(service, user_id);
    redirect(service, &[("ticket", Some(&ticket))])
}

/// `GET /cas-idp/{appId}`.
pub(super) async fn login(
    AxState(state): St,
    Path(app_id): Path<String>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Response {
    let service = match service(&state, &app_id, &p) {
        Ok(s) => s,
        Err(message) => return error_page(message),
    };
    let renew = p.get("renew").is_some_and(|r| r == "true");
    match session_user(&state, &headers) {
        Some((_, user)) if !renew => with_ticket(&state, &service, &user),
        _ => sign_in_form(&format!("/cas-idp/{app_id}"), &[("service", &service)], None, StatusCode::OK),
    }
}

/// `POST /cas-idp/{appId}`: the sign-in form's answer.
pub(super) async fn submit(
    AxState(state): St,
    Path(app_id): Path<String>,
    form: Result<Form<Params>, FormRejection>,
) -> Response {
    let Ok(Form(p)) = form else {
        return error_page("The sign-in form must be posted as application/x-www-form-urlencoded.");
    };
    let service = match service(&state, &app_id, &p) {
        Ok(s) => s,
        Err(message) => return error_page(message),
    };
    let identifier = p.get("username").map(String::as_str).unwrap_or_default();
    let password = p.get("password").map(String::as_str).unwrap_or_default();
    let Some(user) = oidc::check_credentials(&state, identifier, password) else {
        let action = format!("/cas-idp/{app_id}");
        return sign_in_form(
            &action,
            &[("service", &service)],
            Some("Wrong username or password."),
            StatusCode::UNAUTHORIZED,
        );
    };
    let response = with_ticket(&state, &service, &user.id);
    with_session(&state, &user.id, response)
}

fn cas_user(user: &User) -> String {
    user.username
        .clone()
        .or_else(|| user.email.clone())
        .or_else(|| user.phone.clone())
        .unwrap_or_else(|| user.id.clone())
}

fn attributes(state: &State, user: &User) -> Value {
    json!({
        "id": user.id,
        "userPoolId": state.pool.id,
        "username": user.username,
        "email": user.email,
        "phone": user.phone,
        "nickname": user.nickname,
    })
}

/// Validates the ticket of a request for the path's application: the user, or the CAS failure code.
fn validate(state: &State, app_id: &str, p: &Params) -> Result<User, (&'static str, &'static str)> {
    let ticket = p.get("ticket").filter(|t| !t.is_empty());
    let service = p.get("service").filter(|s| !s.is_empty());
    let (Some(ticket), Some(service)) = (ticket, service) else {
        return Err(("INVALID_REQUEST", "service and ticket are required"));
    };
    if app_id != state.app.id {
        return Err(("INVALID_SERVICE", "the path names no application of this user pool"));
    }
    let user_id = state.oidc.cas.validate(ticket, service).map_err(|e| (e.code(), e.description()))?;
    state.users_read().get(&user_id).cloned().ok_or(("INVALID_TICKET", "the user no longer exists"))
}

fn text(body: String, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// `GET /cas-idp/{appId}/validate` (CAS 1.0).
pub(super) async fn validate_v1(AxState(state): St, Path(app_id): Path<String>, Query(p): Query<Params>) -> Response {
    match validate(&state, &app_id, &p) {
        Ok(user) => text(format!("yes\n{}\n", cas_user(&user)), "text/plain; charset=utf-8"),
        Err(_) => text("no\n".to_owned(), "text/plain; charset=utf-8"),
    }
}

/// `GET /cas-idp/{appId}/serviceValidate` (CAS 2.0).
pub(super) async fn validate_v2(AxState(state): St, Path(app_id): Path<String>, Query(p): Query<Params>) -> Response {
    let json_format = p.get("format").is_some_and(|f| f.eq_ignore_ascii_case("json"));
    let outcome = validate(&state, &app_id, &p);
    if json_format {
        let body = match outcome {
            Ok(user) => json!({ "serviceResponse": { "authenticationSuccess": {
                "user": cas_user(&user),
                "attributes": attributes(&state, &user),
            } } }),
            Err((code, description)) => {
                json!({ "serviceResponse": { "authenticationFailure": { "code": code, "description": description } } })
            }
        };
        return Json(body).into_response();
    }
    let inner = match outcome {
        Ok(user) => {
            let mut attrs = String::new();
            if let Value::Object(map) = attributes(&state, &user) {
                for (name, value) in map {
                    if let Some(v) = value.as_str() {
                        attrs.push_str(&format!("<cas:{name}>{}</cas:{name}>", escape(v)));
                    }
                }
            }
            format!(
                "<cas:authenticationSuccess><cas:user>{}</cas:user><cas:attributes>{attrs}</cas:attributes></cas:authenticationSuccess>",
                escape(&cas_user(&user))
            )
        }
        Err((code, description)) => {
            format!("<cas:authenticationFailure code=\"{code}\">{}</cas:authenticationFailure>", escape(description))
        }
    };
    let xml = format!("<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">{inner}</cas:serviceResponse>\n");
    text(xml, "application/xml; charset=utf-8")
}

/// `GET /cas-idp/logout?url=`.
pub(super) async fn logout(AxState(state): St, headers: HeaderMap, Query(p): Query<Params>) -> Response {
    let target = p.get("url").filter(|u| !u.is_empty());
    if let Some(url) = target
        && !state.oidc.settings().redirect_uris.contains(url)
    {
        return error_page("The url is not a redirect URI of the application.");
    }
    let response = match target {
        Some(url) => redirect(url, &[]),
        None => super::authorize::page(StatusCode::OK, "Signed out", "<p>You are signed out.</p>\n"),
    };
    without_session(&state, &headers, response)
}

/// `GET /cas/session`.
pub(super) async fn session(AxState(state): St, headers: HeaderMap) -> Response {
    let user = session_user(&state, &headers).and_then(|(_, id)| state.users_read().get(&id).cloned());
    let body = match user {
        Some(user) => json!({
            "session": { "appId": state.app.id, "userId": user.id },
            "userInfo": attributes(&state, &user),
        }),
        None => Value::Null,
    };
    Json(body).into_response()
}
