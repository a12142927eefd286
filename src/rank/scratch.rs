//! Per-thread scratch space for ranking one member at a time, and the pool that keeps it from
//! one ranking job to the next.

use std::sync::Mutex;

use crate::rank::pruned::SearchScratch;
use crate::score::profile::Source;

/// What ranking one member needs besides the engine: O(n) buffers reused member after member.
#[derive(Debug)]
pub(crate) struct Scratch {
    /// The brute force's warmth row (indexed by member) and the members it touched.
    pub(crate) aa: Vec<f32>,
    pub(crate) touched: Vec<u32>,
    /// The brute force's exclusions of the current member.
    pub(crate) excluded: Vec<bool>,
    /// The current member's side of its pair scores.
    pub(crate) source: Source,
    /// The pruned search's state.
    pub(crate) search: SearchScratch,
}

impl Scratch {
    /// Scratch space for a community of `n` members.
    pub(crate) fn new(n: usize) -> Self {
        Scratch {
            aa: vec![0.0; n],
            touched: Vec::new(),
            excluded: vec![false; n],
            source: Source::default(),
            search: SearchScratch::default(),
        }
    }
}

/// Scratch spaces lent to ranking jobs and returned after, so that their O(n) buffers (and the
/// pruned search's per-group tables) are allocated once per thread, not once per job.
#[derive(Debug, Default)]
pub(crate) struct ScratchPool {
    free: Mutex<Vec<Scratch>>,
}

impl ScratchPool {
    /// Lends a scratch space for a community of `n` members (a new one when the pool is empty);
    /// it goes back to the pool when the loan is dropped.
    pub(crate) fn lend(&self, n: usize) -> Lent<'_> {
        let pooled = self.free.lock().ok().and_then(|mut free| free.pop());
        Lent {
            pool: self,
            scratch: Some(pooled.unwrap_or_else(|| Scratch::new(n))),
        }
    }
}

/// A [`Scratch`] lent by [`ScratchPool::lend`], returned to the pool on drop.
pub(crate) struct Lent<'a> {
    pool: &'a ScratchPool,
    scratch: Option<Scratch>,
}

impl std::ops::Deref for Lent<'_> {
    type Target = Scratch;
    fn deref(&self) -> &Scratch {
        self.scratch
            .as_ref()
            .expect("a loan holds its scratch until dropped")
    }
}

impl std::ops::DerefMut for Lent<'_> {
    fn deref_mut(&mut self) -> &mut Scratch {
        self.scratch
            .as_mut()
            .expect("a loan holds its scratch until dropped")
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let (Some(scratch), Ok(mut free)) = (self.scratch.take(), self.pool.free.lock()) {
            free.push(scratch);
        }
    }
}
