//! The scoring hot path: one pair, one member's ranking, and every member's top-10 on the
//! 1,500-member sample and generated 10k community. Throughput is in scored pairs.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pollinate::{Community, Engine, GeneratorConfig, MatchWeights, Query, generate};

fn sample() -> Community {
    Community::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/community-1500.json"
    ))
    .expect("sample loads")
}

fn engines() -> Vec<(usize, Engine)> {
    let mut out = vec![(
        1500,
        Engine::new(sample(), MatchWeights::default()).unwrap(),
    )];
    // Same generator and seed as the shipped sample, at 10k members.
    let big = generate(&GeneratorConfig::default().members(10_000)).unwrap();
    out.push((10_000, Engine::new(big, MatchWeights::default()).unwrap()));
    out
}

fn pairs(n: usize) -> u64 {
    (n * (n - 1)) as u64
}

fn bench(c: &mut Criterion) {
    let engines = engines();
    let (_, small) = &engines[0];
    let ids: Vec<_> = small.community().member_ids().collect();

    let mut group = c.benchmark_group("score_pair");
    group.throughput(Throughput::Elements(1));
    group.bench_function("1500", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7919) % ids.len();
            let j = (i * 31 + 17) % ids.len();
            black_box(small.score(ids[i], ids[j]).unwrap())
        });
    });
    group.finish();

    let mut group = c.benchmark_group("recommend_one_member");
    for (n, engine) in &engines {
        let member = engine
            .community()
            .member_ids()
            .find(|&m| engine.community()[m].open_to_intros())
            .unwrap();
        group.throughput(Throughput::Elements((*n - 1) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), engine, |b, e| {
            b.iter(|| black_box(e.recommend(member, &Query::top(10)).unwrap()));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("rank_all_top10");
    group.sample_size(10);
    for (n, engine) in &engines {
        group.throughput(Throughput::Elements(pairs(*n)));
        group.bench_with_input(BenchmarkId::from_parameter(n), engine, |b, e| {
            b.iter(|| black_box(e.rank_all(&Query::top(10)).unwrap()));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("recommend_all_top10_explained");
    group.sample_size(10);
    let (n, engine) = &engines[0];
    group.throughput(Throughput::Elements(pairs(*n)));
    group.bench_with_input(BenchmarkId::from_parameter(n), engine, |b, e| {
        b.iter(|| black_box(e.recommend_all(&Query::top(10)).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
