//! What every source of one group shares: the groups' taxonomy and kind signals against it,
//! and the way to the groups best first.

use super::index::Index;
use super::{KINDS, NO_GROUP, span};
use crate::score::profile::{Profile, Source};
use crate::score::signal::Signal;
use crate::score::tables::Tables;

/// What every source of one group shares: the taxonomy and kind signals of each group against
/// it, their weighted sum (the group's "head"), and the way to the groups best head first.
///
/// A group's taxonomy signal is the best affinity of its verticals, so it is one of the
/// source's few distinct affinities, and its kind signal one of seven priors: each group has a
/// pair of ranks (of the two among the distinct values), which gives both signals and the head.
/// The pairs are few (the distinct affinities times the distinct priors, at most 7 of those),
/// so they are sorted by head; the groups of a pair are those of the sets of verticals of its
/// taxonomy rank with a kind of its kind rank ([`Index::kind_set_group`]). The walk reaches them
/// pair by pair and stops at the first group below its threshold, so the tables cost one pass
/// over the groups (their heads) and one over the sets, and no order of the groups is made:
/// most sources walk a small part of them.
#[derive(Debug, Default)]
pub(crate) struct GroupTables {
    /// The group of the sources the tables were last filled for.
    pub(super) group: Option<u32>,
    /// Each group's pair of ranks, and its head (the pair's, kept per group as well, since
    /// every bound reads it).
    pub(super) group_pair: Vec<u32>,
    pub(super) head: Vec<f64>,
    /// The best head of a group.
    pub(super) best_head: f64,
    /// The distinct affinities and kind priors of the source, best first, and each vertical's
    /// and kind's rank among them.
    pub(super) affinities: Vec<f32>,
    pub(super) vertical_rank: Vec<u32>,
    pub(super) priors: Vec<f32>,
    pub(super) kind_rank: [u32; KINDS],
    /// Each pair of ranks' taxonomy and kind signals and head (pair `(r, k)` at
    /// `r * priors.len() + k`).
    pub(super) pair_signals: Vec<(f32, f32)>,
    pub(super) pair_head: Vec<f64>,
    /// The pairs, best head first (then by pair).
    pub(super) pair_order: Vec<u32>,
    /// The taxonomy rank of each distinct set of verticals, and the sets by rank: those of
    /// rank `r` are `rank_sets[rank_start[r]..rank_start[r + 1]]`, in set order.
    pub(super) set_rank: Vec<u32>,
    pub(super) rank_start: Vec<u32>,
    pub(super) rank_sets: Vec<u32>,
    /// The kinds of each kind rank, as a mask (bit `kind`).
    pub(super) rank_kinds: Vec<u8>,
}

/// The kinds in the mask `kinds` (bit `kind`), smallest first.
pub(super) fn kinds_of(kinds: u8) -> impl Iterator<Item = usize> {
    (0..KINDS).filter(move |&kind| kinds & (1 << kind) != 0)
}

/// The distinct values of `values` (which holds no NaN), best first.
pub(super) fn distinct_desc(values: impl Iterator<Item = f32>, out: &mut Vec<f32>) {
    out.clear();
    out.extend(values);
    out.sort_unstable_by(|a, b| b.total_cmp(a));
    out.dedup();
}

/// The rank of `value` in `distinct` (sorted best first, holding `value`).
pub(super) fn rank_in(distinct: &[f32], value: f32) -> u32 {
    distinct.iter().position(|&x| x == value).unwrap_or(0) as u32
}

impl GroupTables {
    /// Fills the tables for source `s` (with prepared `src`) of group `g`, unless they are
    /// already those of `g`.
    pub(super) fn fill(&mut self, index: &Index, t: &Tables, src: &Source, s: &Profile, g: u32) {
        if self.group == Some(g) {
            return;
        }
        self.group = Some(g);
        let affinity = src.affinity();
        // 0 is the taxonomy signal of a group without verticals.
        distinct_desc(affinity.iter().copied().chain([0.0]), &mut self.affinities);
        self.vertical_rank.clear();
        self.vertical_rank
            .extend(affinity.iter().map(|&a| rank_in(&self.affinities, a)));
        let kind_row = t.kind_prior.row(usize::from(s.kind));
        distinct_desc(kind_row.iter().copied(), &mut self.priors);
        self.rank_kinds.clear();
        self.rank_kinds.resize(self.priors.len(), 0);
        for (kind, (rank, &prior)) in self.kind_rank.iter_mut().zip(kind_row).enumerate() {
            *rank = rank_in(&self.priors, prior);
            self.rank_kinds[*rank as usize] |= 1 << kind;
        }
        let (w1, w6) = (
            f64::from(t.weights[Signal::Taxonomy]),
            f64::from(t.weights[Signal::Kind]),
        );
        let kinds = self.priors.len() as u32;
        // Each pair of ranks' taxonomy and kind signals and head, and the pairs best first.
        self.pair_signals.clear();
        for &x in &self.affinities {
            self.pair_signals
                .extend(self.priors.iter().map(|&k| (x, k)));
        }
        self.pair_head.clear();
        self.pair_head.extend(
            self.pair_signals
                .iter()
                .map(|&(x, k)| w1 * f64::from(x) + w6 * f64::from(k)),
        );
        self.pair_order.clear();
        self.pair_order.extend(0..self.pair_head.len() as u32);
        let pair_head = &self.pair_head;
        self.pair_order.sort_unstable_by(|&a, &b| {
            pair_head[b as usize]
                .total_cmp(&pair_head[a as usize])
                .then(a.cmp(&b))
        });

        // Each set of verticals' taxonomy rank (the best of its verticals), then the sets by
        // rank (a counting sort).
        let ranks = self.affinities.len();
        let worst = ranks as u32 - 1;
        self.set_rank.clear();
        self.set_rank.resize(index.sets, worst);
        let (set_rank, vertical_rank) = (&mut self.set_rank[..], &self.vertical_rank[..]);
        for &(set, x) in &index.set_verticals {
            let rank = &mut set_rank[set as usize];
            *rank = (*rank).min(vertical_rank[x as usize]);
        }
        self.rank_start.clear();
        self.rank_start.resize(ranks + 1, 0);
        let starts = &mut self.rank_start[..];
        for &rank in &self.set_rank {
            starts[rank as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        self.rank_sets.resize(index.sets, 0);
        let rank_sets = &mut self.rank_sets[..];
        for (set, &rank) in self.set_rank.iter().enumerate() {
            let next = &mut starts[rank as usize];
            rank_sets[*next as usize] = set as u32;
            *next += 1;
        }
        // Each start has moved to the next rank's: back by one rank.
        starts.copy_within(..ranks, 1);
        starts[0] = 0;

        // Each group's pair of ranks and head. Slices, not the fields, in the loop: a store
        // through a field could alias the others, which would then be read again at each step.
        let groups = index.group_set.len();
        self.group_pair.resize(groups, 0);
        self.head.resize(groups, 0.0);
        let (set_rank, kind_rank) = (&self.set_rank[..], &self.kind_rank);
        let pair_head = &self.pair_head[..];
        for (((pair, head), &set), &kind) in self
            .group_pair
            .iter_mut()
            .zip(&mut self.head)
            .zip(&index.group_set)
            .zip(&index.group_kind)
        {
            *pair = set_rank[set as usize] * kinds + kind_rank[kind as usize];
            *head = pair_head[*pair as usize];
        }
        // The best head of a group: that of the first pair with a group.
        let has_group = |&pair: &u32| {
            let (sets, kinds) = self.pair_sets_and_kinds(pair);
            kinds_of(kinds).any(|kind| {
                let row = index.groups_of_kind(kind);
                sets.iter().any(|&set| row[set as usize] != NO_GROUP)
            })
        };
        self.best_head = self
            .pair_order
            .iter()
            .find(|pair| has_group(pair))
            .map_or(f64::NEG_INFINITY, |&pair| self.pair_head[pair as usize]);
    }

    /// The groups of pair `pair` into `out`, by kind, then by set of verticals. Every kind and
    /// set of the pair is looked up and only groups are kept, with no branch per set (whether
    /// a set has a group of a kind is not predictable).
    pub(super) fn groups_of_pair(&self, index: &Index, pair: u32, out: &mut Vec<u32>) {
        let (sets, kinds) = self.pair_sets_and_kinds(pair);
        let mut found = 0;
        for kind in kinds_of(kinds) {
            // Room for every set, and for the write one past the last group.
            out.resize(found + sets.len() + 1, NO_GROUP);
            let row = index.groups_of_kind(kind);
            for &set in sets {
                let g = row[set as usize];
                out[found] = g;
                found += usize::from(g != NO_GROUP);
            }
        }
        out.truncate(found);
    }

    /// The sets of verticals of pair `pair`'s taxonomy rank and the kinds of its kind rank
    /// (as a mask): its groups are those of these sets with these kinds.
    pub(super) fn pair_sets_and_kinds(&self, pair: u32) -> (&[u32], u8) {
        let kinds = self.priors.len() as u32;
        let (rank, kind_rank) = ((pair / kinds) as usize, (pair % kinds) as usize);
        (
            &self.rank_sets[span(&self.rank_start, rank)],
            self.rank_kinds[kind_rank],
        )
    }

    /// The taxonomy and kind signals of group `g` against the source.
    pub(super) fn signals(&self, g: usize) -> (f32, f32) {
        self.pair_signals[self.group_pair[g] as usize]
    }
}
