//! Ranking: each member's exact top k by the brute force, the pruned search or the scan, in
//! one order (score, then tie-break), on pooled scratch space and threads.

pub(crate) mod brute;
pub(crate) mod changed;
pub(crate) mod pruned;
pub(crate) mod query;
pub(crate) mod ranker;
pub(crate) mod runner;
pub(crate) mod scratch;
pub(crate) mod topk;
