//! Step 5: the tree walk over groups, stage blocks, country blocks and classes, for the
//! members no topic list or tie found.

use super::search::Search;
use super::{MARGIN, span, walked_needs};

impl Search<'_> {
    /// Step 5: the groups best head first (pair by pair), then stage blocks, country blocks
    /// and classes.
    ///
    /// `groups` is scratch space for the groups of a pair.
    pub(super) fn walk_tree(&mut self, groups: &mut Vec<u32>) {
        let index = self.index;
        let b = self.bounds;
        let rest = b.beyond_head();
        let open = b.geography.best + b.best_communities + b.one_sided + MARGIN;
        let group = self.group;
        for &pair in &group.pair_order {
            let head = group.pair_head[pair as usize];
            if head + rest < self.threshold {
                // Pairs come best head first: no later group can do better.
                return;
            }
            group.groups_of_pair(index, pair, groups);
            for &g in groups.iter() {
                if head + rest < self.threshold {
                    return;
                }
                self.walk_group(g as usize, head, open);
            }
        }
    }

    /// Bounds group `g`, whose head is `head`, then its stage blocks, country blocks, classes
    /// and members; scores the members that can reach the threshold. `open` is the most that
    /// a stage block's geography, communities and needs can add.
    pub(super) fn walk_group(&mut self, g: usize, head: f64, open: f64) {
        let index = self.index;
        let b = self.bounds;
        // What the group's members have between them: a group none of whose members shares
        // a topic or a community with `s` is left without looking at its blocks.
        let summary = &index.group_summaries[g];
        let placed = head + b.stage.best + b.geography.best + self.communities(summary);
        if placed + self.one_sided(summary.sigs, summary.fewest_needs) + MARGIN < self.threshold {
            return;
        }
        for block in span(&index.group_start, g) {
            let staged = head + b.stage.weighted[index.stage_block_stage[block] as usize];
            // The stage alone first: it needs no look at the block's summary.
            if staged + open < self.threshold {
                continue;
            }
            let summary = &index.stage_block_summaries[block];
            let needs = self.one_sided(summary.sigs, summary.fewest_needs);
            let far = staged + self.communities(summary) + needs + MARGIN;
            if far + b.geography.best < self.threshold {
                continue;
            }
            let blocks = span(&index.stage_block_start, block);
            if far >= self.threshold {
                for country_block in blocks {
                    self.country_block(staged, country_block);
                }
            } else {
                // Only the source's own country and region can reach the threshold: their
                // blocks are bounded, the others passed over on their country alone.
                for country_block in blocks {
                    let country = index.country_block_country[country_block];
                    if b.geography.signals[country as usize] > 0.0 {
                        self.country_block(staged, country_block);
                    }
                }
            }
        }
    }

    /// Bounds a country block of a stage block whose background so far is `staged`, then its
    /// classes and members; scores the members that can reach the threshold.
    pub(super) fn country_block(&mut self, staged: f64, country_block: usize) {
        let index = self.index;
        let b = self.bounds;
        let summary = &index.country_block_summaries[country_block];
        let placed = staged
            + b.geography.weighted[index.country_block_country[country_block] as usize]
            + self.communities(summary)
            + MARGIN;
        if placed + b.one_sided < self.threshold
            || placed + self.one_sided(summary.sigs, summary.fewest_needs) < self.threshold
        {
            return;
        }
        for c in span(&index.country_block_start, country_block) {
            let summary = &index.class_summaries[c];
            let members = span(&index.class_start, c);
            let (signals, background) = self.background(&index.slots[members.start]);
            if background + b.one_sided < self.threshold
                || background + self.one_sided(summary.sigs, summary.fewest_needs) < self.threshold
            {
                continue;
            }
            for pos in members {
                if self.seen(pos) {
                    continue;
                }
                let slot = index.slots[pos];
                // Below the threshold on its background alone, a member needs enough topics in
                // common with `s`.
                if background < self.threshold {
                    let bound = self.one_sided(index.sigs[pos], walked_needs(slot.needs_len()));
                    if background + bound < self.threshold {
                        continue;
                    }
                }
                self.score(pos, &slot, signals, 0.0);
            }
        }
    }
}
