//! Roles: CRUD per namespace, members, user roles, has-role and role custom data.

mod common;

use authing_emulator::Emulator;
use common::*;
use serde_json::{Value, json};

const ROLE_FIELDS: &str = "id namespace code arn description isSystem createdAt updatedAt parent { id code namespace }";

fn roles_doc() -> String {
    format!(
        "query roles($namespace: String, $page: Int, $limit: Int, $sortBy: SortByEnum) {{ roles(namespace: $namespace, page: $page, limit: $limit, sortBy: $sortBy) {{ totalCount list {{ {ROLE_FIELDS} }} }} }}"
    )
}

fn role_doc() -> String {
    format!(
        "query role($code: String!, $namespace: String) {{ role(code: $code, namespace: $namespace) {{ {ROLE_FIELDS} }} }}"
    )
}

fn create_role_doc() -> String {
    format!(
        "mutation createRole($namespace: String, $code: String!, $description: String, $parent: String) {{ createRole(namespace: $namespace, code: $code, description: $description, parent: $parent) {{ {ROLE_FIELDS} }} }}"
    )
}

fn update_role_doc() -> String {
    format!(
        "mutation updateRole($code: String!, $description: String, $newCode: String, $namespace: String) {{ updateRole(code: $code, description: $description, newCode: $newCode, namespace: $namespace) {{ {ROLE_FIELDS} }} }}"
    )
}

const DELETE_ROLE: &str = "mutation deleteRole($code: String!, $namespace: String) { deleteRole(code: $code, namespace: $namespace) { code message } }";
const DELETE_ROLES: &str = "mutation deleteRoles($codeList: [String!]!, $namespace: String) { deleteRoles(codeList: $codeList, namespace: $namespace) { code message } }";
const ASSIGN: &str = "mutation assignRole($namespace: String, $roleCode: String, $roleCodes: [String], $userIds: [String!], $groupCodes: [String!], $nodeCodes: [String!]) { assignRole(namespace: $namespace, roleCode: $roleCode, roleCodes: $roleCodes, userIds: $userIds, groupCodes: $groupCodes, nodeCodes: $nodeCodes) { code message } }";
const REVOKE: &str = "mutation revokeRole($namespace: String, $roleCode: String, $roleCodes: [String], $userIds: [String!], $groupCodes: [String!], $nodeCodes: [String!]) { revokeRole(namespace: $namespace, roleCode: $roleCode, roleCodes: $roleCodes, userIds: $userIds, groupCodes: $groupCodes, nodeCodes: $nodeCodes) { code message } }";
const ROLE_USERS: &str = "query roleWithUsers($code: String!, $namespace: String, $page: Int, $limit: Int) { role(code: $code, namespace: $namespace) { users(page: $page, limit: $limit) { totalCount list { id username customData { key value } } } } }";
const USER_ROLES: &str = "query getUserRoles($id: String!, $namespace: String) { user(id: $id) { roles(namespace: $namespace) { totalCount list { code namespace } } } }";
const ROLE_RESOURCES: &str = "query listRoleAuthorizedResources($code: String!, $namespace: String, $resourceType: String) { role(code: $code, namespace: $namespace) { authorizedResources(resourceType: $resourceType) { totalCount list { code type actions apiIdentifier } } } }";

async fn setup() -> (Emulator, String) {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    (emu, mt)
}

async fn create_role(emu: &Emulator, mt: &str, vars: Value) -> Value {
    mgmt_ok(emu, mt, &create_role_doc(), vars, "createRole").await
}

async fn new_user(emu: &Emulator, mt: &str, username: &str) -> String {
    create_user(emu, mt, json!({ "username": username })).await["id"].as_str().unwrap().to_owned()
}

fn codes(list: &Value) -> Vec<String> {
    list["list"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn role_crud_per_namespace() {
    let (emu, mt) = setup().await;
    let admin = create_role(&emu, &mt, json!({ "code": "admin", "description": "Admins" })).await;
    let id = admin["id"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert_eq!(admin["namespace"], "default");
    assert_eq!(admin["code"], "admin");
    assert_eq!(admin["description"], "Admins");
    assert_eq!(admin["isSystem"], false);
    assert_eq!(admin["parent"], Value::Null);
    assert_eq!(admin["arn"], format!("arn:cn:authing:{}:role:{id}", emu.user_pool_id()));
    assert!(admin["createdAt"].as_str().is_some_and(|d| d.ends_with('Z')));

    // the same code twice in one namespace fails; in another namespace it is a different role
    let body = mgmt(&emu, &mt, &create_role_doc(), json!({ "code": "admin" })).await;
    assert_error(&body, 2102);
    let body = mgmt(&emu, &mt, &create_role_doc(), json!({ "code": "admin", "namespace": "default" })).await;
    assert_error(&body, 2102);
    let other = create_role(&emu, &mt, json!({ "code": "admin", "namespace": "books" })).await;
    assert_eq!(other["namespace"], "books");
    assert_ne!(other["id"], admin["id"]);

    // parent resolves; an unknown parent fails
    let child = create_role(&emu, &mt, json!({ "code": "editor", "parent": "admin" })).await;
    assert_eq!(child["parent"], json!({ "id": id, "code": "admin", "namespace": "default" }));
    let body = mgmt(&emu, &mt, &create_role_doc(), json!({ "code": "x", "parent": "nope" })).await;
    assert_error(&body, 2101);
    let body = mgmt(&emu, &mt, &create_role_doc(), json!({ "code": "  " })).await;
    assert_error(&body, 400);

    // list: newest first, per namespace, paginated
    let list = mgmt_ok(&emu, &mt, &roles_doc(), json!({}), "roles").await;
    assert_eq!(list["totalCount"], 2);
    assert_eq!(codes(&list), ["editor", "admin"]);
    let list = mgmt_ok(&emu, &mt, &roles_doc(), json!({ "sortBy": "CREATEDAT_ASC", "limit": 1 }), "roles").await;
    assert_eq!((list["totalCount"].clone(), codes(&list)), (json!(2), vec!["admin".to_owned()]));
    let list = mgmt_ok(&emu, &mt, &roles_doc(), json!({ "namespace": "books" }), "roles").await;
    assert_eq!(codes(&list), ["admin"]);

    // detail, rename, old code gone, new code taken
    let found = mgmt_ok(&emu, &mt, &role_doc(), json!({ "code": "admin" }), "role").await;
    assert_eq!(found["id"], admin["id"]);
    assert_eq!(mgmt_ok(&emu, &mt, &role_doc(), json!({ "code": "nope" }), "role").await, Value::Null);
    let renamed = mgmt_ok(
        &emu,
        &mt,
        &update_role_doc(),
        json!({ "code": "admin", "newCode": "root", "description": "Root" }),
        "updateRole",
    )
    .await;
    assert_eq!((renamed["code"].as_str(), renamed["description"].as_str()), (Some("root"), Some("Root")));
    assert_eq!(renamed["id"], admin["id"]);
    assert_eq!(mgmt_ok(&emu, &mt, &role_doc(), json!({ "code": "admin" }), "role").await, Value::Null);
    let child = mgmt_ok(&emu, &mt, &role_doc(), json!({ "code": "editor" }), "role").await;
    assert_eq!(child["parent"]["code"], "root");
    let body = mgmt(&emu, &mt, &update_role_doc(), json!({ "code": "editor", "newCode": "root" })).await;
    assert_error(&body, 2102);
    let body = mgmt(&emu, &mt, &update_role_doc(), json!({ "code": "ghost", "description": "x" })).await;
    assert_error(&body, 2101);

    // delete one, delete many (unknown codes skipped), deleting the unknown fails
    let res = mgmt_ok(&emu, &mt, DELETE_ROLE, json!({ "code": "root" }), "deleteRole").await;
    assert_eq!(res["code"], 200);
    let child = mgmt_ok(&emu, &mt, &role_doc(), json!({ "code": "editor" }), "role").await;
    assert_eq!(child["parent"], Value::Null);
    assert_error(&mgmt(&emu, &mt, DELETE_ROLE, json!({ "code": "root" })).await, 2101);
    let res = mgmt_ok(
        &emu,
        &mt,
        DELETE_ROLES,
        json!({ "codeList": ["admin", "ghost"], "namespace": "books" }),
        "deleteRoles",
    )
    .await;
    assert_eq!(res["code"], 200);
    let list = mgmt_ok(&emu, &mt, &roles_doc(), json!({ "namespace": "books" }), "roles").await;
    assert_eq!(list["totalCount"], 0);

    // authorized resources: empty for now
    let res = mgmt_ok(&emu, &mt, ROLE_RESOURCES, json!({ "code": "editor" }), "role").await;
    assert_eq!(res["authorizedResources"], json!({ "totalCount": 0, "list": [] }));

    // a management token is needed
    assert_error(&gql(&emu, &roles_doc(), json!({}), None).await, 2020);
    assert_error(&gql(&emu, &create_role_doc(), json!({ "code": "y" }), None).await, 2020);
}

#[tokio::test]
async fn members_and_user_roles() {
    let (emu, mt) = setup().await;
    let ada = new_user(&emu, &mt, "ada").await;
    let bob = new_user(&emu, &mt, "bob").await;
    create_role(&emu, &mt, json!({ "code": "admin" })).await;
    create_role(&emu, &mt, json!({ "code": "reader" })).await;
    create_role(&emu, &mt, json!({ "code": "admin", "namespace": "books" })).await;

    // roleCodes (PY) and roleCode (JS); assigning twice changes nothing
    for vars in [
        json!({ "roleCodes": ["admin", "reader"], "userIds": [ada] }),
        json!({ "roleCode": "admin", "userIds": [ada, bob] }),
        json!({ "roleCode": "admin", "namespace": "books", "userIds": [ada] }),
    ] {
        let res = mgmt_ok(&emu, &mt, ASSIGN, vars, "assignRole").await;
        assert_eq!(res["code"], 200);
    }
    let users = mgmt_ok(&emu, &mt, ROLE_USERS, json!({ "code": "admin" }), "role").await;
    assert_eq!(users["users"]["totalCount"], 2);
    let names: Vec<&str> =
        users["users"]["list"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["bob", "ada"]);
    assert_eq!(users["users"]["list"][0]["customData"], json!([]));
    let page = mgmt_ok(&emu, &mt, ROLE_USERS, json!({ "code": "admin", "page": 2, "limit": 1 }), "role").await;
    assert_eq!(page["users"]["list"][0]["username"], "ada");

    // user roles: one namespace, or every namespace with a null namespace; not paginated
    let roles = mgmt_ok(&emu, &mt, USER_ROLES, json!({ "id": ada, "namespace": "default" }), "user").await;
    assert_eq!(codes(&roles["roles"]), ["reader", "admin"]);
    let roles = mgmt_ok(&emu, &mt, USER_ROLES, json!({ "id": ada }), "user").await;
    assert_eq!(roles["roles"]["totalCount"], 3);
    let namespaces: Vec<&str> =
        roles["roles"]["list"].as_array().unwrap().iter().map(|r| r["namespace"].as_str().unwrap()).collect();
    assert_eq!(namespaces, ["books", "default", "default"]);

    // has-role
    let has = |code: &str, ns: Option<&str>, id: &str| {
        let ns = ns.map(|n| format!("&namespace={n}")).unwrap_or_default();
        format!("/api/v2/users/{id}/has-role?code={code}{ns}")
    };
    let (_, res) = rest_get(&emu, &has("admin", None, &bob), Some(&mt)).await;
    assert_eq!((res["code"].clone(), res["data"].clone()), (json!(200), json!(true)));
    let (_, res) = rest_get(&emu, &has("reader", None, &bob), Some(&mt)).await;
    assert_eq!(res["data"], false);
    let (_, res) = rest_get(&emu, &has("admin", Some("books"), &bob), Some(&mt)).await;
    assert_eq!(res["data"], false);
    let (_, res) = rest_get(&emu, &has("admin", Some("books"), &ada), Some(&mt)).await;
    assert_eq!(res["data"], true);
    let (_, res) = rest_get(&emu, &has("admin", None, "000000000000000000000000"), Some(&mt)).await;
    assert_eq!(res["code"], 2004);
    let (_, res) = rest_get(&emu, &has("admin", None, &ada), None).await;
    assert_eq!(res["code"], 2020);

    // errors: unknown role, unknown user, no role at all, departments
    assert_error(&mgmt(&emu, &mt, ASSIGN, json!({ "roleCode": "ghost", "userIds": [ada] })).await, 2101);
    assert_error(&mgmt(&emu, &mt, ASSIGN, json!({ "roleCode": "admin", "userIds": ["nobody"] })).await, 2004);
    assert_error(&mgmt(&emu, &mt, REVOKE, json!({ "roleCode": "ghost", "userIds": [ada] })).await, 2101);
    assert_error(&mgmt(&emu, &mt, ASSIGN, json!({ "userIds": [ada] })).await, 400);
    assert_error(&mgmt(&emu, &mt, ASSIGN, json!({ "roleCode": "admin", "nodeCodes": ["n1"] })).await, 2702);

    // revoke; revoking what is not assigned is fine
    let res = mgmt_ok(&emu, &mt, REVOKE, json!({ "roleCodes": ["admin"], "userIds": [bob] }), "revokeRole").await;
    assert_eq!(res["code"], 200);
    let res = mgmt_ok(&emu, &mt, REVOKE, json!({ "roleCodes": ["reader"], "userIds": [bob] }), "revokeRole").await;
    assert_eq!(res["code"], 200);
    let (_, res) = rest_get(&emu, &has("admin", None, &bob), Some(&mt)).await;
    assert_eq!(res["data"], false);

    // deleting a role removes its memberships
    mgmt_ok(&emu, &mt, DELETE_ROLE, json!({ "code": "admin" }), "deleteRole").await;
    let roles = mgmt_ok(&emu, &mt, USER_ROLES, json!({ "id": ada, "namespace": "default" }), "user").await;
    assert_eq!(codes(&roles["roles"]), ["reader"]);
    create_role(&emu, &mt, json!({ "code": "admin" })).await;
    let users = mgmt_ok(&emu, &mt, ROLE_USERS, json!({ "code": "admin" }), "role").await;
    assert_eq!(users["users"]["totalCount"], 0);

    // deleting a user removes its memberships
    mgmt_ok(
        &emu,
        &mt,
        "mutation deleteUser($id: String!) { deleteUser(id: $id) { code } }",
        json!({ "id": ada }),
        "deleteUser",
    )
    .await;
    let users = mgmt_ok(&emu, &mt, ROLE_USERS, json!({ "code": "reader" }), "role").await;
    assert_eq!(users["users"]["totalCount"], 0);
}

#[tokio::test]
async fn role_custom_data_by_id() {
    let (emu, mt) = setup().await;
    let role = create_role(&emu, &mt, json!({ "code": "admin" })).await;
    let id = role["id"].as_str().unwrap().to_owned();
    mgmt_ok(
        &emu,
        &mt,
        "mutation setUdf($targetType: UDFTargetType!, $key: String!, $dataType: UDFDataType!, $label: String!) { setUdf(targetType: $targetType, key: $key, dataType: $dataType, label: $label) { key } }",
        json!({ "targetType": "ROLE", "key": "level", "dataType": "NUMBER", "label": "Level" }),
        "setUdf",
    )
    .await;
    const SET_BATCH: &str = "mutation setUdvBatch($targetType: UDFTargetType!, $targetId: String!, $udvList: [UserDefinedDataInput!]) { setUdvBatch(targetType: $targetType, targetId: $targetId, udvList: $udvList) { key value dataType } }";
    const UDV: &str = "query udv($targetType: UDFTargetType!, $targetId: String!) { udv(targetType: $targetType, targetId: $targetId) { key value dataType label } }";
    const VALUE_BATCH: &str = "query udfValueBatch($targetType: UDFTargetType!, $targetIds: [String!]!) { udfValueBatch(targetType: $targetType, targetIds: $targetIds) { targetId data { key value } } }";
    const SET_VALUE_BATCH: &str = "mutation setUdfValueBatch($targetType: UDFTargetType!, $input: [SetUdfValueBatchInput!]!) { setUdfValueBatch(targetType: $targetType, input: $input) { code } }";
    const REMOVE: &str = "mutation removeUdv($targetType: UDFTargetType!, $targetId: String!, $key: String!) { removeUdv(targetType: $targetType, targetId: $targetId, key: $key) { key } }";

    let set = json!({ "targetType": "ROLE", "targetId": id, "udvList": [{ "key": "level", "value": "3" }] });
    let values = mgmt_ok(&emu, &mt, SET_BATCH, set, "setUdvBatch").await;
    assert_eq!(values, json!([{ "key": "level", "value": "3", "dataType": "NUMBER" }]));
    let values = mgmt_ok(&emu, &mt, UDV, json!({ "targetType": "ROLE", "targetId": id }), "udv").await;
    assert_eq!(values, json!([{ "key": "level", "value": "3", "dataType": "NUMBER", "label": "Level" }]));
    let input = json!([{ "targetId": id, "key": "level", "value": "4" }]);
    let res =
        mgmt_ok(&emu, &mt, SET_VALUE_BATCH, json!({ "targetType": "ROLE", "input": input }), "setUdfValueBatch").await;
    assert_eq!(res["code"], 200);
    let batch =
        mgmt_ok(&emu, &mt, VALUE_BATCH, json!({ "targetType": "ROLE", "targetIds": [id] }), "udfValueBatch").await;
    assert_eq!(batch, json!([{ "targetId": id, "data": [{ "key": "level", "value": "4" }] }]));
    let left =
        mgmt_ok(&emu, &mt, REMOVE, json!({ "targetType": "ROLE", "targetId": id, "key": "level" }), "removeUdv").await;
    assert_eq!(left, json!([]));

    // an unknown role id (a role code is not an id) is refused
    let set = json!({ "targetType": "ROLE", "targetId": "admin", "udvList": [{ "key": "level", "value": "3" }] });
    assert_error(&mgmt(&emu, &mt, SET_BATCH, set).await, 2101);
    let input = json!([{ "targetId": "admin", "key": "level", "value": "4" }]);
    assert_error(&mgmt(&emu, &mt, SET_VALUE_BATCH, json!({ "targetType": "ROLE", "input": input })).await, 2101);

    // deleting the role removes its custom data
    let set = json!({ "targetType": "ROLE", "targetId": id, "udvList": [{ "key": "level", "value": "3" }] });
    mgmt_ok(&emu, &mt, SET_BATCH, set, "setUdvBatch").await;
    mgmt_ok(&emu, &mt, DELETE_ROLE, json!({ "code": "admin" }), "deleteRole").await;
    let values = mgmt_ok(&emu, &mt, UDV, json!({ "targetType": "ROLE", "targetId": id }), "udv").await;
    assert_eq!(values, json!([]));
}
