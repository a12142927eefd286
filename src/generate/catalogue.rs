//! Seeded synthetic learning catalogues for a community: resources aimed at what its members
//! need, journeys through them, and consumption drawn from a hidden preference, so ranking and
//! evaluation have something real to find.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::learn::records::{CatalogueRecords, ConsumedRecord, JourneyRecord, ResourceRecord};
use crate::learn::resource::{Catalogue, ResourceKind};
use crate::model::community::Community;
use crate::model::label::topic_label;
use crate::model::stage::Stage;

/// What [`generate_catalogue`] makes.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogueConfig {
    /// Resources (default 84, the alliance's count).
    pub resources: usize,
    /// Journeys (default 12).
    pub journeys: usize,
    /// Resources consumed per member, on average (default 2).
    pub consumed_per_member: f64,
    /// Seed (default 2021).
    pub seed: u64,
}

impl Default for CatalogueConfig {
    fn default() -> Self {
        CatalogueConfig {
            resources: 84,
            journeys: 12,
            consumed_per_member: 2.0,
            seed: 2021,
        }
    }
}

/// A catalogue for `community`: resources on the topics its members need most (a few in
/// French, Arabic or Portuguese, some for given stages or verticals), journeys of three to
/// five resources sharing a topic, in stage order, and consumption in 2025 and early 2026
/// drawn from a hidden preference (needs met, stage fit, language, with noise), rated by how
/// well the resource fitted.
///
/// # Examples
///
/// ```
/// use pollinate::{CatalogueConfig, generate_catalogue};
///
/// let community = pollinate::Community::load("data/small.json")?;
/// let catalogue = generate_catalogue(&community, &CatalogueConfig::default());
/// assert_eq!(catalogue.resources().len(), 84);
/// assert_eq!(catalogue.journeys().len(), 12);
/// # Ok::<(), pollinate::Error>(())
/// ```
///
/// # Panics
///
/// Never for a valid community: the records it makes validate against it.
pub fn generate_catalogue(community: &Community, config: &CatalogueConfig) -> Catalogue {
    generate_catalogue_records(community, config)
        .validate(community, Some("generated catalogue"))
        .expect("generated catalogue records validate")
}

/// The records [`generate_catalogue`] validates (what a file of it holds).
pub fn generate_catalogue_records(
    community: &Community,
    config: &CatalogueConfig,
) -> CatalogueRecords {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x006c_6561_726e);
    // Topics by how many members need them, most needed first.
    let mut need_counts: BTreeMap<Arc<str>, usize> = BTreeMap::new();
    for m in community.members() {
        for &t in m.needs() {
            *need_counts.entry(community.topic_slug(t)).or_insert(0) += 1;
        }
    }
    let mut topics: Vec<(Arc<str>, usize)> = need_counts.into_iter().collect();
    topics.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let weights: Vec<(usize, u32)> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (i, u32::try_from(t.1).unwrap_or(u32::MAX).max(1)))
        .collect();
    let verticals = community.taxonomy().verticals();
    let kinds: [(ResourceKind, u32); 6] = [
        (ResourceKind::Article, 30),
        (ResourceKind::LandscapeScan, 10),
        (ResourceKind::Course, 25),
        (ResourceKind::Toolkit, 20),
        (ResourceKind::Recording, 10),
        (ResourceKind::Event, 5),
    ];
    let languages: [(&[&str], u32); 6] = [
        (&["en"], 70),
        (&["fr"], 12),
        (&["en", "fr"], 8),
        (&["ar"], 4),
        (&["pt"], 4),
        (&["sw", "en"], 2),
    ];
    let mut resources = Vec::with_capacity(config.resources);
    for i in 0..config.resources {
        let mut chosen: Vec<String> = Vec::new();
        if !topics.is_empty() {
            for _ in 0..rng.random_range(1..=3) {
                let t = super::weighted(&mut rng, &weights);
                chosen.push(topics[*t].0.to_string());
            }
        }
        chosen.sort();
        chosen.dedup();
        let kind = *super::weighted(&mut rng, &kinds);
        let stages: Vec<String> = if rng.random_bool(0.35) {
            Vec::new()
        } else {
            let first = rng.random_range(0..Stage::ALL.len());
            let span = rng.random_range(1..=3).min(Stage::ALL.len() - first);
            Stage::ALL[first..first + span]
                .iter()
                .map(|s| s.slug().to_owned())
                .collect()
        };
        let vertical = rng.random_bool(0.4).then(|| {
            verticals
                .choose(&mut rng)
                .map(|v| v.slug().to_owned())
                .unwrap_or_default()
        });
        let langs = super::weighted(&mut rng, &languages);
        let about: Vec<String> = chosen.iter().map(|t| topic_label(t)).collect();
        let title = format!(
            "{} on {}{}",
            match kind {
                ResourceKind::Article => "An article",
                ResourceKind::LandscapeScan => "A landscape scan",
                ResourceKind::Course => "A course",
                ResourceKind::Toolkit => "A toolkit",
                ResourceKind::Recording => "A recorded session",
                ResourceKind::Event => "A community event",
            },
            if about.is_empty() {
                "platform growth".to_owned()
            } else {
                about.join(" and ")
            },
            if stages.is_empty() {
                String::new()
            } else {
                format!(" ({})", stages.join(", "))
            }
        );
        let minutes = match kind {
            ResourceKind::Article => rng.random_range(5..25),
            ResourceKind::LandscapeScan | ResourceKind::Toolkit => rng.random_range(20..60),
            ResourceKind::Course => rng.random_range(90..300),
            ResourceKind::Recording | ResourceKind::Event => rng.random_range(45..120),
        };
        let id = format!("resource-{:03}", i + 1);
        resources.push(ResourceRecord {
            url: Some(format!("https://learn.example.org/{id}")),
            id,
            title,
            kind: kind.slug().to_owned(),
            topics: chosen,
            verticals: vertical.into_iter().collect(),
            stages,
            languages: langs.iter().map(|l| (*l).to_owned()).collect(),
            minutes: Some(minutes),
        });
    }
    let journeys = make_journeys(&resources, config.journeys, &mut rng);
    let consumed = make_consumption(community, &resources, config, &mut rng);
    CatalogueRecords {
        resources,
        journeys,
        consumed,
    }
}

/// Journeys: for a topic several resources cover, three to five of them in stage order.
fn make_journeys(
    resources: &[ResourceRecord],
    n: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<JourneyRecord> {
    let mut by_topic: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in resources.iter().enumerate() {
        for t in &r.topics {
            by_topic.entry(t).or_default().push(i);
        }
    }
    let mut candidates: Vec<(&str, Vec<usize>)> =
        by_topic.into_iter().filter(|(_, v)| v.len() >= 3).collect();
    candidates.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
    let first_stage = |r: &ResourceRecord| {
        r.stages
            .first()
            .and_then(|s| s.parse::<Stage>().ok())
            .map_or(0, Stage::ordinal)
    };
    let mut out = Vec::new();
    for (j, (topic, mut members)) in candidates.into_iter().take(n).enumerate() {
        let len = rng.random_range(3..=5).min(members.len());
        members.truncate(len);
        members.sort_by_key(|&i| (first_stage(&resources[i]), i));
        let mut stages: Vec<String> = members
            .iter()
            .flat_map(|&i| resources[i].stages.iter().cloned())
            .collect();
        stages.sort_by_key(|s| s.parse::<Stage>().map_or(0, Stage::ordinal));
        stages.dedup();
        out.push(JourneyRecord {
            id: format!("journey-{:02}", j + 1),
            title: format!("A journey through {}", topic_label(topic)),
            stages,
            steps: members.iter().map(|&i| resources[i].id.clone()).collect(),
        });
    }
    out
}

/// Consumption from a hidden preference: each member takes resources that meet its needs, fit
/// its stage and are in a language it reads, more often than others; ratings follow the fit.
fn make_consumption(
    community: &Community,
    resources: &[ResourceRecord],
    config: &CatalogueConfig,
    rng: &mut ChaCha8Rng,
) -> Vec<ConsumedRecord> {
    let mut out = Vec::new();
    if resources.is_empty() {
        return out;
    }
    for m in community.members() {
        let needs: Vec<&str> = m.needs().iter().map(|&t| community.topic(t)).collect();
        let reads: Vec<&str> = m.languages().iter().map(|l| l.code()).collect();
        let stage = m.stage().or_else(|| m.stage_focus().first().copied());
        let fit: Vec<f64> = resources
            .iter()
            .map(|r| {
                let need = r
                    .topics
                    .iter()
                    .filter(|t| needs.contains(&t.as_str()))
                    .count() as f64;
                let stage_fit = match stage {
                    Some(s) if r.stages.iter().any(|x| x == s.slug()) => 1.0,
                    _ if r.stages.is_empty() => 0.5,
                    _ => 0.0,
                };
                let readable =
                    reads.is_empty() || r.languages.iter().any(|l| reads.contains(&l.as_str()));
                if readable {
                    0.05 + need + 0.6 * stage_fit
                } else {
                    0.0
                }
            })
            .collect();
        let total: f64 = fit.iter().sum();
        if total <= 0.0 {
            continue;
        }
        let count = poisson_like(rng, config.consumed_per_member);
        let mut taken: Vec<usize> = Vec::new();
        for _ in 0..count {
            let mut pick = rng.random_range(0.0..total);
            let Some(i) = fit.iter().position(|&f| {
                if pick < f {
                    true
                } else {
                    pick -= f;
                    false
                }
            }) else {
                continue;
            };
            if taken.contains(&i) {
                continue;
            }
            taken.push(i);
            let quality = fit[i] + rng.random_range(-0.5..0.5);
            let rating = match quality {
                q if q >= 1.2 => 5,
                q if q >= 0.8 => 4,
                q if q >= 0.4 => 3,
                q if q >= 0.1 => 2,
                _ => 1,
            };
            let day = rng.random_range(0..540u32);
            out.push(ConsumedRecord {
                member: m.id().to_owned(),
                resource: resources[i].id.clone(),
                date: Some(date_after_2025(day)),
                rating: rng.random_bool(0.7).then_some(rating),
            });
        }
    }
    out
}

/// A count with mean `mean`: the floor, plus one with the fractional part's probability, then
/// spread by a fair coin either way.
fn poisson_like(rng: &mut ChaCha8Rng, mean: f64) -> usize {
    let base = mean.floor() as usize + usize::from(rng.random_bool(mean.fract().clamp(0.0, 1.0)));
    match rng.random_range(0..4) {
        0 => base.saturating_sub(1),
        1 => base + 1,
        _ => base,
    }
}

/// A date `day` steps after 2025-01-01, in months of 28 days (every one a real date).
fn date_after_2025(day: u32) -> String {
    let (year, rest) = (2025 + day / 336, day % 336);
    format!("{year}-{:02}-{:02}", rest / 28 + 1, rest % 28 + 1)
}
