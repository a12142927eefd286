//! [`Reason`]: why a pair was recommended, planned or proposed, as data that prints as a plain
//! sentence.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::model::country::{Country, Region};
use crate::model::kind::MemberKind;
use crate::model::label::possessive;
use crate::model::language::Language;
use crate::model::stage::Stage;

/// One reason behind a recommendation, an introduction round's pair or a community of practice,
/// naming the concrete members, needs, offers, verticals, stages, communities and contacts.
/// It prints (and serializes) as a plain sentence; match on it to read its parts.
///
/// # Examples
///
/// ```
/// use pollinate::{Community, Engine, MatchWeights, Query, Reason};
///
/// let engine = Engine::new(Community::load("data/small.json")?, MatchWeights::default())?;
/// let fundi = engine.community().resolve("fundi-fix")?;
/// let recs = engine.recommend(fundi, &Query::top(3))?;
/// let reasons = &recs.items[0].reasons;
/// assert!(reasons.iter().any(|r| matches!(r, Reason::Offers { .. })));
/// assert!(reasons.iter().any(|r| r.to_string().contains("offers fundraising that FundiFix needs")));
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Reason {
    /// `giver` offers `topics` that `taker` needs.
    Offers {
        /// Who offers.
        giver: Arc<str>,
        /// Who needs.
        taker: Arc<str>,
        /// The topics, alphabetical.
        topics: Vec<Arc<str>>,
    },
    /// `giver` offers something `taker` needs, `taker` having not consented to its needs being
    /// named to others.
    MeetsUndisclosedNeed {
        /// Who offers.
        giver: Arc<str>,
        /// Who needs.
        taker: Arc<str>,
    },
    /// Only one side gains on stated needs.
    OneSided {
        /// The side that gains.
        gains: Arc<str>,
    },
    /// Both work in the same vertical.
    SameVertical {
        /// The vertical's name.
        vertical: Arc<str>,
    },
    /// Different verticals of one category.
    SameCategory {
        /// The category's name.
        category: Arc<str>,
        /// The first member's vertical.
        a: Arc<str>,
        /// The second member's vertical.
        b: Arc<str>,
    },
    /// Verticals of categories with an affinity.
    RelatedCategories {
        /// The affinity of the two categories.
        affinity: f32,
        /// The first member's category and vertical.
        category_a: Arc<str>,
        /// The first member's vertical.
        vertical_a: Arc<str>,
        /// The second member's category.
        category_b: Arc<str>,
        /// The second member's vertical.
        vertical_b: Arc<str>,
    },
    /// An investor or support organisation serves stages that cover (or do not cover) a
    /// member's stage.
    Serves {
        /// Who serves the stages.
        server: Arc<str>,
        /// Its kind (an investor invests at stages, a funder funds them).
        server_kind: MemberKind,
        /// The stages served.
        stages: Vec<Stage>,
        /// The member at a stage.
        member: Arc<str>,
        /// Its stage.
        stage: Stage,
        /// Whether the stages served cover it.
        covered: bool,
    },
    /// Peers at the same stage.
    SameStage {
        /// The stage.
        stage: Stage,
    },
    /// Peers at two stages.
    Stages {
        /// The first member and its stage.
        a: Arc<str>,
        /// Its stage.
        a_stage: Stage,
        /// The second member.
        b: Arc<str>,
        /// Its stage.
        b_stage: Stage,
    },
    /// Two members serving overlapping stages.
    BothServe {
        /// The stages both serve.
        stages: Vec<Stage>,
    },
    /// Both in the same communities of practice.
    SharedCommunities {
        /// The communities, alphabetical.
        cops: Vec<Arc<str>>,
    },
    /// Both in one country.
    SameCountry {
        /// The country.
        country: Country,
    },
    /// Both in one region of Africa.
    SameRegion {
        /// The region.
        region: Region,
        /// The first member's country.
        a: Country,
        /// The second member's country.
        b: Country,
    },
    /// Both work in a language other than the community's main one.
    SharedLanguage {
        /// The language.
        language: Language,
    },
    /// They state languages but share none: never introduced, or scored with a factor.
    NoCommonLanguage {
        /// The factor their score is multiplied by; `None` when they are not introduced.
        factor: Option<f32>,
    },
    /// A mutual contact knows both, but too loosely to be asked to introduce them.
    WeakContact {
        /// The contact.
        contact: Arc<str>,
        /// Its tie to the member.
        to_member: f32,
        /// Its tie to the candidate.
        to_candidate: f32,
        /// How many mutual contacts they have.
        mutual: usize,
    },
    /// A mutual contact can introduce them.
    CanIntroduce {
        /// The introducer.
        introducer: Arc<str>,
        /// The member the recommendation is for.
        member: Arc<str>,
        /// The candidate.
        candidate: Arc<str>,
        /// The introducer's tie to the member.
        to_member: f32,
        /// The introducer's tie to the candidate.
        to_candidate: f32,
        /// How many mutual contacts they have.
        mutual: usize,
    },
    /// They have mutual contacts, none open to brokering introductions.
    NoBroker {
        /// How many mutual contacts they have.
        mutual: usize,
    },
    /// No mutual contact: the community team introduces them.
    NoMutualContact,
    /// The prior of the two members' kinds.
    KindPairing {
        /// The member's kind.
        a: MemberKind,
        /// The candidate's kind.
        b: MemberKind,
        /// The prior.
        prior: f32,
    },
    /// In a round, a weaker mutual contact introduces them because stronger ones are at
    /// capacity.
    IntroducesInstead {
        /// The introducer.
        introducer: Arc<str>,
        /// Its tie to one side.
        to_a: f32,
        /// Its tie to the other.
        to_b: f32,
    },
    /// In a round, every mutual contact is at capacity.
    IntroducersAtCapacity,
    /// In a round, the pair gives a member its first introduction.
    FairnessFloor,
    /// A community of practice has members in the member's verticals.
    CopVerticals {
        /// How many of its members.
        count: usize,
        /// How many members it has.
        members: usize,
        /// The member's verticals.
        verticals: Vec<Arc<str>>,
    },
    /// A community of practice's members offer what the member needs.
    CopOffers {
        /// The topics.
        topics: Vec<Arc<str>>,
    },
    /// A community of practice's members closest to the member, with their pair scores.
    CopClosest {
        /// Names and scores, best first.
        members: Vec<(Arc<str>, f32)>,
    },
}

/// `items` as "a", "a and b", "a, b and c".
struct Listed<'a, T>(&'a [T]);

impl<T: fmt::Display> fmt::Display for Listed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(if i + 1 == self.0.len() { " and " } else { ", " })?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

/// `items` joined by `separator`.
struct Joined<'a, T>(&'a [T], &'a str);

impl<T: fmt::Display> fmt::Display for Joined<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(self.1)?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Offers {
                giver,
                taker,
                topics,
            } => write!(f, "{giver} offers {} that {taker} needs", Listed(topics)),
            Reason::MeetsUndisclosedNeed { giver, taker } => {
                write!(f, "{giver} offers something {taker} needs")
            }
            Reason::OneSided { gains } => {
                write!(f, "one-sided match: only {gains} gains on stated needs")
            }
            Reason::SameVertical { vertical } => write!(f, "same vertical: {vertical}"),
            Reason::SameCategory { category, a, b } => {
                write!(f, "same category, {category}: {a} and {b}")
            }
            Reason::RelatedCategories {
                affinity,
                category_a,
                vertical_a,
                category_b,
                vertical_b,
            } => write!(
                f,
                "related categories (affinity {affinity:.1}): {category_a} ({vertical_a}) and {category_b} ({vertical_b})"
            ),
            Reason::Serves {
                server,
                server_kind,
                stages,
                member,
                stage,
                covered,
            } => {
                let verb = match server_kind {
                    MemberKind::Investor => "invests at",
                    MemberKind::Funder => "funds",
                    MemberKind::Eso => "supports",
                    _ => "works with",
                };
                let stages = Listed(&stages.iter().map(|s| s.label()).collect::<Vec<_>>());
                if *covered {
                    write!(
                        f,
                        "{server} {verb} {stages} stages, which covers {} {} stage",
                        possessive(member),
                        stage.label()
                    )
                } else {
                    write!(f, "{server} {verb} {stages}; {member} is at {}", stage.label())
                }
            }
            Reason::SameStage { stage } => {
                write!(f, "peers at the same stage ({})", stage.label())
            }
            Reason::Stages {
                a,
                a_stage,
                b,
                b_stage,
            } => {
                if a_stage.ordinal().abs_diff(b_stage.ordinal()) == 1 {
                    f.write_str("one stage apart: ")?;
                }
                write!(f, "{a} at {}, {b} at {}", a_stage.label(), b_stage.label())
            }
            Reason::BothServe { stages } => {
                let stages: Vec<&str> = stages.iter().map(|s| s.label()).collect();
                write!(f, "both serve {} stages", Listed(&stages))
            }
            Reason::SharedCommunities { cops } => {
                write!(f, "both in the {} community of practice", Listed(cops))
            }
            Reason::SameCountry { country } => write!(f, "both in {}", country.name()),
            Reason::SameRegion { region, a, b } => {
                write!(f, "both in {region} ({} and {})", a.name(), b.name())
            }
            Reason::CanIntroduce {
                introducer,
                member,
                candidate,
                to_member,
                to_candidate,
                mutual,
            } => write!(
                f,
                "{introducer} can introduce them: knows {member} (tie {to_member:.2}) and {candidate} (tie {to_candidate:.2}); {mutual} mutual contact{}",
                plural(*mutual)
            ),
            Reason::SharedLanguage { language } => write!(f, "both work in {}", language.name()),
            Reason::NoCommonLanguage { factor: None } => {
                f.write_str("no language in common: not introduced")
            }
            Reason::NoCommonLanguage {
                factor: Some(factor),
            } => write!(f, "no language in common: score multiplied by {factor}"),
            Reason::WeakContact {
                contact,
                to_member,
                to_candidate,
                mutual,
            } => write!(
                f,
                "{contact} knows both, but only loosely (ties {to_member:.2} and {to_candidate:.2}); {mutual} mutual contact{}",
                plural(*mutual)
            ),
            Reason::NoBroker { mutual } => write!(
                f,
                "{mutual} mutual contact{}, none open to brokering introductions",
                plural(*mutual)
            ),
            Reason::NoMutualContact => {
                f.write_str("no mutual contact: the community team would introduce them directly")
            }
            Reason::KindPairing { a, b, prior } => write!(
                f,
                "{} and {} (kind prior {prior:.2})",
                a.with_article(),
                b.with_article()
            ),
            Reason::IntroducesInstead {
                introducer,
                to_a,
                to_b,
            } => write!(
                f,
                "{introducer} introduces them (ties {to_a:.2} and {to_b:.2}); stronger contacts are at brokering capacity this round"
            ),
            Reason::IntroducersAtCapacity => f.write_str(
                "every mutual contact is at brokering capacity this round: the community team introduces them",
            ),
            Reason::FairnessFloor => {
                f.write_str("fairness floor: gives a member their first introduction of the round")
            }
            Reason::CopVerticals {
                count,
                members,
                verticals,
            } => write!(
                f,
                "{count} of its {members} members work in your verticals ({})",
                Joined(verticals, "; ")
            ),
            Reason::CopOffers { topics } => {
                write!(f, "its members offer {} that you need", Joined(topics, ", "))
            }
            Reason::CopClosest { members } => {
                f.write_str("closest members: ")?;
                for (i, (name, score)) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{name} ({score:.2})")?;
                }
                Ok(())
            }
        }
    }
}

impl Serialize for Reason {
    /// A reason serializes as the sentence it prints. The sentence is written whole into a
    /// buffer of the thread's first, then serialized as one string: escaping one string is much
    /// cheaper than escaping each of its pieces.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use std::fmt::Write as _;
        thread_local! {
            static SENTENCE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        SENTENCE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut sentence) => {
                sentence.clear();
                let _ = write!(sentence, "{self}");
                serializer.serialize_str(&sentence)
            }
            // A reason serialized while another is (a serializer calling back): no buffer.
            Err(_) => serializer.collect_str(self),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_sentences() {
        let names: Vec<Arc<str>> = vec!["a".into(), "b".into(), "c".into()];
        assert_eq!(Listed(&names[..1]).to_string(), "a");
        assert_eq!(Listed(&names[..2]).to_string(), "a and b");
        assert_eq!(Listed(&names).to_string(), "a, b and c");
        let r = Reason::NoBroker { mutual: 1 };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            "\"1 mutual contact, none open to brokering introductions\""
        );
    }
}
