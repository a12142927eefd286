//! Tunes the match weights on a community's introduction history: random search then coordinate
//! ascent, in parallel; prints the best candidates, writes the best weights as TOML (for
//! `recommend --weights`) and an SVG plot of the search.
//!
//! ```text
//! cargo run --release --example tune -- --community data/community-1500.json --out tuned.toml --plot tuning.svg
//! ```

mod common;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use plotters::prelude::*;
use pollinate::{
    Community, Date, Evaluation, MatchWeights, Metric, Metrics, OutcomeTies, Phase, Signal, Split,
    Trial, TunerConfig, TuningReport, tune,
};

const HELP: &str = "\
Tune match weights on the introduction history, measured on a held-out period.

USAGE:
    tune [OPTIONS]

OPTIONS:
    --community PATH    JSON community file or CSV folder [default: data/community-1500.json]
    --tune-from DATE    tuning replay judges introductions from this date... [default: 2025-04-01]
    --test-from DATE    ...until this one; the held-out replay judges from it on [default: 2026-01-01]
    --metric NAME       precision, recall, ndcg, mrr or hit_rate [default: ndcg]
    --k K               cut-off [default: 10]
    --random N          random candidates [default: 40]
    --rounds R          coordinate-ascent rounds [default: 3]
    --seed S            search seed [default: 1]
    --start FILE        starting weights (TOML) [default: built-in]
    --out FILE          where to write the best weights [default: tuned-weights.toml]
    --plot FILE         where to write the SVG plot [default: tuning.svg]
    -h, --help          print this help
";

struct Args {
    community: PathBuf,
    tune_from: Date,
    test_from: Date,
    config: TunerConfig,
    start: Option<PathBuf>,
    out: PathBuf,
    plot: PathBuf,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let date = |v: String| v.parse::<Date>().map_err(|e| format!("{v:?}: {e}"));
    let mut args = Args {
        community: "data/community-1500.json".into(),
        tune_from: date("2025-04-01".into())?,
        test_from: date("2026-01-01".into())?,
        config: TunerConfig::default(),
        start: None,
        out: "tuned-weights.toml".into(),
        plot: "tuning.svg".into(),
    };
    let mut parser = lexopt::Parser::from_env();
    let e = |e: lexopt::Error| e.to_string();
    while let Some(arg) = parser.next().map_err(e)? {
        match arg {
            Long("community") => args.community = common::value(&mut parser)?.into(),
            Long("tune-from") => args.tune_from = date(common::value(&mut parser)?)?,
            Long("test-from") => args.test_from = date(common::value(&mut parser)?)?,
            Long("metric") => {
                let v = common::value(&mut parser)?;
                args.config.metric = v
                    .parse::<Metric>()
                    .map_err(|err| format!("--metric {v:?}: {err}"))?;
            }
            Long("k") => {
                args.config.k = common::value(&mut parser)?
                    .parse()
                    .map_err(|_| "--k takes a whole number")?;
            }
            Long("random") => {
                args.config.random_candidates = common::value(&mut parser)?
                    .parse()
                    .map_err(|_| "--random takes a whole number")?;
            }
            Long("rounds") => {
                args.config.ascent_rounds = common::value(&mut parser)?
                    .parse()
                    .map_err(|_| "--rounds takes a whole number")?;
            }
            Long("seed") => {
                args.config.seed = common::value(&mut parser)?
                    .parse()
                    .map_err(|_| "--seed takes a whole number")?;
            }
            Long("start") => args.start = Some(common::value(&mut parser)?.into()),
            Long("out") => args.out = common::value(&mut parser)?.into(),
            Long("plot") => args.plot = common::value(&mut parser)?.into(),
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    if args.tune_from >= args.test_from {
        return Err("--tune-from must be before --test-from".into());
    }
    Ok(args)
}

fn metric_line(name: &str, m: &Metrics) -> String {
    let r = &m.ranking;
    format!(
        "{name:<9} precision {:.4}  recall {:.4}  ndcg {:.4}  mrr {:.4}  hit {:.4}  coverage {:.3}  exposure gini {:.3}  two-sided {:.3}  ({} members judged)",
        r.precision,
        r.recall,
        r.ndcg,
        r.mrr,
        r.hit_rate,
        m.coverage,
        m.exposure_gini,
        m.two_sided,
        r.judged_members
    )
}

fn plot(report: &TuningReport, path: &PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (1280, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(620);
    let name = report.metric.name();
    let scores: Vec<f64> = report.trials.iter().map(|t| t.score).collect();
    let lo = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.1).max(1e-3);
    let y = (lo - pad)..(hi + pad);

    let mut chart = ChartBuilder::on(&left)
        .caption(format!("{name}@k across the search"), ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..report.trials.len() as f64, y.clone())?;
    chart.configure_mesh().x_desc("trial").y_desc(name).draw()?;
    let colour = |t: &Trial| match t.phase {
        Phase::Start => RED,
        Phase::Random => BLUE,
        Phase::Ascent(_) => GREEN,
    };
    chart
        .draw_series(
            report
                .trials
                .iter()
                .map(|t| Circle::new((t.index as f64, t.score), 3, colour(t).filled())),
        )?
        .label("trial (red start, blue random, green ascent)")
        .legend(|(x, y)| Circle::new((x, y), 3, BLUE.filled()));
    let mut running = f64::NEG_INFINITY;
    let best_so_far: Vec<(f64, f64)> = report
        .trials
        .iter()
        .map(|t| {
            running = running.max(t.score);
            (t.index as f64, running)
        })
        .collect();
    chart
        .draw_series(LineSeries::new(best_so_far, BLACK))?
        .label("best so far")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;

    let max_w = report
        .trials
        .iter()
        .flat_map(|t| normalised(&t.weights))
        .fold(0.0f64, f64::max)
        .max(0.05);
    let mut chart = ChartBuilder::on(&right)
        .caption(
            format!("{name}@k against each weight (normalised)"),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..max_w * 1.05, y)?;
    chart
        .configure_mesh()
        .x_desc("weight share")
        .y_desc(name)
        .draw()?;
    for (i, signal) in Signal::ALL.iter().enumerate() {
        let c = Palette99::pick(i);
        chart
            .draw_series(
                report
                    .trials
                    .iter()
                    .map(|t| Circle::new((normalised(&t.weights)[i], t.score), 3, c.filled())),
            )?
            .label(signal.name())
            .legend(move |(x, y)| Circle::new((x, y), 3, Palette99::pick(i).filled()));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

fn normalised(w: &MatchWeights) -> [f64; 7] {
    let raw = w.signal_weights();
    let sum: f32 = raw.values().iter().sum();
    raw.values().map(|x| f64::from(x / sum))
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let community = Community::load(&args.community)?;
    let start = match &args.start {
        Some(p) => MatchWeights::from_toml_path(p)?,
        None => MatchWeights::default(),
    };
    let ties = OutcomeTies::default();
    let tuning = Evaluation::new(
        &community,
        &Split::Between {
            from: args.tune_from,
            until: args.test_from,
        },
        &ties,
    )?;
    let heldout = Evaluation::new(&community, &Split::ByDate(args.test_from), &ties)?;
    eprintln!(
        "{} members; tuning replay judges {} introductions from {} until {}, held-out replay {} from {} on",
        community.len(),
        tuning.judged_introductions(),
        args.tune_from,
        args.test_from,
        heldout.judged_introductions(),
        args.test_from
    );
    let expected = 1
        + args.config.random_candidates
        + args.config.ascent_rounds * Signal::ALL.len() * args.config.factors.len();
    let bar = ProgressBar::new(expected as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} trials, {elapsed} elapsed, best {msg}")
            .map_err(|e| e.to_string())?,
    );
    let best = Mutex::new(f64::NEG_INFINITY);
    let report = tune(&tuning, &heldout, &start, &args.config, |t| {
        let mut b = best
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *b = b.max(t.score);
        bar.set_message(format!("{:.4}", *b));
        bar.inc(1);
    })?;
    bar.finish_and_clear();

    let name = report.metric.name();
    println!(
        "best candidates on the tuning replay ({name}@{}):",
        args.config.k
    );
    println!(
        "  trial  phase     {}  {name}",
        Signal::ALL.map(|s| format!("{:>11}", s.name())).join("")
    );
    let mut order: Vec<&Trial> = report.trials.iter().collect();
    order.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    for t in order.iter().take(10) {
        let phase = match t.phase {
            Phase::Start => "start".to_owned(),
            Phase::Random => "random".to_owned(),
            Phase::Ascent(r) => format!("ascent {r}"),
        };
        let w = normalised(&t.weights)
            .map(|x| format!("{x:>11.3}"))
            .join("");
        println!("  {:>5}  {phase:<8}  {w}  {:.4}", t.index, t.score);
    }
    println!("\nheld-out replay (from {}):", args.test_from);
    println!("  {}", metric_line("start", &report.start_heldout));
    println!("  {}", metric_line("tuned", &report.best_heldout));
    let (a, b) = (
        report.metric.of(&report.start_heldout.ranking),
        report.metric.of(&report.best_heldout.ranking),
    );
    println!(
        "  {name}@{}: {a:.4} -> {b:.4} ({:+.1}%)",
        args.config.k,
        if a > 0.0 { (b - a) / a * 100.0 } else { 0.0 }
    );
    std::fs::write(&args.out, report.best_trial().weights.to_toml_string())
        .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;
    plot(&report, &args.plot)?;
    println!("\nwrote {} and {}", args.out.display(), args.plot.display());
    Ok(())
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, |args| run(args).map(|()| String::new()))
}
