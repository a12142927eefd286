//! Plans one introduction round for the whole community and prints it with its report.
//!
//! ```text
//! cargo run --release --example intro_round -- --community data/community-1500.json
//! cargo run --release --example intro_round -- --community data/small.json --format json
//! ```

mod common;

use std::fmt::Write as _;
use std::process::ExitCode;

use pollinate::RoundConfig;

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
    shared: common::Shared,
    config: RoundConfig,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        shared: common::Shared::default(),
        config: RoundConfig::default(),
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name) if common::Shared::NAMES.contains(&name) && name != "top" => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
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
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.shared.community()?;
    Ok(args)
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let engine = args.shared.engine()?;
    let bar = common::bar(engine.open_members().len(), "members ranked");
    let config = RoundConfig {
        progress: Some(common::progress_of(&bar)),
        ..args.config.clone()
    };
    let round = engine.plan_round(&config)?;
    bar.finish_and_clear();
    let c = engine.community();
    let report = &round.report;
    if args.shared.format == common::Format::Json {
        return Ok(common::json(&round));
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
        "\nround: {} introductions, total score {:.3}; {} of {} open members covered ({:.1}%); exposure Gini {:.3}; fill {}; {} introductions with every mutual contact at brokering capacity",
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
