//! A living community: changes applied without a rebuild answer exactly what an engine built
//! from scratch on the changed community answers; a failed batch changes nothing; consent is
//! honoured in every output.

mod common;

use std::sync::Arc;

use pollinate::{
    Change, Community, Consent, Effect, Engine, LiveEngine, MatchWeights, MemberRecord, Method,
    Query, Taxonomy,
};
use proptest::prelude::*;

/// The oracle: an engine built from scratch on the records of `engine`'s community.
fn rebuilt(engine: &Engine) -> Engine {
    let records = engine.community().to_records();
    let community = Community::builder(Taxonomy::jobtech())
        .records(records)
        .build()
        .expect("a live community's records build");
    Engine::new(community, engine.weights().clone()).expect("valid weights")
}

/// Every open member's lists by string ids, with score bits.
fn lists(engine: &Engine, query: &Query) -> Vec<(String, Vec<(String, u32)>)> {
    let c = engine.community();
    engine
        .rank_all(query)
        .unwrap()
        .into_iter()
        .map(|(m, list)| {
            (
                c[m].id().to_owned(),
                list.into_iter()
                    .map(|(t, s)| (c[t].id().to_owned(), s.to_bits()))
                    .collect(),
            )
        })
        .collect()
}

/// Every open member's explained recommendations, as JSON (string ids throughout).
fn explained(engine: &Engine, query: &Query) -> String {
    serde_json::to_string(&engine.recommend_all(query).unwrap()).unwrap()
}

const TOPICS: [&str; 10] = [
    "fundraising",
    "worker-vetting",
    "payments",
    "micro-insurance",
    "corporate-partnerships",
    "grant-funding",
    "new-topic-a",
    "new-topic-b",
    "data-tools",
    "market-entry-ng",
];
const VERTICALS: [&str; 4] = [
    "microwork",
    "home-technical-services",
    "care-services",
    "jobs-boards-recruitment",
];

fn member(id: String, seed: u64) -> MemberRecord {
    let pick = |n: usize, salt: u64| ((seed.wrapping_mul(2_654_435_761) >> salt) as usize) % n;
    let topics = |salt: u64| -> Vec<String> {
        (0..pick(4, salt))
            .map(|i| TOPICS[pick(TOPICS.len(), salt + 3 + i as u64)].to_owned())
            .collect()
    };
    let mut r = MemberRecord::new(
        id,
        ["platform", "investor", "eso", "corporate"][pick(4, 1)],
        ["KE", "NG", "SN"][pick(3, 2)],
    )
    .verticals([VERTICALS[pick(4, 5)]])
    .offers(topics(7))
    .needs(topics(11))
    .languages([["en"], ["fr"], ["en"]][pick(3, 13)]);
    if pick(5, 17) == 0 {
        r = r.open_to_intros(false);
    }
    if pick(4, 19) == 0 {
        r = r.consent(Consent {
            ties: pick(2, 21) == 0,
            ..Consent::default()
        });
    }
    if pick(2, 23) == 0 {
        r = r.stage(["idea", "seed", "growth"][pick(3, 25)]);
    }
    r
}

#[derive(Clone, Debug)]
enum Step {
    Add(u64),
    Update(usize, u64),
    Remove(usize),
    Tie(usize, usize, f64),
    Untie(usize, usize),
    Block(usize, usize),
    Unblock(usize, usize),
    Propose(usize, usize),
    Bad,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => any::<u64>().prop_map(Step::Add),
        3 => (0..200usize, any::<u64>()).prop_map(|(i, s)| Step::Update(i, s)),
        2 => (0..200usize).prop_map(Step::Remove),
        4 => (0..200usize, 0..200usize, 0.05f64..1.0).prop_map(|(a, b, w)| Step::Tie(a, b, w)),
        2 => (0..200usize, 0..200usize).prop_map(|(a, b)| Step::Untie(a, b)),
        1 => (0..200usize, 0..200usize).prop_map(|(a, b)| Step::Block(a, b)),
        1 => (0..200usize, 0..200usize).prop_map(|(a, b)| Step::Unblock(a, b)),
        1 => (0..200usize, 0..200usize).prop_map(|(a, b)| Step::Propose(a, b)),
        1 => Just(Step::Bad),
    ]
}

/// The change a step makes against `engine`'s members (by position among them).
fn change(engine: &Engine, step: &Step, fresh: &mut u64) -> Change {
    let c = engine.community();
    let ids: Vec<String> = c.members().map(|m| m.id().to_owned()).collect();
    let id = |i: usize| ids[i % ids.len().max(1)].clone();
    match *step {
        Step::Add(seed) => {
            *fresh += 1;
            Change::PutMember {
                member: member(format!("new-{fresh}"), seed),
            }
        }
        Step::Update(i, seed) => Change::PutMember {
            member: member(id(i), seed),
        },
        Step::Remove(i) => Change::RemoveMember { id: id(i) },
        Step::Tie(a, b, w) => Change::PutTie {
            a: id(a),
            b: id(b),
            strength: Some(w),
        },
        Step::Untie(a, b) => Change::RemoveTie { a: id(a), b: id(b) },
        Step::Block(a, b) => Change::Block { a: id(a), b: id(b) },
        Step::Unblock(a, b) => Change::Unblock { a: id(a), b: id(b) },
        Step::Propose(a, b) => Change::Propose {
            id: None,
            a: id(a),
            b: id(b),
            date: Some("2026-06-01".into()),
        },
        Step::Bad => Change::PutTie {
            a: "nobody-at-all".into(),
            b: id(0),
            strength: None,
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// After any sequence of batches, each engine answers exactly what an engine built from
    /// scratch on its community answers: lists, scores, order and explanations, by every
    /// method; and a batch with a bad change changes nothing.
    #[test]
    fn changes_answer_exactly_as_a_rebuild(
        seed in 0u64..1000,
        batches in prop::collection::vec(prop::collection::vec(step(), 1..6), 1..6),
    ) {
        let base = pollinate::generate(
            &pollinate::GeneratorConfig::default().members(60).seed(seed),
        )
        .unwrap();
        let mut engine = Engine::new(base, MatchWeights::default()).unwrap();
        let query = Query::top(5);
        // The index is built, so later engines inherit it with their changed members.
        let _ = engine.rank_all(&query).unwrap();
        let mut fresh = 0;
        for batch in &batches {
            let changes: Vec<Change> =
                batch.iter().map(|s| change(&engine, s, &mut fresh)).collect();
            match engine.apply(&changes) {
                Ok((next, effects)) => {
                    prop_assert_eq!(effects.len(), changes.len());
                    engine = next;
                }
                Err(err) => {
                    // Refused as a whole: every problem names its change.
                    prop_assert!(!err.problems().is_empty());
                    continue;
                }
            }
            let oracle = rebuilt(&engine);
            prop_assert_eq!(engine.community().len(), oracle.community().len());
            prop_assert_eq!(lists(&engine, &query), lists(&oracle, &query));
            let brute = query.clone().method(Method::BruteForce);
            prop_assert_eq!(lists(&engine, &brute), lists(&oracle, &query));
            let minimum = Query::top(3).min_score(0.3);
            prop_assert_eq!(explained(&engine, &minimum), explained(&oracle, &minimum));
        }
    }
}

#[test]
fn a_failed_batch_changes_nothing() {
    let live = LiveEngine::new(Engine::new(common::small(), MatchWeights::default()).unwrap());
    let before = live.snapshot();
    let err = live
        .apply(&[
            Change::PutTie {
                a: "fundi-fix".into(),
                b: "chain-gig".into(),
                strength: Some(0.9),
            },
            Change::RemoveMember {
                id: "no-such-member".into(),
            },
            Change::PutTie {
                a: "fundi-fix".into(),
                b: "fundi-fix".into(),
                strength: None,
            },
        ])
        .unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with("change #2: `id` \"no-such-member\": unknown member"));
    assert!(problems[1].starts_with("change #3: `b` \"fundi-fix\""));
    assert!(
        Arc::ptr_eq(&before, &live.snapshot()),
        "the engine is the one before"
    );
}

#[test]
fn ids_stay_valid_and_removed_ids_are_never_reused() {
    let engine = Engine::new(common::small(), MatchWeights::default()).unwrap();
    let fundi = engine.community().resolve("fundi-fix").unwrap();
    let chain = engine.community().resolve("chain-gig").unwrap();
    let (next, effects) = engine
        .apply(&[
            Change::RemoveMember {
                id: "chain-gig".into(),
            },
            Change::PutMember {
                member: MemberRecord::new("chain-gig", "platform", "KE").verticals(["microwork"]),
            },
        ])
        .unwrap();
    let c = next.community();
    assert_eq!(
        c.resolve("fundi-fix").unwrap(),
        fundi,
        "held ids stay valid"
    );
    let again = c.resolve("chain-gig").unwrap();
    assert_ne!(
        again, chain,
        "a removed member's dense id is never given again"
    );
    assert!(c.get(chain).is_none());
    assert_eq!(c.len(), engine.community().len());
    assert!(matches!(effects[0], Effect::MemberRemoved { .. }));
    assert!(matches!(&effects[1], Effect::MemberAdded { member } if member.member() == again));
    // The removed member is in no output, and nothing else is lost.
    let saved = c.to_json_string();
    assert_eq!(
        saved.matches("\"id\":\"chain-gig\"").count(),
        1,
        "only the new one"
    );
    assert!(!saved.contains("\"a\":\"chain-gig\"") && !saved.contains("\"b\":\"chain-gig\""));
    assert_eq!(
        c.connections().len(),
        engine.community().connections().len()
            - engine
                .community()
                .connections()
                .iter()
                .filter(|x| x.a == chain || x.b == chain)
                .count()
    );
}

#[test]
fn introductions_follow_the_double_opt_in() {
    let engine = Engine::new(common::small(), MatchWeights::default()).unwrap();
    let (engine, effects) = engine
        .apply(&[Change::Propose {
            id: None,
            a: "fundi-fix".into(),
            b: "safari-riders".into(),
            date: Some("2026-12-01".into()),
        }])
        .unwrap();
    let Effect::Proposed { id } = &effects[0] else {
        panic!("{effects:?}")
    };
    let event = |event: &str, member: Option<&str>| Change::Event {
        id: id.clone(),
        event: event.into(),
        member: member.map(Into::into),
        date: None,
    };
    // Introduced before both accepted: refused.
    let err = engine.apply(&[event("introduced", None)]).unwrap_err();
    assert!(err.to_string().contains("both sides must accept"), "{err}");
    let err = engine.apply(&[event("accepted", None)]).unwrap_err();
    assert!(err.to_string().contains("needs the member"), "{err}");
    let err = engine
        .apply(&[event("accepted", Some("savanna-angels"))])
        .unwrap_err();
    assert!(err.to_string().contains("one of the two"), "{err}");
    let (engine, effects) = engine
        .apply(&[
            event("accepted", Some("fundi-fix")),
            event("accepted", Some("safari-riders")),
            event("introduced", None),
            event("met", None),
        ])
        .unwrap();
    assert!(matches!(
        effects.last(),
        Some(Effect::Moved {
            outcome: pollinate::Outcome::Met,
            ..
        })
    ));
    // Closed once partnered; the history round-trips through the file format.
    let (engine, _) = engine.apply(&[event("partnered", None)]).unwrap();
    assert!(engine.apply(&[event("met", None)]).is_err());
    let text = engine.community().to_json_string();
    let again = Community::from_json_str(&text, Taxonomy::jobtech()).unwrap();
    assert_eq!(again.to_json_string(), text);
    // A file with events out of order is refused at its place.
    let bad = text.replacen("\"outcome\":\"accepted\"", "\"outcome\":\"met\"", 1);
    let err = Community::from_json_str(&bad, Taxonomy::jobtech()).unwrap_err();
    assert!(
        err.problems()
            .iter()
            .any(|p| matches!(p.kind, pollinate::ProblemKind::InvalidEvent { .. })),
        "{err}"
    );
}

#[test]
fn saves_are_atomic_and_leave_nothing_stale() {
    use std::io::Read as _;
    let dir = std::env::temp_dir().join(format!("pollinate-save-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("community.json");
    let engine = Engine::new(common::small(), MatchWeights::default()).unwrap();
    engine.community().write_json(&file).unwrap();
    // A reader that opened the old file keeps reading it whole: the new one is renamed over
    // it, never written into it.
    let mut old = std::fs::File::open(&file).unwrap();
    let (changed, _) = engine
        .apply(&[Change::RemoveMember {
            id: "fundi-fix".into(),
        }])
        .unwrap();
    changed.community().write_json(&file).unwrap();
    let mut before = String::new();
    old.read_to_string(&mut before).unwrap();
    assert_eq!(before, engine.community().to_json_string());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        changed.community().to_json_string()
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["community.json"], "no temporary file left");
    // A CSV folder saved again without blocks loses its old blocked.csv.
    let csv = dir.join("csv");
    engine.community().write_csv_dir(&csv).unwrap();
    assert!(csv.join("blocked.csv").exists());
    let (unblocked, _) = engine
        .apply(&[Change::Unblock {
            a: "chain-gig".into(),
            b: "baobab-growth".into(),
        }])
        .unwrap();
    unblocked.community().write_csv_dir(&csv).unwrap();
    assert!(!csv.join("blocked.csv").exists());
    assert!(Community::load(&csv).unwrap().blocked().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_live_changes_program_times_every_kind_of_change() {
    let (code, out, err) = common::run_example(
        "live_changes",
        &[
            "--community",
            "data/small.json",
            "--repeat",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let kinds: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["change"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 8, "{kinds:?}");
    assert!(
        kinds.contains(&"full rebuild (engine and index)"),
        "{kinds:?}"
    );
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["median_ms"].as_f64().unwrap() >= 0.0)
    );
}
