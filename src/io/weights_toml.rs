//! Reading match weights from TOML: the file's values laid over the defaults (a table that
//! names one entry changes only that entry), every problem of the file reported at once with
//! its line and column.

use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::{Table, Value};

use crate::error::{Error, Result};
use crate::io::text::{line_column, read_text};
use crate::model::slug::suggest_raw;
use crate::problem::{Location, Problem, ProblemKind, Record};
use crate::score::weights::{MatchWeights, setting_name};

/// The tables whose keys are free (pairs of categories or kinds), checked by
/// [`MatchWeights::validate`] rather than against the defaults' keys.
const OPEN_TABLES: &[&[&str]] = &[&["taxonomy", "category_affinity"], &["kind", "pairs"]];

impl MatchWeights {
    /// Parses TOML text: the file's values over the defaults. Absent keys keep their defaults,
    /// and a table of pairs that names one pair changes only that pair.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Toml`](crate::ErrorKind::Toml) with line and column for malformed TOML;
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every unknown key (with a
    /// suggestion), value of the wrong type and value out of range, each with its line and
    /// column.
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::MatchWeights;
    ///
    /// let weights = MatchWeights::from_toml_str(
    ///     "[signals]\ngeography = 0.0\n[kind.pairs]\n\"platform:eso\" = 0.9\n",
    /// )?;
    /// assert_eq!(weights.signals.geography, 0.0);
    /// assert_eq!(weights.kind.pairs["platform:eso"], 0.9);
    /// // Untouched keys, and the other pairs of a table that names one, keep their defaults.
    /// let defaults = MatchWeights::default();
    /// assert_eq!(weights.signals.needs, defaults.signals.needs);
    /// assert_eq!(weights.kind.pairs["platform:investor"], defaults.kind.pairs["platform:investor"]);
    ///
    /// let err = MatchWeights::from_toml_str("[signals]\nneeds_met = 0.5\nwarmth = -1\n").unwrap_err();
    /// assert_eq!(err.problems().len(), 2);
    /// assert!(err.to_string().contains("<string>:2:1: setting: `signals.needs_met`"));
    /// assert!(err.to_string().contains("did you mean `needs`?"));
    /// assert!(err.to_string().contains("<string>:3:10: setting: `signals.warmth` \"-1\""));
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Self> {
        parse("<string>", text)
    }

    /// Reads a TOML file; see [`MatchWeights::from_toml_str`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io),
    /// [`ErrorKind::NotUtf8`](crate::ErrorKind::NotUtf8), and the errors of
    /// [`MatchWeights::from_toml_str`].
    pub fn from_toml_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let (file, text) = read_text(path)?;
        parse(&file, &text)
    }
}

fn parse(file: &str, text: &str) -> Result<MatchWeights> {
    let syntax = |e: toml::de::Error| {
        let (line, column) = e
            .span()
            .map_or((0, 0), |span| line_column(text.as_bytes(), span.start));
        Error::toml(file, line, column, e.message().to_owned())
    };
    let spanned = DeTable::parse(text).map_err(syntax)?;
    let given: Table = toml::from_str(text).map_err(syntax)?;
    let defaults =
        Table::try_from(MatchWeights::default()).expect("the default weights are a TOML table");
    let mut walk = Walk {
        file,
        text,
        problems: Vec::new(),
        bad: Vec::new(),
    };
    walk.table(spanned.get_ref(), &defaults, &mut Vec::new());
    // String settings name enum variants: each is tried on its own, so that every bad one is
    // reported at its place.
    walk.strings(spanned.get_ref(), &given, &mut Vec::new());
    // The rest of the file is still read, without the bad keys, so that values out of range
    // are reported with the rest.
    let mut given = given;
    for path in &walk.bad {
        remove(&mut given, path);
    }
    let mut merged = defaults;
    merge(&mut merged, given);
    let weights: MatchWeights = Value::Table(merged)
        .try_into()
        .map_err(|e: toml::de::Error| Error::toml(file, 0, 0, e.message().to_owned()))?;
    // Ranges are checked again when an engine is built (with the community's taxonomy, for
    // the category keys); checking them here names their place in the file.
    for p in weights.problems(None) {
        let span = find(spanned.get_ref(), &p.path);
        let problem = walk.problem(
            &p.name(),
            &p.value,
            span,
            ProblemKind::OutOfRange { reason: p.reason },
        );
        walk.problems.push(problem);
    }
    if !walk.problems.is_empty() {
        let mut problems = walk.problems;
        problems.sort_by_key(|p| (p.location.line, p.location.column));
        return Err(Error::invalid(file.to_owned(), problems));
    }
    Ok(weights)
}

/// Removes the value at `path` from `table`, if it is there.
fn remove(table: &mut Table, path: &[String]) {
    match path {
        [] => {}
        [last] => {
            table.remove(last);
        }
        [first, rest @ ..] => match table.get_mut(first) {
            Some(Value::Table(inner)) => remove(inner, rest),
            // A bad array element: the whole array goes.
            Some(Value::Array(_)) => {
                table.remove(first);
            }
            _ => {}
        },
    }
}

/// Lays `given` over `base`: tables merge key by key, anything else replaces.
fn merge(base: &mut Table, given: Table) {
    for (key, value) in given {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(into)), Value::Table(from)) => merge(into, from),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// The span of the value at `path` in the file, if it is there.
fn find(table: &DeTable<'_>, path: &[String]) -> Option<std::ops::Range<usize>> {
    let (first, rest) = path.split_first()?;
    let (_, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == first)?;
    if rest.is_empty() {
        return Some(value.span());
    }
    match value.get_ref() {
        DeValue::Table(t) => find(t, rest),
        DeValue::Array(items) => {
            let i: usize = rest[0].parse().ok()?;
            let item = items.get(i)?;
            if rest.len() == 1 {
                Some(item.span())
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Checks the file's keys and value types against the defaults'.
struct Walk<'a> {
    file: &'a str,
    text: &'a str,
    problems: Vec<Problem>,
    /// The paths of the keys with problems, left out of the weights read.
    bad: Vec<Vec<String>>,
}

impl Walk<'_> {
    fn problem(
        &self,
        name: &str,
        value: &str,
        span: Option<std::ops::Range<usize>>,
        kind: ProblemKind,
    ) -> Problem {
        let (line, column) = span.map_or((None, None), |s| {
            let (line, column) = line_column(self.text.as_bytes(), s.start);
            (Some(line as u64), Some(column as u64))
        });
        Problem {
            location: Location {
                file: Some(self.file.to_owned()),
                line,
                column,
                record: Record::Setting,
            },
            field: name.to_owned(),
            value: value.to_owned(),
            kind,
        }
    }

    /// Every key of `given` (at `path`) against `defaults`: unknown keys, and values whose
    /// type differs from the default's.
    fn table(&mut self, given: &DeTable<'_>, defaults: &Table, path: &mut Vec<String>) {
        let open = OPEN_TABLES
            .iter()
            .any(|p| p.iter().copied().eq(path.iter().map(String::as_str)));
        for (key, value) in given {
            let key_text = key.get_ref().to_string();
            path.push(key_text.clone());
            let expected = if open {
                // Every entry of a table of pairs is a number.
                Some(&Value::Float(0.0))
            } else {
                defaults.get(&key_text)
            };
            match expected {
                None => {
                    let p = self.problem(
                        &setting_name(path),
                        "",
                        Some(key.span()),
                        ProblemKind::UnknownField {
                            suggestion: suggest_raw(&key_text, defaults.keys().map(String::as_str)),
                        },
                    );
                    self.problems.push(p);
                    self.bad.push(path.clone());
                }
                Some(Value::Table(inner)) => match value.get_ref() {
                    DeValue::Table(t) => self.table(t, inner, path),
                    _ => self.wrong(path, value.span(), "a table"),
                },
                Some(expected) => self.value(path, expected, value),
            }
            path.pop();
        }
    }

    fn value(&mut self, path: &[String], expected: &Value, value: &toml::Spanned<DeValue<'_>>) {
        let ok = match (expected, value.get_ref()) {
            (Value::Float(_), DeValue::Float(_) | DeValue::Integer(_))
            | (Value::Integer(_), DeValue::Integer(_))
            | (Value::String(_), DeValue::String(_))
            | (Value::Boolean(_), DeValue::Boolean(_)) => true,
            (Value::Array(items), DeValue::Array(given)) => {
                for (i, item) in given.iter().enumerate() {
                    let mut item_path = path.to_vec();
                    item_path.push(i.to_string());
                    let element = items.first().cloned().unwrap_or(Value::Float(0.0));
                    self.value(&item_path, &element, item);
                }
                true
            }
            _ => false,
        };
        if !ok {
            let expected = match expected {
                Value::Float(_) => "a number",
                Value::Integer(_) => "a whole number",
                Value::String(_) => "a string",
                Value::Boolean(_) => "true or false",
                Value::Array(_) => "an array",
                _ => "a table",
            };
            self.wrong(path, value.span(), expected);
        }
    }

    fn wrong(&mut self, path: &[String], span: std::ops::Range<usize>, expected: &'static str) {
        let shown = self.text.get(span.clone()).unwrap_or_default();
        let p = self.problem(
            &setting_name(path),
            shown,
            Some(span),
            ProblemKind::WrongType { expected },
        );
        self.problems.push(p);
        self.bad.push(path.to_vec());
    }

    /// Every string setting of the file, deserialized on its own over the defaults: an unknown
    /// variant (`combine = "harmnic"`) is reported at its place with the accepted ones.
    fn strings(&mut self, spanned: &DeTable<'_>, given: &Table, path: &mut Vec<String>) {
        for (key, value) in given {
            path.push(key.clone());
            match value {
                Value::Table(inner) => self.strings(spanned, inner, path),
                Value::String(s)
                    if !self.problems.iter().any(|p| p.field == setting_name(path)) =>
                {
                    let mut single = Table::new();
                    let mut at = &mut single;
                    for part in &path[..path.len() - 1] {
                        at = at
                            .entry(part.clone())
                            .or_insert_with(|| Value::Table(Table::new()))
                            .as_table_mut()
                            .expect("a table was just inserted");
                    }
                    at.insert(key.clone(), Value::String(s.clone()));
                    let mut merged = Table::try_from(MatchWeights::default())
                        .expect("the default weights are a TOML table");
                    merge(&mut merged, single);
                    let tried: std::result::Result<MatchWeights, toml::de::Error> =
                        Value::Table(merged).try_into();
                    if let Err(e) = tried {
                        let p = self.problem(
                            &setting_name(path),
                            s,
                            find(spanned, path),
                            ProblemKind::Unaccepted {
                                message: e.message().to_owned(),
                            },
                        );
                        self.problems.push(p);
                        self.bad.push(path.clone());
                    }
                }
                _ => {}
            }
            path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn problems(text: &str) -> Vec<String> {
        MatchWeights::from_toml_str(text)
            .unwrap_err()
            .problems()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let found = problems(
            "[signals]\nneeds = \"high\"\nwarmht = 0.2\n[needs]\ncombine = \"harmnic\"\n\
             [stage]\npeer_by_gap = [1.0, \"x\"]\n[kind.pairs]\n\"platform:eso\" = true\n",
        );
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(found[0].starts_with("<string>:2:9: setting: `signals.needs` \"\\\"high\\\"\""));
        assert!(found[1].contains("<string>:3:1: setting: `signals.warmht`"));
        assert!(found[1].ends_with("did you mean `warmth`?"));
        assert!(found[2].starts_with("<string>:5:11: setting: `needs.combine` \"harmnic\""));
        assert!(found[3].contains("<string>:7:21: setting: `stage.peer_by_gap[1]`"));
        assert!(found[4].contains("<string>:9:18: setting: `kind.pairs.\"platform:eso\"`"));
        // Enum strings are checked once the types are right.
        let found = problems("[needs]\ncombine = \"harmnic\"\n[language]\nrule = \"maybe\"\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("<string>:2:11: setting: `needs.combine`"));
        assert!(found[1].starts_with("<string>:4:8: setting: `language.rule`"));
        // Out of range, at its place.
        let found = problems("[signals]\nwarmth = -1\n[introducer]\nmin_tie = 2\n");
        assert_eq!(
            found,
            [
                "<string>:2:10: setting: `signals.warmth` \"-1\": must be finite and >= 0",
                "<string>:4:11: setting: `introducer.min_tie` \"2\": must be a finite number in [0, 1]"
            ]
        );
    }

    #[test]
    fn syntax_errors_stop_at_their_place() {
        let err = MatchWeights::from_toml_str("[signals\nneeds = 1\n").unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Toml { line: 1, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn tables_of_pairs_merge_with_the_defaults() {
        let w = MatchWeights::from_toml_str(
            "[taxonomy.category_affinity]\n\"offline-work:digital-work\" = 0.6\n",
        )
        .unwrap();
        let defaults = MatchWeights::default();
        assert_eq!(
            w.taxonomy.category_affinity["offline-work:digital-work"],
            0.6
        );
        for (key, value) in &defaults.taxonomy.category_affinity {
            assert_eq!(w.taxonomy.category_affinity[key], *value, "{key}");
        }
        // A file that restates the defaults reads back as the defaults.
        assert_eq!(
            MatchWeights::from_toml_str(&defaults.to_toml_string()).unwrap(),
            defaults
        );
        assert_eq!(MatchWeights::from_toml_str("").unwrap(), defaults);
    }
}
