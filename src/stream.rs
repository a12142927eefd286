//! Every member's recommendations in batches, in member order: a whole community written as it
//! is ranked, in memory bounded by one batch.

use crate::engine::Engine;
use crate::error::Result;
use crate::explain::result::Recommendations;
use crate::rank::query::{Method, Query};

/// The explained recommendations of every member open to introductions, in member order, one
/// batch at a time (see [`Engine::recommend_stream`]). Each batch is ranked and explained in
/// parallel when it is asked for; the batches do not depend on the thread count.
pub struct RecommendationStream<'e> {
    engine: &'e Engine,
    query: Query,
    method: Method,
    open: Vec<usize>,
    batch: usize,
    next: usize,
}

impl std::fmt::Debug for RecommendationStream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecommendationStream")
            .field("members", &self.open.len())
            .field("batch", &self.batch)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl<'e> RecommendationStream<'e> {
    pub(crate) fn new(engine: &'e Engine, query: Query, batch: usize) -> Self {
        let open: Vec<usize> = engine.open_members().iter().map(|m| m.index()).collect();
        // One method for the whole stream, as for one call ranking everyone.
        let method = engine.runner().method_for(&open, &query, true);
        RecommendationStream {
            engine,
            query,
            method,
            open,
            batch: batch.max(1),
            next: 0,
        }
    }

    /// How many members the stream has left to rank.
    pub fn remaining(&self) -> usize {
        self.open.len() - self.next
    }
}

impl Iterator for RecommendationStream<'_> {
    type Item = Vec<Recommendations>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next == self.open.len() {
            return None;
        }
        let end = (self.next + self.batch).min(self.open.len());
        let members = &self.open[self.next..end];
        self.next = end;
        let engine = self.engine;
        Some(
            engine
                .runner()
                .each_by(members, &self.query, true, self.method, |s, ranking| {
                    engine.explained(s, ranking)
                }),
        )
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let batches = self.remaining().div_ceil(self.batch);
        (batches, Some(batches))
    }
}

impl Engine {
    /// [`Engine::recommend_all`] in batches of `batch` members, in member order: each batch is
    /// ranked and explained in parallel when the stream is asked for it, so a whole community
    /// can be written as it is ranked, holding one batch at a time. The lists are
    /// [`Engine::recommend_all`]'s, whatever the batch size and the thread count.
    ///
    /// # Errors
    ///
    /// As [`Engine::recommend`], checked before anything is ranked.
    ///
    /// # Complexity
    ///
    /// As [`Engine::recommend_all`] in all; O(batch · k) memory for the results.
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::{Community, Engine, MatchWeights, Query};
    ///
    /// let engine = Engine::new(Community::load("data/small.json")?, MatchWeights::default())?;
    /// let mut lines = Vec::new();
    /// for batch in engine.recommend_stream(&Query::top(3), 8)? {
    ///     for recs in batch {
    ///         lines.push(serde_json::to_string(&recs).unwrap());
    ///     }
    /// }
    /// assert_eq!(lines.len(), engine.open_members().len());
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    pub fn recommend_stream(
        &self,
        query: &Query,
        batch: usize,
    ) -> Result<RecommendationStream<'_>> {
        self.check_query(query)?;
        Ok(RecommendationStream::new(self, query.clone(), batch))
    }
}
