//! REST endpoints of user management: orgs, kick, logout, login status, user actions.

mod common;

use authing_emulator::Emulator;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn setup() -> (Emulator, String, String) {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let user = create_user(&emu, &mt, json!({ "username": "ada" })).await;
    (emu, mt, user["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn orgs_of_a_user() {
    let (emu, mt, id) = setup().await;
    let body = rest(&emu, Method::GET, &format!("/api/v2/users/{id}/orgs"), Some(&mt), None).await;
    assert_eq!(body["code"], 200);
    assert_eq!(body["data"], json!([]));
    let path = format!("/api/v2/users/{}/orgs", "0".repeat(24));
    let body = rest(&emu, Method::GET, &path, Some(&mt), None).await;
    assert_eq!(body["code"], 2004);
    assert_eq!(body["message"], "用户不存在");
    assert_eq!(body["data"], Value::Null);
    let body = rest(&emu, Method::GET, &format!("/api/v2/users/{id}/orgs"), None, None).await;
    assert_eq!(body["code"], 2020);
}

#[tokio::test]
async fn kick_revokes_every_token() {
    let (emu, mt, id) = setup().await;
    let t1 = user_token(&emu, &mt, &id).await;
    let t2 = user_token(&emu, &mt, &id).await;
    assert_eq!(token_status(&emu, &t1).await["status"], true);
    let body = rest(
        &emu,
        Method::POST,
        "/api/v2/users/kick",
        Some(&mt),
        Some(json!({ "userIds": [id, "000000000000000000000000"] })),
    )
    .await;
    assert_eq!(body["code"], 200);
    assert_eq!(body["data"], Value::Null);
    for t in [&t1, &t2] {
        let status = token_status(&emu, t).await;
        assert_eq!(status["status"], false);
        assert_eq!(status["code"], 2020);
    }
    // a token signed afterwards works
    let t3 = user_token(&emu, &mt, &id).await;
    assert_eq!(token_status(&emu, &t3).await["status"], true);

    let body = rest(&emu, Method::POST, "/api/v2/users/kick", Some(&mt), Some(json!({ "ids": [] }))).await;
    assert_eq!(body["code"], 400);
    let body = rest(&emu, Method::POST, "/api/v2/users/kick", None, Some(json!({ "userIds": [] }))).await;
    assert_eq!(body["code"], 2020);
}

#[tokio::test]
async fn logout_by_app_or_everywhere() {
    let (emu, mt, id) = setup().await;
    let t1 = user_token(&emu, &mt, &id).await;
    let body = rest(&emu, Method::GET, &format!("/logout?appId=other&userId={id}"), Some(&mt), None).await;
    assert_eq!(body["code"], 200);
    assert_eq!(token_status(&emu, &t1).await["status"], true, "another app");
    let path = format!("/logout?appId={}&userId={id}", emu.app_id());
    let body = rest(&emu, Method::GET, &path, Some(&mt), None).await;
    assert_eq!(body["code"], 200);
    assert_eq!(token_status(&emu, &t1).await["status"], false);
    let t2 = user_token(&emu, &mt, &id).await;
    let body = rest(&emu, Method::GET, &format!("/logout?userId={id}&appId="), Some(&mt), None).await;
    assert_eq!(body["code"], 200);
    assert_eq!(token_status(&emu, &t2).await["status"], false);
    // unknown users are no error; a missing userId is
    let body = rest(&emu, Method::GET, "/logout?userId=nobody", Some(&mt), None).await;
    assert_eq!(body["code"], 200);
    let body = rest(&emu, Method::GET, "/logout", Some(&mt), None).await;
    assert_eq!(body["code"], 400);
    let body = rest(&emu, Method::GET, &format!("/logout?userId={id}"), None, None).await;
    assert_eq!(body["code"], 2020);
}

#[tokio::test]
async fn login_status_of_a_user() {
    let (emu, mt, id) = setup().await;
    let path = format!("/api/v2/users/login-status?userId={id}");
    let body = rest(&emu, Method::GET, &path, Some(&mt), None).await;
    assert_eq!(body["code"], 200);
    assert_eq!(body["data"]["isLogin"], false);
    assert_eq!(body["data"]["application"], json!([]));
    assert_eq!(body["data"]["user"]["id"], id.as_str());
    assert_eq!(body["data"]["user"]["username"], "ada");

    user_token(&emu, &mt, &id).await;
    let body = rest(&emu, Method::GET, &format!("{path}&deviceId=d1"), Some(&mt), None).await;
    let data = &body["data"];
    assert_eq!(data["isLogin"], true);
    assert_eq!(data["application"].as_array().unwrap().len(), 1);
    let app = &data["application"][0];
    assert_eq!(app["id"], emu.app_id());
    assert_eq!(app["userPoolId"], emu.user_pool_id());
    assert!(app["name"].is_string());
    let body = rest(&emu, Method::GET, &format!("{path}&appId=other"), Some(&mt), None).await;
    assert_eq!(body["data"]["isLogin"], false);
    let with_app = format!("{path}&appId={}", emu.app_id());
    let body = rest(&emu, Method::GET, &with_app, Some(&mt), None).await;
    assert_eq!(body["data"]["isLogin"], true);

    rest(&emu, Method::POST, "/api/v2/users/kick", Some(&mt), Some(json!({ "userIds": [id] }))).await;
    let body = rest(&emu, Method::GET, &path, Some(&mt), None).await;
    assert_eq!(body["data"]["isLogin"], false);

    let body =
        rest(&emu, Method::GET, "/api/v2/users/login-status?userId=613872b19c90be7d4da44466", Some(&mt), None).await;
    assert_eq!(body["code"], 2004);
    assert_eq!(body["message"], "用户不存在");
    assert_eq!(body["data"], Value::Null);
    let body = rest(&emu, Method::GET, &path, None, None).await;
    assert_eq!(body["code"], 2020);
}

#[tokio::test]
async fn user_actions_are_logged_newest_first() {
    let (emu, mt, ada) = setup().await;
    let bob = create_user(&emu, &mt, json!({ "username": "bob" })).await;
    let bob = bob["id"].as_str().unwrap();
    let update =
        "mutation updateUser($id: String, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }";
    let res = client()
        .post(format!("{}/graphql/v2", emu.host()))
        .header("authorization", format!("Bearer {mt}"))
        .header("x-forwarded-for", "203.0.113.7, 10.0.0.1")
        .json(&json!({ "query": update, "variables": { "id": ada, "input": { "nickname": "A" } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    user_token(&emu, &mt, bob).await;
    rest(&emu, Method::POST, "/api/v2/users/kick", Some(&mt), Some(json!({ "userIds": [bob] }))).await;
    rest(&emu, Method::GET, &format!("/logout?userId={ada}"), Some(&mt), None).await;
    mgmt_ok(
        &emu,
        &mt,
        "mutation deleteUser($id: String!) { deleteUser(id: $id) { code } }",
        json!({ "id": bob }),
        "deleteUser",
    )
    .await;

    let body = rest(
        &emu,
        Method::GET,
        "/api/v2/analysis/user-action?page=1&limit=10&clientip=&operation_name=&operator_arn=",
        Some(&mt),
        None,
    )
    .await;
    assert_eq!(body["code"], 200);
    let data = &body["data"];
    assert_eq!(data["totalCount"], 7);
    let names: Vec<&str> =
        data["list"].as_array().unwrap().iter().map(|e| e["operation_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["deleteUser", "logout", "kick", "refreshToken", "updateUser", "createUser", "createUser"]);
    let refresh = &data["list"][3];
    assert_eq!(refresh["userpool_id"], emu.user_pool_id());
    assert_eq!(refresh["operator_arn"], format!("arn:cn:authing:{}:user:{bob}", emu.user_pool_id()));
    assert_eq!(refresh["user"]["id"], bob);
    assert_eq!(refresh["user"]["displayName"], "bob");
    assert_eq!(refresh["app_id"], emu.app_id());
    assert_eq!(refresh["app"]["id"], emu.app_id());
    assert_eq!(refresh["clientip"], "127.0.0.1");
    assert_eq!(refresh["geoip"]["ip"], "127.0.0.1");
    assert!(refresh["operation_desc"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(refresh["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(data["list"][4]["clientip"], "203.0.113.7");
    assert_eq!(data["list"][4]["app"], Value::Null);

    let filtered = rest(&emu, Method::GET, "/api/v2/analysis/user-action?clientip=203.0.113.7", Some(&mt), None).await;
    assert_eq!(filtered["data"]["totalCount"], 1);
    let filtered = rest(
        &emu,
        Method::GET,
        "/api/v2/analysis/user-action?operation_name=createUser&limit=1&page=2",
        Some(&mt),
        None,
    )
    .await;
    assert_eq!(filtered["data"]["totalCount"], 2);
    assert_eq!(filtered["data"]["list"][0]["user"]["id"], ada.as_str());
    let arn = format!("arn:cn:authing:{}:user:{ada}", emu.user_pool_id());
    let path = format!(
        "/api/v2/analysis/user-action?operator_arn[]={arn}&operation_name[]=logout&operation_name[]=updateUser"
    );
    let filtered = rest(&emu, Method::GET, &path, Some(&mt), None).await;
    assert_eq!(filtered["data"]["totalCount"], 2);
    let past = rest(&emu, Method::GET, "/api/v2/analysis/user-action?page=5", Some(&mt), None).await;
    assert_eq!(past["data"]["totalCount"], 7);
    assert_eq!(past["data"]["list"], json!([]));
    let bad = rest(&emu, Method::GET, "/api/v2/analysis/user-action?limit=x", Some(&mt), None).await;
    assert_eq!(bad["code"], 400);
    let body = rest(&emu, Method::GET, "/api/v2/analysis/user-action", None, None).await;
    assert_eq!(body["code"], 2020);
}
