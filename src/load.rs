//! Loading and saving whole communities: JSON files and CSV folders.

use std::path::Path;

use crate::community::Community;
use crate::csv_folder::{read_csv_dir, write_csv_dir};
use crate::error::{Error, Result};
use crate::json_file::{read_json_path, read_json_str, write_json};
use crate::taxonomy::Taxonomy;

impl Community {
    /// Loads a community from a JSON file or a folder of CSV files, over the built-in jobtech
    /// taxonomy.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the path cannot be read, [`Error::NotUtf8`], [`Error::Json`] or
    /// [`Error::Csv`] for malformed files, [`Error::Shape`] for a wrong top-level shape or
    /// missing required column, and [`Error::Invalid`] listing every content problem.
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
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
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
    /// [`Error::Json`], [`Error::Shape`] and [`Error::Invalid`] as for [`Community::load`].
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

    /// Writes the community as a JSON community file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be written.
    pub fn write_json(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json_string()).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })
    }

    /// Writes the community as a folder of CSV files (created if needed).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] or [`Error::Csv`] when a file cannot be written.
    pub fn write_csv_dir(&self, dir: impl AsRef<Path>) -> Result<()> {
        write_csv_dir(&self.to_records(), dir.as_ref())
    }
}
