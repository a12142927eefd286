//! The change-set decoder and `Engine::apply` on arbitrary JSON, over the small community: a
//! batch either applies (and the result answers as a rebuild from its records does) or is
//! refused with problems, leaving the engine as it was. This is what the service's write
//! endpoints feed the library.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pollinate::{Change, Community, Engine, ErrorKind, MatchWeights, Query, Taxonomy};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let text = include_str!("../../data/small.json");
    let community = Community::from_json_str(text, Taxonomy::jobtech()).unwrap();
    Engine::new(community, MatchWeights::default()).unwrap()
});

fuzz_target!(|data: &[u8]| {
    let Ok(changes) = serde_json::from_slice::<Vec<Change>>(data) else {
        return;
    };
    match ENGINE.apply(&changes) {
        Ok((engine, effects)) => {
            assert_eq!(effects.len(), changes.len());
            let json = engine.community().to_json_string();
            let rebuilt = Community::from_json_str(&json, Taxonomy::jobtech())
                .expect("an applied community's JSON loads");
            let rebuilt = Engine::new(rebuilt, MatchWeights::default()).unwrap();
            let q = Query::top(5);
            for id in engine.community().members().map(|m| m.id().to_owned()).take(8) {
                let a = engine.recommend(engine.community().resolve(&id).unwrap(), &q).unwrap();
                let b = rebuilt.recommend(rebuilt.community().resolve(&id).unwrap(), &q).unwrap();
                let ids = |r: &pollinate::Recommendations| -> Vec<String> {
                    r.items.iter().map(|x| x.candidate.id().to_owned()).collect()
                };
                assert_eq!(ids(&a), ids(&b), "applied and rebuilt differ for {id}");
            }
        }
        Err(err) => {
            if let ErrorKind::Invalid { problems, .. } = err.kind() {
                assert!(!problems.is_empty());
            }
        }
    }
});
