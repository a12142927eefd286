//! Members: the validated [`Member`], its dense [`MemberId`], and the [`MemberRecord`] a builder
//! or a file supplies.

use crate::country::Country;
use crate::stage::{MemberKind, Stage};
use crate::taxonomy::VerticalId;

/// Dense id of a member inside one [`Community`](crate::Community): its 0-based position in input
/// order. String ids live in files and output; inside, everything uses this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberId(pub(crate) u32);

impl MemberId {
    /// The id as a 0-based index in input order.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Dense id of a topic (a need or offer slug) in a community; topics are numbered in
/// alphabetical order of their slugs, so ids do not depend on the order of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicId(pub(crate) u32);

impl TopicId {
    /// The id as a 0-based index into [`Community::topics`](crate::Community::topics).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Dense id of a community of practice (`CoP`), numbered in alphabetical order of the slugs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CopId(pub(crate) u32);

impl CopId {
    /// The id as a 0-based index into [`Community::cops`](crate::Community::cops).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A validated member of a community. Built by
/// [`CommunityBuilder::build`](crate::CommunityBuilder::build) or a loader; immutable.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: MemberKind,
    pub(crate) country: Country,
    pub(crate) verticals: Vec<VerticalId>,
    pub(crate) stage: Option<Stage>,
    pub(crate) stage_focus: Vec<Stage>,
    pub(crate) offers: Vec<TopicId>,
    pub(crate) needs: Vec<TopicId>,
    pub(crate) communities: Vec<CopId>,
    pub(crate) languages: Vec<String>,
    pub(crate) open_to_intros: bool,
    pub(crate) max_intros: Option<u32>,
}

impl Member {
    /// The id as written in the input (trimmed).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Display name (the id when the input gave none).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// What kind of member this is.
    pub fn kind(&self) -> MemberKind {
        self.kind
    }
    /// Home country.
    pub fn country(&self) -> Country {
        self.country
    }
    /// Verticals the member works in or is interested in (one or more; sorted, no repeats).
    pub fn verticals(&self) -> &[VerticalId] {
        &self.verticals
    }
    /// Growth stage (meaningful for platforms).
    pub fn stage(&self) -> Option<Stage> {
        self.stage
    }
    /// Stages an investor or ESO serves (sorted, no repeats).
    pub fn stage_focus(&self) -> &[Stage] {
        &self.stage_focus
    }
    /// Topics the member offers to others (sorted, no repeats).
    pub fn offers(&self) -> &[TopicId] {
        &self.offers
    }
    /// Topics the member needs (sorted, no repeats).
    pub fn needs(&self) -> &[TopicId] {
        &self.needs
    }
    /// Communities of practice the member belongs to (sorted, no repeats).
    pub fn communities(&self) -> &[CopId] {
        &self.communities
    }
    /// Languages the member works in, as given (may be empty).
    pub fn languages(&self) -> &[String] {
        &self.languages
    }
    /// Whether the member wants introductions (default true). A member who does not is never
    /// recommended and receives no recommendations.
    pub fn open_to_intros(&self) -> bool {
        self.open_to_intros
    }
    /// Most introductions per round, when the member set a limit.
    pub fn max_intros(&self) -> Option<u32> {
        self.max_intros
    }
}

/// A member as supplied by code or a file, before validation: every field as text.
///
/// Build one with [`MemberRecord::new`] and the chained setters, or with struct syntax and
/// `..Default::default()`. Slugs are normalised (case, surrounding space, inner spaces or
/// underscores) when the community is built.
///
/// # Examples
///
/// ```
/// use pollinate::MemberRecord;
///
/// let amina = MemberRecord::new("fundi-connect", "platform", "KE")
///     .name("FundiConnect")
///     .verticals(["home-technical-services"])
///     .stage("pre-seed")
///     .needs(["worker vetting", "Fundraising"])
///     .offers(["artisan-training"]);
/// assert_eq!(amina.needs, ["worker vetting", "Fundraising"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemberRecord {
    /// Unique id (required, non-empty).
    pub id: String,
    /// Display name (optional; the id when empty).
    pub name: String,
    /// Member kind slug (required).
    pub kind: String,
    /// ISO 3166-1 alpha-2 country code (required).
    pub country: String,
    /// Vertical slugs (one or more).
    pub verticals: Vec<String>,
    /// Growth stage slug.
    pub stage: Option<String>,
    /// Stage slugs an investor or ESO serves.
    pub stage_focus: Vec<String>,
    /// Topic slugs offered.
    pub offers: Vec<String>,
    /// Topic slugs needed.
    pub needs: Vec<String>,
    /// Community-of-practice slugs.
    pub communities: Vec<String>,
    /// Languages.
    pub languages: Vec<String>,
    /// Open to introductions (default true).
    pub open_to_intros: Option<bool>,
    /// Most introductions per round.
    pub max_intros: Option<u32>,
}

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl MemberRecord {
    /// A record with the three required scalar fields; add verticals before building.
    pub fn new(id: impl Into<String>, kind: impl Into<String>, country: impl Into<String>) -> Self {
        MemberRecord {
            id: id.into(),
            kind: kind.into(),
            country: country.into(),
            ..MemberRecord::default()
        }
    }
    /// Sets the display name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
    /// Sets the verticals.
    #[must_use]
    pub fn verticals<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.verticals = strings(v);
        self
    }
    /// Sets the growth stage.
    #[must_use]
    pub fn stage(mut self, stage: impl Into<String>) -> Self {
        self.stage = Some(stage.into());
        self
    }
    /// Sets the stages served.
    #[must_use]
    pub fn stage_focus<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.stage_focus = strings(v);
        self
    }
    /// Sets the topics offered.
    #[must_use]
    pub fn offers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.offers = strings(v);
        self
    }
    /// Sets the topics needed.
    #[must_use]
    pub fn needs<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.needs = strings(v);
        self
    }
    /// Sets the communities of practice.
    #[must_use]
    pub fn communities<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.communities = strings(v);
        self
    }
    /// Sets the languages.
    #[must_use]
    pub fn languages<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Self {
        self.languages = strings(v);
        self
    }
    /// Sets whether the member is open to introductions.
    #[must_use]
    pub fn open_to_intros(mut self, open: bool) -> Self {
        self.open_to_intros = Some(open);
        self
    }
    /// Sets the most introductions per round.
    #[must_use]
    pub fn max_intros(mut self, max: u32) -> Self {
        self.max_intros = Some(max);
        self
    }
}
