//! Countries (ISO 3166-1 alpha-2) and the regions of Africa they fall in.

use std::fmt;

use isocountry::CountryCode;

/// A country, by its ISO 3166-1 alpha-2 code (validated against the full ISO list).
///
/// # Examples
///
/// ```
/// use pollinate::{Country, Region};
///
/// let kenya: Country = "ke".parse().unwrap();
/// assert_eq!(kenya.code(), "KE");
/// assert_eq!(kenya.name(), "Kenya");
/// assert_eq!(kenya.region(), Some(Region::EasternAfrica));
/// assert!("XX".parse::<Country>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country(CountryCode);

impl Country {
    /// Used only while validating a record whose country is bad; never in a built community.
    pub(crate) const PLACEHOLDER: Country = Country(CountryCode::ATA);

    /// The upper-case alpha-2 code, e.g. `NG`.
    pub fn code(&self) -> &'static str {
        self.0.alpha2()
    }

    /// The name people use, e.g. "Tanzania" (for the ISO name "Tanzania, United Republic of").
    pub fn name(&self) -> &'static str {
        SHORT_NAMES
            .iter()
            .find(|(code, _)| *code == self.code())
            .map_or_else(|| self.0.name(), |(_, name)| name)
    }

    /// The English short name from ISO 3166-1, e.g. "Tanzania, United Republic of".
    pub fn iso_name(&self) -> &'static str {
        self.0.name()
    }

    /// The UN geoscheme sub-region of Africa the country is in, or `None` outside Africa.
    pub fn region(&self) -> Option<Region> {
        Region::ALL
            .into_iter()
            .find(|r| r.countries().contains(&self.code()))
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Names people use for the countries whose ISO 3166-1 names are long or inverted.
const SHORT_NAMES: &[(&str, &str)] = &[
    ("BN", "Brunei"),
    ("BO", "Bolivia"),
    ("BQ", "Caribbean Netherlands"),
    ("CC", "Cocos Islands"),
    ("CD", "DR Congo"),
    ("CG", "Republic of the Congo"),
    ("FK", "Falkland Islands"),
    ("FM", "Micronesia"),
    ("GB", "United Kingdom"),
    ("IR", "Iran"),
    ("KP", "North Korea"),
    ("KR", "South Korea"),
    ("LA", "Laos"),
    ("MD", "Moldova"),
    ("MF", "Saint Martin"),
    ("MK", "North Macedonia"),
    ("PS", "Palestine"),
    ("RU", "Russia"),
    ("SH", "Saint Helena"),
    ("ST", "São Tomé and Príncipe"),
    ("SX", "Sint Maarten"),
    ("SY", "Syria"),
    ("SZ", "Eswatini"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("US", "United States"),
    ("VE", "Venezuela"),
    ("VG", "British Virgin Islands"),
    ("VI", "US Virgin Islands"),
    ("VN", "Vietnam"),
];

/// Why a country could not be parsed, and the code the value most likely means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCountry {
    /// The likely code: from a country name (`Kenya` -> `KE`) or a common mistake (`UK` -> `GB`).
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownCountry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.suggestion {
            Some(s) => write!(f, "not an ISO 3166-1 alpha-2 code; did you mean `{s}`?"),
            None => write!(f, "not an ISO 3166-1 alpha-2 code"),
        }
    }
}

impl std::error::Error for UnknownCountry {}

impl Country {
    /// The country of an ISO 3166-1 alpha-2 code, any case, without a suggestion when it is
    /// not one.
    pub(crate) fn lookup(s: &str) -> Option<Country> {
        CountryCode::for_alpha2_caseless(s.trim()).ok().map(Country)
    }
}

impl std::str::FromStr for Country {
    type Err = UnknownCountry;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Country::lookup(s).ok_or_else(|| UnknownCountry {
            suggestion: suggest_country(s.trim()),
        })
    }
}

fn suggest_country(value: &str) -> Option<String> {
    let upper = value.to_ascii_uppercase();
    if upper == "UK" {
        return Some("GB".to_owned());
    }
    if let Ok(code) = CountryCode::for_alpha3_caseless(value) {
        return Some(code.alpha2().to_owned());
    }
    let lower = value.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    // A country written out by name: exact name (or short name) first, then a name that
    // starts with it.
    if let Some((code, _)) = SHORT_NAMES
        .iter()
        .find(|(_, name)| name.to_lowercase() == lower)
    {
        return Some((*code).to_owned());
    }
    let mut by_prefix = None;
    for code in CountryCode::iter() {
        let name = code.name().to_lowercase();
        if name == lower {
            return Some(code.alpha2().to_owned());
        }
        if by_prefix.is_none() && name.starts_with(&lower) {
            by_prefix = Some(code.alpha2().to_owned());
        }
    }
    by_prefix
}

/// The five UN geoscheme sub-regions of Africa.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    /// Northern Africa.
    NorthernAfrica,
    /// Western Africa.
    WesternAfrica,
    /// Middle (Central) Africa.
    MiddleAfrica,
    /// Eastern Africa.
    EasternAfrica,
    /// Southern Africa.
    SouthernAfrica,
}

impl Region {
    /// All regions.
    pub const ALL: [Region; 5] = [
        Region::NorthernAfrica,
        Region::WesternAfrica,
        Region::MiddleAfrica,
        Region::EasternAfrica,
        Region::SouthernAfrica,
    ];

    /// The region's name.
    pub fn name(self) -> &'static str {
        match self {
            Region::NorthernAfrica => "Northern Africa",
            Region::WesternAfrica => "Western Africa",
            Region::MiddleAfrica => "Middle Africa",
            Region::EasternAfrica => "Eastern Africa",
            Region::SouthernAfrica => "Southern Africa",
        }
    }

    /// The region's slug: `eastern-africa`.
    pub fn slug(self) -> &'static str {
        match self {
            Region::NorthernAfrica => "northern-africa",
            Region::WesternAfrica => "western-africa",
            Region::MiddleAfrica => "middle-africa",
            Region::EasternAfrica => "eastern-africa",
            Region::SouthernAfrica => "southern-africa",
        }
    }

    /// The alpha-2 codes of the region's countries and territories (UN M49).
    pub fn countries(self) -> &'static [&'static str] {
        match self {
            Region::NorthernAfrica => &["DZ", "EG", "EH", "LY", "MA", "SD", "TN"],
            Region::WesternAfrica => &[
                "BF", "BJ", "CI", "CV", "GH", "GM", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SH",
                "SL", "SN", "TG",
            ],
            Region::MiddleAfrica => &["AO", "CD", "CF", "CG", "CM", "GA", "GQ", "ST", "TD"],
            Region::EasternAfrica => &[
                "BI", "DJ", "ER", "ET", "IO", "KE", "KM", "MG", "MU", "MW", "MZ", "RE", "RW", "SC",
                "SO", "SS", "TF", "TZ", "UG", "YT", "ZM", "ZW",
            ],
            Region::SouthernAfrica => &["BW", "LS", "NA", "SZ", "ZA"],
        }
    }
}

impl std::str::FromStr for Region {
    type Err = crate::model::slug::UnknownSlug;
    /// A region by its slug or name, in any case (`eastern-africa`, `Eastern Africa`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let slug = crate::model::slug::normalize_slug(s);
        Region::ALL
            .into_iter()
            .find(|r| r.slug() == slug)
            .ok_or_else(|| crate::model::slug::UnknownSlug {
                suggestion: crate::model::slug::suggest(
                    &slug,
                    Region::ALL.iter().map(|r| r.slug()),
                ),
            })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_code_is_a_real_country() {
        for r in Region::ALL {
            for c in r.countries() {
                assert!(c.parse::<Country>().is_ok(), "{c}");
            }
        }
    }

    #[test]
    fn suggestions_from_names_and_alpha3() {
        let s = |v: &str| v.parse::<Country>().unwrap_err().suggestion;
        assert_eq!(s("Kenya").as_deref(), Some("KE"));
        assert_eq!(s("NGA").as_deref(), Some("NG"));
        assert_eq!(s("UK").as_deref(), Some("GB"));
        assert_eq!(s("DR Congo").as_deref(), Some("CD"));
        assert_eq!(s("Zz"), None);
    }

    #[test]
    fn names_are_the_ones_people_use() {
        let name = |code: &str| code.parse::<Country>().unwrap().name();
        assert_eq!(name("TZ"), "Tanzania");
        assert_eq!(name("CD"), "DR Congo");
        assert_eq!(name("KE"), "Kenya");
        assert_eq!(name("CI"), "Côte d'Ivoire");
        for (code, _) in SHORT_NAMES {
            assert!(code.parse::<Country>().is_ok(), "{code}");
        }
    }
}
