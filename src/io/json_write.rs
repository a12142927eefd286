//! Writing the JSON community file: each record in its derived serde form, one a line.

use serde::Serialize;

use crate::model::record::CommunityRecords;

/// Writes records as a JSON community file: one record per line, fields in the file format's
/// order, empty optional fields left out (the records' serde form).
pub(crate) fn write_json(records: &CommunityRecords) -> String {
    let mut out = String::from("{\n  \"members\": [");
    section(&mut out, &records.members);
    for (key, written) in [
        ("connections", lines(&records.connections)),
        ("introductions", lines(&records.introductions)),
        ("blocked", lines(&records.blocked)),
    ] {
        if !written.is_empty() {
            out.push_str(",\n  \"");
            out.push_str(key);
            out.push_str("\": [");
            push_lines(&mut out, &written);
        }
    }
    out.push_str("\n}\n");
    out
}

fn section<T: Serialize>(out: &mut String, items: &[T]) {
    push_lines(out, &lines(items));
}

/// Each item as one line of compact JSON.
fn lines<T: Serialize>(items: &[T]) -> Vec<String> {
    items
        .iter()
        .map(|item| serde_json::to_string(item).expect("records are strings, numbers and lists"))
        .collect()
}

fn push_lines(out: &mut String, lines: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str(line);
    }
    out.push_str("\n  ]");
}
