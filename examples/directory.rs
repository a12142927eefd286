//! The member directory: search by text (typos allowed) and filters, ranked and paged.
//! Members who opted out of the directory are never listed.
//!
//! ```text
//! cargo run --release --example directory -- --community data/small.json --query "micro insurance"
//! ```

mod common;

use std::fmt::Write as _;

use pollinate::{Community, Directory, DirectoryQuery};

const HELP: &str = "\
Search the member directory.

USAGE:
    directory --community PATH [--query TEXT] [--kind K] [--country CC] [--region R]
              [--vertical V] [--category C] [--stage S] [--offers T] [--needs T] [--cop C]
              [--language L] [--top K] [--offset N] [--format text|json]

OPTIONS:
    --community PATH   JSON community file or CSV folder
    --query TEXT       words to find in names, ids, offers, needs, verticals (typos allowed)
    --kind K           member kind (repeat for several; so for every filter)
    --country CC       ISO 3166-1 alpha-2 code
    --region R         region of Africa (northern-africa, eastern-africa, ...)
    --vertical V       vertical slug
    --category C       taxonomy category slug
    --stage S          growth stage (a member's own or the stages it serves)
    --offers T         topic offered
    --needs T          topic needed
    --cop C            community of practice
    --language L       language spoken (ISO 639-1)
    --top K            results per page [default: 20]
    --offset N         results skipped [default: 0]
    --format FORMAT    text or json [default: text]
    -h, --help         print this help
";

struct Args {
    shared: common::Shared,
    filters: Vec<(String, String)>,
    query: String,
    offset: usize,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        shared: common::Shared::default(),
        filters: Vec::new(),
        query: String::new(),
        offset: 0,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name @ ("community" | "format" | "top")) => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
            Long("query") => args.query = common::value(&mut parser)?,
            Long("offset") => args.offset = common::number(&mut parser, "--offset")?,
            Long(
                name @ ("kind" | "country" | "region" | "vertical" | "category" | "stage"
                | "offers" | "needs" | "cop" | "language"),
            ) => {
                let name = name.to_owned();
                args.filters.push((name, common::value(&mut parser)?));
            }
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    args.shared.community()?;
    Ok(args)
}

/// The query the arguments ask for; an unknown filter value is an error naming it, with the
/// closest known one.
fn query(args: &Args, c: &Community) -> Result<DirectoryQuery, String> {
    let mut q = DirectoryQuery::text(&args.query).page(args.offset, args.shared.top.unwrap_or(20));
    let bad = |name: &str, value: &str, hint: Option<String>| {
        let hint = hint
            .map(|h| format!("; did you mean `{h}`?"))
            .unwrap_or_default();
        format!("--{name} {value:?}: not known{hint}")
    };
    let taxonomy = c.taxonomy();
    for (name, value) in &args.filters {
        match name.as_str() {
            "kind" => q.kinds.push(
                value
                    .parse()
                    .map_err(|e: pollinate::UnknownSlug| bad(name, value, e.suggestion))?,
            ),
            "stage" => q.stages.push(
                value
                    .parse()
                    .map_err(|e: pollinate::UnknownSlug| bad(name, value, e.suggestion))?,
            ),
            "country" => q.countries.push(
                value
                    .parse()
                    .map_err(|e: pollinate::UnknownCountry| bad(name, value, e.suggestion))?,
            ),
            "language" => q.languages.push(
                value
                    .parse()
                    .map_err(|e: pollinate::UnknownLanguage| bad(name, value, e.suggestion))?,
            ),
            "region" => q.regions.push(
                value
                    .parse()
                    .map_err(|e: pollinate::UnknownSlug| bad(name, value, e.suggestion))?,
            ),
            "vertical" => q.verticals.push(
                taxonomy
                    .vertical_by_slug(value)
                    .ok_or_else(|| bad(name, value, None))?,
            ),
            "category" => q.categories.push(
                taxonomy
                    .category_by_slug(value)
                    .ok_or_else(|| bad(name, value, None))?,
            ),
            "offers" => q.offers.push(value.clone()),
            "needs" => q.needs.push(value.clone()),
            "cop" => q.cops.push(value.clone()),
            _ => unreachable!("only the names parse() accepts"),
        }
    }
    Ok(q)
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let community = Community::load(args.shared.community()?)?;
    let directory = Directory::new(&community);
    let page = directory.search(&community, &query(args, &community)?)?;
    if args.shared.format == common::Format::Json {
        return Ok(common::json(&page));
    }
    let mut out = format!("{} members found\n", page.total);
    for (i, hit) in page.results.iter().enumerate() {
        let m = &community[hit.member.member()];
        let _ = writeln!(
            out,
            "{:>4}. {} ({}, {}, {}) {:.2}",
            page.offset + i + 1,
            m.name(),
            m.id(),
            m.kind(),
            m.country().name(),
            hit.score
        );
    }
    Ok(out)
}

fn main() -> std::process::ExitCode {
    common::main_with(HELP, parse, run)
}
