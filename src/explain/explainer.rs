//! Explaining a scored pair: its components, its introducer and its reasons.

use std::sync::Arc;

use crate::explain::reason::Reason;
use crate::explain::result::{Component, Introducer, Recommendation};
use crate::model::community::Community;
use crate::model::ids::{MemberId, TopicId};
use crate::model::member::Member;
use crate::model::stage::Stage;
use crate::rank::ranker::Ranker;
use crate::score::signal::{BySignal, Signal};
use crate::score::signals::{contributions, signals};
use crate::ties::MutualContact;

/// Explains pairs of one community ranked by one ranker.
pub(crate) struct Explainer<'a> {
    pub(crate) community: &'a Community,
    pub(crate) ranker: &'a Ranker,
}

/// The topics of `a` that are also in `b` (both sorted).
fn common(a: &[TopicId], b: &[TopicId]) -> Vec<TopicId> {
    a.iter()
        .filter(|x| b.binary_search(x).is_ok())
        .copied()
        .collect()
}

impl Explainer<'_> {
    /// The pair `(s, t)` scoring `score`, explained: its components, best introducer and
    /// reasons.
    pub(crate) fn recommendation(&self, s: usize, t: usize, score: f32) -> Recommendation {
        let r = self.ranker;
        let aa = r.ties.adamic_adar(s, t);
        let signals = signals(&r.tables, &r.profiles[s], &r.profiles[t], aa);
        let contributions = contributions(&r.tables, &signals);
        let components = signals.map(|signal, &value| Component {
            signal,
            value,
            weight: r.tables.weight(signal),
            contribution: contributions[signal],
        });
        let (a, b) = (MemberId(s as u32), MemberId(t as u32));
        let (introducer, reasons) = self.reasons(a, b, &signals, &contributions);
        Recommendation {
            candidate: self.community.member_ref(b),
            score,
            components,
            introducer,
            reasons,
        }
    }

    /// Every possible introducer of `(s, t)`, best first: mutual contacts open to
    /// introductions, by the product of tie strengths descending, then string id.
    pub(crate) fn introducers(&self, s: MemberId, t: MemberId) -> Vec<Introducer> {
        self.introducers_among(&self.ranker.ties.mutual_contacts(s, t))
    }

    /// [`Explainer::introducers`] of a pair whose mutual contacts are `mutual`.
    fn introducers_among(&self, mutual: &[MutualContact]) -> Vec<Introducer> {
        let c = self.community;
        let mut options: Vec<&MutualContact> = mutual
            .iter()
            .filter(|m| c[m.member].open_to_intros())
            .collect();
        options.sort_by(|x, y| {
            (y.strength_a * y.strength_b)
                .total_cmp(&(x.strength_a * x.strength_b))
                .then_with(|| c[x.member].id().cmp(c[y.member].id()))
        });
        options
            .into_iter()
            .map(|m| Introducer {
                member: c.member_ref(m.member),
                strength_to_member: m.strength_a,
                strength_to_candidate: m.strength_b,
            })
            .collect()
    }

    /// The best introducer of `(s, t)` and the reasons behind its signals.
    fn reasons(
        &self,
        s: MemberId,
        t: MemberId,
        signals: &BySignal<f32>,
        contributions: &BySignal<f32>,
    ) -> (Option<Introducer>, Vec<Reason>) {
        let c = self.community;
        let (ms, mt) = (&c[s], &c[t]);
        let mut reasons = Vec::new();
        let topics = |ids: &[TopicId]| ids.iter().map(|&i| c.topic_label(i)).collect();

        // Needs met, each direction.
        let forward = common(ms.needs(), mt.offers());
        let backward = common(mt.needs(), ms.offers());
        if !forward.is_empty() {
            reasons.push(Reason::Offers {
                giver: mt.name_arc(),
                taker: ms.name_arc(),
                topics: topics(&forward),
            });
        }
        if !backward.is_empty() {
            reasons.push(Reason::Offers {
                giver: ms.name_arc(),
                taker: mt.name_arc(),
                topics: topics(&backward),
            });
        }
        if forward.is_empty() != backward.is_empty() && contributions[Signal::Needs] > 0.0 {
            let gains = if forward.is_empty() { mt } else { ms };
            reasons.push(Reason::OneSided {
                gains: gains.name_arc(),
            });
        }

        // Taxonomy affinity: name the best pair of verticals.
        if contributions[Signal::Taxonomy] > 0.0 {
            if let Some(r) = self.taxonomy_reason(ms, mt) {
                reasons.push(r);
            }
        }

        // Growth stage.
        if contributions[Signal::Stage] > 0.0 {
            if let Some(r) = stage_reason(ms, mt) {
                reasons.push(r);
            }
        }

        // Communities of practice.
        let shared: Vec<Arc<str>> = ms
            .communities()
            .iter()
            .filter(|x| mt.communities().binary_search(x).is_ok())
            .map(|&x| c.cop_label(x))
            .collect();
        if !shared.is_empty() && contributions[Signal::Communities] > 0.0 {
            reasons.push(Reason::SharedCommunities { cops: shared });
        }

        // Geography.
        if contributions[Signal::Geography] > 0.0 {
            if ms.country() == mt.country() {
                reasons.push(Reason::SameCountry {
                    country: ms.country(),
                });
            } else if let Some(region) = ms.country().region() {
                reasons.push(Reason::SameRegion {
                    region,
                    a: ms.country(),
                    b: mt.country(),
                });
            }
        }

        // Warmth and introducer. The mutual contacts are found once: the best introducer is
        // the first of them.
        let mutual = self.ranker.ties.mutual_contacts(s, t);
        let introducer = self.introducers_among(&mutual).into_iter().next();
        let mutual = mutual.len();
        if let Some(i) = &introducer {
            reasons.push(Reason::CanIntroduce {
                introducer: c[i.member.member()].name_arc(),
                member: ms.name_arc(),
                candidate: mt.name_arc(),
                to_member: i.strength_to_member,
                to_candidate: i.strength_to_candidate,
                mutual,
            });
        } else if mutual > 0 {
            reasons.push(Reason::NoBroker { mutual });
        } else {
            reasons.push(Reason::NoMutualContact);
        }

        // Kind pairing.
        if contributions[Signal::Kind] > 0.0 {
            reasons.push(Reason::KindPairing {
                a: ms.kind(),
                b: mt.kind(),
                prior: signals[Signal::Kind],
            });
        }
        (introducer, reasons)
    }

    /// The best pair of verticals of `ms` and `mt` (the first of equals), as a reason.
    fn taxonomy_reason(&self, ms: &Member, mt: &Member) -> Option<Reason> {
        let tax = self.community.taxonomy();
        let affinity = &self.ranker.tables.vertical_affinity;
        let mut best: Option<(f32, _, _)> = None;
        for &a in ms.verticals() {
            for &b in mt.verticals() {
                let v = affinity[[a.index(), b.index()]];
                if best.is_none_or(|(x, _, _)| v > x) {
                    best = Some((v, a, b));
                }
            }
        }
        let (v, a, b) = best?;
        let (ca, cb) = (tax[a].category(), tax[b].category());
        Some(if a == b {
            Reason::SameVertical {
                vertical: tax[a].name_arc(),
            }
        } else if ca == cb {
            Reason::SameCategory {
                category: tax[ca].name_arc(),
                a: tax[a].name_arc(),
                b: tax[b].name_arc(),
            }
        } else {
            Reason::RelatedCategories {
                affinity: v,
                category_a: tax[ca].name_arc(),
                vertical_a: tax[a].name_arc(),
                category_b: tax[cb].name_arc(),
                vertical_b: tax[b].name_arc(),
            }
        })
    }
}

/// The stages behind the stage signal of `ms` and `mt`, as a reason.
fn stage_reason(ms: &Member, mt: &Member) -> Option<Reason> {
    let serves = |server: &Member, member: &Member| -> Option<Reason> {
        let stage = member.stage()?;
        if server.stage_focus().is_empty() {
            return None;
        }
        Some(Reason::Serves {
            server: server.name_arc(),
            stages: server.stage_focus().to_vec(),
            member: member.name_arc(),
            stage,
            covered: server.stage_focus().contains(&stage),
        })
    };
    if let Some(r) = serves(ms, mt).or_else(|| serves(mt, ms)) {
        return Some(r);
    }
    match (ms.stage(), mt.stage()) {
        (Some(a), Some(b)) if a == b => Some(Reason::SameStage { stage: a }),
        (Some(a_stage), Some(b_stage)) => Some(Reason::Stages {
            a: ms.name_arc(),
            a_stage,
            b: mt.name_arc(),
            b_stage,
        }),
        _ => {
            let overlap: Vec<Stage> = ms
                .stage_focus()
                .iter()
                .filter(|x| mt.stage_focus().contains(x))
                .copied()
                .collect();
            (!overlap.is_empty()).then_some(Reason::BothServe { stages: overlap })
        }
    }
}
