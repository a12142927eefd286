//! Reading text files: UTF-8 without a byte-order mark, and positions of bytes as line and
//! column.

use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically: into a temporary file in the same folder, flushed to
/// disk, then renamed over `path`, so that a crash leaves the old file or the new one, never a
/// part of either.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let io = |source| Error::io(path, source);
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.as_file().sync_all().map_err(io)?;
    file.persist(path).map_err(|e| io(e.error))?;
    // The rename itself is made durable by syncing the folder (where the platform can).
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Finds 1-based line and column of a byte offset in text.
// Only on error paths, so a plain count beats a dependency.
#[allow(clippy::naive_bytecount)]
pub(crate) fn line_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, offset - line_start + 1)
}

/// Parses JSON text, a syntax or shape error becoming [`ErrorKind::Json`](crate::ErrorKind::Json) with its position in
/// `file`.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|source| Error::json(file, source))
}

/// Reads a text file: the file's display name and its UTF-8 text without a byte-order mark.
pub(crate) fn read_text(path: &Path) -> Result<(String, String)> {
    let bytes = std::fs::read(path).map_err(|source| Error::io(path, source))?;
    let file = path.display().to_string();
    let text = text_of(&file, bytes)?;
    Ok((file, text))
}

/// `bytes` as UTF-8 text without a leading byte-order mark, in place (a large file is not held
/// twice).
fn text_of(file: &str, mut bytes: Vec<u8>) -> Result<String> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(file, e.as_bytes(), e.utf8_error()))
}

/// The error for `bytes` (without a byte-order mark) that are not UTF-8.
fn not_utf8(file: &str, bytes: &[u8], e: std::str::Utf8Error) -> Error {
    let offset = e.valid_up_to();
    let (line, column) = line_column(bytes, offset);
    Error::not_utf8(file, line, column, bytes[offset])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column(b"ab\ncd", 0), (1, 1));
        assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
    }

    #[test]
    fn utf8_reports_position_of_bad_byte() {
        let err = text_of("f.json", b"{\n  \"a\": \"\xff\"}".to_vec()).unwrap_err();
        assert_eq!(err.to_string(), "f.json:2:9: not valid UTF-8 (byte 0xff)");
        assert_eq!(text_of("f", b"\xEF\xBB\xBFok".to_vec()).unwrap(), "ok");
        // After a byte-order mark, positions count from the text.
        let err = text_of("f", b"\xEF\xBB\xBFab\xff".to_vec()).unwrap_err();
        assert_eq!(err.to_string(), "f:1:3: not valid UTF-8 (byte 0xff)");
    }
}
