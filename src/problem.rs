//! Validation problems: where in the input, which field, the bad value, and what is wrong.

use std::fmt;

pub(crate) struct Suggestion<'a>(pub(crate) Option<&'a str>);

impl fmt::Display for Suggestion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => write!(f, "; did you mean `{s}`?"),
            None => Ok(()),
        }
    }
}

pub(crate) struct ProblemList<'a>(pub(crate) &'a [Problem]);

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

/// At most this many problems are kept in an error, the first in file order; the rest are
/// counted ([`ErrorKind::Invalid`](crate::ErrorKind::Invalid)'s `more`). A file's report, and
/// the memory to hold it, stay small whatever the file holds.
pub const MAX_PROBLEMS: usize = 100;

/// Values and ids longer than this many bytes are cut in problems (at a character boundary,
/// with the full length said).
pub const MAX_SHOWN: usize = 100;

/// `value` as a problem shows it: whole when short, cut with its length when long.
pub(crate) fn shown(value: &str) -> String {
    if value.len() <= MAX_SHOWN {
        return value.to_owned();
    }
    let mut end = MAX_SHOWN;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &value[..end], value.len())
}

/// Problems as they are found: the first [`MAX_PROBLEMS`] kept, the rest counted.
#[derive(Clone, Debug, Default)]
pub(crate) struct Problems {
    kept: Vec<Problem>,
    more: usize,
}

impl Problems {
    pub(crate) fn push(&mut self, problem: Problem) {
        self.push_with(|| problem);
    }

    /// Pushes the problem `make` makes, making it only if it is kept.
    pub(crate) fn push_with(&mut self, make: impl FnOnce() -> Problem) {
        if self.kept.len() < MAX_PROBLEMS {
            self.kept.push(make());
        } else {
            self.more += 1;
        }
    }

    /// Whether no more problems will be kept (later ones are only counted).
    pub(crate) fn is_full(&self) -> bool {
        self.kept.len() >= MAX_PROBLEMS
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// How many problems were found, kept or not.
    pub(crate) fn total(&self) -> usize {
        self.kept.len() + self.more
    }

    /// The problems kept, ordered by line and column where known (stably, so records without
    /// positions keep the order they were found in), and the count of the others.
    pub(crate) fn into_parts(mut self) -> (Vec<Problem>, usize) {
        if self.kept.iter().all(|p| p.location.line.is_some()) {
            self.kept
                .sort_by_key(|p| (p.location.line, p.location.column.unwrap_or(0)));
        }
        (self.kept, self.more)
    }
}

/// Where in the input a [`Problem`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, when the record came from one.
    pub file: Option<String>,
    /// The 1-based line in that file, when known.
    pub line: Option<u64>,
    /// The 1-based column on that line, when known.
    pub column: Option<u64>,
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
    /// The `index`-th change of a change set, about the member `id` when it names one.
    Change {
        /// 0-based position in the change set.
        index: usize,
        /// The member the change is about, when it names one.
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
    /// The `index`-th learning resource, and its id when it has one.
    Resource {
        /// 0-based position in the input.
        index: usize,
        /// The resource's id, when present.
        id: Option<String>,
    },
    /// The `index`-th learning journey, and its id when it has one.
    Journey {
        /// 0-based position in the input.
        index: usize,
        /// The journey's id, when present.
        id: Option<String>,
    },
    /// The `index`-th record of resources consumed.
    Consumed {
        /// 0-based position in the input.
        index: usize,
    },
    /// The `index`-th taxonomy category.
    Category {
        /// 0-based position in the input.
        index: usize,
    },
    /// A setting of a weights file (named by the problem's field).
    Setting,
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
        match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => write!(f, "{file}:{line}:{column}: ")?,
            (Some(file), Some(line), None) => write!(f, "{file}:{line}: ")?,
            (Some(file), None, _) => write!(f, "{file}: ")?,
            (None, Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            (None, Some(line), None) => write!(f, "line {line}: ")?,
            (None, None, _) => {}
        }
        match &self.record {
            Record::File => write!(f, "file"),
            Record::Setting => write!(f, "setting"),
            Record::Member {
                index,
                id: Some(id),
            } => write!(f, "member `{id}` (#{})", index + 1),
            Record::Member { index, id: None } => write!(f, "member #{}", index + 1),
            Record::Change {
                index,
                id: Some(id),
            } => write!(f, "change #{} (member `{id}`)", index + 1),
            Record::Change { index, id: None } => write!(f, "change #{}", index + 1),
            Record::Connection { index } => write!(f, "connection #{}", index + 1),
            Record::Introduction { index } => write!(f, "introduction #{}", index + 1),
            Record::Block { index } => write!(f, "blocked pair #{}", index + 1),
            Record::Category { index } => write!(f, "category #{}", index + 1),
            Record::Resource {
                index,
                id: Some(id),
            } => write!(f, "resource `{id}` (#{})", index + 1),
            Record::Resource { index, id: None } => write!(f, "resource #{}", index + 1),
            Record::Journey {
                index,
                id: Some(id),
            } => write!(f, "journey `{id}` (#{})", index + 1),
            Record::Journey { index, id: None } => write!(f, "journey #{}", index + 1),
            Record::Consumed { index } => write!(f, "consumed #{}", index + 1),
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
    /// A language that is not an ISO 639-1 code or the English name of one.
    UnknownLanguage {
        /// The closest code or name.
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
    /// A value the reader does not accept, in its words.
    Unaccepted {
        /// Why.
        message: String,
    },
    /// A number out of its range.
    OutOfRange {
        /// The range, or why the value is refused.
        reason: &'static str,
    },
    /// A key given twice in one JSON object (which value was meant cannot be told).
    DuplicateKey,
    /// A topic or community-of-practice slug with a `;` (which separates list items in CSV,
    /// so the value would not read back the same) or a control character.
    InvalidSlug,
    /// An introduction event that cannot come at this point of its introduction (the double
    /// opt-in order: proposed, accepted by each side or declined, introduced, then met,
    /// partnered or no response).
    InvalidEvent {
        /// Why.
        reason: &'static str,
    },
    /// A learning resource id that is not in the catalogue.
    UnknownResource {
        /// The closest resource id, when one is close.
        suggestion: Option<String>,
    },
    /// A resource kind that is not one of `article`, `landscape-scan`, `course`, `toolkit`,
    /// `recording`, `event`.
    UnknownResourceKind {
        /// The closest kind, when one is close.
        suggestion: Option<String>,
    },
    /// A CSV file in the folder that pollinate does not read (misnamed, most likely).
    UnknownFile {
        /// The closest file name it reads.
        suggestion: Option<String>,
    },
}

impl ProblemKind {
    /// The closest known value, for the kinds that suggest one.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            ProblemKind::UnknownField { suggestion }
            | ProblemKind::UnknownVertical { suggestion }
            | ProblemKind::UnknownKind { suggestion }
            | ProblemKind::UnknownStage { suggestion }
            | ProblemKind::UnknownLanguage { suggestion }
            | ProblemKind::UnknownCountry { suggestion }
            | ProblemKind::UnknownOutcome { suggestion }
            | ProblemKind::UnknownMember { suggestion }
            | ProblemKind::UnknownResource { suggestion }
            | ProblemKind::UnknownResourceKind { suggestion }
            | ProblemKind::UnknownFile { suggestion } => suggestion.as_deref(),
            _ => None,
        }
    }
}

impl serde::Serialize for Problem {
    /// Serializes as `{"place", "field", "value", "message", "suggestion"}`: where (as
    /// [`Location`] displays it), the field, the bad value, the whole message as [`Problem`]
    /// displays it, and the closest known value when there is one.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Problem", 5)?;
        s.serialize_field("place", &self.location.to_string())?;
        s.serialize_field("field", &self.field)?;
        s.serialize_field("value", &self.value)?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("suggestion", &self.kind.suggestion())?;
        s.end()
    }
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
            ProblemKind::UnknownLanguage { suggestion } => {
                hint(f, "not an ISO 639-1 language", suggestion)
            }
            ProblemKind::UnknownCountry { suggestion } => {
                hint(f, "not an ISO 3166-1 alpha-2 country code", suggestion)
            }
            ProblemKind::UnknownOutcome { suggestion } => {
                hint(f, "unknown introduction outcome", suggestion)
            }
            ProblemKind::UnknownMember { suggestion } => hint(f, "unknown member", suggestion),
            ProblemKind::UnknownResource { suggestion } => hint(f, "unknown resource", suggestion),
            ProblemKind::UnknownResourceKind { suggestion } => {
                hint(f, "unknown resource kind", suggestion)
            }
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
            ProblemKind::OutOfRange { reason } | ProblemKind::InvalidEvent { reason } => {
                write!(f, ": {reason}")
            }
            ProblemKind::Unaccepted { message } => write!(f, ": {message}"),
            ProblemKind::DuplicateKey => write!(f, ": key given twice"),
            ProblemKind::InvalidSlug => write!(
                f,
                ": `;` and control characters are not allowed (`;` separates list items in CSV)"
            ),
            ProblemKind::UnknownFile { suggestion } => {
                hint(f, "not a file pollinate reads", suggestion)
            }
        }
    }
}
