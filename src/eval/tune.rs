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
use crate::eval::stories::{Stories, StoryCheck};
use crate::score::signal::{BySignal, Signal};
use crate::score::weights::MatchWeights;

/// How the tuner searches, and what it refuses.
#[derive(Clone, Debug)]
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
    /// The fewest members with judged introductions either replay may have (default 30):
    /// below it, metrics are noise and the tuner refuses to run.
    pub min_judged: usize,
    /// Stories every trial is checked against (default [`Stories::seed`]); `None` checks none.
    pub stories: Option<Stories>,
    /// Whether a trial that breaks a story the starting weights keep is disqualified from being
    /// best (default false: broken stories are only reported).
    pub stories_disqualify: bool,
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
            min_judged: 30,
            stories: Some(Stories::seed()),
            stories_disqualify: false,
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
    /// The stories it breaks, as positions in [`TuningReport::stories`].
    pub broken_stories: Vec<usize>,
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
    /// The default weights' metrics on the held-out replay.
    pub defaults_heldout: Metrics,
    /// The starting weights' metrics on the held-out replay.
    pub start_heldout: Metrics,
    /// The best weights' metrics on the held-out replay.
    pub best_heldout: Metrics,
    /// The metric optimised.
    pub metric: Metric,
    /// The names of the stories checked, in order.
    pub stories: Vec<String>,
    /// Each story under the best weights: whether it holds and the positions that decided it.
    pub best_stories: Vec<StoryCheck>,
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
/// Every trial is checked against `config.stories`; the report names the stories each breaks,
/// and with `config.stories_disqualify` a trial breaking a story the starting weights keep
/// cannot be best.
///
/// # Errors
///
/// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) when `start` does not
/// validate; [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) for `k` of 0;
/// [`ErrorKind::NotEnoughJudged`](crate::ErrorKind::NotEnoughJudged) when either replay judges
/// fewer than `config.min_judged` members.
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
    for (replay, evaluation) in [("tuning", tuning), ("held-out", heldout)] {
        let judged = evaluation.judged_members();
        if judged < config.min_judged {
            return Err(Error::not_enough_judged(replay, judged, config.min_judged));
        }
    }
    let broken = |weights: &MatchWeights| -> Result<Vec<usize>> {
        Ok(match &config.stories {
            Some(stories) => stories
                .check(weights)?
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.holds)
                .map(|(i, _)| i)
                .collect(),
            None => Vec::new(),
        })
    };
    let start_broken = broken(start)?;
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
                    broken_stories: broken(&weights)?,
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
    // The start is trial 0 and always qualifies: it breaks only what it breaks.
    let qualifies = |t: &Trial| {
        !config.stories_disqualify || t.broken_stories.iter().all(|s| start_broken.contains(s))
    };
    let best_of = |trials: &[Trial]| {
        trials.iter().enumerate().fold(0, |best, (i, t)| {
            if qualifies(t) && t.score > trials[best].score {
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
    let defaults_heldout = heldout.evaluate(&MatchWeights::default(), config.k)?;
    let start_heldout = heldout.evaluate(start, config.k)?;
    let best_heldout = heldout.evaluate(&trials[best].weights, config.k)?;
    let best_stories = match &config.stories {
        Some(stories) => stories.check(&trials[best].weights)?,
        None => Vec::new(),
    };
    Ok(TuningReport {
        trials,
        best,
        best_tuning,
        defaults_heldout,
        start_heldout,
        best_heldout,
        metric: config.metric,
        stories: config.stories.as_ref().map_or_else(Vec::new, |s| {
            s.stories().iter().map(|s| s.name.clone()).collect()
        }),
        best_stories,
    })
}
