//! The validated, immutable [`Community`].

use std::ops::Index;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::model::ids::{CopId, IdMap, MemberId, MemberRef, TopicId};
use crate::model::language::Language;
use crate::model::member::Member;
use crate::model::record::{
    BlockRecord, CommunityRecords, ConnectionRecord, IntroductionRecord, MemberRecord,
};
use crate::model::relation::{Connection, Introduction};
use crate::model::slug::{position_in, suggest_raw};
use crate::model::taxonomy::Taxonomy;

/// A community: its taxonomy, members, ties, introduction history and blocked pairs, validated
/// once and immutable afterwards.
///
/// Members keep their input order ([`MemberId`] is the position); topics and communities of
/// practice are numbered alphabetically; connections, introductions and blocked pairs keep their
/// input order with each pair stored as given.
///
/// # Examples
///
/// ```
/// use pollinate::{Community, ConnectionRecord, MemberRecord, Taxonomy};
///
/// let community = Community::builder(Taxonomy::jobtech())
///     .member(MemberRecord::new("fundi", "platform", "KE").verticals(["home-technical-services"]))
///     .member(MemberRecord::new("boda", "platform", "UG").verticals(["taxi-delivery-logistics"]))
///     .connection(ConnectionRecord { a: "fundi".into(), b: "boda".into(), strength: Some(0.5) })
///     .build()?;
/// assert_eq!(community.len(), 2);
/// let fundi = community.member_id("fundi").unwrap();
/// assert_eq!(community[fundi].country().name(), "Kenya");
/// assert_eq!(community.connections()[0].strength, 0.5);
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Community {
    pub(super) taxonomy: Taxonomy,
    pub(super) members: Vec<Member>,
    pub(super) by_id: IdMap<MemberId>,
    pub(super) topics: Vec<Arc<str>>,
    pub(super) cops: Vec<Arc<str>>,
    /// Each topic's and community of practice's label (see [`Community::topic_name`]).
    pub(super) topic_names: Vec<Arc<str>>,
    pub(super) cop_names: Vec<Arc<str>>,
    /// The languages the members state, sorted, and the one most of them state.
    pub(super) languages: Vec<Language>,
    pub(super) main_language: Option<Language>,
    pub(super) connections: Vec<Connection>,
    pub(super) introductions: Vec<Introduction>,
    pub(super) blocked: Vec<(MemberId, MemberId)>,
}

impl Community {
    /// The taxonomy the members' verticals come from.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// All members, in input order.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Ids of all members, in input order.
    pub fn member_ids(&self) -> impl ExactSizeIterator<Item = MemberId> + '_ {
        (0..self.members.len()).map(|i| MemberId(i as u32))
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The dense id of the member with this string id.
    pub fn member_id(&self, id: &str) -> Option<MemberId> {
        self.by_id.get(id.trim()).copied()
    }

    /// The dense id of the member with this string id, or an error naming the closest id.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownMember`](crate::ErrorKind::UnknownMember) when no member has this id.
    pub fn resolve(&self, id: &str) -> Result<MemberId> {
        self.member_id(id).ok_or_else(|| {
            Error::unknown_member(
                id,
                suggest_raw(id.trim(), self.members.iter().map(|m| &*m.id)),
            )
        })
    }

    /// The member with this dense id, when it is in range.
    pub fn get(&self, id: MemberId) -> Option<&Member> {
        self.members.get(id.index())
    }

    /// All topic slugs (needs and offers), alphabetical; [`TopicId`] indexes it.
    pub fn topics(&self) -> &[Arc<str>] {
        &self.topics
    }

    /// The slug of a topic.
    pub fn topic(&self, id: TopicId) -> &str {
        &self.topics[id.index()]
    }

    /// The id of a topic slug (normalised first).
    pub fn topic_id(&self, slug: &str) -> Option<TopicId> {
        position_in(&self.topics, slug).map(|i| TopicId(i as u32))
    }

    /// The slug of a topic, shared.
    pub(crate) fn topic_slug(&self, id: TopicId) -> Arc<str> {
        Arc::clone(&self.topics[id.index()])
    }

    /// A topic as people read it: "worker vetting" for `worker-vetting`, "M&A" for `m-and-a`,
    /// "market entry in Egypt" for `market-entry-eg`.
    pub fn topic_name(&self, id: TopicId) -> &str {
        &self.topic_names[id.index()]
    }

    /// [`Community::topic_name`], shared.
    pub(crate) fn topic_name_arc(&self, id: TopicId) -> Arc<str> {
        Arc::clone(&self.topic_names[id.index()])
    }

    /// The slug of a community of practice, shared.
    pub(crate) fn cop_slug(&self, id: CopId) -> Arc<str> {
        Arc::clone(&self.cops[id.index()])
    }

    /// A community of practice as people read it: "Jobtech for Refugees" for
    /// `jobtech-for-refugees`.
    pub fn cop_name(&self, id: CopId) -> &str {
        &self.cop_names[id.index()]
    }

    /// [`Community::cop_name`], shared.
    pub(crate) fn cop_name_arc(&self, id: CopId) -> Arc<str> {
        Arc::clone(&self.cop_names[id.index()])
    }

    /// Every language a member states, sorted by code.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    /// The language most members state (the first by code among equals), if any does: the
    /// community's working language, which reasons do not mention.
    pub fn main_language(&self) -> Option<Language> {
        self.main_language
    }

    /// Member `m` as results name it: its dense id and its string id.
    ///
    /// # Panics
    ///
    /// When `m` is not a member of this community (as indexing does).
    pub fn member_ref(&self, m: MemberId) -> MemberRef {
        MemberRef::new(m, self[m].id_arc())
    }

    /// All community-of-practice slugs, alphabetical; [`CopId`] indexes it.
    pub fn cops(&self) -> &[Arc<str>] {
        &self.cops
    }

    /// The slug of a community of practice.
    pub fn cop(&self, id: CopId) -> &str {
        &self.cops[id.index()]
    }

    /// The id of a community-of-practice slug (normalised first).
    pub fn cop_id(&self, slug: &str) -> Option<CopId> {
        position_in(&self.cops, slug).map(|i| CopId(i as u32))
    }

    /// All ties, in input order.
    pub fn connections(&self) -> &[Connection] {
        &self.connections
    }

    /// The introduction history, in input order.
    pub fn introductions(&self) -> &[Introduction] {
        &self.introductions
    }

    /// Blocked pairs, in input order: these are never introduced.
    pub fn blocked(&self) -> &[(MemberId, MemberId)] {
        &self.blocked
    }

    /// The community as records again, in input order: the inverse of building, for writing
    /// files or deriving a changed community.
    pub fn to_records(&self) -> CommunityRecords {
        let id = |m: MemberId| self.members[m.index()].id.to_string();
        let topics = |ts: &[TopicId]| ts.iter().map(|&t| self.topic(t).to_owned()).collect();
        CommunityRecords {
            members: self
                .members
                .iter()
                .map(|m| MemberRecord {
                    id: m.id.to_string(),
                    name: m.name.to_string(),
                    kind: m.kind.slug().to_owned(),
                    country: m.country.code().to_owned(),
                    verticals: m
                        .verticals
                        .iter()
                        .map(|&v| self.taxonomy[v].slug().to_owned())
                        .collect(),
                    stage: m.stage.map(|s| s.slug().to_owned()),
                    stage_focus: m.stage_focus.iter().map(|s| s.slug().to_owned()).collect(),
                    offers: topics(&m.offers),
                    needs: topics(&m.needs),
                    communities: m
                        .communities
                        .iter()
                        .map(|&c| self.cop(c).to_owned())
                        .collect(),
                    languages: m.languages.iter().map(|l| l.code().to_owned()).collect(),
                    open_to_intros: Some(m.open_to_intros),
                    max_intros: m.max_intros,
                })
                .collect(),
            connections: self
                .connections
                .iter()
                .map(|c| ConnectionRecord {
                    a: id(c.a),
                    b: id(c.b),
                    strength: Some(f64::from(c.strength)),
                })
                .collect(),
            introductions: self
                .introductions
                .iter()
                .map(|i| IntroductionRecord {
                    a: id(i.a),
                    b: id(i.b),
                    outcome: i.outcome.slug().to_owned(),
                    date: i.date.map(|d| d.to_string()),
                })
                .collect(),
            blocked: self
                .blocked
                .iter()
                .map(|&(a, b)| BlockRecord { a: id(a), b: id(b) })
                .collect(),
        }
    }
}

impl Index<MemberId> for Community {
    type Output = Member;
    fn index(&self, id: MemberId) -> &Member {
        &self.members[id.index()]
    }
}
