//! The community's ties as one compressed adjacency: contacts, mutual contacts and the
//! weighted Adamic-Adar warmth, read by the engine, the pruned search and the explanations
//! alike.

use std::cmp::Ordering;

use crate::model::community::Community;
use crate::model::ids::MemberId;

/// One of a member's contacts, with the tie strength.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Contact {
    /// The contact.
    pub member: MemberId,
    /// Tie strength in (0, 1].
    pub strength: f32,
}

/// A contact two members share, with the strength of each side's tie to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MutualContact {
    /// The shared contact.
    pub member: MemberId,
    /// Strength of the first member's tie to it.
    pub strength_a: f32,
    /// Strength of the second member's tie to it.
    pub strength_b: f32,
}

/// Every member's ties as `(contact, strength)`, in one array, each member's list sorted by the
/// contact's rank in the order of string ids: sums over mutual contacts then run in one order
/// whatever the input order, so scores do not depend on it.
#[derive(Clone, Debug)]
pub(crate) struct Ties {
    /// Member `m`'s ties are `list[start[m]..start[m + 1]]`.
    start: Vec<u32>,
    list: Vec<(u32, f32)>,
    /// `1 / ln(degree)` of each member as a mutual contact (0 below degree 2).
    inv_log_degree: Vec<f32>,
    /// Each member's position in the order of string ids.
    rank: Vec<u32>,
}

impl Ties {
    /// The ties of `community`, ordered by `rank` (each member's position in the order of
    /// string ids).
    ///
    /// # Complexity
    ///
    /// O(n + e log d) for n members, e ties and d the largest degree.
    pub(crate) fn new(community: &Community, rank: &[u32]) -> Self {
        let n = community.len();
        let mut start = vec![0u32; n + 1];
        for c in community.connections() {
            start[c.a.index() + 1] += 1;
            start[c.b.index() + 1] += 1;
        }
        for i in 1..=n {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut list = vec![(0u32, 0.0f32); start[n] as usize];
        for c in community.connections() {
            for (from, to) in [(c.a, c.b), (c.b, c.a)] {
                let slot = &mut next[from.index()];
                list[*slot as usize] = (to.0, c.strength);
                *slot += 1;
            }
        }
        let mut inv_log_degree = Vec::with_capacity(n);
        for m in 0..n {
            let ties = &mut list[start[m] as usize..start[m + 1] as usize];
            ties.sort_unstable_by_key(|&(t, _)| rank[t as usize]);
            // A mutual contact has degree >= 2, so ln(degree) >= ln 2 > 0.
            inv_log_degree.push(if ties.len() >= 2 {
                1.0 / (ties.len() as f32).ln()
            } else {
                0.0
            });
        }
        Ties {
            start,
            list,
            inv_log_degree,
            rank: rank.to_vec(),
        }
    }

    /// Member `m`'s ties, `(contact, strength)`, sorted by the contact's rank.
    #[inline]
    pub(crate) fn contacts(&self, m: usize) -> &[(u32, f32)] {
        &self.list[self.start[m] as usize..self.start[m + 1] as usize]
    }

    /// `1 / ln(degree)` of member `z` as a mutual contact (0 below degree 2).
    #[inline]
    pub(crate) fn inv_log_degree(&self, z: usize) -> f32 {
        self.inv_log_degree[z]
    }

    /// Calls `f(z, w(s, z), w(t, z))` for every mutual contact `z` of `s` and `t`, in rank
    /// order, by merging the two rank-sorted contact lists.
    fn for_each_mutual(&self, s: usize, t: usize, mut f: impl FnMut(u32, f32, f32)) {
        let (a, b) = (self.contacts(s), self.contacts(t));
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            let (za, wa) = a[i];
            let (zb, wb) = b[j];
            match self.rank[za as usize].cmp(&self.rank[zb as usize]) {
                Ordering::Less => i += 1,
                Ordering::Greater => j += 1,
                Ordering::Equal => {
                    f(za, wa, wb);
                    i += 1;
                    j += 1;
                }
            }
        }
    }

    /// The weighted Adamic-Adar sum of one pair, `sum over mutual contacts z of
    /// w(s, z) w(z, t) / ln(degree(z))`, added in rank order.
    pub(crate) fn adamic_adar(&self, s: usize, t: usize) -> f32 {
        let mut acc = 0.0f32;
        self.for_each_mutual(s, t, |z, ws, wt| {
            acc += ws * wt * self.inv_log_degree[z as usize];
        });
        acc
    }

    /// Adds the Adamic-Adar sums of `s` with every member two hops away into `aa` (indexed by
    /// member), listing each member touched once in `touched`, in the same order of mutual
    /// contacts as [`Ties::adamic_adar`], so the sums are bit-identical. `s` itself may be
    /// touched.
    pub(crate) fn warmth_row(&self, s: usize, aa: &mut [f32], touched: &mut Vec<u32>) {
        for &(z, w_sz) in self.contacts(s) {
            let ild = self.inv_log_degree[z as usize];
            for &(t, w_zt) in self.contacts(z as usize) {
                if aa[t as usize] == 0.0 {
                    touched.push(t);
                }
                aa[t as usize] += w_sz * w_zt * ild;
            }
        }
    }

    /// The contacts `a` and `b` share, with each side's tie strength, in rank order.
    pub(crate) fn mutual_contacts(&self, a: MemberId, b: MemberId) -> Vec<MutualContact> {
        let mut out = Vec::new();
        self.for_each_mutual(a.index(), b.index(), |z, wa, wb| {
            out.push(MutualContact {
                member: MemberId(z),
                strength_a: wa,
                strength_b: wb,
            });
        });
        out
    }
}
