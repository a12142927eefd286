//! The [`Engine`]: built once from a community and weights, it answers every query of the
//! community: ranked, explained warm introductions, and the scores behind them.

use crate::error::{Error, Result};
use crate::explain::explainer::Explainer;
use crate::explain::result::{Introducer, Ranked, Recommendation, Recommendations};
use crate::model::community::Community;
use crate::model::ids::MemberId;
use crate::rank::query::Query;
use crate::rank::ranker::Ranker;
use crate::rank::runner::{Ranking, Runner};
use crate::score::signals::score;
use crate::score::weights::MatchWeights;

/// The match engine. Build it once with [`Engine::new`]; every query takes `&self`, and the engine
/// is `Send + Sync`, so one engine can serve many threads.
///
/// # Scoring
///
/// A candidate `t` for member `s` scores `sum_i w_i * s_i` over seven signals in [0, 1] (see
/// [`Signal`](crate::Signal) and [`MatchWeights`]): needs met both ways, taxonomy affinity,
/// growth-stage fit, shared communities of practice, geography, network warmth (weighted
/// Adamic-Adar: `aa = sum over mutual contacts z of w(s,z) * w(z,t) / ln(degree(z))`, then
/// `1 - exp(-aa)`) and the kind-pairing prior. Every signal is symmetric, so the score of
/// `(s, t)` equals that of `(t, s)`.
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
/// use pollinate::{Community, Engine, MatchWeights, Query, Signal};
///
/// // FundiFix, a pre-seed platform for plumbers in Kenya, needs worker vetting.
/// let community = Community::load("data/small.json")?;
/// let engine = Engine::new(community, MatchWeights::default())?;
/// let fundi = engine.community().resolve("fundi-fix")?;
/// let recs = engine.recommend(fundi, &Query::top(5))?;
/// let names: Vec<&str> = recs.items.iter().map(|r| r.candidate.id()).collect();
/// // SafariRiders (drivers) ranks above ChainGig (Web3), though both offer worker vetting.
/// let riders = names.iter().position(|&n| n == "safari-riders").unwrap();
/// assert!(names.iter().position(|&n| n == "chain-gig").map_or(true, |web3| riders < web3));
/// let top = &recs.items[riders];
/// let sum: f32 = top.components.values().iter().map(|c| c.contribution).sum();
/// assert!((sum - top.score).abs() < 1e-6);
/// assert!(top.components[Signal::Taxonomy].value > 0.0);
/// # Ok::<(), pollinate::Error>(())
/// ```
pub struct Engine {
    community: Community,
    weights: MatchWeights,
    runner: Runner,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("members", &self.community.len())
            .field("weights", &self.weights)
            .field("threads", &self.runner.threads())
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Builds the engine: validates `weights` against the community's taxonomy, then builds the
    /// score tables, the member profiles, the tie index and the exclusion lists.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) when a weight or table
    /// entry is out of range.
    ///
    /// # Complexity
    ///
    /// O(n log n + e log e) for n members and e ties, introductions and blocks.
    pub fn new(community: Community, weights: MatchWeights) -> Result<Self> {
        weights.validate(community.taxonomy())?;
        let runner = Runner::new(Ranker::new(&community, &weights));
        Ok(Engine {
            community,
            weights,
            runner,
        })
    }

    /// Runs parallel work on a local pool of `threads` threads instead of rayon's global pool.
    /// Results are identical for any number of threads.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) for 0 threads,
    /// [`ErrorKind::ThreadPool`](crate::ErrorKind::ThreadPool) when the pool cannot be built.
    pub fn with_threads(mut self, threads: usize) -> Result<Self> {
        if threads == 0 {
            return Err(Error::option("threads", &0, "need at least one thread"));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(Error::thread_pool)?;
        self.runner.set_pool(pool);
        Ok(self)
    }

    /// The community the engine ranks.
    pub fn community(&self) -> &Community {
        &self.community
    }

    /// The weights the engine scores with.
    pub fn weights(&self) -> &MatchWeights {
        &self.weights
    }

    /// The members open to introductions, in member order: the members every ranking of the
    /// whole community ranks.
    pub fn open_members(&self) -> Vec<MemberId> {
        self.community
            .member_ids()
            .filter(|m| self.runner.ranker.exclusions.is_open(m.index()))
            .collect()
    }

    /// The best candidates for `member` under `query`, explained. A member not open to
    /// introductions gets an empty list.
    ///
    /// [`Recommendations::candidates`] counts every candidate passing the exclusions, the
    /// filters and the minimum score; with a minimum score that means finding every candidate
    /// reaching it (see [`Method`](crate::Method)). Every method gives the brute force's list
    /// and count.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when `member` is not an id
    /// of this community, `min_score` is not in [0, 1], or a vertical or community-of-practice
    /// id is out of range.
    ///
    /// # Complexity
    ///
    /// The method's cost for one member (see [`Method`](crate::Method)), plus O(n) to count the
    /// candidates and O(k · d) to explain the k results, d the two-hop reach.
    pub fn recommend(&self, member: MemberId, query: &Query) -> Result<Recommendations> {
        self.check_member(member)?;
        self.check_query(query)?;
        let s = member.index();
        let ranking = self.runner.one(s, query, true);
        Ok(self.explained(s, ranking))
    }

    /// The best candidates under `query` for every member open to introductions, in member
    /// order, explained; members are ranked and explained in parallel.
    ///
    /// # Errors
    ///
    /// As [`Engine::recommend`].
    ///
    /// # Complexity
    ///
    /// The method's cost per member (see [`Method`](crate::Method)) plus O(k · d) per member
    /// to explain; O(n · k) memory for the results plus O(n) scratch per thread.
    pub fn recommend_all(&self, query: &Query) -> Result<Vec<Recommendations>> {
        self.check_query(query)?;
        let open: Vec<usize> = self.open_members().iter().map(|m| m.index()).collect();
        Ok(self
            .runner
            .each(&open, query, true, |s, ranking| self.explained(s, ranking)))
    }

    /// The unexplained top `query.k` of each of `members` (in the order given; members not
    /// open to introductions get an empty list): the hot path, for callers that need the lists
    /// only (tuning, planning) or rank part of a community. Members of the same kind and
    /// verticals share work when they are ranked in one call.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when a member id is not of
    /// this community, or as [`Engine::recommend`].
    ///
    /// # Complexity
    ///
    /// See [`Method`](crate::Method).
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::{Community, Engine, MatchWeights, Method, Query};
    ///
    /// let engine = Engine::new(Community::load("data/community-1500.json")?, MatchWeights::default())?;
    /// let some: Vec<_> = engine.open_members().into_iter().step_by(100).collect();
    /// let pruned = engine.rank(&some, &Query::top(5))?;
    /// let brute = engine.rank(&some, &Query::top(5).method(Method::BruteForce))?;
    /// assert_eq!(pruned, brute); // exact: the same lists, scores and order
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    pub fn rank(&self, members: &[MemberId], query: &Query) -> Result<Vec<(MemberId, Ranked)>> {
        self.check_query(query)?;
        for &m in members {
            self.check_member(m)?;
        }
        let indices: Vec<usize> = members.iter().map(|m| m.index()).collect();
        Ok(self.runner.each(&indices, query, false, |s, ranking| {
            let list = ranking
                .top
                .into_iter()
                .map(|c| (MemberId(c.member), c.score))
                .collect();
            (MemberId(s as u32), list)
        }))
    }

    /// [`Engine::rank`] of every member open to introductions, in member order.
    ///
    /// # Errors
    ///
    /// As [`Engine::recommend`].
    pub fn rank_all(&self, query: &Query) -> Result<Vec<(MemberId, Ranked)>> {
        self.rank(&self.open_members(), query)
    }

    /// The score of one pair, unexplained, whether or not it would be recommended.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when either id is not a
    /// member of this community.
    pub fn score(&self, member: MemberId, candidate: MemberId) -> Result<f32> {
        self.check_member(member)?;
        self.check_member(candidate)?;
        Ok(self.pair_score(member.index(), candidate.index()))
    }

    /// One pair scored and explained, whether or not it would be recommended (exclusions are
    /// not applied). The score is the same as in a ranking.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when either id is not a
    /// member of this community.
    pub fn explain(&self, member: MemberId, candidate: MemberId) -> Result<Recommendation> {
        self.check_member(member)?;
        self.check_member(candidate)?;
        let (s, t) = (member.index(), candidate.index());
        Ok(self.explainer().recommendation(s, t, self.pair_score(s, t)))
    }

    /// Whether a pair may be recommended at all: two members of this community, both open to
    /// introductions, not tied, never introduced, not blocked, and sharing a language (or one
    /// stating none) under [`LanguageRule::Require`](crate::LanguageRule::Require).
    pub fn is_eligible(&self, a: MemberId, b: MemberId) -> bool {
        self.runner.ranker.allows(a, b)
    }

    /// Every member sharing a contact with `member`, with the pair's weighted Adamic-Adar sum
    /// (the warmth signal is `1 - exp(-sum)`), sorted by member id: one row of the sparse
    /// product `A · D · A` over the tie adjacency `A` (`D` the inverse log-degrees), computed by
    /// a two-hop walk of the adjacency, never by intersecting contact lists pair by pair. The
    /// sums are bit-identical to those the rankings use. `member` itself is not listed.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when `member` is not an id
    /// of this community.
    ///
    /// # Complexity
    ///
    /// O(d log d) for the d members within two hops; O(n) scratch.
    pub fn mutual_reach(&self, member: MemberId) -> Result<Vec<(MemberId, f32)>> {
        self.check_member(member)?;
        let s = member.index();
        let mut aa = vec![0.0f32; self.community.slots()];
        let mut touched = Vec::new();
        self.runner.ranker.ties.warmth_row(s, &mut aa, &mut touched);
        let mut row: Vec<(MemberId, f32)> = touched
            .iter()
            .filter(|&&t| t as usize != s)
            .map(|&t| (MemberId(t), aa[t as usize]))
            .collect();
        row.sort_unstable_by_key(|&(m, _)| m);
        Ok(row)
    }

    /// How many pairs [`Method::Pruned`](crate::Method::Pruned) rankings have scored since the
    /// engine was built (the brute force scores every eligible pair: about n - 1 per member).
    /// Compare with n² to see how much the bounds prune.
    pub fn pruned_pairs_scored(&self) -> u64 {
        self.runner.pruned_pairs()
    }

    /// Whether `a` and `b` may be seated together at an event both came to: as
    /// [`Engine::is_eligible`], except that members not open to introductions count as open
    /// (coming to the event is their consent to meet).
    pub fn may_meet(&self, a: MemberId, b: MemberId) -> bool {
        self.runner.ranker.may_meet(a, b)
    }

    /// An engine from its parts (a changed community's).
    pub(crate) fn from_parts(community: Community, weights: MatchWeights, runner: Runner) -> Self {
        Engine {
            community,
            weights,
            runner,
        }
    }

    /// Whether member `m` is open to introductions (and not removed).
    pub(crate) fn is_open(&self, m: MemberId) -> bool {
        self.runner.ranker.exclusions.is_open(m.index())
    }

    /// Runs `f` on the engine's thread pool.
    pub(crate) fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.runner.install(f)
    }

    /// Possible introducers of a pair, best first (see [`Engine`]'s rule).
    pub(crate) fn introducer_options(&self, a: MemberId, b: MemberId) -> Vec<Introducer> {
        self.explainer().introducers(a, b)
    }

    /// The tie-break hash of a pair.
    pub(crate) fn pair_key(&self, s: usize, t: usize) -> u64 {
        self.runner.ranker.tie_break.pair_key(s, t)
    }

    /// The score of `(s, t)`, both in range.
    pub(crate) fn pair_score(&self, s: usize, t: usize) -> f32 {
        let r = &self.runner.ranker;
        score(
            &r.tables,
            &r.profiles[s],
            &r.profiles[t],
            r.ties.adamic_adar(s, t),
        )
    }

    fn explainer(&self) -> Explainer<'_> {
        Explainer {
            community: &self.community,
            ranker: &self.runner.ranker,
            min_tie: self.weights.introducer.min_tie,
            for_both: false,
        }
    }

    /// The pair `(a, b)` explained for both of them (an introduction both are told of): neither
    /// member's needs are named without its consent.
    pub(crate) fn explain_for_both(&self, a: MemberId, b: MemberId) -> Recommendation {
        let explainer = Explainer {
            for_both: true,
            ..self.explainer()
        };
        let (s, t) = (a.index(), b.index());
        explainer.recommendation(s, t, self.pair_score(s, t))
    }

    pub(crate) fn runner(&self) -> &Runner {
        &self.runner
    }

    pub(crate) fn explained(&self, s: usize, ranking: Ranking) -> Recommendations {
        let explainer = self.explainer();
        Recommendations {
            member: self.community.member_ref(MemberId(s as u32)),
            items: ranking
                .top
                .into_iter()
                .map(|c| explainer.recommendation(s, c.member as usize, c.score))
                .collect(),
            candidates: ranking.candidates,
        }
    }

    pub(crate) fn check_member(&self, member: MemberId) -> Result<()> {
        if self.community.get(member).is_some() {
            Ok(())
        } else {
            Err(Error::option(
                "member",
                &member.index(),
                "not a member id of this engine's community",
            ))
        }
    }

    pub(crate) fn check_query(&self, query: &Query) -> Result<()> {
        if !(query.min_score.is_finite() && (0.0..=1.0).contains(&query.min_score)) {
            return Err(Error::option(
                "min_score",
                &query.min_score,
                "must be a finite number in [0, 1]",
            ));
        }
        if let Some(v) = query
            .verticals
            .iter()
            .find(|v| v.index() >= self.community.taxonomy().verticals().len())
        {
            return Err(Error::option(
                "verticals",
                &v.index(),
                "not a vertical id of this community's taxonomy",
            ));
        }
        if let Some(c) = query
            .communities
            .iter()
            .find(|c| c.index() >= self.community.cops().len())
        {
            return Err(Error::option(
                "communities",
                &c.index(),
                "not a community-of-practice id of this community",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
        assert_send_sync::<Community>();
    }

    /// Members are explained on the worker thread that ranked them: the explained lists are
    /// the same on one thread and three.
    #[test]
    fn explained_lists_do_not_depend_on_threads() {
        let community = Community::load(concat!(env!("CARGO_MANIFEST_DIR"), "/data/small.json"))
            .expect("the sample loads");
        let one = Engine::new(community.clone(), MatchWeights::default())
            .and_then(|e| e.with_threads(1))
            .expect("an engine");
        let three = Engine::new(community, MatchWeights::default())
            .and_then(|e| e.with_threads(3))
            .expect("an engine");
        let q = Query::top(4);
        let a = one.recommend_all(&q).expect("ranks");
        let b = three.recommend_all(&q).expect("ranks");
        assert_eq!(a, b);
    }
}
