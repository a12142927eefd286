//! The match-weights TOML reader on arbitrary text: an error, or weights that validate and
//! read back the same from their own TOML.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pollinate::{MatchWeights, Taxonomy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(weights) = MatchWeights::from_toml_str(text) {
        let again = MatchWeights::from_toml_str(&weights.to_toml_string())
            .expect("weights' own TOML reads");
        assert_eq!(again, weights);
        // Weights read from a file may still name categories a taxonomy lacks; they never
        // panic when checked.
        let _ = weights.validate(&Taxonomy::jobtech());
    }
});
