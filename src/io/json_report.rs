//! The reporting JSON reader: for a file the fast reader refused, walks every record field by
//! field and names every problem (the first [`MAX_PROBLEMS`](crate::MAX_PROBLEMS), and how
//! many more) with the line and column of its record: wrong types, unknown and repeated keys,
//! and everything the builder checks. Memory stays linear in the file: arrays are held as
//! slices of the text, and each record is a tree only while it is walked.

use std::collections::HashSet;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::io::format::{
    BLOCK_FIELDS, CATALOGUE_FIELDS, CONNECTION_FIELDS, INTRODUCTION_FIELDS, MEMBER_FIELDS,
    TOP_FIELDS,
};
use crate::model::builder::{CommunityBuilder, Origin};
use crate::model::community::Community;
use crate::model::consent::ConsentRecord;
use crate::model::record::{BlockRecord, ConnectionRecord, IntroductionRecord, MemberRecord};
use crate::model::slug::suggest_raw;
use crate::model::taxonomy::Taxonomy;
use crate::problem::{Location, Problem, ProblemKind, Record, shown};

pub(crate) fn read_json_reporting(
    file: &Arc<str>,
    text: &str,
    taxonomy: Taxonomy,
) -> Result<Community> {
    let lines = LineIndex::new(text);
    let Ok(Fields(root)) = serde_json::from_str::<Fields<&RawValue>>(text) else {
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
    let mut builder = Community::builder(taxonomy).source_name(&**file);
    let mut walker = Walker {
        file,
        text,
        lines: &lines,
        builder: &mut builder,
    };
    let mut arrays: [Option<&RawValue>; 4] = [None; 4];
    let mut seen = HashSet::new();
    for (key, value) in &root {
        let at = walker.position(value);
        if !seen.insert(key.as_str()) {
            walker.problem(at, Record::File, key, "", ProblemKind::DuplicateKey);
            continue;
        }
        if let Some(i) = TOP_FIELDS.iter().position(|k| k == key) {
            arrays[i] = Some(*value);
        } else if CATALOGUE_FIELDS.contains(&key.as_str()) {
            // The learning catalogue's: `Catalogue::load` reads and reports them.
        } else {
            let suggestion = if walker.builder.keeps_problems() {
                suggest_raw(
                    &shown(key),
                    TOP_FIELDS.iter().chain(CATALOGUE_FIELDS).copied(),
                )
            } else {
                None
            };
            walker.problem(
                at,
                Record::File,
                key,
                value.get(),
                ProblemKind::UnknownField { suggestion },
            );
        }
    }
    if seen.len() < root.len() {
        // A repeated top-level key: which array was meant cannot be told, so nothing more is
        // read.
        return builder.build();
    }
    let [members, connections, introductions, blocked] = arrays;
    let Some(members) = members else {
        return Err(Error::shape(
            file,
            "missing the \"members\" array".to_owned(),
        ));
    };
    for (index, raw) in walker.items(members, "members")?.into_iter().enumerate() {
        let origin = walker.origin(raw);
        let record = walker.member(index, raw, &origin);
        walker.builder.push_member(&record, &origin);
    }
    if let Some(v) = connections {
        for (index, raw) in walker.items(v, "connections")?.into_iter().enumerate() {
            let origin = walker.origin(raw);
            let rec = Record::Connection { index };
            let mut obj = walker.object(&origin, &rec, raw, CONNECTION_FIELDS);
            let (a, b) = (
                walker.string(&origin, &rec, &mut obj, "a"),
                walker.string(&origin, &rec, &mut obj, "b"),
            );
            let strength = walker.number(&origin, &rec, &mut obj, "strength");
            walker.builder.push_connection(
                ConnectionRecord {
                    a: a.unwrap_or_default(),
                    b: b.unwrap_or_default(),
                    strength,
                },
                origin,
            );
        }
    }
    if let Some(v) = introductions {
        for (index, raw) in walker.items(v, "introductions")?.into_iter().enumerate() {
            walker.introduction(index, raw, false);
        }
    }
    if let Some(v) = blocked {
        for (index, raw) in walker.items(v, "blocked")?.into_iter().enumerate() {
            let origin = walker.origin(raw);
            let rec = Record::Block { index };
            let mut obj = walker.object(&origin, &rec, raw, BLOCK_FIELDS);
            let (a, b) = (
                walker.string(&origin, &rec, &mut obj, "a"),
                walker.string(&origin, &rec, &mut obj, "b"),
            );
            walker.builder.push_block(
                BlockRecord {
                    a: a.unwrap_or_default(),
                    b: b.unwrap_or_default(),
                },
                origin,
            );
        }
    }
    builder.build()
}

/// Byte offsets of the text's line starts, to turn a record's place into line and column.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_lines(text.as_bytes()));
        LineIndex { starts }
    }

    /// 1-based line and column (in bytes) of byte `offset`.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        (line, offset - self.starts[line - 1] + 1)
    }
}

fn memchr_lines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| i + 1)
}

/// A JSON object's fields in file order, repeated keys kept (so they can be reported).
struct Fields<V>(Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Fields<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = Fields<V>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, V>()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(Entries(std::marker::PhantomData))
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
        Value::String(s) => shown(s),
        other => shown(&other.to_string()),
    }
}

/// One object's fields by key; repeated keys reported.
type Object = Vec<(String, Value)>;

struct Walker<'a> {
    file: &'a Arc<str>,
    text: &'a str,
    lines: &'a LineIndex,
    builder: &'a mut CommunityBuilder,
}

impl Walker<'_> {
    /// Where `raw` (a slice of the text) starts, as an origin.
    fn origin(&self, raw: &RawValue) -> Origin {
        let (line, column) = self.position(raw);
        Origin::at(self.file, line, column)
    }

    fn position(&self, raw: &RawValue) -> (usize, usize) {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        self.lines.position(offset)
    }

    fn problem(
        &mut self,
        (line, column): (usize, usize),
        record: Record,
        field: &str,
        value: &str,
        kind: ProblemKind,
    ) {
        let file = self.file;
        self.builder.push_problem_with(|| Problem {
            location: Location {
                file: Some(file.to_string()),
                line: Some(line as u64),
                column: Some(column as u64),
                record,
            },
            field: shown(field),
            value: shown(value),
            kind,
        });
    }

    fn at(
        &mut self,
        origin: &Origin,
        record: &Record,
        field: &str,
        value: &str,
        kind: ProblemKind,
    ) {
        self.problem(
            (origin.line as usize, origin.column as usize),
            record.clone(),
            field,
            value,
            kind,
        );
    }

    /// The items of the array `raw`, the value of `key`, left as text.
    fn items<'t>(&self, raw: &'t RawValue, key: &str) -> Result<Vec<&'t RawValue>> {
        if let Ok(items) = serde_json::from_str(raw.get()) {
            return Ok(items);
        }
        let found: Value = crate::io::text::parse_json(self.file, raw.get())?;
        Err(Error::shape(
            self.file,
            format!("\"{key}\" must be an array, found {}", type_name(&found)),
        ))
    }

    /// The object's fields; unknown and repeated keys are reported, a non-object yields none.
    fn object(
        &mut self,
        origin: &Origin,
        record: &Record,
        raw: &RawValue,
        known: &[&str],
    ) -> Object {
        let Ok(Fields(fields)) = serde_json::from_str::<Fields<Value>>(raw.get()) else {
            self.at(
                origin,
                record,
                "",
                raw.get(),
                ProblemKind::WrongType {
                    expected: "an object",
                },
            );
            return Vec::new();
        };
        let mut seen = HashSet::new();
        for (key, v) in &fields {
            if !known.contains(&key.as_str()) {
                let suggestion = if self.builder.keeps_problems() {
                    suggest_raw(&shown(key), known.iter().copied())
                } else {
                    None
                };
                self.at(
                    origin,
                    record,
                    key,
                    &compact(v),
                    ProblemKind::UnknownField { suggestion },
                );
            } else if !seen.insert(key.as_str()) {
                self.at(origin, record, key, &compact(v), ProblemKind::DuplicateKey);
            }
        }
        fields
    }

    /// The value of `key`, taken out of `obj` (the last, when repeated: already reported).
    fn take(obj: &mut Object, key: &str) -> Option<Value> {
        let i = obj.iter().rposition(|(k, _)| k == key)?;
        Some(obj.swap_remove(i).1)
    }

    fn string(
        &mut self,
        origin: &Origin,
        record: &Record,
        obj: &mut Object,
        key: &str,
    ) -> Option<String> {
        match Self::take(obj, key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.at(
                    origin,
                    record,
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

    fn number(
        &mut self,
        origin: &Origin,
        record: &Record,
        obj: &mut Object,
        key: &str,
    ) -> Option<f64> {
        match Self::take(obj, key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                self.at(
                    origin,
                    record,
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

    fn strings(
        &mut self,
        origin: &Origin,
        record: &Record,
        obj: &mut Object,
        key: &str,
    ) -> Vec<String> {
        let wrong = ProblemKind::WrongType {
            expected: "an array of strings",
        };
        match Self::take(obj, key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => out.push(s),
                        other => self.at(origin, record, key, &compact(&other), wrong.clone()),
                    }
                }
                out
            }
            Some(other) => {
                self.at(origin, record, key, &compact(&other), wrong);
                Vec::new()
            }
        }
    }

    /// Walks the introduction `raw`, at `index` of its array, into the builder. With
    /// `own_index`, it is numbered within its own file in problems, not after the builder's
    /// earlier introductions.
    fn introduction(&mut self, index: usize, raw: &RawValue, own_index: bool) {
        let mut origin = self.origin(raw);
        origin.index = own_index.then(|| u32::try_from(index).unwrap_or(u32::MAX));
        let rec = Record::Introduction { index };
        let mut obj = self.object(&origin, &rec, raw, INTRODUCTION_FIELDS);
        let a = self.string(&origin, &rec, &mut obj, "a");
        let b = self.string(&origin, &rec, &mut obj, "b");
        let outcome = self.string(&origin, &rec, &mut obj, "outcome");
        let date = self.string(&origin, &rec, &mut obj, "date");
        let id = self.string(&origin, &rec, &mut obj, "id");
        let member = self.string(&origin, &rec, &mut obj, "member");
        self.builder.push_introduction(
            IntroductionRecord {
                a: a.unwrap_or_default(),
                b: b.unwrap_or_default(),
                outcome: outcome.unwrap_or_default(),
                date,
                id,
                member,
            },
            origin,
        );
    }

    fn member(&mut self, index: usize, raw: &RawValue, origin: &Origin) -> MemberRecord {
        let mut obj = self.object(
            origin,
            &Record::Member { index, id: None },
            raw,
            MEMBER_FIELDS,
        );
        let id_hint = obj
            .iter()
            .rev()
            .find(|(k, _)| k == "id")
            .and_then(|(_, v)| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(shown);
        let rec = Record::Member { index, id: id_hint };
        let open_to_intros = match Self::take(&mut obj, "open_to_intros") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(b),
            Some(other) => {
                self.at(
                    origin,
                    &rec,
                    "open_to_intros",
                    &compact(&other),
                    ProblemKind::InvalidBool,
                );
                None
            }
        };
        let max_intros = match Self::take(&mut obj, "max_intros") {
            None | Some(Value::Null) => None,
            Some(v) => {
                if let Some(n) = v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    Some(n)
                } else {
                    self.at(
                        origin,
                        &rec,
                        "max_intros",
                        &compact(&v),
                        ProblemKind::InvalidNumber,
                    );
                    None
                }
            }
        };
        let consent = self.consent(origin, &rec, &mut obj);
        MemberRecord {
            // A missing id is reported by the builder, as an empty one.
            id: self
                .string(origin, &rec, &mut obj, "id")
                .unwrap_or_default(),
            name: self
                .string(origin, &rec, &mut obj, "name")
                .unwrap_or_default(),
            kind: self
                .string(origin, &rec, &mut obj, "kind")
                .unwrap_or_default(),
            country: self
                .string(origin, &rec, &mut obj, "country")
                .unwrap_or_default(),
            verticals: self.strings(origin, &rec, &mut obj, "verticals"),
            stage: self.string(origin, &rec, &mut obj, "stage"),
            stage_focus: self.strings(origin, &rec, &mut obj, "stage_focus"),
            offers: self.strings(origin, &rec, &mut obj, "offers"),
            needs: self.strings(origin, &rec, &mut obj, "needs"),
            communities: self.strings(origin, &rec, &mut obj, "communities"),
            languages: self.strings(origin, &rec, &mut obj, "languages"),
            open_to_intros,
            max_intros,
            consent,
        }
    }

    /// A member's `consent` object: each flag true or false; other keys and types reported.
    fn consent(&mut self, origin: &Origin, record: &Record, obj: &mut Object) -> ConsentRecord {
        let mut consent = ConsentRecord::default();
        match Self::take(obj, "consent") {
            None | Some(Value::Null) => {}
            Some(Value::Object(flags)) => {
                for (key, value) in flags {
                    let field = format!("consent.{key}");
                    match (consent.flag_mut(&key), value) {
                        (Some(slot), Value::Bool(b)) => *slot = Some(b),
                        (Some(_), Value::Null) => {}
                        (Some(_), other) => {
                            self.at(
                                origin,
                                record,
                                &field,
                                &compact(&other),
                                ProblemKind::InvalidBool,
                            );
                        }
                        (None, other) => {
                            let suggestion = suggest_raw(&shown(&key), ConsentRecord::FIELDS);
                            self.at(
                                origin,
                                record,
                                &field,
                                &compact(&other),
                                ProblemKind::UnknownField { suggestion },
                            );
                        }
                    }
                }
            }
            Some(other) => self.at(
                origin,
                record,
                "consent",
                &compact(&other),
                ProblemKind::WrongType {
                    expected: "an object of flags",
                },
            ),
        }
        consent
    }
}

/// Reads an introductions JSON file into `builder`: `{"introductions": [...]}` or a bare array,
/// each introduction an object `a`, `b`, `outcome`, optional `date`; unknown and repeated keys
/// are refused like in a community file.
pub(crate) fn read_introductions_json(
    file: &str,
    text: &str,
    builder: &mut CommunityBuilder,
) -> Result<()> {
    let file: Arc<str> = Arc::from(file);
    let lines = LineIndex::new(text);
    let mut walker = Walker {
        file: &file,
        text,
        lines: &lines,
        builder,
    };
    let array: &RawValue = if let Ok(Fields(fields)) =
        serde_json::from_str::<Fields<&RawValue>>(text)
    {
        let mut array = None;
        for (key, value) in fields {
            let at = walker.position(value);
            if key != "introductions" {
                let suggestion = suggest_raw(&shown(&key), ["introductions"]);
                walker.problem(
                    at,
                    Record::File,
                    &key,
                    value.get(),
                    ProblemKind::UnknownField { suggestion },
                );
            } else if array.replace(value).is_some() {
                walker.problem(at, Record::File, &key, "", ProblemKind::DuplicateKey);
            }
        }
        array
            .ok_or_else(|| Error::shape(&file, "missing the \"introductions\" array".to_owned()))?
    } else {
        let raw: &RawValue =
            serde_json::from_str(text).map_err(|source| Error::json(&file, source))?;
        if !raw.get().trim_start().starts_with('[') {
            let found: Value = crate::io::text::parse_json(&file, text)?;
            return Err(Error::shape(
                &file,
                format!(
                    "expected an array of introductions or an object with \"introductions\", found {}",
                    type_name(&found)
                ),
            ));
        }
        raw
    };
    for (index, raw) in walker
        .items(array, "introductions")?
        .into_iter()
        .enumerate()
    {
        walker.introduction(index, raw, true);
    }
    Ok(())
}
