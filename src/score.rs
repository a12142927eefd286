//! Pair scoring: pure functions over precomputed member profiles and tables.
//!
//! A pair's score is `sum_i w_i * s_i` over seven signals `s_i` in [0, 1] with weights `w_i`
//! normalised to sum to 1. Every signal is symmetric, so `score(s, t) == score(t, s)`.

use crate::community::Community;
use crate::country::Region;
use crate::member::Member;
use crate::stage::MemberKind;
use crate::weights::{Combine, MatchWeights, split_pair};

/// Sentinel for "no stage" / "no region".
pub(crate) const NONE: u8 = u8::MAX;

/// What the score needs of one member, flattened for speed.
#[derive(Clone, Debug)]
pub(crate) struct Profile {
    pub(crate) kind: u8,
    pub(crate) country: [u8; 2],
    pub(crate) region: u8,
    pub(crate) stage: u8,
    /// Bit `i` set when the member's stage focus covers stage `i`.
    pub(crate) focus: u8,
    pub(crate) verticals: Box<[u16]>,
    pub(crate) offers: Box<[u32]>,
    pub(crate) needs: Box<[u32]>,
    pub(crate) cops: Box<[u32]>,
}

impl Profile {
    pub(crate) fn new(m: &Member) -> Self {
        let country = m.country();
        let code = country.code().as_bytes();
        Profile {
            kind: m.kind().ordinal() as u8,
            country: [code[0], code[1]],
            region: country.region().map_or(NONE, |r| {
                Region::ALL.iter().position(|&x| x == r).unwrap_or(0) as u8
            }),
            stage: m.stage().map_or(NONE, |s| s.ordinal() as u8),
            focus: m
                .stage_focus()
                .iter()
                .fold(0, |acc, s| acc | (1 << s.ordinal())),
            verticals: m.verticals().iter().map(|v| v.0).collect(),
            offers: m.offers().iter().map(|t| t.0).collect(),
            needs: m.needs().iter().map(|t| t.0).collect(),
            cops: m.communities().iter().map(|c| c.0).collect(),
        }
    }
}

/// The weights turned into lookup tables once, at engine build.
#[derive(Clone, Debug)]
pub(crate) struct Tables {
    /// Signal weights normalised to sum to 1.
    pub(crate) weights: [f32; 7],
    pub(crate) combine: Combine,
    pub(crate) one_sided: f32,
    /// `vertical_affinity[a * nv + b]`.
    pub(crate) vertical_affinity: Vec<f32>,
    pub(crate) nv: usize,
    pub(crate) peer_by_gap: [f32; 6],
    pub(crate) focus_by_gap: [f32; 6],
    pub(crate) focus_overlap: f32,
    pub(crate) unknown_stage: f32,
    pub(crate) same_country: f32,
    pub(crate) same_region: f32,
    pub(crate) kind_prior: [[f32; 7]; 7],
    /// [`needs_from`]'s signal by counts, for members with at most [`COUNTED`] needs each:
    /// see [`Tables::needs_of_counts`].
    needs_by_count: Vec<f32>,
}

/// The most needs of either member for which [`Tables::needs_of_counts`] reads a table.
const COUNTED: usize = 8;

/// `common` of `of` topics as a coverage (0 when `of` is 0): the coverages of [`needs_from`]
/// and of [`Tables::needs_of_counts`], and the pruned search's bounds.
pub(crate) fn share(common: usize, of: usize) -> f32 {
    if of == 0 {
        0.0
    } else {
        common as f32 / of as f32
    }
}

impl Tables {
    /// [`needs_from`]'s signal between a source with `own` needs, `forward` of them offered by
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
    /// `max(combine(forward, backward), one_sided * max(forward, backward))`.
    pub(crate) fn needs(&self, forward: f32, backward: f32) -> f32 {
        self.combine
            .apply(forward, backward)
            .max(self.one_sided * forward.max(backward))
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
        let sum: f32 = raw.iter().sum();
        let norm = raw.map(|w| w / sum);
        let nc = t.categories().len();
        let mut cat = vec![weights.taxonomy.other_category; nc * nc];
        for c in 0..nc {
            cat[c * nc + c] = weights.taxonomy.same_category;
        }
        for (key, &v) in &weights.taxonomy.category_affinity {
            if let Some((a, b)) = split_pair(key) {
                if let (Some(a), Some(b)) = (t.category_by_slug(a), t.category_by_slug(b)) {
                    cat[a.index() * nc + b.index()] = v;
                    cat[b.index() * nc + a.index()] = v;
                }
            }
        }
        let nv = t.verticals().len();
        let mut vertical_affinity = vec![0.0; nv * nv];
        for a in t.vertical_ids() {
            for b in t.vertical_ids() {
                vertical_affinity[a.index() * nv + b.index()] = if a == b {
                    weights.taxonomy.same_vertical
                } else {
                    cat[t[a].category().index() * nc + t[b].category().index()]
                };
            }
        }
        let mut kind_prior = [[weights.kind.default; 7]; 7];
        for (key, &v) in &weights.kind.pairs {
            if let Some((a, b)) = split_pair(key) {
                if let (Ok(a), Ok(b)) = (a.parse::<MemberKind>(), b.parse::<MemberKind>()) {
                    kind_prior[a.ordinal()][b.ordinal()] = v;
                    kind_prior[b.ordinal()][a.ordinal()] = v;
                }
            }
        }
        let mut tables = Tables {
            weights: norm,
            combine: weights.needs.combine,
            one_sided: weights.needs.one_sided,
            vertical_affinity,
            nv,
            peer_by_gap: gap_table(&weights.stage.peer_by_gap),
            focus_by_gap: gap_table(&weights.stage.focus_by_gap),
            focus_overlap: weights.stage.focus_overlap,
            unknown_stage: weights.stage.unknown,
            same_country: weights.geography.same_country,
            same_region: weights.geography.same_region,
            kind_prior,
            needs_by_count: Vec::new(),
        };
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
}

/// A fixed-size bitset over dense ids.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    pub(crate) fn reset(&mut self, len: usize) {
        self.0.clear();
        self.0.resize(len.div_ceil(64), 0);
    }
    pub(crate) fn set(&mut self, i: u32) {
        self.0[(i / 64) as usize] |= 1 << (i % 64);
    }
    /// How many of `ids` are set.
    pub(crate) fn count_in(&self, ids: &[u32]) -> usize {
        ids.iter()
            .filter(|&&i| self.0[(i / 64) as usize] & (1 << (i % 64)) != 0)
            .count()
    }
}

/// One member's side of many pair scores, precomputed once per member: its needs, offers and
/// communities as bitsets and its best affinity to every vertical. [`score_from`] with it gives
/// bit-for-bit the same score as [`score`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Source {
    pub(crate) needs: Bits,
    pub(crate) offers: Bits,
    cops: Bits,
    affinity: Vec<f32>,
}

impl Source {
    /// Fills the source for `p`; `topics` and `cops` are the community's counts.
    pub(crate) fn prepare(&mut self, t: &Tables, p: &Profile, topics: usize, cops: usize) {
        self.needs.reset(topics);
        self.offers.reset(topics);
        self.cops.reset(cops);
        for &x in &*p.needs {
            self.needs.set(x);
        }
        for &x in &*p.offers {
            self.offers.set(x);
        }
        for &x in &*p.cops {
            self.cops.set(x);
        }
        self.affinity.clear();
        self.affinity.resize(t.nv, 0.0);
        for &a in &*p.verticals {
            let row = &t.vertical_affinity[a as usize * t.nv..(a as usize + 1) * t.nv];
            for (best, &v) in self.affinity.iter_mut().zip(row) {
                *best = best.max(v);
            }
        }
    }
}

impl Source {
    /// The best affinity of the source's verticals to each vertical.
    pub(crate) fn affinity(&self) -> &[f32] {
        &self.affinity
    }

    /// The taxonomy signal against a member in `verticals`.
    pub(crate) fn taxonomy(&self, verticals: &[u16]) -> f32 {
        verticals
            .iter()
            .fold(0.0f32, |best, &v| best.max(self.affinity[v as usize]))
    }

    /// How many of `offers` the source needs, and how many of `needs` it offers.
    pub(crate) fn needs_counts(&self, offers: &[u32], needs: &[u32]) -> (usize, usize) {
        (self.needs.count_in(offers), self.offers.count_in(needs))
    }

    /// The communities signal against a member in `cops`, for a source in `own` communities.
    pub(crate) fn communities(&self, own: usize, cops: &[u32]) -> f32 {
        let smaller = own.min(cops.len());
        if smaller == 0 {
            0.0
        } else {
            self.cops.count_in(cops) as f32 / smaller as f32
        }
    }
}

/// [`score`] of `(s, c)` from `s`'s precomputed [`Source`]: the same operations on the same
/// numbers, so the same bits.
pub(crate) fn score_from(t: &Tables, src: &Source, s: &Profile, c: &Profile, aa: f32) -> f32 {
    total_of(
        t,
        [
            needs_from(t, src, s.needs.len(), &c.offers, &c.needs),
            src.taxonomy(&c.verticals),
            stage_signal(t, s, c),
            src.communities(s.cops.len(), &c.cops),
            geography_signal(t, s, c),
            warmth_signal(aa),
            t.kind_prior[s.kind as usize][c.kind as usize],
        ],
    )
}

/// The needs signal of a source needing `own_needs` topics (its bitsets in `src`) against a
/// member offering `offers` and needing `needs`: [`needs_signal`] from the source's bitsets.
pub(crate) fn needs_from(
    t: &Tables,
    src: &Source,
    own_needs: usize,
    offers: &[u32],
    needs: &[u32],
) -> f32 {
    let (forward, backward) = src.needs_counts(offers, needs);
    t.needs(share(forward, own_needs), share(backward, needs.len()))
}

/// The score of seven signals (in [`SIGNAL_NAMES`](crate::SIGNAL_NAMES) order): each times its
/// weight, added in order.
pub(crate) fn total_of(t: &Tables, signals: [f32; 7]) -> f32 {
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

/// Share of `needs` that `offers` covers; 0 when there are no needs.
pub(crate) fn coverage(needs: &[u32], offers: &[u32]) -> f32 {
    if needs.is_empty() {
        0.0
    } else {
        intersection_len(needs, offers) as f32 / needs.len() as f32
    }
}

/// Needs met, both ways: `max(combine(a, b), one_sided * max(a, b))`.
pub(crate) fn needs_signal(t: &Tables, s: &Profile, c: &Profile) -> f32 {
    t.needs(coverage(&s.needs, &c.offers), coverage(&c.needs, &s.offers))
}

/// Taxonomy affinity: the best affinity over pairs of the two members' verticals.
pub(crate) fn taxonomy_signal(t: &Tables, s: &Profile, c: &Profile) -> f32 {
    let mut best = 0.0f32;
    for &a in &*s.verticals {
        let row = &t.vertical_affinity[a as usize * t.nv..(a as usize + 1) * t.nv];
        for &b in &*c.verticals {
            best = best.max(row[b as usize]);
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

/// The seven signals of a pair, in [`SIGNAL_NAMES`](crate::SIGNAL_NAMES) order, given the pair's
/// weighted Adamic-Adar sum.
pub(crate) fn signals(t: &Tables, s: &Profile, c: &Profile, aa: f32) -> [f32; 7] {
    [
        needs_signal(t, s, c),
        taxonomy_signal(t, s, c),
        stage_signal(t, s, c),
        communities_signal(s, c),
        geography_signal(t, s, c),
        warmth_signal(aa),
        t.kind_prior[s.kind as usize][c.kind as usize],
    ]
}

/// Each signal times its normalised weight.
pub(crate) fn contributions(t: &Tables, signals: &[f32; 7]) -> [f32; 7] {
    let mut out = [0.0; 7];
    for i in 0..7 {
        out[i] = t.weights[i] * signals[i];
    }
    out
}

/// The total: the contributions added in signal order, clamped to 1 against rounding.
pub(crate) fn total(contributions: &[f32; 7]) -> f32 {
    contributions
        .iter()
        .fold(0.0f32, |acc, &c| acc + c)
        .min(1.0)
}

/// The pair's score.
pub(crate) fn score(t: &Tables, s: &Profile, c: &Profile, aa: f32) -> f32 {
    total(&contributions(t, &signals(t, s, c, aa)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersection_and_coverage() {
        assert_eq!(intersection_len(&[1, 3, 5, 7], &[2, 3, 7, 9]), 2);
        assert_eq!(coverage(&[1, 2], &[2, 3]), 0.5);
        assert_eq!(coverage(&[], &[2, 3]), 0.0);
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
        }
    }

    /// The table read by counts gives, bit for bit, what [`needs_signal`] computes from the
    /// two members' topic lists (by sorted intersection), for every combine rule and every
    /// count, within the table (up to [`COUNTED`] needs) and past it.
    #[test]
    fn needs_by_count_is_the_needs_signal() {
        let community = crate::generate(&crate::GeneratorConfig::default().members(20))
            .expect("the generator's defaults are valid");
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
