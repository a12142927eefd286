//! What rankings return: recommendations with their score, components, introducer and reasons,
//! naming members by their string ids when serialized.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::explain::reason::Reason;
use crate::model::ids::{MemberId, MemberRef};
use crate::score::signal::{BySignal, Signal};

/// The mutual contact best placed to make a warm introduction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Introducer {
    /// The introducer.
    pub member: MemberRef,
    /// Strength of the introducer's tie to the member the recommendation is for.
    pub strength_to_member: f32,
    /// Strength of the introducer's tie to the candidate.
    pub strength_to_candidate: f32,
}

/// One signal's part in a score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Component {
    /// The signal.
    pub signal: Signal,
    /// The raw signal in [0, 1].
    pub value: f32,
    /// The signal's weight, normalised so the seven sum to 1.
    pub weight: f32,
    /// `weight * value`; the seven add up to the score.
    pub contribution: f32,
}

/// One recommended candidate, with why and through whom.
///
/// Serialized, it is an object with `candidate` (string id), `score`, `introducer` (string id
/// or null), `components` (signal name to contribution) and `reasons` (plain sentences); numbers
/// are written as the shortest decimal that reads back as the same `f32`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recommendation {
    /// The member recommended.
    pub candidate: MemberRef,
    /// The score in [0, 1]: the sum of the components' contributions.
    pub score: f32,
    /// The best introducer, when the two share a contact who is open to introductions.
    #[serde(serialize_with = "introducer_id")]
    pub introducer: Option<Introducer>,
    /// The seven components.
    #[serde(serialize_with = "contributions")]
    pub components: BySignal<Component>,
    /// Plain-language reasons naming the concrete needs, offers, verticals, stages, communities
    /// and contacts behind the score.
    pub reasons: Vec<Reason>,
}

/// A member's ranked recommendations.
///
/// # Examples
///
/// Serialized with string ids, as `recommend --format json` prints it:
///
/// ```
/// use pollinate::{Community, Engine, MatchWeights, Query};
///
/// let engine = Engine::new(Community::load("data/small.json")?, MatchWeights::default())?;
/// let afritel = engine.community().resolve("afritel")?;
/// let recs = engine.recommend(afritel, &Query::top(2))?;
/// let json: serde_json::Value = serde_json::to_value(&recs).unwrap();
/// assert_eq!(json["member"], "afritel");
/// assert_eq!(json["recommendations"][0]["candidate"], "wakala");
/// assert!(json["recommendations"][0]["components"]["needs"].as_f64().unwrap() > 0.0);
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recommendations {
    /// The member the recommendations are for.
    pub member: MemberRef,
    /// Best first: by score descending, then the engine's tie-break.
    #[serde(rename = "recommendations")]
    pub items: Vec<Recommendation>,
    /// How many candidates passed the exclusions and the query's filters.
    pub candidates: usize,
}

impl Recommendations {
    /// Whether every candidate that passed is in `items` (k was at least the number of
    /// candidates).
    pub fn is_exhaustive(&self) -> bool {
        self.items.len() == self.candidates
    }
}

/// Ranked candidates of one member, unexplained: (candidate, score), best first.
pub type Ranked = Vec<(MemberId, f32)>;

#[allow(clippy::ref_option)] // serde's `serialize_with` passes a reference to the field
pub(crate) fn introducer_id<S: Serializer>(
    introducer: &Option<Introducer>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match introducer {
        Some(i) => i.member.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

fn contributions<S: Serializer>(
    components: &BySignal<Component>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(Signal::ALL.len()))?;
    for (signal, c) in components.iter() {
        map.serialize_entry(signal.name(), &c.contribution)?;
    }
    map.end()
}
