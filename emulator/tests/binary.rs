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
        ("--user-token-ttl", "AUTHING_EMULATOR_USER_TOKEN_TTL"),
        ("--code-ttl", "AUTHING_EMULATOR_CODE_TTL"),
        ("--import", "AUTHING_EMULATOR_IMPORT"),
        ("--export-on-exit", "AUTHING_EMULATOR_EXPORT_ON_EXIT"),
        ("--redirect-uri", "AUTHING_EMULATOR_REDIRECT_URIS"),
        ("--token-endpoint-auth-method", "AUTHING_EMULATOR_TOKEN_ENDPOINT_AUTH_METHOD"),
        ("--introspection-endpoint-auth-method", "AUTHING_EMULATOR_INTROSPECTION_ENDPOINT_AUTH_METHOD"),
        ("--revocation-endpoint-auth-method", "AUTHING_EMULATOR_REVOCATION_ENDPOINT_AUTH_METHOD"),
        ("--id-token-algorithm", "AUTHING_EMULATOR_ID_TOKEN_ALGORITHM"),
        ("--access-token-ttl", "AUTHING_EMULATOR_ACCESS_TOKEN_TTL"),
        ("--id-token-ttl", "AUTHING_EMULATOR_ID_TOKEN_TTL"),
        ("--refresh-token-ttl", "AUTHING_EMULATOR_REFRESH_TOKEN_TTL"),
        ("--authorization-code-ttl", "AUTHING_EMULATOR_AUTHORIZATION_CODE_TTL"),
        ("--enforce-mfa", "AUTHING_EMULATOR_ENFORCE_MFA"),
        ("--mfa-token-ttl", "AUTHING_EMULATOR_MFA_TOKEN_TTL"),
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

/// Starts the binary with `args`, returns it and the JSON line it printed first.
fn start(args: &[&str]) -> (std::process::Child, Value) {
    let mut child = Command::new(BIN).args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    (child, info)
}

/// Logs `username` in over GraphQL, the password encrypted with the printed public key, and returns the answer.
async fn login(info: &Value, username: &str, password: &str) -> Value {
    let host = info["host"].as_str().unwrap();
    let password = authing_emulator::crypto::encrypt_password(info["public_key"].as_str().unwrap(), password).unwrap();
    let document = "mutation($input: LoginByUsernameInput!) { loginByUsername(input: $input) { id token } }";
    let variables = serde_json::json!({ "input": { "username": username, "password": password } });
    reqwest::Client::new()
        .post(format!("{host}/graphql/v2"))
        .header("x-authing-userpool-id", info["user_pool_id"].as_str().unwrap())
        .header("x-authing-app-id", info["app_id"].as_str().unwrap())
        .json(&serde_json::json!({ "query": document, "variables": variables }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[cfg(unix)]
#[tokio::test]
async fn imports_at_start_and_exports_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("authing-emulator-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (input, output) = (dir.join("in.json"), dir.join("out.json"));
    let state = serde_json::json!({ "users": [{ "id": "6000000000000000000000b1", "username": "ada", "password": "Passw0rd!" }] });
    std::fs::write(&input, state.to_string()).unwrap();
    let (mut child, info) = start(&[
        "--import",
        input.to_str().unwrap(),
        "--export-on-exit",
        output.to_str().unwrap(),
        "--redirect-uri",
        "http://localhost:3000/cb,http://localhost:3000/other",
    ]);
    let logged_in = login(&info, "ada", "Passw0rd!").await;
    assert_eq!(logged_in["data"]["loginByUsername"]["id"], "6000000000000000000000b1", "{logged_in}");
    let discovery: Value =
        reqwest::get(format!("{}/oidc/.well-known/openid-configuration", info["host"].as_str().unwrap()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert!(discovery["issuer"].is_string(), "{discovery}");
    assert!(!output.exists(), "nothing is written before the stop signal");
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success());
    let exported: Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    let user = &exported["users"][0];
    assert_eq!((user["id"].as_str(), user["username"].as_str()), (Some("6000000000000000000000b1"), Some("ada")));
    assert!(user.get("password").is_none() && user["passwordHash"].is_string(), "{user}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "no temporary file is left: {leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_import_stops_the_start_with_the_entry_named() {
    let dir = std::env::temp_dir().join(format!("authing-emulator-bad-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("bad.json");
    std::fs::write(&input, r#"{ "roles": [{ "code": "admin", "users": ["nobody"] }] }"#).unwrap();
    let out = Command::new(BIN).args(["--import", input.to_str().unwrap()]).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no settings line for an emulator that did not start");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("roles[0] (admin)"), "{stderr}");
}

#[tokio::test]
async fn enforce_mfa_makes_a_correct_password_ask_for_a_second_factor() {
    let dir = std::env::temp_dir().join(format!("authing-emulator-mfa-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.json");
    std::fs::write(&input, r#"{ "users": [{ "username": "ada", "password": "Passw0rd!" }] }"#).unwrap();
    let (mut child, info) = start(&["--enforce-mfa", "--import", input.to_str().unwrap()]);
    let (mut plain, plain_info) = start(&["--import", input.to_str().unwrap()]);
    let asked = login(&info, "ada", "Passw0rd!").await;
    let let_in = login(&plain_info, "ada", "Passw0rd!").await;
    for child in [&mut child, &mut plain] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(asked["errors"][0]["message"]["code"], 1635, "{asked}");
    assert!(let_in["data"]["loginByUsername"]["token"].is_string(), "{let_in}");
}
