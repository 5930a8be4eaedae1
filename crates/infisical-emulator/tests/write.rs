//! Creating, updating and deleting secrets, one at a time and in batches (approvals:
//! `approvals.rs`).

mod common;

use common::{as_caller, setup};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::{json, Value};

fn keys(v: &Value) -> Vec<String> {
    v["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["secretKey"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn single_writes_v4() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let body = json!({"projectId": p, "environment": "dev", "secretValue": "  hello  ", "secretComment": "c"});
    let r = as_caller(&emu, &t).post("/api/v4/secrets/NEW", body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    let s = r.json()["secret"].clone();
    assert_eq!(s["secretKey"], "NEW");
    assert_eq!(
        s["secretValue"], "hello",
        "values are trimmed like the server does"
    );
    assert_eq!(s["secretComment"], "c");
    assert_eq!(s["version"], 1);
    assert!(s.get("secretPath").is_none());
    assert_eq!(
        emu.secret_value(&p, "dev", "/", "NEW").as_deref(),
        Some("hello")
    );

    let r = as_caller(&emu, &t).post("/api/v4/secrets/NEW", body.clone());
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["message"], "Secret already exist");

    // Writes need an existing folder.
    let r = as_caller(&emu, &t).post(
        "/api/v4/secrets/X",
        json!({"projectId": p, "environment": "dev", "secretPath": "/nope", "secretValue": "v"}),
    );
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "Create secret");

    // PATCH answers echo the request (secretValue absent -> ""), the store keeps the value.
    let r = as_caller(&emu, &t).patch(
        "/api/v4/secrets/NEW",
        json!({"projectId": p, "environment": "dev", "secretComment": "changed"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let s = r.json()["secret"].clone();
    assert_eq!(s["version"], 2);
    assert_eq!(s["secretValue"], "");
    assert_eq!(s["secretComment"], "changed");
    assert_eq!(s["secretValueHidden"], false);
    assert_eq!(
        emu.secret_value(&p, "dev", "/", "NEW").as_deref(),
        Some("hello")
    );

    let r = as_caller(&emu, &t).patch("/api/v4/secrets/NEW", json!({"projectId": p, "environment": "dev", "secretValue": "v3", "newSecretName": "RENAMED"}));
    assert_eq!(r.json()["secret"]["secretKey"], "RENAMED");
    assert_eq!(
        emu.secret_value(&p, "dev", "/", "RENAMED").as_deref(),
        Some("v3")
    );

    let r = as_caller(&emu, &t).patch(
        "/api/v4/secrets/NEW",
        json!({"projectId": p, "environment": "dev", "secretValue": "x"}),
    );
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["message"], "Secret not found");

    let r = as_caller(&emu, &t).delete(
        "/api/v4/secrets/RENAMED",
        json!({"projectId": p, "environment": "dev"}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["secret"]["secretValue"], "v3");
    assert_eq!(emu.secret_value(&p, "dev", "/", "RENAMED"), None);
    let r = as_caller(&emu, &t).delete(
        "/api/v4/secrets/RENAMED",
        json!({"projectId": p, "environment": "dev"}),
    );
    assert_eq!(r.status, 404);
}

#[test]
fn single_writes_v3() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    emu.create_folder(&p, "dev", "/app");
    let r = as_caller(&emu, &t).post(
        "/api/v3/secrets/raw/K",
        json!({"workspaceId": p, "environment": "dev", "secretPath": "/app", "secretValue": "v"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["secret"]["workspace"], json!(p));

    // October 2024 v3 PATCH requires secretValue (401 ValidationFailure on that generation).
    let r = as_caller(&emu, &t).patch(
        "/api/v3/secrets/raw/K",
        json!({"workspaceId": p, "environment": "dev", "secretPath": "/app"}),
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["message"][0]["path"], json!(["secretValue"]));

    let r = as_caller(&emu, &t).patch(
        "/api/v3/secrets/raw/K",
        json!({"workspaceId": p, "environment": "dev", "secretPath": "/app", "secretValue": "w"}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["secret"]["version"], 2);

    // Missing workspaceId is a validation failure (wrong type too).
    let r = as_caller(&emu, &t).delete("/api/v3/secrets/raw/K", json!({"environment": 3}));
    assert_eq!(r.status, 401);
    let issues = r.json()["message"].as_array().unwrap().clone();
    assert_eq!(issues.len(), 2);

    let r = as_caller(&emu, &t).delete(
        "/api/v3/secrets/raw/K",
        json!({"workspaceId": p, "environment": "dev", "secretPath": "/app"}),
    );
    assert_eq!(r.status, 200);

    // Machine identities cannot write personal secrets.
    let r = as_caller(&emu, &t).post(
        "/api/v3/secrets/raw/P",
        json!({"workspaceId": p, "environment": "dev", "secretValue": "v", "type": "personal"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["message"],
        "Must be user to create personal secret"
    );
}

#[test]
fn batch_create_is_atomic() {
    for (base, pid) in [
        ("/api/v4/secrets/batch", "projectId"),
        ("/api/v3/secrets/batch/raw", "workspaceId"),
    ] {
        let emu = Emulator::start();
        let (p, t) = setup(&emu);
        emu.set_secret(&p, "dev", "/", "EXISTS", "e");
        let r = as_caller(&emu, &t).post(
            base,
            json!({pid: p, "environment": "dev", "secrets": [
                {"secretKey": "A", "secretValue": "1"},
                {"secretKey": "EXISTS", "secretValue": "2"}
            ]}),
        );
        assert_eq!(r.status, 400);
        assert_eq!(r.json()["message"], "Secret already exist: EXISTS");
        assert_eq!(emu.secret_value(&p, "dev", "/", "A"), None);

        let r = as_caller(&emu, &t).post(
            base,
            json!({pid: p, "environment": "dev", "secretPath": "/", "secrets": [
                {"secretKey": "A", "secretValue": "1"},
                {"secretKey": "B", "secretValue": "2", "secretComment": "b"}
            ]}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(keys(&r.json()), vec!["A", "B"]);

        let r =
            as_caller(&emu, &t).post(base, json!({pid: p, "environment": "dev", "secrets": []}));
        assert_eq!(r.status, 422);
        assert_eq!(r.json()["message"][0]["code"], "too_small");
    }
}

#[test]
fn batch_update_modes() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/", "A", "1");
    let body = |mode: Option<&str>| {
        let mut b = json!({"projectId": p, "environment": "dev", "secrets": [
            {"secretKey": "A", "secretValue": "a2"},
            {"secretKey": "MISSING", "secretValue": "m"}
        ]});
        if let Some(m) = mode {
            b["mode"] = json!(m);
        }
        b
    };
    let r = as_caller(&emu, &t).patch("/api/v4/secrets/batch", body(None).clone());
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json()["message"],
        "Secret does not exist: MISSING in path /"
    );
    assert_eq!(emu.secret_value(&p, "dev", "/", "A").as_deref(), Some("1"));

    let r = as_caller(&emu, &t).patch("/api/v4/secrets/batch", body(Some("ignore")).clone());
    assert_eq!(r.status, 200);
    assert_eq!(keys(&r.json()), vec!["A"]);
    assert_eq!(r.json()["secrets"][0]["version"], 2);
    assert_eq!(emu.secret_value(&p, "dev", "/", "MISSING"), None);

    let r = as_caller(&emu, &t).patch("/api/v4/secrets/batch", body(Some("upsert")).clone());
    assert_eq!(r.status, 200);
    assert_eq!(keys(&r.json()), vec!["A", "MISSING"]);
    assert_eq!(
        emu.secret_value(&p, "dev", "/", "MISSING").as_deref(),
        Some("m")
    );
    assert_eq!(r.json()["secrets"][1]["version"], 1);

    let r = as_caller(&emu, &t).patch("/api/v4/secrets/batch", body(Some("sometimes")).clone());
    assert_eq!(r.status, 422);
}

#[test]
fn v3_batch_update_fails_on_missing_and_batch_delete() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/", "A", "1");
    emu.set_secret(&p, "dev", "/", "B", "2");
    let r = as_caller(&emu, &t).patch(
        "/api/v3/secrets/batch/raw",
        json!({"workspaceId": p, "environment": "dev", "mode": "upsert", "secrets": [
            {"secretKey": "A", "secretValue": "x"}, {"secretKey": "C", "secretValue": "y"}
        ]}),
    );
    assert_eq!(r.status, 404);
    assert_eq!(emu.secret_value(&p, "dev", "/", "C"), None);

    let r = as_caller(&emu, &t).delete("/api/v3/secrets/batch/raw", json!({"workspaceId": p, "environment": "dev", "secrets": [{"secretKey": "A"}, {"secretKey": "C"}]}));
    assert_eq!(r.status, 404);
    assert_eq!(emu.secret_value(&p, "dev", "/", "A").as_deref(), Some("1"));

    let r = as_caller(&emu, &t).delete("/api/v3/secrets/batch/raw", json!({"workspaceId": p, "environment": "dev", "secrets": [{"secretKey": "A"}, {"secretKey": "B"}]}));
    assert_eq!(r.status, 200);
    assert_eq!(keys(&r.json()), vec!["A", "B"]);
    assert_eq!(emu.secret_value(&p, "dev", "/", "B"), None);

    let r = as_caller(&emu, &t).post(
        "/api/v3/secrets/batch/raw",
        json!({"environment": "dev", "secrets": [{"secretKey": "A", "secretValue": "1"}]}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["message"],
        "Must provide either project slug or projectId"
    );
}

#[test]
fn unparseable_json_is_a_500() {
    let emu = Emulator::start();
    let (_, t) = setup(&emu);
    let mut stream = std::net::TcpStream::connect(emu.addr()).unwrap();
    use std::io::{Read, Write};
    let body = "{not json";
    write!(
        stream,
        "POST /api/v4/secrets/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {t}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 500"), "{out}");
    assert!(out.contains("Something went wrong"));
}

#[test]
fn modern_v3_patch_accepts_a_missing_value() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/", "K", "v");
    let r = as_caller(&emu, &t).patch(
        "/api/v3/secrets/raw/K",
        json!({"workspaceId": p, "environment": "dev", "skipMultilineEncoding": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["secret"]["skipMultilineEncoding"], true);
    assert!(r.json()["secret"].get("secretValueHidden").is_none());
    assert_eq!(emu.secret_version(&p, "dev", "/", "K"), Some(2));
}
