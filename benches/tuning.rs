//! The tuner's inner loop: evaluating one weight vector on the 1,500-member sample's held-out
//! replay (build the engine, rank every member's top 10, compute the metrics).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pollinate::{Community, Evaluation, MatchWeights, OutcomeTies, Split};

fn bench(c: &mut Criterion) {
    let community = Community::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/community-1500.json"
    ))
    .expect("sample loads");
    let replay = Evaluation::new(
        &community,
        &Split::ByDate("2026-01-01".parse().expect("a date")),
        &OutcomeTies::default(),
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
