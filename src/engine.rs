//! The [`Engine`]: built once from a community and weights, it ranks warm-introduction
//! candidates for one member or all of them, in parallel, with explanations.

use std::cmp::Ordering;
use std::hash::Hasher;

use rayon::prelude::*;

use crate::community::Community;
use crate::country::Country;
use crate::error::{Error, Result};
use crate::explain::{Explainer, Introducer};
use crate::graph::CommunityGraph;
use crate::member::{CopId, MemberId};
use crate::score::{self, Profile, Tables};
use crate::stage::MemberKind;
use crate::taxonomy::VerticalId;
use crate::weights::{MatchWeights, SIGNAL_NAMES};

/// Which candidates a query considers, and how many it returns.
///
/// Empty restriction lists mean "no restriction"; a non-empty list keeps candidates matching any
/// entry.
///
/// # Examples
///
/// ```
/// use pollinate::{MemberKind, Query};
///
/// let q = Query::top(5).kinds([MemberKind::Investor]).min_score(0.3);
/// assert_eq!(q.k, 5);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// How many recommendations at most (default 10). Any size works; when fewer candidates
    /// pass, all are returned and [`Recommendations::is_exhaustive`] says so.
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
}

impl Default for Query {
    fn default() -> Self {
        Query::top(10)
    }
}

impl Query {
    /// Whether any of the candidate filters (kinds, countries, verticals, communities) is set.
    pub(crate) fn is_filtered(&self) -> bool {
        !(self.kinds.is_empty()
            && self.countries.is_empty()
            && self.verticals.is_empty()
            && self.communities.is_empty())
    }

    /// A query for the top `k` with no restrictions.
    pub fn top(k: usize) -> Self {
        Query {
            k,
            min_score: 0.0,
            kinds: Vec::new(),
            countries: Vec::new(),
            verticals: Vec::new(),
            communities: Vec::new(),
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
}

/// How [`Engine::rank_all_with`] and [`Engine::rank_members_with`] find each member's top k.
/// All three are exact and return the same lists, scores and order.
///
/// # Complexity
///
/// For n members, c the cost of scoring one pair and d the two-hop reach of a member:
/// - [`Method::BruteForce`] scores every pair: O(n² · c) time, O(n · k) memory for the results
///   plus O(n) scratch per thread (kept by the engine for its next ranking).
/// - [`Method::Pruned`] builds an index once (O(n log n + p log p + e) for p list entries, at
///   most 25 offer-need pairs plus 20 pairs within offers or within needs per member in the
///   generated communities, and e ties and exclusions; O(n + p + e) memory), then sorts the g
///   groups of members sharing kind and verticals once per group of sources (O(g), shared by
///   the members of that group when they are ranked together, as `rank_all` does). Per member
///   it walks its two-hop reach (d), counts its l entries in the topic lists of its needs and
///   offers, walks the groups best first until their bound falls below the running k-th score
///   (v groups, b blocks and classes bounded) and scores only the m candidates whose bound
///   reaches it: O(d + l + v + b + m · c + a) time, a the most needs of any member (a table
///   of its one-sided needs bounds), and O(n) scratch per thread, which the scale benchmarks
///   measure. Worst case (nothing prunes, for example a community where every member
///   offers and needs everything) it scores every pair, like the brute force.
/// - [`Method::Scan`] uses the pruned search's index (built once, as above) and scores every
///   pair, O(g + d + n) per member plus O(c) for each of the h members sharing a topic, a
///   community or a contact with it: O(n · (g + n) + h · c) time in all, O(n) scratch per
///   thread. The pruned search is faster when few candidates can reach the k-th score (top-k
///   rankings); the scan when most must be scored anyway (a low minimum score, all of them
///   counted): see `BENCHMARKS.md`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Bounds on a tree of members' backgrounds (kind and verticals, stage, country,
    /// communities) and on need matches prune pairs that cannot reach the top k (the default).
    #[default]
    Pruned,
    /// Scores every pair: the reference the pruned search is tested against.
    BruteForce,
    /// Scores every pair like the brute force, in the pruned search's index order and from its
    /// per-source tables: a candidate sharing no topic, community or contact with the member
    /// (most of them) is scored from its group's, stage's and country's signals alone, with
    /// no needs signal to compute; the others in full. What
    /// [`Engine::recommend_all_with`] and [`Engine::recommend_with`] use when most candidates
    /// reach the minimum score.
    Scan,
}

/// One signal's part in a score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Component {
    /// The signal's name, one of [`SIGNAL_NAMES`].
    pub name: &'static str,
    /// The raw signal in [0, 1].
    pub signal: f32,
    /// The signal's weight, normalised so the seven sum to 1.
    pub weight: f32,
    /// `weight * signal`; the seven add up to the score.
    pub contribution: f32,
}

/// One recommended candidate, with why and through whom.
#[derive(Clone, Debug, PartialEq)]
pub struct Recommendation {
    /// The member recommended.
    pub candidate: MemberId,
    /// The score in [0, 1]: the sum of the components' contributions.
    pub score: f32,
    /// The seven components, in [`SIGNAL_NAMES`] order.
    pub components: [Component; 7],
    /// The best introducer, when the two share a contact who is open to introductions.
    pub introducer: Option<Introducer>,
    /// Plain-language reasons naming the concrete needs, offers, verticals, stages, communities
    /// and contacts behind the score.
    pub reasons: Vec<String>,
}

/// A member's ranked recommendations.
#[derive(Clone, Debug, PartialEq)]
pub struct Recommendations {
    /// The member the recommendations are for.
    pub member: MemberId,
    /// Best first: by score descending, then the tie-break of [`Engine`].
    pub items: Vec<Recommendation>,
    /// How many candidates passed the exclusions and the query's filters.
    pub candidates: usize,
}

impl Recommendations {
    /// Whether every candidate that passed is in `items` (k was at least the number of
    /// candidates).
    pub fn is_exhaustive(&self) -> bool {
        self.items.len() == self.candidates
    }
}

/// A scored candidate before explanation; ordered best first.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scored {
    pub(crate) score: f32,
    pub(crate) key: u64,
    pub(crate) rank: u32,
    pub(crate) member: u32,
}

/// Best first: score descending (`total_cmp`), then the pair's tie-break hash ascending, then the
/// candidate's id ascending.
pub(crate) fn best_first(a: &Scored, b: &Scored) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(a.key.cmp(&b.key))
        .then(a.rank.cmp(&b.rank))
}

/// [`Engine::recommend_with`] asks the pruned search for at most one in this many of the open
/// members before it scores every candidate instead, by the scan (measured on one member at a
/// time: see `BENCHMARKS.md`).
const PROBE_SHARE: usize = 20;

/// How many members [`Engine::recommend_all_with`] ranks first, spread evenly, to choose how to
/// rank the rest when the query has a minimum score.
const PLAN_SAMPLE: usize = 32;

/// [`Engine::recommend_all_with`] takes the pruned search for a minimum score while the sampled
/// members have, on average, at most one in this many of the open members above it, and the
/// scan otherwise. Measured (every member's explained top 10, the pruned search's time over the
/// scan's, by share of the open members reaching the minimum score): 2.6%, 4.5%, 5.6% and 9.7%
/// took 0.85x, 1.0x, 1.1x and 1.2x at 1,500 members; 2.5%, 4.3%, 5.3% and 9.3% took 0.75x,
/// 0.86x, 0.88x and 1.4x at 10k (see `BENCHMARKS.md`).
const PRUNED_SHARE: usize = 15;

/// Ranked candidates of one member: (candidate, score), best first.
pub type Ranked = Vec<(MemberId, f32)>;

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Per-thread scratch space for ranking one member.
pub(crate) struct Scratch {
    pub(crate) aa: Vec<f32>,
    pub(crate) touched: Vec<u32>,
    pub(crate) excluded: Vec<bool>,
    pub(crate) source: score::Source,
    /// The pruned search's state.
    pub(crate) walk: crate::prune::Walk,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            aa: vec![0.0; n],
            touched: Vec::new(),
            excluded: vec![false; n],
            source: score::Source::default(),
            walk: crate::prune::Walk::default(),
        }
    }

    /// Clears the warmth row [`Engine::prepare`] filled.
    fn reset_warmth(&mut self) {
        for &t in &self.touched {
            self.aa[t as usize] = 0.0;
        }
        self.touched.clear();
    }
}

/// A [`Scratch`] lent by [`Engine::lend_scratch`], returned to the engine's pool on drop.
struct Lent<'a> {
    engine: &'a Engine,
    scratch: Option<Scratch>,
}

impl std::ops::Deref for Lent<'_> {
    type Target = Scratch;
    fn deref(&self) -> &Scratch {
        self.scratch
            .as_ref()
            .expect("a loan holds its scratch until dropped")
    }
}

impl std::ops::DerefMut for Lent<'_> {
    fn deref_mut(&mut self) -> &mut Scratch {
        self.scratch
            .as_mut()
            .expect("a loan holds its scratch until dropped")
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let (Some(scratch), Ok(mut pool)) = (self.scratch.take(), self.engine.scratches.lock()) {
            pool.push(scratch);
        }
    }
}

/// The best `k` candidates seen so far, in a max-heap with the worst on top.
pub(crate) struct TopK {
    k: usize,
    heap: std::collections::BinaryHeap<Worst>,
}

impl TopK {
    pub(crate) fn new(k: usize) -> Self {
        TopK {
            k,
            heap: std::collections::BinaryHeap::with_capacity(k.min(4096) + 1),
        }
    }

    /// The score a candidate must reach to enter: minus infinity until k are held.
    pub(crate) fn threshold(&self) -> f32 {
        match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.k => worst.score,
            _ if self.k == 0 => f32::INFINITY,
            _ => f32::NEG_INFINITY,
        }
    }

    /// Offers candidate `t` of `s`; the tie-break hash is computed only when the score reaches
    /// the worst kept.
    pub(crate) fn offer(&mut self, engine: &Engine, s: usize, t: usize, score: f32) {
        if self.k == 0 {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(Worst::new(engine.scored(s, t, score)));
            return;
        }
        let Some(mut worst) = self.heap.peek_mut() else {
            return;
        };
        if score < worst.score {
            return;
        }
        let item = Worst::new(engine.scored(s, t, score));
        // Replacing the worst in place sifts once, where a pop and a push sift twice; a peek
        // that is only read does not sift.
        if item < *worst {
            *worst = item;
        }
    }

    /// The candidates kept, best first: in ascending order of [`Worst`], which is
    /// [`best_first`]'s order packed into one integer.
    pub(crate) fn into_sorted(self) -> Vec<Scored> {
        let top: Vec<Scored> = self
            .heap
            .into_sorted_vec()
            .into_iter()
            .map(Worst::scored)
            .collect();
        debug_assert!(top.is_sorted_by(|a, b| best_first(a, b).is_le()));
        top
    }
}

/// A [`Scored`] ordered so that a max-heap keeps the worst of the best k on top: its order
/// ([`best_first`]'s, the worst greatest) packed into one integer, so that comparing two takes
/// one comparison.
#[derive(Clone, Copy, Debug)]
struct Worst {
    /// From the high bits: the score, mapped so that a lower score (by `total_cmp`) is a
    /// greater number; the tie-break hash; the candidate's rank.
    order: u128,
    /// The score as given (also in `order`, kept whole so that the threshold is read without
    /// undoing the mapping), and the candidate.
    score: f32,
    member: u32,
}

impl Worst {
    fn new(item: Scored) -> Self {
        // `total_cmp`'s mapping of the bits to an integer in the same order, unsigned: a
        // negative score's bits all flipped, a positive one's sign bit set. Flipped again
        // below, so that lower scores map to greater numbers.
        let bits = item.score.to_bits();
        let ascending = bits ^ ((bits >> 31).wrapping_neg() | (1 << 31));
        Worst {
            order: (u128::from(!ascending) << 96)
                | (u128::from(item.key) << 32)
                | u128::from(item.rank),
            score: item.score,
            member: item.member,
        }
    }

    fn scored(self) -> Scored {
        Scored {
            score: self.score,
            key: (self.order >> 32) as u64,
            rank: self.order as u32,
            member: self.member,
        }
    }
}

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.order == other.order
    }
}
impl Eq for Worst {}
impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order.cmp(&other.order)
    }
}

/// The match engine. Build it once with [`Engine::new`]; every query takes `&self`, and the engine
/// is `Send + Sync`, so one engine can serve many threads.
///
/// # Scoring
///
/// A candidate `t` for member `s` scores `sum_i w_i * s_i` over seven signals in [0, 1] (see
/// [`SIGNAL_NAMES`] and [`MatchWeights`]): needs met both ways, taxonomy affinity, growth-stage
/// fit, shared communities of practice, geography, network warmth (weighted Adamic-Adar:
/// `aa = sum over mutual contacts z of w(s,z) * w(z,t) / ln(degree(z))`, then `1 - exp(-aa)`)
/// and the kind-pairing prior. Every signal is symmetric, so the score of `(s, t)` equals that of
/// `(t, s)`.
///
/// # Never recommended
///
/// The member itself; an existing tie; a pair with any recorded introduction (whatever its
/// outcome); a blocked pair (either way round); a member not open to introductions (they neither
/// receive recommendations nor appear in anyone's).
///
/// # Order and ties
///
/// Best first by score (`f32::total_cmp`). Equal scores are common (pairs that share no need or
/// offer tie on their background signals), so ties are broken by a hash of the pair (FNV-1a of
/// both string ids, mixed with [`MatchWeights::tie_break_seed`]), then by candidate id. The hash
/// is symmetric and independent of input order and thread count, and it gives every member a
/// different order among tied candidates, spreading exposure instead of sending every tie to the
/// lowest ids.
///
/// # Introducers
///
/// The introducer of a pair is the mutual contact with the strongest pair of ties (the product
/// of the two strengths), ties broken by id. Only mutual contacts (paths of length two) are used:
/// a path of length three asks two intermediaries to relay the introduction and is not warm, so
/// such pairs get no introducer and the community team introduces them directly. A member not
/// open to introductions is never named as introducer, though their ties still count towards
/// warmth (the network is what it is).
///
/// # Examples
///
/// ```
/// use pollinate::{Community, Engine, MatchWeights};
///
/// // FundiFix, a pre-seed platform for plumbers in Kenya, needs worker vetting.
/// let community = Community::load("data/small.json")?;
/// let engine = Engine::new(community, MatchWeights::default())?;
/// let fundi = engine.community().resolve("fundi-fix")?;
/// let recs = engine.recommend(fundi, 5)?;
/// let names: Vec<&str> = recs.items.iter().map(|r| engine.community()[r.candidate].id()).collect();
/// // SafariRiders (drivers) ranks above ChainGig (Web3), though both offer worker vetting.
/// let riders = names.iter().position(|&n| n == "safari-riders").unwrap();
/// assert!(names.iter().position(|&n| n == "chain-gig").map_or(true, |web3| riders < web3));
/// let top = &recs.items[riders];
/// let sum: f32 = top.components.iter().map(|c| c.contribution).sum();
/// assert!((sum - top.score).abs() < 1e-6);
/// # Ok::<(), pollinate::Error>(())
/// ```
pub struct Engine {
    community: Community,
    weights: MatchWeights,
    pub(crate) tables: Tables,
    pub(crate) profiles: Vec<Profile>,
    graph: CommunityGraph,
    /// Position of each member in the order of string ids.
    rank: Vec<u32>,
    fingerprint: Vec<u64>,
    /// Ties as CSR, each member's list sorted by the contact's rank, so sums over mutual contacts
    /// run in one order whatever the input order.
    adj_start: Vec<usize>,
    adj: Vec<(u32, f32)>,
    inv_log_degree: Vec<f32>,
    excl_start: Vec<usize>,
    excl: Vec<u32>,
    pub(crate) open: Vec<bool>,
    /// The pruned ranking's index, built on first use.
    index: std::sync::OnceLock<crate::prune::Index>,
    /// Pairs scored by the pruned search since the engine was built.
    pruned_pairs: std::sync::atomic::AtomicU64,
    /// Scratch spaces lent to ranking jobs and returned after, so that their O(n) buffers (and
    /// the pruned search's per-group tables) are allocated once per thread, not once per job.
    scratches: std::sync::Mutex<Vec<Scratch>>,
    pool: Option<rayon::ThreadPool>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("members", &self.community.len())
            .field("weights", &self.weights)
            .field(
                "threads",
                &self
                    .pool
                    .as_ref()
                    .map(rayon::ThreadPool::current_num_threads),
            )
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Builds the engine: validates `weights` against the community's taxonomy, builds the
    /// graph, the member profiles, the tie index and the exclusion lists.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWeight`] when a weight or table entry is out of range.
    ///
    /// # Complexity
    ///
    /// O(n log n + e log e) for n members and e ties, introductions and blocks.
    pub fn new(community: Community, weights: MatchWeights) -> Result<Self> {
        weights.validate(community.taxonomy())?;
        let n = community.len();
        let tables = Tables::new(&weights, &community);
        let profiles: Vec<Profile> = community.members().iter().map(Profile::new).collect();
        let graph = CommunityGraph::new(&community);

        let mut by_id: Vec<u32> = (0..n as u32).collect();
        by_id.sort_by(|&a, &b| {
            community.members()[a as usize]
                .id()
                .cmp(community.members()[b as usize].id())
        });
        let mut rank = vec![0u32; n];
        for (r, &m) in by_id.iter().enumerate() {
            rank[m as usize] = r as u32;
        }
        let fingerprint = community
            .members()
            .iter()
            .map(|m| {
                let mut h = fnv::FnvHasher::default();
                h.write(m.id().as_bytes());
                h.finish()
            })
            .collect();

        let mut adj_start = Vec::with_capacity(n + 1);
        let mut adj = Vec::with_capacity(2 * community.connections().len());
        let mut inv_log_degree = Vec::with_capacity(n);
        for m in community.member_ids() {
            let mut list: Vec<(u32, f32)> = graph
                .ties_of(m)
                .iter()
                .map(|c| (c.member.0, c.strength))
                .collect();
            list.sort_by_key(|&(t, _)| rank[t as usize]);
            adj_start.push(adj.len());
            adj.extend_from_slice(&list);
            // A mutual contact has degree >= 2, so ln(degree) >= ln 2 > 0.
            inv_log_degree.push(if list.len() >= 2 {
                1.0 / (list.len() as f32).ln()
            } else {
                0.0
            });
        }
        adj_start.push(adj.len());

        let mut excl_lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        let pairs = community
            .connections()
            .iter()
            .map(|c| (c.a, c.b))
            .chain(community.introductions().iter().map(|i| (i.a, i.b)))
            .chain(community.blocked().iter().copied());
        for (a, b) in pairs {
            excl_lists[a.index()].push(b.0);
            excl_lists[b.index()].push(a.0);
        }
        let mut excl_start = Vec::with_capacity(n + 1);
        let mut excl = Vec::new();
        for list in &mut excl_lists {
            list.sort_unstable();
            list.dedup();
            excl_start.push(excl.len());
            excl.extend_from_slice(list);
        }
        excl_start.push(excl.len());
        let open = community
            .members()
            .iter()
            .map(crate::member::Member::open_to_intros)
            .collect();
        Ok(Engine {
            community,
            weights,
            tables,
            profiles,
            graph,
            rank,
            fingerprint,
            adj_start,
            adj,
            inv_log_degree,
            excl_start,
            excl,
            open,
            index: std::sync::OnceLock::new(),
            pruned_pairs: std::sync::atomic::AtomicU64::new(0),
            scratches: std::sync::Mutex::new(Vec::new()),
            pool: None,
        })
    }

    /// Runs parallel work on a local pool of `threads` threads instead of rayon's global pool.
    /// Results are identical for any number of threads.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] for 0 threads, [`Error::ThreadPool`] when the pool cannot be
    /// built.
    pub fn with_threads(mut self, threads: usize) -> Result<Self> {
        if threads == 0 {
            return Err(Error::InvalidOption {
                name: "threads",
                value: "0".into(),
                reason: "need at least one thread",
            });
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|source| Error::ThreadPool { source })?;
        self.pool = Some(pool);
        Ok(self)
    }

    fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match &self.pool {
            Some(pool) => pool.install(f),
            None => f(),
        }
    }

    /// The community the engine ranks.
    pub fn community(&self) -> &Community {
        &self.community
    }

    /// The weights the engine scores with.
    pub fn weights(&self) -> &MatchWeights {
        &self.weights
    }

    /// The community's weighted graph.
    pub fn graph(&self) -> &CommunityGraph {
        &self.graph
    }

    /// How many pairs [`Method::Pruned`] rankings have scored since the engine was built (the
    /// brute force scores every eligible pair: about n - 1 per member). Compare with n² to see
    /// how much the bounds prune.
    pub fn pruned_pairs_scored(&self) -> u64 {
        self.pruned_pairs.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn count_pruned_pairs(&self, pairs: u64) {
        self.pruned_pairs
            .fetch_add(pairs, std::sync::atomic::Ordering::Relaxed);
    }

    /// The pruned ranking's index, built on first use.
    pub(crate) fn index(&self) -> &crate::prune::Index {
        self.index.get_or_init(|| {
            let threads = self
                .pool
                .as_ref()
                .map_or_else(rayon::current_num_threads, |pool| {
                    pool.current_num_threads()
                });
            crate::prune::Index::new(
                &self.profiles,
                &self.open,
                |m| self.contacts(m),
                |m| self.excluded_of(m),
                threads,
            )
        })
    }

    /// Lends a scratch space from the engine's pool (a new one when the pool is empty); it goes
    /// back to the pool when the loan is dropped.
    fn lend_scratch(&self) -> Lent<'_> {
        let pooled = self.scratches.lock().ok().and_then(|mut pool| pool.pop());
        Lent {
            engine: self,
            scratch: Some(pooled.unwrap_or_else(|| Scratch::new(self.community.len()))),
        }
    }

    /// Member `m`'s ties, `(contact, strength)`, sorted by the contact's rank.
    pub(crate) fn contacts(&self, m: usize) -> &[(u32, f32)] {
        &self.adj[self.adj_start[m]..self.adj_start[m + 1]]
    }

    /// `1 / ln(degree)` of member `z` as a mutual contact (0 below degree 2).
    pub(crate) fn inv_log_degree(&self, z: usize) -> f32 {
        self.inv_log_degree[z]
    }

    pub(crate) fn excluded_of(&self, m: usize) -> &[u32] {
        &self.excl[self.excl_start[m]..self.excl_start[m + 1]]
    }

    /// The weighted Adamic-Adar sum of one pair, by merging the two rank-sorted contact lists.
    pub(crate) fn adamic_adar(&self, s: usize, t: usize) -> f32 {
        let (a, b) = (self.contacts(s), self.contacts(t));
        let (mut i, mut j, mut acc) = (0, 0, 0.0f32);
        while i < a.len() && j < b.len() {
            let (za, wa) = a[i];
            let (zb, wb) = b[j];
            match self.rank[za as usize].cmp(&self.rank[zb as usize]) {
                Ordering::Less => i += 1,
                Ordering::Greater => j += 1,
                Ordering::Equal => {
                    acc += wa * wb * self.inv_log_degree[za as usize];
                    i += 1;
                    j += 1;
                }
            }
        }
        acc
    }

    /// Adds the Adamic-Adar sums of `s` with every member two hops away into `scratch.aa`, in the
    /// same order of mutual contacts as [`Engine::adamic_adar`], so the sums are bit-identical.
    fn warmth_row(&self, s: usize, scratch: &mut Scratch) {
        for &(z, w_sz) in self.contacts(s) {
            let ild = self.inv_log_degree[z as usize];
            for &(t, w_zt) in self.contacts(z as usize) {
                if scratch.aa[t as usize] == 0.0 {
                    scratch.touched.push(t);
                }
                scratch.aa[t as usize] += w_sz * w_zt * ild;
            }
        }
    }

    /// Every member sharing a contact with `member`, with the pair's weighted Adamic-Adar sum
    /// (the warmth signal is `1 - exp(-sum)`), sorted by member id: one row of the sparse
    /// product `A · D · A` over the tie adjacency `A` (`D` the inverse log-degrees), computed by
    /// a two-hop walk of the CSR adjacency, never by intersecting contact lists pair by pair.
    /// The sums are bit-identical to those the rankings use. `member` itself is not listed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when `member` is not an id of this community.
    ///
    /// # Complexity
    ///
    /// O(d log d) for the d members within two hops; O(n) scratch.
    pub fn mutual_reach(&self, member: MemberId) -> Result<Vec<(MemberId, f32)>> {
        self.check_member(member)?;
        let s = member.index();
        let mut scratch = Scratch::new(self.community.len());
        self.warmth_row(s, &mut scratch);
        let mut row: Vec<(MemberId, f32)> = scratch
            .touched
            .iter()
            .filter(|&&t| t as usize != s)
            .map(|&t| (MemberId(t), scratch.aa[t as usize]))
            .collect();
        row.sort_unstable_by_key(|&(m, _)| m);
        Ok(row)
    }

    /// Possible introducers of a pair, best first (see [`Engine`]'s rule).
    pub(crate) fn introducer_options(&self, a: MemberId, b: MemberId) -> Vec<Introducer> {
        Explainer {
            community: &self.community,
            graph: &self.graph,
            tables: &self.tables,
        }
        .introducers(a, b)
    }

    pub(crate) fn pair_key(&self, s: usize, t: usize) -> u64 {
        let (a, b) = (self.fingerprint[s], self.fingerprint[t]);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        splitmix(splitmix(self.weights.tie_break_seed ^ lo).wrapping_add(hi))
    }

    fn check_member(&self, member: MemberId) -> Result<()> {
        if member.index() < self.community.len() {
            Ok(())
        } else {
            Err(Error::InvalidOption {
                name: "member",
                value: member.index().to_string(),
                reason: "not a member id of this engine's community",
            })
        }
    }

    fn check_query(&self, query: &Query) -> Result<()> {
        if !(query.min_score.is_finite() && (0.0..=1.0).contains(&query.min_score)) {
            return Err(Error::InvalidOption {
                name: "min_score",
                value: query.min_score.to_string(),
                reason: "must be a finite number in [0, 1]",
            });
        }
        if let Some(v) = query
            .verticals
            .iter()
            .find(|v| v.index() >= self.community.taxonomy().verticals().len())
        {
            return Err(Error::InvalidOption {
                name: "verticals",
                value: v.index().to_string(),
                reason: "not a vertical id of this community's taxonomy",
            });
        }
        if let Some(c) = query
            .communities
            .iter()
            .find(|c| c.index() >= self.community.cops().len())
        {
            return Err(Error::InvalidOption {
                name: "communities",
                value: c.index().to_string(),
                reason: "not a community-of-practice id of this community",
            });
        }
        Ok(())
    }

    pub(crate) fn passes(&self, t: usize, query: &Query) -> bool {
        let m = &self.community.members()[t];
        (query.kinds.is_empty() || query.kinds.contains(&m.kind()))
            && (query.countries.is_empty() || query.countries.contains(&m.country()))
            && (query.verticals.is_empty()
                || m.verticals().iter().any(|v| query.verticals.contains(v)))
            && (query.communities.is_empty()
                || m.communities()
                    .iter()
                    .any(|c| query.communities.contains(c)))
    }

    /// Whether member `t` is open to introductions and passes `query`'s filters: a candidate of
    /// anyone who is not `t` and has not excluded it.
    fn open_and_passing(&self, t: usize, query: &Query) -> bool {
        self.open[t] && (!query.is_filtered() || self.passes(t, query))
    }

    /// How many members are open to introductions and pass `query`'s filters.
    fn passing(&self, query: &Query) -> usize {
        (0..self.community.len())
            .filter(|&t| self.open_and_passing(t, query))
            .count()
    }

    /// How many candidates of `s` pass the exclusions and `query`'s filters when the query has
    /// no minimum score (every score is at least 0, so none falls below it): the `passing`
    /// members ([`Engine::passing`]) less `s` itself and its exclusions that pass.
    fn unscored_candidates(&self, s: usize, query: &Query, passing: usize) -> usize {
        let excluded = self
            .excluded_of(s)
            .iter()
            .filter(|&&t| t as usize != s && self.open_and_passing(t as usize, query))
            .count();
        passing - usize::from(self.open_and_passing(s, query)) - excluded
    }

    /// Calls `f(t, score)` for every candidate `t` in `range` of member `s` (whose exclusions,
    /// warmth and source are in `scratch`) that passes the exclusions, the query's filters and
    /// its minimum score: the one scoring loop behind every ranking.
    fn for_each_candidate(
        &self,
        s: usize,
        range: std::ops::Range<usize>,
        query: &Query,
        scratch: &Scratch,
        mut f: impl FnMut(usize, f32),
    ) {
        let ps = &self.profiles[s];
        let filtered = query.is_filtered();
        for t in range {
            if t == s
                || !self.open[t]
                || scratch.excluded[t]
                || (filtered && !self.passes(t, query))
            {
                continue;
            }
            let score = score::score_from(
                &self.tables,
                &scratch.source,
                ps,
                &self.profiles[t],
                scratch.aa[t],
            );
            if score >= query.min_score {
                f(t, score);
            }
        }
    }

    pub(crate) fn scored(&self, s: usize, t: usize, score: f32) -> Scored {
        Scored {
            score,
            key: self.pair_key(s, t),
            rank: self.rank[t],
            member: t as u32,
        }
    }

    /// Prepares `scratch` for source `s`: its [`score::Source`], its warmth row and its
    /// exclusions.
    fn prepare(&self, s: usize, scratch: &mut Scratch) {
        self.fill_source(s, &mut scratch.source);
        self.warmth_row(s, scratch);
        for &x in self.excluded_of(s) {
            scratch.excluded[x as usize] = true;
        }
    }

    /// Fills `source` with member `s`'s side of its pair scores.
    pub(crate) fn fill_source(&self, s: usize, source: &mut score::Source) {
        source.prepare(
            &self.tables,
            &self.profiles[s],
            self.community.topics().len(),
            self.community.cops().len(),
        );
    }

    /// Undoes [`prepare`](Engine::prepare).
    fn reset(&self, s: usize, scratch: &mut Scratch) {
        scratch.reset_warmth();
        for &x in self.excluded_of(s) {
            scratch.excluded[x as usize] = false;
        }
    }

    /// Scores every candidate of `s` sequentially and keeps the best `query.k` in a bounded
    /// heap; the tie-break hash is computed only for candidates that reach the heap's worst.
    fn rank_member(&self, s: usize, query: &Query, scratch: &mut Scratch) -> (Vec<Scored>, usize) {
        if !self.open[s] {
            return (Vec::new(), 0);
        }
        self.prepare(s, scratch);
        let mut top = TopK::new(query.k);
        let mut candidates = 0;
        self.for_each_candidate(s, 0..self.community.len(), query, scratch, |t, score| {
            candidates += 1;
            top.offer(self, s, t, score);
        });
        self.reset(s, scratch);
        (top.into_sorted(), candidates)
    }

    /// The top `k` candidates for `member`, explained. Same as
    /// [`recommend_with`](Engine::recommend_with) with [`Query::top(k)`](Query::top).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when `member` is not an id of this engine's community.
    pub fn recommend(&self, member: MemberId, k: usize) -> Result<Recommendations> {
        self.recommend_with(member, &Query::top(k))
    }

    /// Member `s`'s first `query.k` candidates reaching `query.min_score`, best first, and how
    /// many reach it, by the pruned search asked for the best `first` of them, then four times
    /// as many, until it returns fewer than asked (so it returned all of them); `None` once it
    /// would be asked for more than `most` (or `query.k`, if more).
    fn above_minimum(
        &self,
        s: usize,
        query: &Query,
        first: usize,
        most: usize,
        scratch: &mut Scratch,
    ) -> Option<(Vec<Scored>, usize)> {
        let mut probe = Query {
            k: first,
            ..query.clone()
        };
        while probe.k <= most.max(query.k) {
            let mut top = self.rank_member_pruned(s, &probe, scratch);
            if top.len() < probe.k {
                let candidates = top.len();
                top.truncate(query.k);
                return Some((top, candidates));
            }
            let more = probe.k.saturating_mul(4);
            if more == probe.k {
                break;
            }
            probe.k = more;
        }
        None
    }

    /// The best candidates for `member` under `query`, explained. A member not open to
    /// introductions gets an empty list.
    ///
    /// Without a minimum score the list comes from the exact pruned search ([`Method::Pruned`],
    /// whose index is built on the engine's first pruned ranking) and the candidates are
    /// counted from the filters and exclusions. With one, [`Recommendations::candidates`] counts
    /// those reaching it: the pruned search is asked for the best 16 (or k, if more) above the
    /// minimum score, then four times as many, until it returns fewer than asked (so it
    /// returned every candidate reaching the minimum score) or would be asked for more than a
    /// twentieth of the open members; then every candidate is scored instead, by the scan
    /// ([`Method::Scan`]). All give the brute-force list and count.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when `member` is not an id of this community, `min_score` is not
    /// in [0, 1], or a vertical or community-of-practice id is out of range.
    ///
    /// # Complexity
    ///
    /// Without a minimum score: O(n) to count the candidates plus the pruned search (see
    /// [`Method`]). With one: the pruned search at most log4(n / 320) + 1 times, each time for
    /// four times as many, and if that is not enough, the scan's O(g + d + n + h · c) (see
    /// [`Method`]) for n members, g groups, d the member's two-hop reach, h the members sharing
    /// a topic, community or contact with it and c the cost of scoring a pair; O(n) memory.
    /// Explaining the k results adds O(k · d).
    pub fn recommend_with(&self, member: MemberId, query: &Query) -> Result<Recommendations> {
        self.check_member(member)?;
        self.check_query(query)?;
        let s = member.index();
        if !self.open[s] {
            return Ok(Recommendations {
                member,
                items: Vec::new(),
                candidates: 0,
            });
        }
        if query.min_score == 0.0 {
            let mut scratch = self.lend_scratch();
            let top = self.rank_member_pruned(s, query, &mut scratch);
            return Ok(Recommendations {
                member,
                items: self.explain_all(s, top),
                candidates: self.unscored_candidates(s, query, self.passing(query)),
            });
        }
        let most = self.index().open_members() / PROBE_SHARE;
        let mut scratch = self.lend_scratch();
        let (top, candidates) = self
            .above_minimum(s, query, query.k.max(16), most, &mut scratch)
            .unwrap_or_else(|| self.rank_member_scan(s, query, &mut scratch));
        Ok(Recommendations {
            member,
            items: self.explain_all(s, top),
            candidates,
        })
    }

    /// The top `k` for every member open to introductions, in member (input) order. Same as
    /// [`recommend_all_with`](Engine::recommend_all_with) with [`Query::top(k)`](Query::top).
    ///
    /// # Errors
    ///
    /// As [`Engine::recommend_all_with`].
    pub fn recommend_all(&self, k: usize) -> Result<Vec<Recommendations>> {
        self.recommend_all_with(&Query::top(k))
    }

    /// The best candidates under `query` for every member open to introductions, in member
    /// (input) order, explained; members are ranked in parallel.
    ///
    /// Without a minimum score each list comes from the exact pruned search (as
    /// [`rank_all`](Engine::rank_all)) and the candidates are counted from the filters and
    /// exclusions. With one, [`Recommendations::candidates`] counts those reaching it, so every
    /// one of them must be found: 32 members spread evenly are ranked first by the pruned search
    /// with no limit on k (its threshold stays at the minimum score, so it scores every
    /// candidate that can reach it and rules out the others by their bounds), and if they have
    /// on average at most one in fifteen of the open members above the minimum score, every
    /// member is ranked that way; otherwise (a low minimum score) every member's candidates
    /// are all scored by the scan ([`Method::Scan`]). All give the brute-force lists and
    /// counts; only the time differs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when `min_score` is not in [0, 1] or a vertical or
    /// community-of-practice id is out of range.
    ///
    /// # Complexity
    ///
    /// Without a minimum score: [`rank_all`](Engine::rank_all)'s (see [`Method`]) plus O(n) to
    /// count and O(k · d) per member to explain, d its two-hop reach. With one: the pruned
    /// search's per member (see [`Method`]) plus O(a log a) for the a candidates above the
    /// minimum score, or the scan's (see [`Method`]) when the sample has many above it.
    /// O(n · k) memory for the results plus O(n) scratch per thread.
    pub fn recommend_all_with(&self, query: &Query) -> Result<Vec<Recommendations>> {
        self.check_query(query)?;
        if query.min_score == 0.0 {
            let ranked = self.rank_all(query)?;
            let passing = self.passing(query);
            return Ok(self.install(|| {
                ranked
                    .into_par_iter()
                    .map(|(member, list)| {
                        let s = member.index();
                        Recommendations {
                            member,
                            items: list
                                .into_iter()
                                .map(|(t, score)| self.explain(s, t.index(), score))
                                .collect(),
                            candidates: self.unscored_candidates(s, query, passing),
                        }
                    })
                    .collect()
            }));
        }
        let n = self.community.len();
        let open: Vec<usize> = (0..n).filter(|&s| self.open[s]).collect();
        // Every candidate above the minimum score in one search (no limit on how many).
        let above = |s: usize, scratch: &mut Scratch| {
            self.above_minimum(s, query, usize::MAX, usize::MAX, scratch)
        };
        // The sample is ranked again below if the pruned search is chosen: 32 members.
        let sample: Vec<usize> = open
            .iter()
            .step_by((open.len() / PLAN_SAMPLE).max(1))
            .copied()
            .collect();
        let sampled: usize = self.install(|| {
            sample
                .par_iter()
                .map_init(
                    || self.lend_scratch(),
                    |scratch, &s| above(s, scratch).map_or(0, |(_, candidates)| candidates),
                )
                .sum()
        });
        let pruned = sampled * PRUNED_SHARE <= sample.len() * open.len();
        // Index order, as in `rank_members_with_progress`.
        let mut order = open;
        let index = self.index();
        order.sort_by_key(|&s| (index.position(s), s));
        // Each member is explained where it is ranked, in parallel.
        let mut explained: Vec<Recommendations> = self.install(|| {
            order
                .par_iter()
                .map_init(
                    || self.lend_scratch(),
                    |scratch, &s| {
                        let found = if pruned { above(s, scratch) } else { None };
                        let (top, candidates) =
                            found.unwrap_or_else(|| self.rank_member_scan(s, query, scratch));
                        Recommendations {
                            member: MemberId(s as u32),
                            items: self.explain_all(s, top),
                            candidates,
                        }
                    },
                )
                .collect()
        });
        // Back to member order.
        explained.sort_unstable_by_key(|recs| recs.member);
        Ok(explained)
    }

    /// The unexplained top-`k` (candidate, score) of every member open to introductions, in member
    /// order: the hot path of [`Engine::recommend_all`] without explanations, by the exact pruned
    /// search ([`Method::Pruned`]). Same as [`rank_members`](Engine::rank_members) over every
    /// open member.
    ///
    /// # Errors
    ///
    /// As [`Engine::recommend_all_with`].
    ///
    /// # Complexity
    ///
    /// See [`Method`].
    pub fn rank_all(&self, query: &Query) -> Result<Vec<(MemberId, Ranked)>> {
        self.rank_all_with(query, Method::Pruned)
    }

    /// [`rank_all`](Engine::rank_all) by the given method; both return the same lists.
    ///
    /// # Errors
    ///
    /// As [`Engine::recommend_all_with`].
    pub fn rank_all_with(&self, query: &Query, method: Method) -> Result<Vec<(MemberId, Ranked)>> {
        let open: Vec<MemberId> = (0..self.community.len())
            .filter(|&s| self.open[s])
            .map(|s| MemberId(s as u32))
            .collect();
        self.rank_members_with(&open, query, method)
    }

    /// The unexplained top-`k` of each of `members` (in the order given; members not open to
    /// introductions get an empty list) by the exact pruned search: a batch of
    /// [`Engine::rank_all`], for callers that rank part of a community (or spread the work
    /// across machines). To report progress, rank everyone in one call of
    /// [`rank_members_with_progress`](Engine::rank_members_with_progress) rather than in slices:
    /// members of the same kind and verticals share work when they are ranked together.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when a member id is not of this community, or as
    /// [`Engine::rank_all`].
    pub fn rank_members(
        &self,
        members: &[MemberId],
        query: &Query,
    ) -> Result<Vec<(MemberId, Ranked)>> {
        self.rank_members_with(members, query, Method::Pruned)
    }

    /// [`rank_members`](Engine::rank_members) by the given method; both return the same lists.
    ///
    /// # Errors
    ///
    /// As [`Engine::rank_members`].
    pub fn rank_members_with(
        &self,
        members: &[MemberId],
        query: &Query,
        method: Method,
    ) -> Result<Vec<(MemberId, Ranked)>> {
        self.rank_members_with_progress(members, query, method, &|_| {})
    }

    /// [`rank_members_with`](Engine::rank_members_with), calling `progress(1)` each time a
    /// member is ranked (from the worker threads, in no particular order), for progress bars.
    ///
    /// # Errors
    ///
    /// As [`Engine::rank_members`].
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// # let community = pollinate::generate(&pollinate::GeneratorConfig::default().members(200))?;
    /// let engine = pollinate::Engine::new(community, pollinate::MatchWeights::default())?;
    /// let members: Vec<_> = engine.community().member_ids().collect();
    /// let done = AtomicUsize::new(0);
    /// let lists = engine.rank_members_with_progress(
    ///     &members,
    ///     &pollinate::Query::top(5),
    ///     pollinate::Method::Pruned,
    ///     &|n| {
    ///         done.fetch_add(n, Ordering::Relaxed);
    ///     },
    /// )?;
    /// assert_eq!(done.into_inner(), members.len());
    /// assert_eq!(lists.len(), members.len());
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    pub fn rank_members_with_progress(
        &self,
        members: &[MemberId],
        query: &Query,
        method: Method,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<(MemberId, Ranked)>> {
        self.check_query(query)?;
        for &m in members {
            self.check_member(m)?;
        }
        // The pruned search shares work among sources of the same group (see `prune`): run the
        // members in index order, so each thread takes runs of the same group, then put the
        // lists back in the order asked. The lists do not depend on the order.
        let mut order: Vec<usize> = (0..members.len()).collect();
        if method != Method::BruteForce && !members.is_empty() {
            let index = self.index();
            order.sort_by_key(|&i| (index.position(members[i].index()), i));
        }
        let lists: Vec<Ranked> = self.install(|| {
            order
                .par_iter()
                .map_init(
                    || self.lend_scratch(),
                    |scratch, &i| {
                        let s = members[i].index();
                        let top = match method {
                            _ if !self.open[s] => Vec::new(),
                            Method::Pruned => self.rank_member_pruned(s, query, scratch),
                            Method::BruteForce => self.rank_member(s, query, scratch).0,
                            Method::Scan => self.rank_member_scan(s, query, scratch).0,
                        };
                        progress(1);
                        top.into_iter()
                            .map(|c| (MemberId(c.member), c.score))
                            .collect()
                    },
                )
                .collect()
        });
        let mut out: Vec<(MemberId, Ranked)> =
            members.iter().map(|&m| (m, Ranked::new())).collect();
        for (&i, list) in order.iter().zip(lists) {
            out[i].1 = list;
        }
        Ok(out)
    }

    /// The score of one pair, unexplained (the hot-path function), whether or not it would be
    /// recommended.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when either id is not a member of this community.
    pub fn score(&self, member: MemberId, candidate: MemberId) -> Result<f32> {
        self.check_member(member)?;
        self.check_member(candidate)?;
        let (s, t) = (member.index(), candidate.index());
        Ok(score::score(
            &self.tables,
            &self.profiles[s],
            &self.profiles[t],
            self.adamic_adar(s, t),
        ))
    }

    /// Scores one pair, explained, whether or not it would be recommended (exclusions are not
    /// applied). The score is the same as in a ranking.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when either id is not a member of this community.
    pub fn score_pair(&self, member: MemberId, candidate: MemberId) -> Result<Recommendation> {
        self.check_member(member)?;
        self.check_member(candidate)?;
        let (s, t) = (member.index(), candidate.index());
        let score = score::score(
            &self.tables,
            &self.profiles[s],
            &self.profiles[t],
            self.adamic_adar(s, t),
        );
        Ok(self.explain(s, t, score))
    }

    /// Whether a pair may be recommended at all: not the same member, both open to
    /// introductions, not tied, never introduced, not blocked.
    pub fn is_eligible(&self, a: MemberId, b: MemberId) -> bool {
        let n = self.community.len();
        a != b
            && a.index() < n
            && b.index() < n
            && self.open[a.index()]
            && self.open[b.index()]
            && self.excluded_of(a.index()).binary_search(&b.0).is_err()
    }

    fn explain_all(&self, s: usize, top: Vec<Scored>) -> Vec<Recommendation> {
        top.into_iter()
            .map(|c| self.explain(s, c.member as usize, c.score))
            .collect()
    }

    fn explain(&self, s: usize, t: usize, score: f32) -> Recommendation {
        let aa = self.adamic_adar(s, t);
        let signals = score::signals(&self.tables, &self.profiles[s], &self.profiles[t], aa);
        let contributions = score::contributions(&self.tables, &signals);
        let components = std::array::from_fn(|i| Component {
            name: SIGNAL_NAMES[i],
            signal: signals[i],
            weight: self.tables.weights[i],
            contribution: contributions[i],
        });
        let explainer = Explainer {
            community: &self.community,
            graph: &self.graph,
            tables: &self.tables,
        };
        let (introducer, reasons) = explainer.explain(
            MemberId(s as u32),
            MemberId(t as u32),
            &signals,
            &contributions,
        );
        Recommendation {
            candidate: MemberId(t as u32),
            score,
            components,
            introducer,
            reasons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bounded heap keeps exactly the first k of the full order, ties broken as
    /// documented, whatever order the candidates come in.
    #[test]
    fn top_k_heap_keeps_the_first_k_of_the_order() {
        let community = crate::generate(&crate::GeneratorConfig::default().members(40))
            .expect("the generator's defaults are valid");
        let e = Engine::new(community, MatchWeights::default()).expect("valid weights");
        // Scores tie in sevens, so the tie-break decides most places.
        let offered: Vec<(usize, f32)> = (0..40)
            .map(|t| (t * 17 % 40, (t % 7) as f32 / 7.0))
            .collect();
        let mut all: Vec<Scored> = offered.iter().map(|&(t, x)| e.scored(3, t, x)).collect();
        all.sort_unstable_by(best_first);
        for k in 0..=41 {
            let mut top = TopK::new(k);
            for &(t, x) in &offered {
                top.offer(&e, 3, t, x);
            }
            let kept: Vec<u32> = top.into_sorted().iter().map(|c| c.member).collect();
            let first: Vec<u32> = all.iter().take(k).map(|c| c.member).collect();
            assert_eq!(kept, first, "k = {k}");
        }
    }

    /// The packed order of the heap is exactly the documented order, negative scores, signed
    /// zeros, infinities and ties included.
    #[test]
    fn packed_heap_order_is_best_first() {
        let scores = [
            f32::NEG_INFINITY,
            -1.0,
            -f32::MIN_POSITIVE,
            -0.0,
            0.0,
            f32::MIN_POSITIVE,
            0.5,
            0.5f32.next_up(),
            1.0,
            f32::INFINITY,
        ];
        let keys = [0, 1, u64::MAX / 2, u64::MAX];
        let ranks = [0, 7, u32::MAX];
        let mut items = Vec::new();
        for &score in &scores {
            for &key in &keys {
                for &rank in &ranks {
                    items.push(Scored {
                        score,
                        key,
                        rank,
                        member: rank ^ 5,
                    });
                }
            }
        }
        for a in &items {
            let back = Worst::new(*a).scored();
            assert_eq!(
                (back.score.to_bits(), back.key, back.rank, back.member),
                (a.score.to_bits(), a.key, a.rank, a.member)
            );
            for b in &items {
                assert_eq!(
                    Worst::new(*a).cmp(&Worst::new(*b)),
                    best_first(a, b),
                    "{a:?} against {b:?}"
                );
            }
        }
    }

    #[test]
    fn splitmix_spreads() {
        assert_ne!(splitmix(1), splitmix(2));
    }
}
