//! Secret imports on the wire: `/api/v2/secret-imports` (modern) and `/api/v1/secret-imports`
//! (both modes).

mod common;

use common::{as_caller, setup, sorted_keys};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

#[test]
fn import_shapes_and_imported_secrets() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.set_secret(&p, "prod", "/shared", "K", "${OTHER}");
    let body = json!({"projectId": p, "environment": "dev", "import": {"environment": "prod", "path": "/shared/"}});
    let r = as_caller(&emu, &t).post("/api/v2/secret-imports", body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["message"], "Successfully created secret import");
    let import = &v["secretImport"];
    assert_eq!(import["importPath"], "/shared");
    assert_eq!(import["position"], 1);
    assert_eq!(import["importEnv"]["slug"], "prod");
    assert_eq!(
        sorted_keys(import),
        [
            "createdAt",
            "folderId",
            "id",
            "importEnv",
            "importPath",
            "isReplication",
            "isReplicationSuccess",
            "isReserved",
            "lastReplicated",
            "position",
            "replicationStatus",
            "updatedAt",
            "version"
        ]
    );
    // The imported secrets, values as stored (no expansion), with the environment's info.
    let q = format!("/api/v1/secret-imports/secrets/raw?workspaceId={p}&environment=dev");
    let secrets = as_caller(&emu, &t).get(&q).json();
    let entry = &secrets["secrets"][0];
    assert_eq!(entry["environmentInfo"]["slug"], "prod");
    assert_eq!(entry["secrets"][0]["secretValue"], "${OTHER}");
}

#[test]
fn errors_of_the_service() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    let r = as_caller(&emu, &t).get(&format!(
        "/api/v2/secret-imports?projectId={p}&environment=dev"
    ));
    assert_eq!(r.status, 404);
    let create =
        |body: serde_json::Value| as_caller(&emu, &t).post("/api/v1/secret-imports", body.clone());
    let r = create(
        json!({"workspaceId": p, "environment": "dev", "import": {"environment": "prod", "path": "/"}, "isReplication": true}),
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("plan restriction"));
    let r = create(
        json!({"workspaceId": p, "environment": "dev", "path": "/nope", "import": {"environment": "prod", "path": "/"}}),
    );
    assert_eq!(
        r.json(),
        json!({"statusCode": 404, "message": "Folder not found", "error": "Create import"})
    );
    let r = create(
        json!({"workspaceId": p, "environment": "dev", "import": {"environment": "qa", "path": "/"}}),
    );
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (404, json!("Create import"))
    );
    let r = create(json!({"workspaceId": p, "environment": "dev"}));
    assert_eq!(
        (r.status, r.json()["message"][0]["path"].clone()),
        (401, json!(["import"]))
    );
    let body = json!({"workspaceId": p, "environment": "dev", "import": {"position": 1}});
    let r = as_caller(&emu, &t).patch("/api/v1/secret-imports/nope", body.clone());
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (400, json!("Secret import not found"))
    );
}
