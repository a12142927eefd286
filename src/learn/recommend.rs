//! Resources and journeys for a member: scored by needs, stage, vertical, language and what
//! members like it found useful, with the most exposed resources discounted so the same few do
//! not fill every list.
//!
//! A resource's score for member m is the weighted mean of five signals in [0, 1], times an
//! exposure discount:
//!
//! - **needs**: topics of m's needs the resource covers, over min(|needs|, |topics|);
//! - **stage**: 1 when written for m's stage (an investor's or ESO's stage focus), 0.4 one
//!   stage away, 0 further, 0.5 when the resource or m names no stage;
//! - **vertical**: 1 for one of m's verticals, 0.5 for one of their categories, 0 otherwise,
//!   0.5 when the resource names none;
//! - **peers** ("members like you found this useful"): the usefulness of the resource to the
//!   members who consumed it, each weighted by its similarity to m (0.4 same kind, 0.4 per
//!   shared vertical, 0.2 same stage), summed and saturating at 2: an additive similarity, so it
//!   is three lookups in per-resource tables (kind, vertical, stage) instead of a walk over
//!   every consumer;
//! - **language**: 1 in m's first language, 0.5 in another it reads.
//!
//! A resource in no language m reads (a resource without languages is in the community's main
//! one) is never listed, nor one m consumed. The discount is `1 - exposure * share`, where
//! `share` is the fraction of members whose undiscounted top `exposure_k` holds the resource.
//! Ties break by resource id.

use std::cmp::Ordering;
use std::sync::Arc;

use ndarray::Array2;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::learn::reason::LearningReason;
use crate::learn::resource::{Catalogue, Resource, ResourceId};
use crate::model::community::Community;
use crate::model::ids::{Labeled, MemberId, MemberRef};
use crate::model::label::topic_label;
use crate::model::language::Language;
use crate::model::member::Member;
use crate::model::stage::Stage;

/// How resources are scored: the signal weights (any non-negative numbers, not all zero) and
/// the exposure discount.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LearningConfig {
    /// Weight of the needs covered (default 0.45).
    pub needs: f32,
    /// Weight of the stage fit (default 0.2).
    pub stage: f32,
    /// Weight of the vertical fit (default 0.1).
    pub vertical: f32,
    /// Weight of what similar members found useful (default 0.2).
    pub peers: f32,
    /// Weight of being in the member's first language (default 0.05).
    pub language: f32,
    /// How much the most exposed resources are discounted, in [0, 1) (default 0.3).
    pub exposure: f32,
    /// The list length exposure is counted at (default 5).
    pub exposure_k: usize,
}

impl Default for LearningConfig {
    fn default() -> Self {
        LearningConfig {
            needs: 0.45,
            stage: 0.2,
            vertical: 0.1,
            peers: 0.2,
            language: 0.05,
            exposure: 0.3,
            exposure_k: 5,
        }
    }
}

impl LearningConfig {
    fn validate(&self) -> Result<()> {
        let weights = [
            ("needs", self.needs),
            ("stage", self.stage),
            ("vertical", self.vertical),
            ("peers", self.peers),
            ("language", self.language),
        ];
        for (name, w) in weights {
            if !(0.0..=1e6).contains(&w) {
                return Err(Error::option(name, &w, "a weight in [0, 1e6]"));
            }
        }
        if weights.iter().map(|w| w.1).sum::<f32>() <= 0.0 {
            return Err(Error::option(
                "needs",
                &self.needs,
                "at least one weight must be above 0",
            ));
        }
        if !(0.0..1.0).contains(&self.exposure) {
            return Err(Error::option("exposure", &self.exposure, "in [0, 1)"));
        }
        if self.exposure_k == 0 {
            return Err(Error::option("exposure_k", &0, "at least 1"));
        }
        Ok(())
    }
}

/// One resource recommended to a member.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourceMatch {
    /// The resource (serializes as its id).
    pub resource: Labeled<ResourceId>,
    /// Its score in [0, 1].
    pub score: f32,
    /// Why, in plain words.
    pub reasons: Vec<LearningReason>,
}

/// A journey that fits a member, and its next step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JourneyMatch {
    /// The journey (serializes as its id).
    pub journey: Labeled<usize>,
    /// The first step the member has not consumed, in a language it reads; `None` when every
    /// readable step is done.
    pub next: Option<Labeled<ResourceId>>,
    /// Steps consumed.
    pub done: usize,
    /// Steps in all.
    pub steps: usize,
    /// How well it fits, in [0, 1].
    pub score: f32,
    /// Why, in plain words.
    pub reasons: Vec<LearningReason>,
}

/// A member's learning list: resources, best first, and journeys (started ones first).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LearningList {
    /// The member.
    pub member: MemberRef,
    /// Resources, best first.
    pub resources: Vec<ResourceMatch>,
    /// Journeys: started ones first (furthest along first), then by fit.
    pub journeys: Vec<JourneyMatch>,
}

/// Ranks a catalogue's resources and journeys for a community's members. Built once;
/// `Send + Sync`.
#[derive(Debug)]
pub struct Learning {
    community: Community,
    catalogue: Catalogue,
    config: LearningConfig,
    /// Per resource, the usefulness its consumers found, summed by their kind, vertical and
    /// stage.
    by_kind: Array2<f32>,
    by_vertical: Array2<f32>,
    by_stage: Array2<f32>,
    /// Per member slot, the resources it consumed (sorted).
    consumed: Vec<Vec<ResourceId>>,
    /// Per resource, the exposure discount factor.
    discount: Vec<f32>,
    main_language: Option<Language>,
}

impl Learning {
    /// Prepares ranking of `catalogue` (validated against `community`) under `config`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) for a weight that is
    /// negative or not finite, all weights zero, `exposure` outside [0, 1) or `exposure_k` 0.
    ///
    /// # Complexity
    ///
    /// O(c + n·r) for c consumption records, n members and r resources (the exposure counts
    /// rank every member once, in parallel).
    pub fn new(community: Community, catalogue: Catalogue, config: LearningConfig) -> Result<Self> {
        config.validate()?;
        let r = catalogue.resources.len();
        let slots = community.slots();
        let mut consumed: Vec<Vec<ResourceId>> = vec![Vec::new(); slots];
        // Each member's best usefulness per resource, so repeats count once.
        let mut best: std::collections::BTreeMap<(u32, u32), f32> =
            std::collections::BTreeMap::new();
        for c in &catalogue.consumed {
            if community.get(c.member).is_none() {
                continue; // erased
            }
            let u = best.entry((c.resource.0, c.member.0)).or_insert(0.0);
            *u = u.max(c.usefulness());
            consumed[c.member.index()].push(c.resource);
        }
        for list in &mut consumed {
            list.sort_unstable();
            list.dedup();
        }
        let verticals = community.taxonomy().verticals().len();
        let mut by_kind = Array2::zeros((r, crate::model::kind::MemberKind::ALL.len()));
        let mut by_vertical = Array2::zeros((r, verticals));
        let mut by_stage = Array2::zeros((r, Stage::ALL.len()));
        for (&(res, m), &u) in &best {
            let member = &community[MemberId(m)];
            let res = res as usize;
            by_kind[[res, member.kind().ordinal()]] += u;
            for v in member.verticals() {
                by_vertical[[res, v.index()]] += u;
            }
            for s in stages_of(member) {
                by_stage[[res, s.ordinal()]] += u;
            }
        }
        let mut learning = Learning {
            main_language: community.main_language(),
            community,
            catalogue,
            config,
            by_kind,
            by_vertical,
            by_stage,
            consumed,
            discount: vec![1.0; r],
        };
        learning.discount = learning.exposure_discount();
        Ok(learning)
    }

    /// The community.
    pub fn community(&self) -> &Community {
        &self.community
    }

    /// The catalogue.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The fraction of members whose undiscounted top `exposure_k` holds each resource, turned
    /// into the discount `1 - exposure * share`.
    fn exposure_discount(&self) -> Vec<f32> {
        let r = self.catalogue.resources.len();
        if self.config.exposure == 0.0 || r == 0 {
            return vec![1.0; r];
        }
        let members: Vec<MemberId> = self.community.member_ids().collect();
        let counts = members
            .par_iter()
            .fold(
                || vec![0u32; r],
                |mut counts, &m| {
                    for (res, _) in self.ranked(m, self.config.exposure_k, false) {
                        counts[res.index()] += 1;
                    }
                    counts
                },
            )
            .reduce(
                || vec![0u32; r],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
        let n = members.len().max(1) as f32;
        counts
            .into_iter()
            .map(|c| 1.0 - self.config.exposure * (c as f32 / n))
            .collect()
    }

    /// The top `k` resources for `m` with their scores, discounted or not; best first, then by
    /// resource id.
    fn ranked(&self, m: MemberId, k: usize, discounted: bool) -> Vec<(ResourceId, f32)> {
        let member = &self.community[m];
        let needs = self.need_slugs(member);
        let mut scored: Vec<(ResourceId, f32)> = self
            .catalogue
            .resources
            .iter()
            .enumerate()
            .filter_map(|(i, res)| {
                let id = ResourceId(i as u32);
                if self.consumed[m.index()].binary_search(&id).is_ok() {
                    return None;
                }
                let s = self.score(member, &needs, id, res)?;
                Some((id, if discounted { s * self.discount[i] } else { s }))
            })
            .collect();
        let by_score = |a: &(ResourceId, f32), b: &(ResourceId, f32)| {
            b.1.total_cmp(&a.1).then_with(|| {
                let c = &self.catalogue;
                c.resource(a.0).id.cmp(&c.resource(b.0).id)
            })
        };
        if scored.len() > k {
            scored.select_nth_unstable_by(k, by_score);
            scored.truncate(k);
        }
        scored.sort_by(by_score);
        scored
    }

    /// The slugs of `member`'s needs, sorted.
    fn need_slugs<'a>(&'a self, member: &Member) -> Vec<&'a str> {
        let mut needs: Vec<&str> = member
            .needs()
            .iter()
            .map(|&t| self.community.topic(t))
            .collect();
        needs.sort_unstable();
        needs
    }

    /// The languages a resource is in: its own, or the community's main one.
    fn languages_of<'a>(&'a self, res: &'a Resource) -> &'a [Language] {
        if res.languages.is_empty() {
            self.main_language.as_slice()
        } else {
            &res.languages
        }
    }

    /// Whether `member` reads one of `languages` (a member or resource without languages
    /// is taken to use the community's main one).
    fn readable(&self, member: &Member, languages: &[Language]) -> bool {
        let reads = if member.languages().is_empty() {
            self.main_language.as_slice()
        } else {
            member.languages()
        };
        languages.is_empty() || reads.is_empty() || languages.iter().any(|l| reads.contains(l))
    }

    /// The signals of resource `res` for `member` (needs slugs given), or `None` when the
    /// member cannot read it.
    fn signals(
        &self,
        member: &Member,
        needs: &[&str],
        id: ResourceId,
        res: &Resource,
    ) -> Option<[f32; 5]> {
        let languages = self.languages_of(res);
        if !self.readable(member, languages) {
            return None;
        }
        let matched = res
            .topics
            .iter()
            .filter(|t| needs.binary_search(&&***t).is_ok())
            .count();
        let needs_signal = if matched == 0 {
            0.0
        } else {
            matched as f32 / needs.len().min(res.topics.len()) as f32
        };
        let stages = stages_of(member);
        let stage = if res.stages.is_empty() || stages.is_empty() {
            0.5
        } else {
            let gap = stages
                .iter()
                .flat_map(|s| {
                    res.stages
                        .iter()
                        .map(move |r| s.ordinal().abs_diff(r.ordinal()))
                })
                .min()
                .unwrap_or(usize::MAX);
            match gap {
                0 => 1.0,
                1 => 0.4,
                _ => 0.0,
            }
        };
        let taxonomy = self.community.taxonomy();
        let vertical = if res.verticals.is_empty() {
            0.5
        } else if res.verticals.iter().any(|v| member.verticals().contains(v)) {
            1.0
        } else {
            let cat =
                |v: &crate::model::taxonomy::VerticalId| taxonomy.verticals()[v.index()].category();
            let same_category = res
                .verticals
                .iter()
                .any(|v| member.verticals().iter().any(|w| cat(v) == cat(w)));
            if same_category { 0.5 } else { 0.0 }
        };
        let i = id.index();
        let mut similar = 0.4 * self.by_kind[[i, member.kind().ordinal()]];
        for v in member.verticals() {
            similar += 0.4 * self.by_vertical[[i, v.index()]];
        }
        for s in &stages {
            similar += 0.2 * self.by_stage[[i, s.ordinal()]];
        }
        let peers = (similar / 2.0).min(1.0);
        let first = member.languages().first().copied().or(self.main_language);
        let language = if first.is_some_and(|l| languages.contains(&l)) || languages.is_empty() {
            1.0
        } else {
            0.5
        };
        Some([needs_signal, stage, vertical, peers, language])
    }

    /// The undiscounted score, or `None` when unreadable.
    fn score(
        &self,
        member: &Member,
        needs: &[&str],
        id: ResourceId,
        res: &Resource,
    ) -> Option<f32> {
        let s = self.signals(member, needs, id, res)?;
        let c = &self.config;
        let w = [c.needs, c.stage, c.vertical, c.peers, c.language];
        let total: f32 = w.iter().sum();
        Some(s.iter().zip(w).map(|(s, w)| s * w).sum::<f32>() / total)
    }

    /// `member`'s best `k` resources and the journeys that fit it.
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::{Catalogue, Community, Learning, LearningConfig};
    ///
    /// let community = Community::load("data/small.json")?;
    /// let catalogue = Catalogue::load("data/small.json", &community)?;
    /// let learning = Learning::new(community, catalogue, LearningConfig::default())?;
    /// let kazi = learning.community().resolve("kazi-cover")?;
    /// let list = learning.recommend(kazi, 5)?;
    /// assert_eq!(list.resources.len(), 5);
    /// let json = serde_json::to_string(&list).unwrap();
    /// assert!(json.starts_with(r#"{"member":"kazi-cover","resources":[{"resource":"#));
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when `k` is 0;
    /// [`ErrorKind::UnknownMember`](crate::ErrorKind::UnknownMember) for a member not in the
    /// community (or removed).
    ///
    /// # Complexity
    ///
    /// O(r·t + j·s) for r resources of t topics and j journeys of s steps.
    pub fn recommend(&self, member: MemberId, k: usize) -> Result<LearningList> {
        if k == 0 {
            return Err(Error::option("k", &0, "at least 1"));
        }
        let Some(m) = self.community.get(member) else {
            return Err(Error::unknown_member(&member.index().to_string(), None));
        };
        let needs = self.need_slugs(m);
        let resources = self
            .ranked(member, k, true)
            .into_iter()
            .map(|(id, score)| ResourceMatch {
                resource: self.label(id),
                score,
                reasons: self.reasons(m, &needs, id),
            })
            .collect();
        Ok(LearningList {
            member: self.community.member_ref(member),
            resources,
            journeys: self.journeys(member, m, &needs),
        })
    }

    /// Every member's list, in member order, in parallel (identical for any thread count).
    ///
    /// # Errors
    ///
    /// As [`Learning::recommend`].
    pub fn recommend_all(&self, k: usize) -> Result<Vec<LearningList>> {
        let members: Vec<MemberId> = self.community.member_ids().collect();
        members.par_iter().map(|&m| self.recommend(m, k)).collect()
    }

    /// Whether `member` consumed `resource` (as this ranking knows).
    pub(crate) fn has_consumed(&self, member: MemberId, resource: ResourceId) -> bool {
        self.consumed
            .get(member.index())
            .is_some_and(|c| c.binary_search(&resource).is_ok())
    }

    fn label(&self, id: ResourceId) -> Labeled<ResourceId> {
        Labeled::new(id, Arc::clone(&self.catalogue.resource(id).id))
    }

    fn reasons(&self, member: &Member, needs: &[&str], id: ResourceId) -> Vec<LearningReason> {
        let res = self.catalogue.resource(id);
        let mut reasons = Vec::new();
        let covered: Vec<String> = res
            .topics
            .iter()
            .filter(|t| needs.binary_search(&&***t).is_ok())
            .map(|t| topic_label(t))
            .collect();
        if !covered.is_empty() {
            reasons.push(LearningReason::CoversNeeds {
                topics: covered,
                member: member.name().to_owned(),
            });
        }
        let stages = stages_of(member);
        if !res.stages.is_empty() && res.stages.iter().any(|s| stages.contains(s)) {
            reasons.push(LearningReason::ForStages {
                stages: res.stages.clone(),
            });
        }
        let taxonomy = self.community.taxonomy();
        if let Some(v) = res
            .verticals
            .iter()
            .find(|v| member.verticals().contains(v))
        {
            reasons.push(LearningReason::ForVertical {
                vertical: taxonomy.verticals()[v.index()].name().to_owned(),
            });
        }
        if let Some(s) = self.signals(member, needs, id, res) {
            if s[3] >= 0.25 {
                reasons.push(LearningReason::PeersFoundUseful);
            }
        }
        let languages = self.languages_of(res);
        if let Some(l) = languages
            .iter()
            .find(|l| Some(**l) != self.main_language && member.languages().contains(l))
        {
            reasons.push(LearningReason::InLanguage { language: *l });
        }
        reasons
    }

    /// The journeys that fit `m` or that it started, started first.
    fn journeys(&self, id: MemberId, m: &Member, needs: &[&str]) -> Vec<JourneyMatch> {
        let consumed = &self.consumed[id.index()];
        let stages = stages_of(m);
        let mut out: Vec<JourneyMatch> = Vec::new();
        for (j, journey) in self.catalogue.journeys.iter().enumerate() {
            let readable: Vec<ResourceId> = journey
                .steps
                .iter()
                .copied()
                .filter(|&s| self.readable(m, self.languages_of(self.catalogue.resource(s))))
                .collect();
            let done = journey
                .steps
                .iter()
                .filter(|s| consumed.binary_search(s).is_ok())
                .count();
            let next = readable
                .iter()
                .copied()
                .find(|s| consumed.binary_search(s).is_err());
            let Some(next) = next else {
                continue; // finished, or nothing it can read
            };
            let mut topics: Vec<&str> = journey
                .steps
                .iter()
                .flat_map(|&s| self.catalogue.resource(s).topics.iter().map(|t| &**t))
                .collect();
            topics.sort_unstable();
            topics.dedup();
            let covered: Vec<String> = topics
                .iter()
                .filter(|t| needs.binary_search(t).is_ok())
                .map(|t| topic_label(t))
                .collect();
            let need_fit = if needs.is_empty() {
                0.0
            } else {
                covered.len() as f32 / needs.len() as f32
            };
            let stage_fit = if journey.stages.is_empty() || stages.is_empty() {
                0.5
            } else if journey.stages.iter().any(|s| stages.contains(s)) {
                1.0
            } else {
                0.0
            };
            let score = 0.5 * need_fit + 0.5 * stage_fit;
            if done == 0 && (covered.is_empty() || stage_fit == 0.0) {
                continue;
            }
            let mut reasons = Vec::new();
            if done > 0 {
                reasons.push(LearningReason::Progress {
                    done,
                    steps: journey.steps.len(),
                    next: self.catalogue.resource(next).title.clone(),
                });
            }
            if !covered.is_empty() {
                reasons.push(LearningReason::CoversNeeds {
                    topics: covered,
                    member: m.name().to_owned(),
                });
            }
            if stage_fit == 1.0 {
                reasons.push(LearningReason::ForStages {
                    stages: journey.stages.clone(),
                });
            }
            out.push(JourneyMatch {
                journey: Labeled::new(j, Arc::clone(&journey.id)),
                next: Some(self.label(next)),
                done,
                steps: journey.steps.len(),
                score,
                reasons,
            });
        }
        out.sort_by(|a, b| {
            let progress = |x: &JourneyMatch| x.done as f32 / x.steps as f32;
            (b.done > 0)
                .cmp(&(a.done > 0))
                .then_with(|| progress(b).total_cmp(&progress(a)))
                .then_with(|| b.score.total_cmp(&a.score))
                .then_with(|| a.journey.label().cmp(b.journey.label()))
                .then(Ordering::Equal)
        });
        out
    }
}

/// A member's stages: its own, or the stages it serves (investors, ESOs).
fn stages_of(member: &Member) -> Vec<Stage> {
    match member.stage() {
        Some(s) => vec![s],
        None => member.stage_focus().to_vec(),
    }
}
