//! Groups: CRUD, membership, user groups and the membership filters of `searchUser`.

mod common;

use authing_emulator::Emulator;
use common::*;
use serde_json::{Value, json};

const GROUP_FIELDS: &str = "code name description createdAt updatedAt";
const DELETE_GROUPS: &str =
    "mutation deleteGroups($codeList: [String!]!) { deleteGroups(codeList: $codeList) { code message } }";
const ADD: &str = "mutation addUserToGroup($userIds: [String!]!, $code: String) { addUserToGroup(userIds: $userIds, code: $code) { code message } }";
const REMOVE: &str = "mutation removeUserFromGroup($userIds: [String!]!, $code: String) { removeUserFromGroup(userIds: $userIds, code: $code) { code message } }";
const GROUP_USERS: &str = "query groupWithUsers($code: String!, $page: Int, $limit: Int) { group(code: $code) { users(page: $page, limit: $limit) { totalCount list { id username } } authorizedResources { totalCount list { code } } } }";
const USER_GROUPS: &str = "query getUserGroups($id: String!) { user(id: $id) { groups { totalCount list { code name } } authorizedResources { totalCount list { code type actions apiIdentifier } } } }";
const SEARCH: &str = "query searchUser($query: String!, $groupOpts: [SearchUserGroupOpt], $roleOpts: [SearchUserRoleOpt], $departmentOpts: [SearchUserDepartmentOpt]) { searchUser(query: $query, groupOpts: $groupOpts, roleOpts: $roleOpts, departmentOpts: $departmentOpts) { totalCount list { username } } }";

fn create_doc() -> String {
    format!(
        "mutation createGroup($code: String!, $name: String!, $description: String) {{ createGroup(code: $code, name: $name, description: $description) {{ {GROUP_FIELDS} }} }}"
    )
}

fn group_doc() -> String {
    format!("query group($code: String!) {{ group(code: $code) {{ {GROUP_FIELDS} }} }}")
}

fn groups_doc() -> String {
    format!(
        "query groups($userId: String, $page: Int, $limit: Int, $sortBy: SortByEnum) {{ groups(userId: $userId, page: $page, limit: $limit, sortBy: $sortBy) {{ totalCount list {{ {GROUP_FIELDS} }} }} }}"
    )
}

fn update_doc() -> String {
    format!(
        "mutation updateGroup($code: String!, $name: String, $description: String, $newCode: String) {{ updateGroup(code: $code, name: $name, description: $description, newCode: $newCode) {{ {GROUP_FIELDS} }} }}"
    )
}

async fn setup() -> (Emulator, String) {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    (emu, mt)
}

fn codes(list: &Value) -> Vec<String> {
    list["list"].as_array().unwrap().iter().map(|g| g["code"].as_str().unwrap().to_owned()).collect()
}

fn usernames(list: &Value) -> Vec<String> {
    list["list"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap().to_owned()).collect()
}

async fn new_user(emu: &Emulator, mt: &str, username: &str) -> String {
    create_user(emu, mt, json!({ "username": username })).await["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn group_crud() {
    let (emu, mt) = setup().await;
    let g = mgmt_ok(&emu, &mt, &create_doc(), json!({ "code": "eng", "name": "Engineering" }), "createGroup").await;
    assert_eq!((g["code"].as_str(), g["name"].as_str()), (Some("eng"), Some("Engineering")));
    assert_eq!(g["description"], Value::Null);
    assert!(g["createdAt"].as_str().is_some());
    let body = mgmt(&emu, &mt, &create_doc(), json!({ "code": "eng", "name": "Again" })).await;
    assert_error(&body, 2112);
    mgmt_ok(&emu, &mt, &create_doc(), json!({ "code": "ops", "name": "Ops", "description": "d" }), "createGroup").await;

    let list = mgmt_ok(&emu, &mt, &groups_doc(), json!({}), "groups").await;
    assert_eq!((list["totalCount"].clone(), codes(&list)), (json!(2), vec!["ops".to_owned(), "eng".to_owned()]));
    let list = mgmt_ok(&emu, &mt, &groups_doc(), json!({ "sortBy": "CREATEDAT_ASC", "limit": 1 }), "groups").await;
    assert_eq!(codes(&list), ["eng"]);
    assert_eq!(mgmt_ok(&emu, &mt, &group_doc(), json!({ "code": "ops" }), "group").await["description"], "d");
    assert_eq!(mgmt_ok(&emu, &mt, &group_doc(), json!({ "code": "nope" }), "group").await, Value::Null);

    let g = mgmt_ok(
        &emu,
        &mt,
        &update_doc(),
        json!({ "code": "eng", "name": "R&D", "description": "x", "newCode": "rnd" }),
        "updateGroup",
    )
    .await;
    assert_eq!(
        (g["code"].as_str(), g["name"].as_str(), g["description"].as_str()),
        (Some("rnd"), Some("R&D"), Some("x"))
    );
    assert_eq!(mgmt_ok(&emu, &mt, &group_doc(), json!({ "code": "eng" }), "group").await, Value::Null);
    assert_error(&mgmt(&emu, &mt, &update_doc(), json!({ "code": "rnd", "newCode": "ops" })).await, 2112);
    assert_error(&mgmt(&emu, &mt, &update_doc(), json!({ "code": "eng", "name": "y" })).await, 2111);

    // A code that names no group refuses the whole batch with 2111 and deletes nothing.
    assert_error(&mgmt(&emu, &mt, DELETE_GROUPS, json!({ "codeList": ["rnd", "ghost"] })).await, 2111);
    assert_eq!(codes(&mgmt_ok(&emu, &mt, &groups_doc(), json!({}), "groups").await), ["ops", "rnd"]);
    let res = mgmt_ok(&emu, &mt, DELETE_GROUPS, json!({ "codeList": ["rnd"] }), "deleteGroups").await;
    assert_eq!(res["code"], 200);
    let list = mgmt_ok(&emu, &mt, &groups_doc(), json!({}), "groups").await;
    assert_eq!(codes(&list), ["ops"]);
    assert_error(&gql(&emu, &groups_doc(), json!({}), None).await, 2020);
}

#[tokio::test]
async fn membership() {
    let (emu, mt) = setup().await;
    let ada = new_user(&emu, &mt, "ada").await;
    let bob = new_user(&emu, &mt, "bob").await;
    for code in ["eng", "ops"] {
        mgmt_ok(&emu, &mt, &create_doc(), json!({ "code": code, "name": code }), "createGroup").await;
    }
    for (ids, code) in [(json!([ada, bob]), "eng"), (json!([ada]), "ops"), (json!([ada]), "ops")] {
        let res = mgmt_ok(&emu, &mt, ADD, json!({ "userIds": ids, "code": code }), "addUserToGroup").await;
        assert_eq!(res["code"], 200);
    }
    assert_error(&mgmt(&emu, &mt, ADD, json!({ "userIds": [ada], "code": "ghost" })).await, 2111);
    assert_error(&mgmt(&emu, &mt, ADD, json!({ "userIds": ["nobody"], "code": "eng" })).await, 2004);

    let g = mgmt_ok(&emu, &mt, GROUP_USERS, json!({ "code": "eng" }), "group").await;
    assert_eq!(g["users"]["totalCount"], 2);
    assert_eq!(usernames(&g["users"]), ["bob", "ada"]);
    assert_eq!(g["authorizedResources"], json!({ "totalCount": 0, "list": [] }));
    let g = mgmt_ok(&emu, &mt, GROUP_USERS, json!({ "code": "eng", "page": 2, "limit": 1 }), "group").await;
    assert_eq!(usernames(&g["users"]), ["ada"]);

    let u = mgmt_ok(&emu, &mt, USER_GROUPS, json!({ "id": ada }), "user").await;
    assert_eq!(u["groups"]["totalCount"], 2);
    assert_eq!(codes(&u["groups"]), ["ops", "eng"]);
    assert_eq!(u["authorizedResources"], json!({ "totalCount": 0, "list": [] }));
    let list = mgmt_ok(&emu, &mt, &groups_doc(), json!({ "userId": bob }), "groups").await;
    assert_eq!(codes(&list), ["eng"]);
    assert_error(&mgmt(&emu, &mt, &groups_doc(), json!({ "userId": "nobody" })).await, 2004);

    // removing a user who is not in the group still answers 200
    let res = mgmt_ok(&emu, &mt, REMOVE, json!({ "userIds": [bob], "code": "ops" }), "removeUserFromGroup").await;
    assert_eq!(res["code"], 200);
    let res = mgmt_ok(&emu, &mt, REMOVE, json!({ "userIds": [bob], "code": "eng" }), "removeUserFromGroup").await;
    assert_eq!(res["code"], 200);
    let list = mgmt_ok(&emu, &mt, &groups_doc(), json!({ "userId": bob }), "groups").await;
    assert_eq!(list["totalCount"], 0);
    assert_error(&mgmt(&emu, &mt, REMOVE, json!({ "userIds": [bob], "code": "ghost" })).await, 2111);

    // deleting a group removes its memberships
    mgmt_ok(&emu, &mt, DELETE_GROUPS, json!({ "codeList": ["ops"] }), "deleteGroups").await;
    let u = mgmt_ok(&emu, &mt, USER_GROUPS, json!({ "id": ada }), "user").await;
    assert_eq!(codes(&u["groups"]), ["eng"]);
}

#[tokio::test]
async fn search_by_membership() {
    let (emu, mt) = setup().await;
    let ada = new_user(&emu, &mt, "ada").await;
    let amy = new_user(&emu, &mt, "amy").await;
    new_user(&emu, &mt, "abe").await;
    mgmt_ok(&emu, &mt, &create_doc(), json!({ "code": "eng", "name": "Eng" }), "createGroup").await;
    mgmt_ok(&emu, &mt, ADD, json!({ "userIds": [ada, amy], "code": "eng" }), "addUserToGroup").await;
    let create_role = "mutation createRole($namespace: String, $code: String!) { createRole(namespace: $namespace, code: $code) { id } }";
    mgmt_ok(&emu, &mt, create_role, json!({ "code": "admin", "namespace": "books" }), "createRole").await;
    let assign = "mutation assignRole($namespace: String, $roleCodes: [String], $userIds: [String!]) { assignRole(namespace: $namespace, roleCodes: $roleCodes, userIds: $userIds) { code } }";
    mgmt_ok(&emu, &mt, assign, json!({ "namespace": "books", "roleCodes": ["admin"], "userIds": [amy] }), "assignRole")
        .await;

    let search = |vars: Value| {
        let emu = &emu;
        let mt = &mt;
        async move { usernames(&mgmt_ok(emu, mt, SEARCH, vars, "searchUser").await) }
    };
    assert_eq!(search(json!({ "query": "a" })).await, ["abe", "amy", "ada"]);
    assert_eq!(search(json!({ "query": "a", "groupOpts": [{ "code": "eng" }] })).await, ["amy", "ada"]);
    assert_eq!(search(json!({ "query": "ad", "groupOpts": [{ "code": "eng" }] })).await, ["ada"]);
    assert!(search(json!({ "query": "a", "groupOpts": [{ "code": "ops" }] })).await.is_empty());
    let roles = json!([{ "namespace": "books", "code": "admin" }]);
    assert_eq!(search(json!({ "query": "a", "roleOpts": roles })).await, ["amy"]);
    // a role option without namespace means `default`
    assert!(search(json!({ "query": "a", "roleOpts": [{ "code": "admin" }] })).await.is_empty());
    let both = json!({ "query": "", "groupOpts": [{ "code": "eng" }], "roleOpts": roles });
    assert_eq!(search(both).await, ["amy"]);
    assert!(search(json!({ "query": "a", "departmentOpts": [{ "departmentId": "d" }] })).await.is_empty());
}
