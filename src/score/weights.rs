//! [`MatchWeights`]: every weight and table of the pair score, with documented defaults, loadable
//! from TOML (unknown keys refused) and validated once when an engine is built.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::text::{line_column, read_text};
use crate::model::kind::MemberKind;
use crate::model::taxonomy::Taxonomy;
use crate::score::signal::{BySignal, Signal};

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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignalWeights {
    /// Needs met, both ways (default 0.40): the reason to meet.
    pub needs: f32,
    /// Taxonomy affinity (default 0.15): peers in the same vertical learn most from each other.
    pub taxonomy: f32,
    /// Growth-stage fit (default 0.10).
    pub stage: f32,
    /// Shared communities of practice (default 0.08).
    pub communities: f32,
    /// Geography (default 0.05): small, the community is pan-African on purpose.
    pub geography: f32,
    /// Network warmth (default 0.12): shared contacts make an introduction warm.
    pub warmth: f32,
    /// Kind pairing prior (default 0.10).
    pub kind: f32,
}

impl Default for SignalWeights {
    fn default() -> Self {
        SignalWeights {
            needs: 0.40,
            taxonomy: 0.15,
            stage: 0.10,
            communities: 0.08,
            geography: 0.05,
            warmth: 0.12,
            kind: 0.10,
        }
    }
}

/// The needs-met signal's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NeedsConfig {
    /// How the two directions are combined (default harmonic mean).
    pub combine: Combine,
    /// A one-sided match counts for this share of its coverage (default 0.3): the signal is
    /// `max(combine(a, b), one_sided * max(a, b))`.
    pub one_sided: f32,
}

impl Default for NeedsConfig {
    fn default() -> Self {
        NeedsConfig {
            combine: Combine::Harmonic,
            one_sided: 0.3,
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
}

impl Default for StageConfig {
    fn default() -> Self {
        StageConfig {
            peer_by_gap: vec![1.0, 0.7, 0.3, 0.0, 0.0, 0.0],
            focus_by_gap: vec![1.0, 0.4, 0.1, 0.0, 0.0, 0.0],
            focus_overlap: 1.0,
            unknown: 0.5,
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

/// Every weight and table of the pair score. `Default` gives the documented defaults; load a
/// tuned set with [`MatchWeights::from_toml_path`]. Validated when an
/// [`Engine`](crate::Engine) is built.
///
/// # Examples
///
/// ```
/// use pollinate::MatchWeights;
///
/// let weights = MatchWeights::from_toml_str("[signals]\ngeography = 0.0\nwarmth = 0.3\n")?;
/// assert_eq!(weights.signals.geography, 0.0);
/// assert_eq!(weights.signals.needs, 0.40); // untouched keys keep their defaults
///
/// let err = MatchWeights::from_toml_str("[signals]\nneeds_met = 0.5\n").unwrap_err();
/// assert!(err.to_string().contains("unknown field `needs_met`"));
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchWeights {
    /// Weight of each signal in the total.
    pub signals: SignalWeights,
    /// Needs-met settings.
    pub needs: NeedsConfig,
    /// Taxonomy-affinity table.
    pub taxonomy: TaxonomyConfig,
    /// Growth-stage tables.
    pub stage: StageConfig,
    /// Geography values.
    pub geography: GeographyConfig,
    /// Kind-pairing priors.
    pub kind: KindConfig,
    /// Seed of the tie-break hash (default 0); changing it reshuffles which of several
    /// equally scored candidates comes first.
    pub tie_break_seed: u64,
}

impl MatchWeights {
    /// Parses TOML text; absent keys keep their defaults, unknown keys are refused.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Toml`](crate::ErrorKind::Toml) with line and column for malformed TOML, an unknown key or a value of the
    /// wrong type. Ranges are checked later, by [`MatchWeights::validate`].
    pub fn from_toml_str(text: &str) -> Result<Self> {
        Self::parse("<string>", text)
    }

    /// Reads a TOML file; see [`MatchWeights::from_toml_str`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io), [`ErrorKind::NotUtf8`](crate::ErrorKind::NotUtf8) and [`ErrorKind::Toml`](crate::ErrorKind::Toml).
    pub fn from_toml_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let (file, text) = read_text(path)?;
        Self::parse(&file, &text)
    }

    fn parse(file: &str, text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let (line, column) = e
                .span()
                .map_or((0, 0), |span| line_column(text.as_bytes(), span.start));
            Error::toml(file, line, column, e.message().to_owned())
        })
    }

    /// The weights as TOML text that [`MatchWeights::from_toml_str`] reads back unchanged.
    ///
    /// # Panics
    ///
    /// Never: the weights are numbers, strings and string-keyed tables, which always serialise.
    pub fn to_toml_string(&self) -> String {
        toml::to_string(self).expect("match weights are plain numbers, strings and tables")
    }

    /// Sets the seven signal weights, in [`Signal::ALL`] order.
    #[must_use]
    pub fn with_signal_weights(mut self, w: impl Into<BySignal<f32>>) -> Self {
        let w = w.into();
        self.signals = SignalWeights {
            needs: w[Signal::Needs],
            taxonomy: w[Signal::Taxonomy],
            stage: w[Signal::Stage],
            communities: w[Signal::Communities],
            geography: w[Signal::Geography],
            warmth: w[Signal::Warmth],
            kind: w[Signal::Kind],
        };
        self
    }

    /// The seven signal weights, as set (not normalised).
    pub fn signal_weights(&self) -> BySignal<f32> {
        let s = &self.signals;
        BySignal([
            s.needs,
            s.taxonomy,
            s.stage,
            s.communities,
            s.geography,
            s.warmth,
            s.kind,
        ])
    }

    /// Checks every number against `taxonomy`: weights finite and non-negative and not all zero;
    /// table values finite and in [0, 1]; affinity keys naming two categories of the taxonomy;
    /// kind keys naming two kinds.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidWeight`](crate::ErrorKind::InvalidWeight) naming the first bad entry as spelt in TOML.
    pub fn validate(&self, taxonomy: &Taxonomy) -> Result<()> {
        let bad =
            |name: String, value: f32, reason| Err(Error::weight(name, f64::from(value), reason));
        for (signal, &w) in self.signal_weights().iter() {
            let name = signal.name();
            if !w.is_finite() || w < 0.0 {
                return bad(format!("signals.{name}"), w, "must be finite and >= 0");
            }
        }
        if self.signal_weights().values().iter().all(|&w| w == 0.0) {
            return bad(
                "signals".into(),
                0.0,
                "at least one signal weight must be > 0",
            );
        }
        let unit = |name: String, v: f32| -> Result<()> {
            if v.is_finite() && (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                bad(name, v, "must be a finite number in [0, 1]")
            }
        };
        unit("needs.one_sided".into(), self.needs.one_sided)?;
        unit("taxonomy.same_vertical".into(), self.taxonomy.same_vertical)?;
        unit("taxonomy.same_category".into(), self.taxonomy.same_category)?;
        unit(
            "taxonomy.other_category".into(),
            self.taxonomy.other_category,
        )?;
        for (key, &v) in &self.taxonomy.category_affinity {
            let name = format!("taxonomy.category_affinity.\"{key}\"");
            unit(name.clone(), v)?;
            let ok = split_pair(key).is_some_and(|(a, b)| {
                a != b
                    && taxonomy.category_by_slug(a).is_some()
                    && taxonomy.category_by_slug(b).is_some()
            });
            if !ok {
                return bad(
                    name,
                    v,
                    "key must be two different category slugs of the taxonomy, as \"a:b\"",
                );
            }
        }
        for (table, values) in [
            ("stage.peer_by_gap", &self.stage.peer_by_gap),
            ("stage.focus_by_gap", &self.stage.focus_by_gap),
        ] {
            if values.is_empty() {
                return bad(table.into(), 0.0, "needs at least one value (gap 0)");
            }
            for (i, &v) in values.iter().enumerate() {
                unit(format!("{table}[{i}]"), v)?;
            }
        }
        unit("stage.focus_overlap".into(), self.stage.focus_overlap)?;
        unit("stage.unknown".into(), self.stage.unknown)?;
        unit("geography.same_country".into(), self.geography.same_country)?;
        unit("geography.same_region".into(), self.geography.same_region)?;
        unit("kind.default".into(), self.kind.default)?;
        for (key, &v) in &self.kind.pairs {
            let name = format!("kind.pairs.\"{key}\"");
            unit(name.clone(), v)?;
            let ok = split_pair(key).is_some_and(|(a, b)| {
                a.parse::<MemberKind>().is_ok() && b.parse::<MemberKind>().is_ok()
            });
            if !ok {
                return bad(
                    name,
                    v,
                    "key must be two member kinds, as \"platform:investor\"",
                );
            }
        }
        Ok(())
    }
}

pub(crate) fn split_pair(key: &str) -> Option<(&str, &str)> {
    let (a, b) = key.split_once(':')?;
    Some((a.trim(), b.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_round_trip_through_toml() {
        let w = MatchWeights::default();
        w.validate(&Taxonomy::jobtech()).unwrap();
        assert_eq!(MatchWeights::from_toml_str(&w.to_toml_string()).unwrap(), w);
        let sum: f32 = w.signal_weights().values().iter().sum();
        assert!((sum - 1.0).abs() < 1e-6);
    }

    #[test]
    fn bad_values_are_named() {
        let t = Taxonomy::jobtech();
        let mut w = MatchWeights::default();
        w.signals.stage = -1.0;
        assert_eq!(
            w.validate(&t).unwrap_err().to_string(),
            "match weights: `signals.stage` is -1: must be finite and >= 0"
        );
        let w = MatchWeights::default().with_signal_weights([0.0; 7]);
        assert!(w.validate(&t).is_err());
        let mut w = MatchWeights::default();
        w.taxonomy
            .category_affinity
            .insert("offline-work:web3".into(), 0.5);
        assert!(
            w.validate(&t)
                .unwrap_err()
                .to_string()
                .contains("category_affinity")
        );
        let mut w = MatchWeights::default();
        w.stage.peer_by_gap[1] = f32::NAN;
        assert!(
            w.validate(&t)
                .unwrap_err()
                .to_string()
                .contains("stage.peer_by_gap[1]")
        );
    }

    #[test]
    fn toml_errors_have_positions() {
        let err = MatchWeights::from_toml_str("[signals]\nneeds = \"high\"\n").unwrap_err();
        assert!(
            matches!(err.kind(), crate::ErrorKind::Toml { line: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn combine_modes() {
        assert!((Combine::Harmonic.apply(1.0, 0.5) - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(Combine::Harmonic.apply(0.0, 0.0), 0.0);
        assert_eq!(Combine::Minimum.apply(1.0, 0.5), 0.5);
        assert!((Combine::Geometric.apply(1.0, 0.25) - 0.5).abs() < 1e-6);
        assert_eq!(Combine::Arithmetic.apply(1.0, 0.5), 0.75);
    }
}
