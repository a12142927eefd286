//! The tuner's table of every judged member's candidates by the seven signals: the signal
//! weights are all a trial changes, so each trial is a matrix-vector product and the exact
//! places of the judged candidates, never a new engine.

use std::collections::BTreeMap;

use ndarray::Array2;

use crate::eval::metrics::{RankingMetrics, ranking};
use crate::model::community::Community;
use crate::rank::ranker::Ranker;
use crate::score::signal::{BySignal, Signal};
use crate::score::signals::{language_factor, scaled, signals};
use crate::score::weights::MatchWeights;

/// Every candidate of every judged member open to introductions, one column each, with its
/// seven signals against the member and its place in the engine's tie-break; and where each
/// judged candidate's column is.
#[derive(Debug)]
pub(crate) struct SignalMatrix {
    /// `signals[[signal, column]]`, signals in [`Signal::ALL`] order: one row per signal, so a
    /// trial adds each weighted row to the scores of every column at once.
    signals: Array2<f32>,
    /// Each column's tie-break key and rank, and the factor the language rule puts on its
    /// score.
    keys: Vec<u64>,
    factors: Vec<f32>,
    ranks: Vec<u32>,
    /// The judged members with candidates, their columns `columns[i]..columns[i + 1]`, and
    /// their judged candidates with their columns.
    members: Vec<u32>,
    columns: Vec<usize>,
    judged_columns: Vec<Vec<(u32, usize)>>,
}

impl SignalMatrix {
    /// The matrix of `community`'s judged members (the keys of `judged`) under `weights`' tables
    /// (everything but the signal weights, which the matrix leaves open).
    ///
    /// # Complexity
    ///
    /// O(j · n · c) time and O(j · n) memory for j judged members, n members and c the cost of
    /// the seven signals of a pair.
    pub(crate) fn new(
        community: &Community,
        weights: &MatchWeights,
        judged: &BTreeMap<u32, BTreeMap<u32, u8>>,
    ) -> Self {
        let ranker = Ranker::new(community, weights);
        let n = ranker.len();
        let mut by_column: Vec<f32> = Vec::new();
        let (mut keys, mut ranks, mut factors) = (Vec::new(), Vec::new(), Vec::new());
        let (mut members, mut columns, mut judged_columns) = (Vec::new(), vec![0], Vec::new());
        let mut aa = vec![0.0f32; n];
        let mut touched = Vec::new();
        let mut excluded = vec![false; n];
        for (&s, grades) in judged {
            let s = s as usize;
            if !ranker.exclusions.is_open(s) {
                continue;
            }
            ranker.ties.warmth_row(s, &mut aa, &mut touched);
            for &x in ranker.exclusions.of(s) {
                excluded[x as usize] = true;
            }
            let mut mine = Vec::new();
            for t in 0..n {
                if t == s || !ranker.exclusions.is_open(t) || excluded[t] {
                    continue;
                }
                let Some(factor) =
                    language_factor(&ranker.tables, &ranker.profiles[s], &ranker.profiles[t])
                else {
                    continue;
                };
                factors.push(factor);
                let pair = signals(
                    &ranker.tables,
                    &ranker.profiles[s],
                    &ranker.profiles[t],
                    aa[t],
                );
                if grades.contains_key(&(t as u32)) {
                    mine.push((t as u32, keys.len()));
                }
                by_column.extend_from_slice(pair.values());
                let scored = ranker.tie_break.scored(s, t, 0.0);
                keys.push(scored.key);
                ranks.push(scored.rank);
            }
            for &t in &touched {
                aa[t as usize] = 0.0;
            }
            touched.clear();
            for &x in ranker.exclusions.of(s) {
                excluded[x as usize] = false;
            }
            members.push(s as u32);
            columns.push(keys.len());
            judged_columns.push(mine);
        }
        let signals = Array2::from_shape_vec((keys.len(), Signal::ALL.len()), by_column)
            .expect("seven signals a candidate")
            .reversed_axes()
            .as_standard_layout()
            .into_owned();
        SignalMatrix {
            signals,
            keys,
            factors,
            ranks,
            members,
            columns,
            judged_columns,
        }
    }

    /// The judged members' ranking metrics at cut-off `k` under the signal weights `weights`
    /// (as set, normalised here as the engine normalises them).
    ///
    /// Each column's score is its signals times the normalised weights, added in signal order
    /// and clamped to 1 as the engine adds them, so the scores are the engine's, bit for bit.
    /// A judged candidate's place in its member's list is the number of candidates before it
    /// in the engine's order (score, then the tie-break's key and rank, as
    /// [`best_first`](crate::rank::topk::best_first)); within the first k it is where the
    /// engine's top k holds it, so the metrics are the engine's too.
    ///
    /// # Complexity
    ///
    /// O(c · (1 + g)) for c columns and g judged candidates a member.
    pub(crate) fn evaluate(
        &self,
        weights: &BySignal<f32>,
        k: usize,
        judged: &BTreeMap<u32, BTreeMap<u32, u8>>,
        bits: &mut Vec<u32>,
    ) -> RankingMetrics {
        let sum: f32 = weights.values().iter().sum();
        let w = weights.map(|_, &x| x / sum).0;
        let row = |signal: usize| {
            self.signals
                .row(signal)
                .to_slice()
                .expect("the matrix is in standard layout")
        };
        // One pass over the seven rows at once, each column's contributions added in signal
        // order. Scores are in [0, 1], so their bits order them as `total_cmp` does.
        bits.clear();
        bits.extend(
            row(0)
                .iter()
                .zip(row(1))
                .zip(row(2))
                .zip(row(3))
                .zip(row(4))
                .zip(row(5))
                .zip(row(6))
                .zip(&self.factors)
                .map(|(((((((&a, &b), &c), &d), &e), &f), &g), &factor)| {
                    let score = 0.0f32
                        + w[0] * a
                        + w[1] * b
                        + w[2] * c
                        + w[3] * d
                        + w[4] * e
                        + w[5] * f
                        + w[6] * g;
                    scaled(score.min(1.0), factor).to_bits()
                }),
        );
        let mut lists: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (i, &s) in self.members.iter().enumerate() {
            let columns = self.columns[i]..self.columns[i + 1];
            // Placeholders stand for candidates not judged (grade 0).
            let mut list = vec![u32::MAX; k.min(columns.len())];
            for &(candidate, column) in &self.judged_columns[i] {
                let me = bits[column];
                let (above, equal) =
                    bits[columns.clone()]
                        .iter()
                        .fold((0usize, 0usize), |(above, equal), &b| {
                            (above + usize::from(b > me), equal + usize::from(b == me))
                        });
                // Equal scores (itself among them) go by the tie-break: key, then rank.
                let tied_before = if equal > 1 {
                    let mine = (self.keys[column], self.ranks[column]);
                    columns
                        .clone()
                        .filter(|&o| bits[o] == me && (self.keys[o], self.ranks[o]) < mine)
                        .count()
                } else {
                    0
                };
                let before = above + tied_before;
                if before < list.len() {
                    list[before] = candidate;
                }
            }
            lists.insert(s, list);
        }
        ranking(k, |member| lists.get(&member).map(Vec::as_slice), judged)
    }
}
