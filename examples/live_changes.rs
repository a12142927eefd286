//! Times each kind of change to a live engine on a community file, next to a full rebuild:
//! what a service embedding pollinate pays per write.
//!
//! ```text
//! cargo run --release --example live_changes -- --community data/community-1500.json
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use pollinate::{Change, Engine, MatchWeights, MemberRecord, Query};
use serde::Serialize;

const HELP: &str = "\
Time each kind of change to a live engine, and a full rebuild, on a community.

USAGE:
    live_changes --community PATH [--repeat N] [--format text|json]

OPTIONS:
    --community PATH    JSON community file or CSV folder
    --repeat N          times each change is applied (the median is kept) [default: 5]
    --format FORMAT     text or json [default: text]
    -h, --help          print this help
";

struct Args {
    shared: common::Shared,
    repeat: usize,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        shared: common::Shared::default(),
        repeat: 5,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name) if name == "community" || name == "format" => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
            Long("repeat") => args.repeat = common::number(&mut parser, "--repeat")?,
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.shared.community()?;
    if args.repeat == 0 {
        return Err("--repeat takes a whole number of at least 1".into());
    }
    Ok(args)
}

#[derive(Serialize)]
struct Timing {
    change: &'static str,
    median_ms: f64,
}

fn median_ms(repeat: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..repeat)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let engine = args.shared.engine()?;
    let c = engine.community();
    let ids: Vec<String> = c.members().take(4).map(|m| m.id().to_owned()).collect();
    if ids.len() < 4 || c.connections().is_empty() {
        return Err("the community needs four members and a tie".into());
    }
    let tied = c.connections()[0];
    let first = engine.open_members()[0];
    engine.rank(&[first], &Query::top(10))?;
    let changes: Vec<(&'static str, Change)> = vec![
        (
            "add a member",
            Change::PutMember {
                member: MemberRecord::new("timing-new-member", "platform", "KE")
                    .verticals(["microwork"])
                    .offers(["worker-vetting"])
                    .needs(["fundraising"]),
            },
        ),
        (
            "update a member",
            Change::PutMember {
                member: c.to_records().members[1].clone().needs(["payments"]),
            },
        ),
        (
            "remove a member",
            Change::RemoveMember { id: ids[2].clone() },
        ),
        (
            "add a tie",
            Change::PutTie {
                a: ids[0].clone(),
                b: ids[3].clone(),
                strength: Some(0.5),
            },
        ),
        (
            "remove a tie",
            Change::RemoveTie {
                a: c[tied.a].id().to_owned(),
                b: c[tied.b].id().to_owned(),
            },
        ),
        (
            "block a pair",
            Change::Block {
                a: ids[0].clone(),
                b: ids[1].clone(),
            },
        ),
        (
            "propose an introduction",
            Change::Propose {
                id: None,
                a: ids[0].clone(),
                b: ids[1].clone(),
                date: None,
            },
        ),
    ];
    let mut timings = Vec::new();
    for (name, change) in &changes {
        let mut failed = None;
        let ms = median_ms(args.repeat, || {
            if let Err(e) = engine.apply(std::slice::from_ref(change)) {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
        timings.push(Timing {
            change: name,
            median_ms: ms,
        });
    }
    let weights = MatchWeights::default();
    let community = c.clone();
    let rebuild = median_ms(args.repeat.min(3), || {
        if let Ok(rebuilt) = Engine::new(community.clone(), weights.clone()) {
            let _ = rebuilt.rank(&[first], &Query::top(10));
        }
    });
    timings.push(Timing {
        change: "full rebuild (engine and index)",
        median_ms: rebuild,
    });
    Ok(match args.shared.format {
        common::Format::Json => common::json(&timings),
        common::Format::Text => {
            use std::fmt::Write;
            let mut out = format!("{} members, median of {} runs:\n", c.len(), args.repeat);
            for t in &timings {
                let _ = writeln!(out, "  {:>10.3} ms  {}", t.median_ms, t.change);
            }
            out
        }
    })
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}
