//! The brute force: every candidate of a member scored, the reference every other method is
//! tested against.

use crate::rank::query::Query;
use crate::rank::ranker::Ranker;
use crate::rank::scratch::Scratch;
use crate::rank::topk::{Scored, TopK};
use crate::score::signals::{finish, score_from};

/// Scores every candidate of `s` and keeps the best `query.k` in a bounded heap (the tie-break
/// hash is computed only for candidates that reach the heap's worst); how many candidates
/// passed the exclusions, the filters and the minimum score. Empty when `s` is not open to
/// introductions.
///
/// # Complexity
///
/// O(d + n · c + a log k) for d the two-hop reach of `s`, n members, c the cost of scoring a
/// pair and a the candidates reaching the heap.
pub(crate) fn top_k(
    ranker: &Ranker,
    s: usize,
    query: &Query,
    scratch: &mut Scratch,
) -> (Vec<Scored>, usize) {
    if !ranker.exclusions.is_open(s) {
        return (Vec::new(), 0);
    }
    prepare(ranker, s, scratch);
    let mut top = TopK::new(query.k);
    let mut candidates = 0;
    let ps = &ranker.profiles[s];
    let filtered = query.is_filtered();
    for t in 0..ranker.len() {
        if t == s
            || !ranker.exclusions.is_open(t)
            || scratch.excluded[t]
            || (filtered && !query.admits(&ranker.profiles[t]))
        {
            continue;
        }
        let pt = &ranker.profiles[t];
        let total = score_from(&ranker.tables, &scratch.source, ps, pt, scratch.aa[t]);
        let Some(score) = finish(&ranker.tables, total, ps, pt) else {
            continue;
        };
        if score >= query.min_score {
            candidates += 1;
            top.offer(&ranker.tie_break, s, t, score);
        }
    }
    reset(ranker, s, scratch);
    (top.into_sorted(), candidates)
}

/// Prepares `scratch` for source `s`: its score source, its warmth row and its exclusions.
fn prepare(ranker: &Ranker, s: usize, scratch: &mut Scratch) {
    ranker.fill_source(s, &mut scratch.source);
    ranker
        .ties
        .warmth_row(s, &mut scratch.aa, &mut scratch.touched);
    for &x in ranker.exclusions.of(s) {
        scratch.excluded[x as usize] = true;
    }
}

/// Undoes [`prepare`].
fn reset(ranker: &Ranker, s: usize, scratch: &mut Scratch) {
    for &t in &scratch.touched {
        scratch.aa[t as usize] = 0.0;
    }
    scratch.touched.clear();
    for &x in ranker.exclusions.of(s) {
        scratch.excluded[x as usize] = false;
    }
}
