//! Who may never be introduced to whom: the one rule every output applies.

use std::sync::Arc;

use crate::chunked::Chunked;
use crate::model::community::Community;
use crate::model::ids::MemberId;

fn pair_key(a: MemberId, b: MemberId) -> u64 {
    (u64::from(a.0.min(b.0)) << 32) | u64::from(a.0.max(b.0))
}

/// The pairs that are never recommended, planned, seated together or named as each other's
/// closest members: the member itself, an existing tie, a pair with any recorded introduction
/// (whatever its outcome), a blocked pair (either way round), and anyone not open to
/// introductions (or removed).
#[derive(Clone, Debug)]
pub(crate) struct Exclusions {
    /// Each member's excluded members, sorted, no repeats.
    lists: Chunked<Arc<[u32]>>,
    open: Chunked<bool>,
    /// The blocked pairs as `min << 32 | max`, sorted: a blocked pair is never introduced,
    /// nor does either member introduce the other to anyone.
    blocked: Arc<Vec<u64>>,
}

impl Exclusions {
    /// The exclusions of `community`.
    ///
    /// # Complexity
    ///
    /// O(n + e log e) for n members and e ties, introductions and blocks.
    pub(crate) fn new(community: &Community) -> Self {
        let n = community.slots();
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        let pairs = community
            .connections()
            .iter()
            .map(|c| (c.a, c.b))
            .chain(community.introductions().iter().map(|i| (i.a, i.b)))
            .chain(community.blocked().iter().copied());
        for (a, b) in pairs {
            lists[a.index()].push(b.0);
            lists[b.index()].push(a.0);
        }
        let lists = lists
            .into_iter()
            .map(|mut l| {
                l.sort_unstable();
                l.dedup();
                Arc::from(l)
            })
            .collect();
        let open = community
            .member_slots()
            .map(|m| m.open_to_intros && !m.removed)
            .collect();
        let mut blocked: Vec<u64> = community
            .blocked()
            .iter()
            .map(|&(a, b)| pair_key(a, b))
            .collect();
        blocked.sort_unstable();
        blocked.dedup();
        Exclusions {
            lists,
            open,
            blocked: Arc::new(blocked),
        }
    }

    /// Whether `a` and `b` are blocked, either way round.
    pub(crate) fn is_blocked(&self, a: MemberId, b: MemberId) -> bool {
        self.blocked.binary_search(&pair_key(a, b)).is_ok()
    }

    /// The members `m` excludes by a tie, an introduction or a block, sorted.
    #[inline]
    pub(crate) fn of(&self, m: usize) -> &[u32] {
        &self.lists[m]
    }

    /// Whether member `m` is open to introductions (and not removed).
    #[inline]
    pub(crate) fn is_open(&self, m: usize) -> bool {
        self.open[m]
    }

    /// Whether `a` and `b` may be introduced: two different members of this community, both
    /// open to introductions, not tied, never introduced, not blocked.
    pub(crate) fn allows(&self, a: MemberId, b: MemberId) -> bool {
        let n = self.open.len();
        a != b
            && a.index() < n
            && b.index() < n
            && self.open[a.index()]
            && self.open[b.index()]
            && self.of(a.index()).binary_search(&b.0).is_err()
    }

    /// Whether `a` and `b` may be seated together at an event they both came to: as
    /// [`Exclusions::allows`], but members not open to introductions count as open (coming to
    /// the event is their consent to meet).
    pub(crate) fn allows_meeting(&self, a: MemberId, b: MemberId) -> bool {
        let n = self.open.len();
        a != b && a.index() < n && b.index() < n && self.of(a.index()).binary_search(&b.0).is_err()
    }

    /// Adds a member (the next id) with no exclusions.
    pub(crate) fn push_member(&mut self, open: bool) {
        self.lists.push(Arc::from(Vec::new()));
        self.open.push(open);
    }

    /// Sets whether member `m` is open to introductions.
    pub(crate) fn set_open(&mut self, m: usize, open: bool) {
        if self.open[m] != open {
            self.open.set(m, open);
        }
    }

    /// Sets member `m`'s excluded members (any order, repeats allowed).
    pub(crate) fn set_list(&mut self, m: usize, mut list: Vec<u32>) {
        list.sort_unstable();
        list.dedup();
        self.lists.set(m, Arc::from(list));
    }

    /// Sets the blocked pairs.
    pub(crate) fn set_blocked(&mut self, blocked: &[(MemberId, MemberId)]) {
        let mut keys: Vec<u64> = blocked.iter().map(|&(a, b)| pair_key(a, b)).collect();
        keys.sort_unstable();
        keys.dedup();
        self.blocked = Arc::new(keys);
    }
}
