//! Property tests of the match engine against a simple brute-force reference, on random
//! generated communities.

mod common;

use std::collections::BTreeMap;

use pollinate::{
    Community, Engine, GeneratorConfig, MatchWeights, MemberId, Outcome, Query, Taxonomy, generate,
};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::seq::SliceRandom;

/// The brute-force reference of eligibility, straight from the community's records (under the
/// default language rule: two members who state languages must share one).
fn eligible(c: &Community, a: MemberId, b: MemberId) -> bool {
    let same = |x: MemberId, y: MemberId| (x == a && y == b) || (x == b && y == a);
    let (la, lb) = (c[a].languages(), c[b].languages());
    a != b
        && c[a].open_to_intros()
        && c[b].open_to_intros()
        && !c.connections().iter().any(|t| same(t.a, t.b))
        && !c.introductions().iter().any(|i| same(i.a, i.b))
        && !c.blocked().iter().any(|&(x, y)| same(x, y))
        && (la.is_empty() || lb.is_empty() || la.iter().any(|l| lb.contains(l)))
}

fn community(seed: u64, members: usize, ties: f64) -> Community {
    let mut config = GeneratorConfig::default()
        .members(members)
        .seed(seed)
        .ties_per_member(ties);
    config.introductions_per_member = 0.5;
    config.blocks_per_member = 0.2;
    generate(&config).unwrap()
}

fn weights_strategy() -> impl Strategy<Value = MatchWeights> {
    (proptest::array::uniform7(0.0f32..1.0), 0u64..4, 0.0f32..1.0).prop_filter_map(
        "not all zero",
        |(w, seed, one_sided)| {
            if w.iter().all(|&x| x == 0.0) {
                return None;
            }
            let mut m = MatchWeights::default().with_signal_weights(w);
            m.tie_break_seed = seed;
            m.needs.one_sided = one_sided;
            Some(m)
        },
    )
}

/// Recommendations keyed by string ids, for comparing engines built from differently ordered
/// inputs.
fn by_string_id(e: &Engine, k: usize) -> BTreeMap<String, Vec<(String, u32)>> {
    let c = e.community();
    e.recommend_all(&Query::top(k))
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                c[r.member.member()].id().to_owned(),
                r.items
                    .iter()
                    .map(|i| (i.candidate.id().to_owned(), i.score.to_bits()))
                    .collect(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Scores in [0, 1]; components add up to the score; every recommendation is eligible and
    /// scores what `score_pair` says; the candidate count and the top-k scores match the
    /// brute-force reference over all pairs.
    #[test]
    fn engine_matches_brute_force_reference(seed in 0u64..10_000, n in 2usize..60, ties in 0.0f64..8.0, k in 0usize..12, weights in weights_strategy()) {
        let c = community(seed, n, ties);
        let e = Engine::new(c.clone(), weights).unwrap();
        let all = e.recommend_all(&Query::top(k)).unwrap();
        let open: Vec<MemberId> = c.member_ids().filter(|&m| c[m].open_to_intros()).collect();
        prop_assert_eq!(all.iter().map(|r| r.member.member()).collect::<Vec<_>>(), open);
        for recs in &all {
            let s = recs.member.member();
            let mut reference: Vec<f32> = c.member_ids()
                .filter(|&t| eligible(&c, s, t))
                .map(|t| e.explain(s, t).unwrap().score)
                .collect();
            prop_assert_eq!(recs.candidates, reference.len());
            reference.sort_by(|a, b| b.total_cmp(a));
            let got: Vec<f32> = recs.items.iter().map(|r| r.score).collect();
            prop_assert_eq!(&got[..], &reference[..k.min(reference.len())]);
            for r in &recs.items {
                let t = r.candidate.member();
                prop_assert!(eligible(&c, s, t));
                prop_assert!((0.0..=1.0).contains(&r.score));
                let sum: f32 = r.components.values().iter().map(|x| x.contribution).sum();
                prop_assert!((sum - r.score).abs() <= 1e-6, "components {} vs score {}", sum, r.score);
                prop_assert_eq!(r.score.to_bits(), e.explain(s, t).unwrap().score.to_bits());
            }
        }
    }

    /// Top-k is a prefix of top-(k+1), for every member.
    #[test]
    fn top_k_is_prefix_of_top_k_plus_one(seed in 0u64..10_000, n in 2usize..50, k in 0usize..10) {
        let e = Engine::new(community(seed, n, 4.0), MatchWeights::default()).unwrap();
        let a = e.recommend_all(&Query::top(k)).unwrap();
        let b = e.recommend_all(&Query::top(k + 1)).unwrap();
        for (x, y) in a.iter().zip(&b) {
            let xs: Vec<MemberId> = x.items.iter().map(|r| r.candidate.member()).collect();
            let ys: Vec<MemberId> = y.items.iter().map(|r| r.candidate.member()).collect();
            prop_assert_eq!(&xs[..], &ys[..xs.len()]);
        }
    }

    /// Shuffling the order of members and relations in the input changes no member's
    /// recommendations (compared by string id, scores bit for bit).
    #[test]
    fn input_order_does_not_matter(seed in 0u64..10_000, n in 2usize..50, shuffle_seed in any::<u64>()) {
        let c = community(seed, n, 5.0);
        let mut records = c.to_records();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(shuffle_seed);
        records.members.shuffle(&mut rng);
        records.connections.shuffle(&mut rng);
        records.introductions.shuffle(&mut rng);
        records.blocked.shuffle(&mut rng);
        for conn in &mut records.connections {
            if shuffle_seed % 2 == 0 { std::mem::swap(&mut conn.a, &mut conn.b); }
        }
        let shuffled = Community::builder(Taxonomy::jobtech()).records(records).build().unwrap();
        let a = Engine::new(c, MatchWeights::default()).unwrap();
        let b = Engine::new(shuffled, MatchWeights::default()).unwrap();
        prop_assert_eq!(by_string_id(&a, 8), by_string_id(&b, 8));
    }

    /// Parallel equals sequential: a local pool of 1 thread and one of 3 give identical bytes,
    /// for `recommend_all` and `recommend`.
    #[test]
    fn parallel_equals_sequential(seed in 0u64..10_000, n in 2usize..80, k in 1usize..12) {
        let c = community(seed, n, 6.0);
        let one = Engine::new(c.clone(), MatchWeights::default()).unwrap().with_threads(1).unwrap();
        let three = Engine::new(c, MatchWeights::default()).unwrap().with_threads(3).unwrap();
        prop_assert_eq!(format!("{:?}", one.recommend_all(&Query::top(k)).unwrap()), format!("{:?}", three.recommend_all(&Query::top(k)).unwrap()));
        let m = MemberId::clone(&one.community().member_ids().next().unwrap());
        prop_assert_eq!(format!("{:?}", one.recommend(m, &Query::top(k)).unwrap()), format!("{:?}", three.recommend(m, &Query::top(k)).unwrap()));
    }
}

#[test]
fn reference_helpers_see_the_history() {
    // Guards the reference itself: the generated communities used above do contain every kind
    // of exclusion, so the properties exercise them.
    let c = community(common::TEST_SEEDS[1], 59, 6.0);
    assert!(!c.connections().is_empty());
    assert!(
        c.introductions()
            .iter()
            .any(|i| i.outcome == Outcome::Declined)
    );
    assert!(!c.blocked().is_empty());
    let c = community(common::TEST_SEEDS[2], 59, 6.0);
    assert!(c.members().any(|m| !m.open_to_intros()));
    let ids: Vec<MemberId> = c.member_ids().collect();
    let apart = |a: MemberId, b: MemberId| {
        !c[a]
            .languages()
            .iter()
            .any(|l| c[b].languages().contains(l))
    };
    assert!(
        ids.iter().any(|&a| ids.iter().any(|&b| apart(a, b))),
        "some members share no language"
    );
}
