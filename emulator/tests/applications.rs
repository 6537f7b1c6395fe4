//! Applications over REST: the envelopes, the refusals with Authing's codes, the official SDKs' request shapes,
//! and the token endpoint after a secret refresh.

mod common;

use authing_emulator::Emulator;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn ok(emu: &Emulator, mt: &str, method: Method, path: &str, body: Option<Value>) -> Value {
    let res = rest(emu, method, path, Some(mt), body).await;
    assert_eq!(res["code"], 200, "{path}: {res}");
    res["data"].clone()
}

async fn refused(emu: &Emulator, mt: &str, method: Method, path: &str, body: Option<Value>, code: i64) -> Value {
    let res = rest(emu, method, path, Some(mt), body).await;
    assert_eq!(res["code"], code, "{path}: {res}");
    assert!(res["data"].is_null(), "{res}");
    res
}

#[tokio::test]
async fn every_route_needs_the_management_token() {
    let emu = Emulator::start().await.unwrap();
    let app = emu.app_id();
    for (method, path) in [
        (Method::GET, "/api/v2/applications".to_owned()),
        (Method::POST, "/api/v2/applications".to_owned()),
        (Method::GET, format!("/api/v2/applications/{app}")),
        (Method::DELETE, format!("/api/v2/applications/{app}")),
        (Method::PATCH, format!("/api/v2/application/{app}/refresh-secret")),
        (Method::GET, format!("/api/v2/applications/{app}/active-users")),
        (Method::GET, format!("/api/v2/applications/{app}/agreements")),
        (Method::POST, format!("/api/v2/applications/{app}/agreements/sort")),
    ] {
        let res = rest(&emu, method, &path, None, Some(json!({}))).await;
        assert_eq!(res["code"], 2020, "{path}: {res}");
    }
    let mt = management_token(&emu).await;
    let found = rest(&emu, Method::GET, &format!("/api/v2/applications/{app}"), Some(&mt), None).await;
    assert_eq!(found["data"]["id"], app, "the refused DELETE deleted nothing");
}

#[tokio::test]
async fn shapes_and_refusals() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let body = json!({ "name": "Shop", "identifier": "shop", "redirectUris": ["https://x/cb"], "logo": null });
    let shop = ok(&emu, &mt, Method::POST, "/api/v2/applications", Some(body.clone())).await;
    for key in ["id", "secret", "userPoolId", "createdAt", "updatedAt"] {
        assert!(shop[key].is_string(), "{key}: {shop}");
    }
    assert_eq!(
        (&shop["name"], &shop["identifier"], &shop["redirectUris"]),
        (&body["name"], &body["identifier"], &body["redirectUris"])
    );
    assert_eq!(shop["permissionStrategy"]["defaultStrategy"], "ALLOW_ALL");
    refused(&emu, &mt, Method::POST, "/api/v2/applications", Some(body), 2008).await;
    let nameless = json!({ "identifier": "x", "redirectUris": [] });
    refused(&emu, &mt, Method::POST, "/api/v2/applications", Some(nameless), 2007).await;

    let list = ok(&emu, &mt, Method::GET, "/api/v2/applications?page=1&limit=10", None).await;
    assert_eq!(list["totalCount"], 2);
    assert_eq!(list["list"][1]["isDefault"], true);

    // The messages follow x-authing-lang.
    let res = client()
        .get(format!("{}/api/v2/applications/ghost", emu.host()))
        .header("authorization", format!("Bearer {mt}"))
        .header("x-authing-lang", "en-US")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(res, json!({ "code": 2011, "message": "Application does not exist", "data": null }));
    let zh = refused(&emu, &mt, Method::GET, "/api/v2/applications/ghost", None, 2011).await;
    assert_eq!(zh["message"], "应用不存在");

    // changeApplicationType: the mixed-case `Tenant`; anything else is refused.
    let id = shop["id"].as_str().unwrap();
    let path = format!("/api/v2/applications/{id}");
    let typed = ok(&emu, &mt, Method::POST, &path, Some(json!({ "appType": "Tenant" }))).await;
    assert_eq!(typed["appType"], "Tenant");
    refused(&emu, &mt, Method::POST, &format!("/api/v2/applications/{id}"), Some(json!({ "appType": "TENANT" })), 400)
        .await;
    let tenants = ok(&emu, &mt, Method::GET, &format!("/api/v2/application/{id}/tenants"), None).await;
    assert_eq!((&tenants["id"], &tenants["tenants"]), (&shop["id"], &json!([])));
}

#[tokio::test]
async fn agreements_as_the_python_sdk_sends_them() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let base = format!("/api/v2/applications/{}/agreements", emu.app_id());
    let first = ok(&emu, &mt, Method::POST, &base, Some(json!({ "title": "Terms" }))).await;
    assert_eq!(
        (&first["required"], &first["lang"], &first["appId"]),
        (&json!(true), &json!("zh-CN"), &json!(emu.app_id()))
    );
    assert!(first["id"].is_u64(), "integer ids: {first}");
    let second =
        ok(&emu, &mt, Method::POST, &base, Some(json!({ "title": "Privacy", "required": false, "lang": "en-US" })));
    let second = second.await;

    // PY modify always sends title, required and lang.
    let path = format!("{base}/{}", second["id"]);
    let body = json!({ "title": "Privacy v2", "required": true, "lang": "zh-CN" });
    let modified = ok(&emu, &mt, Method::PUT, &path, Some(body)).await;
    assert_eq!(
        (&modified["title"], &modified["required"], &modified["lang"]),
        (&json!("Privacy v2"), &json!(true), &json!("zh-CN"))
    );

    ok(&emu, &mt, Method::POST, &format!("{base}/sort"), Some(json!({ "ids": [second["id"], first["id"]] }))).await;
    let list = ok(&emu, &mt, Method::GET, &base, None).await;
    assert_eq!(list["totalCount"], 2);
    assert_eq!((&list["list"][0]["id"], &list["list"][0]["order"]), (&second["id"], &json!(1)));
    ok(&emu, &mt, Method::DELETE, &path, None).await;
    assert_eq!(ok(&emu, &mt, Method::GET, &base, None).await["totalCount"], 1);
    refused(&emu, &mt, Method::DELETE, &path, None, 404).await;
    refused(&emu, &mt, Method::DELETE, &format!("{base}/not-a-number"), None, 404).await;
}

#[tokio::test]
async fn the_token_endpoint_takes_only_the_current_secret() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let introspect = |secret: String| {
        let form = [("client_id", emu.app_id().to_owned()), ("client_secret", secret), ("token", "x".to_owned())];
        client().post(format!("{}/oidc/token/introspection", emu.host())).form(&form).send()
    };
    let old = emu.app_secret();
    assert_eq!(introspect(old.clone()).await.unwrap().status(), 200);
    let refreshed =
        ok(&emu, &mt, Method::PATCH, &format!("/api/v2/application/{}/refresh-secret", emu.app_id()), None).await;
    assert_eq!(refreshed["secret"], emu.app_secret());
    assert_eq!(introspect(old).await.unwrap().status(), 401, "the old secret is refused");
    assert_eq!(introspect(emu.app_secret()).await.unwrap().status(), 200);
    // The export carries the new secret.
    assert_eq!(emu.export()["application"]["secret"], emu.app_secret());
}
