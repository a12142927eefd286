//! Planning on the 1,500-member sample: a whole-community introduction round, a 60-attendee
//! five-round networking session, and emerging-community discovery.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pollinate::{
    Community, DiscoveryConfig, Engine, MatchWeights, MemberId, RoundConfig, SessionConfig,
};

fn bench(c: &mut Criterion) {
    let community = Community::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/community-1500.json"
    ))
    .expect("sample loads");
    let engine = Engine::new(community, MatchWeights::default()).expect("engine builds");
    let mut group = c.benchmark_group("planning");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1500));
    group.bench_function("round_1500", |b| {
        b.iter(|| black_box(engine.plan_round(&RoundConfig::default()).unwrap()));
    });
    let attendees: Vec<MemberId> = engine
        .community()
        .member_ids()
        .filter(|&m| engine.community()[m].open_to_intros())
        .step_by(23)
        .take(60)
        .collect();
    group.throughput(Throughput::Elements(60));
    group.bench_function("session_60x5", |b| {
        b.iter(|| {
            black_box(
                engine
                    .schedule_session(&attendees, &SessionConfig::default())
                    .unwrap(),
            )
        });
    });
    group.throughput(Throughput::Elements(1500));
    group.bench_function("discover_1500", |b| {
        b.iter(|| {
            black_box(
                engine
                    .discover_communities(&DiscoveryConfig::default())
                    .unwrap(),
            )
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
