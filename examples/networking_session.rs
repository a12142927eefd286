//! Schedules a structured networking session: rounds of one-to-one meetings among attendees,
//! printed as a table per round and optionally written as CSV for the organisers.
//!
//! ```text
//! cargo run --release --example networking_session -- --community data/community-1500.json --sample 60 --rounds 5 --csv session.csv
//! ```

mod common;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use pollinate::{Community, Engine, MatchWeights, MemberId, OddPolicy, SessionConfig, SitOut};
use rand::SeedableRng;
use rand::seq::SliceRandom;

const HELP: &str = "\
Schedule rounds of one-to-one meetings for an event's attendees.

USAGE:
    networking_session --community PATH (--attendees ID,ID,... | --sample N) [OPTIONS]

OPTIONS:
    --community PATH    JSON community file or CSV folder
    --attendees IDS     comma-separated member ids of the attendees
    --sample N          or: N attendees drawn (seeded) from the members open to introductions
    --seed S            seed of --sample [default: 1]
    --rounds R          rounds [default: 5]
    --odd POLICY        sitout (rotating) or trio [default: sitout]
    --csv FILE          also write the schedule as CSV
    --weights FILE      match weights (TOML) [default: built-in]
    -h, --help          print this help
";

struct Args {
    community: PathBuf,
    attendees: Option<String>,
    sample: Option<usize>,
    seed: u64,
    config: SessionConfig,
    csv: Option<PathBuf>,
    weights: Option<PathBuf>,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        community: PathBuf::new(),
        attendees: None,
        sample: None,
        seed: 1,
        config: SessionConfig::default(),
        csv: None,
        weights: None,
    };
    let mut community = None;
    let mut parser = lexopt::Parser::from_env();
    let num = |v: String, name: &str| {
        v.parse::<u64>()
            .map_err(|_| format!("{name} takes a whole number, got {v:?}"))
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("community") => community = Some(PathBuf::from(common::value(&mut parser)?)),
            Long("attendees") => args.attendees = Some(common::value(&mut parser)?),
            Long("sample") => {
                args.sample = Some(num(common::value(&mut parser)?, "--sample")? as usize);
            }
            Long("seed") => args.seed = num(common::value(&mut parser)?, "--seed")?,
            Long("rounds") => {
                args.config.rounds = num(common::value(&mut parser)?, "--rounds")? as usize;
            }
            Long("odd") => {
                args.config.odd = match common::value(&mut parser)?.as_str() {
                    "sitout" => OddPolicy::SitOut,
                    "trio" => OddPolicy::Trio,
                    other => return Err(format!("--odd must be sitout or trio, got {other:?}")),
                }
            }
            Long("csv") => args.csv = Some(common::value(&mut parser)?.into()),
            Long("weights") => args.weights = Some(common::value(&mut parser)?.into()),
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.community = community.ok_or("--community PATH is required")?;
    if args.attendees.is_some() == args.sample.is_some() {
        return Err("give either --attendees or --sample".into());
    }
    Ok(args)
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let weights = args
        .weights
        .as_ref()
        .map_or_else(|| Ok(MatchWeights::default()), MatchWeights::from_toml_path)?;
    let engine = Engine::new(Community::load(&args.community)?, weights)?;
    let c = engine.community();
    let attendees: Vec<MemberId> = match (&args.attendees, args.sample) {
        (Some(list), _) => list
            .split(',')
            .map(|id| c.resolve(id))
            .collect::<Result<_, _>>()?,
        (None, Some(n)) => {
            let mut open: Vec<MemberId> =
                c.member_ids().filter(|&m| c[m].open_to_intros()).collect();
            open.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(args.seed));
            open.truncate(n);
            open
        }
        (None, None) => Vec::new(),
    };
    let schedule = engine.schedule_session(&attendees, &args.config)?;
    let mut out = String::new();
    let mut csv = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| format!("schedule CSV: {e}");
    csv.write_record([
        "round", "table", "member_a", "member_b", "member_c", "score",
    ])
    .map_err(csv_err)?;
    let _ = writeln!(
        out,
        "{} attendees, {} rounds, total score {:.3}",
        attendees.len(),
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
            let ids: Vec<&str> = meeting
                .members
                .iter()
                .map(pollinate::MemberRef::id)
                .collect();
            csv.write_record([
                round.number.to_string(),
                (t + 1).to_string(),
                ids[0].to_owned(),
                ids[1].to_owned(),
                ids.get(2).map_or(String::new(), |s| (*s).to_owned()),
                format!("{:.4}", meeting.score),
            ])
            .map_err(csv_err)?;
        }
        for out_of_round in &round.sitting_out {
            let m = out_of_round.member.member();
            let reason = match out_of_round.why {
                SitOut::Rotation => "sits out this round (odd number, rotating)",
                SitOut::NoPartnerLeft => "no allowed partner left",
                SitOut::NotOpen => "not open to introductions",
            };
            let _ = writeln!(
                out,
                "  sitting out: {} ({}): {reason}",
                c[m].name(),
                c[m].id()
            );
        }
    }
    if let Some(path) = &args.csv {
        let bytes = csv.into_inner().map_err(csv::IntoInnerError::into_error)?;
        std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let _ = writeln!(out, "\nwrote {}", path.display());
    }
    Ok(out)
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}
