//! Records: members and relations as code or a file supplies them, by string id, before
//! validation. Their serde form is the JSON community file's.

use serde::{Deserialize, Serialize, Serializer};

use crate::model::consent::{Consent, ConsentRecord};

/// A member as supplied by code or a file, before validation: every field as text.
///
/// Build one with [`MemberRecord::new`] and the chained setters, or with struct syntax and
/// `..Default::default()`. Slugs are normalised (case, surrounding space, inner spaces or
/// underscores) when the community is built.
///
/// # Examples
///
/// ```
/// use pollinate::MemberRecord;
///
/// let amina = MemberRecord::new("fundi-connect", "platform", "KE")
///     .name("FundiConnect")
///     .verticals(["home-technical-services"])
///     .stage("pre-seed")
///     .needs(["worker vetting", "Fundraising"])
///     .offers(["artisan-training"]);
/// assert_eq!(amina.needs, ["worker vetting", "Fundraising"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MemberRecord {
    /// Unique id (required, non-empty).
    pub id: String,
    /// Display name (optional; the id when empty).
    pub name: String,
    /// Member kind slug (required).
    pub kind: String,
    /// ISO 3166-1 alpha-2 country code (required).
    pub country: String,
    /// Vertical slugs (one or more).
    pub verticals: Vec<String>,
    /// Growth stage slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Stage slugs an investor or ESO serves.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stage_focus: Vec<String>,
    /// Topic slugs offered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<String>,
    /// Topic slugs needed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// Community-of-practice slugs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub communities: Vec<String>,
    /// Languages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Open to introductions (default true).
    #[serde(skip_serializing_if = "is_not_false")]
    pub open_to_intros: Option<bool>,
    /// Most introductions per round.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_intros: Option<u32>,
    /// What the member consents to (every flag true when absent).
    #[serde(skip_serializing_if = "ConsentRecord::is_default")]
    pub consent: ConsentRecord,
}

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl MemberRecord {
    /// A record with the three required scalar fields; add verticals before building.
    pub fn new(id: impl Into<String>, kind: impl Into<String>, country: impl Into<String>) -> Self {
        MemberRecord {
            id: id.into(),
            kind: kind.into(),
            country: country.into(),
            ..MemberRecord::default()
        }
    }
    /// Sets the display name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
    /// Sets the verticals.
    #[must_use]
    pub fn verticals<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.verticals = strings(v);
        self
    }
    /// Sets the growth stage.
    #[must_use]
    pub fn stage(mut self, stage: impl Into<String>) -> Self {
        self.stage = Some(stage.into());
        self
    }
    /// Sets the stages served.
    #[must_use]
    pub fn stage_focus<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.stage_focus = strings(v);
        self
    }
    /// Sets the topics offered.
    #[must_use]
    pub fn offers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.offers = strings(v);
        self
    }
    /// Sets the topics needed.
    #[must_use]
    pub fn needs<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.needs = strings(v);
        self
    }
    /// Sets the communities of practice.
    #[must_use]
    pub fn communities<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.communities = strings(v);
        self
    }
    /// Sets the languages.
    #[must_use]
    pub fn languages<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.languages = strings(v);
        self
    }
    /// Sets whether the member is open to introductions.
    #[must_use]
    pub fn open_to_intros(mut self, open: bool) -> Self {
        self.open_to_intros = Some(open);
        self
    }
    /// Sets the most introductions per round.
    #[must_use]
    pub fn max_intros(mut self, max: u32) -> Self {
        self.max_intros = Some(max);
        self
    }
    /// Sets what the member consents to.
    #[must_use]
    pub fn consent(mut self, consent: Consent) -> Self {
        self.consent = ConsentRecord::of(consent);
        self
    }
}

/// A connection as supplied by code or a file, by member id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConnectionRecord {
    /// One member's id.
    pub a: String,
    /// The other member's id.
    pub b: String,
    /// Strength in (0, 1]; 1 when absent.
    #[serde(skip_serializing_if = "is_full", serialize_with = "shortest_strength")]
    pub strength: Option<f64>,
}

/// An introduction as supplied by code or a file, by member id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IntroductionRecord {
    /// One member's id.
    pub a: String,
    /// The other member's id.
    pub b: String,
    /// `proposed`, `accepted`, `declined`, `introduced`, `met`, `partnered` or `no-response`.
    pub outcome: String,
    /// `YYYY-MM-DD`, optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The introduction this row is an event of, when it is followed event by event (rows of
    /// one id must follow the double opt-in order); optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Who accepted or declined (for those events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
}

/// A blocked pair as supplied by code or a file: these two are never introduced.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BlockRecord {
    /// One member's id.
    pub a: String,
    /// The other member's id.
    pub b: String,
}

/// A whole community as unvalidated records: what a file holds.
///
/// # Examples
///
/// Records read and write the JSON community file's form; validation comes when a community is
/// built from them.
///
/// ```
/// use pollinate::{CommunityRecords, MemberRecord};
///
/// let records: CommunityRecords = serde_json::from_str(
///     r#"{"members": [{"id": "fundi-fix", "kind": "platform", "country": "KE",
///                      "verticals": ["home-technical-services"], "needs": ["worker-vetting"]}]}"#,
/// ).unwrap();
/// assert_eq!(records.members[0].needs, ["worker-vetting"]);
/// let line = serde_json::to_string(&records.members[0]).unwrap();
/// assert_eq!(
///     line,
///     r#"{"id":"fundi-fix","name":"","kind":"platform","country":"KE","verticals":["home-technical-services"],"needs":["worker-vetting"]}"#
/// );
/// assert!(serde_json::from_str::<MemberRecord>(r#"{"id": "x", "nedds": []}"#).is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CommunityRecords {
    /// Members in input order.
    pub members: Vec<MemberRecord>,
    /// Ties.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<ConnectionRecord>,
    /// Introduction history.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub introductions: Vec<IntroductionRecord>,
    /// Blocked pairs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<BlockRecord>,
}

/// Only a member closed to introductions says so in a file (open is the default).
// serde's `skip_serializing_if` passes a reference to the field.
#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
fn is_not_false(open: &Option<bool>) -> bool {
    *open != Some(false)
}

/// A tie of full strength (the default) is written without one.
#[allow(clippy::ref_option)] // as above
fn is_full(strength: &Option<f64>) -> bool {
    strength.is_none_or(|s| (s - 1.0).abs() <= f64::EPSILON)
}

#[allow(clippy::ref_option)] // serde's `serialize_with` passes a reference to the field
fn shortest_strength<S: Serializer>(
    strength: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match strength {
        Some(s) => serializer.serialize_f64(round_strength(*s)),
        None => serializer.serialize_none(),
    }
}

/// Strengths are stored as `f32`; written with the shortest decimal that reads back to the same
/// `f32`, so files stay tidy and a round trip is exact.
pub(crate) fn round_strength(s: f64) -> f64 {
    let f = s as f32;
    f.to_string().parse::<f64>().unwrap_or(s)
}
