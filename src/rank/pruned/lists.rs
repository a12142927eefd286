//! Lists of members keyed by topics and pairs of topics, each entry carrying what bounds its
//! member's background.

use fnv::FnvHashMap;

use super::slot::Slot;

/// An entry of a topic-pair list: a position with what bounds its background (group, stage
/// code, country) and its number of needs, so that most entries are bounded without reading
/// anything else about the member.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct PairEntry {
    pub(super) pos: u32,
    pub(super) group: u32,
    pub(super) stage: u16,
    pub(super) country: u16,
    pub(super) needs: u32,
    /// The member's communities folded into 32 bits (see [`fold_cops`](super::tree::fold_cops)).
    pub(super) cops_fold: u32,
}

/// Lists of positions keyed by a topic or a pair of topics (see [`key`]).
#[derive(Debug, Default)]
pub(super) struct TopicLists {
    /// Key to a range of `entries`.
    pub(super) lists: Ranges,
    pub(super) entries: Vec<PairEntry>,
}

/// Where each key's list is in [`TopicLists::entries`].
#[derive(Debug)]
pub(super) enum Ranges {
    /// When topic ids are below `topics` and `topics` squared is at most [`DENSE_KEYS`]: the
    /// list of key `(x, y)` is `starts[i]..starts[i + 1]` at `i = x * topics + y`, one read
    /// per lookup (a hash map probes, and its buckets take several times the memory).
    Dense { topics: u64, starts: Vec<u32> },
    /// Otherwise, key to range.
    Hashed(FnvHashMap<u64, (u32, u32)>),
}

impl Default for Ranges {
    fn default() -> Self {
        Ranges::Hashed(FnvHashMap::default())
    }
}

/// The most keys of a dense table of list offsets (4 MB each; three tables of topic pairs).
pub(super) const DENSE_KEYS: u64 = 1 << 20;

/// The lists of `items` items by key: the keys of item `i` are `keys_of(i)` (no key twice),
/// with topic ids below `topics`; each list holds `entry_of(i)` of its items in order of `i`.
///
/// When `topics` squared is at most `dense_keys`, the entries are placed by a counting sort
/// into the lists of a dense table (two passes over the keys, no comparison); otherwise the
/// (key, entry) pairs are sorted and found through a hash map.
pub(super) fn lists_by_key<E: Copy + Default>(
    items: usize,
    keys_of: impl Fn(usize, &mut Vec<u64>),
    entry_of: impl Fn(usize) -> E,
    topics: u64,
    dense_keys: u64,
) -> (Ranges, Vec<E>) {
    let mut keys = Vec::new();
    if topics.saturating_mul(topics) <= dense_keys {
        let dense_index = |key| Ranges::dense_index(topics, key);
        let mut starts = vec![0u32; (topics * topics) as usize + 1];
        for i in 0..items {
            keys.clear();
            keys_of(i, &mut keys);
            for &key in &keys {
                starts[dense_index(key) + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut entries = vec![E::default(); starts[starts.len() - 1] as usize];
        for i in 0..items {
            keys.clear();
            keys_of(i, &mut keys);
            let entry = entry_of(i);
            for &key in &keys {
                let at = &mut next[dense_index(key)];
                entries[*at as usize] = entry;
                *at += 1;
            }
        }
        return (Ranges::Dense { topics, starts }, entries);
    }
    let mut keyed: Vec<(u64, u32)> = Vec::new();
    for i in 0..items {
        keys.clear();
        keys_of(i, &mut keys);
        keyed.extend(keys.iter().map(|&key| (key, i as u32)));
    }
    keyed.sort_unstable();
    let mut lists = FnvHashMap::default();
    let mut start = 0;
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        let end = start + run.len() as u32;
        lists.insert(run[0].0, (start, end));
        start = end;
    }
    let entries = keyed.iter().map(|&(_, i)| entry_of(i as usize)).collect();
    (Ranges::Hashed(lists), entries)
}

impl Ranges {
    pub(super) fn dense_index(topics: u64, key: u64) -> usize {
        ((key >> 32) * topics + (key & u64::from(u32::MAX))) as usize
    }

    /// The range of `key`'s list, if it has one.
    pub(super) fn get(&self, key: u64) -> Option<(u32, u32)> {
        match self {
            Ranges::Dense { topics, starts } => {
                if key >> 32 >= *topics || key & u64::from(u32::MAX) >= *topics {
                    return None;
                }
                let i = Ranges::dense_index(*topics, key);
                let (from, to) = (starts[i], starts[i + 1]);
                (from < to).then_some((from, to))
            }
            Ranges::Hashed(lists) => lists.get(&key).copied(),
        }
    }
}

/// The key of a pair of topics `(x, y)` in [`TopicLists`] (of topic `y` alone: `key(0, y)`).
pub(super) fn key(x: u32, y: u32) -> u64 {
    (u64::from(x) << 32) | u64::from(y)
}

impl TopicLists {
    /// The lists of every key in `keys_of(offers, needs)` of every position (its offered and
    /// needed topics, read from `all_topics` where its slot says), each list in position
    /// order.
    ///
    /// Topic ids are below `topics`; see [`lists_by_key`] for `dense_keys`.
    pub(super) fn new(
        slots: &[Slot],
        all_topics: &[u32],
        keys_of: impl Fn(&[u32], &[u32], &mut Vec<u64>),
        topics: u64,
        dense_keys: u64,
    ) -> Self {
        let (lists, entries) = lists_by_key(
            slots.len(),
            |i, keys| {
                let slot = &slots[i];
                let topics = |from: u32, to: u32| &all_topics[from as usize..to as usize];
                keys_of(
                    topics(slot.offers, slot.needs),
                    topics(slot.needs, slot.cops),
                    keys,
                );
            },
            |i| {
                let slot = &slots[i];
                PairEntry {
                    pos: i as u32,
                    group: slot.group,
                    stage: slot.stage,
                    country: slot.country,
                    needs: slot.needs_len(),
                    cops_fold: slot.cops_fold,
                }
            },
            topics,
            dense_keys,
        );
        TopicLists { lists, entries }
    }

    /// The lists of `keys` (those some position has) into `found`, as ranges for
    /// [`TopicLists::list`]. All the keys are looked up, and each list's first entry read,
    /// before any list is walked, so that their cache misses overlap instead of coming one list
    /// at a time.
    pub(super) fn find_all(&self, keys: impl Iterator<Item = u64>, found: &mut Vec<(u32, u32)>) {
        found.clear();
        found.extend(keys.filter_map(|key| self.lists.get(key)));
        let firsts = found
            .iter()
            .fold(0, |acc, &(from, _)| acc ^ self.entries[from as usize].pos);
        std::hint::black_box(firsts);
    }

    /// The list at `range`, from [`TopicLists::find_all`].
    pub(super) fn list(&self, (from, to): (u32, u32)) -> &[PairEntry] {
        &self.entries[from as usize..to as usize]
    }
}

/// The keys of every pair `(x, y)` with `x < y` of a sorted, duplicate-free list: the lists a
/// member offering (or needing) `topics` is in, and the lists a source reads for its own.
pub(super) fn pairs_within(topics: &[u32]) -> impl Iterator<Item = u64> + '_ {
    topics
        .iter()
        .enumerate()
        .flat_map(|(i, &x)| topics[i + 1..].iter().map(move |&y| key(x, y)))
}

/// The keys of every pair `(x, y)` with `x` in `first` and `y` in `second`: the offer-need
/// lists a member offering `first` and needing `second` is in, and those a source needing
/// `first` and offering `second` reads.
pub(super) fn pairs_across<'a>(
    first: &'a [u32],
    second: &'a [u32],
) -> impl Iterator<Item = u64> + 'a {
    first
        .iter()
        .flat_map(move |&x| second.iter().map(move |&y| key(x, y)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::rank::pruned::proptest_config())]

        /// The counting sort into a dense table and the sort with a hash map build the same
        /// lists: for every key, exactly the items that have it, in order.
        #[test]
        fn dense_and_hashed_lists_agree(
            topics in 1u32..24,
            raw in proptest::collection::vec(
                proptest::collection::btree_set((0u32..24, 0u32..24), 0..6),
                0..60,
            ),
        ) {
            let item_keys: Vec<Vec<u64>> = raw
                .iter()
                .map(|pairs| {
                    let mut keys: Vec<u64> =
                        pairs.iter().map(|&(x, y)| key(x % topics, y % topics)).collect();
                    keys.sort_unstable();
                    keys.dedup();
                    keys
                })
                .collect();
            let keys_of = |i: usize, out: &mut Vec<u64>| out.extend(&item_keys[i]);
            let t = u64::from(topics);
            let build = |dense_keys| lists_by_key(item_keys.len(), keys_of, |i| i, t, dense_keys);
            let (dense, dense_entries) = build(u64::MAX);
            let (hashed, hashed_entries) = build(0);
            prop_assert!(matches!(dense, Ranges::Dense { .. }), "a dense table");
            prop_assert!(matches!(hashed, Ranges::Hashed(_)), "a hash map");
            for x in 0..topics + 2 {
                for y in 0..topics + 2 {
                    let k = key(x, y);
                    let expected: Vec<usize> =
                        (0..item_keys.len()).filter(|&i| item_keys[i].contains(&k)).collect();
                    let list = |ranges: &Ranges, entries: &[usize]| {
                        ranges.get(k).map_or_else(Vec::new, |(from, to)| {
                            entries[from as usize..to as usize].to_vec()
                        })
                    };
                    prop_assert_eq!(list(&dense, &dense_entries), expected.clone());
                    prop_assert_eq!(list(&hashed, &hashed_entries), expected);
                }
            }
        }
    }
}
