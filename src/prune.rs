//! Exact pruned ranking: a member's top k without scoring every pair, identical (scores and
//! order) to the brute-force scan.
//!
//! # Why it is exact
//!
//! A pair's score is the seven contributions `w_i * s_i` added in a fixed order, and
//! floating-point addition is monotone in each operand, so replacing each signal by an upper
//! bound gives an upper bound of the score. The heap of the best k so far has a worst score `T`
//! (minus infinity until it holds k); a candidate whose bound is below `T` can never enter it (a
//! candidate scoring exactly `T` might, through the tie-break, so only a bound strictly below
//! `T` prunes). Every candidate that is not pruned is scored with the same function as the
//! brute-force scan, and offered to the same heap under the same total order, so the result is
//! the brute-force result. Bounds are summed in `f64` and padded by [`MARGIN`], far above the
//! rounding of a seven-term `f32` sum.
//!
//! # How candidates are found
//!
//! The index (built once per engine, on first use) sorts the members open to introductions by
//! their *background*: kind and verticals (a **group**), then stage, stage focus, communities of
//! practice and country (a **class**: every member of a class has the same taxonomy, stage,
//! communities, geography and kind signals with any given member). It also keeps, for every
//! pair of topics `(x, y)`, the members who offer `x` and need `y`.
//!
//! For a member `s`:
//! 1. every member sharing a contact with `s` (the two-hop reach, which carries all the warmth)
//!    is scored;
//! 2. a member not yet scored has no warmth, and unless it is *two-sided* (it offers something
//!    `s` needs and needs something `s` offers) its needs signal is at most the one-sided
//!    bound `max(one_sided, combine(1, 0), combine(0, 1))`. Groups are bounded (cheaply by
//!    taxonomy and kind, then by the best stage, communities and geography present in them),
//!    visited best bound first, and inside them whole classes are bounded exactly by their
//!    background; classes that can reach `T` are scored;
//! 3. two-sided members are found in the topic-pair lists of `s`'s needs and offers and scored
//!    unless their group's bound plus the full needs weight is below `T`.
//!
//! Nothing else can reach `T`, so the heap holds the exact top k.

use fnv::FnvHashMap;

use crate::engine::{Engine, Query, Scored, Scratch, TopK};
use crate::score::{self, NONE, Profile, Tables};

/// Padding added to every bound, far above the rounding error of a seven-term `f32` sum of
/// numbers in [0, 1] (about `7 * 2^-24`).
const MARGIN: f64 = 1e-4;

/// How many of the best groups are visited in order of their bounds before the rest.
const FIRST_GROUPS: usize = 32;

/// The candidate index of [`Engine`]'s pruned ranking; see the module docs.
#[derive(Debug)]
pub(crate) struct Index {
    /// Members open to introductions, sorted by group then class; classes are ranges of it.
    members: Vec<u32>,
    /// Topics each of `members` offers and needs, folded into 128 bits (topic `x` sets bit
    /// `x % 128`): disjoint signatures prove there is no common topic.
    offer_sig: Vec<u128>,
    need_sig: Vec<u128>,
    /// `class_start[c]..class_start[c + 1]` is class `c`'s range of `members`.
    class_start: Vec<u32>,
    /// `group_start[g]..group_start[g + 1]` is group `g`'s range of classes.
    group_start: Vec<u32>,
    /// Each group's kind and verticals: `group_verticals[vertical_start[g]..vertical_start[g + 1]]`.
    group_kind: Vec<u8>,
    vertical_start: Vec<u32>,
    group_verticals: Vec<u16>,
    /// The group of each member (`u32::MAX` for members not open to introductions).
    group_of: Vec<u32>,
    /// The community's distinct `(stage, focus)` pairs ("stage codes").
    stage_codes: Vec<(u8, u8)>,
    /// One member for each distinct set of communities of practice ("cop sets").
    cop_sets: Vec<u32>,
    /// Each class's stage code, cop set and dense country number.
    class_stage: Vec<u16>,
    class_cops: Vec<u32>,
    class_country: Vec<u16>,
    /// Stage codes in each group: `group_stages[stage_start[g]..stage_start[g + 1]]`.
    stage_start: Vec<u32>,
    group_stages: Vec<u16>,
    /// Cop sets in each group: `group_cops[cop_start[g]..cop_start[g + 1]]`.
    cop_start: Vec<u32>,
    group_cops: Vec<u32>,
    /// Countries present in each group, as a bitset of `words` words per group.
    group_countries: Vec<u64>,
    words: usize,
    /// Dense country number of each member, and each number's code and region.
    country_of: Vec<u16>,
    country_code: Vec<[u8; 2]>,
    country_region: Vec<u8>,
    /// Countries of each region, as bitsets of `words` words.
    region_countries: Vec<u64>,
    /// Members offering topic `x` and needing topic `y`, by `(x << 32) | y`.
    pairs: FnvHashMap<u64, (u32, u32)>,
    pair_members: Vec<u32>,
}

/// Topics folded into 128 bits.
fn signature(topics: &[u32]) -> u128 {
    topics.iter().fold(0, |acc, &x| acc | (1u128 << (x % 128)))
}

fn group_key(p: &Profile) -> (u8, &[u16]) {
    (p.kind, &p.verticals)
}

fn class_key(p: &Profile) -> (u8, &[u16], u8, u8, &[u32], [u8; 2]) {
    (p.kind, &p.verticals, p.stage, p.focus, &p.cops, p.country)
}

impl Index {
    /// Builds the index over the members open to introductions.
    ///
    /// # Complexity
    ///
    /// O(n log n + p log p) time and O(n + p) memory for n members and p (offer, need) pairs
    /// (at most 25 per member).
    pub(crate) fn new(profiles: &[Profile], open: &[bool]) -> Self {
        let n = profiles.len();
        let mut members: Vec<u32> = (0..n as u32).filter(|&m| open[m as usize]).collect();
        members.sort_by(|&a, &b| {
            class_key(&profiles[a as usize])
                .cmp(&class_key(&profiles[b as usize]))
                .then(a.cmp(&b))
        });

        let mut codes: Vec<[u8; 2]> = profiles.iter().map(|p| p.country).collect();
        codes.sort_unstable();
        codes.dedup();
        let words = codes.len().div_ceil(64).max(1);
        let country_of: Vec<u16> = profiles
            .iter()
            .map(|p| codes.binary_search(&p.country).unwrap_or(0) as u16)
            .collect();
        let regions = profiles
            .iter()
            .filter(|p| p.region != NONE)
            .map(|p| p.region as usize + 1)
            .max()
            .unwrap_or(0);
        let mut region_countries = vec![0u64; regions * words];
        let mut country_region = vec![NONE; codes.len()];
        for (m, p) in profiles.iter().enumerate() {
            country_region[country_of[m] as usize] = p.region;
            if p.region != NONE {
                let c = country_of[m] as usize;
                region_countries[p.region as usize * words + c / 64] |= 1 << (c % 64);
            }
        }

        let mut stage_codes: Vec<(u8, u8)> = members
            .iter()
            .map(|&m| (profiles[m as usize].stage, profiles[m as usize].focus))
            .collect();
        stage_codes.sort_unstable();
        stage_codes.dedup();
        let mut by_cops: Vec<u32> = members.clone();
        by_cops.sort_by(|&a, &b| profiles[a as usize].cops.cmp(&profiles[b as usize].cops));
        by_cops.dedup_by(|a, b| profiles[*a as usize].cops == profiles[*b as usize].cops);
        let cop_sets = by_cops;
        let cop_set_of = |p: &Profile| {
            cop_sets
                .binary_search_by(|&r| profiles[r as usize].cops.cmp(&p.cops))
                .unwrap_or(0) as u32
        };

        let mut class_start = Vec::new();
        let mut class_stage = Vec::new();
        let mut class_cops = Vec::new();
        let mut class_country = Vec::new();
        let mut group_start = Vec::new();
        let mut group_kind = Vec::new();
        let mut vertical_start = vec![0u32];
        let mut group_verticals = Vec::new();
        let mut group_of = vec![u32::MAX; n];
        let mut stage_start = vec![0u32];
        let mut group_stages: Vec<u16> = Vec::new();
        let mut cop_start = vec![0u32];
        let mut group_cops: Vec<u32> = Vec::new();
        let mut group_countries: Vec<u64> = Vec::new();
        for (i, &m) in members.iter().enumerate() {
            let p = &profiles[m as usize];
            let new_group = i == 0 || group_key(&profiles[members[i - 1] as usize]) != group_key(p);
            let new_class = i == 0 || class_key(&profiles[members[i - 1] as usize]) != class_key(p);
            if new_group {
                group_kind.push(p.kind);
                group_verticals.extend_from_slice(&p.verticals);
                vertical_start.push(group_verticals.len() as u32);
                if i > 0 {
                    stage_start.push(group_stages.len() as u32);
                    cop_start.push(group_cops.len() as u32);
                }
                group_start.push(class_start.len() as u32);
                group_countries.resize(group_countries.len() + words, 0);
            }
            if new_class {
                class_start.push(i as u32);
                let stage = stage_codes.binary_search(&(p.stage, p.focus)).unwrap_or(0) as u16;
                let cops = cop_set_of(p);
                class_stage.push(stage);
                class_cops.push(cops);
                class_country.push(country_of[m as usize]);
                if !group_stages[stage_start[stage_start.len() - 1] as usize..].contains(&stage) {
                    group_stages.push(stage);
                }
                if !group_cops[cop_start[cop_start.len() - 1] as usize..].contains(&cops) {
                    group_cops.push(cops);
                }
            }
            let g = group_start.len() - 1;
            group_of[m as usize] = g as u32;
            let c = country_of[m as usize] as usize;
            group_countries[g * words + c / 64] |= 1 << (c % 64);
        }
        class_start.push(members.len() as u32);
        group_start.push((class_start.len() - 1) as u32);
        stage_start.push(group_stages.len() as u32);
        cop_start.push(group_cops.len() as u32);

        let offer_sig = members
            .iter()
            .map(|&m| signature(&profiles[m as usize].offers))
            .collect();
        let need_sig = members
            .iter()
            .map(|&m| signature(&profiles[m as usize].needs))
            .collect();
        let mut entries: Vec<(u64, u32)> = Vec::new();
        for &m in &members {
            let p = &profiles[m as usize];
            for &x in &*p.offers {
                for &y in &*p.needs {
                    entries.push(((u64::from(x) << 32) | u64::from(y), m));
                }
            }
        }
        entries.sort_unstable();
        let mut pairs = FnvHashMap::default();
        let mut start = 0;
        for i in 1..=entries.len() {
            if i == entries.len() || entries[i].0 != entries[start].0 {
                pairs.insert(entries[start].0, (start as u32, i as u32));
                start = i;
            }
        }
        let pair_members = entries.into_iter().map(|(_, m)| m).collect();
        Index {
            members,
            offer_sig,
            need_sig,
            class_start,
            group_start,
            group_kind,
            vertical_start,
            group_verticals,
            group_of,
            stage_codes,
            cop_sets,
            class_stage,
            class_cops,
            class_country,
            stage_start,
            group_stages,
            cop_start,
            group_cops,
            group_countries,
            words,
            country_of,
            country_code: codes,
            country_region,
            region_countries,
            pairs,
            pair_members,
        }
    }

    /// Number of groups.
    pub(crate) fn groups(&self) -> usize {
        self.group_start.len() - 1
    }

    fn classes(&self, g: usize) -> std::ops::Range<usize> {
        self.group_start[g] as usize..self.group_start[g + 1] as usize
    }

    fn class_range(&self, c: usize) -> std::ops::Range<usize> {
        self.class_start[c] as usize..self.class_start[c + 1] as usize
    }
}

/// Bounds for one source member `s`: its background signals against every stage code, cop set
/// and country, weighted, so a class's bound is a few lookups.
struct Bounds<'a> {
    t: &'a Tables,
    src: &'a score::Source,
    s: &'a Profile,
    /// Weighted bound of the needs signal of a member that is not two-sided, and of any member.
    one_sided: f64,
    two_sided: f64,
    /// Weighted stage, communities and geography signals by stage code, cop set and country.
    stage: Vec<f64>,
    cops: Vec<f64>,
    geo: Vec<f64>,
    /// The best of each anywhere.
    rest: f64,
}

fn max_of(values: &[f64]) -> f64 {
    values.iter().fold(0.0, |a, &b| a.max(b))
}

impl<'a> Bounds<'a> {
    fn new(
        t: &'a Tables,
        src: &'a score::Source,
        s: &'a Profile,
        index: &Index,
        profiles: &[Profile],
    ) -> Self {
        let w = t.weights.map(f64::from);
        let c = t.combine;
        let one = f64::from(t.one_sided.max(c.apply(1.0, 0.0)).max(c.apply(0.0, 1.0)));
        let two = f64::from(t.one_sided.max(c.apply(1.0, 1.0)));
        let stage: Vec<f64> = index
            .stage_codes
            .iter()
            .map(|&code| w[2] * f64::from(score::stage_fit(t, (s.stage, s.focus), code)))
            .collect();
        let cops: Vec<f64> = index
            .cop_sets
            .iter()
            .map(|&r| w[3] * f64::from(src.communities(s.cops.len(), &profiles[r as usize].cops)))
            .collect();
        let geo: Vec<f64> = index
            .country_code
            .iter()
            .zip(&index.country_region)
            .map(|(&code, &region)| {
                let g = if code == s.country {
                    t.same_country
                } else if s.region != NONE && s.region == region {
                    t.same_region
                } else {
                    0.0
                };
                w[4] * f64::from(g)
            })
            .collect();
        let rest = max_of(&stage) + max_of(&cops) + max_of(&geo);
        Bounds {
            t,
            src,
            s,
            one_sided: w[0] * one,
            two_sided: w[0] * two,
            stage,
            cops,
            geo,
            rest,
        }
    }

    /// Taxonomy and kind against group `g`, weighted and exact.
    fn taxonomy_and_kind(&self, index: &Index, g: usize) -> f64 {
        let verticals = &index.group_verticals
            [index.vertical_start[g] as usize..index.vertical_start[g + 1] as usize];
        let kind = index.group_kind[g] as usize;
        f64::from(self.t.weights[1]) * f64::from(self.src.taxonomy(verticals))
            + f64::from(self.t.weights[6])
                * f64::from(self.t.kind_prior[self.s.kind as usize][kind])
    }

    /// The background (without needs and warmth) of group `g`, whose taxonomy and kind part is
    /// `head`, bounded by the best stage, communities and geography present in it.
    fn group(&self, index: &Index, g: usize, head: f64, country: usize) -> f64 {
        let stage = index.group_stages
            [index.stage_start[g] as usize..index.stage_start[g + 1] as usize]
            .iter()
            .fold(0.0f64, |a, &c| a.max(self.stage[c as usize]));
        let cops = index.group_cops[index.cop_start[g] as usize..index.cop_start[g + 1] as usize]
            .iter()
            .fold(0.0f64, |a, &c| a.max(self.cops[c as usize]));
        let words = &index.group_countries[g * index.words..(g + 1) * index.words];
        let mut geo = 0.0f64;
        if words[country / 64] & (1 << (country % 64)) != 0 {
            geo = self.geo[country];
        }
        if self.s.region != NONE {
            let r = self.s.region as usize;
            let region = &index.region_countries[r * index.words..(r + 1) * index.words];
            if words.iter().zip(region).any(|(a, b)| a & b != 0) {
                geo = geo.max(f64::from(self.t.weights[4]) * f64::from(self.t.same_region));
            }
        }
        head + stage + cops + geo + MARGIN
    }

    /// The background of class `c` in a group whose taxonomy and kind part is `head`: exact
    /// (every member of a class has the same), plus the margin.
    fn class(&self, index: &Index, c: usize, head: f64) -> f64 {
        head + self.stage[index.class_stage[c] as usize]
            + self.cops[index.class_cops[c] as usize]
            + self.geo[index.class_country[c] as usize]
            + MARGIN
    }
}

impl Engine {
    /// The exact top `query.k` of member `s` by the pruned search of the module docs; `s` must
    /// be open to introductions.
    pub(crate) fn rank_member_pruned(
        &self,
        s: usize,
        query: &Query,
        scratch: &mut Scratch,
    ) -> Vec<Scored> {
        if query.k == 0 {
            return Vec::new();
        }
        let mut top = TopK::new(query.k);
        let index = self.index();
        self.prepare(s, scratch);
        scratch.next_epoch(self.profiles.len());
        let ps = &self.profiles[s];
        let floor = f64::from(query.min_score);
        let threshold = |top: &TopK| f64::from(top.threshold()).max(floor);

        let src = std::mem::take(&mut scratch.source);
        // 1. The two-hop reach: all the warmth.
        let warm = std::mem::take(&mut scratch.touched);
        for &t in &warm {
            self.visit(s, t as usize, query, &src, scratch, &mut top);
        }
        scratch.touched = warm;

        // 2. Groups and classes by background, one-sided needs at most.
        let bounds = Bounds::new(&self.tables, &src, ps, index, &self.profiles);
        let country = index.country_of[s] as usize;
        let (needs_sig, offers_sig) = (signature(&ps.needs), signature(&ps.offers));
        let mut order = std::mem::take(&mut scratch.order);
        order.clear();
        scratch.group_bound.clear();
        scratch.group_head.clear();
        let cutoff = threshold(&top);
        for g in 0..index.groups() {
            let head = bounds.taxonomy_and_kind(index, g);
            let mut b = head + bounds.rest + MARGIN;
            if b + bounds.two_sided >= cutoff {
                b = bounds.group(index, g, head, country);
                if b + bounds.one_sided >= cutoff {
                    order.push((b, g as u32));
                }
            }
            scratch.group_bound.push(b);
            scratch.group_head.push(head);
        }
        // The best few groups first, to raise the threshold early; the rest in index order.
        let by_bound = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if order.len() > FIRST_GROUPS {
            order.select_nth_unstable_by(FIRST_GROUPS, by_bound);
            order[..FIRST_GROUPS].sort_unstable_by(by_bound);
        }
        for &(b, g) in &order {
            if b + bounds.one_sided < threshold(&top) {
                continue;
            }
            let head = scratch.group_head[g as usize];
            for c in index.classes(g as usize) {
                let background = bounds.class(index, c, head);
                if background + bounds.one_sided < threshold(&top) {
                    continue;
                }
                // Below the threshold on its background alone, a member can only get there
                // through a topic in common with `s` (two-sided members are also step 3's).
                let topics_needed = background < threshold(&top);
                for i in index.class_range(c) {
                    if topics_needed
                        && index.offer_sig[i] & needs_sig == 0
                        && index.need_sig[i] & offers_sig == 0
                    {
                        continue;
                    }
                    self.visit(s, index.members[i] as usize, query, &src, scratch, &mut top);
                }
            }
        }
        scratch.order = order;

        // 3. Two-sided members, whose needs signal may go up to its full weight.
        for &x in &*ps.needs {
            for &y in &*ps.offers {
                let Some(&(a, b)) = index.pairs.get(&((u64::from(x) << 32) | u64::from(y))) else {
                    continue;
                };
                for &t in &index.pair_members[a as usize..b as usize] {
                    if scratch.seen[t as usize] == scratch.epoch {
                        continue;
                    }
                    let g = index.group_of[t as usize] as usize;
                    if scratch.group_bound[g] + bounds.two_sided < threshold(&top) {
                        continue;
                    }
                    self.visit(s, t as usize, query, &src, scratch, &mut top);
                }
            }
        }
        scratch.source = src;
        self.count_pruned_pairs(std::mem::take(&mut scratch.pairs));
        self.reset(s, scratch);
        top.into_sorted()
    }

    /// Scores candidate `t` of `s` once (later visits are skipped) and offers it to `top` if it
    /// passes the exclusions, the query's filters and its minimum score.
    #[allow(clippy::too_many_arguments)]
    fn visit(
        &self,
        s: usize,
        t: usize,
        query: &Query,
        src: &score::Source,
        scratch: &mut Scratch,
        top: &mut TopK,
    ) {
        if scratch.seen[t] == scratch.epoch {
            return;
        }
        scratch.seen[t] = scratch.epoch;
        if t == s || !self.open[t] || scratch.excluded[t] || !self.passes(t, query) {
            return;
        }
        scratch.pairs += 1;
        let score = score::score_from(
            &self.tables,
            src,
            &self.profiles[s],
            &self.profiles[t],
            scratch.aa[t],
        );
        if score >= query.min_score {
            top.offer(self, s, t, score);
        }
    }
}
