//! Policies: CRUD with conditions, the built-in policy, assignments and their enabled flag.

mod common;

use authing_emulator::Emulator;
use common::*;
use serde_json::{Value, json};

const POLICY_FIELDS: &str = "namespace code isDefault description statements { resource actions effect condition { param operator value } } createdAt updatedAt assignmentsCount";
const DELETE: &str = "mutation deletePolicy($code: String!, $namespace: String) { deletePolicy(code: $code, namespace: $namespace) { code message } }";
const DELETE_MANY: &str = "mutation deletePolicies($codeList: [String!]!, $namespace: String) { deletePolicies(codeList: $codeList, namespace: $namespace) { code message } }";
const ADD: &str = "mutation addPolicyAssignments($policies: [String!]!, $targetType: PolicyAssignmentTargetType!, $targetIdentifiers: [String!], $inheritByChildren: Boolean, $namespace: String) { addPolicyAssignments(policies: $policies, targetType: $targetType, targetIdentifiers: $targetIdentifiers, inheritByChildren: $inheritByChildren, namespace: $namespace) { code message } }";
const REMOVE: &str = "mutation removePolicyAssignments($policies: [String!]!, $targetType: PolicyAssignmentTargetType!, $targetIdentifiers: [String!], $namespace: String) { removePolicyAssignments(policies: $policies, targetType: $targetType, targetIdentifiers: $targetIdentifiers, namespace: $namespace) { code message } }";
const ASSIGNMENTS: &str = "query policyAssignments($namespace: String, $code: String, $targetType: PolicyAssignmentTargetType, $targetIdentifier: String, $page: Int, $limit: Int) { policyAssignments(namespace: $namespace, code: $code, targetType: $targetType, targetIdentifier: $targetIdentifier, page: $page, limit: $limit) { totalCount list { code targetType targetIdentifier } } }";
const ENABLE: &str = "mutation enablePolicyAssignment($policy: String!, $targetType: PolicyAssignmentTargetType!, $targetIdentifier: String!, $namespace: String) { enablePolicyAssignment(policy: $policy, targetType: $targetType, targetIdentifier: $targetIdentifier, namespace: $namespace) { code message } }";
const DISABLE: &str = "mutation disbalePolicyAssignment($policy: String!, $targetType: PolicyAssignmentTargetType!, $targetIdentifier: String!, $namespace: String) { disbalePolicyAssignment(policy: $policy, targetType: $targetType, targetIdentifier: $targetIdentifier, namespace: $namespace) { code message } }";
const POLICY_ASSIGNMENTS: &str = "query policy($code: String!, $namespace: String) { policy(code: $code, namespace: $namespace) { assignmentsCount assignments(page: 1, limit: 10) { code targetType targetIdentifier } } }";

fn create_doc() -> String {
    format!(
        "mutation createPolicy($namespace: String, $code: String!, $description: String, $statements: [PolicyStatementInput!]!) {{ createPolicy(namespace: $namespace, code: $code, description: $description, statements: $statements) {{ {POLICY_FIELDS} }} }}"
    )
}

fn update_doc() -> String {
    format!(
        "mutation updatePolicy($namespace: String, $code: String!, $description: String, $statements: [PolicyStatementInput!], $newCode: String) {{ updatePolicy(namespace: $namespace, code: $code, description: $description, statements: $statements, newCode: $newCode) {{ {POLICY_FIELDS} }} }}"
    )
}

fn policy_doc() -> String {
    format!(
        "query policy($code: String!, $namespace: String) {{ policy(code: $code, namespace: $namespace) {{ {POLICY_FIELDS} }} }}"
    )
}

fn policies_doc() -> String {
    format!(
        "query policies($page: Int, $limit: Int, $namespace: String, $excludeDefault: Boolean) {{ policies(page: $page, limit: $limit, namespace: $namespace, excludeDefault: $excludeDefault) {{ totalCount list {{ {POLICY_FIELDS} }} }} }}"
    )
}

async fn setup() -> (Emulator, String) {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    (emu, mt)
}

fn codes(list: &Value) -> Vec<String> {
    list["list"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap().to_owned()).collect()
}

fn read_books() -> Value {
    json!([{ "resource": "books:123", "actions": ["books:read"], "effect": "ALLOW" }])
}

async fn create(emu: &Emulator, mt: &str, vars: Value) -> Value {
    mgmt_ok(emu, mt, &create_doc(), vars, "createPolicy").await
}

#[tokio::test]
async fn policy_crud() {
    let (emu, mt) = setup().await;
    let p = create(&emu, &mt, json!({ "code": "readers", "description": "Read", "statements": read_books() })).await;
    assert_eq!(p["namespace"], "default");
    assert_eq!(p["isDefault"], false);
    assert_eq!(p["description"], "Read");
    assert_eq!(p["assignmentsCount"], 0);
    assert_eq!(
        p["statements"],
        json!([{ "resource": "books:123", "actions": ["books:read"], "effect": "ALLOW", "condition": null }])
    );

    // conditions keep their values as given JSON
    let cond = json!([
        { "param": "AppId", "operator": "StringEquals", "value": "app1" },
        { "param": "Ip", "operator": "In", "value": ["10.0.0.1", 2, { "a": true }] }
    ]);
    let statements = json!([{ "resource": "*", "actions": ["*"], "effect": "DENY", "condition": cond }]);
    let p = create(&emu, &mt, json!({ "code": "deny", "statements": statements })).await;
    assert_eq!(p["statements"][0]["condition"], cond);
    assert_eq!(p["statements"][0]["effect"], "DENY");

    assert_error(&mgmt(&emu, &mt, &create_doc(), json!({ "code": "readers", "statements": [] })).await, 2122);
    let other = create(&emu, &mt, json!({ "code": "readers", "namespace": "books", "statements": [] })).await;
    assert_eq!(other["namespace"], "books");

    // list: newest first, the built-in policy last, unless excluded
    let list = mgmt_ok(&emu, &mt, &policies_doc(), json!({}), "policies").await;
    assert_eq!(codes(&list), ["deny", "readers", "AdministratorAccess"]);
    let admin = &list["list"][2];
    assert_eq!(admin["isDefault"], true);
    assert_eq!(admin["statements"][0]["resource"], "*");
    let list = mgmt_ok(&emu, &mt, &policies_doc(), json!({ "excludeDefault": true }), "policies").await;
    assert_eq!(codes(&list), ["deny", "readers"]);
    let list = mgmt_ok(&emu, &mt, &policies_doc(), json!({ "page": 2, "limit": 2 }), "policies").await;
    assert_eq!((list["totalCount"].clone(), codes(&list)), (json!(3), vec!["AdministratorAccess".to_owned()]));
    let list = mgmt_ok(&emu, &mt, &policies_doc(), json!({ "namespace": "books" }), "policies").await;
    assert_eq!(codes(&list), ["readers"]);

    // detail, update, rename
    assert_eq!(mgmt_ok(&emu, &mt, &policy_doc(), json!({ "code": "nope" }), "policy").await, Value::Null);
    let p = mgmt_ok(&emu, &mt, &policy_doc(), json!({ "code": "readers" }), "policy").await;
    assert_eq!(p["description"], "Read");
    let more = json!([{ "resource": "books:123", "actions": ["books:read", "books:update"], "effect": "ALLOW" }]);
    let p = mgmt_ok(&emu, &mt, &update_doc(), json!({ "code": "readers", "statements": more }), "updatePolicy").await;
    assert_eq!(p["statements"][0]["actions"], json!(["books:read", "books:update"]));
    assert_eq!(p["description"], "Read");
    let p = mgmt_ok(&emu, &mt, &update_doc(), json!({ "code": "readers", "newCode": "editors" }), "updatePolicy").await;
    assert_eq!(p["code"], "editors");
    assert_eq!(mgmt_ok(&emu, &mt, &policy_doc(), json!({ "code": "readers" }), "policy").await, Value::Null);
    assert_error(&mgmt(&emu, &mt, &update_doc(), json!({ "code": "editors", "newCode": "deny" })).await, 2122);
    assert_error(&mgmt(&emu, &mt, &update_doc(), json!({ "code": "ghost", "description": "x" })).await, 2121);

    // the built-in policy can be neither updated nor deleted
    let body = mgmt(&emu, &mt, &update_doc(), json!({ "code": "AdministratorAccess", "description": "x" })).await;
    assert_error(&body, 2123);
    assert_error(&mgmt(&emu, &mt, DELETE, json!({ "code": "AdministratorAccess" })).await, 2123);
    let body = mgmt(&emu, &mt, DELETE_MANY, json!({ "codeList": ["deny", "AdministratorAccess"] })).await;
    assert_error(&body, 2123);
    assert!(mgmt_ok(&emu, &mt, &policy_doc(), json!({ "code": "deny" }), "policy").await.is_object());

    // delete
    assert_eq!(mgmt_ok(&emu, &mt, DELETE, json!({ "code": "deny" }), "deletePolicy").await["code"], 200);
    assert_error(&mgmt(&emu, &mt, DELETE, json!({ "code": "deny" })).await, 2121);
    let res = mgmt_ok(&emu, &mt, DELETE_MANY, json!({ "codeList": ["editors", "ghost"] }), "deletePolicies").await;
    assert_eq!(res["code"], 200);
    let list = mgmt_ok(&emu, &mt, &policies_doc(), json!({ "excludeDefault": true }), "policies").await;
    assert_eq!(list["totalCount"], 0);
    assert_error(&gql(&emu, &policies_doc(), json!({}), None).await, 2020);
}

#[tokio::test]
async fn assignments() {
    let (emu, mt) = setup().await;
    let ada = create_user(&emu, &mt, json!({ "username": "ada" })).await["id"].as_str().unwrap().to_owned();
    let role = mgmt_ok(
        &emu,
        &mt,
        "mutation createRole($code: String!) { createRole(code: $code) { id } }",
        json!({ "code": "admin" }),
        "createRole",
    )
    .await;
    let role_id = role["id"].as_str().unwrap().to_owned();
    mgmt_ok(
        &emu,
        &mt,
        "mutation createGroup($code: String!, $name: String!) { createGroup(code: $code, name: $name) { code } }",
        json!({ "code": "eng", "name": "Eng" }),
        "createGroup",
    )
    .await;
    create(&emu, &mt, json!({ "code": "p1", "statements": read_books() })).await;
    create(&emu, &mt, json!({ "code": "p2", "statements": read_books() })).await;

    let add =
        |kind: &str, ids: Value| json!({ "policies": ["p1", "p2"], "targetType": kind, "targetIdentifiers": ids });
    for (kind, ids) in
        [("USER", json!([ada])), ("ROLE", json!(["admin"])), ("GROUP", json!(["eng"])), ("ORG", json!(["o1"]))]
    {
        let res = mgmt_ok(&emu, &mt, ADD, add(kind, ids.clone()), "addPolicyAssignments").await;
        assert_eq!(res["code"], 200, "{kind}");
        // idempotent
        mgmt_ok(&emu, &mt, ADD, add(kind, ids), "addPolicyAssignments").await;
    }
    let res = mgmt_ok(
        &emu,
        &mt,
        ADD,
        json!({ "policies": ["p1"], "targetType": "AK_SK", "targetIdentifiers": ["k1"], "inheritByChildren": true }),
        "addPolicyAssignments",
    )
    .await;
    assert_eq!(res["code"], 200);

    // targets that do not exist, policies that do not exist
    assert_error(&mgmt(&emu, &mt, ADD, add("USER", json!(["nobody"]))).await, 2004);
    assert_error(&mgmt(&emu, &mt, ADD, add("ROLE", json!(["ghost"]))).await, 2101);
    assert_error(&mgmt(&emu, &mt, ADD, add("GROUP", json!(["ghost"]))).await, 2111);
    let body =
        mgmt(&emu, &mt, ADD, json!({ "policies": ["nope"], "targetType": "USER", "targetIdentifiers": [ada] })).await;
    assert_error(&body, 2121);
    // a role of another namespace is not a role of `default`
    let body = mgmt(
        &emu,
        &mt,
        ADD,
        json!({ "policies": ["p1"], "targetType": "ROLE", "targetIdentifiers": ["admin"], "namespace": "books" }),
    )
    .await;
    assert_error(&body, 2121);

    // filters
    let all = mgmt_ok(&emu, &mt, ASSIGNMENTS, json!({}), "policyAssignments").await;
    assert_eq!(all["totalCount"], 9);
    let mine =
        mgmt_ok(&emu, &mt, ASSIGNMENTS, json!({ "targetType": "USER", "targetIdentifier": ada }), "policyAssignments")
            .await;
    assert_eq!(
        mine,
        json!({ "totalCount": 2, "list": [
            { "code": "p1", "targetType": "USER", "targetIdentifier": ada },
            { "code": "p2", "targetType": "USER", "targetIdentifier": ada },
        ] })
    );
    let roles =
        mgmt_ok(&emu, &mt, ASSIGNMENTS, json!({ "code": "p2", "targetType": "ROLE" }), "policyAssignments").await;
    assert_eq!(roles["list"], json!([{ "code": "p2", "targetType": "ROLE", "targetIdentifier": "admin" }]));
    let p1 = mgmt_ok(&emu, &mt, ASSIGNMENTS, json!({ "code": "p1", "page": 2, "limit": 3 }), "policyAssignments").await;
    assert_eq!(p1["totalCount"], 5);
    assert_eq!(p1["list"].as_array().unwrap().len(), 2);
    let p = mgmt_ok(&emu, &mt, POLICY_ASSIGNMENTS, json!({ "code": "p1" }), "policy").await;
    assert_eq!(p["assignmentsCount"], 5);
    assert_eq!(p["assignments"][0], json!({ "code": "p1", "targetType": "USER", "targetIdentifier": ada }));
    let none = mgmt_ok(&emu, &mt, ASSIGNMENTS, json!({ "namespace": "books" }), "policyAssignments").await;
    assert_eq!(none["totalCount"], 0);

    // enable / disable: code 200; the role may be named by id; no assignment is still 200
    assert_eq!(emu.policy_assignment_enabled(None, "p1", "ROLE", "admin"), Some(true));
    let target = json!({ "policy": "p1", "targetType": "ROLE", "targetIdentifier": role_id });
    let res = mgmt_ok(&emu, &mt, DISABLE, target.clone(), "disbalePolicyAssignment").await;
    assert_eq!(res["code"], 200);
    assert_eq!(emu.policy_assignment_enabled(None, "p1", "ROLE", "admin"), Some(false));
    assert_eq!(emu.policy_assignment_enabled(None, "p2", "ROLE", "admin"), Some(true));
    let res = mgmt_ok(&emu, &mt, ENABLE, target, "enablePolicyAssignment").await;
    assert_eq!(res["code"], 200);
    assert_eq!(emu.policy_assignment_enabled(None, "p1", "ROLE", &role_id), Some(true));
    let res = mgmt_ok(
        &emu,
        &mt,
        ENABLE,
        json!({ "policy": "p1", "targetType": "USER", "targetIdentifier": "x" }),
        "enablePolicyAssignment",
    )
    .await;
    assert_eq!(res["code"], 200);
    let body =
        mgmt(&emu, &mt, ENABLE, json!({ "policy": "nope", "targetType": "USER", "targetIdentifier": ada })).await;
    assert_error(&body, 2121);

    // remove
    let res = mgmt_ok(
        &emu,
        &mt,
        REMOVE,
        json!({ "policies": ["p2"], "targetType": "GROUP", "targetIdentifiers": ["eng", "ghost"] }),
        "removePolicyAssignments",
    )
    .await;
    assert_eq!(res["code"], 200);
    let groups = mgmt_ok(&emu, &mt, ASSIGNMENTS, json!({ "targetType": "GROUP" }), "policyAssignments").await;
    assert_eq!(groups["list"], json!([{ "code": "p1", "targetType": "GROUP", "targetIdentifier": "eng" }]));

    // deleting the user, the role, or the policy removes assignments
    mgmt_ok(
        &emu,
        &mt,
        "mutation deleteUser($id: String!) { deleteUser(id: $id) { code } }",
        json!({ "id": ada }),
        "deleteUser",
    )
    .await;
    mgmt_ok(
        &emu,
        &mt,
        "mutation deleteRole($code: String!) { deleteRole(code: $code) { code } }",
        json!({ "code": "admin" }),
        "deleteRole",
    )
    .await;
    let left = mgmt_ok(&emu, &mt, ASSIGNMENTS, json!({}), "policyAssignments").await;
    assert_eq!(left["totalCount"], 4);
    mgmt_ok(&emu, &mt, DELETE, json!({ "code": "p1" }), "deletePolicy").await;
    let left = mgmt_ok(&emu, &mt, ASSIGNMENTS, json!({}), "policyAssignments").await;
    assert_eq!(left["list"], json!([{ "code": "p2", "targetType": "ORG", "targetIdentifier": "o1" }]));
}
