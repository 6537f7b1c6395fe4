//! Helpers shared by the integration tests.
#![allow(dead_code)]

use authing_emulator::Emulator;
use serde_json::{Value, json};

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// POSTs a GraphQL request and returns the HTTP status and JSON body.
pub async fn gql_raw(emu: &Emulator, body: impl Into<reqwest::Body>, token: Option<&str>) -> (u16, Value) {
    let mut req =
        client().post(format!("{}/graphql/v2", emu.host())).header("content-type", "application/json").body(body);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = req.send().await.expect("request sent");
    let status = res.status().as_u16();
    let text = res.text().await.expect("body read");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, body)
}

/// POSTs `{query, variables}`, expects HTTP 200, returns the body.
pub async fn gql(emu: &Emulator, query: &str, variables: Value, token: Option<&str>) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let (status, body) = gql_raw(emu, body, token).await;
    assert_eq!(status, 200, "{body}");
    body
}

pub const ACCESS_TOKEN: &str = "query accessToken($userPoolId: String!, $secret: String!) { accessToken(userPoolId: $userPoolId, secret: $secret) { accessToken exp iat } }";

pub const IS_USER_EXISTS: &str = "query isUserExists($email: String, $phone: String, $username: String, $externalId: String) { isUserExists(email: $email, phone: $phone, username: $username, externalId: $externalId) }";

pub const CHECK_LOGIN_STATUS: &str = "query checkLoginStatus($token: String) { checkLoginStatus(token: $token) { code message status exp iat data { id userPoolId arn } } }";

/// Obtains a management token.
pub async fn management_token(emu: &Emulator) -> String {
    let body = gql(emu, ACCESS_TOKEN, json!({ "userPoolId": emu.user_pool_id(), "secret": emu.secret() }), None).await;
    body["data"]["accessToken"]["accessToken"].as_str().unwrap_or_else(|| panic!("no token: {body}")).to_owned()
}

/// Asserts that a GraphQL body carries exactly one error in Authing's object form with `code`.
pub fn assert_error(body: &Value, code: i64) {
    let errors = body["errors"].as_array().unwrap_or_else(|| panic!("no errors: {body}"));
    assert_eq!(errors.len(), 1, "{body}");
    let message = &errors[0]["message"];
    assert_eq!(message["code"], code, "{body}");
    assert!(message["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    assert_eq!(errors[0]["extensions"]["code"], code, "{body}");
    assert!(body.get("data").is_some(), "{body}");
}

/// GETs a REST path with an optional bearer token; returns status and body.
pub async fn rest_get(emu: &Emulator, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = client().get(format!("{}{path}", emu.host()));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = req.send().await.expect("request sent");
    let status = res.status().as_u16();
    (status, res.json().await.expect("JSON body"))
}

/// The user fields the tests select.
pub const USER_FIELDS: &str = "id arn status userPoolId username email emailVerified phone phoneVerified unionid openid identities { provider userIdInIdp isSocial openid userId } nickname registerSource photo password token loginsCount lastLogin lastIP signedUp blocked isDeleted name givenName familyName createdAt updatedAt externalId customData { key value label dataType } departments { totalCount list { isMainDepartment department { id name } } }";

/// Runs a management operation and returns the body (asserting HTTP 200).
pub async fn mgmt(emu: &Emulator, mt: &str, query: &str, variables: Value) -> Value {
    gql(emu, query, variables, Some(mt)).await
}

/// Runs a management operation that must succeed; returns `data.<root>`.
pub async fn mgmt_ok(emu: &Emulator, mt: &str, query: &str, variables: Value, root: &str) -> Value {
    let body = mgmt(emu, mt, query, variables).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"][root].clone()
}

/// The `createUser` document with every argument.
pub fn create_user_doc() -> String {
    format!(
        "mutation createUser($userInfo: CreateUserInput!, $keepPassword: Boolean, $resetPasswordOnFirstLogin: Boolean, $params: String, $identity: CreateUserIdentityInput) {{ createUser(userInfo: $userInfo, keepPassword: $keepPassword, resetPasswordOnFirstLogin: $resetPasswordOnFirstLogin, params: $params, identity: $identity) {{ {USER_FIELDS} }} }}"
    )
}

/// Creates a user from `userInfo` (a `password` in it is encrypted first); returns the user.
pub async fn create_user(emu: &Emulator, mt: &str, mut user_info: Value) -> Value {
    if let Some(pw) = user_info.get("password").and_then(Value::as_str) {
        let sent = authing_emulator::crypto::encrypt_password(emu.public_key_pem(), pw).unwrap();
        user_info["password"] = json!(sent);
    }
    mgmt_ok(emu, mt, &create_user_doc(), json!({ "userInfo": user_info }), "createUser").await
}

/// Asserts a GraphQL error code, whatever the message.
pub fn assert_code(body: &Value, code: i64) {
    assert_eq!(body["errors"][0]["message"]["code"], code, "{body}");
}

/// Sends a REST request with a management token; returns the body.
pub async fn rest(
    emu: &Emulator,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Value {
    let mut req = client().request(method, format!("{}{path}", emu.host()));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.expect("request sent");
    assert_eq!(res.status().as_u16(), 200);
    res.json().await.expect("JSON body")
}

/// `refreshToken(id)` with a management token: a user token.
pub async fn user_token(emu: &Emulator, mt: &str, user_id: &str) -> String {
    let res = mgmt_ok(
        emu,
        mt,
        "mutation refreshToken($id: String) { refreshToken(id: $id) { token iat exp } }",
        json!({ "id": user_id }),
        "refreshToken",
    )
    .await;
    res["token"].as_str().unwrap().to_owned()
}

/// `checkLoginStatus(token).status`.
pub async fn token_status(emu: &Emulator, token: &str) -> Value {
    let body = gql(emu, CHECK_LOGIN_STATUS, json!({ "token": token }), None).await;
    body["data"]["checkLoginStatus"].clone()
}
