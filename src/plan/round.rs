//! Introduction rounds for the whole community: which introductions to make this round, under
//! every member's capacity, with a fairness floor and capacity-aware introducers.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::eval::metrics::gini;
use crate::explain::reason::Reason;
use crate::explain::result::Introducer;
use crate::model::ids::{MemberId, MemberRef};
use crate::rank::query::{Progress, Query};

/// How a round is planned.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundConfig {
    /// Introductions per member per round when the member set no `max_intros` (default 3).
    pub default_max_intros: u32,
    /// Introductions one member can broker per round (default 3).
    pub introducer_capacity: u32,
    /// Candidate pairs considered per member: its top this-many recommendations (default 20).
    pub candidates_per_member: usize,
    /// Pairs scoring below this are not considered (default 0).
    pub min_score: f32,
    /// The fill stage is solved exactly (branch and bound) when it has at most this many
    /// candidate pairs left (default 22), greedily otherwise.
    pub exact_max_pairs: usize,
    /// Told of members ranked while the candidate pairs are found (each open member once).
    pub progress: Option<Progress>,
}

impl Default for RoundConfig {
    fn default() -> Self {
        RoundConfig {
            default_max_intros: 3,
            introducer_capacity: 3,
            candidates_per_member: 20,
            min_score: 0.0,
            exact_max_pairs: 22,
            progress: None,
        }
    }
}

/// How the fill stage was solved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FillMethod {
    /// Exactly: the best fill given the floor stage.
    Exact,
    /// Greedily by score: at least half the best fill given the floor stage.
    Greedy,
}

impl std::fmt::Display for FillMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FillMethod::Exact => "exact",
            FillMethod::Greedy => "greedy (at least half the best)",
        })
    }
}

/// One planned introduction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoundIntro {
    /// One member.
    pub a: MemberRef,
    /// The other member.
    pub b: MemberRef,
    /// The pair's score.
    pub score: f32,
    /// Who introduces them, if a mutual contact with spare brokering capacity exists.
    #[serde(serialize_with = "crate::explain::result::introducer_id")]
    pub introducer: Option<Introducer>,
    /// Whether the introduction was made by the fairness floor (covering a member).
    pub floor: bool,
    /// Why, in plain words.
    pub reasons: Vec<Reason>,
}

/// Why an open member got no introduction this round; prints (and serializes) as a phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unserved {
    /// No eligible candidate at all (everyone is tied, introduced, blocked, closed or below the
    /// minimum score).
    NoCandidate,
    /// Every candidate was already at their capacity.
    PartnersFull,
    /// The member's own `max_intros` is 0.
    NoCapacity,
}

impl fmt::Display for Unserved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unserved::NoCandidate => "no eligible candidate",
            Unserved::PartnersFull => "every candidate already at capacity",
            Unserved::NoCapacity => "max_intros is 0",
        })
    }
}

impl Serialize for Unserved {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// An open member left without an introduction this round, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnservedMember {
    /// The member.
    pub member: MemberRef,
    /// Why.
    #[serde(rename = "reason")]
    pub why: Unserved,
}

/// The round's numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoundReport {
    /// Sum of the introductions' scores.
    pub total_score: f64,
    /// How many introductions are planned.
    pub introductions: usize,
    /// Members open to introductions.
    pub open_members: usize,
    /// Members with at least one introduction.
    pub members_covered: usize,
    /// Gini of introductions per open member.
    pub exposure_gini: f64,
    /// How the fill stage was solved.
    #[serde(rename = "fill")]
    pub method: FillMethod,
    /// Introductions with mutual contacts that were all at brokering capacity (the community
    /// team introduces them directly).
    pub introducers_full: usize,
    /// Open members left without an introduction, and why, by member id.
    pub unserved: Vec<UnservedMember>,
}

/// A planned round.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Round {
    /// The introductions, best score first.
    pub introductions: Vec<RoundIntro>,
    /// The round's numbers.
    pub report: RoundReport,
}

/// A candidate pair of the round.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pair {
    pub(crate) a: u32,
    pub(crate) b: u32,
    pub(crate) score: f32,
    key: u64,
}

fn by_score(x: &Pair, y: &Pair) -> Ordering {
    y.score
        .total_cmp(&x.score)
        .then(x.key.cmp(&y.key))
        .then((x.a, x.b).cmp(&(y.a, y.b)))
}

/// The exact best set of `pairs` (sorted best first) within `room` per member: branch and
/// bound, including or excluding each pair, bounded by the sum of the remaining scores.
pub(crate) fn exact_fill(pairs: &[Pair], room: &mut [u32]) -> Vec<usize> {
    fn go(
        i: usize,
        pairs: &[Pair],
        suffix: &[f64],
        room: &mut [u32],
        current: f64,
        chosen: &mut Vec<usize>,
        best: &mut (f64, Vec<usize>),
    ) {
        if current > best.0 {
            *best = (current, chosen.clone());
        }
        if i == pairs.len() || current + suffix[i] <= best.0 {
            return;
        }
        let p = pairs[i];
        if room[p.a as usize] > 0 && room[p.b as usize] > 0 {
            room[p.a as usize] -= 1;
            room[p.b as usize] -= 1;
            chosen.push(i);
            go(
                i + 1,
                pairs,
                suffix,
                room,
                current + f64::from(p.score),
                chosen,
                best,
            );
            chosen.pop();
            room[p.a as usize] += 1;
            room[p.b as usize] += 1;
        }
        go(i + 1, pairs, suffix, room, current, chosen, best);
    }
    let mut suffix = vec![0.0; pairs.len() + 1];
    for i in (0..pairs.len()).rev() {
        suffix[i] = suffix[i + 1] + f64::from(pairs[i].score);
    }
    let mut best = (0.0, Vec::new());
    go(0, pairs, &suffix, room, 0.0, &mut Vec::new(), &mut best);
    best.1
}

impl Engine {
    /// The candidate pairs of a round: every open member's top `per_member` recommendations,
    /// each unordered pair once, sorted by score descending, then the engine's tie-break.
    pub(crate) fn round_pairs(&self, config: &RoundConfig) -> Result<Vec<Pair>> {
        let mut query = Query::top(config.candidates_per_member).min_score(config.min_score);
        query.progress.clone_from(&config.progress);
        let ranked = self.rank_all(&query)?;
        let mut pairs: Vec<Pair> = Vec::new();
        for (s, list) in ranked {
            for (t, score) in list {
                let (a, b) = (s.0.min(t.0), s.0.max(t.0));
                pairs.push(Pair {
                    a,
                    b,
                    score,
                    key: self.pair_key(a as usize, b as usize),
                });
            }
        }
        pairs.sort_by(by_score);
        pairs.dedup_by(|x, y| (x.a, x.b) == (y.a, y.b));
        Ok(pairs)
    }

    /// Plans one introduction round for the whole community.
    ///
    /// 1. **Floor.** Pairs are taken best first while one side has no introduction yet and
    ///    neither side has two; then every member still without one gets their best pair whose
    ///    partner has room (even if it is the partner's third). So nobody gets a third
    ///    introduction while someone who could have one has none, and a member left without one
    ///    has only candidates already at capacity.
    /// 2. **Fill.** The remaining capacity is filled to maximise the total score: exactly by
    ///    branch and bound when at most [`RoundConfig::exact_max_pairs`] candidate pairs remain,
    ///    else greedily best first. Greedy is a ½-approximation for weighted b-matching (it is a
    ///    2-extendible system, Mestre 2006), so the round's total is at least half the best
    ///    total of any plan containing the floor's introductions.
    /// 3. **Introducers.** In score order, each introduction gets its strongest mutual contact
    ///    (open to introductions) that still has brokering capacity; when every mutual contact is
    ///    full, none (the community team introduces them), counted in
    ///    [`RoundReport::introducers_full`]. Brokering capacity therefore never blocks an
    ///    introduction, which keeps the fill a b-matching and its bound.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) for `candidates_per_member` of 0 or a `min_score` outside
    /// [0, 1].
    ///
    /// # Complexity
    ///
    /// One [`Engine::rank_all`] plus O(p log p) for p candidate pairs; the exact fill is
    /// exponential in at most `exact_max_pairs`.
    pub fn plan_round(&self, config: &RoundConfig) -> Result<Round> {
        if config.candidates_per_member == 0 {
            return Err(Error::option(
                "candidates_per_member",
                &0,
                "need at least one candidate per member",
            ));
        }
        let community = self.community();
        let n = community.slots();
        let pairs = self.round_pairs(config)?;
        let cap: Vec<u32> = community
            .member_slots()
            .map(|m| {
                if m.open_to_intros() {
                    m.max_intros().unwrap_or(config.default_max_intros)
                } else {
                    0
                }
            })
            .collect();
        let mut deg = vec![0u32; n];
        let mut used = vec![false; pairs.len()];
        let mut floor = vec![false; pairs.len()];
        // Stage 1a: cover, nobody above two.
        for (i, p) in pairs.iter().enumerate() {
            let (a, b) = (p.a as usize, p.b as usize);
            if (deg[a] == 0 || deg[b] == 0) && deg[a] < cap[a].min(2) && deg[b] < cap[b].min(2) {
                deg[a] += 1;
                deg[b] += 1;
                used[i] = true;
                floor[i] = true;
            }
        }
        // Stage 1b: everyone still uncovered takes their best pair with room, in the order of
        // their best pair.
        let mut first_pair = vec![usize::MAX; n];
        for (i, p) in pairs.iter().enumerate() {
            for m in [p.a as usize, p.b as usize] {
                if first_pair[m] == usize::MAX {
                    first_pair[m] = i;
                }
            }
        }
        let mut uncovered: Vec<usize> = (0..n)
            .filter(|&m| deg[m] == 0 && cap[m] > 0 && first_pair[m] != usize::MAX)
            .collect();
        uncovered.sort_by_key(|&m| first_pair[m]);
        for u in uncovered {
            if deg[u] > 0 {
                continue;
            }
            if let Some(i) = (first_pair[u]..pairs.len()).find(|&i| {
                let p = pairs[i];
                let v = if p.a as usize == u {
                    p.b as usize
                } else if p.b as usize == u {
                    p.a as usize
                } else {
                    return false;
                };
                !used[i] && deg[v] < cap[v]
            }) {
                deg[pairs[i].a as usize] += 1;
                deg[pairs[i].b as usize] += 1;
                used[i] = true;
                floor[i] = true;
            }
        }
        // Stage 2: fill.
        let mut room: Vec<u32> = (0..n).map(|m| cap[m] - deg[m]).collect();
        let residual: Vec<usize> = (0..pairs.len())
            .filter(|&i| !used[i] && room[pairs[i].a as usize] > 0 && room[pairs[i].b as usize] > 0)
            .collect();
        let method = if residual.len() <= config.exact_max_pairs {
            let sub: Vec<Pair> = residual.iter().map(|&i| pairs[i]).collect();
            for j in exact_fill(&sub, &mut room) {
                used[residual[j]] = true;
            }
            FillMethod::Exact
        } else {
            for &i in &residual {
                let (a, b) = (pairs[i].a as usize, pairs[i].b as usize);
                if room[a] > 0 && room[b] > 0 {
                    room[a] -= 1;
                    room[b] -= 1;
                    used[i] = true;
                }
            }
            FillMethod::Greedy
        };
        for (i, p) in pairs.iter().enumerate() {
            if used[i] && !floor[i] {
                deg[p.a as usize] += 1;
                deg[p.b as usize] += 1;
            }
        }
        // Stage 3: introducers, best introductions first.
        let mut brokered = vec![0u32; n];
        let mut introducers_full = 0;
        let mut introductions = Vec::new();
        let mut total = 0.0f64;
        for (i, p) in pairs.iter().enumerate().filter(|(i, _)| used[*i]) {
            let (a, b) = (MemberId(p.a), MemberId(p.b));
            let options = self.introducer_options(a, b);
            let introducer = options
                .iter()
                .find(|o| brokered[o.member.member().index()] < config.introducer_capacity)
                .cloned();
            if let Some(o) = &introducer {
                brokered[o.member.member().index()] += 1;
            } else if !options.is_empty() {
                introducers_full += 1;
            }
            let mut reasons = self.explain_for_both(a, b).reasons;
            let best = options.first().map(|o| o.member.member());
            if best.is_some() && best != introducer.as_ref().map(|o| o.member.member()) {
                reasons.retain(|r| !matches!(r, Reason::CanIntroduce { .. }));
                reasons.push(match &introducer {
                    Some(o) => Reason::IntroducesInstead {
                        introducer: community[o.member.member()].name_arc(),
                        to_a: o.strength_to_member,
                        to_b: o.strength_to_candidate,
                    },
                    None => Reason::IntroducersAtCapacity,
                });
            }
            if floor[i] {
                reasons.push(Reason::FairnessFloor);
            }
            total += f64::from(p.score);
            introductions.push(RoundIntro {
                a: community.member_ref(a),
                b: community.member_ref(b),
                score: p.score,
                introducer,
                floor: floor[i],
                reasons,
            });
        }
        let open: Vec<usize> = (0..n)
            .filter(|&m| self.is_open(MemberId(m as u32)))
            .collect();
        let unserved = open
            .iter()
            .filter(|&&m| deg[m] == 0)
            .map(|&m| {
                let why = if cap[m] == 0 {
                    Unserved::NoCapacity
                } else if first_pair[m] == usize::MAX {
                    Unserved::NoCandidate
                } else {
                    Unserved::PartnersFull
                };
                UnservedMember {
                    member: community.member_ref(MemberId(m as u32)),
                    why,
                }
            })
            .collect();
        let counts: Vec<u64> = open.iter().map(|&m| u64::from(deg[m])).collect();
        Ok(Round {
            report: RoundReport {
                total_score: total,
                introductions: introductions.len(),
                open_members: open.len(),
                members_covered: open.iter().filter(|&&m| deg[m] > 0).count(),
                exposure_gini: gini(&counts),
                method,
                introducers_full,
                unserved,
            },
            introductions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: u32, b: u32, score: f32) -> Pair {
        Pair {
            a,
            b,
            score,
            key: 0,
        }
    }

    #[test]
    fn exact_fill_beats_greedy_on_the_classic_path() {
        // Path 0-1-2-3 with weights 2, 3, 2 and capacity 1: greedy takes the middle (3),
        // the optimum takes both ends (4).
        let pairs = [pair(1, 2, 3.0), pair(0, 1, 2.0), pair(2, 3, 2.0)];
        let chosen = exact_fill(&pairs, &mut [1, 1, 1, 1]);
        let total: f32 = chosen.iter().map(|&i| pairs[i].score).sum();
        assert_eq!(total, 4.0);
    }
}
