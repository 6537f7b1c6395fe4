//! `management.whitelist()` against the emulator: the lists, the flags, and self-registration refused with 2031
//! for an identifier that is not listed while its type's whitelist is on.

mod common;

use authing::codes;
use authing::models::{CreateUserInput, WhitelistType};
use common::{authentication, management};

const PASSWORD: &str = "Tr0ub4dor&3-Horse";

#[tokio::test]
async fn lists_start_empty_and_add_and_remove_answer_the_list() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let whitelist = management.whitelist();
    for kind in [WhitelistType::Username, WhitelistType::Email, WhitelistType::Phone] {
        assert!(whitelist.list(kind).await.unwrap().is_empty());
    }
    let added = whitelist.add(WhitelistType::Email, ["Ada@Example.com", "bob@example.com", "ada@example.com"]).await;
    let values: Vec<String> = added.unwrap().into_iter().map(|e| e.value).collect();
    assert_eq!(values, ["ada@example.com", "bob@example.com"], "lower-cased, each once");
    assert!(whitelist.list(WhitelistType::Username).await.unwrap().is_empty(), "each type has its own list");

    let left = whitelist.remove(WhitelistType::Email, ["ADA@example.com", "nobody@example.com"]).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].value, "bob@example.com");
    assert!(left[0].created_at.is_some());
    assert_eq!(whitelist.list(WhitelistType::Email).await.unwrap(), left);

    let err = whitelist.add(WhitelistType::Phone, [" "]).await.unwrap_err();
    assert_eq!(err.code(), Some(400), "{err:?}");
}

#[tokio::test]
async fn enable_and_disable_switch_one_flag_and_keep_the_others() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let whitelist = management.whitelist();
    whitelist.enable(WhitelistType::Email).await.unwrap();
    let pool = whitelist.enable(WhitelistType::Phone).await.unwrap();
    let flags = pool.whitelist.unwrap();
    assert_eq!(
        (flags.email_enabled, flags.phone_enabled, flags.username_enabled),
        (Some(true), Some(true), Some(false))
    );
    let pool = whitelist.disable(WhitelistType::Email).await.unwrap();
    let flags = pool.whitelist.unwrap();
    assert_eq!((flags.email_enabled, flags.phone_enabled), (Some(false), Some(true)));
    let detail = management.userpool().detail().await.unwrap().whitelist.unwrap();
    assert_eq!((detail.email_enabled, detail.phone_enabled), (Some(false), Some(true)));

    let err = whitelist.enable(WhitelistType::from("OTHER")).await.unwrap_err();
    assert!(err.code().is_none(), "refused before sending: {err:?}");
}

#[tokio::test]
async fn an_enabled_email_whitelist_refuses_unlisted_addresses_with_2031() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let app = authentication(&emulator);
    let whitelist = management.whitelist();
    whitelist.add(WhitelistType::Email, ["ada@example.com"]).await.unwrap();

    app.register_by_email("eve@example.com", PASSWORD).send().await.expect("the whitelist is still off");
    whitelist.enable(WhitelistType::Email).await.unwrap();
    let err = app.register_by_email("mallory@example.com", PASSWORD).send().await.unwrap_err();
    assert_eq!(err.code(), Some(codes::REGISTRATION_DISABLED), "{err:?}");
    app.register_by_email("ADA@example.com", PASSWORD).send().await.expect("listed, whatever the case");
    app.register_by_username("mallory", PASSWORD).send().await.expect("the username whitelist is off");
    management
        .users()
        .create(CreateUserInput::default().email("carol@example.com"))
        .send()
        .await
        .expect("the administrator is not restricted");

    whitelist.disable(WhitelistType::Email).await.unwrap();
    app.register_by_email("mallory@example.com", PASSWORD).send().await.expect("off again");
}

#[tokio::test]
async fn the_username_and_phone_whitelists_guard_their_registrations() {
    let emulator = common::emulator().await;
    let management = management(&emulator);
    let app = authentication(&emulator);
    let whitelist = management.whitelist();
    whitelist.enable(WhitelistType::Username).await.unwrap();
    whitelist.enable(WhitelistType::Phone).await.unwrap();

    let err = app.register_by_username("mallory", PASSWORD).send().await.unwrap_err();
    assert_eq!(err.code(), Some(codes::REGISTRATION_DISABLED), "{err:?}");
    whitelist.add(WhitelistType::Username, ["ada"]).await.unwrap();
    app.register_by_username("ada", PASSWORD).send().await.unwrap();

    app.send_sms_code("13800000000").await.unwrap();
    let code = emulator.verification_code("13800000000").unwrap();
    let err = app.register_by_phone_code("13800000000", &code).send().await.unwrap_err();
    assert_eq!(err.code(), Some(codes::REGISTRATION_DISABLED), "{err:?}");
    whitelist.add(WhitelistType::Phone, ["13800000000"]).await.unwrap();
    let user = app.register_by_phone_code("13800000000", &code).send().await.expect("the code was kept");
    assert_eq!(user.phone.as_deref(), Some("13800000000"));
}
