//! The integrity of user records: blocking ends sessions, end users cannot set administrator fields, concurrent
//! writes are not lost, usernames follow one trimming rule, and mass deletion stays cheap.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use authing_emulator::{Emulator, NewUser};
use common::*;
use serde_json::{Value, json};

const UPDATE_USER: &str = "mutation updateUser($id: String, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id nickname blocked loginsCount lastIP tokenExpiredAt externalId } }";
const USER: &str = "query user($id: String) { user(id: $id) { id username nickname blocked email phone loginsCount lastIP tokenExpiredAt externalId } }";
const LOGIN_BY_USERNAME: &str =
    "mutation loginByUsername($input: LoginByUsernameInput!) { loginByUsername(input: $input) { id username token } }";
const DELETE_USERS: &str = "mutation deleteUsers($ids: [String!]!) { deleteUsers(ids: $ids) { code } }";

fn enc(emu: &Emulator, password: &str) -> String {
    authing_emulator::crypto::encrypt_password(emu.public_key_pem(), password).unwrap()
}

async fn login(emu: &Emulator, username: &str, password: &str) -> Value {
    let input = json!({ "username": username, "password": enc(emu, password) });
    gql(emu, LOGIN_BY_USERNAME, json!({ "input": input }), None).await
}

async fn user(emu: &Emulator, mt: &str, id: &str) -> Value {
    mgmt_ok(emu, mt, USER, json!({ "id": id }), "user").await
}

#[tokio::test]
async fn blocking_a_user_ends_its_sessions_at_once() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let id = emu.add_user(NewUser::new().username("ada").password("Passw0rd!")).unwrap();
    let logged_in = login(&emu, "ada", "Passw0rd!").await;
    let login_token = logged_in["data"]["loginByUsername"]["token"].as_str().unwrap().to_owned();
    let refreshed = user_token(&emu, &mt, &id).await;
    for token in [&login_token, &refreshed] {
        let me = gql(&emu, USER, json!({}), Some(token)).await;
        assert_eq!(me["data"]["user"]["id"], id.as_str(), "{me}");
    }

    mgmt_ok(&emu, &mt, UPDATE_USER, json!({ "id": id, "input": { "blocked": true } }), "updateUser").await;
    for token in [&login_token, &refreshed] {
        assert_eq!(token_status(&emu, token).await["status"], false);
        let me = gql(&emu, USER, json!({}), Some(token)).await;
        assert_error(&me, 2020);
        // Not even to unblock itself.
        let unblock = gql(&emu, UPDATE_USER, json!({ "id": id, "input": { "blocked": false } }), Some(token)).await;
        assert_error(&unblock, 2020);
        let (_, me) = rest_get(&emu, "/api/v2/users/me", Some(token)).await;
        assert_eq!(me["code"], 2020, "{me}");
    }
    assert_error(&login(&emu, "ada", "Passw0rd!").await, 2005);
    // A token the administrator signs for a blocked user is refused too.
    let signed_while_blocked = user_token(&emu, &mt, &id).await;
    assert_eq!(token_status(&emu, &signed_while_blocked).await["status"], false);

    // Unblocked, the user logs in again; the tokens of before stay dead.
    mgmt_ok(&emu, &mt, UPDATE_USER, json!({ "id": id, "input": { "blocked": false } }), "updateUser").await;
    assert_eq!(token_status(&emu, &login_token).await["status"], false);
    let again = login(&emu, "ada", "Passw0rd!").await;
    let token = again["data"]["loginByUsername"]["token"].as_str().unwrap().to_owned();
    assert_eq!(token_status(&emu, &token).await["status"], true);

    // Deleting the user ends its sessions too.
    mgmt_ok(&emu, &mt, DELETE_USERS, json!({ "ids": [id] }), "deleteUsers").await;
    assert_eq!(token_status(&emu, &token).await["status"], false);
}

#[tokio::test]
async fn end_users_cannot_set_what_only_an_administrator_sets() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let id = emu.add_user(NewUser::new().username("ada").password("Passw0rd!")).unwrap();
    let token = user_token(&emu, &mt, &id).await;
    let before = user(&emu, &mt, &id).await;
    for input in [
        json!({ "blocked": false }),
        json!({ "blocked": true }),
        json!({ "loginsCount": 1000 }),
        json!({ "lastLogin": "2020-01-01T00:00:00.000Z" }),
        json!({ "lastIP": "10.0.0.1" }),
        json!({ "tokenExpiredAt": "2099-01-01T00:00:00.000Z" }),
        json!({ "externalId": "taken-over" }),
        json!({ "nickname": "fine", "loginsCount": 1 }),
    ] {
        let refused = gql(&emu, UPDATE_USER, json!({ "id": id, "input": input }), Some(&token)).await;
        assert_error(&refused, 1001);
    }
    assert_eq!(user(&emu, &mt, &id).await, before, "nothing changed");
    // What an end user may change goes through; the administrator may set the rest.
    let me = gql(&emu, UPDATE_USER, json!({ "id": id, "input": { "nickname": "Countess" } }), Some(&token)).await;
    assert_eq!(me["data"]["updateUser"]["nickname"], "Countess", "{me}");
    let input = json!({ "loginsCount": 7, "lastIP": "10.0.0.1", "externalId": "ext-1" });
    let by_admin = mgmt_ok(&emu, &mt, UPDATE_USER, json!({ "id": id, "input": input }), "updateUser").await;
    assert_eq!((by_admin["loginsCount"].clone(), by_admin["externalId"].clone()), (json!(7), json!("ext-1")));
}

/// Runs `op` (an end user's write) while an administrator keeps renaming the user and reading the name back: no
/// one else changes the nickname, so every read, and the last one after `op`, must show the administrator's latest
/// name. A write that stored a copy of the user read before a rename shows an older one.
async fn assert_admin_change_survives(emu: &Emulator, mt: &str, id: &str, what: &str, op: impl Future<Output = Value>) {
    let done = Arc::new(AtomicBool::new(false));
    let admin = {
        let (host, mt, id, done) = (emu.host().to_owned(), mt.to_owned(), id.to_owned(), done.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            let post = |query: &'static str, variables: Value| {
                let request = client.post(format!("{host}/graphql/v2")).bearer_auth(&mt);
                async move {
                    let res: Value = request
                        .json(&json!({ "query": query, "variables": variables }))
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    assert!(res.get("errors").is_none(), "{res}");
                    res
                }
            };
            let mut written = 0;
            for i in 0.. {
                let stop = done.load(Ordering::SeqCst);
                // The first rename is always written: `op` may finish before this task first runs.
                if !stop || i == 0 {
                    post(UPDATE_USER, json!({ "id": id, "input": { "nickname": format!("admin-{i}") } })).await;
                    written = i;
                }
                let seen = post(USER, json!({ "id": id })).await;
                let expected = format!("admin-{written}");
                if seen["data"]["user"]["nickname"] != expected.as_str() {
                    return Err(format!("after {expected}: {seen}"));
                }
                if stop {
                    return Ok(written);
                }
            }
            unreachable!()
        })
    };
    tokio::time::sleep(Duration::from_millis(5)).await;
    let result = op.await;
    assert!(result.get("errors").is_none(), "{what}: {result}");
    done.store(true, Ordering::SeqCst);
    if let Err(lost) = admin.await.unwrap() {
        panic!("{what} undid the administrator's change: {lost}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_user_writes_never_undo_an_administrators_change() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let id = emu.add_user(NewUser::new().username("ada").password("Passw0rd!")).unwrap();
    let token = user_token(&emu, &mt, &id).await;
    let sms = |phone: &'static str| {
        let emu = &emu;
        async move {
            let body =
                rest(emu, reqwest::Method::POST, "/api/v2/sms/send", None, Some(json!({ "phone": phone }))).await;
            assert_eq!(body["code"], 200, "{body}");
            emu.verification_code(phone).unwrap()
        }
    };
    let email_code = |email: &'static str| {
        let emu = &emu;
        async move {
            let doc = "mutation sendEmail($email: String!, $scene: EmailScene!) { sendEmail(email: $email, scene: $scene) { code } }";
            gql(emu, doc, json!({ "email": email, "scene": "VERIFY_CODE" }), None).await;
            emu.verification_code(email).unwrap()
        }
    };
    let run = |query: &'static str, variables: Value| gql(&emu, query, variables, Some(&token));
    for round in 0..3 {
        let (old, new) = (format!("Passw0rd!{round}"), format!("Passw0rd!{}", round + 1));
        let old = if round == 0 { "Passw0rd!".to_owned() } else { old };
        let variables = json!({ "newPassword": enc(&emu, &new), "oldPassword": enc(&emu, &old) });
        let doc = "mutation updatePassword($newPassword: String!, $oldPassword: String) { updatePassword(newPassword: $newPassword, oldPassword: $oldPassword) { id } }";
        assert_admin_change_survives(&emu, &mt, &id, "updatePassword", run(doc, variables)).await;

        let code = sms("13800000000").await;
        let doc = "mutation bindPhone($phone: String!, $phoneCode: String!) { bindPhone(phone: $phone, phoneCode: $phoneCode) { id } }";
        let variables = json!({ "phone": "13800000000", "phoneCode": code });
        assert_admin_change_survives(&emu, &mt, &id, "bindPhone", run(doc, variables)).await;
        let code = sms("13900000000").await;
        let doc = "mutation updatePhone($phone: String!, $phoneCode: String!) { updatePhone(phone: $phone, phoneCode: $phoneCode) { id } }";
        let variables = json!({ "phone": "13900000000", "phoneCode": code });
        assert_admin_change_survives(&emu, &mt, &id, "updatePhone", run(doc, variables)).await;
        let doc = "mutation { unbindPhone { id } }";
        assert_admin_change_survives(&emu, &mt, &id, "unbindPhone", run(doc, json!({}))).await;

        let code = email_code("ada@example.com").await;
        let doc = "mutation bindEmail($email: String!, $emailCode: String!) { bindEmail(email: $email, emailCode: $emailCode) { id } }";
        let variables = json!({ "email": "ada@example.com", "emailCode": code });
        assert_admin_change_survives(&emu, &mt, &id, "bindEmail", run(doc, variables)).await;
        let code = email_code("ada2@example.com").await;
        let doc = "mutation updateEmail($email: String!, $emailCode: String!) { updateEmail(email: $email, emailCode: $emailCode) { id } }";
        let variables = json!({ "email": "ada2@example.com", "emailCode": code });
        assert_admin_change_survives(&emu, &mt, &id, "updateEmail", run(doc, variables)).await;
        let doc = "mutation { unbindEmail { id } }";
        assert_admin_change_survives(&emu, &mt, &id, "unbindEmail", run(doc, json!({}))).await;
    }
    // And an administrator's block made during an end user's write stays.
    let doc = "mutation updatePassword($newPassword: String!, $oldPassword: String) { updatePassword(newPassword: $newPassword, oldPassword: $oldPassword) { id } }";
    let variables = json!({ "newPassword": enc(&emu, "Another1!"), "oldPassword": enc(&emu, "Passw0rd!3") });
    let (changed, blocked) = tokio::join!(
        run(doc, variables),
        mgmt_ok(&emu, &mt, UPDATE_USER, json!({ "id": id, "input": { "blocked": true } }), "updateUser"),
    );
    assert_eq!(blocked["blocked"], true);
    let _ = changed;
    assert_eq!(user(&emu, &mt, &id).await["blocked"], true);
}

#[tokio::test]
async fn usernames_are_trimmed_when_stored_and_at_login() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let created = create_user(&emu, &mt, json!({ "username": "  ada ", "password": "Passw0rd!" })).await;
    assert_eq!(created["username"], "ada");
    for sent in ["ada", " ada", "ada  ", "\tada "] {
        let res = login(&emu, sent, "Passw0rd!").await;
        assert_eq!(res["data"]["loginByUsername"]["id"], created["id"], "{sent:?}: {res}");
    }
    // The same rule for a user added as a fixture, and for uniqueness.
    let id = emu.add_user(NewUser::new().username(" grace ").password("pw")).unwrap();
    let res = login(&emu, "grace", "pw").await;
    assert_eq!(res["data"]["loginByUsername"]["id"], id.as_str(), "{res}");
    assert_eq!(emu.add_user(NewUser::new().username("grace")).unwrap_err().code, 2034);
    let doc = "mutation createUser($userInfo: CreateUserInput!) { createUser(userInfo: $userInfo) { id } }";
    let dup = mgmt(&emu, &mt, doc, json!({ "userInfo": { "username": "ada " } })).await;
    assert_error(&dup, 2034);
    // And for updates.
    mgmt_ok(&emu, &mt, UPDATE_USER, json!({ "id": id, "input": { "nickname": "g" } }), "updateUser").await;
    let renamed = mgmt(&emu, &mt, UPDATE_USER, json!({ "id": id, "input": { "username": " ada" } })).await;
    assert_error(&renamed, 2034);
}

#[tokio::test]
async fn deleting_a_thousand_of_nineteen_thousand_users_leaves_every_other_in_order() {
    let emu = Emulator::builder().seed_users(19_000).start().await.unwrap();
    let mt = management_token(&emu).await;
    let page = "query users($page: Int, $limit: Int) { users(page: $page, limit: $limit) { totalCount list { id } } }";
    let mut ids: Vec<String> = Vec::new();
    for p in 1..=19 {
        let list = mgmt_ok(&emu, &mt, page, json!({ "page": p, "limit": 1000 }), "users").await;
        ids.extend(list["list"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()));
    }
    assert_eq!(ids.len(), 19_000);
    // Every 19th user, spread over the whole pool (the oldest ones cost a vector the most).
    let doomed: Vec<String> = ids.iter().step_by(19).cloned().collect();
    assert_eq!(doomed.len(), 1000);
    // How long this takes is measured by the `emulator` bench of authing-benches, not here.
    mgmt_ok(&emu, &mt, DELETE_USERS, json!({ "ids": doomed }), "deleteUsers").await;
    // Paging still sees every other user once, newest first.
    let mut left: Vec<String> = Vec::new();
    for p in 1..=18 {
        let list = mgmt_ok(&emu, &mt, page, json!({ "page": p, "limit": 1000 }), "users").await;
        assert_eq!(list["totalCount"], 18_000);
        left.extend(list["list"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()));
    }
    let expected: Vec<String> = ids.iter().enumerate().filter(|(i, _)| i % 19 != 0).map(|(_, id)| id.clone()).collect();
    assert_eq!(left, expected);
}
