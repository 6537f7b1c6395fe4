//! `management.applications()` against the emulator: applications, secrets, active users, agreements, and the
//! permissions of each application's own namespace.

mod common;

use authing::models::{
    AgreementUpdate, ApplicationType, CreateUserInput, DefaultStrategy, PolicyAssignmentTargetType as Target,
    ResourceAction, ResourceType,
};
use authing::{AuthenticationClient, AuthingError, Options};
use authing_emulator::{Emulator, NewUser};
use futures::TryStreamExt as _;

fn refused<T: std::fmt::Debug>(result: Result<T, AuthingError>) -> i64 {
    match result {
        Err(AuthingError::Api(api)) => api.code,
        other => panic!("expected Authing's refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn create_find_list_and_delete() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let apps = management.applications();

    let first = apps.list().send().await.unwrap();
    assert_eq!(first.total_count, 1, "a pool starts with its default application");
    assert_eq!(first.items[0].id, emulator.app_id());
    assert_eq!(first.items[0].is_default, Some(true));

    let shop = apps.create("Shop", "shop", ["https://shop.example/cb"]).logo("https://shop.example/logo.png").send();
    let shop = shop.await.unwrap();
    assert_eq!((shop.name.as_deref(), shop.identifier.as_deref()), (Some("Shop"), Some("shop")));
    assert_eq!(shop.redirect_uris, ["https://shop.example/cb"]);
    assert_eq!(shop.logo.as_deref(), Some("https://shop.example/logo.png"));
    assert_eq!(shop.is_default, Some(false));
    assert!(shop.secret.as_ref().is_some_and(|s| !s.expose().is_empty()), "a new application has a secret");
    assert_eq!(shop.app_type, Some(ApplicationType::Individual));

    let found = apps.find_by_id(&shop.id).await.unwrap();
    assert_eq!(found.name.as_deref(), Some("Shop"));
    assert_eq!(found.secret.map(|s| s.expose().to_owned()), shop.secret.as_ref().map(|s| s.expose().to_owned()));
    let default_app = apps.find_by_id(emulator.app_id()).await.unwrap();
    assert_eq!(default_app.secret.map(|s| s.expose().to_owned()), Some(emulator.app_secret()));

    assert_eq!(refused(apps.create("Shop", "shop-2", ["https://x/cb"]).send().await), 2008, "name taken");
    assert_eq!(refused(apps.create("Shop 2", "shop", ["https://x/cb"]).send().await), 3829, "identifier taken");
    assert_eq!(refused(apps.create(" ", "blank", ["https://x/cb"]).send().await), 2007, "empty name");

    let page = apps.list().limit(1).send().await.unwrap();
    assert_eq!((page.total_count, page.items[0].id.as_str()), (2, shop.id.as_str()), "newest first");
    let all: Vec<String> = page.into_stream().map_ok(|a| a.id).try_collect().await.unwrap();
    assert_eq!(all, [shop.id.clone(), emulator.app_id().to_owned()], "the stream follows every page once");

    apps.create_resource(&shop.id, "orders", ResourceType::Data, []).send().await.unwrap();
    apps.create_role(&shop.id, "clerk").send().await.unwrap();
    apps.delete(&shop.id).await.unwrap();
    assert_eq!(refused(apps.find_by_id(&shop.id).await), 2011);
    assert_eq!(refused(apps.list_resources(&shop.id).send().await), 3003, "its namespace goes with it");
    assert!(apps.find_role(&shop.id, "clerk").await.unwrap().is_none(), "and the namespace's roles");
    assert_eq!(refused(apps.delete(&shop.id).await), 2011);
    assert_ne!(refused(apps.delete(emulator.app_id()).await), 200, "the default application stays");
    assert_eq!(apps.list().send().await.unwrap().total_count, 1);
}

#[tokio::test]
async fn a_refreshed_secret_replaces_the_old_one_at_the_token_endpoint() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let old = emulator.app_secret();
    let oidc = |secret: &str| {
        let options =
            Options::builder().host(emulator.host()).app_id(emulator.app_id()).app_secret(secret).build().unwrap();
        AuthenticationClient::new(&options).unwrap()
    };
    assert!(!oidc(&old).introspect_token("not-a-token").await.unwrap().active, "the old secret works before");

    let refreshed = management.applications().refresh_application_secret(emulator.app_id()).await.unwrap();
    let new = refreshed.secret.expect("the answer carries the new secret").expose().to_owned();
    assert_ne!(new, old);
    assert_eq!(new, emulator.app_secret());
    match oidc(&old).introspect_token("not-a-token").await {
        Err(AuthingError::OAuth(e)) => assert_eq!((e.error.as_str(), e.http_status), ("invalid_client", 401)),
        other => panic!("the old secret must be refused, got {other:?}"),
    }
    assert!(!oidc(&new).introspect_token("not-a-token").await.unwrap().active, "the new secret is accepted");

    let shop = management.applications().create("Shop", "shop", ["https://x/cb"]).send().await.unwrap();
    let again = management.applications().refresh_application_secret(&shop.id).await.unwrap();
    assert_ne!(again.secret.unwrap().expose(), shop.secret.unwrap().expose());
    assert_eq!(refused(management.applications().refresh_application_secret("ghost").await), 2011);
}

#[tokio::test]
async fn active_users_are_those_signed_in_to_the_application() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let apps = management.applications();
    assert_eq!(apps.active_users(emulator.app_id()).send().await.unwrap().total_count, 0);

    for name in ["ada", "bob", "cy"] {
        emulator.add_user(NewUser::new().username(name).password("Correct-Horse-1")).unwrap();
        common::authentication(&emulator).login_by_username(name, "Correct-Horse-1").send().await.unwrap();
    }
    let page = apps.active_users(emulator.app_id()).limit(2).send().await.unwrap();
    assert_eq!((page.total_count, page.items.len()), (3, 2));
    let mut names: Vec<String> =
        page.into_stream().map_ok(|u| u.username.unwrap_or_default()).try_collect().await.unwrap();
    names.sort();
    assert_eq!(names, ["ada", "bob", "cy"]);

    let shop = apps.create("Shop", "shop", ["https://x/cb"]).send().await.unwrap();
    assert_eq!(apps.active_users(&shop.id).send().await.unwrap().total_count, 0, "nobody signed in there");
    assert_eq!(refused(apps.active_users("ghost").send().await), 2011);
}

#[tokio::test]
async fn application_type_and_default_access_policy() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let apps = management.applications();
    let shop = apps.create("Shop", "shop", ["https://x/cb"]).send().await.unwrap();

    let changed = apps.change_application_type(&shop.id, ApplicationType::Tenant).await.unwrap();
    assert_eq!(changed.app_type, Some(ApplicationType::Tenant));
    assert_eq!(apps.find_by_id(&shop.id).await.unwrap().app_type, Some(ApplicationType::Tenant));
    assert_eq!(refused(apps.change_application_type("ghost", ApplicationType::Both).await), 2011);

    let strategy =
        |app: &authing::models::Application| app.permission_strategy.as_ref().and_then(|p| p.default_strategy.clone());
    assert_eq!(strategy(&shop), Some(DefaultStrategy::AllowAll), "ALLOW_ALL unless changed");
    let denied = apps.update_default_access_policy(&shop.id, DefaultStrategy::DenyAll).await.unwrap();
    assert_eq!(strategy(&denied), Some(DefaultStrategy::DenyAll));
    let default_app = apps.find_by_id(emulator.app_id()).await.unwrap();
    assert_eq!(strategy(&default_app), Some(DefaultStrategy::AllowAll), "each application has its own");
    let denied = apps.update_default_access_policy(emulator.app_id(), DefaultStrategy::DenyAll).await.unwrap();
    assert_eq!(strategy(&denied), Some(DefaultStrategy::DenyAll));
    assert_eq!(refused(apps.update_default_access_policy("ghost", DefaultStrategy::DenyAll).await), 2011);
}

#[tokio::test]
async fn agreements_are_created_listed_sorted_modified_and_deleted() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let apps = management.applications();
    let app = apps.create("Shop", "shop", ["https://x/cb"]).send().await.unwrap().id;

    let terms = apps.create_agreement(&app, "Terms").send().await.unwrap();
    assert_eq!((terms.required, terms.lang.as_deref()), (true, Some("zh-CN")), "the defaults");
    assert_eq!(terms.app_id.as_deref(), Some(app.as_str()));
    let privacy = apps.create_agreement(&app, "Privacy").required(false).lang("en-US").send().await.unwrap();
    assert_eq!((privacy.required, privacy.lang.as_deref()), (false, Some("en-US")));
    let cookies = apps.create_agreement(&app, "Cookies").send().await.unwrap();
    assert!(terms.id != privacy.id && privacy.id != cookies.id);

    let ids = |list: Vec<authing::models::Agreement>| list.into_iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(ids(apps.list_agreements(&app).await.unwrap()), [terms.id, privacy.id, cookies.id]);
    apps.sort_agreement(&app, [cookies.id, terms.id, privacy.id]).await.unwrap();
    assert_eq!(ids(apps.list_agreements(&app).await.unwrap()), [cookies.id, terms.id, privacy.id], "as sorted");

    let modified = apps.modify_agreement(&app, privacy.id, AgreementUpdate::default().title("Privacy v2")).await;
    let modified = modified.unwrap();
    assert_eq!((modified.id, modified.title.as_str()), (privacy.id, "Privacy v2"));
    assert_eq!((modified.required, modified.lang.as_deref()), (false, Some("en-US")), "the others stay");
    let modified = apps.modify_agreement(&app, privacy.id, AgreementUpdate::default().required(true)).await.unwrap();
    assert!(modified.required);

    apps.delete_agreement(&app, terms.id).await.unwrap();
    assert_eq!(ids(apps.list_agreements(&app).await.unwrap()), [cookies.id, privacy.id]);
    assert!(apps.list_agreements(emulator.app_id()).await.unwrap().is_empty(), "agreements belong to their app");

    assert_eq!(refused(apps.delete_agreement(&app, terms.id).await), 404, "unknown agreement");
    assert_eq!(refused(apps.modify_agreement(&app, 999, AgreementUpdate::default().title("x")).await), 404);
    assert_eq!(refused(apps.sort_agreement(&app, [999]).await), 404);
    assert_eq!(refused(apps.create_agreement("ghost", "Terms").send().await), 2011);
    assert_eq!(refused(apps.list_agreements("ghost").await), 2011);
}

#[tokio::test]
async fn resources_live_in_the_applications_namespace() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let apps = management.applications();
    let shop = apps.create("Shop", "shop", ["https://x/cb"]).send().await.unwrap().id;

    let actions = [ResourceAction::new("orders:read", "Read"), ResourceAction::new("orders:ship", "Ship")];
    let orders = apps.create_resource(&shop, "orders", ResourceType::Data, actions).send().await.unwrap();
    assert_eq!(orders.code, "orders");
    let acl_view = management.acl().get_resource_by_code(&shop, "orders").await.unwrap();
    assert_eq!(acl_view.map(|r| r.id), Some(orders.id.clone()), "the namespace's code is the app id");
    assert!(management.acl().get_resource_by_code("default", "orders").await.unwrap().is_none());
    let namespaces = management.acl().list_namespaces(1, 50).await.unwrap().items;
    let own = namespaces.iter().find(|n| n.code == shop).expect("the application's namespace");
    assert_eq!((own.app_id.as_deref(), own.app_name.as_deref()), (Some(shop.as_str()), Some("Shop")));

    let updated = apps
        .update_resource(&shop, "orders")
        .actions([ResourceAction::new("orders:read", "Read only")])
        .description("Orders")
        .send()
        .await
        .unwrap();
    assert_eq!((updated.id.as_str(), updated.actions.len()), (orders.id.as_str(), 1), "actions are replaced");

    let page = apps.list_resources(&shop).send().await.unwrap();
    assert_eq!(page.total_count, 1);
    assert_eq!(page.items[0].description.as_deref(), Some("Orders"));
    assert_eq!(apps.list_resources(emulator.app_id()).send().await.unwrap().total_count, 0, "each app its own");

    apps.delete_resource(&shop, "orders").await.unwrap();
    assert_eq!(apps.list_resources(&shop).send().await.unwrap().total_count, 0);
    assert_eq!(refused(apps.list_resources("ghost").send().await), 3003, "no namespace for an unknown app");
}

#[tokio::test]
async fn roles_live_in_the_applications_namespace() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let apps = management.applications();
    let shop = apps.create("Shop", "shop", ["https://x/cb"]).send().await.unwrap().id;
    let ada = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();

    let editor = apps.create_role(&shop, "editor").description("Edits").send().await.unwrap();
    assert_eq!((editor.namespace.as_str(), editor.description.as_deref()), (shop.as_str(), Some("Edits")));
    assert!(management.roles().detail("editor").await.unwrap().is_none(), "not in `default`");
    assert_eq!(apps.roles(&shop).detail("editor").await.unwrap().map(|r| r.id), Some(editor.id.clone()));

    apps.add_users_to_role(&shop, "editor", [ada.id.as_str()]).await.unwrap();
    let members = apps.get_users_by_role_code(&shop, "editor").send().await.unwrap();
    assert_eq!(members.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [ada.id.as_str()]);
    apps.remove_users_from_role(&shop, "editor", [ada.id.as_str()]).await.unwrap();
    assert_eq!(apps.get_users_by_role_code(&shop, "editor").send().await.unwrap().total_count, 0);

    let actions = [ResourceAction::new("orders:read", "Read")];
    apps.create_resource(&shop, "orders", ResourceType::Data, actions).send().await.unwrap();
    management
        .acl()
        .authorize_resource(
            &shop,
            "orders",
            [authing::models::GrantTarget::new(Target::Role, "editor").actions(["orders:read"])],
        )
        .await
        .unwrap();
    let granted = apps.list_authorized_resources_by_role(&shop, "editor").send().await.unwrap().unwrap();
    assert_eq!(granted.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["orders"]);

    let renamed = apps.update_role(&shop, "editor").new_code("reviewer").send().await.unwrap();
    assert_eq!(renamed.code, "reviewer");
    assert!(apps.find_role(&shop, "editor").await.unwrap().is_none(), "renamed");
    assert_eq!(apps.find_role(&shop, "reviewer").await.unwrap().map(|r| r.id), Some(editor.id));

    apps.create_role(&shop, "author").send().await.unwrap();
    apps.create_role(&shop, "guest").send().await.unwrap();
    let listed = apps.get_roles(&shop).send().await.unwrap();
    assert_eq!(listed.items.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["guest", "author", "reviewer"]);
    assert_eq!(apps.delete_role(&shop, "guest").await.unwrap().code, Some(200));
    assert_eq!(apps.delete_roles(&shop, ["author", "reviewer"]).await.unwrap().code, Some(200));
    assert_eq!(apps.delete_roles(&shop, Vec::<String>::new()).await.unwrap().code, Some(200), "empty list");
    assert_eq!(apps.get_roles(&shop).send().await.unwrap().total_count, 0);
}

#[tokio::test]
async fn access_policies_of_an_application() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let apps = management.applications();
    let shop = apps.create("Shop", "shop", ["https://x/cb"]).send().await.unwrap().id;
    apps.create_role(&shop, "staff").send().await.unwrap();
    let ada = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();

    apps.allow_access(&shop, Target::Role, ["staff"]).send().await.unwrap();
    apps.deny_access(&shop, Target::User, [ada.id.as_str()]).send().await.unwrap();
    let records = apps.get_access_policies(&shop, 1, 10).await.unwrap();
    assert_eq!(records.total_count, 2);
    let staff = records.items.iter().find(|r| r.target_identifier == "staff").expect("the role's record");
    assert!(staff.enabled);

    apps.disable_access_policy(&shop, Target::Role, ["staff"]).send().await.unwrap();
    let records = apps.get_access_policies(&shop, 1, 10).await.unwrap();
    assert!(!records.items.iter().find(|r| r.target_identifier == "staff").unwrap().enabled);
    apps.enable_access_policy(&shop, Target::Role, ["staff"]).send().await.unwrap();
    let records = apps.get_access_policies(&shop, 1, 10).await.unwrap();
    assert!(records.items.iter().find(|r| r.target_identifier == "staff").unwrap().enabled);

    apps.delete_access_policy(&shop, Target::Role, ["staff"]).send().await.unwrap();
    let records = apps.get_access_policies(&shop, 1, 10).await.unwrap();
    assert_eq!(records.items.iter().map(|r| r.target_identifier.as_str()).collect::<Vec<_>>(), [ada.id.as_str()]);
    assert_eq!(apps.get_access_policies(emulator.app_id(), 1, 10).await.unwrap().total_count, 0, "per app");

    assert_ne!(refused(apps.allow_access(&shop, Target::Role, ["ghost"]).send().await), 200, "unknown role");
    assert_eq!(refused(apps.allow_access("ghost", Target::User, [ada.id.as_str()]).send().await), 2011);
    assert_eq!(refused(apps.get_access_policies("ghost", 1, 10).await), 2011);
}

#[tokio::test]
async fn applications_and_agreements_survive_export_and_import() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let apps = management.applications();
    let shop = apps.create("Shop", "shop", ["https://x/cb"]).send().await.unwrap();
    let terms = apps.create_agreement(&shop.id, "Terms").send().await.unwrap();
    apps.create_agreement(emulator.app_id(), "Default terms").required(false).send().await.unwrap();
    apps.change_application_type(emulator.app_id(), ApplicationType::Both).await.unwrap();
    let doc = emulator.export();

    let copy = Emulator::builder().import(doc).start().await.unwrap();
    let copied = common::management(&copy);
    let found = copied.applications().find_by_id(&shop.id).await.unwrap();
    assert_eq!(found.name.as_deref(), Some("Shop"));
    assert_eq!(found.secret.map(|s| s.expose().to_owned()), shop.secret.map(|s| s.expose().to_owned()));
    let agreements = copied.applications().list_agreements(&shop.id).await.unwrap();
    assert_eq!(agreements.iter().map(|a| (a.id, a.title.as_str())).collect::<Vec<_>>(), [(terms.id, "Terms")]);
    let default_terms = copied.applications().list_agreements(copy.app_id()).await.unwrap();
    assert_eq!((default_terms[0].title.as_str(), default_terms[0].required), ("Default terms", false));
    let default_app = copied.applications().find_by_id(copy.app_id()).await.unwrap();
    assert_eq!(default_app.app_type, Some(ApplicationType::Both));
    let next = copied.applications().create_agreement(&shop.id, "More").send().await.unwrap();
    assert!(next.id > terms.id, "ids continue after the imported ones");
    copied.applications().create_resource(&shop.id, "orders", ResourceType::Data, []).send().await.unwrap();
}

/// Signs ada in through the emulator's form with the authorize URL's parameters; returns the redirect's code.
async fn sign_in(emulator: &Emulator, request: &authing::authentication::AuthorizeRequest, redirect: &str) -> String {
    let browser =
        authing::reqwest::Client::builder().redirect(authing::reqwest::redirect::Policy::none()).build().unwrap();
    let mut form: Vec<(String, String)> =
        request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    form.push(("username".into(), "ada".into()));
    form.push(("password".into(), "Correct-Horse-1".into()));
    let response = browser.post(format!("{}/oidc/auth", emulator.host())).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 302, "{response:?}");
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(redirect), "{location}");
    location.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned()).expect("a code")
}

#[tokio::test]
async fn a_created_application_signs_users_in_with_its_own_secret() {
    const REDIRECT: &str = "http://localhost:9/shop/callback";
    let emulator = common::emulator().await;
    emulator.add_user(NewUser::new().username("ada").password("Correct-Horse-1")).unwrap();
    let management = common::management(&emulator);
    let apps = management.applications();
    let shop = apps.create("Shop", "shop", [REDIRECT]).send().await.unwrap();
    let client = |secret: &str| {
        let options = Options::builder()
            .host(emulator.host())
            .app_id(&shop.id)
            .app_secret(secret)
            .redirect_uri(REDIRECT)
            .token_endpoint_auth_method(authing::TokenEndpointAuthMethod::ClientSecretPost)
            .build()
            .unwrap();
        AuthenticationClient::new(&options).unwrap()
    };
    let secret = shop.secret.as_ref().unwrap().expose().to_owned();

    let app = client(&secret);
    let request = app.build_authorize_url().scope("openid profile").build().unwrap();
    let code = sign_in(&emulator, &request, REDIRECT).await;
    let verifier = request.code_verifier.as_ref().map(|v| v.expose().to_owned());
    let tokens = app.get_access_token_by_code(&code, verifier.as_deref()).await.unwrap();
    assert!(tokens.id_token.is_some());
    assert!(app.introspect_token(tokens.access_token.expose()).await.unwrap().active);

    // The default application's secret does not authenticate the shop, and a rotated secret replaces the old one.
    match client(&emulator.app_secret()).introspect_token("not-a-token").await {
        Err(AuthingError::OAuth(e)) => assert_eq!(e.error, "invalid_client"),
        other => panic!("another application's secret must be refused, got {other:?}"),
    }
    let rotated = apps.refresh_application_secret(&shop.id).await.unwrap().secret.unwrap().expose().to_owned();
    match client(&secret).introspect_token("not-a-token").await {
        Err(AuthingError::OAuth(e)) => assert_eq!(e.error, "invalid_client"),
        other => panic!("the old secret must be refused, got {other:?}"),
    }
    assert!(!client(&rotated).introspect_token("not-a-token").await.unwrap().active);

    // A login through the shop (its app id in the header) makes ada one of its active users.
    let options = Options::builder().host(emulator.host()).app_id(&shop.id).build().unwrap();
    AuthenticationClient::new(&options).unwrap().login_by_username("ada", "Correct-Horse-1").send().await.unwrap();
    let active = apps.active_users(&shop.id).send().await.unwrap();
    assert_eq!(active.items.iter().filter_map(|u| u.username.as_deref()).collect::<Vec<_>>(), ["ada"]);
}

#[tokio::test]
async fn hs256_login_tokens_are_signed_with_the_secret_of_the_application_logged_in_to() {
    use authing::oidc::{TokenRejection, TokenVerifier};
    use authing_emulator::IdTokenAlgorithm;

    let emulator = Emulator::builder().id_token_algorithm(IdTokenAlgorithm::Hs256).start().await.unwrap();
    emulator.add_user(NewUser::new().username("ada").password("Correct-Horse-1")).unwrap();
    let management = common::management(&emulator);
    let apps = management.applications();
    let shop = apps.create("Shop", "shop", ["https://x/cb"]).send().await.unwrap();
    let shop_secret = shop.secret.as_ref().unwrap().expose().to_owned();
    let options = Options::builder().host(emulator.host()).app_id(&shop.id).build().unwrap();
    let app = AuthenticationClient::new(&options).unwrap();
    let token = app.login_by_username("ada", "Correct-Horse-1").send().await.unwrap().token.unwrap();

    let verifier = |app_id: &str, secret: &str| {
        let options = Options::builder().app_host(emulator.host()).app_id(app_id).app_secret(secret).build().unwrap();
        TokenVerifier::new(&options).unwrap()
    };
    let claims = verifier(&shop.id, &shop_secret).verify_id_token(token.expose(), None).await.unwrap();
    assert_eq!(claims.aud, vec![shop.id.clone()]);
    match verifier(&shop.id, &emulator.app_secret()).verify_id_token(token.expose(), None).await {
        Err(AuthingError::InvalidToken { reason }) => assert_eq!(reason, TokenRejection::Signature),
        other => panic!("the default application's secret must not verify the shop's token, got {other:?}"),
    }
    // The emulator takes the token as the user's, until the shop's secret is refreshed.
    assert_eq!(app.get_current_user().await.unwrap().username.as_deref(), Some("ada"));
    apps.refresh_application_secret(&shop.id).await.unwrap();
    let refused = app.get_current_user().await.unwrap_err();
    assert_eq!(refused.code(), Some(authing::codes::NOT_LOGGED_IN), "{refused:?}");
}
