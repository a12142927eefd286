//! The order of candidates: best first by score, then a deterministic tie-break; and the
//! bounded heap that keeps a member's best k.

use std::cmp::Ordering;
use std::hash::Hasher;

use crate::chunked::Chunked;
use crate::model::community::Community;

/// A scored candidate before explanation; ordered best first.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scored {
    pub(crate) score: f32,
    pub(crate) key: u64,
    pub(crate) rank: u32,
    pub(crate) member: u32,
}

/// Best first: score descending (`total_cmp`), then the pair's tie-break hash ascending, then a
/// hash of the candidate's id ascending.
pub(crate) fn best_first(a: &Scored, b: &Scored) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(a.key.cmp(&b.key))
        .then(a.rank.cmp(&b.rank))
}

/// What breaks ties between equal scores: a hash of the pair (FNV-1a of both string ids, mixed
/// with a seed), then a hash of the candidate's id. Both depend on string ids only, so they do
/// not depend on input order, thread count, or the ids of members added or removed since; and
/// the pair hash gives every member a different order among tied candidates, spreading
/// exposure instead of sending every tie to the lowest ids.
#[derive(Clone, Debug)]
pub(crate) struct TieBreak {
    seed: u64,
    /// FNV-1a of each member's string id.
    fingerprint: Chunked<u64>,
}

/// FNV-1a of a string id: what orders a member's contacts and breaks the last ties.
pub(crate) fn fingerprint(id: &str) -> u64 {
    let mut h = fnv::FnvHasher::default();
    h.write(id.as_bytes());
    h.finish()
}

impl TieBreak {
    /// The tie-break of `community`'s members with `seed`.
    pub(crate) fn new(community: &Community, seed: u64) -> Self {
        TieBreak {
            seed,
            fingerprint: community
                .member_slots()
                .map(|m| fingerprint(m.id()))
                .collect(),
        }
    }

    /// Each member's fingerprint.
    pub(crate) fn fingerprints(&self) -> &Chunked<u64> {
        &self.fingerprint
    }

    /// Sets member `m`'s fingerprint (a member added or renamed), appending when `m` is new.
    pub(crate) fn set(&mut self, m: usize, id: &str) {
        if m == self.fingerprint.len() {
            self.fingerprint.push(fingerprint(id));
        } else {
            self.fingerprint.set(m, fingerprint(id));
        }
    }

    /// The tie-break hash of the pair `(s, t)`, the same both ways round.
    pub(crate) fn pair_key(&self, s: usize, t: usize) -> u64 {
        let (a, b) = (self.fingerprint[s], self.fingerprint[t]);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        splitmix(splitmix(self.seed ^ lo).wrapping_add(hi))
    }

    /// Candidate `t` of `s` with `score`, keyed for [`best_first`].
    pub(crate) fn scored(&self, s: usize, t: usize, score: f32) -> Scored {
        Scored {
            score,
            key: self.pair_key(s, t),
            rank: (self.fingerprint[t] >> 32) as u32,
            member: t as u32,
        }
    }
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The best `k` candidates seen so far, in a max-heap with the worst on top.
pub(crate) struct TopK {
    k: usize,
    heap: std::collections::BinaryHeap<Worst>,
}

impl TopK {
    pub(crate) fn new(k: usize) -> Self {
        TopK {
            k,
            heap: std::collections::BinaryHeap::with_capacity(k.min(4096) + 1),
        }
    }

    /// The score a candidate must reach to enter: minus infinity until k are held.
    pub(crate) fn threshold(&self) -> f32 {
        match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.k => worst.score,
            _ if self.k == 0 => f32::INFINITY,
            _ => f32::NEG_INFINITY,
        }
    }

    /// Offers candidate `t` of `s`; the tie-break hash is computed only when the score reaches
    /// the worst kept.
    pub(crate) fn offer(&mut self, tie_break: &TieBreak, s: usize, t: usize, score: f32) {
        if self.k == 0 {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(Worst::new(tie_break.scored(s, t, score)));
            return;
        }
        let Some(mut worst) = self.heap.peek_mut() else {
            return;
        };
        if score < worst.score {
            return;
        }
        let item = Worst::new(tie_break.scored(s, t, score));
        // Replacing the worst in place sifts once, where a pop and a push sift twice; a peek
        // that is only read does not sift.
        if item < *worst {
            *worst = item;
        }
    }

    /// The candidates kept, best first: in ascending order of [`Worst`], which is
    /// [`best_first`]'s order packed into one integer.
    pub(crate) fn into_sorted(self) -> Vec<Scored> {
        let top: Vec<Scored> = self
            .heap
            .into_sorted_vec()
            .into_iter()
            .map(Worst::scored)
            .collect();
        debug_assert!(top.is_sorted_by(|a, b| best_first(a, b).is_le()));
        top
    }
}

/// A [`Scored`] ordered so that a max-heap keeps the worst of the best k on top: its order
/// ([`best_first`]'s, the worst greatest) packed into one integer, so that comparing two takes
/// one comparison.
#[derive(Clone, Copy, Debug)]
struct Worst {
    /// From the high bits: the score, mapped so that a lower score (by `total_cmp`) is a
    /// greater number; the tie-break hash; the high half of the candidate's fingerprint.
    order: u128,
    /// The score as given (also in `order`, kept whole so that the threshold is read without
    /// undoing the mapping), and the candidate.
    score: f32,
    member: u32,
}

impl Worst {
    fn new(item: Scored) -> Self {
        // `total_cmp`'s mapping of the bits to an integer in the same order, unsigned: a
        // negative score's bits all flipped, a positive one's sign bit set. Flipped again
        // below, so that lower scores map to greater numbers.
        let bits = item.score.to_bits();
        let ascending = bits ^ ((bits >> 31).wrapping_neg() | (1 << 31));
        Worst {
            order: (u128::from(!ascending) << 96)
                | (u128::from(item.key) << 32)
                | u128::from(item.rank),
            score: item.score,
            member: item.member,
        }
    }

    fn scored(self) -> Scored {
        Scored {
            score: self.score,
            key: (self.order >> 32) as u64,
            rank: self.order as u32,
            member: self.member,
        }
    }
}

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.order == other.order
    }
}
impl Eq for Worst {}
impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order.cmp(&other.order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::MemberRecord;
    use crate::model::taxonomy::Taxonomy;

    fn community(n: usize) -> Community {
        let mut b = Community::builder(Taxonomy::jobtech());
        for i in 0..n {
            b = b.member(
                MemberRecord::new(format!("m{i:02}"), "platform", "KE").verticals(["microwork"]),
            );
        }
        b.build().expect("a valid community")
    }

    /// The bounded heap keeps exactly the first k of the full order, ties broken as
    /// documented, whatever order the candidates come in.
    #[test]
    fn top_k_heap_keeps_the_first_k_of_the_order() {
        let tie_break = TieBreak::new(&community(40), 0);
        // Scores tie in sevens, so the tie-break decides most places.
        let offered: Vec<(usize, f32)> = (0..40)
            .map(|t| (t * 17 % 40, (t % 7) as f32 / 7.0))
            .collect();
        let mut all: Vec<Scored> = offered
            .iter()
            .map(|&(t, x)| tie_break.scored(3, t, x))
            .collect();
        all.sort_unstable_by(best_first);
        for k in 0..=41 {
            let mut top = TopK::new(k);
            for &(t, x) in &offered {
                top.offer(&tie_break, 3, t, x);
            }
            let kept: Vec<u32> = top.into_sorted().iter().map(|c| c.member).collect();
            let first: Vec<u32> = all.iter().take(k).map(|c| c.member).collect();
            assert_eq!(kept, first, "k = {k}");
        }
    }

    /// The packed order of the heap is exactly the documented order, negative scores, signed
    /// zeros, infinities and ties included.
    #[test]
    fn packed_heap_order_is_best_first() {
        let scores = [
            f32::NEG_INFINITY,
            -1.0,
            -f32::MIN_POSITIVE,
            -0.0,
            0.0,
            f32::MIN_POSITIVE,
            0.5,
            0.5f32.next_up(),
            1.0,
            f32::INFINITY,
        ];
        let keys = [0, 1, u64::MAX / 2, u64::MAX];
        let ranks = [0, 7, u32::MAX];
        let mut items = Vec::new();
        for &score in &scores {
            for &key in &keys {
                for &rank in &ranks {
                    items.push(Scored {
                        score,
                        key,
                        rank,
                        member: rank ^ 5,
                    });
                }
            }
        }
        for a in &items {
            let back = Worst::new(*a).scored();
            assert_eq!(
                (back.score.to_bits(), back.key, back.rank, back.member),
                (a.score.to_bits(), a.key, a.rank, a.member)
            );
            for b in &items {
                assert_eq!(
                    Worst::new(*a).cmp(&Worst::new(*b)),
                    best_first(a, b),
                    "{a:?} against {b:?}"
                );
            }
        }
    }

    #[test]
    fn tie_break_is_symmetric_and_spreads() {
        let tie_break = TieBreak::new(&community(5), 0);
        assert_eq!(tie_break.pair_key(1, 3), tie_break.pair_key(3, 1));
        assert_ne!(tie_break.pair_key(1, 3), tie_break.pair_key(1, 4));
        assert_ne!(splitmix(1), splitmix(2));
    }
}
