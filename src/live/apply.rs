//! Applying changes to an engine without rebuilding it: a new engine shares everything the
//! changes do not touch, and only what they touch is recomputed (the members' profiles and
//! exclusions, the ties of their two ends, the topics' tables when topics are added).

use std::sync::Arc;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::live::change::{Change, Effect};
use crate::model::builder::{Events, languages_of};
use crate::model::community::Community;
use crate::model::date::Date;
use crate::model::ids::MemberId;
use crate::model::label::{cop_label, topic_label};
use crate::model::language::Language;
use crate::model::record::MemberRecord;
use crate::model::relation::{Connection, IntroState, Introduction, Outcome};
use crate::model::validate::{Context, Interner, MemberInput, validate_member};
use crate::problem::{Location, Problem, ProblemKind, Problems, Record, shown};
use crate::rank::ranker::Ranker;
use crate::rank::runner::Runner;
use crate::score::profile::Profile;
use crate::score::tables::Tables;
use crate::ties::usable;

impl Engine {
    /// A new engine with `changes` applied, in order, and what each did; this engine is left
    /// as it was (queries on it go on answering for the community before the changes).
    ///
    /// The changes are validated as the loaders validate files: every problem is reported at
    /// once, naming the change, the member and the value, and when there is any, nothing is
    /// applied. Dense ids stay valid: a new member gets the next one, and a removed member's is
    /// never given to anyone else. Only what the changes touch is recomputed: the changed
    /// members' profiles, the ties and exclusions of the pairs they name, the score tables when
    /// topics are added; the pruned search's index is kept, with the changed members scored
    /// directly, until they are many (then it is built again on first use). Every query
    /// answers exactly what an engine built from scratch on the changed community answers.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every problem, each at its
    /// change: a member record that does not validate, an unknown member id, a self-tie, a
    /// strength outside (0, 1], a tie or block to remove that does not exist, an introduction
    /// event out of the double opt-in order.
    ///
    /// # Complexity
    ///
    /// O(c) shared parts copied per batch (one pointer per 1,024 members), plus per change the
    /// work it touches: a member's profile and its exclusions' lists, a tie's two ends, a
    /// removal's ties; the ties, introductions and blocks lists are copied once per batch that
    /// changes them (O(e)).
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::{Change, Community, Engine, MatchWeights, MemberRecord, Query};
    ///
    /// let engine = Engine::new(Community::load("data/small.json")?, MatchWeights::default())?;
    /// let (changed, _) = engine.apply(&[Change::PutMember {
    ///     member: MemberRecord::new("new-fixers", "platform", "KE")
    ///         .verticals(["home-technical-services"])
    ///         .offers(["worker-vetting"]),
    /// }])?;
    /// let fundi = changed.community().resolve("fundi-fix")?;
    /// let names: Vec<String> = changed
    ///     .recommend(fundi, &Query::top(30))?
    ///     .items
    ///     .iter()
    ///     .map(|r| r.candidate.id().to_owned())
    ///     .collect();
    /// assert!(names.iter().any(|n| n == "new-fixers"));
    /// assert!(engine.community().member_id("new-fixers").is_none()); // the old one is as it was
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    pub fn apply(&self, changes: &[Change]) -> Result<(Engine, Vec<Effect>)> {
        let mut draft = Draft::new(self);
        for (index, change) in changes.iter().enumerate() {
            draft.index = index;
            draft.apply(change);
        }
        draft.finish()
    }
}

/// A community and ranker being changed, and what the changes found and did.
struct Draft<'e> {
    base: &'e Engine,
    c: Community,
    r: Ranker,
    topics: Interner,
    cops: Interner,
    /// Members whose profile, openness or existence changed.
    changed: Vec<u32>,
    problems: Problems,
    /// Where each introduction with an id stands, read from the history on first need.
    events: Option<Events>,
    effects: Vec<Effect>,
    /// The change being applied (for problems).
    index: usize,
    /// Whether a member's languages were added or removed.
    languages_changed: bool,
}

impl<'e> Draft<'e> {
    fn new(base: &'e Engine) -> Self {
        let c = base.community().clone();
        Draft {
            topics: Interner::of(&c.topics, &c.topic_ids),
            cops: Interner::of(&c.cops, &c.cop_ids),
            r: base.runner().ranker.clone(),
            c,
            base,
            changed: Vec::new(),
            problems: Problems::default(),
            events: None,
            effects: Vec::new(),
            index: 0,
            languages_changed: false,
        }
    }

    fn location(&self, id: Option<&str>) -> Location {
        Location {
            file: None,
            line: None,
            column: None,
            record: Record::Change {
                index: self.index,
                id: id.map(shown),
            },
        }
    }

    fn problem(&mut self, field: &str, value: &str, kind: ProblemKind) {
        let location = self.location(None);
        self.problems.push_with(|| Problem {
            location,
            field: field.to_owned(),
            value: shown(value),
            kind,
        });
    }

    /// The member with string id `id` (not removed), or a problem naming `field`.
    fn member(&mut self, field: &str, id: &str) -> Option<MemberId> {
        let id = id.trim();
        if let Some(&m) = self.c.by_id.get(id) {
            return Some(m);
        }
        let suggestion = if self.problems.is_full() {
            None
        } else {
            self.c.suggest_id(id)
        };
        self.problem(field, id, ProblemKind::UnknownMember { suggestion });
        None
    }

    /// Both members of a pair, different.
    fn pair(&mut self, a: &str, b: &str) -> Option<(MemberId, MemberId)> {
        let (x, y) = (self.member("a", a), self.member("b", b));
        let (x, y) = (x?, y?);
        if x == y {
            self.problem("b", b, ProblemKind::SelfTie);
            return None;
        }
        Some((x, y))
    }

    fn apply(&mut self, change: &Change) {
        match change {
            Change::PutMember { member } => self.put_member(member),
            Change::RemoveMember { id } => self.remove_member(id),
            Change::PutTie { a, b, strength } => self.put_tie(a, b, *strength),
            Change::RemoveTie { a, b } => self.remove_tie(a, b),
            Change::Block { a, b } => self.block(a, b, true),
            Change::Unblock { a, b } => self.block(a, b, false),
            Change::Propose { id, a, b, date } => {
                self.propose(id.as_deref(), a, b, date.as_deref());
            }
            Change::Event {
                id,
                event,
                member,
                date,
            } => self.event(id, event, member.as_deref(), date.as_deref()),
        }
    }

    fn put_member(&mut self, record: &MemberRecord) {
        let id_text = record.id.trim();
        if id_text.is_empty() {
            self.problem("id", &record.id, ProblemKind::Empty);
            return;
        }
        let before = self.problems.total();
        let location = self.location(Some(id_text));
        let mut cx = Context {
            taxonomy: self.c.taxonomy(),
            topics: &mut self.topics,
            cops: &mut self.cops,
            problems: &mut self.problems,
            location: &|| location.clone(),
        };
        let member = validate_member(&mut cx, Arc::from(id_text), &MemberInput::of(record));
        if self.problems.total() > before {
            return;
        }
        let existing = self.c.by_id.get(id_text).copied();
        let m = existing.unwrap_or(MemberId(self.c.slots() as u32));
        let old = existing.map(|m| self.c.members[m.index()].languages.clone());
        self.count_languages(old.as_deref().unwrap_or(&[]), &member.languages);
        let (open, ties_count) = (member.open_to_intros, usable(&member));
        let profile = Profile::new(&member);
        let reference = member.id_arc();
        if existing.is_some() {
            self.c.members.set(m.index(), member);
            self.r.exclusions.set_open(m.index(), open);
            self.r.ties.set_usable(m.index(), ties_count);
        } else {
            self.c.members.push(member);
            self.c.alive += 1;
            Arc::make_mut(&mut self.c.by_id).insert(Arc::clone(&reference), m);
            self.c.id_index = Arc::default();
            self.r.tie_break.set(m.index(), id_text);
            self.r.exclusions.push_member(open);
            let fingerprints = self.r.tie_break.fingerprints().clone();
            self.r.ties.push_member(ties_count, &fingerprints);
        }
        self.r.set_profile(m.index(), profile);
        self.changed.push(m.0);
        let member = crate::model::ids::MemberRef::new(m, reference);
        self.effects.push(if existing.is_some() {
            Effect::MemberUpdated { member }
        } else {
            Effect::MemberAdded { member }
        });
    }

    fn remove_member(&mut self, id: &str) {
        let Some(m) = self.member("id", id) else {
            return;
        };
        let partners: Vec<u32> = self.r.exclusions.of(m.index()).to_vec();
        let contacts: Vec<u32> = self
            .r
            .ties
            .all_of(m.index())
            .iter()
            .map(|&(t, _)| t)
            .collect();
        let old = self.c.members[m.index()].languages.clone();
        self.count_languages(&old, &[]);
        let erased = self.c.members[m.index()].erased();
        let profile = Profile::new(&erased);
        self.c.members.set(m.index(), erased);
        self.c.alive -= 1;
        Arc::make_mut(&mut self.c.by_id).remove(id.trim());
        self.c.id_index = Arc::default();
        let names = |a: MemberId, b: MemberId| a == m || b == m;
        Arc::make_mut(&mut self.c.connections).retain(|x| !names(x.a, x.b));
        Arc::make_mut(&mut self.c.introductions).retain(|x| !names(x.a, x.b));
        Arc::make_mut(&mut self.c.blocked).retain(|&(a, b)| !names(a, b));
        for t in contacts {
            self.r.ties.set_tie(m.index(), t as usize, None);
        }
        self.r.ties.set_usable(m.index(), false);
        for x in partners {
            let list = self
                .r
                .exclusions
                .of(x as usize)
                .iter()
                .copied()
                .filter(|&y| y != m.0)
                .collect();
            self.r.exclusions.set_list(x as usize, list);
        }
        self.r.exclusions.set_list(m.index(), Vec::new());
        self.r.exclusions.set_open(m.index(), false);
        self.r.exclusions.set_blocked(&self.c.blocked);
        self.r.set_profile(m.index(), profile);
        self.changed.push(m.0);
        self.events = None;
        self.effects.push(Effect::MemberRemoved {
            id: id.trim().to_owned(),
        });
    }

    /// A member who stated `before` now states `after`: the counts of languages follow.
    fn count_languages(&mut self, before: &[Language], after: &[Language]) {
        if before == after {
            return;
        }
        let counts = Arc::make_mut(&mut self.c.language_counts);
        for l in before {
            if let Some(n) = counts.get_mut(l) {
                *n -= 1;
            }
        }
        for &l in after {
            *counts.entry(l).or_default() += 1;
        }
        self.languages_changed = true;
    }

    /// Adds `b` to `a`'s exclusions and `a` to `b`'s.
    fn exclude(&mut self, a: MemberId, b: MemberId) {
        for (x, y) in [(a, b), (b, a)] {
            let mut list = self.r.exclusions.of(x.index()).to_vec();
            list.push(y.0);
            self.r.exclusions.set_list(x.index(), list);
        }
    }

    /// Rebuilds the exclusions of `a` and `b` from their ties, introductions and blocks.
    fn reexclude(&mut self, a: MemberId, b: MemberId) {
        for x in [a, b] {
            let mut list: Vec<u32> = self
                .r
                .ties
                .all_of(x.index())
                .iter()
                .map(|&(t, _)| t)
                .collect();
            let other = |p: MemberId, q: MemberId| {
                if p == x {
                    Some(q.0)
                } else if q == x {
                    Some(p.0)
                } else {
                    None
                }
            };
            list.extend(self.c.introductions.iter().filter_map(|i| other(i.a, i.b)));
            list.extend(self.c.blocked.iter().filter_map(|&(p, q)| other(p, q)));
            self.r.exclusions.set_list(x.index(), list);
        }
    }

    fn has_tie(&self, a: MemberId, b: MemberId) -> bool {
        self.r
            .ties
            .all_of(a.index())
            .binary_search_by_key(&b.0, |&(t, _)| t)
            .is_ok()
    }

    fn put_tie(&mut self, a: &str, b: &str, strength: Option<f64>) {
        let pair = self.pair(a, b);
        let strength = strength.unwrap_or(1.0);
        // As the loaders check it: in (0, 1], and still a normal number once an f32.
        if !(strength.is_finite()
            && strength > 0.0
            && strength <= 1.0
            && (strength as f32).is_normal())
        {
            self.problem(
                "strength",
                &strength.to_string(),
                ProblemKind::StrengthOutOfRange,
            );
            return;
        }
        let Some((a, b)) = pair else {
            return;
        };
        let strength = strength as f32;
        let same = |x: &Connection| (x.a, x.b) == (a, b) || (x.a, x.b) == (b, a);
        if self.has_tie(a, b) {
            if let Some(x) = Arc::make_mut(&mut self.c.connections)
                .iter_mut()
                .find(|x| same(x))
            {
                x.strength = strength;
            }
            self.effects.push(Effect::TieUpdated);
        } else {
            Arc::make_mut(&mut self.c.connections).push(Connection { a, b, strength });
            self.exclude(a, b);
            self.effects.push(Effect::TieAdded);
        }
        self.r.ties.set_tie(a.index(), b.index(), Some(strength));
    }

    fn remove_tie(&mut self, a: &str, b: &str) {
        let Some((a, b)) = self.pair(a, b) else {
            return;
        };
        if !self.has_tie(a, b) {
            let id = self.c.members[b.index()].id_arc();
            self.problem(
                "b",
                &id,
                ProblemKind::Unaccepted {
                    message: "no tie between these two".to_owned(),
                },
            );
            return;
        }
        Arc::make_mut(&mut self.c.connections)
            .retain(|x| (x.a, x.b) != (a, b) && (x.a, x.b) != (b, a));
        self.r.ties.set_tie(a.index(), b.index(), None);
        self.reexclude(a, b);
        self.effects.push(Effect::TieRemoved);
    }

    fn block(&mut self, a: &str, b: &str, block: bool) {
        let Some((a, b)) = self.pair(a, b) else {
            return;
        };
        let same = |&(x, y): &(MemberId, MemberId)| (x, y) == (a, b) || (x, y) == (b, a);
        let blocked = self.c.blocked.iter().any(same);
        if block {
            if !blocked {
                Arc::make_mut(&mut self.c.blocked).push((a, b));
                self.exclude(a, b);
            }
            self.effects.push(Effect::Blocked);
        } else {
            if !blocked {
                let id = self.c.members[b.index()].id_arc();
                self.problem(
                    "b",
                    &id,
                    ProblemKind::Unaccepted {
                        message: "this pair is not blocked".to_owned(),
                    },
                );
                return;
            }
            Arc::make_mut(&mut self.c.blocked).retain(|p| !same(p));
            self.reexclude(a, b);
            self.effects.push(Effect::Unblocked);
        }
        self.r.exclusions.set_blocked(&self.c.blocked);
    }

    /// Where every introduction with an id stands.
    fn events(&mut self) -> &mut Events {
        let c = &self.c;
        self.events.get_or_insert_with(|| {
            let mut events = Events::default();
            for intro in c.introductions.iter() {
                // The history was checked when it was read or changed.
                let _ = events.follow(intro);
            }
            events
        })
    }

    /// A change's date: `Ok(None)` when it gives none, `Err(())` (reported) when it is not a
    /// date.
    fn date(&mut self, date: Option<&str>) -> std::result::Result<Option<Date>, ()> {
        match date.map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => text.parse::<Date>().map(Some).map_err(|_| {
                self.problem("date", text, ProblemKind::InvalidDate);
            }),
        }
    }

    fn propose(&mut self, id: Option<&str>, a: &str, b: &str, date: Option<&str>) {
        let pair = self.pair(a, b);
        let date = self.date(date);
        let (Some((a, b)), Ok(date)) = (pair, date) else {
            return;
        };
        let id: Arc<str> = if let Some(given) = id.map(str::trim).filter(|s| !s.is_empty()) {
            if self.events().get(given).is_some() {
                self.problem(
                    "id",
                    given,
                    ProblemKind::InvalidEvent {
                        reason: "an introduction with this id exists",
                    },
                );
                return;
            }
            Arc::from(given)
        } else {
            let mut n = self.c.introductions.len() + 1;
            loop {
                let made = format!("intro-{n}");
                if self.events().get(&made).is_none() {
                    break Arc::from(made);
                }
                n += 1;
            }
        };
        let intro = Introduction {
            a,
            b,
            outcome: Outcome::Proposed,
            date,
            id: Some(Arc::clone(&id)),
            by: None,
        };
        let _ = self.events().follow(&intro);
        Arc::make_mut(&mut self.c.introductions).push(intro);
        if !self.has_excluded(a, b) {
            self.exclude(a, b);
        }
        self.effects.push(Effect::Proposed { id: id.to_string() });
    }

    fn has_excluded(&self, a: MemberId, b: MemberId) -> bool {
        self.r.exclusions.of(a.index()).binary_search(&b.0).is_ok()
    }

    fn event(&mut self, id: &str, event: &str, member: Option<&str>, date: Option<&str>) {
        let id = id.trim();
        let Some((_, a, b)) = self.events().get(id) else {
            self.problem(
                "id",
                id,
                ProblemKind::InvalidEvent {
                    reason: "no introduction has this id",
                },
            );
            return;
        };
        let outcome = match event.parse::<Outcome>() {
            Ok(o) => Some(o),
            Err(e) => {
                self.problem(
                    "event",
                    event,
                    ProblemKind::UnknownOutcome {
                        suggestion: e.suggestion,
                    },
                );
                None
            }
        };
        let by = match member.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(None),
            Some(who) => self.member("member", who).map(Some),
        };
        let date = self.date(date);
        let (Some(outcome), Some(by), Ok(date)) = (outcome, by, date) else {
            return;
        };
        let intro = Introduction {
            a,
            b,
            outcome,
            date,
            id: Some(Arc::from(id)),
            by,
        };
        match self.events().follow(&intro) {
            Ok(()) => {
                Arc::make_mut(&mut self.c.introductions).push(intro);
                let now = self
                    .events()
                    .get(id)
                    .map_or(outcome, |(state, _, _): (IntroState, _, _)| state.outcome);
                self.effects.push(Effect::Moved {
                    id: id.to_owned(),
                    outcome: now,
                });
            }
            Err((field, reason)) => {
                let value = if field == "member" {
                    member.unwrap_or("")
                } else {
                    event
                };
                self.problem(field, value, ProblemKind::InvalidEvent { reason });
            }
        }
    }

    fn finish(mut self) -> Result<(Engine, Vec<Effect>)> {
        if !self.problems.is_empty() {
            return Err(Error::from_problems("changes".to_owned(), self.problems));
        }
        let c = &mut self.c;
        if self.topics.len() > c.topics.len() || self.cops.len() > c.cops.len() {
            let (topics, topic_ids) = self.topics.into_parts();
            let (cops, cop_ids) = self.cops.into_parts();
            c.topic_names = Arc::new(topics.iter().map(|t| Arc::from(topic_label(t))).collect());
            c.cop_names = Arc::new(cops.iter().map(|x| Arc::from(cop_label(x))).collect());
            c.topics = Arc::new(topics);
            c.cops = Arc::new(cops);
            c.topic_ids = Arc::new(topic_ids);
            c.cop_ids = Arc::new(cop_ids);
            let tables = Tables::new(self.base.weights(), c);
            self.r.set_tables(tables, c.topics.len(), c.cops.len());
        }
        if self.languages_changed {
            (c.languages, c.main_language) = languages_of(&c.language_counts);
        }
        let runner = Runner::changed_from(self.base.runner(), self.r, &self.changed);
        Ok((
            Engine::from_parts(self.c, self.base.weights().clone(), runner),
            self.effects,
        ))
    }
}
