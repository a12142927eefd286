//! The catalogue as files supply it, before validation, and its validation against a
//! community: every problem reported with its record, field, value and a suggestion.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::learn::resource::{Catalogue, Consumption, Journey, Resource, ResourceId};
use crate::model::community::Community;
use crate::model::language::Language;
use crate::model::slug::{normalize_slug, suggest};
use crate::model::stage::Stage;
use crate::model::suggest::IdSuggester;
use crate::problem::{Location, Problem, ProblemKind, Problems, Record, shown};

/// A learning resource as a file supplies it. Only `id`, `title` and `kind` are required.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResourceRecord {
    /// Unique id.
    pub id: String,
    /// Title.
    pub title: String,
    /// `article`, `landscape-scan`, `course`, `toolkit`, `recording` or `event`.
    pub kind: String,
    /// Topic slugs it covers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// Vertical slugs it is written for (empty: any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub verticals: Vec<String>,
    /// Stage slugs it is written for (empty: any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<String>,
    /// Languages it is available in (empty: the community's main language).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Minutes it takes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A learning journey as a file supplies it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JourneyRecord {
    /// Unique id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Stage slugs it is for (empty: any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<String>,
    /// Resource ids, in order (one or more).
    pub steps: Vec<String>,
}

/// A resource a member consumed, as a file supplies it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsumedRecord {
    /// The member's id.
    pub member: String,
    /// The resource's id.
    pub resource: String,
    /// `YYYY-MM-DD`, optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// 1 to 5, optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
}

/// The whole catalogue as records: the optional `resources`, `journeys` and `consumed` keys of
/// the community JSON file (other keys are the community's and are skipped).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogueRecords {
    /// Resources, in input order.
    pub resources: Vec<ResourceRecord>,
    /// Journeys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub journeys: Vec<JourneyRecord>,
    /// Resources consumed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consumed: Vec<ConsumedRecord>,
}

/// Problems of one record, located lazily.
struct Checker<'a> {
    problems: &'a mut Problems,
    file: Option<&'a str>,
    record: Record,
}

impl Checker<'_> {
    /// Whether a problem pushed now is kept (else only counted, so what would only describe
    /// it, a suggestion, is not worth computing).
    fn keeps(&self) -> bool {
        !self.problems.is_full()
    }

    fn push(&mut self, field: &str, value: &str, kind: ProblemKind) {
        let (file, record) = (self.file, &self.record);
        self.problems.push_with(|| Problem {
            location: Location {
                file: file.map(str::to_owned),
                line: None,
                column: None,
                record: record.clone(),
            },
            field: field.to_owned(),
            value: shown(value),
            kind,
        });
    }

    fn stages(&mut self, raw: &[String]) -> Vec<Stage> {
        let mut out: Vec<Stage> = Vec::new();
        for s in raw {
            match s.parse::<Stage>() {
                Ok(stage) => out.push(stage),
                Err(e) => self.push(
                    "stages",
                    s,
                    ProblemKind::UnknownStage {
                        suggestion: e.suggestion,
                    },
                ),
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A required text field: trimmed, or a problem when empty.
fn required(c: &mut Checker<'_>, field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        c.push(field, value, ProblemKind::MissingField);
        None
    } else {
        Some(v.to_owned())
    }
}

impl CatalogueRecords {
    /// Validates the records against `community` (member ids, its taxonomy) into a
    /// [`Catalogue`]. `file` names the source in problems.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) with every problem: a missing id,
    /// title or kind, an unknown kind, vertical, stage, language, member or resource (each with
    /// the closest known value), a repeated id, a rating outside 1 to 5, a bad date, a journey
    /// without steps.
    ///
    /// # Complexity
    ///
    /// Linear in the records (suggestions, made only for problems, are bounded).
    pub fn validate(&self, community: &Community, file: Option<&str>) -> Result<Catalogue> {
        let mut problems = Problems::default();
        let taxonomy = community.taxonomy();
        let mut catalogue = Catalogue::default();
        let mut first: HashMap<Arc<str>, usize> = HashMap::new();
        for (index, r) in self.resources.iter().enumerate() {
            let id_text = r.id.trim();
            let mut c = Checker {
                problems: &mut problems,
                file,
                record: Record::Resource {
                    index,
                    id: (!id_text.is_empty()).then(|| shown(id_text)),
                },
            };
            let id = required(&mut c, "id", &r.id);
            let title = required(&mut c, "title", &r.title);
            let kind = if r.kind.trim().is_empty() {
                c.push("kind", &r.kind, ProblemKind::MissingField);
                None
            } else {
                r.kind
                    .parse()
                    .map_err(|e: crate::model::slug::UnknownSlug| {
                        c.push(
                            "kind",
                            &r.kind,
                            ProblemKind::UnknownResourceKind {
                                suggestion: e.suggestion,
                            },
                        );
                    })
                    .ok()
            };
            let mut topics: Vec<Arc<str>> = Vec::new();
            for t in &r.topics {
                let slug = normalize_slug(t);
                if slug.is_empty() {
                    c.push("topics", t, ProblemKind::Empty);
                } else if slug.contains(';') || slug.chars().any(char::is_control) {
                    c.push("topics", t, ProblemKind::InvalidSlug);
                } else {
                    topics.push(Arc::from(&*slug));
                }
            }
            topics.sort_unstable();
            topics.dedup();
            let mut verticals = Vec::new();
            for v in &r.verticals {
                match taxonomy.vertical_by_slug(v) {
                    Some(id) => verticals.push(id),
                    None => c.push(
                        "verticals",
                        v,
                        ProblemKind::UnknownVertical {
                            suggestion: suggest(
                                v,
                                taxonomy
                                    .verticals()
                                    .iter()
                                    .map(crate::model::taxonomy::Vertical::slug),
                            ),
                        },
                    ),
                }
            }
            verticals.sort_unstable();
            verticals.dedup();
            let stages = c.stages(&r.stages);
            let mut languages: Vec<Language> = Vec::new();
            for l in &r.languages {
                match l.parse::<Language>() {
                    Ok(lang) => languages.push(lang),
                    Err(e) => c.push(
                        "languages",
                        l,
                        ProblemKind::UnknownLanguage {
                            suggestion: e.suggestion,
                        },
                    ),
                }
            }
            languages.sort_unstable();
            languages.dedup();
            if r.minutes == Some(0) {
                c.push(
                    "minutes",
                    "0",
                    ProblemKind::OutOfRange {
                        reason: "at least 1 minute",
                    },
                );
            }
            if let Some(id) = &id {
                if let Some(&was) = first.get(id.as_str()) {
                    c.push(
                        "id",
                        id,
                        ProblemKind::Unaccepted {
                            message: format!("id used twice, first by resource #{}", was + 1),
                        },
                    );
                    continue;
                }
                first.insert(Arc::from(id.as_str()), index);
            }
            let (Some(id), Some(title), Some(kind)) = (id, title, kind) else {
                continue;
            };
            let id: Arc<str> = Arc::from(id);
            let rid = ResourceId(catalogue.resources.len() as u32);
            catalogue.by_id.insert(Arc::clone(&id), rid);
            catalogue.resources.push(Resource {
                id,
                title,
                kind,
                topics,
                verticals,
                stages,
                languages,
                minutes: r.minutes,
                url: r
                    .url
                    .as_ref()
                    .map(|u| u.trim().to_owned())
                    .filter(|u| !u.is_empty()),
            });
        }
        let suggester = |c: &Catalogue| IdSuggester::new(c.by_id.keys().map(|k| &**k));
        let resource_ids = suggester(&catalogue);
        let mut journey_ids: HashMap<String, usize> = HashMap::new();
        for (index, j) in self.journeys.iter().enumerate() {
            let id_text = j.id.trim();
            let mut c = Checker {
                problems: &mut problems,
                file,
                record: Record::Journey {
                    index,
                    id: (!id_text.is_empty()).then(|| shown(id_text)),
                },
            };
            let id = required(&mut c, "id", &j.id);
            let title = required(&mut c, "title", &j.title);
            let stages = c.stages(&j.stages);
            if j.steps.is_empty() {
                c.push("steps", "", ProblemKind::Empty);
            }
            let mut steps = Vec::new();
            for s in &j.steps {
                if let Some(r) = catalogue.resource_id(s) {
                    steps.push(r);
                } else {
                    let suggestion = if c.keeps() {
                        resource_ids.suggest(s.trim())
                    } else {
                        None
                    };
                    c.push("steps", s, ProblemKind::UnknownResource { suggestion });
                }
            }
            let (Some(id), Some(title)) = (id, title) else {
                continue;
            };
            if let Some(&was) = journey_ids.get(&id) {
                c.push(
                    "id",
                    &id,
                    ProblemKind::Unaccepted {
                        message: format!("id used twice, first by journey #{}", was + 1),
                    },
                );
                continue;
            }
            journey_ids.insert(id.clone(), index);
            catalogue.journeys.push(Journey {
                id: Arc::from(id),
                title,
                stages,
                steps,
            });
        }
        add_consumed(
            &self.consumed,
            community,
            &mut catalogue,
            &resource_ids,
            &mut problems,
            file,
        );
        if problems.is_empty() {
            Ok(catalogue)
        } else {
            Err(Error::from_problems(
                file.unwrap_or("catalogue").to_owned(),
                problems,
            ))
        }
    }
}

/// Validates consumption `records` against `community` and `catalogue`'s resources, appending
/// the valid ones to `catalogue`.
fn add_consumed(
    records: &[ConsumedRecord],
    community: &Community,
    catalogue: &mut Catalogue,
    resource_ids: &IdSuggester,
    problems: &mut Problems,
    file: Option<&str>,
) {
    for (index, r) in records.iter().enumerate() {
        let mut c = Checker {
            problems: &mut *problems,
            file,
            record: Record::Consumed { index },
        };
        let member = community.member_id(&r.member);
        if member.is_none() {
            let suggestion = if c.keeps() {
                community.suggest_id(r.member.trim())
            } else {
                None
            };
            c.push(
                "member",
                &r.member,
                ProblemKind::UnknownMember { suggestion },
            );
        }
        let resource = catalogue.resource_id(&r.resource);
        if resource.is_none() {
            let suggestion = if c.keeps() {
                resource_ids.suggest(r.resource.trim())
            } else {
                None
            };
            c.push(
                "resource",
                &r.resource,
                ProblemKind::UnknownResource { suggestion },
            );
        }
        let date = match r.date.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => text.parse().map(Some).map_err(|_| {
                c.push("date", text, ProblemKind::InvalidDate);
            }),
        };
        if let Some(rating) = r.rating {
            if !(1..=5).contains(&rating) {
                c.push(
                    "rating",
                    &rating.to_string(),
                    ProblemKind::OutOfRange { reason: "1 to 5" },
                );
                continue;
            }
        }
        if let (Some(member), Some(resource), Ok(date)) = (member, resource, date) {
            catalogue.consumed.push(Consumption {
                member,
                resource,
                date,
                rating: r.rating,
            });
        }
    }
}

impl Catalogue {
    /// This catalogue with `records` of consumption added, validated against `community`
    /// (a later snapshot of the community it was validated against, whose member ids it
    /// keeps) and this catalogue's resources.
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::{Catalogue, Community, ConsumedRecord};
    ///
    /// let community = Community::load("data/small.json")?;
    /// let catalogue = Catalogue::load("data/small.json", &community)?;
    /// let took = ConsumedRecord {
    ///     member: "soko-mama".into(),
    ///     resource: "pre-seed-fundraising-guide".into(),
    ///     rating: Some(5),
    ///     ..ConsumedRecord::default()
    /// };
    /// let grown = catalogue.with_consumed(&[took.clone()], &community)?;
    /// assert_eq!(grown.consumed().len(), catalogue.consumed().len() + 1);
    /// let typo = ConsumedRecord { resource: "pre-seed-fundraising-guid".into(), ..took };
    /// let err = catalogue.with_consumed(&[typo], &community).unwrap_err();
    /// assert!(err.to_string().contains("did you mean `pre-seed-fundraising-guide`?"));
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) with every problem (unknown member or
    /// resource with a suggestion, bad date, rating outside 1 to 5); then nothing is added.
    pub fn with_consumed(
        &self,
        records: &[ConsumedRecord],
        community: &Community,
    ) -> Result<Catalogue> {
        let mut problems = Problems::default();
        let mut catalogue = self.clone();
        let resource_ids = IdSuggester::new(self.by_id.keys().map(|k| &**k));
        add_consumed(
            records,
            community,
            &mut catalogue,
            &resource_ids,
            &mut problems,
            None,
        );
        if problems.is_empty() {
            Ok(catalogue)
        } else {
            Err(Error::from_problems("consumed".to_owned(), problems))
        }
    }

    /// The catalogue as records (what a file holds).
    pub fn to_records(&self, community: &Community) -> CatalogueRecords {
        let stage_slugs = |s: &[Stage]| s.iter().map(|x| x.slug().to_owned()).collect();
        CatalogueRecords {
            resources: self
                .resources
                .iter()
                .map(|r| ResourceRecord {
                    id: r.id.to_string(),
                    title: r.title.clone(),
                    kind: r.kind.slug().to_owned(),
                    topics: r.topics.iter().map(ToString::to_string).collect(),
                    verticals: r
                        .verticals
                        .iter()
                        .map(|&v| {
                            community.taxonomy().verticals()[v.index()]
                                .slug()
                                .to_owned()
                        })
                        .collect(),
                    stages: stage_slugs(&r.stages),
                    languages: r.languages.iter().map(|l| l.code().to_owned()).collect(),
                    minutes: r.minutes,
                    url: r.url.clone(),
                })
                .collect(),
            journeys: self
                .journeys
                .iter()
                .map(|j| JourneyRecord {
                    id: j.id.to_string(),
                    title: j.title.clone(),
                    stages: stage_slugs(&j.stages),
                    steps: j
                        .steps
                        .iter()
                        .map(|&s| self.resource(s).id.to_string())
                        .collect(),
                })
                .collect(),
            consumed: self
                .consumed
                .iter()
                .filter_map(|c| {
                    Some(ConsumedRecord {
                        member: community.get(c.member)?.id().to_owned(),
                        resource: self.resource(c.resource).id.to_string(),
                        date: c.date.map(|d| d.to_string()),
                        rating: c.rating,
                    })
                })
                .collect(),
        }
    }
}
