//! Reading the JSON community file.
//!
//! `{"members": [...], "connections": [...], "introductions": [...], "blocked": [...]}`; only
//! `members` is required. A well-formed file is read in one pass: each record is deserialized
//! into typed fields borrowing the text and validated as it comes, and a tie whose members are
//! already known is kept as two positions. When anything is wrong (syntax, a type, an unknown
//! or repeated key, a bad value), the file is read again by the reporting reader
//! ([`super::json_report`]), which walks every record and names every problem with its line
//! and column.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

use crate::error::Result;
use crate::model::builder::{CommunityBuilder, Origin};
use crate::model::community::Community;
use crate::model::consent::ConsentRecord;
use crate::model::record::{BlockRecord, IntroductionRecord};
use crate::model::taxonomy::Taxonomy;
use crate::model::validate::MemberInput;

pub(crate) use super::json_report::read_introductions_json;

pub(crate) fn read_json_path(path: &std::path::Path, taxonomy: Taxonomy) -> Result<Community> {
    let (file, text) = crate::io::text::read_text(path)?;
    let file: Arc<str> = Arc::from(file);
    if let Some(builder) = read_fast(&file, &text, taxonomy.clone()) {
        // The records hold no part of the text: it goes before the build, which needs as much
        // memory again.
        drop(text);
        if let Ok(community) = builder.build() {
            return Ok(community);
        }
        let (_, text) = crate::io::text::read_text(path)?;
        return super::json_report::read_json_reporting(&file, &text, taxonomy);
    }
    super::json_report::read_json_reporting(&file, &text, taxonomy)
}

pub(crate) fn read_json_str(file: &str, text: &str, taxonomy: Taxonomy) -> Result<Community> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: Arc<str> = Arc::from(file);
    if let Some(builder) = read_fast(&file, text, taxonomy.clone()) {
        if let Ok(community) = builder.build() {
            return Ok(community);
        }
    }
    // Something is wrong: the reporting reader says what and where.
    super::json_report::read_json_reporting(&file, text, taxonomy)
}

/// Every record of a well-formed file added to a builder, or `None` when the file is not one
/// (a syntax error, a wrong type, an unknown or repeated key).
fn read_fast(file: &Arc<str>, text: &str, taxonomy: Taxonomy) -> Option<CommunityBuilder> {
    let mut builder = Community::builder(taxonomy).source_name(&**file);
    let mut de = serde_json::Deserializer::from_str(text);
    let origin = Origin {
        file: Some(Arc::clone(file)),
        ..Origin::default()
    };
    let mut ties = Vec::new();
    FileSeed {
        builder: &mut builder,
        ties: &mut ties,
        origin: &origin,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end())
    .ok()?;
    builder.push_ties(&ties, &origin);
    Some(builder)
}

/// Ties are resolved in parallel batches of this many, as they are read.
const TIE_BATCH: usize = 1 << 16;

/// A tie as read: both ids and the strength.
type TieIn<'a> = (Text<'a>, Text<'a>, Option<f64>);

/// The whole file: its top-level keys, each once.
struct FileSeed<'b, 'de> {
    builder: &'b mut CommunityBuilder,
    ties: &'b mut Vec<TieIn<'de>>,
    origin: &'b Origin,
}

impl<'de> DeserializeSeed<'de> for FileSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with a \"members\" array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut seen = [false; 7];
        let mut once = |i: usize| {
            if std::mem::replace(&mut seen[i], true) {
                Err(A::Error::custom("a top-level key given twice"))
            } else {
                Ok(())
            }
        };
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let records = Records {
                builder: &mut *self.builder,
                ties: &mut *self.ties,
                origin: self.origin,
            };
            match &*key {
                "members" => {
                    once(0)?;
                    map.next_value_seed(Each::<MemberIn<'de>>::new(records))?;
                }
                "connections" => {
                    once(1)?;
                    map.next_value_seed(Each::<ConnectionIn<'de>>::new(records))?;
                }
                "introductions" => {
                    once(2)?;
                    map.next_value_seed(Each::<IntroductionIn<'de>>::new(records))?;
                }
                "blocked" => {
                    once(3)?;
                    map.next_value_seed(Each::<BlockIn<'de>>::new(records))?;
                }
                // The learning catalogue's keys: `Catalogue::load` reads them.
                "resources" => {
                    once(4)?;
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                "journeys" => {
                    once(5)?;
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                "consumed" => {
                    once(6)?;
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                _ => return Err(A::Error::custom("an unknown top-level key")),
            }
        }
        if seen[0] {
            Ok(())
        } else {
            Err(A::Error::custom("no members"))
        }
    }
}

/// Where records go: members, introductions and blocks to the builder, ties kept as text
/// until every member is in.
struct Records<'b, 'de> {
    builder: &'b mut CommunityBuilder,
    ties: &'b mut Vec<TieIn<'de>>,
    origin: &'b Origin,
}

/// A record type of the file, added as it is read.
trait Add<'de>: Deserialize<'de> {
    fn add(self, to: &mut Records<'_, 'de>);
}

/// Every element of an array of `T`, added one by one (the array is never held).
struct Each<'b, 'de, T> {
    records: Records<'b, 'de>,
    of: std::marker::PhantomData<T>,
}

impl<'b, 'de, T> Each<'b, 'de, T> {
    fn new(records: Records<'b, 'de>) -> Self {
        Each {
            records,
            of: std::marker::PhantomData,
        }
    }
}

impl<'de, T: Add<'de>> DeserializeSeed<'de> for Each<'_, 'de, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Add<'de>> Visitor<'de> for Each<'_, 'de, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(item) = seq.next_element::<T>()? {
            item.add(&mut self.records);
        }
        Ok(())
    }
}

type Text<'a> = Cow<'a, str>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberIn<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    kind: Text<'a>,
    #[serde(borrow)]
    country: Text<'a>,
    #[serde(borrow)]
    verticals: Vec<Text<'a>>,
    #[serde(borrow, default)]
    stage: Option<Text<'a>>,
    #[serde(borrow, default)]
    stage_focus: Vec<Text<'a>>,
    #[serde(borrow, default)]
    offers: Vec<Text<'a>>,
    #[serde(borrow, default)]
    needs: Vec<Text<'a>>,
    #[serde(borrow, default)]
    communities: Vec<Text<'a>>,
    #[serde(borrow, default)]
    languages: Vec<Text<'a>>,
    #[serde(default)]
    open_to_intros: Option<bool>,
    #[serde(default)]
    max_intros: Option<u32>,
    #[serde(default)]
    consent: ConsentRecord,
}

impl<'de> Add<'de> for MemberIn<'de> {
    fn add(self, to: &mut Records<'_, 'de>) {
        let input = MemberInput {
            id: &self.id,
            name: self.name.as_deref().unwrap_or(""),
            kind: &self.kind,
            country: &self.country,
            verticals: &self.verticals,
            stage: self.stage.as_deref(),
            stage_focus: &self.stage_focus,
            offers: &self.offers,
            needs: &self.needs,
            communities: &self.communities,
            languages: &self.languages,
            open_to_intros: self.open_to_intros,
            max_intros: self.max_intros,
            consent: self.consent,
        };
        to.builder.push_member_input(&input, to.origin);
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnectionIn<'a> {
    #[serde(borrow)]
    a: Text<'a>,
    #[serde(borrow)]
    b: Text<'a>,
    #[serde(default)]
    strength: Option<f64>,
}

impl<'de> Add<'de> for ConnectionIn<'de> {
    fn add(self, to: &mut Records<'_, 'de>) {
        to.ties.push((self.a, self.b, self.strength));
        if to.ties.len() == TIE_BATCH {
            to.builder.push_ties(to.ties, to.origin);
            to.ties.clear();
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntroductionIn<'a> {
    #[serde(borrow)]
    a: Text<'a>,
    #[serde(borrow)]
    b: Text<'a>,
    #[serde(borrow)]
    outcome: Text<'a>,
    #[serde(borrow, default)]
    date: Option<Text<'a>>,
    #[serde(borrow, default)]
    id: Option<Text<'a>>,
    #[serde(borrow, default)]
    member: Option<Text<'a>>,
}

impl<'de> Add<'de> for IntroductionIn<'de> {
    fn add(self, to: &mut Records<'_, 'de>) {
        to.builder.push_introduction(
            IntroductionRecord {
                a: self.a.into_owned(),
                b: self.b.into_owned(),
                outcome: self.outcome.into_owned(),
                date: self.date.map(Cow::into_owned),
                id: self.id.map(Cow::into_owned),
                member: self.member.map(Cow::into_owned),
            },
            to.origin.clone(),
        );
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockIn<'a> {
    #[serde(borrow)]
    a: Text<'a>,
    #[serde(borrow)]
    b: Text<'a>,
}

impl<'de> Add<'de> for BlockIn<'de> {
    fn add(self, to: &mut Records<'_, 'de>) {
        to.builder.push_block(
            BlockRecord {
                a: self.a.into_owned(),
                b: self.b.into_owned(),
            },
            to.origin.clone(),
        );
    }
}
