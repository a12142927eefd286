//! Hostile input: each reproducer of the fuzz campaign, small enough for the suite, asserting
//! the bounded behaviour by what comes out (problems kept and counted, sizes), never by timing.

mod common;

use std::fs;
use std::path::PathBuf;

use pollinate::{
    Community, DiscoveryConfig, Engine, ErrorKind, MAX_PROBLEMS, MatchWeights, ProblemKind,
    Taxonomy,
};

fn load(text: &str) -> Result<Community, pollinate::Error> {
    Community::from_json_str(text, Taxonomy::jobtech())
}

fn member(id: &str) -> String {
    format!(r#"{{"id":"{id}","kind":"platform","country":"KE","verticals":["microwork"]}}"#)
}

/// The problems kept and the count of the others.
fn problems(err: &pollinate::Error) -> (usize, usize) {
    match err.kind() {
        ErrorKind::Invalid { problems, more, .. } => (problems.len(), *more),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn a_long_id_with_many_bad_values_gives_a_bounded_report() {
    let verticals: Vec<String> = (0..20_000).map(|i| format!("\"bad-{i}\"")).collect();
    let text = format!(
        r#"{{"members":[{{"id":"{}","kind":"platform","country":"KE","verticals":[{}]}}]}}"#,
        "x".repeat(64 * 1024),
        verticals.join(",")
    );
    let err = load(&text).unwrap_err();
    assert_eq!(problems(&err), (MAX_PROBLEMS, 20_000 - MAX_PROBLEMS));
    let report = err.to_string();
    assert!(report.contains("20000 problems found (the first 100 shown)"));
    // Each problem names the member by a cut id: the report is small whatever the id.
    assert!(report.len() < 40_000, "{} bytes", report.len());
    assert!(report.contains("(65536 bytes)"));
}

#[test]
fn many_empty_members_are_counted_not_kept() {
    let text = format!(r#"{{"members":[{}]}}"#, vec!["{}"; 200_000].join(","));
    let err = load(&text).unwrap_err();
    let (kept, more) = problems(&err);
    assert_eq!(kept, MAX_PROBLEMS);
    // Each `{}` lacks an id, a kind, a country and verticals.
    assert_eq!(kept + more, 4 * 200_000);
}

#[test]
fn many_top_level_keys_are_reported_in_bounded_size() {
    let keys: Vec<String> = (0..20_000).map(|i| format!("\"k{i}\": 0")).collect();
    let text = format!(r#"{{"members": [], {}}}"#, keys.join(","));
    let err = load(&text).unwrap_err();
    assert_eq!(problems(&err), (MAX_PROBLEMS, 20_000 - MAX_PROBLEMS));
    // Every problem has its place.
    assert!(err.problems().iter().all(|p| p.location.line == Some(1)));
    let empty_key = load(r#"{"members": [], "": 1}"#).unwrap_err();
    // At its value, the 21st byte.
    assert_eq!(empty_key.problems()[0].location.column, Some(21));
}

#[test]
fn unknown_ids_get_suggestions_only_while_kept_and_short() {
    let mut members: Vec<String> = (0..1_500).map(|i| member(&format!("m-{i:04}"))).collect();
    members.push(member("fundi-fix"));
    let mut ties: Vec<String> = (0..5_000)
        .map(|i| format!(r#"{{"a":"m-0001","b":"nobody-{i}"}}"#))
        .collect();
    ties.insert(
        0,
        format!(r#"{{"a":"m-0001","b":"{}"}}"#, "y".repeat(100_000)),
    );
    ties.insert(0, r#"{"a":"m-0001","b":"fundi-fx"}"#.to_owned());
    let text = format!(
        r#"{{"members":[{}],"connections":[{}]}}"#,
        members.join(","),
        ties.join(",")
    );
    let err = load(&text).unwrap_err();
    assert_eq!(problems(&err), (MAX_PROBLEMS, 5_002 - MAX_PROBLEMS));
    let first = &err.problems()[0];
    assert_eq!(
        first.kind,
        ProblemKind::UnknownMember {
            suggestion: Some("fundi-fix".into())
        }
    );
    let long = &err.problems()[1];
    assert_eq!(long.kind, ProblemKind::UnknownMember { suggestion: None });
    assert!(long.value.ends_with("(100000 bytes)"), "{}", long.value);
}

fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pollinate-hostile-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        fs::write(dir.join(file), text).unwrap();
    }
    dir
}

#[test]
fn misnamed_csv_files_are_refused_not_ignored() {
    let members = "id,kind,country,verticals\na,platform,KE,microwork\nb,platform,KE,microwork\n";
    for (misnamed, suggestion) in [
        ("Blocked.csv", "blocked.csv"),
        ("blocks.csv", "blocked.csv"),
    ] {
        let dir = folder(
            misnamed,
            &[("members.csv", members), (misnamed, "a,b\na,b\n")],
        );
        let err = Community::load(&dir).unwrap_err();
        assert_eq!(
            err.problems()[0].kind,
            ProblemKind::UnknownFile {
                suggestion: Some(suggestion.into())
            },
            "{err}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
    // Other files (a README) are none of its business.
    let dir = folder(
        "readme",
        &[("members.csv", members), ("README.txt", "notes")],
    );
    assert_eq!(Community::load(&dir).unwrap().len(), 2);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn repeated_json_keys_are_refused_at_their_place() {
    let cases = [
        (r#"{"members": 1, "members": []}"#, "members"),
        (
            &*format!(
                r#"{{"members": [{}, {}], "blocked": [{{"a":"a","b":"b"}}], "blocked": []}}"#,
                member("a"),
                member("b")
            ),
            "blocked",
        ),
        (
            r#"{"members": [{"id":"a","kind":"platform","country":"KE","verticals":["microwork"],
                "open_to_intros": false, "open_to_intros": true}]}"#,
            "open_to_intros",
        ),
    ];
    for (text, field) in cases {
        let err = load(text).unwrap_err();
        let p = err
            .problems()
            .iter()
            .find(|p| p.kind == ProblemKind::DuplicateKey)
            .unwrap_or_else(|| panic!("{err}"));
        assert_eq!(p.field, field);
        assert!(p.location.line.is_some() && p.location.column.is_some());
    }
}

#[test]
fn cop_reasons_name_only_members_one_could_be_introduced_to() {
    let e = Engine::new(common::sample_1500(), MatchWeights::default()).unwrap();
    let c = e.community();
    let mut by_name = std::collections::HashMap::new();
    for m in c.member_ids() {
        by_name
            .entry(c[m].name().to_owned())
            .or_insert(Vec::new())
            .push(m);
    }
    let mut named = 0;
    for m in c.member_ids().step_by(5) {
        for rec in e.recommend_cops(m, 3).unwrap() {
            for reason in &rec.reasons {
                if let pollinate::Reason::CopClosest { members } = reason {
                    for (name, _) in members {
                        // Every member of that name: at least one may be introduced.
                        let ids = &by_name[&**name];
                        assert!(
                            ids.iter()
                                .any(|&x| c[x].open_to_intros() && e.may_meet(m, x)),
                            "{name} named for {}",
                            c[m].id()
                        );
                        named += 1;
                    }
                }
            }
        }
    }
    assert!(named > 1_000);
}

#[test]
fn a_semicolon_in_a_slug_is_refused_in_json_as_in_csv() {
    let text = r#"{"members":[{"id":"a","kind":"platform","country":"KE","verticals":["microwork"],
        "needs":["pay;roll"],"communities":["x;y"]}]}"#;
    let err = load(text).unwrap_err();
    let kinds: Vec<&ProblemKind> = err.problems().iter().map(|p| &p.kind).collect();
    assert_eq!(
        kinds,
        [&ProblemKind::InvalidSlug, &ProblemKind::InvalidSlug]
    );
}

#[test]
fn strengths_that_vanish_in_f32_are_refused() {
    for strength in ["1e-300", "1e-46", "0", "-0.5", "1.5"] {
        let text = format!(
            r#"{{"members":[{},{}],"connections":[{{"a":"a","b":"b","strength":{strength}}}]}}"#,
            member("a"),
            member("b")
        );
        let err = load(&text).unwrap_err();
        assert_eq!(
            err.problems()[0].kind,
            ProblemKind::StrengthOutOfRange,
            "{strength}"
        );
    }
}

#[test]
fn weights_that_overflow_are_refused() {
    let text = "[signals]\nneeds = 1e38\ntaxonomy = 1e38\nstage = 1e38\ncommunities = 1e38\n\
                geography = 1e38\nwarmth = 1e38\nkind = 1e38\n";
    let err = MatchWeights::from_toml_str(text).unwrap_err();
    assert!(err.to_string().contains("signals"), "{err}");
}

#[test]
fn a_blocked_contact_never_introduces() {
    let text = format!(
        r#"{{"members":[{},{},{}],
            "connections":[{{"a":"a","b":"c","strength":0.9}},{{"a":"b","b":"c","strength":0.9}}],
            "blocked":[{{"a":"a","b":"c"}}]}}"#,
        member("a"),
        member("b"),
        member("c")
    );
    let e = Engine::new(load(&text).unwrap(), MatchWeights::default()).unwrap();
    let c = e.community();
    let (a, b) = (c.resolve("a").unwrap(), c.resolve("b").unwrap());
    let r = e.explain(a, b).unwrap();
    assert!(r.introducer.is_none(), "{:?}", r.introducer);
    assert!(
        !r.reasons
            .iter()
            .any(|x| x.to_string().contains("knows both"))
    );
}

#[test]
fn discovery_options_out_of_range_are_refused() {
    let e = Engine::new(common::small(), MatchWeights::default()).unwrap();
    for config in [
        DiscoveryConfig {
            max_covered: f64::NAN,
            ..DiscoveryConfig::default()
        },
        DiscoveryConfig {
            resolution: 0.0,
            ..DiscoveryConfig::default()
        },
    ] {
        let err = e.discover_communities(&config).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidOption { .. }),
            "{err}"
        );
    }
}

mod mutated {
    //! Structure-aware mutations of the shipped sample: any loader outcome is a typed error
    //! with a place, or a community that round-trips through both formats unchanged.

    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn sample() -> Value {
        serde_json::from_str(&fs::read_to_string("data/small.json").unwrap()).unwrap()
    }

    fn odd_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            prop_oneof![
                Just(1e-300),
                Just(1e-46),
                Just(-1.0),
                Just(0.5),
                Just(2.0),
                Just(1e38)
            ]
            .prop_map(|x| json!(x)),
            any::<u32>().prop_map(|x| json!(x)),
            "[a-z;, _-]{0,12}".prop_map(Value::String),
            "\\PC{0,8}".prop_map(Value::String),
            prop::collection::vec("[a-z; -]{0,10}", 0..3).prop_map(|v| json!(v)),
            Just(json!({"x": 1})),
        ]
    }

    const FIELDS: [&str; 14] = [
        "id",
        "name",
        "kind",
        "country",
        "verticals",
        "stage",
        "stage_focus",
        "offers",
        "needs",
        "communities",
        "languages",
        "open_to_intros",
        "max_intros",
        "unknown_field",
    ];

    #[derive(Debug, Clone)]
    enum Mutation {
        Set(usize, usize, Value),
        Remove(usize, usize),
        Tie(usize, &'static str, Value),
        Repeat(usize),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (0..30usize, 0..FIELDS.len(), odd_value()).prop_map(|(m, f, v)| Mutation::Set(m, f, v)),
            (0..30usize, 0..FIELDS.len()).prop_map(|(m, f)| Mutation::Remove(m, f)),
            (
                0..22usize,
                prop_oneof![Just("a"), Just("b"), Just("strength")],
                odd_value()
            )
                .prop_map(|(t, f, v)| Mutation::Tie(t, f, v)),
            (0..30usize).prop_map(Mutation::Repeat),
        ]
    }

    fn apply(doc: &mut Value, mutation: &Mutation) -> String {
        match mutation {
            Mutation::Set(m, f, v) => {
                doc["members"][*m][FIELDS[*f]] = v.clone();
            }
            Mutation::Remove(m, f) => {
                if let Some(o) = doc["members"][*m].as_object_mut() {
                    o.remove(FIELDS[*f]);
                }
            }
            Mutation::Tie(t, f, v) => {
                doc["connections"][*t][*f] = v.clone();
            }
            Mutation::Repeat(m) => {
                // A repeated key, which no JSON tree can hold: added to the text.
                let text = serde_json::to_string(doc).unwrap();
                let id = doc["members"][*m]["id"].as_str().unwrap_or("x").to_owned();
                return text.replacen(
                    &format!("\"id\":\"{id}\""),
                    &format!("\"id\":\"{id}\",\"id\":\"{id}\""),
                    1,
                );
            }
        }
        serde_json::to_string(doc).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn loaders_refuse_with_a_place_or_round_trip(
            mutations in prop::collection::vec(mutation(), 1..4)
        ) {
            let mut doc = sample();
            let mut text = String::new();
            for m in &mutations {
                text = apply(&mut doc, m);
                doc = serde_json::from_str(&text).unwrap_or(doc);
            }
            match load(&text) {
                Ok(c) => {
                    let json = c.to_json_string();
                    let again = load(&json).unwrap();
                    prop_assert_eq!(&again.to_json_string(), &json);
                    let dir = std::env::temp_dir().join(format!(
                        "pollinate-mutated-{}-{}",
                        std::process::id(),
                        mutations.len()
                    ));
                    let _ = fs::remove_dir_all(&dir);
                    c.write_csv_dir(&dir).unwrap();
                    let from_csv = Community::load(&dir).unwrap();
                    prop_assert_eq!(&from_csv.to_json_string(), &json);
                    fs::remove_dir_all(&dir).unwrap();
                }
                Err(err) => match err.kind() {
                    ErrorKind::Invalid { problems, .. } => {
                        prop_assert!(!problems.is_empty());
                        for p in problems {
                            prop_assert!(
                                p.location.line.is_some(),
                                "no place: {}", p
                            );
                        }
                    }
                    ErrorKind::Json { .. } | ErrorKind::Shape { .. } => {}
                    other => prop_assert!(false, "unexpected error {:?}", other),
                },
            }
        }
    }
}
