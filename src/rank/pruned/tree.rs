//! The tree of members' backgrounds: its order, and what the members of a node have between
//! them.

use fnv::FnvHashMap;

use crate::chunked::Chunked;
use crate::score::profile::Profile;

/// A 64-bit community signature folded into 32 bits: community `c` sets bit `c % 32`, so
/// disjoint folds prove there is no community in common.
pub(super) fn fold_cops(signature: u64) -> u32 {
    (signature as u32) | ((signature >> 32) as u32)
}

/// What the members of a node of the tree have between them: their topic signatures or-ed,
/// the fewest needs of a member with any (`u32::MAX` when none has), and their communities of
/// practice folded into 64 bits (community `c` sets bit `c % 64`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Summary {
    pub(super) sigs: [u128; 2],
    pub(super) fewest_needs: u32,
    pub(super) cops: u64,
}

impl Summary {
    pub(super) const EMPTY: Summary = Summary {
        sigs: [0; 2],
        fewest_needs: u32::MAX,
        cops: 0,
    };

    pub(super) fn or(&self, other: &Summary) -> Summary {
        Summary {
            sigs: [self.sigs[0] | other.sigs[0], self.sigs[1] | other.sigs[1]],
            fewest_needs: self.fewest_needs.min(other.fewest_needs),
            cops: self.cops | other.cops,
        }
    }

    pub(super) fn of(summaries: &[Summary]) -> Summary {
        summaries.iter().fold(Summary::EMPTY, |acc, s| acc.or(s))
    }
}

/// Communities of practice folded into 64 bits.
pub(super) fn cop_signature(cops: &[u32]) -> u64 {
    cops.iter().fold(0, |acc, &c| acc | (1u64 << (c % 64)))
}

/// Topics folded into 128 bits.
pub(super) fn signature(topics: &[u32]) -> u128 {
    topics.iter().fold(0, |acc, &x| acc | (1u128 << (x % 128)))
}

/// The distinct values of `values`, sorted, and the rank of each value among them: one hash
/// lookup per value and a sort of the distinct values only.
pub(super) fn distinct_ranks<'a, T: Ord + std::hash::Hash + ?Sized>(
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
pub(super) struct TreeKey {
    /// Kind (bits 56 to 63), rank of the set of verticals (24 to 55), stage (16 to 23) and
    /// focus (8 to 15).
    pub(super) high: u64,
    /// Country code (bits 32 to 47) and rank of the set of communities (0 to 31).
    pub(super) low: u64,
}

impl TreeKey {
    /// The kind and the rank of the set of verticals: equal for members of one group.
    pub(super) fn group(&self) -> u64 {
        self.high >> 24
    }
    /// The rank of the set of verticals.
    pub(super) fn set(&self) -> u32 {
        self.group() as u32
    }
    /// The country code.
    pub(super) fn country(&self) -> u64 {
        self.low >> 32
    }
}

/// The members in the tree's order, by kind, verticals, stage, focus, country, communities and
/// id (sets of verticals and of communities compared as sorted lists), each with its
/// [`TreeKey`]; and the distinct sets of verticals in order (the key's ranks are theirs).
///
/// Sets are ranked once, so the sort compares integers instead of lists.
pub(super) fn tree_order<'a>(
    profiles: &'a Chunked<Profile>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::rank::pruned::proptest_config())]

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
                    prop_oneof![Just(crate::score::profile::NONE), 0u8..2],
                    0u8..2,
                    (b'A'..b'C', b'A'..b'C'),
                    proptest::collection::btree_set(0u32..4, 0..3),
                    any::<bool>(),
                ),
                0..40,
            ),
        ) {
            let profiles: Chunked<Profile> = members
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
                    languages: Box::new([]),
                    language_fold: 0,
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
    }
}
