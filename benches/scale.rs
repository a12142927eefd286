//! Every member's exact top 10 by each method (pruned search, scan, brute force) and size, with
//! throughput in pairs of the all-pairs definition (`n (n - 1)`), every member's explained top
//! 10 with a high and a low minimum score, plus the sparse warmth rows.
//! The 100k and 1M sizes are measured with `examples/scale.rs` (one run each: a criterion
//! sample of the brute force at 100k takes over ten minutes).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pollinate::{Community, Engine, GeneratorConfig, MatchWeights, Method, Query, generate};

fn sample() -> Community {
    Community::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/community-1500.json"
    ))
    .expect("sample loads")
}

fn bench(c: &mut Criterion) {
    let engines = [
        (
            1500,
            Engine::new(sample(), MatchWeights::default()).unwrap(),
        ),
        (
            10_000,
            Engine::new(
                generate(&GeneratorConfig::default().members(10_000)).unwrap(),
                MatchWeights::default(),
            )
            .unwrap(),
        ),
    ];
    for (method, name) in [
        (Method::Pruned, "rank_all_top10_pruned"),
        (Method::Scan, "rank_all_top10_scan"),
        (Method::BruteForce, "rank_all_top10_brute_force"),
    ] {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        for (n, e) in &engines {
            group.throughput(Throughput::Elements((n * (n - 1)) as u64));
            group.bench_with_input(BenchmarkId::from_parameter(n), e, |b, e| {
                b.iter(|| black_box(e.rank_all(&Query::top(10).method(method)).unwrap()));
            });
        }
        group.finish();
    }
    // With a minimum score every candidate reaching it is counted: high enough, the pruned
    // search with no limit on k does it (at 0.4, 1.8 candidates per member reach it at 1,500
    // and 12 at 10k); low, the scan (at 0.1, most of them reach it).
    for min_score in [0.4, 0.1] {
        let mut group = c.benchmark_group(format!("recommend_all_min_score_{min_score}"));
        group.sample_size(10);
        for (n, e) in &engines {
            group.throughput(Throughput::Elements((n * (n - 1)) as u64));
            group.bench_with_input(BenchmarkId::from_parameter(n), e, |b, e| {
                b.iter(|| {
                    black_box(
                        e.recommend_all(&Query::top(10).min_score(min_score))
                            .unwrap(),
                    )
                });
            });
        }
        group.finish();
    }
    let mut group = c.benchmark_group("warmth_all_rows");
    for (n, e) in &engines {
        group.throughput(Throughput::Elements((n * (n - 1)) as u64));
        let ids: Vec<_> = e.community().member_ids().collect();
        group.bench_with_input(BenchmarkId::from_parameter(n), e, |b, e| {
            b.iter(|| {
                let mut total = 0usize;
                for &m in &ids {
                    total += e.mutual_reach(m).unwrap().len();
                }
                black_box(total)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
