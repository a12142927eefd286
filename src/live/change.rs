//! Changes to a live community, and what applying them did.

use serde::{Deserialize, Serialize};

use crate::model::ids::MemberRef;
use crate::model::record::MemberRecord;
use crate::model::relation::Outcome;

/// One change to a live community. A list of changes is applied all or nothing by
/// [`Engine::apply`](crate::Engine::apply); its serde form is what a service reads:
/// `{"change": "put-tie", "a": "fundi-fix", "b": "safari-riders", "strength": 0.6}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Change {
    /// Adds a member, or replaces the member with the same id (its ties, blocks and
    /// introductions stay).
    PutMember {
        /// The member, as the file format has it.
        member: MemberRecord,
    },
    /// Removes a member and erases it: the ties, blocks and introductions that name it go too,
    /// and its dense id is never given to anyone else.
    RemoveMember {
        /// The member's id.
        id: String,
    },
    /// Adds a tie, or sets the strength of an existing one.
    PutTie {
        /// One member's id.
        a: String,
        /// The other's.
        b: String,
        /// Strength in (0, 1]; 1 when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        strength: Option<f64>,
    },
    /// Removes a tie.
    RemoveTie {
        /// One member's id.
        a: String,
        /// The other's.
        b: String,
    },
    /// Blocks a pair: they are never introduced, and neither introduces the other.
    Block {
        /// One member's id.
        a: String,
        /// The other's.
        b: String,
    },
    /// Lifts a block.
    Unblock {
        /// One member's id.
        a: String,
        /// The other's.
        b: String,
    },
    /// Proposes an introduction of `a` and `b`: the first step of the double opt-in.
    Propose {
        /// The introduction's id; one is made (`intro-N`) when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// One member's id.
        a: String,
        /// The other's.
        b: String,
        /// `YYYY-MM-DD`, optional.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<String>,
    },
    /// Moves an introduction along: `accepted` or `declined` by one of its members, then
    /// `introduced` once both accepted, then `met`, `partnered` or `no-response`.
    Event {
        /// The introduction's id.
        id: String,
        /// The event: `accepted`, `declined`, `introduced`, `met`, `partnered` or
        /// `no-response`.
        event: String,
        /// Who accepted or declined.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        member: Option<String>,
        /// `YYYY-MM-DD`, optional.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<String>,
    },
}

/// What one change did.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "effect", rename_all = "kebab-case")]
pub enum Effect {
    /// A member was added, with this dense id.
    MemberAdded {
        /// The member.
        member: MemberRef,
    },
    /// A member's record was replaced.
    MemberUpdated {
        /// The member.
        member: MemberRef,
    },
    /// A member was removed (its id is listed, its dense id never reused).
    MemberRemoved {
        /// The member's id.
        id: String,
    },
    /// A tie was added.
    TieAdded,
    /// A tie's strength was set.
    TieUpdated,
    /// A tie was removed.
    TieRemoved,
    /// A pair was blocked.
    Blocked,
    /// A block was lifted.
    Unblocked,
    /// An introduction was proposed, with this id.
    Proposed {
        /// The introduction's id.
        id: String,
    },
    /// An introduction moved on.
    Moved {
        /// The introduction's id.
        id: String,
        /// Where it stands now.
        outcome: Outcome,
    },
}
