//! The match engine: known answers from the seed scenarios, exclusions, introducers, tie-break
//! spread, query options, determinism across threads, and the `recommend` program.
//!
//! The seed lines quoted come from "Community 2.0" (`shared/seeds/000_*.txt`).

mod common;

use std::collections::BTreeMap;

use pollinate::{
    BlockRecord, Community, ConnectionRecord, Engine, ErrorKind, MatchWeights, MemberId,
    MemberKind, MemberRecord, Query, Reason, Recommendations, Signal, Taxonomy,
};

fn engine() -> Engine {
    Engine::new(common::small(), MatchWeights::default()).unwrap()
}

fn ids(recs: &Recommendations) -> Vec<String> {
    recs.items
        .iter()
        .map(|r| r.candidate.id().to_owned())
        .collect()
}

/// The reasons as the sentences they print.
fn texts(reasons: &[Reason]) -> Vec<String> {
    reasons.iter().map(ToString::to_string).collect()
}

fn top(engine: &Engine, member: &str, k: usize) -> Recommendations {
    engine
        .recommend(id(engine, member), &Query::top(k))
        .unwrap()
}

fn id(engine: &Engine, s: &str) -> MemberId {
    engine.community().resolve(s).unwrap()
}

fn position(list: &[String], id: &str) -> Option<usize> {
    list.iter().position(|x| x == id)
}

fn signal(engine: &Engine, a: &str, b: &str, signal: Signal) -> f32 {
    let r = engine.explain(id(engine, a), id(engine, b)).unwrap();
    r.components[signal].value
}

/// "entrepreneurs working with plumbers may benefit from learning vetting practices from
/// entrepreneurs working with drivers but less so from entrepreneurs working with Web3
/// developers". `FundiFix` (plumbers, KE) needs worker vetting; `SafariRiders` (drivers, UG) and
/// `ChainGig` (Web3 developers, KE) both offer it. `ChainGig` is even in the same country and the
/// same stage; the taxonomy must still put the drivers first.
#[test]
fn plumbers_learn_vetting_from_drivers_before_web3() {
    let e = engine();
    let recs = top(&e, "fundi-fix", 30);
    let list = ids(&recs);
    let drivers = position(&list, "safari-riders").unwrap();
    let web3 = position(&list, "chain-gig").unwrap();
    assert!(drivers < web3, "{list:?}");
    assert_eq!(
        signal(&e, "fundi-fix", "safari-riders", Signal::Taxonomy),
        0.5
    );
    assert_eq!(signal(&e, "fundi-fix", "chain-gig", Signal::Taxonomy), 0.1);
    let reasons = texts(&recs.items[drivers].reasons);
    assert!(
        reasons.contains(
            &"SafariRiders offers trust and safety and worker vetting that FundiFix needs"
                .to_owned()
        ),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("same category, Platforms for offline work")),
        "{reasons:?}"
    );
}

/// "we might connect an ecosystem member in the telco space with a platform member building an
/// agent super app": `AfriTel` needs agent networks and last-mile distribution that Wakala offers,
/// and offers the airtime, mobile money and partnerships Wakala needs. A two-sided match: each
/// is the other's first recommendation.
#[test]
fn telco_meets_agent_super_app() {
    let e = engine();
    let telco = top(&e, "afritel", 3);
    assert_eq!(ids(&telco)[0], "wakala");
    let app = top(&e, "wakala", 3);
    assert_eq!(ids(&app)[0], "afritel");
    assert_eq!(signal(&e, "afritel", "wakala", Signal::Needs), 1.0);
    let reasons = texts(&telco.items[0].reasons);
    assert!(
        reasons.contains(
            &"Wakala Super-App offers agent networks and last mile distribution that AfriTel needs"
                .to_owned()
        )
    );
    assert!(reasons.contains(&"AfriTel offers airtime distribution, corporate partnerships and mobile money that Wakala Super-App needs".to_owned()));
}

/// "connect an ecosystem member in the financial space with a jobtech platform simplifying access
/// to health and retirement for gig workers": Umoja Insurance and `KaziCover`, introduced by the
/// investor both know.
#[test]
fn insurer_meets_benefits_platform_through_mutual_investor() {
    let e = engine();
    let recs = top(&e, "umoja-insurance", 3);
    assert_eq!(ids(&recs)[0], "kazi-cover");
    let top = &recs.items[0];
    let introducer = top
        .introducer
        .clone()
        .expect("they share Harambee Seed Fund");
    assert_eq!(introducer.member.id(), "harambee-seed");
    assert_eq!(
        (
            introducer.strength_to_member,
            introducer.strength_to_candidate
        ),
        (0.5, 0.7)
    );
    assert!(texts(&top.reasons).iter().any(|r| {
        r.contains("health cover, micro insurance and pension savings that KaziCover needs")
    }));
}

/// "questions about fundraising for pre-seed startups are very different from those for
/// growth-stage startups": `SokoMama` (pre-seed) needs fundraising; Savanna Angels (idea, pre-seed)
/// and Baobab Growth (growth, mature) both offer it. The angels come first, on stage fit.
#[test]
fn pre_seed_founder_goes_to_pre_seed_investor_before_growth_fund() {
    let e = engine();
    let list = ids(&top(&e, "soko-mama", 30));
    assert!(
        position(&list, "savanna-angels").unwrap() < position(&list, "baobab-growth").unwrap(),
        "{list:?}"
    );
    assert_eq!(
        signal(&e, "soko-mama", "savanna-angels", Signal::Stage),
        1.0
    );
    assert_eq!(signal(&e, "soko-mama", "baobab-growth", Signal::Stage), 0.0);
    assert_eq!(list[0], "savanna-angels");
}

/// Communities of practice: `BridgeWork` and Impact Bridge Capital are both in Jobtech for Refugees.
#[test]
fn fellow_cop_members_are_named() {
    let e = engine();
    assert_eq!(
        signal(&e, "bridge-work", "impact-bridge", Signal::Communities),
        1.0
    );
    assert_eq!(
        signal(&e, "bridge-work", "fundi-fix", Signal::Communities),
        0.0
    );
    let r = e
        .explain(id(&e, "bridge-work"), id(&e, "impact-bridge"))
        .unwrap();
    assert!(
        texts(&r.reasons)
            .contains(&"both in the Jobtech for Refugees community of practice".to_owned()),
        "{:?}",
        r.reasons
    );
}

/// The strongest pair of ties introduces: `FundiFix` and `SafariRiders` share Nairobi Venture Hub
/// (0.9 x 0.6 = 0.54) and Jobs Evidence Lab (0.4 x 0.8 = 0.32); the hub introduces.
#[test]
fn strongest_mutual_contact_introduces() {
    let e = engine();
    let r = e
        .explain(id(&e, "fundi-fix"), id(&e, "safari-riders"))
        .unwrap();
    let i = r.introducer.clone().unwrap();
    assert_eq!(i.member.id(), "nairobi-venture-hub");
    assert!(texts(&r.reasons).iter().any(|x| x == "Nairobi Venture Hub can introduce them: knows FundiFix (tie 0.90) and SafariRiders (tie 0.60); 2 mutual contacts"));
    // Weighted Adamic-Adar by hand: the hub has 4 ties (FundiFix, SafariRiders, Savanna Angels,
    // Quiet Capital), the lab 3 (FundiFix, SafariRiders, Gig Economy Research Unit).
    let aa = 0.9f32 * 0.6 / 4f32.ln() + 0.4 * 0.8 / 3f32.ln();
    let warmth = 1.0 - (-aa).exp();
    assert!((signal(&e, "fundi-fix", "safari-riders", Signal::Warmth) - warmth).abs() < 1e-6);
}

fn tiny(members: &[(&str, &str)], ties: &[(&str, &str, f64)]) -> Community {
    let mut b = Community::builder(Taxonomy::jobtech());
    for (id, kind) in members {
        b = b.member(MemberRecord::new(*id, *kind, "KE").verticals(["microwork"]));
    }
    for (a, c, s) in ties {
        b = b.connection(ConnectionRecord {
            a: (*a).into(),
            b: (*c).into(),
            strength: Some(*s),
        });
    }
    b.build().unwrap()
}

#[test]
fn equal_introducers_break_by_id_and_closed_members_do_not_broker() {
    let c = tiny(
        &[
            ("s", "platform"),
            ("t", "platform"),
            ("zed", "eso"),
            ("amy", "eso"),
        ],
        &[
            ("s", "zed", 0.5),
            ("t", "zed", 0.8),
            ("s", "amy", 0.8),
            ("t", "amy", 0.5),
        ],
    );
    let e = Engine::new(c, MatchWeights::default()).unwrap();
    let r = e.explain(id(&e, "s"), id(&e, "t")).unwrap();
    assert_eq!(r.introducer.unwrap().member.id(), "amy");

    let mut records = e.community().to_records();
    for m in &mut records.members {
        if m.id == "amy" || m.id == "zed" {
            m.open_to_intros = Some(false);
        }
    }
    let closed = Engine::new(
        Community::builder(Taxonomy::jobtech())
            .records(records)
            .build()
            .unwrap(),
        MatchWeights::default(),
    )
    .unwrap();
    let r = closed.explain(id(&closed, "s"), id(&closed, "t")).unwrap();
    assert_eq!(r.introducer, None);
    assert!(
        texts(&r.reasons)
            .contains(&"2 mutual contacts, none open to brokering introductions".to_owned())
    );
    assert!(
        r.components[Signal::Warmth].value > 0.0,
        "their ties still count towards warmth"
    );
}

#[test]
fn never_recommended() {
    let e = engine();
    let all = e.recommend_all(&Query::top(100)).unwrap();
    let c = e.community();
    let quiet = id(&e, "quiet-capital");
    assert!(
        all.iter().all(|r| r.member.member() != quiet),
        "closed members receive nothing"
    );
    let mut pairs = std::collections::BTreeSet::new();
    for recs in &all {
        for r in &recs.items {
            assert_ne!(r.candidate, recs.member);
            assert_ne!(r.candidate.member(), quiet, "closed members appear nowhere");
            pairs.insert((recs.member.id().to_owned(), r.candidate.id().to_owned()));
        }
    }
    for (a, b) in [
        ("fundi-fix", "nairobi-venture-hub"), // a tie
        ("scale-hire", "baobab-growth"),      // introduced, partnered
        ("task-lab", "impact-bridge"),        // introduced, declined
        ("verify-me", "buildco"),             // introduced, proposed
        ("chain-gig", "baobab-growth"),       // blocked
    ] {
        assert!(!pairs.contains(&(a.to_owned(), b.to_owned())), "{a} -> {b}");
        assert!(!pairs.contains(&(b.to_owned(), a.to_owned())), "{b} -> {a}");
    }
    // Everyone open gets everyone else open and unexcluded when k is large.
    let fundi = all.iter().find(|r| r.member.id() == "fundi-fix").unwrap();
    assert!(fundi.is_exhaustive());
    assert_eq!(
        fundi.candidates,
        c.len() - 1 - 1 - 2,
        "self, quiet-capital, and 2 ties"
    );
}

#[test]
fn query_options_restrict_candidates() {
    let e = engine();
    let fundi = id(&e, "fundi-fix");
    let c = e.community();
    let investors = e
        .recommend(fundi, &Query::top(10).kinds([MemberKind::Investor]))
        .unwrap();
    assert!(!investors.items.is_empty());
    assert!(
        investors
            .items
            .iter()
            .all(|r| c[r.candidate.member()].kind() == MemberKind::Investor)
    );
    let kenya = e
        .recommend(fundi, &Query::top(50).countries(["KE".parse().unwrap()]))
        .unwrap();
    assert!(
        kenya
            .items
            .iter()
            .all(|r| c[r.candidate.member()].country().code() == "KE")
    );
    let offline = c
        .taxonomy()
        .vertical_by_slug("taxi-delivery-logistics")
        .unwrap();
    let drivers = e
        .recommend(fundi, &Query::top(50).verticals([offline]))
        .unwrap();
    assert!(
        drivers
            .items
            .iter()
            .all(|r| c[r.candidate.member()].verticals().contains(&offline))
    );
    let jin = c.cop_id("jobtech-investment-network").unwrap();
    let jin_recs = e
        .recommend(fundi, &Query::top(50).communities([jin]))
        .unwrap();
    assert!(
        jin_recs
            .items
            .iter()
            .all(|r| c[r.candidate.member()].communities().contains(&jin))
    );
    let strong = e.recommend(fundi, &Query::top(50).min_score(0.3)).unwrap();
    assert!(strong.items.iter().all(|r| r.score >= 0.3));
    assert!(strong.is_exhaustive());
    let everyone = e.recommend(fundi, &Query::top(1000)).unwrap();
    assert!(everyone.is_exhaustive() && everyone.items.len() == everyone.candidates);
    assert!(!e.recommend(fundi, &Query::top(3)).unwrap().is_exhaustive());
    assert!(e.recommend(fundi, &Query::top(0)).unwrap().items.is_empty());
    assert!(matches!(
        e.recommend(fundi, &Query::top(3).min_score(f32::NAN))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidOption {
            name: "min_score",
            ..
        }
    ));
    let other = common::sample_1500();
    let stranger = other.member_ids().last().unwrap();
    assert!(matches!(
        e.recommend(stranger, &Query::top(3)).unwrap_err().kind(),
        ErrorKind::InvalidOption { name: "member", .. }
    ));
}

#[test]
fn scores_are_symmetric_and_components_add_up() {
    let e = engine();
    let n = e.community().len();
    for a in e.community().member_ids() {
        for b in e.community().member_ids().take(n) {
            if a == b {
                continue;
            }
            let ab = e.explain(a, b).unwrap();
            let ba = e.explain(b, a).unwrap();
            assert_eq!(ab.score.to_bits(), ba.score.to_bits());
            let sum: f32 = ab.components.values().iter().map(|c| c.contribution).sum();
            assert!((sum - ab.score).abs() <= 1e-6 && (0.0..=1.0).contains(&ab.score));
        }
    }
}

/// Many members with identical profiles tie on every signal. The tie-break must spread them:
/// with "lowest id first", every member's first recommendation would be one of two members.
#[test]
fn ties_are_spread_across_tied_members() {
    let members: Vec<MemberRecord> = (0..60)
        .map(|i| common::platform(&format!("p{i:02}"), "KE", "microwork"))
        .collect();
    let e = Engine::new(common::build(members), MatchWeights::default()).unwrap();
    let all = e.recommend_all(&Query::top(1)).unwrap();
    let first = all[0].items[0].score;
    let mut exposure: BTreeMap<MemberId, usize> = BTreeMap::new();
    for r in &all {
        assert_eq!(r.items[0].score, first, "all pairs tie");
        *exposure.entry(r.items[0].candidate.member()).or_default() += 1;
    }
    let max = exposure.values().max().copied().unwrap();
    assert!(
        exposure.len() >= 25,
        "only {} distinct first picks: {exposure:?}",
        exposure.len()
    );
    assert!(max <= 6, "one member is first for {max} of 60");
    // A different seed reshuffles the ties, deterministically.
    let w = MatchWeights {
        tie_break_seed: 99,
        ..MatchWeights::default()
    };
    let members: Vec<MemberRecord> = (0..60)
        .map(|i| common::platform(&format!("p{i:02}"), "KE", "microwork"))
        .collect();
    let reseeded = Engine::new(common::build(members), w).unwrap();
    assert_ne!(
        format!("{:?}", reseeded.recommend_all(&Query::top(1)).unwrap()),
        format!("{all:?}")
    );
}

#[test]
fn results_are_identical_for_one_thread_and_many() {
    let one = Engine::new(common::sample_1500(), MatchWeights::default())
        .unwrap()
        .with_threads(1)
        .unwrap();
    let four = Engine::new(common::sample_1500(), MatchWeights::default())
        .unwrap()
        .with_threads(4)
        .unwrap();
    let a = format!("{:?}", one.recommend_all(&Query::top(10)).unwrap());
    let b = format!("{:?}", four.recommend_all(&Query::top(10)).unwrap());
    assert!(a == b, "recommend_all differs between 1 and 4 threads");
    for m in one.community().member_ids().step_by(97) {
        assert_eq!(
            format!("{:?}", one.recommend(m, &Query::top(25)).unwrap()),
            format!("{:?}", four.recommend(m, &Query::top(25)).unwrap())
        );
    }
    assert!(matches!(
        Engine::new(common::small(), MatchWeights::default())
            .unwrap()
            .with_threads(0)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidOption { .. }
    ));
}

#[test]
fn engine_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
    assert_send_sync::<Community>();
}

#[test]
fn invalid_weights_refused_at_build() {
    let mut w = MatchWeights::default();
    w.signals.warmth = f32::INFINITY;
    let err = Engine::new(common::small(), w).unwrap_err();
    assert_eq!(
        err.to_string(),
        "match weights: 1 problem found:\n  - setting: `signals.warmth` \"inf\": must be finite and >= 0"
    );
}

#[test]
fn blocked_pair_is_excluded_both_ways() {
    let mut b = Community::builder(Taxonomy::jobtech());
    for id in ["a", "b", "c"] {
        b = b.member(common::platform(id, "KE", "microwork"));
    }
    let c = b
        .block(BlockRecord {
            a: "b".into(),
            b: "a".into(),
        })
        .build()
        .unwrap();
    let e = Engine::new(c, MatchWeights::default()).unwrap();
    assert_eq!(ids(&top(&e, "a", 5)), ["c"]);
    assert_eq!(ids(&top(&e, "b", 5)), ["c"]);
}

#[test]
fn recommend_program_text_json_and_errors() {
    let (code, out, err) = common::run_example(
        "recommend",
        &[
            "--community",
            "data/small.json",
            "--member",
            "fundi-fix",
            "--top",
            "3",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("FundiFix (fundi-fix, platform, Kenya) - 3 of 26 candidates"),
        "{out}"
    );

    let (code, out, _) = common::run_example(
        "recommend",
        &[
            "--community",
            "data/small.json",
            "--member",
            "afritel",
            "--format",
            "json",
            "--top",
            "2",
        ],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["member"], "afritel");
    let first = &v["recommendations"][0];
    assert_eq!(first["candidate"], "wakala");
    let score = first["score"].as_f64().unwrap();
    let sum: f64 = first["components"]
        .as_object()
        .unwrap()
        .values()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!((score - sum).abs() < 1e-5 && (0.0..=1.0).contains(&score));
    assert!(first["introducer"].is_null());
    assert!(first["reasons"].as_array().unwrap().len() >= 3);

    let (code, out, _) = common::run_example(
        "recommend",
        &[
            "--community",
            "data/small-csv",
            "--format",
            "json",
            "--top",
            "2",
        ],
    );
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let c = common::small();
    let open: Vec<&str> = c
        .members()
        .filter(|m| m.open_to_intros())
        .map(pollinate::Member::id)
        .collect();
    let got: Vec<&str> = lines
        .iter()
        .map(|l| l["member"].as_str().unwrap())
        .collect();
    assert_eq!(got, open, "one line per open member, in input order");

    let (code, _, err) = common::run_example(
        "recommend",
        &["--community", "data/small.json", "--member", "fundi-fx"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("unknown member `fundi-fx`; did you mean `fundi-fix`?"),
        "{err}"
    );
    let dir = std::env::temp_dir().join(format!("pollinate-weights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[signals]\nneeds = 0.5\nwarmht = 0.2\n").unwrap();
    let (code, _, err) = common::run_example(
        "recommend",
        &[
            "--community",
            "data/small.json",
            "--weights",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "bad.toml:3:1: setting: `signals.warmht`: unknown field; did you mean `warmth`?"
        ),
        "{err}"
    );
    let (code, _, err) = common::run_example(
        "recommend",
        &["--community", "data/small.json", "--top", "-1"],
    );
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = common::run_example("recommend", &["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--weights FILE"));
}

#[test]
fn community_stats_program_reports_every_problem() {
    let (code, out, err) =
        common::run_example("community_stats", &["--community", "data/small.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("30 members") && out.contains("members by kind"),
        "{out}"
    );
    let dir = std::env::temp_dir().join(format!("pollinate-stats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("members.csv"),
        "id,kind,country,verticals\na,platfrom,KE,microwork\nb,investor,Kenya,care-service\n",
    )
    .unwrap();
    let (code, _, err) =
        common::run_example("community_stats", &["--community", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("3 problems found"), "{err}");
}

#[test]
fn rank_members_is_a_batch_of_rank_all() {
    let e = Engine::new(common::sample_1500(), MatchWeights::default()).unwrap();
    let all = e.rank_all(&Query::top(7)).unwrap();
    // Any order, repeats included: the lists come back in the order asked (the search itself
    // runs the members in its index order).
    let mut expected: Vec<_> = all.into_iter().step_by(13).rev().collect();
    expected.push(expected[0].clone());
    let some: Vec<MemberId> = expected.iter().map(|(m, _)| *m).collect();
    let batch = e.rank(&some, &Query::top(7)).unwrap();
    assert_eq!(batch, expected);
}

#[test]
fn scale_program_reports_pairs_and_memory() {
    let (code, out, err) = common::run_example("scale", &["--members", "800", "--seed", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("members: 800")
            && out.contains("pairs scored:")
            && out.contains("peak memory:"),
        "{out}"
    );
    let (code, _, _) = common::run_example("scale", &[]);
    assert_eq!(code, 2);
}

#[test]
fn streamed_batches_are_recommend_all_in_member_order() {
    let c = common::sample_1500();
    let one = Engine::new(c.clone(), MatchWeights::default())
        .unwrap()
        .with_threads(1)
        .unwrap();
    let three = Engine::new(c, MatchWeights::default())
        .unwrap()
        .with_threads(3)
        .unwrap();
    for query in [Query::top(5), Query::top(3).min_score(0.4)] {
        let all = one.recommend_all(&query).unwrap();
        for (engine, batch) in [(&one, 1), (&three, 7), (&three, 4096)] {
            let stream = engine.recommend_stream(&query, batch).unwrap();
            assert_eq!(stream.size_hint().0, all.len().div_ceil(batch));
            let streamed: Vec<_> = stream.flatten().collect();
            assert_eq!(streamed, all, "batch {batch}");
        }
    }
    assert!(
        one.recommend_stream(&Query::top(5).min_score(2.0), 10)
            .is_err()
    );
}
