//! The JSON community reader on arbitrary text: a typed error with a place, or a community
//! that round-trips through its JSON form unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pollinate::{Community, ErrorKind, Taxonomy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Community::from_json_str(text, Taxonomy::jobtech()) {
        Ok(community) => {
            let json = community.to_json_string();
            let again = Community::from_json_str(&json, Taxonomy::jobtech())
                .expect("a community's own JSON loads");
            assert_eq!(again.to_json_string(), json, "JSON round trip");
        }
        Err(err) => {
            if let ErrorKind::Invalid { problems, .. } = err.kind() {
                assert!(!problems.is_empty());
                assert!(problems.iter().all(|p| p.location.line.is_some()));
            }
        }
    }
});
