//! The industry taxonomy: categories of platforms and the verticals inside them.

use std::ops::Index;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::slug::normalize_slug;
use crate::problem::{Location, Problem, ProblemKind, Record};

/// Dense id of a category in a [`Taxonomy`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryId(pub(crate) u16);

/// Dense id of a vertical in a [`Taxonomy`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VerticalId(pub(crate) u16);

impl CategoryId {
    /// The id as a 0-based index into [`Taxonomy::categories`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl VerticalId {
    /// The id as a 0-based index into [`Taxonomy::verticals`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A category of platforms (for example "Platforms for offline work").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    slug: String,
    name: Arc<str>,
    description: String,
    verticals: Vec<VerticalId>,
}

impl Category {
    /// The slug used in files and output, e.g. `offline-work`.
    pub fn slug(&self) -> &str {
        &self.slug
    }
    /// The human name, e.g. "Platforms for offline work".
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The human name, shared.
    pub(crate) fn name_arc(&self) -> Arc<str> {
        Arc::clone(&self.name)
    }
    /// A one-line description.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// The verticals in this category, in taxonomy order.
    pub fn verticals(&self) -> &[VerticalId] {
        &self.verticals
    }
}

/// A vertical (for example "Home services / technical services").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vertical {
    slug: String,
    name: Arc<str>,
    description: String,
    category: CategoryId,
}

impl Vertical {
    /// The slug used in files and output, e.g. `home-technical-services`.
    pub fn slug(&self) -> &str {
        &self.slug
    }
    /// The human name, e.g. "Home services / technical services".
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The human name, shared.
    pub(crate) fn name_arc(&self) -> Arc<str> {
        Arc::clone(&self.name)
    }
    /// A one-line description.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// The category the vertical belongs to.
    pub fn category(&self) -> CategoryId {
        self.category
    }
}

/// A two-level industry taxonomy: categories, each with one or more verticals.
///
/// [`Taxonomy::jobtech`] is the Jobtech Alliance taxonomy (5 categories, 23 verticals); another
/// community loads its own with [`Taxonomy::from_json_str`] or [`Taxonomy::from_json_path`].
///
/// # Examples
///
/// ```
/// use pollinate::Taxonomy;
///
/// let taxonomy = Taxonomy::jobtech();
/// let plumbers = taxonomy.vertical_by_slug("home-technical-services").unwrap();
/// let drivers = taxonomy.vertical_by_slug("taxi-delivery-logistics").unwrap();
/// assert_eq!(taxonomy[plumbers].category(), taxonomy[drivers].category());
/// assert_eq!(taxonomy[taxonomy[plumbers].category()].slug(), "offline-work");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taxonomy {
    categories: Vec<Category>,
    verticals: Vec<Vertical>,
}

/// The JSON shape of a taxonomy file, also used to write one.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    categories: Vec<CategoryFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    slug: String,
    name: String,
    #[serde(default)]
    description: String,
    verticals: Vec<VerticalFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerticalFile {
    slug: String,
    name: String,
    #[serde(default)]
    description: String,
}

type Spec = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, &'static str)],
);

/// The Jobtech Alliance taxonomy, names and descriptions from its published text.
const JOBTECH: &[Spec] = &[
    (
        "offline-work",
        "Platforms for offline work",
        "Platforms where the work is mediated online but delivered offline (location-based platforms).",
        &[
            (
                "taxi-delivery-logistics",
                "Taxi / ride hailing / delivery / logistics",
                "Platforms which match drivers/riders to households or businesses for gigs.",
            ),
            (
                "home-technical-services",
                "Home services / technical services",
                "Platforms which match technicians like beauticians or plumbers to households or businesses for gigs or short-term services.",
            ),
            (
                "cleaning-domestic-work",
                "Cleaning / domestic work",
                "Platforms which match cleaners to gig- or ongoing work with households or businesses.",
            ),
            (
                "care-services",
                "Care services",
                "Platforms which match careworkers like elderly carers, nannies, or medical services to households or businesses for gigs or ongoing work.",
            ),
            (
                "jobs-boards-recruitment",
                "Jobs boards / recruitment platforms",
                "Platforms which host job vacancies, and may offer hands-on recruitment/vetting or training to jobseekers.",
            ),
            (
                "distributed-manufacturing",
                "Distributed manufacturing",
                "Platforms which distribute large manufacturing orders between producers working from home or personal studios.",
            ),
        ],
    ),
    (
        "digital-work",
        "Platforms for digitally delivered work",
        "Platforms where the work is mediated and delivered online (cloud work).",
        &[
            (
                "skilled-online-freelancing",
                "Skilled online freelancing",
                "Platforms which match skilled workers (clerical, writing, professional services, virtual assistants, software) to gigs or ongoing work delivered through the platform.",
            ),
            (
                "managed-services-bpo",
                "Managed services / Global business services / BPO",
                "Businesses which manage projects or contracts delivered by multiple semi-skilled/skilled workers, including managed microtasks.",
            ),
            (
                "microwork",
                "Task-based or distributed microwork / microtasks",
                "Platforms which connect semi-skilled/skilled workers to individual digital microwork tasks.",
            ),
            (
                "x-to-earn",
                "X-to-earn / play-to-earn",
                "Platforms which provide earning opportunities for undertaking activities through the service (playing, voting, creating).",
            ),
            (
                "creator-platforms",
                "Platforms for creative content producers / influencers",
                "Platforms which enable influencers or creatives to increase their earnings through distribution, market reach or business management.",
            ),
            (
                "digital-product-trading",
                "Trading platforms for digital products",
                "Platforms which enable people to earn income through the purchase and trade of digital products like cryptocurrency or NFTs.",
            ),
        ],
    ),
    (
        "microenterprise-services",
        "Digital services for micro-enterprises",
        "Platforms that improve access to market, business performance or productivity of self-employed individuals or microenterprises.",
        &[
            (
                "ecommerce-marketplaces",
                "E-commerce marketplaces",
                "Platforms which enable microenterprises to earn income from selling products through centralised listings or marketplaces.",
            ),
            (
                "social-commerce-agents",
                "Social commerce / digitally-enabled agent models",
                "Digital platforms which enable microentrepreneurs or agents to sell products or services to their networks.",
            ),
            (
                "business-management-tools",
                "Business management tools / vertically-integrated platforms",
                "Platforms which enable microenterprises to increase earnings or profits through efficiencies and reduced costs.",
            ),
        ],
    ),
    (
        "tech-enabled-skilling",
        "Tech-enabled skilling",
        "Edtech platforms that equip people for the world of work.",
        &[
            (
                "cohort-learning",
                "Course / guided / cohort-based learning",
                "Edtech platforms on work topics with a guided learning experience.",
            ),
            (
                "self-paced-learning",
                "On-demand / self-paced learning",
                "Edtech platforms where learners engage with content at their own pace (SMS, video, gamified).",
            ),
            (
                "apprenticeships-mentorship",
                "Digital apprenticeships / mentorship / internships",
                "Platforms which facilitate digital apprenticeships or internships, or connect people to mentors.",
            ),
            (
                "professional-networking-lmi",
                "Professional networking / labour market information platforms",
                "Social network or informational platforms focused on the world of work.",
            ),
            (
                "assessment-credentialling",
                "Assessment / credentialling",
                "Platforms which provide professional vetting or credentialing to enhance employability.",
            ),
        ],
    ),
    (
        "worker-enablement",
        "Digital tools for worker enablement",
        "Digital platforms that give workers tools that enhance their rights, benefits and protections.",
        &[
            (
                "identity-reputation",
                "Identity / reputation",
                "Platforms which enable users to verify or use their professional identity or reputation to enhance livelihoods.",
            ),
            (
                "alternative-data-benefits",
                "Alternative data tools / benefits",
                "Digital services which let platform workers use their data to improve livelihoods and access benefits or similar services.",
            ),
            (
                "rights-legal-collective",
                "Rights / legal / collective engagement",
                "Digital platforms which build worker rights through collaborative engagement, legal engagement, or others.",
            ),
        ],
    ),
];

impl Taxonomy {
    /// The Jobtech Alliance jobtech taxonomy: 5 categories and their 23 verticals.
    pub fn jobtech() -> Self {
        let mut categories = Vec::new();
        let mut verticals = Vec::new();
        for (ci, (slug, name, description, verts)) in JOBTECH.iter().enumerate() {
            let mut ids = Vec::new();
            for (vslug, vname, vdesc) in *verts {
                ids.push(VerticalId(verticals.len() as u16));
                verticals.push(Vertical {
                    slug: (*vslug).to_owned(),
                    name: Arc::from(*vname),
                    description: (*vdesc).to_owned(),
                    category: CategoryId(ci as u16),
                });
            }
            categories.push(Category {
                slug: (*slug).to_owned(),
                name: Arc::from(*name),
                description: (*description).to_owned(),
                verticals: ids,
            });
        }
        Taxonomy {
            categories,
            verticals,
        }
    }

    /// Loads a taxonomy from JSON text:
    /// `{"categories": [{"slug", "name", "description", "verticals": [{"slug", "name",
    /// "description"}]}]}` (descriptions optional). Slugs are normalised like every slug.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Json`](crate::ErrorKind::Json) for malformed JSON or a wrong shape (unknown keys are refused),
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every empty or duplicate slug, empty name and category without
    /// verticals.
    pub fn from_json_str(text: &str) -> Result<Self> {
        Self::parse_json("<string>", text)
    }

    /// Loads a taxonomy from a JSON file; see [`Taxonomy::from_json_str`] for the format.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) when the file cannot be read, [`ErrorKind::NotUtf8`](crate::ErrorKind::NotUtf8), and the errors of
    /// [`Taxonomy::from_json_str`].
    pub fn from_json_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let (file, text) = crate::io::text::read_text(path)?;
        Self::parse_json(&file, &text)
    }

    fn parse_json(file: &str, text: &str) -> Result<Self> {
        let parsed: TaxonomyFile = crate::io::text::parse_json(file, text)?;
        let mut problems = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut categories = Vec::new();
        let mut verticals = Vec::new();
        let problem = |record, field: &str, value: &str, kind| Problem {
            location: Location {
                file: Some(file.to_owned()),
                line: None,
                column: None,
                record,
            },
            field: field.to_owned(),
            value: value.to_owned(),
            kind,
        };
        for (ci, cat) in parsed.categories.into_iter().enumerate() {
            let record = Record::Category { index: ci };
            let slug = normalize_slug(&cat.slug).into_owned();
            if slug.is_empty() {
                problems.push(problem(
                    record.clone(),
                    "slug",
                    &cat.slug,
                    ProblemKind::Empty,
                ));
            } else if seen.contains(&slug) {
                problems.push(problem(
                    record.clone(),
                    "slug",
                    &cat.slug,
                    ProblemKind::DuplicateSlug,
                ));
            }
            seen.push(slug.clone());
            if cat.name.trim().is_empty() {
                problems.push(problem(record.clone(), "name", "", ProblemKind::Empty));
            }
            if cat.verticals.is_empty() {
                problems.push(problem(record.clone(), "verticals", "", ProblemKind::Empty));
            }
            let mut ids = Vec::new();
            for (vi, vert) in cat.verticals.into_iter().enumerate() {
                let record = Record::Vertical {
                    category: ci,
                    index: vi,
                };
                let vslug = normalize_slug(&vert.slug).into_owned();
                if vslug.is_empty() {
                    problems.push(problem(
                        record.clone(),
                        "slug",
                        &vert.slug,
                        ProblemKind::Empty,
                    ));
                } else if seen.contains(&vslug) {
                    problems.push(problem(
                        record.clone(),
                        "slug",
                        &vert.slug,
                        ProblemKind::DuplicateSlug,
                    ));
                }
                seen.push(vslug.clone());
                if vert.name.trim().is_empty() {
                    problems.push(problem(record, "name", "", ProblemKind::Empty));
                }
                ids.push(VerticalId(verticals.len() as u16));
                verticals.push(Vertical {
                    slug: vslug,
                    name: Arc::from(vert.name.trim()),
                    description: vert.description.trim().to_owned(),
                    category: CategoryId(categories.len() as u16),
                });
            }
            categories.push(Category {
                slug,
                name: Arc::from(cat.name.trim()),
                description: cat.description.trim().to_owned(),
                verticals: ids,
            });
        }
        if categories.is_empty() {
            problems.push(problem(Record::File, "categories", "", ProblemKind::Empty));
        }
        if verticals.len() > usize::from(u16::MAX) {
            return Err(Error::shape(
                file,
                format!(
                    "{} verticals, at most {} are supported",
                    verticals.len(),
                    u16::MAX
                ),
            ));
        }
        if problems.is_empty() {
            Ok(Taxonomy {
                categories,
                verticals,
            })
        } else {
            Err(Error::invalid(file.to_owned(), problems))
        }
    }

    /// The taxonomy as JSON text in the format [`Taxonomy::from_json_str`] reads.
    ///
    /// # Panics
    ///
    /// Never: a taxonomy is strings only, which always serialise.
    pub fn to_json_string(&self) -> String {
        let file = TaxonomyFile {
            categories: self
                .categories
                .iter()
                .map(|c| CategoryFile {
                    slug: c.slug.clone(),
                    name: c.name.to_string(),
                    description: c.description.clone(),
                    verticals: c
                        .verticals
                        .iter()
                        .map(|&v| VerticalFile {
                            slug: self[v].slug.clone(),
                            name: self[v].name.to_string(),
                            description: self[v].description.clone(),
                        })
                        .collect(),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&file).expect("a taxonomy of strings always serialises")
    }

    /// All categories, in taxonomy order.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// All verticals, in taxonomy order (category by category).
    pub fn verticals(&self) -> &[Vertical] {
        &self.verticals
    }

    /// Ids of all verticals.
    pub fn vertical_ids(&self) -> impl ExactSizeIterator<Item = VerticalId> + '_ {
        (0..self.verticals.len()).map(|i| VerticalId(i as u16))
    }

    /// Ids of all categories.
    pub fn category_ids(&self) -> impl ExactSizeIterator<Item = CategoryId> + '_ {
        (0..self.categories.len()).map(|i| CategoryId(i as u16))
    }

    /// The vertical with this slug (normalised first, so `Care Services` finds `care-services`).
    pub fn vertical_by_slug(&self, slug: &str) -> Option<VerticalId> {
        let slug = normalize_slug(slug);
        self.verticals
            .iter()
            .position(|v| v.slug == slug)
            .map(|i| VerticalId(i as u16))
    }

    /// The category with this slug (normalised first).
    pub fn category_by_slug(&self, slug: &str) -> Option<CategoryId> {
        let slug = normalize_slug(slug);
        self.categories
            .iter()
            .position(|c| c.slug == slug)
            .map(|i| CategoryId(i as u16))
    }
}

impl Index<VerticalId> for Taxonomy {
    type Output = Vertical;
    fn index(&self, id: VerticalId) -> &Vertical {
        &self.verticals[id.index()]
    }
}

impl Index<CategoryId> for Taxonomy {
    type Output = Category;
    fn index(&self, id: CategoryId) -> &Category {
        &self.categories[id.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobtech_has_5_categories_and_23_verticals() {
        let t = Taxonomy::jobtech();
        assert_eq!(t.categories().len(), 5);
        assert_eq!(t.verticals().len(), 23);
        let counts: Vec<usize> = t.categories().iter().map(|c| c.verticals().len()).collect();
        assert_eq!(counts, [6, 6, 3, 5, 3]);
    }

    #[test]
    fn json_round_trip() {
        let t = Taxonomy::jobtech();
        assert_eq!(Taxonomy::from_json_str(&t.to_json_string()).unwrap(), t);
    }

    #[test]
    fn json_duplicates_and_empties_are_all_reported() {
        let text = r#"{"categories": [
            {"slug": "a", "name": "A", "verticals": [{"slug": "x", "name": "X"}, {"slug": "x", "name": ""}]},
            {"slug": "", "name": "B", "verticals": []}
        ]}"#;
        let err = Taxonomy::from_json_str(text).unwrap_err();
        assert_eq!(err.problems().len(), 4, "{err}");
    }
}
