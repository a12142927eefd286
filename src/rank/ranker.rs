//! What every ranking reads, built once from a community and weights: the score tables, each
//! member's profile, the ties, the exclusions and the tie-break.

use crate::exclusions::Exclusions;
use crate::model::community::Community;
use crate::rank::query::Query;
use crate::rank::topk::TieBreak;
use crate::score::profile::{Profile, Source};
use crate::score::tables::Tables;
use crate::score::weights::MatchWeights;
use crate::ties::Ties;

/// The inputs of every ranking method, one per engine.
#[derive(Clone, Debug)]
pub(crate) struct Ranker {
    pub(crate) tables: Tables,
    pub(crate) profiles: Vec<Profile>,
    pub(crate) ties: Ties,
    pub(crate) exclusions: Exclusions,
    pub(crate) tie_break: TieBreak,
    /// How many topics and communities of practice the community has (the bitsets' sizes).
    topics: usize,
    cops: usize,
}

impl Ranker {
    /// Builds the inputs of `community` ranked with `weights` (already validated).
    ///
    /// # Complexity
    ///
    /// O(n log n + e log e) for n members and e ties, introductions and blocks.
    pub(crate) fn new(community: &Community, weights: &MatchWeights) -> Self {
        let tie_break = TieBreak::new(community, weights.tie_break_seed);
        Ranker {
            tables: Tables::new(weights, community),
            profiles: community.members().iter().map(Profile::new).collect(),
            ties: Ties::new(community, tie_break.ranks()),
            exclusions: Exclusions::new(community),
            tie_break,
            topics: community.topics().len(),
            cops: community.cops().len(),
        }
    }

    /// How many members there are.
    pub(crate) fn len(&self) -> usize {
        self.profiles.len()
    }

    /// Fills `source` with member `s`'s side of its pair scores.
    pub(crate) fn fill_source(&self, s: usize, source: &mut Source) {
        source.prepare(&self.tables, &self.profiles[s], self.topics, self.cops);
    }

    /// Whether member `t` is open to introductions and passes `query`'s filters: a candidate of
    /// anyone who is not `t` and has not excluded it.
    pub(crate) fn open_and_passing(&self, t: usize, query: &Query) -> bool {
        self.exclusions.is_open(t) && (!query.is_filtered() || query.admits(&self.profiles[t]))
    }

    /// How many members are open to introductions and pass `query`'s filters.
    pub(crate) fn passing(&self, query: &Query) -> usize {
        (0..self.len())
            .filter(|&t| self.open_and_passing(t, query))
            .count()
    }

    /// How many candidates of `s` pass the exclusions and `query`'s filters when the query has
    /// no minimum score (every score is at least 0, so none falls below it): the `passing`
    /// members ([`Ranker::passing`]) less `s` itself and its exclusions that pass.
    pub(crate) fn unscored_candidates(&self, s: usize, query: &Query, passing: usize) -> usize {
        let excluded = self
            .exclusions
            .of(s)
            .iter()
            .filter(|&&t| t as usize != s && self.open_and_passing(t as usize, query))
            .count();
        passing - usize::from(self.open_and_passing(s, query)) - excluded
    }
}
