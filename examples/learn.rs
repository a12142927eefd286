//! Learning resources and journeys for a member, from the catalogue in the community file
//! (or `resources.csv`, `journeys.csv` and `consumed.csv` in a CSV folder); or, with
//! `--evaluate DATE`, how well the ranking predicts what members consumed after that date.
//!
//! ```text
//! cargo run --release --example learn -- --community data/small.json --member domestic-voice
//! ```

mod common;

use std::fmt::Write as _;

use pollinate::{Catalogue, Community, Date, Learning, LearningConfig, LearningList};

const HELP: &str = "\
Learning resources and journeys for a member, or an evaluation of the ranking.

USAGE:
    learn --community PATH (--member ID | --all | --evaluate DATE) [--top K] [--format text|json]

OPTIONS:
    --community PATH   JSON community file or CSV folder, with its learning catalogue
    --member ID        the member to recommend for
    --all              every member (JSON Lines with --format json)
    --evaluate DATE    rank with what was consumed before DATE (YYYY-MM-DD), judge what came after
    --top K            resources per list [default: 5]
    --format FORMAT    text or json [default: text]
    -h, --help         print this help
";

struct Args {
    shared: common::Shared,
    member: Option<String>,
    all: bool,
    evaluate: Option<Date>,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        shared: common::Shared::default(),
        member: None,
        all: false,
        evaluate: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name @ ("community" | "format" | "top")) => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
            Long("member") => args.member = Some(common::value(&mut parser)?),
            Long("all") => args.all = true,
            Long("evaluate") => {
                let text = common::value(&mut parser)?;
                args.evaluate = Some(
                    text.parse()
                        .map_err(|e| format!("--evaluate {text:?}: {e}"))?,
                );
            }
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.shared.community()?;
    if args.member.is_none() && !args.all && args.evaluate.is_none() {
        return Err("give --member ID, --all or --evaluate DATE".into());
    }
    Ok(args)
}

fn to_text(learning: &Learning, list: &LearningList, out: &mut String) {
    let c = learning.community();
    let member = &c[list.member.member()];
    let _ = writeln!(out, "{} ({}): resources", member.name(), member.id());
    for (i, r) in list.resources.iter().enumerate() {
        let res = learning.catalogue().resource(r.resource.id());
        let _ = writeln!(
            out,
            "  {}. {} [{}] {:.3}",
            i + 1,
            res.title(),
            res.kind(),
            r.score
        );
        for reason in &r.reasons {
            let _ = writeln!(out, "       - {reason}");
        }
    }
    if !list.journeys.is_empty() {
        let _ = writeln!(out, "  journeys:");
    }
    for j in &list.journeys {
        let journey = &learning.catalogue().journeys()[j.journey.id()];
        let next = j
            .next
            .as_ref()
            .map_or("-", |n| learning.catalogue().resource(n.id()).title());
        let _ = writeln!(
            out,
            "  * {} ({}/{} done), next: {next}",
            journey.title(),
            j.done,
            j.steps
        );
        for reason in &j.reasons {
            let _ = writeln!(out, "       - {reason}");
        }
    }
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let path = args.shared.community()?;
    let community = Community::load(path)?;
    let catalogue = Catalogue::load(path, &community)?;
    let top = args.shared.top.unwrap_or(5);
    let json = args.shared.format == common::Format::Json;
    if let Some(cutoff) = args.evaluate {
        let eval = Learning::evaluate(
            &community,
            &catalogue,
            &LearningConfig::default(),
            cutoff,
            top,
        )?;
        if json {
            return Ok(common::json(&eval));
        }
        let m = &eval.metrics;
        return Ok(format!(
            "trained on {} records before {cutoff}, judged {} after, {} members judged\n\
             precision@{k} {:.4}  recall@{k} {:.4}  ndcg@{k} {:.4}  mrr@{k} {:.4}  hit@{k} {:.4}\n",
            eval.train,
            eval.test,
            m.judged_members,
            m.precision,
            m.recall,
            m.ndcg,
            m.mrr,
            m.hit_rate,
            k = m.k
        ));
    }
    let learning = Learning::new(community, catalogue, LearningConfig::default())?;
    let lists = match &args.member {
        Some(id) => vec![learning.recommend(learning.community().resolve(id)?, top)?],
        None => learning.recommend_all(top)?,
    };
    let mut out = String::new();
    for list in &lists {
        if json {
            out.push_str(&serde_json::to_string(list)?);
            out.push('\n');
        } else {
            to_text(&learning, list, &mut out);
        }
    }
    Ok(out)
}

fn main() -> std::process::ExitCode {
    common::main_with(HELP, parse, run)
}
