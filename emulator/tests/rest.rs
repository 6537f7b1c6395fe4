//! REST behaviour: envelope, public key, user detail, unknown routes.

mod common;

use authing_emulator::{Emulator, NewUser, crypto};
use common::*;
use rsa::pkcs8::DecodePublicKey as _;
use serde_json::Value;

#[tokio::test]
async fn well_known_serves_the_public_key() {
    let emu = Emulator::start().await.unwrap();
    let (status, body) = rest_get(&emu, "/api/v2/.well-known", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 200);
    assert_eq!(body["message"], "");
    let pem = body["data"]["publicKey"].as_str().unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    assert_eq!(pem, emu.public_key_pem());
    let key = rsa::RsaPublicKey::from_public_key_pem(pem).unwrap();
    assert_eq!(rsa::traits::PublicKeyParts::size(&key), 128);
    // what a client encrypts with it, the emulator decrypts
    let sent = crypto::encrypt_password(pem, "p4ssw0rd!").unwrap();
    assert_eq!(emu.decrypt_password(&sent).unwrap(), "p4ssw0rd!");
    assert!(emu.decrypt_password("bm9wZQ==").is_err());
}

#[tokio::test]
async fn user_detail_needs_a_management_token() {
    let emu = Emulator::start().await.unwrap();
    let (status, body) = rest_get(&emu, "/api/v2/users/x", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 2020);
    assert_eq!(body["message"], "尚未登录，无访问权限");
    assert_eq!(body["data"], Value::Null);
    let (_, body) = rest_get(&emu, "/api/v2/users/x", Some("bad")).await;
    assert_eq!(body["code"], 2020);

    let mt = management_token(&emu).await;
    let (status, body) = rest_get(&emu, "/api/v2/users/x?with_custom_data=1", Some(&mt)).await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 200);
    assert!(body.as_object().unwrap().contains_key("data"));
    assert_eq!(body["data"], Value::Null);
}

#[tokio::test]
async fn user_detail_finds_stored_users() {
    let emu = Emulator::start().await.unwrap();
    let id = emu.add_user(NewUser::new().username("ada").email("Ada@Example.com").password("pw")).unwrap();
    assert!(emu.check_user_password(&id, "pw"));
    assert!(!emu.check_user_password(&id, "PW"));
    let dup = emu.add_user(NewUser::new().username("ada")).unwrap_err();
    assert_eq!(dup.code, 2034);
    let dup = emu.add_user(NewUser::new().email("ADA@example.com")).unwrap_err();
    assert_eq!(dup.code, 2026);
    assert_eq!(emu.add_user(NewUser::new().password("x")).unwrap_err().code, 400);

    let mt = management_token(&emu).await;
    let (_, body) = rest_get(&emu, &format!("/api/v2/users/{id}"), Some(&mt)).await;
    assert_eq!(body["code"], 200);
    let user = &body["data"];
    assert_eq!(user["id"], id.as_str());
    assert_eq!(user["username"], "ada");
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["userPoolId"], emu.user_pool_id());
    assert_eq!(user["identities"], serde_json::json!([]));
    assert!(user.get("customData").is_none());
    assert!(user.get("password").is_none());
    for flag in ["true", "1"] {
        let path = format!("/api/v2/users/{id}?with_custom_data={flag}");
        let (_, body) = rest_get(&emu, &path, Some(&mt)).await;
        assert_eq!(body["data"]["customData"], serde_json::json!([]));
    }
    for flag in ["false", "0"] {
        let path = format!("/api/v2/users/{id}?with_custom_data={flag}");
        let (_, body) = rest_get(&emu, &path, Some(&mt)).await;
        assert!(body["data"].get("customData").is_none());
    }
    let path = format!("/api/v2/users/{id}?with_custom_data=maybe");
    let (_, body) = rest_get(&emu, &path, Some(&mt)).await;
    assert_eq!(body["code"], 400);
}

#[tokio::test]
async fn english_messages_on_request() {
    let emu = Emulator::start().await.unwrap();
    let res =
        client().get(format!("{}/api/v2/users/x", emu.host())).header("x-authing-lang", "en-US").send().await.unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], 2020);
    assert_eq!(body["message"], "Not logged in, access denied");
}

#[tokio::test]
async fn unknown_routes_are_404_envelopes() {
    let emu = Emulator::start().await.unwrap();
    for path in ["/api/v2/nope", "/api/v2/users/a/b/c", "/elsewhere"] {
        let (status, body) = rest_get(&emu, path, None).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["code"], 404, "{path}");
        assert!(body["message"].is_string());
    }
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let emu = Emulator::start().await.unwrap();
    let host = emu.host().to_owned();
    let (status, _) = rest_get(&emu, "/api/v2/.well-known", None).await;
    assert_eq!(status, 200);
    drop(emu);
    tokio::task::yield_now().await;
    let fresh = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let mut stopped = false;
    for _ in 0..50 {
        if fresh.get(format!("{host}/api/v2/.well-known")).send().await.is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(stopped, "still serving after drop");
}

#[tokio::test]
async fn debug_output_redacts_secrets() {
    let emu = Emulator::builder().secret("pool-secret-value").app_secret("app-secret-value").start().await.unwrap();
    let shown = format!("{emu:?}");
    assert!(shown.contains(emu.user_pool_id()));
    assert!(!shown.contains("pool-secret-value") && !shown.contains("app-secret-value"));
    let builder = Emulator::builder().secret("pool-secret-value");
    assert!(!format!("{builder:?}").contains("pool-secret-value"));
    let user = NewUser::new().password("hunter2");
    assert!(!format!("{user:?}").contains("hunter2"));
}
