//! Secret tags on the wire: `/api/v1/projects/{id}/tags` (modern) and
//! `/api/v1/workspace/{id}/tags` (both modes).

mod common;

use common::{as_caller, setup};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

#[test]
fn answers_by_generation() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let body = json!({"slug": "backend", "color": "#fff"});
    let r = as_caller(&emu, &t).post(&format!("/api/v1/projects/{p}/tags"), body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    let tag = r.json()["tag"].clone();
    assert!(
        tag.get("name").is_none(),
        "only the get routes add the name"
    );
    assert_eq!(tag["projectId"], json!(p));
    let id = tag["id"].as_str().unwrap();
    let old = as_caller(&emu, &t)
        .get(&format!("/api/v1/workspace/{p}/tags/{id}"))
        .json();
    assert_eq!(old["workspaceTag"]["name"], "backend");
    let old = as_caller(&emu, &t)
        .get(&format!("/api/v1/workspace/{p}/tags"))
        .json();
    assert_eq!(old["workspaceTags"][0]["color"], "#fff");
    let by_slug = as_caller(&emu, &t).get(&format!("/api/v1/projects/{p}/tags/slug/backend"));
    assert_eq!(by_slug.json()["tag"]["id"], json!(id));
}

#[test]
fn errors_of_the_service() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    let r = as_caller(&emu, &t).get(&format!("/api/v1/projects/{p}/tags"));
    assert_eq!(r.status, 404);
    let path = format!("/api/v1/workspace/{p}/tags");
    let r = as_caller(&emu, &t).post(&path, json!({"slug": "a b", "color": ""}));
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "ValidationFailure");
    let r = as_caller(&emu, &t).post(&path, json!({"slug": "x"}));
    assert_eq!(r.json()["message"][0]["path"], json!(["color"]));
    let r = as_caller(&emu, &t).patch(&format!("{path}/nope"), json!({"slug": "x", "color": ""}));
    assert_eq!(
        r.json(),
        json!({"statusCode": 404, "message": "Tag not found", "error": "NotFound"})
    );
    as_caller(&emu, &t).post(&path, json!({"slug": "x", "color": ""}));
    let r = as_caller(&emu, &t).post(&path, json!({"slug": "X", "color": ""}));
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (400, json!("Tag already exist"))
    );
}
