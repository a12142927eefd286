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
//! - **Model**: [`Community`] (members, ties, introduction history and blocked pairs), validated
//!   once by a [`CommunityBuilder`] or a loader ([`Community::load`] reads a JSON file or a CSV
//!   folder) and immutable afterwards; [`Taxonomy`] ([`Taxonomy::jobtech`] is built in),
//!   [`Member`], [`MemberId`], [`MemberKind`], [`Stage`], [`Country`], [`Date`]. Every
//!   validation problem of a file is reported at once ([`Problem`]).
//! - **Scoring**: [`MatchWeights`] weigh seven [`Signal`]s into a pair score.
//! - **Ranking**: an [`Engine`], built once from a community and weights, answers
//!   [`Query`]s: every member's exact top k ([`Engine::rank`], [`Engine::rank_all`]) and
//!   explained recommendations ([`Engine::recommend`], [`Engine::recommend_all`]), each with
//!   its components, introducer and [`Reason`]s; results serialize with members' string ids.
//! - **Planning**: introduction rounds ([`Engine::plan_round`]), networking sessions
//!   ([`Engine::schedule_session`]), communities of practice ([`Engine::recommend_cops`],
//!   [`Engine::discover_communities`]).
//! - **Learning from outcomes**: replays of the history ([`Evaluation`]), [`Metrics`], and the
//!   weight tuner ([`tune()`]).
//! - **A living community**: [`Engine::apply`] takes typed [`Change`]s without a rebuild;
//!   [`LiveEngine`] serves consistent snapshots while a writer applies the next batch.
//! - **Learning**: a [`Catalogue`] of resources, journeys and consumption; [`Learning`] ranks
//!   them for a member and replays consumption ([`Learning::evaluate`]).
//! - **Directory**: [`Directory`] searches members by text (typos allowed) and filters.
//! - **Data**: [`generate()`] makes seeded synthetic communities of any size, and
//!   [`generate_catalogue`] their learning catalogues.
//!
//! # Example
//!
//! ```
//! use pollinate::{Community, Engine, MatchWeights, MemberKind, Query};
//!
//! // FundiFix runs a pre-seed platform for plumbers in Kenya and needs worker vetting.
//! let community = Community::load("data/small.json")?;
//! let engine = Engine::new(community, MatchWeights::default())?;
//! let fundi = engine.community().resolve("fundi-fix")?;
//! let peers = engine.recommend(fundi, &Query::top(1).kinds([MemberKind::Platform]))?;
//! assert_eq!(peers.items[0].candidate.id(), "safari-riders"); // drivers' platform, vetting
//! let json = serde_json::to_string(&peers).unwrap();
//! assert!(json.starts_with(r#"{"member":"fundi-fix","recommendations":[{"candidate":"safari-riders""#));
//! # Ok::<(), pollinate::Error>(())
//! ```
//!
//! # Features
//!
//! None: the library has one dependency set; the examples add their command-line tools.

mod chunked;
mod directory;
mod engine;
mod error;
mod eval;
mod exclusions;
mod explain;
mod generate;
mod graph;
mod io;
mod learn;
mod live;
mod model;
mod plan;
mod problem;
mod rank;
mod score;
mod stream;
mod ties;

pub use directory::Directory;
pub use directory::query::{DirectoryHit, DirectoryPage, DirectoryQuery};
pub use engine::Engine;
pub use error::{Error, ErrorKind, Result};
pub use eval::metrics::{
    Metric, Metrics, RankingMetrics, dcg_at_k, gini, hit_at_k, ndcg_at_k, precision_at_k,
    recall_at_k, reciprocal_rank_at_k, relevance,
};
pub use eval::replay::{Evaluation, Split};
pub use eval::stories::{Expectation, Stories, Story, StoryCheck};
pub use eval::tune::{Phase, Trial, TunerConfig, TuningReport, tune};
pub use explain::reason::Reason;
pub use explain::result::{Component, Introducer, Ranked, Recommendation, Recommendations};
pub use generate::catalogue::{CatalogueConfig, generate_catalogue, generate_catalogue_records};
pub use generate::{GeneratorConfig, generate};
pub use graph::{CommunityGraph, Edge, Node, TiePath};
pub use learn::evaluate::LearningEvaluation;
pub use learn::reason::LearningReason;
pub use learn::recommend::{JourneyMatch, Learning, LearningConfig, LearningList, ResourceMatch};
pub use learn::records::{CatalogueRecords, ConsumedRecord, JourneyRecord, ResourceRecord};
pub use learn::resource::{Catalogue, Consumption, Journey, Resource, ResourceId, ResourceKind};
pub use live::LiveEngine;
pub use live::change::{Change, Effect};
pub use model::builder::CommunityBuilder;
pub use model::community::Community;
pub use model::consent::{Consent, ConsentRecord};
pub use model::country::{Country, Region, UnknownCountry};
pub use model::date::{Date, InvalidDate};
pub use model::history::OutcomeTies;
pub use model::ids::{CopId, Labeled, MemberId, MemberRef, TopicId};
pub use model::intro_status::{IntroductionEvent, IntroductionStatus};
pub use model::kind::MemberKind;
pub use model::language::{Language, UnknownLanguage};
pub use model::member::Member;
pub use model::record::{
    BlockRecord, CommunityRecords, ConnectionRecord, IntroductionRecord, MemberRecord,
};
pub use model::relation::{Connection, Introduction, Outcome};
pub use model::slug::UnknownSlug;
pub use model::stage::Stage;
pub use model::taxonomy::{Category, CategoryId, Taxonomy, Vertical, VerticalId};
pub use plan::cops::CopRecommendation;
pub use plan::discovery::{DiscoveryConfig, EmergingCommunity};
pub use plan::round::{
    FillMethod, Round, RoundConfig, RoundIntro, RoundReport, Unserved, UnservedMember,
};
pub use plan::session::{
    Meeting, OddPolicy, Schedule, SessionConfig, SessionRound, SitOut, SittingOut,
};
pub use problem::{Location, MAX_PROBLEMS, MAX_SHOWN, Problem, ProblemKind, Record};
pub use rank::query::{Method, Progress, Query};
pub use score::settings::{
    Combine, GeographyConfig, IntroducerConfig, KindConfig, LanguageConfig, LanguageRule,
    NeedsConfig, SignalWeights, StageConfig, TaxonomyConfig,
};
pub use score::signal::{BySignal, Signal};
pub use score::weights::MatchWeights;
pub use stream::RecommendationStream;
pub use ties::{Contact, MutualContact};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
