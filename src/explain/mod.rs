//! Explanations: the typed results of a ranking, the reasons behind a score, and the
//! introducer of a pair.

pub(crate) mod explainer;
pub(crate) mod reason;
pub(crate) mod result;
