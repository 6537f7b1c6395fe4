//! What a user of the client waits for, through the public API only: a round trip of `users().list()` (a page of
//! 10 users as the emulator serves them, and a page of 100 users with every field filled in) and of
//! `login_by_username` (password encryption included) against an in-process server that answers with canned bytes,
//! so the server is not what is measured, next to a raw `reqwest` client posting the same body; and the encryption
//! of one password alone.
//!
//! ```text
//! cargo bench -p authing-benches --bench client
//! ```

#![recursion_limit = "256"]

use std::hint::black_box;
use std::net::SocketAddr;

use authing::{AuthenticationClient, ManagementClient, Options, Password, RetryConfig};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

const PUBLIC_CLOUD_KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4xKeUgQ+Aoz7TLfAfs9+paePb5KIofVthEopwrXFkp8OCeocaTHt9ICjTT2QeJh6cZaDaArfZ873GPUn00eOIZ7Ae+TiA2BKHbCvloW3w5Lnqm70iSsUi5Fmu9/2+68GZRH9L7Mlh8cFksCicW2Y2W2uMGKl64GDcIq3au+aqJQIDAQAB";

/// A GraphQL `users` response with `count` users carrying every field the SDK selects, most of them filled in, in
/// the order the SDK selects them (as a GraphQL server answers).
fn users_body(count: usize) -> Vec<u8> {
    users_body_where(count, |_| true)
}

/// The same response as the emulator serves it for users created with a username and an e-mail address: 15 of
/// the 56 fields set, the rest `null`.
fn sparse_users_body(count: usize) -> Vec<u8> {
    let set = [
        "id",
        "arn",
        "status",
        "userPoolId",
        "username",
        "email",
        "emailVerified",
        "phoneVerified",
        "identities",
        "registerSource",
        "loginsCount",
        "blocked",
        "isDeleted",
        "createdAt",
        "updatedAt",
    ];
    users_body_where(count, |name| set.contains(&name))
}

/// A `users` response whose users have the fields for which `set` is true filled in and the others `null`.
fn users_body_where(count: usize, set: impl Fn(&str) -> bool) -> Vec<u8> {
    let order: Vec<&str> = include_str!("../src/graphql/fragments/user.graphql")
        .lines()
        .filter_map(|line| line.strip_prefix("  ").filter(|field| !field.starts_with([' ', '}'])))
        .filter_map(|field| field.split_whitespace().next())
        .filter(|&name| name != "customData")
        .collect();
    let mut body = format!(r#"{{"data":{{"users":{{"totalCount":{},"list":["#, count * 10);
    for i in 0..count {
        let user = full_user(i);
        let fields: Vec<String> = order
            .iter()
            .map(|&name| {
                let value = if set(name) { &user[name] } else { &serde_json::Value::Null };
                format!("{}:{value}", serde_json::to_string(name).unwrap())
            })
            .collect();
        body.push_str(if i == 0 { "{" } else { ",{" });
        body.push_str(&fields.join(","));
        body.push('}');
    }
    body.push_str("]}}}");
    body.into_bytes()
}

fn full_user(i: usize) -> serde_json::Value {
    json!({
        "id": format!("{i:024x}"), "arn": format!("arn:cn:authing:pool:user:{i:024x}"), "status": "Activated",
        "userPoolId": "5f0c3f6b1e8d5c0001a1b2c3", "username": format!("user-{i}"),
        "email": format!("user-{i}@example.com"), "emailVerified": false, "phone": null, "phoneVerified": false,
        "phoneCountryCode": null, "unionid": null, "openid": null, "identities": [], "nickname": "Nick",
        "registerSource": ["import:manual"], "photo": "https://files.example.com/avatar.png", "oauth": null,
        "token": null, "tokenExpiredAt": null, "loginsCount": 3, "lastLogin": "2024-05-09T07:29:33.186Z",
        "lastIP": "127.0.0.1", "signedUp": "2024-05-01T00:00:00.000Z", "blocked": false, "isDeleted": false,
        "device": null, "browser": null, "company": "Example", "name": "User Name", "givenName": "User",
        "familyName": "Name", "middleName": null, "profile": null, "preferredUsername": null, "website": null,
        "gender": "U", "birthdate": null, "zoneinfo": null, "locale": null, "address": null, "formatted": null,
        "streetAddress": null, "locality": null, "region": null, "postalCode": null, "city": null,
        "province": null, "country": null, "createdAt": "2024-05-01T00:00:00.000Z",
        "updatedAt": "2024-05-09T07:29:33.186Z", "externalId": null, "newlyCreated": null, "expiredAt": null,
        "directManagement": null, "mainDepartmentId": null, "mainDepartmentCode": null
    })
}

/// Serves canned HTTP/1.1 answers with keep-alive: the token to token requests, a logged-in user to logins,
/// `page` to everything else.
async fn canned_server(page: Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let token =
        br#"{"data":{"accessToken":{"accessToken":"header.payload.signature","exp":4102444800,"iat":1700000000}}}"#;
    let mut user = full_user(0);
    user["token"] = json!("header.payload.signature");
    let login = serde_json::to_vec(&json!({ "data": { "loginByUsername": user } })).unwrap();
    let respond = |body: &[u8]| {
        let mut response =
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
                .into_bytes();
        response.extend_from_slice(body);
        response
    };
    let (token_response, login_response, page_response) = (respond(token), respond(&login), respond(&page));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let (token_response, login_response, page_response) =
                (token_response.clone(), login_response.clone(), page_response.clone());
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                loop {
                    let Some(request) = read_request(&mut socket, &mut buffer).await else { return };
                    let answer = if contains(&request, b"accessToken(") {
                        &token_response
                    } else if contains(&request, b"loginByUsername(") {
                        &login_response
                    } else {
                        &page_response
                    };
                    if socket.write_all(answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

/// Reads one request (headers and a `content-length` body) from a keep-alive connection.
async fn read_request(socket: &mut tokio::net::TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let headers = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length = headers
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            if buffer.len() >= total {
                let request = buffer[..total].to_vec();
                buffer.drain(..total);
                return Some(request);
            }
        }
        let mut chunk = [0u8; 8192];
        let read = socket.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// Options for a client of the canned server at `addr`: no retries, and the public key given so that no request
/// fetches it.
fn options(addr: SocketAddr) -> Options {
    Options::builder()
        .host(format!("http://{addr}"))
        .user_pool_id("5f0c3f6b1e8d5c0001a1b2c3")
        .secret("secret")
        .app_id("5f0c3f6b1e8d5c0001a1b2c4")
        .public_key(PUBLIC_CLOUD_KEY)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

/// `users().list().limit(limit)` against a server answering `page`, next to a raw `reqwest` client posting the same
/// request body and reading the answer without decoding it.
fn list_users(c: &mut Criterion, runtime: &Runtime, name: &str, limit: u32, page: Vec<u8>) {
    let addr = runtime.block_on(canned_server(page));
    let management = ManagementClient::new(&options(addr)).unwrap();
    runtime.block_on(management.get_management_token()).unwrap();

    let raw = reqwest::Client::new();
    let url = format!("http://{addr}/graphql/v2");
    let document =
        concat!(include_str!("../src/graphql/users.graphql"), include_str!("../src/graphql/fragments/user.graphql"));
    let variables = json!({ "page": 1, "limit": limit, "withCustomData": false });
    let body = bytes::Bytes::from(serde_json::to_vec(&json!({ "query": document, "variables": variables })).unwrap());

    let mut group = c.benchmark_group(name);
    group.bench_function("raw reqwest", |b| {
        b.to_async(runtime).iter(|| async {
            let response = raw
                .post(&url)
                .header("content-type", "application/json")
                .header("authorization", "Bearer header.payload.signature")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            black_box(response.bytes().await.unwrap())
        })
    });
    group.bench_function("authing sdk", |b| {
        b.to_async(runtime).iter(|| async { black_box(management.users().list().limit(limit).send().await.unwrap()) })
    });
    group.finish();
}

fn round_trips(c: &mut Criterion) {
    let runtime = runtime();
    list_users(c, &runtime, "round trip users.list, 10 users as the emulator serves them", 10, sparse_users_body(10));
    list_users(c, &runtime, "round trip users.list, 100 users with every field", 100, users_body(100));

    let addr = runtime.block_on(canned_server(Vec::new()));
    let app = AuthenticationClient::new(&options(addr)).unwrap();
    c.bench_function("round trip login_by_username (RSA-1024 encryption included)", |b| {
        b.to_async(&runtime)
            .iter(|| async { black_box(app.login_by_username("ada", "Bench-passw0rd!").send().await.unwrap()) })
    });
}

/// `encrypt_password` with Authing's public cloud key, RSA-1024 like the emulator's (given in the options, so no
/// request is sent).
fn encryption(c: &mut Criterion) {
    let runtime = runtime();
    let management = ManagementClient::new(&options("127.0.0.1:9".parse().unwrap())).unwrap();
    let password = Password::new("Bench-passw0rd!");
    c.bench_function("encrypt password (RSA-1024)", |b| {
        b.to_async(&runtime).iter(|| async { black_box(management.encrypt_password(&password).await.unwrap()) })
    });
}

criterion_group!(benches, round_trips, encryption);
criterion_main!(benches);
