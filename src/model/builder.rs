//! The [`CommunityBuilder`]: collects records, then validates them all at once.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::model::community::Community;
use crate::model::country::Country;
use crate::model::date::Date;
use crate::model::ids::{CopId, MemberId, TopicId};
use crate::model::kind::MemberKind;
use crate::model::label::{cop_label, topic_label};
use crate::model::language::Language;
use crate::model::member::Member;
use crate::model::record::{
    BlockRecord, CommunityRecords, ConnectionRecord, IntroductionRecord, MemberRecord,
};
use crate::model::relation::{Connection, Introduction, Outcome};
use crate::model::slug::{normalize_slug, position_in, suggest, suggest_raw};
use crate::model::stage::Stage;
use crate::model::taxonomy::{Taxonomy, VerticalId};
use crate::problem::{Location, Problem, ProblemKind, Record};

/// Where a record came from, for error messages.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origin {
    pub(crate) file: Option<String>,
    pub(crate) line: Option<u64>,
    /// Position of the record within its file, when it differs from its position in the
    /// builder (records appended from a second file).
    pub(crate) index: Option<usize>,
}

impl Community {
    /// A builder for a community over `taxonomy`.
    pub fn builder(taxonomy: Taxonomy) -> CommunityBuilder {
        CommunityBuilder::new(taxonomy)
    }
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
    fn new(taxonomy: Taxonomy) -> Self {
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
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every problem found: missing or empty id, duplicate id, unknown
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
        let topics: Vec<Arc<str>> = topic_set.into_iter().map(Arc::from).collect();
        let cops: Vec<Arc<str>> = cop_set.into_iter().map(Arc::from).collect();

        let mut by_id: HashMap<Arc<str>, MemberId> = HashMap::with_capacity(member_records.len());
        let mut members = Vec::with_capacity(member_records.len());
        for (index, (record, origin)) in member_records.into_iter().enumerate() {
            let id: Arc<str> = Arc::from(record.id.trim());
            let mut cx = Cx {
                problems: &mut problems,
                location: Location {
                    file: origin.file,
                    line: origin.line,
                    column: None,
                    record: Record::Member {
                        index,
                        id: (!id.is_empty()).then(|| id.to_string()),
                    },
                },
            };
            if id.is_empty() {
                cx.push("id", &record.id, ProblemKind::Empty);
            } else if let Some(first) = by_id.get(&*id) {
                cx.push(
                    "id",
                    &id,
                    ProblemKind::DuplicateId {
                        first: first.index(),
                    },
                );
            } else {
                by_id.insert(Arc::clone(&id), MemberId(index as u32));
            }
            let member = validate_member(&mut cx, &taxonomy, &topics, &cops, id, &record);
            members.push(member);
        }
        if members.len() > u32::MAX as usize {
            return Err(Error::shape(
                &source_name,
                format!(
                    "{} members, at most {} are supported",
                    members.len(),
                    u32::MAX
                ),
            ));
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
            return Err(Error::invalid(source_name, problems));
        }
        let topic_names = topics.iter().map(|t| Arc::from(topic_label(t))).collect();
        let cop_names = cops.iter().map(|c| Arc::from(cop_label(c))).collect();
        let (languages, main_language) = languages_of(&members);
        Ok(Community {
            taxonomy,
            members,
            by_id,
            topics,
            cops,
            topic_names,
            cop_names,
            languages,
            main_language,
            connections,
            introductions,
            blocked,
        })
    }
}

/// The languages `members` state, sorted, and the one most of them state (the first among
/// equals).
fn languages_of(members: &[Member]) -> (Vec<Language>, Option<Language>) {
    let mut counts: std::collections::BTreeMap<Language, usize> = std::collections::BTreeMap::new();
    for m in members {
        for &l in &m.languages {
            *counts.entry(l).or_default() += 1;
        }
    }
    let main = counts
        .iter()
        .fold(
            None,
            |best: Option<(Language, usize)>, (&l, &n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((l, n)),
            },
        )
        .map(|(l, _)| l);
    (counts.into_keys().collect(), main)
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
                column: None,
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
    by_id: &'a HashMap<Arc<str>, MemberId>,
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
            let suggestion = suggest_raw(id, self.members.iter().map(|m| &*m.id));
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
    topics: &[Arc<str>],
    cops: &[Arc<str>],
    id: Arc<str>,
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

    let slug_ids = |cx: &mut Cx<'_>, field: &str, raw: &[String], table: &[Arc<str>]| {
        let mut ids: Vec<u32> = Vec::with_capacity(raw.len());
        for t in raw {
            let slug = normalize_slug(t);
            if slug.is_empty() {
                cx.push(field, t, ProblemKind::Empty);
            } else {
                let i = position_in(table, &slug)
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
        if l.trim().is_empty() {
            cx.push("languages", "", ProblemKind::Empty);
        } else {
            match l.parse::<Language>() {
                Ok(language) => languages.push(language),
                Err(e) => cx.push(
                    "languages",
                    l,
                    ProblemKind::UnknownLanguage {
                        suggestion: e.suggestion,
                    },
                ),
            }
        }
    }
    languages.sort_unstable();
    languages.dedup();
    let name = record.name.trim();
    Member {
        name: if name.is_empty() {
            Arc::clone(&id)
        } else {
            Arc::from(name)
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
        assert_eq!(
            c.topics(),
            [Arc::from("fundraising"), Arc::from("worker-vetting")]
        );
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
