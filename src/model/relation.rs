//! Relations between members: ties and the introduction history.

use std::fmt;

use crate::model::date::Date;
use crate::model::ids::MemberId;
use crate::model::slug::{UnknownSlug, normalize_slug, suggest};

/// An undirected tie between two members, with a strength in (0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Connection {
    /// One end.
    pub a: MemberId,
    /// The other end.
    pub b: MemberId,
    /// Tie strength in (0, 1].
    pub strength: f32,
}

/// What came of an introduction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Proposed; nothing recorded since.
    Proposed,
    /// One side declined.
    Declined,
    /// They met.
    Met,
    /// They went on to partner (deal, pilot, investment, hire).
    Partnered,
}

impl Outcome {
    /// All outcomes.
    pub const ALL: [Outcome; 4] = [
        Outcome::Proposed,
        Outcome::Declined,
        Outcome::Met,
        Outcome::Partnered,
    ];

    /// The slug used in files and output.
    pub fn slug(self) -> &'static str {
        match self {
            Outcome::Proposed => "proposed",
            Outcome::Declined => "declined",
            Outcome::Met => "met",
            Outcome::Partnered => "partnered",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl std::str::FromStr for Outcome {
    type Err = UnknownSlug;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let slug = normalize_slug(s);
        Outcome::ALL
            .into_iter()
            .find(|o| o.slug() == slug)
            .ok_or_else(|| UnknownSlug {
                suggestion: suggest(&slug, Outcome::ALL.iter().map(|o| o.slug())),
            })
    }
}

/// A recorded introduction between two members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Introduction {
    /// One side.
    pub a: MemberId,
    /// The other side.
    pub b: MemberId,
    /// What came of it.
    pub outcome: Outcome,
    /// When it happened, if recorded.
    pub date: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_parse_with_suggestions() {
        assert_eq!("MET".parse::<Outcome>(), Ok(Outcome::Met));
        assert_eq!(
            "partnerd"
                .parse::<Outcome>()
                .unwrap_err()
                .suggestion
                .as_deref(),
            Some("partnered")
        );
    }
}
