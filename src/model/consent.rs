//! What a member lets the community use of them, signal by signal.

use serde::{Deserialize, Serialize};

/// What a member consents to, flag by flag; each is true unless the member says otherwise.
///
/// # Examples
///
/// ```
/// use pollinate::{Community, Taxonomy};
///
/// let community = Community::from_json_str(
///     r#"{"members": [{"id": "quiet", "kind": "eso", "country": "KE", "verticals": ["microwork"],
///                      "consent": {"introduce": false}}]}"#,
///     Taxonomy::jobtech(),
/// )?;
/// let consent = community[community.resolve("quiet")?].consent();
/// assert!(!consent.introduce);
/// assert!(consent.ties && consent.needs_in_reasons && consent.directory);
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[allow(clippy::struct_excessive_bools)] // one flag a signal, as the file format has them
pub struct Consent {
    /// May be named as the introducer of two of their contacts (in lists, rounds and the
    /// introducers' capacity).
    pub introduce: bool,
    /// Their ties count: for the warmth of others' pairs and their own, and to make them an
    /// introducer. When false, their ties only keep them from being introduced to people they
    /// already know.
    pub ties: bool,
    /// Their needs may be named in reasons shown to other members; when false, reasons say
    /// "a need of theirs matches" instead. Their needs still count in scores.
    pub needs_in_reasons: bool,
    /// Listed in the member directory.
    pub directory: bool,
}

impl Default for Consent {
    fn default() -> Self {
        Consent {
            introduce: true,
            ties: true,
            needs_in_reasons: true,
            directory: true,
        }
    }
}

/// A member's consent as a file gives it: each flag optional, true when absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsentRecord {
    /// See [`Consent::introduce`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introduce: Option<bool>,
    /// See [`Consent::ties`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ties: Option<bool>,
    /// See [`Consent::needs_in_reasons`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_in_reasons: Option<bool>,
    /// See [`Consent::directory`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory: Option<bool>,
}

impl ConsentRecord {
    /// The file's names of the flags, in order.
    pub(crate) const FIELDS: [&'static str; 4] =
        ["introduce", "ties", "needs_in_reasons", "directory"];

    /// Whether every flag is left to its default (the record is then not written).
    pub fn is_default(&self) -> bool {
        *self == ConsentRecord::default()
    }

    /// The consent this record gives.
    pub fn consent(&self) -> Consent {
        Consent {
            introduce: self.introduce.unwrap_or(true),
            ties: self.ties.unwrap_or(true),
            needs_in_reasons: self.needs_in_reasons.unwrap_or(true),
            directory: self.directory.unwrap_or(true),
        }
    }

    /// The record of `consent`: only the flags that are false.
    pub fn of(consent: Consent) -> Self {
        let given = |flag: bool| (!flag).then_some(false);
        ConsentRecord {
            introduce: given(consent.introduce),
            ties: given(consent.ties),
            needs_in_reasons: given(consent.needs_in_reasons),
            directory: given(consent.directory),
        }
    }

    /// The flag named `name` (one of [`ConsentRecord::FIELDS`]).
    pub(crate) fn flag_mut(&mut self, name: &str) -> Option<&mut Option<bool>> {
        match name {
            "introduce" => Some(&mut self.introduce),
            "ties" => Some(&mut self.ties),
            "needs_in_reasons" => Some(&mut self.needs_in_reasons),
            "directory" => Some(&mut self.directory),
            _ => None,
        }
    }
}
