//! Hostile input: connections that never finish a request, answers that are not Authing's shape, and a stream of
//! hostile requests next to normal ones.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use authing_emulator::Emulator;
use common::*;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// How long a request may go unanswered before the test calls it a hang: a bound on waiting, not a speed.
const NO_HANG: Duration = Duration::from_secs(30);

/// Reads until the server closes the connection (EOF or reset); `false` if it is still open after `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn idle_and_half_sent_connections_neither_delay_others_nor_stay_open() {
    let emu = Emulator::builder()
        .header_read_timeout(Duration::from_secs(2))
        .idle_timeout(Duration::from_secs(3))
        .start()
        .await
        .unwrap();
    let mut held = Vec::new();
    for i in 0..300 {
        let mut stream = TcpStream::connect(emu.addr()).await.unwrap();
        match i % 3 {
            // Nothing at all.
            0 => {}
            // Half a request head.
            1 => stream.write_all(b"POST /graphql/v2 HTTP/1.1\r\nHost: x\r\nContent-Type: app").await.unwrap(),
            // A whole head, then a body that stops coming.
            _ => stream
                .write_all(b"POST /graphql/v2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"query\":")
                .await
                .unwrap(),
        }
        held.push(stream);
    }
    // Other clients are answered at once: before any held connection has timed out and been closed.
    let mt = management_token(&emu).await;
    assert!(!mt.is_empty());
    for (i, stream) in held.iter_mut().enumerate() {
        assert!(!closed_within(stream, Duration::ZERO).await, "connection {i} was closed before the answer came");
    }
    // And every held connection is closed by the server: heads after the header timeout, bodies after the idle one.
    for (i, stream) in held.iter_mut().enumerate() {
        assert!(closed_within(stream, Duration::from_secs(10)).await, "connection {i} still open");
    }
    // A kept-alive connection that sends no further request is closed too.
    let mut stream = TcpStream::connect(emu.addr()).await.unwrap();
    let body = json!({ "query": "{ __typename }" }).to_string();
    let request = format!(
        "POST /graphql/v2 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = stream.read(&mut answer).await.unwrap();
    assert!(String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut stream, Duration::from_secs(10)).await, "a kept-alive connection stays open");
    assert!(!management_token(&emu).await.is_empty());
}

#[tokio::test]
async fn the_default_timeouts_keep_a_pooled_connection_longer_than_the_sdk_does() {
    // The SDK keeps an idle pooled connection for 30 s; the emulator must not close it first. Measured on a builder
    // whose timeouts are the defaults: a connection idle for 1 s is still open.
    let emu = Emulator::start().await.unwrap();
    let mut stream = TcpStream::connect(emu.addr()).await.unwrap();
    assert!(!closed_within(&mut stream, Duration::from_secs(1)).await);
    let formatted = format!("{:?}", Emulator::builder());
    assert!(formatted.contains("header_read_timeout: 40s"), "{formatted}");
    assert!(formatted.contains("idle_timeout: 90s"), "{formatted}");
}

/// Sends a raw REST request; returns the HTTP status and the JSON body.
async fn raw_rest(
    emu: &Emulator,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Vec<u8>>,
) -> (u16, Value) {
    let mut req = client().request(method, format!("{}{path}", emu.host()));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b);
    }
    let res = req.send().await.expect("request sent");
    let status = res.status().as_u16();
    let text = res.text().await.expect("body read");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text:?}"));
    (status, body)
}

/// Asserts Authing's REST envelope `{code, message, data: null}` with `code`.
fn assert_envelope(what: &str, body: &Value, code: i64) {
    assert_eq!(body["code"], code, "{what}: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {body}");
    assert!(body.as_object().is_some_and(|o| o.contains_key("data")), "{what}: {body}");
    assert_eq!(body["data"], Value::Null, "{what}: {body}");
}

#[tokio::test]
async fn every_rest_refusal_is_an_envelope() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    use reqwest::Method;
    // A method a route does not serve: 405.
    for (method, path) in [
        (Method::DELETE, "/api/v2/.well-known"),
        (Method::POST, "/api/v2/users/me"),
        (Method::PUT, "/api/v2/users/kick"),
        (Method::GET, "/api/v2/acl/is-allowed"),
        (Method::PATCH, "/emulator/verification-codes"),
    ] {
        let what = format!("{method} {path}");
        let (status, body) = raw_rest(&emu, method, path, Some(&mt), None).await;
        assert_eq!(status, 405, "{what}");
        assert_envelope(&what, &body, 405);
    }
    // A body over the limit: 413.
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(2 << 20)).into_bytes();
    let (status, body) = raw_rest(&emu, Method::POST, "/api/v2/acl/is-allowed", Some(&mt), Some(big)).await;
    assert_eq!(status, 413);
    assert_envelope("a 2 MiB body", &body, 413);
    // A path segment that does not decode (not UTF-8): 400.
    for path in ["/api/v2/users/%FF%FE", "/api/v2/users/%C3%28/has-role", "/api/v2/users/%FF/orgs"] {
        let (status, body) = raw_rest(&emu, Method::GET, path, Some(&mt), None).await;
        assert_eq!(status, 400, "{path}");
        assert_envelope(path, &body, 400);
    }
    // A body that is not JSON, or not the expected one: 400 (HTTP 200, a business error).
    for sent in [&b"{not json"[..], b"[1, 2]", b"\xff\xfe"] {
        let (status, body) =
            raw_rest(&emu, Method::POST, "/api/v2/acl/is-allowed", Some(&mt), Some(sent.to_vec())).await;
        assert_eq!(status, 200);
        assert_eq!(body["code"], 400, "{body}");
    }
    // Unknown routes, under known prefixes and elsewhere: 404.
    for path in ["/api/v2/users/a/b/c", "/api/v2/nope", "/api/v2/", "/emulator/nope", "/graphql", "/"] {
        let (status, body) = raw_rest(&emu, Method::GET, path, Some(&mt), None).await;
        assert_eq!(status, 404, "{path}");
        assert_envelope(path, &body, 404);
    }
    // Nothing of the request is repeated in the refusal.
    let (_, body) = raw_rest(&emu, Method::GET, "/api/v2/users/%FF?secret=hunter2", Some("hunter2"), None).await;
    assert!(!body.to_string().contains("hunter2"), "{body}");
}

#[tokio::test]
async fn every_graphql_refusal_is_an_authing_error_with_http_200() {
    let emu = Emulator::start().await.unwrap();
    let post = |body: Vec<u8>, content_type: &'static str| {
        client().post(format!("{}/graphql/v2", emu.host())).header("content-type", content_type).body(body).send()
    };
    let cases: Vec<(&str, Vec<u8>, &str, i64)> = vec![
        ("not JSON", b"{nope".to_vec(), "application/json", 400),
        ("not UTF-8", b"\xff\xfe\xfd".to_vec(), "application/json", 400),
        ("no query", b"{}".to_vec(), "application/json", 400),
        ("a form", b"query=%7B__typename%7D".to_vec(), "application/x-www-form-urlencoded", 400),
        ("too large", vec![b' '; 2 << 20], "application/json", 413),
    ];
    for (what, body, content_type, code) in cases {
        let res = post(body, content_type).await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{what}");
        let body: Value = res.json().await.unwrap();
        assert_error(&body, code);
    }
}

/// VmHWM (peak resident memory) of this process, in KiB.
#[cfg(target_os = "linux")]
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The hostile requests of the stream: each is refused, quickly and with little memory.
fn hostile_bodies() -> Vec<String> {
    let nested = |open: &str, close: &str| {
        json!({ "query": format!("{{ isUserExists(username: {}\"x\"{}) }}", open.repeat(3000), close.repeat(3000)) })
            .to_string()
    };
    let mut fragments = String::from("query { ...F0 }");
    for i in 0..24 {
        fragments.push_str(&format!(" fragment F{i} on Query {{ ...F{next} ...F{next} }}", next = i + 1));
    }
    fragments.push_str(" fragment F24 on Query { __typename }");
    let aliases: String =
        (0..1000).map(|i| format!("a{i}: accessToken(userPoolId: \"p\", secret: \"s\") {{ exp }} ")).collect();
    vec![
        nested("[", "]"),
        nested("{a: ", "}"),
        json!({ "query": fragments }).to_string(),
        json!({ "query": format!("{{ {aliases} }}") }).to_string(),
        json!({ "query": format!("{{ __typename }} #{}", "x".repeat(900 << 10)) }).to_string(),
        json!({ "query": format!("{{ {} }}", "__typename ".repeat(90_000)) }).to_string(),
        format!(
            "{{\"query\": \"{{ __typename }}\", \"variables\": {{\"v\": {}1{}}}}}",
            "[".repeat(5000),
            "]".repeat(5000)
        ),
        "x".repeat(3 << 20),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_of_hostile_requests_does_not_stop_normal_ones() {
    let emu = Emulator::start().await.unwrap();
    let mt = management_token(&emu).await;
    let url = format!("{}/graphql/v2", emu.host());
    let bodies = hostile_bodies();
    #[cfg(target_os = "linux")]
    let before = peak_rss_kib();
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let mut attackers = Vec::new();
    for a in 0..4 {
        let (url, bodies, stop, sent) = (url.clone(), bodies.clone(), stop.clone(), sent.clone());
        attackers.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().timeout(NO_HANG).build().unwrap();
            let mut i = a;
            while !stop.load(Ordering::Relaxed) {
                let body = bodies[i % bodies.len()].clone();
                i += 1;
                let res = client.post(&url).header("content-type", "application/json").body(body).send().await;
                if let Ok(res) = res {
                    assert_eq!(res.status().as_u16(), 200);
                    let body: Value = res.json().await.unwrap();
                    let code = body["errors"][0]["message"]["code"].as_i64();
                    assert!(
                        matches!(code, Some(400 | 413)),
                        "{}",
                        &body.to_string()[..body.to_string().len().min(300)]
                    );
                }
                sent.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    // Meanwhile a normal client gets every answer: requests are counted, not timed, so that a slow machine slows
    // both sides alike. The normal client waits for the flood to be under way, and goes on until the flood has
    // sent every hostile body once more, so that each of its requests met the flood.
    while sent.load(Ordering::Relaxed) < bodies.len() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let flood_before = sent.load(Ordering::Relaxed);
    let deadline = Instant::now() + 4 * NO_HANG;
    let mut answered = 0;
    while answered < 20 || sent.load(Ordering::Relaxed) < flood_before + bodies.len() {
        let flood = sent.load(Ordering::Relaxed) - flood_before;
        assert!(Instant::now() < deadline, "the flood stalled: {flood} hostile requests during {answered} normal ones");
        let query = "query { users(page: 1, limit: 10) { totalCount } }";
        let answer = tokio::time::timeout(NO_HANG, mgmt_ok(&emu, &mt, query, json!({}), "users")).await;
        let body = answer.unwrap_or_else(|_| panic!("a normal request got no answer in {NO_HANG:?} during the flood"));
        assert_eq!(body["totalCount"], 0);
        answered += 1;
    }
    stop.store(true, Ordering::Relaxed);
    for attacker in attackers {
        attacker.await.unwrap();
    }
    #[cfg(target_os = "linux")]
    {
        let grown = peak_rss_kib().saturating_sub(before);
        assert!(grown < 256 << 10, "peak resident memory grew by {grown} KiB");
    }
}
