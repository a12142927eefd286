//! Exact top-k at scale: the pruned search and the scan (`Method::Scan`) return exactly what the
//! brute-force scan returns (candidates, scores bit for bit, order), on the samples, on random
//! communities and on adversarial ones, and the pruned search prunes.

mod common;

use pollinate::{
    Combine, Community, Engine, GeneratorConfig, LanguageRule, MatchWeights, MemberKind, Method,
    Query, Recommendations, Signal, Taxonomy, generate,
};
use proptest::prelude::*;

/// An explained list as (candidate, score), best first: what `rank` returns.
fn listed(recs: &Recommendations) -> Vec<(pollinate::MemberId, f32)> {
    recs.items
        .iter()
        .map(|r| (r.candidate.member(), r.score))
        .collect()
}

/// Asserts the pruned search and the scan return the brute-force lists exactly (in a proptest,
/// the panic is a failing case, shrunk like any other).
fn both(e: &Engine, q: &Query) {
    let brute = e.rank_all(&q.clone().method(Method::BruteForce)).unwrap();
    for method in [Method::Pruned, Method::Scan] {
        let lists = e.rank_all(&q.clone().method(method)).unwrap();
        assert_eq!(lists.len(), brute.len());
        for ((m, a), (m2, b)) in lists.iter().zip(&brute) {
            assert_eq!(m, m2);
            assert_eq!(a, b, "{method:?}, member {}", e.community()[*m].id());
        }
    }
}

#[test]
fn pruned_equals_brute_force_on_the_samples() {
    for c in [common::small(), common::sample_1500()] {
        let e = Engine::new(c, MatchWeights::default()).unwrap();
        for k in [1, 10, 40] {
            both(&e, &Query::top(k));
        }
        both(&e, &Query::top(10).min_score(0.3));
        both(&e, &Query::top(5).kinds([MemberKind::Investor]));
    }
}

#[test]
fn rank_all_is_the_pruned_search_and_it_prunes() {
    let e = Engine::new(common::sample_1500(), MatchWeights::default()).unwrap();
    let a = e.rank_all(&Query::top(10)).unwrap();
    assert_eq!(
        a,
        e.rank_all(&Query::top(10).method(Method::BruteForce))
            .unwrap()
    );
    let n = e.community().len() as u64;
    let scored = e.pruned_pairs_scored();
    assert!(scored > 0);
    // On the sample the bounds skip most pairs (measured: about a tenth are scored).
    assert!(scored * 3 < n * n, "scored {scored} of {} pairs", n * n);
}

/// The explained lists (`recommend_all`, `recommend_with`) take the pruned search's lists when
/// there is no minimum score: they must be the brute-force lists, and the candidate count
/// (from filters and exclusions, not from scoring) must be the number an exhaustive list holds.
#[test]
fn explained_lists_are_the_brute_force_lists_with_every_candidate_counted() {
    for c in [common::small(), common::sample_1500()] {
        let e = Engine::new(c, MatchWeights::default()).unwrap();
        let n = e.community().len();
        for q in [
            Query::top(10),
            Query::top(5).kinds([MemberKind::Investor]),
            Query::top(3).countries(["KE".parse().unwrap()]),
        ] {
            let explained = e.recommend_all(&q).unwrap();
            let brute = e.rank_all(&q.clone().method(Method::BruteForce)).unwrap();
            assert_eq!(explained.len(), brute.len());
            for (recs, (m, list)) in explained.iter().zip(&brute) {
                assert_eq!(recs.member.member(), *m);
                assert_eq!(&listed(recs), list, "member {}", e.community()[*m].id());
                let one = e.recommend(*m, &q).unwrap();
                assert_eq!(&one, recs);
            }
            // Every member of the small sample, every 97th of the large one: the exhaustive list
            // holds exactly the counted candidates.
            let mut all = q.clone();
            all.k = n;
            for recs in explained.iter().step_by(if n > 100 { 97 } else { 1 }) {
                let exhaustive = e.recommend(recs.member.member(), &all).unwrap();
                assert!(exhaustive.is_exhaustive());
                assert_eq!(exhaustive.candidates, recs.candidates);
                assert!(recs.candidates >= recs.items.len());
            }
        }
    }
}

/// With a minimum score the explained lists count every candidate reaching it, so the engine
/// either ranks every member by the pruned search with no limit on k (a high minimum score) or
/// scores every pair (a low one), and a single member's list asks the pruned search for more
/// and more until it has them all, or scores every pair. Every way, the lists and counts must
/// be the brute force's: its exhaustive list above the minimum score, cut at k, and that
/// list's length.
#[test]
fn explained_lists_with_a_minimum_score_are_the_brute_force_lists_and_counts() {
    for c in [common::small(), common::sample_1500()] {
        let e = Engine::new(c, MatchWeights::default()).unwrap();
        for q in [
            Query::top(10).min_score(0.05),
            Query::top(10).min_score(0.3),
            Query::top(10).min_score(0.45),
            Query::top(5).min_score(0.35).kinds([MemberKind::Investor]),
            // Low enough that most candidates reach it: every candidate is scored, filtered.
            Query::top(5).min_score(0.05).kinds([MemberKind::Investor]),
            Query::top(3).min_score(0.99),
        ] {
            explained_both(&e, &q);
        }
    }
}

#[test]
fn pruned_search_is_identical_for_any_thread_count() {
    let c = common::generated(800);
    let one = Engine::new(c.clone(), MatchWeights::default())
        .unwrap()
        .with_threads(1)
        .unwrap();
    let three = Engine::new(c, MatchWeights::default())
        .unwrap()
        .with_threads(3)
        .unwrap();
    assert_eq!(
        one.rank_all(&Query::top(10)).unwrap(),
        three.rank_all(&Query::top(10)).unwrap()
    );
}

/// Ways of making a generated community hard for the bounds.
#[derive(Clone, Copy, Debug)]
enum Twist {
    None,
    /// Everyone offers and needs every topic: every pair is two-sided.
    EveryoneOffersEverything,
    /// Nobody needs anything: only the background and warmth count, so scores tie massively.
    NobodyNeeds,
    /// Every other member offers every topic and needs none, the rest need every topic and
    /// offer none: one-sided matches covering everything, whose topic-pair counts saturate.
    OffersOrNeedsEverything,
    /// Everyone in one vertical, one country, one kind, no stage: one group, one class.
    AllAlike,
    /// No ties at all: no warmth, no two-hop reach.
    Isolated,
    /// Members state few languages, some none, many sharing none with many others.
    Languages,
}

fn twisted(seed: u64, n: usize, twist: Twist) -> Community {
    let mut config = GeneratorConfig::default().members(n).seed(seed);
    config.introductions_per_member = 0.3;
    config.blocks_per_member = 0.1;
    if matches!(twist, Twist::Isolated) {
        config = config.ties_per_member(0.0);
    }
    let c = generate(&config).unwrap();
    let mut records = c.to_records();
    let topics: Vec<String> = c.topics().iter().map(ToString::to_string).collect();
    for (i, m) in records.members.iter_mut().enumerate() {
        match twist {
            Twist::EveryoneOffersEverything => {
                m.offers.clone_from(&topics);
                m.needs.clone_from(&topics);
            }
            Twist::NobodyNeeds => m.needs.clear(),
            Twist::OffersOrNeedsEverything if i % 2 == 0 => {
                m.offers.clone_from(&topics);
                m.needs.clear();
            }
            Twist::OffersOrNeedsEverything => {
                m.offers.clear();
                m.needs.clone_from(&topics);
            }
            Twist::AllAlike => {
                m.kind = "eso".into();
                m.country = "KE".into();
                m.verticals = vec!["care-services".into()];
                m.stage = None;
                m.stage_focus.clear();
                m.communities.clear();
            }
            Twist::Languages => {
                const SETS: [&[&str]; 6] =
                    [&[], &["en"], &["fr"], &["en", "fr"], &["sw"], &["ar", "fr"]];
                m.languages = SETS[i % SETS.len()].iter().map(|&l| l.to_owned()).collect();
            }
            Twist::None | Twist::Isolated => {}
        }
    }
    Community::builder(Taxonomy::jobtech())
        .records(records)
        .build()
        .unwrap()
}

fn twist_strategy() -> impl Strategy<Value = Twist> {
    prop_oneof![
        Just(Twist::None),
        Just(Twist::EveryoneOffersEverything),
        Just(Twist::NobodyNeeds),
        Just(Twist::OffersOrNeedsEverything),
        Just(Twist::AllAlike),
        Just(Twist::Isolated),
        Just(Twist::Languages),
    ]
}

fn weights_strategy() -> impl Strategy<Value = MatchWeights> {
    (
        proptest::array::uniform7(0.0f32..1.0),
        0u64..4,
        (0.0f32..1.0, 0.0f32..1.0),
        0usize..4,
        (0usize..3, 0.0f32..1.0),
    )
        .prop_filter_map(
            "not all zero",
            |(w, seed, (one_sided, floor), combine, (rule, factor))| {
                if w.iter().all(|&x| x == 0.0) {
                    return None;
                }
                let mut m = MatchWeights::default().with_signal_weights(w);
                m.tie_break_seed = seed;
                m.needs.one_sided = one_sided;
                m.needs.met_floor = floor;
                m.language.rule = [
                    LanguageRule::Require,
                    LanguageRule::Prefer,
                    LanguageRule::Ignore,
                ][rule];
                m.language.mismatch_factor = factor;
                m.needs.combine = [
                    Combine::Harmonic,
                    Combine::Minimum,
                    Combine::Geometric,
                    Combine::Arithmetic,
                ][combine];
                Some(m)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The pruned search returns the brute-force lists exactly, for random weights, sizes, k,
    /// minimum scores and adversarial communities; so do the explained lists (pruned search with
    /// no limit on k, or every pair, as their sample decides), counts included.
    #[test]
    fn pruned_matches_brute_force(
        seed in 0u64..10_000,
        n in 2usize..120,
        twist in twist_strategy(),
        k in 0usize..15,
        min_score in prop_oneof![Just(0.0f32), 0.0f32..0.6],
        weights in weights_strategy(),
    ) {
        let e = Engine::new(twisted(seed, n, twist), weights).unwrap();
        let q = Query::top(k).min_score(min_score);
        both(&e, &q);
        explained_both(&e, &q);
    }
}

/// Asserts `recommend_all_with` gives the brute force's exhaustive list above the minimum score,
/// cut at k, and that list's length as the candidate count, for every open member, and that
/// `recommend_with` gives the same for every fifth of them.
fn explained_both(e: &Engine, q: &Query) {
    let explained = e.recommend_all(q).unwrap();
    let mut all = q.clone().method(Method::BruteForce);
    all.k = e.community().len();
    let brute = e.rank_all(&all).unwrap();
    assert_eq!(explained.len(), brute.len());
    for (recs, (m, list)) in explained.iter().zip(&brute) {
        assert_eq!(recs.member.member(), *m);
        let id = e.community()[*m].id();
        assert_eq!(
            listed(recs),
            &list[..list.len().min(q.k)],
            "member {id}, {q:?}"
        );
        assert_eq!(recs.candidates, list.len(), "member {id}, {q:?}");
    }
    for recs in explained.iter().step_by(5) {
        assert_eq!(&e.recommend(recs.member.member(), q).unwrap(), recs);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Default weights (the shape the bounds are tuned for) on larger communities.
    #[test]
    fn pruned_matches_brute_force_default_weights(
        seed in 0u64..10_000,
        n in 100usize..260,
        twist in twist_strategy(),
        k in 1usize..12,
    ) {
        let e = Engine::new(twisted(seed, n, twist), MatchWeights::default()).unwrap();
        both(&e, &Query::top(k));
    }
}

#[test]
fn mutual_reach_is_the_warmth_of_every_pair_sharing_a_contact() {
    let e = Engine::new(common::small(), MatchWeights::default()).unwrap();
    let c = e.community();
    for s in c.member_ids() {
        let reach = e.mutual_reach(s).unwrap();
        assert!(reach.windows(2).all(|w| w[0].0 < w[1].0));
        for t in c.member_ids().filter(|&t| t != s) {
            let warmth = e.explain(s, t).unwrap().components[Signal::Warmth].value;
            match reach.iter().find(|(m, _)| *m == t) {
                Some(&(_, aa)) => {
                    assert!(aa > 0.0);
                    assert_eq!(warmth.to_bits(), (1.0 - (-aa).exp()).to_bits());
                }
                None => assert_eq!(warmth, 0.0),
            }
        }
    }
    let fundi = c.resolve("fundi-fix").unwrap();
    assert!(!e.mutual_reach(fundi).unwrap().is_empty());
}
