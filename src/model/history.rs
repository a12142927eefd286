//! Introduction history after the fact: adding recorded introductions, and letting `met` and
//! `partnered` outcomes strengthen (or create) ties, so the next round's warmth uses them.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::community::Community;
use crate::model::record::{CommunityRecords, ConnectionRecord, IntroductionRecord};
use crate::model::relation::Outcome;

/// How recorded outcomes turn into ties. A `met` introduction adds `met` to the pair's tie, a
/// `partnered` one adds `partnered`, as a noisy-or: a tie of strength `s` becomes
/// `1 - (1 - s)(1 - v)`, and a pair with no tie gets one of strength `v`. A value of 0 leaves
/// ties as they are.
///
/// # Examples
///
/// ```
/// use pollinate::{Community, IntroductionRecord, OutcomeTies};
///
/// let community = Community::load("data/small.json")?;
/// let after = community.with_introductions([IntroductionRecord {
///     a: "fundi-fix".into(),
///     b: "safari-riders".into(),
///     outcome: "partnered".into(),
///     date: Some("2026-01-15".into()),
///     ..IntroductionRecord::default()
/// }])?;
/// let tied = after.with_outcome_ties(&OutcomeTies::default())?;
/// let (f, s) = (tied.resolve("fundi-fix")?, tied.resolve("safari-riders")?);
/// let tie = tied.connections().iter().find(|c| (c.a, c.b) == (f, s)).unwrap();
/// assert_eq!(tie.strength, 0.8);
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeTies {
    /// Strength a `met` introduction adds (default 0.5).
    pub met: f32,
    /// Strength a `partnered` introduction adds (default 0.8).
    pub partnered: f32,
}

impl Default for OutcomeTies {
    fn default() -> Self {
        OutcomeTies {
            met: 0.5,
            partnered: 0.8,
        }
    }
}

impl OutcomeTies {
    /// Outcomes leave ties unchanged.
    pub fn none() -> Self {
        OutcomeTies {
            met: 0.0,
            partnered: 0.0,
        }
    }

    fn validate(&self) -> Result<()> {
        for (name, v) in [("met", self.met), ("partnered", self.partnered)] {
            if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
                return Err(Error::option(
                    if name == "met" {
                        "outcome_ties.met"
                    } else {
                        "outcome_ties.partnered"
                    },
                    &v,
                    "must be a finite number in [0, 1]",
                ));
            }
        }
        Ok(())
    }
}

impl Community {
    pub(crate) fn rebuild(&self, records: CommunityRecords, source: &str) -> Result<Community> {
        Community::builder(self.taxonomy().clone())
            .source_name(source)
            .records(records)
            .build()
    }

    /// A new community with `introductions` appended to the history (validated like any
    /// introduction: known members, known outcome, real date).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every bad record.
    pub fn with_introductions(
        &self,
        introductions: impl IntoIterator<Item = IntroductionRecord>,
    ) -> Result<Community> {
        let mut records = self.to_records();
        records.introductions.extend(introductions);
        self.rebuild(records, "introductions")
    }

    /// A new community in which every `met` or `partnered` introduction strengthens the pair's
    /// tie, or creates one, as [`OutcomeTies`] says. Ties keep their input order; new ties follow,
    /// in the order of the introductions.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when a value of `ties` is outside [0, 1].
    pub fn with_outcome_ties(&self, ties: &OutcomeTies) -> Result<Community> {
        ties.validate()?;
        let mut records = self.to_records();
        let mut index: HashMap<(u32, u32), usize> = HashMap::new();
        let mut strengths: Vec<f32> = Vec::with_capacity(self.connections().len());
        for (i, c) in self.connections().iter().enumerate() {
            index.insert((c.a.0.min(c.b.0), c.a.0.max(c.b.0)), i);
            strengths.push(c.strength);
        }
        for intro in self.introductions() {
            let add = match intro.outcome {
                Outcome::Met => ties.met,
                Outcome::Partnered => ties.partnered,
                Outcome::Proposed
                | Outcome::Declined
                | Outcome::Accepted
                | Outcome::Introduced
                | Outcome::NoResponse => 0.0,
            };
            if add <= 0.0 {
                continue;
            }
            let key = (intro.a.0.min(intro.b.0), intro.a.0.max(intro.b.0));
            if let Some(&i) = index.get(&key) {
                strengths[i] = 1.0 - (1.0 - strengths[i]) * (1.0 - add);
            } else {
                index.insert(key, strengths.len());
                strengths.push(add);
                records.connections.push(ConnectionRecord {
                    a: self[intro.a].id().to_owned(),
                    b: self[intro.b].id().to_owned(),
                    strength: None,
                });
            }
        }
        for (record, s) in records.connections.iter_mut().zip(&strengths) {
            record.strength = Some(f64::from(s.min(1.0)));
        }
        self.rebuild(records, "outcome ties")
    }
}
