//! Reading the JSON community file.
//!
//! `{"members": [...], "connections": [...], "introductions": [...], "blocked": [...]}`; only
//! `members` is required. The whole text is checked first, so syntax errors carry a line and
//! column; then each record is parsed to a JSON tree and walked field by field, so every content
//! problem is collected, one record in memory at a time.

use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::io::format::{
    BLOCK_FIELDS, CONNECTION_FIELDS, INTRODUCTION_FIELDS, MEMBER_FIELDS, TOP_FIELDS,
};
use crate::model::builder::{CommunityBuilder, Origin};
use crate::model::community::Community;
use crate::model::record::MemberRecord;
use crate::model::record::{BlockRecord, ConnectionRecord, IntroductionRecord};
use crate::model::slug::suggest_raw;
use crate::model::taxonomy::Taxonomy;
use crate::problem::{Location, Problem, ProblemKind, Record};

pub(crate) fn read_json_path(path: &Path, taxonomy: Taxonomy) -> Result<Community> {
    let (file, text) = crate::io::text::read_text(path)?;
    read_json_str(&file, &text, taxonomy)
}

pub(crate) fn read_json_str(file: &str, text: &str, taxonomy: Taxonomy) -> Result<Community> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The top level is read with its values left as text, and each array item is parsed when
    // its turn comes: a large file is never a whole tree in memory (at a million members the
    // tree took several times the file's size).
    let Ok(RawObject(mut root)) = serde_json::from_str::<RawObject>(text) else {
        // Not JSON (the error has its line and column) or not an object.
        let root: Value = crate::io::text::parse_json(file, text)?;
        return Err(Error::shape(
            file,
            format!(
                "expected an object with a \"members\" array at the top, found {}",
                type_name(&root)
            ),
        ));
    };
    let mut take = |key: &str| {
        let i = root.iter().position(|(k, _)| k == key)?;
        Some(root.remove(i).1)
    };
    let (members, connections, introductions, blocked) = (
        take("members"),
        take("connections"),
        take("introductions"),
        take("blocked"),
    );
    let Some(members) = members else {
        return Err(Error::shape(
            file,
            "missing the \"members\" array".to_owned(),
        ));
    };
    let mut builder = Community::builder(taxonomy).source_name(file);
    let origin = || Origin {
        file: Some(file.to_owned()),
        line: None,
        index: None,
    };
    let mut walker = Walker {
        file,
        builder: &mut builder,
    };
    // What is left are unknown fields.
    for (key, value) in &root {
        walker.problem(
            Record::File,
            key,
            &compact(&walker.value(value)?),
            ProblemKind::UnknownField {
                suggestion: suggest_raw(key, TOP_FIELDS.iter().copied()),
            },
        );
    }
    for (index, value) in walker.items(members, "members")?.into_iter().enumerate() {
        let record = walker.member(index, walker.value(value)?);
        walker.builder.push_member(record, origin());
    }
    if let Some(v) = connections {
        for (index, value) in walker.items(v, "connections")?.into_iter().enumerate() {
            let rec = Record::Connection { index };
            let mut obj = walker.object(rec.clone(), walker.value(value)?, CONNECTION_FIELDS);
            let (a, b) = (
                walker.string(&rec, &mut obj, "a"),
                walker.string(&rec, &mut obj, "b"),
            );
            let strength = walker.number(&rec, &mut obj, "strength");
            walker.builder.push_connection(
                ConnectionRecord {
                    a: a.unwrap_or_default(),
                    b: b.unwrap_or_default(),
                    strength,
                },
                origin(),
            );
        }
    }
    if let Some(v) = introductions {
        for (index, value) in walker.items(v, "introductions")?.into_iter().enumerate() {
            let value = walker.value(value)?;
            walker.introduction(index, value, false);
        }
    }
    if let Some(v) = blocked {
        for (index, value) in walker.items(v, "blocked")?.into_iter().enumerate() {
            let rec = Record::Block { index };
            let mut obj = walker.object(rec.clone(), walker.value(value)?, BLOCK_FIELDS);
            let (a, b) = (
                walker.string(&rec, &mut obj, "a"),
                walker.string(&rec, &mut obj, "b"),
            );
            walker.builder.push_block(
                BlockRecord {
                    a: a.unwrap_or_default(),
                    b: b.unwrap_or_default(),
                },
                origin(),
            );
        }
    }
    builder.build()
}

/// A JSON object's fields with their values left as text, in file order (a repeated key keeps
/// its first place and its last value, as in a parsed object).
struct RawObject<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for RawObject<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = RawObject<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut fields: Vec<(String, &'de RawValue)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
                    match fields.iter_mut().find(|(k, _)| *k == key) {
                        Some(field) => field.1 = value,
                        None => fields.push((key, value)),
                    }
                }
                Ok(RawObject(fields))
            }
        }
        d.deserialize_map(Fields)
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

struct Walker<'a> {
    file: &'a str,
    builder: &'a mut CommunityBuilder,
}

impl Walker<'_> {
    fn problem(&mut self, record: Record, field: &str, value: &str, kind: ProblemKind) {
        self.builder.push_problem(Problem {
            location: Location {
                file: Some(self.file.to_owned()),
                line: None,
                column: None,
                record,
            },
            field: field.to_owned(),
            value: value.to_owned(),
            kind,
        });
    }

    /// The items of the array `raw`, the value of `key`, left as text.
    fn items<'t>(&self, raw: &'t RawValue, key: &str) -> Result<Vec<&'t RawValue>> {
        match serde_json::from_str(raw.get()) {
            Ok(items) => Ok(items),
            Err(_) => Err(self.not_an_array(key, &self.value(raw)?)),
        }
    }

    /// The error for `key`'s value `found` when it is not an array.
    fn not_an_array(&self, key: &str, found: &Value) -> Error {
        Error::shape(
            self.file,
            format!("\"{key}\" must be an array, found {}", type_name(found)),
        )
    }

    /// The JSON tree of `raw` (whose syntax the whole file's reading already checked).
    fn value(&self, raw: &RawValue) -> Result<Value> {
        crate::io::text::parse_json(self.file, raw.get())
    }

    fn array(&mut self, value: Value, key: &str) -> Result<Vec<Value>> {
        match value {
            Value::Array(items) => Ok(items),
            other => Err(self.not_an_array(key, &other)),
        }
    }

    /// The object's fields; unknown keys are reported, a non-object yields no fields.
    fn object(&mut self, record: Record, value: Value, known: &[&str]) -> Map<String, Value> {
        match value {
            Value::Object(map) => {
                for (key, v) in &map {
                    if !known.contains(&key.as_str()) {
                        self.problem(
                            record.clone(),
                            key,
                            &compact(v),
                            ProblemKind::UnknownField {
                                suggestion: suggest_raw(key, known.iter().copied()),
                            },
                        );
                    }
                }
                map
            }
            other => {
                self.problem(
                    record,
                    "",
                    &compact(&other),
                    ProblemKind::WrongType {
                        expected: "an object",
                    },
                );
                Map::new()
            }
        }
    }

    fn string(
        &mut self,
        record: &Record,
        obj: &mut Map<String, Value>,
        key: &str,
    ) -> Option<String> {
        match obj.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.problem(
                    record.clone(),
                    key,
                    &compact(&other),
                    ProblemKind::WrongType {
                        expected: "a string",
                    },
                );
                None
            }
        }
    }

    fn number(&mut self, record: &Record, obj: &mut Map<String, Value>, key: &str) -> Option<f64> {
        match obj.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                self.problem(
                    record.clone(),
                    key,
                    &compact(&other),
                    ProblemKind::WrongType {
                        expected: "a number",
                    },
                );
                // Reported once, here. The problem makes the build fail, so the default
                // strength standing in for it never reaches a community.
                None
            }
        }
    }

    fn strings(&mut self, record: &Record, obj: &mut Map<String, Value>, key: &str) -> Vec<String> {
        match obj.remove(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => out.push(s),
                        other => self.problem(
                            record.clone(),
                            key,
                            &compact(&other),
                            ProblemKind::WrongType {
                                expected: "an array of strings",
                            },
                        ),
                    }
                }
                out
            }
            Some(other) => {
                self.problem(
                    record.clone(),
                    key,
                    &compact(&other),
                    ProblemKind::WrongType {
                        expected: "an array of strings",
                    },
                );
                Vec::new()
            }
        }
    }

    /// Walks an array of introductions into the builder. With `own_index`, records are numbered
    /// within this array in problems, not after the builder's earlier ones.
    fn introductions(&mut self, value: Value, own_index: bool) -> Result<()> {
        for (index, value) in self.array(value, "introductions")?.into_iter().enumerate() {
            self.introduction(index, value, own_index);
        }
        Ok(())
    }

    /// Walks the introduction at `index` of its array into the builder (see
    /// [`Walker::introductions`]).
    fn introduction(&mut self, index: usize, value: Value, own_index: bool) {
        let rec = Record::Introduction { index };
        let mut obj = self.object(rec.clone(), value, INTRODUCTION_FIELDS);
        let a = self.string(&rec, &mut obj, "a");
        let b = self.string(&rec, &mut obj, "b");
        let outcome = self.string(&rec, &mut obj, "outcome");
        let date = self.string(&rec, &mut obj, "date");
        self.builder.push_introduction(
            IntroductionRecord {
                a: a.unwrap_or_default(),
                b: b.unwrap_or_default(),
                outcome: outcome.unwrap_or_default(),
                date,
            },
            Origin {
                file: Some(self.file.to_owned()),
                line: None,
                index: own_index.then_some(index),
            },
        );
    }

    fn member(&mut self, index: usize, value: Value) -> MemberRecord {
        let id_hint = value
            .get("id")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        let rec = Record::Member { index, id: id_hint };
        let mut obj = self.object(rec.clone(), value, MEMBER_FIELDS);
        let open_to_intros = match obj.remove("open_to_intros") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(b),
            Some(other) => {
                self.problem(
                    rec.clone(),
                    "open_to_intros",
                    &compact(&other),
                    ProblemKind::InvalidBool,
                );
                None
            }
        };
        let max_intros = match obj.remove("max_intros") {
            None | Some(Value::Null) => None,
            Some(v) => {
                if let Some(n) = v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    Some(n)
                } else {
                    self.problem(
                        rec.clone(),
                        "max_intros",
                        &compact(&v),
                        ProblemKind::InvalidNumber,
                    );
                    None
                }
            }
        };
        MemberRecord {
            // A missing id is reported by the builder, as an empty one.
            id: self.string(&rec, &mut obj, "id").unwrap_or_default(),
            name: self.string(&rec, &mut obj, "name").unwrap_or_default(),
            kind: self.string(&rec, &mut obj, "kind").unwrap_or_default(),
            country: self.string(&rec, &mut obj, "country").unwrap_or_default(),
            verticals: self.strings(&rec, &mut obj, "verticals"),
            stage: self.string(&rec, &mut obj, "stage"),
            stage_focus: self.strings(&rec, &mut obj, "stage_focus"),
            offers: self.strings(&rec, &mut obj, "offers"),
            needs: self.strings(&rec, &mut obj, "needs"),
            communities: self.strings(&rec, &mut obj, "communities"),
            languages: self.strings(&rec, &mut obj, "languages"),
            open_to_intros,
            max_intros,
        }
    }
}

/// Reads an introductions JSON file into `builder`: `{"introductions": [...]}` or a bare array,
/// each introduction an object `a`, `b`, `outcome`, optional `date`; unknown fields are refused
/// like in a community file.
pub(crate) fn read_introductions_json(
    file: &str,
    text: &str,
    builder: &mut CommunityBuilder,
) -> Result<()> {
    let root: Value = crate::io::text::parse_json(file, text)?;
    let mut walker = Walker { file, builder };
    let array = match root {
        Value::Array(_) => root,
        Value::Object(mut o) => {
            let Some(array) = o.remove("introductions") else {
                return Err(Error::shape(
                    file,
                    "missing the \"introductions\" array".to_owned(),
                ));
            };
            for (key, value) in &o {
                walker.problem(
                    Record::File,
                    key,
                    &compact(value),
                    ProblemKind::UnknownField {
                        suggestion: suggest_raw(key, ["introductions"]),
                    },
                );
            }
            array
        }
        other => {
            return Err(Error::shape(
                file,
                format!(
                    "expected an array of introductions or an object with \"introductions\", found {}",
                    type_name(&other)
                ),
            ));
        }
    };
    walker.introductions(array, true)
}
