//! Labels people read: topic slugs as words ("worker vetting"), communities of practice as
//! names ("Jobtech for Refugees"), and possessives.

use crate::model::country::Country;

/// Words written in capitals in labels.
const ACRONYMS: &[&str] = &[
    "ai", "api", "b2b", "b2c", "bpo", "crm", "erp", "esg", "hr", "kyc", "ml", "mvp", "ngo", "p2p",
    "saas", "sme", "smes", "sms", "ui", "ussd", "ux",
];

/// Words that stay in lower case inside a title.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to",
];

/// A topic slug as words: `worker-vetting` is "worker vetting", `ai-ml` "AI/ML", `m-and-a`
/// "M&A", `market-entry-eg` "market entry in Egypt".
///
/// # Examples
///
/// ```
/// # use pollinate::Community;
/// let c = Community::load("data/small.json")?;
/// let vetting = c.topic_id("worker-vetting").unwrap();
/// assert_eq!(c.topic_name(vetting), "worker vetting");
/// # Ok::<(), pollinate::Error>(())
/// ```
pub(crate) fn topic_label(slug: &str) -> String {
    if let Some(code) = slug.strip_prefix("market-entry-") {
        if let Ok(country) = code.parse::<Country>() {
            return format!("market entry in {}", country.name());
        }
    }
    let words: Vec<&str> = slug.split('-').collect();
    let mut out = String::with_capacity(slug.len());
    let mut i = 0;
    while i < words.len() {
        if i > 0 {
            out.push(' ');
        }
        match (words[i], words.get(i + 1), words.get(i + 2)) {
            ("m", Some(&"and"), Some(&"a")) => {
                out.push_str("M&A");
                i += 3;
                continue;
            }
            (a, Some(&b), _) if is_acronym(a) && is_acronym(b) && a != b => {
                out.push_str(&a.to_uppercase());
                out.push('/');
                out.push_str(&b.to_uppercase());
                i += 2;
                continue;
            }
            ("web3", _, _) => out.push_str("Web3"),
            (word, _, _) if is_acronym(word) => out.push_str(&word.to_uppercase()),
            (word, _, _) => out.push_str(word),
        }
        i += 1;
    }
    out
}

fn is_acronym(word: &str) -> bool {
    ACRONYMS.contains(&word)
}

/// A community-of-practice slug as a title: `jobtech-for-refugees` is "Jobtech for Refugees".
pub(crate) fn cop_label(slug: &str) -> String {
    let mut out = String::with_capacity(slug.len());
    for (i, word) in slug.split('-').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if is_acronym(word) {
            out.push_str(&word.to_uppercase());
        } else if i > 0 && SMALL_WORDS.contains(&word) {
            out.push_str(word);
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// `name` with a possessive: "`FundiFix`'s", but "Avu Works'".
pub(crate) fn possessive(name: &str) -> String {
    if name.ends_with('s') || name.ends_with('S') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_read_as_words() {
        for (slug, label) in [
            ("worker-vetting", "worker vetting"),
            ("ai-ml", "AI/ML"),
            ("m-and-a", "M&A"),
            ("b2b-sales", "B2B sales"),
            ("ussd-sms-channels", "USSD/SMS channels"),
            ("esg-reporting", "ESG reporting"),
            ("web3-tokenomics", "Web3 tokenomics"),
            ("market-entry-eg", "market entry in Egypt"),
            ("market-entry-tz", "market entry in Tanzania"),
            ("care-services-regulation", "care services regulation"),
            ("bpo-contracts", "BPO contracts"),
        ] {
            assert_eq!(topic_label(slug), label);
        }
    }

    #[test]
    fn cops_read_as_titles_and_possessives_as_english() {
        assert_eq!(cop_label("jobtech-for-refugees"), "Jobtech for Refugees");
        assert_eq!(
            cop_label("measurement-in-jobtech"),
            "Measurement in Jobtech"
        );
        assert_eq!(
            cop_label("jobtech-investment-network"),
            "Jobtech Investment Network"
        );
        assert_eq!(possessive("Avu Works"), "Avu Works'");
        assert_eq!(possessive("FundiFix"), "FundiFix's");
    }
}
