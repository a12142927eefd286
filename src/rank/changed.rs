//! The members changed since an inherited index was built.

/// Members whose entries in an inherited index are out of date: added, removed, changed in
/// profile or openness since it was built. The pruned search leaves their entries out and
/// scores each of them directly; a source among them is ranked by the brute force.
#[derive(Clone, Debug, Default)]
pub(crate) struct Changed {
    /// Sorted, no repeats.
    pub(crate) members: Vec<u32>,
    /// One flag a member id.
    flags: Vec<bool>,
}

impl Changed {
    /// The most changed members an inherited index is kept with: beyond, scoring them directly
    /// costs each source more than a rebuilt index saves.
    pub(crate) fn most(n: usize) -> usize {
        (n / 64).max(256)
    }

    /// These members and `more`, over `n` member ids.
    pub(crate) fn with(&self, more: &[u32], n: usize) -> Changed {
        let mut members: Vec<u32> = self.members.iter().chain(more).copied().collect();
        members.sort_unstable();
        members.dedup();
        let mut flags = vec![false; n];
        for &m in &members {
            flags[m as usize] = true;
        }
        Changed { members, flags }
    }

    /// Whether member `m` changed.
    pub(crate) fn contains(&self, m: usize) -> bool {
        self.flags.get(m).copied().unwrap_or(false)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}
