//! Growth stages of a platform, from idea to mature.

use std::fmt;

use crate::model::slug::{UnknownSlug, normalize_slug, suggest};

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

    /// The stage as people write it: "idea", "pre-seed", "seed", "Series A", "growth",
    /// "mature".
    pub fn label(self) -> &'static str {
        match self {
            Stage::SeriesA => "Series A",
            other => other.slug(),
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
}
