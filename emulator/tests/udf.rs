//! Custom data: field definitions (UDF) and values (UDV).

mod common;

use authing_emulator::Emulator;
use common::*;
use serde_json::{Value, json};

const SET_UDF: &str = "mutation setUdf($targetType: UDFTargetType!, $key: String!, $dataType: UDFDataType!, $label: String!, $options: String) { setUdf(targetType: $targetType, key: $key, dataType: $dataType, label: $label, options: $options) { targetType dataType key label options } }";
const UDF: &str =
    "query udf($targetType: UDFTargetType!) { udf(targetType: $targetType) { key dataType label options targetType } }";
const REMOVE_UDF: &str = "mutation removeUdf($targetType: UDFTargetType!, $key: String!) { removeUdf(targetType: $targetType, key: $key) { code message } }";
const UDV: &str = "query udv($targetType: UDFTargetType!, $targetId: String!) { udv(targetType: $targetType, targetId: $targetId) { key dataType value label } }";
const SET_UDV: &str = "mutation setUdv($targetType: UDFTargetType!, $targetId: String!, $key: String!, $value: String!) { setUdv(targetType: $targetType, targetId: $targetId, key: $key, value: $value) { key dataType value label } }";
const SET_UDV_BATCH: &str = "mutation setUdvBatch($targetType: UDFTargetType!, $targetId: String!, $udvList: [UserDefinedDataInput!]) { setUdvBatch(targetType: $targetType, targetId: $targetId, udvList: $udvList) { key dataType value label } }";
const REMOVE_UDV: &str = "mutation removeUdv($targetType: UDFTargetType!, $targetId: String!, $key: String!) { removeUdv(targetType: $targetType, targetId: $targetId, key: $key) { key value } }";
const VALUE_BATCH: &str = "query udfValueBatch($targetType: UDFTargetType!, $targetIds: [String!]!) { udfValueBatch(targetType: $targetType, targetIds: $targetIds) { targetId data { key value dataType } } }";
const SET_VALUE_BATCH: &str = "mutation setUdfValueBatch($targetType: UDFTargetType!, $input: [SetUdfValueBatchInput!]!) { setUdfValueBatch(targetType: $targetType, input: $input) { code message } }";

async fn setup() -> (Emulator, String, String) {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    for (key, ty) in
        [("school", "STRING"), ("age", "NUMBER"), ("vip", "BOOLEAN"), ("birthday", "DATETIME"), ("meta", "OBJECT")]
    {
        mgmt_ok(
            &emu,
            &mt,
            SET_UDF,
            json!({ "targetType": "USER", "key": key, "dataType": ty, "label": format!("L-{key}") }),
            "setUdf",
        )
        .await;
    }
    let user = create_user(&emu, &mt, json!({ "username": "ada" })).await;
    let id = user["id"].as_str().unwrap().to_owned();
    (emu, mt, id)
}

async fn set_udv(emu: &Emulator, mt: &str, target: &str, key: &str, value: &str) -> Value {
    mgmt(emu, mt, SET_UDV, json!({ "targetType": "USER", "targetId": target, "key": key, "value": value })).await
}

#[tokio::test]
async fn set_udf_is_an_upsert() {
    let (emu, mt, id) = setup().await;
    let f = mgmt_ok(
        &emu,
        &mt,
        SET_UDF,
        json!({ "targetType": "USER", "key": "school", "dataType": "STRING", "label": "School", "options": "{\"a\":1}" }),
        "setUdf",
    )
    .await;
    assert_eq!(
        f,
        json!({ "targetType": "USER", "dataType": "STRING", "key": "school", "label": "School", "options": "{\"a\":1}" })
    );
    let fields = mgmt_ok(&emu, &mt, UDF, json!({ "targetType": "USER" }), "udf").await;
    let keys: Vec<&str> = fields.as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["school", "age", "vip", "birthday", "meta"]);
    assert_eq!(fields[0]["label"], "School");
    assert_eq!(mgmt_ok(&emu, &mt, UDF, json!({ "targetType": "ROLE" }), "udf").await, json!([]));

    // removing a field removes its values
    set_udv(&emu, &mt, &id, "school", "\"ucla\"").await;
    let res = mgmt_ok(&emu, &mt, REMOVE_UDF, json!({ "targetType": "USER", "key": "school" }), "removeUdf").await;
    assert_eq!(res["code"], 200);
    let values = mgmt_ok(&emu, &mt, UDV, json!({ "targetType": "USER", "targetId": id }), "udv").await;
    assert_eq!(values, json!([]));
    let body = set_udv(&emu, &mt, &id, "school", "\"ucla\"").await;
    assert_error(&body, 400);
    let body = gql(&emu, UDF, json!({ "targetType": "USER" }), None).await;
    assert_error(&body, 2020);
}

#[tokio::test]
async fn values_round_trip_by_type() {
    let (emu, mt, id) = setup().await;
    for (key, sent, stored, ty) in [
        ("school", "\"ucla\"", "ucla", "STRING"),
        ("school", "not json at all", "not json at all", "STRING"),
        ("age", "18", "18", "NUMBER"),
        ("age", "1.25", "1.25", "NUMBER"),
        ("vip", "false", "false", "BOOLEAN"),
        ("birthday", "\"2024-05-09T07:29:33.186123\"", "2024-05-09T07:29:33.186123", "DATETIME"),
        ("birthday", "1715239773186", "1715239773186", "DATETIME"),
        ("meta", "{\"a\":1,\"b\":[true]}", "{\"a\":1,\"b\":[true]}", "OBJECT"),
    ] {
        let body = set_udv(&emu, &mt, &id, key, sent).await;
        assert!(body.get("errors").is_none(), "{body}");
        let list = body["data"]["setUdv"].as_array().unwrap();
        let entry = list.iter().find(|e| e["key"] == key).unwrap();
        assert_eq!(entry["value"], stored, "{key} {sent}");
        assert_eq!(entry["dataType"], ty);
        assert_eq!(entry["label"], format!("L-{key}"));
    }
    let values = mgmt_ok(&emu, &mt, UDV, json!({ "targetType": "USER", "targetId": id }), "udv").await;
    assert_eq!(values.as_array().unwrap().len(), 5);
    assert_eq!(values[0]["key"], "school", "kept in first-set order");
    assert_eq!(mgmt_ok(&emu, &mt, UDV, json!({ "targetType": "USER", "targetId": "unknown" }), "udv").await, json!([]));
}

#[tokio::test]
async fn wrong_values_are_refused() {
    let (emu, mt, id) = setup().await;
    for (key, sent) in [
        ("school", "10"),
        ("school", "true"),
        ("age", "\"18\""),
        ("age", "eighteen"),
        ("vip", "ok"),
        ("vip", "\"true\""),
        ("birthday", "\"tomorrow\""),
        ("meta", "\"text\""),
        ("undefined", "\"x\""),
    ] {
        let body = set_udv(&emu, &mt, &id, key, sent).await;
        assert_error(&body, 400);
    }
    let body = set_udv(&emu, &mt, &"0".repeat(24), "school", "\"x\"").await;
    assert_error(&body, 2004);
    let values = mgmt_ok(&emu, &mt, UDV, json!({ "targetType": "USER", "targetId": id }), "udv").await;
    assert_eq!(values, json!([]));
}

#[tokio::test]
async fn batches_and_removal() {
    let (emu, mt, ada) = setup().await;
    let bob = create_user(&emu, &mt, json!({ "username": "bob" })).await;
    let bob = bob["id"].as_str().unwrap();
    let list = mgmt_ok(
        &emu,
        &mt,
        SET_UDV_BATCH,
        json!({ "targetType": "USER", "targetId": ada, "udvList": [
            { "key": "school", "value": "\"mit\"" }, { "key": "age", "value": "30" }
        ] }),
        "setUdvBatch",
    )
    .await;
    assert_eq!(
        list,
        json!([
            { "key": "school", "dataType": "STRING", "value": "mit", "label": "L-school" },
            { "key": "age", "dataType": "NUMBER", "value": "30", "label": "L-age" },
        ])
    );
    // all or nothing
    let body = mgmt(
        &emu,
        &mt,
        SET_UDV_BATCH,
        json!({ "targetType": "USER", "targetId": ada, "udvList": [
            { "key": "school", "value": "\"harvard\"" }, { "key": "age", "value": "\"old\"" }
        ] }),
    )
    .await;
    assert_error(&body, 400);
    let list =
        mgmt_ok(&emu, &mt, REMOVE_UDV, json!({ "targetType": "USER", "targetId": ada, "key": "school" }), "removeUdv")
            .await;
    assert_eq!(list, json!([{ "key": "age", "value": "30" }]));

    let res = mgmt_ok(
        &emu,
        &mt,
        SET_VALUE_BATCH,
        json!({ "targetType": "USER", "input": [
            { "targetId": bob, "key": "vip", "value": "true" },
            { "targetId": ada, "key": "meta", "value": "{\"x\":null}" },
        ] }),
        "setUdfValueBatch",
    )
    .await;
    assert_eq!(res["code"], 200);
    let body = mgmt(
        &emu,
        &mt,
        SET_VALUE_BATCH,
        json!({ "targetType": "USER", "input": [
            { "targetId": bob, "key": "age", "value": "1" },
            { "targetId": ada, "key": "vip", "value": "maybe" },
        ] }),
    )
    .await;
    assert_error(&body, 400);

    let maps = mgmt_ok(
        &emu,
        &mt,
        VALUE_BATCH,
        json!({ "targetType": "USER", "targetIds": [bob, "nobody", ada] }),
        "udfValueBatch",
    )
    .await;
    assert_eq!(
        maps,
        json!([
            { "targetId": bob, "data": [{ "key": "vip", "value": "true", "dataType": "BOOLEAN" }] },
            { "targetId": "nobody", "data": [] },
            { "targetId": ada, "data": [
                { "key": "age", "value": "30", "dataType": "NUMBER" },
                { "key": "meta", "value": "{\"x\":null}", "dataType": "OBJECT" },
            ] },
        ])
    );
    let maps = mgmt_ok(&emu, &mt, VALUE_BATCH, json!({ "targetType": "USER", "targetIds": [] }), "udfValueBatch").await;
    assert_eq!(maps, json!([]));
    // the variable name the official Python SDK sends by mistake is refused
    let body = mgmt(&emu, &mt, VALUE_BATCH, json!({ "targetType": "USER", "targetId": [ada] })).await;
    assert_error(&body, 400);
}

#[tokio::test]
async fn custom_data_shows_on_users_and_other_targets_work() {
    let (emu, mt, id) = setup().await;
    set_udv(&emu, &mt, &id, "school", "\"ucla\"").await;
    set_udv(&emu, &mt, &id, "age", "18").await;
    let user = mgmt_ok(
        &emu,
        &mt,
        "query user($id: String) { user(id: $id) { customData { key value label dataType } } }",
        json!({ "id": id }),
        "user",
    )
    .await;
    assert_eq!(
        user["customData"],
        json!([
            { "key": "school", "value": "ucla", "label": "L-school", "dataType": "STRING" },
            { "key": "age", "value": "18", "label": "L-age", "dataType": "NUMBER" },
        ])
    );
    let (_, body) = rest_get(&emu, &format!("/api/v2/users/{id}?with_custom_data=true"), Some(&mt)).await;
    assert_eq!(body["data"]["customData"], user["customData"]);

    // ROLE targets are kept apart; they must be existing roles, by id
    mgmt_ok(
        &emu,
        &mt,
        SET_UDF,
        json!({ "targetType": "ROLE", "key": "school", "dataType": "NUMBER", "label": "n" }),
        "setUdf",
    )
    .await;
    let body =
        mgmt(&emu, &mt, SET_UDV, json!({ "targetType": "ROLE", "targetId": id, "key": "school", "value": "7" })).await;
    assert_error(&body, 2101);
    let role = mgmt_ok(
        &emu,
        &mt,
        "mutation createRole($code: String!) { createRole(code: $code) { id } }",
        json!({ "code": "teacher" }),
        "createRole",
    )
    .await;
    let list = mgmt_ok(
        &emu,
        &mt,
        SET_UDV,
        json!({ "targetType": "ROLE", "targetId": role["id"], "key": "school", "value": "7" }),
        "setUdv",
    )
    .await;
    assert_eq!(list, json!([{ "key": "school", "dataType": "NUMBER", "value": "7", "label": "n" }]));
    let values = mgmt_ok(&emu, &mt, UDV, json!({ "targetType": "USER", "targetId": id }), "udv").await;
    assert_eq!(values[0]["value"], "ucla");
}
