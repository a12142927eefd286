//! Growth stages of a platform, and member kinds.

use std::fmt;

use crate::slug::{normalize_slug, suggest};

/// A platform's growth stage, ordered from `idea` to `mature`.
///
/// # Examples
///
/// ```
/// use pollinate::Stage;
///
/// assert!(Stage::PreSeed < Stage::Growth);
/// assert_eq!("Pre Seed".parse::<Stage>(), Ok(Stage::PreSeed));
/// assert_eq!(Stage::SeriesA.slug(), "series-a");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// An idea, not yet a product.
    Idea,
    /// Pre-seed.
    PreSeed,
    /// Seed.
    Seed,
    /// Series A.
    SeriesA,
    /// Growth (series B and later).
    Growth,
    /// Mature, established business.
    Mature,
}

impl Stage {
    /// All stages, in order.
    pub const ALL: [Stage; 6] = [
        Stage::Idea,
        Stage::PreSeed,
        Stage::Seed,
        Stage::SeriesA,
        Stage::Growth,
        Stage::Mature,
    ];

    /// The slug used in files and output.
    pub fn slug(self) -> &'static str {
        match self {
            Stage::Idea => "idea",
            Stage::PreSeed => "pre-seed",
            Stage::Seed => "seed",
            Stage::SeriesA => "series-a",
            Stage::Growth => "growth",
            Stage::Mature => "mature",
        }
    }

    /// 0-based position in [`Stage::ALL`].
    pub fn ordinal(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// Why a slug could not be parsed: the normalised value and the closest valid slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSlug {
    /// The closest valid slug, when one is close.
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.suggestion {
            Some(s) => write!(f, "unknown value; did you mean `{s}`?"),
            None => write!(f, "unknown value"),
        }
    }
}

impl std::error::Error for UnknownSlug {}

impl std::str::FromStr for Stage {
    type Err = UnknownSlug;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let slug = normalize_slug(s);
        Stage::ALL
            .into_iter()
            .find(|st| st.slug() == slug)
            .ok_or_else(|| UnknownSlug {
                suggestion: suggest(&slug, Stage::ALL.iter().map(|st| st.slug())),
            })
    }
}

/// What kind of member someone is.
///
/// # Examples
///
/// ```
/// use pollinate::MemberKind;
///
/// assert_eq!("ESO".parse::<MemberKind>(), Ok(MemberKind::Eso));
/// assert_eq!(MemberKind::Platform.slug(), "platform");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MemberKind {
    /// A jobtech platform (its founders).
    Platform,
    /// An investor: angel, VC, impact or commercial.
    Investor,
    /// An entrepreneur support organisation (accelerator, incubator, hub).
    Eso,
    /// A corporate (telco, insurer, bank, employer).
    Corporate,
    /// A researcher or research organisation.
    Researcher,
    /// A funder: donor, foundation, development agency.
    Funder,
    /// Anyone else.
    Other,
}

impl MemberKind {
    /// All kinds, in this order.
    pub const ALL: [MemberKind; 7] = [
        MemberKind::Platform,
        MemberKind::Investor,
        MemberKind::Eso,
        MemberKind::Corporate,
        MemberKind::Researcher,
        MemberKind::Funder,
        MemberKind::Other,
    ];

    /// The slug used in files and output.
    pub fn slug(self) -> &'static str {
        match self {
            MemberKind::Platform => "platform",
            MemberKind::Investor => "investor",
            MemberKind::Eso => "eso",
            MemberKind::Corporate => "corporate",
            MemberKind::Researcher => "researcher",
            MemberKind::Funder => "funder",
            MemberKind::Other => "other",
        }
    }

    /// 0-based position in [`MemberKind::ALL`].
    pub fn ordinal(self) -> usize {
        self as usize
    }
}

impl fmt::Display for MemberKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl std::str::FromStr for MemberKind {
    type Err = UnknownSlug;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let slug = normalize_slug(s);
        MemberKind::ALL
            .into_iter()
            .find(|k| k.slug() == slug)
            .ok_or_else(|| UnknownSlug {
                suggestion: suggest(&slug, MemberKind::ALL.iter().map(|k| k.slug())),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_ordered_and_round_trip() {
        for w in Stage::ALL.windows(2) {
            assert!(w[0] < w[1]);
        }
        for s in Stage::ALL {
            assert_eq!(s.slug().parse::<Stage>(), Ok(s));
        }
        assert_eq!(
            "preseed"
                .parse::<Stage>()
                .unwrap_err()
                .suggestion
                .as_deref(),
            Some("pre-seed")
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in MemberKind::ALL {
            assert_eq!(k.slug().parse::<MemberKind>(), Ok(k));
        }
        assert_eq!(
            "investr"
                .parse::<MemberKind>()
                .unwrap_err()
                .suggestion
                .as_deref(),
            Some("investor")
        );
    }
}
