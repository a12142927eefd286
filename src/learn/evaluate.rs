//! Replaying consumption: rank with what members had consumed before a date, and measure how
//! the lists place what they consumed after it, with the introductions' metrics.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::eval::metrics::{
    RankingMetrics, hit_at_k, ndcg_at_k, precision_at_k, recall_at_k, reciprocal_rank_at_k,
};
use crate::learn::recommend::{Learning, LearningConfig};
use crate::learn::resource::{Catalogue, Consumption};
use crate::model::community::Community;
use crate::model::date::Date;

/// What a replay of consumption found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LearningEvaluation {
    /// Consumed before it trains; on or after it is judged.
    pub cutoff: Date,
    /// Consumption records the ranking knew (before the cut-off, or undated).
    pub train: usize,
    /// Consumption records judged.
    pub test: usize,
    /// How the lists placed what was consumed after the cut-off.
    pub metrics: RankingMetrics,
}

/// A judged resource's grade: 2 for a rating of 4 or 5, 1 for 3 or no rating, 0 (not
/// relevant) for 1 or 2.
fn grade(c: &Consumption) -> u8 {
    match c.rating {
        Some(4..) => 2,
        Some(3) | None => 1,
        Some(_) => 0,
    }
}

impl Learning {
    /// Ranks every member's top `k` as it stood at `cutoff` (knowing only consumption before
    /// it) and measures how those lists place the resources each consumed on or after it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) for `k` 0 or a bad
    /// `config`.
    ///
    /// # Complexity
    ///
    /// As [`Learning::new`] plus one ranking per judged member.
    pub fn evaluate(
        community: &Community,
        catalogue: &Catalogue,
        config: &LearningConfig,
        cutoff: Date,
        k: usize,
    ) -> Result<LearningEvaluation> {
        if k == 0 {
            return Err(Error::option("k", &0, "at least 1"));
        }
        let (test, train): (Vec<Consumption>, Vec<Consumption>) = catalogue
            .consumed
            .iter()
            .partition(|c| c.date.is_some_and(|d| d >= cutoff));
        let mut known = catalogue.clone();
        known.consumed = train;
        let train_len = known.consumed.len();
        let learning = Learning::new(community.clone(), known, config.clone())?;
        let mut judged: std::collections::BTreeMap<u32, Vec<&Consumption>> =
            std::collections::BTreeMap::new();
        for c in &test {
            if community.get(c.member).is_some() {
                judged.entry(c.member.0).or_default().push(c);
            }
        }
        let (mut p, mut r, mut n, mut m, mut h, mut count) = (0.0, 0.0, 0.0, 0.0, 0.0, 0usize);
        for (member, items) in &judged {
            let member = crate::model::ids::MemberId(*member);
            // What it consumed after the cut-off and had not before, best grade per resource.
            let mut grades: std::collections::BTreeMap<u32, u8> = std::collections::BTreeMap::new();
            for c in items {
                if learning.has_consumed(member, c.resource) {
                    continue;
                }
                let g = grades.entry(c.resource.0).or_insert(0);
                *g = (*g).max(grade(c));
            }
            let all: Vec<u8> = grades.values().copied().filter(|&g| g > 0).collect();
            if all.is_empty() {
                continue;
            }
            let ranked: Vec<u8> = learning
                .recommend(member, k)?
                .resources
                .iter()
                .map(|x| grades.get(&x.resource.id().0).copied().unwrap_or(0))
                .collect();
            p += precision_at_k(&ranked, k);
            r += recall_at_k(&ranked, k, all.len());
            n += ndcg_at_k(&ranked, k, &all);
            m += reciprocal_rank_at_k(&ranked, k);
            h += hit_at_k(&ranked, k);
            count += 1;
        }
        let mean = |x: f64| if count == 0 { 0.0 } else { x / count as f64 };
        Ok(LearningEvaluation {
            cutoff,
            train: train_len,
            test: test.len(),
            metrics: RankingMetrics {
                k,
                judged_members: count,
                precision: mean(p),
                recall: mean(r),
                ndcg: mean(n),
                mrr: mean(m),
                hit_rate: mean(h),
            },
        })
    }
}
