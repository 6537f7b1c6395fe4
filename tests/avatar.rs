//! The logged-in user's avatar: upload, profile photo, and the uploaded file served back.

mod common;

use authing::AuthingError;
use authing::models::UpdateUserInput;

/// The first bytes of a PNG file, enough for a server that does not decode the image.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn the_uploaded_avatar_becomes_the_photo_and_is_served_back() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    let registered = app.register_by_username("ada", "Passw0rd!").force_login(true).send().await.unwrap();
    assert_eq!(registered.photo.as_deref().filter(|p| p.contains("/user-contents/")), None);

    let me = app.update_avatar(PNG, "ada.png", "image/png").await.unwrap();
    assert_eq!(me.id, registered.id);
    let photo = me.photo.clone().expect("the profile has a photo");
    assert!(photo.starts_with(emulator.host().trim_end_matches('/')), "{photo} is served by the emulator");
    assert_eq!(app.get_current_user().await.unwrap().photo.as_deref(), Some(photo.as_str()), "stored");

    let served = authing::reqwest::get(&photo).await.unwrap();
    assert_eq!(served.status(), 200);
    let content_type = served.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(content_type, "image/png");
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);

    // A second avatar gets its own URL; the profile follows it.
    let again = app.update_avatar(b"GIF89a\x01\0\x01\0".to_vec(), "ada.gif", "image/gif").await.unwrap();
    assert_ne!(again.photo.as_deref(), Some(photo.as_str()));
    let served = authing::reqwest::get(again.photo.unwrap()).await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/gif");
}

#[tokio::test]
async fn without_a_token_nothing_is_sent() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    let error = app.update_avatar(PNG, "ada.png", "image/png").await.unwrap_err();
    assert!(matches!(error, AuthingError::NotLoggedIn), "{error:?}");

    let error = app.with_token("not-a-token").update_avatar(PNG, "ada.png", "image/png").await.unwrap_err();
    assert_eq!(error.code(), Some(2020), "{error:?}");
}

#[tokio::test]
async fn a_file_that_is_not_an_image_is_refused_and_the_photo_kept() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    app.register_by_username("ada", "Passw0rd!").force_login(true).send().await.unwrap();
    app.update_profile(UpdateUserInput::default().photo("https://example.com/a.png")).await.unwrap();

    let error = app.update_avatar(b"hello".to_vec(), "notes.txt", "text/plain").await.unwrap_err();
    assert_eq!(error.code(), Some(400), "{error:?}");
    let error = app.update_avatar(Vec::new(), "empty.png", "image/png").await.unwrap_err();
    assert_eq!(error.code(), Some(400), "{error:?}");
    let error = app.update_avatar(PNG, "ada.png", "not a media type").await.unwrap_err();
    assert!(matches!(error, AuthingError::Request { .. }), "{error:?}");

    let me = app.get_current_user().await.unwrap();
    assert_eq!(me.photo.as_deref(), Some("https://example.com/a.png"));
}

#[tokio::test]
async fn an_image_over_the_body_limit_is_refused_with_413() {
    let emulator = authing_emulator::Emulator::builder().max_body_size(16 * 1024).start().await.unwrap();
    let app = common::authentication(&emulator);
    app.register_by_username("ada", "Passw0rd!").force_login(true).send().await.unwrap();

    let mut large = PNG.to_vec();
    large.resize(64 * 1024, 0);
    let error = app.update_avatar(large, "large.png", "image/png").await.unwrap_err();
    assert_eq!(error.code(), Some(413), "{error:?}");
    assert_eq!(error.http_status(), Some(413), "{error:?}");
    assert_eq!(app.get_current_user().await.unwrap().photo.filter(|p| p.contains("/user-contents/")), None);
}

#[tokio::test]
async fn the_upload_endpoint_refuses_a_body_without_a_file_part_and_unknown_files_are_404() {
    let emulator = common::emulator().await;
    let app = common::authentication(&emulator);
    app.register_by_username("ada", "Passw0rd!").force_login(true).send().await.unwrap();
    let token = app.token().unwrap().expose().to_owned();
    let url = format!("{}/api/v2/upload?folder=avatar", emulator.host().trim_end_matches('/'));
    let http = authing::reqwest::Client::new();

    let form = authing::reqwest::multipart::Form::new().text("other", "no file here");
    let answer = http.post(&url).bearer_auth(&token).multipart(form).send().await.unwrap();
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["code"], 400, "{body}");

    let answer = http.post(&url).bearer_auth(&token).json(&serde_json::json!({ "file": "x" })).send().await.unwrap();
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["code"], 400, "not multipart: {body}");

    let missing = format!("{}/user-contents/avatar/000000000000", emulator.host().trim_end_matches('/'));
    let answer = http.get(&missing).send().await.unwrap();
    assert_eq!(answer.status(), 404);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["code"], 404, "{body}");
}
