//! What a directory search asks for, and what it returns.

use serde::Serialize;

use crate::model::community::Community;
use crate::model::country::{Country, Region};
use crate::model::ids::MemberRef;
use crate::model::kind::MemberKind;
use crate::model::language::Language;
use crate::model::member::Member;
use crate::model::stage::Stage;
use crate::model::taxonomy::{CategoryId, VerticalId};

/// A directory search: optional text and filters (a member must match one value of every
/// filter given), and the page wanted. Built with chained setters.
///
/// # Examples
///
/// ```
/// use pollinate::{DirectoryQuery, MemberKind, Stage};
///
/// let q = DirectoryQuery::text("vetting").kinds([MemberKind::Platform]).stages([Stage::Seed]).page(0, 20);
/// assert_eq!(q.limit, 20);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct DirectoryQuery {
    /// Words to find (each must match, typos allowed); empty lists every member that passes
    /// the filters, by name.
    pub text: String,
    /// Member kinds.
    pub kinds: Vec<MemberKind>,
    /// Verticals.
    pub verticals: Vec<VerticalId>,
    /// Taxonomy categories.
    pub categories: Vec<CategoryId>,
    /// Countries.
    pub countries: Vec<Country>,
    /// Regions of Africa.
    pub regions: Vec<Region>,
    /// Growth stages (a member's own, or the stages it serves).
    pub stages: Vec<Stage>,
    /// Topic slugs the member offers.
    pub offers: Vec<String>,
    /// Topic slugs the member needs.
    pub needs: Vec<String>,
    /// Community-of-practice slugs the member is in.
    pub cops: Vec<String>,
    /// Languages the member speaks.
    pub languages: Vec<Language>,
    /// Results skipped (default 0).
    pub offset: usize,
    /// Results returned, 1 to 1,000 (default 20).
    pub limit: usize,
}

impl Default for DirectoryQuery {
    fn default() -> Self {
        DirectoryQuery {
            text: String::new(),
            kinds: Vec::new(),
            verticals: Vec::new(),
            categories: Vec::new(),
            countries: Vec::new(),
            regions: Vec::new(),
            stages: Vec::new(),
            offers: Vec::new(),
            needs: Vec::new(),
            cops: Vec::new(),
            languages: Vec::new(),
            offset: 0,
            limit: 20,
        }
    }
}

impl DirectoryQuery {
    /// Every listed member, by name.
    pub fn all() -> Self {
        DirectoryQuery::default()
    }

    /// Members matching `text`.
    pub fn text(text: impl Into<String>) -> Self {
        DirectoryQuery {
            text: text.into(),
            ..DirectoryQuery::default()
        }
    }

    /// Only these kinds.
    #[must_use]
    pub fn kinds(mut self, kinds: impl IntoIterator<Item = MemberKind>) -> Self {
        self.kinds = kinds.into_iter().collect();
        self
    }

    /// Only these verticals.
    #[must_use]
    pub fn verticals(mut self, verticals: impl IntoIterator<Item = VerticalId>) -> Self {
        self.verticals = verticals.into_iter().collect();
        self
    }

    /// Only these categories.
    #[must_use]
    pub fn categories(mut self, categories: impl IntoIterator<Item = CategoryId>) -> Self {
        self.categories = categories.into_iter().collect();
        self
    }

    /// Only these countries.
    #[must_use]
    pub fn countries(mut self, countries: impl IntoIterator<Item = Country>) -> Self {
        self.countries = countries.into_iter().collect();
        self
    }

    /// Only these regions.
    #[must_use]
    pub fn regions(mut self, regions: impl IntoIterator<Item = Region>) -> Self {
        self.regions = regions.into_iter().collect();
        self
    }

    /// Only these stages.
    #[must_use]
    pub fn stages(mut self, stages: impl IntoIterator<Item = Stage>) -> Self {
        self.stages = stages.into_iter().collect();
        self
    }

    /// Only members offering one of these topics.
    #[must_use]
    pub fn offers<S: Into<String>>(mut self, topics: impl IntoIterator<Item = S>) -> Self {
        self.offers = topics.into_iter().map(Into::into).collect();
        self
    }

    /// Only members needing one of these topics.
    #[must_use]
    pub fn needs<S: Into<String>>(mut self, topics: impl IntoIterator<Item = S>) -> Self {
        self.needs = topics.into_iter().map(Into::into).collect();
        self
    }

    /// Only members of one of these communities of practice.
    #[must_use]
    pub fn cops<S: Into<String>>(mut self, cops: impl IntoIterator<Item = S>) -> Self {
        self.cops = cops.into_iter().map(Into::into).collect();
        self
    }

    /// Only members speaking one of these languages.
    #[must_use]
    pub fn languages(mut self, languages: impl IntoIterator<Item = Language>) -> Self {
        self.languages = languages.into_iter().collect();
        self
    }

    /// The page: skip `offset` results, return at most `limit`.
    #[must_use]
    pub fn page(mut self, offset: usize, limit: usize) -> Self {
        self.offset = offset;
        self.limit = limit;
        self
    }

    /// Whether `m` passes every filter.
    pub(crate) fn admits(&self, c: &Community, m: &Member) -> bool {
        let taxonomy = c.taxonomy();
        let any_topic = |wanted: &[String], have: &[crate::model::ids::TopicId]| {
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| c.topic_id(w).is_some_and(|t| have.contains(&t)))
        };
        (self.kinds.is_empty() || self.kinds.contains(&m.kind()))
            && (self.verticals.is_empty()
                || m.verticals().iter().any(|v| self.verticals.contains(v)))
            && (self.categories.is_empty()
                || m.verticals().iter().any(|v| {
                    self.categories
                        .contains(&taxonomy.verticals()[v.index()].category())
                }))
            && (self.countries.is_empty() || self.countries.contains(&m.country()))
            && (self.regions.is_empty()
                || m.country()
                    .region()
                    .is_some_and(|r| self.regions.contains(&r)))
            && (self.stages.is_empty()
                || m.stage().is_some_and(|s| self.stages.contains(&s))
                || m.stage_focus().iter().any(|s| self.stages.contains(s)))
            && any_topic(&self.offers, m.offers())
            && any_topic(&self.needs, m.needs())
            && (self.cops.is_empty()
                || self
                    .cops
                    .iter()
                    .any(|k| c.cop_id(k).is_some_and(|k| m.communities().contains(&k))))
            && (self.languages.is_empty()
                || m.languages().iter().any(|l| self.languages.contains(l)))
    }
}

/// One member found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DirectoryHit {
    /// The member (serializes as its id).
    pub member: MemberRef,
    /// Its display name.
    pub name: String,
    /// How well it matches the text (0 without text): per query word, the best of its field
    /// weight (name 3, id and offers 2, needs and verticals 1.5, the rest 1) times the match
    /// (exact 1, prefix 0.8, typo 0.6), summed.
    pub score: f32,
}

/// A page of directory results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DirectoryPage {
    /// Members matching in all.
    pub total: usize,
    /// Results skipped before this page.
    pub offset: usize,
    /// This page.
    pub results: Vec<DirectoryHit>,
}
