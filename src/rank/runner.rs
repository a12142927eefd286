//! Running rankings: the method each member is ranked by, the order members are ranked in, the
//! threads, the scratch space, and the pruned search's index, built on first use.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::rank::changed::Changed;
use crate::rank::pruned::{self, Index};
use crate::rank::query::{Method, Query};
use crate::rank::ranker::Ranker;
use crate::rank::scratch::{Scratch, ScratchPool};
use crate::rank::{brute, topk::Scored};

/// A single member's explained list with a minimum score asks the pruned search for at most
/// one in this many of the open members before it scores every candidate instead, by the scan
/// (the crossover for one member at a time).
const PROBE_SHARE: usize = 20;

/// How many members a whole community's explained lists with a minimum score rank first,
/// spread evenly, to choose how to rank the rest.
const PLAN_SAMPLE: usize = 32;

/// Those lists take the pruned search while the sampled members have, on average, at most one
/// in this many of the open members above the minimum score, and the scan otherwise (the
/// crossover of the two).
const PRUNED_SHARE: usize = 15;

/// One member's ranked list: its top k, best first, and how many candidates passed the
/// exclusions, the filters and the minimum score (counted only where asked for).
pub(crate) struct Ranking {
    pub(crate) top: Vec<Scored>,
    pub(crate) candidates: usize,
}

/// The ranking machinery of one engine: its inputs, the pruned search's index (built on first
/// use), pooled scratch space and an optional local thread pool.
#[derive(Debug)]
pub(crate) struct Runner {
    pub(crate) ranker: Ranker,
    /// The pruned search's index: built for this ranker, or inherited from an earlier one with
    /// the members changed since in `changed`.
    index: OnceLock<Arc<Index>>,
    changed: Arc<Changed>,
    scratch: ScratchPool,
    pool: Option<Arc<rayon::ThreadPool>>,
    /// Pairs scored by the pruned search since the runner was built.
    pruned_pairs: AtomicU64,
}

impl Runner {
    pub(crate) fn new(ranker: Ranker) -> Self {
        Runner {
            ranker,
            index: OnceLock::new(),
            changed: Arc::new(Changed::default()),
            scratch: ScratchPool::default(),
            pool: None,
            pruned_pairs: AtomicU64::new(0),
        }
    }

    /// Runs parallel work on `pool` from now on.
    pub(crate) fn set_pool(&mut self, pool: rayon::ThreadPool) {
        self.pool = Some(Arc::new(pool));
    }

    /// The number of threads parallel work runs on.
    pub(crate) fn threads(&self) -> usize {
        self.pool.as_deref().map_or_else(
            rayon::current_num_threads,
            rayon::ThreadPool::current_num_threads,
        )
    }

    /// Runs `f` on the local pool, if there is one.
    pub(crate) fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match &self.pool {
            Some(pool) => pool.install(f),
            None => f(),
        }
    }

    /// How many pairs the pruned search has scored since the runner was built.
    pub(crate) fn pruned_pairs(&self) -> u64 {
        self.pruned_pairs.load(Ordering::Relaxed)
    }

    /// The pruned search's index, built on first use.
    pub(crate) fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Arc::new(Index::new(&self.ranker, self.threads())))
    }

    /// The runner of `ranker`, changed from `before`'s in the members `changed` (their profiles,
    /// openness or existence): it keeps `before`'s index when one was built, with the members
    /// changed since it was marked, until they are more than [`Changed::MOST`] allows; then its
    /// index is built again on first use.
    pub(crate) fn changed_from(before: &Runner, ranker: Ranker, changed: &[u32]) -> Self {
        let mut runner = Runner::new(ranker);
        runner.pool.clone_from(&before.pool);
        if let Some(index) = before.index.get() {
            let all = before.changed.with(changed, runner.ranker.len());
            if all.members.len() <= Changed::most(runner.ranker.len()) {
                let _ = runner.index.set(Arc::clone(index));
                runner.changed = Arc::new(all);
            }
        }
        runner
    }

    /// Ranks each of `members` (in the order given; a member not open to introductions gets an
    /// empty list) and hands each list to `finish` on the worker thread that ranked it. With
    /// `counted`, every candidate reaching `query.min_score` is counted, which with a minimum
    /// score means finding them all; without, the count is left at 0.
    ///
    /// Members are ranked in the pruned search's index order, so members of the same group
    /// share the per-group tables on a thread, then put back in the order asked. The lists do
    /// not depend on the order, the method or the thread count.
    pub(crate) fn each<T: Send>(
        &self,
        members: &[usize],
        query: &Query,
        counted: bool,
        finish: impl Fn(usize, Ranking) -> T + Sync,
    ) -> Vec<T> {
        let method = self.method_for(members, query, counted);
        self.each_by(members, query, counted, method, finish)
    }

    /// [`Runner::each`] by `method`, chosen beforehand by [`Runner::method_for`] (a whole
    /// community ranked in batches chooses once).
    pub(crate) fn each_by<T: Send>(
        &self,
        members: &[usize],
        query: &Query,
        counted: bool,
        method: Method,
        finish: impl Fn(usize, Ranking) -> T + Sync,
    ) -> Vec<T> {
        let passing = (counted && query.min_score == 0.0).then(|| self.ranker.passing(query));
        let mut order: Vec<usize> = (0..members.len()).collect();
        if method != Method::BruteForce && !members.is_empty() {
            let index = self.index();
            order.sort_by_key(|&i| (index.position(members[i]), i));
        }
        let done: Vec<T> = self.install(|| {
            order
                .par_iter()
                .map_init(
                    || self.scratch.lend(self.ranker.len()),
                    |scratch, &i| {
                        let s = members[i];
                        let mut ranking = self.rank_one(s, query, method, counted, scratch);
                        if let Some(passing) = &passing {
                            if self.ranker.exclusions.is_open(s) {
                                ranking.candidates =
                                    self.ranker.unscored_candidates(s, query, passing);
                            }
                        }
                        query.report(1);
                        finish(s, ranking)
                    },
                )
                .collect()
        });
        let mut out: Vec<Option<T>> = (0..members.len()).map(|_| None).collect();
        for (&i, item) in order.iter().zip(done) {
            out[i] = Some(item);
        }
        out.into_iter()
            .map(|item| item.expect("every position was ranked once"))
            .collect()
    }

    /// One member's list, without the pool's threads: what a single query of one member asks.
    /// With a minimum score and [`Method::Auto`], the pruned search is asked for the best 16
    /// (or k, if more) above it, then four times as many, until it returns fewer than asked (so
    /// it returned every candidate reaching the minimum score) or would be asked for more than
    /// a twentieth of the open members; then every candidate is scored instead, by the scan.
    pub(crate) fn one(&self, s: usize, query: &Query, counted: bool) -> Ranking {
        let mut scratch = self.scratch.lend(self.ranker.len());
        if !self.ranker.exclusions.is_open(s) {
            return Ranking {
                top: Vec::new(),
                candidates: 0,
            };
        }
        let ranking = if counted && query.min_score > 0.0 && query.method == Method::Auto {
            let most = self.index().open_members() / PROBE_SHARE;
            self.above_minimum(s, query, query.k.max(16), most, &mut scratch)
                .unwrap_or_else(|| self.rank_one(s, query, Method::Scan, true, &mut scratch))
        } else {
            let method = self.method_for(&[s], query, counted);
            let mut ranking = self.rank_one(s, query, method, counted, &mut scratch);
            if counted && query.min_score == 0.0 {
                ranking.candidates =
                    self.ranker
                        .unscored_candidates(s, query, &self.ranker.passing(query));
            }
            ranking
        };
        query.report(1);
        ranking
    }

    /// The method every member of `members` is ranked by: the query's, or for
    /// [`Method::Auto`] the pruned search, unless every candidate above a minimum score must
    /// be counted and a sample of the open members says most reach it (then the scan).
    pub(crate) fn method_for(&self, members: &[usize], query: &Query, counted: bool) -> Method {
        if query.method != Method::Auto {
            return query.method;
        }
        if !counted || query.min_score == 0.0 || members.len() <= 1 {
            return Method::Pruned;
        }
        let open: Vec<usize> = (0..self.ranker.len())
            .filter(|&s| self.ranker.exclusions.is_open(s))
            .collect();
        let sample: Vec<usize> = open
            .iter()
            .step_by((open.len() / PLAN_SAMPLE).max(1))
            .copied()
            .collect();
        let sampled: usize = self.install(|| {
            sample
                .par_iter()
                .map_init(
                    || self.scratch.lend(self.ranker.len()),
                    |scratch, &s| {
                        self.above_minimum(s, query, usize::MAX, usize::MAX, scratch)
                            .map_or(0, |r| r.candidates)
                    },
                )
                .sum()
        });
        if sampled * PRUNED_SHARE <= sample.len() * open.len() {
            Method::Pruned
        } else {
            Method::Scan
        }
    }

    /// Member `s`'s list by `method` (not [`Method::Auto`]); with `counted` and a minimum
    /// score, every candidate reaching it is found and counted.
    fn rank_one(
        &self,
        s: usize,
        query: &Query,
        method: Method,
        counted: bool,
        scratch: &mut Scratch,
    ) -> Ranking {
        if !self.ranker.exclusions.is_open(s) {
            return Ranking {
                top: Vec::new(),
                candidates: 0,
            };
        }
        // With an inherited index, a changed source, and the scan (which reads every position),
        // take the brute force.
        let method =
            if !self.changed.is_empty() && (method == Method::Scan || self.changed.contains(s)) {
                Method::BruteForce
            } else {
                method
            };
        match method {
            Method::BruteForce => {
                let (top, candidates) = brute::top_k(&self.ranker, s, query, scratch);
                Ranking { top, candidates }
            }
            Method::Scan => self.scan(s, query, scratch),
            Method::Pruned | Method::Auto if counted && query.min_score > 0.0 => self
                .above_minimum(s, query, usize::MAX, usize::MAX, scratch)
                .unwrap_or_else(|| self.scan(s, query, scratch)),
            Method::Pruned | Method::Auto => Ranking {
                top: self.pruned(s, query, scratch),
                candidates: 0,
            },
        }
    }

    /// Member `s`'s top k by the pruned search, counting the pairs it scores; by the scan when
    /// the search would exceed its budget.
    fn pruned(&self, s: usize, query: &Query, scratch: &mut Scratch) -> Vec<Scored> {
        if self.changed.contains(s) {
            return brute::top_k(&self.ranker, s, query, scratch).0;
        }
        let Scratch { source, search, .. } = scratch;
        let index = self.index();
        match pruned::top_k(&self.ranker, index, &self.changed, s, query, source, search) {
            Some((top, work)) => {
                self.pruned_pairs.fetch_add(work.pairs, Ordering::Relaxed);
                top
            }
            None if self.changed.is_empty() => self.scan(s, query, scratch).top,
            None => brute::top_k(&self.ranker, s, query, scratch).0,
        }
    }

    /// Member `s`'s top k and every candidate counted, by the scan.
    fn scan(&self, s: usize, query: &Query, scratch: &mut Scratch) -> Ranking {
        let Scratch { source, search, .. } = scratch;
        let (top, candidates) = pruned::scan(&self.ranker, self.index(), s, query, source, search);
        Ranking { top, candidates }
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
    ) -> Option<Ranking> {
        let mut probe = Query {
            k: first,
            ..query.clone()
        };
        while probe.k <= most.max(query.k) {
            let mut top = self.pruned(s, &probe, scratch);
            if top.len() < probe.k {
                let candidates = top.len();
                top.truncate(query.k);
                return Some(Ranking { top, candidates });
            }
            let more = probe.k.saturating_mul(4);
            if more == probe.k {
                break;
            }
            probe.k = more;
        }
        None
    }
}
