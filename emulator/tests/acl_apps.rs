//! Programmatic access accounts and application access policies.

mod common;

use authing_emulator::Emulator;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const CREATE_ROLE: &str =
    "mutation createRole($namespace: String, $code: String!) { createRole(namespace: $namespace, code: $code) { id } }";
const ASSIGN: &str = "mutation assignRole($namespace: String, $roleCode: String, $userIds: [String!]) { assignRole(namespace: $namespace, roleCode: $roleCode, userIds: $userIds) { code } }";
const CREATE_GROUP: &str =
    "mutation createGroup($code: String!, $name: String!) { createGroup(code: $code, name: $name) { code } }";
const ADD_TO_GROUP: &str = "mutation addUserToGroup($userIds: [String!]!, $code: String) { addUserToGroup(userIds: $userIds, code: $code) { code } }";

async fn setup() -> (Emulator, String) {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    (emu, mt)
}

async fn call(emu: &Emulator, mt: &str, method: Method, path: &str, body: Option<Value>) -> Value {
    rest(emu, method, path, Some(mt), body).await
}

async fn ok(emu: &Emulator, mt: &str, method: Method, path: &str, body: Option<Value>) -> Value {
    let res = call(emu, mt, method, path, body).await;
    assert_eq!(res["code"], 200, "{path}: {res}");
    res["data"].clone()
}

#[tokio::test]
async fn programmatic_access_accounts() {
    let (emu, mt) = setup().await;
    let base = format!("/api/v2/applications/{}/programmatic-access-accounts", emu.app_id());
    let first = ok(&emu, &mt, Method::POST, &base, Some(json!({ "tokenLifetime": 600, "remark": "py" }))).await;
    assert_eq!(first["appId"], emu.app_id());
    assert_eq!(first["remarks"], "py");
    assert_eq!(first["tokenLifetime"], 600);
    assert_eq!(first["enabled"], true);
    assert_eq!(first["secret"].as_str().unwrap().len(), 32);
    assert!(first["userId"].is_string() && first["createdAt"].is_string() && first["updatedAt"].is_string());
    let second = ok(&emu, &mt, Method::POST, &base, Some(json!({ "tokenLifetime": 60, "remarks": "js" }))).await;
    assert_eq!(second["remarks"], "js");
    assert_ne!(first["secret"], second["secret"]);

    let listed = call(&emu, &mt, Method::GET, &format!("{base}?limit=10&page=1"), None).await;
    assert_eq!(listed["code"], 200);
    assert_eq!(listed["message"], "获取编程访问账号列表成功");
    assert_eq!(listed["data"]["totalCount"], 2);
    assert_eq!(listed["data"]["list"][0]["id"], second["id"]);
    let page2 = ok(&emu, &mt, Method::GET, &format!("{base}?limit=1&page=2"), None).await;
    assert_eq!(page2["list"][0]["id"], first["id"]);

    let patch = "/api/v2/applications/programmatic-access-accounts";
    let off = ok(&emu, &mt, Method::PATCH, patch, Some(json!({ "id": first["id"], "enabled": false }))).await;
    assert_eq!((off["enabled"].as_bool(), off["id"].clone()), (Some(false), first["id"].clone()));
    let on = ok(&emu, &mt, Method::PATCH, patch, Some(json!({ "id": first["id"], "enabled": true }))).await;
    assert_eq!(on["enabled"], true);
    let renewed = ok(&emu, &mt, Method::PATCH, patch, Some(json!({ "id": first["id"], "secret": "s3cr3t" }))).await;
    assert_eq!((renewed["secret"].as_str(), renewed["enabled"].as_bool()), (Some("s3cr3t"), Some(true)));
    let res = call(&emu, &mt, Method::PATCH, patch, Some(json!({ "id": "missing", "enabled": true }))).await;
    assert_eq!(res["code"], 3021);

    let id = first["id"].as_str().unwrap();
    ok(&emu, &mt, Method::DELETE, &format!("{patch}?id={id}"), None).await;
    assert_eq!(ok(&emu, &mt, Method::GET, &base, None).await["totalCount"], 1);
    assert_eq!(call(&emu, &mt, Method::DELETE, &format!("{patch}?id={id}"), None).await["code"], 3021);

    let other = "/api/v2/applications/0123456789abcdef01234567/programmatic-access-accounts";
    assert_eq!(call(&emu, &mt, Method::GET, other, None).await["code"], 2011);
    assert_eq!(call(&emu, &mt, Method::POST, other, Some(json!({}))).await["code"], 2011);
    assert_eq!(rest(&emu, Method::GET, &base, None, None).await["code"], 2020);
}

/// The applications a user may use, as the user sees them.
async fn allowed_apps(emu: &Emulator, mt: &str, user_id: &str) -> usize {
    let token = user_token(emu, mt, user_id).await;
    let (status, body) = rest_get(emu, "/api/v2/users/me/applications/allowed", Some(&token)).await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(200)), "{body}");
    body["data"]["totalCount"].as_u64().unwrap() as usize
}

#[tokio::test]
async fn application_access_policies() {
    let (emu, mt) = setup().await;
    let app = emu.app_id().to_owned();
    let (ada, bob, cy) = (
        create_user(&emu, &mt, json!({ "username": "ada" })).await["id"].as_str().unwrap().to_owned(),
        create_user(&emu, &mt, json!({ "username": "bob" })).await["id"].as_str().unwrap().to_owned(),
        create_user(&emu, &mt, json!({ "username": "cy" })).await["id"].as_str().unwrap().to_owned(),
    );
    mgmt_ok(&emu, &mt, CREATE_ROLE, json!({ "code": "staff" }), "createRole").await;
    mgmt_ok(&emu, &mt, ASSIGN, json!({ "roleCode": "staff", "userIds": [ada] }), "assignRole").await;
    mgmt_ok(&emu, &mt, CREATE_GROUP, json!({ "code": "guests", "name": "Guests" }), "createGroup").await;
    mgmt_ok(&emu, &mt, ADD_TO_GROUP, json!({ "userIds": [cy], "code": "guests" }), "addUserToGroup").await;

    // ALLOW_ALL at start.
    assert_eq!(allowed_apps(&emu, &mt, &bob).await, 1);
    let strategy = |s: &str| json!({ "permissionStrategy": { "defaultStrategy": s } });
    let updated = ok(&emu, &mt, Method::POST, &format!("/api/v2/applications/{app}"), Some(strategy("DENY_ALL"))).await;
    assert_eq!(updated["id"], app.as_str());
    assert_eq!(updated["permissionStrategy"]["defaultStrategy"], "DENY_ALL");
    assert_eq!(allowed_apps(&emu, &mt, &ada).await, 0);

    let policy = |op: &str, kind: &str, ids: Value| {
        let (emu, mt, app) = (&emu, mt.as_str(), app.as_str());
        let op = op.to_owned();
        let body =
            json!({ "targetType": kind, "targetIdentifiers": ids, "namespace": "default", "inheritByChildren": false });
        async move {
            call(emu, mt, Method::POST, &format!("/api/v2/applications/{app}/authorization/{op}"), Some(body)).await
        }
    };
    // A role allowed: its members may use it, others not; a group allowed likewise.
    assert_eq!(policy("allow", "ROLE", json!(["staff"])).await["code"], 200);
    assert_eq!(policy("allow", "GROUP", json!(["guests"])).await["code"], 200);
    let table = [(&ada, 1), (&bob, 0), (&cy, 1)];
    for (user, want) in table {
        assert_eq!(allowed_apps(&emu, &mt, user).await, want);
    }
    // Out of effect and back.
    policy("disable-effect", "ROLE", json!(["staff"])).await;
    assert_eq!(allowed_apps(&emu, &mt, &ada).await, 0);
    policy("enable-effect", "ROLE", json!(["staff"])).await;
    assert_eq!(allowed_apps(&emu, &mt, &ada).await, 1);
    // A deny of the user wins over its role's allow; revoking it restores the allow.
    policy("deny", "USER", json!([ada])).await;
    assert_eq!(allowed_apps(&emu, &mt, &ada).await, 0);

    let records =
        ok(&emu, &mt, Method::GET, &format!("/api/v2/applications/{app}/authorization/records?page=1&limit=10"), None)
            .await;
    assert_eq!(records["totalCount"], 3);
    let first = &records["list"][0];
    assert_eq!(first["targetType"], "USER");
    assert_eq!(first["targetIdentifier"], ada.as_str());
    assert_eq!(first["code"], "deny");
    assert_eq!(first["namespace"], "default");
    assert_eq!((first["enabled"].as_bool(), first["inheritByChildren"].as_bool()), (Some(true), Some(false)));
    assert!(first["assignedAt"].is_string() && first["policyId"].is_string());
    assert_eq!(records["list"][2]["targetIdentifier"], "staff");
    assert_eq!(records["list"][2]["code"], "allow");

    policy("revoke", "USER", json!([ada])).await;
    assert_eq!(allowed_apps(&emu, &mt, &ada).await, 1);
    // Back to ALLOW_ALL: bob, with no record, may use it again.
    ok(&emu, &mt, Method::POST, &format!("/api/v2/applications/{app}"), Some(strategy("ALLOW_ALL"))).await;
    assert_eq!(allowed_apps(&emu, &mt, &bob).await, 1);

    // Refusals: unknown targets for allow/deny only, unknown application, bad strategy, no token.
    assert_eq!(policy("allow", "USER", json!(["nobody"])).await["code"], 2004);
    assert_eq!(policy("deny", "ROLE", json!(["nope"])).await["code"], 2101);
    assert_eq!(policy("disable-effect", "USER", json!(["nobody"])).await["code"], 200);
    let other = "/api/v2/applications/0123456789abcdef01234567";
    assert_eq!(
        call(
            &emu,
            &mt,
            Method::POST,
            &format!("{other}/authorization/allow"),
            Some(json!({ "targetType": "USER", "targetIdentifiers": [] }))
        )
        .await["code"],
        2011
    );
    assert_eq!(call(&emu, &mt, Method::GET, &format!("{other}/authorization/records"), None).await["code"], 2011);
    assert_eq!(call(&emu, &mt, Method::POST, other, Some(strategy("DENY_ALL"))).await["code"], 2011);
    let res = call(&emu, &mt, Method::POST, &format!("/api/v2/applications/{app}"), Some(strategy("SOMETIMES"))).await;
    assert_eq!(res["code"], 400);
    let res = rest(&emu, Method::GET, &format!("/api/v2/applications/{app}/authorization/records"), None, None).await;
    assert_eq!(res["code"], 2020);
}
