//! Writing the learning catalogue beside its community: into the community's JSON file, or as
//! `resources.csv`, `journeys.csv` and `consumed.csv` in its CSV folder; each file atomically.

use std::path::Path;

use crate::error::{Error, Result};
use crate::io::text::write_atomically;
use crate::learn::resource::Catalogue;
use crate::model::community::Community;

impl Catalogue {
    /// Writes `community` and this catalogue as one JSON community file (the community's keys,
    /// then `resources`, `journeys` and `consumed`), atomically.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) when the file cannot be written.
    pub fn write_json_with(&self, community: &Community, path: impl AsRef<Path>) -> Result<()> {
        let mut text = community.to_json_string();
        let records = self.to_records(community);
        // The community's text is an object: its closing brace gives way to the catalogue's
        // keys, one record a line as the community's are.
        let end = text.trim_end().len();
        text.truncate(end.saturating_sub(1));
        let text_end = text.trim_end().len();
        text.truncate(text_end);
        let mut push = |name: &str, items: Vec<String>| {
            if items.is_empty() {
                return;
            }
            text.push_str(",\n  \"");
            text.push_str(name);
            text.push_str("\": [\n    ");
            text.push_str(&items.join(",\n    "));
            text.push_str("\n  ]");
        };
        push("resources", lines(&records.resources));
        push("journeys", lines(&records.journeys));
        push("consumed", lines(&records.consumed));
        text.push_str("\n}\n");
        write_atomically(path.as_ref(), text.as_bytes())
    }

    /// Writes this catalogue as `resources.csv`, `journeys.csv` and `consumed.csv` in `dir`
    /// (beside the community's files), each atomically; lists are `;`-separated.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) or [`ErrorKind::Csv`](crate::ErrorKind::Csv)
    /// when a file cannot be written.
    pub fn write_csv_dir(&self, community: &Community, dir: impl AsRef<Path>) -> Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let r = self.to_records(community);
        let list = |v: &[String]| v.join(";");
        let opt = |v: Option<String>| v.unwrap_or_default();
        let table = |name: &str, header: &[&str], rows: Vec<Vec<String>>| -> Result<()> {
            let path = dir.join(name);
            let mut w = csv::Writer::from_writer(Vec::new());
            let file = path.display().to_string();
            w.write_record(header).map_err(|e| Error::csv(&file, e))?;
            for row in rows {
                w.write_record(&row).map_err(|e| Error::csv(&file, e))?;
            }
            let bytes = w
                .into_inner()
                .map_err(|e| Error::io(&path, e.into_error()))?;
            write_atomically(&path, &bytes)
        };
        table(
            "resources.csv",
            &[
                "id",
                "title",
                "kind",
                "topics",
                "verticals",
                "stages",
                "languages",
                "minutes",
                "url",
            ],
            r.resources
                .into_iter()
                .map(|x| {
                    vec![
                        x.id,
                        x.title,
                        x.kind,
                        list(&x.topics),
                        list(&x.verticals),
                        list(&x.stages),
                        list(&x.languages),
                        opt(x.minutes.map(|m| m.to_string())),
                        opt(x.url),
                    ]
                })
                .collect(),
        )?;
        table(
            "journeys.csv",
            &["id", "title", "stages", "steps"],
            r.journeys
                .into_iter()
                .map(|j| vec![j.id, j.title, list(&j.stages), list(&j.steps)])
                .collect(),
        )?;
        table(
            "consumed.csv",
            &["member", "resource", "date", "rating"],
            r.consumed
                .into_iter()
                .map(|c| {
                    vec![
                        c.member,
                        c.resource,
                        opt(c.date),
                        opt(c.rating.map(|x| x.to_string())),
                    ]
                })
                .collect(),
        )
    }
}

/// Each record as a line of JSON.
fn lines<T: serde::Serialize>(records: &[T]) -> Vec<String> {
    records
        .iter()
        .map(|r| serde_json::to_string(r).expect("records serialize"))
        .collect()
}
