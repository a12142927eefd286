//! Seeded, reproducible synthetic communities shaped like the Jobtech Alliance community.

use std::collections::HashSet;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
use crate::model::community::Community;
use crate::model::kind::MemberKind;
use crate::model::record::{BlockRecord, CommunityRecords, ConnectionRecord, MemberRecord};
use crate::model::stage::Stage;
use crate::model::taxonomy::Taxonomy;
use crate::score::weights::MatchWeights;
use history::generate_history;
use vocabulary::{ASPECTS, COPS, COUNTRIES, GENERAL, SUFFIXES, SYLLABLES, languages_for, pools};

pub(crate) mod catalogue;
mod history;
mod vocabulary;

/// How to generate a community; see [`generate`].
///
/// # Examples
///
/// ```
/// use pollinate::{GeneratorConfig, generate};
///
/// let config = GeneratorConfig::default().members(300).seed(7);
/// let a = generate(&config)?;
/// let b = generate(&config)?;
/// assert_eq!(a.len(), 300);
/// assert_eq!(a.to_json_string(), b.to_json_string()); // same seed, same bytes
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratorConfig {
    /// Number of members (default 1,500).
    pub members: usize,
    /// Seed of the random generator (default 2021, the year the community started).
    pub seed: u64,
    /// Share of members that are platforms (default 0.105: about 158 of 1,500).
    pub platform_share: f64,
    /// Average ties per member (default 10).
    pub ties_per_member: f64,
    /// Recorded introductions per member (default 1).
    pub introductions_per_member: f64,
    /// Blocked pairs per member (default 0.005).
    pub blocks_per_member: f64,
    /// The hidden "true" preference the introduction history is drawn from (default
    /// [`GeneratorConfig::hidden_preference`]): who gets introduced, and how it ends, follows
    /// these weights plus noise, so a tuner has something real to find.
    pub preference: MatchWeights,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        GeneratorConfig {
            members: 1500,
            seed: 2021,
            platform_share: 0.105,
            ties_per_member: 10.0,
            introductions_per_member: 1.0,
            blocks_per_member: 0.005,
            preference: GeneratorConfig::hidden_preference(),
        }
    }
}

impl GeneratorConfig {
    /// The preference behind the generated history: needs 0.30, taxonomy 0.05, stage 0.15,
    /// communities 0.05, geography 0.25, warmth 0.15, kind 0.05. It differs from
    /// [`MatchWeights::default`] on purpose (members of this synthetic community care more about
    /// geography and warmth, less about the taxonomy and kind).
    pub fn hidden_preference() -> MatchWeights {
        MatchWeights::default().with_signal_weights([0.30, 0.05, 0.15, 0.05, 0.25, 0.15, 0.05])
    }

    /// Sets the number of members.
    #[must_use]
    pub fn members(mut self, n: usize) -> Self {
        self.members = n;
        self
    }
    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the average number of ties per member.
    #[must_use]
    pub fn ties_per_member(mut self, ties: f64) -> Self {
        self.ties_per_member = ties;
        self
    }

    fn validate(&self) -> Result<()> {
        let check = |name: &'static str, v: f64, max: f64| {
            if v.is_finite() && (0.0..=max).contains(&v) {
                Ok(())
            } else {
                Err(Error::option(name, &v, "must be a finite number in range"))
            }
        };
        check("platform_share", self.platform_share, 1.0)?;
        check("ties_per_member", self.ties_per_member, 1000.0)?;
        check(
            "introductions_per_member",
            self.introductions_per_member,
            100.0,
        )?;
        check("blocks_per_member", self.blocks_per_member, 100.0)?;
        if self.members > u32::MAX as usize / 2 {
            return Err(Error::option("members", &self.members, "too many members"));
        }
        Ok(())
    }
}

fn weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (item, w) in items {
        if pick < *w {
            return item;
        }
        pick -= w;
    }
    &items[items.len() - 1].0
}

/// Generates a community of `config.members` members over the jobtech taxonomy: about 10.5%
/// platforms, the rest investors, ESOs, corporates, researchers, funders and others, in 40
/// countries (34 African); every vertical and stage present at 1,500 members; 3 to 5 offers and
/// needs each, drawn from what each kind tends to offer and need, the member's verticals' own
/// topics and a few hundred topics in all; ties clustered by country, vertical and community of
/// practice; English and each country's working language, a third of the members of French-,
/// Arabic- and Portuguese-speaking countries working in that language only; some introduction
/// history and blocked pairs.
///
/// Same config, same community, byte for byte (the sample file `data/community-1500.json` is
/// this function's output for the default config).
///
/// # Errors
///
/// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when a share or rate is out of range or not finite.
///
/// # Complexity
///
/// O(n · t) time and memory for n members and t ties per member.
pub fn generate(config: &GeneratorConfig) -> Result<Community> {
    config.validate()?;
    let taxonomy = Taxonomy::jobtech();
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let records = generate_records(config, &taxonomy, &mut rng);
    let community = Community::builder(taxonomy)
        .source_name(format!("generated(seed={})", config.seed))
        .records(records)
        .build()?;
    let history = generate_history(&community, config, &mut rng)?;
    community.with_introductions(history)
}

fn generate_records(
    config: &GeneratorConfig,
    taxonomy: &Taxonomy,
    rng: &mut ChaCha8Rng,
) -> CommunityRecords {
    let n = config.members;
    let vertical_slugs: Vec<&str> = taxonomy
        .verticals()
        .iter()
        .map(crate::model::taxonomy::Vertical::slug)
        .collect();
    let n_platforms = ((n as f64) * config.platform_share).round() as usize;
    let other_kinds: [(MemberKind, u32); 6] = [
        (MemberKind::Investor, 20),
        (MemberKind::Eso, 20),
        (MemberKind::Corporate, 20),
        (MemberKind::Researcher, 13),
        (MemberKind::Funder, 9),
        (MemberKind::Other, 18),
    ];
    let stages: [(Stage, u32); 6] = [
        (Stage::Idea, 8),
        (Stage::PreSeed, 25),
        (Stage::Seed, 30),
        (Stage::SeriesA, 20),
        (Stage::Growth, 12),
        (Stage::Mature, 5),
    ];
    let mut members = Vec::with_capacity(n);
    let mut by_country: Vec<Vec<u32>> = vec![Vec::new(); COUNTRIES.len()];
    let mut by_vertical: Vec<Vec<u32>> = vec![Vec::new(); vertical_slugs.len()];
    let mut by_cop: Vec<Vec<u32>> = vec![Vec::new(); COPS.len()];
    let mut home: Vec<(usize, usize)> = Vec::with_capacity(n);
    for i in 0..n {
        let kind = if i < n_platforms {
            MemberKind::Platform
        } else {
            *weighted(rng, &other_kinds)
        };
        let ci = {
            let idx: Vec<(usize, u32)> = COUNTRIES
                .iter()
                .enumerate()
                .map(|(i, (_, w))| (i, *w))
                .collect();
            // The first platforms cover every country once, so small samples still span 30+.
            if kind == MemberKind::Platform && i < COUNTRIES.len() {
                i
            } else {
                *weighted(rng, &idx)
            }
        };
        let country = COUNTRIES[ci].0;
        // The first platforms also cover every vertical once.
        let first_vertical = if kind == MemberKind::Platform && i < vertical_slugs.len() {
            i
        } else {
            rng.random_range(0..vertical_slugs.len())
        };
        let mut verticals = vec![first_vertical];
        if rng.random_bool(0.3) {
            let second = rng.random_range(0..vertical_slugs.len());
            if second != first_vertical {
                verticals.push(second);
            }
        }
        let stage = (kind == MemberKind::Platform).then(|| {
            if i < Stage::ALL.len() {
                Stage::ALL[i]
            } else {
                *weighted(rng, &stages)
            }
        });
        let stage_focus: Vec<Stage> = match kind {
            MemberKind::Investor | MemberKind::Eso => {
                let max_start = if kind == MemberKind::Eso { 3 } else { 5 };
                let start = rng.random_range(0..max_start);
                let len = rng.random_range(1..=3usize).min(Stage::ALL.len() - start);
                Stage::ALL[start..start + len].to_vec()
            }
            _ => Vec::new(),
        };
        let (offer_pool, need_pool) = pools(kind);
        let mut pick_topics = |pool: &[&str]| -> Vec<String> {
            let count = rng.random_range(3..=5);
            let mut out: Vec<String> = Vec::with_capacity(count);
            let mut guard = 0;
            while out.len() < count && guard < 50 {
                guard += 1;
                let roll: f64 = rng.random();
                let topic = if roll < 0.6 {
                    (*pool.choose(rng).expect("pools are non-empty")).to_owned()
                } else if roll < 0.88 {
                    let v = vertical_slugs[*verticals.choose(rng).expect("one or more verticals")];
                    format!(
                        "{v}-{}",
                        ASPECTS.choose(rng).expect("aspects are non-empty")
                    )
                } else if roll < 0.94 {
                    format!(
                        "market-entry-{}",
                        COUNTRIES.choose(rng).expect("countries").0.to_lowercase()
                    )
                } else {
                    (*GENERAL.choose(rng).expect("general topics are non-empty")).to_owned()
                };
                if !out.contains(&topic) {
                    out.push(topic);
                }
            }
            out
        };
        let offers = pick_topics(offer_pool);
        let mut needs = pick_topics(need_pool);
        needs.retain(|t| !offers.contains(t));
        let mut communities = Vec::new();
        let cop_odds: [f64; 3] = match kind {
            MemberKind::Investor => [0.55, 0.05, 0.05],
            MemberKind::Funder => [0.4, 0.35, 0.2],
            MemberKind::Researcher => [0.02, 0.5, 0.1],
            MemberKind::Platform => [0.02, 0.1, 0.12],
            MemberKind::Eso => [0.1, 0.05, 0.15],
            _ => [0.02, 0.03, 0.04],
        };
        for (c, odds) in cop_odds.iter().enumerate() {
            if rng.random_bool(*odds) {
                communities.push(COPS[c].to_owned());
                by_cop[c].push(i as u32);
            }
        }
        let prefix = SYLLABLES.choose(rng).expect("syllables");
        let middle = SYLLABLES.choose(rng).expect("syllables");
        let suffixes = SUFFIXES
            .iter()
            .find(|(k, _)| *k == kind.slug())
            .map_or(&["Group"][..], |(_, s)| *s);
        let suffix = suffixes.choose(rng).expect("suffixes");
        let stem = format!("{prefix}{middle}");
        let mut chars = stem.chars();
        let stem = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default();
        let name = format!("{stem} {suffix}");
        let id = format!("{}-{}-{:06}", stem.to_lowercase(), kind.slug(), i + 1);
        by_country[ci].push(i as u32);
        for &v in &verticals {
            by_vertical[v].push(i as u32);
        }
        home.push((ci, first_vertical));
        let open = rng.random_bool(0.96);
        let max_intros = rng.random_bool(0.3).then(|| rng.random_range(1..=5));
        // A third of the members of French-, Arabic- and Portuguese-speaking countries work in
        // that language only.
        let monolingual = rng.random_bool(0.35);
        members.push(MemberRecord {
            consent: crate::model::consent::ConsentRecord::default(),
            id,
            name,
            kind: kind.slug().to_owned(),
            country: country.to_owned(),
            verticals: verticals
                .iter()
                .map(|&v| vertical_slugs[v].to_owned())
                .collect(),
            stage: stage.map(|s| s.slug().to_owned()),
            stage_focus: stage_focus.iter().map(|s| s.slug().to_owned()).collect(),
            offers,
            needs,
            communities,
            languages: languages_for(country, monolingual),
            open_to_intros: Some(open),
            max_intros,
        });
    }

    // Ties: each member starts about half its ties, to someone in the same country, vertical or
    // community of practice, or anyone; pairs are kept once.
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut connections = Vec::new();
    let per_member = config.ties_per_member / 2.0;
    if n >= 2 {
        for i in 0..n {
            let whole = per_member.floor() as usize;
            let count = whole + usize::from(rng.random_bool(per_member - per_member.floor()));
            for _ in 0..count {
                let roll: f64 = rng.random();
                let pool: &[u32] = if roll < 0.45 {
                    &by_country[home[i].0]
                } else if roll < 0.75 {
                    &by_vertical[home[i].1]
                } else if roll < 0.85 {
                    let cops: Vec<usize> = (0..COPS.len())
                        .filter(|&c| by_cop[c].binary_search(&(i as u32)).is_ok())
                        .collect();
                    match cops.choose(rng) {
                        Some(&c) => &by_cop[c],
                        None => &[],
                    }
                } else {
                    &[]
                };
                let j = match pool.choose(rng) {
                    Some(&j) => j as usize,
                    None => rng.random_range(0..n),
                };
                if j == i {
                    continue;
                }
                let key = (i.min(j) as u32, i.max(j) as u32);
                if seen.insert(key) {
                    let strength = f64::from(rng.random_range(1..=20u32)) * 0.05;
                    connections.push(ConnectionRecord {
                        a: members[i].id.clone(),
                        b: members[j].id.clone(),
                        strength: Some(strength),
                    });
                }
            }
        }
    }

    let mut blocked = Vec::new();
    let n_blocks = (n as f64 * config.blocks_per_member).round() as usize;
    if n >= 2 {
        for _ in 0..n_blocks {
            let a = rng.random_range(0..n);
            let b = rng.random_range(0..n);
            if a != b {
                blocked.push(BlockRecord {
                    a: members[a].id.clone(),
                    b: members[b].id.clone(),
                });
            }
        }
    }
    CommunityRecords {
        members,
        connections,
        introductions: Vec::new(),
        blocked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_shape_matches_the_seed_community() {
        let c = generate(&GeneratorConfig::default()).unwrap();
        assert_eq!(c.len(), 1500);
        let platforms = c
            .members()
            .filter(|m| m.kind() == MemberKind::Platform)
            .count();
        assert!((150..=170).contains(&platforms), "{platforms}");
        let african: std::collections::BTreeSet<_> = c
            .members()
            .filter(|m| m.country().region().is_some())
            .map(crate::model::member::Member::country)
            .collect();
        assert!(african.len() >= 30, "{}", african.len());
        for v in c.taxonomy().vertical_ids() {
            assert!(c.members().any(|m| m.verticals().contains(&v)));
        }
        for s in Stage::ALL {
            assert!(c.members().any(|m| m.stage() == Some(s)));
        }
        let avg_ties = 2.0 * c.connections().len() as f64 / c.len() as f64;
        assert!((8.0..=11.0).contains(&avg_ties), "{avg_ties}");
        assert!(
            (150..=400).contains(&c.topics().len()),
            "{}",
            c.topics().len()
        );
    }

    #[test]
    fn tiny_communities_generate_without_panicking() {
        for members in 0..6 {
            for seed in 0..20 {
                let c = generate(&GeneratorConfig::default().members(members).seed(seed)).unwrap();
                assert_eq!(c.len(), members);
            }
        }
    }

    #[test]
    fn bad_config_is_refused() {
        let config = GeneratorConfig {
            platform_share: f64::NAN,
            ..GeneratorConfig::default()
        };
        let err = generate(&config).unwrap_err();
        assert!(matches!(
            err.kind(),
            crate::ErrorKind::InvalidOption {
                name: "platform_share",
                ..
            }
        ));
    }
}
