//! The community model: loading the shipped samples, and a typed, located, suggested error for
//! every kind of bad input.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use pollinate::{
    Community, Error, ErrorKind, GeneratorConfig, MemberKind, ProblemKind, Stage, Taxonomy,
    generate,
};
use proptest::prelude::*;

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(path)
}

fn tmp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pollinate-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn json_err(text: &str) -> Error {
    Community::from_json_str(text, Taxonomy::jobtech()).unwrap_err()
}

fn member(fields: &str) -> String {
    format!(
        r#"{{"members": [{{"id": "a", "kind": "platform", "country": "KE", "verticals": ["microwork"]}}, {fields}]}}"#
    )
}

fn only_problem(err: &Error) -> &pollinate::Problem {
    assert_eq!(err.problems().len(), 1, "expected one problem: {err}");
    &err.problems()[0]
}

#[test]
fn small_sample_tells_the_seed_stories() {
    let c = common::small();
    assert!((20..=40).contains(&c.len()));
    for id in [
        "fundi-fix",
        "safari-riders",
        "chain-gig",
        "afritel",
        "wakala",
        "umoja-insurance",
        "kazi-cover",
        "savanna-angels",
        "baobab-growth",
    ] {
        assert!(c.member_id(id).is_some(), "{id}");
    }
    let cops: Vec<&str> = c.cops().iter().map(|c| &**c).collect();
    assert_eq!(
        cops,
        [
            "jobtech-for-refugees",
            "jobtech-investment-network",
            "measurement-in-jobtech"
        ]
    );
    let angels = &c[c.member_id("savanna-angels").unwrap()];
    assert_eq!(angels.stage_focus(), [Stage::Idea, Stage::PreSeed]);
    assert!(!c[c.member_id("quiet-capital").unwrap()].open_to_intros());
}

#[test]
fn csv_form_of_small_sample_equals_the_json() {
    let json = common::small();
    let csv = Community::load(data("small-csv")).unwrap();
    assert_eq!(csv.to_json_string(), json.to_json_string());
}

#[test]
fn sample_1500_is_the_generator_output_and_shaped_like_the_community() {
    let shipped = fs::read_to_string(data("community-1500.json")).unwrap();
    let config = GeneratorConfig::default();
    assert_eq!(config.seed, common::SAMPLE_SEED);
    let generated = generate(&config).unwrap();
    let catalogue =
        pollinate::generate_catalogue(&generated, &pollinate::CatalogueConfig::default());
    let path = std::env::temp_dir().join(format!("pollinate-sample-{}.json", std::process::id()));
    catalogue.write_json_with(&generated, &path).unwrap();
    let written = fs::read_to_string(&path).unwrap();
    let _ = fs::remove_file(&path);
    assert!(
        written == shipped,
        "data/community-1500.json is not the generator's output; regenerate it"
    );
    // The community part is the community's own JSON.
    let community_json = generated.to_json_string();
    assert!(shipped.starts_with(community_json.trim_end().trim_end_matches('}').trim_end()));
    assert_eq!(catalogue.resources().len(), 84);
    let c = common::sample_1500();
    assert_eq!(c.len(), 1500);
    let platforms = c
        .members()
        .filter(|m| m.kind() == MemberKind::Platform)
        .count();
    assert!(platforms >= 150);
    assert!(!c.introductions().is_empty() && !c.blocked().is_empty());
}

#[test]
fn generator_is_reproducible_per_seed() {
    for seed in common::TEST_SEEDS {
        let config = GeneratorConfig::default().members(400).seed(seed);
        assert_eq!(
            generate(&config).unwrap().to_json_string(),
            generate(&config).unwrap().to_json_string(),
            "seed {seed}"
        );
    }
    let a = generate(&GeneratorConfig::default().members(400).seed(1)).unwrap();
    let b = generate(&GeneratorConfig::default().members(400).seed(2)).unwrap();
    assert_ne!(a.to_json_string(), b.to_json_string());
}

#[test]
fn json_and_csv_round_trip() {
    let c = common::small();
    let again = Community::from_json_str(&c.to_json_string(), Taxonomy::jobtech()).unwrap();
    assert_eq!(again.to_records(), c.to_records());
    let dir = tmp_dir("roundtrip");
    c.write_csv_dir(&dir).unwrap();
    assert_eq!(Community::load(&dir).unwrap().to_records(), c.to_records());
}

#[test]
fn slugs_are_normalised_and_bom_and_spaces_accepted() {
    let dir = tmp_dir("bom");
    fs::write(
        dir.join("members.csv"),
        "\u{feff}ID , Name, Kind ,Country,Verticals,Offers,Needs,Open_To_Intros\n\
         a , A ,Platform , ke ,Home Technical Services; care_services , Worker Vetting ,fundraising, yes\n\
         b,B,INVESTOR,NG,microwork,,,\n",
    )
    .unwrap();
    let c = Community::load(&dir).unwrap();
    let a = &c[c.member_id("a").unwrap()];
    assert_eq!(a.country().code(), "KE");
    assert_eq!(a.verticals().len(), 2);
    assert_eq!(c.topic(a.offers()[0]), "worker-vetting");
    assert_eq!(c[c.member_id("b").unwrap()].kind(), MemberKind::Investor);
}

#[test]
fn custom_taxonomy_loads_from_json() {
    let taxonomy = Taxonomy::from_json_str(
        r#"{"categories": [{"slug": "Health", "name": "Health work", "verticals": [{"slug": "community_health", "name": "Community health"}]}]}"#,
    )
    .unwrap();
    let c = Community::from_json_str(
        r#"{"members": [{"id": "x", "kind": "platform", "country": "KE", "verticals": ["community-health"]}]}"#,
        taxonomy,
    )
    .unwrap();
    assert_eq!(
        c.taxonomy()[c.members().next().unwrap().verticals()[0]].name(),
        "Community health"
    );
    // And the jobtech verticals are then unknown.
    let err = Community::from_json_str(
        r#"{"members": [{"id": "x", "kind": "platform", "country": "KE", "verticals": ["microwork"]}]}"#,
        c.taxonomy().clone(),
    )
    .unwrap_err();
    assert!(matches!(
        only_problem(&err).kind,
        ProblemKind::UnknownVertical { .. }
    ));
}

#[test]
fn malformed_json_names_line_and_column() {
    let err = json_err("{\n  \"members\": [\n    {\"id\": \"a\",}\n  ]\n}");
    match err.kind() {
        ErrorKind::Json { line, column, .. } => assert_eq!((*line, *column), (3, 16)),
        other => panic!("expected Error::Json, got {other:?}"),
    }
    assert!(
        err.to_string().starts_with("<string>:3:16: malformed JSON"),
        "{err}"
    );
}

#[test]
fn wrong_top_level_shape() {
    let err = json_err("[1, 2]");
    assert!(matches!(err.kind(), ErrorKind::Shape { .. }));
    assert!(
        err.to_string()
            .contains("expected an object with a \"members\" array at the top, found an array"),
        "{err}"
    );
    assert!(
        json_err("{}")
            .to_string()
            .contains("missing the \"members\" array")
    );
    assert!(
        json_err(r#"{"members": {}}"#)
            .to_string()
            .contains("\"members\" must be an array, found an object")
    );
    assert!(
        json_err(r#"{"members": [], "connections": 3}"#)
            .to_string()
            .contains("\"connections\" must be an array, found a number")
    );
    // A repeated key is refused at its place: which value was meant cannot be told.
    let err = json_err(
        r#"{"members": [], "members": [{"id": "x", "kind": "platform", "country": "KE", "verticals": ["microwork"]}]}"#,
    );
    assert!(
        err.to_string()
            .contains("<string>:1:28: file: `members`: key given twice"),
        "{err}"
    );
    let err = json_err(r#"{"members": [], "memberz": []}"#);
    assert!(
        err.to_string()
            .contains("unknown field; did you mean `members`?"),
        "{err}"
    );
}

#[test]
fn missing_empty_and_duplicate_ids() {
    let err = json_err(&member(
        r#"{"kind": "platform", "country": "KE", "verticals": ["microwork"]}"#,
    ));
    assert_eq!(only_problem(&err).kind, ProblemKind::Empty);
    assert!(
        err.to_string()
            .contains("member #2: `id`: must not be empty"),
        "{err}"
    );
    let err = json_err(&member(
        r#"{"id": "  ", "kind": "platform", "country": "KE", "verticals": ["microwork"]}"#,
    ));
    assert_eq!(only_problem(&err).kind, ProblemKind::Empty);
    let err = json_err(&member(
        r#"{"id": "a", "kind": "investor", "country": "KE", "verticals": ["microwork"]}"#,
    ));
    assert_eq!(
        only_problem(&err).kind,
        ProblemKind::DuplicateId { first: 0 }
    );
    assert!(
        err.to_string()
            .contains("member `a` (#2): `id` \"a\": duplicate id, first used by member #1"),
        "{err}"
    );
}

#[test]
fn unknown_vertical_kind_stage_country_with_suggestions() {
    let err = json_err(&member(
        r#"{"id": "b", "kind": "platfrom", "country": "Kenya", "verticals": ["care-service"], "stage": "preseed", "stage_focus": ["growht"]}"#,
    ));
    let text = err.to_string();
    assert_eq!(err.problems().len(), 5, "{text}");
    for expected in [
        "member `b` (#2): `kind` \"platfrom\": unknown member kind; did you mean `platform`?",
        "`country` \"Kenya\": not an ISO 3166-1 alpha-2 country code; did you mean `KE`?",
        "`verticals` \"care-service\": unknown vertical; did you mean `care-services`?",
        "`stage` \"preseed\": unknown growth stage; did you mean `pre-seed`?",
        "`stage_focus` \"growht\": unknown growth stage; did you mean `growth`?",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let err = json_err(&member(
        r#"{"id": "b", "kind": "platform", "country": "XQ", "verticals": ["banana"]}"#,
    ));
    assert!(
        err.problems()
            .iter()
            .all(|p| !p.to_string().contains("did you mean")),
        "{err}"
    );
}

#[test]
fn wrong_types_and_unknown_fields() {
    let err = json_err(&member(
        r#"{"id": "b", "kind": "platform", "country": "KE", "verticals": "microwork", "open_to_intros": "yes", "max_intros": -1, "verticles": []}"#,
    ));
    let kinds: Vec<&ProblemKind> = err.problems().iter().map(|p| &p.kind).collect();
    assert!(
        kinds.contains(&&ProblemKind::WrongType {
            expected: "an array of strings"
        }),
        "{err}"
    );
    assert!(kinds.contains(&&ProblemKind::InvalidBool));
    assert!(kinds.contains(&&ProblemKind::InvalidNumber));
    assert!(kinds.contains(&&ProblemKind::UnknownField {
        suggestion: Some("verticals".into())
    }));
    assert!(
        kinds.contains(&&ProblemKind::Empty),
        "verticals missing after the wrong type: {err}"
    );
}

#[test]
fn relations_naming_unknown_members_self_ties_and_bad_strengths() {
    let text = r#"{"members": [
        {"id": "amina", "kind": "platform", "country": "KE", "verticals": ["microwork"]},
        {"id": "bola", "kind": "investor", "country": "NG", "verticals": ["microwork"]}],
      "connections": [{"a": "amina", "b": "bolla"}, {"a": "amina", "b": "amina"}, {"a": "amina", "b": "bola", "strength": 0},
                      {"a": "bola", "b": "amina", "strength": 1.5}, {"a": "amina", "b": "bola", "strength": "high"}],
      "introductions": [{"a": "amina", "b": "zed", "outcome": "met"}, {"a": "amina", "b": "bola", "outcome": "partnerd", "date": "2024-02-30"}],
      "blocked": [{"a": "nobody", "b": "bola"}, {"a": "bola", "b": "bola"}]}"#;
    let err = json_err(text);
    let lines: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    let joined = lines.join("\n");
    for expected in [
        "connection #1: `b` \"bolla\": unknown member; did you mean `bola`?",
        "connection #2: `b` \"amina\": a member cannot be paired with itself",
        "connection #3: `strength` \"0\": tie strength must be a finite number in (0, 1]",
        "connection #4: `strength` \"1.5\": tie strength must be a finite number in (0, 1]",
        "connection #5: `strength` \"high\": expected a number",
        "introduction #1: `b` \"zed\": unknown member",
        "introduction #2: `outcome` \"partnerd\": unknown introduction outcome; did you mean `partnered`?",
        "introduction #2: `date` \"2024-02-30\": expected a real date as YYYY-MM-DD",
        "blocked pair #1: `a` \"nobody\": unknown member",
        "blocked pair #2: `b` \"bola\": a member cannot be paired with itself",
    ] {
        assert!(
            joined.contains(expected),
            "missing {expected:?} in\n{joined}"
        );
    }
    let fifth = lines
        .iter()
        .filter(|l| l.contains("connection #5: `strength`"))
        .count();
    assert_eq!(fifth, 1, "a wrong type is reported once:\n{joined}");
}

#[test]
fn duplicate_connection_is_reported_not_dropped() {
    let err = json_err(
        r#"{"members": [{"id": "a", "kind": "eso", "country": "KE", "verticals": ["microwork"]},
                        {"id": "b", "kind": "eso", "country": "KE", "verticals": ["microwork"]}],
            "connections": [{"a": "a", "b": "b", "strength": 0.5}, {"a": "b", "b": "a", "strength": 0.9}]}"#,
    );
    assert_eq!(
        only_problem(&err).kind,
        ProblemKind::DuplicateConnection { first: 0 }
    );
}

#[test]
fn csv_problems_name_file_and_line() {
    let dir = tmp_dir("csvproblems");
    fs::write(
        dir.join("members.csv"),
        "id,kind,country,verticals,stage,max_intros\n\
         a,platform,KE,microwork,seed,2\n\
         b,platform,KE,care-service,seed,two\n\
         c,investor,KE,microwork,,,extra\n",
    )
    .unwrap();
    fs::write(
        dir.join("connections.csv"),
        "a,b,strength\na,b,NaN\na,zz,\nb,c,strong\n",
    )
    .unwrap();
    let err = Community::load(&dir).unwrap_err();
    let text = err.to_string();
    let members = dir.join("members.csv").display().to_string();
    let connections = dir.join("connections.csv").display().to_string();
    for expected in [
        format!(
            "{members}:3: member `b` (#2): `verticals` \"care-service\": unknown vertical; did you mean `care-services`?"
        ),
        format!("{members}:3: member `b` (#2): `max_intros` \"two\": expected a whole number >= 0"),
        format!("{members}:4: file: `` \"extra\": row has more fields than the 6 in the header"),
        format!(
            "{connections}:2: connection #1: `strength` \"NaN\": tie strength must be a finite number in (0, 1]"
        ),
        format!("{connections}:3: connection #2: `b` \"zz\": unknown member"),
        format!("{connections}:4: connection #3: `strength` \"strong\": expected a number"),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in\n{text}");
    }
    assert_eq!(err.problems().len(), 6, "{text}");
}

#[test]
fn csv_missing_required_column_and_unknown_column() {
    let dir = tmp_dir("csvshape");
    fs::write(
        dir.join("members.csv"),
        "id,kind,verticals\na,platform,microwork\n",
    )
    .unwrap();
    let err = Community::load(&dir).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Shape { .. }));
    assert!(
        err.to_string()
            .contains("lacks the required column country"),
        "{err}"
    );
    fs::write(
        dir.join("members.csv"),
        "id,kind,country,verticals,vertical_notes,email\na,platform,KE,microwork,x,y\n",
    )
    .unwrap();
    let err = Community::load(&dir).unwrap_err();
    assert_eq!(err.problems().len(), 2, "{err}");
    assert!(
        err.to_string().contains(":1: file: `email`: unknown field"),
        "{err}"
    );
}

#[test]
fn non_utf8_bytes_are_located() {
    let dir = tmp_dir("utf8");
    let json = dir.join("c.json");
    fs::write(&json, b"{\"members\": [\n {\"id\": \"caf\xe9\"}]}").unwrap();
    let err = Community::load(&json).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::NotUtf8 {
                line: 2,
                column: 13,
                byte: 0xe9,
                ..
            }
        ),
        "{err:?}"
    );
    fs::write(
        dir.join("members.csv"),
        b"id,kind,country,verticals\nx\xff,platform,KE,microwork\n",
    )
    .unwrap();
    let err = Community::load(&dir).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("members.csv:2:2: not valid UTF-8 (byte 0xff)"),
        "{err}"
    );
}

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let err = Community::load("no/such/file.json").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Io { .. }));
    assert_eq!(err.to_string(), "cannot access no/such/file.json");
}

#[test]
fn unknown_member_query_suggests_close_id() {
    let c = common::small();
    let err = c.resolve("fundi-fx").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown member `fundi-fx`; did you mean `fundi-fix`?"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Garbage never panics any loader: every outcome is Ok or a typed error.
    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), text in ".{0,200}") {
        let taxonomy = Taxonomy::jobtech();
        let _ = Community::from_json_str(&text, taxonomy.clone());
        let _ = Community::from_json_str(&String::from_utf8_lossy(&bytes), taxonomy.clone());
        let _ = Taxonomy::from_json_str(&text);
        let dir = tmp_dir("garbage");
        fs::write(dir.join("members.csv"), &bytes).unwrap();
        fs::write(dir.join("connections.csv"), text.as_bytes()).unwrap();
        let _ = Community::load(&dir);
        let file = dir.join("c.json");
        fs::write(&file, &bytes).unwrap();
        let _ = Community::load(&file);
    }

    /// Structured garbage: JSON of the right shape with random values in every field.
    #[test]
    fn random_field_values_give_problems_not_panics(
        id in ".{0,8}", kind in ".{0,10}", country in ".{0,4}", vertical in ".{0,25}",
        stage in ".{0,10}", strength in proptest::num::f64::ANY,
    ) {
        let text = serde_json::json!({
            "members": [
                {"id": id, "kind": kind, "country": country, "verticals": [vertical], "stage": stage},
                {"id": "fixed", "kind": "eso", "country": "KE", "verticals": ["microwork"]}
            ],
            "connections": [{"a": id, "b": "fixed", "strength": if strength.is_finite() { serde_json::json!(strength) } else { serde_json::json!(null) }}]
        })
        .to_string();
        match Community::from_json_str(&text, Taxonomy::jobtech()) {
            Ok(c) => prop_assert_eq!(c.len(), 2),
            Err(e) => prop_assert!(!e.problems().is_empty(), "{}", e),
        }
    }
}
