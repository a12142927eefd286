//! Explanations: the introducer of a pair and the reasons behind its score, in plain words.

use crate::community::Community;
use crate::graph::{CommunityGraph, MutualContact};
use crate::member::{MemberId, TopicId};
use crate::score::Tables;
use crate::stage::Stage;

/// The mutual contact best placed to make a warm introduction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Introducer {
    /// The introducer.
    pub member: MemberId,
    /// Strength of the introducer's tie to the member the recommendation is for.
    pub strength_to_member: f32,
    /// Strength of the introducer's tie to the candidate.
    pub strength_to_candidate: f32,
}

pub(crate) struct Explainer<'a> {
    pub(crate) community: &'a Community,
    pub(crate) graph: &'a CommunityGraph,
    pub(crate) tables: &'a Tables,
}

fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn stages(s: &[Stage]) -> String {
    list(&s.iter().map(|s| s.slug()).collect::<Vec<_>>())
}

fn common(a: &[TopicId], b: &[TopicId]) -> Vec<TopicId> {
    a.iter()
        .filter(|x| b.binary_search(x).is_ok())
        .copied()
        .collect()
}

impl Explainer<'_> {
    /// Every possible introducer, best first: mutual contacts open to introductions, by the
    /// product of tie strengths descending, then id.
    pub(crate) fn introducers(&self, s: MemberId, t: MemberId) -> Vec<Introducer> {
        self.introducers_among(&self.graph.mutual_contacts(s, t))
    }

    /// [`Explainer::introducers`] of a pair whose mutual contacts are `mutual`.
    fn introducers_among(&self, mutual: &[MutualContact]) -> Vec<Introducer> {
        let mut options: Vec<Introducer> = mutual
            .iter()
            .filter(|m| self.community[m.member].open_to_intros())
            .map(|m| Introducer {
                member: m.member,
                strength_to_member: m.strength_a,
                strength_to_candidate: m.strength_b,
            })
            .collect();
        options.sort_by(|x, y| {
            (y.strength_to_member * y.strength_to_candidate)
                .total_cmp(&(x.strength_to_member * x.strength_to_candidate))
                .then_with(|| {
                    self.community[x.member]
                        .id()
                        .cmp(self.community[y.member].id())
                })
        });
        options
    }

    pub(crate) fn explain(
        &self,
        s: MemberId,
        t: MemberId,
        signals: &[f32; 7],
        contributions: &[f32; 7],
    ) -> (Option<Introducer>, Vec<String>) {
        let c = self.community;
        let (ms, mt) = (&c[s], &c[t]);
        let (ns, nt) = (ms.name(), mt.name());
        let mut reasons = Vec::new();
        let topics = |ids: &[TopicId]| list(&ids.iter().map(|&i| c.topic(i)).collect::<Vec<_>>());

        // Needs met, each direction.
        let forward = common(ms.needs(), mt.offers());
        let backward = common(mt.needs(), ms.offers());
        if !forward.is_empty() {
            reasons.push(format!("{nt} offers {} that {ns} needs", topics(&forward)));
        }
        if !backward.is_empty() {
            reasons.push(format!("{ns} offers {} that {nt} needs", topics(&backward)));
        }
        if forward.is_empty() != backward.is_empty() && contributions[0] > 0.0 {
            let gains = if forward.is_empty() { nt } else { ns };
            reasons.push(format!(
                "one-sided match: only {gains} gains on stated needs"
            ));
        }

        // Taxonomy affinity: name the best pair of verticals.
        if contributions[1] > 0.0 {
            let tax = c.taxonomy();
            let mut best: Option<(f32, _, _)> = None;
            for &a in ms.verticals() {
                for &b in mt.verticals() {
                    let v = self.tables.vertical_affinity[a.index() * self.tables.nv + b.index()];
                    if best.is_none_or(|(x, _, _)| v > x) {
                        best = Some((v, a, b));
                    }
                }
            }
            if let Some((v, a, b)) = best {
                let (ca, cb) = (tax[a].category(), tax[b].category());
                reasons.push(if a == b {
                    format!("same vertical: {}", tax[a].name())
                } else if ca == cb {
                    format!(
                        "same category, {}: {} and {}",
                        tax[ca].name(),
                        tax[a].name(),
                        tax[b].name()
                    )
                } else {
                    format!(
                        "related categories (affinity {v:.1}): {} ({}) and {} ({})",
                        tax[ca].name(),
                        tax[a].name(),
                        tax[cb].name(),
                        tax[b].name()
                    )
                });
            }
        }

        // Growth stage.
        if contributions[2] > 0.0 {
            if let Some(r) = self.stage_reason(s, t) {
                reasons.push(r);
            }
        }

        // Communities of practice.
        let shared: Vec<&str> = ms
            .communities()
            .iter()
            .filter(|x| mt.communities().binary_search(x).is_ok())
            .map(|&x| c.cop(x))
            .collect();
        if !shared.is_empty() && contributions[3] > 0.0 {
            reasons.push(format!(
                "both in the {} community of practice",
                list(&shared)
            ));
        }

        // Geography.
        if contributions[4] > 0.0 {
            if ms.country() == mt.country() {
                reasons.push(format!("both in {}", ms.country().name()));
            } else if let Some(r) = ms.country().region() {
                reasons.push(format!(
                    "both in {r} ({} and {})",
                    ms.country().name(),
                    mt.country().name()
                ));
            }
        }

        // Warmth and introducer.
        // The mutual contacts are found once: the best introducer is the first of them.
        let mutual = self.graph.mutual_contacts(s, t);
        let introducer = self.introducers_among(&mutual).into_iter().next();
        let mutual = mutual.len();
        if let Some(i) = &introducer {
            reasons.push(format!(
                "{} can introduce them: knows {ns} (tie {:.2}) and {nt} (tie {:.2}); {mutual} mutual contact{}",
                c[i.member].name(),
                i.strength_to_member,
                i.strength_to_candidate,
                if mutual == 1 { "" } else { "s" }
            ));
        } else if mutual > 0 {
            reasons.push(format!(
                "{mutual} mutual contact{}, none open to brokering introductions",
                if mutual == 1 { "" } else { "s" }
            ));
        } else {
            reasons.push(
                "no mutual contact: the community team would introduce them directly".to_owned(),
            );
        }

        // Kind pairing.
        if contributions[6] > 0.0 {
            reasons.push(format!(
                "{}-{} pairing (prior {:.2})",
                ms.kind(),
                mt.kind(),
                signals[6]
            ));
        }
        (introducer, reasons)
    }

    fn stage_reason(&self, s: MemberId, t: MemberId) -> Option<String> {
        let c = self.community;
        let (ms, mt) = (&c[s], &c[t]);
        let serves = |inv: &crate::member::Member, p: &crate::member::Member| -> Option<String> {
            let stage = p.stage()?;
            if inv.stage_focus().is_empty() {
                return None;
            }
            Some(if inv.stage_focus().contains(&stage) {
                format!(
                    "{} serves {} stages, which covers {}'s {stage} stage",
                    inv.name(),
                    stages(inv.stage_focus()),
                    p.name()
                )
            } else {
                format!(
                    "{} serves {} stages; {} is at {stage}",
                    inv.name(),
                    stages(inv.stage_focus()),
                    p.name()
                )
            })
        };
        if let Some(r) = serves(ms, mt).or_else(|| serves(mt, ms)) {
            return Some(r);
        }
        match (ms.stage(), mt.stage()) {
            (Some(a), Some(b)) if a == b => Some(format!("peers at the same stage ({a})")),
            (Some(a), Some(b)) if a.ordinal().abs_diff(b.ordinal()) == 1 => Some(format!(
                "one stage apart: {} at {a}, {} at {b}",
                ms.name(),
                mt.name()
            )),
            (Some(a), Some(b)) => Some(format!("{} at {a}, {} at {b}", ms.name(), mt.name())),
            _ => {
                let overlap: Vec<Stage> = ms
                    .stage_focus()
                    .iter()
                    .filter(|x| mt.stage_focus().contains(x))
                    .copied()
                    .collect();
                (!overlap.is_empty()).then(|| format!("both serve {} stages", stages(&overlap)))
            }
        }
    }
}
