//! The validated, immutable [`Community`] and the [`CommunityBuilder`] that makes one.

use std::collections::{BTreeSet, HashMap};
use std::ops::Index;

use crate::country::Country;
use crate::error::{Error, Location, Problem, ProblemKind, Record, Result};
use crate::member::{CopId, Member, MemberId, MemberRecord, TopicId};
use crate::relation::{
    BlockRecord, Connection, ConnectionRecord, Date, Introduction, IntroductionRecord, Outcome,
};
use crate::slug::{normalize_slug, suggest, suggest_raw};
use crate::stage::{MemberKind, Stage};
use crate::taxonomy::{Taxonomy, VerticalId};

/// Where a record came from, for error messages.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origin {
    pub(crate) file: Option<String>,
    pub(crate) line: Option<u64>,
    /// Position of the record within its file, when it differs from its position in the
    /// builder (records appended from a second file).
    pub(crate) index: Option<usize>,
}

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
    taxonomy: Taxonomy,
    members: Vec<Member>,
    by_id: HashMap<String, MemberId>,
    topics: Vec<String>,
    cops: Vec<String>,
    connections: Vec<Connection>,
    introductions: Vec<Introduction>,
    blocked: Vec<(MemberId, MemberId)>,
}

impl Community {
    /// A builder for a community over `taxonomy`.
    pub fn builder(taxonomy: Taxonomy) -> CommunityBuilder {
        CommunityBuilder {
            taxonomy,
            source_name: "community".to_owned(),
            members: Vec::new(),
            connections: Vec::new(),
            introductions: Vec::new(),
            blocks: Vec::new(),
            problems: Vec::new(),
        }
    }

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
    /// [`Error::UnknownMember`] when no member has this id.
    pub fn resolve(&self, id: &str) -> Result<MemberId> {
        self.member_id(id).ok_or_else(|| Error::UnknownMember {
            id: id.to_owned(),
            suggestion: suggest_raw(id.trim(), self.members.iter().map(|m| m.id.as_str())),
        })
    }

    /// The member with this dense id, when it is in range.
    pub fn get(&self, id: MemberId) -> Option<&Member> {
        self.members.get(id.index())
    }

    /// All topic slugs (needs and offers), alphabetical; [`TopicId`] indexes it.
    pub fn topics(&self) -> &[String] {
        &self.topics
    }

    /// The slug of a topic.
    pub fn topic(&self, id: TopicId) -> &str {
        &self.topics[id.index()]
    }

    /// The id of a topic slug (normalised first).
    pub fn topic_id(&self, slug: &str) -> Option<TopicId> {
        let slug = normalize_slug(slug);
        self.topics
            .binary_search(&slug)
            .ok()
            .map(|i| TopicId(i as u32))
    }

    /// All community-of-practice slugs, alphabetical; [`CopId`] indexes it.
    pub fn cops(&self) -> &[String] {
        &self.cops
    }

    /// The slug of a community of practice.
    pub fn cop(&self, id: CopId) -> &str {
        &self.cops[id.index()]
    }

    /// The id of a community-of-practice slug (normalised first).
    pub fn cop_id(&self, slug: &str) -> Option<CopId> {
        let slug = normalize_slug(slug);
        self.cops.binary_search(&slug).ok().map(|i| CopId(i as u32))
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
        let id = |m: MemberId| self.members[m.index()].id.clone();
        let topics = |ts: &[TopicId]| ts.iter().map(|&t| self.topic(t).to_owned()).collect();
        CommunityRecords {
            members: self
                .members
                .iter()
                .map(|m| MemberRecord {
                    id: m.id.clone(),
                    name: m.name.clone(),
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
                    languages: m.languages.clone(),
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

/// A whole community as unvalidated records: what a file holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommunityRecords {
    /// Members in input order.
    pub members: Vec<MemberRecord>,
    /// Ties.
    pub connections: Vec<ConnectionRecord>,
    /// Introduction history.
    pub introductions: Vec<IntroductionRecord>,
    /// Blocked pairs.
    pub blocked: Vec<BlockRecord>,
}

/// Collects members and relations, then validates them all at once in
/// [`CommunityBuilder::build`].
#[derive(Clone, Debug)]
pub struct CommunityBuilder {
    taxonomy: Taxonomy,
    source_name: String,
    members: Vec<(MemberRecord, Origin)>,
    connections: Vec<(ConnectionRecord, Origin)>,
    introductions: Vec<(IntroductionRecord, Origin)>,
    blocks: Vec<(BlockRecord, Origin)>,
    problems: Vec<Problem>,
}

impl CommunityBuilder {
    /// Names the source in error messages (a file or folder; `community` by default).
    #[must_use]
    pub fn source_name(mut self, name: impl Into<String>) -> Self {
        self.source_name = name.into();
        self
    }

    /// Adds a member.
    #[must_use]
    pub fn member(mut self, record: MemberRecord) -> Self {
        self.push_member(record, Origin::default());
        self
    }

    /// Adds a tie.
    #[must_use]
    pub fn connection(mut self, record: ConnectionRecord) -> Self {
        self.push_connection(record, Origin::default());
        self
    }

    /// Adds a recorded introduction.
    #[must_use]
    pub fn introduction(mut self, record: IntroductionRecord) -> Self {
        self.push_introduction(record, Origin::default());
        self
    }

    /// Adds a blocked pair.
    #[must_use]
    pub fn block(mut self, record: BlockRecord) -> Self {
        self.push_block(record, Origin::default());
        self
    }

    /// Adds every record of `records`.
    #[must_use]
    pub fn records(mut self, records: CommunityRecords) -> Self {
        for m in records.members {
            self.push_member(m, Origin::default());
        }
        for c in records.connections {
            self.push_connection(c, Origin::default());
        }
        for i in records.introductions {
            self.push_introduction(i, Origin::default());
        }
        for b in records.blocked {
            self.push_block(b, Origin::default());
        }
        self
    }

    pub(crate) fn push_member(&mut self, record: MemberRecord, origin: Origin) {
        self.members.push((record, origin));
    }
    pub(crate) fn push_connection(&mut self, record: ConnectionRecord, origin: Origin) {
        self.connections.push((record, origin));
    }
    pub(crate) fn push_introduction(&mut self, record: IntroductionRecord, origin: Origin) {
        self.introductions.push((record, origin));
    }
    pub(crate) fn push_block(&mut self, record: BlockRecord, origin: Origin) {
        self.blocks.push((record, origin));
    }
    /// A problem a loader found before the builder sees the record (wrong types, unknown
    /// fields); reported together with the builder's own.
    pub(crate) fn push_problem(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// Validates everything and builds the community.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] listing every problem found: missing or empty id, duplicate id, unknown
    /// kind, country, vertical or stage, empty topic, a relation naming an unknown member, a
    /// self-tie, a duplicate connection, a strength outside (0, 1] or not finite, an unknown
    /// outcome, an invalid date, and any problem a loader reported.
    ///
    /// # Complexity
    ///
    /// O((m + r) log m) for m members and r relations, plus O(m) per unknown id for suggestions.
    pub fn build(self) -> Result<Community> {
        let CommunityBuilder {
            taxonomy,
            source_name,
            members: member_records,
            connections: connection_records,
            introductions: introduction_records,
            blocks: block_records,
            mut problems,
        } = self;

        // Topics and CoPs are numbered alphabetically so ids do not depend on input order.
        let mut topic_set = BTreeSet::new();
        let mut cop_set = BTreeSet::new();
        for (m, _) in &member_records {
            for t in m.offers.iter().chain(&m.needs) {
                topic_set.insert(normalize_slug(t));
            }
            for c in &m.communities {
                cop_set.insert(normalize_slug(c));
            }
        }
        topic_set.remove("");
        cop_set.remove("");
        let topics: Vec<String> = topic_set.into_iter().collect();
        let cops: Vec<String> = cop_set.into_iter().collect();

        let mut by_id: HashMap<String, MemberId> = HashMap::with_capacity(member_records.len());
        let mut members = Vec::with_capacity(member_records.len());
        for (index, (record, origin)) in member_records.into_iter().enumerate() {
            let id = record.id.trim().to_owned();
            let mut cx = Cx {
                problems: &mut problems,
                location: Location {
                    file: origin.file,
                    line: origin.line,
                    record: Record::Member {
                        index,
                        id: (!id.is_empty()).then(|| id.clone()),
                    },
                },
            };
            if id.is_empty() {
                cx.push("id", &record.id, ProblemKind::Empty);
            } else if let Some(first) = by_id.get(&id) {
                cx.push(
                    "id",
                    &id,
                    ProblemKind::DuplicateId {
                        first: first.index(),
                    },
                );
            } else {
                by_id.insert(id.clone(), MemberId(index as u32));
            }
            let member = validate_member(&mut cx, &taxonomy, &topics, &cops, id, &record);
            members.push(member);
        }
        if members.len() > u32::MAX as usize {
            return Err(Error::Shape {
                file: source_name,
                message: format!(
                    "{} members, at most {} are supported",
                    members.len(),
                    u32::MAX
                ),
            });
        }

        let resolver = Resolver {
            by_id: &by_id,
            members: &members,
        };
        let mut connections = Vec::with_capacity(connection_records.len());
        let mut first_tie: HashMap<(MemberId, MemberId), usize> = HashMap::new();
        for (index, (record, origin)) in connection_records.into_iter().enumerate() {
            let mut cx = Cx::at(&mut problems, origin, Record::Connection { index });
            let pair = resolver.pair(&mut cx, &record.a, &record.b);
            let strength = record.strength.unwrap_or(1.0);
            let strength_ok = strength.is_finite() && strength > 0.0 && strength <= 1.0;
            if !strength_ok {
                cx.push(
                    "strength",
                    &strength.to_string(),
                    ProblemKind::StrengthOutOfRange,
                );
            }
            if let Some((a, b)) = pair {
                let key = (a.min(b), a.max(b));
                if let Some(&first) = first_tie.get(&key) {
                    cx.push(
                        "b",
                        record.b.trim(),
                        ProblemKind::DuplicateConnection { first },
                    );
                } else {
                    first_tie.insert(key, index);
                    if strength_ok {
                        connections.push(Connection {
                            a,
                            b,
                            strength: strength as f32,
                        });
                    }
                }
            }
        }

        let mut introductions = Vec::with_capacity(introduction_records.len());
        for (index, (record, origin)) in introduction_records.into_iter().enumerate() {
            let index = origin.index.unwrap_or(index);
            let mut cx = Cx::at(&mut problems, origin, Record::Introduction { index });
            let pair = resolver.pair(&mut cx, &record.a, &record.b);
            let outcome = if record.outcome.trim().is_empty() {
                cx.push("outcome", "", ProblemKind::MissingField);
                None
            } else {
                match record.outcome.parse::<Outcome>() {
                    Ok(o) => Some(o),
                    Err(e) => {
                        cx.push(
                            "outcome",
                            &record.outcome,
                            ProblemKind::UnknownOutcome {
                                suggestion: e.suggestion,
                            },
                        );
                        None
                    }
                }
            };
            let date = match record.date.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(text) => {
                    if let Ok(d) = text.parse::<Date>() {
                        Some(Some(d))
                    } else {
                        cx.push("date", text, ProblemKind::InvalidDate);
                        None
                    }
                }
            };
            if let (Some((a, b)), Some(outcome), Some(date)) = (pair, outcome, date) {
                introductions.push(Introduction {
                    a,
                    b,
                    outcome,
                    date,
                });
            }
        }

        let mut blocked = Vec::with_capacity(block_records.len());
        for (index, (record, origin)) in block_records.into_iter().enumerate() {
            let mut cx = Cx::at(&mut problems, origin, Record::Block { index });
            if let Some(pair) = resolver.pair(&mut cx, &record.a, &record.b) {
                blocked.push(pair);
            }
        }

        if !problems.is_empty() {
            return Err(Error::Invalid {
                source_name,
                problems,
            });
        }
        Ok(Community {
            taxonomy,
            members,
            by_id,
            topics,
            cops,
            connections,
            introductions,
            blocked,
        })
    }
}

/// Problem collection with the current location attached.
struct Cx<'a> {
    problems: &'a mut Vec<Problem>,
    location: Location,
}

impl<'a> Cx<'a> {
    fn at(problems: &'a mut Vec<Problem>, origin: Origin, record: Record) -> Self {
        Cx {
            problems,
            location: Location {
                file: origin.file,
                line: origin.line,
                record,
            },
        }
    }
    fn push(&mut self, field: &str, value: &str, kind: ProblemKind) {
        self.problems.push(Problem {
            location: self.location.clone(),
            field: field.to_owned(),
            value: value.to_owned(),
            kind,
        });
    }
}

struct Resolver<'a> {
    by_id: &'a HashMap<String, MemberId>,
    members: &'a [Member],
}

impl Resolver<'_> {
    fn one(&self, cx: &mut Cx<'_>, field: &str, raw: &str) -> Option<MemberId> {
        let id = raw.trim();
        if id.is_empty() {
            cx.push(field, raw, ProblemKind::MissingField);
            return None;
        }
        let found = self.by_id.get(id).copied();
        if found.is_none() {
            let suggestion = suggest_raw(id, self.members.iter().map(|m| m.id.as_str()));
            cx.push(field, id, ProblemKind::UnknownMember { suggestion });
        }
        found
    }

    fn pair(&self, cx: &mut Cx<'_>, a: &str, b: &str) -> Option<(MemberId, MemberId)> {
        let a = self.one(cx, "a", a);
        let b = self.one(cx, "b", b);
        let (a, b) = (a?, b?);
        if a == b {
            cx.push("b", &self.members[b.index()].id, ProblemKind::SelfTie);
            return None;
        }
        Some((a, b))
    }
}

fn validate_member(
    cx: &mut Cx<'_>,
    taxonomy: &Taxonomy,
    topics: &[String],
    cops: &[String],
    id: String,
    record: &MemberRecord,
) -> Member {
    let kind = if record.kind.trim().is_empty() {
        cx.push("kind", "", ProblemKind::MissingField);
        MemberKind::Other
    } else {
        record.kind.parse::<MemberKind>().unwrap_or_else(|e| {
            cx.push(
                "kind",
                &record.kind,
                ProblemKind::UnknownKind {
                    suggestion: e.suggestion,
                },
            );
            MemberKind::Other
        })
    };
    // Stands in for a missing or bad country; it never escapes, because the problem pushed
    // alongside it makes `build` fail.
    let placeholder_country = Country::PLACEHOLDER;
    let country = if record.country.trim().is_empty() {
        cx.push("country", "", ProblemKind::MissingField);
        placeholder_country
    } else {
        record.country.parse::<Country>().unwrap_or_else(|e| {
            cx.push(
                "country",
                &record.country,
                ProblemKind::UnknownCountry {
                    suggestion: e.suggestion,
                },
            );
            placeholder_country
        })
    };
    let mut verticals: Vec<VerticalId> = Vec::with_capacity(record.verticals.len());
    if record.verticals.iter().all(|v| v.trim().is_empty()) {
        cx.push("verticals", "", ProblemKind::Empty);
    }
    for v in &record.verticals {
        if v.trim().is_empty() {
            continue;
        }
        match taxonomy.vertical_by_slug(v) {
            Some(vid) => verticals.push(vid),
            None => cx.push(
                "verticals",
                v,
                ProblemKind::UnknownVertical {
                    suggestion: suggest(
                        v,
                        taxonomy
                            .verticals()
                            .iter()
                            .map(super::taxonomy::Vertical::slug),
                    ),
                },
            ),
        }
    }
    verticals.sort_unstable();
    verticals.dedup();

    let parse_stage = |cx: &mut Cx<'_>, field: &str, text: &str| -> Option<Stage> {
        text.parse::<Stage>()
            .map_err(|e| {
                cx.push(
                    field,
                    text,
                    ProblemKind::UnknownStage {
                        suggestion: e.suggestion,
                    },
                );
            })
            .ok()
    };
    let stage = match record.stage.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => parse_stage(cx, "stage", text),
    };
    let mut stage_focus: Vec<Stage> = record
        .stage_focus
        .iter()
        .filter_map(|s| {
            if s.trim().is_empty() {
                cx.push("stage_focus", s, ProblemKind::Empty);
                None
            } else {
                parse_stage(cx, "stage_focus", s)
            }
        })
        .collect();
    stage_focus.sort_unstable();
    stage_focus.dedup();

    let slug_ids = |cx: &mut Cx<'_>, field: &str, raw: &[String], table: &[String]| {
        let mut ids: Vec<u32> = Vec::with_capacity(raw.len());
        for t in raw {
            let slug = normalize_slug(t);
            if slug.is_empty() {
                cx.push(field, t, ProblemKind::Empty);
            } else {
                let i = table
                    .binary_search(&slug)
                    .expect("every non-empty slug was interned before members are validated");
                ids.push(i as u32);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let offers = slug_ids(cx, "offers", &record.offers, topics)
        .into_iter()
        .map(TopicId)
        .collect();
    let needs = slug_ids(cx, "needs", &record.needs, topics)
        .into_iter()
        .map(TopicId)
        .collect();
    let communities = slug_ids(cx, "communities", &record.communities, cops)
        .into_iter()
        .map(CopId)
        .collect();
    let mut languages = Vec::with_capacity(record.languages.len());
    for l in &record.languages {
        let l = l.trim();
        if l.is_empty() {
            cx.push("languages", "", ProblemKind::Empty);
        } else {
            languages.push(l.to_owned());
        }
    }
    let name = record.name.trim();
    Member {
        name: if name.is_empty() {
            id.clone()
        } else {
            name.to_owned()
        },
        id,
        kind,
        country,
        verticals,
        stage,
        stage_focus,
        offers,
        needs,
        communities,
        languages,
        open_to_intros: record.open_to_intros.unwrap_or(true),
        max_intros: record.max_intros,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform(id: &str) -> MemberRecord {
        MemberRecord::new(id, "platform", "KE").verticals(["microwork"])
    }

    #[test]
    fn topics_are_interned_alphabetically_and_normalised() {
        let c = Community::builder(Taxonomy::jobtech())
            .member(platform("b").needs(["Worker Vetting", "fundraising"]))
            .member(platform("a").offers(["worker_vetting"]))
            .build()
            .unwrap();
        assert_eq!(c.topics(), ["fundraising", "worker-vetting"]);
        let b = c.member_id("b").unwrap();
        let a = c.member_id("a").unwrap();
        assert_eq!(c[b].needs(), [TopicId(0), TopicId(1)]);
        assert_eq!(c[a].offers(), [TopicId(1)]);
    }

    #[test]
    fn every_problem_is_collected() {
        let err = Community::builder(Taxonomy::jobtech())
            .member(MemberRecord::new("x", "platfrom", "Kenya").verticals(["care-service"]))
            .member(MemberRecord::new("x", "investor", "NG"))
            .member(MemberRecord::new(" ", "investor", "NG").verticals(["microwork"]))
            .connection(ConnectionRecord {
                a: "x".into(),
                b: "y".into(),
                strength: Some(2.0),
            })
            .build()
            .unwrap_err();
        let kinds: Vec<_> = err.problems().iter().map(|p| p.kind.clone()).collect();
        assert_eq!(err.problems().len(), 8, "{err}");
        assert!(kinds.contains(&ProblemKind::UnknownKind {
            suggestion: Some("platform".into())
        }));
        assert!(kinds.contains(&ProblemKind::UnknownCountry {
            suggestion: Some("KE".into())
        }));
        assert!(kinds.contains(&ProblemKind::DuplicateId { first: 0 }));
        assert!(kinds.contains(&ProblemKind::StrengthOutOfRange));
    }
}
