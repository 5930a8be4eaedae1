//! cert-manager on the wire: profiles, issuing from them (at once on an internal CA, a
//! pending request on an external one), requests, import, PKCS#12 (users only), and the
//! 404 of a server of 2024.

mod common;

use std::time::Duration;

use common::{as_caller, setup, sorted_keys};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

const BASE: &str = "/api/v1/cert-manager/certificates";

#[test]
fn an_internal_ca_issues_at_once_and_an_external_one_later() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let ca = emu.create_certificate_authority(&p, "CA");
    let now = emu.create_certificate_profile(&p, "web", &ca, None);
    let later = emu.create_certificate_profile(&p, "acme", &ca, Some(Duration::from_millis(150)));

    let r = as_caller(&emu, &t).post(
        BASE,
        json!({"profileId": now, "attributes": {"commonName": "a.internal", "ttl": "1d"}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(
        sorted_keys(&v),
        ["certificate", "certificateRequestId", "status"]
    );
    assert_eq!(v["status"], "issued");
    assert_eq!(
        sorted_keys(&v["certificate"]),
        [
            "certificate",
            "certificateChain",
            "certificateId",
            "issuingCaCertificate",
            "privateKey",
            "serialNumber"
        ]
    );

    let r = as_caller(&emu, &t).post(
        BASE,
        json!({"profileId": later, "attributes": {"commonName": "b.example"}}),
    );
    let v = r.json();
    assert_eq!(v["certificate"], serde_json::Value::Null);
    assert_eq!(v["status"], "pending");
    let id = v["certificateRequestId"].as_str().unwrap().to_string();
    let read = || {
        as_caller(&emu, &t)
            .get(&format!("{BASE}/certificate-requests/{id}"))
            .json()
    };
    let first = read();
    assert_eq!(
        (first["status"].as_str(), first["certificate"].is_null()),
        (Some("pending"), true)
    );
    std::thread::sleep(Duration::from_millis(200));
    let done = read();
    assert_eq!(done["status"], "issued");
    assert!(done["certificate"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(done["privateKey"].is_string());

    // The ttl is checked, the profile must exist.
    let r = as_caller(&emu, &t).post(BASE, json!({"profileId": now, "attributes": {"ttl": "0d"}}));
    assert_eq!(r.status, 422, "{}", r.body);
    let r = as_caller(&emu, &t).post(BASE, json!({"profileId": "nope"}));
    assert_eq!(r.status, 404, "{}", r.body);
    let r = as_caller(&emu, &t).get(&format!("{BASE}/certificate-requests/nope"));
    assert_eq!(r.status, 404, "{}", r.body);
}

#[test]
fn profiles_import_and_pkcs12() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let ca = emu.create_certificate_authority(&p, "CA");
    let profile = emu.create_certificate_profile(&p, "web", &ca, None);
    let v = as_caller(&emu, &t)
        .get(&format!(
            "/api/v1/cert-manager/certificate-profiles?projectId={p}"
        ))
        .json();
    assert_eq!(v["totalCount"], 1);
    assert_eq!(v["certificateProfiles"][0]["slug"], "web");
    let v = as_caller(&emu, &t)
        .get(&format!(
            "/api/v1/cert-manager/certificate-profiles/slug/web?projectId={p}"
        ))
        .json();
    assert_eq!(v["certificateProfile"]["id"], profile.as_str());

    let r = as_caller(&emu, &t).post(
        &format!("{BASE}/import-certificate"),
        json!({"certificatePem": "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        sorted_keys(&r.json()),
        [
            "certificate",
            "certificateChain",
            "certificateId",
            "privateKey",
            "serialNumber"
        ]
    );

    let issued = as_caller(&emu, &t)
        .post(BASE, json!({"profileId": profile}))
        .json();
    let id = issued["certificate"]["certificateId"]
        .as_str()
        .unwrap()
        .to_string();
    let export = format!("{BASE}/{id}/pkcs12");
    let body = json!({"password": "secret-pw", "alias": "web"});
    let r = as_caller(&emu, &t).post(&export, body.clone());
    assert_eq!(r.status, 403, "a machine identity: {}", r.body);
    emu.add_user_token("user");
    let r = as_caller(&emu, "user").post(&export, body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    assert!(!r.body.contains("secret-pw"));
    let r = as_caller(&emu, "user").post(&export, json!({"password": "short", "alias": "web"}));
    assert_eq!(r.status, 422, "{}", r.body);
}

#[test]
fn october_2024_servers_have_no_cert_manager() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (_, t) = setup(&emu);
    let r = as_caller(&emu, &t).post(BASE, json!({"profileId": "x"}));
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["message"], format!("Route POST:{BASE} not found"));
}
