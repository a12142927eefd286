//! Pair scoring: the seven signals, the match weights and the tables built from them, member
//! profiles, and the pure functions that score a pair.

pub(crate) mod profile;
pub(crate) mod settings;
pub(crate) mod signal;
pub(crate) mod signals;
pub(crate) mod tables;
pub(crate) mod weights;
