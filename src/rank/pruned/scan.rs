//! The scan: every candidate scored in index order, from the pruned search's per-source
//! tables.

use super::search::Search;
use crate::score::signal::Signal;
use crate::score::signals::{scaled, total_of, warmth_signal};

impl Search<'_> {
    /// Every candidate scored, in index order (no bound is checked); how many passed the
    /// query's filters and reached its minimum score.
    ///
    /// A member with no topic and no community in common with the source (disjoint folded
    /// signatures) and no warmth has the needs signal `needs(0, 0)` and the warmth and
    /// communities signals 0: its score is [`total_of`] of its group's, stage's and
    /// country's signals, with no needs signal to compute. The others (`hot`) are scored in
    /// full afterwards; the order in which candidates are offered does not change the top k.
    // `&` between the conditions on purpose: no branch per member.
    #[allow(clippy::needless_bitwise_bool)]
    pub(super) fn scan(&mut self, hot: &mut Vec<u32>) -> usize {
        let index = self.index;
        let none = self.t.needs(0.0, 0.0);
        let min = self.query.min_score;
        let mut bar = self.top.threshold().max(min);
        // Every position is written, and those to score in full are kept (no branch).
        hot.resize(index.slots.len(), 0);
        let (mut hot_len, mut reached) = (0, 0);
        for (pos, ((slot, &[offers, needed]), mark)) in index
            .slots
            .iter()
            .zip(&index.sigs)
            .zip(self.marks.iter())
            .enumerate()
        {
            let plain = ((offers & self.needs_sig) | (needed & self.offers_sig) == 0)
                & (slot.cops_fold & self.cops_fold == 0)
                & (mark.aa == 0.0)
                & (mark.seen != self.epoch);
            hot[hot_len] = pos as u32;
            hot_len += usize::from(!plain);
            let Some(factor) = self.languages[usize::from(index.language_sets[pos])] else {
                // The language rule keeps this member apart from the source.
                hot_len -= usize::from(!plain);
                continue;
            };
            let mut signals = self.signals(slot, 0.0);
            signals[Signal::Needs] = none;
            let score = scaled(total_of(self.t, signals), factor);
            if self.filtered {
                if !plain
                    || score < min
                    || !self
                        .query
                        .admits(&self.ranker.profiles[slot.member as usize])
                {
                    continue;
                }
                reached += 1;
            } else {
                reached += usize::from(plain & (score >= min));
            }
            if plain & (score >= bar) {
                self.top
                    .offer(&self.ranker.tie_break, self.s, slot.member as usize, score);
                bar = self.top.threshold().max(min);
            }
        }
        for &pos in &hot[..hot_len] {
            let pos = pos as usize;
            let mark = self.marks[pos];
            if mark.seen != self.epoch {
                let slot = &index.slots[pos];
                let signals = self.signals(slot, self.communities_with(slot));
                let warmth = warmth_signal(mark.aa);
                reached += usize::from(self.score_unmarked(slot, signals, warmth));
            }
        }
        reached
    }
}
