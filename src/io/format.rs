//! The file formats' field names, shared by the JSON and CSV readers and writers.

/// The top-level keys of a JSON community file.
pub(crate) const TOP_FIELDS: &[&str] = &["members", "connections", "introductions", "blocked"];
/// A member's fields (JSON keys and CSV columns), in the order writers put them.
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
];
/// A connection's fields.
pub(crate) const CONNECTION_FIELDS: &[&str] = &["a", "b", "strength"];
/// An introduction's fields.
pub(crate) const INTRODUCTION_FIELDS: &[&str] = &["a", "b", "outcome", "date"];
/// A blocked pair's fields.
pub(crate) const BLOCK_FIELDS: &[&str] = &["a", "b"];
