//! Reading the CSV form of a community: a folder with `members.csv` and optional
//! `connections.csv`, `introductions.csv` and `blocked.csv`, list fields separated by `;`.

use std::path::Path;
use std::sync::Arc;

use csv::{ReaderBuilder, StringRecord, Trim};

use crate::error::{Error, Result};
use crate::io::format::{BLOCK_FIELDS, CONNECTION_FIELDS, INTRODUCTION_FIELDS, MEMBER_COLUMNS};
use crate::model::builder::{CommunityBuilder, Origin};
use crate::model::community::Community;
use crate::model::consent::ConsentRecord;
use crate::model::record::MemberRecord;
use crate::model::record::{BlockRecord, ConnectionRecord, IntroductionRecord};
use crate::model::slug::{normalize_slug, suggest_raw};
use crate::model::taxonomy::Taxonomy;
use crate::problem::{Location, Problem, ProblemKind, Record};

/// One CSV file read into rows, with the header mapped to known columns.
struct Table {
    file: Arc<str>,
    columns: Vec<Option<usize>>,
    rows: Vec<(u64, StringRecord)>,
}

impl Table {
    fn read(
        path: &Path,
        known: &[&str],
        required: &[&str],
        builder: &mut CommunityBuilder,
    ) -> Result<Table> {
        let (file, text) = crate::io::text::read_text(path)?;
        Table::parse(&file, &text, known, required, builder)
    }

    fn parse(
        file: &str,
        text: &str,
        known: &[&str],
        required: &[&str],
        builder: &mut CommunityBuilder,
    ) -> Result<Table> {
        let mut reader = ReaderBuilder::new()
            .flexible(true)
            .trim(Trim::All)
            .from_reader(text.as_bytes());
        let csv_error = |source: csv::Error| Error::csv(file, source);
        let header = reader.headers().map_err(csv_error)?.clone();
        let problem = |field: &str, value: &str, kind| Problem {
            location: Location {
                file: Some(file.to_owned()),
                line: Some(1),
                column: None,
                record: Record::File,
            },
            field: field.to_owned(),
            value: value.to_owned(),
            kind,
        };
        let mut columns = vec![None; known.len()];
        for (i, name) in header.iter().enumerate() {
            let name = normalize_slug(name).replace('-', "_");
            match known.iter().position(|k| *k == name) {
                Some(k) if columns[k].is_none() => columns[k] = Some(i),
                Some(_) => builder.push_problem(problem(&name, &name, ProblemKind::DuplicateSlug)),
                None => builder.push_problem(problem(
                    &name,
                    "",
                    ProblemKind::UnknownField {
                        suggestion: suggest_raw(&name, known.iter().copied()),
                    },
                )),
            }
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| {
                columns[known
                    .iter()
                    .position(|k| k == r)
                    .expect("required columns are known")]
                .is_none()
            })
            .collect();
        if !missing.is_empty() {
            return Err(Error::shape(
                file,
                format!(
                    "the header lacks the required column{} {}; it has: {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", "),
                    header.iter().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            let line = record.position().map_or(0, csv::Position::line);
            if record.iter().all(str::is_empty) {
                continue;
            }
            if record.len() > header.len() {
                builder.push_problem(Problem {
                    location: Location {
                        file: Some(file.to_owned()),
                        line: Some(line),
                        column: None,
                        record: Record::File,
                    },
                    field: String::new(),
                    value: record
                        .iter()
                        .skip(header.len())
                        .collect::<Vec<_>>()
                        .join(","),
                    kind: ProblemKind::ExtraFields {
                        expected: header.len(),
                    },
                });
            }
            rows.push((line, record));
        }
        Ok(Table {
            file: Arc::from(file),
            columns,
            rows,
        })
    }

    /// The cell of `row` in known column `k` (empty when the column is absent or the row short).
    fn cell<'r>(&self, row: &'r StringRecord, k: usize) -> &'r str {
        self.columns[k].and_then(|i| row.get(i)).unwrap_or("")
    }

    fn origin(&self, line: u64) -> Origin {
        Origin::at(&self.file, usize::try_from(line).unwrap_or(usize::MAX), 0)
    }
}

/// A `;`-separated list cell: its items, trimmed, empty ones left out.
pub(crate) fn list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn optional(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_owned())
}

/// The files of a CSV folder pollinate reads.
const FILES: [&str; 7] = [
    "members.csv",
    "connections.csv",
    "introductions.csv",
    "blocked.csv",
    "resources.csv",
    "journeys.csv",
    "consumed.csv",
];

/// Every other `.csv` file in `dir` (any case) is a problem: `Blocked.csv` or `blocks.csv`
/// read as nothing would let a blocked pair be introduced.
fn unknown_files(dir: &Path, builder: &mut CommunityBuilder) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::io(dir, source))?;
    let mut names: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::io(dir, source))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_csv = Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv && !FILES.contains(&name.as_str()) {
            names.push(name);
        }
    }
    names.sort();
    for name in names {
        let lower = name.to_lowercase();
        let suggestion = if FILES.contains(&lower.as_str()) {
            Some(lower)
        } else {
            suggest_raw(&lower, FILES)
        };
        builder.push_problem(Problem {
            location: Location {
                file: Some(dir.join(&name).display().to_string()),
                line: None,
                column: None,
                record: Record::File,
            },
            field: String::new(),
            value: name,
            kind: ProblemKind::UnknownFile { suggestion },
        });
    }
    Ok(())
}

pub(crate) fn read_csv_dir(dir: &Path, taxonomy: Taxonomy) -> Result<Community> {
    let mut builder = Community::builder(taxonomy).source_name(dir.display().to_string());
    unknown_files(dir, &mut builder)?;
    let members = Table::read(
        &dir.join("members.csv"),
        MEMBER_COLUMNS,
        &["id", "kind", "country", "verticals"],
        &mut builder,
    )?;
    for (index, (line, row)) in members.rows.iter().enumerate() {
        let cell = |name: &str| {
            let k = MEMBER_COLUMNS
                .iter()
                .position(|f| *f == name)
                .expect("a known member field");
            members.cell(row, k)
        };
        let location = || Location {
            file: Some(members.file.to_string()),
            line: Some(*line),
            column: None,
            record: Record::Member {
                index,
                id: optional(cell("id")),
            },
        };
        let mut flag = |field: &str| {
            let text = cell(field);
            match text.to_ascii_lowercase().as_str() {
                "" => None,
                "true" | "yes" | "y" | "1" => Some(true),
                "false" | "no" | "n" | "0" => Some(false),
                _ => {
                    builder.push_problem(Problem {
                        location: location(),
                        field: field.into(),
                        value: text.into(),
                        kind: ProblemKind::InvalidBool,
                    });
                    None
                }
            }
        };
        let open_to_intros = flag("open_to_intros");
        let mut consent = ConsentRecord::default();
        for name in ConsentRecord::FIELDS {
            let value = flag(&format!("consent_{name}"));
            if let Some(slot) = consent.flag_mut(name) {
                *slot = value;
            }
        }
        let max = cell("max_intros");
        let max_intros = if max.is_empty() {
            None
        } else if let Ok(n) = max.parse::<u32>() {
            Some(n)
        } else {
            builder.push_problem(Problem {
                location: location(),
                field: "max_intros".into(),
                value: max.into(),
                kind: ProblemKind::InvalidNumber,
            });
            None
        };
        let record = MemberRecord {
            id: cell("id").to_owned(),
            name: cell("name").to_owned(),
            kind: cell("kind").to_owned(),
            country: cell("country").to_owned(),
            verticals: list(cell("verticals")),
            stage: optional(cell("stage")),
            stage_focus: list(cell("stage_focus")),
            offers: list(cell("offers")),
            needs: list(cell("needs")),
            communities: list(cell("communities")),
            languages: list(cell("languages")),
            open_to_intros,
            max_intros,
            consent,
        };
        builder.push_member(&record, &members.origin(*line));
    }

    let optional_table =
        |name: &str, known: &[&str], required: &[&str], builder: &mut CommunityBuilder| {
            let path = dir.join(name);
            if path.exists() {
                Table::read(&path, known, required, builder).map(Some)
            } else {
                Ok(None)
            }
        };
    if let Some(t) = optional_table(
        "connections.csv",
        CONNECTION_FIELDS,
        &["a", "b"],
        &mut builder,
    )? {
        for (index, (line, row)) in t.rows.iter().enumerate() {
            let text = t.cell(row, 2);
            let strength = if text.is_empty() {
                None
            } else if let Ok(s) = text.parse::<f64>() {
                Some(s)
            } else {
                // Reported once, as written. The problem makes the build fail, so the default
                // strength standing in for it never reaches a community.
                builder.push_problem(Problem {
                    location: Location {
                        file: Some(t.file.to_string()),
                        line: Some(*line),
                        column: None,
                        record: Record::Connection { index },
                    },
                    field: "strength".into(),
                    value: text.into(),
                    kind: ProblemKind::WrongType {
                        expected: "a number",
                    },
                });
                None
            };
            builder.push_connection(
                ConnectionRecord {
                    a: t.cell(row, 0).to_owned(),
                    b: t.cell(row, 1).to_owned(),
                    strength,
                },
                t.origin(*line),
            );
        }
    }
    let introductions = dir.join("introductions.csv");
    if introductions.exists() {
        read_introductions_csv(&introductions, &mut builder, false)?;
    }
    if let Some(t) = optional_table("blocked.csv", BLOCK_FIELDS, &["a", "b"], &mut builder)? {
        for (line, row) in &t.rows {
            builder.push_block(
                BlockRecord {
                    a: t.cell(row, 0).to_owned(),
                    b: t.cell(row, 1).to_owned(),
                },
                t.origin(*line),
            );
        }
    }
    builder.build()
}

/// Reads an introductions CSV file (`a,b,outcome[,date]`) into `builder`. With `own_index`, the
/// records are numbered within this file in problems, not after the builder's earlier ones.
pub(crate) fn read_introductions_csv(
    path: &Path,
    builder: &mut CommunityBuilder,
    own_index: bool,
) -> Result<()> {
    let t = Table::read(path, INTRODUCTION_FIELDS, &["a", "b", "outcome"], builder)?;
    for (i, (line, row)) in t.rows.iter().enumerate() {
        let mut origin = t.origin(*line);
        origin.index = own_index.then(|| u32::try_from(i).unwrap_or(u32::MAX));
        builder.push_introduction(
            IntroductionRecord {
                a: t.cell(row, 0).to_owned(),
                b: t.cell(row, 1).to_owned(),
                outcome: t.cell(row, 2).to_owned(),
                date: optional(t.cell(row, 3)),
                id: optional(t.cell(row, 4)),
                member: optional(t.cell(row, 5)),
            },
            origin,
        );
    }
    Ok(())
}
