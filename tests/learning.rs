//! Learning resources and journeys: known answers on the hand-written catalogue of
//! `data/small.json`, validation, exposure, and the consumption replay.

mod common;

use pollinate::{
    Catalogue, CatalogueRecords, Change, Community, Date, Engine, ErrorKind, Learning,
    LearningConfig, LearningList, MatchWeights, MemberRecord, ResourceRecord, gini,
};

const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/small.json");

fn learning_with(community: Community, config: LearningConfig) -> Learning {
    let catalogue = Catalogue::load(SMALL, &community).expect("the catalogue validates");
    Learning::new(community, catalogue, config).unwrap()
}

fn learning() -> Learning {
    learning_with(common::small(), LearningConfig::default())
}

fn list(l: &Learning, member: &str, k: usize) -> LearningList {
    l.recommend(l.community().resolve(member).unwrap(), k)
        .unwrap()
}

fn ids(list: &LearningList) -> Vec<&str> {
    list.resources.iter().map(|r| r.resource.label()).collect()
}

#[test]
fn the_sample_catalogue_loads_from_json_and_csv_alike() {
    let community = common::small();
    let json = Catalogue::load(SMALL, &community).unwrap();
    assert_eq!(json.resources().len(), 44);
    assert_eq!(json.journeys().len(), 7);
    assert_eq!(json.consumed().len(), 30);
    assert!(
        json.resources()
            .iter()
            .any(|r| r.languages().iter().any(|l| l.code() == "fr"))
    );
    let csv_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/small-csv");
    let csv_community = Community::load(csv_dir).unwrap();
    let csv = Catalogue::load(csv_dir, &csv_community).unwrap();
    assert_eq!(
        csv.to_records(&csv_community),
        json.to_records(&community),
        "the CSV folder holds the same catalogue"
    );
}

#[test]
fn an_idea_stage_founder_needing_fundraising_gets_the_pre_seed_guide_first() {
    let l = learning();
    // DomesticVoice: idea stage, needs fundraising and labour law.
    let all = list(&l, "domestic-voice", 44);
    let at = |id: &str| ids(&all).iter().position(|x| *x == id);
    let pre_seed = at("pre-seed-fundraising-guide").expect("listed");
    let growth = at("growth-fundraising-playbook").expect("listed");
    assert!(pre_seed < growth, "{:?}", ids(&all));
    let top = &all.resources[..3];
    assert!(
        top.iter()
            .any(|r| r.resource.label() == "pre-seed-fundraising-guide")
    );
    let guide = &all.resources[pre_seed];
    let reasons: Vec<String> = guide.reasons.iter().map(ToString::to_string).collect();
    assert!(
        reasons.contains(&"covers fundraising, which DomesticVoice needs".to_owned()),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"written for idea and pre-seed stages".to_owned()),
        "{reasons:?}"
    );
}

#[test]
fn a_french_only_member_gets_french_resources_first_and_nothing_it_cannot_read() {
    let engine = Engine::new(common::small(), MatchWeights::default()).unwrap();
    let amina = MemberRecord::new("ndeye-services", "platform", "SN")
        .name("Ndeye Services")
        .verticals(["cleaning-domestic-work"])
        .stage("idea")
        .needs(["fundraising", "go-to-market"])
        .languages(["fr"]);
    let (engine, _) = engine
        .apply(&[Change::PutMember { member: amina }])
        .unwrap();
    let l = learning_with(engine.community().clone(), LearningConfig::default());
    let got = list(&l, "ndeye-services", 10);
    assert!(!got.resources.is_empty());
    for r in &got.resources {
        let res = l.catalogue().resource(r.resource.id());
        assert!(
            res.languages().iter().any(|x| x.code() == "fr"),
            "{} is not in French",
            res.id()
        );
    }
    let mut top: Vec<&str> = ids(&got)[..2].to_vec();
    top.sort_unstable();
    assert_eq!(
        top,
        ["levee-de-fonds-amorcage", "modeles-economiques-plateformes"]
    );
    let journeys: Vec<&str> = got.journeys.iter().map(|j| j.journey.label()).collect();
    assert_eq!(journeys, ["premiere-levee"]);
}

#[test]
fn a_consumed_resource_never_comes_back() {
    let l = learning();
    for member in l.community().members() {
        let consumed: Vec<&str> = l
            .catalogue()
            .consumed()
            .iter()
            .filter(|c| c.member == l.community().resolve(member.id()).unwrap())
            .map(|c| l.catalogue().resource(c.resource).id())
            .collect();
        let got = list(&l, member.id(), 44);
        for id in ids(&got) {
            assert!(!consumed.contains(&id), "{} got {id} again", member.id());
        }
    }
}

#[test]
fn the_next_step_of_a_started_journey_is_the_first_unconsumed_one() {
    let l = learning();
    // SokoMama took the business-model course and the readiness checklist.
    let soko = list(&l, "soko-mama", 5);
    let first = &soko.journeys[0];
    assert_eq!(first.journey.label(), "first-raise");
    assert_eq!((first.done, first.steps), (2, 3));
    assert_eq!(
        first.next.as_ref().unwrap().label(),
        "pre-seed-fundraising-guide"
    );
    assert!(
        first.reasons[0]
            .to_string()
            .starts_with("2 of 3 steps done; next: Raising your first cheque")
    );
    // FundiFix took trust and safety 101, the first step of the trust stack.
    let fundi = list(&l, "fundi-fix", 5);
    let trust = fundi
        .journeys
        .iter()
        .find(|j| j.journey.label() == "trust-stack")
        .unwrap();
    assert_eq!(
        trust.next.as_ref().unwrap().label(),
        "worker-vetting-playbook"
    );
    assert_eq!(
        fundi.journeys[0].journey.label(),
        "trust-stack",
        "started journeys come first"
    );
}

#[test]
fn the_json_contract_of_a_learning_list() {
    let l = learning();
    let json = serde_json::to_value(list(&l, "kazi-cover", 3)).unwrap();
    assert_eq!(json["member"], "kazi-cover");
    let first = &json["resources"][0];
    assert!(first["resource"].is_string() && first["score"].is_number());
    assert!(first["reasons"][0].is_string());
    assert!(json["journeys"][0]["journey"].is_string());
    assert!(json["journeys"][0]["next"].is_string());
}

#[test]
fn every_catalogue_problem_is_reported_with_its_place_and_a_suggestion() {
    let community = common::small();
    let text = r#"{
      "resources": [
        {"id": "a", "title": "A", "kind": "coarse", "verticals": ["taxi"], "stages": ["seedd"], "languages": ["xx"]},
        {"id": "a", "title": "Again", "kind": "article"},
        {"id": "", "title": "", "kind": ""}
      ],
      "journeys": [{"id": "j", "title": "J", "steps": ["pre-seed-fundraising-guid"]}],
      "consumed": [{"member": "fundi-fx", "resource": "a", "rating": 9}]
    }"#;
    let err = Catalogue::from_json_str(text, &community).unwrap_err();
    let ErrorKind::Invalid { problems, .. } = err.kind() else {
        panic!("{err}");
    };
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let has = |needle: &str| shown.iter().any(|p| p.contains(needle));
    assert!(
        has("resource `a` (#1): `kind` \"coarse\": unknown resource kind; did you mean `course`?"),
        "{shown:#?}"
    );
    assert!(has("`verticals` \"taxi\": unknown vertical"), "{shown:#?}");
    assert!(
        has("`stages` \"seedd\": unknown growth stage; did you mean `seed`?"),
        "{shown:#?}"
    );
    assert!(has("`languages` \"xx\""), "{shown:#?}");
    assert!(
        has("resource `a` (#2): `id` \"a\": id used twice, first by resource #1"),
        "{shown:#?}"
    );
    assert!(has("resource #3: `title`"), "{shown:#?}");
    // The journey's step names a resource that did not validate: no suggestion from the bad one.
    assert!(
        has("journey `j` (#1): `steps` \"pre-seed-fundraising-guid\": unknown resource"),
        "{shown:#?}"
    );
    assert!(
        has("consumed #1: `member` \"fundi-fx\": unknown member; did you mean `fundi-fix`?"),
        "{shown:#?}"
    );
    assert!(has("consumed #1: `rating` \"9\""), "{shown:#?}");
}

#[test]
fn a_catalogue_key_is_not_a_problem_for_the_community_reader() {
    // The community file with its catalogue keys loads as a community, and an unknown key
    // near one of them is still refused with a suggestion.
    let community = common::small();
    assert_eq!(community.len(), 30);
    let err = Community::from_json_str(
        r#"{"members": [], "resorces": []}"#,
        pollinate::Taxonomy::jobtech(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("did you mean `resources`?"),
        "{err}"
    );
}

#[test]
fn the_exposure_discount_spreads_resources_over_members() {
    let community = common::sample_1500();
    let catalogue =
        pollinate::generate_catalogue(&community, &pollinate::CatalogueConfig::default());
    let exposure = |e: f32| {
        let config = LearningConfig {
            exposure: e,
            ..LearningConfig::default()
        };
        let l = Learning::new(community.clone(), catalogue.clone(), config).unwrap();
        let mut counts = vec![0u64; catalogue.resources().len()];
        for list in l.recommend_all(5).unwrap() {
            for r in list.resources {
                counts[r.resource.id().index()] += 1;
            }
        }
        gini(&counts)
    };
    let (without, with) = (exposure(0.0), exposure(0.3));
    assert!(
        with < without,
        "Gini {with} with the discount, {without} without"
    );
}

#[test]
fn consumption_replays_into_ranking_metrics() {
    let community = common::small();
    let catalogue = Catalogue::load(SMALL, &community).unwrap();
    let cutoff: Date = "2026-01-01".parse().unwrap();
    let eval = Learning::evaluate(
        &community,
        &catalogue,
        &LearningConfig::default(),
        cutoff,
        5,
    )
    .unwrap();
    assert_eq!(eval.train + eval.test, 30);
    assert!(eval.metrics.judged_members > 0);
    for m in [
        eval.metrics.precision,
        eval.metrics.recall,
        eval.metrics.ndcg,
        eval.metrics.hit_rate,
    ] {
        assert!((0.0..=1.0).contains(&m));
    }
    assert!(eval.metrics.hit_rate > 0.0, "{eval:?}");
}

#[test]
fn bad_learning_options_are_refused() {
    let community = common::small();
    let catalogue = Catalogue::default();
    for config in [
        LearningConfig {
            needs: -1.0,
            ..LearningConfig::default()
        },
        LearningConfig {
            exposure: 1.0,
            ..LearningConfig::default()
        },
        LearningConfig {
            exposure_k: 0,
            ..LearningConfig::default()
        },
        LearningConfig {
            needs: 0.0,
            stage: 0.0,
            vertical: 0.0,
            peers: 0.0,
            language: 0.0,
            ..LearningConfig::default()
        },
    ] {
        let err = Learning::new(community.clone(), catalogue.clone(), config).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidOption { .. }),
            "{err}"
        );
    }
    let records = CatalogueRecords {
        resources: vec![ResourceRecord {
            id: "x".into(),
            title: "X".into(),
            kind: "article".into(),
            minutes: Some(0),
            ..ResourceRecord::default()
        }],
        ..CatalogueRecords::default()
    };
    assert!(records.validate(&community, None).is_err());
}

#[test]
fn the_learn_program_prints_lists_and_evaluations() {
    let (code, out, err) = common::run_example(
        "learn",
        &[
            "--community",
            "data/small.json",
            "--member",
            "domestic-voice",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["member"], "domestic-voice");
    assert_eq!(
        json["resources"][0]["resource"],
        "pre-seed-fundraising-guide"
    );
    let (code, out, err) = common::run_example(
        "learn",
        &["--community", "data/small-csv", "--member", "soko-mama"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("2/3 done), next: Raising your first cheque"),
        "{out}"
    );
    let (code, out, _) = common::run_example(
        "learn",
        &["--community", "data/small.json", "--evaluate", "2026-01-01"],
    );
    assert_eq!(code, 0);
    assert!(out.contains("members judged"), "{out}");
    let (code, _, err) = common::run_example(
        "learn",
        &[
            "--community",
            "data/small.json",
            "--member",
            "domestic-voic",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `domestic-voice`?"), "{err}");
}

#[test]
fn malformed_catalogues_get_typed_errors_with_their_place() {
    let community = common::small();
    let err = Catalogue::from_json_str("{\"resources\": [{\"id\": 1}]}", &community).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Json { line: 1, .. }),
        "{err}"
    );
    let err =
        Catalogue::from_json_str("{\"resources\": [], \"resources\": []}", &community).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Json { .. }), "{err}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("resources.csv"),
        "id,title,kind,minutes\nok,Fine,article,10\nbad,Bad,article,ten\n",
    )
    .unwrap();
    let err = Catalogue::load(dir.path(), &community).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Csv { line: 3, .. }),
        "{err}"
    );
}

#[test]
fn a_flood_of_bad_records_is_reported_in_bounded_space() {
    let community = common::small();
    let consumed: Vec<String> = (0..5000)
        .map(|i| {
            format!(
                "{{\"member\": \"nobody-{i}\", \"resource\": \"{}\"}}",
                "x".repeat(200)
            )
        })
        .collect();
    let text = format!("{{\"consumed\": [{}]}}", consumed.join(","));
    let err = Catalogue::from_json_str(&text, &community).unwrap_err();
    let ErrorKind::Invalid { problems, more, .. } = err.kind() else {
        panic!("{err}");
    };
    assert_eq!(problems.len(), pollinate::MAX_PROBLEMS);
    assert_eq!(problems.len() + more, 10_000);
    assert!(
        problems
            .iter()
            .all(|p| p.value.len() <= pollinate::MAX_SHOWN + 20)
    );
}

#[test]
fn the_generate_program_writes_a_community_with_its_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.json");
    let csv = dir.path().join("csv");
    let (code, _, err) = common::run_example(
        "generate",
        &[
            "--members",
            "60",
            "--resources",
            "20",
            "--out",
            out.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    for place in [&out, &csv] {
        let community = Community::load(place).unwrap();
        let catalogue = Catalogue::load(place, &community).unwrap();
        assert_eq!(community.len(), 60);
        assert_eq!(catalogue.resources().len(), 20);
        assert!(!catalogue.consumed().is_empty());
    }
}
