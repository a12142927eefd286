//! Relations between members: ties and the introduction history.

use std::fmt;
use std::sync::Arc;

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

/// What came of an introduction, or the event that moved it: an introduction is `proposed`,
/// each side `accepted` it or one `declined`, it was `introduced` once both accepted, and then
/// they `met` (and perhaps `partnered`) or there was `no-response`.
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
    /// One side accepted (both, once each has).
    Accepted,
    /// Both accepted, and the introduction was made.
    Introduced,
    /// Introduced, and nothing came of it.
    NoResponse,
}

impl Outcome {
    /// All outcomes.
    pub const ALL: [Outcome; 7] = [
        Outcome::Proposed,
        Outcome::Declined,
        Outcome::Met,
        Outcome::Partnered,
        Outcome::Accepted,
        Outcome::Introduced,
        Outcome::NoResponse,
    ];

    /// The slug used in files and output.
    pub fn slug(self) -> &'static str {
        match self {
            Outcome::Proposed => "proposed",
            Outcome::Declined => "declined",
            Outcome::Met => "met",
            Outcome::Partnered => "partnered",
            Outcome::Accepted => "accepted",
            Outcome::Introduced => "introduced",
            Outcome::NoResponse => "no-response",
        }
    }

    /// Whether the event is one side's (`accepted`, `declined`): it names the member.
    pub fn is_one_sides(self) -> bool {
        matches!(self, Outcome::Accepted | Outcome::Declined)
    }
}

/// Where an introduction with an id stands after its events: its last outcome and which sides
/// accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IntroState {
    pub(crate) outcome: Outcome,
    pub(crate) accepted: [bool; 2],
}

impl IntroState {
    /// The state after `event` by `side` (0 for `a`, 1 for `b`; only for one side's events),
    /// from `self` (`None` before the first event), or why the event cannot come now.
    pub(crate) fn after(
        state: Option<IntroState>,
        event: Outcome,
        side: Option<usize>,
    ) -> Result<IntroState, &'static str> {
        use Outcome::{Accepted, Declined, Introduced, Met, NoResponse, Partnered, Proposed};
        let Some(state) = state else {
            return if event == Proposed {
                Ok(IntroState {
                    outcome: Proposed,
                    accepted: [false; 2],
                })
            } else {
                Err("an introduction starts as proposed")
            };
        };
        let next = |outcome| Ok(IntroState { outcome, ..state });
        match (state.outcome, event) {
            (Declined | NoResponse | Partnered, _) => Err("the introduction is closed"),
            (_, Proposed) => Err("already proposed"),
            (Proposed | Accepted, Accepted | Declined) => {
                let Some(side) = side else {
                    return Err("accepted or declined needs the member who did");
                };
                if event == Declined {
                    return next(Declined);
                }
                if state.accepted[side] {
                    return Err("this member already accepted");
                }
                let mut accepted = state.accepted;
                accepted[side] = true;
                Ok(IntroState {
                    outcome: Accepted,
                    accepted,
                })
            }
            (Proposed | Accepted, Introduced) if state.accepted == [true; 2] => next(Introduced),
            (Proposed | Accepted, _) => Err("both sides must accept before the introduction"),
            (Introduced, Met | NoResponse | Partnered) | (Met, Partnered) => next(event),
            (Introduced | Met, _) => Err("not an event that can follow"),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl serde::Serialize for Outcome {
    /// Serializes as its slug.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.slug())
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

/// A recorded introduction between two members, or one event of one (events of the same
/// introduction share its id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Introduction {
    /// One side.
    pub a: MemberId,
    /// The other side.
    pub b: MemberId,
    /// What came of it (or what happened at this event).
    pub outcome: Outcome,
    /// When it happened, if recorded.
    pub date: Option<Date>,
    /// The introduction this event is of, when it is followed event by event.
    pub id: Option<Arc<str>>,
    /// Who accepted or declined, for those events.
    pub by: Option<MemberId>,
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
