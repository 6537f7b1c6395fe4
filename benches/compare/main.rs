//! The Rust side of the comparison runner (`benches/compare/run.sh`, see BENCHMARKS.md): a raw `reqwest` client
//! posting prebuilt bodies (the limit for an HTTP client) and this SDK, against a running emulator.
//!
//! ```text
//! cargo bench --bench compare -- setup  --config EMULATOR.json --out PREPARED.json
//! cargo bench --bench compare -- run    --config EMULATOR.json --prepared PREPARED.json --client raw|sdk
//!                                       [--seconds 1] [--concurrency 64] [--emulator-pid PID]
//!                                       [--ops users.list,login_by_username,check_login_status]
//!                                       [--modes sequential|concurrent|both]
//! cargo bench --bench compare -- stream --config EMULATOR.json --count 100000 [--page-size 100]
//! ```
//!
//! `EMULATOR.json` holds the emulator's first stdout line. `setup` creates the users the operations need through
//! the management API, then records the exact requests the SDK sends for each operation (headers and body, by
//! pointing the SDK at a small recording server once), so that the raw client replays the very same bytes. `run`
//! and `stream` print one JSON object per line on stdout; each process reports its own peak memory (`VmHWM`).

#![recursion_limit = "256"]

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use authing::models::CreateUserInput;
use authing::{AuthenticationClient, ManagementClient, Options, RetryConfig};
use bytes::Bytes;
use futures::StreamExt;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

/// The user the login and token checks use, and its password.
const USERNAME: &str = "bench";
const PASSWORD: &str = "Bench-passw0rd!";
/// How many other users `setup` creates, so that `users.list(limit 10)` returns full pages.
const USERS: usize = 50;
/// The operations, in the order they are measured.
const OPERATIONS: [&str; 3] = ["users.list", "login_by_username", "check_login_status"];

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let args = Args::parse()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        match args.command.as_str() {
            "setup" => setup(&args).await,
            "run" => run(&args).await,
            "stream" => stream(&args).await,
            other => Err(format!("unknown command `{other}`: setup, run or stream").into()),
        }
    })
}

/// `COMMAND --name value ...`; the `--bench` flag that `cargo bench` adds is ignored.
struct Args {
    command: String,
    values: HashMap<String, String>,
}

impl Args {
    fn parse() -> Result<Args, Error> {
        let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
        let command = args.next().ok_or("usage: setup|run|stream --config FILE ...")?;
        let mut values = HashMap::new();
        while let Some(name) = args.next() {
            let name = name.strip_prefix("--").ok_or_else(|| format!("unexpected argument `{name}`"))?.to_owned();
            let value = args.next().ok_or_else(|| format!("--{name} needs a value"))?;
            values.insert(name, value);
        }
        Ok(Args { command, values })
    }

    fn get(&self, name: &str) -> Result<&str, Error> {
        self.values.get(name).map(String::as_str).ok_or_else(|| format!("--{name} is required").into())
    }

    fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, Error> {
        match self.values.get(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("--{name}: `{v}` is not a number").into()),
        }
    }

    /// The emulator's first stdout line, from `--config`.
    fn emulator(&self) -> Result<Emulator, Error> {
        let config: Value = serde_json::from_str(&std::fs::read_to_string(self.get("config")?)?)?;
        let field = |name: &str| -> Result<String, Error> {
            Ok(config[name].as_str().ok_or_else(|| format!("the emulator's config has no `{name}`"))?.to_owned())
        };
        Ok(Emulator {
            host: field("host")?,
            user_pool_id: field("user_pool_id")?,
            secret: field("secret")?,
            app_id: field("app_id")?,
            public_key: field("public_key")?,
        })
    }
}

struct Emulator {
    host: String,
    user_pool_id: String,
    secret: String,
    app_id: String,
    public_key: String,
}

impl Emulator {
    /// The options a user of the SDK would write: both ids, the secret and the public key.
    fn options(&self, host: &str) -> Result<Options, Error> {
        Ok(Options::builder()
            .host(host)
            .user_pool_id(&self.user_pool_id)
            .secret(self.secret.as_str())
            .app_id(&self.app_id)
            .public_key(&self.public_key)
            .build()?)
    }
}

/// Peak resident memory of this process, KiB.
fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// User plus system CPU time of a process so far, seconds (`/proc/PID/stat`, clock ticks of 10 ms).
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

// ---------------------------------------------------------------------------------------------------------------
// setup

async fn setup(args: &Args) -> Result<(), Error> {
    let emulator = args.emulator()?;
    let options = emulator.options(&emulator.host)?;
    let management = ManagementClient::new(&options)?;

    // The users: `bench` with a password, and USERS others, created concurrently. Taken names are fine (a rerun).
    let creates = (0..=USERS).map(|i| {
        let management = &management;
        async move {
            let input = if i == 0 {
                CreateUserInput::default().username(USERNAME).password(PASSWORD)
            } else {
                CreateUserInput::default()
                    .username(format!("bench-user-{i}"))
                    .email(format!("bench-user-{i}@example.com"))
            };
            match management.users().create(input).send().await {
                Err(e) if e.code() == Some(2034) => Ok(()),
                other => other.map(drop),
            }
        }
    });
    for created in futures::stream::iter(creates).buffer_unordered(16).collect::<Vec<_>>().await {
        created?;
    }
    let app = AuthenticationClient::new(&options)?;
    let user = app.login_by_username(USERNAME, PASSWORD).send().await?;
    let token = user.token.ok_or("the login returned no token")?;
    let token = token.expose().to_owned();

    // Record what the SDK sends for each operation, against a server that only records.
    let (recorder, recorded) = recording_server().await?;
    let options = Options::builder()
        .host(&recorder)
        .user_pool_id(&emulator.user_pool_id)
        .secret(emulator.secret.as_str())
        .app_id(&emulator.app_id)
        .public_key(&emulator.public_key)
        .retry(RetryConfig::disabled())
        .build()?;
    let recording_management = ManagementClient::new(&options)?;
    let recording_app = AuthenticationClient::new(&options)?;
    let _ = recording_management.users().list().limit(10).send().await;
    let _ = recording_app.login_by_username(USERNAME, PASSWORD).send().await;
    let _ = recording_app.check_login_status(Some(&token)).await;
    let recorded = recorded.lock().await.clone();
    let find = |needle: &str| -> Result<Value, Error> {
        let request = recorded
            .iter()
            .find(|r| r.body.contains(needle))
            .ok_or_else(|| format!("the SDK sent no request with `{needle}`"))?;
        Ok(json!({ "headers": request.headers, "body": request.body }))
    };
    let prepared = json!({
        "token": find("accessToken(")?,
        "users.list": find("users(")?,
        "login_by_username": find("loginByUsername(")?,
        "check_login_status": find("checkLoginStatus(")?,
        "user_token": token,
    });
    std::fs::write(args.get("out")?, serde_json::to_vec_pretty(&prepared)?)?;
    println!("{}", json!({ "setup": "done", "users": USERS + 1 }));
    Ok(())
}

#[derive(Clone)]
struct Recorded {
    headers: Vec<(String, String)>,
    body: String,
}

/// A server that records every request and answers a management token to token requests and an Authing error to
/// anything else.
async fn recording_server() -> Result<(String, Arc<Mutex<Vec<Recorded>>>), Error> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let host = format!("http://{}", listener.local_addr()?);
    let recorded = Arc::new(Mutex::new(Vec::new()));
    let log = recorded.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                while let Some((head, body)) = read_request(&mut socket, &mut buffer).await {
                    let headers = head
                        .lines()
                        .skip(1)
                        .filter_map(|line| line.split_once(':'))
                        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .filter(|(n, _)| !matches!(n.as_str(), "host" | "content-length" | "connection"))
                        .collect();
                    let body = String::from_utf8_lossy(&body).into_owned();
                    let answer = if body.contains("accessToken(") {
                        r#"{"data":{"accessToken":{"accessToken":"recorded.token.only","exp":4102444800,"iat":1700000000}}}"#
                    } else {
                        r#"{"errors":[{"message":{"code":500,"message":"recorded"}}],"data":null}"#
                    };
                    log.lock().await.push(Recorded { headers, body });
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
                        answer.len()
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok((host, recorded))
}

/// Reads one request (head and a `content-length` body) from a keep-alive connection.
async fn read_request(socket: &mut tokio::net::TcpStream, buffer: &mut Vec<u8>) -> Option<(String, Vec<u8>)> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let length = head
                .lines()
                .find_map(|line| line.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case("content-length")))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            if buffer.len() >= total {
                let body = buffer[end + 4..total].to_vec();
                buffer.drain(..total);
                return Some((head, body));
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

// ---------------------------------------------------------------------------------------------------------------
// run

/// A boxed call of one operation; panics on any failure, which a benchmark must not hide.
type Call = Arc<dyn Fn() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

async fn run(args: &Args) -> Result<(), Error> {
    let emulator = args.emulator()?;
    let prepared: Value = serde_json::from_str(&std::fs::read_to_string(args.get("prepared")?)?)?;
    let client = args.get("client")?.to_owned();
    let seconds: f64 = args.number("seconds", 1.0)?;
    let concurrency: usize = args.number("concurrency", 64)?;
    let emulator_pid = args.values.get("emulator-pid").cloned();

    let calls: Vec<(&str, Call)> = match client.as_str() {
        "raw" => raw_calls(&emulator, &prepared).await?,
        "sdk" => sdk_calls(&emulator, &prepared).await?,
        other => return Err(format!("--client `{other}`: raw or sdk").into()),
    };
    let only: Option<Vec<String>> = args.values.get("ops").map(|ops| ops.split(',').map(str::to_owned).collect());
    let modes: Vec<(&str, usize)> = match args.values.get("modes").map(String::as_str) {
        Some("sequential") => vec![("sequential", 1)],
        Some("concurrent") => vec![("concurrent", concurrency)],
        _ => vec![("sequential", 1), ("concurrent", concurrency)],
    };
    for (op, call) in calls {
        if only.as_ref().is_some_and(|only| !only.iter().any(|o| o == op)) {
            continue;
        }
        for &(mode, in_flight) in &modes {
            // Warm-up: open the connections this mode uses.
            measure(call.clone(), 0.2, in_flight).await;
            let (client_cpu, emulator_cpu) = (cpu_seconds("self"), emulator_pid.as_deref().and_then(cpu_seconds));
            let (calls, elapsed) = measure(call.clone(), seconds, in_flight).await;
            let client_cpu = cpu_seconds("self").zip(client_cpu).map(|(b, a)| b - a);
            let emulator_cpu = emulator_pid.as_deref().and_then(cpu_seconds).zip(emulator_cpu).map(|(b, a)| b - a);
            println!(
                "{}",
                json!({
                    "client": client, "op": op, "mode": mode, "in_flight": in_flight, "calls": calls,
                    "seconds": elapsed, "client_cpu_seconds": client_cpu, "emulator_cpu_seconds": emulator_cpu,
                })
            );
        }
    }
    println!("{}", json!({ "client": client, "vm_hwm_kib": vm_hwm_kib() }));
    Ok(())
}

/// Runs `call` for `seconds` with `in_flight` workers, each calling again as soon as its call returns.
async fn measure(call: Call, seconds: f64, in_flight: usize) -> (u64, f64) {
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let workers: Vec<_> = (0..in_flight)
        .map(|_| {
            let (call, done) = (call.clone(), done.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    call().await;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a benchmark call failed");
    }
    (done.load(Ordering::Relaxed), start.elapsed().as_secs_f64())
}

/// The raw client: one `reqwest::Client`, posting the recorded headers and body of each operation as prebuilt
/// bytes and reading the whole response, without decoding it.
async fn raw_calls(emulator: &Emulator, prepared: &Value) -> Result<Vec<(&'static str, Call)>, Error> {
    let client = reqwest::Client::new();
    let url = format!("{}/graphql/v2", emulator.host);
    let request = |name: &str, authorization: Option<&str>| -> Result<(reqwest::header::HeaderMap, Bytes), Error> {
        let recorded = &prepared[name];
        let mut headers = reqwest::header::HeaderMap::new();
        for pair in recorded["headers"].as_array().ok_or("prepared requests have headers")? {
            let (n, v) = (pair[0].as_str().unwrap_or_default(), pair[1].as_str().unwrap_or_default());
            if n == "authorization" {
                continue;
            }
            headers.insert(reqwest::header::HeaderName::from_bytes(n.as_bytes())?, v.parse()?);
        }
        if let Some(token) = authorization {
            headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse()?);
        }
        let body = recorded["body"].as_str().ok_or("prepared requests have a body")?;
        Ok((headers, Bytes::from(body.to_owned())))
    };
    // A real management token, from the recorded token request.
    let (headers, body) = request("token", None)?;
    let answer: Value = client.post(&url).headers(headers).body(body).send().await?.json().await?;
    let token = answer["data"]["accessToken"]["accessToken"].as_str().ok_or("no management token")?.to_owned();

    let mut calls: Vec<(&'static str, Call)> = Vec::new();
    for op in OPERATIONS {
        let authorization = (op == "users.list").then_some(token.as_str());
        let (headers, body) = request(op, authorization)?;
        // One checked call first: the replayed request must succeed.
        let answer = client.post(&url).headers(headers.clone()).body(body.clone()).send().await?.text().await?;
        if answer.contains("\"errors\"") {
            return Err(format!("the raw {op} request was refused: {answer}").into());
        }
        let (client, url) = (client.clone(), url.clone());
        let call: Call = Arc::new(move || {
            let request = client.post(&url).headers(headers.clone()).body(body.clone());
            Box::pin(async move {
                let response = request.send().await.expect("raw request sent");
                assert!(response.status().is_success(), "raw request answered {}", response.status());
                std::hint::black_box(response.bytes().await.expect("raw response read"));
            })
        });
        calls.push((op, call));
    }
    Ok(calls)
}

/// The SDK, used as its documentation says: one `ManagementClient` and one `AuthenticationClient`.
async fn sdk_calls(emulator: &Emulator, prepared: &Value) -> Result<Vec<(&'static str, Call)>, Error> {
    let options = emulator.options(&emulator.host)?;
    let management = ManagementClient::new(&options)?;
    let app = Arc::new(AuthenticationClient::new(&options)?);
    let token: Arc<str> = prepared["user_token"].as_str().ok_or("prepared has no user token")?.into();
    // Checked calls first.
    assert_eq!(management.users().list().limit(10).send().await?.items.len(), 10, "a full page of users");
    assert!(app.login_by_username(USERNAME, PASSWORD).send().await?.token.is_some(), "a login token");
    assert!(app.check_login_status(Some(&token)).await?.status, "the token is valid");

    let list: Call = Arc::new(move || {
        let management = management.clone();
        Box::pin(async move {
            let page = management.users().list().limit(10).send().await.expect("users.list");
            std::hint::black_box(page);
        })
    });
    let login_app = app.clone();
    let login: Call = Arc::new(move || {
        let app = login_app.clone();
        Box::pin(async move {
            let user = app.login_by_username(USERNAME, PASSWORD).send().await.expect("login_by_username");
            std::hint::black_box(user);
        })
    });
    let check: Call = Arc::new(move || {
        let (app, token) = (app.clone(), token.clone());
        Box::pin(async move {
            let status = app.check_login_status(Some(&token)).await.expect("check_login_status");
            std::hint::black_box(status);
        })
    });
    Ok(vec![("users.list", list), ("login_by_username", login), ("check_login_status", check)])
}

// ---------------------------------------------------------------------------------------------------------------
// stream

/// Streams `--count` users through `into_stream()` (pages of `--page-size`), holding none of them.
async fn stream(args: &Args) -> Result<(), Error> {
    let emulator = args.emulator()?;
    let count: usize = args.number("count", 1000)?;
    let page_size: u32 = args.number("page-size", 100)?;
    let management = ManagementClient::new(&emulator.options(&emulator.host)?)?;
    let start = Instant::now();
    let first = management.users().list().limit(page_size).send().await?;
    let mut users = std::pin::pin!(first.into_stream().take(count));
    let mut seen = 0usize;
    while let Some(user) = users.next().await {
        std::hint::black_box(user?);
        seen += 1;
    }
    if seen != count {
        return Err(format!("the stream ended after {seen} of {count} users").into());
    }
    println!(
        "{}",
        json!({ "stream": count, "page_size": page_size, "seconds": start.elapsed().as_secs_f64(), "vm_hwm_kib": vm_hwm_kib() })
    );
    Ok(())
}
