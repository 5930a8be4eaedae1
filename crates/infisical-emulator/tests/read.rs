//! Listing and getting secrets (v3 raw and v4), expansion, imports, and the route-not-found body.

mod common;

use common::{as_caller, send, setup};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::{json, Value};

fn list(emu: &Emulator, token: &str, query: &str) -> Value {
    let r = send(
        emu,
        "GET",
        &format!("/api/v4/secrets?{query}"),
        Some(token),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn values(v: &Value) -> Vec<(String, String)> {
    v["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["secretKey"].as_str().unwrap().to_string(),
                s["secretValue"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn v4_list_object_shape() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/", "A", "1");
    let v = list(&emu, &t, &format!("projectId={p}&environment=dev"));
    // Recorded: a newer server's v4 list always has `imports`.
    assert_eq!(v["imports"], json!([]));
    let s = &v["secrets"][0];
    let mut keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec![
            "_id",
            "createdAt",
            "environment",
            "id",
            "isRotatedSecret",
            "rotationId",
            "secretComment",
            "secretKey",
            "secretMetadata",
            "secretPath",
            "secretReminderNote",
            "secretReminderRepeatDays",
            "secretValue",
            "secretValueHidden",
            "skipMultilineEncoding",
            "tags",
            "type",
            "updatedAt",
            "version",
            "workspace"
        ]
    );
    assert_eq!(s["id"], s["_id"]);
    assert_eq!(s["workspace"], json!(p));
    assert_eq!(s["environment"], "dev");
    assert_eq!(s["version"], 1);
    assert_eq!(s["type"], "shared");
    assert_eq!(s["secretPath"], "/");
    assert_eq!(s["secretReminderNote"], Value::Null);
    assert_eq!(s["skipMultilineEncoding"], false);
    assert!(s["createdAt"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn v3_list_shape_and_errors() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/app", "A", "1");
    let r = as_caller(&emu, &t).get(&format!(
        "/api/v3/secrets/raw?workspaceId={p}&environment=dev&secretPath=/app/"
    ));
    assert_eq!(r.status, 200);
    let s = &r.json()["secrets"][0];
    assert_eq!(s["secretPath"], "/app");
    assert!(s.get("secretMetadata").is_none());
    assert!(s.get("secretValueHidden").is_none());

    let r = as_caller(&emu, &t).get("/api/v3/secrets/raw?environment=dev");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["message"], "Missing workspace id or environment");
    assert_eq!(r.json()["error"], "BadRequest");

    let r = as_caller(&emu, &t).get("/api/v4/secrets?environment=dev");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["message"], "Missing project id or environment");

    let r = as_caller(&emu, &t).get("/api/v4/secrets?projectId=nope&environment=dev");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "NotFound");

    // A folder (or environment) that does not exist lists nothing.
    let v = list(
        &emu,
        &t,
        &format!("projectId={p}&environment=dev&secretPath=/missing"),
    );
    assert_eq!(v, json!({"secrets": [], "imports": []}));
    let v = list(&emu, &t, &format!("projectId={p}&environment=qa"));
    assert_eq!(v["secrets"], json!([]));
    // The server matches folder paths literally: no leading slash, no folder.
    let v = list(
        &emu,
        &t,
        &format!("projectId={p}&environment=dev&secretPath=app"),
    );
    assert_eq!(v["secrets"], json!([]));

    // v3 accepts the project slug.
    let slug = emu.project_slug(&p);
    let r = as_caller(&emu, &t).get(&format!(
        "/api/v3/secrets/raw?workspaceSlug={slug}&environment=dev&secretPath=/app"
    ));
    assert_eq!(r.json()["secrets"][0]["secretKey"], "A");
}

#[test]
fn validation_failures_carry_an_array_message() {
    for (mode, status, route) in [
        (
            ServerMode::Modern,
            422,
            "/api/v4/secrets?projectId=x&environment=dev&recursive=yes",
        ),
        (
            ServerMode::Legacy,
            401,
            "/api/v3/secrets/raw?workspaceId=x&environment=dev&recursive=yes",
        ),
    ] {
        let emu = Emulator::builder().mode(mode).start();
        let (_, t) = setup(&emu);
        let r = as_caller(&emu, &t).get(route);
        assert_eq!(r.status, status);
        let v = r.json();
        assert_eq!(v["error"], "ValidationFailure");
        assert_eq!(v["message"][0]["code"], "invalid_enum_value");
        assert_eq!(v["message"][0]["path"], json!(["recursive"]));
        assert_eq!(v["message"][0]["options"], json!(["true", "false"]));
    }
}

#[test]
fn legacy_has_no_v4_routes() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    let target = format!("/api/v4/secrets?projectId={p}&environment=dev");
    let r = as_caller(&emu, &t).get(&target);
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json(),
        json!({"message": format!("Route GET:{target} not found"), "error": "Not Found", "statusCode": 404})
    );
    let r = as_caller(&emu, &t).post("/api/v4/secrets/batch", json!({}));
    assert_eq!(
        r.json()["message"],
        "Route POST:/api/v4/secrets/batch not found"
    );
    // v3 works.
    let r = as_caller(&emu, &t).get(&format!(
        "/api/v3/secrets/raw?workspaceId={p}&environment=dev"
    ));
    assert_eq!(r.status, 200);
}

#[test]
fn recursive_and_tag_filter() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/", "ROOT", "r");
    emu.set_secret(&p, "dev", "/app", "APP", "a");
    emu.set_secret(&p, "dev", "/app/db", "DB", "d");
    emu.set_secret(&p, "dev", "/other", "OTHER", "o");
    let v = list(
        &emu,
        &t,
        &format!("projectId={p}&environment=dev&secretPath=/app&recursive=true"),
    );
    let got: Vec<(String, String)> = v["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["secretKey"].as_str().unwrap().into(),
                s["secretPath"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("APP".into(), "/app".into()),
            ("DB".into(), "/app/db".into())
        ]
    );
    let v = list(
        &emu,
        &t,
        &format!("projectId={p}&environment=dev&recursive=true"),
    );
    assert_eq!(v["secrets"].as_array().unwrap().len(), 4);

    let tag = emu.create_tag(&p, "backend");
    let r = as_caller(&emu, &t).post(
        "/api/v4/secrets/TAGGED",
        json!({"projectId": p, "environment": "dev", "secretValue": "x", "tagIds": [tag]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = list(
        &emu,
        &t,
        &format!("projectId={p}&environment=dev&tagSlugs=backend,frontend"),
    );
    assert_eq!(values(&v), vec![("TAGGED".to_string(), "x".to_string())]);
    assert_eq!(
        v["secrets"][0]["tags"],
        json!([{"id": tag, "slug": "backend", "name": "backend", "color": null}])
    );
}

#[test]
fn expansion_local_cross_env_nested_cycles_and_unresolved() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "prod", "/app/db", "HOST", "db.prod");
    emu.set_secret(&p, "prod", "/", "PORT", "5432");
    emu.set_secret(&p, "dev", "/", "USER", "admin");
    emu.set_secret(&p, "dev", "/", "NESTED", "${USER}@${prod.app.db.HOST}");
    emu.set_secret(&p, "dev", "/", "URL", "pg://${NESTED}:${prod.PORT}/x");
    emu.set_secret(&p, "dev", "/", "CYCLE_A", "a${CYCLE_B}");
    emu.set_secret(&p, "dev", "/", "CYCLE_B", "b${CYCLE_A}");
    emu.set_secret(&p, "dev", "/", "MISSING", "x${NOPE}y");
    let v = list(
        &emu,
        &t,
        &format!("projectId={p}&environment=dev&expandSecretReferences=true"),
    );
    let got: std::collections::HashMap<String, String> = values(&v).into_iter().collect();
    assert_eq!(got["NESTED"], "admin@db.prod");
    assert_eq!(got["URL"], "pg://admin@db.prod:5432/x");
    assert_eq!(
        got["MISSING"], "x${NOPE}y",
        "unresolved references stay as written"
    );
    assert!(got["CYCLE_A"].starts_with("ab"), "{}", got["CYCLE_A"]);

    // Not expanded unless asked.
    let v = list(&emu, &t, &format!("projectId={p}&environment=dev"));
    let got: std::collections::HashMap<String, String> = values(&v).into_iter().collect();
    assert_eq!(got["URL"], "pg://${NESTED}:${prod.PORT}/x");

    // Get expands too.
    let r = as_caller(&emu, &t).get(&format!(
        "/api/v4/secrets/URL?projectId={p}&environment=dev&expandSecretReferences=true"
    ));
    assert_eq!(
        r.json()["secret"]["secretValue"],
        "pg://admin@db.prod:5432/x"
    );
}

#[test]
fn imports_in_lists_and_gets() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/shared", "COMMON", "c1");
    emu.set_secret(&p, "dev", "/shared", "REF", "${COMMON}!");
    emu.set_secret(&p, "prod", "/", "COMMON", "c2");
    emu.set_secret(&p, "dev", "/app", "OWN", "o");
    emu.add_import(&p, "dev", "/app", "dev", "/shared");
    emu.add_import(&p, "dev", "/app", "prod", "/");

    let v = list(
        &emu,
        &t,
        &format!("projectId={p}&environment=dev&secretPath=/app&include_imports=true"),
    );
    assert_eq!(values(&v), vec![("OWN".to_string(), "o".to_string())]);
    let imports = v["imports"].as_array().unwrap();
    assert_eq!(imports.len(), 2);
    assert_eq!(imports[0]["secretPath"], "/shared");
    assert_eq!(imports[0]["environment"], "dev");
    assert!(imports[0]["folderId"].is_string());
    assert_eq!(imports[1]["environment"], "prod");
    let first = &imports[0]["secrets"][0];
    assert_eq!(first["secretKey"], "COMMON");
    assert_eq!(first["workspace"], "");
    assert!(first.get("createdAt").is_none());
    assert_eq!(imports[0]["secrets"][1]["secretValue"], "${COMMON}!");

    let v = list(&emu, &t, &format!("projectId={p}&environment=dev&secretPath=/app&include_imports=true&expandSecretReferences=true"));
    assert_eq!(v["imports"][0]["secrets"][1]["secretValue"], "c1!");

    // Get looks through imports, later imports first.
    let base = format!("projectId={p}&environment=dev&secretPath=/app");
    let r = as_caller(&emu, &t).get(&format!(
        "/api/v4/secrets/COMMON?{base}&include_imports=true"
    ));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["secret"]["secretValue"], "c2");
    assert_eq!(r.json()["secret"]["environment"], "prod");
    let r = as_caller(&emu, &t).get(&format!("/api/v4/secrets/COMMON?{base}"));
    assert_eq!(r.status, 404);
}

#[test]
fn legacy_expands_imported_secrets_regardless() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/shared", "A", "1");
    emu.set_secret(&p, "dev", "/shared", "B", "${A}");
    emu.add_import(&p, "dev", "/", "dev", "/shared");
    let r = as_caller(&emu, &t).get(&format!(
        "/api/v3/secrets/raw?workspaceId={p}&environment=dev&include_imports=true"
    ));
    assert_eq!(r.json()["imports"][0]["secrets"][1]["secretValue"], "1");
}

#[test]
fn get_by_name_version_and_errors() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/", "K", "v1");
    emu.set_secret(&p, "dev", "/", "K", "v2");
    let base = format!("workspaceId={p}&environment=dev");
    let r = as_caller(&emu, &t).get(&format!("/api/v3/secrets/raw/K?{base}"));
    assert_eq!(r.status, 200);
    let s = r.json()["secret"].clone();
    assert_eq!(s["secretValue"], "v2");
    assert_eq!(s["version"], 2);
    assert!(s.get("secretPath").is_none(), "v3 get has no secretPath");
    let r = as_caller(&emu, &t).get(&format!("/api/v3/secrets/raw/K?{base}&version=1"));
    assert_eq!(r.json()["secret"]["secretValue"], "v1");
    assert_eq!(r.json()["secret"]["version"], 1);

    let r = as_caller(&emu, &t).get(&format!("/api/v3/secrets/raw/NOPE?{base}"));
    assert_eq!(r.status, 404);
    let v = r.json();
    // Newer servers name the secret (recorded on v4; v3 calls the same service).
    assert_eq!(v["message"], "Secret with name 'NOPE' not found");
    assert_eq!(v["error"], "NotFound");
    assert!(v["reqId"].is_string());

    let r = as_caller(&emu, &t).get(&format!("/api/v3/secrets/raw/K?{base}&type=personal"));
    assert_eq!(r.status, 404);

    let r = as_caller(&emu, &t).get(&format!("/api/v3/secrets/raw/K?{base}&secretPath=/nope"));
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json()["message"],
        "Folder not found for the given environment slug & secret path"
    );

    let r = as_caller(&emu, &t).get(&format!("/api/v4/secrets/K?projectId={p}&environment=dev"));
    let s = r.json()["secret"].clone();
    assert_eq!(s["secretPath"], "/");
    assert_eq!(s["secretValueHidden"], false);

    // v4 get requires projectId in its schema.
    let r = as_caller(&emu, &t).get("/api/v4/secrets/K?environment=dev");
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["message"][0]["path"], json!(["projectId"]));

    // Percent-encoded names are decoded.
    emu.set_secret(&p, "dev", "/", "WITH SPACE", "s");
    let r = as_caller(&emu, &t).get(&format!(
        "/api/v4/secrets/WITH%20SPACE?projectId={p}&environment=dev"
    ));
    assert_eq!(r.json()["secret"]["secretValue"], "s");
    assert_eq!(emu.count("GET", "/api/v4/secrets/WITH SPACE"), 1);
}

#[test]
fn hidden_values_and_multiline_expansion() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "dev", "/", "A", "line1\nline2");
    let v = list(
        &emu,
        &t,
        &format!("projectId={p}&environment=dev&viewSecretValue=false"),
    );
    assert_eq!(v["secrets"][0]["secretValue"], "<hidden-by-infisical>");
    assert_eq!(v["secrets"][0]["secretValueHidden"], true);

    let r = as_caller(&emu, &t).post("/api/v4/secrets/B", json!({"projectId": p, "environment": "dev", "secretValue": "${A}", "skipMultilineEncoding": true}));
    assert_eq!(r.status, 200, "{}", r.body);
    let r = as_caller(&emu, &t).get(&format!(
        "/api/v4/secrets/B?projectId={p}&environment=dev&expandSecretReferences=true"
    ));
    assert_eq!(r.json()["secret"]["secretValue"], "\"line1\\nline2\"");
}

/// The keys of the first secret object of a list answer's raw text, in the order sent.
fn first_secret_keys(text: &str) -> Vec<String> {
    let start = text.find("\"secrets\"").expect("a list")
        + text[text.find("\"secrets\"").unwrap()..].find('{').unwrap();
    let (mut depth, mut keys, mut in_string, mut escaped, mut current) =
        (0, Vec::new(), false, false, None::<String>);
    let mut expect_key = true;
    for c in text[start..].chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => {
                    in_string = false;
                    if let Some(key) = current.take() {
                        keys.push(key);
                    }
                }
                (false, c) => {
                    if let Some(key) = current.as_mut() {
                        key.push(c);
                    }
                }
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                current = (depth == 1 && expect_key).then(String::new);
            }
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return keys;
                }
            }
            ':' if depth == 1 => expect_key = false,
            ',' if depth == 1 => expect_key = true,
            _ => {}
        }
    }
    keys
}

#[test]
fn list_items_carry_their_keys_in_the_recorded_servers_order() {
    let corpus =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/api/recorded");
    for (mode, folder, route) in [
        (
            ServerMode::Modern,
            "infisical-current",
            "/api/v4/secrets?projectId",
        ),
        (
            ServerMode::Legacy,
            "infisical-2024-10",
            "/api/v3/secrets/raw?workspaceId",
        ),
    ] {
        let text = std::fs::read_to_string(corpus.join(folder).join("exchanges.jsonl")).unwrap();
        let recorded = text
            .lines()
            .filter(|l| l.contains(&format!("\"path\":\"{route}")) && l.contains("\"secrets\":[{"))
            .map(|l| first_secret_keys(&l[l.find("\"response\":").unwrap()..]))
            .find(|keys| keys.iter().any(|k| k == "tags"))
            .expect("a recorded list with tags");
        let emu = Emulator::builder().mode(mode).start();
        let (p, t) = setup(&emu);
        emu.set_secret(&p, "dev", "/", "A", "1");
        let param = route.rsplit('?').next().unwrap();
        let path = route.split('?').next().unwrap();
        let r = send(
            &emu,
            "GET",
            &format!("{path}?{param}={p}&environment=dev"),
            Some(&t),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(first_secret_keys(&r.body), recorded, "{mode:?}");
    }
}
