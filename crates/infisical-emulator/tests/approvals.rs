//! Approval policies and secret approval requests, over HTTP: users' writes are held, machine
//! identities' pass; the request is listed, detailed, reviewed, closed, reopened and merged
//! by the users allowed to, and the merge applies the held write.

mod common;

use common::{as_caller, setup};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::{json, Value};

const AUTHOR: &str = "author-session";
const APPROVER: &str = "approver-session";
const OUTSIDER: &str = "outsider-session";

struct Team {
    project: String,
    identity: String,
    approver_id: String,
    author_id: String,
}

fn team(emu: &Emulator) -> Team {
    let (project, identity) = setup(emu);
    let author_id = emu.add_user("author@example.com", AUTHOR);
    let approver_id = emu.add_user("approver@example.com", APPROVER);
    emu.add_user("outsider@example.com", OUTSIDER);
    emu.set_secret(&project, "prod", "/", "A", "1");
    emu.require_approvals(&project, "prod", "/", &[&approver_id], 1);
    Team {
        project,
        identity,
        approver_id,
        author_id,
    }
}

/// The slug of the project `project`.
fn slug_of(emu: &Emulator, token: &str, project: &str) -> String {
    as_caller(emu, token)
        .get(&format!("/api/v1/workspace/{project}"))
        .json()["workspace"]["slug"]
        .as_str()
        .unwrap()
        .to_string()
}

fn held_update(emu: &Emulator, t: &Team) -> Value {
    let r = as_caller(emu, AUTHOR).patch(
        "/api/v3/secrets/raw/A",
        json!({"workspaceId": t.project, "environment": "prod", "secretValue": "2"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert!(v.get("secret").is_none(), "{v}");
    v["approval"].clone()
}

#[test]
fn a_users_write_is_held_and_a_machine_identitys_passes() {
    for mode in [ServerMode::Modern, ServerMode::Legacy] {
        let emu = Emulator::builder().mode(mode).start();
        let t = team(&emu);
        let a = held_update(&emu, &t);
        for field in [
            "id",
            "policyId",
            "slug",
            "folderId",
            "createdAt",
            "updatedAt",
        ] {
            assert!(a[field].is_string(), "{field}: {a}");
        }
        assert_eq!(a["committerUserId"], t.author_id.as_str());
        assert_eq!(a["hasMerged"], false);
        assert_eq!(a["status"], "open");
        assert_eq!(
            emu.secret_value(&t.project, "prod", "/", "A").as_deref(),
            Some("1")
        );

        let batch = json!({"workspaceId": t.project, "environment": "prod", "secrets": [{"secretKey": "B", "secretValue": "1"}]});
        let r = as_caller(&emu, AUTHOR).post("/api/v3/secrets/batch/raw", batch.clone());
        assert!(r.json()["approval"].is_object(), "{}", r.body);
        assert_eq!(emu.secret_value(&t.project, "prod", "/", "B"), None);
        assert_eq!(emu.approvals().len(), 2);

        // As on real servers, a machine identity's writes are not routed to approvals.
        let r = as_caller(&emu, &t.identity).post("/api/v3/secrets/batch/raw", batch);
        assert!(r.json()["secrets"].is_array(), "{}", r.body);
        assert_eq!(
            emu.secret_value(&t.project, "prod", "/", "B").as_deref(),
            Some("1")
        );
        // Nor are other environments.
        let r = as_caller(&emu, AUTHOR).post(
            "/api/v3/secrets/raw/C",
            json!({"workspaceId": t.project, "environment": "dev", "secretValue": "1"}),
        );
        assert!(r.json()["secret"].is_object(), "{}", r.body);
    }
}

#[test]
fn the_whole_flow_review_merge_and_the_secret_changes() {
    let emu = Emulator::start();
    let t = team(&emu);
    let id = held_update(&emu, &t)["id"].as_str().unwrap().to_string();
    let list = format!("/api/v1/secret-approval-requests?workspaceId={}", t.project);

    // The approver and the author see it; someone else does not.
    for who in [APPROVER, AUTHOR] {
        let v = as_caller(&emu, who).get(&list).json();
        assert_eq!(v["approvals"].as_array().unwrap().len(), 1, "{v}");
        assert_eq!(v["totalCount"], 1);
        let a = &v["approvals"][0];
        assert_eq!(a["environment"], "prod");
        assert_eq!(a["committerUser"]["email"], "author@example.com");
        assert_eq!(a["policy"]["approvals"], 1);
        assert_eq!(a["approvers"][0]["userId"], t.approver_id.as_str());
        assert_eq!(a["commits"][0]["op"], "update");
    }
    let v = as_caller(&emu, OUTSIDER).get(&list).json();
    assert_eq!(v["approvals"], json!([]));
    let r = as_caller(&emu, OUTSIDER).get(&format!("/api/v1/secret-approval-requests/{id}"));
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["message"], "User has insufficient privileges");
    let count = format!(
        "/api/v1/secret-approval-requests/count?workspaceId={}",
        t.project
    );
    assert_eq!(
        as_caller(&emu, APPROVER).get(&count).json(),
        json!({"approvals": {"open": 1, "closed": 0}})
    );

    // The details hold the change and the secret it changes.
    let r = as_caller(&emu, APPROVER).get(&format!("/api/v1/secret-approval-requests/{id}"));
    assert_eq!(r.status, 200, "{}", r.body);
    let d = &r.json()["approval"];
    assert_eq!(d["secretPath"], "/");
    assert_eq!(d["commits"][0]["secretKey"], "A");
    assert_eq!(d["commits"][0]["secretValue"], "2");
    assert_eq!(d["commits"][0]["secret"]["secretValue"], "1");
    assert_eq!(d["policy"]["approvers"][0]["email"], "approver@example.com");

    // No merge without the approver's approval.
    let merge = format!("/api/v1/secret-approval-requests/{id}/merge");
    let r = as_caller(&emu, AUTHOR).post(&merge, json!({}));
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["message"], "Doesn't have minimum approvals needed");
    // The author's own approval does not count: they are not an approver.
    let review = format!("/api/v1/secret-approval-requests/{id}/review");
    let r = as_caller(&emu, AUTHOR).post(&review, json!({"status": "approved"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(as_caller(&emu, AUTHOR).post(&merge, json!({})).status, 400);
    // Someone outside the request may not review it.
    let r = as_caller(&emu, OUTSIDER).post(&review, json!({"status": "approved"}));
    assert_eq!(r.status, 403, "{}", r.body);

    let r = as_caller(&emu, APPROVER).post(&review, json!({"status": "approved", "comment": "ok"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let rv = &r.json()["review"];
    assert_eq!(rv["status"], "approved");
    assert_eq!(rv["reviewerUserId"], t.approver_id.as_str());
    assert_eq!(rv["requestId"], id.as_str());
    assert_eq!(rv["comment"], "ok");

    let r = as_caller(&emu, AUTHOR).post(&merge, json!({}));
    assert_eq!(r.status, 200, "{}", r.body);
    let merged = &r.json()["approval"];
    assert_eq!(merged["hasMerged"], true);
    assert_eq!(merged["status"], "close");
    assert_eq!(
        emu.secret_value(&t.project, "prod", "/", "A").as_deref(),
        Some("2")
    );
    assert_eq!(
        as_caller(&emu, APPROVER).get(&count).json(),
        json!({"approvals": {"open": 0, "closed": 1}})
    );

    // A merged request stays merged.
    let r = as_caller(&emu, AUTHOR).post(&merge, json!({}));
    assert_eq!(r.json()["message"], "Approval request has been merged");
    let status = format!("/api/v1/secret-approval-requests/{id}/status");
    let r = as_caller(&emu, AUTHOR).post(&status, json!({"status": "open"}));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["message"], "Approval request has been merged");
}

#[test]
fn close_reopen_filters_and_machine_identities() {
    let emu = Emulator::start();
    let t = team(&emu);
    let id = held_update(&emu, &t)["id"].as_str().unwrap().to_string();
    let status = format!("/api/v1/secret-approval-requests/{id}/status");
    let r = as_caller(&emu, AUTHOR).post(&status, json!({"status": "close"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["approval"]["status"], "close");
    assert_eq!(
        r.json()["approval"]["statusChangedByUserId"],
        t.author_id.as_str()
    );
    let r = as_caller(&emu, AUTHOR).post(&status, json!({"status": "close"}));
    assert_eq!(r.json()["message"], "Approval request is already closed");
    let r = as_caller(&emu, AUTHOR).post(&status, json!({"status": "shut"}));
    assert_eq!(r.status, 422, "{}", r.body);

    let base = format!("/api/v1/secret-approval-requests?workspaceId={}", t.project);
    let n = |q: &str| {
        as_caller(&emu, APPROVER).get(&format!("{base}{q}")).json()["approvals"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(n("&status=open"), 0);
    assert_eq!(n("&status=close"), 1);
    assert_eq!(n("&environment=dev"), 0);
    assert_eq!(n(&format!("&committer={}", t.author_id)), 1);
    assert_eq!(n("&limit=0"), 0);
    let r = as_caller(&emu, AUTHOR).post(&status, json!({"status": "open"}));
    assert_eq!(r.json()["approval"]["status"], "open");

    // Users only: a machine identity gets fastify's 403 on every route.
    for (method, path) in [
        ("GET", base.clone()),
        ("GET", format!("/api/v1/secret-approval-requests/{id}")),
        (
            "POST",
            format!("/api/v1/secret-approval-requests/{id}/merge"),
        ),
    ] {
        let r = as_caller(&emu, &t.identity).with(method, &path, json!({}));
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(
            r.json()["error"]
                .as_str()
                .unwrap()
                .starts_with("Forbidden access to "),
            "{}",
            r.body
        );
    }
    let r = as_caller(&emu, APPROVER).get("/api/v1/secret-approval-requests/nope");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["message"], "Secret approval request not found");
}

#[test]
fn older_servers_answer_without_total_count_or_comments() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let t = team(&emu);
    let id = held_update(&emu, &t)["id"].as_str().unwrap().to_string();
    let v = as_caller(&emu, APPROVER)
        .get(&format!(
            "/api/v1/secret-approval-requests?workspaceId={}",
            t.project
        ))
        .json();
    assert!(v.get("totalCount").is_none(), "{v}");
    assert!(v["approvals"][0]["policy"].get("bypassers").is_none());
    let r = as_caller(&emu, APPROVER).post(
        &format!("/api/v1/secret-approval-requests/{id}/review"),
        json!({"status": "rejected", "comment": "no"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["review"].get("comment").is_none());
}

#[test]
fn access_requests_on_both_generations() {
    for mode in [ServerMode::Modern, ServerMode::Legacy] {
        let emu = Emulator::builder().mode(mode).start();
        let (project, identity) = setup(&emu);
        let slug = slug_of(&emu, &identity, &project);
        let requester = emu.add_user("dev@example.com", AUTHOR);
        let approver = emu.add_user("lead@example.com", APPROVER);
        emu.add_user("outsider@example.com", OUTSIDER);
        emu.require_access_approvals(&project, "prod", "/", &[&approver], 1);
        let base = format!("/api/v1/access-approvals/requests?projectSlug={slug}");
        let rule =
            json!([["read", "secrets", {"environment": "prod", "secretPath": {"$glob": "/"}}]]);

        let r =
            as_caller(&emu, AUTHOR).post(&base, json!({"permissions": rule, "isTemporary": false}));
        assert_eq!(r.status, 200, "{mode:?}: {}", r.body);
        let a = r.json()["approval"].clone();
        assert_eq!(a["requestedByUserId"], requester.as_str());
        assert_eq!(a["privilegeId"], Value::Null);
        assert_eq!(a.get("note").is_some(), mode == ServerMode::Modern, "{a}");
        let id = a["id"].as_str().unwrap().to_string();

        // The first rule must name an environment and a path; a policy must guard them.
        let r = as_caller(&emu, AUTHOR).post(
            &base,
            json!({"permissions": [["read", "secrets", {}]], "isTemporary": false}),
        );
        assert_eq!(
            r.json()["message"],
            "Permission environment is not a string",
            "{}",
            r.body
        );
        let other =
            json!([["read", "secrets", {"environment": "dev", "secretPath": {"$glob": "/"}}]]);
        let r = as_caller(&emu, AUTHOR)
            .post(&base, json!({"permissions": other, "isTemporary": false}));
        assert_eq!(r.status, 404, "{}", r.body);

        let v = as_caller(&emu, APPROVER).get(&base).json();
        let listed = &v["requests"][0];
        let approvers = &listed["policy"]["approvers"];
        if mode == ServerMode::Modern {
            assert_eq!(approvers[0]["userId"], approver.as_str(), "{listed}");
        } else {
            assert_eq!(
                approvers[0],
                approver.as_str(),
                "servers of 2024 answer ids: {listed}"
            );
        }
        assert_eq!(listed["isApproved"], false);
        assert_eq!(listed["environmentName"], "prod");

        let review = format!("/api/v1/access-approvals/requests/{id}/review");
        let r = as_caller(&emu, OUTSIDER).post(&review, json!({"status": "approved"}));
        assert_eq!(r.status, 403, "{}", r.body);
        let r = as_caller(&emu, APPROVER).post(&review, json!({"status": "approved"}));
        assert_eq!(r.status, 200, "{}", r.body);
        let v = as_caller(&emu, APPROVER).get(&base).json();
        assert_eq!(v["requests"][0]["isApproved"], true);
        assert!(v["requests"][0]["privilege"].is_object());
        let count = format!("/api/v1/access-approvals/requests/count?projectSlug={slug}");
        assert_eq!(
            as_caller(&emu, APPROVER).get(&count).json(),
            json!({"pendingCount": 0, "finalizedCount": 1})
        );
        let r = as_caller(&emu, &identity).get(&count);
        assert_eq!(r.status, 403, "a machine identity: {}", r.body);
    }
}

#[test]
fn policies_through_the_api_on_both_generations() {
    for (mode, param) in [
        (ServerMode::Modern, "projectId"),
        (ServerMode::Legacy, "workspaceId"),
    ] {
        let emu = Emulator::builder().mode(mode).start();
        let (project, identity) = setup(&emu);
        let approver = emu.add_user("lead@example.com", APPROVER);
        emu.add_user("dev@example.com", AUTHOR);
        let body = json!({param: project, "environment": "prod", "secretPath": "/", "approvers": [{"type": "user", "id": approver}], "approvals": 1});
        let r = as_caller(&emu, &identity).post("/api/v1/secret-approvals", body);
        assert_eq!(r.status, 200, "{mode:?}: {}", r.body);
        let policy = r.json()["approval"].clone();
        assert_eq!(policy["environment"]["slug"], "prod");
        assert_eq!(policy["projectId"], project.as_str());
        let id = policy["id"].as_str().unwrap().to_string();

        // The other generation's name for the project is not this server's.
        let other = if param == "projectId" {
            "workspaceId"
        } else {
            "projectId"
        };
        let r = as_caller(&emu, &identity).post(
            "/api/v1/secret-approvals",
            json!({other: project, "environment": "prod", "approvers": [{"type": "user", "id": approver}]}),
        );
        assert_eq!(
            r.status,
            if mode == ServerMode::Modern { 422 } else { 401 },
            "{}",
            r.body
        );
        let r = as_caller(&emu, &identity).post(
            "/api/v1/secret-approvals",
            json!({param: project, "environment": "prod", "approvers": [{"type": "user", "id": approver}], "approvals": 2}),
        );
        assert_eq!(
            r.json()["message"],
            "Approvals cannot be greater than approvers",
            "{}",
            r.body
        );

        // A user's write there is held by it.
        let r = as_caller(&emu, AUTHOR).post(
            "/api/v3/secrets/raw/NEW",
            json!({"workspaceId": project, "environment": "prod", "secretValue": "v"}),
        );
        assert_eq!(r.json()["approval"]["policyId"], id.as_str(), "{}", r.body);

        let list = format!("/api/v1/secret-approvals?{param}={project}");
        assert_eq!(
            as_caller(&emu, &identity).get(&list).status,
            403,
            "users only"
        );
        let v = as_caller(&emu, AUTHOR).get(&list).json();
        assert_eq!(v["approvals"].as_array().unwrap().len(), 1, "{v}");
        let r = as_caller(&emu, &identity).with(
            "PATCH",
            &format!("/api/v1/secret-approvals/{id}"),
            json!({"approvers": [{"type": "user", "id": approver}], "enforcementLevel": "soft"}),
        );
        assert_eq!(
            r.json()["approval"]["enforcementLevel"],
            "soft",
            "{}",
            r.body
        );
        let r =
            as_caller(&emu, &identity).delete(&format!("/api/v1/secret-approvals/{id}"), json!({}));
        assert_eq!(r.status, 200, "{}", r.body);
        let r = as_caller(&emu, &identity).get(&format!("/api/v1/secret-approvals/{id}"));
        assert_eq!(r.status, 404);
    }
}

#[test]
fn access_policies_through_the_api() {
    let emu = Emulator::start();
    let (project, identity) = setup(&emu);
    let slug = slug_of(&emu, &identity, &project);
    let approver = emu.add_user("lead@example.com", APPROVER);
    let body = json!({"projectSlug": slug, "environment": "prod", "secretPath": "/", "approvers": [{"type": "user", "id": approver}]});
    let r = as_caller(&emu, &identity).post("/api/v1/access-approvals/policies", body);
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json()["approval"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        r.json()["approval"]["approvers"][0]["id"],
        approver.as_str()
    );
    let list = format!("/api/v1/access-approvals/policies?projectSlug={slug}");
    assert_eq!(
        as_caller(&emu, &identity).get(&list).status,
        403,
        "users only"
    );
    assert_eq!(
        as_caller(&emu, APPROVER).get(&list).json()["approvals"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // PATCH without `enforcementLevel` sets it back to hard, as the route's default does.
    let one = format!("/api/v1/access-approvals/policies/{id}");
    let r = as_caller(&emu, &identity).with("PATCH", &one, json!({"enforcementLevel": "soft"}));
    assert_eq!(
        r.json()["approval"]["enforcementLevel"],
        "soft",
        "{}",
        r.body
    );
    let r = as_caller(&emu, &identity).with("PATCH", &one, json!({"name": "renamed"}));
    assert_eq!(
        r.json()["approval"]["enforcementLevel"],
        "hard",
        "{}",
        r.body
    );
    assert_eq!(
        as_caller(&emu, &identity).delete(&one, json!({})).status,
        200
    );
    assert_eq!(as_caller(&emu, &identity).get(&one).status, 404);
}
