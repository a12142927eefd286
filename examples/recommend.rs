//! The main program: ranked, explained warm introductions for one member or all of them.
//!
//! ```text
//! cargo run --release --example recommend -- --community data/small.json --member fundi-fix
//! cargo run --release --example recommend -- --community data/community-1500.json --format json
//! ```

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use pollinate::{Community, Engine, MatchWeights, Query, Recommendations};

const HELP: &str = "\
Recommend warm introductions: who each member should meet, why, and who can introduce them.

USAGE:
    recommend --community FILE [--member ID] [--top K] [--format text|json] [--weights FILE.toml]

OPTIONS:
    --community FILE    a JSON community file, or a folder of CSV files
    --member ID         recommend for this member only [default: every member open to intros]
    --top K             recommendations per member [default: 10]
    --format FORMAT     text or json; json without --member writes one object per line
                        (JSON Lines), in input order [default: text]
    --weights FILE      match weights as TOML (unknown keys are refused) [default: built-in]
    -h, --help          print this help
";

#[derive(PartialEq)]
enum Format {
    Text,
    Json,
}

struct Args {
    community: PathBuf,
    member: Option<String>,
    top: usize,
    format: Format,
    weights: Option<PathBuf>,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut community = None;
    let mut member = None;
    let mut top = 10;
    let mut format = Format::Text;
    let mut weights = None;
    let mut parser = lexopt::Parser::from_env();
    let err = |e: lexopt::Error| e.to_string();
    while let Some(arg) = parser.next().map_err(err)? {
        match arg {
            Long("community") => community = Some(PathBuf::from(parser.value().map_err(err)?)),
            Long("member") => member = Some(parser.value().map_err(err)?.string().map_err(err)?),
            Long("top") => {
                let v = parser.value().map_err(err)?.string().map_err(err)?;
                top = v
                    .parse()
                    .map_err(|_| format!("--top must be a whole number >= 0, got {v:?}"))?;
            }
            Long("format") => {
                let v = parser.value().map_err(err)?.string().map_err(err)?;
                format = match v.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    _ => return Err(format!("--format must be text or json, got {v:?}")),
                };
            }
            Long("weights") => weights = Some(PathBuf::from(parser.value().map_err(err)?)),
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    Ok(Args {
        community: community.ok_or("--community FILE is required")?,
        member,
        top,
        format,
        weights,
    })
}

fn to_text(engine: &Engine, recs: &Recommendations, out: &mut String) {
    use std::fmt::Write;
    let c = engine.community();
    let m = &c[recs.member.member()];
    let _ = writeln!(
        out,
        "{} ({}, {}, {}) - {} of {} candidates{}",
        m.name(),
        m.id(),
        m.kind(),
        m.country().name(),
        recs.items.len(),
        recs.candidates,
        if recs.is_exhaustive() {
            ", all shown"
        } else {
            ""
        }
    );
    if !m.open_to_intros() {
        let _ = writeln!(out, "  not open to introductions");
    }
    for (i, r) in recs.items.iter().enumerate() {
        let t = &c[r.candidate.member()];
        let via = r.introducer.as_ref().map_or_else(
            || "no introducer".to_owned(),
            |i| format!("via {}", c[i.member.member()].name()),
        );
        let _ = writeln!(
            out,
            "  {:>2}. {:.3}  {} ({}, {}) {via}",
            i + 1,
            r.score,
            t.name(),
            t.id(),
            t.kind()
        );
        let parts: Vec<String> = r
            .components
            .values()
            .iter()
            .filter(|comp| comp.contribution > 0.0)
            .map(|comp| format!("{} {:.3}", comp.signal, comp.contribution))
            .collect();
        let _ = writeln!(out, "      [{}]", parts.join(", "));
        for reason in &r.reasons {
            let _ = writeln!(out, "      - {reason}");
        }
    }
    out.push('\n');
}

/// One member's recommendations as a line of JSON.
fn to_json(recs: &Recommendations, out: &mut String) {
    out.push_str(&serde_json::to_string(recs).expect("recommendations serialize"));
    out.push('\n');
}

fn run(args: &Args) -> Result<String, pollinate::Error> {
    let weights = match &args.weights {
        Some(path) => MatchWeights::from_toml_path(path)?,
        None => MatchWeights::default(),
    };
    let community = Community::load(&args.community)?;
    let engine = Engine::new(community, weights)?;
    let mut out = String::new();
    let query = Query::top(args.top);
    let lists = match &args.member {
        Some(id) => vec![engine.recommend(engine.community().resolve(id)?, &query)?],
        None => engine.recommend_all(&query)?,
    };
    for recs in &lists {
        match args.format {
            Format::Json => to_json(recs, &mut out),
            Format::Text => to_text(&engine, recs, &mut out),
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}
