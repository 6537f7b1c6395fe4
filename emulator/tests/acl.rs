//! Access control: namespaces, resources, grants, checks and revokes over GraphQL and REST, and a property
//! test of `isActionAllowed` against `User.authorizedResources`.

mod common;

use authing_emulator::Emulator;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const ALLOW: &str = "mutation allow($resource: String!, $action: String!, $userId: String, $userIds: [String!], $roleCode: String, $roleCodes: [String!], $namespace: String) { allow(resource: $resource, action: $action, userId: $userId, userIds: $userIds, roleCode: $roleCode, roleCodes: $roleCodes, namespace: $namespace) { code message } }";
const IS_ALLOWED: &str = "query isActionAllowed($resource: String!, $action: String!, $userId: String!, $namespace: String) { isActionAllowed(resource: $resource, action: $action, userId: $userId, namespace: $namespace) }";
const AUTHORIZE: &str = "mutation authorizeResource($namespace: String, $resource: String, $resourceType: ResourceType, $opts: [AuthorizeResourceOpt]) { authorizeResource(namespace: $namespace, resource: $resource, resourceType: $resourceType, opts: $opts) { code message } }";
const AUTHORIZED: &str = "query authorizedResources($targetType: PolicyAssignmentTargetType, $targetIdentifier: String, $namespace: String, $resourceType: String) { authorizedResources(targetType: $targetType, targetIdentifier: $targetIdentifier, namespace: $namespace, resourceType: $resourceType) { totalCount list { code type actions apiIdentifier } } }";
const TARGETS: &str = "query authorizedTargets($namespace: String!, $resourceType: ResourceType!, $resource: String!, $targetType: PolicyAssignmentTargetType, $actions: AuthorizedTargetsActionsInput) { authorizedTargets(namespace: $namespace, resourceType: $resourceType, resource: $resource, targetType: $targetType, actions: $actions) { totalCount list { targetType targetIdentifier actions } } }";
const USER_RESOURCES: &str = "query listUserAuthorizedResources($id: String!, $namespace: String, $resourceType: String) { user(id: $id) { authorizedResources(namespace: $namespace, resourceType: $resourceType) { totalCount list { code type actions apiIdentifier } } } }";
const ROLE_RESOURCES: &str = "query listRoleAuthorizedResources($code: String!, $namespace: String, $resourceType: String) { role(code: $code, namespace: $namespace) { authorizedResources(resourceType: $resourceType) { totalCount list { code type actions } } } }";
const GROUP_RESOURCES: &str = "query listGroupAuthorizedResources($code: String!, $namespace: String, $resourceType: String) { group(code: $code) { authorizedResources(namespace: $namespace, resourceType: $resourceType) { totalCount list { code type actions } } } }";
const CREATE_ROLE: &str = "mutation createRole($namespace: String, $code: String!) { createRole(namespace: $namespace, code: $code) { id code namespace } }";
const UPDATE_ROLE: &str = "mutation updateRole($code: String!, $newCode: String, $namespace: String) { updateRole(code: $code, newCode: $newCode, namespace: $namespace) { code } }";
const DELETE_ROLE: &str = "mutation deleteRole($code: String!, $namespace: String) { deleteRole(code: $code, namespace: $namespace) { code } }";
const ROLE: &str =
    "query role($code: String!, $namespace: String) { role(code: $code, namespace: $namespace) { code namespace } }";
const ASSIGN: &str = "mutation assignRole($namespace: String, $roleCode: String, $userIds: [String!]) { assignRole(namespace: $namespace, roleCode: $roleCode, userIds: $userIds) { code } }";
const CREATE_GROUP: &str =
    "mutation createGroup($code: String!, $name: String!) { createGroup(code: $code, name: $name) { code } }";
const ADD_TO_GROUP: &str = "mutation addUserToGroup($userIds: [String!]!, $code: String) { addUserToGroup(userIds: $userIds, code: $code) { code } }";
const DELETE_USER: &str = "mutation deleteUser($id: String!) { deleteUser(id: $id) { code } }";

async fn setup() -> (Emulator, String) {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    (emu, mt)
}

/// A REST call with the management token that must succeed; returns `data`.
async fn ok(emu: &Emulator, mt: &str, method: Method, path: &str, body: Option<Value>) -> Value {
    let res = rest(emu, method, path, Some(mt), body).await;
    assert_eq!(res["code"], 200, "{path}: {res}");
    res["data"].clone()
}

/// A REST call with the management token that must fail with `code`.
async fn refused(emu: &Emulator, mt: &str, method: Method, path: &str, body: Option<Value>, code: i64) {
    let res = rest(emu, method, path, Some(mt), body).await;
    assert_eq!(res["code"], code, "{path}: {res}");
    assert!(res["data"].is_null(), "{res}");
}

async fn new_user(emu: &Emulator, mt: &str, username: &str) -> String {
    create_user(emu, mt, json!({ "username": username })).await["id"].as_str().unwrap().to_owned()
}

async fn create_namespace(emu: &Emulator, mt: &str, code: &str) -> Value {
    let path = format!("/api/v2/resource-namespace/{}", emu.user_pool_id());
    ok(emu, mt, Method::POST, &path, Some(json!({ "code": code, "name": code.to_uppercase() }))).await
}

async fn is_allowed(emu: &Emulator, mt: &str, user: &str, resource: &str, action: &str, ns: &str) -> bool {
    let vars = json!({ "userId": user, "resource": resource, "action": action, "namespace": ns });
    mgmt_ok(emu, mt, IS_ALLOWED, vars, "isActionAllowed").await.as_bool().unwrap()
}

async fn is_allowed_rest(emu: &Emulator, mt: &str, user: &str, resource: &str, action: &str, ns: &str) -> bool {
    let body = json!({ "userId": user, "resource": resource, "action": action, "namespace": ns });
    ok(emu, mt, Method::POST, "/api/v2/acl/is-allowed", Some(body)).await["allowed"].as_bool().unwrap()
}

async fn authorized(emu: &Emulator, mt: &str, kind: &str, id: &str, ns: &str) -> Value {
    let vars = json!({ "targetType": kind, "targetIdentifier": id, "namespace": ns });
    mgmt_ok(emu, mt, AUTHORIZED, vars, "authorizedResources").await
}

fn codes(page: &Value) -> Vec<String> {
    page["list"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned()).collect()
}

async fn authorize(emu: &Emulator, mt: &str, ns: &str, resource: &str, opts: Value) {
    let vars = json!({ "namespace": ns, "resource": resource, "opts": opts });
    let res = mgmt_ok(emu, mt, AUTHORIZE, vars, "authorizeResource").await;
    assert_eq!(res["code"], 200);
}

/// Users ada (direct grants), bob (role `editor`), cy (group `readers`), dan (nothing) in `library`.
struct World {
    emu: Emulator,
    mt: String,
    ada: String,
    bob: String,
    cy: String,
    dan: String,
}

async fn world() -> World {
    let (emu, mt) = setup().await;
    create_namespace(&emu, &mt, "library").await;
    let (ada, bob, cy, dan) = (
        new_user(&emu, &mt, "ada").await,
        new_user(&emu, &mt, "bob").await,
        new_user(&emu, &mt, "cy").await,
        new_user(&emu, &mt, "dan").await,
    );
    mgmt_ok(&emu, &mt, CREATE_ROLE, json!({ "namespace": "library", "code": "editor" }), "createRole").await;
    mgmt_ok(&emu, &mt, ASSIGN, json!({ "namespace": "library", "roleCode": "editor", "userIds": [bob] }), "assignRole")
        .await;
    mgmt_ok(&emu, &mt, CREATE_GROUP, json!({ "code": "readers", "name": "Readers" }), "createGroup").await;
    mgmt_ok(&emu, &mt, ADD_TO_GROUP, json!({ "userIds": [cy], "code": "readers" }), "addUserToGroup").await;

    let allow = |vars: Value| {
        let (emu, mt) = (&emu, &mt);
        async move {
            let res = mgmt_ok(emu, mt, ALLOW, vars, "allow").await;
            assert_eq!(res["code"], 200);
        }
    };
    allow(json!({ "resource": "books:*", "action": "books:read", "userId": ada, "namespace": "library" })).await;
    allow(json!({ "resource": "books:1", "action": "edit", "roleCode": "editor", "namespace": "library" })).await;
    authorize(
        &emu,
        &mt,
        "library",
        "films:*",
        json!([{ "targetType": "GROUP", "targetIdentifier": "readers", "actions": ["films:*"] }]),
    )
    .await;
    authorize(
        &emu,
        &mt,
        "library",
        "maps:7",
        json!([{ "targetType": "USER", "targetIdentifier": ada, "actions": ["maps:view"] }]),
    )
    .await;
    World { emu, mt, ada, bob, cy, dan }
}

#[tokio::test]
async fn checks_follow_wildcards_prefixes_and_inheritance() {
    let w = world().await;
    let (emu, mt) = (&w.emu, w.mt.as_str());
    let cases = [
        (&w.ada, "books:123", "books:read", true),
        (&w.ada, "books:*", "books:read", true),
        (&w.ada, "books:123", "read", true),
        (&w.ada, "books:1", "books:edit", false),
        (&w.bob, "books:1", "books:edit", true),
        (&w.bob, "books:1", "edit", true),
        (&w.bob, "books:2", "books:edit", false),
        (&w.bob, "books:*", "books:edit", false),
        (&w.bob, "books:1", "books:read", false),
        (&w.cy, "films:9", "films:delete", true),
        (&w.cy, "films:*", "films:edit", true),
        (&w.cy, "books:1", "books:edit", false),
        (&w.dan, "books:1", "books:read", false),
        (&w.ada, "maps:7", "view", true),
        (&w.ada, "maps:*", "maps:view", false),
        (&w.ada, "maps:8", "maps:view", false),
    ];
    for (user, resource, action, want) in cases {
        assert_eq!(is_allowed(emu, mt, user, resource, action, "library").await, want, "{resource} {action}");
        assert_eq!(is_allowed_rest(emu, mt, user, resource, action, "library").await, want, "{resource} {action}");
    }
    // Another namespace knows none of these grants.
    assert!(!is_allowed(emu, mt, &w.ada, "books:1", "books:read", "default").await);

    // Refusals: unknown namespace, unknown user, a resource without an identifier, no token.
    let vars = json!({ "userId": w.ada, "resource": "books:1", "action": "read", "namespace": "nowhere" });
    assert_code(&mgmt(emu, mt, IS_ALLOWED, vars).await, 3003);
    let vars = json!({ "userId": "nobody", "resource": "books:1", "action": "read", "namespace": "library" });
    assert_code(&mgmt(emu, mt, IS_ALLOWED, vars).await, 2004);
    let vars = json!({ "resource": "books", "action": "books:edit", "userId": w.ada });
    assert_code(&mgmt(emu, mt, ALLOW, vars).await, 400);
    let vars = json!({ "resource": "books:1", "action": "read", "roleCode": "nope", "namespace": "library" });
    assert_code(&mgmt(emu, mt, ALLOW, vars).await, 2101);
    let vars = json!({ "resource": "books:1", "action": "read", "userId": w.ada });
    assert_error(&gql(emu, ALLOW, vars, None).await, 2020);
    let res = rest(emu, Method::POST, "/api/v2/acl/is-allowed", None, Some(json!({}))).await;
    assert_eq!(res["code"], 2020);
}

#[tokio::test]
async fn batch_checks_and_listings() {
    let w = world().await;
    let (emu, mt) = (&w.emu, w.mt.as_str());
    // Request order, permitted resources only; a type grant answers a type question.
    let body =
        json!({ "userId": w.ada, "namespace": "library", "resources": ["maps:7", "films:1", "books:5", "books:*"] });
    let data = ok(emu, mt, Method::POST, "/api/v2/acl/check-resource-permission-batch", Some(body)).await;
    assert_eq!(
        data,
        json!([
            { "code": "maps:7", "actions": ["maps:view"] },
            { "code": "books:5", "actions": ["books:read"] },
            { "code": "books:*", "actions": ["books:read"] },
        ])
    );

    // Instance grants of a kind, in grant order, own and inherited; the type grant is not one.
    for (code, action) in [("books:3", "books:read"), ("books:2", "books:edit")] {
        let vars = json!({ "resource": code, "action": action, "userId": w.ada, "namespace": "library" });
        mgmt_ok(emu, mt, ALLOW, vars, "allow").await;
    }
    let kind = |user: &str| json!({ "userId": user, "namespace": "library", "resource": "books" });
    let path = "/api/v2/acl/get-authorized-resources-of-resource-kind";
    let data = ok(emu, mt, Method::POST, path, Some(kind(&w.ada))).await;
    assert_eq!(
        data,
        json!([{ "code": "books:3", "actions": ["books:read"] }, { "code": "books:2", "actions": ["books:edit"] }])
    );
    let data = ok(emu, mt, Method::POST, path, Some(kind(&w.bob))).await;
    assert_eq!(data, json!([{ "code": "books:1", "actions": ["edit"] }]));
    assert_eq!(ok(emu, mt, Method::POST, path, Some(kind(&w.dan))).await, json!([]));

    // authorizedResources of each kind of target, and the computed fields.
    let ada = authorized(emu, mt, "USER", &w.ada, "library").await;
    assert_eq!(codes(&ada), ["books:*", "maps:7", "books:3", "books:2"]);
    assert_eq!(ada["totalCount"], 4);
    assert_eq!(
        ada["list"][0],
        json!({ "code": "books:*", "type": "DATA", "actions": ["books:read"], "apiIdentifier": null })
    );
    assert_eq!(codes(&authorized(emu, mt, "ROLE", "editor", "library").await), ["books:1"]);
    assert_eq!(codes(&authorized(emu, mt, "GROUP", "readers", "library").await), ["films:*"]);
    assert_eq!(authorized(emu, mt, "USER", "nobody", "library").await["totalCount"], 0);
    let vars = json!({ "id": w.bob, "namespace": "library" });
    let bob = mgmt_ok(emu, mt, USER_RESOURCES, vars, "user").await;
    assert_eq!(codes(&bob["authorizedResources"]), ["books:1"]);
    let vars = json!({ "id": w.cy, "namespace": "library" });
    let cy = mgmt_ok(emu, mt, USER_RESOURCES, vars, "user").await;
    assert_eq!(codes(&cy["authorizedResources"]), ["films:*"]);
    let vars = json!({ "id": w.cy, "namespace": "library", "resourceType": "API" });
    assert_eq!(mgmt_ok(emu, mt, USER_RESOURCES, vars, "user").await["authorizedResources"]["totalCount"], 0);
    let role = mgmt_ok(emu, mt, ROLE_RESOURCES, json!({ "code": "editor", "namespace": "library" }), "role").await;
    assert_eq!(
        role["authorizedResources"]["list"],
        json!([{ "code": "books:1", "type": "DATA", "actions": ["edit"] }])
    );
    let group = mgmt_ok(emu, mt, GROUP_RESOURCES, json!({ "code": "readers", "namespace": "library" }), "group").await;
    assert_eq!(codes(&group["authorizedResources"]), ["films:*"]);
    let group = mgmt_ok(emu, mt, GROUP_RESOURCES, json!({ "code": "readers", "namespace": "default" }), "group").await;
    assert_eq!(group["authorizedResources"]["totalCount"], 0);

    // authorizedTargets: exact resource, kind and action filters.
    let targets = |resource: &str, target_type: Value, actions: Value| json!({ "namespace": "library", "resourceType": "DATA", "resource": resource, "targetType": target_type, "actions": actions });
    let t = mgmt_ok(
        emu,
        mt,
        TARGETS,
        targets("books:1", Value::Null, json!({ "op": "OR", "list": ["books:edit"] })),
        "authorizedTargets",
    )
    .await;
    assert_eq!(
        t,
        json!({ "totalCount": 1, "list": [{ "targetType": "ROLE", "targetIdentifier": "editor", "actions": ["edit"] }] })
    );
    let t = mgmt_ok(emu, mt, TARGETS, targets("books:1", json!("USER"), Value::Null), "authorizedTargets").await;
    assert_eq!(t["totalCount"], 0);
    let and = json!({ "op": "AND", "list": ["books:edit", "books:read"] });
    assert_eq!(
        mgmt_ok(emu, mt, TARGETS, targets("books:1", Value::Null, and), "authorizedTargets").await["totalCount"],
        0
    );
    let t = mgmt_ok(emu, mt, TARGETS, targets("films:*", Value::Null, Value::Null), "authorizedTargets").await;
    assert_eq!(t["list"][0], json!({ "targetType": "GROUP", "targetIdentifier": "readers", "actions": ["films:*"] }));
    assert_eq!(
        mgmt_ok(emu, mt, TARGETS, targets("books:7", Value::Null, Value::Null), "authorizedTargets").await["totalCount"],
        0
    );

    // list-authorized-resources-batch in target order.
    let body = json!({ "namespace": "library", "targets": [
        { "targetType": "ROLE", "targetIdentifier": "editor" },
        { "targetType": "USER", "targetIdentifier": "nobody" },
        { "targetType": "GROUP", "targetIdentifier": "readers" },
    ] });
    let data = ok(emu, mt, Method::POST, "/api/v2/acl/list-authorized-resources-batch", Some(body)).await;
    let counts: Vec<i64> = data["list"].as_array().unwrap().iter().map(|p| p["totalCount"].as_i64().unwrap()).collect();
    assert_eq!(counts, [1, 0, 1]);
    assert_eq!(data["list"][0]["list"][0]["code"], "books:1");
    assert_eq!(data["list"][2]["list"][0]["type"], "DATA");
}

#[tokio::test]
async fn revokes_by_type_instance_and_action() {
    let (emu, mt) = setup().await;
    let (u, v) = (new_user(&emu, &mt, "u").await, new_user(&emu, &mt, "v").await);
    let user = |id: &str, actions: Value| json!([{ "targetType": "USER", "targetIdentifier": id, "actions": actions }]);
    let revoke = |resource: &str, opts: Value| json!({ "namespace": "default", "resource": resource, "opts": opts });
    let path = "/api/v2/acl/revoke-resource";

    // Revoking a type takes the instances; another target keeps its grants.
    for r in ["t:1", "t:2", "other:1"] {
        authorize(&emu, &mt, "default", r, user(&u, json!(["t:read", "other:read"]))).await;
    }
    authorize(&emu, &mt, "default", "t:1", user(&v, json!(["t:read"]))).await;
    ok(&emu, &mt, Method::POST, path, Some(revoke("t", json!([{ "targetType": "USER", "targetIdentifier": u }]))))
        .await;
    assert_eq!(codes(&authorized(&emu, &mt, "USER", &u, "default").await), ["other:1"]);
    assert_eq!(codes(&authorized(&emu, &mt, "USER", &v, "default").await), ["t:1"]);
    // The `T:*` spelling does the same.
    ok(&emu, &mt, Method::POST, path, Some(revoke("t:*", json!([{ "targetType": "USER", "targetIdentifier": v }]))))
        .await;
    assert_eq!(authorized(&emu, &mt, "USER", &v, "default").await["totalCount"], 0);

    // Revoking an instance leaves the type grant.
    authorize(&emu, &mt, "default", "t", user(&u, json!(["t:read"]))).await;
    ok(&emu, &mt, Method::POST, path, Some(revoke("t:1", json!([{ "targetType": "USER", "targetIdentifier": u }]))))
        .await;
    assert_eq!(codes(&authorized(&emu, &mt, "USER", &u, "default").await), ["other:1", "t"]);
    assert!(is_allowed(&emu, &mt, &u, "t:1", "read", "default").await);

    // Revoking some actions keeps the others; the last one takes the grant.
    authorize(&emu, &mt, "default", "t:5", user(&u, json!(["t:read", "t:edit"]))).await;
    let opts = json!([{ "targetType": "USER", "targetIdentifier": u, "actions": ["read"] }]);
    ok(&emu, &mt, Method::POST, path, Some(revoke("t:5", opts))).await;
    let listed = authorized(&emu, &mt, "USER", &u, "default").await;
    assert_eq!(
        listed["list"][2],
        json!({ "code": "t:5", "type": "DATA", "actions": ["t:edit"], "apiIdentifier": null })
    );
    let opts = json!([{ "targetType": "USER", "targetIdentifier": u, "actions": ["t:edit"] }]);
    ok(&emu, &mt, Method::POST, path, Some(revoke("t:5", opts))).await;
    assert_eq!(authorized(&emu, &mt, "USER", &u, "default").await["totalCount"], 2);
    let opts = json!([{ "targetType": "USER", "targetIdentifier": "nobody" }]);
    refused(&emu, &mt, Method::POST, path, Some(revoke("t", opts)), 2004).await;

    // authorize-resources / revoke-resources, several targets and types at once.
    mgmt_ok(&emu, &mt, CREATE_ROLE, json!({ "code": "staff" }), "createRole").await;
    let grants = json!({ "namespace": "default", "opts": [
        { "targetType": "USER", "targetIdentifiers": [u, v], "resources": [
            { "code": "menu:home", "actions": ["menu:show"], "resourceType": "MENU" },
            { "code": "doc:1", "actions": ["doc:read"] },
        ] },
        { "targetType": "ROLE", "targetIdentifiers": ["staff"], "resources": [{ "code": "doc:*", "actions": ["doc:*"] }] },
    ] });
    ok(&emu, &mt, Method::POST, "/api/v2/acl/authorize-resources", Some(grants.clone())).await;
    let v_list = authorized(&emu, &mt, "USER", &v, "default").await;
    assert_eq!(codes(&v_list), ["menu:home", "doc:1"]);
    assert_eq!(v_list["list"][0]["type"], "MENU");
    let vars = json!({ "targetType": "USER", "targetIdentifier": v, "namespace": "default", "resourceType": "MENU" });
    assert_eq!(codes(&mgmt_ok(&emu, &mt, AUTHORIZED, vars, "authorizedResources").await), ["menu:home"]);
    assert_eq!(codes(&authorized(&emu, &mt, "ROLE", "staff", "default").await), ["doc:*"]);
    ok(&emu, &mt, Method::POST, "/api/v2/acl/revoke-resources", Some(grants)).await;
    assert_eq!(authorized(&emu, &mt, "USER", &v, "default").await["totalCount"], 0);
    assert_eq!(authorized(&emu, &mt, "ROLE", "staff", "default").await["totalCount"], 0);
    let bad = json!({ "namespace": "default", "opts": [{ "targetType": "GROUP", "targetIdentifiers": ["none"], "resources": [{ "code": "doc:1", "actions": [] }] }] });
    refused(&emu, &mt, Method::POST, "/api/v2/acl/authorize-resources", Some(bad), 2111).await;
    let bad = json!({ "namespace": "nowhere", "opts": [] });
    refused(&emu, &mt, Method::POST, "/api/v2/acl/authorize-resources", Some(bad), 3003).await;
}

#[tokio::test]
async fn deletes_drop_grants_and_renames_keep_them() {
    let (emu, mt) = setup().await;
    let u = new_user(&emu, &mt, "u").await;
    mgmt_ok(&emu, &mt, CREATE_ROLE, json!({ "code": "r" }), "createRole").await;
    mgmt_ok(&emu, &mt, ASSIGN, json!({ "roleCode": "r", "userIds": [u] }), "assignRole").await;
    mgmt_ok(&emu, &mt, ALLOW, json!({ "resource": "a:1", "action": "a:x", "roleCode": "r" }), "allow").await;
    mgmt_ok(&emu, &mt, ALLOW, json!({ "resource": "a:1", "action": "a:y", "userIds": [u] }), "allow").await;
    mgmt_ok(&emu, &mt, UPDATE_ROLE, json!({ "code": "r", "newCode": "r2" }), "updateRole").await;
    assert_eq!(codes(&authorized(&emu, &mt, "ROLE", "r2", "default").await), ["a:1"]);
    assert!(is_allowed(&emu, &mt, &u, "a:1", "x", "default").await);
    let vars = json!({ "namespace": "default", "resourceType": "DATA", "resource": "a:1" });
    let t = mgmt_ok(&emu, &mt, TARGETS, vars.clone(), "authorizedTargets").await;
    let ids: Vec<&str> =
        t["list"].as_array().unwrap().iter().map(|t| t["targetIdentifier"].as_str().unwrap()).collect();
    assert_eq!(ids, ["r2", u.as_str()]);

    mgmt_ok(&emu, &mt, DELETE_ROLE, json!({ "code": "r2" }), "deleteRole").await;
    assert!(!is_allowed(&emu, &mt, &u, "a:1", "x", "default").await);
    assert!(is_allowed(&emu, &mt, &u, "a:1", "y", "default").await);
    mgmt_ok(&emu, &mt, DELETE_USER, json!({ "id": u }), "deleteUser").await;
    assert_eq!(mgmt_ok(&emu, &mt, TARGETS, vars, "authorizedTargets").await["totalCount"], 0);
}

#[tokio::test]
async fn namespaces() {
    let (emu, mt) = setup().await;
    let base = format!("/api/v2/resource-namespace/{}", emu.user_pool_id());
    let created = create_namespace(&emu, &mt, "library").await;
    let id = created["id"].as_i64().unwrap();
    assert!(id > 1, "{created}");
    assert_eq!(
        (created["code"].as_str(), created["name"].as_str(), created["status"].as_i64()),
        (Some("library"), Some("LIBRARY"), Some(1))
    );
    refused(&emu, &mt, Method::POST, &base, Some(json!({ "code": "library", "name": "again" })), 3001).await;
    refused(&emu, &mt, Method::POST, &base, Some(json!({ "name": "no code" })), 400).await;
    refused(&emu, &mt, Method::POST, "/api/v2/resource-namespace/other-pool", Some(json!({ "code": "x" })), 2224).await;

    // A namespace a role brought into being is listed, and creating it adopts it. The application's own
    // namespace (code = its id) exists from the start.
    mgmt_ok(&emu, &mt, CREATE_ROLE, json!({ "namespace": "implicit", "code": "r" }), "createRole").await;
    let list = ok(&emu, &mt, Method::GET, &format!("{base}?page=1&limit=10"), None).await;
    assert_eq!(list["total"], 4);
    let listed: Vec<&str> = list["list"].as_array().unwrap().iter().map(|n| n["code"].as_str().unwrap()).collect();
    assert_eq!(listed, ["implicit", "library", emu.app_id(), "default"]);
    let implicit_id = list["list"][0]["id"].clone();
    let adopted = create_namespace(&emu, &mt, "implicit").await;
    assert_eq!((adopted["id"].clone(), adopted["name"].as_str()), (implicit_id.clone(), Some("IMPLICIT")));
    let page2 = ok(&emu, &mt, Method::GET, &format!("{base}?page=2&limit=2"), None).await;
    assert_eq!((page2["total"].as_i64(), page2["list"].as_array().unwrap().len()), (Some(4), 2));

    // Update by id (a new code moves its roles) and by code.
    let updated = ok(&emu, &mt, Method::PUT, &format!("{base}/{id}"), Some(json!({ "name": "City library" }))).await;
    assert_eq!(updated["name"], "City library");
    refused(&emu, &mt, Method::PUT, &format!("{base}/0"), Some(json!({ "name": "x" })), 3005).await;
    refused(&emu, &mt, Method::PUT, &format!("{base}/{id}"), Some(json!({ "code": "implicit" })), 3001).await;
    let renamed =
        ok(&emu, &mt, Method::PUT, &format!("{base}/code/implicit"), Some(json!({ "code": "explicit" }))).await;
    assert_eq!((renamed["id"].clone(), renamed["code"].as_str()), (implicit_id, Some("explicit")));
    let role = mgmt_ok(&emu, &mt, ROLE, json!({ "code": "r", "namespace": "explicit" }), "role").await;
    assert_eq!(role["namespace"], "explicit");
    refused(&emu, &mt, Method::PUT, &format!("{base}/code/missing"), Some(json!({ "name": "x" })), 3005).await;

    // Delete by id and by code; 3003 for unknown ones; default stays.
    ok(&emu, &mt, Method::DELETE, &format!("{base}/{id}"), None).await;
    refused(&emu, &mt, Method::DELETE, &format!("{base}/{id}"), None, 3003).await;
    refused(&emu, &mt, Method::DELETE, &format!("{base}/0"), None, 3003).await;
    ok(&emu, &mt, Method::DELETE, &format!("{base}/code/explicit"), None).await;
    assert!(mgmt_ok(&emu, &mt, ROLE, json!({ "code": "r", "namespace": "explicit" }), "role").await.is_null());
    refused(&emu, &mt, Method::DELETE, &format!("{base}/code/explicit"), None, 3003).await;
    refused(&emu, &mt, Method::DELETE, &format!("{base}/1"), None, 400).await;
    assert_eq!(ok(&emu, &mt, Method::GET, &base, None).await["total"], 2, "default and the application's");
    let vars = json!({ "resource": "a:1", "action": "a:x", "namespace": "library", "roleCode": "r" });
    assert_code(&mgmt(&emu, &mt, ALLOW, vars).await, 3003);
    let res = rest(&emu, Method::GET, &base, None, None).await;
    assert_eq!(res["code"], 2020);
}

#[tokio::test]
async fn resources() {
    let (emu, mt) = setup().await;
    create_namespace(&emu, &mt, "library").await;
    let books = json!({
        "code": "books", "type": "DATA", "namespace": "library", "description": "Books",
        "actions": [{ "name": "books:read", "description": "Read" }, { "name": "books:edit", "description": "Edit" }],
    });
    let created = ok(&emu, &mt, Method::POST, "/api/v2/resources", Some(books.clone())).await;
    assert_eq!(created["code"], "books");
    assert_eq!(created["type"], "DATA");
    assert_eq!(created["userPoolId"], emu.user_pool_id());
    assert!(created["namespaceId"].as_i64().unwrap() > 1);
    assert_eq!(created["actions"][1], json!({ "name": "books:edit", "description": "Edit" }));
    assert!(created["createdAt"].is_string() && created["updatedAt"].is_string());
    let id = created["id"].as_str().unwrap().to_owned();
    refused(&emu, &mt, Method::POST, "/api/v2/resources", Some(books), 3012).await;
    let api = json!({ "code": "orders", "type": "API", "namespace": "library", "actions": [], "apiIdentifier": "https://api/orders" });
    ok(&emu, &mt, Method::POST, "/api/v2/resources", Some(api)).await;
    let bad = json!({ "code": "x", "type": "THING", "namespace": "library" });
    refused(&emu, &mt, Method::POST, "/api/v2/resources", Some(bad), 400).await;
    let lost = json!({ "code": "x", "type": "DATA", "namespace": "nowhere" });
    refused(&emu, &mt, Method::POST, "/api/v2/resources", Some(lost), 3003).await;

    let list = ok(&emu, &mt, Method::GET, "/api/v2/resources?namespace=library&page=1&limit=10", None).await;
    assert_eq!(list["totalCount"], 2);
    assert_eq!(codes(&list), ["orders", "books"]);
    for (kind, want) in [("MENU", 0), ("API", 1), ("DATA", 1)] {
        let path = format!("/api/v2/resources?namespace=library&type={kind}");
        assert_eq!(ok(&emu, &mt, Method::GET, &path, None).await["totalCount"], want, "{kind}");
    }
    assert_eq!(ok(&emu, &mt, Method::GET, "/api/v2/resources", None).await["totalCount"], 0);

    let update = json!({ "namespace": "library", "description": "All the books", "actions": [{ "name": "name", "description": "description" }] });
    let updated = ok(&emu, &mt, Method::POST, "/api/v2/resources/books", Some(update)).await;
    assert_eq!(updated["description"], "All the books");
    assert_eq!(updated["actions"], json!([{ "name": "name", "description": "description" }]));
    assert_eq!(updated["type"], "DATA");
    refused(&emu, &mt, Method::POST, "/api/v2/resources/none", Some(json!({ "namespace": "library" })), 3011).await;

    let by_id = ok(&emu, &mt, Method::GET, &format!("/api/v2/resources/detail?id={id}"), None).await;
    assert_eq!(by_id["code"], "books");
    let by_code = ok(&emu, &mt, Method::GET, "/api/v2/resources/detail?namespace=library&code=books", None).await;
    assert_eq!(by_code["id"], id.as_str());
    assert!(ok(&emu, &mt, Method::GET, "/api/v2/resources/detail?id=nothing", None).await.is_null());

    // A grant on an API resource's type carries its type and API identifier.
    let u = new_user(&emu, &mt, "u").await;
    authorize(
        &emu,
        &mt,
        "library",
        "orders:*",
        json!([{ "targetType": "USER", "targetIdentifier": u, "actions": ["orders:get"] }]),
    )
    .await;
    let listed = authorized(&emu, &mt, "USER", &u, "library").await;
    assert_eq!(
        listed["list"][0],
        json!({ "code": "orders:*", "type": "API", "actions": ["orders:get"], "apiIdentifier": "https://api/orders" })
    );

    ok(&emu, &mt, Method::DELETE, "/api/v2/resources/books?namespace=library", None).await;
    assert!(ok(&emu, &mt, Method::GET, "/api/v2/resources/detail?namespace=library&code=books", None).await.is_null());
    refused(&emu, &mt, Method::DELETE, "/api/v2/resources/books?namespace=library", None, 3011).await;
    let res = rest(&emu, Method::GET, "/api/v2/resources", None, None).await;
    assert_eq!(res["code"], 2020);
}

/// A seeded xorshift generator: the same sequence on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// The coverage rules, written out independently of the server.
fn covers_resource(granted: &str, asked: &str) -> bool {
    let kind = |c: &str| c.split(':').next().unwrap_or_default().to_owned();
    let is_type = |c: &str| !c.contains(':') || c.ends_with(":*");
    granted == asked || granted == "*" || (is_type(granted) && kind(granted) == kind(asked))
}

fn covers_action(granted: &str, asked: &str, resource: &str) -> bool {
    let kind = resource.split(':').next().unwrap_or_default();
    let full = |a: &str| if a == "*" || a.contains(':') { a.to_owned() } else { format!("{kind}:{a}") };
    let (g, a) = (full(granted), full(asked));
    g == a || g == "*" || (g.ends_with(":*") && g.split(':').next() == a.split(':').next())
}

#[tokio::test]
async fn is_action_allowed_agrees_with_authorized_resources() {
    let (emu, mt) = setup().await;
    let mut users = Vec::new();
    for name in ["p0", "p1", "p2"] {
        users.push(new_user(&emu, &mt, name).await);
    }
    for role in ["ra", "rb"] {
        mgmt_ok(&emu, &mt, CREATE_ROLE, json!({ "code": role }), "createRole").await;
    }
    mgmt_ok(&emu, &mt, ASSIGN, json!({ "roleCode": "ra", "userIds": [users[0], users[1]] }), "assignRole").await;
    mgmt_ok(&emu, &mt, ASSIGN, json!({ "roleCode": "rb", "userIds": [users[2]] }), "assignRole").await;
    mgmt_ok(&emu, &mt, CREATE_GROUP, json!({ "code": "g", "name": "G" }), "createGroup").await;
    mgmt_ok(&emu, &mt, ADD_TO_GROUP, json!({ "userIds": [users[1], users[2]], "code": "g" }), "addUserToGroup").await;

    let resources = ["books", "books:*", "books:1", "books:2", "films:*", "films:1", "films:2", "books:3", "*"];
    let actions = ["read", "books:read", "books:*", "films:edit", "edit", "films:*", "films:read"];
    let mut targets: Vec<(&str, String)> = users.iter().map(|u| ("USER", u.clone())).collect();
    targets.extend([("ROLE", "ra".to_owned()), ("ROLE", "rb".to_owned()), ("GROUP", "g".to_owned())]);
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut opts = Vec::new();
    for _ in 0..24 {
        let (kind, id) = rng.pick(&targets).clone();
        let n = 1 + rng.next() % 2;
        let granted: Vec<&str> = (0..n).map(|_| *rng.pick(&actions)).collect();
        let resource = *rng.pick(&resources);
        opts.push(json!({ "targetType": kind, "targetIdentifiers": [id], "resources": [{ "code": resource, "actions": granted }] }));
    }
    ok(&emu, &mt, Method::POST, "/api/v2/acl/authorize-resources", Some(json!({ "opts": opts }))).await;

    let asked_resources = ["books:1", "books:2", "books:9", "books:*", "films:1", "films:3", "maps:1"];
    let asked_actions = ["read", "books:read", "books:edit", "films:edit", "edit", "books:*", "delete"];
    let mut agreed = (0, 0);
    for user in &users {
        let held = mgmt_ok(&emu, &mt, USER_RESOURCES, json!({ "id": user, "namespace": "default" }), "user").await;
        let held = held["authorizedResources"]["list"].as_array().unwrap().clone();
        for _ in 0..25 {
            let resource = *rng.pick(&asked_resources);
            let action = *rng.pick(&asked_actions);
            let expected = held.iter().any(|r| {
                covers_resource(r["code"].as_str().unwrap(), resource)
                    && r["actions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|a| covers_action(a.as_str().unwrap(), action, resource))
            });
            let got = is_allowed(&emu, &mt, user, resource, action, "default").await;
            assert_eq!(got, expected, "{user} {resource} {action}: {held:?}");
            if got { agreed.0 += 1 } else { agreed.1 += 1 }
        }
    }
    // The seed exercises both answers.
    assert!(agreed.0 > 5 && agreed.1 > 5, "{agreed:?}");
}

#[tokio::test]
async fn user_authorized_resources_without_namespace_lists_default_only() {
    let (emu, mt) = setup().await;
    create_namespace(&emu, &mt, "library").await;
    let ada = new_user(&emu, &mt, "ada").await;
    let allow = |resource: &str, namespace: &str| json!({ "resource": resource, "action": "read", "userId": ada, "namespace": namespace });
    mgmt_ok(&emu, &mt, ALLOW, allow("books:1", "library"), "allow").await;
    mgmt_ok(&emu, &mt, ALLOW, allow("menu:home", "default"), "allow").await;

    let own = mgmt_ok(&emu, &mt, USER_RESOURCES, json!({ "id": ada }), "user").await;
    assert_eq!(codes(&own["authorizedResources"]), ["menu:home"]);
    let vars = json!({ "targetType": "USER", "targetIdentifier": ada });
    let top = mgmt_ok(&emu, &mt, AUTHORIZED, vars, "authorizedResources").await;
    assert_eq!(own["authorizedResources"], top, "the same answer as the top-level query");
    let vars = json!({ "id": ada, "namespace": "library" });
    let library = mgmt_ok(&emu, &mt, USER_RESOURCES, vars, "user").await;
    assert_eq!(codes(&library["authorizedResources"]), ["books:1"]);
}
