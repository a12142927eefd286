//! The directory's text index: every word of every listed member's name, id, offers, needs,
//! verticals, categories, kind, country, stage, communities and languages, in an `fst` map from
//! word to the members it appears for, each with the weight of the field it came from.

use fst::Map;
use rayon::prelude::*;

use crate::model::community::Community;
use crate::model::member::Member;

/// How much a word counts by where it appears: a name says most about who a member is.
pub(crate) const NAME: f32 = 3.0;
pub(crate) const ID: f32 = 2.0;
pub(crate) const OFFERS: f32 = 2.0;
pub(crate) const NEEDS: f32 = 1.5;
pub(crate) const VERTICAL: f32 = 1.5;
pub(crate) const OTHER: f32 = 1.0;

/// Words of `text`: runs of letters and digits, lower-cased and without accents (`Sénégal`
/// is `senegal`), so a search typed without them still matches.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.nfd()
                .filter(|c| !is_combining_mark(*c))
                .collect::<String>()
                .to_lowercase()
        })
}

/// Words to member postings.
#[derive(Debug)]
pub(crate) struct TextIndex {
    /// Word to its postings' position.
    pub(crate) words: Map<Vec<u8>>,
    /// Per word, `(member slot, weight)` sorted by slot, each member once at its best weight.
    pub(crate) postings: Vec<Vec<(u32, f32)>>,
}

impl TextIndex {
    /// Indexes `listed` members of `community`: each member's words found in parallel, then
    /// gathered by word (a hash map, sorted once at the end for the fst).
    pub(crate) fn new(community: &Community, listed: &[u32]) -> Self {
        let per_member: Vec<Vec<(String, f32)>> = listed
            .par_iter()
            .map(|&slot| {
                let m = &community[crate::model::ids::MemberId(slot)];
                fields(community, m)
                    .into_iter()
                    .flat_map(|(text, weight)| {
                        words(&text).map(move |w| (w, weight)).collect::<Vec<_>>()
                    })
                    .collect()
            })
            .collect();
        let mut by_word: foldhash::HashMap<String, Vec<(u32, f32)>> = foldhash::HashMap::default();
        for (&slot, words) in listed.iter().zip(per_member) {
            for (w, weight) in words {
                by_word.entry(w).or_default().push((slot, weight));
            }
        }
        let mut by_word: Vec<(String, Vec<(u32, f32)>)> = by_word.into_iter().collect();
        by_word.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut postings = Vec::with_capacity(by_word.len());
        let mut keys = Vec::with_capacity(by_word.len());
        for (word, mut list) in by_word {
            // By slot, best weight first, then one per member.
            list.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            list.dedup_by_key(|p| p.0);
            keys.push((word, postings.len() as u64));
            postings.push(list);
        }
        let words = Map::from_iter(keys).expect("words are sorted and unique");
        TextIndex { words, postings }
    }
}

/// The texts of a member that search reads, with their weights.
fn fields(c: &Community, m: &Member) -> Vec<(String, f32)> {
    let taxonomy = c.taxonomy();
    let mut out = vec![(m.name().to_owned(), NAME), (m.id().to_owned(), ID)];
    out.extend(m.offers().iter().map(|&t| (c.topic(t).to_owned(), OFFERS)));
    out.extend(m.needs().iter().map(|&t| (c.topic(t).to_owned(), NEEDS)));
    for v in m.verticals() {
        let v = &taxonomy.verticals()[v.index()];
        out.push((format!("{} {}", v.slug(), v.name()), VERTICAL));
        let cat = &taxonomy.categories()[v.category().index()];
        out.push((format!("{} {}", cat.slug(), cat.name()), OTHER));
    }
    out.push((m.kind().slug().to_owned(), OTHER));
    out.push((
        format!("{} {}", m.country().code(), m.country().name()),
        OTHER,
    ));
    if let Some(s) = m.stage() {
        out.push((s.slug().to_owned(), OTHER));
    }
    out.extend(
        m.communities()
            .iter()
            .map(|&k| (c.cop(k).to_owned(), OTHER)),
    );
    out.extend(m.languages().iter().map(|l| (l.name().to_owned(), OTHER)));
    out
}
