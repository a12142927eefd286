//! The file formats' field names, shared by the JSON and CSV readers and writers.

/// The top-level keys of a JSON community file.
pub(crate) const TOP_FIELDS: &[&str] = &["members", "connections", "introductions", "blocked"];
/// The top-level keys of the learning catalogue, read by
/// [`Catalogue::load`](crate::Catalogue::load) and skipped by the community readers.
pub(crate) const CATALOGUE_FIELDS: &[&str] = &["resources", "journeys", "consumed"];
/// The catalogue's CSV files in a community folder.
pub(crate) const CATALOGUE_FILES: &[&str] = &["resources.csv", "journeys.csv", "consumed.csv"];
/// A member's JSON keys, in the order writers put them.
pub(crate) const MEMBER_FIELDS: &[&str] = &[
    "id",
    "name",
    "kind",
    "country",
    "verticals",
    "stage",
    "stage_focus",
    "offers",
    "needs",
    "communities",
    "languages",
    "open_to_intros",
    "max_intros",
    "consent",
];
/// A member's CSV columns: the JSON keys with the consent object as one column a flag.
pub(crate) const MEMBER_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "country",
    "verticals",
    "stage",
    "stage_focus",
    "offers",
    "needs",
    "communities",
    "languages",
    "open_to_intros",
    "max_intros",
    "consent_introduce",
    "consent_ties",
    "consent_needs_in_reasons",
    "consent_directory",
];
/// A connection's fields.
pub(crate) const CONNECTION_FIELDS: &[&str] = &["a", "b", "strength"];
/// An introduction's fields.
pub(crate) const INTRODUCTION_FIELDS: &[&str] = &["a", "b", "outcome", "date", "id", "member"];
/// A blocked pair's fields.
pub(crate) const BLOCK_FIELDS: &[&str] = &["a", "b"];
