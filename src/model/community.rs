//! The validated, immutable [`Community`].

use std::ops::Index;
use std::sync::Arc;

use crate::chunked::Chunked;
use crate::error::{Error, Result};
use crate::model::consent::ConsentRecord;
use crate::model::ids::{CopId, IdMap, MemberId, MemberRef, TopicId};
use crate::model::language::Language;
use crate::model::member::Member;
use crate::model::record::{
    BlockRecord, CommunityRecords, ConnectionRecord, IntroductionRecord, MemberRecord,
};
use crate::model::relation::{Connection, Introduction};
use crate::model::slug::normalize_slug;
use crate::model::suggest::IdSuggester;
use crate::model::taxonomy::Taxonomy;

/// A community: its taxonomy, members, ties, introduction history and blocked pairs, validated
/// once and immutable afterwards (a live engine changes it by making a new one).
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
///
/// A community is cheap to clone: its parts are shared, and a live community's changes
/// ([`Engine::apply`](crate::Engine::apply)) copy only what they touch.
#[derive(Clone, Debug)]
pub struct Community {
    pub(crate) taxonomy: Taxonomy,
    /// Every member id ever given, in order; removed members stay as erased entries, so that
    /// an id is never given to anyone else.
    pub(crate) members: Chunked<Member>,
    /// Members not removed.
    pub(crate) alive: usize,
    pub(crate) by_id: Arc<IdMap<MemberId>>,
    /// The index of member ids that "did you mean" suggestions search, built on first need
    /// and replaced when members are added or removed.
    pub(crate) id_index: Arc<std::sync::OnceLock<IdSuggester>>,
    pub(crate) topics: Arc<Vec<Arc<str>>>,
    pub(crate) cops: Arc<Vec<Arc<str>>>,
    /// Each topic's and community of practice's label (see [`Community::topic_name`]).
    pub(crate) topic_names: Arc<Vec<Arc<str>>>,
    pub(crate) cop_names: Arc<Vec<Arc<str>>>,
    /// Topic and community slugs to their ids.
    pub(crate) topic_ids: Arc<IdMap<u32>>,
    pub(crate) cop_ids: Arc<IdMap<u32>>,
    /// The languages the members state, sorted, and the one most of them state.
    pub(crate) languages: Vec<Language>,
    pub(crate) main_language: Option<Language>,
    /// How many members state each language (what the two above come from).
    pub(crate) language_counts: Arc<std::collections::BTreeMap<Language, usize>>,
    pub(crate) connections: Arc<Vec<Connection>>,
    pub(crate) introductions: Arc<Vec<Introduction>>,
    pub(crate) blocked: Arc<Vec<(MemberId, MemberId)>>,
}

impl Community {
    /// The taxonomy the members' verticals come from.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// All members, in input order (members removed from a live community left out).
    pub fn members(&self) -> impl Iterator<Item = &Member> + '_ {
        self.members.iter().filter(|m| !m.removed)
    }

    /// Ids of all members, in input order (members removed from a live community left out).
    pub fn member_ids(&self) -> impl Iterator<Item = MemberId> + '_ {
        self.members
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.removed)
            .map(|(i, _)| MemberId(i as u32))
    }

    /// How many members there are (members removed from a live community left out).
    pub fn len(&self) -> usize {
        self.alive
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.alive == 0
    }

    /// Every member id ever given, removed members' included: the bound of the dense ids.
    pub(crate) fn slots(&self) -> usize {
        self.members.len()
    }

    /// Every member entry, removed ones (erased) included, in id order.
    pub(crate) fn member_slots(&self) -> impl ExactSizeIterator<Item = &Member> + '_ {
        self.members.iter()
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
            let id = id.trim();
            Error::unknown_member(id, self.suggest_id(id))
        })
    }

    /// The closest member id to `id`, when one is close: for "did you mean". The id index is
    /// built once per membership (not per unknown id), so a stream of unknown ids costs a
    /// search each, not a sort of every id each.
    pub(crate) fn suggest_id(&self, id: &str) -> Option<String> {
        self.id_index
            .get_or_init(|| IdSuggester::new(self.by_id.keys().map(|k| &**k)))
            .suggest(id)
    }

    /// The member with this dense id, when it is in range and not removed.
    pub fn get(&self, id: MemberId) -> Option<&Member> {
        self.members.get(id.index()).filter(|m| !m.removed)
    }

    /// All topic slugs (needs and offers); [`TopicId`] indexes it. Alphabetical when loaded;
    /// topics a live community gains later are appended.
    pub fn topics(&self) -> &[Arc<str>] {
        &self.topics
    }

    /// The slug of a topic.
    pub fn topic(&self, id: TopicId) -> &str {
        &self.topics[id.index()]
    }

    /// The id of a topic slug (normalised first).
    pub fn topic_id(&self, slug: &str) -> Option<TopicId> {
        self.topic_ids
            .get(&*normalize_slug(slug))
            .map(|&i| TopicId(i))
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

    /// All community-of-practice slugs; [`CopId`] indexes it. Alphabetical when loaded; those a
    /// live community gains later are appended.
    pub fn cops(&self) -> &[Arc<str>] {
        &self.cops
    }

    /// The slug of a community of practice.
    pub fn cop(&self, id: CopId) -> &str {
        &self.cops[id.index()]
    }

    /// The id of a community-of-practice slug (normalised first).
    pub fn cop_id(&self, slug: &str) -> Option<CopId> {
        self.cop_ids.get(&*normalize_slug(slug)).map(|&i| CopId(i))
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
                .members()
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
                    consent: ConsentRecord::of(m.consent),
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
                    id: i.id.as_deref().map(str::to_owned),
                    member: i.by.map(id),
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
