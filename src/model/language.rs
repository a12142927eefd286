//! Languages members work in: ISO 639-1 codes, or English names of them.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::model::slug::suggest_raw;

/// A language, by its ISO 639-1 code (validated against the ISO 639 table).
///
/// Files may write the code (`fr`) or the English name (`French`); either way the language
/// is stored and written back as its code.
///
/// # Examples
///
/// ```
/// use pollinate::Language;
///
/// let french: Language = "French".parse().unwrap();
/// assert_eq!(french.code(), "fr");
/// assert_eq!(french.name(), "French");
/// assert_eq!("SW".parse::<Language>().unwrap().name(), "Swahili");
/// assert_eq!("frnch".parse::<Language>().unwrap_err().suggestion.as_deref(), Some("french"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Language(isolang::Language);

impl Ord for Language {
    /// By code.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code().cmp(other.code())
    }
}

impl PartialOrd for Language {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Language {
    /// The ISO 639-1 code, e.g. `fr`.
    pub fn code(self) -> &'static str {
        // Only languages with a two-letter code are made; the three-letter code is a fallback
        // that cannot be reached.
        self.0.to_639_1().unwrap_or_else(|| self.0.to_639_3())
    }

    /// The two-letter code packed into 16 bits, in the order of the codes.
    pub(crate) fn packed(self) -> u16 {
        let b = self.code().as_bytes();
        (u16::from(b[0]) << 8) | u16::from(*b.get(1).unwrap_or(&0))
    }

    /// The English name, e.g. "French".
    pub fn name(self) -> &'static str {
        self.0.to_name()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a language could not be parsed, and the code or name the value most likely means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLanguage {
    /// The closest code or English name, when one is close.
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.suggestion {
            Some(s) => write!(f, "not an ISO 639-1 language; did you mean `{s}`?"),
            None => f.write_str("not an ISO 639-1 language"),
        }
    }
}

impl std::error::Error for UnknownLanguage {}

/// Every language with an ISO 639-1 code, found by its code (`fr`), its three-letter code
/// (`fra`) or its English name in lower case (`french`).
fn table() -> &'static HashMap<String, isolang::Language> {
    static TABLE: OnceLock<HashMap<String, isolang::Language>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        for l in isolang::languages().filter(|l| l.to_639_1().is_some()) {
            table.insert(l.to_name().to_lowercase(), l);
            table.insert(l.to_639_3().to_owned(), l);
            if let Some(code) = l.to_639_1() {
                table.insert(code.to_owned(), l);
            }
        }
        table
    })
}

impl Language {
    /// The language of a code or English name, any case, without a suggestion when it is not
    /// one.
    pub(crate) fn lookup(s: &str) -> Option<Language> {
        let s = s.trim();
        let found = if s.bytes().any(|b| b.is_ascii_uppercase()) || !s.is_ascii() {
            table().get(&s.to_lowercase())
        } else {
            table().get(s)
        };
        found.map(|&l| Language(l))
    }
}

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(l) = Language::lookup(s) {
            return Ok(l);
        }
        let value = s.trim().to_lowercase();
        // Suggestions among names and codes, in a fixed order.
        let mut choices: Vec<&str> = table().keys().map(String::as_str).collect();
        choices.sort_unstable();
        Err(UnknownLanguage {
            suggestion: suggest_raw(&value, choices),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_three_letter_codes() {
        for (value, code) in [
            ("en", "en"),
            ("English", "en"),
            (" fra ", "fr"),
            ("Kinyarwanda", "rw"),
            ("pt", "pt"),
            ("arabic", "ar"),
        ] {
            assert_eq!(value.parse::<Language>().unwrap().code(), code, "{value}");
        }
        assert!("xx".parse::<Language>().is_err());
        assert!("".parse::<Language>().is_err());
    }
}
