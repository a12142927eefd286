//! Planning for the whole community: introduction rounds, networking-session schedules,
//! communities of practice to join, and emerging ones.

pub(crate) mod cops;
pub(crate) mod discovery;
pub(crate) mod matching;
pub(crate) mod round;
pub(crate) mod session;
