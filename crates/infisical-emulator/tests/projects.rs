//! Projects on the wire: `/api/v1/projects` (modern) and `/api/v1/workspace`,
//! `/api/v2/workspace` (both modes).

mod common;

use common::{as_caller, setup};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

#[test]
fn answers_by_generation() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let list = as_caller(&emu, &t).get("/api/v1/projects").json();
    let project = &list["projects"][0];
    assert_eq!(project["id"], json!(p));
    assert_eq!(project["_id"], json!(p));
    assert_eq!(
        project["environments"][0],
        json!({"name": "Development", "slug": "dev", "id": project["environments"][0]["id"]})
    );
    let old = as_caller(&emu, &t).get("/api/v1/workspace").json();
    assert_eq!(old["workspaces"][0]["id"], json!(p));
    let old = as_caller(&emu, &t)
        .get(&format!("/api/v1/workspace/{p}"))
        .json();
    assert_eq!(old["workspace"]["slug"], "test-project");
    // Both slug routes answer the project itself.
    let by_slug = as_caller(&emu, &t)
        .get("/api/v1/projects/slug/test-project")
        .json();
    assert_eq!(by_slug["id"], json!(p));
    let by_slug = as_caller(&emu, &t)
        .get("/api/v2/workspace/test-project")
        .json();
    assert_eq!(by_slug["id"], json!(p));

    let r = as_caller(&emu, &t).post(
        "/api/v2/workspace",
        json!({"projectName": "X", "slug": "abc"}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let r = as_caller(&emu, &t).post("/api/v1/projects", json!({"projectName": "New"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let made = r.json()["project"].clone();
    let id = made["id"].as_str().unwrap();
    let r = as_caller(&emu, &t).bare("DELETE", &format!("/api/v1/projects/{id}"));
    assert!(
        r.json()["project"].get("environments").is_none(),
        "delete answers the sanitized project"
    );
    let r = as_caller(&emu, &t).get(&format!("/api/v1/projects/{id}"));
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (404, json!("NotFound"))
    );
}

#[test]
fn october_2024_servers_answer_a_missing_project_with_a_500() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (_, t) = setup(&emu);
    let r = as_caller(&emu, &t).get("/api/v1/projects");
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (404, json!("Not Found"))
    );
    let r = as_caller(&emu, &t).get("/api/v1/workspace/nope");
    assert_eq!(
        (r.status, r.json()),
        (
            500,
            json!({"statusCode": 500, "message": "Something went wrong", "error": "Failed to find project by id"})
        )
    );
    let r = as_caller(&emu, &t).get("/api/v2/workspace/nope");
    assert_eq!(r.json()["error"], "Failed to find project by slug");
    // The older update takes a name and auto-capitalization only.
    let org = emu.organization_id();
    let r = as_caller(&emu, &t).get(&format!("/api/v2/organizations/{org}/workspaces"));
    let p = r.json()["workspaces"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"name": "Renamed", "slug": "ignored-slug"});
    let r = as_caller(&emu, &t)
        .patch(&format!("/api/v1/workspace/{p}"), body.clone())
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

/// Recorded: the October 2024 server refuses `GET /api/v1/workspace` to a machine identity;
/// the organization's route lists its projects on both generations.
#[test]
fn machine_identities_list_projects_through_the_organization() {
    for mode in [ServerMode::Legacy, ServerMode::Modern] {
        let emu = Emulator::builder().mode(mode).start();
        let (project, t) = setup(&emu);
        let r = as_caller(&emu, &t).get("/api/v1/workspace");
        if mode == ServerMode::Legacy {
            assert_eq!(
                (r.status, r.json()),
                (
                    403,
                    json!({"statusCode": 403, "message": "You are not allowed to access this resource",
                           "error": "Forbidden access to /api/v1/workspace"})
                )
            );
        } else {
            assert_eq!(r.status, 200);
        }
        let org = emu.organization_id();
        let r = as_caller(&emu, &t).get(&format!("/api/v2/organizations/{org}/workspaces"));
        assert_eq!(r.status, 200, "{}", r.body);
        let w = &r.json()["workspaces"][0];
        assert_eq!(
            common::sorted_keys(w),
            ["environments", "id", "name", "organization", "slug"]
        );
        assert_eq!(
            (w["id"].as_str(), w["organization"].as_str()),
            (Some(project.as_str()), Some(org.as_str()))
        );
        assert_eq!(
            w["environments"][0],
            json!({"name": "Development", "slug": "dev"})
        );
        let other = format!("/api/v2/organizations/{}/workspaces", common::NIL_UUID);
        assert_eq!(as_caller(&emu, &t).get(&other).status, 403);
    }
}
