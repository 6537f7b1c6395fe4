//! `authing-emulator`: runs the emulator until interrupted. See `--help`.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use authing_emulator::{Directory, DirectoryUser, Emulator, IdTokenAlgorithm, TokenAuthMethod};
use clap::{CommandFactory as _, FromArgMatches as _, Parser, ValueEnum};

/// authing-emulator: a local Authing v2 server for tests.
///
/// Every option is also read from the environment variable shown; a flag wins over its variable.
#[derive(Debug, Parser)]
#[command(
    name = "authing-emulator",
    version,
    after_help = AFTER_HELP,
    help_template = "{about}\n\n{usage-heading} {usage}\n\n{all-args}{after-help}"
)]
struct Cli {
    /// Address to bind: an IP address or `localhost`
    #[arg(long, env = "AUTHING_EMULATOR_HOST", value_name = "IP", default_value = "127.0.0.1", value_parser = parse_host)]
    host: IpAddr,

    /// Port, 0 for a free one
    #[arg(long, env = "AUTHING_EMULATOR_PORT", value_name = "PORT", default_value_t = 0)]
    port: u16,

    /// User pool id [default: random]
    #[arg(long, env = "AUTHING_EMULATOR_USERPOOL_ID", value_name = "ID")]
    user_pool_id: Option<String>,

    /// User pool secret [default: random]
    #[arg(long, env = "AUTHING_EMULATOR_SECRET", value_name = "SECRET", hide_env_values = true)]
    secret: Option<String>,

    /// Application id [default: random]
    #[arg(long, env = "AUTHING_EMULATOR_APP_ID", value_name = "ID")]
    app_id: Option<String>,

    /// Application secret [default: random]
    #[arg(long, env = "AUTHING_EMULATOR_APP_SECRET", value_name = "SECRET", hide_env_values = true)]
    app_secret: Option<String>,

    /// Management token lifetime, in seconds
    #[arg(long, env = "AUTHING_EMULATOR_TOKEN_TTL", value_name = "SECONDS", default_value = "86400", value_parser = positive_secs)]
    token_ttl: Duration,

    /// End-user token lifetime, in seconds
    #[arg(long, env = "AUTHING_EMULATOR_USER_TOKEN_TTL", value_name = "SECONDS", default_value = "1296000", value_parser = positive_secs)]
    user_token_ttl: Duration,

    /// Verification code (SMS, e-mail) lifetime, in seconds
    #[arg(long, env = "AUTHING_EMULATOR_CODE_TTL", value_name = "SECONDS", default_value = "300", value_parser = positive_secs)]
    code_ttl: Duration,

    /// Add the users seed-user-1..N before serving (after --import)
    #[arg(long, env = "AUTHING_EMULATOR_SEED_USERS", value_name = "N", default_value_t = 0)]
    seed_users: usize,

    /// Start from this state document (JSON; the format is in the README); a bad one stops the start
    #[arg(long, env = "AUTHING_EMULATOR_IMPORT", value_name = "FILE", help_heading = "State")]
    import: Option<PathBuf>,

    /// On Ctrl-C or SIGTERM, write the state document to this file (atomically: a temporary file, renamed)
    #[arg(long, env = "AUTHING_EMULATOR_EXPORT_ON_EXIT", value_name = "FILE", help_heading = "State")]
    export_on_exit: Option<PathBuf>,

    /// A redirect URI registered on the application; repeat the flag, or separate them with commas
    #[arg(
        long = "redirect-uri",
        env = "AUTHING_EMULATOR_REDIRECT_URIS",
        value_name = "URI",
        value_delimiter = ',',
        help_heading = "OIDC provider"
    )]
    redirect_uris: Vec<String>,

    /// How clients authenticate at the token endpoint
    #[arg(long, env = "AUTHING_EMULATOR_TOKEN_ENDPOINT_AUTH_METHOD", value_name = "METHOD", value_enum, default_value_t = AuthMethod::ClientSecretPost, help_heading = "OIDC provider")]
    token_endpoint_auth_method: AuthMethod,

    /// How clients authenticate at the introspection endpoint
    #[arg(long, env = "AUTHING_EMULATOR_INTROSPECTION_ENDPOINT_AUTH_METHOD", value_name = "METHOD", value_enum, default_value_t = AuthMethod::ClientSecretPost, help_heading = "OIDC provider")]
    introspection_endpoint_auth_method: AuthMethod,

    /// How clients authenticate at the revocation endpoint
    #[arg(long, env = "AUTHING_EMULATOR_REVOCATION_ENDPOINT_AUTH_METHOD", value_name = "METHOD", value_enum, default_value_t = AuthMethod::ClientSecretPost, help_heading = "OIDC provider")]
    revocation_endpoint_auth_method: AuthMethod,

    /// How id tokens are signed: RS256 with the JWKS key, HS256 with the app secret
    #[arg(long, env = "AUTHING_EMULATOR_ID_TOKEN_ALGORITHM", value_name = "ALG", value_enum, default_value_t = Algorithm::Rs256, help_heading = "OIDC provider")]
    id_token_algorithm: Algorithm,

    /// OIDC access token lifetime, in seconds [default: 15 days]
    #[arg(long, env = "AUTHING_EMULATOR_ACCESS_TOKEN_TTL", value_name = "SECONDS", value_parser = positive_secs, help_heading = "OIDC provider")]
    access_token_ttl: Option<Duration>,

    /// OIDC id token lifetime, in seconds [default: 15 days]
    #[arg(long, env = "AUTHING_EMULATOR_ID_TOKEN_TTL", value_name = "SECONDS", value_parser = positive_secs, help_heading = "OIDC provider")]
    id_token_ttl: Option<Duration>,

    /// OIDC refresh token lifetime, in seconds [default: 30 days]
    #[arg(long, env = "AUTHING_EMULATOR_REFRESH_TOKEN_TTL", value_name = "SECONDS", value_parser = positive_secs, help_heading = "OIDC provider")]
    refresh_token_ttl: Option<Duration>,

    /// Authorization code lifetime, in seconds [default: 600]
    #[arg(long, env = "AUTHING_EMULATOR_AUTHORIZATION_CODE_TTL", value_name = "SECONDS", value_parser = positive_secs, help_heading = "OIDC provider")]
    authorization_code_ttl: Option<Duration>,

    /// Every correct password login must be finished with a second factor (answers 1635 with an MFA token), not only those of users with a bound TOTP
    #[arg(long, env = "AUTHING_EMULATOR_ENFORCE_MFA", value_name = "BOOL", num_args = 0..=1, default_value_t = false, default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new(), help_heading = "MFA")]
    enforce_mfa: bool,

    /// Lifetime of the MFA token of a 1635 answer, in seconds
    #[arg(long, env = "AUTHING_EMULATOR_MFA_TOKEN_TTL", value_name = "SECONDS", default_value = "600", value_parser = positive_secs, help_heading = "MFA")]
    mfa_token_ttl: Duration,

    /// An account of the emulated LDAP directory, `username:password`; repeat the flag for more
    #[arg(long = "ldap-user", value_name = "USER:PASSWORD", value_parser = directory_user, help_heading = "Directories")]
    ldap_users: Vec<(String, String)>,

    /// An account of the emulated Active Directory, `username:password`; repeat the flag for more
    #[arg(long = "ad-user", value_name = "USER:PASSWORD", value_parser = directory_user, help_heading = "Directories")]
    ad_users: Vec<(String, String)>,

    /// Largest request body, in bytes (past it: code 413)
    #[arg(long, env = "AUTHING_EMULATOR_MAX_BODY_SIZE", value_name = "BYTES", default_value_t = 1 << 20, help_heading = "Limits")]
    max_body_size: usize,

    /// Longest GraphQL document, in bytes
    #[arg(long, env = "AUTHING_EMULATOR_MAX_DOCUMENT_SIZE", value_name = "BYTES", default_value_t = 64 << 10, help_heading = "Limits")]
    max_document_size: usize,

    /// Deepest nesting of fields in a GraphQL document
    #[arg(
        long,
        env = "AUTHING_EMULATOR_MAX_DEPTH",
        value_name = "LEVELS",
        default_value_t = 20,
        help_heading = "Limits"
    )]
    max_depth: usize,

    /// Most fields a GraphQL document selects, fragments expanded
    #[arg(
        long,
        env = "AUTHING_EMULATOR_MAX_COMPLEXITY",
        value_name = "FIELDS",
        default_value_t = 1000,
        help_heading = "Limits"
    )]
    max_complexity: usize,

    /// Deepest nesting of { [ ( in a GraphQL document's text (4 to 256)
    #[arg(
        long,
        env = "AUTHING_EMULATOR_MAX_NESTING",
        value_name = "LEVELS",
        default_value_t = 64,
        help_heading = "Limits"
    )]
    max_nesting: usize,

    /// Most aliases in a GraphQL document
    #[arg(
        long,
        env = "AUTHING_EMULATOR_MAX_ALIASES",
        value_name = "N",
        default_value_t = 100,
        help_heading = "Limits"
    )]
    max_aliases: usize,

    /// Largest `limit` of one page of a list
    #[arg(
        long,
        env = "AUTHING_EMULATOR_MAX_PAGE_SIZE",
        value_name = "N",
        default_value_t = 1000,
        help_heading = "Limits"
    )]
    max_page_size: usize,

    /// Seconds a connection may take to send a request head, counted from when it waits for a request
    #[arg(long, env = "AUTHING_EMULATOR_HEADER_READ_TIMEOUT", value_name = "SECONDS", default_value = "40", value_parser = positive_secs, help_heading = "Limits")]
    header_read_timeout: Duration,

    /// Seconds a connection may go without a byte read or written while the server waits on it
    #[arg(long, env = "AUTHING_EMULATOR_IDLE_TIMEOUT", value_name = "SECONDS", default_value = "90", value_parser = positive_secs, help_heading = "Limits")]
    idle_timeout: Duration,

    /// Print the GraphQL schema (SDL) and exit
    #[arg(long)]
    print_schema: bool,
}

/// A client authentication method of the OIDC endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
enum AuthMethod {
    ClientSecretPost,
    ClientSecretBasic,
    None,
}

impl From<AuthMethod> for TokenAuthMethod {
    fn from(method: AuthMethod) -> Self {
        match method {
            AuthMethod::ClientSecretPost => TokenAuthMethod::ClientSecretPost,
            AuthMethod::ClientSecretBasic => TokenAuthMethod::ClientSecretBasic,
            AuthMethod::None => TokenAuthMethod::None,
        }
    }
}

/// The signing algorithm of id tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Algorithm {
    #[value(name = "RS256", alias = "rs256")]
    Rs256,
    #[value(name = "HS256", alias = "hs256")]
    Hs256,
}

impl From<Algorithm> for IdTokenAlgorithm {
    fn from(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::Rs256 => IdTokenAlgorithm::Rs256,
            Algorithm::Hs256 => IdTokenAlgorithm::Hs256,
        }
    }
}

const AFTER_HELP: &str = "\
On start, the first line on stdout is one JSON object:
    {\"host\", \"user_pool_id\", \"secret\", \"app_id\", \"app_secret\", \"public_key\"}
Verification codes (SMS and e-mail) are not sent: read the latest one of a phone number or e-mail address at
    GET {host}/_emulator/verification-codes?to=<phone or e-mail>   (no token; data: {\"code\"} or null)
The emulator's own routes (no token) are under {host}/_emulator/: verification-codes, sessions, reset,
import, export, oidc/rotate-key (see the README).
Logs go to stderr; RUST_LOG sets their level (error, warn, info, debug, trace; default info).
Stops on Ctrl-C or SIGTERM.";

/// The command line, where an `AUTHING_EMULATOR_*` variable set to the empty string counts as unset (as it did
/// before the parser was clap's).
fn command() -> clap::Command {
    let empty: Vec<clap::Id> = Cli::command()
        .get_arguments()
        .filter(|arg| arg.get_env().and_then(std::env::var_os).is_some_and(|v| v.is_empty()))
        .map(|arg| arg.get_id().clone())
        .collect();
    empty.into_iter().fold(Cli::command(), |cmd, id| cmd.mut_arg(id, |arg| arg.env(None::<&str>)))
}

/// An IP address, or `localhost` for 127.0.0.1.
fn parse_host(text: &str) -> Result<IpAddr, String> {
    match text.trim() {
        "localhost" => Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        h => h.parse().map_err(|_| format!("`{h}` is not an IP address")),
    }
}

/// A positive number of seconds, fractions allowed.
fn positive_secs(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("`{text}` is not a positive number of seconds"))
}

/// A directory account given as `username:password` (the password may contain `:`).
fn directory_user(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((user, password)) if !user.trim().is_empty() && !password.is_empty() => {
            Ok((user.trim().to_owned(), password.to_owned()))
        }
        _ => Err("expected `username:password`".to_owned()),
    }
}

fn builder(cli: &Cli) -> authing_emulator::EmulatorBuilder {
    let mut b = Emulator::builder()
        .bind(SocketAddr::new(cli.host, cli.port))
        .management_token_ttl(cli.token_ttl)
        .user_token_ttl(cli.user_token_ttl)
        .verification_code_ttl(cli.code_ttl)
        .seed_users(cli.seed_users)
        .max_body_size(cli.max_body_size)
        .max_document_size(cli.max_document_size)
        .max_depth(cli.max_depth)
        .max_complexity(cli.max_complexity)
        .max_nesting(cli.max_nesting)
        .max_aliases(cli.max_aliases)
        .max_page_size(cli.max_page_size)
        .header_read_timeout(cli.header_read_timeout)
        .idle_timeout(cli.idle_timeout)
        .redirect_uris(cli.redirect_uris.iter().filter(|uri| !uri.trim().is_empty()).cloned())
        .token_endpoint_auth_method(cli.token_endpoint_auth_method.into())
        .introspection_endpoint_auth_method(cli.introspection_endpoint_auth_method.into())
        .revocation_endpoint_auth_method(cli.revocation_endpoint_auth_method.into())
        .id_token_algorithm(cli.id_token_algorithm.into())
        .enforce_mfa(cli.enforce_mfa)
        .mfa_token_ttl(cli.mfa_token_ttl);
    for (directory, users) in [(Directory::Ldap, &cli.ldap_users), (Directory::Ad, &cli.ad_users)] {
        for (username, password) in users {
            b = b.directory_user(directory, DirectoryUser::new(username, password));
        }
    }
    if let Some(v) = &cli.user_pool_id {
        b = b.user_pool_id(v);
    }
    if let Some(v) = &cli.secret {
        b = b.secret(v);
    }
    if let Some(v) = &cli.app_id {
        b = b.app_id(v);
    }
    if let Some(v) = &cli.app_secret {
        b = b.app_secret(v);
    }
    if let Some(ttl) = cli.access_token_ttl {
        b = b.access_token_ttl(ttl);
    }
    if let Some(ttl) = cli.id_token_ttl {
        b = b.id_token_ttl(ttl);
    }
    if let Some(ttl) = cli.refresh_token_ttl {
        b = b.refresh_token_ttl(ttl);
    }
    if let Some(ttl) = cli.authorization_code_ttl {
        b = b.authorization_code_ttl(ttl);
    }
    if let Some(path) = &cli.import {
        b = b.import(path.clone());
    }
    b
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
    // Bad flags: clap prints the error and the usage to stderr and exits with 2; `--help` prints to stdout.
    let cli = match Cli::from_arg_matches(&command().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    if cli.print_schema {
        print!("{}", authing_emulator::schema_sdl());
        return ExitCode::SUCCESS;
    }
    let builder = builder(&cli);
    let export_on_exit = cli.export_on_exit;
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
                eprintln!("authing-emulator: cannot start: {e}");
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
        let exported = export_on_exit.map(|path| {
            let written = emulator.export_to(&path);
            if let Err(e) = &written {
                eprintln!("authing-emulator: cannot write the state to {}: {e}", path.display());
            }
            written
        });
        let _ = tokio::time::timeout(Duration::from_secs(5), emulator.shutdown()).await;
        match exported {
            Some(Err(_)) => ExitCode::FAILURE,
            _ => ExitCode::SUCCESS,
        }
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("authing-emulator").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_parse() {
        let cli = parse(&["--port", "0", "--secret=abc", "--print-schema", "--seed-users", "5", "--host", "localhost"])
            .unwrap();
        assert_eq!((cli.port, cli.seed_users, cli.secret.as_deref()), (0, 5, Some("abc")));
        assert!(cli.print_schema);
        assert_eq!(cli.host, IpAddr::V4(Ipv4Addr::LOCALHOST));
        let cli = parse(&["--idle-timeout", "1.5", "--max-aliases=3", "--token-ttl", "60"]).unwrap();
        assert_eq!(cli.idle_timeout, Duration::from_millis(1500));
        assert_eq!((cli.max_aliases, cli.token_ttl), (3, Duration::from_secs(60)));
        let cli = parse(&[
            "--import",
            "state.json",
            "--redirect-uri",
            "http://a/cb,http://b/cb",
            "--redirect-uri=http://c/cb",
            "--token-endpoint-auth-method",
            "client_secret_basic",
            "--id-token-algorithm",
            "HS256",
            "--enforce-mfa",
        ])
        .unwrap();
        assert_eq!(cli.import, Some(PathBuf::from("state.json")));
        assert_eq!(cli.redirect_uris, ["http://a/cb", "http://b/cb", "http://c/cb"]);
        assert_eq!(cli.token_endpoint_auth_method, AuthMethod::ClientSecretBasic);
        assert_eq!(cli.revocation_endpoint_auth_method, AuthMethod::ClientSecretPost);
        assert_eq!(cli.id_token_algorithm, Algorithm::Hs256);
        assert!(cli.enforce_mfa);
        assert!(!parse(&["--enforce-mfa=false"]).unwrap().enforce_mfa);
        let cli = parse(&["--ldap-user", "ada:pw:x", "--ad-user=bob:pw", "--ldap-user", "eve:1"]).unwrap();
        assert_eq!(cli.ldap_users, [("ada".into(), "pw:x".into()), ("eve".into(), "1".into())]);
        assert_eq!(cli.ad_users, [("bob".to_owned(), "pw".to_owned())]);
        assert!(parse(&["--ldap-user", "nopassword"]).is_err());
        for bad in [
            &["--bogus"][..],
            &["--port"],
            &["--port", "x"],
            &["--seed-users", "many"],
            &["--token-ttl", "0"],
            &["--host", "example.com"],
            &["--idle-timeout", "-1"],
            &["--max-body-size", "1MB"],
            &["--token-endpoint-auth-method", "private_key_jwt"],
            &["--id-token-algorithm", "none"],
            &["--enforce-mfa=maybe"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
