//! The crate's one error type, and the validation problems it collects.

use std::fmt;
use std::path::PathBuf;

/// A `Result` whose error is pollinate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in pollinate.
///
/// Syntax errors stop a file at the first one (the parser cannot go on); content problems are
/// collected, so one [`Error::Invalid`] lists every problem of a file at once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("cannot access {}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A JSON file is not well-formed JSON.
    #[error("{file}:{line}:{column}: malformed JSON")]
    Json {
        /// The file (or `<string>` for in-memory text).
        file: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
    /// A CSV file is not well-formed CSV.
    #[error("{file}:{line}: malformed CSV")]
    Csv {
        /// The file.
        file: String,
        /// 1-based line of the error (0 when the parser could not tell).
        line: u64,
        /// The parser's error.
        #[source]
        source: csv::Error,
    },
    /// A TOML file (match weights) is not well-formed, or has a field of the wrong type or an
    /// unknown key.
    #[error("{file}:{line}:{column}: invalid TOML: {message}")]
    Toml {
        /// The file (or `<string>`).
        file: String,
        /// 1-based line of the error (0 when the parser could not tell).
        line: usize,
        /// 1-based column of the error (0 when the parser could not tell).
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A file holds bytes that are not UTF-8.
    #[error("{file}:{line}:{column}: not valid UTF-8 (byte 0x{byte:02x})")]
    NotUtf8 {
        /// The file.
        file: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in bytes) of the first bad byte.
        column: usize,
        /// The first bad byte.
        byte: u8,
    },
    /// A file is well-formed but not shaped like what was expected (for example a JSON array where
    /// an object with `members` was expected, or a CSV file without an `id` column).
    #[error("{file}: {message}")]
    Shape {
        /// The file.
        file: String,
        /// What is wrong with the shape.
        message: String,
    },
    /// The content has problems; every one found is listed.
    #[error("{source_name}: {count} problem{s} found:\n{list}", count = problems.len(), s = if problems.len() == 1 { "" } else { "s" }, list = ProblemList(problems))]
    Invalid {
        /// The file, folder or builder the problems come from.
        source_name: String,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
    /// A weight or table entry of [`MatchWeights`](crate::MatchWeights) is out of range.
    #[error("match weights: `{name}` is {value}: {reason}")]
    InvalidWeight {
        /// The weight's name as spelt in the TOML file.
        name: String,
        /// The bad value.
        value: f64,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A member id given to a query is not in the community.
    #[error("unknown member `{id}`{}", Suggestion(suggestion.as_deref()))]
    UnknownMember {
        /// The id asked for.
        id: String,
        /// The closest existing id, when one is close.
        suggestion: Option<String>,
    },
    /// A query or configuration option is out of range.
    #[error("invalid option `{name}` = {value}: {reason}")]
    InvalidOption {
        /// The option's name.
        name: &'static str,
        /// The bad value, as text.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A local thread pool could not be built.
    #[error("cannot build a thread pool")]
    ThreadPool {
        /// rayon's reason.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

impl Error {
    /// The validation problems this error carries: all of them for [`Error::Invalid`], none
    /// otherwise.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

struct Suggestion<'a>(Option<&'a str>);

impl fmt::Display for Suggestion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => write!(f, "; did you mean `{s}`?"),
            None => Ok(()),
        }
    }
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  - {p}")?;
        }
        Ok(())
    }
}

/// Where in the input a [`Problem`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, when the record came from one.
    pub file: Option<String>,
    /// The 1-based line in that file, when known (CSV rows; JSON records are named by id).
    pub line: Option<u64>,
    /// Which record.
    pub record: Record,
}

/// The record a [`Problem`] is in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Record {
    /// The file as a whole (its header or top-level shape).
    File,
    /// The `index`-th member (0-based, input order) and its id when it has one.
    Member {
        /// 0-based position in the input.
        index: usize,
        /// The member's id, when present.
        id: Option<String>,
    },
    /// The `index`-th connection.
    Connection {
        /// 0-based position in the input.
        index: usize,
    },
    /// The `index`-th introduction.
    Introduction {
        /// 0-based position in the input.
        index: usize,
    },
    /// The `index`-th blocked pair.
    Block {
        /// 0-based position in the input.
        index: usize,
    },
    /// The `index`-th taxonomy category.
    Category {
        /// 0-based position in the input.
        index: usize,
    },
    /// A vertical of a taxonomy category.
    Vertical {
        /// 0-based position of its category.
        category: usize,
        /// 0-based position in the category.
        index: usize,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            (None, Some(line)) => write!(f, "line {line}: ")?,
            (None, None) => {}
        }
        match &self.record {
            Record::File => write!(f, "file"),
            Record::Member {
                index,
                id: Some(id),
            } => write!(f, "member `{id}` (#{})", index + 1),
            Record::Member { index, id: None } => write!(f, "member #{}", index + 1),
            Record::Connection { index } => write!(f, "connection #{}", index + 1),
            Record::Introduction { index } => write!(f, "introduction #{}", index + 1),
            Record::Block { index } => write!(f, "blocked pair #{}", index + 1),
            Record::Category { index } => write!(f, "category #{}", index + 1),
            Record::Vertical { category, index } => {
                write!(f, "category #{} vertical #{}", category + 1, index + 1)
            }
        }
    }
}

/// One validation problem: where, which field, the bad value, and what is wrong with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Where the problem is.
    pub location: Location,
    /// The field (column or JSON key), e.g. `verticals`.
    pub field: String,
    /// The bad value as written in the input (empty when the value is missing).
    pub value: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong in a [`Problem`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A required field is absent.
    MissingField,
    /// A field that must not be empty is empty (an id, a name, a topic, a list that needs one or
    /// more entries).
    Empty,
    /// Two members share an id; `first` is the 0-based index of the first one.
    DuplicateId {
        /// Index of the member that used the id first.
        first: usize,
    },
    /// A value has the wrong type (a number where text is expected, ...).
    WrongType {
        /// What was expected.
        expected: &'static str,
    },
    /// A field or column that pollinate does not know.
    UnknownField {
        /// The closest known field.
        suggestion: Option<String>,
    },
    /// A vertical slug not in the taxonomy.
    UnknownVertical {
        /// The closest vertical slug.
        suggestion: Option<String>,
    },
    /// A member kind that is not one of the seven.
    UnknownKind {
        /// The closest kind.
        suggestion: Option<String>,
    },
    /// A growth stage that is not one of the six.
    UnknownStage {
        /// The closest stage.
        suggestion: Option<String>,
    },
    /// A country that is not an ISO 3166-1 alpha-2 code.
    UnknownCountry {
        /// The code of the country the value most likely means.
        suggestion: Option<String>,
    },
    /// An introduction outcome that is not one of the four.
    UnknownOutcome {
        /// The closest outcome.
        suggestion: Option<String>,
    },
    /// A relation names a member id that is not in the community.
    UnknownMember {
        /// The closest member id.
        suggestion: Option<String>,
    },
    /// A relation ties a member to itself.
    SelfTie,
    /// The same pair is connected twice.
    DuplicateConnection {
        /// 0-based index of the first connection of the pair.
        first: usize,
    },
    /// A tie strength outside (0, 1] or not finite.
    StrengthOutOfRange,
    /// A number that is not a non-negative whole number where one is needed.
    InvalidNumber,
    /// A date that is not a real `YYYY-MM-DD` date.
    InvalidDate,
    /// A boolean that is not `true`/`false` (CSV also takes `yes`/`no`, `1`/`0`).
    InvalidBool,
    /// A CSV row with more fields than the header.
    ExtraFields {
        /// How many fields the header has.
        expected: usize,
    },
    /// A taxonomy slug (category or vertical) used twice.
    DuplicateSlug,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`", self.location, self.field)?;
        if !self.value.is_empty() {
            write!(f, " {:?}", self.value)?;
        }
        let hint = |f: &mut fmt::Formatter<'_>, what: &str, s: &Option<String>| {
            write!(f, ": {what}{}", Suggestion(s.as_deref()))
        };
        match &self.kind {
            ProblemKind::MissingField => write!(f, ": missing"),
            ProblemKind::Empty => write!(f, ": must not be empty"),
            ProblemKind::DuplicateId { first } => {
                write!(f, ": duplicate id, first used by member #{}", first + 1)
            }
            ProblemKind::WrongType { expected } => write!(f, ": expected {expected}"),
            ProblemKind::UnknownField { suggestion } => hint(f, "unknown field", suggestion),
            ProblemKind::UnknownVertical { suggestion } => hint(f, "unknown vertical", suggestion),
            ProblemKind::UnknownKind { suggestion } => hint(f, "unknown member kind", suggestion),
            ProblemKind::UnknownStage { suggestion } => hint(f, "unknown growth stage", suggestion),
            ProblemKind::UnknownCountry { suggestion } => {
                hint(f, "not an ISO 3166-1 alpha-2 country code", suggestion)
            }
            ProblemKind::UnknownOutcome { suggestion } => {
                hint(f, "unknown introduction outcome", suggestion)
            }
            ProblemKind::UnknownMember { suggestion } => hint(f, "unknown member", suggestion),
            ProblemKind::SelfTie => write!(f, ": a member cannot be paired with itself"),
            ProblemKind::DuplicateConnection { first } => {
                write!(f, ": pair already connected by connection #{}", first + 1)
            }
            ProblemKind::StrengthOutOfRange => {
                write!(f, ": tie strength must be a finite number in (0, 1]")
            }
            ProblemKind::InvalidNumber => write!(f, ": expected a whole number >= 0"),
            ProblemKind::InvalidDate => write!(f, ": expected a real date as YYYY-MM-DD"),
            ProblemKind::InvalidBool => write!(f, ": expected true or false"),
            ProblemKind::ExtraFields { expected } => {
                write!(f, ": row has more fields than the {expected} in the header")
            }
            ProblemKind::DuplicateSlug => write!(f, ": slug used twice"),
        }
    }
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

/// Parses JSON text, a syntax or shape error becoming [`Error::Json`] with its position in
/// `file`.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|source| Error::Json {
        file: file.to_owned(),
        line: source.line(),
        column: source.column(),
        source,
    })
}

/// Reads a text file: the file's display name and its UTF-8 text without a byte-order mark.
pub(crate) fn read_text(path: &std::path::Path) -> Result<(String, String)> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
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
    Error::NotUtf8 {
        file: file.to_owned(),
        line,
        column,
        byte: bytes[offset],
    }
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
