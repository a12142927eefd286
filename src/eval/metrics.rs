//! Ranking-quality metrics, each a pure function with its formula documented.
//!
//! Relevance is graded: `partnered` 3, `met` 2, `proposed` (no outcome yet) 1, `declined` 0. An
//! item is *relevant* when its grade is above 0.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::relation::Outcome;
use crate::model::slug::{UnknownSlug, normalize_slug, suggest_raw};

/// The graded relevance of an outcome: partnered 3, met 2, proposed, accepted or introduced
/// (no outcome yet) 1, declined or no response 0.
pub fn relevance(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Partnered => 3,
        Outcome::Met => 2,
        Outcome::Proposed | Outcome::Accepted | Outcome::Introduced => 1,
        Outcome::Declined | Outcome::NoResponse => 0,
    }
}

/// `|relevant in top k| / k` over the first `k` grades of a ranking (0 when k is 0).
pub fn precision_at_k(ranked: &[u8], k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    ranked.iter().take(k).filter(|&&g| g > 0).count() as f64 / k as f64
}

/// `|relevant in top k| / |relevant|`, where `total_relevant` counts every relevant item of the
/// member, ranked or not (0 when there is none).
pub fn recall_at_k(ranked: &[u8], k: usize, total_relevant: usize) -> f64 {
    if total_relevant == 0 {
        return 0.0;
    }
    ranked.iter().take(k).filter(|&&g| g > 0).count() as f64 / total_relevant as f64
}

/// `DCG@k = sum_{i=1..k} grade_i / log2(i + 1)` (linear gains, the definition used by
/// Järvelin and Kekäläinen and by scikit-learn's `ndcg_score`).
pub fn dcg_at_k(ranked: &[u8], k: usize) -> f64 {
    ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, &g)| f64::from(g) / ((i + 2) as f64).log2())
        .sum()
}

/// `NDCG@k = DCG@k / IDCG@k`, IDCG@k being the DCG@k of `all_grades` (every judged item of the
/// member, ranked or not) sorted best first; 0 when IDCG is 0.
pub fn ndcg_at_k(ranked: &[u8], k: usize, all_grades: &[u8]) -> f64 {
    let mut ideal = all_grades.to_vec();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = dcg_at_k(&ideal, k);
    if idcg == 0.0 {
        0.0
    } else {
        dcg_at_k(ranked, k) / idcg
    }
}

/// Reciprocal rank within the top k: `1 / rank` of the first relevant item, 0 when none.
pub fn reciprocal_rank_at_k(ranked: &[u8], k: usize) -> f64 {
    ranked
        .iter()
        .take(k)
        .position(|&g| g > 0)
        .map_or(0.0, |p| 1.0 / (p + 1) as f64)
}

/// 1 when a relevant item is in the top k, else 0.
pub fn hit_at_k(ranked: &[u8], k: usize) -> f64 {
    if ranked.iter().take(k).any(|&g| g > 0) {
        1.0
    } else {
        0.0
    }
}

/// The Gini coefficient of non-negative counts: `sum_i sum_j |x_i - x_j| / (2 n^2 mean)`,
/// computed as `(2 sum_i i x_(i)) / (n sum x) - (n + 1) / n` over the counts sorted ascending
/// (1-based `i`). 0 is perfect equality; it approaches 1 when one member takes everything. 0 for
/// no counts or all zeros.
pub fn gini(counts: &[u64]) -> f64 {
    let n = counts.len();
    let total: u64 = counts.iter().sum();
    if n == 0 || total == 0 {
        return 0.0;
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| (i + 1) as f64 * x as f64)
        .sum();
    let n = n as f64;
    2.0 * weighted / (n * total as f64) - (n + 1.0) / n
}

/// How well the judged members' top-k lists rank what happened: averaged over the judged
/// members (those with at least one relevant judged introduction).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RankingMetrics {
    /// The cut-off k.
    pub k: usize,
    /// Members judged.
    pub judged_members: usize,
    /// Mean precision@k.
    pub precision: f64,
    /// Mean recall@k.
    pub recall: f64,
    /// Mean NDCG@k.
    pub ndcg: f64,
    /// Mean reciprocal rank within the top k (MRR@k).
    pub mrr: f64,
    /// Share of judged members with a relevant item in their top k.
    pub hit_rate: f64,
}

/// Metrics of one evaluation: how the judged members' lists rank what happened, and how the
/// recommendations spread over every member open to introductions.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// The judged members' ranking metrics.
    #[serde(flatten)]
    pub ranking: RankingMetrics,
    /// Share of members open to introductions who get at least one recommendation.
    pub coverage: f64,
    /// Gini of how often each member open to introductions appears in others' top k.
    pub exposure_gini: f64,
    /// Share of recommended pairs `(s, t)` where `s` is also in `t`'s top k.
    pub two_sided: f64,
}

/// Which metric to optimise or report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Precision@k.
    Precision,
    /// Recall@k.
    Recall,
    /// NDCG@k (the default).
    #[default]
    Ndcg,
    /// MRR@k.
    Mrr,
    /// Hit rate@k.
    HitRate,
}

impl Metric {
    /// All metrics.
    pub const ALL: [Metric; 5] = [
        Metric::Precision,
        Metric::Recall,
        Metric::Ndcg,
        Metric::Mrr,
        Metric::HitRate,
    ];

    /// The metric's name, e.g. `ndcg`.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Precision => "precision",
            Metric::Recall => "recall",
            Metric::Ndcg => "ndcg",
            Metric::Mrr => "mrr",
            Metric::HitRate => "hit_rate",
        }
    }

    /// This metric's value in `m`.
    pub fn of(self, m: &RankingMetrics) -> f64 {
        match self {
            Metric::Precision => m.precision,
            Metric::Recall => m.recall,
            Metric::Ndcg => m.ndcg,
            Metric::Mrr => m.mrr,
            Metric::HitRate => m.hit_rate,
        }
    }
}

impl std::str::FromStr for Metric {
    type Err = UnknownSlug;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let slug = normalize_slug(s).replace('-', "_");
        Metric::ALL
            .into_iter()
            .find(|m| m.name() == slug)
            .ok_or_else(|| UnknownSlug {
                suggestion: suggest_raw(&slug, Metric::ALL.iter().map(|m| m.name())),
            })
    }
}

/// Computes [`RankingMetrics`] from the top-k lists of the judged members (`list_of(member)`:
/// its ranked candidates, `None` when it has no list) and the judged grades (`judged`: member
/// -> candidate -> grade).
pub(crate) fn ranking<'a>(
    k: usize,
    list_of: impl Fn(u32) -> Option<&'a [u32]>,
    judged: &BTreeMap<u32, BTreeMap<u32, u8>>,
) -> RankingMetrics {
    let mut m = RankingMetrics {
        k,
        ..RankingMetrics::default()
    };
    for (member, grades) in judged {
        let total_relevant = grades.values().filter(|&&g| g > 0).count();
        if total_relevant == 0 {
            continue;
        }
        m.judged_members += 1;
        let ranked: Vec<u8> = list_of(*member)
            .map(|l| {
                l.iter()
                    .map(|c| grades.get(c).copied().unwrap_or(0))
                    .collect()
            })
            .unwrap_or_default();
        let all: Vec<u8> = grades.values().copied().collect();
        m.precision += precision_at_k(&ranked, k);
        m.recall += recall_at_k(&ranked, k, total_relevant);
        m.ndcg += ndcg_at_k(&ranked, k, &all);
        m.mrr += reciprocal_rank_at_k(&ranked, k);
        m.hit_rate += hit_at_k(&ranked, k);
    }
    if m.judged_members > 0 {
        let n = m.judged_members as f64;
        m.precision /= n;
        m.recall /= n;
        m.ndcg /= n;
        m.mrr /= n;
        m.hit_rate /= n;
    }
    m
}

/// Computes [`Metrics`] from every open member's top-k list (`lists`: member -> ranked
/// candidates) and the judged grades (`judged`: member -> candidate -> grade).
pub(crate) fn compute(
    k: usize,
    lists: &BTreeMap<u32, Vec<u32>>,
    judged: &BTreeMap<u32, BTreeMap<u32, u8>>,
    open_members: usize,
) -> Metrics {
    let mut m = Metrics {
        ranking: ranking(k, |member| lists.get(&member).map(Vec::as_slice), judged),
        ..Metrics::default()
    };
    let with_any = lists.values().filter(|l| !l.is_empty()).count();
    m.coverage = if open_members == 0 {
        0.0
    } else {
        with_any as f64 / open_members as f64
    };
    let mut exposure: BTreeMap<u32, u64> = lists.keys().map(|&s| (s, 0)).collect();
    let mut pairs = 0u64;
    let mut mutual = 0u64;
    for (s, list) in lists {
        for t in list {
            *exposure.entry(*t).or_default() += 1;
            pairs += 1;
            if lists.get(t).is_some_and(|back| back.contains(s)) {
                mutual += 1;
            }
        }
    }
    let counts: Vec<u64> = exposure.values().copied().collect();
    m.exposure_gini = gini(&counts);
    m.two_sided = if pairs == 0 {
        0.0
    } else {
        mutual as f64 / pairs as f64
    };
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three open members a, b, c (0, 1, 2). a's list: [b, c]; b's: [a]; c's: []. Judged:
    /// a-b met (2), a-c declined (0).
    #[test]
    fn compute_by_hand() {
        let lists: BTreeMap<u32, Vec<u32>> = [(0, vec![1, 2]), (1, vec![0]), (2, vec![])]
            .into_iter()
            .collect();
        let judged: BTreeMap<u32, BTreeMap<u32, u8>> = [
            (0, [(1, 2), (2, 0)].into_iter().collect()),
            (1, [(0, 2)].into_iter().collect()),
            (2, [(0, 0)].into_iter().collect()),
        ]
        .into_iter()
        .collect();
        let m = compute(2, &lists, &judged, 3);
        // Judged members with a relevant item: a and b. Both rank it first.
        assert_eq!(m.ranking.judged_members, 2);
        assert_eq!(m.ranking.precision, 0.5); // 1 of 2 slots each
        assert_eq!(m.ranking.recall, 1.0);
        assert_eq!(m.ranking.ndcg, 1.0);
        assert_eq!(m.ranking.mrr, 1.0);
        assert_eq!(m.ranking.hit_rate, 1.0);
        assert!((m.coverage - 2.0 / 3.0).abs() < 1e-12);
        // Exposure: a 1 (in b's list), b 1, c 1: equal.
        assert_eq!(m.exposure_gini, 0.0);
        // Pairs a->b (b lists a: mutual), a->c (no), b->a (mutual): 2 of 3.
        assert!((m.two_sided - 2.0 / 3.0).abs() < 1e-12);
    }
}
