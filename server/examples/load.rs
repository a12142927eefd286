//! A bounded load test of the service over loopback: concurrent clients mixing reads
//! (recommendations, introduction lists, learning lists, directory searches) and writes (member updates, ties added and removed),
//! then throughput, p50 and p99 latency per kind, and the error count.
//!
//! ```text
//! cargo run --release -p pollinate-server --example load -- --community data/community-1500.json
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pollinate::{Community, MatchWeights};
use pollinate_server::{AppState, Settings, Store, router, serve};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

const HELP: &str = "\
Load-test the service on loopback with concurrent clients mixing reads and writes.

USAGE:
    load --community PATH [--clients N] [--requests N] [--seconds S] [--writes PCT]

OPTIONS:
    --community PATH   JSON community file or CSV folder to serve
    --clients N        concurrent clients [default: 16]
    --requests N       requests in all, at most [default: 20000]
    --seconds S        stop after this long, at most [default: 60]
    --writes PCT       percent of requests that write [default: 10]
";

struct Args {
    community: PathBuf,
    clients: usize,
    requests: usize,
    seconds: u64,
    writes: u32,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut community = None;
    let mut args = Args {
        community: PathBuf::new(),
        clients: 16,
        requests: 20_000,
        seconds: 60,
        writes: 10,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("community") => {
                community = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?));
            }
            Long("clients") => args.clients = number(&mut parser, "--clients")?.max(1) as usize,
            Long("requests") => args.requests = number(&mut parser, "--requests")? as usize,
            Long("seconds") => args.seconds = number(&mut parser, "--seconds")?,
            Long("writes") => args.writes = number(&mut parser, "--writes")?.min(100) as u32,
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.community = community.ok_or("--community PATH is required")?;
    Ok(args)
}

/// The value of the option just read, as a whole number.
fn number(parser: &mut lexopt::Parser, name: &str) -> Result<u64, String> {
    let text = parser.value().map_err(|e| e.to_string())?;
    text.to_string_lossy()
        .parse()
        .map_err(|_| format!("{name}: expected a whole number, got {text:?}"))
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Recommend,
    Introductions,
    Learning,
    Directory,
    PutMember,
    Tie,
}

const KINDS: [(Kind, &str); 6] = [
    (Kind::Recommend, "GET recommendations (top 10)"),
    (Kind::Introductions, "GET introductions"),
    (Kind::Learning, "GET learning (top 5)"),
    (Kind::Directory, "GET directory (two words)"),
    (Kind::PutMember, "PUT member (update)"),
    (Kind::Tie, "POST + DELETE connection"),
];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse().map_err(|e| format!("{e} (see --help)"))?;
    let community = Community::load(&args.community)?;
    let records = Arc::new(community.to_records().members);
    let ids: Arc<Vec<String>> = Arc::new(records.iter().map(|r| r.id.clone()).collect());
    let data = tempfile::tempdir()?;
    let started = Instant::now();
    let store = Store::open(
        data.path(),
        Some(&args.community),
        MatchWeights::default(),
        10_000,
    )?;
    eprintln!(
        "opened {} members in {:.2} s",
        ids.len(),
        started.elapsed().as_secs_f64()
    );
    let app = router(Arc::new(AppState::new(store, Settings::default())));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let limit = Settings::default().timeout;
    tokio::spawn(serve(listener, app, limit, limit, std::future::pending()));

    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let per_client = args.requests.div_ceil(args.clients);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..args.clients {
        let (base, ids, records) = (base.clone(), Arc::clone(&ids), Arc::clone(&records));
        let writes = args.writes;
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut rng = StdRng::seed_from_u64(c as u64);
            let mut samples: Vec<(Kind, Duration, bool)> = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                if Instant::now() > deadline {
                    break;
                }
                let i = rng.random_range(0..ids.len());
                let write = rng.random_range(0..100) < writes;
                let t = Instant::now();
                let read = rng.random_range(0..100);
                let (kind, ok) = if !write && read < 70 {
                    let url = format!("{base}/members/{}/recommendations?top=10", ids[i]);
                    let r = client.get(url).send().await;
                    (Kind::Recommend, r.is_ok_and(|r| r.status() == 200))
                } else if !write && read < 80 {
                    let url = format!("{base}/members/{}/learning", ids[i]);
                    let r = client.get(url).send().await;
                    (Kind::Learning, r.is_ok_and(|r| r.status() == 200))
                } else if !write && read < 90 {
                    let words = [
                        "fintech seed",
                        "insurance platform",
                        "payments kenya",
                        "skills hub",
                    ];
                    let url = format!(
                        "{base}/directory?q={}",
                        words[i % words.len()].replace(' ', "%20")
                    );
                    let r = client.get(url).send().await;
                    (Kind::Directory, r.is_ok_and(|r| r.status() == 200))
                } else if !write {
                    let url = format!("{base}/introductions?member={}", ids[i]);
                    let r = client.get(url).send().await;
                    (Kind::Introductions, r.is_ok_and(|r| r.status() == 200))
                } else if rng.random_bool(0.5) {
                    let mut record = records[i].clone();
                    record.name = format!("{} ({})", record.id, rng.random_range(0..1000));
                    let url = format!("{base}/members/{}", record.id);
                    let r = client.put(url).json(&record).send().await;
                    (Kind::PutMember, r.is_ok_and(|r| r.status() == 200))
                } else {
                    // A tie between two members and its removal, as one sample.
                    let j = (i + 1 + rng.random_range(0..ids.len() - 1)) % ids.len();
                    let tie = json!({"a": ids[i], "b": ids[j], "strength": 0.5});
                    let added = client
                        .post(format!("{base}/connections"))
                        .json(&tie)
                        .send()
                        .await;
                    let ok = match added {
                        // An existing tie gets its strength set: removing it then changes data,
                        // so only ties this client added are removed.
                        Ok(r) if r.status() == 201 => {
                            let effect: serde_json::Value = r.json().await.unwrap_or_default();
                            if effect[0]["effect"] == "tie-added" {
                                let url = format!("{base}/connections/{}/{}", ids[i], ids[j]);
                                client
                                    .delete(url)
                                    .send()
                                    .await
                                    .is_ok_and(|r| r.status() == 204)
                            } else {
                                true
                            }
                        }
                        _ => false,
                    };
                    (Kind::Tie, ok)
                };
                samples.push((kind, t.elapsed(), ok));
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await?);
    }
    let wall = started.elapsed();
    let errors = samples.iter().filter(|s| !s.2).count();
    println!(
        "{} members, {} clients, {} requests in {:.2} s: {:.0} requests/s, {} errors",
        ids.len(),
        args.clients,
        samples.len(),
        wall.as_secs_f64(),
        samples.len() as f64 / wall.as_secs_f64(),
        errors
    );
    println!("| request | count | p50 | p99 |\n|---|---|---|---|");
    for (kind, name) in KINDS {
        let mut times: Vec<Duration> = samples
            .iter()
            .filter(|s| s.0 == kind)
            .map(|s| s.1)
            .collect();
        if times.is_empty() {
            continue;
        }
        times.sort_unstable();
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "| {name} | {} | {:.2} ms | {:.2} ms |",
            times.len(),
            at(0.5).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3
        );
    }
    if errors > 0 {
        return Err(format!("{errors} requests failed").into());
    }
    Ok(())
}
