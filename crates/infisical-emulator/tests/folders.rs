//! Folders on the wire: `/api/v2/folders` (modern) and `/api/v1/folders` (both modes).

mod common;

use common::{as_caller, setup, sorted_keys};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

#[test]
fn v2_folder_shapes() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let body = json!({"projectId": p, "environment": "dev", "name": "app", "description": "d"});
    let r = as_caller(&emu, &t).post("/api/v2/folders", body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    let folder = &r.json()["folder"];
    assert_eq!(
        sorted_keys(folder),
        [
            "createdAt",
            "description",
            "envId",
            "id",
            "isReserved",
            "lastSecretModified",
            "name",
            "parentId",
            "path",
            "updatedAt",
            "version"
        ]
    );
    assert_eq!(folder["path"], "/app");
    assert_eq!(folder["description"], "d");

    let id = folder["id"].as_str().unwrap();
    let got = as_caller(&emu, &t)
        .get(&format!("/api/v2/folders/{id}"))
        .json();
    assert_eq!(got["folder"]["environment"]["envSlug"], "dev");
    assert_eq!(got["folder"]["environment"]["envName"], "Development");
    assert_eq!(got["folder"]["projectId"], json!(p));

    // The v2 list requires `path`; `recursive` adds `relativePath`.
    let r = as_caller(&emu, &t).get(&format!("/api/v2/folders?projectId={p}&environment=dev"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["message"][0]["path"], json!(["path"]));
    emu.create_folder(&p, "dev", "/app/db");
    let q = format!("/api/v2/folders?projectId={p}&environment=dev&path=%2F&recursive=true");
    let all = as_caller(&emu, &t).get(&q).json();
    assert_eq!(all["folders"][1]["relativePath"], "/app/db");
}

#[test]
fn v2_refuses_invalid_names_and_unknown_projects() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let body = json!({"projectId": p, "environment": "dev", "name": "a b"});
    let r = as_caller(&emu, &t).post("/api/v2/folders", body.clone());
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["message"][0]["code"], "custom");
    let body = json!({"projectId": "nope", "environment": "dev", "name": "a"});
    let r = as_caller(&emu, &t).post("/api/v2/folders", body.clone());
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(
        r.json()["error"],
        "Identity is not a member of the specified project"
    );
    let body = json!({"projectId": p, "environment": "qa", "name": "a"});
    let r = as_caller(&emu, &t).post("/api/v2/folders", body.clone());
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (404, json!("Environment with slug 'qa' not found"))
    );
}

#[test]
fn legacy_servers_only_have_v1() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    let r = as_caller(&emu, &t).get(&format!("/api/v2/folders?projectId={p}"));
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "Not Found");

    let body = json!({"workspaceId": p, "environment": "dev", "name": "app", "path": "/"});
    let r = as_caller(&emu, &t).post("/api/v1/folders", body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    let folder = r.json()["folder"].clone();
    assert!(folder.get("description").is_none() && folder.get("path").is_none());

    // Batch updates name the project by slug on v1.
    let slug = emu.project_slug(&p);
    let body = json!({"projectSlug": slug, "folders": [{"id": folder["id"], "environment": "dev", "name": "svc"}]});
    let r = as_caller(&emu, &t).patch("/api/v1/folders/batch", body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["folders"][0]["name"], "svc");
    let body =
        json!({"projectSlug": "nope", "folders": [{"id": "x", "environment": "dev", "name": "y"}]});
    let r = as_caller(&emu, &t).patch("/api/v1/folders/batch", body.clone());
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (404, json!("Project not found"))
    );

    // Old error bodies: the service's names, no reqId.
    let body = json!({"workspaceId": p, "environment": "dev", "path": "/"});
    let r = as_caller(&emu, &t).delete("/api/v1/folders/absent", body.clone());
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json(),
        json!({"statusCode": 404, "message": "Folder not found", "error": "Delete folder"})
    );
    let r = as_caller(&emu, &t).delete("/api/v1/folders/svc", body.clone());
    assert_eq!(r.json()["folder"]["name"], "svc");
    assert_eq!(emu.folder_paths(&p, "dev"), ["/"]);
}
