//! Networking-session schedules: rounds of one-to-one meetings among an event's attendees.

use std::collections::HashSet;

use serde::Serialize;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::model::ids::{MemberId, MemberRef};
use crate::plan::matching::max_weight_matching;

/// What to do when an odd number of attendees is available in a round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Meeting {
    /// The members meeting (2, or 3 for a trio).
    pub members: Vec<MemberRef>,
    /// Sum of the scores of the meeting's pairs.
    #[serde(serialize_with = "crate::explain::result::wide")]
    pub score: f32,
}

/// Why an attendee does not meet anyone in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SitOut {
    /// The odd one out this round, by rotation.
    Rotation,
    /// Every remaining partner is excluded (met already, tied, introduced, blocked).
    NoPartnerLeft,
    /// Not open to introductions.
    NotOpen,
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
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when an attendee is not a member of this community or is listed
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
                return Err(Error::option(
                    "attendees",
                    &a.index(),
                    "not a member of this community, or listed twice",
                ));
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
            // (members, score) of each meeting, turned into `Meeting`s once sorted.
            let mut meetings: Vec<(Vec<MemberId>, f32)> = Vec::new();
            let mut leftover = Vec::new();
            for (x, m) in mate.iter().enumerate() {
                match m {
                    Some(y) if x < *y => {
                        let (a, b) = (open[available[x]], open[available[*y]]);
                        meetings.push((vec![a, b], self.score(a, b)?));
                    }
                    Some(_) => {}
                    None => leftover.push(open[available[x]]),
                }
            }
            for extra in leftover {
                let mut best: Option<(f32, usize)> = None;
                if config.odd == OddPolicy::Trio {
                    for (i, (members, _)) in meetings.iter().enumerate() {
                        if members.len() == 2 && members.iter().all(|&m| allowed(extra, m)) {
                            let gain =
                                self.score(extra, members[0])? + self.score(extra, members[1])?;
                            if best.is_none_or(|(g, _)| gain > g) {
                                best = Some((gain, i));
                            }
                        }
                    }
                }
                match best {
                    Some((gain, i)) => {
                        meetings[i].0.push(extra);
                        meetings[i].1 += gain;
                    }
                    None => sitting_out.push((extra, SitOut::NoPartnerLeft)),
                }
            }
            for (members, score) in &meetings {
                for (x, &a) in members.iter().enumerate() {
                    for &b in &members[x + 1..] {
                        met.insert(key(a, b));
                    }
                }
                total += f64::from(*score);
            }
            meetings.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            sitting_out.sort_by_key(|(m, _)| *m);
            let c = self.community();
            rounds.push(SessionRound {
                number: r + 1,
                meetings: meetings
                    .into_iter()
                    .map(|(members, score)| Meeting {
                        members: members.into_iter().map(|m| c.member_ref(m)).collect(),
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
            });
        }
        Ok(Schedule {
            rounds,
            total_score: total,
        })
    }
}
