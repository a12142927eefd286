//! Reading the learning catalogue: the `resources`, `journeys` and `consumed` keys of a JSON
//! community file, or `resources.csv`, `journeys.csv` and `consumed.csv` in a CSV folder.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::io::csv_read::list;
use crate::io::format::CATALOGUE_FILES;
use crate::learn::records::{CatalogueRecords, ConsumedRecord, JourneyRecord, ResourceRecord};
use crate::learn::resource::Catalogue;
use crate::model::community::Community;

impl Catalogue {
    /// Reads the catalogue of the community file or folder at `path` and validates it against
    /// `community` (loaded from the same place). A file or folder without one gives an empty
    /// catalogue.
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::{Catalogue, Community};
    ///
    /// let community = Community::load("data/small.json")?;
    /// let catalogue = Catalogue::load("data/small.json", &community)?;
    /// assert!(catalogue.resources().len() >= 40);
    /// assert!(catalogue.resource_id("pre-seed-fundraising-guide").is_some());
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io), [`ErrorKind::Json`](crate::ErrorKind::Json)
    /// or [`ErrorKind::Csv`](crate::ErrorKind::Csv) when it cannot be read or parsed (with the
    /// place), [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) with every problem of its
    /// records.
    pub fn load(path: impl AsRef<Path>, community: &Community) -> Result<Catalogue> {
        let path = path.as_ref();
        if path.is_dir() {
            return read_csv_dir(path, community);
        }
        let (file, text) = crate::io::text::read_text(path)?;
        Catalogue::from_json_named(&file, &text, community)
    }

    /// [`Catalogue::load`] of JSON text.
    ///
    /// # Errors
    ///
    /// As [`Catalogue::load`].
    pub fn from_json_str(text: &str, community: &Community) -> Result<Catalogue> {
        Catalogue::from_json_named("<string>", text, community)
    }

    fn from_json_named(file: &str, text: &str, community: &Community) -> Result<Catalogue> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let records: CatalogueRecords =
            serde_json::from_str(text).map_err(|e| Error::json(file, e))?;
        records.validate(community, Some(file))
    }
}

/// One CSV row: every column as text; lists are `;`-separated.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResourceRow {
    id: String,
    title: String,
    kind: String,
    #[serde(default)]
    topics: String,
    #[serde(default)]
    verticals: String,
    #[serde(default)]
    stages: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    minutes: Option<u32>,
    #[serde(default)]
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JourneyRow {
    id: String,
    title: String,
    #[serde(default)]
    stages: String,
    steps: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsumedRow {
    member: String,
    resource: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    rating: Option<u8>,
}

fn optional(cell: &str) -> Option<String> {
    let cell = cell.trim();
    (!cell.is_empty()).then(|| cell.to_owned())
}

/// Every row of `dir/name` as `T`, or nothing when the file is absent.
fn rows<T: for<'de> Deserialize<'de>>(dir: &Path, name: &str) -> Result<Vec<T>> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let file = path.display().to_string();
    let (_, text) = crate::io::text::read_text(&path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    reader
        .deserialize()
        .map(|row| row.map_err(|e| Error::csv(&file, e)))
        .collect()
}

fn read_csv_dir(dir: &Path, community: &Community) -> Result<Catalogue> {
    let [resources, journeys, consumed] =
        [CATALOGUE_FILES[0], CATALOGUE_FILES[1], CATALOGUE_FILES[2]];
    let records = CatalogueRecords {
        resources: rows::<ResourceRow>(dir, resources)?
            .into_iter()
            .map(|r| ResourceRecord {
                id: r.id,
                title: r.title,
                kind: r.kind,
                topics: list(&r.topics),
                verticals: list(&r.verticals),
                stages: list(&r.stages),
                languages: list(&r.languages),
                minutes: r.minutes,
                url: optional(&r.url),
            })
            .collect(),
        journeys: rows::<JourneyRow>(dir, journeys)?
            .into_iter()
            .map(|j| JourneyRecord {
                id: j.id,
                title: j.title,
                stages: list(&j.stages),
                steps: list(&j.steps),
            })
            .collect(),
        consumed: rows::<ConsumedRow>(dir, consumed)?
            .into_iter()
            .map(|c| ConsumedRecord {
                member: c.member,
                resource: c.resource,
                date: optional(&c.date),
                rating: c.rating,
            })
            .collect(),
    };
    records.validate(community, Some(&dir.display().to_string()))
}
