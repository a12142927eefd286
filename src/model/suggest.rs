//! "Did you mean" for member ids, over an index of every id: bounded whatever the community's
//! size or the unknown id's length.

use fst::automaton::{Levenshtein, Str};
use fst::{Automaton, IntoStreamer, Set, Streamer};

use crate::model::slug::suggest_raw;

/// Ids longer than this get no suggestion: a typo is short, and the automaton's size grows with
/// the length.
const LONGEST: usize = 64;

/// Candidates read from the index per suggestion, at most.
const CANDIDATES: usize = 64;

/// An index of member ids for suggestions.
#[derive(Debug)]
pub(crate) struct IdSuggester {
    ids: Set<Vec<u8>>,
}

impl IdSuggester {
    /// Indexes `ids` (any order, repeats allowed).
    ///
    /// # Complexity
    ///
    /// O(n log n) for n ids, to sort them.
    pub(crate) fn new<'a>(ids: impl Iterator<Item = &'a str>) -> Self {
        let mut sorted: Vec<&str> = ids.collect();
        sorted.sort_unstable();
        sorted.dedup();
        let ids = Set::from_iter(sorted).unwrap_or_default();
        IdSuggester { ids }
    }

    /// The closest id to `id`: within two edits, or starting with it (or it with the id), chosen
    /// among at most [`CANDIDATES`] by the same similarity as every other suggestion; `None` when
    /// none is close or `id` is longer than [`LONGEST`] bytes.
    pub(crate) fn suggest(&self, id: &str) -> Option<String> {
        if id.is_empty() || id.len() > LONGEST {
            return None;
        }
        let mut candidates: Vec<String> = Vec::new();
        if let Ok(near) = Levenshtein::new(id, 2) {
            collect(&self.ids, near, &mut candidates);
        }
        if id.len() >= 3 {
            collect(&self.ids, Str::new(id).starts_with(), &mut candidates);
            // Ids the value starts with: each of its prefixes, looked up.
            for end in (3..id.len()).filter(|&e| id.is_char_boundary(e)) {
                if self.ids.contains(&id[..end]) {
                    candidates.push(id[..end].to_owned());
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        suggest_raw(id, candidates.iter().map(String::as_str))
    }
}

fn collect<A: Automaton>(ids: &Set<Vec<u8>>, automaton: A, out: &mut Vec<String>) {
    let mut stream = ids.search(automaton).into_stream();
    let mut read = 0;
    while let Some(key) = stream.next() {
        if read == CANDIDATES {
            break;
        }
        read += 1;
        if let Ok(s) = std::str::from_utf8(key) {
            out.push(s.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_and_prefixed_ids() {
        let s = IdSuggester::new(["fundi-fix", "safari-riders", "savanna-angels"].into_iter());
        assert_eq!(s.suggest("fundi-fx").as_deref(), Some("fundi-fix"));
        assert_eq!(s.suggest("safari").as_deref(), Some("safari-riders"));
        assert_eq!(
            s.suggest("savanna-angels-ke").as_deref(),
            Some("savanna-angels")
        );
        assert_eq!(s.suggest("zzzzzz"), None);
        assert_eq!(s.suggest(&"x".repeat(100_000)), None);
    }
}
