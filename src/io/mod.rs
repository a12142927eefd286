//! Loading and saving whole communities: JSON files and CSV folders.

use std::path::Path;

use crate::error::{Error, Result};
use crate::io::csv_read::{read_csv_dir, read_introductions_csv};
use crate::io::csv_write::write_csv_dir;
use crate::io::json_read::{read_introductions_json, read_json_path, read_json_str};
use crate::io::json_write::write_json;
use crate::model::community::Community;
use crate::model::taxonomy::Taxonomy;

pub(crate) mod csv_read;
mod csv_write;
pub(crate) mod format;
mod json_read;
mod json_report;
mod json_write;
pub(crate) mod text;
mod weights_toml;

impl Community {
    /// Loads a community from a JSON file or a folder of CSV files, over the built-in jobtech
    /// taxonomy.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) when the path cannot be read, [`ErrorKind::NotUtf8`](crate::ErrorKind::NotUtf8), [`ErrorKind::Json`](crate::ErrorKind::Json) or
    /// [`ErrorKind::Csv`](crate::ErrorKind::Csv) for malformed files, [`ErrorKind::Shape`](crate::ErrorKind::Shape) for a wrong top-level shape or
    /// missing required column, and [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every content problem.
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::Community;
    ///
    /// let community = Community::load("data/small.json")?;
    /// let plumbers = community.resolve("fundi-fix")?;
    /// assert_eq!(community[plumbers].name(), "FundiFix");
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Community> {
        Community::load_with_taxonomy(path, Taxonomy::jobtech())
    }

    /// Like [`Community::load`], with the community's own taxonomy.
    ///
    /// # Errors
    ///
    /// As [`Community::load`].
    pub fn load_with_taxonomy(path: impl AsRef<Path>, taxonomy: Taxonomy) -> Result<Community> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path).map_err(|source| Error::io(path, source))?;
        if meta.is_dir() {
            read_csv_dir(path, taxonomy)
        } else {
            read_json_path(path, taxonomy)
        }
    }

    /// Parses a JSON community over `taxonomy`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Json`](crate::ErrorKind::Json), [`ErrorKind::Shape`](crate::ErrorKind::Shape) and [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) as for [`Community::load`].
    pub fn from_json_str(text: &str, taxonomy: Taxonomy) -> Result<Community> {
        read_json_str("<string>", text, taxonomy)
    }

    /// Loads a folder of CSV files over `taxonomy`.
    ///
    /// # Errors
    ///
    /// As [`Community::load`].
    pub fn from_csv_dir(dir: impl AsRef<Path>, taxonomy: Taxonomy) -> Result<Community> {
        read_csv_dir(dir.as_ref(), taxonomy)
    }

    /// The community as JSON community-file text, one record per line; loading it gives back an
    /// equal community.
    pub fn to_json_string(&self) -> String {
        write_json(&self.to_records())
    }

    /// Writes the community as a JSON community file, atomically: to a temporary file beside
    /// it, flushed to disk, then renamed over it, so that a crash mid-write leaves the old file
    /// or the new one, never a broken one.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) when the file cannot be written.
    pub fn write_json(&self, path: impl AsRef<Path>) -> Result<()> {
        text::write_atomically(path.as_ref(), self.to_json_string().as_bytes())
    }

    /// Writes the community as a folder of CSV files (created if needed), each file
    /// atomically as [`Community::write_json`] writes its file; relation files the community
    /// no longer has are removed.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) or [`ErrorKind::Csv`](crate::ErrorKind::Csv) when a file cannot be written.
    pub fn write_csv_dir(&self, dir: impl AsRef<Path>) -> Result<()> {
        write_csv_dir(&self.to_records(), dir.as_ref())
    }

    /// A new community with the introductions of a file appended: a JSON file
    /// `{"introductions": [...]}` (or a bare array of introductions), or a CSV file with columns
    /// `a,b,outcome,date` (by its `.csv` extension). Read by the same code as a community file's
    /// introductions: unknown fields are refused, and problems name the file, the line (CSV) and
    /// the introduction's position in the file.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io), [`ErrorKind::NotUtf8`](crate::ErrorKind::NotUtf8), [`ErrorKind::Json`](crate::ErrorKind::Json), [`ErrorKind::Csv`](crate::ErrorKind::Csv), [`ErrorKind::Shape`](crate::ErrorKind::Shape) for a
    /// file that cannot be read, and [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every bad record.
    pub fn with_introductions_file(&self, path: impl AsRef<Path>) -> Result<Community> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let mut builder = Community::builder(self.taxonomy().clone())
            .source_name(&file)
            .records(self.to_records());
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            read_introductions_csv(path, &mut builder, true)?;
        } else {
            let (file, text) = text::read_text(path)?;
            read_introductions_json(&file, &text, &mut builder)?;
        }
        builder.build()
    }
}
