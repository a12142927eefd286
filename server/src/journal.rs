//! The write-ahead journal: every acknowledged batch of changes, one checksummed line each,
//! in numbered segment files.
//!
//! A line is `CRC32 JSON\n`: the CRC-32 (8 hex digits) of the JSON bytes, a space, the entry
//! `{"seq": N, "changes": [...]}`, a newline. A crash mid-append leaves a last line that has no
//! newline or whose checksum fails: a *torn tail*, which replay reports and drops. A bad line
//! anywhere else is corruption, which replay refuses to read past.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use pollinate::{Change, ConsumedRecord};
use serde::{Deserialize, Serialize};

/// One acknowledged batch: its sequence number (1, 2, ... with no gaps) and its changes, as
/// applied (introduction ids and dates filled in), or resources members consumed.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    pub(crate) seq: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) changes: Vec<Change>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) consumed: Vec<ConsumedRecord>,
}

/// The name of journal segment `n`.
pub(crate) fn segment_name(n: u64) -> String {
    format!("journal-{n:08}.log")
}

/// The segment number of a file name, when it is a segment's.
pub(crate) fn segment_number(name: &str) -> Option<u64> {
    name.strip_prefix("journal-")?
        .strip_suffix(".log")?
        .parse()
        .ok()
}

/// The line an entry is written as.
pub(crate) fn encode(entry: &Entry) -> Vec<u8> {
    let json = serde_json::to_vec(entry).expect("changes serialize");
    let mut line = format!("{:08x} ", crc32fast::hash(&json)).into_bytes();
    line.extend_from_slice(&json);
    line.push(b'\n');
    line
}

/// The open segment that entries are appended to.
#[derive(Debug)]
pub(crate) struct Journal {
    dir: PathBuf,
    segment: u64,
    file: File,
    len: u64,
}

impl Journal {
    /// Creates segment `segment` in `dir` (empty) and syncs the folder so it survives a crash.
    pub(crate) fn create(dir: &Path, segment: u64) -> io::Result<Journal> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(true)
            .write(true)
            .open(dir.join(segment_name(segment)))?;
        file.sync_all()?;
        sync_dir(dir)?;
        Ok(Journal {
            dir: dir.to_owned(),
            segment,
            file,
            len: 0,
        })
    }

    /// Appends `entry` and syncs it to disk: when this returns `Ok`, the entry survives a
    /// crash. On error the segment is cut back to where it was, so no partial line stays.
    ///
    /// # Errors
    ///
    /// The write, sync or cut-back failed (then the journal should not be written to again
    /// if the cut-back failed too: [`Journal::append`] reports that as `Err` of `Err`).
    pub(crate) fn append(&mut self, entry: &Entry) -> Result<(), AppendError> {
        let line = encode(entry);
        let written = self
            .file
            .write_all(&line)
            .and_then(|()| self.file.sync_data());
        match written {
            Ok(()) => {
                self.len += line.len() as u64;
                Ok(())
            }
            Err(e) => match self
                .file
                .set_len(self.len)
                .and_then(|()| self.file.sync_data())
            {
                Ok(()) => Err(AppendError::Failed(e)),
                Err(_) => Err(AppendError::Broken(e)),
            },
        }
    }

    /// Starts the next segment; later entries go there. Returns the number of the segment
    /// just closed.
    pub(crate) fn rotate(&mut self) -> io::Result<u64> {
        let next = Journal::create(&self.dir, self.segment + 1)?;
        let closed = self.segment;
        *self = next;
        Ok(closed)
    }
}

/// Why an append failed.
#[derive(Debug)]
pub(crate) enum AppendError {
    /// Nothing was kept; the journal is as before and can take the next entry.
    Failed(io::Error),
    /// The partial line could not be cut back either: the journal must not be appended to.
    Broken(io::Error),
}

/// A torn last line, dropped at replay.
#[derive(Clone, Debug, Serialize)]
pub struct TornTail {
    /// The segment file.
    pub file: String,
    /// 1-based line number of the torn line.
    pub line: usize,
    /// Byte offset where it starts (the segment is cut back to here).
    pub offset: u64,
    /// Its length in bytes.
    pub bytes: u64,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// What was read back from one segment.
#[derive(Debug)]
pub(crate) struct Segment {
    pub(crate) entries: Vec<Entry>,
    pub(crate) torn: Option<TornTail>,
}

/// Reads a segment back. A bad last line is a torn tail (reported, not an error); a bad line
/// before the last is corruption.
///
/// # Errors
///
/// The file cannot be read, or a line other than the last is bad: the message names the file,
/// the line and what is wrong.
pub(crate) fn read_segment(path: &Path) -> Result<Segment, String> {
    let file = path.display().to_string();
    let bytes = fs::read(path).map_err(|e| format!("{file}: {e}"))?;
    let mut entries = Vec::new();
    let mut offset = 0usize;
    let mut line_no = 0usize;
    while offset < bytes.len() {
        line_no += 1;
        let rest = &bytes[offset..];
        let (line, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (&rest[..end], true),
            None => (rest, false),
        };
        let is_last = offset + line.len() + usize::from(complete) >= bytes.len();
        let decoded = if complete {
            decode(line)
        } else {
            Err("no newline at the end: the write was cut short")
        };
        match decoded {
            Ok(entry) => entries.push(entry),
            Err(reason) if is_last => {
                return Ok(Segment {
                    entries,
                    torn: Some(TornTail {
                        file,
                        line: line_no,
                        offset: offset as u64,
                        bytes: rest.len() as u64,
                        reason,
                    }),
                });
            }
            Err(reason) => return Err(format!("{file}:{line_no}: {reason}")),
        }
        offset += line.len() + 1;
    }
    Ok(Segment {
        entries,
        torn: None,
    })
}

/// One line (without its newline) decoded, or why it is bad.
fn decode(line: &[u8]) -> Result<Entry, &'static str> {
    let (crc, json) = match line.split_first_chunk::<9>() {
        Some((head, json)) if head[8] == b' ' => (&head[..8], json),
        _ => return Err("not a journal line (no checksum)"),
    };
    let crc = std::str::from_utf8(crc)
        .ok()
        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        .ok_or("not a journal line (bad checksum field)")?;
    if crc32fast::hash(json) != crc {
        return Err("checksum mismatch: the line was not written whole");
    }
    serde_json::from_slice(json).map_err(|_| "checksum matches but the entry does not parse")
}

/// Cuts a segment back to `len` bytes (dropping a torn tail) and syncs it.
pub(crate) fn truncate(path: &Path, len: u64) -> io::Result<()> {
    let file = OpenOptions::new().write(true).open(path)?;
    file.set_len(len)?;
    file.sync_all()
}

/// Syncs a folder, so that files created or renamed in it survive a crash.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64) -> Entry {
        Entry {
            seq,
            changes: vec![Change::Block {
                a: "a".into(),
                b: "b".into(),
            }],
            consumed: Vec::new(),
        }
    }

    #[test]
    fn entries_read_back_and_a_torn_tail_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::create(dir.path(), 1).unwrap();
        j.append(&entry(1)).unwrap();
        j.append(&entry(2)).unwrap();
        let path = dir.path().join(segment_name(1));
        let whole = read_segment(&path).unwrap();
        assert_eq!(whole.entries.len(), 2);
        assert!(whole.torn.is_none());

        let good = fs::metadata(&path).unwrap().len();
        let third = encode(&entry(3));
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&third[..third.len() / 2]).unwrap();
        let torn = read_segment(&path).unwrap();
        assert_eq!(torn.entries.len(), 2);
        let tail = torn.torn.unwrap();
        assert_eq!((tail.line, tail.offset), (3, good));
    }

    #[test]
    fn a_flipped_byte_in_a_middle_line_is_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::create(dir.path(), 1).unwrap();
        j.append(&entry(1)).unwrap();
        j.append(&entry(2)).unwrap();
        let path = dir.path().join(segment_name(1));
        let mut bytes = fs::read(&path).unwrap();
        bytes[20] ^= 1;
        fs::write(&path, &bytes).unwrap();
        let err = read_segment(&path).unwrap_err();
        assert!(
            err.ends_with(":1: checksum mismatch: the line was not written whole"),
            "{err}"
        );
    }

    #[test]
    fn a_complete_last_line_with_a_bad_checksum_is_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::create(dir.path(), 1).unwrap();
        j.append(&entry(1)).unwrap();
        let path = dir.path().join(segment_name(1));
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"00000000 {\"seq\":2}\n").unwrap();
        let read = read_segment(&path).unwrap();
        assert_eq!(read.entries.len(), 1);
        assert_eq!(read.torn.unwrap().line, 2);
    }

    #[test]
    fn segment_names_round_trip() {
        assert_eq!(segment_number(&segment_name(42)), Some(42));
        assert_eq!(segment_number("snapshot-1.json"), None);
    }
}
