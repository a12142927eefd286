//! Member kinds: platform, investor, ESO, corporate, researcher, funder, other.

use std::fmt;

use crate::model::slug::{UnknownSlug, normalize_slug, suggest};

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

    /// The kind as people write it, with an article: "a platform", "an investor", "an ESO".
    pub fn with_article(self) -> &'static str {
        match self {
            MemberKind::Platform => "a platform",
            MemberKind::Investor => "an investor",
            MemberKind::Eso => "an ESO",
            MemberKind::Corporate => "a corporate",
            MemberKind::Researcher => "a researcher",
            MemberKind::Funder => "a funder",
            MemberKind::Other => "a member",
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
