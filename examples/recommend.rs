//! The main program: ranked, explained warm introductions for one member or all of them.
//!
//! ```text
//! cargo run --release --example recommend -- --community data/small.json --member fundi-fix
//! cargo run --release --example recommend -- --community data/community-1500.json --format json
//! ```

mod common;

use std::io::Write as _;
use std::process::ExitCode;

use rayon::prelude::*;

use common::Format;
use pollinate::{Engine, Query, Recommendations};

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

struct Args {
    shared: common::Shared,
    member: Option<String>,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        shared: common::Shared::default(),
        member: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name) if common::Shared::NAMES.contains(&name) => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
            Long("member") => args.member = Some(common::value(&mut parser)?),
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.shared.community()?;
    Ok(args)
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

/// Members ranked, explained and formatted per batch: large enough to keep every thread busy,
/// small enough that the output is written as it comes, in bounded memory.
const BATCH: usize = 4096;

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let engine = args.shared.engine()?;
    let query = Query::top(args.shared.top.unwrap_or(10));
    let format = |recs: &Recommendations| {
        let mut out = String::new();
        match args.shared.format {
            Format::Json => to_json(recs, &mut out),
            Format::Text => to_text(&engine, recs, &mut out),
        }
        out
    };
    if let Some(id) = &args.member {
        return Ok(format(
            &engine.recommend(engine.community().resolve(id)?, &query)?,
        ));
    }
    let bar = common::bar(engine.open_members().len(), "members");
    let query = query.with_progress(common::progress_of(&bar));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    for batch in engine.recommend_stream(&query, BATCH)? {
        // Formatted in parallel, written in member order.
        let texts: Vec<String> = batch.par_iter().map(format).collect();
        for text in &texts {
            if let Err(e) = out.write_all(text.as_bytes()) {
                return common::closed_pipe_is_done(&e);
            }
        }
    }
    if let Err(e) = out.flush() {
        return common::closed_pipe_is_done(&e);
    }
    bar.finish_and_clear();
    Ok(String::new())
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}
