//! The pruned search's index, built once per engine: members in tree order, their slots,
//! node summaries and topic lists.

use super::lists::{DENSE_KEYS, TopicLists, key, pairs_across, pairs_within};
use super::slot::Slot;
use super::tree::{Summary, cop_signature, fold_cops, signature, tree_order};
use super::{FEW_NEEDS, KINDS, NO_GROUP, NOT_OPEN, is_heavy, span, walked_needs};
use crate::rank::ranker::Ranker;

/// The candidate index of the pruned ranking; see the module docs.
#[derive(Debug)]
pub(crate) struct Index {
    /// The position of each member, [`NOT_OPEN`] for members not open to introductions.
    pub(super) pos_of: Vec<u32>,
    /// Each position's set of languages (see [`Ranker::language_set`]).
    pub(super) language_sets: Vec<u16>,
    /// Each position's slot, and its offered and needed topics folded into 128 bits (topic `x`
    /// sets bit `x % 128`): disjoint signatures prove there is no common topic.
    pub(super) slots: Vec<Slot>,
    pub(super) sigs: Vec<[u128; 2]>,
    /// Every position's offers, needs and communities, in position order (see [`Slot`]).
    pub(super) topics: Vec<u32>,
    /// Class `c` holds positions `class_start[c]..class_start[c + 1]`.
    pub(super) class_start: Vec<u32>,
    /// What the members of each class, country block, stage block and group have between them.
    pub(super) class_summaries: Vec<Summary>,
    pub(super) country_block_summaries: Vec<Summary>,
    pub(super) stage_block_summaries: Vec<Summary>,
    pub(super) group_summaries: Vec<Summary>,
    /// Country block `b` holds classes `country_block_start[b]..country_block_start[b + 1]`.
    pub(super) country_block_start: Vec<u32>,
    pub(super) country_block_country: Vec<u16>,
    /// Stage block `b` holds country blocks `stage_block_start[b]..stage_block_start[b + 1]`.
    pub(super) stage_block_start: Vec<u32>,
    pub(super) stage_block_stage: Vec<u16>,
    /// Group `g` holds stage blocks `group_start[g]..group_start[g + 1]`.
    pub(super) group_start: Vec<u32>,
    /// Each group's kind, and its verticals as one of the `sets` distinct sets of verticals
    /// (numbered in sorted order; they are fewer than the groups); `set_verticals` holds
    /// `(set, vertical)` for each vertical of each set.
    pub(super) group_kind: Vec<u8>,
    pub(super) group_set: Vec<u32>,
    pub(super) sets: usize,
    pub(super) set_verticals: Vec<(u32, u16)>,
    /// The group of each kind and set of verticals: kind `k`'s with set `v` is
    /// `kind_set_group[k * sets + v]` ([`NO_GROUP`] when no open member has them).
    pub(super) kind_set_group: Vec<u32>,
    /// The distinct `(stage, focus)` pairs ("stage codes") of the open members.
    pub(super) stage_codes: Vec<(u8, u8)>,
    /// The distinct countries of the open members, with their regions.
    pub(super) countries: Vec<([u8; 2], u8)>,
    /// The fewest needs of an open member with [`FEW_NEEDS`] or more (`u32::MAX` when none
    /// has), and the most needs of an open member.
    pub(super) fewest_needs: u32,
    pub(super) most_needs: u32,
    /// Positions offering topic `x` and needing topic `y`.
    pub(super) offer_need: TopicLists,
    /// Positions offering both `x` and `y` (`x < y`), and positions needing both.
    pub(super) offer_offer: TopicLists,
    pub(super) need_need: TopicLists,
    /// Positions needing topic `y` among members with fewer than [`FEW_NEEDS`] needs.
    pub(super) few_needs: TopicLists,
    /// Positions of the heavy members (see [`MOST_LISTS`](super::MOST_LISTS)), in no list.
    pub(super) heavy: Vec<u32>,
}

impl Index {
    /// Builds the index over the members open to introductions. With `threads` of
    /// two or more, the lists of two topics are built on a second thread meanwhile; the index
    /// is the same either way.
    ///
    /// # Complexity
    ///
    /// O(n log n + p + t²) time and O(n + p + t²) memory for n members, p (offer, need) pairs
    /// (at most 25 per member in the generated communities) and t topics when t² is at most 2²⁰: the lists are placed by a counting sort
    /// into dense tables of list offsets (4 MB each at most). With more topics they are sorted
    /// instead, O(p log p), and found through hash maps.
    pub(crate) fn new(ranker: &Ranker, threads: usize) -> Self {
        let profiles = &ranker.profiles;
        let n = profiles.len();
        let open_members: Vec<u32> = (0..n as u32)
            .filter(|&m| ranker.exclusions.is_open(m as usize))
            .collect();
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

        let mut index = Index {
            pos_of,
            language_sets: members
                .iter()
                .map(|&m| ranker.language_set(m as usize) as u16)
                .collect(),
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
            heavy: Vec::new(),
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
        // Heavy members are in no list.
        index.heavy = (0..index.slots.len() as u32)
            .filter(|&pos| {
                let slot = &index.slots[pos as usize];
                is_heavy(
                    (slot.needs - slot.offers) as usize,
                    (slot.cops - slot.needs) as usize,
                )
            })
            .collect();
        let offer_need = || {
            (
                lists(|offers, needs, out| {
                    if !is_heavy(offers.len(), needs.len()) {
                        out.extend(pairs_across(offers, needs));
                    }
                }),
                lists(|offers, needs, out| {
                    if (needs.len() as u32) < FEW_NEEDS && !is_heavy(offers.len(), needs.len()) {
                        out.extend(needs.iter().map(|&y| key(0, y)));
                    }
                }),
            )
        };
        let two_topics = || {
            (
                lists(|offers, needs, out| {
                    if !is_heavy(offers.len(), needs.len()) {
                        out.extend(pairs_within(offers));
                    }
                }),
                lists(|offers, needs, out| {
                    if !is_heavy(offers.len(), needs.len()) {
                        out.extend(pairs_within(needs));
                    }
                }),
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
        let pos = *self.pos_of.get(m)?;
        (pos != NOT_OPEN).then_some(pos as usize)
    }

    pub(super) fn topics(&self, from: u32, to: u32) -> &[u32] {
        &self.topics[from as usize..to as usize]
    }

    /// The group of kind `kind` with each set of verticals ([`NO_GROUP`] for a set without
    /// one), indexed by set.
    pub(super) fn groups_of_kind(&self, kind: usize) -> &[u32] {
        &self.kind_set_group[kind * self.sets..][..self.sets]
    }
}
