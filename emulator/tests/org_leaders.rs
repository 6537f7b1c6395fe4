//! `addMember`'s `isLeader`: the schema serves a member's leader flag nowhere, so the emulator keeps it per
//! membership and carries it in the state document's `orgs` section (`isLeader`, left out when false).

mod common;

use authing_emulator::Emulator;
use common::*;
use serde_json::{Value, json};

const CREATE_ORG: &str = "mutation createOrg($name: String!) { createOrg(name: $name) { id rootNode { id } } }";
const ADD_NODE: &str = "mutation addNodeV2($orgId: String!, $name: String!, $code: String) { addNodeV2(orgId: $orgId, name: $name, code: $code) { id } }";
const ADD_MEMBER: &str = "mutation addMember($nodeId: String, $orgId: String, $nodeCode: String, $userIds: [String!]!, $isLeader: Boolean) { addMember(nodeId: $nodeId, orgId: $orgId, nodeCode: $nodeCode, userIds: $userIds, isLeader: $isLeader) { id } }";
const MOVE: &str = "mutation moveMembers($userIds: [String!]!, $sourceNodeId: String!, $targetNodeId: String!) { moveMembers(userIds: $userIds, sourceNodeId: $sourceNodeId, targetNodeId: $targetNodeId) { code } }";

/// The members of the first organization's first child node in the state document.
fn dev_members(doc: &Value) -> Value {
    doc["orgs"][0]["root"]["children"][0]["members"].clone()
}

#[tokio::test]
async fn the_leader_flag_is_kept_per_membership_and_travels_in_the_state_document() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let org = mgmt_ok(&emu, &mt, CREATE_ORG, json!({ "name": "Acme" }), "createOrg").await;
    let org_id = org["id"].as_str().unwrap().to_owned();
    let vars = json!({ "orgId": org_id, "name": "Dev", "code": "dev" });
    let dev = mgmt_ok(&emu, &mt, ADD_NODE, vars, "addNodeV2").await["id"].as_str().unwrap().to_owned();
    let vars = json!({ "orgId": org_id, "name": "Ops", "code": "ops" });
    let ops = mgmt_ok(&emu, &mt, ADD_NODE, vars, "addNodeV2").await["id"].as_str().unwrap().to_owned();
    let ada = create_user(&emu, &mt, json!({ "username": "ada" })).await["id"].as_str().unwrap().to_owned();
    let bob = create_user(&emu, &mt, json!({ "username": "bob" })).await["id"].as_str().unwrap().to_owned();

    // By code, as a leader; by id, without the flag (the schema's default is false).
    let vars = json!({ "orgId": org_id, "nodeCode": "dev", "userIds": [ada], "isLeader": true });
    mgmt_ok(&emu, &mt, ADD_MEMBER, vars, "addMember").await;
    mgmt_ok(&emu, &mt, ADD_MEMBER, json!({ "nodeId": dev, "userIds": [bob] }), "addMember").await;
    let doc = emu.export();
    assert_eq!(
        dev_members(&doc),
        json!([{ "userId": ada, "main": false, "isLeader": true }, { "userId": bob, "main": false }])
    );

    // The state document brings the flag back, and exports the same section again.
    let copy = Emulator::start().await.unwrap();
    copy.import(doc.clone()).unwrap();
    assert_eq!(copy.export()["orgs"], doc["orgs"]);

    // Adding a member again sets the flag it is given.
    mgmt_ok(&emu, &mt, ADD_MEMBER, json!({ "nodeId": dev, "userIds": [bob], "isLeader": true }), "addMember").await;
    mgmt_ok(&emu, &mt, ADD_MEMBER, json!({ "nodeId": dev, "userIds": [ada], "isLeader": false }), "addMember").await;
    assert_eq!(
        dev_members(&emu.export()),
        json!([{ "userId": ada, "main": false }, { "userId": bob, "main": false, "isLeader": true }])
    );

    // Leading Dev does not make Bob a leader of Ops when he moves there.
    mgmt_ok(&emu, &mt, MOVE, json!({ "userIds": [bob], "sourceNodeId": dev, "targetNodeId": ops }), "moveMembers")
        .await;
    let moved = emu.export();
    assert_eq!(moved["orgs"][0]["root"]["children"][1]["members"], json!([{ "userId": bob, "main": false }]));

    // A refused addMember changes no flag.
    let vars = json!({ "orgId": org_id, "nodeCode": "ghost", "userIds": [ada], "isLeader": true });
    assert_code(&mgmt(&emu, &mt, ADD_MEMBER, vars).await, 2702);
    assert_eq!(dev_members(&emu.export()), json!([{ "userId": ada, "main": false }]));
}
