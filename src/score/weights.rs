//! [`MatchWeights`]: every weight and table of the pair score, with documented defaults, loadable
//! from TOML (unknown keys refused) and validated once when an engine is built.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::kind::MemberKind;
use crate::model::taxonomy::Taxonomy;
use crate::problem::{Location, Problem, ProblemKind, Record};
use crate::score::settings::{
    GeographyConfig, IntroducerConfig, KindConfig, LanguageConfig, NeedsConfig, SignalWeights,
    StageConfig, TaxonomyConfig,
};
use crate::score::signal::{BySignal, Signal};

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
/// assert_eq!(weights.signals.needs, 0.45); // untouched keys keep their defaults
///
/// let err = MatchWeights::from_toml_str("[signals]\nneeds_met = 0.5\n").unwrap_err();
/// assert!(err.problems()[0].to_string().contains("`signals.needs_met`: unknown field"));
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
    /// The language rule.
    pub language: LanguageConfig,
    /// Who is named as introducer.
    pub introducer: IntroducerConfig,
    /// Seed of the tie-break hash (default 0); changing it reshuffles which of several
    /// equally scored candidates comes first.
    pub tie_break_seed: u64,
}

impl MatchWeights {
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

    /// Checks every number against `taxonomy`: weights finite, non-negative, not all zero, and
    /// with a finite sum; table values, floors and factors finite and in [0, 1]; affinity keys
    /// naming two categories of the taxonomy; kind keys naming two kinds.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every bad entry by its name in
    /// TOML (`signals.warmth`, `kind.pairs."platform:investr"`).
    pub fn validate(&self, taxonomy: &Taxonomy) -> Result<()> {
        let problems = self.problems(Some(taxonomy));
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::invalid(
            "match weights".to_owned(),
            problems
                .into_iter()
                .map(|p| Problem {
                    location: Location {
                        file: None,
                        line: None,
                        column: None,
                        record: Record::Setting,
                    },
                    field: p.name(),
                    value: p.value,
                    kind: ProblemKind::OutOfRange { reason: p.reason },
                })
                .collect(),
        ))
    }

    /// Every bad entry, in the order of the TOML file's sections; the keys of
    /// `taxonomy.category_affinity` only with a taxonomy to check them against.
    pub(crate) fn problems(&self, taxonomy: Option<&Taxonomy>) -> Vec<SettingProblem> {
        let mut c = Checker::default();
        for (signal, &w) in self.signal_weights().iter() {
            if !w.is_finite() || w < 0.0 {
                c.bad(&["signals", signal.name()], w, "must be finite and >= 0");
            }
        }
        let sum: f32 = self.signal_weights().values().iter().sum();
        // The sum says something new only when every weight is finite and non-negative.
        if c.problems.is_empty() {
            if sum == 0.0 {
                c.bad(&["signals"], sum, "at least one signal weight must be > 0");
            } else if !sum.is_finite() {
                c.bad(
                    &["signals"],
                    sum,
                    "the weights' sum must be a finite number",
                );
            }
        }
        c.unit(&["needs", "one_sided"], self.needs.one_sided);
        c.unit(&["needs", "met_floor"], self.needs.met_floor);
        let t = &self.taxonomy;
        c.unit(&["taxonomy", "same_vertical"], t.same_vertical);
        c.unit(&["taxonomy", "same_category"], t.same_category);
        c.unit(&["taxonomy", "other_category"], t.other_category);
        for (key, &v) in &t.category_affinity {
            let path = ["taxonomy", "category_affinity", key];
            c.unit(&path, v);
            let ok = |taxonomy: &Taxonomy| {
                split_pair(key).is_some_and(|(a, b)| {
                    a != b
                        && taxonomy.category_by_slug(a).is_some()
                        && taxonomy.category_by_slug(b).is_some()
                })
            };
            if taxonomy.is_some_and(|t| !ok(t)) {
                c.bad(
                    &path,
                    v,
                    "key must be two different category slugs of the taxonomy, as \"a:b\"",
                );
            }
        }
        for (table, values) in [
            ("peer_by_gap", &self.stage.peer_by_gap),
            ("focus_by_gap", &self.stage.focus_by_gap),
        ] {
            if values.is_empty() {
                c.bad(&["stage", table], 0.0, "needs at least one value (gap 0)");
            }
            for (i, &v) in values.iter().enumerate() {
                c.unit(&["stage", table, &i.to_string()], v);
            }
        }
        c.unit(&["stage", "focus_overlap"], self.stage.focus_overlap);
        c.unit(&["stage", "unknown"], self.stage.unknown);
        c.unit(&["geography", "same_country"], self.geography.same_country);
        c.unit(&["geography", "same_region"], self.geography.same_region);
        c.unit(&["kind", "default"], self.kind.default);
        for (key, &v) in &self.kind.pairs {
            let path = ["kind", "pairs", key];
            c.unit(&path, v);
            let ok = split_pair(key).is_some_and(|(a, b)| {
                a.parse::<MemberKind>().is_ok() && b.parse::<MemberKind>().is_ok()
            });
            if !ok {
                c.bad(
                    &path,
                    v,
                    "key must be two member kinds, as \"platform:investor\"",
                );
            }
        }
        c.unit(
            &["language", "mismatch_factor"],
            self.language.mismatch_factor,
        );
        c.unit(&["introducer", "min_tie"], self.introducer.min_tie);
        c.problems
    }
}

/// Collects the bad entries of [`MatchWeights::problems`].
#[derive(Default)]
struct Checker {
    problems: Vec<SettingProblem>,
}

impl Checker {
    fn bad(&mut self, path: &[&str], value: f32, reason: &'static str) {
        self.problems.push(SettingProblem {
            path: path.iter().map(|&s| s.to_owned()).collect(),
            value: value.to_string(),
            reason,
        });
    }

    /// A value that must be a finite number in [0, 1].
    fn unit(&mut self, path: &[&str], value: f32) {
        if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
            self.bad(path, value, "must be a finite number in [0, 1]");
        }
    }
}

/// A bad entry of the weights: its path of TOML keys (an array's index as a key), its value as
/// text and why it is refused.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SettingProblem {
    pub(crate) path: Vec<String>,
    pub(crate) value: String,
    pub(crate) reason: &'static str,
}

impl SettingProblem {
    /// The entry's name as TOML spells it: `signals.warmth`, `stage.peer_by_gap[1]`,
    /// `kind.pairs."platform:investr"`.
    pub(crate) fn name(&self) -> String {
        setting_name(&self.path)
    }
}

/// A path of TOML keys as TOML spells it (keys that are not bare quoted, indices bracketed).
pub(crate) fn setting_name(path: &[String]) -> String {
    let mut out = String::new();
    for key in path {
        if key.bytes().all(|b| b.is_ascii_digit()) && !out.is_empty() {
            out.push('[');
            out.push_str(key);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            if key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                out.push_str(key);
            } else {
                out.push('"');
                out.push_str(key);
                out.push('"');
            }
        }
    }
    out
}

pub(crate) fn split_pair(key: &str) -> Option<(&str, &str)> {
    let (a, b) = key.split_once(':')?;
    Some((a.trim(), b.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::settings::Combine;

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
            "match weights: 1 problem found:\n  - setting: `signals.stage` \"-1\": must be finite and >= 0"
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
    fn combine_modes() {
        assert!((Combine::Harmonic.apply(1.0, 0.5) - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(Combine::Harmonic.apply(0.0, 0.0), 0.0);
        assert_eq!(Combine::Minimum.apply(1.0, 0.5), 0.5);
        assert!((Combine::Geometric.apply(1.0, 0.25) - 0.5).abs() < 1e-6);
        assert_eq!(Combine::Arithmetic.apply(1.0, 0.5), 0.75);
    }
}
