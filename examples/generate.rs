//! Writes a seeded synthetic community as a JSON file (or a CSV folder).
//!
//! ```text
//! cargo run --release --example generate -- --members 1500 --seed 2021 --out data/community-1500.json
//! cargo run --release --example generate -- --members 100000 --out data/generated/community-100k.json
//! cargo run --release --example generate -- --community data/small.json --csv data/small-csv
//! ```

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use pollinate::{Community, GeneratorConfig, generate};

const HELP: &str = "\
Write a seeded synthetic community (same seed, same bytes), or convert a community file.

USAGE:
    generate [--members N] [--seed S] [--ties T] (--out FILE.json | --csv DIR)
    generate --community PATH (--out FILE.json | --csv DIR)

OPTIONS:
    --members N         number of members [default: 1500]
    --seed S            random seed [default: 2021]
    --ties T            average ties per member [default: 10]
    --community PATH    convert an existing community (JSON file or CSV folder) instead
    --out FILE          write a JSON community file
    --csv DIR           write a folder of CSV files
    -h, --help          print this help
";

struct Args {
    config: GeneratorConfig,
    from: Option<PathBuf>,
    out: Option<PathBuf>,
    csv: Option<PathBuf>,
}

fn parse() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = Args {
        config: GeneratorConfig::default(),
        from: None,
        out: None,
        csv: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("members") => args.config.members = parser.value()?.parse()?,
            Long("seed") => args.config.seed = parser.value()?.parse()?,
            Long("ties") => args.config.ties_per_member = parser.value()?.parse()?,
            Long("community") => args.from = Some(parser.value()?.into()),
            Long("out") => args.out = Some(parser.value()?.into()),
            Long("csv") => args.csv = Some(parser.value()?.into()),
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let parse_all = || {
        let args = parse().map_err(|e| e.to_string())?;
        if args.out.is_none() && args.csv.is_none() {
            return Err("give --out FILE.json or --csv DIR".to_owned());
        }
        Ok(args)
    };
    common::main_with(HELP, parse_all, run)
}

fn run(args: &Args) -> Result<String, pollinate::Error> {
    let community = match &args.from {
        Some(path) => Community::load(path)?,
        None => generate(&args.config)?,
    };
    if let Some(out) = &args.out {
        community.write_json(out)?;
        eprintln!("wrote {} members to {}", community.len(), out.display());
    }
    if let Some(dir) = &args.csv {
        community.write_csv_dir(dir)?;
        eprintln!("wrote {} members to {}/", community.len(), dir.display());
    }
    Ok(String::new())
}
