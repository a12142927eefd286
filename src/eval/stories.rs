//! Stories: what a community lead expects of particular members' lists, checked against any
//! weights. The seed stories are the acceptance tests of taste; the tuner reports which ones a
//! candidate breaks.

use serde::{Deserialize, Serialize};

use crate::engine::Engine;
use crate::error::Result;
use crate::model::community::Community;
use crate::model::ids::MemberId;
use crate::model::taxonomy::Taxonomy;
use crate::rank::query::Query;
use crate::score::weights::MatchWeights;

/// What a story expects of its member's ranked list (positions from 1; a candidate missing
/// from the list counts as below everyone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "expect", rename_all = "kebab-case")]
pub enum Expectation {
    /// `candidate` is among the member's first `within`.
    InTop {
        /// Member id of the candidate.
        candidate: String,
        /// The list length it must be within (at least 1).
        within: usize,
    },
    /// `candidate` ranks above `other`.
    Above {
        /// Member id of the candidate expected higher.
        candidate: String,
        /// Member id of the candidate expected lower.
        other: String,
    },
    /// `candidate` is not among the member's first `within`.
    NotInTop {
        /// Member id of the candidate.
        candidate: String,
        /// The list length it must stay out of.
        within: usize,
    },
}

/// One story: a name a lead recognises, the member whose list it is about, what it expects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    /// What the story says, in plain words.
    pub name: String,
    /// Member id of the member whose recommendations it is about.
    pub member: String,
    /// What it expects of them.
    #[serde(flatten)]
    pub expect: Expectation,
}

/// Whether a story held under some weights, and the positions that decided it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoryCheck {
    /// The story's name.
    pub story: String,
    /// Whether the expectation held.
    pub holds: bool,
    /// The candidates' positions, such as `safari-riders #2, chain-gig #3` (`-` when absent).
    pub found: String,
}

/// A story's member ids resolved: member, then the candidates it names.
#[derive(Clone, Debug)]
struct Resolved {
    member: MemberId,
    candidates: Vec<MemberId>,
}

/// Stories over one community, resolved once and checked against any weights.
///
/// # Examples
///
/// ```
/// use pollinate::{MatchWeights, Stories};
///
/// let stories = Stories::seed();
/// let checks = stories.check(&MatchWeights::default())?;
/// assert!(checks.iter().all(|c| c.holds), "{checks:?}");
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Stories {
    community: Community,
    told: Vec<Story>,
    resolved: Vec<Resolved>,
}

/// The shipped sample the seed stories are told on.
const SMALL: &str = include_str!("../../data/small.json");

impl Stories {
    /// Stories told on `community`, their member ids resolved.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownMember`](crate::ErrorKind::UnknownMember) when a story names an id
    /// that is not a member; [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) for a
    /// `within` of 0.
    pub fn new(community: Community, stories: Vec<Story>) -> Result<Self> {
        let mut resolved = Vec::with_capacity(stories.len());
        for story in &stories {
            let candidates = match &story.expect {
                Expectation::InTop { candidate, within }
                | Expectation::NotInTop { candidate, within } => {
                    if *within == 0 {
                        return Err(crate::error::Error::option(
                            "within",
                            &story.name,
                            "a story's list length is at least 1",
                        ));
                    }
                    vec![community.resolve(candidate)?]
                }
                Expectation::Above { candidate, other } => {
                    vec![community.resolve(candidate)?, community.resolve(other)?]
                }
            };
            resolved.push(Resolved {
                member: community.resolve(&story.member)?,
                candidates,
            });
        }
        Ok(Stories {
            community,
            told: stories,
            resolved,
        })
    }

    /// The seed stories, told on the shipped `data/small.json` (embedded): the plumbers'
    /// platform learns worker vetting from the drivers' platform before a Web3 one; a telco
    /// meets an agent super-app; an insurer meets a gig-worker benefits platform; pre-seed
    /// fundraising goes to pre-seed investors, not growth funds.
    ///
    /// # Panics
    ///
    /// Never: the embedded sample and the stories are checked by the tests.
    pub fn seed() -> Self {
        let community = Community::from_json_str(SMALL, Taxonomy::jobtech())
            .expect("the embedded sample loads");
        let story = |name: &str, member: &str, expect| Story {
            name: name.to_owned(),
            member: member.to_owned(),
            expect,
        };
        let above = |candidate: &str, other: &str| Expectation::Above {
            candidate: candidate.to_owned(),
            other: other.to_owned(),
        };
        let in_top = |candidate: &str, within| Expectation::InTop {
            candidate: candidate.to_owned(),
            within,
        };
        let stories = vec![
            story(
                "the plumbers' platform learns worker vetting from the drivers' platform before a Web3 one",
                "fundi-fix",
                above("safari-riders", "chain-gig"),
            ),
            story(
                "the plumbers' platform has the drivers' platform in its top 3",
                "fundi-fix",
                in_top("safari-riders", 3),
            ),
            story(
                "a telco meets the agent super-app first",
                "afritel",
                in_top("wakala", 1),
            ),
            story(
                "an insurer meets the gig-worker benefits platform first",
                "umoja-insurance",
                in_top("kazi-cover", 1),
            ),
            story(
                "pre-seed fundraising goes to a pre-seed investor before a growth fund",
                "soko-mama",
                above("savanna-angels", "baobab-growth"),
            ),
            story(
                "an idea-stage founder is not sent to a growth fund",
                "domestic-voice",
                Expectation::NotInTop {
                    candidate: "baobab-growth".to_owned(),
                    within: 5,
                },
            ),
        ];
        Stories::new(community, stories).expect("the seed stories name members of the sample")
    }

    /// The stories, in order.
    pub fn stories(&self) -> &[Story] {
        &self.told
    }

    /// The community the stories are told on.
    pub fn community(&self) -> &Community {
        &self.community
    }

    /// Checks every story under `weights`, in order.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) when `weights` do not validate against
    /// the stories' community.
    ///
    /// # Complexity
    ///
    /// One engine build on the stories' community, then one full ranking per story member.
    pub fn check(&self, weights: &MatchWeights) -> Result<Vec<StoryCheck>> {
        let engine = Engine::new(self.community.clone(), weights.clone())?;
        let all = Query::top(self.community.len());
        let mut out = Vec::with_capacity(self.told.len());
        for (story, r) in self.told.iter().zip(&self.resolved) {
            let list = engine.rank(&[r.member], &all)?;
            let position = |m: MemberId| list[0].1.iter().position(|&(c, _)| c == m).map(|p| p + 1);
            let positions: Vec<Option<usize>> = r.candidates.iter().map(|&m| position(m)).collect();
            let at = |i: usize| positions.get(i).copied().flatten();
            let holds = match &story.expect {
                Expectation::InTop { within, .. } => at(0).is_some_and(|p| p <= *within),
                Expectation::NotInTop { within, .. } => at(0).is_none_or(|p| p > *within),
                Expectation::Above { .. } => match (at(0), at(1)) {
                    (Some(p), Some(q)) => p < q,
                    (Some(_), None) => true,
                    (None, _) => false,
                },
            };
            let found = r
                .candidates
                .iter()
                .zip(&positions)
                .map(|(&m, p)| match p {
                    Some(p) => format!("{} #{p}", self.community[m].id()),
                    None => format!("{} -", self.community[m].id()),
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.push(StoryCheck {
                story: story.name.clone(),
                holds,
                found,
            });
        }
        Ok(out)
    }
}
