//! The CSV folder reader on arbitrary files: the input is split at `\0` into `members.csv`,
//! `connections.csv`, `introductions.csv` and `blocked.csv` of a folder. A typed error, or a
//! community that round-trips through a CSV folder and through JSON unchanged.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use pollinate::{Community, Taxonomy};

const FILES: [&str; 4] = [
    "members.csv",
    "connections.csv",
    "introductions.csv",
    "blocked.csv",
];

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pollinate-fuzz-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

fuzz_target!(|data: &[u8]| {
    let dir = folder("in");
    for (file, part) in FILES.iter().zip(data.split(|&b| b == 0)) {
        std::fs::write(dir.join(file), part).expect("a temporary file");
    }
    if let Ok(community) = Community::from_csv_dir(&dir, Taxonomy::jobtech()) {
        let out = folder("out");
        community.write_csv_dir(&out).expect("a community writes as CSV");
        let again = Community::from_csv_dir(&out, Taxonomy::jobtech())
            .expect("a community's own CSV loads");
        assert_eq!(again.to_json_string(), community.to_json_string(), "CSV round trip");
        let from_json = Community::from_json_str(&community.to_json_string(), Taxonomy::jobtech())
            .expect("a community's own JSON loads");
        assert_eq!(from_json.to_json_string(), community.to_json_string());
    }
});
