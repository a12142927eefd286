//! The validated [`Member`].

use std::sync::Arc;

use crate::model::consent::Consent;
use crate::model::country::Country;
use crate::model::ids::{CopId, TopicId};
use crate::model::kind::MemberKind;
use crate::model::language::Language;
use crate::model::stage::Stage;
use crate::model::taxonomy::VerticalId;

/// A validated member of a community. Built by
/// [`CommunityBuilder::build`](crate::CommunityBuilder::build) or a loader; immutable.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub(crate) id: Arc<str>,
    pub(crate) name: Arc<str>,
    pub(crate) kind: MemberKind,
    pub(crate) country: Country,
    pub(crate) verticals: Vec<VerticalId>,
    pub(crate) stage: Option<Stage>,
    pub(crate) stage_focus: Vec<Stage>,
    pub(crate) offers: Vec<TopicId>,
    pub(crate) needs: Vec<TopicId>,
    pub(crate) communities: Vec<CopId>,
    pub(crate) languages: Vec<Language>,
    pub(crate) open_to_intros: bool,
    pub(crate) max_intros: Option<u32>,
    pub(crate) consent: Consent,
    /// Removed from a live community: its id is kept (never given to anyone else), its data
    /// erased, and it is in no output.
    pub(crate) removed: bool,
}

impl Member {
    /// The id as written in the input (trimmed).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Display name (the id when the input gave none).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The id, shared.
    pub(crate) fn id_arc(&self) -> Arc<str> {
        Arc::clone(&self.id)
    }
    /// The display name, shared.
    pub(crate) fn name_arc(&self) -> Arc<str> {
        Arc::clone(&self.name)
    }
    /// What kind of member this is.
    pub fn kind(&self) -> MemberKind {
        self.kind
    }
    /// Home country.
    pub fn country(&self) -> Country {
        self.country
    }
    /// Verticals the member works in or is interested in (one or more; sorted, no repeats).
    pub fn verticals(&self) -> &[VerticalId] {
        &self.verticals
    }
    /// Growth stage (meaningful for platforms).
    pub fn stage(&self) -> Option<Stage> {
        self.stage
    }
    /// Stages an investor or ESO serves (sorted, no repeats).
    pub fn stage_focus(&self) -> &[Stage] {
        &self.stage_focus
    }
    /// Topics the member offers to others (sorted, no repeats).
    pub fn offers(&self) -> &[TopicId] {
        &self.offers
    }
    /// Topics the member needs (sorted, no repeats).
    pub fn needs(&self) -> &[TopicId] {
        &self.needs
    }
    /// Communities of practice the member belongs to (sorted, no repeats).
    pub fn communities(&self) -> &[CopId] {
        &self.communities
    }
    /// Languages the member works in (sorted by code, no repeats; may be empty: then the
    /// member is matched with anyone).
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }
    /// Whether the member wants introductions (default true). A member who does not is never
    /// recommended and receives no recommendations.
    pub fn open_to_intros(&self) -> bool {
        self.open_to_intros
    }
    /// Most introductions per round, when the member set a limit.
    pub fn max_intros(&self) -> Option<u32> {
        self.max_intros
    }
    /// What the member consents to.
    pub fn consent(&self) -> Consent {
        self.consent
    }
    /// Whether the member was removed from a live community (then it is in no output).
    pub fn is_removed(&self) -> bool {
        self.removed
    }

    /// What is left of a removed member: its id and nothing else.
    pub(crate) fn erased(&self) -> Member {
        Member {
            id: Arc::clone(&self.id),
            name: Arc::clone(&self.id),
            kind: self.kind,
            country: self.country,
            verticals: Vec::new(),
            stage: None,
            stage_focus: Vec::new(),
            offers: Vec::new(),
            needs: Vec::new(),
            communities: Vec::new(),
            languages: Vec::new(),
            open_to_intros: false,
            max_intros: None,
            consent: Consent::default(),
            removed: true,
        }
    }
}
