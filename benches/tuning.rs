//! The tuner on the 1,500-member sample: one weight vector evaluated by an engine (build it,
//! rank every member's top 10, compute the metrics), and a whole search of 40 random trials
//! (the trials from the signal table, the best re-checked by the engine on both replays).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pollinate::{Community, Evaluation, MatchWeights, OutcomeTies, Split, TunerConfig, tune};

fn bench(c: &mut Criterion) {
    let community = Community::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/community-1500.json"
    ))
    .expect("sample loads");
    let date = |s: &str| s.parse().expect("a date");
    let ties = OutcomeTies::default();
    let replay = Evaluation::new(&community, &Split::ByDate(date("2026-01-01")), &ties)
        .expect("replay builds");
    let tuning = Evaluation::new(
        &community,
        &Split::Between {
            from: date("2025-04-01"),
            until: date("2026-01-01"),
        },
        &ties,
    )
    .expect("replay builds");
    let weights = MatchWeights::default();
    let mut group = c.benchmark_group("evaluate_weights");
    group.sample_size(20);
    group.throughput(Throughput::Elements(1));
    group.bench_function("1500", |b| {
        b.iter(|| black_box(replay.evaluate(&weights, 10).unwrap()));
    });
    group.finish();

    let config = TunerConfig {
        random_candidates: 40,
        ascent_rounds: 0,
        ..TunerConfig::default()
    };
    let mut group = c.benchmark_group("tune_41_trials");
    group.sample_size(10);
    group.throughput(Throughput::Elements(41));
    group.bench_function("1500", |b| {
        b.iter(|| black_box(tune(&tuning, &replay, &weights, &config, |_| {}).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
