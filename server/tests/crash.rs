//! Durability: acknowledged writes survive SIGKILL, and a torn journal tail is reported and
//! dropped at the next start. Runs the real binary.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/small.json");

/// Starts the binary on a free loopback port; returns the process and its base URL.
fn spawn(data: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pollinate-server"))
        .args([
            "--community",
            SMALL,
            "--addr",
            "127.0.0.1:0",
            "--compact-every",
            "7",
        ])
        .arg("--data")
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, base)
}

async fn get(client: &Client, url: String) -> Value {
    client.get(url).send().await.unwrap().json().await.unwrap()
}

async fn health(client: &Client, base: &str) -> Value {
    get(client, format!("{base}/health")).await
}

fn member(id: &str) -> Value {
    json!({
        "name": id, "kind": "platform", "country": "KE",
        "verticals": ["home-technical-services"], "stage": "seed",
        "offers": ["artisan-training"], "needs": ["worker-vetting"]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_and_a_torn_tail_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let client = Client::new();
    let (mut server, base) = spawn(dir.path());

    // Twenty-one acknowledged writes of every kind, with compactions between them.
    let mut writes: Vec<(reqwest::Method, String, Value)> = Vec::new();
    for i in 0..10 {
        let id = format!("crash-{i}");
        writes.push((reqwest::Method::PUT, format!("/members/{id}"), member(&id)));
    }
    for i in 1..10 {
        let tie = json!({"a": "crash-0", "b": format!("crash-{i}"), "strength": 0.5});
        writes.push((reqwest::Method::POST, "/connections".into(), tie));
    }
    let took = json!({"member": "soko-mama", "resource": "pre-seed-fundraising-guide"});
    writes.push((reqwest::Method::POST, "/consumed".into(), took));
    let intro = json!({"a": "crash-1", "b": "fundi-fix", "id": "kept"});
    writes.push((reqwest::Method::POST, "/introductions".into(), intro));
    let mut acknowledged = 0;
    for (method, path, body) in writes {
        let resp = client
            .request(method, format!("{base}{path}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED, "{path}");
        acknowledged += 1;
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();

    let (mut server, base) = spawn(dir.path());
    let h = health(&client, &base).await;
    assert_eq!(h["seq"], acknowledged, "{h}");
    assert_eq!(h["members"], 40);
    assert!(h["recovery"]["torn_tail"].is_null());
    let intros = get(&client, format!("{base}/introductions?member=crash-1")).await;
    assert_eq!(intros["introductions"][0]["id"], "kept");
    // crash-0's ties keep its contacts out of its list.
    let recs = get(
        &client,
        format!("{base}/members/crash-0/recommendations?top=50"),
    )
    .await;
    let candidates: Vec<&str> = recs["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["candidate"].as_str().unwrap())
        .collect();
    assert!(
        !candidates.iter().any(|c| c.starts_with("crash-")),
        "{candidates:?}"
    );
    // The learning catalogue survived the compactions, with the consumption recorded: the
    // first-raise journey SokoMama had started is now done, and its last step is not offered.
    let learning = get(&client, format!("{base}/members/soko-mama/learning?top=20")).await;
    let journeys = learning["journeys"].as_array().unwrap();
    assert!(!journeys.is_empty(), "{learning}");
    assert!(
        journeys.iter().all(|j| j["journey"] != "first-raise"),
        "{learning}"
    );
    let resources = learning["resources"].as_array().unwrap();
    assert!(
        resources
            .iter()
            .all(|r| r["resource"] != "pre-seed-fundraising-guide"),
        "{learning}"
    );
    server.kill().unwrap();
    server.wait().unwrap();

    // A crash mid-append: half a line at the end of the newest segment.
    let newest = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .max()
        .unwrap();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&newest)
        .unwrap();
    f.write_all(b"1234abcd {\"seq\": 99, \"changes\": [{\"change\": \"remove-m")
        .unwrap();
    drop(f);

    let (mut server, base) = spawn(dir.path());
    let h = health(&client, &base).await;
    assert_eq!(h["seq"], acknowledged, "{h}");
    let torn = &h["recovery"]["torn_tail"];
    assert!(!torn.is_null(), "{h}");
    assert_eq!(
        torn["reason"],
        "no newline at the end: the write was cut short"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    let mut log = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().unwrap(), &mut log).unwrap();
    assert!(log.contains("dropped a torn journal tail"), "{log}");
}

#[test]
fn a_corrupt_middle_line_stops_the_start_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let segment = dir.path().join("journal-00000001.log");
    std::fs::copy(SMALL, dir.path().join("snapshot-0000000000000000.json")).unwrap();
    std::fs::write(&segment, "00000000 {}\n00000000 {}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pollinate-server"))
        .args(["--addr", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("journal-00000001.log:1: checksum mismatch"),
        "{err}"
    );
}
