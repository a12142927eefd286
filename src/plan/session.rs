//! Networking-session schedules: rounds of one-to-one meetings among an event's attendees.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::model::ids::{MemberId, MemberRef};
use crate::plan::matching::integer_matching;
use crate::rank::query::Progress;

/// What to do with the attendee left over when an odd number can meet in a round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OddPolicy {
    /// One attendee sits the round out (the default). The matching chooses whom, favouring
    /// attendees who have sat out less, so sit-outs rotate and the best pairs still meet.
    #[default]
    SitOut,
    /// The attendee left over joins the pair they score best with, making a group of three.
    Trio,
}

/// How a session is scheduled.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionConfig {
    /// Number of rounds (default 5); at most the number of attendees.
    pub rounds: usize,
    /// Odd attendee counts (default [`OddPolicy::SitOut`]).
    pub odd: OddPolicy,
    /// How many of each attendee's best partners the session graph keeps beyond one per round
    /// (default 24); 0 keeps every allowed pair. See [`Engine::schedule_session`].
    pub candidates_per_attendee: usize,
    /// Told of attendees done: each attendee once when its partners are scored, then once per
    /// round when seated (so `attendees × (rounds + 1)` in all).
    pub progress: Option<Progress>,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            rounds: 5,
            odd: OddPolicy::SitOut,
            candidates_per_attendee: 24,
            progress: None,
        }
    }
}

/// One meeting: a pair, or a group of three.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Meeting {
    /// The members meeting (2, or 3 for a trio), in attendee-list order.
    pub members: Vec<MemberRef>,
    /// Sum of the scores of the meeting's pairs.
    pub score: f32,
}

/// Why an attendee does not meet anyone in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SitOut {
    /// Everyone this attendee may still meet is seated with someone else: the odd one out,
    /// chosen among those who have sat out least.
    OddOneOut,
    /// Every remaining attendee is excluded for this one (met already, tied, introduced,
    /// blocked, or no common language).
    NoPartnerLeft,
}

impl std::fmt::Display for SitOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SitOut::OddOneOut => "the odd one out this round",
            SitOut::NoPartnerLeft => "no allowed partner left",
        })
    }
}

/// An attendee who meets nobody in a round, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SittingOut {
    /// The attendee.
    pub member: MemberRef,
    /// Why.
    #[serde(rename = "reason")]
    pub why: SitOut,
}

/// One round of a session.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SessionRound {
    /// Round number, from 1.
    pub number: usize,
    /// The meetings, best score first.
    pub meetings: Vec<Meeting>,
    /// Attendees who meet nobody this round, and why, by member id.
    pub sitting_out: Vec<SittingOut>,
}

/// A networking-session schedule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Schedule {
    /// The rounds, in order.
    pub rounds: Vec<SessionRound>,
    /// Sum of all meetings' scores.
    pub total_score: f64,
}

/// Scores as integer matching weights: a millionth of a point.
const UNIT: f64 = 1e6;
/// What each round an attendee has sat out adds to every pair it is in: more than any score, so
/// the matching seats those who sat out before those who have not, and capped so the blossom
/// algorithm's dual variables stay far inside `i32`.
const SAT_OUT_BONUS: i32 = 2_000_000;
const SAT_OUT_CAP: u16 = 50;

/// The session's pairs, attendees as positions in the attendee list.
struct SessionGraph {
    /// `(i, j, score)` with `i < j`, sorted, no repeats.
    edges: Vec<(u32, u32, f32)>,
}

impl Engine {
    /// Schedules `config.rounds` rounds of one-to-one meetings among `attendees`. No pair meets
    /// twice; no excluded pair meets (tied, already introduced, blocked, or without a common
    /// language under the language rule). Attendees are seated whether or not they are open to
    /// introductions: coming to the event is their consent to meet. Every attendee who meets
    /// nobody in a round is named with the reason.
    ///
    /// The session graph holds, for each attendee, its best `candidates_per_attendee + rounds`
    /// allowed partners by score (ties to the lower position in `attendees`); a pair is in it
    /// when either side keeps the other. Each round is then a maximum-cardinality,
    /// maximum-weight matching of that graph less the pairs already met (Edmonds' blossom
    /// algorithm), where each pair's weight is its score plus a bonus for each round either
    /// member has sat out: this is exact for the graph, so the round's best pairs meet and the
    /// attendee left over by an odd count is one who has sat out least. Attendees the matching
    /// leaves unseated are then paired greedily, best score first, over every allowed pair
    /// (outside the graph too). With `candidates_per_attendee = 0` the graph holds every allowed
    /// pair. Rounds are built in order, not optimised jointly.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) naming `attendees` when an
    /// attendee is not a member of this community (its index) or is listed twice (its id), and
    /// naming `rounds` when there are more rounds than attendees.
    ///
    /// # Complexity
    ///
    /// O(a² · c) to score the a attendees' pairs (c per pair, in parallel), then per round the
    /// blossom algorithm on a vertices and at most a · (m + R) edges: O(a³) in the worst case,
    /// far less on this sparse graph; O(a · (m + R)) memory.
    pub fn schedule_session(
        &self,
        attendees: &[MemberId],
        config: &SessionConfig,
    ) -> Result<Schedule> {
        let c = self.community();
        let mut seen = HashSet::new();
        for &m in attendees {
            if c.get(m).is_none() {
                return Err(Error::option(
                    "attendees",
                    &m.index(),
                    "not a member of this community",
                ));
            }
            if !seen.insert(m) {
                return Err(Error::option("attendees", &c[m].id(), "listed twice"));
            }
        }
        if config.rounds > attendees.len() {
            return Err(Error::option(
                "rounds",
                &config.rounds,
                "more rounds than attendees: at most one round per attendee",
            ));
        }
        let graph = self.session_graph(attendees, config);
        let mut seating = Seating {
            engine: self,
            attendees,
            met: HashSet::new(),
            sat_out: vec![0; attendees.len()],
        };
        let mut rounds = Vec::with_capacity(config.rounds);
        let mut total = 0.0f64;
        for number in 1..=config.rounds {
            let round = seating.round(number, &graph, config.odd);
            total += round
                .meetings
                .iter()
                .map(|m| f64::from(m.score))
                .sum::<f64>();
            rounds.push(round);
            if let Some(p) = &config.progress {
                p.add(attendees.len());
            }
        }
        Ok(Schedule {
            rounds,
            total_score: total,
        })
    }

    /// Each attendee's best `candidates_per_attendee + rounds` partners (all of them for 0),
    /// scored in parallel.
    fn session_graph(&self, attendees: &[MemberId], config: &SessionConfig) -> SessionGraph {
        let keep = match config.candidates_per_attendee {
            0 => usize::MAX,
            m => m.saturating_add(config.rounds),
        };
        let lists: Vec<Vec<(u32, u32, f32)>> = self.install(|| {
            (0..attendees.len())
                .into_par_iter()
                .map(|i| {
                    let a = attendees[i];
                    let mut partners: Vec<(u32, f32)> = attendees
                        .iter()
                        .enumerate()
                        .filter(|&(j, &b)| j != i && self.may_meet(a, b))
                        .map(|(j, &b)| (j as u32, self.pair_score(a.index(), b.index())))
                        .collect();
                    if partners.len() > keep {
                        let by_score = |x: &(u32, f32), y: &(u32, f32)| {
                            y.1.total_cmp(&x.1).then(x.0.cmp(&y.0))
                        };
                        partners.select_nth_unstable_by(keep - 1, by_score);
                        partners.truncate(keep);
                    }
                    if let Some(p) = &config.progress {
                        p.add(1);
                    }
                    partners
                        .into_iter()
                        .map(|(j, s)| (j.min(i as u32), j.max(i as u32), s))
                        .collect()
                })
                .collect()
        });
        let mut edges: Vec<(u32, u32, f32)> = lists.into_iter().flatten().collect();
        edges.sort_unstable_by_key(|&(i, j, _)| (i, j));
        edges.dedup_by_key(|&mut (i, j, _)| (i, j));
        SessionGraph { edges }
    }
}

/// What a session remembers from round to round.
struct Seating<'a> {
    engine: &'a Engine,
    attendees: &'a [MemberId],
    /// Pairs met so far, as `(i, j)` positions with `i < j`.
    met: HashSet<(u32, u32)>,
    /// Rounds each attendee has sat out.
    sat_out: Vec<u16>,
}

impl Seating<'_> {
    fn allowed(&self, i: usize, j: usize) -> bool {
        i != j
            && !self.met.contains(&(i.min(j) as u32, i.max(j) as u32))
            && self.engine.may_meet(self.attendees[i], self.attendees[j])
    }

    fn score(&self, i: usize, j: usize) -> f32 {
        self.engine
            .pair_score(self.attendees[i].index(), self.attendees[j].index())
    }

    /// One round: the matching of the graph's unmet pairs, a greedy pass over the attendees it
    /// leaves, then trios or sit-outs.
    fn round(&mut self, number: usize, graph: &SessionGraph, odd: OddPolicy) -> SessionRound {
        let n = self.attendees.len();
        let bonus = |i: u32| SAT_OUT_BONUS * i32::from(self.sat_out[i as usize].min(SAT_OUT_CAP));
        let edges: mwmatching::Edges = graph
            .edges
            .iter()
            .filter(|&&(i, j, _)| !self.met.contains(&(i, j)))
            .map(|&(i, j, s)| {
                let w = (f64::from(s) * UNIT).round() as i32;
                (i as usize, j as usize, w + bonus(i) + bonus(j))
            })
            .collect();
        let mate = integer_matching(n, edges, true);
        let mut meetings: Vec<(Vec<usize>, f32)> = mate
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.filter(|&j| i < j).map(|j| (vec![i, j], self.score(i, j))))
            .collect();
        let mut left: Vec<usize> = (0..n).filter(|&i| mate[i].is_none()).collect();
        self.pair_greedily(&mut left, &mut meetings);
        let mut sitting_out = Vec::new();
        for x in left {
            let trio = (odd == OddPolicy::Trio)
                .then(|| self.best_pair_to_join(x, &meetings))
                .flatten();
            if let Some((t, gain)) = trio {
                meetings[t].0.push(x);
                meetings[t].1 += gain;
                continue;
            }
            let why = if (0..n).any(|j| self.allowed(x, j)) {
                SitOut::OddOneOut
            } else {
                SitOut::NoPartnerLeft
            };
            self.sat_out[x] = self.sat_out[x].saturating_add(1);
            sitting_out.push((self.attendees[x], why));
        }
        for (members, _) in &meetings {
            for (k, &i) in members.iter().enumerate() {
                for &j in &members[k + 1..] {
                    self.met.insert((i.min(j) as u32, i.max(j) as u32));
                }
            }
        }
        meetings.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        sitting_out.sort_by_key(|&(m, _)| m);
        let c = self.engine.community();
        SessionRound {
            number,
            meetings: meetings
                .into_iter()
                .map(|(members, score)| Meeting {
                    members: members
                        .into_iter()
                        .map(|i| c.member_ref(self.attendees[i]))
                        .collect(),
                    score,
                })
                .collect(),
            sitting_out: sitting_out
                .into_iter()
                .map(|(m, why)| SittingOut {
                    member: c.member_ref(m),
                    why,
                })
                .collect(),
        }
    }

    /// Pairs attendees of `left` that may meet, best score first (ties to lower positions),
    /// leaving the rest in `left`.
    fn pair_greedily(&self, left: &mut Vec<usize>, meetings: &mut Vec<(Vec<usize>, f32)>) {
        let mut pairs: Vec<(usize, usize, f32)> = Vec::new();
        for (k, &i) in left.iter().enumerate() {
            for &j in &left[k + 1..] {
                if self.allowed(i, j) {
                    pairs.push((i, j, self.score(i, j)));
                }
            }
        }
        pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        let mut seated = HashSet::new();
        for (i, j, s) in pairs {
            if !seated.contains(&i) && !seated.contains(&j) {
                seated.insert(i);
                seated.insert(j);
                meetings.push((vec![i, j], s));
            }
        }
        left.retain(|i| !seated.contains(i));
    }

    /// The pair `x` adds most score to by joining, among pairs whose members `x` may meet.
    fn best_pair_to_join(&self, x: usize, meetings: &[(Vec<usize>, f32)]) -> Option<(usize, f32)> {
        let mut best: Option<(usize, f32)> = None;
        for (t, (members, _)) in meetings.iter().enumerate() {
            if members.len() == 2 && members.iter().all(|&m| self.allowed(x, m)) {
                let gain = self.score(x, members[0]) + self.score(x, members[1]);
                if best.is_none_or(|(_, g)| gain > g) {
                    best = Some((t, gain));
                }
            }
        }
        best
    }
}
