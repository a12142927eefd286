//! Networking-session schedules: rounds of one-to-one meetings among an event's attendees.

use std::collections::HashSet;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::member::MemberId;

/// What to do when an odd number of attendees is available in a round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OddPolicy {
    /// One attendee sits the round out, rotating: the one who has sat out least so far, then by a
    /// position that moves every round (the default).
    #[default]
    SitOut,
    /// The attendee left over joins the pair they score best with, making a group of three.
    Trio,
}

/// How a session is scheduled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionConfig {
    /// Number of rounds (default 5).
    pub rounds: usize,
    /// Odd attendee counts (default [`OddPolicy::SitOut`]).
    pub odd: OddPolicy,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            rounds: 5,
            odd: OddPolicy::SitOut,
        }
    }
}

/// One meeting: a pair, or a group of three.
#[derive(Clone, Debug, PartialEq)]
pub struct Meeting {
    /// The members meeting (2, or 3 for a trio).
    pub members: Vec<MemberId>,
    /// Sum of the scores of the meeting's pairs.
    pub score: f32,
}

/// Why an attendee does not meet anyone in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SitOut {
    /// The odd one out this round, by rotation.
    Rotation,
    /// Every remaining partner is excluded (met already, tied, introduced, blocked).
    NoPartnerLeft,
    /// Not open to introductions.
    NotOpen,
}

/// One round of a session.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRound {
    /// Round number, from 1.
    pub number: usize,
    /// The meetings, best score first.
    pub meetings: Vec<Meeting>,
    /// Attendees who meet nobody this round, and why.
    pub sitting_out: Vec<(MemberId, SitOut)>,
}

/// A networking-session schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// The rounds, in order.
    pub rounds: Vec<SessionRound>,
    /// Sum of all meetings' scores.
    pub total_score: f64,
}

/// Scores as integer weights for the matching (the blossom implementation works on integers).
fn weight(score: f32) -> i32 {
    (f64::from(score) * 1e6).round() as i32
}

/// A maximum-cardinality, then maximum-weight, matching of `n` local vertices over `edges`
/// (local i, local j, score): Edmonds' blossom algorithm (mwmatching, a port of Joris van
/// Rantwijk's reference implementation). Returns each vertex's mate.
pub(crate) fn max_weight_matching(n: usize, edges: &[(usize, usize, f32)]) -> Vec<Option<usize>> {
    let list: mwmatching::Edges = edges.iter().map(|&(i, j, s)| (i, j, weight(s))).collect();
    integer_matching(n, list, true)
}

/// The blossom matching on integer weights; `max_cardinality` first maximises the number of
/// pairs.
pub(crate) fn integer_matching(
    n: usize,
    edges: mwmatching::Edges,
    max_cardinality: bool,
) -> Vec<Option<usize>> {
    if edges.is_empty() {
        return vec![None; n];
    }
    let mut matching = mwmatching::Matching::new(edges);
    if max_cardinality {
        matching.max_cardinality();
    }
    let mate = matching.solve();
    (0..n)
        .map(|v| mate.get(v).copied().filter(|&m| m != mwmatching::SENTINEL))
        .collect()
}

impl Engine {
    /// Schedules `config.rounds` rounds of one-to-one meetings among `attendees`: no pair meets
    /// twice, no excluded pair meets (tied, already introduced, blocked), members not open to
    /// introductions sit out, and an odd count is handled by `config.odd`; every attendee who
    /// meets nobody in a round is named with the reason.
    ///
    /// Each round is a maximum-cardinality maximum-weight matching (Edmonds' blossom algorithm)
    /// of the pairs still allowed, so it is the best round given the rounds before it; the
    /// schedule as a whole is built round by round, not optimised jointly.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when an attendee is not a member of this community or is listed
    /// twice.
    ///
    /// # Panics
    ///
    /// Never: the rotating sit-out is only chosen among an odd, so non-empty, set.
    ///
    /// # Complexity
    ///
    /// O(R · a³) for R rounds of a attendees.
    pub fn schedule_session(
        &self,
        attendees: &[MemberId],
        config: &SessionConfig,
    ) -> Result<Schedule> {
        let n = self.community().len();
        let mut seen = HashSet::new();
        for a in attendees {
            if a.index() >= n || !seen.insert(*a) {
                return Err(Error::InvalidOption {
                    name: "attendees",
                    value: a.index().to_string(),
                    reason: "not a member of this community, or listed twice",
                });
            }
        }
        let open: Vec<MemberId> = attendees
            .iter()
            .copied()
            .filter(|&m| self.community()[m].open_to_intros())
            .collect();
        let closed: Vec<MemberId> = attendees
            .iter()
            .copied()
            .filter(|&m| !self.community()[m].open_to_intros())
            .collect();
        let mut met: HashSet<(MemberId, MemberId)> = HashSet::new();
        let key = |a: MemberId, b: MemberId| (a.min(b), a.max(b));
        let mut sat_out = vec![0usize; open.len()];
        let mut rounds = Vec::with_capacity(config.rounds);
        let mut total = 0.0f64;
        for r in 0..config.rounds {
            let allowed =
                |a: MemberId, b: MemberId| self.is_eligible(a, b) && !met.contains(&key(a, b));
            let mut sitting_out: Vec<(MemberId, SitOut)> =
                closed.iter().map(|&m| (m, SitOut::NotOpen)).collect();
            // Who can still meet anyone at all this round.
            let mut available: Vec<usize> = (0..open.len())
                .filter(|&i| (0..open.len()).any(|j| j != i && allowed(open[i], open[j])))
                .collect();
            for (i, &m) in open.iter().enumerate() {
                if !available.contains(&i) {
                    sitting_out.push((m, SitOut::NoPartnerLeft));
                }
            }
            if config.odd == OddPolicy::SitOut && available.len() % 2 == 1 {
                let len = open.len();
                let pick = *available
                    .iter()
                    .min_by_key(|&&i| (sat_out[i], (i + len - r % len) % len))
                    .expect("an odd count is at least one");
                available.retain(|&i| i != pick);
                sat_out[pick] += 1;
                sitting_out.push((open[pick], SitOut::Rotation));
            }
            let mut edges = Vec::new();
            for (x, &i) in available.iter().enumerate() {
                for (y, &j) in available.iter().enumerate().skip(x + 1) {
                    if allowed(open[i], open[j]) {
                        edges.push((x, y, self.score(open[i], open[j])?));
                    }
                }
            }
            let mate = max_weight_matching(available.len(), &edges);
            let mut meetings: Vec<Meeting> = Vec::new();
            let mut leftover = Vec::new();
            for (x, m) in mate.iter().enumerate() {
                match m {
                    Some(y) if x < *y => {
                        let (a, b) = (open[available[x]], open[available[*y]]);
                        meetings.push(Meeting {
                            members: vec![a, b],
                            score: self.score(a, b)?,
                        });
                    }
                    Some(_) => {}
                    None => leftover.push(open[available[x]]),
                }
            }
            for extra in leftover {
                let mut best: Option<(f32, usize)> = None;
                if config.odd == OddPolicy::Trio {
                    for (i, meeting) in meetings.iter().enumerate() {
                        if meeting.members.len() == 2
                            && meeting.members.iter().all(|&m| allowed(extra, m))
                        {
                            let gain = self.score(extra, meeting.members[0])?
                                + self.score(extra, meeting.members[1])?;
                            if best.is_none_or(|(g, _)| gain > g) {
                                best = Some((gain, i));
                            }
                        }
                    }
                }
                match best {
                    Some((gain, i)) => {
                        meetings[i].members.push(extra);
                        meetings[i].score += gain;
                    }
                    None => sitting_out.push((extra, SitOut::NoPartnerLeft)),
                }
            }
            for meeting in &meetings {
                for (x, &a) in meeting.members.iter().enumerate() {
                    for &b in &meeting.members[x + 1..] {
                        met.insert(key(a, b));
                    }
                }
                total += f64::from(meeting.score);
            }
            meetings.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| a.members.cmp(&b.members))
            });
            sitting_out.sort_by_key(|(m, _)| *m);
            rounds.push(SessionRound {
                number: r + 1,
                meetings,
                sitting_out,
            });
        }
        Ok(Schedule {
            rounds,
            total_score: total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test vectors of Joris van Rantwijk's reference implementation (`mwmatching.py`): edge
    /// lists and the mate of every vertex (-1 for none) of the maximum-weight matching.
    #[test]
    fn reference_test_vectors() {
        type Case = (&'static [(usize, usize, i32)], bool, &'static [i64]);
        let cases: &[Case] = &[
            (&[(1, 2, 10), (2, 3, 11)], false, &[-1, -1, 3, 2]),
            (
                &[(1, 2, 5), (2, 3, 11), (3, 4, 5)],
                false,
                &[-1, -1, 3, 2, -1],
            ),
            (&[(1, 2, 5), (2, 3, 11), (3, 4, 5)], true, &[-1, 2, 1, 4, 3]),
            (
                &[(1, 2, 2), (1, 3, -2), (2, 3, 1), (2, 4, -1), (3, 4, -6)],
                false,
                &[-1, 2, 1, -1, -1],
            ),
            (
                &[(1, 2, 2), (1, 3, -2), (2, 3, 1), (2, 4, -1), (3, 4, -6)],
                true,
                &[-1, 3, 4, 1, 2],
            ),
            (
                &[(1, 2, 8), (1, 3, 9), (2, 3, 10), (3, 4, 7)],
                false,
                &[-1, 2, 1, 4, 3],
            ),
            (
                &[
                    (1, 2, 8),
                    (1, 3, 9),
                    (2, 3, 10),
                    (3, 4, 7),
                    (1, 6, 5),
                    (4, 5, 6),
                ],
                false,
                &[-1, 6, 3, 2, 5, 4, 1],
            ),
            (
                &[
                    (1, 2, 9),
                    (1, 3, 8),
                    (2, 3, 10),
                    (1, 4, 5),
                    (4, 5, 4),
                    (1, 6, 3),
                ],
                false,
                &[-1, 6, 3, 2, 5, 4, 1],
            ),
            (
                &[
                    (1, 2, 9),
                    (1, 3, 8),
                    (2, 3, 10),
                    (1, 4, 5),
                    (4, 5, 3),
                    (1, 6, 4),
                ],
                false,
                &[-1, 6, 3, 2, 5, 4, 1],
            ),
            (
                &[
                    (1, 2, 9),
                    (1, 3, 8),
                    (2, 3, 10),
                    (1, 4, 5),
                    (4, 5, 3),
                    (3, 6, 4),
                ],
                false,
                &[-1, 2, 1, 6, 5, 4, 3],
            ),
            (
                &[
                    (1, 2, 9),
                    (1, 3, 9),
                    (2, 3, 10),
                    (2, 4, 8),
                    (3, 5, 8),
                    (4, 5, 10),
                    (5, 6, 6),
                ],
                false,
                &[-1, 3, 4, 1, 2, 6, 5],
            ),
            (
                &[
                    (1, 2, 10),
                    (1, 7, 10),
                    (2, 3, 12),
                    (3, 4, 20),
                    (3, 5, 20),
                    (4, 5, 25),
                    (5, 6, 10),
                    (6, 7, 10),
                    (7, 8, 8),
                ],
                false,
                &[-1, 2, 1, 4, 3, 6, 5, 8, 7],
            ),
            (
                &[
                    (1, 2, 8),
                    (1, 3, 8),
                    (2, 3, 10),
                    (2, 4, 12),
                    (3, 5, 12),
                    (4, 5, 14),
                    (4, 6, 12),
                    (5, 7, 12),
                    (6, 7, 14),
                    (7, 8, 12),
                ],
                false,
                &[-1, 2, 1, 5, 6, 3, 4, 8, 7],
            ),
            (
                &[
                    (1, 2, 23),
                    (1, 5, 22),
                    (1, 6, 15),
                    (2, 3, 25),
                    (3, 4, 22),
                    (4, 5, 25),
                    (4, 8, 14),
                    (5, 7, 13),
                ],
                false,
                &[-1, 6, 3, 2, 8, 7, 1, 5, 4],
            ),
            (
                &[
                    (1, 2, 19),
                    (1, 3, 20),
                    (1, 8, 8),
                    (2, 3, 25),
                    (2, 4, 18),
                    (3, 5, 18),
                    (4, 5, 13),
                    (4, 7, 7),
                    (5, 6, 7),
                ],
                false,
                &[-1, 8, 3, 2, 7, 6, 5, 4, 1],
            ),
            (
                &[
                    (1, 2, 45),
                    (1, 5, 45),
                    (2, 3, 50),
                    (3, 4, 45),
                    (4, 5, 50),
                    (1, 6, 30),
                    (3, 9, 35),
                    (4, 8, 35),
                    (5, 7, 26),
                    (9, 10, 5),
                ],
                false,
                &[-1, 6, 3, 2, 8, 7, 1, 5, 4, 10, 9],
            ),
        ];
        for (edges, maxcard, expected) in cases {
            let mate = integer_matching(expected.len(), edges.to_vec(), *maxcard);
            let got: Vec<i64> = mate
                .iter()
                .map(|m| m.map_or(-1, |x| i64::try_from(x).unwrap()))
                .collect();
            assert_eq!(&got, expected, "edges {edges:?}");
        }
    }
}
