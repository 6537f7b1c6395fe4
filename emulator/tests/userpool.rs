//! The pool's GraphQL and REST front ends at the wire level: `userpool`, the filters of the audit log in both
//! list forms, and the refusals a caller without a management token gets.

mod common;

use authing_emulator::Emulator;
use common::{assert_error, gql, management_token, mgmt, mgmt_ok, rest, rest_get};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn userpool_answers_the_pool_and_refuses_a_missing_token_with_2020() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let query = "query { userpool { id name registerDisabled tokenExpiresAfter whitelist { emailEnabled } } }";
    let pool = mgmt_ok(&emu, &mt, query, json!({}), "userpool").await;
    assert_eq!(pool["id"], emu.user_pool_id());
    assert_eq!(pool["registerDisabled"], false);
    assert_eq!(pool["tokenExpiresAfter"], 15 * 24 * 3600);
    assert_eq!(pool["whitelist"]["emailEnabled"], false);
    assert_error(&gql(&emu, query, json!({}), None).await, 2020);

    let update = "mutation u($input: UpdateUserpoolInput!) { updateUserpool(input: $input) { name } }";
    let body = mgmt(&emu, &mt, update, json!({ "input": { "name": " " } })).await;
    assert_error(&body, 400);
    let body = gql(&emu, update, json!({ "input": { "name": "x" } }), None).await;
    assert_error(&body, 2020);
    assert_error(&gql(&emu, "query { whitelist(type: EMAIL) { value } }", json!({}), None).await, 2020);

    for path in ["/api/v2/userpools/detail", "/api/v2/env", "/api/v2/analysis/audit"] {
        let (status, body) = rest_get(&emu, path, None).await;
        assert_eq!((status, body["code"].as_i64()), (200, Some(2020)), "{path}: {body}");
    }
}

#[tokio::test]
async fn audit_filters_take_single_repeated_and_bracketed_keys_and_both_arn_forms() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let create = "mutation c($u: CreateUserInput!) { createUser(userInfo: $u) { id } }";
    mgmt_ok(&emu, &mt, create, json!({ "u": { "username": "ada" } }), "createUser").await;
    rest(&emu, Method::POST, "/api/v2/env", Some(&mt), Some(json!({ "key": "k", "value": 1 }))).await;
    rest(&emu, Method::DELETE, "/api/v2/env/k", Some(&mt), None).await;

    let count = |path: String| {
        let (emu, mt) = (&emu, &mt);
        async move {
            let (_, body) = rest_get(emu, &path, Some(mt)).await;
            assert_eq!(body["code"], 200, "{body}");
            body["data"]["totalCount"].as_u64().unwrap()
        }
    };
    assert_eq!(count("/api/v2/analysis/audit".into()).await, 3);
    assert_eq!(count("/api/v2/analysis/audit?operation_name=addEnv&operation_name=removeEnv".into()).await, 2);
    assert_eq!(count("/api/v2/analysis/audit?operation_name[]=createUser".into()).await, 1);
    let (_, body) = rest_get(&emu, "/api/v2/analysis/audit?limit=1", Some(&mt)).await;
    let entry = &body["data"]["list"][0];
    assert_eq!((entry["eventType"].as_str(), entry["operation_name"].as_str()), (Some("removeEnv"), Some("removeEnv")));
    assert_eq!(entry["operationParam"], "k");
    let admin = entry["userId"].as_str().unwrap().to_owned();
    let pool = emu.user_pool_id();
    assert_eq!(count(format!("/api/v2/analysis/audit?operator_arn=arn:cn:authing:{pool}:user:{admin}")).await, 3);
    assert_eq!(count(format!("/api/v2/analysis/audit?operator_arn[]=arn:cn:authing:user:{admin}")).await, 3);
    assert_eq!(count("/api/v2/analysis/audit?exclude_non_app_records=1".into()).await, 0);

    let (_, body) = rest_get(&emu, "/api/v2/analysis/audit?start=yesterday", Some(&mt)).await;
    assert_eq!(body["code"], 400, "{body}");
}
