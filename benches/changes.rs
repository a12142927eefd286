//! One change applied to a live engine, by kind, at 1,500 and 100k members (and 1M with
//! `POLLINATE_BENCH_1M=FILE`), next to a full rebuild (engine and pruned index): what a
//! service pays per write.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pollinate::{
    Change, Community, Engine, GeneratorConfig, MatchWeights, MemberRecord, Query, generate,
};

/// The kinds of change benched, made against `c`'s members.
fn changes(c: &Community) -> Vec<(&'static str, Change)> {
    let ids: Vec<String> = c.members().take(4).map(|m| m.id().to_owned()).collect();
    let tied = c.connections()[0];
    vec![
        (
            "add_member",
            Change::PutMember {
                member: MemberRecord::new("bench-new", "platform", "KE")
                    .verticals(["microwork"])
                    .offers(["worker-vetting"])
                    .needs(["fundraising"])
                    .languages(["en"]),
            },
        ),
        (
            "update_member",
            Change::PutMember {
                member: c.to_records().members[1].clone().needs(["payments"]),
            },
        ),
        ("remove_member", Change::RemoveMember { id: ids[2].clone() }),
        (
            "add_tie",
            Change::PutTie {
                a: ids[0].clone(),
                b: ids[3].clone(),
                strength: Some(0.5),
            },
        ),
        (
            "remove_tie",
            Change::RemoveTie {
                a: c[tied.a].id().to_owned(),
                b: c[tied.b].id().to_owned(),
            },
        ),
        (
            "block",
            Change::Block {
                a: ids[0].clone(),
                b: ids[1].clone(),
            },
        ),
        (
            "propose",
            Change::Propose {
                id: None,
                a: ids[0].clone(),
                b: ids[1].clone(),
                date: None,
            },
        ),
    ]
}

/// The communities benched: the 1,500 sample, 100k generated, and 1M when
/// `POLLINATE_BENCH_1M` names a file of it (`generate --members 1000000` takes minutes, so it
/// is made once and loaded).
fn communities() -> Vec<Community> {
    let mut out = vec![
        Community::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/community-1500.json"
        ))
        .expect("sample loads"),
        generate(&GeneratorConfig::default().members(100_000)).expect("generated"),
    ];
    if let Ok(path) = std::env::var("POLLINATE_BENCH_1M") {
        out.push(Community::load(&path).expect("the 1M community loads"));
    }
    out
}

fn bench(c: &mut Criterion) {
    for community in communities() {
        let n = community.len();
        let engine = Engine::new(community.clone(), MatchWeights::default()).expect("engine");
        // The index is built, as in a running service: changes keep it.
        let first = engine.open_members()[0];
        engine.rank(&[first], &Query::top(10)).expect("ranks");
        let mut group = c.benchmark_group(format!("change_{n}"));
        group.sample_size(if n > 10_000 { 10 } else { 50 });
        for (name, change) in changes(&community) {
            group.bench_with_input(BenchmarkId::from_parameter(name), &change, |b, change| {
                b.iter(|| black_box(engine.apply(std::slice::from_ref(change)).expect("applies")));
            });
        }
        group.bench_function("full_rebuild", |b| {
            b.iter(|| {
                let rebuilt =
                    Engine::new(community.clone(), MatchWeights::default()).expect("engine");
                rebuilt.rank(&[first], &Query::top(10)).expect("ranks");
                black_box(rebuilt)
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
