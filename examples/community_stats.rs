//! Loads a community (JSON file or CSV folder) and prints an overview; on bad input prints every
//! problem and exits non-zero.
//!
//! ```text
//! cargo run --example community_stats -- --community data/small.json
//! cargo run --example community_stats -- --community data/small-csv --format json
//! ```

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use pollinate::{Community, MemberKind, Stage, Taxonomy};
use serde::Serialize;

const HELP: &str = "\
Print an overview of a community: members by kind, country, vertical and stage; ties; CoPs.

USAGE:
    community_stats --community PATH [--taxonomy FILE.json] [--format text|json]

OPTIONS:
    --community PATH    a JSON community file or a folder of CSV files
    --taxonomy FILE     the community's own taxonomy [default: built-in jobtech]
    --format FORMAT     text or json [default: text]
    -h, --help          print this help
";

struct Args {
    shared: common::Shared,
    taxonomy: Option<PathBuf>,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        shared: common::Shared::default(),
        taxonomy: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name) if name == "community" || name == "format" => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
            Long("taxonomy") => args.taxonomy = Some(common::value(&mut parser)?.into()),
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.shared.community()?;
    Ok(args)
}

/// The overview, as `--format json` prints it: counts by key, largest first.
#[derive(Serialize)]
struct Overview {
    path: String,
    members: usize,
    ties: usize,
    introductions: usize,
    blocked_pairs: usize,
    topics: usize,
    load_ms: f64,
    kinds: Vec<(String, usize)>,
    countries: Vec<(String, usize)>,
    verticals: Vec<(String, usize)>,
    categories: Vec<(String, usize)>,
    platform_stages: Vec<(String, usize)>,
    languages: Vec<(String, usize)>,
    communities_of_practice: Vec<(String, usize)>,
    ties_per_member: f64,
    members_without_ties: usize,
    not_open_to_introductions: usize,
}

/// Counts largest first, then by key.
fn ranked<K: std::fmt::Display>(counts: &BTreeMap<K, usize>) -> Vec<(String, usize)> {
    let mut rows: Vec<(String, usize)> = counts.iter().map(|(k, &n)| (k.to_string(), n)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

fn table(out: &mut String, title: &str, rows: &[(String, usize)]) {
    let _ = writeln!(out, "\n{title}");
    for (k, n) in rows {
        let _ = writeln!(out, "  {n:>6}  {k}");
    }
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}

fn run(args: &Args) -> Result<String, pollinate::Error> {
    let path = args.shared.community.as_deref().expect("checked by parse");
    let started = Instant::now();
    let taxonomy = args
        .taxonomy
        .as_ref()
        .map_or_else(|| Ok(Taxonomy::jobtech()), Taxonomy::from_json_path)?;
    let community = Community::load_with_taxonomy(path, taxonomy)?;
    let elapsed = started.elapsed();
    let t = community.taxonomy();
    let mut kinds = BTreeMap::new();
    let mut countries = BTreeMap::new();
    let mut verticals = BTreeMap::new();
    let mut categories = BTreeMap::new();
    let mut stages: BTreeMap<Stage, usize> = BTreeMap::new();
    let mut languages = BTreeMap::new();
    let mut cops = BTreeMap::new();
    let mut closed = 0;
    for m in community.members() {
        *kinds.entry(m.kind()).or_insert(0) += 1;
        *countries
            .entry(format!("{} {}", m.country(), m.country().name()))
            .or_insert(0) += 1;
        for &v in m.verticals() {
            *verticals.entry(t[v].name()).or_insert(0) += 1;
            *categories.entry(t[t[v].category()].name()).or_insert(0) += 1;
        }
        if let (MemberKind::Platform, Some(s)) = (m.kind(), m.stage()) {
            *stages.entry(s).or_insert(0) += 1;
        }
        for l in m.languages() {
            *languages.entry(l.name()).or_insert(0) += 1;
        }
        for &c in m.communities() {
            *cops.entry(community.cop_name(c)).or_insert(0) += 1;
        }
        closed += usize::from(!m.open_to_intros());
    }
    let mut degree = vec![0usize; community.len()];
    for c in community.connections() {
        degree[c.a.index()] += 1;
        degree[c.b.index()] += 1;
    }
    let overview = Overview {
        path: path.display().to_string(),
        members: community.len(),
        ties: community.connections().len(),
        introductions: community.introductions().len(),
        blocked_pairs: community.blocked().len(),
        topics: community.topics().len(),
        load_ms: elapsed.as_secs_f64() * 1e3,
        kinds: ranked(&kinds),
        countries: ranked(&countries),
        verticals: ranked(&verticals),
        categories: ranked(&categories),
        platform_stages: stages.iter().map(|(s, &n)| (s.to_string(), n)).collect(),
        languages: ranked(&languages),
        communities_of_practice: ranked(&cops),
        ties_per_member: 2.0 * community.connections().len() as f64 / community.len().max(1) as f64,
        members_without_ties: degree.iter().filter(|&&d| d == 0).count(),
        not_open_to_introductions: closed,
    };
    if args.shared.format == common::Format::Json {
        return Ok(common::json(&overview));
    }
    let o = &overview;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} members, {} ties, {} introductions, {} blocked pairs, {} topics, {} communities of practice (loaded in {:.1} ms)",
        o.path,
        o.members,
        o.ties,
        o.introductions,
        o.blocked_pairs,
        o.topics,
        community.cops().len(),
        o.load_ms
    );
    table(&mut out, "members by kind", &o.kinds);
    table(&mut out, "members by country", &o.countries);
    table(
        &mut out,
        "members by vertical (a member may have several)",
        &o.verticals,
    );
    table(&mut out, "members by category", &o.categories);
    table(&mut out, "platforms by stage", &o.platform_stages);
    table(
        &mut out,
        "members by language (a member may have several)",
        &o.languages,
    );
    table(
        &mut out,
        "communities of practice",
        &o.communities_of_practice,
    );
    let _ = writeln!(
        out,
        "\nties: {:.1} per member on average, {} members without ties, {} not open to introductions",
        o.ties_per_member, o.members_without_ties, o.not_open_to_introductions
    );
    Ok(out)
}
