//! The weight tuner: seeded random search then coordinate ascent over the signal weights,
//! candidates evaluated in parallel, to maximise a metric on a tuning replay.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::eval::metrics::{Metric, Metrics, RankingMetrics};
use crate::eval::replay::Evaluation;
use crate::eval::signal_matrix::SignalMatrix;
use crate::score::signal::{BySignal, Signal};
use crate::score::weights::MatchWeights;

/// How the tuner searches.
#[derive(Clone, Debug, PartialEq)]
pub struct TunerConfig {
    /// Seed of the random search (default 1).
    pub seed: u64,
    /// Random weight vectors tried after the starting weights (default 40).
    pub random_candidates: usize,
    /// Rounds of coordinate ascent from the best so far (default 3).
    pub ascent_rounds: usize,
    /// Factors each weight is multiplied by in a round of coordinate ascent (default 0, 0.5,
    /// 0.75, 1.5, 2); a weight at 0 is tried at 0.05 and 0.15 instead.
    pub factors: Vec<f32>,
    /// The metric maximised (default NDCG).
    pub metric: Metric,
    /// The cut-off k (default 10).
    pub k: usize,
}

impl Default for TunerConfig {
    fn default() -> Self {
        TunerConfig {
            seed: 1,
            random_candidates: 40,
            ascent_rounds: 3,
            factors: vec![0.0, 0.5, 0.75, 1.5, 2.0],
            metric: Metric::Ndcg,
            k: 10,
        }
    }
}

/// Where a trial came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// The starting weights.
    Start,
    /// Random search.
    Random,
    /// Coordinate ascent, with the round number (from 1).
    Ascent(usize),
}

/// One evaluated weight vector.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trial {
    /// Position in the search, from 0.
    pub index: usize,
    /// How it was proposed.
    pub phase: Phase,
    /// The weights tried.
    pub weights: MatchWeights,
    /// Its ranking metrics on the tuning replay.
    pub metrics: RankingMetrics,
    /// The optimised metric's value.
    pub score: f64,
}

/// What the tuner found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TuningReport {
    /// Every trial, in search order.
    pub trials: Vec<Trial>,
    /// Index of the best trial (the first of equals, so the starting weights win ties).
    pub best: usize,
    /// The best weights' metrics on the tuning replay, by the engine itself (its ranking
    /// metrics are the best trial's).
    pub best_tuning: Metrics,
    /// The starting weights' metrics on the held-out replay.
    pub start_heldout: Metrics,
    /// The best weights' metrics on the held-out replay.
    pub best_heldout: Metrics,
    /// The metric optimised.
    pub metric: Metric,
}

impl TuningReport {
    /// The best trial.
    pub fn best_trial(&self) -> &Trial {
        &self.trials[self.best]
    }
}

fn normalised(w: BySignal<f32>) -> BySignal<f32> {
    let sum: f32 = w.values().iter().sum();
    if sum > 0.0 { w.map(|_, &x| x / sum) } else { w }
}

/// Searches weights that maximise `config.metric` on `tuning`, then reports both the starting
/// and the best weights on `heldout`. Trials of one batch run in parallel; results do not depend
/// on the thread count. `progress` is called once per finished trial.
///
/// Only the signal weights change from trial to trial, so every judged member's candidates are
/// tabled once by their seven signals, and each trial weighs the table and takes each judged
/// member's exact top k, adding the weighted signals in the engine's order: the same scores,
/// lists and metrics as ranking with an engine of those weights, without building one. The
/// best weights are then evaluated by the engine on both replays.
///
/// # Errors
///
/// [`ErrorKind::InvalidWeight`](crate::ErrorKind::InvalidWeight) when `start` does not
/// validate; [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) for `k` of 0.
///
/// # Complexity
///
/// O(j · n) time and memory to table the j judged members' candidates among n members, then
/// O(j · n) per trial.
///
/// # Examples
///
/// ```no_run
/// use pollinate::{Community, Evaluation, MatchWeights, OutcomeTies, Split, TunerConfig, tune};
///
/// let community = Community::load("data/community-1500.json")?;
/// let date = |s: &str| s.parse().unwrap();
/// let ties = OutcomeTies::default();
/// let tuning = Evaluation::new(&community, &Split::ByDate(date("2025-07-01")), &ties)?;
/// let heldout = Evaluation::new(&community, &Split::ByDate(date("2026-01-01")), &ties)?;
/// let report = tune(&tuning, &heldout, &MatchWeights::default(), &TunerConfig::default(), |_| {})?;
/// println!("{}", report.best_trial().weights.to_toml_string());
/// # Ok::<(), pollinate::Error>(())
/// ```
pub fn tune(
    tuning: &Evaluation,
    heldout: &Evaluation,
    start: &MatchWeights,
    config: &TunerConfig,
    progress: impl Fn(&Trial) + Sync,
) -> Result<TuningReport> {
    start.validate(tuning.train().taxonomy())?;
    if config.k == 0 {
        return Err(Error::option("k", &0, "need k >= 1"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut trials: Vec<Trial> = Vec::new();
    let matrix = SignalMatrix::new(tuning.train(), start, tuning.judged());
    let taxonomy = tuning.train().taxonomy();
    let run = |batch: Vec<(Phase, MatchWeights)>, first: usize| -> Result<Vec<Trial>> {
        batch
            .into_par_iter()
            .enumerate()
            .map_init(Vec::new, |scores, (i, (phase, weights))| {
                weights.validate(taxonomy)?;
                let metrics =
                    matrix.evaluate(&weights.signal_weights(), config.k, tuning.judged(), scores);
                let trial = Trial {
                    index: first + i,
                    phase,
                    score: config.metric.of(&metrics),
                    weights,
                    metrics,
                };
                progress(&trial);
                Ok(trial)
            })
            .collect()
    };
    let mut batch = vec![(Phase::Start, start.clone())];
    for _ in 0..config.random_candidates {
        let w = BySignal::<f32>(std::array::from_fn(|_| rng.random_range(0.0f32..1.0)));
        batch.push((
            Phase::Random,
            start.clone().with_signal_weights(normalised(w)),
        ));
    }
    trials.extend(run(batch, 0)?);
    let best_of = |trials: &[Trial]| {
        trials.iter().enumerate().fold(0, |best, (i, t)| {
            if t.score > trials[best].score {
                i
            } else {
                best
            }
        })
    };
    let mut best = best_of(&trials);
    for round in 1..=config.ascent_rounds {
        let base = trials[best].weights.signal_weights();
        let mut batch = Vec::new();
        for signal in Signal::ALL {
            let values: Vec<f32> = if base[signal] == 0.0 {
                vec![0.05, 0.15]
            } else {
                config.factors.iter().map(|f| base[signal] * f).collect()
            };
            for v in values {
                let mut w = base;
                w[signal] = v;
                if w.values().iter().all(|&x| x == 0.0) || w == base {
                    continue;
                }
                batch.push((
                    Phase::Ascent(round),
                    start.clone().with_signal_weights(normalised(w)),
                ));
            }
        }
        let first = trials.len();
        trials.extend(run(batch, first)?);
        let new_best = best_of(&trials);
        if new_best == best {
            break;
        }
        best = new_best;
    }
    let best_tuning = tuning.evaluate(&trials[best].weights, config.k)?;
    debug_assert_eq!(best_tuning.ranking, trials[best].metrics);
    let start_heldout = heldout.evaluate(start, config.k)?;
    let best_heldout = heldout.evaluate(&trials[best].weights, config.k)?;
    Ok(TuningReport {
        trials,
        best,
        best_tuning,
        start_heldout,
        best_heldout,
        metric: config.metric,
    })
}
