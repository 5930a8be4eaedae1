//! Machine identities on the wire: the organization's identity list has the recorded shape
//! (October 2024 server, `recorded/infisical-2024-10`), and the universal-auth login checks
//! client secrets as `identity-ua-service.ts` does.

mod common;

use common::{as_caller, setup};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The keys of an object.
fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

/// The keys of an object, and of its nested `identity`.
fn shape(item: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    (keys(item), keys(&item["identity"]))
}

/// The first item of the recorded list whose path starts with `prefix`.
fn recorded_list_item(prefix: &str) -> Value {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/api/recorded/infisical-2024-10/exchanges.jsonl");
    let text = std::fs::read_to_string(file).unwrap();
    let exchange: Value = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|ex| {
            let path = ex["request"]["path"].as_str().unwrap_or_default();
            path.starts_with(prefix) && path.ends_with("/identity-memberships")
        })
        .expect("recorded");
    exchange["response"]["body"]["identityMemberships"][0].clone()
}

#[test]
fn the_organization_list_has_the_recorded_shape() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (_, t) = setup(&emu);
    let org = emu.organization_id();
    let created = as_caller(&emu, &t).post(
        "/api/v1/identities",
        json!({"name": "deployer", "organizationId": org, "role": "member"}),
    );
    assert_eq!(created.status, 200, "{}", created.body);
    let list =
        as_caller(&emu, &t).get(&format!("/api/v2/organizations/{org}/identity-memberships"));
    assert_eq!(list.status, 200, "{}", list.body);
    let body = list.json();
    assert_eq!(body["totalCount"], 1);
    assert_eq!(
        shape(&body["identityMemberships"][0]),
        shape(&recorded_list_item("/api/v2/organizations/"))
    );
    // The project's list, after adding the identity to the project.
    let id = created.json()["identity"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let p = emu.project_ids()[0].clone();
    let added = as_caller(&emu, &t).post(
        &format!("/api/v2/workspace/{p}/identity-memberships/{id}"),
        json!({"role": "viewer"}),
    );
    assert_eq!(added.status, 200, "{}", added.body);
    let list = as_caller(&emu, &t)
        .get(&format!("/api/v2/workspace/{p}/identity-memberships"))
        .json();
    let ours = &list["identityMemberships"][0];
    let recorded = recorded_list_item("/api/v2/workspace/");
    assert_eq!(shape(ours), shape(&recorded));
    assert_eq!(keys(&ours["roles"][0]), keys(&recorded["roles"][0]));
    assert_eq!(keys(&ours["project"]), keys(&recorded["project"]));
}

#[test]
fn the_login_checks_the_client_secrets() {
    let emu = Emulator::start();
    let (_, t) = setup(&emu);
    let org = emu.organization_id();
    let caller = || as_caller(&emu, &t);
    let id = caller()
        .post(
            "/api/v1/identities",
            json!({"name": "n", "organizationId": org}),
        )
        .json()["identity"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ua = caller().post(
        &format!("/api/v1/auth/universal-auth/identities/{id}"),
        json!({}),
    );
    assert_eq!(ua.status, 200, "{}", ua.body);
    let client_id = ua.json()["identityUniversalAuth"]["clientId"]
        .as_str()
        .unwrap()
        .to_owned();
    // Zod's limits: a fraction of a second, a negative use limit (422 on current servers).
    for bad in [
        json!({"accessTokenTTL": 1.5}),
        json!({"accessTokenNumUsesLimit": -1}),
    ] {
        let r = caller().post(&format!("/api/v1/auth/universal-auth/identities/{id}"), bad);
        assert_eq!(r.status, 422, "{}", r.body);
    }
    let secret = caller()
        .post(
            &format!("/api/v1/auth/universal-auth/identities/{id}/client-secrets"),
            json!({}),
        )
        .json();
    let secret = secret["clientSecret"].as_str().unwrap().to_owned();
    let login = |client_secret: &str| {
        caller().post(
            "/api/v1/auth/universal-auth/login",
            json!({"clientId": client_id, "clientSecret": client_secret}),
        )
    };
    assert_eq!(login(&secret).status, 200);
    let wrong = login("0".repeat(64).as_str());
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json()["message"], "Invalid credentials");
}
