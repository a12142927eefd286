//! The pruned search's per-thread state, reused from source to source.

use super::NOT_OPEN;
use super::bounds::Bounds;
use super::group::GroupTables;
use super::index::Index;
use super::lists::PairEntry;
use crate::ties::Ties;

/// One position's per-source state: the source whose search last scored or ruled it out
/// (by epoch), and its weighted Adamic-Adar sum with the current source (0 between sources).
/// The warmth signal is computed from the sum only for the members scored (or about to be):
/// bounds take [`warmth_signal_bound`](crate::score::signals::warmth_signal_bound), which needs no exponential.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Mark {
    pub(super) seen: u32,
    pub(super) aa: f32,
}

/// The pruned search's per-thread state, reused from member to member.
#[derive(Debug, Default)]
pub(crate) struct SearchScratch {
    /// `marks[pos].seen == epoch` when the member at `pos` was scored or ruled out for the
    /// current source.
    pub(super) marks: Vec<Mark>,
    pub(super) epoch: u32,
    /// The positions two hops from the source (the only ones with warmth), each once, and the
    /// same as a bitset (a million positions in 125 KB), so most list candidates are known to
    /// have no warmth without reading their mark.
    pub(super) touched: Vec<u32>,
    pub(super) touched_bits: Vec<u64>,
    pub(super) group: GroupTables,
    pub(super) bounds: Bounds,
    pub(super) buffers: Buffers,
    /// What the language rule does to the source and a member of each set of languages.
    pub(super) languages: Vec<Option<f32>>,
}

/// The parts of a [`SearchScratch`] that the search's steps use as scratch space (the rest is
/// held by the search itself).
#[derive(Debug, Default)]
pub(super) struct Buffers {
    /// For each position (0 between sources): how many of the current source's lists of pairs
    /// within its needs and within its offers hold it (or, in the last part of step 3, how
    /// many of its few-needs lists do, in the first count); and the entries of the positions
    /// with a count.
    pub(super) counts: Vec<[Count; 2]>,
    pub(super) hits: Vec<PairEntry>,
    /// The two-sided positions found in step 2, as a bitset (empty between sources), and the
    /// ranges of the offer-need lists that step reads (see `TopicLists::find_all`).
    pub(super) two_sided: Vec<u64>,
    pub(super) offer_need_found: Vec<(u32, u32)>,
    /// The ranges of the other topic lists a step reads.
    pub(super) found: Vec<(u32, u32)>,
    /// The positions a scan scores in full (see `Search::scan`).
    pub(super) hot: Vec<u32>,
    /// The groups of a pair of ranks, in the tree walk (see `Search::walk_tree`).
    pub(super) groups: Vec<u32>,
}

/// How many of a source's topic lists hold a position, saturating: one byte keeps the two
/// counts of a million positions in 2 MB of cache.
pub(super) type Count = u8;

/// For each count of pairs `p` from 1 to below [`Count::MAX`], the fewest topics `a` with
/// `a (a - 1) / 2 >= p` (at least 2). A saturated count has no entry: it stands for any number.
pub(super) static TOPICS_OF_PAIRS: [u8; Count::MAX as usize] = {
    let mut table = [0; Count::MAX as usize];
    let mut p = 1;
    while p < Count::MAX as usize {
        let mut a = 2;
        while a * (a - 1) / 2 < p {
            a += 1;
        }
        table[p] = a as u8;
        p += 1;
    }
    table
};

/// The most a saturating `count` can stand for (any number once saturated).
pub(super) fn at_most(count: Count) -> usize {
    if count == Count::MAX {
        usize::MAX
    } else {
        usize::from(count)
    }
}

impl SearchScratch {
    pub(super) fn next_epoch(&mut self, n: usize) {
        if self.marks.len() != n || self.epoch == u32::MAX {
            self.marks.clear();
            self.marks.resize(n, Mark::default());
            self.buffers.counts.clear();
            self.buffers.counts.resize(n, [0; 2]);
            self.buffers.two_sided.clear();
            self.buffers.two_sided.resize(n.div_ceil(64), 0);
            self.touched_bits.clear();
            self.touched_bits.resize(n.div_ceil(64), 0);
            self.epoch = 0;
        }
        self.epoch += 1;
    }

    /// Puts the weighted Adamic-Adar sum of source `s` with every open member two hops away
    /// into `marks`, added in the order of [`Ties::adamic_adar`] (so the same bits, and the
    /// same warmth signal).
    pub(super) fn warmth(&mut self, ties: &Ties, index: &Index, s: usize) {
        // The marks, and each contact's inverse log degree, are read once before they are
        // added to, so that their cache misses overlap.
        let mut any = 0;
        for &(z, _) in ties.contacts(s) {
            any ^= ties.inv_log_degree(z as usize).to_bits();
            for &(t, _) in ties.contacts(z as usize) {
                let pos = index.pos_of.get(t as usize).copied().unwrap_or(NOT_OPEN);
                if pos != NOT_OPEN {
                    any ^= self.marks[pos as usize].aa.to_bits();
                }
            }
        }
        std::hint::black_box(any);
        for &(z, w_sz) in ties.contacts(s) {
            let z = z as usize;
            let ild = ties.inv_log_degree(z);
            for &(t, w_zt) in ties.contacts(z) {
                // Members added since the index was built have no position.
                let pos = index.pos_of.get(t as usize).copied().unwrap_or(NOT_OPEN);
                if pos == NOT_OPEN {
                    continue;
                }
                let bits = &mut self.touched_bits[pos as usize / 64];
                if *bits & (1 << (pos % 64)) == 0 {
                    self.touched.push(pos);
                    *bits |= 1 << (pos % 64);
                }
                self.marks[pos as usize].aa += w_sz * w_zt * ild;
            }
        }
    }

    /// Clears what [`SearchScratch::warmth`] added.
    pub(super) fn reset_warmth(&mut self) {
        for &pos in &self.touched {
            self.marks[pos as usize].aa = 0.0;
            self.touched_bits[pos as usize / 64] = 0;
        }
        self.touched.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A member in `a (a - 1) / 2` lists of pairs has `a` topics in common: the table gives
    /// back every `a` whose count is not saturated.
    #[test]
    fn topics_of_pairs_inverts_the_count_of_pairs() {
        for a in 2usize.. {
            let pairs = a * (a - 1) / 2;
            if pairs >= usize::from(Count::MAX) {
                break;
            }
            assert_eq!(usize::from(TOPICS_OF_PAIRS[pairs]), a, "{pairs} pairs");
        }
        // Any other count (a saturated count aside) is rounded up to the next such `a`.
        for (p, &a) in TOPICS_OF_PAIRS.iter().enumerate().skip(1) {
            let a = usize::from(a);
            assert!(
                a >= 2 && a * (a - 1) / 2 >= p && (a - 1) * (a - 2) / 2 < p,
                "{p}"
            );
        }
    }
}
