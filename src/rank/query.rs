//! What a ranking asks for: [`Query`], the [`Method`] that answers it, and an optional
//! [`Progress`] callback.

use std::sync::Arc;

use crate::model::country::Country;
use crate::model::ids::CopId;
use crate::model::kind::MemberKind;
use crate::model::taxonomy::VerticalId;
use crate::score::profile::Profile;

/// How a ranking finds each member's top k. All of them are exact and return the same lists,
/// scores and order; only the time differs.
///
/// # Complexity
///
/// For n members, c the cost of scoring one pair and d the two-hop reach of a member:
/// - [`Method::BruteForce`] scores every pair: O(n² · c) time, O(n · k) memory for the results
///   plus O(n) scratch per thread (kept by the engine for its next ranking).
/// - [`Method::Pruned`] builds an index once (O(n log n + p log p + e) for p topic-list
///   entries and e ties and exclusions; O(n + p + e) memory), then per member walks its
///   two-hop reach (d), reads its l topic-list entries, walks the groups of members best
///   first until their bound falls below the running k-th score (v groups, b blocks and
///   classes bounded) and scores only the m candidates whose bound reaches it:
///   O(d + l + v + b + m · c) time and O(n) scratch per thread. When nothing prunes (every
///   member offers and needs everything) it scores every pair, like the brute force.
/// - [`Method::Scan`] uses the pruned search's index and scores every pair in index order,
///   most of them from their group's signals alone: O(n · (g + n) + h · c) time for g groups
///   and h members sharing a topic, a community or a contact with the member.
/// - [`Method::Auto`] takes the pruned search for top-k lists; when every candidate above a
///   minimum score must be counted (explained lists), it samples the community first and
///   takes the scan when most candidates reach the minimum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// The engine chooses (the default).
    #[default]
    Auto,
    /// Bounds on a tree of members' backgrounds (kind and verticals, stage, country,
    /// communities) and on need matches prune pairs that cannot reach the top k.
    Pruned,
    /// Scores every pair: the reference the other methods are tested against.
    BruteForce,
    /// Scores every pair in the pruned search's index order, from its per-source tables.
    Scan,
}

/// A callback told how many members have been ranked since it was last called, from the
/// worker threads, in no particular order: for progress bars.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use pollinate::{Community, Engine, MatchWeights, Query};
///
/// let engine = Engine::new(Community::load("data/small.json")?, MatchWeights::default())?;
/// let done = Arc::new(AtomicUsize::new(0));
/// let counter = Arc::clone(&done);
/// let query = Query::top(3).progress(move |n| {
///     counter.fetch_add(n, Ordering::Relaxed);
/// });
/// let lists = engine.rank_all(&query)?;
/// assert_eq!(done.load(Ordering::Relaxed), lists.len());
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(usize) + Send + Sync>);

impl Progress {
    /// A progress report that calls `f(n)` each time `n` more units of work are done (members
    /// ranked, attendees seated: each caller says what it counts).
    pub fn new(f: impl Fn(usize) + Send + Sync + 'static) -> Self {
        Progress(Arc::new(f))
    }

    /// Reports `n` more units done.
    pub fn add(&self, n: usize) {
        (self.0)(n);
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}

impl PartialEq for Progress {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Which candidates a ranking considers, how many it returns, how it finds them, and whom it
/// tells how far it got.
///
/// Empty restriction lists mean "no restriction"; a non-empty list keeps candidates matching any
/// entry.
///
/// # Examples
///
/// ```
/// use pollinate::{MemberKind, Method, Query};
///
/// let q = Query::top(5).kinds([MemberKind::Investor]).min_score(0.3);
/// assert_eq!((q.k, q.method), (5, Method::Auto));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// How many recommendations at most (default 10). Any size works; when fewer candidates
    /// pass, all are returned and
    /// [`Recommendations::is_exhaustive`](crate::Recommendations::is_exhaustive) says so.
    pub k: usize,
    /// Keep only candidates scoring at least this (default 0).
    pub min_score: f32,
    /// Keep only candidates of these kinds.
    pub kinds: Vec<MemberKind>,
    /// Keep only candidates in these countries.
    pub countries: Vec<Country>,
    /// Keep only candidates in any of these verticals.
    pub verticals: Vec<VerticalId>,
    /// Keep only candidates in any of these communities of practice.
    pub communities: Vec<CopId>,
    /// How to find the top k (default [`Method::Auto`]).
    pub method: Method,
    /// Told of each member ranked, if set.
    pub progress: Option<Progress>,
}

impl Default for Query {
    fn default() -> Self {
        Query::top(10)
    }
}

impl Query {
    /// A query for the top `k` with no restrictions.
    pub fn top(k: usize) -> Self {
        Query {
            k,
            min_score: 0.0,
            kinds: Vec::new(),
            countries: Vec::new(),
            verticals: Vec::new(),
            communities: Vec::new(),
            method: Method::Auto,
            progress: None,
        }
    }
    /// Restricts candidates to these kinds.
    #[must_use]
    pub fn kinds(mut self, kinds: impl IntoIterator<Item = MemberKind>) -> Self {
        self.kinds = kinds.into_iter().collect();
        self
    }
    /// Restricts candidates to these countries.
    #[must_use]
    pub fn countries(mut self, countries: impl IntoIterator<Item = Country>) -> Self {
        self.countries = countries.into_iter().collect();
        self
    }
    /// Restricts candidates to these verticals.
    #[must_use]
    pub fn verticals(mut self, verticals: impl IntoIterator<Item = VerticalId>) -> Self {
        self.verticals = verticals.into_iter().collect();
        self
    }
    /// Restricts candidates to these communities of practice.
    #[must_use]
    pub fn communities(mut self, communities: impl IntoIterator<Item = CopId>) -> Self {
        self.communities = communities.into_iter().collect();
        self
    }
    /// Keeps only candidates scoring at least `min`.
    #[must_use]
    pub fn min_score(mut self, min: f32) -> Self {
        self.min_score = min;
        self
    }
    /// Ranks by `method`.
    #[must_use]
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }
    /// Reports members ranked to `progress`.
    #[must_use]
    pub fn with_progress(mut self, progress: Progress) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Calls `progress(n)` as members are ranked, `n` at a time.
    #[must_use]
    pub fn progress(mut self, progress: impl Fn(usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Progress::new(progress));
        self
    }

    /// Whether any of the candidate filters (kinds, countries, verticals, communities) is set.
    pub(crate) fn is_filtered(&self) -> bool {
        !(self.kinds.is_empty()
            && self.countries.is_empty()
            && self.verticals.is_empty()
            && self.communities.is_empty())
    }

    /// Whether a candidate with profile `p` passes the filters.
    pub(crate) fn admits(&self, p: &Profile) -> bool {
        (self.kinds.is_empty()
            || self
                .kinds
                .iter()
                .any(|k| k.ordinal() == usize::from(p.kind)))
            && (self.countries.is_empty()
                || self
                    .countries
                    .iter()
                    .any(|c| c.code().as_bytes() == p.country))
            && (self.verticals.is_empty()
                || p.verticals
                    .iter()
                    .any(|&v| self.verticals.iter().any(|q| q.index() == usize::from(v))))
            && (self.communities.is_empty()
                || p.cops
                    .iter()
                    .any(|&c| self.communities.iter().any(|q| q.index() == c as usize)))
    }

    /// Reports `n` more members ranked to the progress callback, if any.
    pub(crate) fn report(&self, n: usize) {
        if let Some(p) = &self.progress {
            p.add(n);
        }
    }
}
