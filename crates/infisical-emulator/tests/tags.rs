//! Secret tags on the wire: `/api/v1/projects/{id}/tags` (modern) and
//! `/api/v1/workspace/{id}/tags` (both modes).

mod common;

use common::{send, setup};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

#[test]
fn answers_by_generation() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let body = json!({"slug": "backend", "color": "#fff"});
    let r = send(
        &emu,
        "POST",
        &format!("/api/v1/projects/{p}/tags"),
        Some(&t),
        Some(&body),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let tag = r.json()["tag"].clone();
    assert!(
        tag.get("name").is_none(),
        "only the get routes add the name"
    );
    assert_eq!(tag["projectId"], json!(p));
    let id = tag["id"].as_str().unwrap();
    let old = send(
        &emu,
        "GET",
        &format!("/api/v1/workspace/{p}/tags/{id}"),
        Some(&t),
        None,
    )
    .json();
    assert_eq!(old["workspaceTag"]["name"], "backend");
    let old = send(
        &emu,
        "GET",
        &format!("/api/v1/workspace/{p}/tags"),
        Some(&t),
        None,
    )
    .json();
    assert_eq!(old["workspaceTags"][0]["color"], "#fff");
    let by_slug = send(
        &emu,
        "GET",
        &format!("/api/v1/projects/{p}/tags/slug/backend"),
        Some(&t),
        None,
    );
    assert_eq!(by_slug.json()["tag"]["id"], json!(id));
}

#[test]
fn errors_of_the_service() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    let r = send(
        &emu,
        "GET",
        &format!("/api/v1/projects/{p}/tags"),
        Some(&t),
        None,
    );
    assert_eq!(r.status, 404);
    let path = format!("/api/v1/workspace/{p}/tags");
    let r = send(
        &emu,
        "POST",
        &path,
        Some(&t),
        Some(&json!({"slug": "a b", "color": ""})),
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "ValidationFailure");
    let r = send(&emu, "POST", &path, Some(&t), Some(&json!({"slug": "x"})));
    assert_eq!(r.json()["message"][0]["path"], json!(["color"]));
    let r = send(
        &emu,
        "PATCH",
        &format!("{path}/nope"),
        Some(&t),
        Some(&json!({"slug": "x", "color": ""})),
    );
    assert_eq!(
        r.json(),
        json!({"statusCode": 404, "message": "Tag not found", "error": "NotFound"})
    );
    send(
        &emu,
        "POST",
        &path,
        Some(&t),
        Some(&json!({"slug": "x", "color": ""})),
    );
    let r = send(
        &emu,
        "POST",
        &path,
        Some(&t),
        Some(&json!({"slug": "X", "color": ""})),
    );
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (400, json!("Tag already exist"))
    );
}
