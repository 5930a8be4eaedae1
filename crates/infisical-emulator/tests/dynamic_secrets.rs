//! Dynamic secrets and leases on the wire: `/api/v1/dynamic-secrets`.

mod common;

use common::{as_caller, setup, sorted_keys};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::{json, Value};

fn sql_provider() -> Value {
    json!({"type": "sql-database", "inputs": {
        "client": "postgres", "host": "db", "port": 5432, "database": "app", "username": "admin",
        "password": "pw", "creationStatement": "c", "revocationStatement": "r"}})
}

#[test]
fn lease_answers() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let slug = emu.project_slug(&p);
    let body = json!({"projectSlug": slug, "environmentSlug": "dev", "name": "db",
        "provider": sql_provider(), "defaultTTL": "1h"});
    let r = as_caller(&emu, &t).post("/api/v1/dynamic-secrets", body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    let ds = r.json()["dynamicSecret"].clone();
    assert!(ds.get("inputs").is_none(), "only get answers the inputs");
    assert_eq!(ds["type"], "sql-database");

    let body = json!({"projectSlug": slug, "environmentSlug": "dev", "dynamicSecretName": "DB"});
    let r = as_caller(&emu, &t).post("/api/v1/dynamic-secrets/leases", body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(sorted_keys(&v), ["data", "dynamicSecret", "lease"]);
    assert_eq!(sorted_keys(&v["data"]), ["DB_PASSWORD", "DB_USERNAME"]);
    assert_eq!(v["lease"]["externalEntityId"], v["data"]["DB_USERNAME"]);
    assert_eq!(
        sorted_keys(&v["lease"]),
        [
            "createdAt",
            "dynamicSecretId",
            "expireAt",
            "externalEntityId",
            "id",
            "status",
            "statusDetails",
            "updatedAt",
            "version"
        ]
    );
    let body = json!({"projectSlug": slug, "environmentSlug": "dev", "dynamicSecretName": "db", "ttl": "10s"});
    let r = as_caller(&emu, &t).post("/api/v1/dynamic-secrets/leases", body.clone());
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["message"][0]["message"],
        "TTL must be a greater than 1min"
    );
}

#[test]
fn errors_of_the_service() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    let slug = emu.project_slug(&p);
    let q = "/api/v1/dynamic-secrets?projectSlug=nope&environmentSlug=dev";
    let r = as_caller(&emu, &t).get(q);
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (500, json!("Find project by slug"))
    );
    let q = format!("/api/v1/dynamic-secrets?projectSlug={slug}&environmentSlug=dev&path=/nope");
    let r = as_caller(&emu, &t).get(&q);
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (404, json!("Folder not found"))
    );
    let body = json!({"projectSlug": slug, "environmentSlug": "dev", "name": "r", "defaultTTL": "1h",
        "provider": {"type": "redis", "inputs": {}}});
    let r = as_caller(&emu, &t).post("/api/v1/dynamic-secrets", body.clone());
    assert_eq!(
        r.status, 401,
        "validation failures are 401 on October 2024 servers"
    );
    let body = json!({"projectSlug": slug, "environmentSlug": "dev"});
    let r = as_caller(&emu, &t).delete("/api/v1/dynamic-secrets/absent", body.clone());
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (400, json!("Dynamic secret not found"))
    );
    let r = as_caller(&emu, &t).delete("/api/v1/dynamic-secrets/leases/absent", body.clone());
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (404, json!("Dynamic secret lease not found"))
    );
}
