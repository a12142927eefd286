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
//! `T` prunes). Every candidate that is not pruned is scored from the same signals, computed by
//! the same functions, as the brute-force scan, and offered to the same heap under the same
//! total order, so the result is the brute-force result. Bounds are summed in `f64` and padded
//! by [`MARGIN`], far above the rounding of a seven-term `f32` sum.
//!
//! # How candidates are found
//!
//! The index (built once per engine, on first use) sorts the members open to introductions by
//! their *background* into a four-level tree: kind and verticals (a **group**), then stage and
//! stage focus (a **stage block**), then country (a **country block**), then communities of
//! practice (a **class**). Every member of a class has the same taxonomy, stage, communities,
//! geography and kind signals against any given member, so only its needs and warmth differ.
//! What the search reads of a member (its place in the tree, where its topics are, its id) sits
//! in one slot, and the slots, topics and folded 128-bit topic signatures are stored in tree
//! order, so a class is scanned through consecutive memory. The index also keeps lists of
//! members keyed by topics: for every pair `(x, y)`, the members who offer `x` and need `y`,
//! the members who offer both `x` and `y`, and those who need both; and for every topic `y`,
//! the members with fewer than [`FEW_NEEDS`] needs who need `y`. Each list entry carries the
//! member's group, stage, country, number of needs and folded communities, so most entries are
//! bounded without reading anything else.
//!
//! For a member `s` needing `N` and offering `O`, a candidate offering `a` topics of `N` and
//! needing `b` topics of `O`:
//! 1. the two-hop reach (every member sharing a contact with `s`) is walked first; it carries
//!    all the warmth, and its warmest member bounds anyone's warmth;
//! 2. *two-sided* candidates (`a >= 1` and `b >= 1`) are in the lists of `N x O`. Each entry
//!    sets its member in a bitset of the two-sided and is bounded as its entry is read, as if
//!    the member had one topic in common each way: its needs signal is then known from its
//!    number of needs, with nothing counted. That is exact for the members with `a = b = 1`
//!    (each in exactly one of those lists). A member with more in common one way may be bounded
//!    too low here, but a member is marked seen only when it is scored, so such a member is
//!    either scored here (with its own needs) or left to step 3. Most of the best candidates
//!    have a topic in common each way, so this step fills the heap before step 3 counts;
//! 3. candidates with `a >= 2` are in exactly `a (a - 1) / 2` of the lists of pairs within
//!    `N`, which gives `a` (and the same for `b >= 2` with the pairs within `O`), and a side
//!    without a count has one topic in common if the member is two-sided (step 2's bitset),
//!    else none (counts are one byte, saturating: a saturated count stands for every topic of
//!    the side). An entry is counted only if its member could reach `T` with the highest
//!    needs signal of its kind (any, if two-sided; the highest one-sided signal, if not) and
//!    the best warmth if it is in the two-hop reach (none outside it); each member counted is
//!    then bounded with its exact needs signal. Candidates with few needs and `b >= 1` are in
//!    `b` of the single-topic lists of `O`; those not two-sided have `a = 0`, so their needs
//!    signal is known from `b`;
//! 4. the rest of the two-hop reach is bounded with its own warmth (its needs as in step 5)
//!    and scored if it can reach `T`;
//! 5. anyone else has no warmth, `a <= 1`, `b <= 1` (`b = 0` with fewer than [`FEW_NEEDS`]
//!    needs) and not both, so a needs signal of at most
//!    `max(one_sided * max(f, b), combine(f, 0), combine(0, b))` at `f = 1 / |N|` and
//!    `b = 1 / its needs` (0 where folded signatures are disjoint). The groups are walked best
//!    taxonomy-and-kind first (that order is shared by every source of the same group), and
//!    the walk stops at the first group whose bound, with the best stage, communities,
//!    geography and needs `s` can have with anyone, is below `T`. The group itself, then its
//!    stage blocks, country blocks and classes are bounded level by level from what their
//!    members have between them (or-ed signatures, fewest needs, folded communities); in a
//!    class that can reach `T`, each member is bounded from its own signatures and scored if it
//!    can.
//!
//! In steps 2 to 4 a candidate is scored unless its bound is below `T`: first from its list
//! entry (group, stage, country, folded communities, and the best warmth inside the two-hop
//! reach, none outside it, which a bitset tells without reading the member's mark), then with
//! its own warmth, then with its slot.
//!
//! Nothing else can reach `T`, so the heap holds the exact top k.
//!
//! # The scan
//!
//! [`Method::Scan`](crate::Method::Scan) scores every candidate, with no bound, from the same
//! index and per-source tables: positions are read in index order, and one with no topic and
//! no community in common with the source (disjoint folded signatures) and no warmth scores
//! its group's, stage's and country's signals alone (the needs signal `needs(0, 0)`, warmth
//! and communities 0), added in the brute force's order; the others are scored in full.

use fnv::FnvHashMap;

use crate::engine::{Engine, Query, Scored, Scratch, TopK};
use crate::score::{self, Profile, Source, Tables};
use crate::stage::MemberKind;

/// Padding added to every bound, far above the rounding error of a seven-term `f32` sum of
/// numbers in [0, 1] (about `7 * 2^-24`).
const MARGIN: f64 = 1e-4;

/// Members with fewer needs than this are listed under each topic they need (step 3), so the
/// tree walk can leave them out of its bound on how much of a member's needs the source covers.
const FEW_NEEDS: u32 = 3;

/// The walk's view of a member's number of needs: `u32::MAX` (no needs to cover) when it has
/// none, or fewer than [`FEW_NEEDS`] (any it shares with the source were found in step 3).
fn walked_needs(needs: u32) -> u32 {
    if needs < FEW_NEEDS { u32::MAX } else { needs }
}

/// Position of a member that is not open to introductions.
const NOT_OPEN: u32 = u32::MAX;

/// The number of member kinds (the kind priors are a `KINDS x KINDS` table).
const KINDS: usize = MemberKind::ALL.len();

/// [`Index::kind_set_group`] of a kind and set of verticals that no group has.
const NO_GROUP: u32 = u32::MAX;

/// `v[i]..v[i + 1]` as a range of `usize`.
fn span(v: &[u32], i: usize) -> std::ops::Range<usize> {
    v[i] as usize..v[i + 1] as usize
}

/// What the search reads of the member at one position, in one place: its place in the tree,
/// where its topics and communities are, and who it is.
#[derive(Clone, Copy, Debug)]
struct Slot {
    group: u32,
    /// Index into [`Index::stage_codes`] and [`Index::countries`].
    stage: u16,
    country: u16,
    /// The member offers `topics[offers..needs]`, needs `topics[needs..cops]` and is in the
    /// communities `topics[cops..end]`.
    offers: u32,
    needs: u32,
    cops: u32,
    end: u32,
    member: u32,
    /// The member's communities folded into 32 bits (see [`fold_cops`]).
    cops_fold: u32,
}

impl Slot {
    fn needs_len(&self) -> u32 {
        self.cops - self.needs
    }
}

/// An entry of a topic-pair list: a position with what bounds its background (group, stage
/// code, country) and its number of needs, so that most entries are bounded without reading
/// anything else about the member.
#[derive(Clone, Copy, Debug, Default)]
struct PairEntry {
    pos: u32,
    group: u32,
    stage: u16,
    country: u16,
    needs: u32,
    /// The member's communities folded into 32 bits (see [`fold_cops`]).
    cops_fold: u32,
}

/// A 64-bit community signature folded into 32 bits: community `c` sets bit `c % 32`, so
/// disjoint folds prove there is no community in common.
fn fold_cops(signature: u64) -> u32 {
    (signature as u32) | ((signature >> 32) as u32)
}

/// The candidate index of [`Engine`]'s pruned ranking; see the module docs.
#[derive(Debug)]
pub(crate) struct Index {
    /// The position of each member, [`NOT_OPEN`] for members not open to introductions.
    pos_of: Vec<u32>,
    /// Each position's slot, and its offered and needed topics folded into 128 bits (topic `x`
    /// sets bit `x % 128`): disjoint signatures prove there is no common topic.
    slots: Vec<Slot>,
    sigs: Vec<[u128; 2]>,
    /// Every position's offers, needs and communities, in position order (see [`Slot`]).
    topics: Vec<u32>,
    /// Class `c` holds positions `class_start[c]..class_start[c + 1]`.
    class_start: Vec<u32>,
    /// What the members of each class, country block, stage block and group have between them.
    class_summaries: Vec<Summary>,
    country_block_summaries: Vec<Summary>,
    stage_block_summaries: Vec<Summary>,
    group_summaries: Vec<Summary>,
    /// Country block `b` holds classes `country_block_start[b]..country_block_start[b + 1]`.
    country_block_start: Vec<u32>,
    country_block_country: Vec<u16>,
    /// Stage block `b` holds country blocks `stage_block_start[b]..stage_block_start[b + 1]`.
    stage_block_start: Vec<u32>,
    stage_block_stage: Vec<u16>,
    /// Group `g` holds stage blocks `group_start[g]..group_start[g + 1]`.
    group_start: Vec<u32>,
    /// Each group's kind, and its verticals as one of the `sets` distinct sets of verticals
    /// (numbered in sorted order; they are fewer than the groups); `set_verticals` holds
    /// `(set, vertical)` for each vertical of each set.
    group_kind: Vec<u8>,
    group_set: Vec<u32>,
    sets: usize,
    set_verticals: Vec<(u32, u16)>,
    /// The group of each kind and set of verticals: kind `k`'s with set `v` is
    /// `kind_set_group[k * sets + v]` ([`NO_GROUP`] when no open member has them).
    kind_set_group: Vec<u32>,
    /// The distinct `(stage, focus)` pairs ("stage codes") of the open members.
    stage_codes: Vec<(u8, u8)>,
    /// The distinct countries of the open members, with their regions.
    countries: Vec<([u8; 2], u8)>,
    /// Each member's ties to open members as `(position, strength)`, in the engine's order
    /// (`contacts[contact_start[m]..contact_start[m + 1]]`), so the two-hop walk lands on
    /// positions directly.
    contact_start: Vec<u32>,
    contacts: Vec<(u32, f32)>,
    /// Each member's exclusions that are open, as positions.
    exclusion_start: Vec<u32>,
    exclusions: Vec<u32>,
    /// The fewest needs of an open member with [`FEW_NEEDS`] or more (`u32::MAX` when none
    /// has), and the most needs of an open member.
    fewest_needs: u32,
    most_needs: u32,
    /// Positions offering topic `x` and needing topic `y`.
    offer_need: TopicLists,
    /// Positions offering both `x` and `y` (`x < y`), and positions needing both.
    offer_offer: TopicLists,
    need_need: TopicLists,
    /// Positions needing topic `y` among members with fewer than [`FEW_NEEDS`] needs.
    few_needs: TopicLists,
}

/// Lists of positions keyed by a topic or a pair of topics (see [`key`]).
#[derive(Debug, Default)]
struct TopicLists {
    /// Key to a range of `entries`.
    lists: Ranges,
    entries: Vec<PairEntry>,
}

/// Where each key's list is in [`TopicLists::entries`].
#[derive(Debug)]
enum Ranges {
    /// When topic ids are below `topics` and `topics` squared is at most [`DENSE_KEYS`]: the
    /// list of key `(x, y)` is `starts[i]..starts[i + 1]` at `i = x * topics + y`, one read
    /// per lookup (a hash map probes, and its buckets take several times the memory).
    Dense { topics: u64, starts: Vec<u32> },
    /// Otherwise, key to range.
    Hashed(FnvHashMap<u64, (u32, u32)>),
}

impl Default for Ranges {
    fn default() -> Self {
        Ranges::Hashed(FnvHashMap::default())
    }
}

/// The most keys of a dense table of list offsets (4 MB each; three tables of topic pairs).
const DENSE_KEYS: u64 = 1 << 20;

/// The lists of `items` items by key: the keys of item `i` are `keys_of(i)` (no key twice),
/// with topic ids below `topics`; each list holds `entry_of(i)` of its items in order of `i`.
///
/// When `topics` squared is at most `dense_keys`, the entries are placed by a counting sort
/// into the lists of a dense table (two passes over the keys, no comparison); otherwise the
/// (key, entry) pairs are sorted and found through a hash map.
fn lists_by_key<E: Copy + Default>(
    items: usize,
    keys_of: impl Fn(usize, &mut Vec<u64>),
    entry_of: impl Fn(usize) -> E,
    topics: u64,
    dense_keys: u64,
) -> (Ranges, Vec<E>) {
    let mut keys = Vec::new();
    if topics.saturating_mul(topics) <= dense_keys {
        let dense_index = |key| Ranges::dense_index(topics, key);
        let mut starts = vec![0u32; (topics * topics) as usize + 1];
        for i in 0..items {
            keys.clear();
            keys_of(i, &mut keys);
            for &key in &keys {
                starts[dense_index(key) + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut entries = vec![E::default(); starts[starts.len() - 1] as usize];
        for i in 0..items {
            keys.clear();
            keys_of(i, &mut keys);
            let entry = entry_of(i);
            for &key in &keys {
                let at = &mut next[dense_index(key)];
                entries[*at as usize] = entry;
                *at += 1;
            }
        }
        return (Ranges::Dense { topics, starts }, entries);
    }
    let mut keyed: Vec<(u64, u32)> = Vec::new();
    for i in 0..items {
        keys.clear();
        keys_of(i, &mut keys);
        keyed.extend(keys.iter().map(|&key| (key, i as u32)));
    }
    keyed.sort_unstable();
    let mut lists = FnvHashMap::default();
    let mut start = 0;
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        let end = start + run.len() as u32;
        lists.insert(run[0].0, (start, end));
        start = end;
    }
    let entries = keyed.iter().map(|&(_, i)| entry_of(i as usize)).collect();
    (Ranges::Hashed(lists), entries)
}

impl Ranges {
    fn dense_index(topics: u64, key: u64) -> usize {
        ((key >> 32) * topics + (key & u64::from(u32::MAX))) as usize
    }

    /// The range of `key`'s list, if it has one.
    fn get(&self, key: u64) -> Option<(u32, u32)> {
        match self {
            Ranges::Dense { topics, starts } => {
                if key >> 32 >= *topics || key & u64::from(u32::MAX) >= *topics {
                    return None;
                }
                let i = Ranges::dense_index(*topics, key);
                let (from, to) = (starts[i], starts[i + 1]);
                (from < to).then_some((from, to))
            }
            Ranges::Hashed(lists) => lists.get(&key).copied(),
        }
    }
}

/// The key of a pair of topics `(x, y)` in [`TopicLists`] (of topic `y` alone: `key(0, y)`).
fn key(x: u32, y: u32) -> u64 {
    (u64::from(x) << 32) | u64::from(y)
}

impl TopicLists {
    /// The lists of every key in `keys_of(offers, needs)` of every position (its offered and
    /// needed topics, read from `all_topics` where its slot says), each list in position
    /// order.
    ///
    /// Topic ids are below `topics`; see [`lists_by_key`] for `dense_keys`.
    fn new(
        slots: &[Slot],
        all_topics: &[u32],
        keys_of: impl Fn(&[u32], &[u32], &mut Vec<u64>),
        topics: u64,
        dense_keys: u64,
    ) -> Self {
        let (lists, entries) = lists_by_key(
            slots.len(),
            |i, keys| {
                let slot = &slots[i];
                let topics = |from: u32, to: u32| &all_topics[from as usize..to as usize];
                keys_of(
                    topics(slot.offers, slot.needs),
                    topics(slot.needs, slot.cops),
                    keys,
                );
            },
            |i| {
                let slot = &slots[i];
                PairEntry {
                    pos: i as u32,
                    group: slot.group,
                    stage: slot.stage,
                    country: slot.country,
                    needs: slot.needs_len(),
                    cops_fold: slot.cops_fold,
                }
            },
            topics,
            dense_keys,
        );
        TopicLists { lists, entries }
    }

    /// The lists of `keys` (those some position has) into `found`, as ranges for
    /// [`TopicLists::list`]. All the keys are looked up, and each list's first entry read,
    /// before any list is walked, so that their cache misses overlap instead of coming one list
    /// at a time.
    fn find_all(&self, keys: impl Iterator<Item = u64>, found: &mut Vec<(u32, u32)>) {
        found.clear();
        found.extend(keys.filter_map(|key| self.lists.get(key)));
        let firsts = found
            .iter()
            .fold(0, |acc, &(from, _)| acc ^ self.entries[from as usize].pos);
        std::hint::black_box(firsts);
    }

    /// The list at `range`, from [`TopicLists::find_all`].
    fn list(&self, (from, to): (u32, u32)) -> &[PairEntry] {
        &self.entries[from as usize..to as usize]
    }
}

/// The keys of every pair `(x, y)` with `x < y` of a sorted, duplicate-free list: the lists a
/// member offering (or needing) `topics` is in, and the lists a source reads for its own.
fn pairs_within(topics: &[u32]) -> impl Iterator<Item = u64> + '_ {
    topics
        .iter()
        .enumerate()
        .flat_map(|(i, &x)| topics[i + 1..].iter().map(move |&y| key(x, y)))
}

/// The keys of every pair `(x, y)` with `x` in `first` and `y` in `second`: the offer-need
/// lists a member offering `first` and needing `second` is in, and those a source needing
/// `first` and offering `second` reads.
fn pairs_across<'a>(first: &'a [u32], second: &'a [u32]) -> impl Iterator<Item = u64> + 'a {
    first
        .iter()
        .flat_map(move |&x| second.iter().map(move |&y| key(x, y)))
}

/// What the members of a node of the tree have between them: their topic signatures or-ed,
/// the fewest needs of a member with any (`u32::MAX` when none has), and their communities of
/// practice folded into 64 bits (community `c` sets bit `c % 64`).
#[derive(Clone, Copy, Debug)]
struct Summary {
    sigs: [u128; 2],
    fewest_needs: u32,
    cops: u64,
}

impl Summary {
    const EMPTY: Summary = Summary {
        sigs: [0; 2],
        fewest_needs: u32::MAX,
        cops: 0,
    };

    fn or(&self, other: &Summary) -> Summary {
        Summary {
            sigs: [self.sigs[0] | other.sigs[0], self.sigs[1] | other.sigs[1]],
            fewest_needs: self.fewest_needs.min(other.fewest_needs),
            cops: self.cops | other.cops,
        }
    }

    fn of(summaries: &[Summary]) -> Summary {
        summaries.iter().fold(Summary::EMPTY, |acc, s| acc.or(s))
    }
}

/// Communities of practice folded into 64 bits.
fn cop_signature(cops: &[u32]) -> u64 {
    cops.iter().fold(0, |acc, &c| acc | (1u64 << (c % 64)))
}

/// Topics folded into 128 bits.
fn signature(topics: &[u32]) -> u128 {
    topics.iter().fold(0, |acc, &x| acc | (1u128 << (x % 128)))
}

/// The distinct values of `values`, sorted, and the rank of each value among them: one hash
/// lookup per value and a sort of the distinct values only.
fn distinct_ranks<'a, T: Ord + std::hash::Hash + ?Sized>(
    values: impl Iterator<Item = &'a T>,
) -> (Vec<&'a T>, Vec<u32>) {
    let mut ids: FnvHashMap<&T, u32> = FnvHashMap::default();
    let first_seen: Vec<u32> = values
        .map(|v| {
            let next = ids.len() as u32;
            *ids.entry(v).or_insert(next)
        })
        .collect();
    // Sorted by value (each is there once), so the map's order does not show.
    let mut distinct: Vec<(&T, u32)> = ids.into_iter().collect();
    distinct.sort_unstable();
    let mut rank = vec![0; distinct.len()];
    for (r, &(_, id)) in distinct.iter().enumerate() {
        rank[id as usize] = r as u32;
    }
    let ranks = first_seen.iter().map(|&id| rank[id as usize]).collect();
    (distinct.into_iter().map(|(v, _)| v).collect(), ranks)
}

/// A member's place in the tree as two integers, ordered as its kind, verticals, stage, focus,
/// country and communities are (see [`tree_order`]).
#[derive(Clone, Copy, Debug, PartialEq)]
struct TreeKey {
    /// Kind (bits 56 to 63), rank of the set of verticals (24 to 55), stage (16 to 23) and
    /// focus (8 to 15).
    high: u64,
    /// Country code (bits 32 to 47) and rank of the set of communities (0 to 31).
    low: u64,
}

impl TreeKey {
    /// The kind and the rank of the set of verticals: equal for members of one group.
    fn group(&self) -> u64 {
        self.high >> 24
    }
    /// The rank of the set of verticals.
    fn set(&self) -> u32 {
        self.group() as u32
    }
    /// The country code.
    fn country(&self) -> u64 {
        self.low >> 32
    }
}

/// The members in the tree's order, by kind, verticals, stage, focus, country, communities and
/// id (sets of verticals and of communities compared as sorted lists), each with its
/// [`TreeKey`]; and the distinct sets of verticals in order (the key's ranks are theirs).
///
/// Sets are ranked once, so the sort compares integers instead of lists.
fn tree_order<'a>(
    profiles: &'a [Profile],
    members: &[u32],
) -> (Vec<(u32, TreeKey)>, Vec<&'a [u16]>) {
    let profile = |i: usize| &profiles[members[i] as usize];
    let (sets, set_of) = distinct_ranks((0..members.len()).map(|i| &profile(i).verticals[..]));
    let (_, cops_of) = distinct_ranks((0..members.len()).map(|i| &profile(i).cops[..]));
    let mut keyed: Vec<(u64, u64, u32)> = (0..members.len())
        .map(|i| {
            let p = profile(i);
            let group = (u64::from(p.kind) << 56) | (u64::from(set_of[i]) << 24);
            let stage = (u64::from(p.stage) << 16) | (u64::from(p.focus) << 8);
            // Big-endian, the code's two bytes compare as the pair does.
            let country = u64::from(u16::from_be_bytes(p.country));
            (
                (group | stage),
                (country << 32) | u64::from(cops_of[i]),
                members[i],
            )
        })
        .collect();
    keyed.sort_unstable();
    let order = keyed
        .iter()
        .map(|&(high, low, m)| (m, TreeKey { high, low }))
        .collect();
    (order, sets)
}

/// Compressed lists `f(m)` for every member `m < n`, each item mapped by `map` (items mapping
/// to `None` are left out, the rest keep their order).
fn compress<'a, T: Copy + 'a, U>(
    n: usize,
    f: impl Fn(usize) -> &'a [T],
    map: impl Fn(T) -> Option<U>,
) -> (Vec<u32>, Vec<U>) {
    let mut start = Vec::with_capacity(n + 1);
    let mut items = Vec::new();
    for m in 0..n {
        start.push(items.len() as u32);
        items.extend(f(m).iter().filter_map(|&x| map(x)));
    }
    start.push(items.len() as u32);
    (start, items)
}

impl Index {
    /// Builds the index over the members open to introductions, with each member's ties
    /// (`contacts`, as the engine orders them) and exclusions (`excluded`). With `threads` of
    /// two or more, the lists of two topics are built on a second thread meanwhile; the index
    /// is the same either way.
    ///
    /// # Complexity
    ///
    /// O(n log n + p + e + t²) time and O(n + p + e + t²) memory for n members, p
    /// (offer, need) pairs (at most 25 per member in the generated communities), e ties and
    /// exclusions, and t topics when t² is at most 2²⁰: the lists are placed by a counting sort
    /// into dense tables of list offsets (4 MB each at most). With more topics they are sorted
    /// instead, O(p log p), and found through hash maps.
    pub(crate) fn new<'a>(
        profiles: &[Profile],
        open: &[bool],
        contacts: impl Fn(usize) -> &'a [(u32, f32)],
        excluded: impl Fn(usize) -> &'a [u32],
        threads: usize,
    ) -> Self {
        let n = profiles.len();
        let open_members: Vec<u32> = (0..n as u32).filter(|&m| open[m as usize]).collect();
        let (order, sets) = tree_order(profiles, &open_members);
        let members: Vec<u32> = order.iter().map(|&(m, _)| m).collect();
        let mut pos_of = vec![NOT_OPEN; n];
        for (i, &m) in members.iter().enumerate() {
            pos_of[m as usize] = i as u32;
        }
        let profile = |i: usize| &profiles[members[i] as usize];

        // In the order of ids, which reads the profiles in memory order.
        let mut stage_codes: Vec<(u8, u8)> = open_members
            .iter()
            .map(|&m| (profiles[m as usize].stage, profiles[m as usize].focus))
            .collect();
        stage_codes.sort_unstable();
        stage_codes.dedup();
        let mut countries: Vec<([u8; 2], u8)> = open_members
            .iter()
            .map(|&m| (profiles[m as usize].country, profiles[m as usize].region))
            .collect();
        countries.sort_unstable();
        countries.dedup_by_key(|c| c.0);

        let (contact_start, contacts) = compress(n, contacts, |(t, w)| {
            let pos = pos_of[t as usize];
            (pos != NOT_OPEN).then_some((pos, w))
        });
        let (exclusion_start, exclusions) = compress(n, excluded, |t| {
            let pos = pos_of[t as usize];
            (pos != NOT_OPEN).then_some(pos)
        });
        let mut index = Index {
            pos_of,
            slots: Vec::with_capacity(members.len()),
            sigs: Vec::with_capacity(members.len()),
            topics: Vec::new(),
            class_start: Vec::new(),
            class_summaries: Vec::new(),
            country_block_summaries: Vec::new(),
            stage_block_summaries: Vec::new(),
            group_summaries: Vec::new(),
            country_block_start: Vec::new(),
            country_block_country: Vec::new(),
            stage_block_start: Vec::new(),
            stage_block_stage: Vec::new(),
            group_start: Vec::new(),
            group_kind: Vec::new(),
            group_set: Vec::new(),
            sets: 0,
            set_verticals: Vec::new(),
            kind_set_group: Vec::new(),
            stage_codes,
            countries,
            contact_start,
            contacts,
            exclusion_start,
            exclusions,
            fewest_needs: (0..members.len())
                .map(|i| walked_needs(profile(i).needs.len() as u32))
                .min()
                .unwrap_or(u32::MAX),
            most_needs: (0..members.len())
                .map(|i| profile(i).needs.len() as u32)
                .max()
                .unwrap_or(0),
            offer_need: TopicLists::default(),
            offer_offer: TopicLists::default(),
            need_need: TopicLists::default(),
            few_needs: TopicLists::default(),
        };
        // The distinct sets of verticals are numbered in order, so each kind's groups are in
        // order of set, as the tree sorts them.
        index.set_verticals = sets
            .iter()
            .enumerate()
            .flat_map(|(set, verticals)| verticals.iter().map(move |&x| (set as u32, x)))
            .collect();
        for (i, &(member, place)) in order.iter().enumerate() {
            let p = profile(i);
            // Where the member's fields differ from the previous member's: equal ranks are
            // equal sets.
            let before = (i > 0).then(|| order[i - 1].1);
            let new_group = before.is_none_or(|b| b.group() != place.group());
            let new_stage = new_group || before.is_some_and(|b| b.high != place.high);
            let new_country = new_stage || before.is_some_and(|b| b.country() != place.country());
            let new_class = new_country || before.is_some_and(|b| b != place);
            if new_group {
                index.group_start.push(index.stage_block_start.len() as u32);
                index.group_kind.push(p.kind);
                index.group_set.push(place.set());
            }
            if new_stage {
                index
                    .stage_block_start
                    .push(index.country_block_start.len() as u32);
                let code = index.stage_codes.binary_search(&(p.stage, p.focus));
                index.stage_block_stage.push(code.unwrap_or(0) as u16);
            }
            if new_country {
                index
                    .country_block_start
                    .push(index.class_start.len() as u32);
                let country = index.countries.binary_search_by_key(&p.country, |c| c.0);
                index
                    .country_block_country
                    .push(country.unwrap_or(0) as u16);
            }
            if new_class {
                index.class_start.push(i as u32);
            }
            index.sigs.push([signature(&p.offers), signature(&p.needs)]);
            let offers = index.topics.len() as u32;
            index.topics.extend_from_slice(&p.offers);
            let needs = index.topics.len() as u32;
            index.topics.extend_from_slice(&p.needs);
            let cops = index.topics.len() as u32;
            index.topics.extend_from_slice(&p.cops);
            index.slots.push(Slot {
                group: (index.group_start.len() - 1) as u32,
                stage: *index.stage_block_stage.last().unwrap_or(&0),
                country: *index.country_block_country.last().unwrap_or(&0),
                offers,
                needs,
                cops,
                end: index.topics.len() as u32,
                member,
                cops_fold: fold_cops(cop_signature(&p.cops)),
            });
        }
        index.sets = sets.len();
        index.kind_set_group = vec![NO_GROUP; KINDS * index.sets];
        for (g, (&set, &kind)) in index.group_set.iter().zip(&index.group_kind).enumerate() {
            index.kind_set_group[usize::from(kind) * index.sets + set as usize] = g as u32;
        }
        index.class_start.push(members.len() as u32);
        index
            .country_block_start
            .push(index.class_start.len() as u32 - 1);
        index
            .stage_block_start
            .push(index.country_block_start.len() as u32 - 1);
        index
            .group_start
            .push(index.stage_block_start.len() as u32 - 1);

        index.class_summaries = (0..index.class_start.len() - 1)
            .map(|c| {
                span(&index.class_start, c).fold(Summary::EMPTY, |acc, pos| {
                    let slot = &index.slots[pos];
                    acc.or(&Summary {
                        sigs: index.sigs[pos],
                        fewest_needs: walked_needs(slot.needs_len()),
                        cops: cop_signature(index.topics(slot.cops, slot.end)),
                    })
                })
            })
            .collect();
        index.country_block_summaries = (0..index.country_block_start.len() - 1)
            .map(|b| Summary::of(&index.class_summaries[span(&index.country_block_start, b)]))
            .collect();
        index.stage_block_summaries = (0..index.stage_block_start.len() - 1)
            .map(|b| Summary::of(&index.country_block_summaries[span(&index.stage_block_start, b)]))
            .collect();
        index.group_summaries = (0..index.group_start.len() - 1)
            .map(|g| Summary::of(&index.stage_block_summaries[span(&index.group_start, g)]))
            .collect();

        // The lists' topic ids are below this.
        let topics = index
            .slots
            .iter()
            .filter_map(|slot| index.topics(slot.offers, slot.cops).iter().max())
            .max()
            .map_or(0, |&x| u64::from(x) + 1);
        let lists = |keys_of: fn(&[u32], &[u32], &mut Vec<u64>)| {
            TopicLists::new(&index.slots, &index.topics, keys_of, topics, DENSE_KEYS)
        };
        let offer_need = || {
            (
                lists(|offers, needs, out| out.extend(pairs_across(offers, needs))),
                lists(|_, needs, out| {
                    if (needs.len() as u32) < FEW_NEEDS {
                        out.extend(needs.iter().map(|&y| key(0, y)));
                    }
                }),
            )
        };
        let two_topics = || {
            (
                lists(|offers, _, out| out.extend(pairs_within(offers))),
                lists(|_, needs, out| out.extend(pairs_within(needs))),
            )
        };
        // The lists of two topics on a second thread when there is one. A scoped thread, not a
        // rayon task: a pool thread waiting for a task runs other tasks meanwhile, and one of
        // them asking for this index, still being built, would wait for itself.
        let ((offer_need, few_needs), (offer_offer, need_need)) = if threads > 1 {
            std::thread::scope(|scope| {
                let two = scope.spawn(two_topics);
                let one = offer_need();
                (
                    one,
                    two.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                )
            })
        } else {
            (offer_need(), two_topics())
        };
        index.offer_need = offer_need;
        index.few_needs = few_needs;
        index.offer_offer = offer_offer;
        index.need_need = need_need;
        index
    }

    /// Number of members open to introductions.
    pub(crate) fn open_members(&self) -> usize {
        self.slots.len()
    }

    /// The position of member `m`, if it is open to introductions.
    pub(crate) fn position(&self, m: usize) -> Option<usize> {
        let pos = self.pos_of[m];
        (pos != NOT_OPEN).then_some(pos as usize)
    }

    fn topics(&self, from: u32, to: u32) -> &[u32] {
        &self.topics[from as usize..to as usize]
    }

    /// The group of kind `kind` with each set of verticals ([`NO_GROUP`] for a set without
    /// one), indexed by set.
    fn groups_of_kind(&self, kind: usize) -> &[u32] {
        &self.kind_set_group[kind * self.sets..][..self.sets]
    }
}

/// What every source of one group shares: the taxonomy and kind signals of each group against
/// it, their weighted sum (the group's "head"), and the way to the groups best head first.
///
/// A group's taxonomy signal is the best affinity of its verticals, so it is one of the
/// source's few distinct affinities, and its kind signal one of seven priors: each group has a
/// pair of ranks (of the two among the distinct values), which gives both signals and the head.
/// The pairs are few (the distinct affinities times the distinct priors, at most 7 of those),
/// so they are sorted by head; the groups of a pair are those of the sets of verticals of its
/// taxonomy rank with a kind of its kind rank ([`Index::kind_set_group`]). The walk reaches them
/// pair by pair and stops at the first group below its threshold, so the tables cost one pass
/// over the groups (their heads) and one over the sets, and no order of the groups is made:
/// most sources walk a small part of them (about 100 of 1,529 groups per source at 10k).
#[derive(Debug, Default)]
pub(crate) struct SourceGroup {
    /// The group of the sources the tables were last filled for.
    group: Option<u32>,
    /// Each group's pair of ranks, and its head (the pair's, kept per group as well: every
    /// bound reads it, and reading it through the pair measured slower).
    group_pair: Vec<u32>,
    head: Vec<f64>,
    /// The best head of a group.
    best_head: f64,
    /// The distinct affinities and kind priors of the source, best first, and each vertical's
    /// and kind's rank among them.
    affinities: Vec<f32>,
    vertical_rank: Vec<u32>,
    priors: Vec<f32>,
    kind_rank: [u32; KINDS],
    /// Each pair of ranks' taxonomy and kind signals and head (pair `(r, k)` at
    /// `r * priors.len() + k`).
    pair_signals: Vec<(f32, f32)>,
    pair_head: Vec<f64>,
    /// The pairs, best head first (then by pair).
    pair_order: Vec<u32>,
    /// The taxonomy rank of each distinct set of verticals, and the sets by rank: those of
    /// rank `r` are `rank_sets[rank_start[r]..rank_start[r + 1]]`, in set order.
    set_rank: Vec<u32>,
    rank_start: Vec<u32>,
    rank_sets: Vec<u32>,
    /// The kinds of each kind rank, as a mask (bit `kind`).
    rank_kinds: Vec<u8>,
}

/// The kinds in the mask `kinds` (bit `kind`), smallest first.
fn kinds_of(kinds: u8) -> impl Iterator<Item = usize> {
    (0..KINDS).filter(move |&kind| kinds & (1 << kind) != 0)
}

/// The distinct values of `values` (which holds no NaN), best first.
fn distinct_desc(values: impl Iterator<Item = f32>, out: &mut Vec<f32>) {
    out.clear();
    out.extend(values);
    out.sort_unstable_by(|a, b| b.total_cmp(a));
    out.dedup();
}

/// The rank of `value` in `distinct` (sorted best first, holding `value`).
fn rank_in(distinct: &[f32], value: f32) -> u32 {
    distinct.iter().position(|&x| x == value).unwrap_or(0) as u32
}

impl SourceGroup {
    /// Fills the tables for source `s` (with prepared `src`) of group `g`, unless they are
    /// already those of `g`.
    fn fill(&mut self, index: &Index, t: &Tables, src: &Source, s: &Profile, g: u32) {
        if self.group == Some(g) {
            return;
        }
        self.group = Some(g);
        let affinity = src.affinity();
        // 0 is the taxonomy signal of a group without verticals.
        distinct_desc(affinity.iter().copied().chain([0.0]), &mut self.affinities);
        self.vertical_rank.clear();
        self.vertical_rank
            .extend(affinity.iter().map(|&a| rank_in(&self.affinities, a)));
        let kind_row = &t.kind_prior[s.kind as usize];
        distinct_desc(kind_row.iter().copied(), &mut self.priors);
        self.rank_kinds.clear();
        self.rank_kinds.resize(self.priors.len(), 0);
        for (kind, (rank, &prior)) in self.kind_rank.iter_mut().zip(kind_row).enumerate() {
            *rank = rank_in(&self.priors, prior);
            self.rank_kinds[*rank as usize] |= 1 << kind;
        }
        let (w1, w6) = (f64::from(t.weights[1]), f64::from(t.weights[6]));
        let kinds = self.priors.len() as u32;
        // Each pair of ranks' taxonomy and kind signals and head, and the pairs best first.
        self.pair_signals.clear();
        for &x in &self.affinities {
            self.pair_signals
                .extend(self.priors.iter().map(|&k| (x, k)));
        }
        self.pair_head.clear();
        self.pair_head.extend(
            self.pair_signals
                .iter()
                .map(|&(x, k)| w1 * f64::from(x) + w6 * f64::from(k)),
        );
        self.pair_order.clear();
        self.pair_order.extend(0..self.pair_head.len() as u32);
        let pair_head = &self.pair_head;
        self.pair_order.sort_unstable_by(|&a, &b| {
            pair_head[b as usize]
                .total_cmp(&pair_head[a as usize])
                .then(a.cmp(&b))
        });

        // Each set of verticals' taxonomy rank (the best of its verticals), then the sets by
        // rank (a counting sort).
        let ranks = self.affinities.len();
        let worst = ranks as u32 - 1;
        self.set_rank.clear();
        self.set_rank.resize(index.sets, worst);
        let (set_rank, vertical_rank) = (&mut self.set_rank[..], &self.vertical_rank[..]);
        for &(set, x) in &index.set_verticals {
            let rank = &mut set_rank[set as usize];
            *rank = (*rank).min(vertical_rank[x as usize]);
        }
        self.rank_start.clear();
        self.rank_start.resize(ranks + 1, 0);
        let starts = &mut self.rank_start[..];
        for &rank in &self.set_rank {
            starts[rank as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        self.rank_sets.resize(index.sets, 0);
        let rank_sets = &mut self.rank_sets[..];
        for (set, &rank) in self.set_rank.iter().enumerate() {
            let next = &mut starts[rank as usize];
            rank_sets[*next as usize] = set as u32;
            *next += 1;
        }
        // Each start has moved to the next rank's: back by one rank.
        starts.copy_within(..ranks, 1);
        starts[0] = 0;

        // Each group's pair of ranks and head. Slices, not the fields, in the loop: a store
        // through a field could alias the others, which would then be read again at each step.
        let groups = index.group_set.len();
        self.group_pair.resize(groups, 0);
        self.head.resize(groups, 0.0);
        let (set_rank, kind_rank) = (&self.set_rank[..], &self.kind_rank);
        let pair_head = &self.pair_head[..];
        for (((pair, head), &set), &kind) in self
            .group_pair
            .iter_mut()
            .zip(&mut self.head)
            .zip(&index.group_set)
            .zip(&index.group_kind)
        {
            *pair = set_rank[set as usize] * kinds + kind_rank[kind as usize];
            *head = pair_head[*pair as usize];
        }
        // The best head of a group: that of the first pair with a group.
        let has_group = |&pair: &u32| {
            let (sets, kinds) = self.pair_sets_and_kinds(pair);
            kinds_of(kinds).any(|kind| {
                let row = index.groups_of_kind(kind);
                sets.iter().any(|&set| row[set as usize] != NO_GROUP)
            })
        };
        self.best_head = self
            .pair_order
            .iter()
            .find(|pair| has_group(pair))
            .map_or(f64::NEG_INFINITY, |&pair| self.pair_head[pair as usize]);
    }

    /// The groups of pair `pair` into `out`, by kind, then by set of verticals. Every kind and
    /// set of the pair is looked up and only groups are kept, with no branch per set (whether
    /// a set has a group of a kind is not predictable).
    fn groups_of_pair(&self, index: &Index, pair: u32, out: &mut Vec<u32>) {
        let (sets, kinds) = self.pair_sets_and_kinds(pair);
        let mut found = 0;
        for kind in kinds_of(kinds) {
            // Room for every set, and for the write one past the last group.
            out.resize(found + sets.len() + 1, NO_GROUP);
            let row = index.groups_of_kind(kind);
            for &set in sets {
                let g = row[set as usize];
                out[found] = g;
                found += usize::from(g != NO_GROUP);
            }
        }
        out.truncate(found);
    }

    /// The sets of verticals of pair `pair`'s taxonomy rank and the kinds of its kind rank
    /// (as a mask): its groups are those of these sets with these kinds.
    fn pair_sets_and_kinds(&self, pair: u32) -> (&[u32], u8) {
        let kinds = self.priors.len() as u32;
        let (rank, kind_rank) = ((pair / kinds) as usize, (pair % kinds) as usize);
        (
            &self.rank_sets[span(&self.rank_start, rank)],
            self.rank_kinds[kind_rank],
        )
    }

    /// The taxonomy and kind signals of group `g` against the source.
    fn signals(&self, g: usize) -> (f32, f32) {
        self.pair_signals[self.group_pair[g] as usize]
    }
}

/// One source's stage and geography signals against every stage code and country, and the
/// bounds of the signals not known until a class is reached.
#[derive(Debug, Default)]
struct Bounds {
    weights: [f64; 7],
    /// Against every stage code, and against every country.
    stage: SignalRow<(u8, u8)>,
    geography: SignalRow<([u8; 2], u8)>,
    best_communities: f64,
    /// Weighted bound of the needs signal of a member left to the tree walk (step 5).
    one_sided: f64,
    /// [`Search::one_sided`]'s bounds, by whether the member may offer one of the source's
    /// needs (rows of `most_needs + 1`) and by the fewest needs it may have, 0 when the source
    /// offers none of them.
    one_sided_by: Vec<f64>,
    /// The length of a row of `one_sided_by`.
    row: usize,
    /// Step 2's needs signal of a member with one topic in common each way, by its number of
    /// needs (0 where either side has no needs: never read).
    one_each: Vec<f32>,
    /// What the needs tables were last filled for (sources come in index order, so
    /// neighbours often share it): the source's number of needs and whether it offers
    /// anything.
    filled_needs: Option<(usize, bool)>,
}

/// One source's signal against every stage code (or country), the same weighted, and the best
/// of the weighted; kept while the sources' `key` (stage and focus, or country and region)
/// stays the same.
#[derive(Debug, Default)]
struct SignalRow<K> {
    key: Option<K>,
    signals: Vec<f32>,
    weighted: Vec<f64>,
    best: f64,
}

impl<K: PartialEq> SignalRow<K> {
    /// Refills the row with `values` and their products by `weight`, unless it holds `key`'s.
    fn fill(&mut self, key: K, weight: f64, values: impl Iterator<Item = f32>) {
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.key = Some(key);
        self.signals.clear();
        self.signals.extend(values);
        self.weighted.clear();
        self.weighted
            .extend(self.signals.iter().map(|&x| weight * f64::from(x)));
        self.best = max_of(&self.weighted);
    }
}

/// A bound of the needs signal of a member that is not two-sided (it covers the source's needs
/// or the source covers its needs, not both), at coverage bounds `forward` and `backward`:
/// `max(one_sided * max(f, b), combine(f, 0), combine(0, b))`. Every combine rule is monotone.
fn one_sided_needs(t: &Tables, forward: f32, backward: f32) -> f32 {
    (t.one_sided * forward.max(backward))
        .max(t.combine.apply(forward, 0.0))
        .max(t.combine.apply(0.0, backward))
}

fn max_of(values: &[f64]) -> f64 {
    values.iter().fold(0.0, |a, &b| a.max(b))
}

impl Bounds {
    /// The most anyone left to the tree walk can add to a group's head: the best stage,
    /// geography and communities, the walk's needs bound and the margin.
    fn beyond_head(&self) -> f64 {
        self.stage.best + self.geography.best + self.best_communities + self.one_sided + MARGIN
    }

    /// Fills the tables for source `s`, keeping those the previous source had the same inputs
    /// for (the tables of one engine's index: a [`Walk`] serves one engine).
    fn fill(&mut self, index: &Index, t: &Tables, s: &Profile) {
        let w = t.weights.map(f64::from);
        self.weights = w;
        let stage = (s.stage, s.focus);
        self.stage.fill(
            stage,
            w[2],
            index
                .stage_codes
                .iter()
                .map(|&code| score::stage_fit(t, stage, code)),
        );
        let country = (s.country, s.region);
        self.geography.fill(
            country,
            w[4],
            index
                .countries
                .iter()
                .map(|&c| score::geography_fit(t, country, c)),
        );
        // The overlap coefficient is at most 1, and 0 for a member without communities.
        self.best_communities = if s.cops.is_empty() { 0.0 } else { w[3] };
        if self.filled_needs == Some((s.needs.len(), s.offers.is_empty())) {
            return;
        }
        self.filled_needs = Some((s.needs.len(), s.offers.is_empty()));
        let own = s.needs.len();
        self.one_each.clear();
        self.one_each.extend(
            (0..=index.most_needs as usize)
                .map(|theirs| t.needs_of_counts(own, own.min(1), theirs, theirs.min(1))),
        );
        // A member left to the tree walk has at most one topic in common each way.
        let forward = score::share(1, s.needs.len());
        self.row = index.most_needs as usize + 1;
        self.one_sided_by.clear();
        for covers in [0.0, forward] {
            self.one_sided_by.extend((0..self.row).map(|fewest| {
                w[0] * f64::from(one_sided_needs(t, covers, score::share(1, fewest)))
            }));
        }
        // Anyone left to the walk may cover one need of `s` and have as few needs as the
        // fewest of anyone walked (none covered when `s` offers nothing).
        let fewest = if s.offers.is_empty() || index.fewest_needs == u32::MAX {
            0
        } else {
            index.fewest_needs as usize
        };
        self.one_sided = self.one_sided_by[self.row + fewest];
    }
}

/// One position's per-source state: the source whose search last scored or ruled it out
/// (by epoch), and its weighted Adamic-Adar sum with the current source (0 between sources).
/// The warmth signal is computed from the sum only for the members scored (or about to be):
/// bounds take [`score::warmth_signal_bound`], which needs no exponential.
#[derive(Clone, Copy, Debug, Default)]
struct Mark {
    seen: u32,
    aa: f32,
}

/// The pruned search's per-thread state, reused from member to member.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// `marks[pos].seen == epoch` when the member at `pos` was scored or ruled out for the
    /// current source.
    marks: Vec<Mark>,
    epoch: u32,
    /// The positions two hops from the source (the only ones with warmth), each once, and the
    /// same as a bitset (a million positions in 125 KB), so most list candidates are known to
    /// have no warmth without reading their mark.
    touched: Vec<u32>,
    touched_bits: Vec<u64>,
    group: SourceGroup,
    bounds: Bounds,
    buffers: Buffers,
}

/// The parts of a [`Walk`] that the search's steps use as scratch space (the rest is held by
/// [`Search`]).
#[derive(Debug, Default)]
struct Buffers {
    /// For each position (0 between sources): how many of the current source's lists of pairs
    /// within its needs and within its offers hold it (or, in the last part of step 3, how
    /// many of its few-needs lists do, in the first count); and the entries of the positions
    /// with a count.
    counts: Vec<[Count; 2]>,
    hits: Vec<PairEntry>,
    /// The two-sided positions found in step 2, as a bitset (empty between sources), and the
    /// ranges of the offer-need lists that step reads (see [`TopicLists::find_all`]).
    two_sided: Vec<u64>,
    offer_need_found: Vec<(u32, u32)>,
    /// The ranges of the other topic lists a step reads.
    found: Vec<(u32, u32)>,
    /// The positions a scan scores in full (see [`Search::scan`]).
    hot: Vec<u32>,
    /// The groups of a pair of ranks, in the tree walk (see [`Search::walk_tree`]).
    groups: Vec<u32>,
}

/// How many of a source's topic lists hold a position, saturating: one byte keeps the two
/// counts of a million positions in 2 MB of cache.
type Count = u8;

/// For each count of pairs `p` from 1 to below [`Count::MAX`], the fewest topics `a` with
/// `a (a - 1) / 2 >= p` (at least 2). A saturated count has no entry: it stands for any number.
static TOPICS_OF_PAIRS: [u8; Count::MAX as usize] = {
    let mut table = [0; Count::MAX as usize];
    let mut p = 1;
    while p < Count::MAX as usize {
        let mut a = 2;
        while a * (a - 1) / 2 < p {
            a += 1;
        }
        table[p] = a as u8;
        p += 1;
    }
    table
};

/// Whether position `pos` is set in the bitset `bits` (bit `pos % 64` of word `pos / 64`).
#[inline]
fn is_set(bits: &[u64], pos: usize) -> bool {
    bits[pos / 64] & (1 << (pos % 64)) != 0
}

/// The most a saturating `count` can stand for (any number once saturated).
fn at_most(count: Count) -> usize {
    if count == Count::MAX {
        usize::MAX
    } else {
        usize::from(count)
    }
}

impl Walk {
    fn next_epoch(&mut self, n: usize) {
        if self.marks.len() != n || self.epoch == u32::MAX {
            self.marks.clear();
            self.marks.resize(n, Mark::default());
            self.buffers.counts.clear();
            self.buffers.counts.resize(n, [0; 2]);
            self.buffers.two_sided.clear();
            self.buffers.two_sided.resize(n.div_ceil(64), 0);
            self.touched_bits.clear();
            self.touched_bits.resize(n.div_ceil(64), 0);
            self.epoch = 0;
        }
        self.epoch += 1;
    }

    /// Puts the weighted Adamic-Adar sum of source `s` with every open member two hops away
    /// into `marks`, added in the order of [`Engine::adamic_adar`] (so the same bits, and the
    /// same warmth signal).
    fn warmth(&mut self, engine: &Engine, index: &Index, s: usize) {
        // The marks, and each contact's inverse log degree, are read once before they are
        // added to, in a loop without branches, so that their cache misses overlap.
        let mut any = 0;
        for &(z, _) in engine.contacts(s) {
            any ^= engine.inv_log_degree(z as usize).to_bits();
            for &(pos, _) in &index.contacts[span(&index.contact_start, z as usize)] {
                any ^= self.marks[pos as usize].aa.to_bits();
            }
        }
        std::hint::black_box(any);
        for &(z, w_sz) in engine.contacts(s) {
            let z = z as usize;
            let ild = engine.inv_log_degree(z);
            for &(pos, w_zt) in &index.contacts[span(&index.contact_start, z)] {
                let bits = &mut self.touched_bits[pos as usize / 64];
                if *bits & (1 << (pos % 64)) == 0 {
                    self.touched.push(pos);
                    *bits |= 1 << (pos % 64);
                }
                self.marks[pos as usize].aa += w_sz * w_zt * ild;
            }
        }
    }

    /// Clears what [`Walk::warmth`] added.
    fn reset_warmth(&mut self) {
        for &pos in &self.touched {
            self.marks[pos as usize].aa = 0.0;
            self.touched_bits[pos as usize / 64] = 0;
        }
        self.touched.clear();
    }
}

/// One source member's search: what it reads, and the heap it fills.
struct Search<'a> {
    engine: &'a Engine,
    index: &'a Index,
    t: &'a Tables,
    src: &'a Source,
    s: usize,
    ps: &'a Profile,
    query: &'a Query,
    filtered: bool,
    floor: f64,
    group: &'a SourceGroup,
    bounds: &'a Bounds,
    marks: &'a mut [Mark],
    /// The two-hop reach as a bitset: a position not in it has no warmth.
    touched_bits: &'a [u64],
    epoch: u32,
    pairs: u64,
    top: TopK,
    /// The score a candidate must reach: the heap's worst once full, and the query's minimum;
    /// kept up to date by [`Search::update_threshold`] whenever the heap is offered a candidate.
    threshold: f64,
    /// The source's needed and offered topics folded.
    needs_sig: u128,
    offers_sig: u128,
    /// The source's communities of practice, folded into 64 and 32 bits.
    cops_sig: u64,
    cops_fold: u32,
    /// A bound of the weighted warmth of the warmest member of the two-hop reach, so of
    /// anyone's (from [`score::warmth_signal_bound`] of the largest Adamic-Adar sum).
    best_warmth: f64,
}

/// A source's bounds of a member's background by its place in the tree (group, stage code,
/// country, folded communities), and what the loops over the topic lists add to them: see
/// [`Search::placing`].
struct Placing<'a> {
    /// Each group's head ([`SourceGroup`]), and the weighted stage and geography signals of
    /// each stage code and country ([`Bounds`]).
    head: &'a [f64],
    stage: &'a [f64],
    geography: &'a [f64],
    /// The source's communities folded into 32 bits, and the best weighted communities signal.
    cops_fold: u32,
    best_communities: f64,
    /// The needs signal's weight, and the bound of anyone's weighted warmth.
    weights_needs: f64,
    best_warmth: f64,
    /// The two-hop reach as a bitset: a position outside it has no warmth.
    touched: &'a [u64],
}

impl Placing<'_> {
    /// The bound of the weighted warmth of the member at `pos`: the best warmth inside the
    /// two-hop reach, none outside it (known from the bitset, without a branch).
    #[inline]
    fn warmth_at(&self, pos: usize) -> f64 {
        if is_set(self.touched, pos) {
            self.best_warmth
        } else {
            0.0
        }
    }

    /// The bound of the background of a list entry's member from its group, stage, country and
    /// folded communities, margin included.
    #[inline]
    fn placed(&self, entry: &PairEntry) -> f64 {
        self.placed_at(entry.group, entry.stage, entry.country, entry.cops_fold)
    }

    /// The bound of the background of a member in `group`, at stage code `stage`, in
    /// `country`, with communities folded into `cops_fold`, margin included: its communities
    /// signal bounded by the best there is where the folds meet.
    #[inline]
    fn placed_at(&self, group: u32, stage: u16, country: u16, cops_fold: u32) -> f64 {
        let communities = if cops_fold & self.cops_fold == 0 {
            0.0
        } else {
            self.best_communities
        };
        self.head[group as usize]
            + self.stage[stage as usize]
            + self.geography[country as usize]
            + communities
            + MARGIN
    }
}

impl<'a> Search<'a> {
    /// Recomputes [`Search::threshold`] from the heap, after it may have changed.
    fn update_threshold(&mut self) {
        self.threshold = f64::from(self.top.threshold()).max(self.floor);
    }

    fn seen(&self, pos: usize) -> bool {
        self.marks[pos].seen == self.epoch
    }

    /// The signals against the source of a member in `slot`'s group, stage, country and
    /// communities (needs and warmth left at 0), and the weighted bound of its background
    /// (everything but needs and warmth), margin included. Every member of a class gets the
    /// same.
    fn background(&self, slot: &Slot) -> ([f32; 7], f64) {
        let g = slot.group as usize;
        let (stage, country) = (slot.stage as usize, slot.country as usize);
        let communities = self.communities_with(slot);
        let b = self.bounds;
        let background = self.group.head[g]
            + b.stage.weighted[stage]
            + b.weights[3] * f64::from(communities)
            + b.geography.weighted[country]
            + MARGIN;
        (self.signals(slot, communities), background)
    }

    /// The signals against the source of a member in `slot`'s group, stage and country, with
    /// the communities signal `communities` (needs and warmth left at 0).
    fn signals(&self, slot: &Slot, communities: f32) -> [f32; 7] {
        let (taxonomy, kind) = self.group.signals(slot.group as usize);
        [
            0.0,
            taxonomy,
            self.bounds.stage.signals[slot.stage as usize],
            communities,
            self.bounds.geography.signals[slot.country as usize],
            0.0,
            kind,
        ]
    }

    /// The communities signal against the source of a member in `slot`'s communities.
    fn communities_with(&self, slot: &Slot) -> f32 {
        // Disjoint folds: no community in common, so the signal is 0 without reading the list.
        if slot.cops_fold & self.cops_fold == 0 {
            0.0
        } else {
            self.src
                .communities(self.ps.cops.len(), self.index.topics(slot.cops, slot.end))
        }
    }

    /// Scores the member at `pos` (in `slot`, not yet seen) from its class's `signals` and its
    /// warmth signal `warmth`, and offers it to the heap if it passes the query's filters and
    /// minimum score.
    fn score(&mut self, pos: usize, slot: &Slot, signals: [f32; 7], warmth: f32) {
        self.marks[pos].seen = self.epoch;
        self.score_unmarked(slot, signals, warmth);
    }

    /// [`Search::score`] without marking the member seen; whether the member passed the
    /// query's filters and reached its minimum score.
    fn score_unmarked(&mut self, slot: &Slot, mut signals: [f32; 7], warmth: f32) -> bool {
        let t = slot.member as usize;
        if self.filtered && !self.engine.passes(t, self.query) {
            return false;
        }
        self.pairs += 1;
        let (forward, backward) = self.src.needs_counts(
            self.index.topics(slot.offers, slot.needs),
            self.index.topics(slot.needs, slot.cops),
        );
        signals[0] = self.t.needs_of_counts(
            self.ps.needs.len(),
            forward,
            slot.needs_len() as usize,
            backward,
        );
        signals[5] = warmth;
        let score = score::total_of(self.t, signals);
        let reached = score >= self.query.min_score;
        if reached {
            self.top.offer(self.engine, self.s, t, score);
            self.update_threshold();
        }
        reached
    }

    /// The weighted bound of the needs signal of a member found by neither step 2 nor step 3,
    /// among members with topic signatures within `sigs` and at least `fewest` needs
    /// (`u32::MAX` when none has any).
    ///
    /// Such a member has at most one topic in common each way, and not both ways; disjoint
    /// signatures prove it has none. [`one_sided_needs`] at those coverages is the bound.
    /// The bound is read from a table filled once per source (fewest needs are at most the
    /// index's most needs, or `u32::MAX`).
    fn one_sided(&self, [offers, needs]: [u128; 2], fewest: u32) -> f64 {
        let covers = usize::from(offers & self.needs_sig != 0);
        let covered = if fewest == u32::MAX || needs & self.offers_sig == 0 {
            0
        } else {
            fewest as usize
        };
        self.bounds.one_sided_by[covers * self.bounds.row + covered]
    }

    /// The weighted bound of the communities signal of a member of a node: 0 when no
    /// community of the node's members folds onto one of the source's.
    fn communities(&self, summary: &Summary) -> f64 {
        if summary.cops & self.cops_sig == 0 {
            0.0
        } else {
            self.bounds.best_communities
        }
    }

    /// Step 4: the two-hop reach, with its warmth.
    ///
    /// Runs after steps 2 and 3, so a member it reaches that is not seen yet was either ruled
    /// out there (with its warmth) or has the needs of a member left to the tree walk. Each is
    /// marked seen, scored or not, so the walk does not look at it again. Its slot is read
    /// only if it could reach the threshold with the best background anyone has with `s`, and
    /// its communities only if it could with the bound of its background from its slot.
    fn warm(&mut self, touched: &[u32]) {
        let most = self.group.best_head + self.bounds.beyond_head();
        let placing = self.placing();
        for &pos in touched {
            let pos = pos as usize;
            if self.seen(pos) {
                continue;
            }
            self.marks[pos].seen = self.epoch;
            let aa = self.marks[pos].aa;
            let warmth = self.warmth_bound(aa);
            if most + warmth < self.threshold {
                continue;
            }
            let slot = self.index.slots[pos];
            // First bounded from its slot alone, before its communities are read.
            let placed = placing.placed_at(slot.group, slot.stage, slot.country, slot.cops_fold);
            if placed + self.bounds.one_sided + warmth < self.threshold {
                continue;
            }
            let (signals, background) = self.background(&slot);
            let signal = score::warmth_signal(aa);
            if background + self.bounds.one_sided + self.warmth(signal) >= self.threshold {
                self.score(pos, &slot, signals, signal);
            }
        }
    }

    /// Every candidate scored, in index order (no bound is checked); how many passed the
    /// query's filters and reached its minimum score.
    ///
    /// A member with no topic and no community in common with the source (disjoint folded
    /// signatures) and no warmth has the needs signal `needs(0, 0)` and the warmth and
    /// communities signals 0: its score is [`score::total_of`] of its group's, stage's and
    /// country's signals, with no needs signal to compute. The others (`hot`) are scored in
    /// full afterwards; the order in which candidates are offered does not change the top k.
    // `&` between the conditions on purpose: no branch per member.
    #[allow(clippy::needless_bitwise_bool)]
    fn scan(&mut self, hot: &mut Vec<u32>) -> usize {
        let index = self.index;
        let none = self.t.needs(0.0, 0.0);
        let min = self.query.min_score;
        let mut bar = self.top.threshold().max(min);
        // Every position is written, and those to score in full are kept (no branch).
        hot.resize(index.slots.len(), 0);
        let (mut hot_len, mut reached) = (0, 0);
        for (pos, ((slot, &[offers, needed]), mark)) in index
            .slots
            .iter()
            .zip(&index.sigs)
            .zip(self.marks.iter())
            .enumerate()
        {
            let plain = ((offers & self.needs_sig) | (needed & self.offers_sig) == 0)
                & (slot.cops_fold & self.cops_fold == 0)
                & (mark.aa == 0.0)
                & (mark.seen != self.epoch);
            hot[hot_len] = pos as u32;
            hot_len += usize::from(!plain);
            let mut signals = self.signals(slot, 0.0);
            signals[0] = none;
            let score = score::total_of(self.t, signals);
            if self.filtered {
                if !plain || score < min || !self.engine.passes(slot.member as usize, self.query) {
                    continue;
                }
                reached += 1;
            } else {
                reached += usize::from(plain & (score >= min));
            }
            if plain & (score >= bar) {
                self.top
                    .offer(self.engine, self.s, slot.member as usize, score);
                bar = self.top.threshold().max(min);
            }
        }
        for &pos in &hot[..hot_len] {
            let pos = pos as usize;
            let mark = self.marks[pos];
            if mark.seen != self.epoch {
                let slot = &index.slots[pos];
                let signals = self.signals(slot, self.communities_with(slot));
                let warmth = score::warmth_signal(mark.aa);
                reached += usize::from(self.score_unmarked(slot, signals, warmth));
            }
        }
        reached
    }

    /// Step 5: the groups best head first (pair by pair), then stage blocks, country blocks
    /// and classes.
    ///
    /// `groups` is scratch space for the groups of a pair.
    fn walk_tree(&mut self, groups: &mut Vec<u32>) {
        let index = self.index;
        let b = self.bounds;
        let rest = b.beyond_head();
        let open = b.geography.best + b.best_communities + b.one_sided + MARGIN;
        let group = self.group;
        for &pair in &group.pair_order {
            let head = group.pair_head[pair as usize];
            if head + rest < self.threshold {
                // Pairs come best head first: no later group can do better.
                return;
            }
            group.groups_of_pair(index, pair, groups);
            for &g in groups.iter() {
                if head + rest < self.threshold {
                    return;
                }
                self.walk_group(g as usize, head, open);
            }
        }
    }

    /// Bounds group `g`, whose head is `head`, then its stage blocks, country blocks, classes
    /// and members; scores the members that can reach the threshold. `open` is the most that
    /// a stage block's geography, communities and needs can add.
    fn walk_group(&mut self, g: usize, head: f64, open: f64) {
        let index = self.index;
        let b = self.bounds;
        // What the group's members have between them: a group none of whose members shares
        // a topic or a community with `s` is left without looking at its blocks.
        let summary = &index.group_summaries[g];
        let placed = head + b.stage.best + b.geography.best + self.communities(summary);
        if placed + self.one_sided(summary.sigs, summary.fewest_needs) + MARGIN < self.threshold {
            return;
        }
        for block in span(&index.group_start, g) {
            let staged = head + b.stage.weighted[index.stage_block_stage[block] as usize];
            // The stage alone first: it needs no look at the block's summary.
            if staged + open < self.threshold {
                continue;
            }
            let summary = &index.stage_block_summaries[block];
            let needs = self.one_sided(summary.sigs, summary.fewest_needs);
            let far = staged + self.communities(summary) + needs + MARGIN;
            if far + b.geography.best < self.threshold {
                continue;
            }
            let blocks = span(&index.stage_block_start, block);
            if far >= self.threshold {
                for country_block in blocks {
                    self.country_block(staged, country_block);
                }
            } else {
                // Only the source's own country and region can reach the threshold: their
                // blocks are bounded, the others passed over on their country alone.
                for country_block in blocks {
                    let country = index.country_block_country[country_block];
                    if b.geography.signals[country as usize] > 0.0 {
                        self.country_block(staged, country_block);
                    }
                }
            }
        }
    }

    /// Bounds a country block of a stage block whose background so far is `staged`, then its
    /// classes and members; scores the members that can reach the threshold.
    fn country_block(&mut self, staged: f64, country_block: usize) {
        let index = self.index;
        let b = self.bounds;
        let summary = &index.country_block_summaries[country_block];
        let placed = staged
            + b.geography.weighted[index.country_block_country[country_block] as usize]
            + self.communities(summary)
            + MARGIN;
        if placed + b.one_sided < self.threshold
            || placed + self.one_sided(summary.sigs, summary.fewest_needs) < self.threshold
        {
            return;
        }
        for c in span(&index.country_block_start, country_block) {
            let summary = &index.class_summaries[c];
            let members = span(&index.class_start, c);
            let (signals, background) = self.background(&index.slots[members.start]);
            if background + b.one_sided < self.threshold
                || background + self.one_sided(summary.sigs, summary.fewest_needs) < self.threshold
            {
                continue;
            }
            for pos in members {
                if self.seen(pos) {
                    continue;
                }
                let slot = index.slots[pos];
                // Below the threshold on its background alone, a member needs enough topics in
                // common with `s`.
                if background < self.threshold {
                    let bound = self.one_sided(index.sigs[pos], walked_needs(slot.needs_len()));
                    if background + bound < self.threshold {
                        continue;
                    }
                }
                self.score(pos, &slot, signals, 0.0);
            }
        }
    }

    /// Step 2: members offering something `s` needs and needing something `s` offers, from the
    /// offer-need lists (their ranges into `found`). Each entry sets its member in
    /// `two_sided` and is bounded as if the member had exactly one topic in common each way,
    /// its needs signal known from its number of needs. That is its needs signal unless it has
    /// two or more in common one way: then the bound may be too low, and the member is left to
    /// step 3 unless it is scored here (with its own needs signal; only a member scored is
    /// marked seen).
    fn two_sided(&mut self, two_sided: &mut [u64], found: &mut Vec<(u32, u32)>) {
        let ps = self.ps;
        let lists = &self.index.offer_need;
        lists.find_all(pairs_across(&ps.needs, &ps.offers), found);
        let one_each = &self.bounds.one_each;
        let placing = self.placing();
        for list in found.iter().map(|&range| lists.list(range)) {
            for entry in list {
                let pos = entry.pos as usize;
                two_sided[pos / 64] |= 1 << (pos % 64);
                self.consider(&placing, entry, one_each[entry.needs as usize]);
            }
        }
    }

    /// Clears the bitset that [`Search::two_sided`] set from the offer-need lists at `found`:
    /// all of it when it has fewer words than those lists have entries, else the word of each
    /// entry.
    fn clear_two_sided(&self, two_sided: &mut [u64], found: &[(u32, u32)]) {
        let lists = &self.index.offer_need;
        let entries: usize = found.iter().map(|&(from, to)| (to - from) as usize).sum();
        if entries > two_sided.len() {
            two_sided.fill(0);
            return;
        }
        for list in found.iter().map(|&range| lists.list(range)) {
            for entry in list {
                two_sided[entry.pos as usize / 64] = 0;
            }
        }
    }

    /// Step 3: members with two or more topics in common one way, counted, then bounded with
    /// their own needs signal. A member offering `a` of `s`'s needs is in `a (a - 1) / 2` of the
    /// lists of pairs of `s`'s needs, so the count gives `a` (and the same for `b`, of `s`'s
    /// offers it needs, from the lists of pairs of `s`'s offers); a side without a count has
    /// one topic in common if the member is two-sided (`two_sided`, from step 2), else none.
    /// An entry is not counted when its member cannot reach the threshold with the highest
    /// needs signal a member like it can have (any, if two-sided; the highest one-sided signal,
    /// if not). Clears the counts of the members counted.
    fn doubly_covered(
        &mut self,
        hits: &mut Vec<PairEntry>,
        counts: &mut [[Count; 2]],
        two_sided: &[u64],
        found: &mut Vec<(u32, u32)>,
    ) {
        let ps = self.ps;
        let index = self.index;
        let t = self.t;
        hits.clear();
        // The highest needs signal of a two-sided member, and of one that is not.
        let most = [t.needs(1.0, 1.0), one_sided_needs(t, 1.0, 1.0)];
        for (side, lists, own) in [
            (0, &index.offer_offer, &ps.needs),
            (1, &index.need_need, &ps.offers),
        ] {
            lists.find_all(pairs_within(own), found);
            self.count_entries(
                found.iter().map(|&range| lists.list(range)),
                |pos| {
                    if is_set(two_sided, pos) {
                        most[0]
                    } else {
                        most[1]
                    }
                },
                most[1],
                hits,
                counts,
                side,
            );
        }
        let (own_needs, own_offers) = (ps.needs.len(), ps.offers.len());
        // The topics in common on one side: from the pairs counted (the smallest `a` with
        // `a (a - 1) / 2 >= pairs`, equal unless saturated, at most `own`, which it is once
        // saturated), else one if two-sided, else none.
        let common = |pairs: Count, two_sided: bool, own: usize| match pairs {
            0 => usize::from(two_sided),
            Count::MAX => own,
            _ => usize::from(TOPICS_OF_PAIRS[usize::from(pairs)]).min(own),
        };
        let placing = self.placing();
        for entry in hits.iter() {
            let pos = entry.pos as usize;
            let [needs_pairs, offers_pairs] = std::mem::take(&mut counts[pos]);
            let both = is_set(two_sided, pos);
            let theirs = entry.needs as usize;
            let a = common(needs_pairs, both, own_needs);
            // Saturated, `b` stands for all of the source's offers: the member needs at most
            // `theirs` of them.
            let b = common(offers_pairs, both, own_offers).min(theirs);
            self.consider(&placing, entry, t.needs_of_counts(own_needs, a, theirs, b));
        }
    }

    /// The end of step 3: members with fewer than [`FEW_NEEDS`] needs that `s` covers, by each
    /// of them `s` covers: the count is `b`. Those that are two-sided were bounded before; the
    /// others have `a = 0`.
    fn few_needs(
        &mut self,
        hits: &mut Vec<PairEntry>,
        counts: &mut [[Count; 2]],
        found: &mut Vec<(u32, u32)>,
    ) {
        let lists = &self.index.few_needs;
        hits.clear();
        lists.find_all(self.ps.offers.iter().map(|&y| key(0, y)), found);
        let most = one_sided_needs(self.t, 0.0, 1.0);
        self.count_entries(
            found.iter().map(|&range| lists.list(range)),
            |_| most,
            most,
            hits,
            counts,
            0,
        );
        let placing = self.placing();
        for entry in hits.iter() {
            let common = at_most(std::mem::take(&mut counts[entry.pos as usize])[0]);
            // Saturated, `common` stands for all of the source's offers: the member needs at
            // most its own number of them.
            let theirs = entry.needs as usize;
            let needs = one_sided_needs(self.t, 0.0, score::share(common.min(theirs), theirs));
            self.consider(&placing, entry, needs);
        }
    }

    /// Scores the member of a pair-list `entry` unless it was seen or its background plus the
    /// bound `needs` of its needs signal is below the threshold. The entry's group, stage and
    /// country (with the best communities, and the best warmth if the member is in the two-hop
    /// reach) are checked first: they read nothing else of the member's.
    ///
    /// `placing` is [`Search::placing`], taken once per loop over the lists.
    #[inline]
    fn consider(&mut self, placing: &Placing<'_>, entry: &PairEntry, needs: f32) {
        let placed = placing.placed(entry) + placing.weights_needs * f64::from(needs);
        // Most entries stop here, so this part is inlined into the loops over the lists.
        if placed + placing.warmth_at(entry.pos as usize) >= self.threshold {
            self.consider_placed(entry, needs, placed);
        }
    }

    /// The rest of [`Search::consider`], for an entry whose bound `placed` (background from
    /// the entry, plus needs) reaches the threshold, with the best warmth if the member is in
    /// the two-hop reach.
    #[inline(never)]
    fn consider_placed(&mut self, entry: &PairEntry, needs: f32, placed: f64) {
        let b = self.bounds;
        let threshold = self.threshold;
        let pos = entry.pos as usize;
        let Mark { seen, aa } = self.marks[pos];
        if seen == self.epoch || placed + self.warmth_bound(aa) < threshold {
            return;
        }
        let slot = self.index.slots[pos];
        let (signals, background) = self.background(&slot);
        let signal = score::warmth_signal(aa);
        if background + b.weights[0] * f64::from(needs) + self.warmth(signal) < threshold {
            return;
        }
        self.score(pos, &slot, signals, signal);
    }

    /// What bounds a member's background from its place in the tree, for the loops over the
    /// lists: read out of the search once, so that the loops keep it in registers instead of
    /// reading it again through `self` after every call that may score.
    fn placing(&self) -> Placing<'a> {
        let (group, b) = (self.group, self.bounds);
        Placing {
            head: &group.head,
            stage: &b.stage.weighted,
            geography: &b.geography.weighted,
            cops_fold: self.cops_fold,
            best_communities: b.best_communities,
            weights_needs: b.weights[0],
            best_warmth: self.best_warmth,
            touched: self.touched_bits,
        }
    }

    /// Counts how many of `lists` hold each position into side `side` of `counts`
    /// (saturating), and puts each position counted on neither side before once into `hits`,
    /// in order of first appearance. Entries whose member cannot reach the threshold even with
    /// the needs signal `most_of(position)` and the best warmth (none outside the two-hop
    /// reach) are left out: all of a member's entries alike, since the bound is the member's
    /// and nothing is scored while counting. `least` is the least `most_of` returns.
    fn count_entries<'e>(
        &self,
        lists: impl Iterator<Item = &'e [PairEntry]>,
        most_of: impl Fn(usize) -> f32,
        least: f32,
        hits: &mut Vec<PairEntry>,
        counts: &mut [[Count; 2]],
        side: usize,
    ) {
        let w0 = self.bounds.weights[0];
        let threshold = self.threshold;
        let mut count = |entry: &PairEntry| {
            let count = &mut counts[entry.pos as usize];
            if *count == [0; 2] {
                hits.push(*entry);
            }
            count[side] = count[side].saturating_add(1);
        };
        // Every background is at least 0, so a threshold of at most the weighted `least` cuts
        // nothing (before the source's heap fills): count without bounding.
        if w0 * f64::from(least) >= threshold {
            lists.flatten().for_each(count);
            return;
        }
        let placing = self.placing();
        for list in lists {
            for entry in list {
                let pos = entry.pos as usize;
                let rest = w0 * f64::from(most_of(pos)) + placing.warmth_at(pos);
                if placing.placed(entry) + rest >= threshold {
                    count(entry);
                }
            }
        }
    }

    /// The weighted warmth signal `signal`.
    fn warmth(&self, signal: f32) -> f64 {
        self.bounds.weights[5] * f64::from(signal)
    }

    /// A bound of the weighted warmth signal of a member whose Adamic-Adar sum with the source
    /// is `aa`, without the exponential (within the rounding that [`MARGIN`] covers).
    fn warmth_bound(&self, aa: f32) -> f64 {
        self.bounds.weights[5] * score::warmth_signal_bound(aa)
    }
}

impl Engine {
    /// The exact top `query.k` of member `s` by the pruned search of the module docs; `s` must
    /// be open to introductions.
    ///
    /// # Complexity
    ///
    /// O(g + v) once per group of sources, g groups and v sets of verticals (amortised when
    /// sources come in index order), then for each source O(w + l + u + b + m + a): w members
    /// within two hops, l topic-list entries, u groups visited and sets of verticals looked at
    /// for them, b blocks and classes bounded, m members of reachable classes checked by
    /// signature and a the most needs of an open member (the one-sided needs table); only the
    /// members that can reach the threshold are scored.
    pub(crate) fn rank_member_pruned(
        &self,
        s: usize,
        query: &Query,
        scratch: &mut Scratch,
    ) -> Vec<Scored> {
        if query.k == 0 {
            return Vec::new();
        }
        self.search(s, query, scratch, |search, touched, buffers| {
            // 1. The two-hop reach carries all the warmth: its best bounds everyone's (the
            //    bound is increasing in the sum).
            let warmest = touched
                .iter()
                .map(|&pos| search.marks[pos as usize].aa)
                .fold(0.0f32, f32::max);
            search.best_warmth = search.warmth_bound(warmest);
            // 2. Two-sided members, bounded as if they had one topic in common each way.
            let b = buffers;
            search.two_sided(&mut b.two_sided, &mut b.offer_need_found);
            // 3. Members with two or more topics in common one way, counted, with their own
            //    needs; then members with few needs that `s` covers.
            search.doubly_covered(&mut b.hits, &mut b.counts, &b.two_sided, &mut b.found);
            search.clear_two_sided(&mut b.two_sided, &b.offer_need_found);
            search.few_needs(&mut b.hits, &mut b.counts, &mut b.found);
            // 4. The rest of the two-hop reach.
            search.warm(touched);
            // 5. Everyone else: groups, blocks, classes and members by background and
            //    one-sided needs.
            search.walk_tree(&mut b.groups);
            self.count_pruned_pairs(search.pairs);
        })
        .map_or_else(Vec::new, |(top, ())| top)
    }

    /// Member `s`'s first `query.k` candidates reaching `query.min_score`, best first, and how
    /// many reach it, by scoring every candidate in index order (see [`Method::Scan`]); empty
    /// when `s` is not open to introductions.
    ///
    /// # Complexity
    ///
    /// O(g + v) once per group of sources (as for the pruned search), then O(w + n + h · c) per
    /// source: w members within two hops, n open members, h of them sharing a topic, a
    /// community or a contact with `s`, and c the cost of scoring one of those in full (their
    /// needs, offers and communities).
    ///
    /// [`Method::Scan`]: crate::Method::Scan
    pub(crate) fn rank_member_scan(
        &self,
        s: usize,
        query: &Query,
        scratch: &mut Scratch,
    ) -> (Vec<Scored>, usize) {
        self.search(s, query, scratch, |search, _, buffers| {
            search.scan(&mut buffers.hot)
        })
        .unwrap_or_default()
    }

    /// Prepares a [`Search`] of source `s` (its tables, warmth and exclusions), runs `body` on
    /// it with the two-hop reach (positions) and the steps' scratch [`Buffers`], and returns
    /// its top k and what `body` returned; `None` when `s` is not open to introductions.
    fn search<R>(
        &self,
        s: usize,
        query: &Query,
        scratch: &mut Scratch,
        body: impl FnOnce(&mut Search<'_>, &[u32], &mut Buffers) -> R,
    ) -> Option<(Vec<Scored>, R)> {
        let index = self.index();
        let pos_s = index.position(s)?;
        self.fill_source(s, &mut scratch.source);
        let ps = &self.profiles[s];
        let (needs_sig, offers_sig) = (signature(&ps.needs), signature(&ps.offers));
        let walk = &mut scratch.walk;
        walk.next_epoch(index.slots.len());
        walk.warmth(self, index, s);
        walk.group.fill(
            index,
            &self.tables,
            &scratch.source,
            ps,
            index.slots[pos_s].group,
        );
        walk.bounds.fill(index, &self.tables, ps);
        let Walk {
            marks,
            epoch,
            touched,
            touched_bits,
            group,
            bounds,
            buffers,
        } = walk;
        let mut search = Search {
            engine: self,
            index,
            t: &self.tables,
            src: &scratch.source,
            s,
            ps,
            query,
            filtered: query.is_filtered(),
            floor: f64::from(query.min_score),
            group,
            bounds,
            marks,
            touched_bits,
            epoch: *epoch,
            pairs: 0,
            top: TopK::new(query.k),
            threshold: f64::NEG_INFINITY,
            needs_sig,
            offers_sig,
            cops_sig: cop_signature(&ps.cops),
            cops_fold: fold_cops(cop_signature(&ps.cops)),
            best_warmth: 0.0,
        };
        search.update_threshold();
        // The source itself and its exclusions are never candidates.
        search.marks[pos_s].seen = search.epoch;
        for &pos in &index.exclusions[span(&index.exclusion_start, s)] {
            search.marks[pos as usize].seen = search.epoch;
        }
        let out = body(&mut search, touched, buffers);
        let top = search.top;
        walk.reset_warmth();
        Some((top.into_sorted(), out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A member in `a (a - 1) / 2` lists of pairs has `a` topics in common: the table gives
    /// back every `a` whose count is not saturated.
    #[test]
    fn topics_of_pairs_inverts_the_count_of_pairs() {
        for a in 2usize.. {
            let pairs = a * (a - 1) / 2;
            if pairs >= usize::from(Count::MAX) {
                break;
            }
            assert_eq!(usize::from(TOPICS_OF_PAIRS[pairs]), a, "{pairs} pairs");
        }
        // Any other count (a saturated count aside) is rounded up to the next such `a`.
        for (p, &a) in TOPICS_OF_PAIRS.iter().enumerate().skip(1) {
            let a = usize::from(a);
            assert!(
                a >= 2 && a * (a - 1) / 2 >= p && (a - 1) * (a - 2) / 2 < p,
                "{p}"
            );
        }
    }

    proptest! {
        // No regression file: it would be a folder of its own at the crate's top level. A
        // failure prints its shrunk case.
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// The tree's order from ranked sets is the order of the members' fields compared as
        /// they are (lists of verticals and communities as sorted lists), with each member's
        /// set of verticals numbered by its place among the distinct sets.
        #[test]
        fn tree_order_sorts_as_the_fields_compare(
            members in proptest::collection::vec(
                // Few values each, so that members often share a place or part of one.
                (
                    0u8..3,
                    proptest::collection::btree_set(0u16..3, 0..3),
                    prop_oneof![Just(score::NONE), 0u8..2],
                    0u8..2,
                    (b'A'..b'C', b'A'..b'C'),
                    proptest::collection::btree_set(0u32..4, 0..3),
                    any::<bool>(),
                ),
                0..40,
            ),
        ) {
            let profiles: Vec<Profile> = members
                .iter()
                .map(|(kind, verticals, stage, focus, (c0, c1), cops, _)| Profile {
                    kind: *kind,
                    country: [*c0, *c1],
                    region: 0,
                    stage: *stage,
                    focus: *focus,
                    verticals: verticals.iter().copied().collect(),
                    offers: Box::new([]),
                    needs: Box::new([]),
                    cops: cops.iter().copied().collect(),
                })
                .collect();
            let open: Vec<u32> = (0..members.len() as u32)
                .filter(|&m| members[m as usize].6)
                .collect();
            let (order, sets) = tree_order(&profiles, &open);

            let mut expected = open.clone();
            expected.sort_by_key(|&m| {
                let p = &profiles[m as usize];
                (p.kind, &p.verticals, p.stage, p.focus, p.country, &p.cops, m)
            });
            let mut distinct: Vec<&[u16]> =
                open.iter().map(|&m| &profiles[m as usize].verticals[..]).collect();
            distinct.sort_unstable();
            distinct.dedup();
            prop_assert_eq!(&sets, &distinct);
            let got: Vec<u32> = order.iter().map(|&(m, _)| m).collect();
            prop_assert_eq!(got, expected);
            for &(m, place) in &order {
                prop_assert_eq!(sets[place.set() as usize], &profiles[m as usize].verticals[..]);
            }
            // Equal keys are equal places in the tree, and only they.
            let fields = |m: u32| {
                let p = &profiles[m as usize];
                (p.kind, p.verticals.clone(), p.stage, p.focus, p.country, p.cops.clone())
            };
            for pair in order.windows(2) {
                let ((a, key_a), (b, key_b)) = (pair[0], pair[1]);
                prop_assert_eq!(key_a == key_b, fields(a) == fields(b));
                prop_assert_eq!(key_a.group() == key_b.group(), fields(a).0 == fields(b).0 && fields(a).1 == fields(b).1);
            }
        }

        /// The counting sort into a dense table and the sort with a hash map build the same
        /// lists: for every key, exactly the items that have it, in order.
        #[test]
        fn dense_and_hashed_lists_agree(
            topics in 1u32..24,
            raw in proptest::collection::vec(
                proptest::collection::btree_set((0u32..24, 0u32..24), 0..6),
                0..60,
            ),
        ) {
            let item_keys: Vec<Vec<u64>> = raw
                .iter()
                .map(|pairs| {
                    let mut keys: Vec<u64> =
                        pairs.iter().map(|&(x, y)| key(x % topics, y % topics)).collect();
                    keys.sort_unstable();
                    keys.dedup();
                    keys
                })
                .collect();
            let keys_of = |i: usize, out: &mut Vec<u64>| out.extend(&item_keys[i]);
            let t = u64::from(topics);
            let build = |dense_keys| lists_by_key(item_keys.len(), keys_of, |i| i, t, dense_keys);
            let (dense, dense_entries) = build(u64::MAX);
            let (hashed, hashed_entries) = build(0);
            prop_assert!(matches!(dense, Ranges::Dense { .. }), "a dense table");
            prop_assert!(matches!(hashed, Ranges::Hashed(_)), "a hash map");
            for x in 0..topics + 2 {
                for y in 0..topics + 2 {
                    let k = key(x, y);
                    let expected: Vec<usize> =
                        (0..item_keys.len()).filter(|&i| item_keys[i].contains(&k)).collect();
                    let list = |ranges: &Ranges, entries: &[usize]| {
                        ranges.get(k).map_or_else(Vec::new, |(from, to)| {
                            entries[from as usize..to as usize].to_vec()
                        })
                    };
                    prop_assert_eq!(list(&dense, &dense_entries), expected.clone());
                    prop_assert_eq!(list(&hashed, &hashed_entries), expected);
                }
            }
        }
    }
}
