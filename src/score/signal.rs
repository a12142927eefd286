//! The seven signals of a pair score, and a value per signal.

use std::fmt;
use std::ops::{Index, IndexMut};

use serde::{Deserialize, Serialize};

/// One of the seven signals a pair score adds up, each in [0, 1] and symmetric in the pair.
///
/// # Examples
///
/// ```
/// use pollinate::Signal;
///
/// assert_eq!(Signal::ALL.len(), 7);
/// assert_eq!(Signal::Warmth.name(), "warmth");
/// assert_eq!("needs".parse::<Signal>(), Ok(Signal::Needs));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signal {
    /// Needs met, both ways: what one offers that the other needs.
    Needs,
    /// Taxonomy affinity of the two members' verticals.
    Taxonomy,
    /// Growth-stage fit.
    Stage,
    /// Shared communities of practice.
    Communities,
    /// Same country or region.
    Geography,
    /// Network warmth: weighted Adamic-Adar over mutual contacts.
    Warmth,
    /// The prior of the two members' kinds.
    Kind,
}

impl Signal {
    /// The seven signals, in the order scores add them and components are reported.
    pub const ALL: [Signal; 7] = [
        Signal::Needs,
        Signal::Taxonomy,
        Signal::Stage,
        Signal::Communities,
        Signal::Geography,
        Signal::Warmth,
        Signal::Kind,
    ];

    /// The signal's name in files and output, e.g. `needs`.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Needs => "needs",
            Signal::Taxonomy => "taxonomy",
            Signal::Stage => "stage",
            Signal::Communities => "communities",
            Signal::Geography => "geography",
            Signal::Warmth => "warmth",
            Signal::Kind => "kind",
        }
    }

    /// 0-based position in [`Signal::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Signal {
    type Err = crate::model::slug::UnknownSlug;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let slug = crate::model::slug::normalize_slug(s);
        Signal::ALL
            .into_iter()
            .find(|x| x.name() == slug)
            .ok_or_else(|| crate::model::slug::UnknownSlug {
                suggestion: crate::model::slug::suggest(&slug, Signal::ALL.map(Signal::name)),
            })
    }
}

/// One value per [`Signal`], indexed by signal.
///
/// # Examples
///
/// ```
/// use pollinate::{BySignal, Signal};
///
/// let mut w = BySignal::splat(0.0f32);
/// w[Signal::Needs] = 0.5;
/// assert_eq!(w[Signal::Needs], 0.5);
/// assert_eq!(w.iter().map(|(s, _)| s).collect::<Vec<_>>(), Signal::ALL);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BySignal<T>(pub [T; 7]);

impl<T: Copy> BySignal<T> {
    /// The same value for every signal.
    pub fn splat(value: T) -> Self {
        BySignal([value; 7])
    }
}

impl<T> BySignal<T> {
    /// The signals with their values, in [`Signal::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Signal, &T)> {
        Signal::ALL.into_iter().zip(self.0.iter())
    }

    /// The values, in [`Signal::ALL`] order.
    pub fn values(&self) -> &[T; 7] {
        &self.0
    }

    /// Each value mapped by `f`, with its signal.
    pub fn map<U>(&self, mut f: impl FnMut(Signal, &T) -> U) -> BySignal<U> {
        BySignal(std::array::from_fn(|i| f(Signal::ALL[i], &self.0[i])))
    }
}

impl<T> From<[T; 7]> for BySignal<T> {
    /// Values in [`Signal::ALL`] order.
    fn from(values: [T; 7]) -> Self {
        BySignal(values)
    }
}

impl<T> Index<Signal> for BySignal<T> {
    type Output = T;
    #[inline]
    fn index(&self, signal: Signal) -> &T {
        &self.0[signal as usize]
    }
}

impl<T> IndexMut<Signal> for BySignal<T> {
    #[inline]
    fn index_mut(&mut self, signal: Signal) -> &mut T {
        &mut self.0[signal as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_order() {
        for (i, s) in Signal::ALL.into_iter().enumerate() {
            assert_eq!(s.index(), i);
            assert_eq!(s.name().parse::<Signal>(), Ok(s));
        }
        assert_eq!(
            "warmht"
                .parse::<Signal>()
                .unwrap_err()
                .suggestion
                .as_deref(),
            Some("warmth")
        );
    }
}
