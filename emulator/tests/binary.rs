//! The `authing-emulator` binary.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_authing-emulator");

#[tokio::test]
async fn prints_its_settings_first_then_serves() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--secret", "s3cret"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    let host = info["host"].as_str().unwrap().to_owned();
    assert!(host.starts_with("http://127.0.0.1:"), "{host}");
    assert_eq!(info["secret"], "s3cret");
    for key in ["user_pool_id", "app_id", "app_secret"] {
        assert!(info[key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
    }
    assert!(info["public_key"].as_str().unwrap().starts_with("-----BEGIN PUBLIC KEY-----"));
    let res = reqwest::get(format!("{host}/api/v2/.well-known")).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let body: Value = res.unwrap().json().await.unwrap();
    assert_eq!(body["data"]["publicKey"], info["public_key"]);
}

#[test]
fn print_schema_prints_sdl_and_exits() {
    let out = Command::new(BIN).arg("--print-schema").output().unwrap();
    assert!(out.status.success());
    let sdl = String::from_utf8(out.stdout).unwrap();
    assert!(sdl.contains("accessToken(userPoolId: String!, secret: String!): AccessTokenRes!"));
}

#[test]
fn bad_flags_exit_with_2() {
    for args in [&["--bogus"][..], &["--port", "notaport"], &["--port"]] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn help_lists_the_environment_variables() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("AUTHING_EMULATOR_PORT") && help.contains("--print-schema"));
}

#[test]
fn help_shows_every_flag_with_its_variable_but_no_secret() {
    let out = Command::new(BIN)
        .arg("--help")
        .env("AUTHING_EMULATOR_SECRET", "pool-s3cret")
        .env("AUTHING_EMULATOR_APP_SECRET", "app-s3cret")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for (flag, var) in [
        ("--host", "AUTHING_EMULATOR_HOST"),
        ("--port", "AUTHING_EMULATOR_PORT"),
        ("--user-pool-id", "AUTHING_EMULATOR_USERPOOL_ID"),
        ("--secret", "AUTHING_EMULATOR_SECRET"),
        ("--app-id", "AUTHING_EMULATOR_APP_ID"),
        ("--app-secret", "AUTHING_EMULATOR_APP_SECRET"),
        ("--token-ttl", "AUTHING_EMULATOR_TOKEN_TTL"),
        ("--seed-users", "AUTHING_EMULATOR_SEED_USERS"),
        ("--max-body-size", "AUTHING_EMULATOR_MAX_BODY_SIZE"),
        ("--max-document-size", "AUTHING_EMULATOR_MAX_DOCUMENT_SIZE"),
        ("--max-depth", "AUTHING_EMULATOR_MAX_DEPTH"),
        ("--max-complexity", "AUTHING_EMULATOR_MAX_COMPLEXITY"),
        ("--max-nesting", "AUTHING_EMULATOR_MAX_NESTING"),
        ("--max-aliases", "AUTHING_EMULATOR_MAX_ALIASES"),
        ("--max-page-size", "AUTHING_EMULATOR_MAX_PAGE_SIZE"),
        ("--header-read-timeout", "AUTHING_EMULATOR_HEADER_READ_TIMEOUT"),
        ("--idle-timeout", "AUTHING_EMULATOR_IDLE_TIMEOUT"),
    ] {
        assert!(help.contains(flag) && help.contains(var), "{flag} / {var} missing:\n{help}");
    }
    assert!(!help.contains("s3cret"), "{help}");
}

#[tokio::test]
async fn limits_come_from_flags_and_variables() {
    let mut child = Command::new(BIN)
        .args(["--max-aliases", "2"])
        .env("AUTHING_EMULATOR_MAX_PAGE_SIZE", "5")
        .env("AUTHING_EMULATOR_SEED_USERS", "")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    let url = format!("{}/graphql/v2", info["host"].as_str().unwrap());
    let client = reqwest::Client::new();
    let post = |query: String| {
        let request = client.post(&url).json(&serde_json::json!({ "query": query }));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let token_doc = format!(
        "{{ accessToken(userPoolId: {:?}, secret: {:?}) {{ accessToken }} }}",
        info["user_pool_id"].as_str().unwrap(),
        info["secret"].as_str().unwrap()
    );
    let three = post("{ a: __typename b: __typename c: __typename }".to_owned()).await;
    let two = post("{ a: __typename b: __typename }".to_owned()).await;
    let token = post(token_doc).await;
    let token = token["data"]["accessToken"]["accessToken"].as_str().unwrap().to_owned();
    let page = |limit: u32| {
        let request = client.post(&url).bearer_auth(&token).json(&serde_json::json!({
            "query": format!("{{ users(limit: {limit}) {{ totalCount }} }}")
        }));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let (six, five) = (page(6).await, page(5).await);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(three["errors"][0]["message"]["code"], 400, "{three}");
    assert!(two.get("errors").is_none(), "{two}");
    assert_eq!(six["errors"][0]["message"]["code"], 400, "{six}");
    assert_eq!(six["errors"][0]["message"]["message"], "limit 不能大于 5", "{six}");
    assert_eq!(five["data"]["users"]["totalCount"], 0, "{five}");
}
