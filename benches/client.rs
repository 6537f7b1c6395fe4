//! The client's own cost: encoding a request, decoding a page of 100 users and an error (and, for the page of 10,
//! what its decoded users cost to build without reading any text), and a whole round trip against an in-process
//! server that answers with canned bytes (so the server is not what is measured), next to a raw `reqwest` client
//! posting the same prebuilt body.
//!
//! ```text
//! cargo bench --bench client
//! ```

#![recursion_limit = "256"]

use std::hint::black_box;
use std::net::SocketAddr;

use authing::bench_support::{
    PasswordEncryption, decode_error, decode_users_page, decode_users_page_with_serde, encode_users_request,
};
use authing::{ManagementClient, Options, RetryConfig};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

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

fn encoding_and_decoding(c: &mut Criterion) {
    let page = users_body(100);
    let error = br#"{"errors":[{"message":{"code":2004,"message":"user not found"},"locations":[{"line":1,"column":1}]}],"data":null}"#;

    c.bench_function("encode users request", |b| b.iter(|| encode_users_request(black_box(1), black_box(10)).unwrap()));

    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("page of 100 users", |b| b.iter(|| decode_users_page(black_box(&page)).unwrap()));
    group.bench_function("page of 100 users, serde only", |b| {
        b.iter(|| decode_users_page_with_serde(black_box(&page)).unwrap())
    });
    group.finish();

    let sparse = sparse_users_body(10);
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(sparse.len() as u64));
    group.bench_function("page of 10 sparse users", |b| b.iter(|| decode_users_page(black_box(&sparse)).unwrap()));
    group.bench_function("page of 10 sparse users, serde only", |b| {
        b.iter(|| decode_users_page_with_serde(black_box(&sparse)).unwrap())
    });
    // What any decoder into `User` pays without reading any text: allocating and copying the same strings, and
    // freeing them again.
    let (_, decoded) = decode_users_page(&sparse).unwrap();
    group.bench_function("page of 10 sparse users, cloned from decoded ones", |b| {
        b.iter(|| black_box(&decoded).clone())
    });
    group.finish();

    c.bench_function("decode error", |b| b.iter(|| decode_error(black_box(error))));

    // Authing's public cloud key, RSA-1024 like the emulator's.
    let key = PasswordEncryption::new(PUBLIC_CLOUD_KEY).unwrap();
    c.bench_function("encrypt password (RSA-1024)", |b| b.iter(|| key.encrypt(black_box("Bench-passw0rd!")).unwrap()));
}

/// Serves canned HTTP/1.1 answers with keep-alive: the token to token requests, `page` to everything else.
async fn canned_server(page: Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let token =
        br#"{"data":{"accessToken":{"accessToken":"header.payload.signature","exp":4102444800,"iat":1700000000}}}"#;
    let respond = |body: &[u8]| {
        let mut response =
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
                .into_bytes();
        response.extend_from_slice(body);
        response
    };
    let (token_response, page_response) = (respond(token), respond(&page));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let (token_response, page_response) = (token_response.clone(), page_response.clone());
            tokio::spawn(async move {
                let mut buffer = Vec::with_capacity(8192);
                loop {
                    let Some(request) = read_request(&mut socket, &mut buffer).await else { return };
                    let answer = if contains(&request, b"accessToken(") { &token_response } else { &page_response };
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

fn round_trip(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let addr = runtime.block_on(canned_server(users_body(10)));
    let host = format!("http://{addr}");
    let options = Options::builder()
        .host(&host)
        .user_pool_id("5f0c3f6b1e8d5c0001a1b2c3")
        .secret("secret")
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let management = ManagementClient::new(&options).unwrap();
    runtime.block_on(management.get_management_token()).unwrap();

    let raw = reqwest::Client::new();
    let url = format!("{host}/graphql/v2");
    let body = bytes::Bytes::from(encode_users_request(1, 10).unwrap());

    let mut group = c.benchmark_group("round trip users.list(10)");
    group.bench_function("raw reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
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
        b.to_async(&runtime).iter(|| async { black_box(management.users().list().limit(10).send().await.unwrap()) })
    });
    group.finish();
}

criterion_group!(benches, encoding_and_decoding, round_trip);
criterion_main!(benches);
