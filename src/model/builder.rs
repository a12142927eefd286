//! The [`CommunityBuilder`]: validates members as they come, then the relations once every
//! member is in.

use rayon::prelude::*;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::model::community::Community;
use crate::model::date::Date;
use crate::model::ids::{IdMap, MemberId};
use crate::model::label::{cop_label, topic_label};
use crate::model::language::Language;
use crate::model::member::Member;
use crate::model::record::{
    BlockRecord, CommunityRecords, ConnectionRecord, IntroductionRecord, MemberRecord,
};
use crate::model::relation::{Connection, IntroState, Introduction, Outcome};
use crate::model::suggest::IdSuggester;
use crate::model::taxonomy::Taxonomy;
use crate::model::validate::{Context, Interner, MemberInput, renumber, validate_member};
use crate::problem::{Location, Problem, ProblemKind, Problems, Record, shown};

/// Where a record came from, for error messages: small, as every relation keeps one.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origin {
    pub(crate) file: Option<Arc<str>>,
    /// 1-based line and column of the record's start; 0 when unknown.
    pub(crate) line: u32,
    pub(crate) column: u32,
    /// Position of the record within its file, when it differs from its position in the
    /// builder (records appended from a second file).
    pub(crate) index: Option<u32>,
}

impl Origin {
    /// An origin in `file` at `line` and `column` (0 when unknown).
    pub(crate) fn at(file: &Arc<str>, line: usize, column: usize) -> Self {
        Origin {
            file: Some(Arc::clone(file)),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            index: None,
        }
    }

    fn location(&self, record: Record) -> Location {
        Location {
            file: self.file.as_deref().map(str::to_owned),
            line: (self.line > 0).then_some(u64::from(self.line)),
            column: (self.column > 0).then_some(u64::from(self.column)),
            record,
        }
    }
}

impl Community {
    /// A builder for a community over `taxonomy`.
    pub fn builder(taxonomy: Taxonomy) -> CommunityBuilder {
        CommunityBuilder::new(taxonomy)
    }
}

/// A tie as added: by member position when both ids were known then, else by id.
#[derive(Clone, Debug)]
enum Tie {
    Known(MemberId, MemberId),
    Named(Box<(String, String)>),
    /// Named a member that is not in the community (reported).
    Unknown,
}

/// A tie waiting for the build: 32 bytes, as a large file has millions.
#[derive(Clone, Debug)]
struct PendingTie {
    tie: Tie,
    /// The strength given, 1 when none was.
    strength: f64,
    /// Its origin, a position in [`CommunityBuilder::origins`].
    origin: u32,
}

/// Collects members and relations and validates them: each member as it is added, the
/// relations in [`CommunityBuilder::build`], once every member is known. Every problem is
/// reported at once (the first [`MAX_PROBLEMS`](crate::MAX_PROBLEMS), and how many more).
#[derive(Clone, Debug)]
pub struct CommunityBuilder {
    taxonomy: Taxonomy,
    source_name: String,
    /// The members validated so far (with placeholders for bad fields); no longer kept once
    /// the problems are full, as the build will fail.
    members: Vec<Member>,
    /// Member ids to their position; the first position of a repeated id.
    by_id: IdMap<MemberId>,
    /// Members added so far.
    added: usize,
    topics: Interner,
    cops: Interner,
    connections: Vec<PendingTie>,
    /// The origins of the ties, each once when repeated one after another.
    origins: Vec<Origin>,
    introductions: Vec<(IntroductionRecord, Origin)>,
    blocks: Vec<(BlockRecord, Origin)>,
    problems: Problems,
}

impl CommunityBuilder {
    fn new(taxonomy: Taxonomy) -> Self {
        CommunityBuilder {
            taxonomy,
            source_name: "community".to_owned(),
            members: Vec::new(),
            by_id: IdMap::default(),
            added: 0,
            topics: Interner::default(),
            cops: Interner::default(),
            connections: Vec::new(),
            origins: Vec::new(),
            introductions: Vec::new(),
            blocks: Vec::new(),
            problems: Problems::default(),
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
    #[allow(clippy::needless_pass_by_value)] // a builder takes its records, as the others do
    pub fn member(mut self, record: MemberRecord) -> Self {
        self.push_member(&record, &Origin::default());
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
        for m in &records.members {
            self.push_member(m, &Origin::default());
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

    pub(crate) fn push_member(&mut self, record: &MemberRecord, origin: &Origin) {
        self.push_member_input(&MemberInput::of(record), origin);
    }

    /// Validates a member's fields, wherever they were read, and adds it.
    pub(crate) fn push_member_input<S: AsRef<str>>(
        &mut self,
        input: &MemberInput<'_, S>,
        origin: &Origin,
    ) {
        let index = self.added;
        self.added += 1;
        let id_text = input.id.trim();
        let record = || Record::Member {
            index,
            id: (!id_text.is_empty()).then(|| shown(id_text)),
        };
        let id: Arc<str> = Arc::from(id_text);
        if id.is_empty() {
            self.problems.push_with(|| Problem {
                location: origin.location(record()),
                field: "id".to_owned(),
                value: shown(input.id),
                kind: ProblemKind::Empty,
            });
        } else if let Some(first) = self.by_id.get(&*id) {
            let first = first.index();
            self.problems.push_with(|| Problem {
                location: origin.location(record()),
                field: "id".to_owned(),
                value: shown(&id),
                kind: ProblemKind::DuplicateId { first },
            });
        } else {
            self.by_id.insert(Arc::clone(&id), MemberId(index as u32));
        }
        let mut cx = Context {
            taxonomy: &self.taxonomy,
            topics: &mut self.topics,
            cops: &mut self.cops,
            problems: &mut self.problems,
            location: &|| origin.location(record()),
        };
        let member = validate_member(&mut cx, id, input);
        if !self.problems.is_full() {
            self.members.push(member);
        }
    }

    pub(crate) fn push_connection(&mut self, record: ConnectionRecord, origin: Origin) {
        let origin = self.origin_index(origin);
        self.connections.push(PendingTie {
            tie: Tie::Named(Box::new((record.a, record.b))),
            strength: record.strength.unwrap_or(1.0),
            origin,
        });
    }

    /// `origin`'s position in [`CommunityBuilder::origins`], added unless it is the last one.
    fn origin_index(&mut self, origin: Origin) -> u32 {
        let same = self.origins.last().is_some_and(|last| {
            last.line == origin.line
                && last.column == origin.column
                && last.index == origin.index
                && match (&last.file, &origin.file) {
                    (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
                    (None, None) => true,
                    _ => false,
                }
        });
        if !same {
            self.origins.push(origin);
        }
        u32::try_from(self.origins.len() - 1).unwrap_or(u32::MAX)
    }

    /// Adds ties by their members' ids, resolved now (in parallel) when both are known: a large
    /// file's ties are then held as positions, not strings.
    pub(crate) fn push_ties<S: AsRef<str> + Sync>(
        &mut self,
        ties: &[(S, S, Option<f64>)],
        origin: &Origin,
    ) {
        let origin = self.origin_index(origin.clone());
        let by_id = &self.by_id;
        let resolved = ties.par_iter().map(|(a, b, strength)| {
            let (a, b) = (a.as_ref(), b.as_ref());
            let tie = match (by_id.get(a.trim()), by_id.get(b.trim())) {
                (Some(&x), Some(&y)) => Tie::Known(x, y),
                _ => Tie::Named(Box::new((a.to_owned(), b.to_owned()))),
            };
            PendingTie {
                tie,
                strength: strength.unwrap_or(1.0),
                origin,
            }
        });
        self.connections.par_extend(resolved);
    }
    pub(crate) fn push_introduction(&mut self, record: IntroductionRecord, origin: Origin) {
        self.introductions.push((record, origin));
    }
    pub(crate) fn push_block(&mut self, record: BlockRecord, origin: Origin) {
        self.blocks.push((record, origin));
    }
    /// A problem a loader found before the builder sees the record (wrong types, unknown
    /// fields); reported together with the builder's own.
    pub(crate) fn push_problem(&mut self, mut problem: Problem) {
        problem.value = shown(&problem.value);
        self.problems.push(problem);
    }

    /// Whether a problem pushed now would be kept (else only counted).
    pub(crate) fn keeps_problems(&self) -> bool {
        !self.problems.is_full()
    }

    /// [`CommunityBuilder::push_problem`], the problem made only if it is kept.
    pub(crate) fn push_problem_with(&mut self, make: impl FnOnce() -> Problem) {
        self.problems.push_with(make);
    }

    /// Validates the relations and builds the community.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every problem found (the
    /// first [`MAX_PROBLEMS`](crate::MAX_PROBLEMS), and how many more): missing or empty id,
    /// duplicate id, unknown kind, country, vertical, stage or language, empty topic, a topic
    /// or community with a `;`, a relation naming an unknown member, a self-tie, a duplicate
    /// connection, a strength outside (0, 1] or too small for an `f32`, an unknown outcome, an
    /// invalid date, and any problem a loader reported.
    ///
    /// # Complexity
    ///
    /// O(m log m + r) for m members and r relations; suggestions for unknown ids are looked up
    /// in an index of the ids built on the first one, and made for the problems kept only.
    pub fn build(self) -> Result<Community> {
        let CommunityBuilder {
            taxonomy,
            source_name,
            mut members,
            by_id,
            added,
            topics,
            cops,
            connections: mut connection_records,
            origins,
            introductions: introduction_records,
            blocks: block_records,
            mut problems,
        } = self;
        if added > u32::MAX as usize {
            return Err(Error::shape(
                &source_name,
                format!("{added} members, at most {} are supported", u32::MAX),
            ));
        }
        let mut resolver = Resolver {
            by_id: &by_id,
            suggester: None,
        };
        let mut connections = Vec::with_capacity(connection_records.len());
        // Ties by id are resolved first, so that repeated pairs are found by sorting.
        for (index, pending) in connection_records.iter_mut().enumerate() {
            if let Tie::Named(names) = &pending.tie {
                let origin = &origins[pending.origin as usize];
                let mut cx = Cx::at(&mut problems, origin, Record::Connection { index });
                pending.tie = match resolver.pair(&mut cx, &names.0, &names.1) {
                    Some((a, b)) => Tie::Known(a, b),
                    None => Tie::Unknown,
                };
            }
        }
        let first_tie = first_ties(&connection_records);
        for (index, pending) in connection_records.into_iter().enumerate() {
            let origin = &origins[pending.origin as usize];
            let mut cx = Cx::at(&mut problems, origin, Record::Connection { index });
            let strength = pending.strength;
            // In (0, 1], and still a normal number once an f32: 1e-46 would become 0.
            let strength_ok = strength.is_finite()
                && strength > 0.0
                && strength <= 1.0
                && (strength as f32).is_normal();
            if !strength_ok {
                cx.push(
                    "strength",
                    &strength.to_string(),
                    ProblemKind::StrengthOutOfRange,
                );
            }
            let Tie::Known(a, b) = pending.tie else {
                continue;
            };
            if a == b {
                cx.push("b", &members_id(&members, b), ProblemKind::SelfTie);
            } else if first_tie[index] != index {
                cx.push(
                    "b",
                    &members_id(&members, b),
                    ProblemKind::DuplicateConnection {
                        first: first_tie[index],
                    },
                );
            } else if strength_ok {
                connections.push(Connection {
                    a,
                    b,
                    strength: strength as f32,
                });
            }
        }
        drop(origins);

        let mut introductions = Vec::with_capacity(introduction_records.len());
        let mut events = Events::default();
        for (index, (record, origin)) in introduction_records.into_iter().enumerate() {
            let index = origin.index.map_or(index, |i| i as usize);
            let mut cx = Cx::at(&mut problems, &origin, Record::Introduction { index });
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
            let by = match record.member.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(who) => resolver.one(&mut cx, "member", who).map(Some),
            };
            if let (Some((a, b)), Some(outcome), Some(date), Some(by)) = (pair, outcome, date, by) {
                let intro = Introduction {
                    a,
                    b,
                    outcome,
                    date,
                    id: record
                        .id
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(Arc::from),
                    by,
                };
                match events.follow(&intro) {
                    Ok(()) => introductions.push(intro),
                    Err((field, reason)) => {
                        let value = match field {
                            "member" => record.member.clone().unwrap_or_default(),
                            "id" => record.id.clone().unwrap_or_default(),
                            _ => record.outcome.clone(),
                        };
                        cx.push(field, &value, ProblemKind::InvalidEvent { reason });
                    }
                }
            }
        }

        let mut blocked = Vec::with_capacity(block_records.len());
        for (index, (record, origin)) in block_records.into_iter().enumerate() {
            let mut cx = Cx::at(&mut problems, &origin, Record::Block { index });
            if let Some(pair) = resolver.pair(&mut cx, &record.a, &record.b) {
                blocked.push(pair);
            }
        }

        if !problems.is_empty() {
            return Err(Error::from_problems(source_name, problems));
        }
        let (topics, topic_ids) = topics.sorted();
        let (cops, cop_ids) = cops.sorted();
        for m in &mut members {
            renumber(m, &topic_ids, &cop_ids);
        }
        let topic_names = topics.iter().map(|t| Arc::from(topic_label(t))).collect();
        let cop_names = cops.iter().map(|c| Arc::from(cop_label(c))).collect();
        let language_counts = language_counts(members.iter());
        let (languages, main_language) = languages_of(&language_counts);
        let ids_of = |slugs: &[Arc<str>]| -> IdMap<u32> {
            slugs
                .iter()
                .enumerate()
                .map(|(i, s)| (Arc::clone(s), i as u32))
                .collect()
        };
        Ok(Community {
            taxonomy,
            alive: members.len(),
            members: members.into(),
            by_id: Arc::new(by_id),
            id_index: Arc::default(),
            topic_ids: Arc::new(ids_of(&topics)),
            cop_ids: Arc::new(ids_of(&cops)),
            topics: Arc::new(topics),
            cops: Arc::new(cops),
            topic_names: Arc::new(topic_names),
            cop_names: Arc::new(cop_names),
            languages,
            main_language,
            language_counts: Arc::new(language_counts),
            connections: Arc::new(connections),
            introductions: Arc::new(introductions),
            blocked: Arc::new(blocked),
        })
    }
}

/// For each tie, the index of the first tie of the same pair (itself when it is the first);
/// ties naming an unknown member are their own first. By sorting, not hashing: a million ties
/// in a fraction of a second.
fn first_ties(ties: &[PendingTie]) -> Vec<usize> {
    let mut keyed: Vec<(u64, u32)> = ties
        .iter()
        .enumerate()
        .filter_map(|(i, pending)| match pending.tie {
            Tie::Known(a, b) => Some((
                (u64::from(a.0.min(b.0)) << 32) | u64::from(a.0.max(b.0)),
                i as u32,
            )),
            _ => None,
        })
        .collect();
    keyed.par_sort_unstable();
    let mut first: Vec<usize> = (0..ties.len()).collect();
    for run in keyed.chunk_by(|x, y| x.0 == y.0) {
        for &(_, i) in &run[1..] {
            first[i as usize] = run[0].1 as usize;
        }
    }
    first
}

/// The introductions followed event by event (those with an id): where each stands.
#[derive(Clone, Debug, Default)]
pub(crate) struct Events {
    by_id: std::collections::HashMap<Arc<str>, (IntroState, MemberId, MemberId)>,
}

impl Events {
    /// Checks `intro` against its introduction's events so far and records it; the field and
    /// why when it cannot come now. Introductions without an id are not followed.
    pub(crate) fn follow(
        &mut self,
        intro: &Introduction,
    ) -> std::result::Result<(), (&'static str, &'static str)> {
        let side = intro.by.map(|m| usize::from(m == intro.b));
        if let Some(by) = intro.by {
            if by != intro.a && by != intro.b {
                return Err(("member", "the member acting must be one of the two"));
            }
        }
        let Some(id) = &intro.id else {
            return Ok(());
        };
        if intro.outcome.is_one_sides() && intro.by.is_none() {
            return Err(("member", "accepted or declined needs the member who did"));
        }
        let before = match self.by_id.get(id) {
            Some(&(state, a, b)) => {
                if (a, b) != (intro.a, intro.b) && (b, a) != (intro.a, intro.b) {
                    return Err(("id", "an introduction's events name the same two members"));
                }
                // Sides are counted from the introduction's first event.
                Some((state, a))
            }
            None => None,
        };
        let side = match (before, intro.by) {
            (Some((_, a)), Some(by)) => Some(usize::from(by != a)),
            _ => side,
        };
        let state = IntroState::after(before.map(|(s, _)| s), intro.outcome, side)
            .map_err(|reason| ("outcome", reason))?;
        let (a, b) = self
            .by_id
            .get(id)
            .map_or((intro.a, intro.b), |&(_, a, b)| (a, b));
        self.by_id.insert(Arc::clone(id), (state, a, b));
        Ok(())
    }

    /// Where introduction `id` stands, and its two members (in its first event's order).
    pub(crate) fn get(&self, id: &str) -> Option<(IntroState, MemberId, MemberId)> {
        self.by_id.get(id).copied()
    }
}

/// Member `m`'s id, when it is kept (for a problem's value).
fn members_id(members: &[Member], m: MemberId) -> String {
    members
        .get(m.index())
        .map_or_else(String::new, |x| x.id.to_string())
}

/// How many of `members` (removed ones left out) state each language.
pub(crate) fn language_counts<'a>(
    members: impl Iterator<Item = &'a Member>,
) -> std::collections::BTreeMap<Language, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for m in members.filter(|m| !m.removed) {
        for &l in &m.languages {
            *counts.entry(l).or_default() += 1;
        }
    }
    counts
}

/// The languages stated, sorted, and the one most members state (the first among equals).
pub(crate) fn languages_of(
    counts: &std::collections::BTreeMap<Language, usize>,
) -> (Vec<Language>, Option<Language>) {
    let main = counts
        .iter()
        .filter(|&(_, &n)| n > 0)
        .fold(
            None,
            |best: Option<(Language, usize)>, (&l, &n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((l, n)),
            },
        )
        .map(|(l, _)| l);
    let languages = counts
        .iter()
        .filter(|&(_, &n)| n > 0)
        .map(|(&l, _)| l)
        .collect();
    (languages, main)
}

/// Problem collection at one relation record.
struct Cx<'a> {
    problems: &'a mut Problems,
    origin: &'a Origin,
    record: Record,
}

impl<'a> Cx<'a> {
    fn at(problems: &'a mut Problems, origin: &'a Origin, record: Record) -> Self {
        Cx {
            problems,
            origin,
            record,
        }
    }
    fn push(&mut self, field: &str, value: &str, kind: ProblemKind) {
        let (origin, record) = (self.origin, &self.record);
        self.problems.push_with(|| Problem {
            location: origin.location(record.clone()),
            field: field.to_owned(),
            value: shown(value),
            kind,
        });
    }
}

/// Member ids in relations, resolved.
struct Resolver<'a> {
    by_id: &'a IdMap<MemberId>,
    /// Built on the first unknown id that gets a suggestion.
    suggester: Option<IdSuggester>,
}

impl Resolver<'_> {
    fn one(&mut self, cx: &mut Cx<'_>, field: &str, raw: &str) -> Option<MemberId> {
        let id = raw.trim();
        if id.is_empty() {
            cx.push(field, raw, ProblemKind::MissingField);
            return None;
        }
        let found = self.by_id.get(id).copied();
        if found.is_none() {
            // Suggestions only for the problems that are kept.
            let suggestion = if cx.problems.is_full() {
                None
            } else {
                let by_id = self.by_id;
                self.suggester
                    .get_or_insert_with(|| IdSuggester::new(by_id.keys().map(|k| &**k)))
                    .suggest(id)
            };
            cx.push(field, id, ProblemKind::UnknownMember { suggestion });
        }
        found
    }

    fn pair(&mut self, cx: &mut Cx<'_>, a: &str, b: &str) -> Option<(MemberId, MemberId)> {
        let a_id = self.one(cx, "a", a);
        let b_id = self.one(cx, "b", b);
        let (a_id, b_id) = (a_id?, b_id?);
        if a_id == b_id {
            cx.push("b", b.trim(), ProblemKind::SelfTie);
            return None;
        }
        Some((a_id, b_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::TopicId;

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
