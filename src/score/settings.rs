//! The sections of [`MatchWeights`](crate::MatchWeights): signal weights and each signal's
//! tables, the language rule and the introducer threshold, each with documented defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How the two directions of "needs met" are combined into one signal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// `2ab / (a + b)`: high only when both sides gain (the default).
    #[default]
    Harmonic,
    /// `min(a, b)`: as good as the weaker side.
    Minimum,
    /// `sqrt(a b)`.
    Geometric,
    /// `(a + b) / 2`: one side's gain can carry the pair.
    Arithmetic,
}

impl Combine {
    /// Combines the two coverages, each in [0, 1].
    pub fn apply(self, a: f32, b: f32) -> f32 {
        match self {
            Combine::Harmonic => {
                if a + b > 0.0 {
                    2.0 * a * b / (a + b)
                } else {
                    0.0
                }
            }
            Combine::Minimum => a.min(b),
            Combine::Geometric => (a * b).sqrt(),
            Combine::Arithmetic => 0.5 * (a + b),
        }
    }
}

/// How much each signal counts in the total. Only ratios matter: the total divides by the sum,
/// so it stays in [0, 1].
///
/// # How the defaults are derived
///
/// **Needs first.** Members come to the community to meet a need (the seed: founders "prioritize
/// curated spaces where interactions can drive their business forward"). So, other things
/// equal, a candidate meeting one stated need, even one way, must rank above one that only
/// shares a background: the same vertical, community of practice and country, and the best
/// kind pairing. The weakest need met scores `met_floor` (0.65) on the needs signal; the most a
/// background can add over a stranger's is `0.9 taxonomy + communities + geography + 0.7
/// kind` (same vertical 1.0 against another category's 0.1; kind priors from 0.3 to 1.0).
/// With the defaults, `0.45 * 0.65 = 0.2925` against `0.9 * 0.12 + 0.06 + 0.04 + 0.7 * 0.10 =
/// 0.278`: the need wins.
///
/// **Then the seed stories.** Among candidates meeting needs, the taxonomy decides whose
/// experience transfers (the plumbers' platform learns vetting from the drivers' before the
/// Web3 one: 0.12 on the taxonomy separates them), stage fit decides fundraising (0.10, with
/// money needs discounted by stage in [`StageConfig::money_topics`]), and warmth (0.13) favours
/// introductions someone can make. Geography stays small (0.04): the community is pan-African
/// on purpose.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignalWeights {
    /// Needs met, both ways (default 0.45): the reason to meet.
    pub needs: f32,
    /// Taxonomy affinity (default 0.12): peers in related verticals learn from each other.
    pub taxonomy: f32,
    /// Growth-stage fit (default 0.10).
    pub stage: f32,
    /// Shared communities of practice (default 0.06).
    pub communities: f32,
    /// Geography (default 0.04): small, the community is pan-African on purpose.
    pub geography: f32,
    /// Network warmth (default 0.13): shared contacts make an introduction warm.
    pub warmth: f32,
    /// Kind pairing prior (default 0.10).
    pub kind: f32,
}

impl Default for SignalWeights {
    fn default() -> Self {
        SignalWeights {
            needs: 0.45,
            taxonomy: 0.12,
            stage: 0.10,
            communities: 0.06,
            geography: 0.04,
            warmth: 0.13,
            kind: 0.10,
        }
    }
}

/// The needs-met signal's settings.
///
/// With `a` the share of a member's needs the other offers and `b` the share of the other's
/// needs it offers, and `base = max(combine(a, b), one_sided * max(a, b))`, the signal is
/// `met_floor + (1 - met_floor) * base` as soon as one need is met either way, 0 otherwise: any
/// need met counts for at least `met_floor`, and meeting more, both ways, counts for more.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NeedsConfig {
    /// How the two directions are combined (default harmonic mean).
    pub combine: Combine,
    /// A one-sided match counts for this share of its coverage (default 0.3).
    pub one_sided: f32,
    /// The least signal of a pair meeting at least one stated need, either way (default
    /// 0.65): a need met, even one way, is worth more than a shared background (see
    /// [`SignalWeights`] for how the defaults make that hold). 0 gives back the plain `base`.
    pub met_floor: f32,
}

impl Default for NeedsConfig {
    fn default() -> Self {
        NeedsConfig {
            combine: Combine::Harmonic,
            one_sided: 0.3,
            met_floor: 0.65,
        }
    }
}

/// The taxonomy-affinity signal's table: the best pair of verticals of the two members decides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TaxonomyConfig {
    /// Both in the same vertical (default 1.0).
    pub same_vertical: f32,
    /// Different verticals of the same category (default 0.5).
    pub same_category: f32,
    /// Verticals of different categories, unless `category_affinity` says otherwise (default
    /// 0.1).
    pub other_category: f32,
    /// Affinity between pairs of different categories, keyed `"a:b"` by category slugs (order
    /// does not matter). Defaults: offline work with worker enablement 0.4 (benefits for gig
    /// workers), offline work with tech-enabled skilling 0.3, offline work with micro-enterprise
    /// services 0.3, digital work with tech-enabled skilling 0.3, digital work with worker
    /// enablement 0.3, micro-enterprise services with worker enablement 0.2.
    pub category_affinity: BTreeMap<String, f32>,
}

impl Default for TaxonomyConfig {
    fn default() -> Self {
        let pairs = [
            ("offline-work:worker-enablement", 0.4),
            ("offline-work:tech-enabled-skilling", 0.3),
            ("offline-work:microenterprise-services", 0.3),
            ("digital-work:tech-enabled-skilling", 0.3),
            ("digital-work:worker-enablement", 0.3),
            ("microenterprise-services:worker-enablement", 0.2),
        ];
        TaxonomyConfig {
            same_vertical: 1.0,
            same_category: 0.5,
            other_category: 0.1,
            category_affinity: pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        }
    }
}

/// The growth-stage signal's tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StageConfig {
    /// Two members with a stage (platform peers), by how many stages apart: index 0 same stage,
    /// 1 the next, ... (default `[1.0, 0.7, 0.3, 0.0, 0.0, 0.0]`: the same or the next stage).
    pub peer_by_gap: Vec<f32>,
    /// A member with a stage and one with a `stage_focus` (investor, ESO): 1 when the focus
    /// covers the stage, else by distance to the nearest focused stage (default
    /// `[1.0, 0.4, 0.1, 0.0, 0.0, 0.0]`: a pre-seed founder goes to pre-seed investors before
    /// growth funds).
    pub focus_by_gap: Vec<f32>,
    /// Two members with a `stage_focus` each (co-investors): this when the focuses overlap,
    /// `unknown` otherwise (default 1.0).
    pub focus_overlap: f32,
    /// When the stages say nothing about the pair (default 0.5, neutral).
    pub unknown: f32,
    /// Needs about money: a match on one of these topics, between a member at a stage and one
    /// who offers it with a `stage_focus`, counts only for the `focus_by_gap` fit of the
    /// focus to the stage (so a growth fund barely meets an idea-stage founder's need for
    /// fundraising, and the reason says why). Slugs absent from a community are ignored.
    /// Default: fundraising, investment, investor-readiness, debt-financing,
    /// revenue-based-financing, blended-finance, impact-investing.
    pub money_topics: Vec<String>,
}

impl Default for StageConfig {
    fn default() -> Self {
        StageConfig {
            peer_by_gap: vec![1.0, 0.7, 0.3, 0.0, 0.0, 0.0],
            focus_by_gap: vec![1.0, 0.4, 0.1, 0.0, 0.0, 0.0],
            focus_overlap: 1.0,
            unknown: 0.5,
            money_topics: [
                "fundraising",
                "investment",
                "investor-readiness",
                "debt-financing",
                "revenue-based-financing",
                "blended-finance",
                "impact-investing",
            ]
            .map(str::to_owned)
            .to_vec(),
        }
    }
}

/// The geography signal's values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GeographyConfig {
    /// Same country (default 1.0).
    pub same_country: f32,
    /// Same UN sub-region of Africa (default 0.5).
    pub same_region: f32,
}

impl Default for GeographyConfig {
    fn default() -> Self {
        GeographyConfig {
            same_country: 1.0,
            same_region: 0.5,
        }
    }
}

/// The kind-pairing prior: how promising a pair of member kinds is, before anything else is
/// known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KindConfig {
    /// Pairs not listed (default 0.3).
    pub default: f32,
    /// Priors keyed `"a:b"` by kind slugs (order does not matter). Defaults: platform:platform
    /// 1.0 (peer learning is the community's core), platform:investor 0.9, platform:corporate
    /// 0.8, platform:eso 0.8, platform:funder 0.7, platform:researcher 0.6, platform:other 0.4,
    /// investor:investor 0.6, investor:funder 0.6, eso:investor 0.5, corporate:eso 0.4,
    /// funder:researcher 0.6, eso:funder 0.5.
    pub pairs: BTreeMap<String, f32>,
}

impl Default for KindConfig {
    fn default() -> Self {
        let pairs = [
            ("platform:platform", 1.0),
            ("platform:investor", 0.9),
            ("platform:corporate", 0.8),
            ("platform:eso", 0.8),
            ("platform:funder", 0.7),
            ("platform:researcher", 0.6),
            ("platform:other", 0.4),
            ("investor:investor", 0.6),
            ("investor:funder", 0.6),
            ("eso:investor", 0.5),
            ("corporate:eso", 0.4),
            ("funder:researcher", 0.6),
            ("eso:funder", 0.5),
        ];
        KindConfig {
            default: 0.3,
            pairs: pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        }
    }
}

/// Whether members who state languages but share none are matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageRule {
    /// Never matched: an introduction without a common language is wasted (the default).
    #[default]
    Require,
    /// Matched, their score multiplied by `mismatch_factor`.
    Prefer,
    /// Languages are not looked at.
    Ignore,
}

/// The language rule. A member who states no language is matched with anyone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageConfig {
    /// What a pair without a common language gets (default [`LanguageRule::Require`]).
    pub rule: LanguageRule,
    /// Under [`LanguageRule::Prefer`], their score is multiplied by this (default 0.5).
    pub mismatch_factor: f32,
}

impl Default for LanguageConfig {
    fn default() -> Self {
        LanguageConfig {
            rule: LanguageRule::Require,
            mismatch_factor: 0.5,
        }
    }
}

/// Who is named as introducer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IntroducerConfig {
    /// A mutual contact introduces a pair only when both of its ties are at least this strong
    /// (default 0.3): a weaker contact is named as such in the reasons, not asked to introduce.
    pub min_tie: f32,
}

impl Default for IntroducerConfig {
    fn default() -> Self {
        IntroducerConfig { min_tie: 0.3 }
    }
}
