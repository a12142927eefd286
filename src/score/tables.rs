//! The match weights turned into lookup tables once, at engine build.

use ndarray::Array2;

use crate::model::community::Community;
use crate::model::kind::MemberKind;
use crate::score::settings::{Combine, LanguageRule};
use crate::score::signal::{BySignal, Signal};
use crate::score::weights::{MatchWeights, split_pair};

/// The weights turned into lookup tables once, at engine build.
#[derive(Clone, Debug)]
pub(crate) struct Tables {
    /// Signal weights normalised to sum to 1.
    pub(crate) weights: BySignal<f32>,
    pub(crate) combine: Combine,
    pub(crate) one_sided: f32,
    /// The taxonomy signal of a pair of verticals, `[[a, b]]` (symmetric).
    pub(crate) vertical_affinity: Array2<f32>,
    pub(crate) peer_by_gap: [f32; 6],
    pub(crate) focus_by_gap: [f32; 6],
    pub(crate) focus_overlap: f32,
    pub(crate) unknown_stage: f32,
    pub(crate) same_country: f32,
    pub(crate) same_region: f32,
    /// The kind signal of a pair of kinds, `[[a, b]]` by [`MemberKind::ordinal`] (symmetric).
    pub(crate) kind_prior: Array2<f32>,
    /// The least needs signal of a pair meeting a need either way.
    pub(crate) met_floor: f32,
    /// Whether each topic is about money (see `StageConfig::money_topics`), by topic id.
    pub(crate) money: Vec<bool>,
    /// The language rule and the factor of a mismatch under [`LanguageRule::Prefer`].
    pub(crate) language: LanguageRule,
    pub(crate) mismatch_factor: f32,
    /// [`needs_from`](crate::score::signals::needs_from)'s signal by counts, for members with at most [`COUNTED`] needs each:
    /// see [`Tables::needs_of_counts`].
    needs_by_count: Vec<f32>,
}

/// The most needs of either member for which [`Tables::needs_of_counts`] reads a table.
pub(crate) const COUNTED: usize = 8;

/// `common` of `of` topics as a coverage (0 when `of` is 0): the coverages of the needs signal
/// and of [`Tables::needs_of_counts`], and the pruned search's bounds.
pub(crate) fn share(common: usize, of: usize) -> f32 {
    if of == 0 {
        0.0
    } else {
        common as f32 / of as f32
    }
}

impl Tables {
    /// [`needs_from`](crate::score::signals::needs_from)'s signal between a source with `own` needs, `forward` of them offered by
    /// the candidate, and a candidate with `theirs` needs, `backward` of them offered by the
    /// source: the same operations on the same numbers (so the same bits), read from a table
    /// when both have at most [`COUNTED`] needs.
    pub(crate) fn needs_of_counts(
        &self,
        own: usize,
        forward: usize,
        theirs: usize,
        backward: usize,
    ) -> f32 {
        const SIDE: usize = COUNTED + 1;
        // Topics are sets (sorted, no repeats), so no count exceeds its side's number of needs.
        debug_assert!(forward <= own && backward <= theirs);
        if own <= COUNTED && theirs <= COUNTED {
            self.needs_by_count[((own * SIDE + forward) * SIDE + theirs) * SIDE + backward]
        } else {
            self.needs(share(forward, own), share(backward, theirs))
        }
    }

    /// The needs signal at forward and backward coverages `forward` and `backward`:
    /// `max(combine(forward, backward), one_sided * max(forward, backward))`, and at least
    /// `met_floor` when either is above 0. Non-decreasing in each coverage.
    pub(crate) fn needs(&self, forward: f32, backward: f32) -> f32 {
        let met = if forward > 0.0 || backward > 0.0 {
            1.0
        } else {
            0.0
        };
        self.needs_met(forward, backward, met)
    }

    /// The needs signal `met_floor * met + (1 - met_floor) * base`, with `base =
    /// max(combine(forward, backward), one_sided * max(forward, backward))` and `met` in [0, 1]
    /// how much of one need is met at best (1 as soon as one is, less when the only match is a
    /// money topic offered at a stage that fits the needing member's in part). Non-decreasing
    /// in each argument.
    pub(crate) fn needs_met(&self, forward: f32, backward: f32, met: f32) -> f32 {
        let base = self
            .combine
            .apply(forward, backward)
            .max(self.one_sided * forward.max(backward));
        self.met_floor * met + (1.0 - self.met_floor) * base
    }
}

fn gap_table(values: &[f32]) -> [f32; 6] {
    // Gaps past the end of a shorter table take its last value.
    let mut out = [0.0; 6];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = values[i.min(values.len() - 1)];
    }
    out
}

impl Tables {
    /// Builds the tables; `weights` must have passed [`MatchWeights::validate`].
    pub(crate) fn new(weights: &MatchWeights, community: &Community) -> Self {
        let t = community.taxonomy();
        let raw = weights.signal_weights();
        let sum: f32 = raw.values().iter().sum();
        let norm = raw.map(|_, &w| w / sum);
        let nc = t.categories().len();
        let mut cat = Array2::from_elem((nc, nc), weights.taxonomy.other_category);
        for c in 0..nc {
            cat[[c, c]] = weights.taxonomy.same_category;
        }
        for (key, &v) in &weights.taxonomy.category_affinity {
            if let Some((a, b)) = split_pair(key) {
                if let (Some(a), Some(b)) = (t.category_by_slug(a), t.category_by_slug(b)) {
                    cat[[a.index(), b.index()]] = v;
                    cat[[b.index(), a.index()]] = v;
                }
            }
        }
        let nv = t.verticals().len();
        let vertical_affinity = Array2::from_shape_fn((nv, nv), |(a, b)| {
            if a == b {
                weights.taxonomy.same_vertical
            } else {
                let category = |v: usize| t.verticals()[v].category().index();
                cat[[category(a), category(b)]]
            }
        });
        let kinds = MemberKind::ALL.len();
        let mut kind_prior = Array2::from_elem((kinds, kinds), weights.kind.default);
        for (key, &v) in &weights.kind.pairs {
            if let Some((a, b)) = split_pair(key) {
                if let (Ok(a), Ok(b)) = (a.parse::<MemberKind>(), b.parse::<MemberKind>()) {
                    kind_prior[[a.ordinal(), b.ordinal()]] = v;
                    kind_prior[[b.ordinal(), a.ordinal()]] = v;
                }
            }
        }
        let mut tables = Tables {
            weights: norm,
            combine: weights.needs.combine,
            one_sided: weights.needs.one_sided,
            vertical_affinity,
            peer_by_gap: gap_table(&weights.stage.peer_by_gap),
            focus_by_gap: gap_table(&weights.stage.focus_by_gap),
            focus_overlap: weights.stage.focus_overlap,
            unknown_stage: weights.stage.unknown,
            same_country: weights.geography.same_country,
            same_region: weights.geography.same_region,
            kind_prior,
            met_floor: weights.needs.met_floor,
            money: vec![false; community.topics().len()],
            language: weights.language.rule,
            mismatch_factor: weights.language.mismatch_factor,
            needs_by_count: Vec::new(),
        };
        for slug in &weights.stage.money_topics {
            if let Some(topic) = community.topic_id(slug) {
                tables.money[topic.index()] = true;
            }
        }
        // Indexed as in `needs_of_counts`; counts above the number of needs never occur.
        let side = COUNTED + 1;
        tables.needs_by_count = (0..side.pow(4))
            .map(|i| {
                let (own, forward) = (i / side.pow(3), i / side.pow(2) % side);
                let (theirs, backward) = (i / side % side, i % side);
                tables.needs(share(forward, own), share(backward, theirs))
            })
            .collect();
        tables
    }

    /// Whether `topic` is about money (see `StageConfig::money_topics`).
    #[inline]
    pub(crate) fn is_money(&self, topic: u32) -> bool {
        self.money.get(topic as usize).copied().unwrap_or(false)
    }

    /// The weight of `signal`, normalised so the seven sum to 1.
    pub(crate) fn weight(&self, signal: Signal) -> f32 {
        self.weights[signal]
    }

    /// The kind signal of two kinds (by ordinal).
    #[inline]
    pub(crate) fn kind_prior(&self, a: u8, b: u8) -> f32 {
        self.kind_prior[[usize::from(a), usize::from(b)]]
    }
}
