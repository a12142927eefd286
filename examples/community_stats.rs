//! Loads a community (JSON file or CSV folder) and prints an overview; on bad input prints every
//! problem and exits non-zero.
//!
//! ```text
//! cargo run --example community_stats -- data/small.json
//! cargo run --example community_stats -- data/small-csv
//! ```

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use pollinate::{Community, MemberKind, Stage, Taxonomy};

const HELP: &str = "\
Print an overview of a community: members by kind, country, vertical and stage; ties; CoPs.

USAGE:
    community_stats [--taxonomy FILE.json] PATH

ARGS:
    PATH                a JSON community file or a folder of CSV files

OPTIONS:
    --taxonomy FILE     the community's own taxonomy [default: built-in jobtech]
    -h, --help          print this help
";

fn parse() -> Result<(PathBuf, Option<PathBuf>), lexopt::Error> {
    use lexopt::prelude::*;
    let mut path = None;
    let mut taxonomy = None;
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("taxonomy") => taxonomy = Some(parser.value()?.into()),
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            Value(v) if path.is_none() => path = Some(v.into()),
            _ => return Err(arg.unexpected()),
        }
    }
    let path = path.ok_or(lexopt::Error::MissingValue {
        option: Some("PATH".into()),
    })?;
    Ok((path, taxonomy))
}

fn table<K: std::fmt::Display>(out: &mut String, title: &str, counts: &BTreeMap<K, usize>) {
    let _ = writeln!(out, "\n{title}");
    let mut rows: Vec<_> = counts.iter().collect();
    rows.sort_by(|a, b| {
        b.1.cmp(a.1)
            .then_with(|| a.0.to_string().cmp(&b.0.to_string()))
    });
    for (k, n) in rows {
        let _ = writeln!(out, "  {n:>6}  {k}");
    }
}

fn main() -> ExitCode {
    common::main_with(HELP, || parse().map_err(|e| e.to_string()), run)
}

fn run((path, taxonomy_path): &(PathBuf, Option<PathBuf>)) -> Result<String, pollinate::Error> {
    let started = Instant::now();
    let taxonomy = taxonomy_path
        .as_ref()
        .map_or_else(|| Ok(Taxonomy::jobtech()), Taxonomy::from_json_path)?;
    let community = Community::load_with_taxonomy(path, taxonomy)?;
    let elapsed = started.elapsed();
    let t = community.taxonomy();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} members, {} ties, {} introductions, {} blocked pairs, {} topics, {} communities of practice (loaded in {:.1} ms)",
        path.display(),
        community.len(),
        community.connections().len(),
        community.introductions().len(),
        community.blocked().len(),
        community.topics().len(),
        community.cops().len(),
        elapsed.as_secs_f64() * 1e3
    );
    let mut kinds = BTreeMap::new();
    let mut countries = BTreeMap::new();
    let mut verticals = BTreeMap::new();
    let mut categories = BTreeMap::new();
    let mut stages: BTreeMap<Stage, usize> = BTreeMap::new();
    let mut cops = BTreeMap::new();
    let mut closed = 0;
    for m in community.members() {
        *kinds.entry(m.kind()).or_insert(0) += 1;
        *countries
            .entry(format!("{} {}", m.country(), m.country().name()))
            .or_insert(0) += 1;
        for &v in m.verticals() {
            *verticals.entry(t[v].slug()).or_insert(0) += 1;
            *categories.entry(t[t[v].category()].slug()).or_insert(0) += 1;
        }
        if let (MemberKind::Platform, Some(s)) = (m.kind(), m.stage()) {
            *stages.entry(s).or_insert(0) += 1;
        }
        for &c in m.communities() {
            *cops.entry(community.cop(c)).or_insert(0) += 1;
        }
        closed += usize::from(!m.open_to_intros());
    }
    table(&mut out, "members by kind", &kinds);
    table(&mut out, "members by country", &countries);
    table(
        &mut out,
        "members by vertical (a member may have several)",
        &verticals,
    );
    table(&mut out, "members by category", &categories);
    let _ = writeln!(out, "\nplatforms by stage");
    for (s, n) in &stages {
        let _ = writeln!(out, "  {n:>6}  {s}");
    }
    table(&mut out, "communities of practice", &cops);
    let n = community.len().max(1) as f64;
    let mut degree = vec![0usize; community.len()];
    for c in community.connections() {
        degree[c.a.index()] += 1;
        degree[c.b.index()] += 1;
    }
    let isolated = degree.iter().filter(|&&d| d == 0).count();
    let _ = writeln!(
        out,
        "\nties: {:.1} per member on average, {} members without ties, {} not open to introductions",
        2.0 * community.connections().len() as f64 / n,
        isolated,
        closed
    );
    Ok(out)
}
