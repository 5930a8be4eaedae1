//! Environments on the wire: `/api/v1/projects/{id}/environments` (modern) and
//! `/api/v1/workspace/{id}/environments` (both modes).

mod common;

use common::{as_caller, setup, sorted_keys};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

#[test]
fn write_answers_name_the_project_by_generation() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let body = json!({"name": "QA", "slug": "qa"});
    let r = as_caller(&emu, &t).post(&format!("/api/v1/projects/{p}/environments"), body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["message"], "Successfully created new environment");
    assert_eq!(v["projectId"], json!(p));
    let env = &v["environment"];
    assert_eq!(
        sorted_keys(env),
        [
            "createdAt",
            "id",
            "name",
            "position",
            "projectId",
            "slug",
            "updatedAt"
        ]
    );
    assert_eq!(env["position"], 4);

    let id = env["id"].as_str().unwrap();
    let body = json!({"name": "Quality"});
    let r = as_caller(&emu, &t).patch(
        &format!("/api/v1/workspace/{p}/environments/{id}"),
        body.clone(),
    );
    assert_eq!(r.json()["workspace"], json!(p));
    assert_eq!(r.json()["environment"]["name"], "Quality");
    // The project-less get by id of the older generation.
    let r = as_caller(&emu, &t).get(&format!("/api/v1/workspace/environments/{id}"));
    assert_eq!(r.json()["environment"]["slug"], "qa");
}

#[test]
fn errors_of_the_service() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    let r = as_caller(&emu, &t).get(&format!("/api/v1/projects/{p}/environments/x"));
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (404, json!("Not Found"))
    );

    let path = format!("/api/v1/workspace/{p}/environments");
    let r = as_caller(&emu, &t).post(&path, json!({"name": "Dev", "slug": "dev"}));
    assert_eq!(
        r.json(),
        json!({"statusCode": 400, "message": "Environment with slug already exist", "error": "CreateEnvironment"})
    );
    let r = as_caller(&emu, &t).post(&path, json!({"name": "X", "slug": "Not A Slug"}));
    assert_eq!(
        r.status, 401,
        "the October 2024 generation answers validation failures with 401"
    );
    assert_eq!(
        r.json()["message"][0]["message"],
        "Slug must be a valid slug"
    );
    let r = as_caller(&emu, &t).bare("DELETE", &format!("{path}/nope"));
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (404, json!("Environment doesn't exist"))
    );
    let r = as_caller(&emu, &t).get(&format!("{path}/nope"));
    assert_eq!(r.json()["message"], "Environment does not exist");
    let r = as_caller(&emu, &t).post(
        "/api/v1/workspace/nope/environments",
        json!({"name": "Q", "slug": "q"}),
    );
    assert_eq!(r.status, 403);
}
