//! Validating one member's fields into a [`Member`], whatever form they were read in (owned
//! records from code or CSV, text borrowed from a JSON file), and interning topic and community
//! slugs as they come.

use std::sync::Arc;

use crate::model::consent::ConsentRecord;
use crate::model::country::Country;
use crate::model::ids::{CopId, IdMap, TopicId};
use crate::model::kind::MemberKind;
use crate::model::language::Language;
use crate::model::member::Member;
use crate::model::record::MemberRecord;
use crate::model::slug::{normalize_slug, suggest};
use crate::model::stage::Stage;
use crate::model::taxonomy::{Taxonomy, VerticalId};
use crate::problem::{Location, Problem, ProblemKind, Problems, shown};

/// One member's fields as text, borrowed from wherever they were read.
pub(crate) struct MemberInput<'a, S: AsRef<str>> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) country: &'a str,
    pub(crate) verticals: &'a [S],
    pub(crate) stage: Option<&'a str>,
    pub(crate) stage_focus: &'a [S],
    pub(crate) offers: &'a [S],
    pub(crate) needs: &'a [S],
    pub(crate) communities: &'a [S],
    pub(crate) languages: &'a [S],
    pub(crate) open_to_intros: Option<bool>,
    pub(crate) max_intros: Option<u32>,
    pub(crate) consent: ConsentRecord,
}

impl<'a> MemberInput<'a, String> {
    pub(crate) fn of(r: &'a MemberRecord) -> Self {
        MemberInput {
            id: &r.id,
            name: &r.name,
            kind: &r.kind,
            country: &r.country,
            verticals: &r.verticals,
            stage: r.stage.as_deref(),
            stage_focus: &r.stage_focus,
            offers: &r.offers,
            needs: &r.needs,
            communities: &r.communities,
            languages: &r.languages,
            open_to_intros: r.open_to_intros,
            max_intros: r.max_intros,
            consent: r.consent,
        }
    }
}

/// Slugs numbered in the order first seen; [`Interner::sorted`] renumbers them alphabetically
/// once every member is in, so ids do not depend on input order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interner {
    ids: IdMap<u32>,
    slugs: Vec<Arc<str>>,
}

impl Interner {
    /// The interner of slugs already numbered (`slugs[i]` has id `i`).
    pub(crate) fn of(slugs: &[Arc<str>], ids: &IdMap<u32>) -> Self {
        Interner {
            ids: ids.clone(),
            slugs: slugs.to_vec(),
        }
    }

    /// How many slugs it has numbered.
    pub(crate) fn len(&self) -> usize {
        self.slugs.len()
    }

    /// The slugs in id order, and the map to their ids.
    pub(crate) fn into_parts(self) -> (Vec<Arc<str>>, IdMap<u32>) {
        (self.slugs, self.ids)
    }

    /// The id of `raw`'s normal form, `None` when it is empty; `Err` when it holds a `;` or a
    /// control character.
    fn intern(&mut self, raw: &str) -> Result<Option<u32>, ()> {
        let slug = normalize_slug(raw);
        if slug.is_empty() {
            return Ok(None);
        }
        if let Some(&id) = self.ids.get(&*slug) {
            return Ok(Some(id));
        }
        // A `;` would split the slug into two when written to a CSV list; control characters
        // cannot be written back at all.
        if slug.chars().any(|c| c == ';' || c.is_control()) {
            return Err(());
        }
        let id = self.slugs.len() as u32;
        let slug: Arc<str> = Arc::from(&*slug);
        self.slugs.push(Arc::clone(&slug));
        self.ids.insert(slug, id);
        Ok(Some(id))
    }

    /// The slugs sorted, and each first-seen id's new id.
    pub(crate) fn sorted(self) -> (Vec<Arc<str>>, Vec<u32>) {
        let mut order: Vec<u32> = (0..self.slugs.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.slugs[a as usize].cmp(&self.slugs[b as usize]));
        let mut new_id = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_id[old as usize] = new as u32;
        }
        let sorted = order
            .iter()
            .map(|&old| Arc::clone(&self.slugs[old as usize]))
            .collect();
        (sorted, new_id)
    }
}

/// Everything a member's validation reads and writes besides the member.
pub(crate) struct Context<'a> {
    pub(crate) taxonomy: &'a Taxonomy,
    pub(crate) topics: &'a mut Interner,
    pub(crate) cops: &'a mut Interner,
    pub(crate) problems: &'a mut Problems,
    /// Where the member is, made only when there is a problem to report.
    pub(crate) location: &'a dyn Fn() -> Location,
}

impl Context<'_> {
    /// Whether a problem pushed now would be kept (else it is only counted, and what would
    /// only describe it, such as a suggestion, need not be computed).
    fn keeps(&self) -> bool {
        !self.problems.is_full()
    }

    pub(crate) fn push(&mut self, field: &str, value: &str, kind: ProblemKind) {
        let location = self.location;
        self.problems.push_with(|| Problem {
            location: location(),
            field: field.to_owned(),
            value: shown(value),
            kind,
        });
    }
}

/// `input` validated into a member with the id `id`; every problem found is pushed to `cx`.
/// Topics and communities are numbered in `cx`'s interners, in first-seen order.
pub(crate) fn validate_member<S: AsRef<str>>(
    cx: &mut Context<'_>,
    id: Arc<str>,
    input: &MemberInput<'_, S>,
) -> Member {
    let kind = if input.kind.trim().is_empty() {
        cx.push("kind", "", ProblemKind::MissingField);
        MemberKind::Other
    } else {
        input.kind.parse::<MemberKind>().unwrap_or_else(|e| {
            cx.push(
                "kind",
                input.kind,
                ProblemKind::UnknownKind {
                    suggestion: e.suggestion,
                },
            );
            MemberKind::Other
        })
    };
    // Stands in for a missing or bad country; it never escapes, because the problem pushed
    // alongside it makes the build fail.
    let country = if input.country.trim().is_empty() {
        cx.push("country", "", ProblemKind::MissingField);
        Country::PLACEHOLDER
    } else if let Some(country) = Country::lookup(input.country) {
        country
    } else {
        let suggestion = if cx.keeps() {
            input
                .country
                .parse::<Country>()
                .err()
                .and_then(|e| e.suggestion)
        } else {
            None
        };
        cx.push(
            "country",
            input.country,
            ProblemKind::UnknownCountry { suggestion },
        );
        Country::PLACEHOLDER
    };
    let verticals = verticals(cx, input.verticals);
    let stage = match input.stage.map(str::trim) {
        None | Some("") => None,
        Some(text) => parse_stage(cx, "stage", text),
    };
    let mut stage_focus: Vec<Stage> = Vec::with_capacity(input.stage_focus.len());
    for s in input.stage_focus {
        let s = s.as_ref();
        if s.trim().is_empty() {
            cx.push("stage_focus", s, ProblemKind::Empty);
        } else if let Some(stage) = parse_stage(cx, "stage_focus", s) {
            stage_focus.push(stage);
        }
    }
    stage_focus.sort_unstable();
    stage_focus.dedup();
    let offers = slug_ids(cx, "offers", input.offers, false);
    let needs = slug_ids(cx, "needs", input.needs, false);
    let communities = slug_ids(cx, "communities", input.communities, true);
    let languages = languages(cx, input.languages);
    let name = input.name.trim();
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
        offers: offers.into_iter().map(TopicId).collect(),
        needs: needs.into_iter().map(TopicId).collect(),
        communities: communities.into_iter().map(CopId).collect(),
        languages,
        open_to_intros: input.open_to_intros.unwrap_or(true),
        max_intros: input.max_intros,
        consent: input.consent.consent(),
        removed: false,
    }
}

fn verticals<S: AsRef<str>>(cx: &mut Context<'_>, raw: &[S]) -> Vec<VerticalId> {
    let mut out: Vec<VerticalId> = Vec::with_capacity(raw.len());
    if raw.iter().all(|v| v.as_ref().trim().is_empty()) {
        cx.push("verticals", "", ProblemKind::Empty);
    }
    for v in raw {
        let v = v.as_ref();
        if v.trim().is_empty() {
            continue;
        }
        if let Some(id) = cx.taxonomy.vertical_by_slug(v) {
            out.push(id);
            continue;
        }
        let suggestion = if cx.keeps() {
            suggest(
                v,
                cx.taxonomy
                    .verticals()
                    .iter()
                    .map(crate::model::taxonomy::Vertical::slug),
            )
        } else {
            None
        };
        cx.push("verticals", v, ProblemKind::UnknownVertical { suggestion });
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn parse_stage(cx: &mut Context<'_>, field: &str, text: &str) -> Option<Stage> {
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
}

/// The interned ids of topic (or, with `cop`, community) slugs, sorted, no repeats.
fn slug_ids<S: AsRef<str>>(cx: &mut Context<'_>, field: &str, raw: &[S], cop: bool) -> Vec<u32> {
    let mut ids: Vec<u32> = Vec::with_capacity(raw.len());
    for t in raw {
        let t = t.as_ref();
        let interner = if cop { &mut *cx.cops } else { &mut *cx.topics };
        match interner.intern(t) {
            Ok(Some(id)) => ids.push(id),
            Ok(None) => cx.push(field, t, ProblemKind::Empty),
            Err(()) => cx.push(field, t, ProblemKind::InvalidSlug),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn languages<S: AsRef<str>>(cx: &mut Context<'_>, raw: &[S]) -> Vec<Language> {
    let mut out = Vec::with_capacity(raw.len());
    for l in raw {
        let l = l.as_ref();
        if l.trim().is_empty() {
            cx.push("languages", "", ProblemKind::Empty);
            continue;
        }
        if let Some(language) = Language::lookup(l) {
            out.push(language);
        } else {
            let suggestion = if cx.keeps() {
                l.parse::<Language>().err().and_then(|e| e.suggestion)
            } else {
                None
            };
            cx.push("languages", l, ProblemKind::UnknownLanguage { suggestion });
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Renumbers a member's topics and communities from first-seen to alphabetical ids.
pub(crate) fn renumber(member: &mut Member, topics: &[u32], cops: &[u32]) {
    for list in [&mut member.offers, &mut member.needs] {
        for t in list.iter_mut() {
            t.0 = topics[t.0 as usize];
        }
        list.sort_unstable();
    }
    for c in &mut member.communities {
        c.0 = cops[c.0 as usize];
    }
    member.communities.sort_unstable();
}
