//! Shared test helpers: fixed seeds in one place, and small community builders.
#![allow(dead_code)]

use pollinate::{Community, MemberRecord, Taxonomy};

/// The seed of the shipped 1,500-member sample (`GeneratorConfig::default().seed`).
pub const SAMPLE_SEED: u64 = 2021;
/// Seeds for generated communities in tests.
pub const TEST_SEEDS: [u64; 3] = [7, 42, 1234];

pub fn small() -> Community {
    Community::load(concat!(env!("CARGO_MANIFEST_DIR"), "/data/small.json"))
        .expect("data/small.json loads")
}

pub fn sample_1500() -> Community {
    Community::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/community-1500.json"
    ))
    .expect("data/community-1500.json loads")
}

pub fn platform(id: &str, country: &str, vertical: &str) -> MemberRecord {
    MemberRecord::new(id, "platform", country).verticals([vertical])
}

pub fn build(members: Vec<MemberRecord>) -> Community {
    let mut b = Community::builder(Taxonomy::jobtech());
    for m in members {
        b = b.member(m);
    }
    b.build().expect("test community is valid")
}
