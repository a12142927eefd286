//! Communities of practice: recommends existing ones to members, and proposes emerging ones
//! found by clustering the match graph.
//!
//! ```text
//! cargo run --release --example communities -- --community data/community-1500.json
//! cargo run --release --example communities -- --community data/small.json --member fundi-fix
//! ```

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use pollinate::{Community, DiscoveryConfig, Engine, MatchWeights, MemberKind};

const HELP: &str = "\
Recommend communities of practice to members, and propose emerging ones.

USAGE:
    communities --community PATH [--member ID] [--seed S] [--min-size N]

OPTIONS:
    --community PATH    JSON community file or CSV folder
    --member ID         recommend CoPs to this member [default: the first five platforms]
    --seed S            clustering seed [default: 7]
    --min-size N        smallest emerging community proposed [default: 5]
    -h, --help          print this help
";

fn parse() -> Result<(PathBuf, Option<String>, DiscoveryConfig), String> {
    use lexopt::prelude::*;
    let mut community = None;
    let mut member = None;
    let mut config = DiscoveryConfig::default();
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("community") => community = Some(PathBuf::from(common::value(&mut parser)?)),
            Long("member") => member = Some(common::value(&mut parser)?),
            Long("seed") => {
                config.seed = common::value(&mut parser)?
                    .parse()
                    .map_err(|_| "--seed takes a whole number")?;
            }
            Long("min-size") => {
                config.min_size = common::value(&mut parser)?
                    .parse()
                    .map_err(|_| "--min-size takes a whole number")?;
            }
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    Ok((
        community.ok_or("--community PATH is required")?,
        member,
        config,
    ))
}

fn run(
    path: &PathBuf,
    member: Option<&str>,
    config: &DiscoveryConfig,
) -> Result<String, pollinate::Error> {
    use std::fmt::Write;
    let engine = Engine::new(Community::load(path)?, MatchWeights::default())?;
    let c = engine.community();
    let mut out = String::new();
    let members = match member {
        Some(id) => vec![c.resolve(id)?],
        None => c
            .member_ids()
            .filter(|&m| c[m].kind() == MemberKind::Platform)
            .take(5)
            .collect(),
    };
    let _ = writeln!(out, "communities of practice to join");
    for m in members {
        let _ = writeln!(out, "\n{} ({})", c[m].name(), c[m].id());
        let recs = engine.recommend_cops(m, 3)?;
        if recs.is_empty() {
            let _ = writeln!(out, "  (already in every community of practice)");
        }
        for r in recs {
            let _ = writeln!(
                out,
                "  {:.3}  {}  (like {:.3}, needs met {:.0}%)",
                r.score,
                r.cop.label(),
                r.like,
                r.needs_met * 100.0
            );
            for reason in &r.reasons {
                let _ = writeln!(out, "         - {reason}");
            }
        }
    }
    let emerging = engine.discover_communities(config)?;
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
            .map(|(t, n)| format!("{} ({n})", t.label()))
            .collect();
        let _ = writeln!(out, "   topics: {}", topics.join(", "));
        match &e.closest_cop {
            Some((cop, share)) => {
                let _ = writeln!(
                    out,
                    "   closest existing CoP: {} ({:.0}% of members)",
                    cop.label(),
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
    common::main_with(HELP, parse, |(path, member, config)| {
        run(path, member.as_deref(), config)
    })
}
