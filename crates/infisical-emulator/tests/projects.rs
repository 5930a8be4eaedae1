//! Projects on the wire: `/api/v1/projects` (modern) and `/api/v1/workspace`,
//! `/api/v2/workspace` (both modes).

mod common;

use common::{send, setup};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

#[test]
fn answers_by_generation() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let list = send(&emu, "GET", "/api/v1/projects", Some(&t), None).json();
    let project = &list["projects"][0];
    assert_eq!(project["id"], json!(p));
    assert_eq!(project["_id"], json!(p));
    assert_eq!(
        project["environments"][0],
        json!({"name": "Development", "slug": "dev", "id": project["environments"][0]["id"]})
    );
    let old = send(&emu, "GET", "/api/v1/workspace", Some(&t), None).json();
    assert_eq!(old["workspaces"][0]["id"], json!(p));
    let old = send(
        &emu,
        "GET",
        &format!("/api/v1/workspace/{p}"),
        Some(&t),
        None,
    )
    .json();
    assert_eq!(old["workspace"]["slug"], "test-project");
    // Both slug routes answer the project itself.
    let by_slug = send(
        &emu,
        "GET",
        "/api/v1/projects/slug/test-project",
        Some(&t),
        None,
    )
    .json();
    assert_eq!(by_slug["id"], json!(p));
    let by_slug = send(
        &emu,
        "GET",
        "/api/v2/workspace/test-project",
        Some(&t),
        None,
    )
    .json();
    assert_eq!(by_slug["id"], json!(p));

    let r = send(
        &emu,
        "POST",
        "/api/v2/workspace",
        Some(&t),
        Some(&json!({"projectName": "X", "slug": "abc"})),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let r = send(
        &emu,
        "POST",
        "/api/v1/projects",
        Some(&t),
        Some(&json!({"projectName": "New"})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let made = r.json()["project"].clone();
    let id = made["id"].as_str().unwrap();
    let r = send(
        &emu,
        "DELETE",
        &format!("/api/v1/projects/{id}"),
        Some(&t),
        None,
    );
    assert!(
        r.json()["project"].get("environments").is_none(),
        "delete answers the sanitized project"
    );
    let r = send(
        &emu,
        "GET",
        &format!("/api/v1/projects/{id}"),
        Some(&t),
        None,
    );
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (404, json!("NotFound"))
    );
}

#[test]
fn october_2024_servers_answer_a_missing_project_with_a_500() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (_, t) = setup(&emu);
    let r = send(&emu, "GET", "/api/v1/projects", Some(&t), None);
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (404, json!("Not Found"))
    );
    let r = send(&emu, "GET", "/api/v1/workspace/nope", Some(&t), None);
    assert_eq!(
        (r.status, r.json()),
        (
            500,
            json!({"statusCode": 500, "message": "Something went wrong", "error": "Failed to find project by id"})
        )
    );
    let r = send(&emu, "GET", "/api/v2/workspace/nope", Some(&t), None);
    assert_eq!(r.json()["error"], "Failed to find project by slug");
    // The older update takes a name and auto-capitalization only.
    let r = send(&emu, "GET", "/api/v1/workspace", Some(&t), None).json();
    let p = r["workspaces"][0]["id"].as_str().unwrap().to_string();
    let body = json!({"name": "Renamed", "slug": "ignored-slug"});
    let r = send(
        &emu,
        "PATCH",
        &format!("/api/v1/workspace/{p}"),
        Some(&t),
        Some(&body),
    )
    .json();
    assert_eq!(
        (
            r["workspace"]["name"].clone(),
            r["workspace"]["slug"].clone()
        ),
        (json!("Renamed"), json!("test-project"))
    );
    assert!(r["workspace"].get("description").is_none());
}
