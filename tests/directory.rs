//! The member directory: known answers on `data/small.json`, opt-outs, pages, and filters
//! against a plain scan.

mod common;

use pollinate::{
    Change, Community, ConsentRecord, Country, Directory, DirectoryQuery, Engine, MatchWeights,
    MemberKind, MemberRecord, Stage,
};
use proptest::prelude::*;

fn ids(directory: &Directory, c: &Community, q: &DirectoryQuery) -> Vec<String> {
    directory
        .search(c, q)
        .unwrap()
        .results
        .iter()
        .map(|h| h.member.id().to_owned())
        .collect()
}

#[test]
fn typo_tolerant_text_finds_names_offers_and_needs() {
    let c = common::small();
    let d = Directory::new(&c);
    assert_eq!(d.len(), 30);
    assert_eq!(
        ids(&d, &c, &DirectoryQuery::text("safary riders"))[0],
        "safari-riders"
    );
    assert_eq!(
        ids(&d, &c, &DirectoryQuery::text("Umoja"))[0],
        "umoja-insurance"
    );
    // A prefix, as typed so far.
    assert_eq!(
        ids(&d, &c, &DirectoryQuery::text("baob"))[0],
        "baobab-growth"
    );
    // Offers and needs: who offers micro-insurance, and who needs it.
    let insurance = ids(&d, &c, &DirectoryQuery::text("micro insurance"));
    assert_eq!(insurance[0], "umoja-insurance", "{insurance:?}");
    for needs_it in ["kazi-cover", "safari-riders", "care-circle"] {
        assert!(
            insurance.contains(&needs_it.to_owned()),
            "{needs_it}: {insurance:?}"
        );
    }
    // Every word must match.
    assert!(ids(&d, &c, &DirectoryQuery::text("insurance plumbers")).is_empty());
    assert!(ids(&d, &c, &DirectoryQuery::text("zzzzqqq")).is_empty());
}

#[test]
fn accents_are_folded_both_ways() {
    let engine = Engine::new(common::small(), MatchWeights::default()).unwrap();
    let record = MemberRecord::new("teranga-emploi", "platform", "SN")
        .name("Téranga Emploi Sénégal")
        .verticals(["jobs-boards-recruitment"])
        .languages(["fr"]);
    let (engine, _) = engine
        .apply(&[Change::PutMember { member: record }])
        .unwrap();
    let c = engine.community();
    let d = Directory::new(c);
    for q in ["senegal", "Sénégal", "teranga emploi", "SENEGAL"] {
        assert_eq!(
            ids(&d, c, &DirectoryQuery::text(q))[0],
            "teranga-emploi",
            "{q}"
        );
    }
}

#[test]
fn filters_narrow_and_combine() {
    let c = common::small();
    let d = Directory::new(&c);
    let ke: Country = "KE".parse().unwrap();
    let q = DirectoryQuery::all()
        .kinds([MemberKind::Platform])
        .countries([ke])
        .page(0, 100);
    assert_eq!(ids(&d, &c, &q), ["bridge-work", "chain-gig", "fundi-fix"]);
    let pre_seed_investors = DirectoryQuery::all()
        .kinds([MemberKind::Investor])
        .stages([Stage::PreSeed])
        .page(0, 100);
    // Investors serving pre-seed: not Harambee (seed and series A), nor Baobab (growth).
    assert_eq!(
        ids(&d, &c, &pre_seed_investors),
        ["quiet-capital", "savanna-angels"]
    );
    let offers = DirectoryQuery::text("")
        .offers(["worker-vetting"])
        .page(0, 100);
    assert_eq!(
        ids(&d, &c, &offers),
        ["chain-gig", "safari-riders", "scale-hire"]
    );
    let refugees = DirectoryQuery::all()
        .cops(["jobtech-for-refugees"])
        .page(0, 100);
    assert_eq!(ids(&d, &c, &refugees).len(), 4);
    let french = DirectoryQuery::all()
        .languages(["fr".parse().unwrap()])
        .page(0, 100);
    assert_eq!(ids(&d, &c, &french), ["maya-advisory", "soko-mama"]);
}

#[test]
fn a_member_who_opted_out_is_never_listed() {
    let engine = Engine::new(common::small(), MatchWeights::default()).unwrap();
    let c = engine.community();
    let i = c.resolve("umoja-insurance").unwrap();
    let mut record: MemberRecord = c.to_records().members.remove(i.index());
    record.consent = ConsentRecord {
        directory: Some(false),
        ..ConsentRecord::default()
    };
    let (engine, _) = engine
        .apply(&[Change::PutMember { member: record }])
        .unwrap();
    let c = engine.community();
    let d = Directory::new(c);
    assert_eq!(d.len(), 29);
    for q in [
        DirectoryQuery::text("umoja insurance"),
        DirectoryQuery::text("micro insurance").page(0, 100),
        DirectoryQuery::all()
            .kinds([MemberKind::Corporate])
            .page(0, 100),
        DirectoryQuery::all().page(0, 1000),
    ] {
        assert!(
            !ids(&d, c, &q).contains(&"umoja-insurance".to_owned()),
            "{q:?}"
        );
    }
}

#[test]
fn pages_cover_the_results_once_in_order() {
    let c = common::sample_1500();
    let d = Directory::new(&c);
    for text in ["", "platform", "fintech seed"] {
        let all = d
            .search(&c, &DirectoryQuery::text(text).page(0, 1000))
            .unwrap();
        let mut paged = Vec::new();
        for offset in (0..all.results.len()).step_by(37) {
            let page = d
                .search(&c, &DirectoryQuery::text(text).page(offset, 37))
                .unwrap();
            assert_eq!(page.total, all.total);
            paged.extend(page.results);
        }
        paged.truncate(all.results.len());
        assert_eq!(paged, all.results, "{text}");
    }
    assert!(d.search(&c, &DirectoryQuery::all().page(0, 0)).is_err());
    assert!(
        d.search(&c, &DirectoryQuery::text("x".repeat(2000)))
            .is_err()
    );
}

#[test]
fn the_json_contract_of_a_page() {
    let c = common::small();
    let d = Directory::new(&c);
    let json =
        serde_json::to_value(d.search(&c, &DirectoryQuery::text("FundiFix")).unwrap()).unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["results"][0]["member"], "fundi-fix");
    assert_eq!(json["results"][0]["name"], "FundiFix");
    assert!(json["results"][0]["score"].is_number());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Without text, the directory lists exactly the members a plain scan of the filters
    /// admits, by name then id.
    #[test]
    fn filters_match_a_plain_scan(kind in 0usize..8, stage in 0usize..7, country in 0usize..6) {
        let c = common::small();
        let d = Directory::new(&c);
        let kinds: Vec<MemberKind> = MemberKind::ALL.get(kind).copied().into_iter().collect();
        let stages: Vec<Stage> = Stage::ALL.get(stage).copied().into_iter().collect();
        let countries: Vec<Country> = ["KE", "NG", "ZA", "UG", "TZ"]
            .get(country)
            .map(|x| x.parse().unwrap())
            .into_iter()
            .collect();
        let q = DirectoryQuery::all()
            .kinds(kinds.clone())
            .stages(stages.clone())
            .countries(countries.clone())
            .page(0, 1000);
        let mut expected: Vec<(String, String)> = c
            .members()
            .filter(|m| kinds.is_empty() || kinds.contains(&m.kind()))
            .filter(|m| {
                stages.is_empty()
                    || m.stage().is_some_and(|s| stages.contains(&s))
                    || m.stage_focus().iter().any(|s| stages.contains(s))
            })
            .filter(|m| countries.is_empty() || countries.contains(&m.country()))
            .map(|m| (m.name().to_lowercase(), m.id().to_owned()))
            .collect();
        expected.sort();
        let expected: Vec<String> = expected.into_iter().map(|e| e.1).collect();
        prop_assert_eq!(ids(&d, &c, &q), expected);
    }

    /// Any member is found by its exact name, and by its name with one letter dropped from
    /// a word of five letters or more.
    #[test]
    fn every_member_is_found_by_its_name(i in 0usize..30, typo in any::<bool>()) {
        let c = common::small();
        let d = Directory::new(&c);
        let m = c.members().nth(i).unwrap();
        let mut name = m.name().to_owned();
        if typo {
            if let Some(w) = name.split(' ').find(|w| w.len() >= 5 && w.is_ascii()) {
                let cut: String = w[..2].to_owned() + &w[3..];
                name = name.replacen(w, &cut, 1);
            }
        }
        let found = ids(&d, &c, &DirectoryQuery::text(&name).page(0, 1000));
        prop_assert!(found.contains(&m.id().to_owned()), "{} not found by {:?}: {:?}", m.id(), name, found);
    }
}

#[test]
fn the_directory_program_searches_and_refuses_unknown_filters() {
    let (code, out, err) = common::run_example(
        "directory",
        &[
            "--community",
            "data/small.json",
            "--query",
            "micro insurence",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["total"], 4);
    assert_eq!(json["results"][0]["member"], "umoja-insurance");
    let (code, out, err) = common::run_example(
        "directory",
        &[
            "--community",
            "data/small.json",
            "--kind",
            "investor",
            "--stage",
            "pre-seed",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("2 members found"), "{out}");
    let (code, out, err) = common::run_example(
        "directory",
        &[
            "--community",
            "data/small.json",
            "--region",
            "Eastern Africa",
            "--stage",
            "seed",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("4 members found"), "{out}");
    let (code, _, err) = common::run_example(
        "directory",
        &[
            "--community",
            "data/small.json",
            "--region",
            "eastern-afrika",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `eastern-africa`?"), "{err}");
    let (code, _, err) = common::run_example(
        "directory",
        &["--community", "data/small.json", "--kind", "platfrom"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `platform`?"), "{err}");
}
