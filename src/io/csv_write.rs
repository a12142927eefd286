//! Writing the CSV form of a community.

use std::path::Path;

use crate::error::{Error, Result};
use crate::io::format::{BLOCK_FIELDS, CONNECTION_FIELDS, INTRODUCTION_FIELDS, MEMBER_COLUMNS};
use crate::model::record::CommunityRecords;
use crate::model::record::round_strength;

/// Writes records as a CSV folder, each file atomically; files for empty relation lists are not
/// written (and removed if an earlier save left them).
pub(crate) fn write_csv_dir(records: &CommunityRecords, dir: &Path) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source: std::io::Error| Error::io(&path, source)
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let write = |name: &str, header: &[&str], rows: Vec<Vec<String>>| -> Result<()> {
        let path = dir.join(name);
        let mut w = csv::Writer::from_writer(Vec::new());
        let csv_err = |source: csv::Error| Error::csv(&path.display().to_string(), source);
        w.write_record(header).map_err(csv_err)?;
        for row in rows {
            w.write_record(&row).map_err(csv_err)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        crate::io::text::write_atomically(&path, &bytes)
    };
    let join = |v: &[String]| v.join(";");
    let flag = |f: Option<bool>| f.map_or(String::new(), |b| b.to_string());
    write(
        "members.csv",
        MEMBER_COLUMNS,
        records
            .members
            .iter()
            .map(|m| {
                vec![
                    m.id.clone(),
                    m.name.clone(),
                    m.kind.clone(),
                    m.country.clone(),
                    join(&m.verticals),
                    m.stage.clone().unwrap_or_default(),
                    join(&m.stage_focus),
                    join(&m.offers),
                    join(&m.needs),
                    join(&m.communities),
                    join(&m.languages),
                    m.open_to_intros.map_or(String::new(), |b| b.to_string()),
                    m.max_intros.map_or(String::new(), |n| n.to_string()),
                    flag(m.consent.introduce),
                    flag(m.consent.ties),
                    flag(m.consent.needs_in_reasons),
                    flag(m.consent.directory),
                ]
            })
            .collect(),
    )?;
    // A relation file of an earlier save that would now be empty goes: read back, it would
    // bring back ties, introductions or blocks the community no longer has.
    for (name, empty) in [
        ("connections.csv", records.connections.is_empty()),
        ("introductions.csv", records.introductions.is_empty()),
        ("blocked.csv", records.blocked.is_empty()),
    ] {
        let path = dir.join(name);
        if empty && path.exists() {
            std::fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    if !records.connections.is_empty() {
        write(
            "connections.csv",
            CONNECTION_FIELDS,
            records
                .connections
                .iter()
                .map(|c| {
                    vec![
                        c.a.clone(),
                        c.b.clone(),
                        c.strength
                            .map_or(String::new(), |s| round_strength(s).to_string()),
                    ]
                })
                .collect(),
        )?;
    }
    if !records.introductions.is_empty() {
        write(
            "introductions.csv",
            INTRODUCTION_FIELDS,
            records
                .introductions
                .iter()
                .map(|i| {
                    vec![
                        i.a.clone(),
                        i.b.clone(),
                        i.outcome.clone(),
                        i.date.clone().unwrap_or_default(),
                        i.id.clone().unwrap_or_default(),
                        i.member.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        )?;
    }
    if !records.blocked.is_empty() {
        write(
            "blocked.csv",
            BLOCK_FIELDS,
            records
                .blocked
                .iter()
                .map(|b| vec![b.a.clone(), b.b.clone()])
                .collect(),
        )?;
    }
    Ok(())
}
