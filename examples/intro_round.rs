//! Plans one introduction round for the whole community and prints it with its report.
//!
//! ```text
//! cargo run --release --example intro_round -- --community data/community-1500.json
//! cargo run --release --example intro_round -- --community data/small.json --format json
//! ```

mod common;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use pollinate::{Community, Engine, MatchWeights, RoundConfig};

const HELP: &str = "\
Plan one introduction round for the whole community: capacities, fairness floor, introducers.

USAGE:
    intro_round --community PATH [--format text|json] [--weights FILE.toml]
                [--max-intros N] [--introducer-capacity N] [--candidates N]

OPTIONS:
    --community PATH          JSON community file or CSV folder
    --format FORMAT           text or json [default: text]
    --weights FILE            match weights (TOML) [default: built-in]
    --max-intros N            per member, when the member set none [default: 3]
    --introducer-capacity N   introductions one member brokers per round [default: 3]
    --candidates N            top candidates considered per member [default: 20]
    -h, --help                print this help
";

struct Args {
    community: PathBuf,
    json: bool,
    weights: Option<PathBuf>,
    config: RoundConfig,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        community: PathBuf::new(),
        json: false,
        weights: None,
        config: RoundConfig::default(),
    };
    let mut community = None;
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("community") => community = Some(PathBuf::from(common::value(&mut parser)?)),
            Long("format") => {
                args.json = match common::value(&mut parser)?.as_str() {
                    "json" => true,
                    "text" => false,
                    other => return Err(format!("--format must be text or json, got {other:?}")),
                }
            }
            Long("weights") => args.weights = Some(common::value(&mut parser)?.into()),
            Long("max-intros") => {
                args.config.default_max_intros = common::number(&mut parser, "--max-intros")?;
            }
            Long("introducer-capacity") => {
                args.config.introducer_capacity =
                    common::number(&mut parser, "--introducer-capacity")?;
            }
            Long("candidates") => {
                args.config.candidates_per_member = common::number(&mut parser, "--candidates")?;
            }
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

fn run(args: &Args) -> Result<String, pollinate::Error> {
    let weights = args
        .weights
        .as_ref()
        .map_or_else(|| Ok(MatchWeights::default()), MatchWeights::from_toml_path)?;
    let engine = Engine::new(Community::load(&args.community)?, weights)?;
    let round = engine.plan_round(&args.config)?;
    let c = engine.community();
    let report = &round.report;
    if args.json {
        let json = serde_json::to_string(&round).expect("a round serializes");
        return Ok(format!("{json}\n"));
    }
    let mut out = String::new();
    for (n, i) in round.introductions.iter().enumerate() {
        let via = i.introducer.as_ref().map_or_else(
            || "the community team".to_owned(),
            |x| c[x.member.member()].name().to_owned(),
        );
        let _ = writeln!(
            out,
            "{:>4}. {:.3}  {} <-> {}  via {via}{}",
            n + 1,
            i.score,
            c[i.a.member()].name(),
            c[i.b.member()].name(),
            if i.floor { "  [floor]" } else { "" }
        );
        for r in &i.reasons {
            let _ = writeln!(out, "        - {r}");
        }
    }
    let _ = writeln!(
        out,
        "\nround: {} introductions, total score {:.3}; {} of {} open members covered ({:.1}%); exposure Gini {:.3}; fill {:?}; {} introductions with every mutual contact at brokering capacity",
        round.introductions.len(),
        report.total_score,
        report.members_covered,
        report.open_members,
        100.0 * report.members_covered as f64 / report.open_members.max(1) as f64,
        report.exposure_gini,
        report.method,
        report.introducers_full
    );
    let _ = writeln!(out, "without an introduction: {}", report.unserved.len());
    for u in &report.unserved {
        let m = &c[u.member.member()];
        let _ = writeln!(out, "  - {} ({}): {}", m.name(), m.id(), u.why);
    }
    Ok(out)
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}
