//! Consent per signal, honoured in every output: introducers, warmth, reasons; and blocks
//! stay confidential.

mod common;

use pollinate::{Community, Engine, MatchWeights, Query, RoundConfig, Signal, Taxonomy};

/// Asha needs payments, which Bola offers; Bola needs hiring, which Asha offers. Connie knows
/// both well. `consent` is Connie's (or Bola's, with `bola`) consent object.
fn community(connie: &str, bola: &str) -> Community {
    let text = format!(
        r#"{{"members": [
            {{"id":"asha","name":"Asha","kind":"platform","country":"KE","verticals":["microwork"],"stage":"seed","needs":["payments"],"offers":["hiring"],"languages":["en"]}},
            {{"id":"bola","name":"Bola","kind":"platform","country":"KE","verticals":["microwork"],"stage":"seed","needs":["hiring"],"offers":["payments"],"languages":["en"]{bola}}},
            {{"id":"connie","name":"Connie","kind":"eso","country":"KE","verticals":["microwork"],"languages":["en"]{connie}}},
            {{"id":"dede","name":"Dede","kind":"eso","country":"KE","verticals":["microwork"],"languages":["en"]}}
        ],
        "connections": [
            {{"a":"asha","b":"connie","strength":0.9}},
            {{"a":"bola","b":"connie","strength":0.8}},
            {{"a":"connie","b":"dede","strength":0.7}}
        ]}}"#
    );
    Community::from_json_str(&text, Taxonomy::jobtech()).expect("the test community loads")
}

fn engine(c: Community) -> Engine {
    Engine::new(c, MatchWeights::default()).unwrap()
}

fn explain(e: &Engine, a: &str, b: &str) -> pollinate::Recommendation {
    let c = e.community();
    e.explain(c.resolve(a).unwrap(), c.resolve(b).unwrap())
        .unwrap()
}

#[test]
fn with_every_consent_connie_introduces_and_needs_are_named() {
    let e = engine(community("", ""));
    let r = explain(&e, "asha", "bola");
    assert_eq!(r.introducer.unwrap().member.id(), "connie");
    assert!(r.components[Signal::Warmth].value > 0.0);
    let text: Vec<String> = r.reasons.iter().map(ToString::to_string).collect();
    assert!(
        text.contains(&"Asha offers hiring that Bola needs".to_owned()),
        "{text:?}"
    );
}

#[test]
fn introduce_false_is_never_named_introducer() {
    let e = engine(community(r#","consent":{"introduce":false}"#, ""));
    let r = explain(&e, "asha", "bola");
    assert!(r.introducer.is_none());
    // Its ties still warm the pair: only the naming is withheld.
    assert!(r.components[Signal::Warmth].value > 0.0);
    assert!(!r.reasons.iter().any(|x| x.to_string().contains("Connie")));
    let round = e.plan_round(&RoundConfig::default()).unwrap();
    assert!(round.introductions.iter().all(|i| {
        i.introducer
            .as_ref()
            .is_none_or(|x| x.member.id() != "connie")
    }));
}

#[test]
fn ties_false_gives_no_warmth_and_no_introducer_but_keeps_exclusions() {
    let e = engine(community(r#","consent":{"ties":false}"#, ""));
    let r = explain(&e, "asha", "bola");
    assert!(r.introducer.is_none());
    assert_eq!(r.components[Signal::Warmth].value, 0.0);
    assert!(!r.reasons.iter().any(|x| x.to_string().contains("Connie")));
    // Connie knows Asha: they are still not introduced to each other.
    let c = e.community();
    let connie = c.resolve("connie").unwrap();
    let list = e.recommend(connie, &Query::top(10)).unwrap();
    assert!(!list.items.iter().any(|x| x.candidate.id() == "asha"));
    // Dede's warmth with Asha went through Connie's ties: none now.
    let dede = explain(&e, "dede", "asha");
    assert_eq!(dede.components[Signal::Warmth].value, 0.0);
}

#[test]
fn needs_in_reasons_false_keeps_a_members_needs_out_of_others_reasons() {
    let e = engine(community("", r#","consent":{"needs_in_reasons":false}"#));
    // Asha is shown that Bola needs something she offers, not what.
    let asha_view: Vec<String> = explain(&e, "asha", "bola")
        .reasons
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        asha_view.contains(&"Asha offers something Bola needs".to_owned()),
        "{asha_view:?}"
    );
    assert!(
        !asha_view.iter().any(|x| x.contains("hiring")),
        "{asha_view:?}"
    );
    // Bola sees its own needs named.
    let bola_view: Vec<String> = explain(&e, "bola", "asha")
        .reasons
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(bola_view.contains(&"Asha offers hiring that Bola needs".to_owned()));
    // The needs still score.
    assert!(explain(&e, "asha", "bola").components[Signal::Needs].value > 0.0);
    // An introduction is shown to both: Bola's needs are not named there either.
    let round = e.plan_round(&RoundConfig::default()).unwrap();
    for intro in &round.introductions {
        for reason in &intro.reasons {
            assert!(!reason.to_string().contains("hiring that Bola"), "{reason}");
        }
    }
}

#[test]
fn nothing_tells_a_member_it_was_blocked() {
    let text = community("", "").to_json_string().replace(
        "\n}\n",
        ",\n  \"blocked\": [{\"a\":\"asha\",\"b\":\"bola\"}]\n}\n",
    );
    let e = engine(Community::from_json_str(&text, Taxonomy::jobtech()).unwrap());
    let c = e.community();
    assert_eq!(c.blocked().len(), 1);
    for m in c.member_ids() {
        let recs = e.recommend(m, &Query::top(10)).unwrap();
        let json = serde_json::to_string(&recs).unwrap();
        assert!(!json.to_lowercase().contains("block"), "{json}");
    }
    let round = serde_json::to_string(&e.plan_round(&RoundConfig::default()).unwrap()).unwrap();
    assert!(!round.to_lowercase().contains("block"), "{round}");
}

#[test]
fn recommend_honours_every_flag_in_a_community_file() {
    let dir = std::env::temp_dir().join(format!("pollinate-consent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("community.json");
    let c = community(
        r#","consent":{"introduce":false}"#,
        r#","consent":{"needs_in_reasons":false}"#,
    );
    std::fs::write(&file, c.to_json_string()).unwrap();
    let (code, out, err) = common::run_example(
        "recommend",
        &["--community", file.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let lists: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for list in &lists {
        for rec in list["recommendations"].as_array().unwrap() {
            assert_ne!(rec["introducer"], "connie", "{rec}");
            if list["member"] != "bola" {
                for reason in rec["reasons"].as_array().unwrap() {
                    assert!(
                        !reason.as_str().unwrap().contains("that Bola needs"),
                        "{reason}"
                    );
                }
            }
        }
    }
    // The CSV form carries the flags too.
    let csv = dir.join("csv");
    c.write_csv_dir(&csv).unwrap();
    let header = std::fs::read_to_string(csv.join("members.csv")).unwrap();
    assert!(header.starts_with("id,name,kind,country,verticals,stage,stage_focus,offers,needs,communities,languages,open_to_intros,max_intros,consent_introduce,consent_ties,consent_needs_in_reasons,consent_directory"));
    let again = Community::load(&csv).unwrap();
    assert_eq!(again.to_json_string(), c.to_json_string());
    std::fs::remove_dir_all(&dir).unwrap();
}
