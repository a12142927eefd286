//! What the score reads of one member, flattened for speed ([`Profile`]), and one member's
//! side of many pair scores, precomputed once ([`Source`]).

use crate::model::country::Region;
use crate::model::member::Member;
use crate::score::tables::Tables;

/// Sentinel for "no stage" / "no region".
pub(crate) const NONE: u8 = u8::MAX;

/// What the score needs of one member, flattened for speed.
#[derive(Clone, Debug)]
pub(crate) struct Profile {
    pub(crate) kind: u8,
    pub(crate) country: [u8; 2],
    pub(crate) region: u8,
    pub(crate) stage: u8,
    /// Bit `i` set when the member's stage focus covers stage `i`.
    pub(crate) focus: u8,
    pub(crate) verticals: Box<[u16]>,
    pub(crate) offers: Box<[u32]>,
    pub(crate) needs: Box<[u32]>,
    pub(crate) cops: Box<[u32]>,
    /// The member's languages, as their two-letter codes packed into 16 bits (sorted), and
    /// folded into 64 bits (code `c` sets bit `c % 64`): disjoint folds prove no common
    /// language.
    pub(crate) languages: Box<[u16]>,
    pub(crate) language_fold: u64,
}

impl Profile {
    /// The profile of `m`, a member of `community`.
    pub(crate) fn new(m: &Member) -> Self {
        // Languages by their two-letter code, which no other member's changes can renumber.
        let languages: Box<[u16]> = m.languages().iter().map(|l| l.packed()).collect();
        let country = m.country();
        let code = country.code().as_bytes();
        Profile {
            kind: m.kind().ordinal() as u8,
            country: [code[0], code[1]],
            region: country.region().map_or(NONE, |r| {
                Region::ALL.iter().position(|&x| x == r).unwrap_or(0) as u8
            }),
            stage: m.stage().map_or(NONE, |s| s.ordinal() as u8),
            focus: m
                .stage_focus()
                .iter()
                .fold(0, |acc, s| acc | (1 << s.ordinal())),
            verticals: m.verticals().iter().map(|v| v.0).collect(),
            offers: m.offers().iter().map(|t| t.0).collect(),
            needs: m.needs().iter().map(|t| t.0).collect(),
            cops: m.communities().iter().map(|c| c.0).collect(),
            language_fold: languages.iter().fold(0, |acc, &l| acc | (1u64 << (l % 64))),
            languages,
        }
    }

    /// [`Profile::shares_language`] with a member stating `languages` (folded into `fold`).
    #[inline]
    pub(crate) fn shares_languages(&self, languages: &[u16], fold: u64) -> bool {
        self.languages.is_empty()
            || languages.is_empty()
            || (self.language_fold & fold != 0
                && self.languages.iter().any(|l| languages.contains(l)))
    }
}

/// What two members have in common on needs: how many of the first's needs the second
/// offers (`forward`) and of the second's needs the first offers (`backward`), and how many of
/// each are about money.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct NeedMatches {
    pub(crate) forward: usize,
    pub(crate) forward_money: usize,
    pub(crate) backward: usize,
    pub(crate) backward_money: usize,
}

/// A fixed-size bitset over dense ids.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    pub(crate) fn reset(&mut self, len: usize) {
        self.0.clear();
        self.0.resize(len.div_ceil(64), 0);
    }
    pub(crate) fn set(&mut self, i: u32) {
        self.0[(i / 64) as usize] |= 1 << (i % 64);
    }
    /// How many of `ids` are set.
    pub(crate) fn count_in(&self, ids: &[u32]) -> usize {
        ids.iter()
            .filter(|&&i| self.0[(i / 64) as usize] & (1 << (i % 64)) != 0)
            .count()
    }
}

/// One member's side of many pair scores, precomputed once per member: its needs, offers and
/// communities as bitsets and its best affinity to every vertical.
/// [`score_from`](crate::score::signals::score_from) with it gives bit-for-bit the same score as
/// [`score`](crate::score::signals::score).
#[derive(Clone, Debug, Default)]
pub(crate) struct Source {
    pub(crate) needs: Bits,
    pub(crate) offers: Bits,
    /// The needs and offers that are about money (see `StageConfig::money_topics`).
    pub(crate) needs_money: Bits,
    pub(crate) offers_money: Bits,
    /// Whether the source needs, and offers, any topic about money.
    money_needs: bool,
    money_offers: bool,
    cops: Bits,
    affinity: Vec<f32>,
}

impl Source {
    /// Fills the source for `p`; `topics` and `cops` are the community's counts.
    pub(crate) fn prepare(&mut self, t: &Tables, p: &Profile, topics: usize, cops: usize) {
        self.needs.reset(topics);
        self.offers.reset(topics);
        self.needs_money.reset(topics);
        self.offers_money.reset(topics);
        self.cops.reset(cops);
        self.money_needs = false;
        self.money_offers = false;
        for &x in &*p.needs {
            self.needs.set(x);
            if t.is_money(x) {
                self.needs_money.set(x);
                self.money_needs = true;
            }
        }
        for &x in &*p.offers {
            self.offers.set(x);
            if t.is_money(x) {
                self.offers_money.set(x);
                self.money_offers = true;
            }
        }
        for &x in &*p.cops {
            self.cops.set(x);
        }
        self.affinity.clear();
        self.affinity.resize(t.vertical_affinity.nrows(), 0.0);
        for &a in &*p.verticals {
            let row = t.vertical_affinity.row(usize::from(a));
            for (best, &v) in self.affinity.iter_mut().zip(row) {
                *best = best.max(v);
            }
        }
    }

    /// The best affinity of the source's verticals to each vertical.
    pub(crate) fn affinity(&self) -> &[f32] {
        &self.affinity
    }

    /// The taxonomy signal against a member in `verticals`.
    pub(crate) fn taxonomy(&self, verticals: &[u16]) -> f32 {
        verticals
            .iter()
            .fold(0.0f32, |best, &v| best.max(self.affinity[v as usize]))
    }

    /// What the source and a member offering `offers` and needing `needs` have in common on
    /// needs: the source's needs it offers and its needs the source offers, with how many of
    /// each are about money.
    pub(crate) fn matches(&self, offers: &[u32], needs: &[u32]) -> NeedMatches {
        let forward = self.needs.count_in(offers);
        let backward = self.offers.count_in(needs);
        NeedMatches {
            forward,
            forward_money: if forward > 0 && self.money_needs {
                self.needs_money.count_in(offers)
            } else {
                0
            },
            backward,
            backward_money: if backward > 0 && self.money_offers {
                self.offers_money.count_in(needs)
            } else {
                0
            },
        }
    }

    /// The communities signal against a member in `cops`, for a source in `own` communities.
    pub(crate) fn communities(&self, own: usize, cops: &[u32]) -> f32 {
        let smaller = own.min(cops.len());
        if smaller == 0 {
            0.0
        } else {
            self.cops.count_in(cops) as f32 / smaller as f32
        }
    }
}
