//! Learning resources, journeys through them, and what members consumed: the validated
//! catalogue.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::model::date::Date;
use crate::model::ids::MemberId;
use crate::model::language::Language;
use crate::model::slug::{UnknownSlug, normalize_slug, suggest};
use crate::model::stage::Stage;
use crate::model::taxonomy::VerticalId;

/// A resource's dense id: its position in the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId(pub(crate) u32);

impl ResourceId {
    /// The position in [`Catalogue::resources`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What kind of learning resource it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceKind {
    /// A blog post or article.
    Article,
    /// A landscape scan or market study.
    LandscapeScan,
    /// An online course.
    Course,
    /// A toolkit, template or playbook.
    Toolkit,
    /// A recorded talk or webinar.
    Recording,
    /// A live event or session.
    Event,
}

impl ResourceKind {
    /// Every kind.
    pub const ALL: [ResourceKind; 6] = [
        ResourceKind::Article,
        ResourceKind::LandscapeScan,
        ResourceKind::Course,
        ResourceKind::Toolkit,
        ResourceKind::Recording,
        ResourceKind::Event,
    ];

    /// The slug used in files and output.
    pub fn slug(self) -> &'static str {
        match self {
            ResourceKind::Article => "article",
            ResourceKind::LandscapeScan => "landscape-scan",
            ResourceKind::Course => "course",
            ResourceKind::Toolkit => "toolkit",
            ResourceKind::Recording => "recording",
            ResourceKind::Event => "event",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl std::str::FromStr for ResourceKind {
    type Err = UnknownSlug;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let slug = normalize_slug(s);
        ResourceKind::ALL
            .into_iter()
            .find(|k| k.slug() == slug)
            .ok_or_else(|| UnknownSlug {
                suggestion: suggest(&slug, ResourceKind::ALL.iter().map(|k| k.slug())),
            })
    }
}

impl Serialize for ResourceKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.slug())
    }
}

/// A learning resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub(crate) id: Arc<str>,
    pub(crate) title: String,
    pub(crate) kind: ResourceKind,
    /// Topic slugs, sorted, each once.
    pub(crate) topics: Vec<Arc<str>>,
    pub(crate) verticals: Vec<VerticalId>,
    pub(crate) stages: Vec<Stage>,
    pub(crate) languages: Vec<Language>,
    pub(crate) minutes: Option<u32>,
    pub(crate) url: Option<String>,
}

impl Resource {
    /// Its unique id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Its title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Its kind.
    pub fn kind(&self) -> ResourceKind {
        self.kind
    }
    /// The topics it covers (slugs, sorted), matched against members' needs and offers.
    pub fn topics(&self) -> &[Arc<str>] {
        &self.topics
    }
    /// The verticals it is written for (empty: any).
    pub fn verticals(&self) -> &[VerticalId] {
        &self.verticals
    }
    /// The growth stages it is written for (empty: any).
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }
    /// The languages it is available in (empty: the community's main language).
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }
    /// How long it takes, in minutes, if known.
    pub fn minutes(&self) -> Option<u32> {
        self.minutes
    }
    /// Where it is, if known.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }
}

/// A curated learning journey: resources to take in order, for some stages.
#[derive(Clone, Debug, PartialEq)]
pub struct Journey {
    pub(crate) id: Arc<str>,
    pub(crate) title: String,
    pub(crate) stages: Vec<Stage>,
    pub(crate) steps: Vec<ResourceId>,
}

impl Journey {
    /// Its unique id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Its title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// The stages it is for (empty: any).
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }
    /// Its steps, in order.
    pub fn steps(&self) -> &[ResourceId] {
        &self.steps
    }
}

/// A member took a resource, perhaps on a date, perhaps rating it 1 to 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Consumption {
    /// Who.
    pub member: MemberId,
    /// What.
    pub resource: ResourceId,
    /// When, if recorded.
    pub date: Option<Date>,
    /// How useful they found it, 1 to 5, if they said.
    pub rating: Option<u8>,
}

impl Consumption {
    /// How useful the member found it, in [0, 1]: a rating of 4 or 5 is 1, 3 is 0.5, 1 or 2
    /// is 0; no rating counts as 0.75 (they took it and did not complain).
    pub fn usefulness(&self) -> f32 {
        match self.rating {
            Some(4..) => 1.0,
            Some(3) => 0.5,
            Some(_) => 0.0,
            None => 0.75,
        }
    }
}

/// The learning catalogue of a community: resources, journeys and what members consumed,
/// validated against the community (members, taxonomy).
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    pub(crate) resources: Vec<Resource>,
    pub(crate) journeys: Vec<Journey>,
    pub(crate) consumed: Vec<Consumption>,
    pub(crate) by_id: HashMap<Arc<str>, ResourceId>,
}

impl Catalogue {
    /// Every resource, in input order (a [`ResourceId`] indexes it).
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }
    /// Every journey, in input order.
    pub fn journeys(&self) -> &[Journey] {
        &self.journeys
    }
    /// What members consumed, in input order.
    pub fn consumed(&self) -> &[Consumption] {
        &self.consumed
    }
    /// The resource with this id.
    pub fn resource_id(&self, id: &str) -> Option<ResourceId> {
        self.by_id.get(id.trim()).copied()
    }
    /// The resource `id` names.
    ///
    /// # Panics
    ///
    /// When `id` is not of this catalogue.
    pub fn resource(&self, id: ResourceId) -> &Resource {
        &self.resources[id.index()]
    }
    /// Whether the catalogue has no resources.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }
}
