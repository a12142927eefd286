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

use std::process::ExitCode;
use std::time::Instant;

use pollinate::{Community, Engine, GeneratorConfig, MemberId, Method, Query, generate};
use serde::Serialize;

const HELP: &str = "\
Rank every member's top k in a large community; report time, pairs scored and peak memory.

USAGE:
    scale (--members N [--seed S] | --community PATH) [--top K] [--threads T]
          [--method pruned|scan|brute-force] [--check] [--min-score F]
          [--weights FILE.toml] [--format text|json]

OPTIONS:
    --members N         generate a community of N members (same generator as the sample)
    --seed S            generator seed [default: 2021]
    --community PATH    or load one (JSON file or CSV folder)
    --top K             recommendations per member [default: 10]
    --threads T         worker threads [default: all cores]
    --method M          pruned (exact, bounds skip pairs), scan (every pair, in index order)
                        or brute-force (every pair, the reference) [default: pruned]
    --check             also run the brute force (or, after it, the pruned search) and check
                        both give the same lists
    --min-score F       instead, every open member's explained top k among candidates scoring
                        at least F, with every such candidate counted (recommend_all_with)
    --weights FILE      match weights (TOML), merged over the defaults [default: built-in]
    --format FORMAT     text or json (the measurements as an object) [default: text]
    -h, --help          print this help
";

struct Args {
    shared: common::Shared,
    members: Option<usize>,
    seed: u64,
    threads: Option<usize>,
    method: Method,
    check: bool,
    min_score: Option<f32>,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        shared: common::Shared::default(),
        members: None,
        seed: 2021,
        threads: None,
        method: Method::Pruned,
        check: false,
        min_score: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name) if common::Shared::NAMES.contains(&name) => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
            Long("members") => args.members = Some(common::number(&mut parser, "--members")?),
            Long("seed") => args.seed = common::number(&mut parser, "--seed")?,
            Long("threads") => args.threads = Some(common::number(&mut parser, "--threads")?),
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
            Long("min-score") => args.min_score = Some(common::number(&mut parser, "--min-score")?),
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    if args.members.is_some() == args.shared.community.is_some() {
        return Err("give either --members or --community".into());
    }
    Ok(args)
}

/// What a run measured, as `--format json` prints it.
#[derive(Default, Serialize)]
struct Report {
    members: usize,
    open_members: usize,
    ties: usize,
    top: usize,
    method: &'static str,
    min_score: Option<f32>,
    community_built_s: f64,
    ranked_s: f64,
    recommendations: usize,
    /// Pairs scored (the full runs), or candidates reaching the minimum score per member.
    pairs_scored: Option<f64>,
    candidates_per_member: Option<f64>,
    check_s: Option<f64>,
    peak_memory_mib: Option<f64>,
}

impl Report {
    fn text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "members: {} ({} open to introductions), ties: {}",
            self.members, self.open_members, self.ties
        );
        let _ = writeln!(out, "community built in {:.2} s", self.community_built_s);
        if let Some(min_score) = self.min_score {
            let _ = writeln!(
                out,
                "every open member's top {} scoring at least {min_score}: {:.3} s ({} \
                 recommendations; {:.1} candidates per member reach it)",
                self.top,
                self.ranked_s,
                self.recommendations,
                self.candidates_per_member.unwrap_or(0.0)
            );
        } else {
            let _ = writeln!(
                out,
                "every open member's top {}: {:.3} s ({} recommendations), {}",
                self.top, self.ranked_s, self.recommendations, self.method
            );
            let pairs = self.pairs_scored.unwrap_or(0.0);
            let square = (self.members as f64).powi(2);
            let _ = writeln!(
                out,
                "pairs scored: {pairs:.3e} of n^2 = {square:.3e} ({:.2}%), {:.1} M pairs/s",
                100.0 * pairs / square.max(1.0),
                pairs / self.ranked_s / 1e6
            );
        }
        if let Some(s) = self.check_s {
            let _ = writeln!(
                out,
                "check: the other method took {s:.3} s and gave the same lists"
            );
        }
        match self.peak_memory_mib {
            Some(mib) => {
                let _ = writeln!(out, "peak memory: {mib:.0} MiB");
            }
            None => {
                let _ = writeln!(out, "peak memory: not available on this platform");
            }
        }
        out
    }
}

/// Peak resident memory of this process, from /proc (Linux); None elsewhere.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let started = Instant::now();
    let spinner = common::spinner("building the community".to_owned());
    let community = match (&args.shared.community, args.members) {
        (Some(path), _) => Community::load(path)?,
        (None, Some(n)) => generate(&GeneratorConfig::default().members(n).seed(args.seed))?,
        (None, None) => unreachable!("parse() requires one of them"),
    };
    let built = started.elapsed();
    spinner.set_message("building the engine");
    let mut engine = Engine::new(community, args.shared.match_weights()?)?;
    if let Some(t) = args.threads {
        engine = engine.with_threads(t)?;
    }
    spinner.finish_and_clear();
    let c = engine.community();
    let n = c.len();
    let open: Vec<MemberId> = c.member_ids().filter(|&m| c[m].open_to_intros()).collect();
    let top = args.shared.top.unwrap_or(10);
    let mut report = Report {
        members: n,
        open_members: open.len(),
        ties: c.connections().len(),
        top,
        community_built_s: built.as_secs_f64(),
        min_score: args.min_score,
        ..Report::default()
    };
    if let Some(min_score) = args.min_score {
        with_min_score(&engine, min_score, &mut report)?;
    } else {
        let bar = common::bar(open.len(), "members ranked");
        let query = Query::top(top)
            .method(args.method)
            .with_progress(common::progress_of(&bar));
        let ranking = Instant::now();
        let lists = engine.rank(&open, &query)?;
        bar.finish_and_clear();
        report.ranked_s = ranking.elapsed().as_secs_f64();
        report.recommendations = lists.iter().map(|(_, l)| l.len()).sum();
        report.pairs_scored = Some(match args.method {
            Method::Pruned => engine.pruned_pairs_scored() as f64,
            _ => open.len() as f64 * (n as f64 - 1.0),
        });
        report.method = match args.method {
            Method::Pruned => "pruned",
            Method::Scan => "scan",
            _ => "brute force",
        };
        if args.check {
            let other = match args.method {
                Method::BruteForce => Method::Pruned,
                _ => Method::BruteForce,
            };
            let started = Instant::now();
            let again = engine.rank(&open, &Query::top(top).method(other))?;
            if again != lists {
                return Err(format!(
                    "{} and the other method disagree (a bug: please report it)",
                    report.method
                )
                .into());
            }
            report.check_s = Some(started.elapsed().as_secs_f64());
        }
    }
    report.peak_memory_mib = peak_rss_mib();
    Ok(match args.shared.format {
        common::Format::Json => common::json(&report),
        common::Format::Text => report.text(),
    })
}

/// Every open member's explained top k among candidates scoring at least `min_score`, each
/// with the count of such candidates: the engine picks the pruned search or the scan
/// from a sample (see `Method::Auto`).
fn with_min_score(
    engine: &Engine,
    min_score: f32,
    report: &mut Report,
) -> Result<(), Box<dyn std::error::Error>> {
    let bar = common::bar(report.open_members, "members ranked");
    let query = Query::top(report.top)
        .min_score(min_score)
        .with_progress(common::progress_of(&bar));
    let started = Instant::now();
    let lists = engine.recommend_all(&query)?;
    report.ranked_s = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    report.recommendations = lists.iter().map(|r| r.items.len()).sum();
    let candidates: usize = lists.iter().map(|r| r.candidates).sum();
    report.candidates_per_member = Some(candidates as f64 / lists.len().max(1) as f64);
    report.method = "auto";
    Ok(())
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}
