//! Planning for the whole community: introduction rounds against exhaustive optima, networking
//! sessions against brute-force matchings, communities of practice.

mod common;

use std::collections::{BTreeMap, HashSet};

use pollinate::{
    DiscoveryConfig, Engine, FillMethod, GeneratorConfig, MatchWeights, MemberId, OddPolicy,
    RoundConfig, SessionConfig, SitOut, Unserved, generate,
};

fn small_engine() -> Engine {
    Engine::new(common::small(), MatchWeights::default()).unwrap()
}

fn cap(e: &Engine, m: MemberId, config: &RoundConfig) -> u32 {
    e.community()[m]
        .max_intros()
        .unwrap_or(config.default_max_intros)
}

/// Every eligible pair of the community with its score, for the exhaustive references.
fn all_pairs(e: &Engine) -> Vec<(MemberId, MemberId, f32)> {
    let ids: Vec<MemberId> = e.community().member_ids().collect();
    let mut out = Vec::new();
    for (i, &a) in ids.iter().enumerate() {
        for &b in &ids[i + 1..] {
            if e.is_eligible(a, b) {
                out.push((a, b, e.score(a, b).unwrap()));
            }
        }
    }
    out
}

/// The best total of any plan that contains `fixed` and respects the capacities: exhaustive over
/// the other pairs.
fn exhaustive_best(
    pairs: &[(MemberId, MemberId, f32)],
    fixed: &[(MemberId, MemberId)],
    room: &BTreeMap<MemberId, u32>,
) -> f64 {
    let mut room = room.clone();
    let mut base = 0.0;
    for &(a, b) in fixed {
        *room.get_mut(&a).unwrap() -= 1;
        *room.get_mut(&b).unwrap() -= 1;
        base += f64::from(
            pairs
                .iter()
                .find(|p| (p.0, p.1) == (a, b) || (p.0, p.1) == (b, a))
                .unwrap()
                .2,
        );
    }
    let rest: Vec<_> = pairs
        .iter()
        .filter(|p| !fixed.contains(&(p.0, p.1)) && !fixed.contains(&(p.1, p.0)))
        .copied()
        .collect();
    assert!(
        rest.len() <= 22,
        "exhaustive reference too large: {}",
        rest.len()
    );
    let mut best = 0.0f64;
    for mask in 0u32..(1 << rest.len()) {
        let mut r = room.clone();
        let mut total = 0.0;
        let mut ok = true;
        for (i, p) in rest.iter().enumerate() {
            if mask & (1 << i) != 0 {
                let (ra, rb) = (r[&p.0], r[&p.1]);
                if ra == 0 || rb == 0 {
                    ok = false;
                    break;
                }
                r.insert(p.0, ra - 1);
                r.insert(p.1, rb - 1);
                total += f64::from(p.2);
            }
        }
        if ok {
            best = best.max(total);
        }
    }
    base + best
}

#[test]
fn round_on_the_small_sample_respects_every_constraint() {
    let e = small_engine();
    let config = RoundConfig::default();
    let round = e.plan_round(&config).unwrap();
    let c = e.community();
    let mut deg: BTreeMap<MemberId, u32> = BTreeMap::new();
    let mut brokered: BTreeMap<MemberId, u32> = BTreeMap::new();
    let mut seen = HashSet::new();
    for i in &round.introductions {
        let (a, b) = (i.a.member(), i.b.member());
        assert!(e.is_eligible(a, b), "{} - {}", i.a.id(), i.b.id());
        assert!(seen.insert((a.min(b), a.max(b))), "pair twice");
        *deg.entry(a).or_default() += 1;
        *deg.entry(b).or_default() += 1;
        if let Some(x) = &i.introducer {
            *brokered.entry(x.member.member()).or_default() += 1;
            assert!(c[x.member.member()].open_to_intros());
        }
    }
    for (&m, &d) in &deg {
        assert!(d <= cap(&e, m, &config), "{} has {d}", c[m].id());
    }
    assert!(brokered.values().all(|&b| b <= config.introducer_capacity));
    // Nairobi Venture Hub's own max_intros (4) is the cap checked above, not the default; Quiet
    // Capital is closed.
    assert_eq!(
        cap(&e, c.resolve("nairobi-venture-hub").unwrap(), &config),
        4
    );
    assert!(!deg.contains_key(&c.resolve("quiet-capital").unwrap()));
    let total: f64 = round.introductions.iter().map(|i| f64::from(i.score)).sum();
    assert!((total - round.report.total_score).abs() < 1e-9);
    assert_eq!(round.report.members_covered, deg.len());
    assert_eq!(
        round.report.open_members,
        c.members().filter(|m| m.open_to_intros()).count()
    );
    assert_eq!(
        round.report.members_covered + round.report.unserved.len(),
        round.report.open_members
    );
    // The seed's pairs are in the round.
    let has = |a: &str, b: &str| {
        let (a, b) = (c.resolve(a).unwrap(), c.resolve(b).unwrap());
        round.introductions.iter().any(|i| {
            let pair = (i.a.member(), i.b.member());
            pair == (a, b) || pair == (b, a)
        })
    };
    assert!(has("afritel", "wakala") && has("umoja-insurance", "kazi-cover"));
}

/// Floor: a member left without an introduction has every candidate at capacity; and no member
/// has a third introduction while a member with a candidate that had room has none (checked as:
/// uncovered members' partners are all full).
fn check_floor(e: &Engine, round: &pollinate::Round, config: &RoundConfig) {
    let mut deg: BTreeMap<MemberId, u32> = BTreeMap::new();
    for i in &round.introductions {
        *deg.entry(i.a.member()).or_default() += 1;
        *deg.entry(i.b.member()).or_default() += 1;
    }
    for unserved in &round.report.unserved {
        let u = unserved.member.member();
        if unserved.why == Unserved::PartnersFull {
            for (a, b, _) in all_pairs(e) {
                let v = if a == u {
                    b
                } else if b == u {
                    a
                } else {
                    continue;
                };
                assert_eq!(
                    deg.get(&v).copied().unwrap_or(0),
                    cap(e, v, config),
                    "uncovered member had a partner with room"
                );
            }
        }
    }
}

#[test]
fn rounds_match_the_exhaustive_optimum_or_the_half_bound() {
    let mut checked = 0;
    for seed in 0..40u64 {
        let mut g = GeneratorConfig::default()
            .members(7)
            .seed(seed)
            .ties_per_member(2.0);
        g.introductions_per_member = 0.3;
        let e = Engine::new(generate(&g).unwrap(), MatchWeights::default()).unwrap();
        let pairs = all_pairs(&e);
        let config = RoundConfig {
            default_max_intros: 2,
            candidates_per_member: 10,
            ..RoundConfig::default()
        };
        let exact = e.plan_round(&config).unwrap();
        let greedy = e
            .plan_round(&RoundConfig {
                exact_max_pairs: 0,
                ..config.clone()
            })
            .unwrap();
        check_floor(&e, &exact, &config);
        check_floor(&e, &greedy, &config);
        let room: BTreeMap<MemberId, u32> = e
            .community()
            .member_ids()
            .map(|m| {
                (
                    m,
                    if e.community()[m].open_to_intros() {
                        cap(&e, m, &config)
                    } else {
                        0
                    },
                )
            })
            .collect();
        let floor: Vec<(MemberId, MemberId)> = exact
            .introductions
            .iter()
            .filter(|i| i.floor)
            .map(|i| (i.a.member(), i.b.member()))
            .collect();
        let optimum = exhaustive_best(&pairs, &floor, &room);
        let unconstrained = exhaustive_best(&pairs, &[], &room);
        assert_eq!(exact.report.method, FillMethod::Exact);
        assert!(
            (exact.report.total_score - optimum).abs() < 1e-5,
            "seed {seed}: exact {} vs optimum {optimum}",
            exact.report.total_score
        );
        assert!(
            greedy.report.total_score >= 0.5 * optimum - 1e-6,
            "seed {seed}: greedy {} below half of {optimum}",
            greedy.report.total_score
        );
        assert!(exact.report.total_score <= unconstrained + 1e-6);
        println!(
            "seed {seed}: floor-constrained optimum {optimum:.3}, exact {:.3}, greedy {:.3} ({:.1}%), unconstrained optimum {unconstrained:.3}",
            exact.report.total_score,
            greedy.report.total_score,
            100.0 * greedy.report.total_score / optimum.max(1e-9)
        );
        checked += 1;
    }
    assert_eq!(checked, 40);
}

#[test]
fn round_for_the_1500_sample_covers_everyone_it_can() {
    let e = Engine::new(common::sample_1500(), MatchWeights::default()).unwrap();
    let config = RoundConfig::default();
    let round = e.plan_round(&config).unwrap();
    assert_eq!(round.report.method, FillMethod::Greedy);
    assert!(round.report.members_covered as f64 >= 0.99 * round.report.open_members as f64);
    assert!(
        round.report.exposure_gini < 0.3,
        "{}",
        round.report.exposure_gini
    );
}

fn allowed_edges(
    e: &Engine,
    attendees: &[MemberId],
    met: &HashSet<(MemberId, MemberId)>,
) -> Vec<(usize, usize, i64)> {
    let mut out = Vec::new();
    for i in 0..attendees.len() {
        for j in i + 1..attendees.len() {
            let (a, b) = (attendees[i], attendees[j]);
            if e.is_eligible(a, b) && !met.contains(&(a.min(b), a.max(b))) {
                out.push((
                    i,
                    j,
                    (f64::from(e.score(a, b).unwrap()) * 1e6).round() as i64,
                ));
            }
        }
    }
    out
}

/// Maximum cardinality, then maximum weight, over all matchings: brute force.
fn brute_matching(n: usize, edges: &[(usize, usize, i64)]) -> (usize, i64) {
    fn go(
        v: usize,
        n: usize,
        edges: &[(usize, usize, i64)],
        used: &mut Vec<bool>,
        acc: (usize, i64),
        best: &mut (usize, i64),
    ) {
        if v == n {
            *best = (*best).max(acc);
            return;
        }
        if used[v] {
            return go(v + 1, n, edges, used, acc, best);
        }
        go(v + 1, n, edges, used, acc, best);
        for &(i, j, w) in edges.iter().filter(|e| e.0 == v) {
            if !used[j] {
                used[i] = true;
                used[j] = true;
                go(v + 1, n, edges, used, (acc.0 + 1, acc.1 + w), best);
                used[i] = false;
                used[j] = false;
            }
        }
    }
    let mut best = (0, 0);
    go(0, n, edges, &mut vec![false; n], (0, 0), &mut best);
    best
}

/// A session config with every allowed pair in the graph, so each round is exact over all pairs.
fn full_graph(rounds: usize, odd: OddPolicy) -> SessionConfig {
    SessionConfig {
        rounds,
        odd,
        candidates_per_attendee: 0,
        ..SessionConfig::default()
    }
}

/// Everyone is accounted for exactly once in every round, no pair meets twice, and every
/// meeting is allowed.
fn assert_valid_schedule(e: &Engine, attendees: &[MemberId], schedule: &pollinate::Schedule) {
    let mut met: HashSet<(MemberId, MemberId)> = HashSet::new();
    for round in &schedule.rounds {
        let mut present: Vec<MemberId> = round
            .meetings
            .iter()
            .flat_map(|m| m.members.iter().map(pollinate::MemberRef::member))
            .collect();
        present.extend(round.sitting_out.iter().map(|s| s.member.member()));
        present.sort();
        let mut expected = attendees.to_vec();
        expected.sort();
        assert_eq!(present, expected, "round {}", round.number);
        for m in &round.meetings {
            for (i, a) in m.members.iter().enumerate() {
                for b in &m.members[i + 1..] {
                    let (a, b) = (a.member(), b.member());
                    assert!(e.may_meet(a, b), "{a:?} and {b:?} may not meet");
                    assert!(met.insert((a.min(b), a.max(b))), "a pair met twice");
                }
            }
        }
    }
}

#[test]
fn session_rounds_have_the_most_meetings_and_round_one_the_best_matching() {
    for seed in 0..12u64 {
        let c = generate(&GeneratorConfig::default().members(40).seed(seed)).unwrap();
        let e = Engine::new(c, MatchWeights::default()).unwrap();
        let attendees: Vec<MemberId> = e
            .community()
            .member_ids()
            .filter(|&m| e.community()[m].open_to_intros())
            .take(8 + (seed as usize % 3))
            .collect();
        let schedule = e
            .schedule_session(&attendees, &full_graph(4, OddPolicy::SitOut))
            .unwrap();
        assert_valid_schedule(&e, &attendees, &schedule);
        let mut met: HashSet<(MemberId, MemberId)> = HashSet::new();
        for round in &schedule.rounds {
            let edges = allowed_edges(&e, &attendees, &met);
            let (cardinality, weight) = brute_matching(attendees.len(), &edges);
            assert_eq!(round.meetings.len(), cardinality, "seed {seed}");
            if round.number == 1 {
                // Nobody has sat out yet: the round is the best matching of all attendees, so
                // the sit-out is whoever costs the session least, never a rotation's pick.
                let got: i64 = round
                    .meetings
                    .iter()
                    .map(|m| {
                        let (a, b) = (m.members[0].member(), m.members[1].member());
                        (f64::from(e.score(a, b).unwrap()) * 1e6).round() as i64
                    })
                    .sum();
                assert_eq!(got, weight, "seed {seed}");
            }
            for m in &round.meetings {
                let (a, b) = (m.members[0].member(), m.members[1].member());
                met.insert((a.min(b), a.max(b)));
            }
        }
    }
}

#[test]
fn a_sparse_session_graph_still_seats_everyone_it_can() {
    let e = Engine::new(common::sample_1500(), MatchWeights::default()).unwrap();
    let attendees: Vec<MemberId> = e.community().member_ids().step_by(7).take(120).collect();
    for candidates in [1, 3, 24] {
        let config = SessionConfig {
            rounds: 4,
            candidates_per_attendee: candidates,
            ..SessionConfig::default()
        };
        let schedule = e.schedule_session(&attendees, &config).unwrap();
        assert_valid_schedule(&e, &attendees, &schedule);
        for round in &schedule.rounds {
            // Whoever sits out has no partner left among the others sitting out.
            let out: Vec<MemberId> = round
                .sitting_out
                .iter()
                .map(|s| s.member.member())
                .collect();
            for (i, &a) in out.iter().enumerate() {
                for &b in &out[i + 1..] {
                    let met_before = schedule.rounds[..round.number - 1].iter().any(|r| {
                        r.meetings.iter().any(|m| {
                            m.members.iter().any(|x| x.member() == a)
                                && m.members.iter().any(|x| x.member() == b)
                        })
                    });
                    assert!(
                        met_before || !e.may_meet(a, b),
                        "{a:?} and {b:?} both sat out round {} but could have met",
                        round.number
                    );
                }
            }
        }
    }
}

#[test]
fn the_best_pair_meets_in_round_one_and_the_odd_one_out_rotates() {
    let e = small_engine();
    let c = e.community();
    let ids: Vec<MemberId> = ["fundi-fix", "safari-riders", "chain-gig"]
        .iter()
        .map(|id| c.resolve(id).unwrap())
        .collect();
    let best = e.score(ids[0], ids[1]).unwrap();
    assert!(best > e.score(ids[0], ids[2]).unwrap() && best > e.score(ids[1], ids[2]).unwrap());
    let schedule = e
        .schedule_session(&ids, &full_graph(3, OddPolicy::SitOut))
        .unwrap();
    // A rotation by list position would have benched fundi-fix, the first attendee.
    let first = &schedule.rounds[0];
    assert_eq!(first.meetings.len(), 1);
    let pair: Vec<&str> = first.meetings[0]
        .members
        .iter()
        .map(pollinate::MemberRef::id)
        .collect();
    assert_eq!(pair, ["fundi-fix", "safari-riders"]);
    assert_eq!(first.sitting_out[0].member.id(), "chain-gig");
    assert_eq!(first.sitting_out[0].why, SitOut::OddOneOut);
    // Three rounds of three: everyone sits out exactly once.
    let mut sat: Vec<&str> = schedule
        .rounds
        .iter()
        .flat_map(|r| r.sitting_out.iter().map(|s| s.member.id()))
        .collect();
    sat.sort_unstable();
    assert_eq!(sat, ["chain-gig", "fundi-fix", "safari-riders"]);
}

#[test]
fn odd_counts_rotate_the_sit_out_or_make_a_trio() {
    let e = Engine::new(common::sample_1500(), MatchWeights::default()).unwrap();
    let c = e.community();
    // Attendees who all share English, so any two may meet.
    let attendees: Vec<MemberId> = c
        .member_ids()
        .filter(|&m| c[m].open_to_intros() && c[m].languages().iter().any(|l| l.code() == "en"))
        .take(11)
        .collect();
    let schedule = e
        .schedule_session(&attendees, &full_graph(5, OddPolicy::SitOut))
        .unwrap();
    assert_valid_schedule(&e, &attendees, &schedule);
    let sat: Vec<MemberId> = schedule
        .rounds
        .iter()
        .flat_map(|r| {
            r.sitting_out
                .iter()
                .filter(|s| s.why == SitOut::OddOneOut)
                .map(|s| s.member.member())
        })
        .collect();
    assert_eq!(sat.len(), 5, "one sit-out a round");
    assert_eq!(
        sat.iter().collect::<HashSet<_>>().len(),
        5,
        "never the same person twice: {sat:?}"
    );
    let trio = e
        .schedule_session(&attendees, &full_graph(3, OddPolicy::Trio))
        .unwrap();
    assert_valid_schedule(&e, &attendees, &trio);
    for r in &trio.rounds {
        assert!(r.sitting_out.is_empty(), "{:?}", r.sitting_out);
        assert_eq!(
            r.meetings.iter().filter(|m| m.members.len() == 3).count(),
            1
        );
    }
}

#[test]
fn attendees_not_open_to_introductions_are_seated() {
    let e = small_engine();
    let c = e.community();
    let quiet = c.resolve("quiet-capital").unwrap();
    assert!(!c[quiet].open_to_intros());
    let ids: Vec<MemberId> = ["fundi-fix", "quiet-capital"]
        .iter()
        .map(|id| c.resolve(id).unwrap())
        .collect();
    let s = e
        .schedule_session(&ids, &full_graph(1, OddPolicy::SitOut))
        .unwrap();
    assert!(s.rounds[0].sitting_out.is_empty());
    let pair: Vec<&str> = s.rounds[0].meetings[0]
        .members
        .iter()
        .map(pollinate::MemberRef::id)
        .collect();
    assert_eq!(pair, ["fundi-fix", "quiet-capital"]);
}

#[test]
fn bad_session_requests_are_refused_naming_the_member_or_option() {
    let e = small_engine();
    let c = e.community();
    let fundi = c.resolve("fundi-fix").unwrap();
    let riders = c.resolve("safari-riders").unwrap();
    let twice = e
        .schedule_session(&[fundi, riders, fundi], &SessionConfig::default())
        .unwrap_err();
    assert!(twice.to_string().contains("fundi-fix"), "{twice}");
    assert!(twice.to_string().contains("listed twice"), "{twice}");
    for rounds in [3, 1_000_000_000_000, usize::MAX] {
        let err = e
            .schedule_session(
                &[fundi, riders],
                &SessionConfig {
                    rounds,
                    ..SessionConfig::default()
                },
            )
            .unwrap_err();
        assert!(err.to_string().contains("rounds"), "{err}");
    }
    // An id of a larger community is not a member of this one.
    let big = common::sample_1500();
    let stranger = big.member_ids().last().unwrap();
    let err = e
        .schedule_session(&[fundi, stranger], &SessionConfig::default())
        .unwrap_err();
    assert!(err.to_string().contains("attendees"), "{err}");
}

#[test]
fn session_progress_counts_every_attendee_once_per_round_and_once_for_the_graph() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let e = Engine::new(common::sample_1500(), MatchWeights::default()).unwrap();
    let attendees: Vec<MemberId> = e.community().member_ids().take(50).collect();
    let done = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&done);
    let config = SessionConfig {
        rounds: 3,
        progress: Some(pollinate::Progress::new(move |n| {
            counter.fetch_add(n, Ordering::Relaxed);
        })),
        ..SessionConfig::default()
    };
    e.schedule_session(&attendees, &config).unwrap();
    assert_eq!(done.load(Ordering::Relaxed), 50 * 4);
}

#[test]
fn cops_are_recommended_with_reasons_and_emerging_ones_found() {
    let e = small_engine();
    let c = e.community();
    let fundi = c.resolve("fundi-fix").unwrap();
    let recs = e.recommend_cops(fundi, 3).unwrap();
    assert_eq!(
        recs[0].cop.label(),
        "jobtech-investment-network",
        "Savanna Angels offers the fundraising FundiFix needs"
    );
    assert!(
        recs[0]
            .reasons
            .iter()
            .any(|r| r.to_string() == "its members offer fundraising that you need")
    );
    let bridge = c.resolve("bridge-work").unwrap();
    assert!(
        e.recommend_cops(bridge, 5)
            .unwrap()
            .iter()
            .all(|r| r.cop.label() != "jobtech-for-refugees"),
        "not the CoPs one is in"
    );

    let big = Engine::new(common::sample_1500(), MatchWeights::default()).unwrap();
    let config = DiscoveryConfig::default();
    let a = big.discover_communities(&config).unwrap();
    let b = big.discover_communities(&config).unwrap();
    assert_eq!(a, b, "seeded and deterministic");
    assert!(!a.is_empty());
    for x in &a {
        assert!(x.members.len() >= config.min_size);
        assert!(
            x.closest_cop
                .as_ref()
                .is_none_or(|(_, share)| *share <= config.max_covered)
        );
        assert!(!x.verticals.is_empty() && !x.name.is_empty());
    }
}

#[test]
fn planning_programs_run() {
    let (code, out, err) = common::run_example("intro_round", &["--community", "data/small.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("KaziCover <-> Umoja Insurance") && out.contains("round:"),
        "{out}"
    );
    let (code, out, _) = common::run_example(
        "intro_round",
        &["--community", "data/small.json", "--format", "json"],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["report"]["members_covered"].as_u64().unwrap() > 20);
    let csv = std::env::temp_dir().join(format!("pollinate-session-{}.csv", std::process::id()));
    let (code, out, err) = common::run_example(
        "networking_session",
        &[
            "--community",
            "data/community-1500.json",
            "--sample",
            "60",
            "--rounds",
            "5",
            "--csv",
            csv.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let schedule: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rounds = schedule["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 5);
    let tables: usize = rounds
        .iter()
        .map(|r| r["meetings"].as_array().unwrap().len())
        .sum();
    assert!(
        tables >= 5 * 28,
        "nearly everyone is seated: {tables} tables"
    );
    let rows = std::fs::read_to_string(&csv).unwrap().lines().count();
    assert_eq!(rows, 1 + tables, "a header and a row a table");
    let (code, out, err) = common::run_example(
        "communities",
        &["--community", "data/small.json", "--member", "fundi-fix"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Jobtech Investment Network"), "{out}");
}
