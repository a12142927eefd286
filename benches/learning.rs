//! Learning lists for a whole community and member-directory queries, at 1,500 and 100k
//! members (the generator's communities and catalogues: 84 resources, 12 journeys, about two
//! resources consumed per member).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pollinate::{
    CatalogueConfig, Directory, DirectoryQuery, GeneratorConfig, Learning, LearningConfig,
    MemberKind, generate, generate_catalogue,
};

fn bench(c: &mut Criterion) {
    for n in [1_500usize, 100_000] {
        let community = generate(&GeneratorConfig::default().members(n)).unwrap();
        let catalogue = generate_catalogue(&community, &CatalogueConfig::default());
        let mut group = c.benchmark_group(format!("learning_{n}"));
        group.sample_size(10);
        group.bench_function("build (exposure counts included)", |b| {
            b.iter(|| {
                Learning::new(
                    community.clone(),
                    catalogue.clone(),
                    LearningConfig::default(),
                )
                .unwrap()
            });
        });
        let learning = Learning::new(
            community.clone(),
            catalogue.clone(),
            LearningConfig::default(),
        )
        .unwrap();
        group.bench_function("every member's top 5 with journeys", |b| {
            b.iter(|| black_box(learning.recommend_all(5).unwrap()));
        });
        let first = community.member_ids().next().unwrap();
        group.bench_function("one member's top 5", |b| {
            b.iter(|| black_box(learning.recommend(first, 5).unwrap()));
        });
        group.finish();

        let mut group = c.benchmark_group(format!("directory_{n}"));
        group.sample_size(if n > 10_000 { 10 } else { 50 });
        group.bench_function("build", |b| {
            b.iter(|| black_box(Directory::new(&community)));
        });
        let directory = Directory::new(&community);
        let queries = [
            ("one word", DirectoryQuery::text("fintech")),
            (
                "two words, one typo",
                DirectoryQuery::text("micro insurence"),
            ),
            ("a name prefix", DirectoryQuery::text("ak")),
            (
                "filters only",
                DirectoryQuery::all()
                    .kinds([MemberKind::Investor])
                    .stages([pollinate::Stage::Seed]),
            ),
            (
                "text and filters",
                DirectoryQuery::text("payments").kinds([MemberKind::Platform]),
            ),
        ];
        for (name, q) in &queries {
            group.bench_with_input(BenchmarkId::new("search", name), q, |b, q| {
                b.iter(|| black_box(directory.search(&community, q).unwrap()));
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
