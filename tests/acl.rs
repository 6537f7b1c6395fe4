//! `management.acl()` and the ACL methods of `management.users()` against the emulator: a real authorization
//! engine, checked table by table.

mod common;

use authing::management::AllowTarget;
use authing::models::{
    CreateUserInput, DefaultStrategy, GrantResource, GrantResources, GrantTarget, Operator,
    PolicyAssignmentTargetType as Target, ResourceAction, ResourceType,
};
use authing::{AuthingError, ManagementClient};

const NS: &str = "library";

/// A namespace with a `books` resource (read, edit, delete) and a user; returns the user id.
async fn library(management: &ManagementClient) -> String {
    let acl = management.acl();
    acl.create_namespace(NS, "Library").description("Books").send().await.unwrap();
    let actions = [
        ResourceAction::new("books:read", "Read"),
        ResourceAction::new("books:edit", "Edit"),
        ResourceAction::new("books:delete", "Delete"),
    ];
    acl.create_resource(NS, "books", ResourceType::Data, actions).send().await.unwrap();
    management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap().id
}

async fn allowed(management: &ManagementClient, user: &str, resource: &str, action: &str) -> bool {
    management.acl().is_allowed(user, resource, action).namespace(NS).send().await.unwrap()
}

fn refused<T: std::fmt::Debug>(result: Result<T, AuthingError>) -> i64 {
    match result {
        Err(AuthingError::Api(api)) => api.code,
        other => panic!("expected Authing's refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn wildcards_on_resources_and_actions() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = library(&management).await;
    let acl = management.acl();
    acl.allow("books:*", "books:read", AllowTarget::User(&ada)).namespace(NS).send().await.unwrap();
    acl.allow("books:7", "books:*", AllowTarget::User(&ada)).namespace(NS).send().await.unwrap();

    let table = [
        ("books:1", "books:read", true),
        ("books:123", "books:read", true),
        ("books:1", "read", true),
        ("books:1", "books:edit", false),
        ("books:7", "books:edit", true),
        ("books:7", "edit", true),
        ("books:7", "books:delete", true),
        ("songs:1", "books:read", false),
    ];
    for (resource, action, expected) in table {
        assert_eq!(allowed(&management, &ada, resource, action).await, expected, "{resource} {action}");
    }
}

#[tokio::test]
async fn grants_are_inherited_from_roles_and_groups() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = library(&management).await;
    management.roles().namespace(NS).create("editor").send().await.unwrap();
    management.roles().namespace(NS).add_users("editor", [ada.as_str()]).await.unwrap();
    management.groups().create("club", "Book club").send().await.unwrap();
    management.groups().add_users("club", [ada.as_str()]).await.unwrap();
    let acl = management.acl();

    assert!(!allowed(&management, &ada, "books:1", "books:edit").await);
    acl.allow("books:*", "books:edit", AllowTarget::Role("editor")).namespace(NS).send().await.unwrap();
    assert!(allowed(&management, &ada, "books:1", "books:edit").await, "through the role");
    acl.authorize_resource(NS, "books:9", [GrantTarget::new(Target::Group, "club").actions(["books:delete"])])
        .await
        .unwrap();
    assert!(allowed(&management, &ada, "books:9", "books:delete").await, "through the group");
    assert!(!allowed(&management, &ada, "books:8", "books:delete").await);

    management.roles().namespace(NS).remove_users("editor", [ada.as_str()]).await.unwrap();
    assert!(!allowed(&management, &ada, "books:1", "books:edit").await, "no longer a member");
}

#[tokio::test]
async fn type_and_instance_revoke() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = library(&management).await;
    let acl = management.acl();
    let user = || GrantTarget::new(Target::User, ada.clone());
    acl.authorize_resource(NS, "books:1", [user().actions(["books:read"])]).await.unwrap();
    acl.authorize_resource(NS, "books:2", [user().actions(["books:read"])]).await.unwrap();
    acl.authorize_resource(NS, "books:*", [user().actions(["books:edit"])]).await.unwrap();

    acl.revoke_resource(NS, "books:1", [user()]).await.unwrap();
    assert!(!allowed(&management, &ada, "books:1", "books:read").await);
    assert!(allowed(&management, &ada, "books:2", "books:read").await, "another instance stays");
    assert!(allowed(&management, &ada, "books:1", "books:edit").await, "revoking an instance leaves the type grant");

    acl.revoke_resource(NS, "books", [user()]).await.unwrap();
    assert!(!allowed(&management, &ada, "books:2", "books:read").await, "revoking the type removes instances");
    let left = acl.list_authorized_resources(NS, Target::User, &ada).send().await.unwrap();
    assert!(left.iter().all(|r| !r.code.starts_with("books:") || r.code == "books:*"), "{left:?}");
}

#[tokio::test]
async fn user_permission_checks_keep_request_and_grant_order() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = library(&management).await;
    let acl = management.acl();
    acl.authorize_resource(NS, "books:3", [GrantTarget::new(Target::User, &ada).actions(["books:read"])])
        .await
        .unwrap();
    acl.authorize_resource(NS, "books:1", [GrantTarget::new(Target::User, &ada).actions(["books:edit"])])
        .await
        .unwrap();

    let permitted =
        management.users().check_resource_permission_batch(&ada, NS, ["books:1", "books:2", "books:3"]).await.unwrap();
    assert_eq!(permitted.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["books:1", "books:3"]);
    assert_eq!(permitted[0].actions, ["books:edit"]);

    let of_kind = management.users().list_authorized_resources_of_resource_kind(&ada, NS, "books").await.unwrap();
    assert_eq!(of_kind.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["books:3", "books:1"], "grant order");

    acl.allow("books:*", "books:read", AllowTarget::User(&ada)).namespace(NS).send().await.unwrap();
    let by_wildcard = management.users().check_resource_permission_batch(&ada, NS, ["books:42"]).await.unwrap();
    assert_eq!(by_wildcard.len(), 1, "a type wildcard answers an instance query");

    let granted = management.users().list_authorized_resources(&ada, NS).send().await.unwrap().unwrap();
    assert!(granted.iter().any(|r| r.code == "books:3"));
    let as_data = management.users().list_authorized_resources(&ada, NS).resource_type(ResourceType::Data).send().await;
    assert!(!as_data.unwrap().unwrap().is_empty());
    assert!(
        management.users().list_authorized_resources("000000000000000000000000", NS).send().await.unwrap().is_none()
    );
}

#[tokio::test]
async fn namespaces_have_numeric_ids() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let acl = management.acl();
    let created = acl.create_namespace("shop", "Shop").description("Things to sell").send().await.unwrap();
    assert_eq!((created.code.as_str(), created.name.as_str()), ("shop", "Shop"));
    assert!(created.id > 0);
    let updated = acl.update_namespace(created.id).name("Web shop").description("Online").send().await.unwrap();
    assert_eq!((updated.id, updated.name.as_str()), (created.id, "Web shop"));
    let page = acl.list_namespaces(1, 50).await.unwrap();
    assert!(page.items.iter().any(|n| n.id == created.id && n.name == "Web shop"));
    assert!(page.total_count >= 1);

    assert_eq!(refused(acl.update_namespace(0).name("x").send().await), 3005);
    acl.delete_namespace(created.id).await.unwrap();
    assert_eq!(refused(acl.delete_namespace(created.id).await), 3003);
    assert_ne!(
        refused(
            acl.create_namespace("shop", "Again").send().await.and(acl.create_namespace("shop", "Again").send().await)
        ),
        200
    );
}

#[tokio::test]
async fn resources_are_created_updated_listed_found_and_deleted() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    library(&management).await;
    let acl = management.acl();
    let api = acl
        .create_resource(NS, "loans", ResourceType::Api, [ResourceAction::new("loans:create", "Lend")])
        .description("Loans API")
        .api_identifier("https://library.example.com/loans")
        .send()
        .await
        .unwrap();
    assert_eq!((api.code.as_str(), api.kind.clone()), ("loans", Some(ResourceType::Api)));
    assert_eq!(api.actions, [ResourceAction::new("loans:create", "Lend")]);

    let updated = acl
        .update_resource(NS, "loans")
        .actions([ResourceAction::new("loans:create", "Lend"), ResourceAction::new("loans:close", "Return")])
        .send()
        .await
        .unwrap();
    assert_eq!(updated.actions.len(), 2);

    let all = acl.list_resources(NS).limit(50).send().await.unwrap();
    assert_eq!(all.total_count, 2);
    let apis = acl.list_resources(NS).resource_type(ResourceType::Api).send().await.unwrap();
    assert_eq!(apis.items.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["loans"]);

    assert_eq!(acl.get_resource_by_id(&api.id).await.unwrap().map(|r| r.code), Some("loans".to_owned()));
    assert_eq!(acl.get_resource_by_code(NS, "loans").await.unwrap().map(|r| r.id), Some(api.id.clone()));
    acl.delete_resource(NS, "loans").await.unwrap();
    assert!(acl.get_resource_by_id(&api.id).await.unwrap().is_none());
    assert!(acl.get_resource_by_code(NS, "loans").await.unwrap().is_none());
}

#[tokio::test]
async fn authorized_targets_and_batches() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = library(&management).await;
    management.roles().namespace(NS).create("editor").send().await.unwrap();
    let acl = management.acl();
    acl.authorize_resource(
        NS,
        "books:1",
        [
            GrantTarget::new(Target::User, &ada).actions(["books:read"]),
            GrantTarget::new(Target::Role, "editor").actions(["books:read", "books:edit"]),
        ],
    )
    .await
    .unwrap();

    let any = acl.get_authorized_targets(NS, ResourceType::Data, "books:1").send().await.unwrap();
    assert_eq!(any.len(), 2);
    let editors = acl
        .get_authorized_targets(NS, ResourceType::Data, "books:1")
        .actions(Operator::And, ["books:read", "books:edit"])
        .send()
        .await
        .unwrap();
    assert_eq!(editors.iter().map(|t| t.target_identifier.as_deref()).collect::<Vec<_>>(), [Some("editor")]);
    let users_only =
        acl.get_authorized_targets(NS, ResourceType::Data, "books:1").target_type(Target::User).send().await.unwrap();
    assert_eq!(users_only.len(), 1);

    let each = acl
        .list_authorized_resources_batch(NS, [(Target::Role, "editor"), (Target::User, ada.as_str())])
        .await
        .unwrap();
    assert_eq!(each.len(), 2);
    assert_eq!(each[0][0].actions.len(), 2);
    assert_eq!(each[1][0].code, "books:1");

    let grant = GrantResources::new(Target::Role, ["editor"])
        .resource(GrantResource::new("books:2", ["books:delete"]).resource_type(ResourceType::Data));
    acl.authorize_resources(NS, [grant.clone()]).await.unwrap();
    assert!(
        acl.list_authorized_resources(NS, Target::Role, "editor")
            .send()
            .await
            .unwrap()
            .iter()
            .any(|r| r.code == "books:2")
    );
    acl.revoke_resources(NS, [grant]).await.unwrap();
    assert!(
        !acl.list_authorized_resources(NS, Target::Role, "editor")
            .send()
            .await
            .unwrap()
            .iter()
            .any(|r| r.code == "books:2")
    );
}

#[tokio::test]
async fn programmatic_access_accounts() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let acl = management.acl();
    let app = emulator.app_id();
    let account = acl.create_programmatic_access_account(app).remarks("CI").token_lifetime(3600).send().await.unwrap();
    assert!(account.enabled);
    assert_eq!((account.remarks.as_deref(), account.token_lifetime), (Some("CI"), Some(3600)));
    let secret = account.secret.clone().unwrap();
    assert!(!format!("{account:?}").contains(secret.expose()), "the secret is redacted");

    acl.disable_programmatic_access_account(&account.id).await.unwrap();
    let listed = acl.list_programmatic_access_accounts(app, 1, 10).await.unwrap();
    assert_eq!(listed.total_count, 1);
    assert!(!listed.items[0].enabled);
    acl.enable_programmatic_access_account(&account.id).await.unwrap();

    let chosen =
        acl.refresh_programmatic_access_account_secret(&account.id, Some("my-own-secret-0123456789")).await.unwrap();
    assert_eq!(chosen.secret.map(|s| s.expose().to_owned()).as_deref(), Some("my-own-secret-0123456789"));
    let random = acl.refresh_programmatic_access_account_secret(&account.id, None).await.unwrap();
    assert_eq!(random.secret.map(|s| s.expose().len()), Some(32));

    acl.delete_programmatic_access_account(&account.id).await.unwrap();
    assert_eq!(acl.list_programmatic_access_accounts(app, 1, 10).await.unwrap().total_count, 0);
    assert!(matches!(acl.create_programmatic_access_account("unknown-app").send().await, Err(AuthingError::Api(_))));
}

#[tokio::test]
async fn application_access_policies() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    management.roles().create("staff").send().await.unwrap();
    let ada = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();
    let (acl, app) = (management.acl(), emulator.app_id());

    acl.update_default_application_access_policy(app, DefaultStrategy::DenyAll).await.unwrap();
    acl.allow_access_application(app, Target::Role, ["staff"]).send().await.unwrap();
    acl.deny_access_application(app, Target::User, [ada.id.as_str()]).send().await.unwrap();
    let records = acl.get_application_access_policies(app, 1, 10).await.unwrap();
    assert_eq!(records.total_count, 2);
    assert!(records.items.iter().any(|r| r.target_identifier == "staff" && r.enabled));

    acl.disable_application_access_policies(app, Target::Role, ["staff"]).send().await.unwrap();
    let records = acl.get_application_access_policies(app, 1, 10).await.unwrap();
    assert!(records.items.iter().any(|r| r.target_identifier == "staff" && !r.enabled));
    acl.enable_application_access_policies(app, Target::Role, ["staff"]).send().await.unwrap();

    acl.delete_application_access_policies(app, Target::User, [ada.id.as_str()]).send().await.unwrap();
    let records = acl.get_application_access_policies(app, 1, 10).await.unwrap();
    assert_eq!(records.items.iter().map(|r| r.target_identifier.as_str()).collect::<Vec<_>>(), ["staff"]);
    acl.update_default_application_access_policy(app, DefaultStrategy::AllowAll).await.unwrap();
}

/// A seeded generator, so a failing case can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

#[tokio::test]
async fn is_allowed_agrees_with_the_authorized_resources_for_random_grants() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let ada = library(&management).await;
    let acl = management.acl();
    let resources = ["books:1", "books:2", "books:3", "books:*"];
    let actions = ["books:read", "books:edit", "books:delete", "books:*"];
    let mut rng = XorShift(0x5eed_2026);
    for _ in 0..12 {
        let (resource, action) = (resources[rng.next(resources.len())], actions[rng.next(actions.len())]);
        acl.allow(resource, action, AllowTarget::User(&ada)).namespace(NS).send().await.unwrap();
    }
    let granted = acl.list_authorized_resources(NS, Target::User, &ada).send().await.unwrap();
    let covers = |pattern: &str, value: &str| {
        pattern == value || pattern.strip_suffix('*').is_some_and(|p| value.starts_with(p))
    };
    for resource in ["books:1", "books:2", "books:3", "books:4"] {
        for action in ["books:read", "books:edit", "books:delete"] {
            let expected =
                granted.iter().any(|g| covers(&g.code, resource) && g.actions.iter().any(|a| covers(a, action)));
            assert_eq!(
                allowed(&management, &ada, resource, action).await,
                expected,
                "{resource} {action} with {granted:?}"
            );
        }
    }
}
