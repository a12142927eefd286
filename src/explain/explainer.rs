//! Explaining a scored pair: its components, its introducer and its reasons.

use std::sync::Arc;

use crate::explain::reason::Reason;
use crate::explain::result::{Component, Introducer, Recommendation};
use crate::model::community::Community;
use crate::model::ids::{MemberId, TopicId};
use crate::model::language::Language;
use crate::model::member::Member;
use crate::model::stage::Stage;
use crate::rank::ranker::Ranker;
use crate::score::signal::{BySignal, Signal};
use crate::score::signals::{common_needs, contributions, language_factor, money_fit, signals};
use crate::ties::MutualContact;

/// Explains pairs of one community ranked by one ranker.
pub(crate) struct Explainer<'a> {
    pub(crate) community: &'a Community,
    pub(crate) ranker: &'a Ranker,
    /// The least tie strength, on both sides, of a mutual contact named as introducer.
    pub(crate) min_tie: f32,
    /// Whether the reasons are shown to both members of the pair (an introduction), not only to
    /// the first (a member's own list): then neither member's needs are named without its
    /// consent.
    pub(crate) for_both: bool,
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
    /// reasons. Under the language rule's factor the components are scaled with the score, so
    /// they still add up to it.
    pub(crate) fn recommendation(&self, s: usize, t: usize, score: f32) -> Recommendation {
        let r = self.ranker;
        let (ps, pt) = (&r.profiles[s], &r.profiles[t]);
        let (a, b) = (MemberId(s as u32), MemberId(t as u32));
        // The mutual contacts, found once: the warmth sums them in the order the rankings do
        // (so to the same bits), and the introducer is the best of them.
        let mutual = r.ties.mutual_contacts(a, b);
        let aa = mutual.iter().fold(0.0f32, |acc, m| {
            acc + m.strength_a * m.strength_b * r.ties.inv_log_degree(m.member.index())
        });
        let signals = signals(&r.tables, ps, pt, aa);
        let contributions = contributions(&r.tables, &signals);
        let factor = language_factor(&r.tables, ps, pt);
        let scale = factor.unwrap_or(1.0);
        let components = signals.map(|signal, &value| Component {
            signal,
            value,
            weight: r.tables.weight(signal),
            contribution: if scale == 1.0 {
                contributions[signal]
            } else {
                contributions[signal] * scale
            },
        });
        let (introducer, mut reasons) = self.reasons(a, b, &mutual, &signals, &contributions);
        match factor {
            None => reasons.push(Reason::NoCommonLanguage { factor: None }),
            Some(f) if f < 1.0 => reasons.push(Reason::NoCommonLanguage { factor: Some(f) }),
            Some(_) => {}
        }
        Recommendation {
            candidate: self.community.member_ref(b),
            score,
            components,
            introducer,
            reasons,
        }
    }

    /// Every possible introducer of `(s, t)`, best first: mutual contacts open to
    /// introductions with both ties at least `min_tie`, by the product of tie strengths
    /// descending, then string id.
    pub(crate) fn introducers(&self, s: MemberId, t: MemberId) -> Vec<Introducer> {
        self.introducers_among(s, t, &self.ranker.ties.mutual_contacts(s, t))
    }

    /// Whether `m` may broker between `s` and `t`: open to introductions, consenting to
    /// introduce, and blocked with neither.
    fn may_broker(&self, m: MemberId, s: MemberId, t: MemberId) -> bool {
        let x = &self.ranker.exclusions;
        let member = &self.community[m];
        member.open_to_intros()
            && member.consent().introduce
            && !x.is_blocked(m, s)
            && !x.is_blocked(m, t)
    }

    /// [`Explainer::introducers`] of a pair whose mutual contacts are `mutual`.
    fn introducers_among(
        &self,
        s: MemberId,
        t: MemberId,
        mutual: &[MutualContact],
    ) -> Vec<Introducer> {
        let c = self.community;
        let mut options: Vec<&MutualContact> = mutual
            .iter()
            .filter(|m| {
                self.may_broker(m.member, s, t)
                    && m.strength_a >= self.min_tie
                    && m.strength_b >= self.min_tie
            })
            .collect();
        sort_strongest_first(c, &mut options);
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
        mutual: &[MutualContact],
        signals: &BySignal<f32>,
        contributions: &BySignal<f32>,
    ) -> (Option<Introducer>, Vec<Reason>) {
        let c = self.community;
        let (ms, mt) = (&c[s], &c[t]);
        let mut reasons = Vec::new();
        // Topic names in alphabetical order of their slugs, whatever their ids.
        let topics = |ids: &[TopicId]| {
            let mut ids = ids.to_vec();
            ids.sort_by(|&x, &y| c.topic(x).cmp(c.topic(y)));
            ids.iter().map(|&i| c.topic_name_arc(i)).collect()
        };

        // Needs met, each direction. A member's needs are named only to itself, or with its
        // consent (`needs_in_reasons`).
        let forward = common(ms.needs(), mt.offers());
        let backward = common(mt.needs(), ms.offers());
        let named = |m: &Member, viewer: bool| m.consent().needs_in_reasons || viewer;
        for (list, giver, taker, viewer) in [
            (&forward, mt, ms, !self.for_both),
            (&backward, ms, mt, false),
        ] {
            if list.is_empty() {
                continue;
            }
            reasons.push(if named(taker, viewer) {
                Reason::Offers {
                    giver: giver.name_arc(),
                    taker: taker.name_arc(),
                    topics: topics(list),
                }
            } else {
                Reason::MeetsUndisclosedNeed {
                    giver: giver.name_arc(),
                    taker: taker.name_arc(),
                }
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

        // Growth stage: said whenever it discounts a money need, else when it counts.
        if let Some(r) = self.money_stage_reason(s, t, ms, mt) {
            reasons.push(r);
        } else if contributions[Signal::Stage] > 0.0 {
            if let Some(r) = stage_reason(ms, mt) {
                reasons.push(r);
            }
        }

        // Communities of practice.
        let shared: Vec<Arc<str>> = ms
            .communities()
            .iter()
            .filter(|x| mt.communities().binary_search(x).is_ok())
            .map(|&x| c.cop_name_arc(x))
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

        // A working language other than the community's.
        if let Some(language) = self.shared_language(ms, mt) {
            reasons.push(Reason::SharedLanguage { language });
        }

        // Warmth and introducer: the best introducer is the first of the mutual contacts.
        let introducer = self.introducers_among(s, t, mutual).into_iter().next();
        let count = mutual.len();
        if let Some(i) = &introducer {
            reasons.push(Reason::CanIntroduce {
                introducer: c[i.member.member()].name_arc(),
                member: ms.name_arc(),
                candidate: mt.name_arc(),
                to_member: i.strength_to_member,
                to_candidate: i.strength_to_candidate,
                mutual: count,
            });
        } else if let Some(weak) = self.weak_contact(s, t, mutual) {
            reasons.push(Reason::WeakContact {
                contact: c[weak.member].name_arc(),
                to_member: weak.strength_a,
                to_candidate: weak.strength_b,
                mutual: count,
            });
        } else if count > 0 {
            reasons.push(Reason::NoBroker { mutual: count });
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

    /// The strongest mutual contact open to introductions whose ties are too weak to make it
    /// an introducer, if any.
    fn weak_contact<'m>(
        &self,
        s: MemberId,
        t: MemberId,
        mutual: &'m [MutualContact],
    ) -> Option<&'m MutualContact> {
        let c = self.community;
        let mut weak: Vec<&MutualContact> = mutual
            .iter()
            .filter(|m| self.may_broker(m.member, s, t))
            .collect();
        sort_strongest_first(c, &mut weak);
        weak.into_iter().next()
    }

    /// The language both work in, when they share languages but not the community's main
    /// one (the first such, by code).
    fn shared_language(&self, ms: &Member, mt: &Member) -> Option<Language> {
        let main = self.community.main_language();
        let shared: Vec<Language> = ms
            .languages()
            .iter()
            .filter(|l| mt.languages().contains(l))
            .copied()
            .collect();
        if shared.is_empty() || main.is_some_and(|m| shared.contains(&m)) {
            return None;
        }
        shared.first().copied()
    }

    /// When a need about money is met at a stage that fits the needing member's only in part,
    /// the stages that say so.
    fn money_stage_reason(
        &self,
        s: MemberId,
        t: MemberId,
        ms: &Member,
        mt: &Member,
    ) -> Option<Reason> {
        let r = self.ranker;
        let (ps, pt) = (&r.profiles[s.index()], &r.profiles[t.index()]);
        let matches = common_needs(&r.tables, ps, pt);
        let discounted = |money: usize, needing, offering| {
            money > 0 && money_fit(&r.tables, needing, offering) < 1.0
        };
        let (server, member) = if discounted(matches.forward_money, ps, pt) {
            (mt, ms)
        } else if discounted(matches.backward_money, pt, ps) {
            (ms, mt)
        } else {
            return None;
        };
        Some(Reason::Serves {
            server: server.name_arc(),
            server_kind: server.kind(),
            stages: server.stage_focus().to_vec(),
            member: member.name_arc(),
            stage: member.stage()?,
            covered: false,
        })
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

/// Mutual contacts by the product of their two ties, strongest first, then by string id.
fn sort_strongest_first(c: &Community, contacts: &mut [&MutualContact]) {
    contacts.sort_by(|x, y| {
        (y.strength_a * y.strength_b)
            .total_cmp(&(x.strength_a * x.strength_b))
            .then_with(|| c[x.member].id().cmp(c[y.member].id()))
    });
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
            server_kind: server.kind(),
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
