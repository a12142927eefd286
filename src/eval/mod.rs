//! Learning from outcomes: ranking metrics, replays of the introduction history, the stories a
//! lead expects, and the weight tuner.

pub(crate) mod metrics;
pub(crate) mod replay;
pub(crate) mod signal_matrix;
pub(crate) mod stories;
pub(crate) mod tune;
