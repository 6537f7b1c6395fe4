//! The Rust side of the comparison (`benches/compare/run.sh`, see BENCHMARKS.md): this SDK and a straightforward
//! `reqwest` + `serde_json` + `rsa` client, against a running emulator.
//!
//! ```text
//! cargo bench -p authing-benches --bench compare -- run    --config EMULATOR.json [--seconds 5] [--concurrency 64]
//! cargo bench -p authing-benches --bench compare -- stream --config EMULATOR.json --count 100000
//! cargo bench -p authing-benches --bench compare -- token
//! cargo bench -p authing-benches --bench compare -- report --results RESULTS.jsonl [--commit ID] [--concurrency 64]
//! ```
//!
//! `EMULATOR.json` holds the emulator's first stdout line. `run` creates the user the logins use, then measures
//! both clients on each operation, one call at a time and `--concurrency` calls in flight. `stream` streams
//! users through `into_stream()` and reports the peak memory of its process (`VmHWM`). `token` starts an emulator
//! in this process and counts the token requests of 1 000 concurrent first calls on a fresh `ManagementClient`.
//! Each prints one JSON object per line; `report` turns those lines (and the official SDKs') into the markdown
//! report.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use authing::models::{CreateUserInput, TokenStatus, User};
use authing::{AuthenticationClient, ManagementClient, Options};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use futures::StreamExt;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Encrypt, RsaPublicKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The user the logins and token checks use, and its password.
const USERNAME: &str = "bench";
const PASSWORD: &str = "Bench-passw0rd!";
/// The operations, in the order they are measured and reported.
const OPERATIONS: [&str; 3] = ["users.list", "login_by_username", "check_login_status"];
/// The longest stretch one Rust client runs before the other takes its turn.
const SLICE_SECONDS: f64 = 0.25;
/// The clients of the report, in its column order, with their names there.
const CLIENTS: [(&str, &str); 4] =
    [("sdk", "this SDK"), ("plain", "straightforward"), ("python", "Python SDK"), ("js", "JS SDK")];

/// The SDK's own GraphQL documents, which the straightforward client sends too.
const USER_FIELDS: &str = include_str!("../../src/graphql/fragments/user.graphql");
const USERS_QUERY: &str = include_str!("../../src/graphql/users.graphql");
const LOGIN_MUTATION: &str = include_str!("../../src/graphql/login_by_username.graphql");
const ACCESS_TOKEN_QUERY: &str = include_str!("../../src/graphql/access_token.graphql");
const CHECK_LOGIN_STATUS_QUERY: &str = include_str!("../../src/graphql/check_login_status.graphql");

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let args = Args::parse()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        match args.command.as_str() {
            "run" => run(&args).await,
            "stream" => stream(&args).await,
            "token" => token().await,
            "report" => report(&args),
            other => Err(format!("unknown command `{other}`: run, stream, token or report").into()),
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
        let command = args.next().ok_or("usage: run|stream|token|report --name value ...")?;
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
        Ok(serde_json::from_str(&std::fs::read_to_string(self.get("config")?)?)?)
    }
}

/// The emulator's first stdout line.
#[derive(Deserialize)]
struct Emulator {
    host: String,
    user_pool_id: String,
    secret: String,
    app_id: String,
    public_key: String,
}

impl Emulator {
    /// The options a user of the SDK would write: both ids, the secret and the public key.
    fn options(&self) -> Result<Options, Error> {
        Ok(Options::builder()
            .host(&self.host)
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

// ---------------------------------------------------------------------------------------------------------------
// run

/// One call of one operation, boxed so that both clients are driven by the same loop. It panics on any failure,
/// which a benchmark must not hide.
type Call = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

async fn run(args: &Args) -> Result<(), Error> {
    let emulator = args.emulator()?;
    let seconds: f64 = args.number("seconds", 5.0)?;
    let concurrency: usize = args.number("concurrency", 64)?;
    create_bench_user(&emulator).await?;

    let sdk = sdk_calls(&emulator).await?;
    let plain = plain_calls(&emulator).await?;
    for ((op, sdk), (_, plain)) in sdk.into_iter().zip(plain) {
        for (mode, in_flight) in [("sequential", 1), ("concurrent", concurrency)] {
            // Warm-up: open the connections this mode uses.
            for call in [&sdk, &plain] {
                futures::future::join_all((0..in_flight * 2).map(|_| call())).await;
            }
            // Slices of at most a quarter of a second, in the order A B B A A B ..., so that a busy moment of the
            // machine (other processes share it) falls on both clients alike.
            let slices = (seconds / SLICE_SECONDS).ceil().max(1.0) as usize;
            let mut totals = [(0u64, 0f64); 2];
            for slice in 0..slices {
                let order = if slice % 2 == 0 { [0, 1] } else { [1, 0] };
                for which in order {
                    let call = if which == 0 { &sdk } else { &plain };
                    let (calls, elapsed) = measure(call.clone(), seconds / slices as f64, in_flight).await;
                    totals[which].0 += calls;
                    totals[which].1 += elapsed;
                }
            }
            for (client, (calls, elapsed)) in ["sdk", "plain"].into_iter().zip(totals) {
                println!(
                    "{}",
                    json!({ "client": client, "op": op, "mode": mode, "in_flight": in_flight, "calls": calls,
                            "seconds": elapsed })
                );
            }
        }
    }
    Ok(())
}

/// Creates the user the logins use (a taken name is fine: a rerun) through the SDK's management API.
async fn create_bench_user(emulator: &Emulator) -> Result<(), Error> {
    let management = ManagementClient::new(&emulator.options()?)?;
    match management.users().create(CreateUserInput::default().username(USERNAME).password(PASSWORD)).send().await {
        Err(e) if e.code() == Some(2034) => Ok(()),
        other => other.map(drop).map_err(Into::into),
    }
}

/// Runs `call` for `seconds` with `in_flight` tasks, each calling again as soon as its call returns.
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

/// The SDK, used as its documentation says: one `ManagementClient` and one `AuthenticationClient`.
async fn sdk_calls(emulator: &Emulator) -> Result<Vec<(&'static str, Call)>, Error> {
    let options = emulator.options()?;
    let management = ManagementClient::new(&options)?;
    let app = AuthenticationClient::new(&options)?;
    let user = app.login_by_username(USERNAME, PASSWORD).send().await?;
    let token: Arc<str> = user.token.ok_or("the login returned no token")?.expose().into();
    // Checked calls first.
    assert_eq!(management.users().list().limit(10).send().await?.items.len(), 10, "a full page of users");
    assert!(app.check_login_status(Some(&token)).await?.status, "the token is valid");

    let list: Call = Arc::new(move || {
        let management = management.clone();
        Box::pin(async move {
            let page = management.users().list().limit(10).send().await.expect("users.list");
            assert_eq!(page.items.len(), 10);
        })
    });
    let login_app = app.clone();
    let login: Call = Arc::new(move || {
        let app = login_app.clone();
        Box::pin(async move {
            let user = app.login_by_username(USERNAME, PASSWORD).send().await.expect("login_by_username");
            assert!(user.token.is_some());
        })
    });
    let check: Call = Arc::new(move || {
        let (app, token) = (app.clone(), token.clone());
        Box::pin(async move {
            let status = app.check_login_status(Some(&token)).await.expect("check_login_status");
            assert!(status.status);
        })
    });
    Ok(vec![("users.list", list), ("login_by_username", login), ("check_login_status", check)])
}

// ---------------------------------------------------------------------------------------------------------------
// The straightforward client: the work any client of Authing must do, written the plain way.

/// A GraphQL request body.
#[derive(Serialize)]
struct GraphqlRequest<'a, V> {
    query: &'a str,
    variables: V,
}

/// A GraphQL answer: `data`, or `errors`.
#[derive(Deserialize)]
struct GraphqlResponse<T> {
    data: Option<T>,
    errors: Option<Vec<Value>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UsersVars {
    page: u32,
    limit: u32,
    with_custom_data: bool,
}

#[derive(Deserialize)]
struct UsersData {
    users: UserPage,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserPage {
    #[allow(dead_code, reason = "decoded as any client would, not read here")]
    total_count: u64,
    list: Vec<User>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginVars<'a> {
    input: LoginInput<'a>,
    with_custom_data: bool,
}

#[derive(Serialize)]
struct LoginInput<'a> {
    username: &'a str,
    password: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginData {
    login_by_username: User,
}

#[derive(Serialize)]
struct CheckVars<'a> {
    token: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckData {
    check_login_status: TokenStatus,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccessTokenVars<'a> {
    user_pool_id: &'a str,
    secret: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessTokenData {
    access_token: AccessTokenRes,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessTokenRes {
    access_token: String,
}

/// One `reqwest::Client` with the pool's and the app's id headers, the GraphQL endpoint and the pool's public key.
struct Plain {
    http: reqwest::Client,
    url: String,
    key: RsaPublicKey,
}

impl Plain {
    fn new(emulator: &Emulator) -> Result<Plain, Error> {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-authing-userpool-id", emulator.user_pool_id.parse()?);
        headers.insert("x-authing-app-id", emulator.app_id.parse()?);
        Ok(Plain {
            http: reqwest::Client::builder().default_headers(headers).build()?,
            url: format!("{}/graphql/v2", emulator.host),
            key: RsaPublicKey::from_public_key_pem(&emulator.public_key)?,
        })
    }

    /// Posts `query` with `variables` (and a bearer token when given) and decodes `data` into `T`.
    async fn graphql<T: DeserializeOwned>(
        &self,
        query: &str,
        variables: impl Serialize,
        bearer: Option<&str>,
    ) -> Result<T, Error> {
        let mut request = self.http.post(&self.url).json(&GraphqlRequest { query, variables });
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let answer: GraphqlResponse<T> = request.send().await?.json().await?;
        match (answer.data, answer.errors) {
            (Some(data), None) => Ok(data),
            (_, errors) => Err(format!("GraphQL errors: {errors:?}").into()),
        }
    }

    /// The password, RSA-encrypted with PKCS#1 v1.5 padding and the pool's public key, base64-encoded.
    fn encrypt(&self, password: &str) -> String {
        let cipher =
            self.key.encrypt(&mut rand::thread_rng(), Pkcs1v15Encrypt, password.as_bytes()).expect("a short password");
        STANDARD.encode(cipher)
    }
}

/// The straightforward client's calls, on one `reqwest::Client`; its management token is fetched once first.
async fn plain_calls(emulator: &Emulator) -> Result<Vec<(&'static str, Call)>, Error> {
    let plain = Arc::new(Plain::new(emulator)?);
    let access_token: AccessTokenData = plain
        .graphql(
            ACCESS_TOKEN_QUERY,
            AccessTokenVars { user_pool_id: &emulator.user_pool_id, secret: &emulator.secret },
            None,
        )
        .await?;
    let management_token: Arc<str> = access_token.access_token.access_token.into();
    let users_query: Arc<str> = format!("{USERS_QUERY}{USER_FIELDS}").into();
    let login_mutation: Arc<str> = format!("{LOGIN_MUTATION}{USER_FIELDS}").into();

    let list = {
        let plain = plain.clone();
        move || {
            let (plain, query, token) = (plain.clone(), users_query.clone(), management_token.clone());
            async move {
                let vars = UsersVars { page: 1, limit: 10, with_custom_data: false };
                let data: UsersData = plain.graphql(&query, vars, Some(&token)).await?;
                Ok::<_, Error>(data.users.list)
            }
        }
    };
    let login = {
        let plain = plain.clone();
        move || {
            let (plain, mutation) = (plain.clone(), login_mutation.clone());
            async move {
                let input = LoginInput { username: USERNAME, password: plain.encrypt(PASSWORD) };
                let vars = LoginVars { input, with_custom_data: false };
                let data: LoginData = plain.graphql(&mutation, vars, None).await?;
                Ok::<_, Error>(data.login_by_username)
            }
        }
    };
    // Checked calls first.
    assert_eq!(list().await?.len(), 10, "a full page of users");
    let token: Arc<str> = login().await?.token.ok_or("the login returned no token")?.expose().into();
    let check = move || {
        let (plain, token) = (plain.clone(), token.clone());
        async move {
            let data: CheckData = plain.graphql(CHECK_LOGIN_STATUS_QUERY, CheckVars { token: &token }, None).await?;
            Ok::<_, Error>(data.check_login_status)
        }
    };
    assert!(check().await?.status, "the token is valid");

    let list: Call = Arc::new(move || {
        let call = list();
        Box::pin(async move { assert_eq!(call.await.expect("users.list").len(), 10) })
    });
    let login: Call = Arc::new(move || {
        let call = login();
        Box::pin(async move { assert!(call.await.expect("login_by_username").token.is_some()) })
    });
    let check: Call = Arc::new(move || {
        let call = check();
        Box::pin(async move { assert!(call.await.expect("check_login_status").status) })
    });
    Ok(vec![("users.list", list), ("login_by_username", login), ("check_login_status", check)])
}

// ---------------------------------------------------------------------------------------------------------------
// stream

/// Streams `--count` users through `into_stream()` (pages of 100), holding none of them.
async fn stream(args: &Args) -> Result<(), Error> {
    let emulator = args.emulator()?;
    let count: usize = args.number("count", 1000)?;
    let management = ManagementClient::new(&emulator.options()?)?;
    let start = Instant::now();
    let first = management.users().list().limit(100).send().await?;
    let mut users = std::pin::pin!(first.into_stream().take(count));
    let mut seen = 0usize;
    while let Some(user) = users.next().await {
        std::hint::black_box(user?);
        seen += 1;
    }
    if seen != count {
        return Err(format!("the stream ended after {seen} of {count} users").into());
    }
    println!("{}", json!({ "stream": count, "seconds": start.elapsed().as_secs_f64(), "vm_hwm_kib": vm_hwm_kib() }));
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// token

/// 1 000 concurrent first calls on a fresh `ManagementClient`, against an emulator started in this process so that
/// its request counter can be read.
async fn token() -> Result<(), Error> {
    let emulator = authing_emulator::Emulator::start().await?;
    let options = Options::builder()
        .host(emulator.host())
        .user_pool_id(emulator.user_pool_id())
        .secret(emulator.secret())
        .build()?;
    let management = ManagementClient::new(&options)?;
    let calls: Vec<_> = (0..1000)
        .map(|_| {
            let management = management.clone();
            tokio::spawn(async move { management.users().list().limit(1).send().await })
        })
        .collect();
    for call in calls {
        call.await??;
    }
    println!(
        "{}",
        json!({ "first_calls": 1000, "users_requests": emulator.request_count("users"),
                "token_requests": emulator.request_count("accessToken") })
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// report

/// The markdown report of `--results` (the JSON lines of every runner).
fn report(args: &Args) -> Result<(), Error> {
    let text = std::fs::read_to_string(args.get("results")?)?;
    let rows: Vec<Value> =
        text.lines().filter(|l| !l.trim().is_empty()).map(serde_json::from_str).collect::<Result<_, _>>()?;
    let concurrency: usize = args.number("concurrency", 64)?;
    let commit = args.values.get("commit").map_or("unknown", String::as_str);

    let mut rates: HashMap<(String, String, String), f64> = HashMap::new();
    for row in &rows {
        if let (Some(client), Some(op), Some(mode), Some(calls), Some(seconds)) = (
            row["client"].as_str(),
            row["op"].as_str(),
            row["mode"].as_str(),
            row["calls"].as_f64(),
            row["seconds"].as_f64(),
        ) && seconds > 0.0
        {
            rates.insert((client.into(), op.into(), mode.into()), calls / seconds);
        }
    }
    let rate = |client: &str, op: &str, mode: &str| rates.get(&(client.into(), op.into(), mode.into())).copied();
    let (mut met, mut missed) = (Vec::new(), Vec::new());
    let mut verdict = |name: String, ok: bool| if ok { met.push(name) } else { missed.push(name) };

    let mut out = String::new();
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or_else(|| "unknown".into(), |kib| format!("{:.0} GiB", kib / 1024.0 / 1024.0));
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    out += &format!(
        "Commit {commit}. Machine: {model}, {cpus} CPUs, {memory} memory. Calls per second; sequential = one call at a \
         time, concurrent = {concurrency} calls in flight. A ratio is this SDK's rate over the other client's, with its \
         target.\n\n"
    );
    out += "| operation | mode | this SDK | straightforward | Python SDK | JS SDK | SDK / straightforward | SDK / Python | SDK / JS |\n";
    out += "|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
    for op in OPERATIONS {
        for mode in ["sequential", "concurrent"] {
            let mut cells = vec![op.to_owned(), mode.to_owned()];
            for (client, _) in CLIENTS {
                cells.push(rate(client, op, mode).map_or("n/a".into(), |r| format!("{r:.0}")));
            }
            let sdk = rate("sdk", op, mode);
            let targets = match mode {
                "sequential" => [("plain", 0.95), ("python", 20.0), ("js", 2.0)],
                _ => [("plain", 0.95), ("python", 50.0), ("js", 5.0)],
            };
            for (client, target) in targets {
                let name = CLIENTS.iter().find(|(c, _)| *c == client).map_or(client, |(_, n)| n);
                match (sdk, rate(client, op, mode)) {
                    (Some(sdk), Some(other)) if other > 0.0 => {
                        let ratio = sdk / other;
                        let ok = ratio >= target;
                        verdict(format!("{op} {mode}: SDK / {name} {ratio:.2}× (target ≥ {target}×)"), ok);
                        cells.push(format!("{ratio:.2}× {} ≥ {target}", if ok { "✓" } else { "✗" }));
                    }
                    _ => {
                        verdict(format!("{op} {mode}: SDK / {name} not measured"), false);
                        cells.push("n/a".into());
                    }
                }
            }
            out += &format!("| {} |\n", cells.join(" | "));
        }
    }
    out += "\n";

    let streams: Vec<(u64, f64, u64)> = rows
        .iter()
        .filter_map(|r| Some((r["stream"].as_u64()?, r["seconds"].as_f64()?, r["vm_hwm_kib"].as_u64()?)))
        .collect();
    if let (Some(small), Some(large)) = (streams.iter().min_by_key(|s| s.0), streams.iter().max_by_key(|s| s.0))
        && small.0 < large.0
    {
        let ratio = large.2 as f64 / small.2 as f64;
        let ok = ratio <= 1.2;
        out += &format!(
            "Streaming users through `into_stream()` (pages of 100): {} users in {:.1} s with a peak RSS of {:.1} MiB, \
             {} users in {:.1} s with {:.1} MiB: ratio {ratio:.2} {} ≤ 1.2.\n\n",
            large.0,
            large.1,
            large.2 as f64 / 1024.0,
            small.0,
            small.1,
            small.2 as f64 / 1024.0,
            if ok { "✓" } else { "✗" }
        );
        verdict(format!("streaming peak RSS ratio {ratio:.2} (target ≤ 1.2)"), ok);
    } else {
        verdict("streaming peak RSS ratio not measured".into(), false);
    }
    match rows.iter().find_map(|r| r["token_requests"].as_u64()) {
        Some(requests) => {
            let ok = requests == 1;
            out += &format!(
                "1 000 concurrent first calls on a fresh `ManagementClient`: {requests} token request(s) {} = 1.\n\n",
                if ok { "✓" } else { "✗" }
            );
            verdict(format!("token requests of 1 000 first calls: {requests} (target 1)"), ok);
        }
        None => verdict("token requests not measured".into(), false),
    }
    out += &format!("Targets met: {} of {}.", met.len(), met.len() + missed.len());
    if missed.is_empty() {
        out += "\n";
    } else {
        out += " Missed:\n\n";
        for miss in &missed {
            out += &format!("- {miss}\n");
        }
    }
    print!("{out}");
    Ok(())
}
