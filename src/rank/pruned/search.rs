//! One source member's search: what it reads, the heap it fills, and steps 2 to 4 (the
//! topic lists and the two-hop reach).

use super::MARGIN;
use super::bounds::{Bounds, EntryBounds, one_sided_needs};
use super::group::GroupTables;
use super::index::Index;
use super::is_set;
use super::lists::{PairEntry, key, pairs_across, pairs_within};
use super::scratch::{Count, Mark, TOPICS_OF_PAIRS, at_most};
use super::slot::Slot;
use super::tree::Summary;
use crate::rank::query::Query;
use crate::rank::ranker::Ranker;
use crate::rank::topk::TopK;
use crate::score::profile::{Profile, Source};
use crate::score::signal::{BySignal, Signal};
use crate::score::signals::{
    needs_of, scaled, score_from, total_of, warmth_signal, warmth_signal_bound,
};
use crate::score::tables::{Tables, share};

/// One source member's search: what it reads, and the heap it fills.
pub(super) struct Search<'a> {
    pub(super) ranker: &'a Ranker,
    pub(super) index: &'a Index,
    pub(super) t: &'a Tables,
    pub(super) src: &'a Source,
    pub(super) s: usize,
    pub(super) ps: &'a Profile,
    pub(super) query: &'a Query,
    pub(super) filtered: bool,
    pub(super) floor: f64,
    pub(super) group: &'a GroupTables,
    pub(super) bounds: &'a Bounds,
    pub(super) marks: &'a mut [Mark],
    /// The two-hop reach as a bitset: a position not in it has no warmth.
    pub(super) touched_bits: &'a [u64],
    pub(super) epoch: u32,
    pub(super) pairs: u64,
    pub(super) top: TopK,
    /// The score a candidate must reach: the heap's worst once full, and the query's minimum;
    /// kept up to date by [`Search::update_threshold`] whenever the heap is offered a candidate.
    pub(super) threshold: f64,
    /// The source's needed and offered topics folded.
    pub(super) needs_sig: u128,
    pub(super) offers_sig: u128,
    /// The source's communities of practice, folded into 64 and 32 bits.
    pub(super) cops_sig: u64,
    pub(super) cops_fold: u32,
    /// A bound of the weighted warmth of the warmest member of the two-hop reach, so of
    /// anyone's (from [`warmth_signal_bound`] of the largest Adamic-Adar sum).
    pub(super) best_warmth: f64,
    /// What the language rule does to the source and a member of each set of languages.
    pub(super) languages: &'a [Option<f32>],
    /// The keys plus entries the search may still look up and read (see
    /// [`BUDGET_PER_MEMBER`](super::BUDGET_PER_MEMBER)), and what it has.
    pub(super) budget: u64,
    pub(super) keys: u64,
    pub(super) entries: u64,
}

impl<'a> Search<'a> {
    /// Whether the keys looked up and entries read are within the budget.
    pub(super) fn within_budget(&self) -> bool {
        self.keys + self.entries <= self.budget
    }

    /// Counts the keys looked up and entries found in `found`; whether still within budget.
    fn spend(&mut self, keys: usize, found: &[(u32, u32)]) -> bool {
        self.keys += keys as u64;
        self.entries += found
            .iter()
            .map(|&(from, to)| u64::from(to - from))
            .sum::<u64>();
        self.within_budget()
    }

    /// After step 5: every member changed since the index was built (its entries left out), if
    /// it is a candidate: open, not excluded by the source, passing the query's filters and the
    /// language rule. Scored exactly from its profile, as the brute force does.
    pub(super) fn changed(&mut self, changed: &[u32]) {
        let r = self.ranker;
        for &t in changed {
            let t = t as usize;
            if t == self.s
                || !r.exclusions.is_open(t)
                || r.exclusions.of(self.s).binary_search(&(t as u32)).is_ok()
            {
                continue;
            }
            let pt = &r.profiles[t];
            if self.filtered && !self.query.admits(pt) {
                continue;
            }
            let Some(factor) = self.languages[r.language_set(t)] else {
                continue;
            };
            self.pairs += 1;
            let aa = r.ties.adamic_adar(self.s, t);
            let total = score_from(self.t, self.src, self.ps, pt, aa);
            let score = scaled(total, factor);
            if score >= self.query.min_score {
                self.top.offer(&r.tie_break, self.s, t, score);
                self.update_threshold();
            }
        }
    }

    /// Before step 4: every heavy member not seen yet (they are in no list, so steps 4 and 5
    /// cannot bound their needs), scored unless its background with the highest needs signal
    /// and its warmth are below the threshold; each is marked seen, so the later steps pass it
    /// by.
    pub(super) fn heavy(&mut self) {
        let most_needs = self.bounds.weights[Signal::Needs];
        for &pos in &self.index.heavy {
            let pos = pos as usize;
            if self.seen(pos) {
                continue;
            }
            self.marks[pos].seen = self.epoch;
            let slot = self.index.slots[pos];
            let (signals, background) = self.background(&slot);
            let signal = warmth_signal(self.marks[pos].aa);
            if background + most_needs + self.warmth(signal) >= self.threshold {
                self.score_unmarked(&slot, signals, signal);
            }
        }
    }

    /// Recomputes [`Search::threshold`] from the heap, after it may have changed.
    pub(super) fn update_threshold(&mut self) {
        self.threshold = f64::from(self.top.threshold()).max(self.floor);
    }

    pub(super) fn seen(&self, pos: usize) -> bool {
        self.marks[pos].seen == self.epoch
    }

    /// The signals against the source of a member in `slot`'s group, stage, country and
    /// communities (needs and warmth left at 0), and the weighted bound of its background
    /// (everything but needs and warmth), margin included. Every member of a class gets the
    /// same.
    pub(super) fn background(&self, slot: &Slot) -> (BySignal<f32>, f64) {
        let g = slot.group as usize;
        let (stage, country) = (slot.stage as usize, slot.country as usize);
        let communities = self.communities_with(slot);
        let b = self.bounds;
        let background = self.group.head[g]
            + b.stage.weighted[stage]
            + b.weights[Signal::Communities] * f64::from(communities)
            + b.geography.weighted[country]
            + MARGIN;
        (self.signals(slot, communities), background)
    }

    /// The signals against the source of a member in `slot`'s group, stage and country, with
    /// the communities signal `communities` (needs and warmth left at 0).
    pub(super) fn signals(&self, slot: &Slot, communities: f32) -> BySignal<f32> {
        let (taxonomy, kind) = self.group.signals(slot.group as usize);
        BySignal([
            0.0,
            taxonomy,
            self.bounds.stage.signals[slot.stage as usize],
            communities,
            self.bounds.geography.signals[slot.country as usize],
            0.0,
            kind,
        ])
    }

    /// The communities signal against the source of a member in `slot`'s communities.
    pub(super) fn communities_with(&self, slot: &Slot) -> f32 {
        // Disjoint folds: no community in common, so the signal is 0 without reading the list.
        if slot.cops_fold & self.cops_fold == 0 {
            0.0
        } else {
            self.src
                .communities(self.ps.cops.len(), self.index.topics(slot.cops, slot.end))
        }
    }

    /// Scores the member at `pos` (in `slot`, not yet seen) from its class's `signals` and its
    /// warmth signal `warmth`, and offers it to the heap if it passes the query's filters and
    /// minimum score.
    pub(super) fn score(&mut self, pos: usize, slot: &Slot, signals: BySignal<f32>, warmth: f32) {
        self.marks[pos].seen = self.epoch;
        self.score_unmarked(slot, signals, warmth);
    }

    /// [`Search::score`] without marking the member seen; whether the member passed the
    /// query's filters and reached its minimum score.
    pub(super) fn score_unmarked(
        &mut self,
        slot: &Slot,
        mut signals: BySignal<f32>,
        warmth: f32,
    ) -> bool {
        let t = slot.member as usize;
        let pt = &self.ranker.profiles[t];
        if self.filtered && !self.query.admits(pt) {
            return false;
        }
        // The language rule, by the pair's sets of languages: a pair it keeps apart is not
        // scored at all.
        let Some(factor) = self.languages[self.ranker.language_set(t)] else {
            return false;
        };
        self.pairs += 1;
        let matches = self.src.matches(
            self.index.topics(slot.offers, slot.needs),
            self.index.topics(slot.needs, slot.cops),
        );
        signals[Signal::Needs] = needs_of(self.t, self.ps, pt, matches);
        signals[Signal::Warmth] = warmth;
        let score = scaled(total_of(self.t, signals), factor);
        let reached = score >= self.query.min_score;
        if reached {
            self.top.offer(&self.ranker.tie_break, self.s, t, score);
            self.update_threshold();
        }
        reached
    }

    /// The weighted bound of the needs signal of a member found by neither step 2 nor step 3,
    /// among members with topic signatures within `sigs` and at least `fewest` needs
    /// (`u32::MAX` when none has any).
    ///
    /// Such a member has at most one topic in common each way, and not both ways; disjoint
    /// signatures prove it has none. [`one_sided_needs`] at those coverages is the bound.
    /// The bound is read from a table filled once per source (fewest needs are at most the
    /// index's most needs, or `u32::MAX`).
    pub(super) fn one_sided(&self, [offers, needs]: [u128; 2], fewest: u32) -> f64 {
        let covers = usize::from(offers & self.needs_sig != 0);
        let covered = if fewest == u32::MAX || needs & self.offers_sig == 0 {
            0
        } else {
            fewest as usize
        };
        self.bounds.one_sided_by[covers * self.bounds.row + covered]
    }

    /// The weighted bound of the communities signal of a member of a node: 0 when no
    /// community of the node's members folds onto one of the source's.
    pub(super) fn communities(&self, summary: &Summary) -> f64 {
        if summary.cops & self.cops_sig == 0 {
            0.0
        } else {
            self.bounds.best_communities
        }
    }

    /// Step 4: the two-hop reach, with its warmth.
    ///
    /// Runs after steps 2 and 3, so a member it reaches that is not seen yet was either ruled
    /// out there (with its warmth) or has the needs of a member left to the tree walk. Each is
    /// marked seen, scored or not, so the walk does not look at it again. Its slot is read
    /// only if it could reach the threshold with the best background anyone has with `s`, and
    /// its communities only if it could with the bound of its background from its slot.
    pub(super) fn warm(&mut self, touched: &[u32]) {
        let most = self.group.best_head + self.bounds.beyond_head();
        let entry_bounds = self.entry_bounds();
        for &pos in touched {
            let pos = pos as usize;
            if self.seen(pos) {
                continue;
            }
            self.marks[pos].seen = self.epoch;
            let aa = self.marks[pos].aa;
            let warmth = self.warmth_bound(aa);
            if most + warmth < self.threshold {
                continue;
            }
            let slot = self.index.slots[pos];
            // First bounded from its slot alone, before its communities are read.
            let placed =
                entry_bounds.placed_at(slot.group, slot.stage, slot.country, slot.cops_fold);
            if placed + self.bounds.one_sided + warmth < self.threshold {
                continue;
            }
            let (signals, background) = self.background(&slot);
            let signal = warmth_signal(aa);
            if background + self.bounds.one_sided + self.warmth(signal) >= self.threshold {
                self.score(pos, &slot, signals, signal);
            }
        }
    }

    /// Step 2: members offering something `s` needs and needing something `s` offers, from the
    /// offer-need lists (their ranges into `found`). Each entry sets its member in
    /// `two_sided` and is bounded as if the member had exactly one topic in common each way,
    /// its needs signal known from its number of needs. That is its needs signal unless it has
    /// two or more in common one way: then the bound may be too low, and the member is left to
    /// step 3 unless it is scored here (with its own needs signal; only a member scored is
    /// marked seen).
    pub(super) fn two_sided(&mut self, two_sided: &mut [u64], found: &mut Vec<(u32, u32)>) {
        let ps = self.ps;
        let lists = &self.index.offer_need;
        lists.find_all(pairs_across(&ps.needs, &ps.offers), found);
        if !self.spend(ps.needs.len() * ps.offers.len(), found) {
            return;
        }
        let one_each = &self.bounds.one_each;
        let entry_bounds = self.entry_bounds();
        for list in found.iter().map(|&range| lists.list(range)) {
            for entry in list {
                let pos = entry.pos as usize;
                two_sided[pos / 64] |= 1 << (pos % 64);
                self.consider(&entry_bounds, entry, one_each[entry.needs as usize]);
            }
        }
    }

    /// Clears the bitset that [`Search::two_sided`] set from the offer-need lists at `found`:
    /// all of it when it has fewer words than those lists have entries, else the word of each
    /// entry.
    pub(super) fn clear_two_sided(&self, two_sided: &mut [u64], found: &[(u32, u32)]) {
        let lists = &self.index.offer_need;
        let entries: usize = found.iter().map(|&(from, to)| (to - from) as usize).sum();
        if entries > two_sided.len() {
            two_sided.fill(0);
            return;
        }
        for list in found.iter().map(|&range| lists.list(range)) {
            for entry in list {
                two_sided[entry.pos as usize / 64] = 0;
            }
        }
    }

    /// Step 3: members with two or more topics in common one way, counted, then bounded with
    /// their own needs signal. A member offering `a` of `s`'s needs is in `a (a - 1) / 2` of the
    /// lists of pairs of `s`'s needs, so the count gives `a` (and the same for `b`, of `s`'s
    /// offers it needs, from the lists of pairs of `s`'s offers); a side without a count has
    /// one topic in common if the member is two-sided (`two_sided`, from step 2), else none.
    /// An entry is not counted when its member cannot reach the threshold with the highest
    /// needs signal a member like it can have (any, if two-sided; the highest one-sided signal,
    /// if not). Clears the counts of the members counted.
    pub(super) fn doubly_covered(
        &mut self,
        hits: &mut Vec<PairEntry>,
        counts: &mut [[Count; 2]],
        two_sided: &[u64],
        found: &mut Vec<(u32, u32)>,
    ) {
        let ps = self.ps;
        let index = self.index;
        let t = self.t;
        hits.clear();
        // The highest needs signal of a two-sided member, and of one that is not.
        let most = [t.needs(1.0, 1.0), one_sided_needs(t, 1.0, 1.0)];
        let sides = [
            (0, &index.offer_offer, &ps.needs),
            (1, &index.need_need, &ps.offers),
        ];
        // Both sides are paid for before either is counted: a search that stops leaves no
        // counts behind.
        for &(_, lists, own) in &sides {
            lists.find_all(pairs_within(own), found);
            if !self.spend(own.len() * own.len().saturating_sub(1) / 2, found) {
                return;
            }
        }
        for (side, lists, own) in sides {
            lists.find_all(pairs_within(own), found);
            self.count_entries(
                found.iter().map(|&range| lists.list(range)),
                |pos| {
                    if is_set(two_sided, pos) {
                        most[0]
                    } else {
                        most[1]
                    }
                },
                most[1],
                hits,
                counts,
                side,
            );
        }
        let (own_needs, own_offers) = (ps.needs.len(), ps.offers.len());
        // The topics in common on one side: from the pairs counted (the smallest `a` with
        // `a (a - 1) / 2 >= pairs`, equal unless saturated, at most `own`, which it is once
        // saturated), else one if two-sided, else none.
        let common = |pairs: Count, two_sided: bool, own: usize| match pairs {
            0 => usize::from(two_sided),
            Count::MAX => own,
            _ => usize::from(TOPICS_OF_PAIRS[usize::from(pairs)]).min(own),
        };
        let entry_bounds = self.entry_bounds();
        for entry in hits.iter() {
            let pos = entry.pos as usize;
            let [needs_pairs, offers_pairs] = std::mem::take(&mut counts[pos]);
            let both = is_set(two_sided, pos);
            let theirs = entry.needs as usize;
            let a = common(needs_pairs, both, own_needs);
            // Saturated, `b` stands for all of the source's offers: the member needs at most
            // `theirs` of them.
            let b = common(offers_pairs, both, own_offers).min(theirs);
            self.consider(
                &entry_bounds,
                entry,
                t.needs_of_counts(own_needs, a, theirs, b),
            );
        }
    }

    /// The end of step 3: members with fewer than [`FEW_NEEDS`](super::FEW_NEEDS) needs that `s` covers, by each
    /// of them `s` covers: the count is `b`. Those that are two-sided were bounded before; the
    /// others have `a = 0`.
    pub(super) fn few_needs(
        &mut self,
        hits: &mut Vec<PairEntry>,
        counts: &mut [[Count; 2]],
        found: &mut Vec<(u32, u32)>,
    ) {
        let lists = &self.index.few_needs;
        hits.clear();
        lists.find_all(self.ps.offers.iter().map(|&y| key(0, y)), found);
        if !self.spend(self.ps.offers.len(), found) {
            return;
        }
        let most = one_sided_needs(self.t, 0.0, 1.0);
        self.count_entries(
            found.iter().map(|&range| lists.list(range)),
            |_| most,
            most,
            hits,
            counts,
            0,
        );
        let entry_bounds = self.entry_bounds();
        for entry in hits.iter() {
            let common = at_most(std::mem::take(&mut counts[entry.pos as usize])[0]);
            // Saturated, `common` stands for all of the source's offers: the member needs at
            // most its own number of them.
            let theirs = entry.needs as usize;
            let needs = one_sided_needs(self.t, 0.0, share(common.min(theirs), theirs));
            self.consider(&entry_bounds, entry, needs);
        }
    }

    /// Scores the member of a pair-list `entry` unless it was seen or its background plus the
    /// bound `needs` of its needs signal is below the threshold. The entry's group, stage and
    /// country (with the best communities, and the best warmth if the member is in the two-hop
    /// reach) are checked first: they read nothing else of the member's.
    ///
    /// `entry_bounds` is [`Search::entry_bounds`], taken once per loop over the lists.
    #[inline]
    pub(super) fn consider(
        &mut self,
        entry_bounds: &EntryBounds<'_>,
        entry: &PairEntry,
        needs: f32,
    ) {
        let placed = entry_bounds.placed(entry) + entry_bounds.weights_needs * f64::from(needs);
        // Most entries stop here, so this part is inlined into the loops over the lists.
        if placed + entry_bounds.warmth_at(entry.pos as usize) >= self.threshold {
            self.consider_placed(entry, needs, placed);
        }
    }

    /// The rest of [`Search::consider`], for an entry whose bound `placed` (background from
    /// the entry, plus needs) reaches the threshold, with the best warmth if the member is in
    /// the two-hop reach.
    #[inline(never)]
    pub(super) fn consider_placed(&mut self, entry: &PairEntry, needs: f32, placed: f64) {
        let b = self.bounds;
        let threshold = self.threshold;
        let pos = entry.pos as usize;
        let Mark { seen, aa } = self.marks[pos];
        if seen == self.epoch || placed + self.warmth_bound(aa) < threshold {
            return;
        }
        let slot = self.index.slots[pos];
        let (signals, background) = self.background(&slot);
        let signal = warmth_signal(aa);
        if background + b.weights[Signal::Needs] * f64::from(needs) + self.warmth(signal)
            < threshold
        {
            return;
        }
        self.score(pos, &slot, signals, signal);
    }

    /// What bounds a member's background from its place in the tree, for the loops over the
    /// lists: read out of the search once, so that the loops keep it in registers instead of
    /// reading it again through `self` after every call that may score.
    pub(super) fn entry_bounds(&self) -> EntryBounds<'a> {
        let (group, b) = (self.group, self.bounds);
        EntryBounds {
            head: &group.head,
            stage: &b.stage.weighted,
            geography: &b.geography.weighted,
            cops_fold: self.cops_fold,
            best_communities: b.best_communities,
            weights_needs: b.weights[Signal::Needs],
            best_warmth: self.best_warmth,
            touched: self.touched_bits,
        }
    }

    /// Counts how many of `lists` hold each position into side `side` of `counts`
    /// (saturating), and puts each position counted on neither side before once into `hits`,
    /// in order of first appearance. Entries whose member cannot reach the threshold even with
    /// the needs signal `most_of(position)` and the best warmth (none outside the two-hop
    /// reach) are left out: all of a member's entries alike, since the bound is the member's
    /// and nothing is scored while counting. `least` is the least `most_of` returns.
    pub(super) fn count_entries<'e>(
        &self,
        lists: impl Iterator<Item = &'e [PairEntry]>,
        most_of: impl Fn(usize) -> f32,
        least: f32,
        hits: &mut Vec<PairEntry>,
        counts: &mut [[Count; 2]],
        side: usize,
    ) {
        let w0 = self.bounds.weights[Signal::Needs];
        let threshold = self.threshold;
        let mut count = |entry: &PairEntry| {
            let count = &mut counts[entry.pos as usize];
            if *count == [0; 2] {
                hits.push(*entry);
            }
            count[side] = count[side].saturating_add(1);
        };
        // Every background is at least 0, so a threshold of at most the weighted `least` cuts
        // nothing (before the source's heap fills): count without bounding.
        if w0 * f64::from(least) >= threshold {
            lists.flatten().for_each(count);
            return;
        }
        let entry_bounds = self.entry_bounds();
        for list in lists {
            for entry in list {
                let pos = entry.pos as usize;
                let rest = w0 * f64::from(most_of(pos)) + entry_bounds.warmth_at(pos);
                if entry_bounds.placed(entry) + rest >= threshold {
                    count(entry);
                }
            }
        }
    }

    /// The weighted warmth signal `signal`.
    pub(super) fn warmth(&self, signal: f32) -> f64 {
        self.bounds.weights[Signal::Warmth] * f64::from(signal)
    }

    /// A bound of the weighted warmth signal of a member whose Adamic-Adar sum with the source
    /// is `aa`, without the exponential (within the rounding that [`MARGIN`] covers).
    pub(super) fn warmth_bound(&self, aa: f32) -> f64 {
        self.bounds.weights[Signal::Warmth] * warmth_signal_bound(aa)
    }
}
