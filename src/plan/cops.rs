//! Communities of practice to join: those whose members are like the member and offer what it
//! needs.

use serde::Serialize;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::explain::reason::Reason;
use crate::model::ids::{CopId, Labeled, MemberId, TopicId};

/// A community of practice recommended to a member.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CopRecommendation {
    /// The community of practice.
    pub cop: Labeled<CopId>,
    /// `0.5 * like + 0.5 * needs_met`, in [0, 1].
    pub score: f32,
    /// Mean pair score of the member with the (up to) five most similar members of the `CoP`.
    pub like: f32,
    /// Share of the member's needs that some member of the `CoP` offers.
    pub needs_met: f32,
    /// Plain-language reasons.
    pub reasons: Vec<Reason>,
}

impl Engine {
    /// Communities of practice `member` is not in, best first (score, then slug): members like
    /// them are in it (`like`: the mean score of its five best members `member` could be
    /// introduced to), and its members offer what they need (`needs_met`). The closest members
    /// named in the reasons obey the same rule as introductions: open to them, not tied,
    /// introduced or blocked, sharing a language.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when `member` is not a
    /// member of this community.
    pub fn recommend_cops(&self, member: MemberId, k: usize) -> Result<Vec<CopRecommendation>> {
        let c = self.community();
        let m = c.get(member).ok_or_else(|| {
            Error::option(
                "member",
                &member.index(),
                "not a member id of this engine's community",
            )
        })?;
        let mut out = Vec::new();
        for i in 0..c.cops().len() {
            let cop = CopId(i as u32);
            if m.communities().contains(&cop) {
                continue;
            }
            let members: Vec<MemberId> = c
                .member_ids()
                .filter(|&x| x != member && c[x].communities().contains(&cop))
                .collect();
            if members.is_empty() {
                continue;
            }
            // Likeness and the closest members named count only members `member` could be
            // introduced to: open to introductions, not tied, introduced or blocked, sharing a
            // language (whether `member` itself is open does not matter: it asked).
            let mut scored: Vec<(f32, MemberId)> = members
                .iter()
                .filter(|&&x| c[x].open_to_intros() && self.may_meet(member, x))
                .map(|&x| (self.pair_score(member.index(), x.index()), x))
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let best = &scored[..scored.len().min(5)];
            let like = if best.is_empty() {
                0.0
            } else {
                best.iter().map(|x| x.0).sum::<f32>() / best.len() as f32
            };
            let met: Vec<TopicId> = m
                .needs()
                .iter()
                .copied()
                .filter(|t| {
                    members
                        .iter()
                        .any(|&x| c[x].offers().binary_search(t).is_ok())
                })
                .collect();
            let needs_met = if m.needs().is_empty() {
                0.0
            } else {
                met.len() as f32 / m.needs().len() as f32
            };
            let mut reasons = Vec::new();
            let same_vertical = members
                .iter()
                .filter(|&&x| c[x].verticals().iter().any(|v| m.verticals().contains(v)))
                .count();
            if same_vertical > 0 {
                reasons.push(Reason::CopVerticals {
                    count: same_vertical,
                    members: members.len(),
                    verticals: m
                        .verticals()
                        .iter()
                        .map(|&v| c.taxonomy()[v].name_arc())
                        .collect(),
                });
            }
            if !met.is_empty() {
                reasons.push(Reason::CopOffers {
                    topics: met.iter().map(|&t| c.topic_name_arc(t)).collect(),
                });
            }
            if !best.is_empty() {
                reasons.push(Reason::CopClosest {
                    members: best
                        .iter()
                        .take(3)
                        .map(|&(s, x)| (c[x].name_arc(), s))
                        .collect(),
                });
            }
            out.push(CopRecommendation {
                cop: Labeled::new(cop, c.cop_slug(cop)),
                score: 0.5 * like + 0.5 * needs_met,
                like,
                needs_met,
                reasons,
            });
        }
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.cop.label().cmp(b.cop.label()))
        });
        out.truncate(k);
        Ok(out)
    }
}
