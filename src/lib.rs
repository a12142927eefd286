//! Matchmaking for professional communities: who in a community should meet whom, why, and
//! through which mutual contact.
//!
//! pollinate models a community's members (platform founders, investors, entrepreneur support
//! organisations, corporates, researchers, funders), the industry taxonomy they work in, their
//! growth stages, what each member offers and needs, their communities of practice and their
//! ties, and turns that into ranked, explained warm introductions.
//!
//! # Overview
//!
//! - [`Taxonomy`]: categories and verticals; [`Taxonomy::jobtech`] is built in.
//! - [`Community`]: members, ties, introduction history and blocked pairs, validated once by a
//!   [`CommunityBuilder`] or a loader ([`Community::load`] reads a JSON file or a CSV folder) and
//!   immutable afterwards. Every validation problem is reported at once as an [`Error::Invalid`]
//!   listing [`Problem`]s.
//! - [`Member`], [`MemberId`], [`MemberKind`], [`Stage`], [`Country`]: the model's parts.
//! - [`generate()`]: seeded, reproducible synthetic communities of any size.
//! - [`Engine`]: built once from a community and [`MatchWeights`], it scores pairs, ranks and
//!   explains warm introductions ([`Recommendation`]), and ranks every member's exact top k
//!   either by pruning pairs that cannot reach it or by scoring all pairs ([`Method`]).
//!
//! # Example
//!
//! ```
//! use pollinate::{Community, MemberKind, Taxonomy};
//!
//! let community = Community::load("data/small.json")?;
//! let platforms = community
//!     .members()
//!     .iter()
//!     .filter(|m| m.kind() == MemberKind::Platform)
//!     .count();
//! assert!(platforms >= 8);
//!
//! // A typo gets a suggestion.
//! let err = Community::from_json_str(
//!     r#"{"members": [{"id": "a", "kind": "platform", "country": "KE", "verticals": ["care-service"]}]}"#,
//!     Taxonomy::jobtech(),
//! )
//! .unwrap_err();
//! assert!(err.to_string().contains("did you mean `care-services`?"));
//! # Ok::<(), pollinate::Error>(())
//! ```

mod community;
mod country;
mod csv_folder;
mod engine;
mod error;
mod evaluate;
mod explain;
mod generate;
mod graph;
mod history;
mod json_file;
mod load;
mod member;
mod metrics;
mod practice;
mod prune;
mod relation;
mod round;
mod score;
mod session;
mod slug;
mod stage;
mod taxonomy;
mod tune;
mod weights;

pub use community::{Community, CommunityBuilder, CommunityRecords};
pub use country::{Country, Region, UnknownCountry};
pub use engine::{Component, Engine, Method, Query, Ranked, Recommendation, Recommendations};
pub use error::{Error, Location, Problem, ProblemKind, Record, Result};
pub use evaluate::{Evaluation, Split};
pub use explain::Introducer;
pub use generate::{GeneratorConfig, generate};
pub use graph::{CommunityGraph, Contact, Edge, MutualContact, Node};
pub use history::OutcomeTies;
pub use member::{CopId, Member, MemberId, MemberRecord, TopicId};
pub use metrics::{
    Metric, Metrics, dcg_at_k, gini, hit_at_k, ndcg_at_k, precision_at_k, recall_at_k,
    reciprocal_rank_at_k, relevance,
};
pub use practice::{CopRecommendation, DiscoveryConfig, EmergingCommunity};
pub use relation::{
    BlockRecord, Connection, ConnectionRecord, Date, Introduction, IntroductionRecord, InvalidDate,
    Outcome,
};
pub use round::{FillMethod, Round, RoundConfig, RoundIntro, RoundReport, Unserved};
pub use session::{Meeting, OddPolicy, Schedule, SessionConfig, SessionRound, SitOut};
pub use stage::{MemberKind, Stage, UnknownSlug};
pub use taxonomy::{Category, CategoryId, Taxonomy, Vertical, VerticalId};
pub use tune::{Phase, Trial, TunerConfig, TuningReport, tune};
pub use weights::{
    Combine, GeographyConfig, KindConfig, MatchWeights, NeedsConfig, SIGNAL_NAMES, SignalWeights,
    StageConfig, TaxonomyConfig,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
