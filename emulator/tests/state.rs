//! State import and export: a round trip over every entity kind (with the application's OIDC settings and
//! the users' TOTP authenticators), refusals that change nothing, the `/_emulator/` routes, the atomic file
//! export and the README's example file.

mod common;

use std::time::Duration;

use authing_emulator::{Emulator, IdTokenAlgorithm, TokenAuthMethod};
use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use totp_rs::{Builder, Secret};

/// The base32 TOTP secret `populate` imports for ada.
const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The TOTP of `secret` now.
fn totp_now(secret: &str) -> String {
    let bytes = Secret::try_from_base32(secret).unwrap();
    let totp = Builder::new().with_secret(bytes.as_bytes().to_vec()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    totp.generate(now).to_string()
}

const SET_UDF: &str = "mutation setUdf($targetType: UDFTargetType!, $key: String!, $dataType: UDFDataType!, $label: String!) { setUdf(targetType: $targetType, key: $key, dataType: $dataType, label: $label) { key } }";
const SET_UDV: &str = "mutation setUdv($targetType: UDFTargetType!, $targetId: String!, $key: String!, $value: String!) { setUdv(targetType: $targetType, targetId: $targetId, key: $key, value: $value) { key } }";
const CREATE_GROUP: &str = "mutation createGroup($code: String!, $name: String!, $description: String) { createGroup(code: $code, name: $name, description: $description) { code } }";
const ADD_TO_GROUP: &str = "mutation addUserToGroup($userIds: [String!]!, $code: String) { addUserToGroup(userIds: $userIds, code: $code) { code } }";
const CREATE_ROLE: &str = "mutation createRole($namespace: String, $code: String!, $description: String, $parent: String) { createRole(namespace: $namespace, code: $code, description: $description, parent: $parent) { id code } }";
const ASSIGN: &str = "mutation assignRole($namespace: String, $roleCode: String, $userIds: [String!], $groupCodes: [String!]) { assignRole(namespace: $namespace, roleCode: $roleCode, userIds: $userIds, groupCodes: $groupCodes) { code } }";
const CREATE_POLICY: &str = "mutation createPolicy($namespace: String, $code: String!, $description: String, $statements: [PolicyStatementInput!]!) { createPolicy(namespace: $namespace, code: $code, description: $description, statements: $statements) { code } }";
const ADD_ASSIGNMENTS: &str = "mutation addPolicyAssignments($policies: [String!]!, $targetType: PolicyAssignmentTargetType!, $targetIdentifiers: [String!], $namespace: String) { addPolicyAssignments(policies: $policies, targetType: $targetType, targetIdentifiers: $targetIdentifiers, namespace: $namespace) { code } }";
const DISABLE: &str = "mutation disbalePolicyAssignment($policy: String!, $targetType: PolicyAssignmentTargetType!, $targetIdentifier: String!, $namespace: String) { disbalePolicyAssignment(policy: $policy, targetType: $targetType, targetIdentifier: $targetIdentifier, namespace: $namespace) { code } }";
const ALLOW: &str = "mutation allow($resource: String!, $action: String!, $userId: String, $roleCode: String, $namespace: String) { allow(resource: $resource, action: $action, userId: $userId, roleCode: $roleCode, namespace: $namespace) { code } }";
const AUTHORIZE: &str = "mutation authorizeResource($namespace: String, $resource: String, $resourceType: ResourceType, $opts: [AuthorizeResourceOpt]) { authorizeResource(namespace: $namespace, resource: $resource, resourceType: $resourceType, opts: $opts) { code } }";

const USERS: &str = "query users($page: Int, $limit: Int) { users(page: $page, limit: $limit) { totalCount list { id arn username email phone nickname createdAt updatedAt loginsCount blocked customData { key value dataType label } roles { totalCount list { code namespace } } groups { totalCount list { code } } } } }";
const USER_RESOURCES: &str = "query user($id: String!, $namespace: String) { user(id: $id) { authorizedResources(namespace: $namespace) { totalCount list { code type actions apiIdentifier } } } }";
const ROLES: &str = "query roles($namespace: String) { roles(namespace: $namespace) { totalCount list { id code arn namespace description createdAt updatedAt parent { code } users { totalCount list { id } } authorizedResources { totalCount list { code actions } } } } }";
const GROUPS: &str = "query groups { groups { totalCount list { code name description createdAt updatedAt users { totalCount list { id } } authorizedResources(namespace: \"library\") { totalCount list { code actions } } } } }";
const POLICIES: &str = "query policies($namespace: String) { policies(namespace: $namespace) { totalCount list { namespace code isDefault description statements { resource actions effect condition { param operator value } } createdAt updatedAt assignmentsCount assignments { code targetType targetIdentifier } } } }";
const ASSIGNMENTS: &str = "query policyAssignments($namespace: String) { policyAssignments(namespace: $namespace) { totalCount list { code targetType targetIdentifier } } }";
const UDV: &str = "query udv($targetType: UDFTargetType!, $targetId: String!) { udv(targetType: $targetType, targetId: $targetId) { key dataType value label } }";
const UDF: &str =
    "query udf($targetType: UDFTargetType!) { udf(targetType: $targetType) { targetType dataType key label options } }";
const IS_ALLOWED: &str = "query isActionAllowed($resource: String!, $action: String!, $userId: String!, $namespace: String) { isActionAllowed(resource: $resource, action: $action, userId: $userId, namespace: $namespace) }";
const LOGIN: &str =
    "mutation loginByUsername($input: LoginByUsernameInput!) { loginByUsername(input: $input) { id username } }";

async fn rest_ok(emu: &Emulator, mt: &str, method: Method, path: &str, body: Option<Value>) -> Value {
    let res = rest(emu, method, path, Some(mt), body).await;
    assert_eq!(res["code"], 200, "{path}: {res}");
    res["data"].clone()
}

/// The ids of the users `populate` creates.
struct Ids {
    ada: String,
    bob: String,
    cy: String,
    admin_role: String,
}

/// Fills an emulator through its API with one or more of every entity kind.
async fn populate(emu: &Emulator, mt: &str) -> Ids {
    for (target, key, data_type) in
        [("USER", "school", "STRING"), ("USER", "age", "NUMBER"), ("ROLE", "level", "NUMBER")]
    {
        let vars = json!({ "targetType": target, "key": key, "dataType": data_type, "label": key.to_uppercase() });
        mgmt_ok(emu, mt, SET_UDF, vars, "setUdf").await;
    }
    let ada = create_user(emu, mt, json!({ "username": "ada", "password": "Passw0rd!", "nickname": "Ada" })).await;
    let ada = ada["id"].as_str().unwrap().to_owned();
    let bob = create_user(emu, mt, json!({ "email": "bob@example.com" })).await["id"].as_str().unwrap().to_owned();
    let cy = create_user(emu, mt, json!({ "phone": "13800000001" })).await["id"].as_str().unwrap().to_owned();
    for (key, value) in [("school", "\"ucla\""), ("age", "30")] {
        let vars = json!({ "targetType": "USER", "targetId": ada, "key": key, "value": value });
        mgmt_ok(emu, mt, SET_UDV, vars, "setUdv").await;
    }

    let pool = emu.user_pool_id().to_owned();
    rest_ok(
        emu,
        mt,
        Method::POST,
        &format!("/api/v2/resource-namespace/{pool}"),
        Some(json!({ "code": "library", "name": "Library" })),
    )
    .await;
    let books = json!({ "code": "books", "type": "DATA", "namespace": "library", "actions": [{ "name": "books:read", "description": "Read" }] });
    rest_ok(emu, mt, Method::POST, "/api/v2/resources", Some(books)).await;
    let api = json!({ "code": "orders", "type": "API", "namespace": "library", "apiIdentifier": "https://api.example.com/orders" });
    rest_ok(emu, mt, Method::POST, "/api/v2/resources", Some(api)).await;

    mgmt_ok(emu, mt, CREATE_GROUP, json!({ "code": "readers", "name": "Readers", "description": "d" }), "createGroup")
        .await;
    mgmt_ok(emu, mt, ADD_TO_GROUP, json!({ "userIds": [cy, bob], "code": "readers" }), "addUserToGroup").await;

    let admin = mgmt_ok(emu, mt, CREATE_ROLE, json!({ "code": "admin", "description": "Admins" }), "createRole").await;
    let admin_role = admin["id"].as_str().unwrap().to_owned();
    mgmt_ok(emu, mt, CREATE_ROLE, json!({ "code": "staff", "parent": "admin" }), "createRole").await;
    mgmt_ok(emu, mt, CREATE_ROLE, json!({ "namespace": "library", "code": "editor" }), "createRole").await;
    mgmt_ok(emu, mt, ASSIGN, json!({ "roleCode": "admin", "userIds": [ada, bob] }), "assignRole").await;
    let vars = json!({ "namespace": "library", "roleCode": "editor", "userIds": [bob], "groupCodes": ["readers"] });
    mgmt_ok(emu, mt, ASSIGN, vars, "assignRole").await;
    let vars = json!({ "targetType": "ROLE", "targetId": admin_role, "key": "level", "value": "3" });
    mgmt_ok(emu, mt, SET_UDV, vars, "setUdv").await;

    let statements = json!([{ "resource": "books:*", "actions": ["books:read"], "effect": "ALLOW", "condition": [{ "param": "AppId", "operator": "StringEquals", "value": { "any": [1, "x"] } }] }]);
    let vars = json!({ "code": "readers-policy", "description": "Reading", "statements": statements });
    mgmt_ok(emu, mt, CREATE_POLICY, vars, "createPolicy").await;
    let vars = json!({ "namespace": "library", "code": "lib-policy", "statements": [{ "resource": "*", "actions": ["*"], "effect": "DENY" }] });
    mgmt_ok(emu, mt, CREATE_POLICY, vars, "createPolicy").await;
    for (kind, target) in [("USER", ada.as_str()), ("ROLE", "admin"), ("GROUP", "readers")] {
        let vars = json!({ "policies": ["readers-policy"], "targetType": kind, "targetIdentifiers": [target] });
        mgmt_ok(emu, mt, ADD_ASSIGNMENTS, vars, "addPolicyAssignments").await;
    }
    let vars = json!({ "namespace": "library", "policies": ["lib-policy"], "targetType": "ROLE", "targetIdentifiers": ["editor"] });
    mgmt_ok(emu, mt, ADD_ASSIGNMENTS, vars, "addPolicyAssignments").await;
    let vars = json!({ "policy": "readers-policy", "targetType": "GROUP", "targetIdentifier": "readers" });
    mgmt_ok(emu, mt, DISABLE, vars, "disbalePolicyAssignment").await;

    let vars = json!({ "resource": "books:*", "action": "books:read", "userId": ada, "namespace": "library" });
    mgmt_ok(emu, mt, ALLOW, vars, "allow").await;
    let vars = json!({ "resource": "books:1", "action": "edit", "roleCode": "editor", "namespace": "library" });
    mgmt_ok(emu, mt, ALLOW, vars, "allow").await;
    let vars = json!({ "resource": "menu:home", "action": "menu:view", "userId": cy });
    mgmt_ok(emu, mt, ALLOW, vars, "allow").await;
    let opts = json!([{ "targetType": "GROUP", "targetIdentifier": "readers", "actions": ["films:*"] }]);
    let vars = json!({ "namespace": "library", "resource": "films:*", "resourceType": "DATA", "opts": opts });
    mgmt_ok(emu, mt, AUTHORIZE, vars, "authorizeResource").await;

    let accounts = format!("/api/v2/applications/{}/programmatic-access-accounts", emu.app_id());
    rest_ok(emu, mt, Method::POST, &accounts, Some(json!({ "remarks": "ci", "tokenLifetime": 1200 }))).await;

    let totp = json!({ "userId": ada, "secret": TOTP_SECRET, "recoveryCode": "1a2b-3c4d-5e6f-7a8b" });
    rest_ok(emu, mt, Method::POST, "/api/v2/mfa/totp/import", Some(totp)).await;
    let mut settings = emu.oidc_settings();
    settings.redirect_uris = vec!["http://localhost:3000/callback".into(), "https://app.example.com/cb".into()];
    settings.token_endpoint_auth_method = TokenAuthMethod::ClientSecretBasic;
    settings.introspection_endpoint_auth_method = TokenAuthMethod::None;
    settings.id_token_algorithm = IdTokenAlgorithm::Hs256;
    settings.access_token_ttl = Duration::from_secs(3600);
    settings.id_token_ttl = Duration::from_secs(1800);
    settings.refresh_token_ttl = Duration::from_secs(7200);
    settings.code_ttl = Duration::from_secs(120);
    emu.set_oidc_settings(settings);
    Ids { ada, bob, cy, admin_role }
}

/// The answers of every read about what `populate` made.
async fn reads(emu: &Emulator, ids: &Ids) -> Value {
    let mt = management_token(emu).await;
    let mt = mt.as_str();
    let mut out = serde_json::Map::new();
    out.insert("users".into(), mgmt_ok(emu, mt, USERS, json!({ "limit": 50 }), "users").await);
    for ns in ["default", "library"] {
        out.insert(format!("roles {ns}"), mgmt_ok(emu, mt, ROLES, json!({ "namespace": ns }), "roles").await);
        out.insert(format!("policies {ns}"), mgmt_ok(emu, mt, POLICIES, json!({ "namespace": ns }), "policies").await);
        let vars = json!({ "namespace": ns });
        out.insert(format!("assignments {ns}"), mgmt_ok(emu, mt, ASSIGNMENTS, vars, "policyAssignments").await);
        for (name, id) in [("ada", &ids.ada), ("bob", &ids.bob), ("cy", &ids.cy)] {
            let vars = json!({ "id": id, "namespace": ns });
            out.insert(format!("resources of {name} in {ns}"), mgmt_ok(emu, mt, USER_RESOURCES, vars, "user").await);
        }
    }
    out.insert("groups".into(), mgmt_ok(emu, mt, GROUPS, json!({}), "groups").await);
    for target in ["USER", "ROLE"] {
        out.insert(format!("udf {target}"), mgmt_ok(emu, mt, UDF, json!({ "targetType": target }), "udf").await);
    }
    let vars = json!({ "targetType": "ROLE", "targetId": ids.admin_role });
    out.insert("udv of admin".into(), mgmt_ok(emu, mt, UDV, vars, "udv").await);
    for (resource, action) in [("books:7", "books:read"), ("books:1", "books:edit"), ("films:2", "films:read")] {
        for id in [&ids.ada, &ids.bob, &ids.cy] {
            let vars = json!({ "resource": resource, "action": action, "userId": id, "namespace": "library" });
            out.insert(
                format!("{id} {resource} {action}"),
                mgmt_ok(emu, mt, IS_ALLOWED, vars, "isActionAllowed").await,
            );
        }
    }
    let pool = emu.user_pool_id();
    out.insert(
        "namespaces".into(),
        rest_ok(emu, mt, Method::GET, &format!("/api/v2/resource-namespace/{pool}"), None).await,
    );
    let path = "/api/v2/resources?namespace=library&page=1&limit=10";
    out.insert("resources".into(), rest_ok(emu, mt, Method::GET, path, None).await);
    let accounts = format!("/api/v2/applications/{}/programmatic-access-accounts", emu.app_id());
    out.insert("accounts".into(), rest_ok(emu, mt, Method::GET, &accounts, None).await);
    out.insert(
        "user ada (REST)".into(),
        rest_ok(emu, mt, Method::GET, &format!("/api/v2/users/{}", ids.ada), None).await,
    );
    let (_, level) = rest_get(emu, "/api/v2/users/me/security-level", Some(&user_token(emu, mt, &ids.ada).await)).await;
    out.insert("security level of ada".into(), level["data"].clone());
    for (name, id) in [("ada", &ids.ada), ("bob", &ids.bob)] {
        let path = format!("/api/v2/users/{id}/mfa-bound");
        out.insert(format!("mfa of {name}"), rest_ok(emu, mt, Method::GET, &path, None).await);
        let token = user_token(emu, mt, id).await;
        let (_, bound) = rest_get(emu, "/api/v2/mfa/authenticator?type=totp", Some(&token)).await;
        out.insert(format!("authenticators of {name}"), bound["data"].clone());
    }
    out.insert("oidc settings".into(), Value::String(format!("{:?}", emu.oidc_settings())));
    out.insert("mfa enforced".into(), Value::Bool(emu.mfa_enforced()));
    Value::Object(out)
}

#[tokio::test]
async fn export_then_import_gives_the_same_answers() {
    let first = Emulator::start().await.unwrap();
    let mt = management_token(&first).await;
    let ids = populate(&first, &mt).await;
    first.set_mfa_enforced(true);
    let exported = first.export();
    let application = &exported["application"];
    assert_eq!(application["redirectUris"], json!(["http://localhost:3000/callback", "https://app.example.com/cb"]));
    assert_eq!(
        [&application["tokenEndpointAuthMethod"], &application["introspectionEndpointAuthMethod"]],
        ["client_secret_basic", "none"]
    );
    assert_eq!(
        (&application["revocationEndpointAuthMethod"], &application["idTokenSigningAlg"]),
        (&json!("client_secret_post"), &json!("HS256"))
    );
    let lifetimes = ["accessTokenLifetime", "idTokenLifetime", "refreshTokenLifetime", "authorizationCodeLifetime"]
        .map(|k| application[k].as_u64().unwrap());
    assert_eq!(lifetimes, [3600, 1800, 7200, 120]);
    assert_eq!(exported["mfa"]["enforced"], true);
    let authenticator = &exported["mfa"]["authenticators"][0];
    assert_eq!((&authenticator["userId"], &authenticator["secret"]), (&json!(ids.ada), &json!(TOTP_SECRET)));
    assert_eq!(authenticator["recoveryCode"], "1a2b-3c4d-5e6f-7a8b");
    assert!(exported["users"][0].get("password").is_none(), "no clear password in an export");
    assert!(exported["users"][0]["passwordHash"].as_str().unwrap().starts_with("$pbkdf2"), "{exported}");
    assert!(!exported.to_string().contains("Passw0rd!"));

    let second = Emulator::builder().import(exported.clone()).start().await.unwrap();
    assert_eq!((second.user_pool_id(), second.secret()), (first.user_pool_id(), first.secret()));
    assert_eq!((second.app_id(), second.app_secret()), (first.app_id(), first.app_secret()));
    let (before, after) = (reads(&first, &ids).await, reads(&second, &ids).await);
    for (key, value) in before.as_object().unwrap() {
        assert_eq!(&after[key], value, "{key}");
    }
    assert_eq!(second.export(), exported, "an import exports as it came");

    // Login with the imported password, and the wrong one (2333); MFA is enforced (1635) and the imported
    // authenticator finishes the login with a TOTP of the same secret.
    let input = |pw: &str| json!({ "input": { "username": "ada", "password": authing_emulator::crypto::encrypt_password(second.public_key_pem(), pw).unwrap() } });
    let login = gql(&second, LOGIN, input("Passw0rd!"), None).await;
    assert_error(&login, 1635);
    let mfa_token = login["errors"][0]["message"]["data"]["mfaToken"].as_str().unwrap_or_else(|| panic!("{login}"));
    assert_error(&gql(&second, LOGIN, input("wrong"), None).await, 2333);
    let verify = |code: String| {
        rest(&second, Method::POST, "/api/v2/mfa/totp/verify", Some(mfa_token), Some(json!({ "totp": code })))
    };
    assert_eq!(verify("000000".into()).await["code"], 6001);
    let done = verify(totp_now(TOTP_SECRET)).await;
    assert_eq!((&done["code"], &done["data"]["id"]), (&json!(200), &json!(ids.ada)), "{done}");
}

#[tokio::test]
async fn ids_are_kept_or_generated_and_clear_passwords_are_hashed() {
    let doc = json!({
        "userPool": { "id": "600000000000000000000001", "secret": "pool-secret" },
        "application": { "id": "600000000000000000000002", "secret": "app-secret" },
        "customFields": [{ "targetType": "USER", "key": "team", "dataType": "STRING", "label": "Team" }],
        "users": [
            { "id": "60000000000000000000aaaa", "username": "ada", "password": "pw", "customData": { "team": "core" } },
            { "email": "Bob@Example.com" }
        ],
        "groups": [{ "code": "ops", "name": "Ops", "users": ["60000000000000000000aaaa"] }],
        "roles": [{ "id": "60000000000000000000bbbb", "code": "admin", "users": ["60000000000000000000aaaa"], "groups": ["ops"] }]
    });
    let emu = Emulator::builder().secret("explicit").import(doc).start().await.unwrap();
    assert_eq!((emu.user_pool_id(), emu.secret()), ("600000000000000000000001", "explicit"), "the builder wins");
    assert_eq!(emu.app_id(), "600000000000000000000002");
    assert!(emu.check_user_password("60000000000000000000aaaa", "pw"));
    let state = emu.export();
    let bob = &state["users"][1];
    assert_eq!(bob["email"], "bob@example.com");
    assert_eq!(bob["id"].as_str().unwrap().len(), 24, "a generated id");
    assert_eq!(state["users"][0]["customData"], json!([{ "key": "team", "value": "core" }]));
    assert_eq!(state["roles"][0]["id"], "60000000000000000000bbbb");
    assert_eq!(state["roles"][0]["groups"], json!(["ops"]));
    let mt = management_token(&emu).await;
    let role = mgmt_ok(&emu, &mt, ROLES, json!({}), "roles").await;
    assert_eq!(role["list"][0]["arn"], "arn:cn:authing:600000000000000000000001:role:60000000000000000000bbbb");
    assert_eq!(role["list"][0]["users"]["list"], json!([{ "id": "60000000000000000000aaaa" }]));
}

/// Imports `doc` into a running emulator over REST; returns the envelope.
async fn import_route(emu: &Emulator, doc: &Value) -> Value {
    rest(emu, Method::POST, "/_emulator/import", None, Some(doc.clone())).await
}

#[tokio::test]
async fn refused_documents_name_the_entry_and_change_nothing() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let ids = populate(&emu, &mt).await;
    let before = emu.export();
    let cases = [
        (
            json!({ "users": [{ "username": "x" }], "roles": [{ "code": "admin", "users": ["nobody"] }] }),
            400,
            "roles[0] (admin)",
        ),
        (json!({ "users": [{ "username": "ada" }, { "username": "ada" }] }), 2034, "users[1] (ada)"),
        (json!({ "users": [{ "email": "a@x.io" }, { "email": "A@X.io" }] }), 2026, "users[1] (A@X.io)"),
        (json!({ "users": [{ "username": "ada", "blocked": "yes" }] }), 400, "users[0] (ada)"),
        (json!({ "users": [{ "username": "ada", "shoeSize": 42 }] }), 400, "shoeSize"),
        (json!({ "users": [{ "username": "ada", "customData": { "nope": 1 } }] }), 400, "users[0] (ada)"),
        (json!({ "groups": [{ "code": "g" }] }), 400, "groups[0] (g)"),
        (json!({ "groups": [{ "code": "g", "name": "G", "users": ["ghost"] }] }), 400, "the user ghost does not exist"),
        (
            json!({ "policyAssignments": [{ "policy": "none", "targetType": "USER", "targetIdentifier": "x" }] }),
            2121,
            "policyAssignments[0] (none)",
        ),
        (
            json!({ "grants": [{ "namespace": "nowhere", "targetType": "USER", "targetIdentifier": "x", "resource": "r", "actions": [] }] }),
            3003,
            "grants[0]",
        ),
        (json!({ "resources": [{ "code": "r", "type": "SPOON" }] }), 400, "resources[0] (r)"),
        (json!({ "roles": [{ "code": "r" }, { "code": "r" }] }), 2102, "roles[1] (r) in default"),
        (
            json!({ "users": [{ "username": "ada", "password": "secret-one", "passwordHash": "x" }] }),
            400,
            "users[0] (ada)",
        ),
        (json!({ "users": [{ "username": "ada", "passwordHash": "secret-two" }] }), 400, "passwordHash"),
        (json!({ "colours": [] }), 400, "colours"),
        (
            json!({ "application": { "introspectionEndpointAuthMethod": 1 } }),
            400,
            "application.introspectionEndpointAuthMethod",
        ),
        (json!({ "application": { "idTokenSigningAlg": "ES256" } }), 400, "application.idTokenSigningAlg"),
        (json!({ "application": { "refreshTokenLifetime": -1 } }), 400, "application.refreshTokenLifetime"),
        (json!({ "application": { "redirectUris": "http://x" } }), 400, "application.redirectUris"),
        (json!({ "mfa": { "enforced": "yes" } }), 400, "mfa"),
        (
            json!({ "users": [{ "id": "60000000000000000000aaaa", "username": "z" }], "mfa": { "authenticators": [{ "userId": "60000000000000000000aaaa", "secret": "" }] } }),
            400,
            "mfa.authenticators[0] (60000000000000000000aaaa)",
        ),
        (
            json!({ "users": [{ "id": "60000000000000000000aaaa", "username": "z" }], "mfa": { "authenticators": [{ "userId": "60000000000000000000aaaa", "secret": "A" }, { "userId": "60000000000000000000aaaa", "secret": "B" }] } }),
            400,
            "mfa.authenticators[1] (60000000000000000000aaaa)",
        ),
        (json!([1, 2]), 400, "document"),
    ];
    for (doc, code, names) in cases {
        let res = import_route(&emu, &doc).await;
        assert_eq!(res["code"], code, "{doc}: {res}");
        assert!(res["data"].is_null(), "{res}");
        let message = res["message"].as_str().unwrap();
        assert!(message.contains(names), "{doc}: {message}");
        assert!(!message.contains("secret-"), "no password in the message: {message}");
        let refused = emu.import(doc.clone()).unwrap_err();
        assert_eq!(i64::from(refused.code), code);
        assert!(refused.message.contains(names), "{}", refused.message);
        assert_eq!(emu.export(), before, "{doc} changed the state");
    }
    let (_, not_json) = (0, rest(&emu, Method::GET, "/_emulator/export", None, None).await);
    assert_eq!(not_json, before, "the export route serves the document itself");
    let bad = client().post(format!("{}/_emulator/import", emu.host())).body("{").send().await.unwrap();
    assert_eq!(bad.json::<Value>().await.unwrap()["code"], 400);

    // A file that is not JSON stops the builder with InvalidData.
    let dir = std::env::temp_dir().join(format!("authing-emulator-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bad.json"), "{").unwrap();
    let err = Emulator::builder().import(dir.join("bad.json")).start().await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    let err = Emulator::builder().import(json!({ "users": [{}] })).start().await.unwrap_err();
    assert!(err.to_string().contains("users[0]"), "{err}");
    let _ = ids;
}

#[tokio::test]
async fn a_bad_auth_method_or_an_mfa_factor_of_an_unknown_user_refuses_the_document() {
    let emu = Emulator::builder().enforce_mfa(true).redirect_uris(["http://localhost/cb"]).start().await.unwrap();
    let mt = management_token(&emu).await;
    let ada =
        create_user(&emu, &mt, json!({ "username": "ada", "password": "pw" })).await["id"].as_str().unwrap().to_owned();
    let totp = json!({ "userId": ada, "secret": TOTP_SECRET });
    rest_ok(&emu, &mt, Method::POST, "/api/v2/mfa/totp/import", Some(totp)).await;
    let before = emu.export();

    let doc = json!({
        "users": [{ "username": "bob" }],
        "application": { "redirectUris": [], "tokenEndpointAuthMethod": "client_secret_jwt" },
        "mfa": { "enforced": false }
    });
    let refused = emu.import(doc.clone()).unwrap_err();
    assert_eq!(refused.code, 400);
    assert_eq!(
        refused.message,
        "Invalid state: application.tokenEndpointAuthMethod: expected client_secret_post, client_secret_basic or none"
    );
    let res = import_route(&emu, &doc).await;
    assert_eq!(res["code"], 400);
    assert_eq!(
        res["message"],
        "导入的状态无效：application.tokenEndpointAuthMethod：expected client_secret_post, client_secret_basic or none"
    );
    assert_eq!(emu.export(), before, "nothing changed");

    let doc = json!({
        "users": [{ "id": "60000000000000000000aaaa", "username": "bob" }],
        "application": { "idTokenSigningAlg": "HS256" },
        "mfa": { "enforced": false, "authenticators": [{ "userId": "60000000000000000000ffff", "authenticatorType": "totp", "secret": TOTP_SECRET }] }
    });
    let refused = emu.import(doc).unwrap_err();
    assert_eq!(refused.code, 400);
    assert_eq!(
        refused.message,
        "Invalid state: mfa.authenticators[0] (60000000000000000000ffff): the user 60000000000000000000ffff does not exist"
    );
    assert_eq!(emu.export(), before, "nothing changed");
    assert!(emu.mfa_enforced());
    assert_eq!(emu.oidc_settings().redirect_uris, ["http://localhost/cb"]);

    // Settings the document does not give stay; those it gives replace the emulator's.
    let doc = json!({
        "users": [{ "id": "60000000000000000000aaaa", "username": "bob" }],
        "application": { "tokenEndpointAuthMethod": "none", "accessTokenLifetime": 60 },
        "mfa": { "authenticators": [{ "userId": "60000000000000000000aaaa", "secret": TOTP_SECRET }] }
    });
    emu.import(doc).unwrap();
    let settings = emu.oidc_settings();
    assert_eq!(settings.redirect_uris, ["http://localhost/cb"]);
    assert_eq!(settings.token_endpoint_auth_method, TokenAuthMethod::None);
    assert_eq!(settings.access_token_ttl, Duration::from_secs(60));
    assert_eq!(settings.id_token_algorithm, IdTokenAlgorithm::Rs256);
    assert!(emu.mfa_enforced());
    let mfa = &emu.export()["mfa"];
    assert_eq!(mfa["authenticators"].as_array().unwrap().len(), 1, "ada's authenticator went with her: {mfa}");
    assert_eq!(mfa["authenticators"][0]["source"], "APPLICATION");
    assert_eq!(mfa["authenticators"][0]["recoveryCode"].as_str().unwrap().len(), 16, "a generated recovery code");
}

#[tokio::test]
async fn emulator_routes_reset_sessions_import_and_codes() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let ids = populate(&emu, &mt).await;
    let token = user_token(&emu, &mt, &ids.ada).await;
    let sessions = rest(&emu, Method::GET, "/_emulator/sessions", None, None).await;
    assert_eq!(sessions["code"], 200);
    let list = sessions["data"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{sessions}");
    assert_eq!((list[0]["userId"].as_str(), list[0]["appId"].as_str()), (Some(ids.ada.as_str()), Some(emu.app_id())));
    assert!(list[0]["expiresAt"].as_str().unwrap().ends_with('Z'));
    let _ = token;

    // Verification codes, at the new path and the older one.
    let sent = rest(&emu, Method::POST, "/api/v2/sms/send", None, Some(json!({ "phone": "13900000000" }))).await;
    assert_eq!(sent["code"], 200);
    let code = emu.verification_code("13900000000").unwrap();
    for path in ["/_emulator/verification-codes?to=13900000000", "/emulator/verification-codes?to=13900000000"] {
        assert_eq!(rest_get(&emu, path, None).await.1["data"], json!({ "code": code }), "{path}");
    }

    // Export over the route, reset, import over the route.
    let exported = rest(&emu, Method::GET, "/_emulator/export", None, None).await;
    let reset = rest(&emu, Method::POST, "/_emulator/reset", None, None).await;
    assert_eq!(reset["code"], 200);
    let empty = emu.export();
    assert_eq!(empty["users"], json!([]));
    assert_eq!(empty["roles"], json!([]));
    let codes: Vec<&str> = empty["namespaces"].as_array().unwrap().iter().filter_map(|n| n["code"].as_str()).collect();
    assert_eq!(codes, ["default", emu.app_id()], "only default and the application's own");
    assert_eq!(rest(&emu, Method::GET, "/_emulator/sessions", None, None).await["data"], json!([]));
    let mt = management_token(&emu).await;
    assert_eq!(mgmt_ok(&emu, &mt, USERS, json!({}), "users").await["totalCount"], 0);
    assert_eq!(import_route(&emu, &exported).await, json!({ "code": 200, "message": "", "data": null }));
    assert_eq!(emu.export(), exported);
    assert_eq!(mgmt_ok(&emu, &mt, USERS, json!({}), "users").await["totalCount"], 3);
}

#[tokio::test]
async fn export_to_writes_a_file_the_builder_imports() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    populate(&emu, &mt).await;
    let dir = std::env::temp_dir().join(format!("authing-emulator-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    std::fs::write(&path, "old").unwrap();
    emu.export_to(&path).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("state.json")], "no temporary file is left");
    let again = Emulator::builder().import(path.as_path()).start().await.unwrap();
    assert_eq!(again.export(), emu.export());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_readme_example_imports() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/state.json");
    let emu = Emulator::builder().import(path).start().await.unwrap();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(emu.user_pool_id(), doc["userPool"]["id"]);
    let ada = doc["users"][0]["id"].as_str().unwrap();
    assert!(emu.check_user_password(ada, doc["users"][0]["password"].as_str().unwrap()));
    let mt = management_token(&emu).await;
    let users = mgmt_ok(&emu, &mt, USERS, json!({}), "users").await;
    assert_eq!(users["totalCount"], doc["users"].as_array().unwrap().len());
    let vars = json!({ "resource": "books:1", "action": "books:read", "userId": ada, "namespace": "library" });
    assert_eq!(mgmt_ok(&emu, &mt, IS_ALLOWED, vars, "isActionAllowed").await, true);

    let shop = doc["applications"][0]["id"].as_str().unwrap();
    let app = rest_ok(&emu, &mt, Method::GET, &format!("/api/v2/applications/{shop}"), None).await;
    assert_eq!((&app["secret"], &app["appType"]), (&json!("shop-secret"), &json!("BOTH")));
    assert_eq!(app["permissionStrategy"]["defaultStrategy"], "DENY_ALL");
    let path = format!("/api/v2/applications/{shop}/agreements");
    assert_eq!(rest_ok(&emu, &mt, Method::GET, &path, None).await["list"][0]["title"], "Shop terms");
    let path = format!("/api/v2/resources?namespace={shop}");
    assert_eq!(rest_ok(&emu, &mt, Method::GET, &path, None).await["list"][0]["code"], "orders");
    let path = format!("/api/v2/applications/{}/agreements", emu.app_id());
    assert_eq!(rest_ok(&emu, &mt, Method::GET, &path, None).await["totalCount"], 1);

    let settings = emu.oidc_settings();
    assert_eq!(settings.redirect_uris, ["http://localhost:3000/callback"]);
    assert_eq!(settings.introspection_endpoint_auth_method, TokenAuthMethod::ClientSecretBasic);
    assert_eq!(settings.access_token_ttl, Duration::from_secs(3600));
    assert!(!emu.mfa_enforced());
    let bound = rest_ok(&emu, &mt, Method::GET, &format!("/api/v2/users/{ada}/mfa-bound"), None).await;
    assert_eq!(bound, json!({ "OTP": true, "FACE": false }));
    // With MFA enforced, ada finishes a password login with a TOTP of the example's secret.
    emu.set_mfa_enforced(true);
    let password = doc["users"][0]["password"].as_str().unwrap();
    let input = json!({ "input": { "username": "ada", "password": authing_emulator::crypto::encrypt_password(emu.public_key_pem(), password).unwrap() } });
    let login = gql(&emu, LOGIN, input, None).await;
    assert_error(&login, 1635);
    let mfa_token = login["errors"][0]["message"]["data"]["mfaToken"].as_str().unwrap();
    let secret = doc["mfa"]["authenticators"][0]["secret"].as_str().unwrap();
    let body = json!({ "totp": totp_now(secret) });
    let done = rest(&emu, Method::POST, "/api/v2/mfa/totp/verify", Some(mfa_token), Some(body)).await;
    assert_eq!((&done["code"], &done["data"]["id"]), (&json!(200), &json!(ada)), "{done}");
}
