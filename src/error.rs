//! The crate's one error type: opaque, one pointer wide, naming no other crate's types.

use std::fmt;
use std::path::PathBuf;

use crate::problem::{Problem, ProblemList, Problems, Suggestion};

/// A `Result` whose error is pollinate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in pollinate: what went wrong is [`Error::kind`]; the parser's
/// or operating system's own error, when there is one, is [`std::error::Error::source`].
///
/// Syntax errors stop a file at the first one (the parser cannot go on); content problems are
/// collected, so one [`ErrorKind::Invalid`] lists every problem of a file at once.
///
/// # Examples
///
/// ```
/// use pollinate::{Community, ErrorKind, Taxonomy};
///
/// let err = Community::from_json_str("{\"members\": [", Taxonomy::jobtech()).unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::Json { line: 1, .. }));
/// assert!(std::error::Error::source(&err).is_some()); // the parser's own message
/// ```
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong; see [`Error`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file or folder could not be read or written.
    Io {
        /// The path that failed.
        path: PathBuf,
    },
    /// A JSON file is not well-formed JSON, or not shaped as expected where the parser itself
    /// tells (a string where a number belongs).
    Json {
        /// The file (or `<string>` for in-memory text).
        file: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
    },
    /// A CSV file is not well-formed CSV.
    Csv {
        /// The file.
        file: String,
        /// 1-based line of the error (0 when the parser could not tell).
        line: u64,
    },
    /// A TOML file (match weights) is not well-formed, or has a field of the wrong type or an
    /// unknown key.
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
    Shape {
        /// The file.
        file: String,
        /// What is wrong with the shape.
        message: String,
    },
    /// The content has problems; every one found is listed.
    Invalid {
        /// The file, folder or builder the problems come from.
        source_name: String,
        /// The first [`MAX_PROBLEMS`](crate::MAX_PROBLEMS) problems, in file order.
        problems: Vec<Problem>,
        /// How many more were found and not kept.
        more: usize,
    },
    /// A member id given to a query is not in the community.
    UnknownMember {
        /// The id asked for.
        id: String,
        /// The closest existing id, when one is close.
        suggestion: Option<String>,
    },
    /// A query or configuration option is out of range.
    InvalidOption {
        /// The option's name.
        name: &'static str,
        /// The bad value, as text.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A replay judges too few members for its metrics to mean anything, so the tuner refuses
    /// to run (and to write weights).
    NotEnoughJudged {
        /// Which replay: `tuning` or `held-out`.
        replay: &'static str,
        /// Members with judged introductions in it.
        judged: usize,
        /// The fewest accepted ([`TunerConfig::min_judged`](crate::TunerConfig::min_judged)).
        needed: usize,
    },
    /// A local thread pool could not be built.
    ThreadPool,
}

impl Error {
    fn new(kind: ErrorKind) -> Self {
        Error(Box::new(Inner { kind, source: None }))
    }

    fn with_source(
        kind: ErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error(Box::new(Inner {
            kind,
            source: Some(source.into()),
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The validation problems this error carries: all of them for [`ErrorKind::Invalid`], none
    /// otherwise.
    pub fn problems(&self) -> &[Problem] {
        match &self.0.kind {
            ErrorKind::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::with_source(ErrorKind::Io { path: path.into() }, source)
    }

    pub(crate) fn json(file: &str, source: serde_json::Error) -> Self {
        Error::with_source(
            ErrorKind::Json {
                file: file.to_owned(),
                line: source.line(),
                column: source.column(),
            },
            source,
        )
    }

    pub(crate) fn csv(file: &str, source: csv::Error) -> Self {
        Error::with_source(
            ErrorKind::Csv {
                file: file.to_owned(),
                line: source.position().map_or(0, csv::Position::line),
            },
            source,
        )
    }

    pub(crate) fn toml(file: &str, line: usize, column: usize, message: String) -> Self {
        Error::new(ErrorKind::Toml {
            file: file.to_owned(),
            line,
            column,
            message,
        })
    }

    pub(crate) fn not_utf8(file: &str, line: usize, column: usize, byte: u8) -> Self {
        Error::new(ErrorKind::NotUtf8 {
            file: file.to_owned(),
            line,
            column,
            byte,
        })
    }

    pub(crate) fn shape(file: &str, message: String) -> Self {
        Error::new(ErrorKind::Shape {
            file: file.to_owned(),
            message,
        })
    }

    /// Problems found all at once; more than [`MAX_PROBLEMS`](crate::MAX_PROBLEMS) are cut.
    pub(crate) fn invalid(source_name: String, problems: Vec<Problem>) -> Self {
        let mut collected = Problems::default();
        for p in problems {
            collected.push(p);
        }
        Error::from_problems(source_name, collected)
    }

    pub(crate) fn from_problems(source_name: String, problems: Problems) -> Self {
        let (problems, more) = problems.into_parts();
        Error::new(ErrorKind::Invalid {
            source_name,
            problems,
            more,
        })
    }

    pub(crate) fn unknown_member(id: &str, suggestion: Option<String>) -> Self {
        Error::new(ErrorKind::UnknownMember {
            id: id.to_owned(),
            suggestion,
        })
    }

    pub(crate) fn option(
        name: &'static str,
        value: &dyn fmt::Display,
        reason: &'static str,
    ) -> Self {
        Error::new(ErrorKind::InvalidOption {
            name,
            value: value.to_string(),
            reason,
        })
    }

    pub(crate) fn not_enough_judged(replay: &'static str, judged: usize, needed: usize) -> Self {
        Error::new(ErrorKind::NotEnoughJudged {
            replay,
            judged,
            needed,
        })
    }

    pub(crate) fn thread_pool(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::with_source(ErrorKind::ThreadPool, source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.kind {
            ErrorKind::Io { path } => write!(f, "cannot access {}", path.display()),
            ErrorKind::Json { file, line, column } => {
                write!(f, "{file}:{line}:{column}: malformed JSON")
            }
            ErrorKind::Csv { file, line } => write!(f, "{file}:{line}: malformed CSV"),
            ErrorKind::Toml {
                file,
                line,
                column,
                message,
            } => write!(f, "{file}:{line}:{column}: invalid TOML: {message}"),
            ErrorKind::NotUtf8 {
                file,
                line,
                column,
                byte,
            } => write!(
                f,
                "{file}:{line}:{column}: not valid UTF-8 (byte 0x{byte:02x})"
            ),
            ErrorKind::Shape { file, message } => write!(f, "{file}: {message}"),
            ErrorKind::Invalid {
                source_name,
                problems,
                more,
            } => {
                let all = problems.len() + more;
                write!(
                    f,
                    "{source_name}: {all} problem{} found",
                    if all == 1 { "" } else { "s" },
                )?;
                if *more > 0 {
                    write!(f, " (the first {} shown)", problems.len())?;
                }
                write!(f, ":\n{}", ProblemList(problems))
            }
            ErrorKind::UnknownMember { id, suggestion } => {
                write!(
                    f,
                    "unknown member `{id}`{}",
                    Suggestion(suggestion.as_deref())
                )
            }
            ErrorKind::InvalidOption {
                name,
                value,
                reason,
            } => write!(f, "invalid option `{name}` = {value}: {reason}"),
            ErrorKind::NotEnoughJudged {
                replay,
                judged,
                needed,
            } => write!(
                f,
                "the {replay} replay judges {judged} members, fewer than the {needed} needed to \
                 tune weights on: move the replay dates to judge more introductions, or lower \
                 the minimum"
            ),
            ErrorKind::ThreadPool => f.write_str("cannot build a thread pool"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.0.kind);
        if let Some(source) = &self.0.source {
            d.field("source", &source.to_string());
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert!(std::mem::size_of::<Result<f32>>() <= 2 * std::mem::size_of::<usize>());
    }

    #[test]
    fn sources_are_kept_behind_the_kind() {
        let err = Error::io("x.json", std::io::Error::other("gone"));
        assert_eq!(err.to_string(), "cannot access x.json");
        assert_eq!(
            std::error::Error::source(&err).map(ToString::to_string),
            Some("gone".to_owned())
        );
        assert!(matches!(err.kind(), ErrorKind::Io { .. }));
    }
}
