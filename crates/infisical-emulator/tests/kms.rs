//! KMS on the wire: `/api/v1/kms/keys`.

mod common;

use common::{as_caller, send, setup, sorted_keys};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

#[test]
fn keys_encrypt_and_sign() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let r = as_caller(&emu, &t).post("/api/v1/kms/keys", json!({"projectId": p, "name": "k1"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let key = r.json()["key"].clone();
    assert_eq!(
        sorted_keys(&key),
        [
            "createdAt",
            "description",
            "encryptionAlgorithm",
            "id",
            "isDisabled",
            "keyUsage",
            "name",
            "orgId",
            "projectId",
            "slug",
            "updatedAt",
            "version"
        ]
    );
    assert_eq!(
        (key["encryptionAlgorithm"].clone(), key["keyUsage"].clone()),
        (json!("aes-256-gcm"), json!("encrypt-decrypt"))
    );
    let id = key["id"].as_str().unwrap();
    let r = as_caller(&emu, &t).post(
        &format!("/api/v1/kms/keys/{id}/encrypt"),
        json!({"plaintext": "aGk="}),
    );
    let ciphertext = r.json()["ciphertext"].as_str().unwrap().to_string();
    let r = as_caller(&emu, &t).post(
        &format!("/api/v1/kms/keys/{id}/decrypt"),
        json!({"ciphertext": ciphertext}),
    );
    assert_eq!(r.json(), json!({"plaintext": "aGk="}));
    let r = as_caller(&emu, &t).post(
        &format!("/api/v1/kms/keys/{id}/encrypt"),
        json!({"plaintext": "not base64!"}),
    );
    assert_eq!(
        (r.status, r.json()["message"][0]["message"].clone()),
        (422, json!("plaintext must be base64 encoded"))
    );
    let r = as_caller(&emu, &t).get(&format!("/api/v1/kms/keys/{id}/signing-algorithms"));
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (
            400,
            json!(format!("Key with ID '{id}' is not intended for signing"))
        )
    );
    let r = as_caller(&emu, &t).get(&format!("/api/v1/kms/keys?projectId={p}&limit=101"));
    assert_eq!(r.status, 422);
    let r = as_caller(&emu, &t).get(&format!("/api/v1/kms/keys/{}", common::NIL_UUID));
    assert_eq!(
        r.json()["message"],
        format!("Key with ID \"{}\" not found", common::NIL_UUID)
    );
}

#[test]
fn october_2024_servers_lack_the_newer_routes() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    let r = as_caller(&emu, &t).post(
        "/api/v1/kms/keys",
        json!({"projectId": p, "name": "k1", "keyUsage": "sign-verify"}),
    );
    let key = r.json()["key"].clone();
    assert_eq!(key["isReserved"], false);
    assert!(key.get("keyUsage").is_none() && key.get("encryptionAlgorithm").is_none());
    let id = key["id"].as_str().unwrap();
    for (method, path) in [
        ("GET", format!("/api/v1/kms/keys/{id}")),
        ("POST", format!("/api/v1/kms/keys/{id}/sign")),
    ] {
        let r = send(&emu, method, &path, Some(&t), Some(&json!({})));
        assert_eq!(
            (r.status, r.json()["error"].clone()),
            (404, json!("Not Found")),
            "{path}"
        );
    }
    let list = as_caller(&emu, &t)
        .get(&format!("/api/v1/kms/keys?projectId={p}"))
        .json();
    assert_eq!(
        (
            list["totalCount"].clone(),
            list["keys"][0]["encryptionAlgorithm"].clone()
        ),
        (json!(1), json!("aes-256-gcm"))
    );
    let r = as_caller(&emu, &t).post("/api/v1/kms/keys", json!({"projectId": p, "name": "k1"}));
    assert_eq!(r.status, 500, "the unique index fails: {}", r.body);
}
