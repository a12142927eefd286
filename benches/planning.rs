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
    // The event-scale case: 1,000 of the 1,500 members, three rounds.
    let crowd: Vec<MemberId> = engine
        .community()
        .member_ids()
        .step_by(3)
        .chain(engine.community().member_ids().skip(1).step_by(3).take(500))
        .collect();
    let three = SessionConfig {
        rounds: 3,
        ..SessionConfig::default()
    };
    group.sample_size(10);
    group.throughput(Throughput::Elements(1000));
    group.bench_function("session_1000x3", |b| {
        b.iter(|| black_box(engine.schedule_session(&crowd, &three).unwrap()));
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
