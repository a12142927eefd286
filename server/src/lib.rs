//! pollinate over HTTP: a matchmaking service for one community, built on the library's live
//! engine.
//!
//! Reads (recommendations, introductions, health) are served from the current engine snapshot
//! without waiting; writes (members, ties, blocks, introductions, rounds that propose) are
//! applied one batch at a time, appended to a checksummed journal and synced before they are
//! visible or acknowledged, so every acknowledged change survives `kill -9`. At start the
//! newest snapshot is loaded and the journal replayed over it; a torn last line is reported
//! and dropped. See the README for the HTTP contract.
//!
//! The binary (`pollinate-server`) parses its flags and [`serve`]s the [`router`] over a
//! [`Store`]; tests and embedding services can do the same on their own listener.

mod app;
mod journal;
mod reply;
mod routes;
mod serve;
mod store;
mod views;

pub use app::{AppState, Settings, router};
pub use journal::TornTail;
pub use serve::serve;
pub use store::{OpenError, Recovery, Store, WriteError};
