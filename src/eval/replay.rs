//! Offline evaluation: replay the introduction history, rank with the engine as it would have
//! stood, and measure the ranking against what happened.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::eval::metrics::{Metrics, compute, relevance};
use crate::model::community::Community;
use crate::model::date::Date;
use crate::model::history::OutcomeTies;
use crate::rank::query::Query;
use crate::score::weights::MatchWeights;

/// How to split the introduction history into what the engine knows (train) and what it is
/// judged on (test).
#[derive(Clone, Debug, PartialEq)]
pub enum Split {
    /// Introductions dated before the date train; those on or after it are judged. Undated
    /// introductions count as known history (train).
    ByDate(Date),
    /// Introductions before `from` train, those from `from` until before `until` are judged,
    /// later ones are left out (the future of this replay). Undated introductions train.
    Between {
        /// First judged day.
        from: Date,
        /// First day left out.
        until: Date,
    },
    /// A seeded random `fraction` of the introductions is judged; the rest train.
    Holdout {
        /// Share judged, in (0, 1).
        fraction: f64,
        /// Seed of the shuffle.
        seed: u64,
    },
}

/// One replay: the community as the engine would have known it, and the judged introductions.
///
/// # Examples
///
/// ```
/// use pollinate::{Community, Evaluation, MatchWeights, OutcomeTies, Split};
///
/// let community = Community::load("data/community-1500.json")?;
/// let replay = Evaluation::new(&community, &Split::ByDate("2026-01-01".parse().unwrap()), &OutcomeTies::default())?;
/// let metrics = replay.evaluate(&MatchWeights::default(), 10)?;
/// assert!(metrics.ranking.judged_members > 0);
/// assert!((0.0..=1.0).contains(&metrics.ranking.ndcg));
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Evaluation {
    train: Community,
    judged: BTreeMap<u32, BTreeMap<u32, u8>>,
    judged_introductions: usize,
}

impl Evaluation {
    /// Splits `community`'s history as `split` says; the train community keeps every member,
    /// tie and block, the train introductions, and the ties their outcomes add (`ties`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) for a holdout fraction outside (0, 1) or bad `ties` values.
    pub fn new(community: &Community, split: &Split, ties: &OutcomeTies) -> Result<Self> {
        let intros = community.introductions();
        // Per introduction: Some(true) judged, Some(false) train, None left out.
        let test: Vec<Option<bool>> = match split {
            Split::ByDate(cutoff) => intros
                .iter()
                .map(|i| Some(i.date.is_some_and(|d| d >= *cutoff)))
                .collect(),
            Split::Between { from, until } => intros
                .iter()
                .map(|i| match i.date {
                    Some(d) if d >= *until => None,
                    Some(d) => Some(d >= *from),
                    None => Some(false),
                })
                .collect(),
            Split::Holdout { fraction, seed } => {
                if !(fraction.is_finite() && *fraction > 0.0 && *fraction < 1.0) {
                    return Err(Error::option("fraction", &fraction, "must be in (0, 1)"));
                }
                let mut order: Vec<usize> = (0..intros.len()).collect();
                order.shuffle(&mut ChaCha8Rng::seed_from_u64(*seed));
                let judged = (intros.len() as f64 * fraction).round() as usize;
                let mut test = vec![Some(false); intros.len()];
                for &i in &order[..judged] {
                    test[i] = Some(true);
                }
                test
            }
        };
        let mut records = community.to_records();
        let all = std::mem::take(&mut records.introductions);
        records.introductions = all
            .into_iter()
            .zip(&test)
            .filter(|(_, t)| **t == Some(false))
            .map(|(r, _)| r)
            .collect();
        let train = Community::builder(community.taxonomy().clone())
            .source_name("train split")
            .records(records)
            .build()?
            .with_outcome_ties(ties)?;
        let mut judged: BTreeMap<u32, BTreeMap<u32, u8>> = BTreeMap::new();
        let mut judged_introductions = 0;
        for (intro, _) in intros.iter().zip(&test).filter(|(_, t)| **t == Some(true)) {
            judged_introductions += 1;
            let g = relevance(intro.outcome);
            for (s, t) in [(intro.a, intro.b), (intro.b, intro.a)] {
                let e = judged.entry(s.0).or_default().entry(t.0).or_insert(0);
                *e = (*e).max(g);
            }
        }
        Ok(Evaluation {
            train,
            judged,
            judged_introductions,
        })
    }

    /// The community as the engine knows it in this replay.
    pub fn train(&self) -> &Community {
        &self.train
    }

    /// How many introductions are judged.
    pub fn judged_introductions(&self) -> usize {
        self.judged_introductions
    }

    /// How many members have at least one judged introduction.
    pub fn judged_members(&self) -> usize {
        self.judged.len()
    }

    /// The judged grades: member -> candidate -> grade (both ways round).
    pub(crate) fn judged(&self) -> &BTreeMap<u32, BTreeMap<u32, u8>> {
        &self.judged
    }

    /// Ranks every open member's top `k` with `weights` on the train community and measures it
    /// against the judged introductions.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) when `weights` do not
    /// validate.
    ///
    /// # Complexity
    ///
    /// One [`Engine::rank_all`] (see [`Method`](crate::Method) for its cost).
    pub fn evaluate(&self, weights: &MatchWeights, k: usize) -> Result<Metrics> {
        let engine = Engine::new(self.train.clone(), weights.clone())?;
        let ranked = engine.rank_all(&Query::top(k))?;
        let open = ranked.len();
        let lists: BTreeMap<u32, Vec<u32>> = ranked
            .into_iter()
            .map(|(m, list)| (m.0, list.into_iter().map(|(c, _)| c.0).collect()))
            .collect();
        Ok(compute(k, &lists, &self.judged, open))
    }
}
