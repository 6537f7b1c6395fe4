//! End-user REST: `/api/v2/users/me*`, `/api/v2/logout`, `/api/v2/sms/send`, account linking,
//! `/api/v2/oidc/validate_token` and the emulator's `/emulator/verification-codes`.

mod common;

use authing_emulator::Emulator;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

fn enc(emu: &Emulator, password: &str) -> String {
    authing_emulator::crypto::encrypt_password(emu.public_key_pem(), password).unwrap()
}

/// Registers by e-mail with `forceLogin`; returns the user (with its token).
async fn register(emu: &Emulator, email: &str, password: &str) -> Value {
    let body = gql(
        emu,
        "mutation registerByEmail($input: RegisterByEmailInput!) { registerByEmail(input: $input) { id email token } }",
        json!({ "input": { "email": email, "password": enc(emu, password), "forceLogin": true } }),
        None,
    )
    .await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["registerByEmail"].clone()
}

fn token(user: &Value) -> String {
    user["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn me_echoes_the_token_and_refuses_bad_ones() {
    let emu = Emulator::start().await.unwrap();
    let ada = register(&emu, "ada@example.com", "Passw0rd!").await;
    let t = token(&ada);
    let (status, body) = rest_get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 200, "{body}");
    assert_eq!(body["data"]["id"], ada["id"]);
    assert_eq!(body["data"]["email"], "ada@example.com");
    assert_eq!(body["data"]["token"], t.as_str());

    let mt = management_token(&emu).await;
    let refreshed = user_token(&emu, &mt, ada["id"].as_str().unwrap()).await;
    let (_, body) = rest_get(&emu, "/api/v2/users/me", Some(&refreshed)).await;
    assert_eq!(body["data"]["token"], refreshed.as_str(), "the token presented, not the stored one");

    for bad in [Some("garbage"), Some(mt.as_str()), None] {
        let (status, body) = rest_get(&emu, "/api/v2/users/me", bad).await;
        assert_eq!(status, 200);
        assert_eq!(body["code"], 2020, "{body}");
        assert!(body["data"].is_null());
    }
    let (_, orgs) = rest_get(&emu, "/api/v2/users/me/orgs", Some(&t)).await;
    assert_eq!(orgs, json!({ "code": 200, "message": "", "data": [] }));
    assert_eq!(rest_get(&emu, "/api/v2/users/me/orgs", None).await.1["code"], 2020);
}

#[tokio::test]
async fn logout_revokes_the_token() {
    let emu = Emulator::start().await.unwrap();
    let ada = register(&emu, "ada@example.com", "Passw0rd!").await;
    let t = token(&ada);
    let path = format!("/api/v2/logout?app_id={}", emu.app_id());
    let (_, body) = rest_get(&emu, &path, Some(&t)).await;
    assert_eq!(body["code"], 200, "{body}");
    assert_eq!(token_status(&emu, &t).await["status"], false);
    assert_eq!(rest_get(&emu, "/api/v2/users/me", Some(&t)).await.1["code"], 2020);
    let (_, again) = rest_get(&emu, &path, Some(&t)).await;
    assert_eq!(again["code"], 2020, "a logged-out token: {again}");
    let (_, nobody) = rest_get(&emu, &path, None).await;
    assert_eq!(nobody["code"], 2020);
    let mt = management_token(&emu).await;
    let actions = rest(&emu, Method::GET, "/api/v2/analysis/user-action?operation_name=logout", Some(&mt), None).await;
    assert_eq!(actions["data"]["totalCount"], 1, "{actions}");
}

#[tokio::test]
async fn security_level_applications_and_sms() {
    let emu = Emulator::start().await.unwrap();
    let ada = register(&emu, "ada@example.com", "Passw0rd!").await;
    let t = token(&ada);
    let (_, level) = rest_get(&emu, "/api/v2/users/me/security-level", Some(&t)).await;
    let data = &level["data"];
    assert_eq!(level["code"], 200, "{level}");
    assert_eq!(data["email"], true);
    assert_eq!(data["password"], true);
    assert_eq!(data["phone"], false);
    assert_eq!(data["mfa"], false);
    assert_eq!(data["passwordSecurityLevel"], 2, "8+ characters with letters and digits");
    assert!(data["score"].as_u64().is_some_and(|s| s > 0 && s <= 100), "{level}");

    let (_, apps) = rest_get(&emu, "/api/v2/users/me/applications/allowed?page=1&limit=10", Some(&t)).await;
    assert_eq!(apps["code"], 200, "{apps}");
    assert_eq!(apps["data"]["totalCount"], 1);
    assert_eq!(apps["data"]["list"][0]["id"], emu.app_id());
    let (_, page2) = rest_get(&emu, "/api/v2/users/me/applications/allowed?page=2&limit=10", Some(&t)).await;
    assert_eq!(page2["data"], json!({ "list": [], "totalCount": 1 }));
    assert_eq!(rest_get(&emu, "/api/v2/users/me/applications/allowed", None).await.1["code"], 2020);

    let sent = rest(&emu, Method::POST, "/api/v2/sms/send", None, Some(json!({ "phone": "13800000000" }))).await;
    assert_eq!(sent["code"], 200, "{sent}");
    assert!(sent["data"].is_null());
    let missing = rest(&emu, Method::POST, "/api/v2/sms/send", None, Some(json!({}))).await;
    assert_eq!(missing["code"], 400);

    let code = emu.verification_code("13800000000").unwrap();
    let (_, kept) = rest_get(&emu, "/emulator/verification-codes?to=13800000000", None).await;
    assert_eq!(kept, json!({ "code": 200, "message": "", "data": { "code": code } }));
    let (_, none) = rest_get(&emu, "/emulator/verification-codes?to=nobody%40example.com", None).await;
    assert!(none["data"].is_null(), "{none}");
    assert_eq!(rest_get(&emu, "/emulator/verification-codes", None).await.1["code"], 400);
}

#[tokio::test]
async fn validate_token_gives_the_claims() {
    let emu = Emulator::start().await.unwrap();
    let ada = register(&emu, "ada@example.com", "Passw0rd!").await;
    let t = token(&ada);
    let (status, claims) = rest_get(&emu, &format!("/api/v2/oidc/validate_token?id_token={t}"), None).await;
    assert_eq!(status, 200);
    assert!(claims.get("code").is_none(), "plain claims, not an envelope: {claims}");
    assert_eq!(claims["sub"], ada["id"]);
    assert_eq!(claims["aud"], emu.app_id());
    assert_eq!(claims["iss"], format!("{}/oidc", emu.host()));
    assert_eq!(claims["userpool_id"], emu.user_pool_id());
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(claims["email_verified"], false);
    assert_eq!(claims["data"]["type"], "user");
    assert_eq!(claims["data"]["id"], ada["id"]);
    assert_eq!(claims["data"]["userId"], ada["id"]);
    assert_eq!(claims["data"]["userPoolId"], emu.user_pool_id());
    assert_eq!(claims["data"]["appId"], emu.app_id());
    assert!(claims["exp"].as_u64().unwrap() > claims["iat"].as_u64().unwrap());
    assert!(claims["address"].is_object());
    for name in ["nickname", "picture", "phone_number", "given_name", "updated_at"] {
        assert!(claims.get(name).is_some(), "{name} missing: {claims}");
    }
    let (_, by_access) = rest_get(&emu, &format!("/api/v2/oidc/validate_token?access_token={t}"), None).await;
    assert_eq!(by_access["sub"], ada["id"]);

    for bad in ["/api/v2/oidc/validate_token?id_token=1", "/api/v2/oidc/validate_token"] {
        let (status, body) = rest_get(&emu, bad, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["code"], 400, "{body}");
        assert!(body["message"].is_string());
    }
    rest_get(&emu, &format!("/api/v2/logout?app_id={}", emu.app_id()), Some(&t)).await;
    let (_, revoked) = rest_get(&emu, &format!("/api/v2/oidc/validate_token?id_token={t}"), None).await;
    assert_eq!(revoked["code"], 400, "a logged-out token: {revoked}");
}

#[tokio::test]
async fn link_and_unlink_accounts() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let primary = register(&emu, "ada@example.com", "Passw0rd!").await;
    let social = mgmt_ok(
        &emu,
        &mt,
        &create_user_doc(),
        json!({ "userInfo": {}, "identity": { "provider": "github", "userIdInIdp": "gh-1", "isSocial": true } }),
        "createUser",
    )
    .await;
    let secondary = user_token(&emu, &mt, social["id"].as_str().unwrap()).await;

    let linked = rest(
        &emu,
        Method::POST,
        "/api/v2/users/link",
        None,
        Some(json!({ "primaryUserToken": token(&primary), "secondaryUserToken": secondary })),
    )
    .await;
    assert_eq!(linked["code"], 200, "{linked}");
    let find = "query findUser($identity: FindUserByIdentityInput) { findUser(identity: $identity) { id identities { provider userIdInIdp userId } } }";
    let owner =
        mgmt_ok(&emu, &mt, find, json!({ "identity": { "provider": "github", "userIdInIdp": "gh-1" } }), "findUser")
            .await;
    assert_eq!(owner["id"], primary["id"]);
    assert_eq!(owner["identities"][0]["userId"], primary["id"]);
    let gone =
        mgmt_ok(&emu, &mt, "query user($id: String) { user(id: $id) { id } }", json!({ "id": social["id"] }), "user")
            .await;
    assert!(gone.is_null(), "a secondary user left without identifiers is deleted");
    assert_eq!(token_status(&emu, &secondary).await["status"], false);

    let bad = rest(
        &emu,
        Method::POST,
        "/api/v2/users/link",
        None,
        Some(json!({ "primaryUserToken": token(&primary), "secondaryUserToken": "garbage" })),
    )
    .await;
    assert_eq!(bad["code"], 2020);
    let same = rest(
        &emu,
        Method::POST,
        "/api/v2/users/link",
        None,
        Some(json!({ "primaryUserToken": token(&primary), "secondaryUserToken": token(&primary) })),
    )
    .await;
    assert_eq!(same["code"], 400);

    let body = json!({ "primaryUserToken": token(&primary), "provider": "github" });
    let unlinked = rest(&emu, Method::POST, "/api/v2/users/unlink", None, Some(body.clone())).await;
    assert_eq!(unlinked["code"], 200, "{unlinked}");
    let (_, me) = rest_get(&emu, "/api/v2/users/me", Some(&token(&primary))).await;
    assert_eq!(me["data"]["identities"], json!([]));
    let again = rest(&emu, Method::POST, "/api/v2/users/unlink", None, Some(body)).await;
    assert_eq!(again["code"], 400, "no such identity left");
}
