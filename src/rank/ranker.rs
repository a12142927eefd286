//! What every ranking reads, built once from a community and weights: the score tables, each
//! member's profile, the ties, the exclusions, the language rule and the tie-break.

use crate::chunked::Chunked;
use crate::exclusions::Exclusions;
use crate::model::community::Community;
use crate::model::ids::MemberId;
use crate::rank::query::Query;
use crate::rank::topk::TieBreak;
use crate::score::profile::{Profile, Source};
use crate::score::signals::{language_factor, language_factor_of};
use crate::score::tables::Tables;
use crate::score::weights::MatchWeights;
use crate::ties::Ties;

/// The inputs of every ranking method, one per engine.
#[derive(Clone, Debug)]
pub(crate) struct Ranker {
    pub(crate) tables: Tables,
    pub(crate) profiles: Chunked<Profile>,
    pub(crate) ties: Ties,
    pub(crate) exclusions: Exclusions,
    pub(crate) tie_break: TieBreak,
    /// Each member's set of languages, and each set's languages with their fold: the language
    /// rule is a table of sets against sets (a few).
    language_sets: Chunked<u16>,
    sets: Vec<(Box<[u16]>, u64)>,
    /// How many topics and communities of practice the community has (the bitsets' sizes).
    topics: usize,
    cops: usize,
}

/// How many members a query admits, by set of languages: counting a member's candidates then
/// costs one look at each set instead of one at each member.
pub(crate) struct Passing {
    by_set: Vec<usize>,
}

impl Ranker {
    /// Builds the inputs of `community` ranked with `weights` (already validated).
    ///
    /// # Complexity
    ///
    /// O(n log n + e log e) for n members and e ties, introductions and blocks.
    pub(crate) fn new(community: &Community, weights: &MatchWeights) -> Self {
        let tie_break = TieBreak::new(community, weights.tie_break_seed);
        let profiles: Chunked<Profile> = community.member_slots().map(Profile::new).collect();
        let mut ranker = Ranker {
            tables: Tables::new(weights, community),
            ties: Ties::new(community, tie_break.fingerprints()),
            exclusions: Exclusions::new(community),
            tie_break,
            language_sets: Chunked::default(),
            sets: Vec::new(),
            profiles,
            topics: community.topics().len(),
            cops: community.cops().len(),
        };
        let sets: Vec<u16> = (0..ranker.profiles.len())
            .map(|m| ranker.set_of(m))
            .collect();
        ranker.language_sets = sets.into();
        ranker
    }

    /// The set of languages of member `m`'s profile, added to the sets when new.
    fn set_of(&mut self, m: usize) -> u16 {
        let p = &self.profiles[m];
        if let Some(i) = self.sets.iter().position(|(s, _)| **s == *p.languages) {
            return i as u16;
        }
        self.sets.push((p.languages.clone(), p.language_fold));
        (self.sets.len() - 1) as u16
    }

    /// Sets member `m`'s profile (appending when `m` is new) and its set of languages.
    pub(crate) fn set_profile(&mut self, m: usize, profile: Profile) {
        if m == self.profiles.len() {
            self.profiles.push(profile);
            let set = self.set_of(m);
            self.language_sets.push(set);
        } else {
            self.profiles.set(m, profile);
            let set = self.set_of(m);
            self.language_sets.set(m, set);
        }
    }

    /// Sets the tables (for a community whose topics grew) and the bitsets' sizes.
    pub(crate) fn set_tables(&mut self, tables: Tables, topics: usize, cops: usize) {
        self.tables = tables;
        self.topics = topics;
        self.cops = cops;
    }

    /// How many members there are.
    pub(crate) fn len(&self) -> usize {
        self.profiles.len()
    }

    /// Fills `source` with member `s`'s side of its pair scores.
    pub(crate) fn fill_source(&self, s: usize, source: &mut Source) {
        source.prepare(&self.tables, &self.profiles[s], self.topics, self.cops);
    }

    /// Whether `a` and `b` may be introduced: the exclusions allow it, and so does the language
    /// rule. The one test behind every list, round and session.
    pub(crate) fn allows(&self, a: MemberId, b: MemberId) -> bool {
        self.exclusions.allows(a, b)
            && language_factor(
                &self.tables,
                &self.profiles[a.index()],
                &self.profiles[b.index()],
            )
            .is_some()
    }

    /// Whether `a` and `b` may meet at an event both came to: as [`Ranker::allows`], whether or
    /// not they are open to introductions.
    pub(crate) fn may_meet(&self, a: MemberId, b: MemberId) -> bool {
        self.exclusions.allows_meeting(a, b)
            && language_factor(
                &self.tables,
                &self.profiles[a.index()],
                &self.profiles[b.index()],
            )
            .is_some()
    }

    /// The set of languages of member `m`, as an index into [`Ranker::language_factors`].
    pub(crate) fn language_set(&self, m: usize) -> usize {
        usize::from(self.language_sets[m])
    }

    /// What the language rule does to source `s` and a member of each set of languages (see
    /// [`language_factor`]), into `out`.
    pub(crate) fn language_factors(&self, s: usize, out: &mut Vec<Option<f32>>) {
        out.clear();
        let ps = &self.profiles[s];
        out.extend(
            self.sets
                .iter()
                .map(|(languages, fold)| language_factor_of(&self.tables, ps, languages, *fold)),
        );
    }

    /// Whether member `t` is open to introductions and passes `query`'s filters: a candidate of
    /// anyone who is not `t`, has not excluded it and shares a language with it.
    pub(crate) fn open_and_passing(&self, t: usize, query: &Query) -> bool {
        self.exclusions.is_open(t) && (!query.is_filtered() || query.admits(&self.profiles[t]))
    }

    /// How many members are open to introductions and pass `query`'s filters, by set of
    /// languages.
    pub(crate) fn passing(&self, query: &Query) -> Passing {
        let mut by_set = vec![0; self.sets.len()];
        for t in 0..self.len() {
            if self.open_and_passing(t, query) {
                by_set[self.language_set(t)] += 1;
            }
        }
        Passing { by_set }
    }

    /// How many candidates of `s` pass the exclusions, the language rule and `query`'s filters
    /// when the query has no minimum score (every score is at least 0, so none falls below it):
    /// the `passing` members that share a language with `s`, less `s` itself and its
    /// exclusions.
    pub(crate) fn unscored_candidates(&self, s: usize, query: &Query, passing: &Passing) -> usize {
        let mut factors = Vec::new();
        self.language_factors(s, &mut factors);
        let allowed = |t: usize| factors[self.language_set(t)].is_some();
        let talkers: usize = passing
            .by_set
            .iter()
            .zip(&factors)
            .filter(|(_, f)| f.is_some())
            .map(|(&n, _)| n)
            .sum();
        let excluded = self
            .exclusions
            .of(s)
            .iter()
            .filter(|&&t| {
                let t = t as usize;
                t != s && allowed(t) && self.open_and_passing(t, query)
            })
            .count();
        let itself = usize::from(allowed(s) && self.open_and_passing(s, query));
        talkers - itself - excluded
    }
}
