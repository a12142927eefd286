//! Why a resource or journey is recommended, in plain words.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::language::Language;
use crate::model::stage::Stage;

/// One reason a resource or journey is in a member's list; serializes as the sentence it
/// displays.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum LearningReason {
    /// It covers topics the member needs.
    CoversNeeds {
        /// Topic names, alphabetical.
        topics: Vec<String>,
        /// The member's name.
        member: String,
    },
    /// It is written for these stages, the member's among them.
    ForStages {
        /// The stages, in order.
        stages: Vec<Stage>,
    },
    /// It is written for the member's vertical.
    ForVertical {
        /// The vertical's name.
        vertical: String,
    },
    /// It is in a language the member reads that is not the community's main one.
    InLanguage {
        /// The language.
        language: Language,
    },
    /// Members with a similar profile (kind, vertical, stage) found it useful.
    PeersFoundUseful,
    /// A journey the member has started: how far along, and the next step.
    Progress {
        /// Steps consumed.
        done: usize,
        /// Steps in all.
        steps: usize,
        /// The next step's title.
        next: String,
    },
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(f: &mut fmt::Formatter<'_>, items: &[impl fmt::Display]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(if i + 1 == items.len() { " and " } else { ", " })?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl fmt::Display for LearningReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LearningReason::CoversNeeds { topics, member } => {
                f.write_str("covers ")?;
                and_list(f, topics)?;
                let which = if topics.len() == 1 {
                    "which"
                } else {
                    "all of which"
                };
                write!(f, ", {which} {member} needs")
            }
            LearningReason::ForStages { stages } => {
                f.write_str("written for ")?;
                let labels: Vec<&str> = stages.iter().map(|s| s.slug()).collect();
                and_list(f, &labels)?;
                f.write_str(if stages.len() == 1 {
                    " stage"
                } else {
                    " stages"
                })
            }
            LearningReason::ForVertical { vertical } => write!(f, "written for {vertical}"),
            LearningReason::InLanguage { language } => write!(f, "in {}", language.name()),
            LearningReason::PeersFoundUseful => {
                f.write_str("members like you (same kind, vertical or stage) found this useful")
            }
            LearningReason::Progress { done, steps, next } => {
                write!(f, "{done} of {steps} steps done; next: {next}")
            }
        }
    }
}

impl Serialize for LearningReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
