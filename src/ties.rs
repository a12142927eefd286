//! The community's ties as one compressed adjacency: contacts, mutual contacts and the
//! weighted Adamic-Adar warmth, read by the engine, the pruned search and the explanations
//! alike.

use std::cmp::Ordering;

use std::sync::Arc;

use crate::chunked::Chunked;
use crate::model::community::Community;
use crate::model::ids::MemberId;
use crate::model::member::Member;

/// Whether a member's ties count: not removed, and consenting to their use.
pub(crate) fn usable(m: &Member) -> bool {
    !m.removed && m.consent.ties
}

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

/// One member's ties, sorted by the contact's order key, and its weight as a mutual contact.
#[derive(Clone, Debug, Default)]
struct Node {
    contacts: Arc<[(u32, f32)]>,
    /// `1 / ln(degree)` (0 below degree 2).
    inv_log_degree: f32,
}

impl Node {
    fn new(contacts: Vec<(u32, f32)>) -> Self {
        // A mutual contact has degree >= 2, so ln(degree) >= ln 2 > 0.
        let inv_log_degree = if contacts.len() >= 2 {
            1.0 / (contacts.len() as f32).ln()
        } else {
            0.0
        };
        Node {
            contacts: contacts.into(),
            inv_log_degree,
        }
    }
}

/// Every member's ties as `(contact, strength)`, each list sorted by the contact's order key
/// (the fingerprint of its string id, then its dense id): sums over mutual contacts then run in
/// one order whatever the input order, and whatever members a live community added or removed
/// since. The ties of a member who withheld consent to use them (`consent.ties`) are left out
/// (their exclusions are elsewhere).
#[derive(Clone, Debug)]
pub(crate) struct Ties {
    /// The ties that count, by member.
    nodes: Chunked<Node>,
    /// Every tie, by member (sorted by contact id), and whether each member's ties count: what
    /// a live change rebuilds a member's node from.
    raw: Chunked<Arc<[(u32, f32)]>>,
    usable: Chunked<bool>,
    /// Each member's fingerprint, the order key's first part.
    fingerprint: Chunked<u64>,
}

impl Ties {
    /// The ties of `community` whose two members consent to their use.
    ///
    /// # Complexity
    ///
    /// O(n + e log d) for n members, e ties and d the largest degree.
    pub(crate) fn new(community: &Community, fingerprint: &Chunked<u64>) -> Self {
        let n = community.slots();
        let usable: Vec<bool> = community.member_slots().map(usable).collect();
        let mut lists: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
        for c in community.connections() {
            lists[c.a.index()].push((c.b.0, c.strength));
            lists[c.b.index()].push((c.a.0, c.strength));
        }
        let mut ties = Ties {
            nodes: Chunked::default(),
            raw: Chunked::default(),
            usable: usable.iter().copied().collect(),
            fingerprint: fingerprint.clone(),
        };
        let nodes: Vec<Node> = lists
            .iter()
            .enumerate()
            .map(|(m, list)| ties.node_of(m, list))
            .collect();
        ties.nodes = nodes.into();
        ties.raw = lists
            .into_iter()
            .map(|mut list| {
                list.sort_unstable_by_key(|&(t, _)| t);
                Arc::from(list)
            })
            .collect();
        ties
    }

    /// Member `m`'s node from its ties `raw`: those that count, in order-key order.
    fn node_of(&self, m: usize, raw: &[(u32, f32)]) -> Node {
        if !self.usable[m] {
            return Node::default();
        }
        let mut list: Vec<(u32, f32)> = raw
            .iter()
            .copied()
            .filter(|&(t, _)| self.usable[t as usize])
            .collect();
        list.sort_unstable_by_key(|&(t, _)| self.key(t));
        Node::new(list)
    }

    /// Member `m`'s ties, every one, sorted by contact id.
    pub(crate) fn all_of(&self, m: usize) -> &[(u32, f32)] {
        &self.raw[m]
    }

    /// Rebuilds member `m`'s node from its ties.
    fn refresh(&mut self, m: usize) {
        let node = self.node_of(m, &self.raw[m].clone());
        self.nodes.set(m, node);
    }

    /// Sets the tie between `a` and `b` to `strength`, or removes it (`None`).
    pub(crate) fn set_tie(&mut self, a: usize, b: usize, strength: Option<f32>) {
        for (x, y) in [(a, b), (b, a)] {
            let mut list: Vec<(u32, f32)> = self.raw[x]
                .iter()
                .copied()
                .filter(|&(t, _)| t as usize != y)
                .collect();
            if let Some(w) = strength {
                list.push((y as u32, w));
                list.sort_unstable_by_key(|&(t, _)| t);
            }
            self.raw.set(x, Arc::from(list));
            self.refresh(x);
        }
    }

    /// Sets whether member `m`'s ties count, refreshing it and its contacts.
    pub(crate) fn set_usable(&mut self, m: usize, usable: bool) {
        if self.usable[m] == usable {
            return;
        }
        self.usable.set(m, usable);
        self.refresh(m);
        let contacts: Vec<u32> = self.raw[m].iter().map(|&(t, _)| t).collect();
        for t in contacts {
            self.refresh(t as usize);
        }
    }

    /// The order key of contact `t`.
    #[inline]
    fn key(&self, t: u32) -> (u64, u32) {
        (self.fingerprint[t as usize], t)
    }

    /// Member `m`'s ties, `(contact, strength)`, sorted by the contact's order key.
    #[inline]
    pub(crate) fn contacts(&self, m: usize) -> &[(u32, f32)] {
        &self.nodes[m].contacts
    }

    /// `1 / ln(degree)` of member `z` as a mutual contact (0 below degree 2).
    #[inline]
    pub(crate) fn inv_log_degree(&self, z: usize) -> f32 {
        self.nodes[z].inv_log_degree
    }

    /// Adds a member (the next id) with no ties, whose ties count when `usable`, with the
    /// fingerprints it now has.
    pub(crate) fn push_member(&mut self, usable: bool, fingerprint: &Chunked<u64>) {
        self.fingerprint = fingerprint.clone();
        self.nodes.push(Node::default());
        self.raw.push(Arc::from(Vec::new()));
        self.usable.push(usable);
    }

    /// Calls `f(z, w(s, z), w(t, z))` for every mutual contact `z` of `s` and `t`, in
    /// order, by merging the two sorted contact lists.
    fn for_each_mutual(&self, s: usize, t: usize, mut f: impl FnMut(u32, f32, f32)) {
        let (a, b) = (self.contacts(s), self.contacts(t));
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            let (za, wa) = a[i];
            let (zb, wb) = b[j];
            match self.key(za).cmp(&self.key(zb)) {
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
    /// w(s, z) w(z, t) / ln(degree(z))`, added in order-key order.
    pub(crate) fn adamic_adar(&self, s: usize, t: usize) -> f32 {
        let mut acc = 0.0f32;
        self.for_each_mutual(s, t, |z, ws, wt| {
            acc += ws * wt * self.inv_log_degree(z as usize);
        });
        acc
    }

    /// Adds the Adamic-Adar sums of `s` with every member two hops away into `aa` (indexed by
    /// member), listing each member touched once in `touched`, in the same order of mutual
    /// contacts as [`Ties::adamic_adar`], so the sums are bit-identical. `s` itself may be
    /// touched.
    pub(crate) fn warmth_row(&self, s: usize, aa: &mut [f32], touched: &mut Vec<u32>) {
        for &(z, w_sz) in self.contacts(s) {
            let ild = self.inv_log_degree(z as usize);
            for &(t, w_zt) in self.contacts(z as usize) {
                if aa[t as usize] == 0.0 {
                    touched.push(t);
                }
                aa[t as usize] += w_sz * w_zt * ild;
            }
        }
    }

    /// The contacts `a` and `b` share, with each side's tie strength, in order-key order.
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
