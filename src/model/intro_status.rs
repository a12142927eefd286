//! Where a member's introductions stand: each one's events, in order, and its state.

use serde::Serialize;

use crate::model::community::Community;
use crate::model::date::Date;
use crate::model::ids::{MemberId, MemberRef};
use crate::model::relation::Outcome;

/// One event of an introduction: what happened, when, and who did it (for `accepted` and
/// `declined`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntroductionEvent {
    /// What happened.
    pub event: Outcome,
    /// When, if recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Who accepted or declined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberRef>,
}

/// An introduction as it stands: its two members, its state after every event so far, who has
/// accepted, and the events themselves. A record without an id (a past outcome, not followed
/// event by event) is an introduction of one event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntroductionStatus {
    /// The introduction's id, when it is followed event by event.
    pub id: Option<String>,
    /// The member of its first event's `a` side.
    pub a: MemberRef,
    /// The other member.
    pub b: MemberRef,
    /// Where it stands: its last event.
    pub status: Outcome,
    /// The members who accepted it (one side, both, or none yet).
    pub accepted_by: Vec<MemberRef>,
    /// Its events, in the order they were recorded.
    pub events: Vec<IntroductionEvent>,
}

impl Community {
    /// The introductions `member` is one side of, in the order of their first events.
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::{Change, Community, Engine, MatchWeights, Outcome};
    ///
    /// let engine = Engine::new(Community::load("data/small.json")?, MatchWeights::default())?;
    /// let propose = Change::Propose {
    ///     id: Some("i1".into()), a: "fundi-fix".into(), b: "safari-riders".into(), date: None,
    /// };
    /// let accept = Change::Event {
    ///     id: "i1".into(), event: "accepted".into(), member: Some("safari-riders".into()), date: None,
    /// };
    /// let (engine, _) = engine.apply(&[propose, accept])?;
    /// let c = engine.community();
    /// let intros = c.introductions_of(c.resolve("fundi-fix")?);
    /// let i1 = intros.iter().find(|i| i.id.as_deref() == Some("i1")).unwrap();
    /// assert_eq!(i1.status, Outcome::Accepted);
    /// assert_eq!(i1.accepted_by[0].id(), "safari-riders");
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    ///
    /// # Complexity
    ///
    /// O(h) for h introduction events in the community.
    pub fn introductions_of(&self, member: MemberId) -> Vec<IntroductionStatus> {
        let mut out: Vec<IntroductionStatus> = Vec::new();
        // Index in `out` of each followed introduction, by id.
        let mut by_id: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for intro in self.introductions() {
            if intro.a != member && intro.b != member {
                continue;
            }
            let event = IntroductionEvent {
                event: intro.outcome,
                date: intro.date,
                member: intro.by.map(|m| self.member_ref(m)),
            };
            let existing = intro.id.as_deref().and_then(|id| by_id.get(id).copied());
            let i = existing.unwrap_or_else(|| {
                if let Some(id) = intro.id.as_deref() {
                    by_id.insert(id, out.len());
                }
                out.push(IntroductionStatus {
                    id: intro.id.as_deref().map(str::to_owned),
                    a: self.member_ref(intro.a),
                    b: self.member_ref(intro.b),
                    status: intro.outcome,
                    accepted_by: Vec::new(),
                    events: Vec::new(),
                });
                out.len() - 1
            });
            let status = &mut out[i];
            status.status = intro.outcome;
            if let (Outcome::Accepted, Some(by)) = (intro.outcome, &event.member) {
                if !status.accepted_by.contains(by) {
                    status.accepted_by.push(by.clone());
                }
            }
            status.events.push(event);
        }
        out
    }
}
