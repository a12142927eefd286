//! Tunes the match weights on a community's introduction history: random search then coordinate
//! ascent, in parallel; prints the best candidates, the held-out metrics of the defaults, the
//! start and the tuned weights, and the seed stories each keeps or breaks; writes the best
//! weights as TOML (for `recommend --weights`) and an SVG plot of the search.
//!
//! ```text
//! cargo run --release --example tune -- --community data/community-1500.json --out tuned.toml --plot tuning.svg
//! ```

mod common;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use plotters::prelude::*;
use pollinate::{
    Community, Date, Evaluation, MatchWeights, Metric, Metrics, OutcomeTies, Phase, Signal, Split,
    Trial, TunerConfig, TuningReport, tune,
};

const HELP: &str = "\
Tune match weights on the introduction history, measured on a held-out period and against
the seed stories.

USAGE:
    tune [OPTIONS]

OPTIONS:
    --community PATH    JSON community file or CSV folder [default: data/community-1500.json]
    --weights FILE      starting weights (TOML), merged over the defaults [default: built-in]
    --tune-from DATE    tuning replay judges introductions from this date... [default: 2025-04-01]
    --test-from DATE    ...until this one; the held-out replay judges from it on [default: 2026-01-01]
    --metric NAME       precision, recall, ndcg, mrr or hit_rate [default: ndcg]
    --top K             cut-off k of the metric [default: 10]
    --random N          random candidates [default: 40]
    --rounds R          coordinate-ascent rounds [default: 3]
    --seed S            search seed [default: 1]
    --min-judged N      refuse to tune (and write weights) when a replay judges fewer members
                        [default: 30]
    --keep-stories      a candidate that breaks a seed story the start keeps cannot be best
    --no-stories        do not check the seed stories
    --out FILE          where to write the best weights [default: tuned-weights.toml]
    --plot FILE         where to write the SVG plot [default: tuning.svg]
    --format FORMAT     text or json (the whole report) [default: text]
    -h, --help          print this help
";

struct Args {
    shared: common::Shared,
    tune_from: Date,
    test_from: Date,
    config: TunerConfig,
    out: PathBuf,
    plot: PathBuf,
}

fn parse() -> Result<Args, String> {
    use lexopt::prelude::*;
    let date = |v: String| v.parse::<Date>().map_err(|e| format!("{v:?}: {e}"));
    let mut args = Args {
        shared: common::Shared::default(),
        tune_from: date("2025-04-01".into())?,
        test_from: date("2026-01-01".into())?,
        config: TunerConfig::default(),
        out: "tuned-weights.toml".into(),
        plot: "tuning.svg".into(),
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(name) if common::Shared::NAMES.contains(&name) => {
                let name = name.to_owned();
                args.shared.set(&name, &mut parser)?;
            }
            Long("tune-from") => args.tune_from = date(common::value(&mut parser)?)?,
            Long("test-from") => args.test_from = date(common::value(&mut parser)?)?,
            Long("metric") => {
                let v = common::value(&mut parser)?;
                args.config.metric = v
                    .parse::<Metric>()
                    .map_err(|err| format!("--metric {v:?}: {err}"))?;
            }
            Long("random") => {
                args.config.random_candidates = common::number(&mut parser, "--random")?;
            }
            Long("rounds") => args.config.ascent_rounds = common::number(&mut parser, "--rounds")?,
            Long("seed") => args.config.seed = common::number(&mut parser, "--seed")?,
            Long("min-judged") => {
                args.config.min_judged = common::number(&mut parser, "--min-judged")?;
            }
            Long("keep-stories") => args.config.stories_disqualify = true,
            Long("no-stories") => args.config.stories = None,
            Long("out") => args.out = common::value(&mut parser)?.into(),
            Long("plot") => args.plot = common::value(&mut parser)?.into(),
            Short('h') | Long("help") => common::help(HELP),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    if let Some(k) = args.shared.top {
        args.config.k = k;
    }
    if args.shared.community.is_none() {
        args.shared.community = Some("data/community-1500.json".into());
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

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let community = Community::load(args.shared.community()?)?;
    let start = args.shared.match_weights()?;
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
        "{} members; tuning replay judges {} introductions ({} members) from {} until {}, \
         held-out replay {} ({} members) from {} on",
        community.len(),
        tuning.judged_introductions(),
        tuning.judged_members(),
        args.tune_from,
        args.test_from,
        heldout.judged_introductions(),
        heldout.judged_members(),
        args.test_from
    );
    let expected = 1
        + args.config.random_candidates
        + args.config.ascent_rounds * Signal::ALL.len() * args.config.factors.len();
    let bar = common::bar(expected, "trials");
    let best = Mutex::new(f64::NEG_INFINITY);
    let report = tune(&tuning, &heldout, &start, &args.config, |t| {
        let mut b = best
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *b = b.max(t.score);
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    common::write_atomically(
        &args.out,
        report.best_trial().weights.to_toml_string().as_bytes(),
    )?;
    plot(&report, &args.plot)?;
    if args.shared.format == common::Format::Json {
        return Ok(common::json(&report));
    }
    Ok(text(args, &report))
}

fn text(args: &Args, report: &TuningReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let name = report.metric.name();
    let k = args.config.k;
    let _ = writeln!(out, "best candidates on the tuning replay ({name}@{k}):");
    let _ = writeln!(
        out,
        "  trial  phase     {}  {name}  stories broken",
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
        let broken = if t.broken_stories.is_empty() {
            "none".to_owned()
        } else {
            t.broken_stories
                .iter()
                .map(|i| (i + 1).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let best = if t.index == report.best {
            "  <- best"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:>5}  {phase:<8}  {w}  {:.4}  {broken}{best}",
            t.index, t.score
        );
    }
    let _ = writeln!(out, "\nheld-out replay (from {}):", args.test_from);
    let _ = writeln!(
        out,
        "  {}",
        metric_line("defaults", &report.defaults_heldout)
    );
    let _ = writeln!(out, "  {}", metric_line("start", &report.start_heldout));
    let _ = writeln!(out, "  {}", metric_line("tuned", &report.best_heldout));
    let (d, b) = (
        report.metric.of(&report.defaults_heldout.ranking),
        report.metric.of(&report.best_heldout.ranking),
    );
    let _ = writeln!(
        out,
        "  {name}@{k}: defaults {d:.4} -> tuned {b:.4} ({:+.1}%)",
        if d > 0.0 { (b - d) / d * 100.0 } else { 0.0 }
    );
    if !report.stories.is_empty() {
        let _ = writeln!(out, "\nseed stories under the tuned weights:");
        for (i, c) in report.best_stories.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} {} ({})",
                i + 1,
                if c.holds { "keeps " } else { "BREAKS" },
                c.story,
                c.found
            );
        }
    }
    let _ = writeln!(
        out,
        "\nwrote {} and {}",
        args.out.display(),
        args.plot.display()
    );
    out
}

fn main() -> ExitCode {
    common::main_with(HELP, parse, run)
}
