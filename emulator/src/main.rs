//! `authing-emulator`: runs the emulator until interrupted. See `--help`.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use authing_emulator::Emulator;

const USAGE: &str = "\
authing-emulator: a local Authing v2 server for tests

USAGE:
    authing-emulator [OPTIONS]

OPTIONS (each also read from the environment variable shown; a flag wins over its variable):
    --host <IP>             address to bind            [AUTHING_EMULATOR_HOST]         default 127.0.0.1
    --port <PORT>           port, 0 for a free one     [AUTHING_EMULATOR_PORT]         default 0
    --user-pool-id <ID>     user pool id               [AUTHING_EMULATOR_USERPOOL_ID]  default random
    --secret <SECRET>       user pool secret           [AUTHING_EMULATOR_SECRET]       default random
    --app-id <ID>           application id             [AUTHING_EMULATOR_APP_ID]       default random
    --app-secret <SECRET>   application secret         [AUTHING_EMULATOR_APP_SECRET]   default random
    --token-ttl <SECONDS>   management token lifetime  [AUTHING_EMULATOR_TOKEN_TTL]    default 86400
    --seed-users <N>        add users seed-user-1..N   [AUTHING_EMULATOR_SEED_USERS]   default 0
    --print-schema          print the GraphQL schema (SDL) and exit
    -h, --help              print this help and exit

On start, the first line on stdout is one JSON object:
    {\"host\", \"user_pool_id\", \"secret\", \"app_id\", \"app_secret\", \"public_key\"}
Verification codes (SMS and e-mail) are not sent: read the latest one of a phone number or e-mail address at
    GET {host}/emulator/verification-codes?to=<phone or e-mail>   (no token; data: {\"code\"} or null)
Logs go to stderr; RUST_LOG sets their level (error, warn, info, debug, trace; default info).
Stops on Ctrl-C or SIGTERM.
";

#[derive(Debug, Default)]
struct Options {
    host: Option<String>,
    port: Option<String>,
    user_pool_id: Option<String>,
    secret: Option<String>,
    app_id: Option<String>,
    app_secret: Option<String>,
    token_ttl: Option<String>,
    seed_users: Option<String>,
    print_schema: bool,
    help: bool,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut opts = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let slot = match name.as_str() {
            "-h" | "--help" => {
                opts.help = true;
                continue;
            }
            "--print-schema" => {
                opts.print_schema = true;
                continue;
            }
            "--host" => &mut opts.host,
            "--port" => &mut opts.port,
            "--user-pool-id" => &mut opts.user_pool_id,
            "--secret" => &mut opts.secret,
            "--app-id" => &mut opts.app_id,
            "--app-secret" => &mut opts.app_secret,
            "--token-ttl" => &mut opts.token_ttl,
            "--seed-users" => &mut opts.seed_users,
            _ => return Err(format!("unknown argument `{arg}`")),
        };
        let value = match inline {
            Some(v) => v,
            None => args.next().ok_or_else(|| format!("`{name}` needs a value"))?,
        };
        *slot = Some(value);
    }
    let env = |slot: &mut Option<String>, var: &str| {
        if slot.is_none() {
            *slot = std::env::var(var).ok().filter(|v| !v.is_empty());
        }
    };
    env(&mut opts.host, "AUTHING_EMULATOR_HOST");
    env(&mut opts.port, "AUTHING_EMULATOR_PORT");
    env(&mut opts.user_pool_id, "AUTHING_EMULATOR_USERPOOL_ID");
    env(&mut opts.secret, "AUTHING_EMULATOR_SECRET");
    env(&mut opts.app_id, "AUTHING_EMULATOR_APP_ID");
    env(&mut opts.app_secret, "AUTHING_EMULATOR_APP_SECRET");
    env(&mut opts.token_ttl, "AUTHING_EMULATOR_TOKEN_TTL");
    env(&mut opts.seed_users, "AUTHING_EMULATOR_SEED_USERS");
    Ok(opts)
}

fn builder(opts: Options) -> Result<authing_emulator::EmulatorBuilder, String> {
    let ip: IpAddr = match opts.host.as_deref() {
        None => IpAddr::V4(Ipv4Addr::LOCALHOST),
        Some("localhost") => IpAddr::V4(Ipv4Addr::LOCALHOST),
        Some(h) => h.parse().map_err(|_| format!("--host: `{h}` is not an IP address"))?,
    };
    let port: u16 = match opts.port.as_deref() {
        None => 0,
        Some(p) => p.parse().map_err(|_| format!("--port: `{p}` is not a port number"))?,
    };
    let mut b = Emulator::builder().bind(SocketAddr::new(ip, port));
    if let Some(ttl) = opts.token_ttl.as_deref() {
        let secs: u64 = ttl
            .parse()
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(|| format!("--token-ttl: `{ttl}` is not a positive number of seconds"))?;
        b = b.management_token_ttl(Duration::from_secs(secs));
    }
    if let Some(n) = opts.seed_users.as_deref() {
        let count: usize = n.parse().map_err(|_| format!("--seed-users: `{n}` is not a number of users"))?;
        b = b.seed_users(count);
    }
    if let Some(v) = opts.user_pool_id {
        b = b.user_pool_id(v);
    }
    if let Some(v) = opts.secret {
        b = b.secret(v);
    }
    if let Some(v) = opts.app_id {
        b = b.app_id(v);
    }
    if let Some(v) = opts.app_secret {
        b = b.app_secret(v);
    }
    Ok(b)
}

fn init_logs() {
    let level = std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| v.trim().parse::<tracing_subscriber::filter::LevelFilter>().ok())
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level).init();
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("authing-emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if opts.help {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if opts.print_schema {
        print!("{}", authing_emulator::schema_sdl());
        return ExitCode::SUCCESS;
    }
    let builder = match builder(opts) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("authing-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    init_logs();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("authing-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(async move {
        let emulator = match builder.start().await {
            Ok(e) => e,
            Err(e) => {
                eprintln!("authing-emulator: cannot listen: {e}");
                return ExitCode::FAILURE;
            }
        };
        let line = serde_json::json!({
            "host": emulator.host(),
            "user_pool_id": emulator.user_pool_id(),
            "secret": emulator.secret(),
            "app_id": emulator.app_id(),
            "app_secret": emulator.app_secret(),
            "public_key": emulator.public_key_pem(),
        });
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            eprintln!("authing-emulator: cannot write to stdout");
        }
        drop(out);
        stop_signal().await;
        tracing::info!("stopping");
        let _ = tokio::time::timeout(Duration::from_secs(5), emulator.shutdown()).await;
        ExitCode::SUCCESS
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn flags_parse() {
        let o = parse_args(args(&["--port", "0", "--secret=abc", "--print-schema", "--seed-users", "5"])).unwrap();
        assert_eq!(o.port.as_deref(), Some("0"));
        assert_eq!(o.seed_users.as_deref(), Some("5"));
        assert_eq!(o.secret.as_deref(), Some("abc"));
        assert!(o.print_schema);
        assert!(parse_args(args(&["--bogus"])).is_err());
        assert!(parse_args(args(&["--port"])).is_err());
        let bad = Options { port: Some("x".into()), ..Options::default() };
        assert!(builder(bad).is_err());
        let bad = Options { seed_users: Some("many".into()), ..Options::default() };
        assert!(builder(bad).is_err());
    }
}
