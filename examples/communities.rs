//! Communities of practice: recommends existing ones to members, and proposes emerging ones
//! found by clustering the match graph.
//!
//! ```text
//! cargo run --release --example communities -- --community data/community-1500.json
//! cargo run --release --example communities -- --community data/small.json --member fundi-fix
//! ```

mod common;

use std::process::ExitCode;

use pollinate::{CopRecommendation, DiscoveryConfig, EmergingCommunity, MemberKind, MemberRef};
use serde::Serialize;

const HELP: &str = "\
Recommend communities of practice to members, and propose emerging ones.

USAGE:
    communities --community PATH [--member ID] [--top K] [--seed S] [--min-size N]
                [--weights FILE.toml] [--format text|json]

OPTIONS:
    --community PATH    JSON community file or CSV folder
    --member ID         recommend CoPs to this member [default: the first five platforms]
    --top K             CoPs recommended per member [default: 3]
    --seed S            clustering seed [default: 7]
    --min-size N        smallest emerging community proposed [default: 5]
    --weights FILE      match weights (TOML), merged over the defaults [default: built-in]
    --format FORMAT     text or json [default: text]
    -h, --help          print this help
";

struct Args {
    shared: common::Shared,
    member: Option<String>,
    config: DiscoveryConfig,
}

/// What `--format json` prints.
#[derive(Serialize)]
struct Report {
    recommendations: Vec<MemberCops>,
    emerging: Vec<EmergingCommunity>,
}

#[derive(Serialize)]
struct MemberCops {
    member: MemberRef,
    cops: Vec<CopRecommendation>,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        shared: common::Shared::default(),
        member: None,
        config: DiscoveryConfig::default(),
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name) if common::Shared::NAMES.contains(&name) => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
            Long("member") => args.member = Some(common::value(&mut parser)?),
            Long("seed") => args.config.seed = common::number(&mut parser, "--seed")?,
            Long("min-size") => args.config.min_size = common::number(&mut parser, "--min-size")?,
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.shared.community()?;
    Ok(args)
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    use std::fmt::Write;
    let engine = args.shared.engine()?;
    let c = engine.community();
    let mut out = String::new();
    let members = match &args.member {
        Some(id) => vec![c.resolve(id)?],
        None => c
            .member_ids()
            .filter(|&m| c[m].kind() == MemberKind::Platform)
            .take(5)
            .collect(),
    };
    let mut report = Report {
        recommendations: Vec::new(),
        emerging: engine.discover_communities(&args.config)?,
    };
    for member in members {
        report.recommendations.push(MemberCops {
            cops: engine.recommend_cops(member, args.shared.top.unwrap_or(3))?,
            member: c.member_ref(member),
        });
    }
    if args.shared.format == common::Format::Json {
        return Ok(common::json(&report));
    }
    let _ = writeln!(out, "communities of practice to join");
    for r in &report.recommendations {
        let m = r.member.member();
        let _ = writeln!(out, "\n{} ({})", c[m].name(), c[m].id());
        if r.cops.is_empty() {
            let _ = writeln!(out, "  (already in every community of practice)");
        }
        for r in &r.cops {
            let _ = writeln!(
                out,
                "  {:.3}  {}  (like {:.3}, needs met {:.0}%)",
                r.score,
                c.cop_name(r.cop.id()),
                r.like,
                r.needs_met * 100.0
            );
            for reason in &r.reasons {
                let _ = writeln!(out, "         - {reason}");
            }
        }
    }
    let emerging = &report.emerging;
    let _ = writeln!(
        out,
        "\nemerging communities no existing CoP covers ({} found)",
        emerging.len()
    );
    for (i, e) in emerging.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n{}. \"{}\" (suggested slug {}), {} members",
            i + 1,
            e.name,
            e.slug,
            e.members.len()
        );
        let verticals: Vec<String> = e
            .verticals
            .iter()
            .map(|(v, n)| format!("{} ({n})", c.taxonomy()[v.id()].name()))
            .collect();
        let _ = writeln!(out, "   verticals: {}", verticals.join("; "));
        let topics: Vec<String> = e
            .topics
            .iter()
            .map(|(t, n)| format!("{} ({n})", c.topic_name(t.id())))
            .collect();
        let _ = writeln!(out, "   topics: {}", topics.join(", "));
        match &e.closest_cop {
            Some((cop, share)) => {
                let _ = writeln!(
                    out,
                    "   closest existing CoP: {} ({:.0}% of members)",
                    c.cop_name(cop.id()),
                    share * 100.0
                );
            }
            None => {
                let _ = writeln!(out, "   no member is in an existing CoP");
            }
        }
        let names: Vec<&str> = e
            .members
            .iter()
            .take(8)
            .map(|m| c[m.member()].name())
            .collect();
        let _ = writeln!(
            out,
            "   members: {}{}",
            names.join(", "),
            if e.members.len() > 8 { ", ..." } else { "" }
        );
    }
    Ok(out)
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}
