//! GraphQL behaviour: tokens, users, errors, introspection.

mod common;

use std::time::Duration;

use authing_emulator::{Emulator, NewUser};
use base64::Engine as _;
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn access_token_is_a_jwt() {
    let emu = Emulator::start().await.unwrap();
    let body = gql(&emu, ACCESS_TOKEN, json!({ "userPoolId": emu.user_pool_id(), "secret": emu.secret() }), None).await;
    assert!(body.get("errors").is_none(), "{body}");
    let res = &body["data"]["accessToken"];
    let (exp, iat) = (res["exp"].as_i64().unwrap(), res["iat"].as_i64().unwrap());
    assert!(exp > iat);
    assert!((exp - iat - 24 * 3600).abs() <= 1);
    let token = res["accessToken"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let claims: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["exp"], exp);
    assert_eq!(claims["iat"], iat);
    assert!(claims["sub"].is_string());
    assert_eq!(claims["data"]["id"], claims["sub"]);
    assert_eq!(claims["data"]["type"], "management");
    assert_eq!(claims["userPoolId"], emu.user_pool_id());
    assert_eq!(emu.request_count("accessToken"), 1);
    let other = management_token(&emu).await;
    assert_ne!(token, other, "each token has its own jti");
}

#[tokio::test]
async fn ttl_is_configurable() {
    let emu = Emulator::builder().management_token_ttl(Duration::from_secs(90)).start().await.unwrap();
    let body = gql(&emu, ACCESS_TOKEN, json!({ "userPoolId": emu.user_pool_id(), "secret": emu.secret() }), None).await;
    let res = &body["data"]["accessToken"];
    assert_eq!(res["exp"].as_i64().unwrap() - res["iat"].as_i64().unwrap(), 90);
}

#[tokio::test]
async fn wrong_credentials_are_refused_in_object_form() {
    let emu = Emulator::start().await.unwrap();
    let body = gql(&emu, ACCESS_TOKEN, json!({ "userPoolId": emu.user_pool_id(), "secret": "wrong" }), None).await;
    assert_error(&body, 1001);
    assert_eq!(body["data"], Value::Null);
    assert_eq!(body["errors"][0]["message"]["message"], "用户池密钥错误");

    let body =
        gql(&emu, ACCESS_TOKEN, json!({ "userPoolId": "000000000000000000000000", "secret": emu.secret() }), None)
            .await;
    assert_error(&body, 2224);
    assert_eq!(body["errors"][0]["message"]["message"], "用户池不存在");

    let res = client()
        .post(format!("{}/graphql/v2", emu.host()))
        .header("x-authing-lang", "en-US")
        .json(&json!({
            "query": ACCESS_TOKEN,
            "variables": { "userPoolId": emu.user_pool_id(), "secret": "wrong" },
        }))
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    assert_error(&body, 1001);
    assert_eq!(body["errors"][0]["message"]["message"], "Wrong user pool secret");
}

#[tokio::test]
async fn is_user_exists_needs_a_management_token() {
    let emu = Emulator::start().await.unwrap();
    let vars = json!({ "email": "ada@example.com" });
    let body = gql(&emu, IS_USER_EXISTS, vars.clone(), None).await;
    assert_error(&body, 2020);
    assert_eq!(body["errors"][0]["message"]["message"], "尚未登录，无访问权限");
    assert_eq!(body["errors"][0]["path"], json!(["isUserExists"]));

    let body = gql(&emu, IS_USER_EXISTS, vars.clone(), Some("not-a-token")).await;
    assert_error(&body, 2020);

    let mt = management_token(&emu).await;
    let body = gql(&emu, IS_USER_EXISTS, vars.clone(), Some(&mt)).await;
    assert_eq!(body, json!({ "data": { "isUserExists": false } }));

    emu.add_user(NewUser::new().email("Ada@Example.com")).unwrap();
    let body = gql(&emu, IS_USER_EXISTS, json!({ "email": "ADA@example.COM" }), Some(&mt)).await;
    assert_eq!(body["data"]["isUserExists"], true);
    let body = gql(&emu, IS_USER_EXISTS, json!({ "username": "ada" }), Some(&mt)).await;
    assert_eq!(body["data"]["isUserExists"], false);
    assert_eq!(emu.request_count("isUserExists"), 5);
}

#[tokio::test]
async fn another_emulators_token_is_refused() {
    let a = Emulator::start().await.unwrap();
    let b = Emulator::start().await.unwrap();
    let mt = management_token(&a).await;
    let body = gql(&b, IS_USER_EXISTS, json!({}), Some(&mt)).await;
    assert_error(&body, 2020);
}

#[tokio::test]
async fn revoked_tokens_are_refused_and_fresh_ones_work() {
    let emu = Emulator::start().await.unwrap();
    let old = management_token(&emu).await;
    let body = gql(&emu, CHECK_LOGIN_STATUS, json!({ "token": old }), None).await;
    let status = &body["data"]["checkLoginStatus"];
    assert_eq!(status["code"], 200);
    assert_eq!(status["status"], true);
    assert!(status["exp"].as_i64().unwrap() > status["iat"].as_i64().unwrap());
    assert_eq!(status["data"]["userPoolId"], emu.user_pool_id());
    assert!(status["data"]["id"].is_string());

    emu.revoke_management_tokens();
    let body = gql(&emu, IS_USER_EXISTS, json!({ "username": "x" }), Some(&old)).await;
    assert_error(&body, 2020);
    let body = gql(&emu, CHECK_LOGIN_STATUS, json!({ "token": old }), None).await;
    let status = &body["data"]["checkLoginStatus"];
    assert_eq!(status["code"], 2020);
    assert_eq!(status["status"], false);
    assert!(body.get("errors").is_none());

    let fresh = management_token(&emu).await;
    let body = gql(&emu, IS_USER_EXISTS, json!({ "username": "x" }), Some(&fresh)).await;
    assert_eq!(body["data"]["isUserExists"], false);
}

#[tokio::test]
async fn check_login_status_of_garbage_is_false() {
    let emu = Emulator::start().await.unwrap();
    for token in [json!("garbage"), json!(null)] {
        let body = gql(&emu, CHECK_LOGIN_STATUS, json!({ "token": token }), None).await;
        assert!(body.get("errors").is_none(), "{body}");
        let status = &body["data"]["checkLoginStatus"];
        assert_eq!(status["code"], 2020);
        assert_eq!(status["status"], false);
        assert_eq!(status["data"], Value::Null);
    }
    // without the argument, the bearer token of the request is checked
    let mt = management_token(&emu).await;
    let body = gql(&emu, "{ checkLoginStatus { status } }", json!({}), Some(&mt)).await;
    assert_eq!(body["data"]["checkLoginStatus"]["status"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_fields_are_counted_under_concurrency() {
    let emu = std::sync::Arc::new(Emulator::start().await.unwrap());
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let emu = emu.clone();
        tasks.push(tokio::spawn(async move { management_token(&emu).await }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(emu.request_count("accessToken"), 40);
    assert_eq!(emu.request_count("isUserExists"), 0);
    assert_eq!(emu.request_count("nonsense"), 0);
}

async fn assert_still_serving(emu: &Emulator) {
    let _ = management_token(emu).await;
}

#[tokio::test]
async fn malformed_requests_get_authing_errors() {
    let emu = Emulator::start().await.unwrap();
    let cases: Vec<(&str, String)> = vec![
        ("not JSON", "this is not json".to_owned()),
        ("empty body", String::new()),
        ("JSON without query", r#"{"variables":{}}"#.to_owned()),
        ("JSON array", "[1,2]".to_owned()),
        ("query not a string", r#"{"query": 42}"#.to_owned()),
        ("syntax error", json!({ "query": "query {" }).to_string()),
        ("unknown field", json!({ "query": "{ nope }" }).to_string()),
        ("unknown argument", json!({ "query": "{ isUserExists(foo: \"x\") }" }).to_string()),
        (
            "wrong variable type",
            json!({ "query": ACCESS_TOKEN, "variables": { "userPoolId": 12, "secret": ["x"] } }).to_string(),
        ),
        ("missing variable", json!({ "query": ACCESS_TOKEN, "variables": {} }).to_string()),
        ("unknown operation", json!({ "query": ACCESS_TOKEN, "operationName": "other" }).to_string()),
        ("mutation", json!({ "query": "mutation { x }" }).to_string()),
    ];
    for (what, body) in cases {
        let (status, res) = gql_raw(&emu, body, None).await;
        assert_eq!(status, 200, "{what}: {res}");
        let errors = res["errors"].as_array().unwrap_or_else(|| panic!("{what}: {res}"));
        assert!(!errors.is_empty(), "{what}");
        for e in errors {
            assert_eq!(e["message"]["code"], 400, "{what}: {res}");
            assert!(e["message"]["message"].is_string(), "{what}: {res}");
        }
        assert_eq!(res["data"], Value::Null, "{what}: {res}");
        assert_still_serving(&emu).await;
    }
}

#[tokio::test]
async fn a_document_that_worked_once_is_checked_again_with_new_variables() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    create_user(&emu, &mt, json!({ "username": "first" })).await;
    let exists = |username: &'static str| {
        let (emu, mt) = (&emu, &mt);
        async move { mgmt_ok(emu, mt, IS_USER_EXISTS, json!({ "username": username }), "isUserExists").await }
    };
    // The same document as the successful call above, with variables that do not fit its arguments.
    let refusals = [
        ("unknown input field", json!({ "userInfo": { "username": "second", "city": "Paris" } })),
        ("wrong input field type", json!({ "userInfo": { "username": 7 } })),
        ("missing variable", json!({})),
        ("wrong variable type", json!({ "userInfo": { "username": "second" }, "keepPassword": "yes" })),
    ];
    for (what, variables) in refusals {
        let body = mgmt(&emu, &mt, &create_user_doc(), variables).await;
        let errors = body["errors"].as_array().unwrap_or_else(|| panic!("{what}: {body}"));
        assert!(errors.iter().all(|e| e["message"]["code"] == 400), "{what}: {body}");
        assert_eq!(body["data"], Value::Null, "{what}: {body}");
        assert_eq!(exists("second").await, json!(false), "{what}: nothing was created");
    }
    create_user(&emu, &mt, json!({ "username": "second" })).await;
    assert_eq!(exists("second").await, json!(true));

    // Arguments of a field that `@skip` leaves out are still checked.
    let skipped =
        "query isUserExists($username: String, $skip: Boolean!) { isUserExists(username: $username) @skip(if: $skip) }";
    let body = mgmt(&emu, &mt, skipped, json!({ "username": "first", "skip": false })).await;
    assert_eq!(body["data"]["isUserExists"], json!(true), "{body}");
    let body = mgmt(&emu, &mt, skipped, json!({ "username": ["not", "a", "string"], "skip": true })).await;
    assert_eq!(body["errors"][0]["message"]["code"], 400, "{body}");

    // A document that never passed keeps being refused.
    for _ in 0..2 {
        let (_, body) = gql_raw(&emu, json!({ "query": "{ nope }" }).to_string(), None).await;
        assert_eq!(body["errors"][0]["message"]["code"], 400, "{body}");
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused_and_the_server_goes_on() {
    let emu = Emulator::start().await.unwrap();
    let padding = "x".repeat(2 << 20);
    let body = json!({ "query": "{ __typename }", "variables": { "pad": padding } }).to_string();
    let (status, res) = gql_raw(&emu, body, None).await;
    assert_eq!(status, 200, "a GraphQL error, with HTTP 200 like every other");
    assert_error(&res, 413);
    assert_still_serving(&emu).await;
    // just under the limit is fine
    let padding = "x".repeat(1000 * 1000);
    let body = json!({ "query": "{ __typename }", "variables": { "pad": padding } }).to_string();
    let (status, res) = gql_raw(&emu, body, None).await;
    assert_eq!(status, 200);
    assert_eq!(res["data"]["__typename"], "Query", "{res}");
}

/// Asserts an answer of one or more errors in Authing's shape, all of code 400, with null data.
fn assert_refused(what: &str, status: u16, res: &Value) {
    assert_eq!(status, 200, "{what}: {res}");
    let errors = res["errors"].as_array().unwrap_or_else(|| panic!("{what}: {res}"));
    assert!(!errors.is_empty(), "{what}");
    for e in errors {
        assert_eq!(e["message"]["code"], 400, "{what}: {res}");
        assert!(e["message"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {res}");
        assert_eq!(e["extensions"]["code"], 400, "{what}: {res}");
    }
    assert_eq!(res["data"], Value::Null, "{what}: {res}");
}

#[tokio::test]
async fn deeply_nested_argument_values_are_refused_without_crashing() {
    let emu = Emulator::start().await.unwrap();
    let depth = 1500;
    let lists = format!("{}\"x\"{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}\"x\"{}", "{a: ".repeat(depth), "}".repeat(depth));
    let cases = [
        ("nested lists", format!("{{ isUserExists(username: {lists}) }}")),
        ("nested objects", format!("{{ isUserExists(username: {objects}) }}")),
        (
            "nested lists in a mutation",
            format!("mutation {{ removeUdv(targetType: USER, targetId: {lists}, key: \"k\") {{ key }} }}"),
        ),
    ];
    for (what, query) in cases {
        let (status, res) = gql_raw(&emu, json!({ "query": query }).to_string(), None).await;
        assert_refused(what, status, &res);
        assert!(res["errors"][0]["message"]["message"].as_str().unwrap().contains("64"), "{what}: {res}");
        assert_still_serving(&emu).await;
    }
    // Brackets inside strings and comments do not count.
    let mt = management_token(&emu).await;
    let text = "[".repeat(depth);
    let query = format!("# {text}\n{{ isUserExists(username: \"{text}\") }}");
    let res = gql(&emu, &query, json!({}), Some(&mt)).await;
    assert_eq!(res["data"]["isUserExists"], false, "{res}");
    // Variables nested as deep are refused by the JSON reader.
    let variables = format!("{}\"x\"{}", "[".repeat(depth), "]".repeat(depth));
    let body = format!(r#"{{"query": "{{ __typename }}", "variables": {{"v": {variables}}}}}"#);
    let (status, res) = gql_raw(&emu, body, None).await;
    assert_refused("nested variables", status, &res);
    assert_still_serving(&emu).await;
}

#[tokio::test]
async fn fragments_that_multiply_are_refused_quickly() {
    let emu = Emulator::start().await.unwrap();
    for count in 17..=24 {
        let mut query = String::from("query { ...F0 }");
        for i in 0..count {
            query.push_str(&format!(" fragment F{i} on Query {{ ...F{next} ...F{next} }}", next = i + 1));
        }
        query.push_str(&format!(" fragment F{count} on Query {{ __typename }}"));
        let started = std::time::Instant::now();
        let (status, res) = gql_raw(&emu, json!({ "query": query }).to_string(), None).await;
        let what = format!("{count} fragments");
        assert_refused(&what, status, &res);
        assert_eq!(res["errors"][0]["message"]["message"], "Query is too complex.", "{what}: {res}");
        assert!(started.elapsed() < Duration::from_secs(2), "{what}: {:?}", started.elapsed());
    }
    // A fragment spread within itself is refused too.
    let query = "query { ...F } fragment F on Query { ...F ...F __typename }";
    let (status, res) = gql_raw(&emu, json!({ "query": query }).to_string(), None).await;
    assert_refused("a cycle", status, &res);
    // So is a long chain of fragments, past the recursion limit.
    let mut query = String::from("query { ...F0 }");
    for i in 0..40 {
        query.push_str(&format!(" fragment F{i} on Query {{ ...F{} }}", i + 1));
    }
    query.push_str(" fragment F40 on Query { __typename }");
    let (status, res) = gql_raw(&emu, json!({ "query": query }).to_string(), None).await;
    assert_refused("a chain of 40 fragments", status, &res);
    assert_still_serving(&emu).await;
}

#[tokio::test]
async fn limits_refuse_deep_and_wide_documents() {
    let emu = Emulator::start().await.unwrap();
    // 21 levels of fields: past the depth limit of 20.
    let deep = format!("{{ __schema {{ types {{ {}name{} }} }} }}", "ofType { ".repeat(19), " }".repeat(19));
    let (status, res) = gql_raw(&emu, json!({ "query": deep }).to_string(), None).await;
    assert_refused("21 levels", status, &res);
    assert_eq!(res["errors"][0]["message"]["message"], "Query is nested too deep.", "{res}");
    // 1001 fields: past the complexity limit of 1000.
    let wide = format!("{{ {} }}", vec!["__typename"; 1001].join(" "));
    let (status, res) = gql_raw(&emu, json!({ "query": wide }).to_string(), None).await;
    assert_refused("1001 fields", status, &res);
    assert_eq!(res["errors"][0]["message"]["message"], "Query is too complex.", "{res}");
    // 9 directives on one field: past the limit of 8.
    let directives = format!("{{ __typename {} }}", "@skip(if: false) ".repeat(9));
    let (status, res) = gql_raw(&emu, json!({ "query": directives }).to_string(), None).await;
    assert_refused("9 directives", status, &res);
    // Just inside every limit: 20 levels, 1000 fields.
    let deep = format!("{{ __schema {{ types {{ {}name{} }} }} }}", "ofType { ".repeat(17), " }".repeat(17));
    let (_, res) = gql_raw(&emu, json!({ "query": deep }).to_string(), None).await;
    assert!(res.get("errors").is_none(), "{res}");
    let wide = format!("{{ {} }}", vec!["__typename"; 1000].join(" "));
    let (_, res) = gql_raw(&emu, json!({ "query": wide }).to_string(), None).await;
    assert!(res.get("errors").is_none(), "{res}");
    // 101 aliases: past the alias limit of 100; 100 are fine.
    let aliased =
        |n: usize| format!("{{ {} }}", (0..n).map(|i| format!("f{i}: __typename")).collect::<Vec<_>>().join(" "));
    let (status, res) = gql_raw(&emu, json!({ "query": aliased(101) }).to_string(), None).await;
    assert_refused("101 aliases", status, &res);
    assert_eq!(res["errors"][0]["message"]["message"], "The query uses more than 100 aliases.", "{res}");
    let (_, res) = gql_raw(&emu, json!({ "query": aliased(100) }).to_string(), None).await;
    assert!(res.get("errors").is_none(), "{res}");
    // A document over 64 KiB, whatever it holds.
    let long = format!("{{ __typename }} # {}", "x".repeat(64 << 10));
    let (status, res) = gql_raw(&emu, json!({ "query": long }).to_string(), None).await;
    assert_refused("a 64 KiB document", status, &res);
    assert_eq!(res["errors"][0]["message"]["message"], "The query is longer than 65536 bytes.", "{res}");
}

#[tokio::test]
async fn other_methods_get_an_authing_error() {
    let emu = Emulator::start().await.unwrap();
    for method in [reqwest::Method::GET, reqwest::Method::PUT, reqwest::Method::DELETE] {
        let res = client().request(method.clone(), format!("{}/graphql/v2", emu.host())).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{method}: a GraphQL error, with HTTP 200 like every other");
        let body: Value = res.json().await.unwrap();
        assert_error(&body, 405);
    }
}

const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name } } } } } } }
}
"#;

#[tokio::test]
async fn introspection_works_without_a_token() {
    let emu = Emulator::start().await.unwrap();
    let body = json!({ "query": INTROSPECTION }).to_string();
    let (status, res) = gql_raw(&emu, body, None).await;
    assert_eq!(status, 200);
    assert!(res.get("errors").is_none(), "{res}");
    let schema = &res["data"]["__schema"];
    assert_eq!(schema["queryType"]["name"], "Query");
    assert_eq!(schema["mutationType"]["name"], "Mutation");
    let names: Vec<&str> = schema["types"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    for name in
        ["Query", "AccessTokenRes", "JWTTokenStatus", "JWTTokenStatusDetail", "Mutation", "User", "UserDefinedData"]
    {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let query = schema["types"].as_array().unwrap().iter().find(|t| t["name"] == "Query").unwrap();
    let access = query["fields"].as_array().unwrap().iter().find(|f| f["name"] == "accessToken").unwrap();
    assert_eq!(access["type"]["kind"], "NON_NULL");
    assert_eq!(access["type"]["ofType"]["name"], "AccessTokenRes");
    // with an (irrelevant) authorization header, as the Python SDK sends it
    let (status, res) = gql_raw(&emu, json!({ "query": INTROSPECTION }).to_string(), Some("x")).await;
    assert_eq!(status, 200);
    assert!(res.get("errors").is_none(), "{res}");
}
