//! Loading the 1,500-member sample: JSON file, and building the engine over it.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pollinate::{Community, Engine, MatchWeights};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/community-1500.json");

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(1500));
    group.bench_function("json_1500", |b| {
        b.iter(|| black_box(Community::load(SAMPLE).unwrap()));
    });
    let community = Community::load(SAMPLE).unwrap();
    group.bench_function("engine_build_1500", |b| {
        b.iter(|| black_box(Engine::new(community.clone(), MatchWeights::default()).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
