//! The member directory: who's who, for a quick scan. Typo-tolerant text search over names,
//! ids, offers, needs, verticals and more, filters, ranking and pages; members who opted out
//! (`consent.directory: false`) are never listed.

pub(crate) mod index;
pub(crate) mod query;

use std::collections::HashMap;

use fst::automaton::{Levenshtein, Str};
use fst::{Automaton, IntoStreamer, Map, Streamer};

use crate::directory::index::{TextIndex, words};
use crate::directory::query::{DirectoryHit, DirectoryPage, DirectoryQuery};
use crate::error::{Error, Result};
use crate::model::community::Community;
use crate::model::ids::MemberId;

/// How a matched word counts against the query word: exactly, as a prefix (the word typed so
/// far), or within the typo allowance.
const EXACT: f32 = 1.0;
const PREFIX: f32 = 0.8;
const TYPO: f32 = 0.6;

/// Words matched per query word, at most (a one-letter prefix matches many).
const MAX_EXPANSIONS: usize = 512;

/// The member directory of one community: built once, searched many times; `Send + Sync`.
///
/// # Examples
///
/// ```
/// use pollinate::{Community, Directory, DirectoryQuery, MemberKind};
///
/// let community = Community::load("data/small.json")?;
/// let directory = Directory::new(&community);
/// // "plumbr": a typo, still found; "vetting" matches what members offer or need.
/// let page = directory.search(&community, &DirectoryQuery::text("vetting").kinds([MemberKind::Platform]))?;
/// assert!(page.results.iter().any(|h| h.member.id() == "safari-riders"));
/// let page = directory.search(&community, &DirectoryQuery::text("safary riders"))?;
/// assert_eq!(page.results[0].member.id(), "safari-riders");
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Debug)]
pub struct Directory {
    /// Listed members' slots, by name then id (the order of a search without text).
    listed: Vec<u32>,
    /// Per member slot, its place in `listed` (`u32::MAX` when not listed).
    position: Vec<u32>,
    text: TextIndex,
}

impl Directory {
    /// Indexes every member of `community` that is listed (not removed, directory consent
    /// given).
    ///
    /// # Complexity
    ///
    /// O(w log w) for w words in the listed members' fields.
    pub fn new(community: &Community) -> Self {
        let mut listed: Vec<u32> = community
            .member_ids()
            .filter(|&m| community[m].consent().directory)
            .map(|m| m.0)
            .collect();
        let key = |s: &u32| {
            let m = &community[MemberId(*s)];
            (m.name().to_lowercase(), m.id().to_owned())
        };
        listed.sort_by_cached_key(key);
        let text = TextIndex::new(community, &listed);
        let mut position = vec![u32::MAX; community.slots()];
        for (i, &s) in listed.iter().enumerate() {
            position[s as usize] = i as u32;
        }
        Directory {
            listed,
            position,
            text,
        }
    }

    /// How many members are listed.
    pub fn len(&self) -> usize {
        self.listed.len()
    }

    /// Whether nobody is listed.
    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// The members matching `query` (every text word, typos allowed, and every filter), best
    /// match first, then by name and id; the page `query` asks for, and the total.
    ///
    /// `community` is the one the directory was built from, or a later snapshot of the same
    /// live community ([`Engine::apply`](crate::Engine::apply) keeps member ids): then members
    /// removed or opted out since are left out, filters read their current records, and
    /// members added since are not found until the directory is rebuilt (their words are not
    /// indexed yet).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) for a page size of 0 or
    /// over 1,000, or query text over 1,000 bytes.
    ///
    /// # Complexity
    ///
    /// O(p + n log k): p postings of the matched words (or n listed members without text),
    /// then the page of k picked from the matches.
    pub fn search(&self, community: &Community, query: &DirectoryQuery) -> Result<DirectoryPage> {
        if query.limit == 0 || query.limit > 1000 {
            return Err(Error::option("limit", &query.limit, "1 to 1000"));
        }
        if query.text.len() > 1000 {
            return Err(Error::option(
                "text",
                &format!("{} bytes", query.text.len()),
                "at most 1000 bytes",
            ));
        }
        let terms: Vec<String> = words(&query.text).collect();
        let mut hits: Vec<(u32, f32)> = if terms.is_empty() {
            self.listed.iter().map(|&s| (s, 0.0)).collect()
        } else {
            self.text_matches(&terms)
        };
        // The community may be a later snapshot of the same live community than the one the
        // index was built from: members removed or opted out since are left out.
        hits.retain(|&(s, _)| {
            community
                .get(MemberId(s))
                .is_some_and(|m| m.consent().directory && query.admits(community, m))
        });
        let total = hits.len();
        // Best score first, then the listing order (name, id).
        let order = |a: &(u32, f32), b: &(u32, f32)| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.position[a.0 as usize].cmp(&self.position[b.0 as usize]))
        };
        let end = (query.offset + query.limit).min(total);
        if terms.is_empty() {
            // Already in listing order.
        } else if end < total && end > 0 {
            hits.select_nth_unstable_by(end - 1, order);
            hits[..end].sort_by(order);
        } else {
            hits.sort_by(order);
        }
        let results = hits
            .get(query.offset.min(total)..end)
            .unwrap_or_default()
            .iter()
            .map(|&(s, score)| {
                let m = MemberId(s);
                DirectoryHit {
                    member: community.member_ref(m),
                    name: community[m].name().to_owned(),
                    score,
                }
            })
            .collect();
        Ok(DirectoryPage {
            total,
            offset: query.offset,
            results,
        })
    }

    /// Members matching every term, with the sum over terms of their best field weight times
    /// match quality.
    fn text_matches(&self, terms: &[String]) -> Vec<(u32, f32)> {
        let mut scores: Option<HashMap<u32, f32>> = None;
        for term in terms {
            let mut best: HashMap<u32, f32> = HashMap::new();
            for (word, quality) in self.expand(term) {
                for &(slot, weight) in &self.text.postings[word] {
                    let s = best.entry(slot).or_insert(0.0);
                    *s = s.max(weight * quality);
                }
            }
            scores = Some(match scores {
                None => best,
                Some(before) => before
                    .into_iter()
                    .filter_map(|(slot, s)| best.get(&slot).map(|b| (slot, s + b)))
                    .collect(),
            });
        }
        let mut out: Vec<(u32, f32)> = scores.unwrap_or_default().into_iter().collect();
        out.sort_unstable_by_key(|h| h.0); // no HashMap order leaks out
        out
    }

    /// The indexed words a query word matches, each with its best match quality: itself, words
    /// it begins (two letters or more), and words within one typo (four letters or more) or two
    /// (eight or more).
    fn expand(&self, term: &str) -> Vec<(usize, f32)> {
        let mut found: HashMap<usize, f32> = HashMap::new();
        let mut add = |i: u64, q: f32| {
            let e = found.entry(i as usize).or_insert(0.0);
            *e = e.max(q);
        };
        if let Some(i) = self.text.words.get(term) {
            add(i, EXACT);
        }
        if term.chars().count() >= 2 {
            let prefix = Str::new(term).starts_with();
            first_matches(&self.text.words, prefix, |i| add(i, PREFIX));
        }
        let typos = match term.chars().count() {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        if typos > 0 && term.len() <= 64 {
            if let Ok(near) = Levenshtein::new(term, typos) {
                first_matches(&self.text.words, near, |i| add(i, TYPO));
            }
        }
        let mut out: Vec<(usize, f32)> = found.into_iter().collect();
        out.sort_unstable_by_key(|w| w.0);
        out
    }
}

/// The first [`MAX_EXPANSIONS`] words of `words` that `automaton` accepts, each given to `add`.
fn first_matches<A: Automaton>(words: &Map<Vec<u8>>, automaton: A, mut add: impl FnMut(u64)) {
    let mut stream = words.search(automaton).into_stream();
    let mut n = 0;
    while let Some((_, i)) = stream.next() {
        add(i);
        n += 1;
        if n == MAX_EXPANSIONS {
            break;
        }
    }
}
