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

mod bounds;
mod group;
mod index;
mod lists;
mod scan;
mod scratch;
mod search;
mod slot;
mod tree;
mod walk;

pub(crate) use index::Index;
pub(crate) use scratch::SearchScratch;

use crate::model::kind::MemberKind;
use crate::rank::changed::Changed;
use crate::rank::query::Query;
use crate::rank::ranker::Ranker;
use crate::rank::topk::{Scored, TopK};
use crate::score::profile::Source;
use search::Search;
use tree::{cop_signature, fold_cops, signature};

/// Padding added to every bound, far above the rounding error of a seven-term `f32` sum of
/// numbers in [0, 1] (about `7 * 2^-24`).
pub(super) const MARGIN: f64 = 1e-4;

/// Members with fewer needs than this are listed under each topic they need (step 3), so the
/// tree walk can leave them out of its bound on how much of a member's needs the source covers.
pub(super) const FEW_NEEDS: u32 = 3;

/// A member in more topic lists than this (see [`lists_of`]) is *heavy*: it is kept out of the
/// lists, and every source scores it directly before the tree walk. The lists then hold at most
/// this many entries per member, whatever members list (an organisation offering dozens of
/// topics would otherwise sit in hundreds of lists).
pub(super) const MOST_LISTS: usize = 192;

/// A source's pruned search may look up at most this many keys, and read this many list
/// entries, per open member (plus [`BUDGET_FLOOR`]); past that it stops and the source is
/// ranked by the scan instead. So no source costs more than a small multiple of the scan.
pub(super) const BUDGET_PER_MEMBER: usize = 2;

/// The budget's floor, so that small communities keep the pruned search.
pub(super) const BUDGET_FLOOR: usize = 1024;

/// The topic lists a member offering `offers` and needing `needs` topics is in: its pairs of
/// an offer and a need, of two offers and of two needs. The same count is the keys a source
/// with those topics looks up.
pub(super) fn lists_of(offers: usize, needs: usize) -> usize {
    let pairs = |n: usize| n.saturating_mul(n.saturating_sub(1)) / 2;
    offers
        .saturating_mul(needs)
        .saturating_add(pairs(offers))
        .saturating_add(pairs(needs))
}

/// Whether a member with these topics is heavy (see [`MOST_LISTS`]).
pub(super) fn is_heavy(offers: usize, needs: usize) -> bool {
    lists_of(offers, needs) > MOST_LISTS
}

/// What one source's pruned search did: the work the budget bounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Work {
    /// Pairs scored.
    pub(crate) pairs: u64,
    /// Topic-list keys looked up.
    pub(crate) keys: u64,
    /// Topic-list entries read.
    pub(crate) entries: u64,
}

/// The walk's view of a member's number of needs: `u32::MAX` (no needs to cover) when it has
/// none, or fewer than [`FEW_NEEDS`] (any it shares with the source were found in step 3).
pub(super) fn walked_needs(needs: u32) -> u32 {
    if needs < FEW_NEEDS { u32::MAX } else { needs }
}

/// Position of a member that is not open to introductions.
pub(super) const NOT_OPEN: u32 = u32::MAX;

/// The number of member kinds (the kind priors are a `KINDS x KINDS` table).
pub(super) const KINDS: usize = MemberKind::ALL.len();

/// `Index::kind_set_group` of a kind and set of verticals that no group has.
pub(super) const NO_GROUP: u32 = u32::MAX;

/// `v[i]..v[i + 1]` as a range of `usize`.
pub(super) fn span(v: &[u32], i: usize) -> std::ops::Range<usize> {
    v[i] as usize..v[i + 1] as usize
}

/// Whether position `pos` is set in the bitset `bits` (bit `pos % 64` of word `pos / 64`).
#[inline]
pub(super) fn is_set(bits: &[u64], pos: usize) -> bool {
    bits[pos / 64] & (1 << (pos % 64)) != 0
}

/// Property tests here run without a regression file (it would be a folder of its own at the
/// crate's top level); a failure prints its shrunk case.
#[cfg(test)]
pub(super) fn proptest_config() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// The exact top `query.k` of member `s` by the pruned search of the module docs, and the work
/// it did; empty when `s` is not open to introductions. `None` when the search would exceed
/// its budget ([`BUDGET_PER_MEMBER`]): the caller ranks `s` by the scan instead, having spent
/// at most the budget.
///
/// # Complexity
///
/// O(g + v) once per group of sources, g groups and v sets of verticals (amortised when
/// sources come in index order), then for each source O(w + l + u + b + m + a): w members
/// within two hops, l topic-list entries, u groups visited and sets of verticals looked at
/// for them, b blocks and classes bounded, m members of reachable classes checked by
/// signature and a the most needs of an open member (the one-sided needs table); only the
/// members that can reach the threshold are scored.
///
/// With `changed` members (an index inherited by a changed community), their entries are left
/// out and each of them is scored directly, so the list is still exact; `s` itself must not be
/// one of them.
pub(crate) fn top_k(
    ranker: &Ranker,
    index: &Index,
    changed: &Changed,
    s: usize,
    query: &Query,
    source: &mut Source,
    scratch: &mut SearchScratch,
) -> Option<(Vec<Scored>, Work)> {
    if query.k == 0 {
        return Some((Vec::new(), Work::default()));
    }
    let budget = index
        .open_members()
        .saturating_mul(BUDGET_PER_MEMBER)
        .saturating_add(BUDGET_FLOOR);
    let ps = &ranker.profiles[s];
    // A source with many topics would look up more keys than the budget: the scan at once.
    let keys = lists_of(ps.offers.len(), ps.needs.len()) + ps.offers.len();
    if keys > budget {
        return None;
    }
    let (top, work) = search(
        ranker,
        index,
        changed,
        s,
        query,
        source,
        scratch,
        |search, touched, buffers| {
            // 1. The two-hop reach carries all the warmth: its best bounds everyone's (the
            //    bound is increasing in the sum).
            let warmest = touched
                .iter()
                .map(|&pos| search.marks[pos as usize].aa)
                .fold(0.0f32, f32::max);
            search.best_warmth = search.warmth_bound(warmest);
            search.budget = budget as u64;
            // 2. Two-sided members, bounded as if they had one topic in common each way.
            let b = buffers;
            search.two_sided(&mut b.two_sided, &mut b.offer_need_found);
            // 3. Members with two or more topics in common one way, counted, with their own
            //    needs; then members with few needs that `s` covers.
            if search.within_budget() {
                search.doubly_covered(&mut b.hits, &mut b.counts, &b.two_sided, &mut b.found);
            }
            search.clear_two_sided(&mut b.two_sided, &b.offer_need_found);
            if search.within_budget() {
                search.few_needs(&mut b.hits, &mut b.counts, &mut b.found);
            }
            if !search.within_budget() {
                return None;
            }
            // 4. The heavy members, in no list, scored directly; then the rest of the two-hop
            //    reach.
            search.heavy();
            search.warm(touched);
            // 5. Everyone else: groups, blocks, classes and members by background and
            //    one-sided needs.
            search.walk_tree(&mut b.groups);
            // 6. Members changed since the index was built, scored directly.
            search.changed(&changed.members);
            Some(Work {
                pairs: search.pairs,
                keys: search.keys,
                entries: search.entries,
            })
        },
    )?;
    Some((top, work?))
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
pub(crate) fn scan(
    ranker: &Ranker,
    index: &Index,
    s: usize,
    query: &Query,
    source: &mut Source,
    scratch: &mut SearchScratch,
) -> (Vec<Scored>, usize) {
    search(
        ranker,
        index,
        &Changed::default(),
        s,
        query,
        source,
        scratch,
        |search, _, buffers| search.scan(&mut buffers.hot),
    )
    .unwrap_or_default()
}

/// Prepares a [`Search`] of source `s` (its tables, warmth and exclusions), runs `body` on it
/// with the two-hop reach (positions) and the steps' scratch buffers, and returns its top k and
/// what `body` returned; `None` when `s` is not open to introductions.
#[allow(clippy::too_many_arguments)] // the search's inputs, named once here
fn search<R>(
    ranker: &Ranker,
    index: &Index,
    changed: &Changed,
    s: usize,
    query: &Query,
    source: &mut Source,
    scratch: &mut SearchScratch,
    body: impl FnOnce(&mut Search<'_>, &[u32], &mut scratch::Buffers) -> R,
) -> Option<(Vec<Scored>, R)> {
    let pos_s = index.position(s)?;
    ranker.fill_source(s, source);
    let source = &*source;
    let ps = &ranker.profiles[s];
    let (needs_sig, offers_sig) = (signature(&ps.needs), signature(&ps.offers));
    scratch.next_epoch(index.slots.len());
    scratch.warmth(&ranker.ties, index, s);
    scratch
        .group
        .fill(index, &ranker.tables, source, ps, index.slots[pos_s].group);
    scratch.bounds.fill(index, &ranker.tables, ps);
    ranker.language_factors(s, &mut scratch.languages);
    let SearchScratch {
        marks,
        epoch,
        touched,
        touched_bits,
        group,
        bounds,
        buffers,
        languages,
    } = scratch;
    let mut search = Search {
        ranker,
        index,
        t: &ranker.tables,
        src: source,
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
        languages,
        budget: u64::MAX,
        keys: 0,
        entries: 0,
    };
    search.update_threshold();
    // The source itself and its exclusions are never candidates.
    search.marks[pos_s].seen = search.epoch;
    for &t in ranker.exclusions.of(s) {
        if let Some(pos) = index.position(t as usize) {
            search.marks[pos].seen = search.epoch;
        }
    }
    // Changed members' entries are out of date: left out, and scored directly at the end.
    for &t in &changed.members {
        if let Some(pos) = index.position(t as usize) {
            search.marks[pos].seen = search.epoch;
        }
    }
    let out = body(&mut search, touched, buffers);
    let top = search.top;
    scratch.reset_warmth();
    Some((top.into_sorted(), out))
}

#[cfg(test)]
mod budget_tests {
    //! The pruned search's bounded worst case, by counting work: on communities whose members
    //! list many topics, every source either stays within its budget of keys and entries and
    //! scores at most every member once, or hands over to the scan having read nothing past
    //! the budget; and the lists stay exact.

    use proptest::prelude::*;

    use super::*;
    use crate::model::community::Community;
    use crate::model::record::MemberRecord;
    use crate::model::taxonomy::Taxonomy;
    use crate::rank::brute;
    use crate::rank::scratch::Scratch;
    use crate::score::weights::MatchWeights;

    /// `n` members, each offering and needing `topics[i]` of `t` topics (from an offset).
    fn adversarial(topics: &[(usize, usize)], t: usize) -> Community {
        let slug = |x: usize| format!("topic-{}", x % t);
        let mut b = Community::builder(Taxonomy::jobtech());
        for (i, &(offers, needs)) in topics.iter().enumerate() {
            b = b.member(
                MemberRecord::new(
                    format!("m{i}"),
                    ["platform", "eso", "investor"][i % 3],
                    "KE",
                )
                .verticals(["microwork"])
                .offers((i..i + offers).map(slug))
                .needs((i * 7..i * 7 + needs).map(slug)),
            );
        }
        b.build().expect("a valid community")
    }

    proptest! {
        #![proptest_config(proptest_config())]

        #[test]
        fn every_source_stays_within_its_budget_and_exact(
            topics in prop::collection::vec((0usize..40, 0usize..40), 20..90),
            t in 20usize..120,
            k in 1usize..8,
        ) {
            let c = adversarial(&topics, t);
            let weights = MatchWeights::default();
            let ranker = Ranker::new(&c, &weights);
            let index = Index::new(&ranker, 1);
            let budget = (index.open_members() * BUDGET_PER_MEMBER + BUDGET_FLOOR) as u64;
            let heavy = ranker
                .profiles
                .iter()
                .filter(|p| is_heavy(p.offers.len(), p.needs.len()))
                .count();
            prop_assert_eq!(index.heavy.len(), heavy);
            // Each light member is in at most MOST_LISTS lists (and FEW_NEEDS single ones).
            let entries = index.offer_need.entries.len()
                + index.offer_offer.entries.len()
                + index.need_need.entries.len();
            prop_assert!(entries <= c.len() * MOST_LISTS);
            let query = Query::top(k);
            let pairs = |top: Vec<Scored>| -> Vec<(u32, u32)> {
                top.into_iter().map(|x| (x.member, x.score.to_bits())).collect()
            };
            let mut scratch = Scratch::new(c.len());
            for s in 0..c.len() {
                let expected = pairs(brute::top_k(&ranker, s, &query, &mut scratch).0);
                let Scratch { source, search, .. } = &mut scratch;
                if let Some((top, work)) =
                    top_k(&ranker, &index, &Changed::default(), s, &query, source, search)
                {
                    prop_assert!(work.keys + work.entries <= budget, "{:?}", work);
                    prop_assert!(work.pairs <= c.len() as u64);
                    prop_assert_eq!(pairs(top), expected, "source {}", s);
                } else {
                    // Handed over to the scan, which is exact. The search stopped before
                    // reading a list past its budget: it sums the found lists' lengths
                    // before reading any of them.
                    let (top, _) = scan(&ranker, &index, s, &query, source, search);
                    prop_assert_eq!(pairs(top), expected, "scan of {}", s);
                }
            }
        }
    }
}
