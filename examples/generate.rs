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

use pollinate::{
    Catalogue, CatalogueConfig, Community, GeneratorConfig, generate, generate_catalogue,
};

const HELP: &str = "\
Write a seeded synthetic community (same seed, same bytes), or convert a community file.

USAGE:
    generate [--members N] [--seed S] [--ties T] [--resources R] (--out FILE.json | --csv DIR)
    generate --community PATH (--out FILE.json | --csv DIR)

OPTIONS:
    --members N         number of members [default: 1500]
    --seed S            random seed [default: 2021]
    --ties T            average ties per member [default: 10]
    --resources R       learning resources in the catalogue written with it, with journeys
                        and consumption; 0 for none [default: 84]
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
    catalogue: CatalogueConfig,
}

fn parse() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = Args {
        config: GeneratorConfig::default(),
        from: None,
        out: None,
        csv: None,
        catalogue: CatalogueConfig::default(),
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("members") => args.config.members = parser.value()?.parse()?,
            Long("seed") => args.config.seed = parser.value()?.parse()?,
            Long("ties") => args.config.ties_per_member = parser.value()?.parse()?,
            Long("resources") => args.catalogue.resources = parser.value()?.parse()?,
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
    // A converted community keeps its catalogue; a generated one gets one of its own, from
    // the same seed.
    let (community, catalogue) = if let Some(path) = &args.from {
        let community = Community::load(path)?;
        let catalogue = Catalogue::load(path, &community)?;
        (community, catalogue)
    } else {
        let community = generate(&args.config)?;
        let config = CatalogueConfig {
            seed: args.config.seed,
            ..args.catalogue.clone()
        };
        let catalogue = if config.resources == 0 {
            Catalogue::default()
        } else {
            generate_catalogue(&community, &config)
        };
        (community, catalogue)
    };
    let what = format!(
        "{} members and {} learning resources",
        community.len(),
        catalogue.resources().len()
    );
    if let Some(out) = &args.out {
        catalogue.write_json_with(&community, out)?;
        eprintln!("wrote {what} to {}", out.display());
    }
    if let Some(dir) = &args.csv {
        community.write_csv_dir(dir)?;
        catalogue.write_csv_dir(&community, dir)?;
        eprintln!("wrote {what} to {}/", dir.display());
    }
    Ok(String::new())
}
