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
            ProblemKind::OutOfRange { reason } => write!(f, ": {reason}"),
            ProblemKind::Unaccepted { message } => write!(f, ": {message}"),
        }
    }
}
