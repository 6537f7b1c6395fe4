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
