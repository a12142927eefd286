//! Ranks every member's top k in a large community (generated or loaded) and reports the time,
//! the pairs scored against n², and the peak memory.
//!
//! ```text
//! cargo run --release --example scale -- --members 100000
//! cargo run --release --example scale -- --members 10000 --method brute-force
//! cargo run --release --example scale -- --community data/community-1500.json --check
//! cargo run --release --example scale -- --members 100000 --min-score 0.45
//! ```

mod common;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use pollinate::{
    Community, Engine, GeneratorConfig, MatchWeights, MemberId, Method, Query, generate,
};

const HELP: &str = "\
Rank every member's top k in a large community; report time, pairs scored and peak memory.

USAGE:
    scale (--members N [--seed S] | --community PATH) [--k K] [--threads T]
          [--method pruned|scan|brute-force] [--check] [--min-score F]

OPTIONS:
    --members N         generate a community of N members (same generator as the sample)
    --seed S            generator seed [default: 2021]
    --community PATH    or load one (JSON file or CSV folder)
    --k K               recommendations per member [default: 10]
    --threads T         worker threads [default: all cores]
    --method M          pruned (exact, bounds skip pairs), scan (every pair, in index order)
                        or brute-force (every pair, the reference) [default: pruned]
    --check             also run the brute force (or, after it, the pruned search) and check
                        both give the same lists
    --min-score F       instead, every open member's explained top k among candidates scoring
                        at least F, with every such candidate counted (recommend_all_with)
    -h, --help          print this help
";

struct Args {
    members: Option<usize>,
    seed: u64,
    community: Option<PathBuf>,
    k: usize,
    threads: Option<usize>,
    method: Method,
    check: bool,
    min_score: Option<f32>,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        members: None,
        seed: 2021,
        community: None,
        k: 10,
        threads: None,
        method: Method::Pruned,
        check: false,
        min_score: None,
    };
    let mut parser = lexopt::Parser::from_env();
    let num = |v: String, name: &str| {
        v.parse::<u64>()
            .map_err(|_| format!("{name} takes a whole number, got {v:?}"))
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("members") => {
                args.members = Some(num(common::value(&mut parser)?, "--members")? as usize);
            }
            Long("seed") => args.seed = num(common::value(&mut parser)?, "--seed")?,
            Long("community") => args.community = Some(common::value(&mut parser)?.into()),
            Long("k") => args.k = num(common::value(&mut parser)?, "--k")? as usize,
            Long("threads") => {
                args.threads = Some(num(common::value(&mut parser)?, "--threads")? as usize);
            }
            Long("method") => {
                args.method = match common::value(&mut parser)?.as_str() {
                    "pruned" => Method::Pruned,
                    "brute-force" => Method::BruteForce,
                    "scan" => Method::Scan,
                    other => {
                        return Err(format!(
                            "--method takes pruned, scan or brute-force, got {other:?}"
                        ));
                    }
                };
            }
            Long("check") => args.check = true,
            Long("min-score") => {
                let v = common::value(&mut parser)?;
                args.min_score = Some(
                    v.parse::<f32>()
                        .map_err(|_| format!("--min-score takes a number, got {v:?}"))?,
                );
            }
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    if args.members.is_some() == args.community.is_some() {
        return Err("give either --members or --community".into());
    }
    Ok(args)
}

/// Peak resident memory of this process, from /proc (Linux); None elsewhere.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let spinner = ProgressBar::new_spinner();
    spinner.set_message("building the community");
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let community = match (&args.community, args.members) {
        (Some(path), _) => Community::load(path)?,
        (None, Some(n)) => generate(&GeneratorConfig::default().members(n).seed(args.seed))?,
        (None, None) => unreachable!("parse() requires one of them"),
    };
    let built = started.elapsed();
    spinner.set_message("building the engine");
    let mut engine = Engine::new(community, MatchWeights::default())?;
    if let Some(t) = args.threads {
        engine = engine.with_threads(t)?;
    }
    spinner.finish_and_clear();
    if let Some(min_score) = args.min_score {
        return with_min_score(&engine, args.k, min_score);
    }
    let c = engine.community();
    let n = c.len();
    let open: Vec<MemberId> = c.member_ids().filter(|&m| c[m].open_to_intros()).collect();
    let bar = ProgressBar::new(open.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} members ranked, {elapsed} elapsed, eta {eta}",
        )
        .expect("a valid template"),
    );
    let progress = bar.clone();
    let query = Query::top(args.k)
        .method(args.method)
        .progress(move |n| progress.inc(n as u64));
    let ranking = Instant::now();
    let lists = engine.rank(&open, &query)?;
    bar.finish_and_clear();
    let ranked_in = ranking.elapsed();
    let recommendations: usize = lists.iter().map(|(_, l)| l.len()).sum();
    let square = (n as f64).powi(2);
    let pairs = match args.method {
        Method::Pruned => engine.pruned_pairs_scored() as f64,
        _ => open.len() as f64 * (n as f64 - 1.0),
    };
    let name = match args.method {
        Method::Pruned => "pruned",
        Method::Scan => "scan",
        _ => "brute force",
    };
    println!(
        "members: {n} ({} open to introductions), ties: {}",
        open.len(),
        c.connections().len()
    );
    println!("community built in {:.2} s", built.as_secs_f64());
    println!(
        "every open member's top {}: {:.3} s ({recommendations} recommendations), {name}",
        args.k,
        ranked_in.as_secs_f64()
    );
    println!(
        "pairs scored: {pairs:.3e} of n^2 = {square:.3e} ({:.2}%), {:.1} M pairs/s",
        100.0 * pairs / square.max(1.0),
        pairs / ranked_in.as_secs_f64() / 1e6
    );
    if args.check {
        let other = match args.method {
            Method::BruteForce => Method::Pruned,
            _ => Method::BruteForce,
        };
        let started = Instant::now();
        let again = engine.rank(&open, &Query::top(args.k).method(other))?;
        let same = again == lists;
        println!(
            "check: the other method took {:.3} s and gave {} lists",
            started.elapsed().as_secs_f64(),
            if same { "the same" } else { "DIFFERENT" }
        );
        if !same {
            return Err(
                format!("{name} and the other method disagree (a bug: please report it)").into(),
            );
        }
    }
    match peak_rss_mib() {
        Some(mib) => println!("peak memory: {mib:.0} MiB"),
        None => println!("peak memory: not available on this platform"),
    }
    Ok(())
}

/// Every open member's explained top `k` among candidates scoring at least `min_score`, each
/// with the count of such candidates: the engine picks the pruned search or the scan
/// from a sample (see `Method::Auto`).
fn with_min_score(
    engine: &Engine,
    k: usize,
    min_score: f32,
) -> Result<(), Box<dyn std::error::Error>> {
    let query = Query::top(k).min_score(min_score);
    let spinner = ProgressBar::new_spinner();
    spinner.set_message(format!("ranking with a minimum score of {min_score}"));
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let started = Instant::now();
    let lists = engine.recommend_all(&query)?;
    let took = started.elapsed();
    spinner.finish_and_clear();
    let recommendations: usize = lists.iter().map(|r| r.items.len()).sum();
    let candidates: usize = lists.iter().map(|r| r.candidates).sum();
    println!(
        "members: {} ({} open to introductions)",
        engine.community().len(),
        lists.len()
    );
    println!(
        "every open member's top {k} scoring at least {min_score}: {:.3} s ({recommendations} \
         recommendations; {:.1} candidates per member reach it)",
        took.as_secs_f64(),
        candidates as f64 / lists.len().max(1) as f64
    );
    match peak_rss_mib() {
        Some(mib) => println!("peak memory: {mib:.0} MiB"),
        None => println!("peak memory: not available on this platform"),
    }
    Ok(())
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, |args| run(args).map(|()| String::new()))
}
