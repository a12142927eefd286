//! `pollinate-server`: serves a community over HTTP, durably.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use pollinate::MatchWeights;
use pollinate_server::{AppState, Settings, Store, router, serve};

const HELP: &str = "\
Serve a community over HTTP: recommendations, members, ties, blocks, introductions, rounds.

USAGE:
    pollinate-server --data DIR [--community PATH] [--addr ADDR] [--token-file PATH]
                     [--weights FILE.toml] [--max-body BYTES] [--timeout SECS]
                     [--compact-every N]

OPTIONS:
    --data DIR          where the snapshot and the journal live (created if missing)
    --community PATH    JSON file or CSV folder to start from when DIR holds no snapshot yet
    --addr ADDR         address to listen on [default: 127.0.0.1:8080]; port 0 picks one
    --token-file PATH   file holding the bearer token the write endpoints then require
    --weights FILE      match weights (TOML), merged over the defaults
    --max-body BYTES    largest request body accepted [default: 1048576]
    --timeout SECS      longest a request may take [default: 30]
    --compact-every N   journal entries between snapshots [default: 10000]
    -h, --help          print this help

The first line on standard output is `listening on http://ADDR`; the request log goes to
standard error (RUST_LOG sets its level, `info` by default).
";

struct Args {
    data: PathBuf,
    community: Option<PathBuf>,
    addr: SocketAddr,
    token_file: Option<PathBuf>,
    weights: Option<PathBuf>,
    settings: Settings,
    compact_every: u64,
}

fn parse() -> Result<Option<Args>, String> {
    use lexopt::prelude::*;
    let mut data = None;
    let mut args = Args {
        data: PathBuf::new(),
        community: None,
        addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
        token_file: None,
        weights: None,
        settings: Settings::default(),
        compact_every: 10_000,
    };
    let mut parser = lexopt::Parser::from_env();
    let err = |e: lexopt::Error| e.to_string();
    while let Some(arg) = parser.next().map_err(err)? {
        let number = |name: &str, text: String| -> Result<u64, String> {
            text.parse()
                .map_err(|_| format!("{name}: expected a whole number, got {text:?}"))
        };
        match arg {
            Long("data") => data = Some(PathBuf::from(text_value(&mut parser, "--data")?)),
            Long("community") => {
                args.community = Some(PathBuf::from(text_value(&mut parser, "--community")?));
            }
            Long("addr") => {
                let text = text_value(&mut parser, "--addr")?;
                args.addr = text
                    .parse()
                    .map_err(|_| format!("--addr: expected IP:PORT, got {text:?}"))?;
            }
            Long("token-file") => {
                args.token_file = Some(PathBuf::from(text_value(&mut parser, "--token-file")?));
            }
            Long("weights") => {
                args.weights = Some(PathBuf::from(text_value(&mut parser, "--weights")?));
            }
            Long("max-body") => {
                let n = number("--max-body", text_value(&mut parser, "--max-body")?)?;
                args.settings.max_body = usize::try_from(n).map_err(|e| e.to_string())?;
            }
            Long("timeout") => {
                let n = number("--timeout", text_value(&mut parser, "--timeout")?)?;
                if n == 0 {
                    return Err("--timeout: must be at least 1 second".into());
                }
                args.settings.timeout = Duration::from_secs(n);
            }
            Long("compact-every") => {
                args.compact_every = number(
                    "--compact-every",
                    text_value(&mut parser, "--compact-every")?,
                )?;
                if args.compact_every == 0 {
                    return Err("--compact-every: must be at least 1".into());
                }
            }
            Short('h') | Long("help") => return Ok(None),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.data = data.ok_or("--data DIR is required (see --help)")?;
    Ok(Some(args))
}

/// The value of the option just read, as text.
fn text_value(parser: &mut lexopt::Parser, name: &str) -> Result<String, String> {
    parser
        .value()
        .map_err(|e| e.to_string())?
        .into_string()
        .map_err(|_| format!("{name}: not UTF-8"))
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(mut args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(path) = &args.token_file {
        let token = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .trim()
            .to_owned();
        if token.is_empty() {
            return Err(format!("{}: the token file is empty", path.display()).into());
        }
        args.settings.token = Some(token);
    }
    if !args.addr.ip().is_loopback() && args.settings.token.is_none() {
        tracing::warn!(addr = %args.addr, "listening beyond loopback with no --token-file");
    }
    let weights = match &args.weights {
        Some(path) => MatchWeights::from_toml_path(path)?,
        None => MatchWeights::default(),
    };
    let store = Store::open(
        &args.data,
        args.community.as_deref(),
        weights,
        args.compact_every,
    )?;
    let recovery = store.recovery();
    tracing::info!(
        snapshot = recovery.snapshot_seq,
        replayed = recovery.replayed,
        torn_tail = recovery.torn_tail.is_some(),
        members = store.engine().community().len(),
        "opened the data folder"
    );
    let state = Arc::new(AppState::new(store, args.settings));
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr).await?;
        println!("listening on http://{}", listener.local_addr()?);
        std::io::Write::flush(&mut std::io::stdout())?;
        let app = router(Arc::clone(&state));
        let limit = state.settings.timeout;
        serve(listener, app, limit, limit, shutdown()).await
    })?;
    // A clean stop leaves a snapshot, so the next start replays nothing.
    state.store.compact_now()?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
