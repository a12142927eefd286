//! The HTTP contract, driven over a real socket on 127.0.0.1 with a real HTTP client.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use pollinate::MatchWeights;
use pollinate_server::{AppState, Settings, Store, router, serve};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/small.json");

struct Server {
    base: String,
    client: Client,
    _dir: tempfile::TempDir,
}

/// Starts the service on `127.0.0.1:0` over a fresh data folder seeded with `data/small.json`.
async fn start(settings: Settings) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        dir.path(),
        Some(Path::new(SMALL)),
        MatchWeights::default(),
        3,
    )
    .unwrap();
    let limit = settings.timeout;
    let app = router(Arc::new(AppState::new(store, settings)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, app, limit, limit, std::future::pending()));
    Server {
        base: format!("http://{addr}"),
        client: Client::new(),
        _dir: dir,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(&self, method: &str, path: &str, body: Option<&str>) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.client.request(method, self.url(path));
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        (status, value)
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send("GET", path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send("POST", path, Some(&body.to_string())).await
    }

    async fn top(&self, member: &str) -> Vec<String> {
        let (status, body) = self
            .get(&format!("/members/{member}/recommendations?top=30"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["candidate"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn new_member(id: &str) -> Value {
    json!({
        "id": id, "name": "Kazi Plumbers", "kind": "platform", "country": "KE",
        "verticals": ["home-technical-services"], "stage": "pre-seed",
        "offers": ["artisan-training"], "needs": ["worker-vetting", "fundraising"],
        "languages": ["en"]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_recommendations_match_the_library() {
    let s = start(Settings::default()).await;
    let (status, health) = s.get("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["members"], 30);

    let (status, body) = s.get("/members/fundi-fix/recommendations?top=3").await;
    assert_eq!(status, StatusCode::OK);
    // The same object `recommend --format json` prints for one member.
    let engine = pollinate::Engine::new(
        pollinate::Community::load(SMALL).unwrap(),
        MatchWeights::default(),
    )
    .unwrap();
    let fundi = engine.community().resolve("fundi-fix").unwrap();
    let expected = engine.recommend(fundi, &pollinate::Query::top(3)).unwrap();
    let expected: Value = serde_json::from_str(&serde_json::to_string(&expected).unwrap()).unwrap();
    assert_eq!(body, expected);
    // Pre-seed fundraising goes to the pre-seed investor.
    assert_eq!(body["recommendations"][0]["candidate"], "savanna-angels");

    let (status, _) = s.get("/members/fundi-fix/recommendations").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ids_and_bad_queries_are_reported() {
    let s = start(Settings::default()).await;
    let (status, body) = s.get("/members/fundi-fx/recommendations").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "unknown member `fundi-fx`");
    assert_eq!(body["suggestion"], "fundi-fix");

    for query in ["top=0", "top=abc", "top=100000", "bogus=1"] {
        let (status, body) = s
            .get(&format!("/members/fundi-fix/recommendations?{query}"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert!(body["error"].is_string());
    }
    let (status, body) = s.get("/no/such/path").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "no such endpoint");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_added_updated_and_erased() {
    let s = start(Settings::default()).await;
    let body = new_member("kazi-plumbers").to_string();
    let (status, reply) = s.send("PUT", "/members/kazi-plumbers", Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert!(
        s.top("kazi-plumbers")
            .await
            .contains(&"safari-riders".to_owned())
    );

    let mut updated = new_member("kazi-plumbers");
    updated["stage"] = json!("seed");
    let (status, _) = s
        .send("PUT", "/members/kazi-plumbers", Some(&updated.to_string()))
        .await;
    assert_eq!(status, StatusCode::OK);

    // The id may be left out of the body; one that differs from the path is refused.
    let mut no_id = new_member("x");
    no_id.as_object_mut().unwrap().remove("id");
    let (status, _) = s
        .send("PUT", "/members/no-id-given", Some(&no_id.to_string()))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, reply) = s
        .send(
            "PUT",
            "/members/one",
            Some(&new_member("other").to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply["problems"][0]["field"], "id");

    let (status, reply) = s.send("DELETE", "/members/kazi-plumbers", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{reply}");
    assert!(
        !s.top("fundi-fix")
            .await
            .contains(&"kazi-plumbers".to_owned())
    );
    let (status, _) = s.get("/members/kazi-plumbers/recommendations").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.send("DELETE", "/members/kazi-plumbers", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_member_lists_every_problem_and_changes_nothing() {
    let s = start(Settings::default()).await;
    let bad = json!({
        "kind": "platfrom", "country": "XX", "verticals": ["taxi"], "stage": 3, "bogus": true
    });
    let (status, reply) = s
        .send("PUT", "/members/broken", Some(&bad.to_string()))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    let problems = reply["problems"].as_array().unwrap();
    let fields: Vec<&str> = problems
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    for field in ["kind", "country", "verticals", "stage", "bogus"] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    let kind = problems.iter().find(|p| p["field"] == "kind").unwrap();
    assert_eq!(kind["suggestion"], "platform");
    assert_eq!(kind["value"], "platfrom");
    let (status, _) = s.get("/members/broken/recommendations").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, health) = s.get("/health").await;
    assert_eq!(
        (health["members"].as_u64(), health["seq"].as_u64()),
        (Some(30), Some(0))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ties_and_blocks_change_recommendations() {
    let s = start(Settings::default()).await;
    let (status, reply) = s
        .post(
            "/connections",
            json!({"a": "fundi-fix", "b": "verify-me", "strength": 0.7}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!(reply[0]["effect"], "tie-added");
    assert!(!s.top("fundi-fix").await.contains(&"verify-me".to_owned()));
    let (status, _) = s
        .send("DELETE", "/connections/fundi-fix/verify-me", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(s.top("fundi-fix").await.contains(&"verify-me".to_owned()));

    let (status, reply) = s
        .post(
            "/connections",
            json!({"a": "fundi-fix", "b": "nobody", "strength": 0.7}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply["problems"][0]["field"], "b");
    let (status, _) = s
        .post(
            "/connections",
            json!({"a": "fundi-fix", "b": "verify-me", "strength": 7}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = s
        .send("DELETE", "/connections/fundi-fix/verify-me", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _) = s
        .post("/blocked", json!({"a": "fundi-fix", "b": "safari-riders"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(
        !s.top("fundi-fix")
            .await
            .contains(&"safari-riders".to_owned())
    );
    assert!(
        !s.top("safari-riders")
            .await
            .contains(&"fundi-fix".to_owned())
    );
    let (status, _) = s
        .send("DELETE", "/blocked/fundi-fix/safari-riders", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        s.top("fundi-fix")
            .await
            .contains(&"safari-riders".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn introductions_go_through_double_opt_in() {
    let s = start(Settings::default()).await;
    let (status, intro) = s
        .post(
            "/introductions",
            json!({"a": "fundi-fix", "b": "safari-riders"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{intro}");
    assert_eq!(intro["status"], "proposed");
    let id = intro["id"].as_str().unwrap().to_owned();
    let events = format!("/introductions/{id}/events");

    // Introduced before both accepted: refused, and nothing changes.
    let (status, reply) = s.post(&events, json!({"event": "introduced"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    let (status, reply) = s
        .post(&events, json!({"event": "accepted", "member": "fundi-fix"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["status"], "accepted");
    let (status, _) = s
        .post(
            &events,
            json!({"event": "accepted", "member": "safari-riders"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, reply) = s.post(&events, json!({"event": "introduced"})).await;
    assert_eq!(reply["status"], "introduced");
    let (_, reply) = s
        .post(&events, json!({"event": "met", "date": "2026-12-01"}))
        .await;
    assert_eq!(reply["status"], "met");
    assert_eq!(reply["events"].as_array().unwrap().len(), 5);

    let (status, reply) = s.post(&events, json!({"event": "acepted"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply["problems"][0]["suggestion"], "accepted");
    let (status, _) = s
        .post("/introductions/nope/events", json!({"event": "met"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, list) = s.get("/introductions?member=safari-riders").await;
    assert_eq!(status, StatusCode::OK);
    let listed = list["introductions"].as_array().unwrap();
    assert!(
        listed
            .iter()
            .any(|i| i["id"] == id.as_str() && i["status"] == "met")
    );
    // A met introduction leaves the pair out of both lists.
    assert!(
        !s.top("fundi-fix")
            .await
            .contains(&"safari-riders".to_owned())
    );

    let (status, _) = s.get("/introductions?member=nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.get("/introductions").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_plans_and_proposes_only_when_asked() {
    let s = start(Settings::default()).await;
    let (status, reply) = s.send("POST", "/rounds", None).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let planned = reply["round"]["introductions"].as_array().unwrap().len();
    assert!(planned > 0);
    assert_eq!(reply["proposed"].as_array().unwrap().len(), 0);
    let (_, health) = s.get("/health").await;
    assert_eq!(health["seq"], 0, "planning alone writes nothing");

    let (status, reply) = s
        .post("/rounds", json!({"default_max_intros": 1, "propose": true}))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let proposed = reply["proposed"].as_array().unwrap();
    assert_eq!(
        proposed.len(),
        reply["round"]["introductions"].as_array().unwrap().len()
    );
    let first = &reply["round"]["introductions"][0];
    let (_, list) = s
        .get(&format!(
            "/introductions?member={}",
            first["a"].as_str().unwrap()
        ))
        .await;
    assert!(
        list["introductions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["status"] == "proposed")
    );

    let (status, _) = s.post("/rounds", json!({"min_score": "high"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_bodies_are_refused() {
    let s = start(Settings {
        max_body: 4096,
        ..Settings::default()
    })
    .await;
    for body in [
        "{\"a\": ",
        "[1, 2]",
        "{\"a\": 1, \"b\": \"x\"}",
        "\u{0}\u{1}",
        "{\"a\":\"x\",\"b\":\"y\",\"c\":1}",
    ] {
        let (status, reply) = s.send("POST", "/connections", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}: {reply}");
        assert!(reply["error"].as_str().unwrap().starts_with("request body"));
    }
    let (status, _) = s.send("PUT", "/members/x", Some("not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let big = format!("{{\"a\": \"{}\", \"b\": \"y\"}}", "x".repeat(10_000));
    let (status, reply) = s.send("POST", "/connections", Some(&big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{reply}");
    // The service still answers afterwards.
    assert_eq!(s.get("/health").await.0, StatusCode::OK);
}

/// Sends `bytes` and stalls, against a service with a 300 ms time limit; what came back
/// before the server closed the connection, or `None` if it did not within 5 s.
async fn stalled(bytes: &[u8]) -> (Server, Option<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = start(Settings {
        timeout: Duration::from_millis(300),
        ..Settings::default()
    })
    .await;
    let addr = s.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let mut reply = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut reply)).await;
    let reply = read
        .ok()
        .map(|_| String::from_utf8_lossy(&reply).into_owned());
    (s, reply)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_times_out_instead_of_hanging() {
    let (_, reply) = stalled(b"POST /blocked HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"a\"").await;
    let reply = reply.expect("the server answers within the time limit");
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_headers_are_cut_off() {
    let (s, reply) = stalled(b"GET /health HTTP/1.1\r\nhost: x\r\n").await;
    assert!(
        reply.is_some(),
        "the connection is closed within the header time limit"
    );
    // Other clients are served meanwhile and after.
    assert_eq!(s.get("/health").await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_need_the_token_when_one_is_set() {
    let s = start(Settings {
        token: Some("s3cret".into()),
        ..Settings::default()
    })
    .await;
    let block = json!({"a": "fundi-fix", "b": "safari-riders"}).to_string();
    let (status, reply) = s.send("POST", "/blocked", Some(&block)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{reply}");
    let resp = s
        .client
        .post(s.url("/blocked"))
        .header("authorization", "Bearer wrong")
        .body(block.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = s
        .client
        .post(s.url("/blocked"))
        .bearer_auth("s3cret")
        .body(block)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    // Reads need no token.
    assert_eq!(
        s.get("/members/fundi-fix/recommendations").await.0,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learning_lists_follow_the_catalogue_and_the_member() {
    let s = start(Settings::default()).await;
    let (status, list) = s.get("/members/domestic-voice/learning?top=3").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["member"], "domestic-voice");
    assert_eq!(
        list["resources"][0]["resource"],
        "pre-seed-fundraising-guide"
    );
    assert!(list["journeys"][0]["next"].is_string());
    let (status, body) = s.get("/members/domestic-voic/learning").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["suggestion"], "domestic-voice");
    let (status, _) = s.get("/members/domestic-voice/learning?top=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A member added now gets a list at once (the view follows the live community).
    let (status, _) = s
        .send(
            "PUT",
            "/members/kazi-plumbers",
            Some(&new_member("kazi-plumbers").to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, list) = s.get("/members/kazi-plumbers/learning").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(!list["resources"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_searches_filters_and_follows_changes() {
    let s = start(Settings::default()).await;
    let (status, page) = s.get("/directory?q=micro%20insurence").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 4);
    assert_eq!(page["results"][0]["member"], "umoja-insurance");
    let (status, page) = s.get("/directory?kind=platform&country=KE&limit=100").await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["member"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["bridge-work", "chain-gig", "fundi-fix"]);
    let (status, body) = s.get("/directory?kind=platfrom").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["suggestion"], "platform");
    let (status, body) = s.get("/directory?region=eastern-afrika").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["suggestion"], "eastern-africa");
    let (status, page) = s.get("/directory?region=eastern-africa&stage=seed").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 4);
    let (status, _) = s.get("/directory?limit=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = s.get("/directory?nonsense=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // An erased member leaves the directory at once.
    let (status, _) = s.send("DELETE", "/members/umoja-insurance", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, page) = s.get("/directory?q=umoja").await;
    assert_eq!(page["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recorded_consumption_moves_lists_and_journeys_on_at_once() {
    let s = start(Settings::default()).await;
    let (_, before) = s.get("/members/soko-mama/learning?top=10").await;
    assert_eq!(before["journeys"][0]["next"], "pre-seed-fundraising-guide");
    let (status, reply) = s
        .post(
            "/consumed",
            json!({"member": "soko-mama", "resource": "pre-seed-fundraising-guide", "rating": 5}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let (_, after) = s.get("/members/soko-mama/learning?top=10").await;
    let listed: Vec<&str> = after["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["resource"].as_str().unwrap())
        .collect();
    assert!(
        !listed.contains(&"pre-seed-fundraising-guide"),
        "{listed:?}"
    );
    // The first-raise journey is done: it leaves the list.
    assert!(
        after["journeys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|j| j["journey"] != "first-raise"),
        "{after}"
    );

    let (status, reply) = s
        .post(
            "/consumed",
            json!({"member": "soko-mama", "resource": "pre-seed-fundraising-guid"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply["problems"][0]["suggestion"],
        "pre-seed-fundraising-guide"
    );
    let (status, _) = s
        .post(
            "/consumed",
            json!({"member": "soko-mama", "resource": "seed-round-course", "rating": 9}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = s.post("/consumed", json!({"member": 3})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
