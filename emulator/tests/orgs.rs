//! Organizations in the emulator: what the SDK tests do not reach (the Python SDK's explicit nulls, members named
//! by organization and code, a node of another organization) and the state document's `orgs` section.

mod common;

use authing_emulator::Emulator;
use common::*;
use serde_json::{Value, json};

const CREATE_ORG: &str =
    "mutation createOrg($name: String!, $code: String) { createOrg(name: $name, code: $code) { id rootNode { id } } }";
const ADD_NODE: &str = "mutation addNodeV2($orgId: String!, $parentNodeId: String, $name: String!, $code: String, $nameI18n: String) { addNodeV2(orgId: $orgId, parentNodeId: $parentNodeId, name: $name, code: $code, nameI18n: $nameI18n) { id } }";
const ADD_MEMBER: &str = "mutation addMember($nodeId: String, $orgId: String, $nodeCode: String, $userIds: [String!]!) { addMember(nodeId: $nodeId, orgId: $orgId, nodeCode: $nodeCode, userIds: $userIds) { id users { totalCount } } }";
const MEMBERS: &str = "query nodeByIdWithMembers($id: String!, $page: Int, $limit: Int, $includeChildrenNodes: Boolean) { nodeById(id: $id) { users(page: $page, limit: $limit, includeChildrenNodes: $includeChildrenNodes) { totalCount list { id } } } }";
const SET_MAIN: &str = "mutation setMainDepartment($userId: String!, $departmentId: String) { setMainDepartment(userId: $userId, departmentId: $departmentId) { code } }";
const CREATE_ROLE: &str = "mutation createRole($code: String!) { createRole(code: $code) { id } }";
const ASSIGN: &str = "mutation assignRole($roleCodes: [String], $nodeCodes: [String!]) { assignRole(roleCodes: $roleCodes, nodeCodes: $nodeCodes) { code } }";
const ORG: &str = "query org($id: String!) { org(id: $id) { id nodes { id name nameI18n code children roles { totalCount list { code } } users(includeChildrenNodes: false) { totalCount list { id mainDepartmentId mainDepartmentCode } } } } }";

async fn org_with_member(emu: &Emulator, mt: &str) -> (String, String, String) {
    let org = mgmt_ok(emu, mt, CREATE_ORG, json!({ "name": "Acme", "code": "acme" }), "createOrg").await;
    let org_id = org["id"].as_str().unwrap().to_owned();
    let vars = json!({ "orgId": org_id, "name": "Dev", "code": "dev", "nameI18n": "{\"en\":\"Dev\"}" });
    let dev = mgmt_ok(emu, mt, ADD_NODE, vars, "addNodeV2").await["id"].as_str().unwrap().to_owned();
    let ada = create_user(emu, mt, json!({ "username": "ada" })).await["id"].as_str().unwrap().to_owned();
    (org_id, dev, ada)
}

#[tokio::test]
async fn members_by_code_nulls_and_other_orgs() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let (org_id, dev, ada) = org_with_member(&emu, &mt).await;

    let vars = json!({ "orgId": org_id, "nodeCode": "dev", "userIds": [ada] });
    let node = mgmt_ok(&emu, &mt, ADD_MEMBER, vars, "addMember").await;
    assert_eq!((node["id"].as_str(), node["users"]["totalCount"].as_i64()), (Some(dev.as_str()), Some(1)));

    // The Python SDK sends explicit nulls: they mean page 1, limit 10 and the children included.
    let vars = json!({ "id": dev, "page": null, "limit": null, "includeChildrenNodes": null });
    let users = mgmt_ok(&emu, &mt, MEMBERS, vars, "nodeById").await;
    assert_eq!(users["users"]["totalCount"], 1);

    let other = mgmt_ok(&emu, &mt, CREATE_ORG, json!({ "name": "Other" }), "createOrg").await;
    let vars = json!({ "nodeId": dev, "orgId": other["id"], "userIds": [ada] });
    assert_code(&mgmt(&emu, &mt, ADD_MEMBER, vars).await, 2706);
    let vars = json!({ "orgId": org_id, "nodeCode": "ghost", "userIds": [ada] });
    assert_code(&mgmt(&emu, &mt, ADD_MEMBER, vars).await, 2702);
    assert_code(&mgmt(&emu, &mt, ADD_MEMBER, json!({ "userIds": [ada] })).await, 400);
}

#[tokio::test]
async fn the_state_document_carries_the_orgs() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let (org_id, dev, ada) = org_with_member(&emu, &mt).await;
    mgmt_ok(&emu, &mt, ADD_MEMBER, json!({ "nodeId": dev, "userIds": [ada] }), "addMember").await;
    mgmt_ok(&emu, &mt, SET_MAIN, json!({ "userId": ada, "departmentId": dev }), "setMainDepartment").await;
    mgmt_ok(&emu, &mt, CREATE_ROLE, json!({ "code": "engineer" }), "createRole").await;
    mgmt_ok(&emu, &mt, ASSIGN, json!({ "roleCodes": ["engineer"], "nodeCodes": [dev] }), "assignRole").await;

    let doc = emu.export();
    let section = &doc["orgs"][0];
    assert_eq!(section["id"], org_id.as_str());
    assert_eq!(section["root"]["children"][0]["members"][0], json!({ "userId": ada, "main": true }));
    assert_eq!(section["root"]["children"][0]["roles"][0], json!({ "namespace": "default", "code": "engineer" }));

    let before = mgmt_ok(&emu, &mt, ORG, json!({ "id": org_id }), "org").await;
    let copy = Emulator::start().await.unwrap();
    copy.import(doc.clone()).unwrap();
    let copy_mt = management_token(&copy).await;
    let after = mgmt_ok(&copy, &copy_mt, ORG, json!({ "id": org_id }), "org").await;
    assert_eq!(after, before, "ids, names, i18n, members, main departments and roles come back");
    assert_eq!(after["nodes"][1]["users"]["list"][0]["mainDepartmentCode"], "dev");
    assert_eq!(copy.export()["orgs"], doc["orgs"]);

    // A member that is not a user refuses the whole document.
    let mut bad = doc.clone();
    bad["orgs"][0]["root"]["members"] = json!([{ "userId": "ghost" }]);
    assert!(copy.import(bad).is_err());
    let still = mgmt_ok(&copy, &copy_mt, ORG, json!({ "id": org_id }), "org").await;
    assert_eq!(still, before, "a refused document changes nothing");
    let _: Value = still;
}

#[tokio::test]
async fn the_readme_example_has_an_org() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/state.json");
    let emu = Emulator::builder().import(path).start().await.unwrap();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mt = management_token(&emu).await;
    let bob = doc["users"][1]["id"].as_str().unwrap();
    let lending = doc["orgs"][0]["root"]["children"][0]["id"].as_str().unwrap();
    const DEPARTMENTS: &str = "query user($id: String!) { user(id: $id) { mainDepartmentCode departments { list { isMainDepartment department { id namePath } } } } }";
    let user = mgmt_ok(&emu, &mt, DEPARTMENTS, json!({ "id": bob }), "user").await;
    assert_eq!(user["mainDepartmentCode"], "lending");
    assert_eq!(user["departments"]["list"][0]["department"]["id"], lending);
    assert_eq!(user["departments"]["list"][0]["department"]["namePath"], json!(["Library Inc.", "Lending"]));
    const IS_ALLOWED: &str = "query isActionAllowed($resource: String!, $action: String!, $userId: String!, $namespace: String) { isActionAllowed(resource: $resource, action: $action, userId: $userId, namespace: $namespace) }";
    let vars = json!({ "resource": "books:2", "action": "books:read", "userId": bob, "namespace": "library" });
    assert_eq!(mgmt_ok(&emu, &mt, IS_ALLOWED, vars, "isActionAllowed").await, true, "the root's grant reaches Lending");
}
