//! End-user GraphQL: registration, login, codes, passwords, contacts and "self" calls with a user token.

mod common;

use std::time::Duration;

use authing_emulator::Emulator;
use common::*;
use serde_json::{Value, json};

const USER: &str = "id username email emailVerified phone phoneVerified token tokenExpiredAt loginsCount lastLogin nickname registerSource newlyCreated customData { key value }";

fn enc(emu: &Emulator, password: &str) -> String {
    authing_emulator::crypto::encrypt_password(emu.public_key_pem(), password).unwrap()
}

fn doc(op: &str, input_type: &str) -> String {
    format!("mutation {op}($input: {input_type}!) {{ {op}(input: $input) {{ {USER} }} }}")
}

/// Runs an end-user operation (no token unless given); returns the body.
async fn call(emu: &Emulator, query: &str, variables: Value, token: Option<&str>) -> Value {
    gql(emu, query, variables, token).await
}

/// Runs an operation that must succeed; returns `data.<root>`.
async fn ok(emu: &Emulator, query: &str, variables: Value, token: Option<&str>, root: &str) -> Value {
    let body = call(emu, query, variables, token).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"][root].clone()
}

async fn register_email(emu: &Emulator, email: &str, password: &str, extra: Value) -> Value {
    let mut input = json!({ "email": email, "password": enc(emu, password) });
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    ok(emu, &doc("registerByEmail", "RegisterByEmailInput"), json!({ "input": input }), None, "registerByEmail").await
}

async fn register_username(emu: &Emulator, username: &str, password: &str, extra: Value) -> Value {
    let mut input = json!({ "username": username, "password": enc(emu, password) });
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    let query = doc("registerByUsername", "RegisterByUsernameInput");
    ok(emu, &query, json!({ "input": input }), None, "registerByUsername").await
}

async fn login_username(emu: &Emulator, username: &str, password: &str, extra: Value) -> Value {
    let mut input = json!({ "username": username, "password": enc(emu, password) });
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    call(emu, &doc("loginByUsername", "LoginByUsernameInput"), json!({ "input": input }), None).await
}

async fn send_sms(emu: &Emulator, phone: &str) -> String {
    let body = rest(emu, reqwest::Method::POST, "/api/v2/sms/send", None, Some(json!({ "phone": phone }))).await;
    assert_eq!(body["code"], 200, "{body}");
    emu.verification_code(phone).expect("a code was kept")
}

const SEND_EMAIL: &str = "mutation sendEmail($email: String!, $scene: EmailScene!) { sendEmail(email: $email, scene: $scene) { code message } }";

async fn send_email(emu: &Emulator, email: &str) -> String {
    let sent = ok(emu, SEND_EMAIL, json!({ "email": email, "scene": "VERIFY_CODE" }), None, "sendEmail").await;
    assert_eq!(sent["code"], 200);
    assert_eq!(sent["message"], "发送成功");
    emu.verification_code(email).expect("a code was kept")
}

fn message(body: &Value) -> &str {
    body["errors"][0]["message"]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn registration_tokens_and_duplicates() {
    let emu = Emulator::start().await.unwrap();
    let plain = register_email(&emu, "Ada@Example.com", "Passw0rd!", json!({ "profile": { "nickname": "Ada" } })).await;
    assert_eq!(plain["email"], "ada@example.com");
    assert_eq!(plain["nickname"], "Ada");
    assert_eq!(plain["registerSource"], json!(["basic:email"]));
    assert!(plain["token"].is_null(), "no token without forceLogin or generateToken: {plain}");
    assert_eq!(plain["loginsCount"], 0);

    let generated = register_username(&emu, "gen", "Passw0rd!", json!({ "generateToken": true })).await;
    let token = generated["token"].as_str().expect("generateToken gives a token");
    assert_eq!(generated["loginsCount"], 0, "generateToken is not a login");
    assert_eq!(token_status(&emu, token).await["status"], true);

    let forced = register_username(&emu, "forced", "Passw0rd!", json!({ "forceLogin": true })).await;
    let token = forced["token"].as_str().expect("forceLogin gives a token");
    assert_eq!(forced["loginsCount"], 1);
    assert!(forced["lastLogin"].is_string() && forced["tokenExpiredAt"].is_string());
    let status = token_status(&emu, token).await;
    assert_eq!(status["status"], true);
    assert_eq!(status["data"]["id"], forced["id"]);

    let dup_email = call(
        &emu,
        &doc("registerByEmail", "RegisterByEmailInput"),
        json!({ "input": { "email": "ADA@example.com", "password": enc(&emu, "x") } }),
        None,
    )
    .await;
    assert_error(&dup_email, 2026);
    let dup_name = call(
        &emu,
        &doc("registerByUsername", "RegisterByUsernameInput"),
        json!({ "input": { "username": "gen", "password": enc(&emu, "x") } }),
        None,
    )
    .await;
    assert_error(&dup_name, 2034);

    let code = send_sms(&emu, "13800000000").await;
    let query = doc("registerByPhoneCode", "RegisterByPhoneCodeInput");
    let phone_user = ok(
        &emu,
        &query,
        json!({ "input": { "phone": "13800000000", "code": code, "forceLogin": true } }),
        None,
        "registerByPhoneCode",
    )
    .await;
    assert_eq!(phone_user["phone"], "13800000000");
    assert_eq!(phone_user["phoneVerified"], true);
    let code = send_sms(&emu, "13800000000").await;
    let dup_phone = call(&emu, &query, json!({ "input": { "phone": "13800000000", "code": code } }), None).await;
    assert_error(&dup_phone, 2035);
    assert_eq!(emu.verification_code("13800000000"), Some(code), "a refused registration leaves the code unused");

    let bad = call(
        &emu,
        &doc("registerByEmail", "RegisterByEmailInput"),
        json!({ "input": { "email": "not-an-address", "password": enc(&emu, "x") } }),
        None,
    )
    .await;
    assert_error(&bad, 2003);
    let undecryptable = call(
        &emu,
        &doc("registerByUsername", "RegisterByUsernameInput"),
        json!({ "input": { "username": "plain", "password": "plain text" } }),
        None,
    )
    .await;
    assert_error(&undecryptable, 2016);
}

#[tokio::test]
async fn registration_params_are_custom_data() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let set_udf = "mutation setUdf($targetType: UDFTargetType!, $key: String!, $dataType: UDFDataType!, $label: String!) { setUdf(targetType: $targetType, key: $key, dataType: $dataType, label: $label) { key } }";
    mgmt_ok(
        &emu,
        &mt,
        set_udf,
        json!({ "targetType": "USER", "key": "age", "dataType": "NUMBER", "label": "Age" }),
        "setUdf",
    )
    .await;
    mgmt_ok(
        &emu,
        &mt,
        set_udf,
        json!({ "targetType": "USER", "key": "school", "dataType": "STRING", "label": "School" }),
        "setUdf",
    )
    .await;
    let user = register_email(
        &emu,
        "ada@example.com",
        "Passw0rd!",
        json!({
            "params": r#"[{"key":"age","value":18}]"#,
            "context": r#"{"source":"test"}"#,
            "profile": { "udf": [{ "key": "school", "value": "\"ucla\"" }] },
        }),
    )
    .await;
    assert_eq!(user["customData"], json!([{ "key": "age", "value": "18" }, { "key": "school", "value": "ucla" }]));
    let wrong = call(
        &emu,
        &doc("registerByEmail", "RegisterByEmailInput"),
        json!({ "input": { "email": "b@example.com", "password": enc(&emu, "x"), "params": r#"[{"key":"age","value":"18"}]"# } }),
        None,
    )
    .await;
    assert_error(&wrong, 400);
    assert_eq!(
        call(&emu, IS_USER_EXISTS, json!({ "email": "b@example.com" }), Some(&mt)).await["data"]["isUserExists"],
        false
    );
}

#[tokio::test]
async fn password_logins() {
    let emu = Emulator::start().await.unwrap();
    register_username(&emu, "ada", "Passw0rd!", json!({})).await;
    let body = login_username(&emu, "ada", "Passw0rd!", json!({})).await;
    let user = &body["data"]["loginByUsername"];
    assert_eq!(user["loginsCount"], 1, "{body}");
    assert_eq!(user["newlyCreated"], false);
    let token = user["token"].as_str().unwrap();
    assert_eq!(token_status(&emu, token).await["status"], true);

    let wrong = login_username(&emu, "ada", "nope", json!({})).await;
    assert_error(&wrong, 2333);
    assert_eq!(message(&wrong), "用户名或密码错误");
    let unknown = login_username(&emu, "nobody", "Passw0rd!", json!({})).await;
    assert_error(&unknown, 2004);
    assert_eq!(message(&unknown), "用户不存在");

    let auto = login_username(&emu, "newcomer", "Passw0rd!", json!({ "autoRegister": true })).await;
    let auto = &auto["data"]["loginByUsername"];
    assert_eq!(auto["username"], "newcomer");
    assert_eq!(auto["newlyCreated"], true);
    assert_eq!(auto["loginsCount"], 1);
    assert_eq!(token_status(&emu, auto["token"].as_str().unwrap()).await["status"], true);

    let email_doc = doc("loginByEmail", "LoginByEmailInput");
    register_email(&emu, "grace@example.com", "Passw0rd!", json!({})).await;
    let by_email = ok(
        &emu,
        &email_doc,
        json!({ "input": { "email": "GRACE@example.com", "password": enc(&emu, "Passw0rd!") } }),
        None,
        "loginByEmail",
    )
    .await;
    assert_eq!(by_email["email"], "grace@example.com");
    let by_email_unknown =
        call(&emu, &email_doc, json!({ "input": { "email": "x@example.com", "password": enc(&emu, "p") } }), None)
            .await;
    assert_error(&by_email_unknown, 2004);

    let phone_doc = doc("loginByPhonePassword", "LoginByPhonePasswordInput");
    let auto_phone = ok(
        &emu,
        &phone_doc,
        json!({ "input": { "phone": "13700000000", "password": enc(&emu, "Passw0rd!"), "autoRegister": true } }),
        None,
        "loginByPhonePassword",
    )
    .await;
    assert_eq!(auto_phone["phone"], "13700000000");
    let again = ok(
        &emu,
        &phone_doc,
        json!({ "input": { "phone": "13700000000", "password": enc(&emu, "Passw0rd!") } }),
        None,
        "loginByPhonePassword",
    )
    .await;
    assert_eq!(again["id"], auto_phone["id"]);

    let sub = call(
        &emu,
        "mutation loginBySubAccount($account: String!, $password: String!) { loginBySubAccount(account: $account, password: $password) { id } }",
        json!({ "account": "ada", "password": enc(&emu, "Passw0rd!") }),
        None,
    )
    .await;
    assert_error(&sub, 2004);
}

#[tokio::test]
async fn captcha_after_five_failures() {
    let emu = Emulator::start().await.unwrap();
    register_username(&emu, "ada", "Passw0rd!", json!({})).await;
    for _ in 0..5 {
        assert_error(&login_username(&emu, "ada", "wrong", json!({})).await, 2333);
    }
    let locked = login_username(&emu, "ada", "Passw0rd!", json!({})).await;
    assert_error(&locked, 2000);
    assert_error(&login_username(&emu, "ada", "wrong", json!({ "captchaCode": "xj72" })).await, 2333);
    assert_error(&login_username(&emu, "ada", "Passw0rd!", json!({})).await, 2000);
    let unlocked = login_username(&emu, "ada", "Passw0rd!", json!({ "captchaCode": "xj72" })).await;
    assert!(unlocked.get("errors").is_none(), "{unlocked}");
    let plain = login_username(&emu, "ada", "Passw0rd!", json!({})).await;
    assert!(plain.get("errors").is_none(), "a correct login clears the count: {plain}");
}

#[tokio::test]
async fn phone_codes_are_single_use_and_expire() {
    let emu = Emulator::builder().verification_code_ttl(Duration::from_millis(1000)).start().await.unwrap();
    let query = doc("loginByPhoneCode", "LoginByPhoneCodeInput");
    let code = send_sms(&emu, "13800000000").await;
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));

    let unknown = call(&emu, &query, json!({ "input": { "phone": "13800000000", "code": code } }), None).await;
    assert_error(&unknown, 2004);
    assert_eq!(emu.verification_code("13800000000"), None, "the code was used");

    let code = send_sms(&emu, "13800000000").await;
    let wrong = call(&emu, &query, json!({ "input": { "phone": "13800000000", "code": "x" } }), None).await;
    assert_error(&wrong, 2001);
    assert_eq!(message(&wrong), "验证码不正确");
    let user = ok(
        &emu,
        &query,
        json!({ "input": { "phone": "13800000000", "code": code, "autoRegister": true } }),
        None,
        "loginByPhoneCode",
    )
    .await;
    assert_eq!(user["phone"], "13800000000");
    assert_eq!(user["newlyCreated"], true);
    assert!(user["token"].is_string());
    let reused = call(&emu, &query, json!({ "input": { "phone": "13800000000", "code": code } }), None).await;
    assert_error(&reused, 2001);
    assert_eq!(message(&reused), "验证码已使用");

    let old = send_sms(&emu, "13800000000").await;
    let latest = send_sms(&emu, "13800000000").await;
    if old != latest {
        let stale = call(&emu, &query, json!({ "input": { "phone": "13800000000", "code": old } }), None).await;
        assert_error(&stale, 2001);
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(emu.verification_code("13800000000"), None, "expired");
    let expired = call(&emu, &query, json!({ "input": { "phone": "13800000000", "code": latest } }), None).await;
    assert_error(&expired, 2001);
    assert_eq!(message(&expired), "验证码已过期");

    let code = send_sms(&emu, "13800000000").await;
    let known =
        ok(&emu, &query, json!({ "input": { "phone": "13800000000", "code": code } }), None, "loginByPhoneCode").await;
    assert_eq!(known["id"], user["id"]);
    assert_eq!(known["loginsCount"], 2);

    let bad_email = call(&emu, SEND_EMAIL, json!({ "email": "nope", "scene": "VERIFY_CODE" }), None).await;
    assert_error(&bad_email, 2003);
}

#[tokio::test]
async fn login_tokens_are_revoked_by_kick_logout_and_deletion() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let ada = register_username(&emu, "ada", "Passw0rd!", json!({ "forceLogin": true })).await;
    let token = ada["token"].as_str().unwrap().to_owned();
    let refreshed = ok(&emu, "mutation { refreshToken { token } }", json!({}), Some(&token), "refreshToken").await;
    assert!(refreshed["token"].is_string(), "the self form takes a login token");

    let kicked =
        rest(&emu, reqwest::Method::POST, "/api/v2/users/kick", Some(&mt), Some(json!({ "userIds": [ada["id"]] })))
            .await;
    assert_eq!(kicked["code"], 200);
    assert_eq!(token_status(&emu, &token).await["status"], false);
    assert_eq!(rest_get(&emu, "/api/v2/users/me", Some(&token)).await.1["code"], 2020);

    let again = login_username(&emu, "ada", "Passw0rd!", json!({})).await;
    let token = again["data"]["loginByUsername"]["token"].as_str().unwrap().to_owned();
    let path = format!("/logout?appId={}&userId={}", emu.app_id(), ada["id"].as_str().unwrap());
    assert_eq!(rest_get(&emu, &path, Some(&mt)).await.1["code"], 200);
    assert_eq!(token_status(&emu, &token).await["status"], false, "management logout");

    let again = login_username(&emu, "ada", "Passw0rd!", json!({})).await;
    let token = again["data"]["loginByUsername"]["token"].as_str().unwrap().to_owned();
    let delete = "mutation deleteUser($id: String!) { deleteUser(id: $id) { code } }";
    mgmt_ok(&emu, &mt, delete, json!({ "id": ada["id"] }), "deleteUser").await;
    assert_eq!(token_status(&emu, &token).await["status"], false, "deleted user");
    assert_eq!(rest_get(&emu, "/api/v2/users/me", Some(&token)).await.1["code"], 2020);
}

#[tokio::test]
async fn passwords_reset_update_and_strength() {
    let emu = Emulator::start().await.unwrap();
    let user = register_email(&emu, "ada@example.com", "Old-Passw0rd", json!({ "forceLogin": true })).await;
    let token = user["token"].as_str().unwrap().to_owned();
    let update = format!(
        "mutation updatePassword($newPassword: String!, $oldPassword: String) {{ updatePassword(newPassword: $newPassword, oldPassword: $oldPassword) {{ {USER} }} }}"
    );
    let wrong =
        call(&emu, &update, json!({ "newPassword": enc(&emu, "x"), "oldPassword": enc(&emu, "bad") }), Some(&token))
            .await;
    assert_error(&wrong, 2006);
    let missing = call(&emu, &update, json!({ "newPassword": enc(&emu, "x") }), Some(&token)).await;
    assert_error(&missing, 2006);
    let anonymous = call(&emu, &update, json!({ "newPassword": enc(&emu, "x") }), None).await;
    assert_error(&anonymous, 2020);
    ok(
        &emu,
        &update,
        json!({ "newPassword": enc(&emu, "Mid-Passw0rd"), "oldPassword": enc(&emu, "Old-Passw0rd") }),
        Some(&token),
        "updatePassword",
    )
    .await;
    assert!(emu.check_user_password(user["id"].as_str().unwrap(), "Mid-Passw0rd"));

    let reset = "mutation resetPassword($phone: String, $email: String, $code: String!, $newPassword: String!) { resetPassword(phone: $phone, email: $email, code: $code, newPassword: $newPassword) { code message } }";
    let code = send_email(&emu, "ada@example.com").await;
    let bad = call(
        &emu,
        reset,
        json!({ "email": "ada@example.com", "code": "000000x", "newPassword": enc(&emu, "N") }),
        None,
    )
    .await;
    assert_error(&bad, 2001);
    let done = ok(
        &emu,
        reset,
        json!({ "email": "ada@example.com", "code": code, "newPassword": enc(&emu, "New-Passw0rd") }),
        None,
        "resetPassword",
    )
    .await;
    assert_eq!(done["code"], 200);
    assert!(emu.check_user_password(user["id"].as_str().unwrap(), "New-Passw0rd"));
    let code = send_email(&emu, "nobody@example.com").await;
    let unknown =
        call(&emu, reset, json!({ "email": "nobody@example.com", "code": code, "newPassword": enc(&emu, "N") }), None)
            .await;
    assert_error(&unknown, 2004);

    let strength = "query checkPasswordStrength($password: String!) { checkPasswordStrength(password: $password) { valid message } }";
    for (password, valid) in [
        ("abc123", false),
        ("abcdefgh123", false),
        ("Tr0ub4dor&3-Horse", true),
        ("Abcdefg1!", true),
        ("ABCdef12", true),
    ] {
        let res = ok(&emu, strength, json!({ "password": password }), None, "checkPasswordStrength").await;
        assert_eq!(res["valid"], valid, "{password}: {res}");
        assert!(res["message"].is_string());
    }
    // registration does not enforce the rule
    register_username(&emu, "weak", "abc", json!({})).await;
}

#[tokio::test]
async fn first_login_and_forced_resets() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let created = mgmt_ok(
        &emu,
        &mt,
        &create_user_doc(),
        json!({ "userInfo": { "username": "ada", "password": enc(&emu, "Initial-1") }, "resetPasswordOnFirstLogin": true }),
        "createUser",
    )
    .await;
    let refused = login_username(&emu, "ada", "Initial-1", json!({})).await;
    assert_error(&refused, 2058);
    let data = &refused["errors"][0]["message"]["data"];
    assert_eq!(data["scene"], "FIRST_LOGIN");
    let ticket = data["token"].as_str().unwrap().to_owned();
    let first = "mutation resetPasswordByFirstLoginToken($token: String!, $password: String!) { resetPasswordByFirstLoginToken(token: $token, password: $password) { code message } }";
    let bad = call(&emu, first, json!({ "token": "nope", "password": enc(&emu, "Chosen-1") }), None).await;
    assert_error(&bad, 2020);
    let done = ok(
        &emu,
        first,
        json!({ "token": ticket, "password": enc(&emu, "Chosen-1") }),
        None,
        "resetPasswordByFirstLoginToken",
    )
    .await;
    assert_eq!(done["code"], 200);
    let reused = call(&emu, first, json!({ "token": ticket, "password": enc(&emu, "Other-1") }), None).await;
    assert_error(&reused, 2020);
    let logged = login_username(&emu, "ada", "Chosen-1", json!({})).await;
    assert!(logged.get("errors").is_none(), "{logged}");
    let token = logged["data"]["loginByUsername"]["token"].as_str().unwrap().to_owned();

    assert!(emu.require_password_reset(created["id"].as_str().unwrap()));
    assert!(!emu.require_password_reset("nobody"));
    let refused = login_username(&emu, "ada", "Chosen-1", json!({})).await;
    assert_error(&refused, 2058);
    assert_eq!(refused["errors"][0]["message"]["data"]["scene"], "FORCE_RESET");
    let ticket = refused["errors"][0]["message"]["data"]["token"].as_str().unwrap().to_owned();
    let force = "mutation resetPasswordByForceResetToken($token: String!, $oldPassword: String!, $newPassword: String!) { resetPasswordByForceResetToken(token: $token, oldPassword: $oldPassword, newPassword: $newPassword) { code message } }";
    let wrong_old = call(
        &emu,
        force,
        json!({ "token": ticket, "oldPassword": enc(&emu, "bad"), "newPassword": enc(&emu, "Forced-1") }),
        None,
    )
    .await;
    assert_error(&wrong_old, 2006);
    ok(
        &emu,
        force,
        json!({ "token": ticket, "oldPassword": enc(&emu, "Chosen-1"), "newPassword": enc(&emu, "Forced-1") }),
        None,
        "resetPasswordByForceResetToken",
    )
    .await;
    assert!(login_username(&emu, "ada", "Forced-1", json!({})).await.get("errors").is_none());
    // a valid user token works as the token too (as the official tests use it)
    ok(
        &emu,
        force,
        json!({ "token": token, "oldPassword": enc(&emu, "Forced-1"), "newPassword": enc(&emu, "Again-1") }),
        None,
        "resetPasswordByForceResetToken",
    )
    .await;
    assert!(emu.check_user_password(created["id"].as_str().unwrap(), "Again-1"));
}

#[tokio::test]
async fn end_users_update_their_profile_but_not_their_identifiers() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let ada = register_email(&emu, "ada@example.com", "Passw0rd!", json!({ "forceLogin": true })).await;
    let other = register_username(&emu, "grace", "Passw0rd!", json!({})).await;
    let token = ada["token"].as_str().unwrap().to_owned();
    let update = format!(
        "mutation updateUser($id: String, $input: UpdateUserInput!) {{ updateUser(id: $id, input: $input) {{ {USER} }} }}"
    );
    let me =
        ok(&emu, &update, json!({ "id": ada["id"], "input": { "nickname": "Countess" } }), Some(&token), "updateUser")
            .await;
    assert_eq!(me["nickname"], "Countess");
    for input in [
        json!({ "email": "new@example.com" }),
        json!({ "phone": "13800000000" }),
        json!({ "unionid": "u" }),
        json!({ "openid": "o" }),
    ] {
        let refused = call(&emu, &update, json!({ "id": ada["id"], "input": input }), Some(&token)).await;
        assert_error(&refused, 1001);
    }
    let foreign = call(&emu, &update, json!({ "id": other["id"], "input": { "nickname": "x" } }), Some(&token)).await;
    assert_error(&foreign, 1001);
    let by_admin =
        ok(&emu, &update, json!({ "id": ada["id"], "input": { "email": "new@example.com" } }), Some(&mt), "updateUser")
            .await;
    assert_eq!(by_admin["email"], "new@example.com");
    let nobody = call(&emu, &update, json!({ "id": ada["id"], "input": { "nickname": "x" } }), None).await;
    assert_error(&nobody, 2020);
}

#[tokio::test]
async fn binding_and_unbinding_contacts() {
    let emu = Emulator::start().await.unwrap();
    let ada = register_email(&emu, "ada@example.com", "Passw0rd!", json!({ "forceLogin": true })).await;
    let token = ada["token"].as_str().unwrap().to_owned();
    register_username(
        &emu,
        "grace",
        "Passw0rd!",
        json!({ "profile": { "phone": "13900000000", "email": "grace@example.com" } }),
    )
    .await;

    let unbind_email = format!("mutation {{ unbindEmail {{ {USER} }} }}");
    let unbind_phone = format!("mutation {{ unbindPhone {{ {USER} }} }}");
    let last = call(&emu, &unbind_email, json!({}), Some(&token)).await;
    assert_error(&last, 400);
    assert!(message(&last).contains("登录方式"), "{last}");

    let bind_phone = format!(
        "mutation bindPhone($phone: String!, $phoneCode: String!) {{ bindPhone(phone: $phone, phoneCode: $phoneCode) {{ {USER} }} }}"
    );
    let code = send_sms(&emu, "13900000000").await;
    let taken = call(&emu, &bind_phone, json!({ "phone": "13900000000", "phoneCode": code }), Some(&token)).await;
    assert_error(&taken, 2035);
    let wrong = call(&emu, &bind_phone, json!({ "phone": "13800000000", "phoneCode": "123" }), Some(&token)).await;
    assert_error(&wrong, 2001);
    let code = send_sms(&emu, "13800000000").await;
    let bound =
        ok(&emu, &bind_phone, json!({ "phone": "13800000000", "phoneCode": code }), Some(&token), "bindPhone").await;
    assert_eq!(bound["phone"], "13800000000");
    assert_eq!(bound["phoneVerified"], true);

    let update_phone = format!(
        "mutation updatePhone($phone: String!, $phoneCode: String!, $oldPhone: String, $oldPhoneCode: String) {{ updatePhone(phone: $phone, phoneCode: $phoneCode, oldPhone: $oldPhone, oldPhoneCode: $oldPhoneCode) {{ {USER} }} }}"
    );
    let new_code = send_sms(&emu, "13700000000").await;
    let old_code = send_sms(&emu, "13800000000").await;
    let updated = ok(
        &emu,
        &update_phone,
        json!({ "phone": "13700000000", "phoneCode": new_code, "oldPhone": "13800000000", "oldPhoneCode": old_code }),
        Some(&token),
        "updatePhone",
    )
    .await;
    assert_eq!(updated["phone"], "13700000000");

    let unbound = ok(&emu, &unbind_email, json!({}), Some(&token), "unbindEmail").await;
    assert!(unbound["email"].is_null(), "the phone remains: {unbound}");
    let none = call(&emu, &unbind_email, json!({}), Some(&token)).await;
    assert_error(&none, 400);
    let last = call(&emu, &unbind_phone, json!({}), Some(&token)).await;
    assert_error(&last, 400);

    let bind_email = format!(
        "mutation bindEmail($email: String!, $emailCode: String!) {{ bindEmail(email: $email, emailCode: $emailCode) {{ {USER} }} }}"
    );
    let code = send_email(&emu, "grace@example.com").await;
    let taken = call(&emu, &bind_email, json!({ "email": "grace@example.com", "emailCode": code }), Some(&token)).await;
    assert_error(&taken, 2026);
    let code = send_email(&emu, "ada2@example.com").await;
    let bound =
        ok(&emu, &bind_email, json!({ "email": "ada2@example.com", "emailCode": code }), Some(&token), "bindEmail")
            .await;
    assert_eq!(bound["email"], "ada2@example.com");
    assert_eq!(bound["emailVerified"], true);

    let update_email = format!(
        "mutation updateEmail($email: String!, $emailCode: String!) {{ updateEmail(email: $email, emailCode: $emailCode) {{ {USER} }} }}"
    );
    let code = send_email(&emu, "ada3@example.com").await;
    let changed =
        ok(&emu, &update_email, json!({ "email": "ada3@example.com", "emailCode": code }), Some(&token), "updateEmail")
            .await;
    assert_eq!(changed["email"], "ada3@example.com");
    let unbound = ok(&emu, &unbind_phone, json!({}), Some(&token), "unbindPhone").await;
    assert!(unbound["phone"].is_null());
    let anonymous = call(&emu, &unbind_phone, json!({}), None).await;
    assert_error(&anonymous, 2020);
}

#[tokio::test]
async fn self_calls_with_a_user_token() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let set_udf = "mutation setUdf($targetType: UDFTargetType!, $key: String!, $dataType: UDFDataType!, $label: String!) { setUdf(targetType: $targetType, key: $key, dataType: $dataType, label: $label) { key } }";
    mgmt_ok(
        &emu,
        &mt,
        set_udf,
        json!({ "targetType": "USER", "key": "school", "dataType": "STRING", "label": "School" }),
        "setUdf",
    )
    .await;
    let ada = register_username(&emu, "ada", "Passw0rd!", json!({ "forceLogin": true })).await;
    let other = register_username(&emu, "grace", "Passw0rd!", json!({})).await;
    let token = ada["token"].as_str().unwrap().to_owned();
    let id = ada["id"].as_str().unwrap();

    let batch = "mutation setUdvBatch($targetType: UDFTargetType!, $targetId: String!, $udvList: [UserDefinedDataInput!]) { setUdvBatch(targetType: $targetType, targetId: $targetId, udvList: $udvList) { key value } }";
    let set = ok(
        &emu,
        batch,
        json!({ "targetType": "USER", "targetId": id, "udvList": [{ "key": "school", "value": "\"ucla\"" }] }),
        Some(&token),
        "setUdvBatch",
    )
    .await;
    assert_eq!(set, json!([{ "key": "school", "value": "ucla" }]));
    let foreign = call(
        &emu,
        batch,
        json!({ "targetType": "USER", "targetId": other["id"], "udvList": [{ "key": "school", "value": "\"x\"" }] }),
        Some(&token),
    )
    .await;
    assert_error(&foreign, 1001);
    let udv = "query udv($targetType: UDFTargetType!, $targetId: String!) { udv(targetType: $targetType, targetId: $targetId) { key value } }";
    assert_eq!(
        ok(&emu, udv, json!({ "targetType": "USER", "targetId": id }), Some(&token), "udv").await[0]["value"],
        "ucla"
    );
    let role_target = call(&emu, udv, json!({ "targetType": "ROLE", "targetId": id }), Some(&token)).await;
    assert_error(&role_target, 1001);
    let set_one = "mutation setUdv($targetType: UDFTargetType!, $targetId: String!, $key: String!, $value: String!) { setUdv(targetType: $targetType, targetId: $targetId, key: $key, value: $value) { key value } }";
    let one = ok(
        &emu,
        set_one,
        json!({ "targetType": "USER", "targetId": id, "key": "school", "value": "\"mit\"" }),
        Some(&token),
        "setUdv",
    )
    .await;
    assert_eq!(one[0]["value"], "mit");
    let remove = "mutation removeUdv($targetType: UDFTargetType!, $targetId: String!, $key: String!) { removeUdv(targetType: $targetType, targetId: $targetId, key: $key) { key } }";
    let rest =
        ok(&emu, remove, json!({ "targetType": "USER", "targetId": id, "key": "school" }), Some(&token), "removeUdv")
            .await;
    assert_eq!(rest, json!([]));

    let create_role = "mutation createRole($code: String!) { createRole(code: $code) { code } }";
    mgmt_ok(&emu, &mt, create_role, json!({ "code": "editor" }), "createRole").await;
    let assign = "mutation assignRole($roleCode: String, $userIds: [String!]) { assignRole(roleCode: $roleCode, userIds: $userIds) { code } }";
    mgmt_ok(&emu, &mt, assign, json!({ "roleCode": "editor", "userIds": [id] }), "assignRole").await;
    let user = "query user($id: String) { user(id: $id) { id username roles { totalCount list { code } } groups { totalCount } departments { totalCount } authorizedResources(namespace: \"default\") { totalCount } } }";
    let me = ok(&emu, user, json!({ "id": id }), Some(&token), "user").await;
    assert_eq!(me["username"], "ada");
    assert_eq!(me["roles"]["list"][0]["code"], "editor");
    assert_eq!(me["groups"]["totalCount"], 0);
    assert_eq!(me["departments"]["totalCount"], 0);
    assert_eq!(me["authorizedResources"]["totalCount"], 0);
    let implicit = ok(&emu, user, json!({}), Some(&token), "user").await;
    assert_eq!(implicit["id"], id, "without id: the caller");
    assert_error(&call(&emu, user, json!({ "id": other["id"] }), Some(&token)).await, 1001);
    let users = call(&emu, "query { users { totalCount } }", json!({}), Some(&token)).await;
    assert_error(&users, 2020);

    // isUserExists: a management token, a user token or the application's id
    assert_error(&call(&emu, IS_USER_EXISTS, json!({ "username": "ada" }), None).await, 2020);
    assert_eq!(
        call(&emu, IS_USER_EXISTS, json!({ "username": "ada" }), Some(&token)).await["data"]["isUserExists"],
        true
    );
    let with_app = client()
        .post(format!("{}/graphql/v2", emu.host()))
        .header("x-authing-app-id", emu.app_id())
        .json(&json!({ "query": IS_USER_EXISTS, "variables": { "username": "nobody" } }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(with_app["data"]["isUserExists"], false, "{with_app}");
    let other_app = client()
        .post(format!("{}/graphql/v2", emu.host()))
        .header("x-authing-app-id", "someone-else")
        .json(&json!({ "query": IS_USER_EXISTS, "variables": { "username": "ada" } }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_error(&other_app, 2020);
}
