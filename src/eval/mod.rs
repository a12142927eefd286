//! Learning from outcomes: ranking metrics, replays of the introduction history, and the weight
//! tuner.

pub(crate) mod metrics;
pub(crate) mod replay;
pub(crate) mod signal_matrix;
pub(crate) mod tune;
