//! The generated introduction history, drawn from a hidden preference.

use std::collections::HashSet;

use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::GeneratorConfig;
use crate::engine::Engine;
use crate::error::Result;
use crate::model::community::Community;
use crate::model::date::Date;
use crate::model::ids::MemberId;
use crate::model::record::IntroductionRecord;

/// Softmax temperature of the history's choices (Gumbel noise scale).
pub(super) const TEMPERATURE: f64 = 0.02;

/// The day `offset` days after 2023-01-01, as `YYYY-MM-DD`.
fn day(offset: usize) -> String {
    let (mut year, mut month, mut left) = (2023u16, 1u8, offset);
    loop {
        let days = (28..=31)
            .rev()
            .find(|&d| Date::new(year, month, d).is_ok())
            .expect("every month has at least 28 days") as usize;
        if left < days {
            return Date::new(year, month, left as u8 + 1)
                .expect("a day within the month")
                .to_string();
        }
        left -= days;
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
}

/// Draws the introduction history from the hidden preference: each event picks a member open to
/// introductions, then the candidate maximising `preference score + Gumbel noise` among up to 256
/// random eligible members (a softmax choice); the outcome follows the chosen pair's preference
/// score plus Gaussian noise, by quantile: the lowest 25% declined, the next 15% proposed, the
/// next 40% met, the top 20% partnered. Events are dated in order from 2023-01-01 over 46 months,
/// so a date split replays them.
pub(super) fn generate_history(
    community: &Community,
    config: &GeneratorConfig,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<IntroductionRecord>> {
    let n = community.len();
    let events = (n as f64 * config.introductions_per_member).round() as usize;
    let open: Vec<MemberId> = community
        .member_ids()
        .filter(|&m| community[m].open_to_intros())
        .collect();
    if events == 0 || open.len() < 2 {
        return Ok(Vec::new());
    }
    let engine = Engine::new(community.clone(), config.preference.clone())?;
    let mut introduced: HashSet<(u32, u32)> = HashSet::new();
    let mut chosen: Vec<(MemberId, MemberId, f64)> = Vec::with_capacity(events);
    let mut draws: Vec<(MemberId, f64)> = Vec::with_capacity(256);
    for _ in 0..events {
        let s = *open.choose(rng).expect("two or more open members");
        // The random draws do not depend on the scores: draw first, then score the event's
        // candidates in parallel, then choose in draw order (the same community as a
        // sequential loop, byte for byte).
        draws.clear();
        for _ in 0..256.min(n) {
            let t = open[rng.random_range(0..open.len())];
            let key = (s.0.min(t.0), s.0.max(t.0));
            if !engine.is_eligible(s, t) || introduced.contains(&key) {
                continue;
            }
            draws.push((t, rng.random_range(f64::EPSILON..1.0)));
        }
        let scores: Vec<f32> = draws
            .par_iter()
            .with_min_len(16)
            .map(|&(t, _)| engine.score(s, t))
            .collect::<Result<_>>()?;
        let mut best: Option<(f64, MemberId, f32)> = None;
        for (&(t, u), &score) in draws.iter().zip(&scores) {
            let utility = f64::from(score) - TEMPERATURE * (-u.ln()).ln();
            if best.is_none_or(|(b, _, _)| utility > b) {
                best = Some((utility, t, score));
            }
        }
        if let Some((_, t, score)) = best {
            introduced.insert((s.0.min(t.0), s.0.max(t.0)));
            // Box-Muller: one standard normal draw.
            let (u1, u2): (f64, f64) = (rng.random_range(f64::EPSILON..1.0), rng.random());
            let noise = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
            chosen.push((s, t, f64::from(score) + 0.03 * noise));
        }
    }
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    let mut sorted: Vec<f64> = chosen.iter().map(|c| c.2).collect();
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
    let (declined, proposed, met) = (q(0.25), q(0.40), q(0.80));
    let span = 46 * 30;
    Ok(chosen
        .iter()
        .enumerate()
        .map(|(i, &(s, t, value))| {
            let outcome = if value < declined {
                "declined"
            } else if value < proposed {
                "proposed"
            } else if value < met {
                "met"
            } else {
                "partnered"
            };
            IntroductionRecord {
                a: community[s].id().to_owned(),
                b: community[t].id().to_owned(),
                outcome: outcome.to_owned(),
                date: Some(day(i * span / chosen.len())),
                id: None,
                member: None,
            }
        })
        .collect())
}
