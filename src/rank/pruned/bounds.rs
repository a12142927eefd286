//! One source's bounds: its stage and geography signals against every stage code and
//! country, the needs bounds of members left to the tree walk, and the bounds of a list
//! entry's background.

use super::MARGIN;
use super::index::Index;
use super::is_set;
use super::lists::PairEntry;
use crate::score::profile::Profile;
use crate::score::signal::{BySignal, Signal};
use crate::score::signals::{geography_fit, stage_fit};
use crate::score::tables::{Tables, share};

/// One source's stage and geography signals against every stage code and country, and the
/// bounds of the signals not known until a class is reached.
#[derive(Debug, Default)]
pub(super) struct Bounds {
    pub(super) weights: BySignal<f64>,
    /// Against every stage code, and against every country.
    pub(super) stage: SignalRow<(u8, u8)>,
    pub(super) geography: SignalRow<([u8; 2], u8)>,
    pub(super) best_communities: f64,
    /// Weighted bound of the needs signal of a member left to the tree walk (step 5).
    pub(super) one_sided: f64,
    /// `Search::one_sided`'s bounds, by whether the member may offer one of the source's
    /// needs (rows of `most_needs + 1`) and by the fewest needs it may have, 0 when the source
    /// offers none of them.
    pub(super) one_sided_by: Vec<f64>,
    /// The length of a row of `one_sided_by`.
    pub(super) row: usize,
    /// Step 2's needs signal of a member with one topic in common each way, by its number of
    /// needs (0 where either side has no needs: never read).
    pub(super) one_each: Vec<f32>,
    /// What the needs tables were last filled for (sources come in index order, so
    /// neighbours often share it): the source's number of needs and whether it offers
    /// anything.
    pub(super) filled_needs: Option<(usize, bool)>,
}

/// One source's signal against every stage code (or country), the same weighted, and the best
/// of the weighted; kept while the sources' `key` (stage and focus, or country and region)
/// stays the same.
#[derive(Debug, Default)]
pub(super) struct SignalRow<K> {
    pub(super) key: Option<K>,
    pub(super) signals: Vec<f32>,
    pub(super) weighted: Vec<f64>,
    pub(super) best: f64,
}

impl<K: PartialEq> SignalRow<K> {
    /// Refills the row with `values` and their products by `weight`, unless it holds `key`'s.
    pub(super) fn fill(&mut self, key: K, weight: f64, values: impl Iterator<Item = f32>) {
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.key = Some(key);
        self.signals.clear();
        self.signals.extend(values);
        self.weighted.clear();
        self.weighted
            .extend(self.signals.iter().map(|&x| weight * f64::from(x)));
        self.best = max_of(&self.weighted);
    }
}

/// A bound of the needs signal of a member that is not two-sided (it covers the source's needs
/// or the source covers its needs, not both), at coverage bounds `forward` and `backward`:
/// `max(one_sided * max(f, b), combine(f, 0), combine(0, b))`. Every combine rule is monotone.
pub(super) fn one_sided_needs(t: &Tables, forward: f32, backward: f32) -> f32 {
    t.needs(forward, 0.0).max(t.needs(0.0, backward))
}

pub(super) fn max_of(values: &[f64]) -> f64 {
    values.iter().fold(0.0, |a, &b| a.max(b))
}

impl Bounds {
    /// The most anyone left to the tree walk can add to a group's head: the best stage,
    /// geography and communities, the walk's needs bound and the margin.
    pub(super) fn beyond_head(&self) -> f64 {
        self.stage.best + self.geography.best + self.best_communities + self.one_sided + MARGIN
    }

    /// Fills the tables for source `s`, keeping those the previous source had the same inputs
    /// for (the tables of one
    /// engine's index: a [`SearchScratch`](super::SearchScratch) serves one engine).
    pub(super) fn fill(&mut self, index: &Index, t: &Tables, s: &Profile) {
        let w = t.weights.map(|_, &x| f64::from(x));
        self.weights = w;
        let stage = (s.stage, s.focus);
        self.stage.fill(
            stage,
            w[Signal::Stage],
            index
                .stage_codes
                .iter()
                .map(|&code| stage_fit(t, stage, code)),
        );
        let country = (s.country, s.region);
        self.geography.fill(
            country,
            w[Signal::Geography],
            index
                .countries
                .iter()
                .map(|&c| geography_fit(t, country, c)),
        );
        // The overlap coefficient is at most 1, and 0 for a member without communities.
        self.best_communities = if s.cops.is_empty() {
            0.0
        } else {
            w[Signal::Communities]
        };
        if self.filled_needs == Some((s.needs.len(), s.offers.is_empty())) {
            return;
        }
        self.filled_needs = Some((s.needs.len(), s.offers.is_empty()));
        let own = s.needs.len();
        self.one_each.clear();
        self.one_each.extend(
            (0..=index.most_needs as usize)
                .map(|theirs| t.needs_of_counts(own, own.min(1), theirs, theirs.min(1))),
        );
        // A member left to the tree walk has at most one topic in common each way.
        let forward = share(1, s.needs.len());
        self.row = index.most_needs as usize + 1;
        self.one_sided_by.clear();
        for covers in [0.0, forward] {
            self.one_sided_by.extend((0..self.row).map(|fewest| {
                w[Signal::Needs] * f64::from(one_sided_needs(t, covers, share(1, fewest)))
            }));
        }
        // Anyone left to the walk may cover one need of `s` and have as few needs as the
        // fewest of anyone walked (none covered when `s` offers nothing).
        let fewest = if s.offers.is_empty() || index.fewest_needs == u32::MAX {
            0
        } else {
            index.fewest_needs as usize
        };
        self.one_sided = self.one_sided_by[self.row + fewest];
    }
}

/// A source's bounds of a member's background by its place in the tree (group, stage code,
/// country, folded communities), and what the loops over the topic lists add to them: see
/// `Search::entry_bounds`.
pub(super) struct EntryBounds<'a> {
    /// Each group's head ([`GroupTables`](super::group::GroupTables)), and the weighted stage and geography signals of
    /// each stage code and country ([`Bounds`]).
    pub(super) head: &'a [f64],
    pub(super) stage: &'a [f64],
    pub(super) geography: &'a [f64],
    /// The source's communities folded into 32 bits, and the best weighted communities signal.
    pub(super) cops_fold: u32,
    pub(super) best_communities: f64,
    /// The needs signal's weight, and the bound of anyone's weighted warmth.
    pub(super) weights_needs: f64,
    pub(super) best_warmth: f64,
    /// The two-hop reach as a bitset: a position outside it has no warmth.
    pub(super) touched: &'a [u64],
}

impl EntryBounds<'_> {
    /// The bound of the weighted warmth of the member at `pos`: the best warmth inside the
    /// two-hop reach, none outside it (known from the bitset, without a branch).
    #[inline]
    pub(super) fn warmth_at(&self, pos: usize) -> f64 {
        if is_set(self.touched, pos) {
            self.best_warmth
        } else {
            0.0
        }
    }

    /// The bound of the background of a list entry's member from its group, stage, country and
    /// folded communities, margin included.
    #[inline]
    pub(super) fn placed(&self, entry: &PairEntry) -> f64 {
        self.placed_at(entry.group, entry.stage, entry.country, entry.cops_fold)
    }

    /// The bound of the background of a member in `group`, at stage code `stage`, in
    /// `country`, with communities folded into `cops_fold`, margin included: its communities
    /// signal bounded by the best there is where the folds meet.
    #[inline]
    pub(super) fn placed_at(&self, group: u32, stage: u16, country: u16, cops_fold: u32) -> f64 {
        let communities = if cops_fold & self.cops_fold == 0 {
            0.0
        } else {
            self.best_communities
        };
        self.head[group as usize]
            + self.stage[stage as usize]
            + self.geography[country as usize]
            + communities
            + MARGIN
    }
}
