//! Schedules a structured networking session: rounds of one-to-one meetings among attendees,
//! printed as a table per round and optionally written as CSV for the organisers.
//!
//! ```text
//! cargo run --release --example networking_session -- --community data/community-1500.json --sample 60 --rounds 5 --csv session.csv
//! ```

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pollinate::{Engine, MemberId, MemberRef, OddPolicy, Schedule, SessionConfig};
use rand::SeedableRng;
use rand::seq::SliceRandom;

const HELP: &str = "\
Schedule rounds of one-to-one meetings for an event's attendees.

USAGE:
    networking_session --community PATH (--attendees ID,ID,... | --sample N) [OPTIONS]

OPTIONS:
    --community PATH    JSON community file or CSV folder
    --attendees IDS     comma-separated member ids of the attendees
    --sample N          or: N attendees drawn (seeded) from all members
    --seed S            seed of --sample [default: 1]
    --rounds R          rounds [default: 5]
    --odd POLICY        sitout (the odd one out rotates) or trio [default: sitout]
    --candidates M      each attendee's best partners kept beyond one per round; 0 keeps
                        every pair (slower) [default: 24]
    --csv FILE          also write the schedule as CSV
    --weights FILE      match weights (TOML), merged over the defaults [default: built-in]
    --format FORMAT     text or json [default: text]
    -h, --help          print this help
";

struct Args {
    shared: common::Shared,
    attendees: Option<String>,
    sample: Option<usize>,
    seed: u64,
    config: SessionConfig,
    csv: Option<PathBuf>,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        shared: common::Shared::default(),
        attendees: None,
        sample: None,
        seed: 1,
        config: SessionConfig::default(),
        csv: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name) if common::Shared::NAMES.contains(&name) && name != "top" => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
            Long("attendees") => args.attendees = Some(common::value(&mut parser)?),
            Long("sample") => args.sample = Some(common::number(&mut parser, "--sample")?),
            Long("seed") => args.seed = common::number(&mut parser, "--seed")?,
            Long("rounds") => args.config.rounds = common::number(&mut parser, "--rounds")?,
            Long("candidates") => {
                args.config.candidates_per_attendee = common::number(&mut parser, "--candidates")?;
            }
            Long("odd") => {
                args.config.odd = match common::value(&mut parser)?.as_str() {
                    "sitout" => OddPolicy::SitOut,
                    "trio" => OddPolicy::Trio,
                    other => return Err(format!("--odd must be sitout or trio, got {other:?}")),
                }
            }
            Long("csv") => args.csv = Some(common::value(&mut parser)?.into()),
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.shared.community()?;
    if args.attendees.is_some() == args.sample.is_some() {
        return Err("give either --attendees or --sample".into());
    }
    Ok(args)
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let engine = args.shared.engine()?;
    let c = engine.community();
    let attendees: Vec<MemberId> = match (&args.attendees, args.sample) {
        (Some(list), _) => list
            .split(',')
            .map(|id| c.resolve(id.trim()))
            .collect::<Result<_, _>>()?,
        (None, Some(n)) => {
            if n > c.len() {
                eprintln!(
                    "warning: --sample {n} asks for more attendees than the {} members; taking all of them",
                    c.len()
                );
            }
            let mut all: Vec<MemberId> = c.member_ids().collect();
            all.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(args.seed));
            all.truncate(n);
            all
        }
        (None, None) => Vec::new(),
    };
    let bar = common::bar(attendees.len() * (args.config.rounds + 1), "attendees");
    let config = SessionConfig {
        progress: Some(common::progress_of(&bar)),
        ..args.config.clone()
    };
    let schedule = engine.schedule_session(&attendees, &config)?;
    bar.finish_and_clear();
    if let Some(path) = &args.csv {
        write_csv(path, &schedule)?;
    }
    let mut out = match args.shared.format {
        common::Format::Json => common::json(&schedule),
        common::Format::Text => text(&engine, attendees.len(), &schedule),
    };
    if let Some(path) = &args.csv {
        if args.shared.format == common::Format::Text {
            let _ = writeln!(out, "\nwrote {}", path.display());
        }
    }
    Ok(out)
}

/// The schedule as CSV, one row per meeting, written atomically (a temporary file renamed).
fn write_csv(path: &Path, schedule: &Schedule) -> Result<(), Box<dyn std::error::Error>> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "round", "table", "member_a", "member_b", "member_c", "score",
    ])?;
    for round in &schedule.rounds {
        for (t, meeting) in round.meetings.iter().enumerate() {
            let ids: Vec<&str> = meeting.members.iter().map(MemberRef::id).collect();
            csv.write_record([
                round.number.to_string(),
                (t + 1).to_string(),
                ids[0].to_owned(),
                ids[1].to_owned(),
                ids.get(2).map_or(String::new(), |s| (*s).to_owned()),
                format!("{:.4}", meeting.score),
            ])?;
        }
    }
    let bytes = csv.into_inner().map_err(csv::IntoInnerError::into_error)?;
    common::write_atomically(path, &bytes)
}

fn text(engine: &Engine, attendees: usize, schedule: &Schedule) -> String {
    let c = engine.community();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} attendees, {} rounds, total score {:.3}",
        attendees,
        schedule.rounds.len(),
        schedule.total_score
    );
    for round in &schedule.rounds {
        let _ = writeln!(out, "\nround {}", round.number);
        let _ = writeln!(out, "  table  score  members");
        for (t, meeting) in round.meetings.iter().enumerate() {
            let names: Vec<String> = meeting
                .members
                .iter()
                .map(|m| format!("{} ({})", c[m.member()].name(), c[m.member()].kind()))
                .collect();
            let _ = writeln!(
                out,
                "  {:>5}  {:.3}  {}",
                t + 1,
                meeting.score,
                names.join("  +  ")
            );
        }
        for out_of_round in &round.sitting_out {
            let m = out_of_round.member.member();
            let _ = writeln!(
                out,
                "  sitting out: {} ({}): {}",
                c[m].name(),
                c[m].id(),
                out_of_round.why
            );
        }
    }
    out
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}
