//! Who may never be introduced to whom: the one rule every output applies.

use crate::model::community::Community;
use crate::model::ids::MemberId;

fn pair_key(a: MemberId, b: MemberId) -> u64 {
    (u64::from(a.0.min(b.0)) << 32) | u64::from(a.0.max(b.0))
}

/// The pairs that are never recommended, planned, seated together or named as each other's
/// closest members: the member itself, an existing tie, a pair with any recorded introduction
/// (whatever its outcome), a blocked pair (either way round), and anyone not open to
/// introductions.
#[derive(Clone, Debug)]
pub(crate) struct Exclusions {
    /// Member `m` excludes `list[start[m]..start[m + 1]]`, sorted, no repeats.
    start: Vec<u32>,
    list: Vec<u32>,
    open: Vec<bool>,
    /// The blocked pairs as `min << 32 | max`, sorted: a blocked pair is never introduced,
    /// nor does either member introduce the other to anyone.
    blocked: Vec<u64>,
}

impl Exclusions {
    /// The exclusions of `community`.
    ///
    /// # Complexity
    ///
    /// O(n + e log e) for n members and e ties, introductions and blocks.
    pub(crate) fn new(community: &Community) -> Self {
        let n = community.len();
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
        let mut start = Vec::with_capacity(n + 1);
        let mut list = Vec::new();
        for l in &mut lists {
            l.sort_unstable();
            l.dedup();
            start.push(list.len() as u32);
            list.extend_from_slice(l);
        }
        start.push(list.len() as u32);
        let open = community
            .members()
            .iter()
            .map(crate::model::member::Member::open_to_intros)
            .collect();
        let mut blocked: Vec<u64> = community
            .blocked()
            .iter()
            .map(|&(a, b)| pair_key(a, b))
            .collect();
        blocked.sort_unstable();
        blocked.dedup();
        Exclusions {
            start,
            list,
            open,
            blocked,
        }
    }

    /// Whether `a` and `b` are blocked, either way round.
    pub(crate) fn is_blocked(&self, a: MemberId, b: MemberId) -> bool {
        self.blocked.binary_search(&pair_key(a, b)).is_ok()
    }

    /// The members `m` excludes by a tie, an introduction or a block, sorted.
    #[inline]
    pub(crate) fn of(&self, m: usize) -> &[u32] {
        &self.list[self.start[m] as usize..self.start[m + 1] as usize]
    }

    /// Whether member `m` is open to introductions.
    #[inline]
    pub(crate) fn is_open(&self, m: usize) -> bool {
        self.open[m]
    }

    /// Whether every member is open to introductions, one flag each.
    pub(crate) fn open(&self) -> &[bool] {
        &self.open
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
}
