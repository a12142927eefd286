//! Shared test helpers: fixed seeds in one place, and small community builders.
#![allow(dead_code)]

use pollinate::{Community, GeneratorConfig, MemberRecord, Taxonomy, generate};

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

/// A community of `n` members from the generator, seeded with the first test seed.
pub fn generated(n: usize) -> Community {
    generate(&GeneratorConfig::default().members(n).seed(TEST_SEEDS[0]))
        .expect("the generator builds a valid community")
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

/// The path of a built example binary (cargo test builds examples next to the test binaries).
pub fn example_bin(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|p| p.parent())
        .expect("target/<profile>/deps/<test>");
    let bin = profile_dir.join("examples").join(name);
    if !bin.exists() {
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let mut cmd = std::process::Command::new(env!("CARGO"));
        cmd.args(["build", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if release {
            cmd.arg("--release");
        }
        assert!(
            cmd.status().expect("cargo runs").success(),
            "building example {name}"
        );
    }
    bin
}

/// Runs an example with arguments from the crate root; returns (exit code, stdout, stderr).
pub fn run_example(name: &str, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(example_bin(name))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("example runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
