//! Pair scoring: pure functions over precomputed member profiles and tables.
//!
//! A pair's score is `sum_i w_i * s_i` over seven signals `s_i` in [0, 1] with weights `w_i`
//! normalised to sum to 1. Every signal is symmetric, so `score(s, t) == score(t, s)`.

use crate::score::profile::{NONE, NeedMatches, Profile, Source};
use crate::score::settings::LanguageRule;
use crate::score::signal::BySignal;
use crate::score::tables::Tables;

/// [`score`] of `(s, c)` from `s`'s precomputed [`Source`]: the same operations on the same
/// numbers, so the same bits.
pub(crate) fn score_from(t: &Tables, src: &Source, s: &Profile, c: &Profile, aa: f32) -> f32 {
    total_of(
        t,
        BySignal([
            needs_of(t, s, c, src.matches(&c.offers, &c.needs)),
            src.taxonomy(&c.verticals),
            stage_signal(t, s, c),
            src.communities(s.cops.len(), &c.cops),
            geography_signal(t, s, c),
            warmth_signal(aa),
            t.kind_prior(s.kind, c.kind),
        ]),
    )
}

/// The needs signal of `s` and `c` from what they have in common on needs (`m`, from either
/// side's topic lists or bitsets): each side's coverage of the other's needs, a money topic
/// counting only for the [`money_fit`] of the offering side's stage focus to the needing
/// side's stage. Read from the table of counts when no money match is discounted.
pub(crate) fn needs_of(t: &Tables, s: &Profile, c: &Profile, m: NeedMatches) -> f32 {
    let (own, theirs) = (s.needs.len(), c.needs.len());
    let forward_fit = if m.forward_money > 0 {
        money_fit(t, s, c)
    } else {
        1.0
    };
    let backward_fit = if m.backward_money > 0 {
        money_fit(t, c, s)
    } else {
        1.0
    };
    if forward_fit == 1.0 && backward_fit == 1.0 {
        return t.needs_of_counts(own, m.forward, theirs, m.backward);
    }
    let forward = met(m.forward, m.forward_money, forward_fit);
    let backward = met(m.backward, m.backward_money, backward_fit);
    t.needs_met(
        fraction(forward, own),
        fraction(backward, theirs),
        forward.max(backward).min(1.0),
    )
}

/// How many needs `matched` topics meet when `money` of them count only for `fit`.
fn met(matched: usize, money: usize, fit: f32) -> f32 {
    (matched - money) as f32 + money as f32 * fit
}

/// `met` needs of `of` as a coverage (0 when `of` is 0).
fn fraction(met: f32, of: usize) -> f32 {
    if of == 0 { 0.0 } else { met / of as f32 }
}

/// How far a money offer of `offering` meets the money needs of `needing`: the
/// `focus_by_gap` fit of the offering member's stage focus to the needing member's stage, or 1
/// when either is unknown.
pub(crate) fn money_fit(t: &Tables, needing: &Profile, offering: &Profile) -> f32 {
    if offering.focus == 0 || needing.stage == NONE {
        1.0
    } else {
        t.focus_by_gap[focus_gap(offering.focus, needing.stage)]
    }
}

/// What the language rule does to the pair `(s, c)`: `None` when it is never matched (no
/// common language under [`LanguageRule::Require`]), else the factor its score is multiplied
/// by (below 1 only under [`LanguageRule::Prefer`]).
#[inline]
pub(crate) fn language_factor(t: &Tables, s: &Profile, c: &Profile) -> Option<f32> {
    language_factor_of(t, s, &c.languages, c.language_fold)
}

/// [`language_factor`] of `s` and a member stating `languages` (folded into `fold`).
#[inline]
pub(crate) fn language_factor_of(
    t: &Tables,
    s: &Profile,
    languages: &[u16],
    fold: u64,
) -> Option<f32> {
    match t.language {
        LanguageRule::Ignore => Some(1.0),
        _ if s.shares_languages(languages, fold) => Some(1.0),
        LanguageRule::Require => None,
        LanguageRule::Prefer => Some(t.mismatch_factor),
    }
}

/// A ranking's score of `(s, c)` from its signals' total: `None` when the language rule
/// keeps the pair apart, else the total times the rule's factor.
#[inline]
pub(crate) fn finish(t: &Tables, total: f32, s: &Profile, c: &Profile) -> Option<f32> {
    language_factor(t, s, c).map(|factor| scaled(total, factor))
}

/// `total` times `factor`, untouched when the factor is 1.
#[inline]
pub(crate) fn scaled(total: f32, factor: f32) -> f32 {
    if factor == 1.0 { total } else { total * factor }
}

/// The score of the seven signals: each times its weight, added in [`Signal::ALL`](crate::Signal::ALL) order.
pub(crate) fn total_of(t: &Tables, signals: BySignal<f32>) -> f32 {
    total(&contributions(t, &signals))
}

/// Size of the intersection of two sorted, duplicate-free slices.
pub(crate) fn intersection_len(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Needs met, both ways (see [`needs_of`]), from the two members' topic lists.
pub(crate) fn needs_signal(t: &Tables, s: &Profile, c: &Profile) -> f32 {
    needs_of(t, s, c, common_needs(t, s, c))
}

/// What `s` and `c` have in common on needs, by intersecting their sorted topic lists.
pub(crate) fn common_needs(t: &Tables, s: &Profile, c: &Profile) -> NeedMatches {
    let money = |a: &[u32], b: &[u32]| {
        a.iter()
            .filter(|x| t.is_money(**x) && b.binary_search(x).is_ok())
            .count()
    };
    NeedMatches {
        forward: intersection_len(&s.needs, &c.offers),
        forward_money: money(&s.needs, &c.offers),
        backward: intersection_len(&c.needs, &s.offers),
        backward_money: money(&c.needs, &s.offers),
    }
}

/// Taxonomy affinity: the best affinity over pairs of the two members' verticals.
pub(crate) fn taxonomy_signal(t: &Tables, s: &Profile, c: &Profile) -> f32 {
    let mut best = 0.0f32;
    for &a in &*s.verticals {
        let row = t.vertical_affinity.row(usize::from(a));
        for &b in &*c.verticals {
            best = best.max(row[usize::from(b)]);
        }
    }
    best
}

fn focus_gap(focus: u8, stage: u8) -> usize {
    (0..6u8)
        .filter(|i| focus & (1 << i) != 0)
        .map(|i| i.abs_diff(stage) as usize)
        .min()
        .unwrap_or(5)
}

/// Growth-stage fit; see [`StageConfig`](crate::StageConfig).
pub(crate) fn stage_signal(t: &Tables, s: &Profile, c: &Profile) -> f32 {
    stage_fit(t, (s.stage, s.focus), (c.stage, c.focus))
}

/// [`stage_signal`] of two members' `(stage, focus)`.
pub(crate) fn stage_fit(
    t: &Tables,
    (s_stage, s_focus): (u8, u8),
    (c_stage, c_focus): (u8, u8),
) -> f32 {
    let s_serves = s_focus != 0 && c_stage != NONE;
    let c_serves = c_focus != 0 && s_stage != NONE;
    if s_serves || c_serves {
        let mut best = 0.0f32;
        if s_serves {
            best = best.max(t.focus_by_gap[focus_gap(s_focus, c_stage)]);
        }
        if c_serves {
            best = best.max(t.focus_by_gap[focus_gap(c_focus, s_stage)]);
        }
        best
    } else if s_stage != NONE && c_stage != NONE {
        t.peer_by_gap[s_stage.abs_diff(c_stage) as usize]
    } else if s_focus != 0 && c_focus != 0 {
        if s_focus & c_focus != 0 {
            t.focus_overlap
        } else {
            t.unknown_stage
        }
    } else {
        t.unknown_stage
    }
}

/// Shared communities of practice: the overlap coefficient `|A ∩ B| / min(|A|, |B|)`.
pub(crate) fn communities_signal(s: &Profile, c: &Profile) -> f32 {
    let smaller = s.cops.len().min(c.cops.len());
    if smaller == 0 {
        0.0
    } else {
        intersection_len(&s.cops, &c.cops) as f32 / smaller as f32
    }
}

/// Geography: same country, else same region of Africa, else 0.
pub(crate) fn geography_signal(t: &Tables, s: &Profile, c: &Profile) -> f32 {
    geography_fit(t, (s.country, s.region), (c.country, c.region))
}

/// [`geography_signal`] of two members' `(country, region)`.
pub(crate) fn geography_fit(
    t: &Tables,
    (s_country, s_region): ([u8; 2], u8),
    (c_country, c_region): ([u8; 2], u8),
) -> f32 {
    if s_country == c_country {
        t.same_country
    } else if s_region != NONE && s_region == c_region {
        t.same_region
    } else {
        0.0
    }
}

/// Network warmth from the weighted Adamic-Adar sum `aa`: `1 - exp(-aa)`.
pub(crate) fn warmth_signal(aa: f32) -> f32 {
    // 1 - exp(-0) is exactly 0: skip the exponential for pairs without a mutual contact.
    if aa == 0.0 { 0.0 } else { 1.0 - (-aa).exp() }
}

/// An upper bound of [`warmth_signal`]`(aa)` without the exponential, to within the rounding
/// of the signal's `f32` arithmetic (about `2^-24`): the Taylor polynomial of `1 - exp(-x)` to
/// the fifth power, at most 1. By Lagrange's remainder `exp(-x)` is at least its Taylor
/// polynomial of odd degree for every `x >= 0`, so the polynomial is at least `1 - exp(-x)`.
/// It is 0 exactly when `aa` is 0, and within 0.2% of the signal for sums up to 1.
pub(crate) fn warmth_signal_bound(aa: f32) -> f64 {
    let x = f64::from(aa);
    let taylor = x * (1.0 - x / 2.0 * (1.0 - x / 3.0 * (1.0 - x / 4.0 * (1.0 - x / 5.0))));
    taylor.min(1.0)
}

/// The seven signals of a pair, given the pair's weighted Adamic-Adar sum.
pub(crate) fn signals(t: &Tables, s: &Profile, c: &Profile, aa: f32) -> BySignal<f32> {
    BySignal([
        needs_signal(t, s, c),
        taxonomy_signal(t, s, c),
        stage_signal(t, s, c),
        communities_signal(s, c),
        geography_signal(t, s, c),
        warmth_signal(aa),
        t.kind_prior(s.kind, c.kind),
    ])
}

/// Each signal times its normalised weight.
pub(crate) fn contributions(t: &Tables, signals: &BySignal<f32>) -> BySignal<f32> {
    signals.map(|signal, &value| t.weights[signal] * value)
}

/// The total: the contributions added in [`Signal::ALL`](crate::Signal::ALL) order, clamped to 1 against rounding.
pub(crate) fn total(contributions: &BySignal<f32>) -> f32 {
    contributions
        .values()
        .iter()
        .fold(0.0f32, |acc, &c| acc + c)
        .min(1.0)
}

/// The pair's score, whether or not the language rule would let it be recommended (a pair
/// without a common language under [`LanguageRule::Prefer`] is scored with its factor).
pub(crate) fn score(t: &Tables, s: &Profile, c: &Profile, aa: f32) -> f32 {
    let total = total(&contributions(t, &signals(t, s, c, aa)));
    language_factor(t, s, c).map_or(total, |factor| scaled(total, factor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::settings::Combine;
    use crate::score::weights::MatchWeights;

    #[test]
    fn intersection() {
        assert_eq!(intersection_len(&[1, 3, 5, 7], &[2, 3, 7, 9]), 2);
    }

    #[test]
    fn focus_gap_is_distance_to_nearest_focused_stage() {
        // focus on pre-seed (1) and seed (2)
        let focus = 0b0000_0110;
        assert_eq!(focus_gap(focus, 1), 0);
        assert_eq!(focus_gap(focus, 4), 2);
        assert_eq!(focus_gap(focus, 0), 1);
    }

    /// A profile needing `needs` and offering `offers`; the rest is irrelevant to needs.
    fn needing(needs: Vec<u32>, offers: Vec<u32>) -> Profile {
        Profile {
            kind: 0,
            country: *b"KE",
            region: NONE,
            stage: NONE,
            focus: 0,
            verticals: Box::new([]),
            offers: offers.into(),
            needs: needs.into(),
            cops: Box::new([]),
            languages: Box::new([]),
            language_fold: 0,
        }
    }

    /// The table read by counts gives, bit for bit, what [`needs_signal`] computes from the
    /// two members' topic lists (by sorted intersection), for every combine rule and every
    /// count, within the table (up to [`COUNTED`] needs) and past it.
    #[test]
    fn needs_by_count_is_the_needs_signal() {
        let community = crate::model::community::Community::builder(
            crate::model::taxonomy::Taxonomy::jobtech(),
        )
        .build()
        .expect("an empty community is valid");
        for combine in [
            Combine::Harmonic,
            Combine::Minimum,
            Combine::Geometric,
            Combine::Arithmetic,
        ] {
            let mut weights = MatchWeights::default();
            weights.needs.combine = combine;
            let t = Tables::new(&weights, &community);
            for own in 0..12u32 {
                for theirs in 0..12u32 {
                    for forward in 0..=own {
                        for backward in 0..=theirs {
                            // The source needs 0..own and offers 100..100 + backward; the
                            // candidate offers 0..forward and needs 100..100 + theirs.
                            let s = needing((0..own).collect(), (100..100 + backward).collect());
                            let c = needing((100..100 + theirs).collect(), (0..forward).collect());
                            let direct = needs_signal(&t, &s, &c);
                            let counted = t.needs_of_counts(
                                own as usize,
                                forward as usize,
                                theirs as usize,
                                backward as usize,
                            );
                            assert_eq!(
                                counted.to_bits(),
                                direct.to_bits(),
                                "{combine:?} {own} {forward} {theirs} {backward}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn warmth_saturates() {
        assert_eq!(warmth_signal(0.0), 0.0);
        assert!(warmth_signal(10.0) < 1.0 + f32::EPSILON && warmth_signal(10.0) > 0.99);
    }

    /// The bound is never below the signal by more than the signal's rounding, and it is
    /// close: a bound far above the signal would prune nothing.
    #[test]
    fn warmth_bound_is_above_the_signal_and_close() {
        assert_eq!(warmth_signal_bound(0.0), 0.0);
        let rounding = f64::from(f32::EPSILON);
        let sums = (0..=20_000)
            .map(|i| i as f32 * 1e-3)
            .chain([1e-30, 1e-7, 1e3, 1e30]);
        for aa in sums {
            let (signal, bound) = (f64::from(warmth_signal(aa)), warmth_signal_bound(aa));
            assert!(signal <= bound + rounding, "{aa}: {signal} > {bound}");
            assert!(bound <= 1.0, "{aa}: {bound}");
            if aa <= 1.0 {
                assert!(
                    bound - signal <= 0.002 * signal + rounding,
                    "{aa}: {signal} {bound}"
                );
            }
        }
    }
}
