//! Identities at external providers against the emulator: linked and unlinked by the administrator, listed and
//! unlinked by the user; resignation and the user's own logout end the user's tokens.

mod common;

use authing::{AuthingError, codes};
use authing_emulator::NewUser;
use common::{authentication, management};

const PASSWORD: &str = "Tr0ub4dor&3-Horse";

#[tokio::test]
async fn the_administrator_links_an_identity_the_user_sees_and_unlinks() {
    let emulator = common::emulator().await;
    let app = authentication(&emulator);
    let user = app.register_by_email("ada@example.com", PASSWORD).force_login(true).send().await.unwrap();
    assert!(app.get_identities().await.unwrap().is_empty(), "a user registered by e-mail has none");

    let mgmt = management(&emulator);
    let users = mgmt.users();
    users.link_identity(&user.id, "gh-42", "github", "idp-1").is_social(true).kind("openid").send().await.unwrap();
    users.link_identity(&user.id, "gh-42", "github", "idp-1").send().await.unwrap();
    let identities = app.get_identities().await.unwrap();
    assert_eq!(identities.len(), 1, "linking twice keeps one identity");
    assert_eq!(identities[0].provider.as_deref(), Some("github"));
    assert_eq!(identities[0].user_id_in_idp.as_deref(), Some("gh-42"));
    assert_eq!(identities[0].ext_idp_id.as_deref(), Some("idp-1"));
    assert_eq!(identities[0].kind.as_deref(), Some("openid"));
    assert!(identities[0].identity_id.is_some());
    let detail = users.get(&user.id).await.unwrap().unwrap();
    assert_eq!(detail.identities.len(), 1);

    let other = emulator.add_user(NewUser::new().username("grace")).unwrap();
    let taken = users.link_identity(&other, "gh-42", "github", "idp-1").send().await.unwrap_err();
    assert_eq!(taken.code(), Some(codes::USER_EXISTS), "another user holds it");
    let unknown = users.link_identity("000000000000000000000000", "x", "github", "idp-1").send().await.unwrap_err();
    assert_eq!(unknown.code(), Some(codes::USER_NOT_FOUND));

    users.unlink_identity(&user.id, "github", "idp-1").send().await.unwrap();
    assert!(app.get_identities().await.unwrap().is_empty());
    let nothing = users.unlink_identity(&user.id, "github", "idp-1").send().await.unwrap_err();
    assert_eq!(nothing.code(), Some(400));
}

#[tokio::test]
async fn the_user_unlinks_an_external_identity_provider() {
    let emulator = common::emulator().await;
    let app = authentication(&emulator);
    let user = app.register_by_username("ada", PASSWORD).force_login(true).send().await.unwrap();
    let mgmt = management(&emulator);
    let users = mgmt.users();
    users.link_identity(&user.id, "wx-1", "wechat", "idp-wx").send().await.unwrap();
    users.link_identity(&user.id, "gh-1", "github", "idp-gh").send().await.unwrap();

    app.unlink_ext_idp("idp-wx").await.unwrap();
    let left = app.get_identities().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].provider.as_deref(), Some("github"));
    let again = app.unlink_ext_idp("idp-wx").await.unwrap_err();
    assert_eq!(again.code(), Some(400));

    let anonymous = app.without_token().get_identities().await.unwrap_err();
    assert!(matches!(anonymous, AuthingError::NotLoggedIn));
    let refused = app.with_token("not-a-token").unlink_ext_idp("idp-gh").await.unwrap_err();
    assert_eq!(refused.code(), Some(codes::NOT_LOGGED_IN));
}

#[tokio::test]
async fn resigning_ends_the_users_tokens() {
    let emulator = common::emulator().await;
    let ada = authentication(&emulator);
    let grace = authentication(&emulator);
    let eve = authentication(&emulator);
    let ada_user = ada.register_by_username("ada", PASSWORD).force_login(true).send().await.unwrap();
    let grace_user = grace.register_by_username("grace", PASSWORD).force_login(true).send().await.unwrap();
    let eve_user = eve.register_by_username("eve", PASSWORD).force_login(true).send().await.unwrap();
    let mgmt = management(&emulator);
    let users = mgmt.users();

    users.resign_user(&ada_user.id).await.unwrap();
    let ended = ada.get_current_user().await.unwrap_err();
    assert_eq!(ended.code(), Some(codes::NOT_LOGGED_IN));
    let status = users.get(&ada_user.id).await.unwrap().unwrap().status;
    assert_eq!(status, Some(authing::models::UserStatus::Resigned));
    assert!(grace.get_current_user().await.is_ok(), "others keep their tokens");

    let unknown = users.resign_user_batch([grace_user.id.as_str(), "000000000000000000000000"]).await.unwrap_err();
    assert_eq!(unknown.code(), Some(codes::USER_NOT_FOUND));
    assert!(grace.get_current_user().await.is_ok(), "nobody was resigned");
    users.resign_user_batch([grace_user.id.as_str(), eve_user.id.as_str()]).await.unwrap();
    assert_eq!(grace.get_current_user().await.unwrap_err().code(), Some(codes::NOT_LOGGED_IN));
    assert_eq!(eve.get_current_user().await.unwrap_err().code(), Some(codes::NOT_LOGGED_IN));
    let empty = users.resign_user_batch(Vec::<String>::new()).await.unwrap_err();
    assert!(matches!(empty, AuthingError::Request { .. }));
    let unknown = users.resign_user("000000000000000000000000").await.unwrap_err();
    assert_eq!(unknown.code(), Some(codes::USER_NOT_FOUND));
}

#[tokio::test]
async fn logout_current_ends_the_token_of_this_device() {
    let emulator = common::emulator().await;
    let app = authentication(&emulator);
    app.register_by_username("ada", PASSWORD).force_login(true).send().await.unwrap();
    let token = app.token().unwrap();
    app.logout_current().await.unwrap();
    assert!(app.token().is_none());
    let old = app.with_token(token).get_current_user().await.unwrap_err();
    assert_eq!(old.code(), Some(codes::NOT_LOGGED_IN));
    let again = app.logout_current().await.unwrap_err();
    assert!(matches!(again, AuthingError::NotLoggedIn));
    let refused = app.with_token("not-a-token").logout_current().await.unwrap_err();
    assert_eq!(refused.code(), Some(codes::NOT_LOGGED_IN));
}

#[tokio::test]
async fn the_link_page_address_carries_the_connection_the_token_and_the_application() {
    let emulator = common::emulator().await;
    let app = authentication(&emulator);
    let user = app.register_by_email("ada@example.com", PASSWORD).force_login(true).send().await.unwrap();
    let token = user.token.unwrap();
    // The identifier is not checked: the page that opens does that.
    let url = app.generate_link_ext_idp_url("my github/conn", token.expose()).await.unwrap();
    assert_eq!(format!("{}://{}", url.scheme(), url.authority()), emulator.host());
    assert_eq!(url.path(), "/connections/social/my%20github%2Fconn");
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(query.contains(&("id_token".to_owned(), token.expose().to_owned())), "{query:?}");
    assert!(query.contains(&("app_id".to_owned(), emulator.app_id().to_owned())), "{query:?}");

    let blank = app.generate_link_ext_idp_url(" ", token.expose()).await.unwrap_err();
    assert_eq!(blank.code(), Some(400), "{blank:?}");
    let refused = app.with_token("not-a-token").generate_link_ext_idp_url("github", "x").await.unwrap_err();
    assert_eq!(refused.code(), Some(codes::NOT_LOGGED_IN), "{refused:?}");
    let logged_out = authentication(&emulator).generate_link_ext_idp_url("github", "x").await.unwrap_err();
    assert!(matches!(logged_out, AuthingError::NotLoggedIn), "{logged_out:?}");
}
