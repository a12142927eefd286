//! Slug normalisation and "did you mean" suggestions, shared by every field that holds a slug.

use std::borrow::Cow;
use std::fmt;

/// Normalises a slug the way files are allowed to spell it: surrounding space trimmed, lower case,
/// inner runs of spaces, underscores and hyphens turned into one hyphen. A slug already in that
/// form (the usual case) is returned as it is, without a copy.
pub(crate) fn normalize_slug(raw: &str) -> Cow<'_, str> {
    if is_normal(raw) {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(normalize_slow(raw))
    }
}

/// Whether `raw` is already a normal slug: ASCII lower-case letters and digits in runs joined
/// by single hyphens, no hyphen first or last.
fn is_normal(raw: &str) -> bool {
    let b = raw.as_bytes();
    !b.is_empty()
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !b.windows(2).any(|w| w == b"--")
}

fn normalize_slow(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_hyphen = false;
    for ch in raw.trim().chars() {
        if ch == ' ' || ch == '_' || ch == '-' || ch.is_whitespace() {
            pending_hyphen = !out.is_empty();
        } else {
            if pending_hyphen {
                out.push('-');
                pending_hyphen = false;
            }
            out.extend(ch.to_lowercase());
        }
    }
    out
}

/// The closest of `choices` to `value`, when it is close enough to be a likely typo: a
/// normalised Damerau-Levenshtein similarity of at least 0.7, or one being a prefix of the other.
/// Ties go to the earlier choice, so the answer does not depend on hashing.
pub(crate) fn suggest<'a, I>(value: &str, choices: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    suggest_raw(&normalize_slug(value), choices)
}

/// [`suggest`] without normalising `value` first, for ids that are not slugs.
pub(crate) fn suggest_raw<'a, I>(value: &str, choices: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    if value.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for choice in choices {
        let mut similarity = strsim::normalized_damerau_levenshtein(value, choice);
        if value.len() >= 3 && (choice.starts_with(value) || value.starts_with(choice)) {
            similarity = similarity.max(0.8);
        }
        if similarity >= 0.7 && best.is_none_or(|(s, _)| similarity > s) {
            best = Some((similarity, choice));
        }
    }
    best.map(|(_, choice)| choice.to_owned())
}

/// Why a slug could not be parsed: the normalised value and the closest valid slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSlug {
    /// The closest valid slug, when one is close.
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.suggestion {
            Some(s) => write!(f, "unknown value; did you mean `{s}`?"),
            None => write!(f, "unknown value"),
        }
    }
}

impl std::error::Error for UnknownSlug {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_space_and_underscores() {
        assert_eq!(normalize_slug("  Worker_Vetting "), "worker-vetting");
        assert_eq!(normalize_slug("Pre  Seed"), "pre-seed");
        assert_eq!(normalize_slug("a -_ b"), "a-b");
        assert_eq!(normalize_slug("--x--"), "x");
        assert_eq!(normalize_slug("   "), "");
    }

    #[test]
    fn suggests_close_choices_only() {
        let choices = ["care-services", "cleaning-domestic-work", "microwork"];
        assert_eq!(
            suggest("care-service", choices).as_deref(),
            Some("care-services")
        );
        assert_eq!(suggest("micro work", choices).as_deref(), Some("microwork"));
        assert_eq!(suggest("banana", choices), None);
        assert_eq!(suggest("", choices), None);
    }
}
