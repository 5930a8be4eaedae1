//! PKI certificates on the wire: `/api/v1/pki/certificates`.

mod common;

use common::{as_caller, setup, sorted_keys, NIL_UUID};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

#[test]
fn issued_certificates_and_their_private_key() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let ca = emu.create_certificate_authority(&p, "CA");
    let body = json!({"caId": ca, "commonName": "svc.internal", "ttl": "1d"});
    let r = as_caller(&emu, &t).post("/api/v1/pki/certificates/issue-certificate", body.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    let issued = r.json();
    assert_eq!(
        sorted_keys(&issued),
        [
            "certificate",
            "certificateChain",
            "issuingCaCertificate",
            "privateKey",
            "serialNumber"
        ]
    );
    let serial = issued["serialNumber"].as_str().unwrap();
    // The private-key route answers the PEM itself, not JSON.
    let r = as_caller(&emu, &t).get(&format!("/api/v1/pki/certificates/{serial}/private-key"));
    assert_eq!(r.status, 200);
    assert_eq!(r.body, issued["privateKey"].as_str().unwrap());
    let record = as_caller(&emu, &t)
        .get(&format!("/api/v1/pki/certificates/{serial}"))
        .json();
    assert_eq!(record["certificate"]["status"], "active");
    assert_eq!(record["certificate"]["projectId"], json!(p));

    let r = as_caller(&emu, &t).post(
        "/api/v1/pki/certificates/issue-certificate",
        json!({"commonName": "x", "ttl": "1d"}),
    );
    assert_eq!(
        r.status, 422,
        "caId or certificateTemplateId is required: {}",
        r.body
    );
    let body = json!({"caId": NIL_UUID, "commonName": "x", "ttl": "1d"});
    let r = as_caller(&emu, &t).post("/api/v1/pki/certificates/issue-certificate", body.clone());
    assert_eq!(
        (r.status, r.json()["message"].clone()),
        (404, json!("CA not found"))
    );
}

#[test]
fn october_2024_servers() {
    let emu = Emulator::builder().mode(ServerMode::Legacy).start();
    let (p, t) = setup(&emu);
    let ca = emu.create_certificate_authority(&p, "CA");
    let body = json!({"caId": ca, "commonName": "svc.internal", "ttl": "1d"});
    let serial = as_caller(&emu, &t)
        .post("/api/v1/pki/certificates/issue-certificate", body.clone())
        .json()["serialNumber"]
        .as_str()
        .unwrap()
        .to_string();
    for route in ["bundle", "private-key"] {
        let r = as_caller(&emu, &t).get(&format!("/api/v1/pki/certificates/{serial}/{route}"));
        assert_eq!(
            (r.status, r.json()["error"].clone()),
            (404, json!("Not Found")),
            "{route}"
        );
    }
    let r = as_caller(&emu, &t).post(
        &format!("/api/v1/pki/certificates/{serial}/revoke"),
        json!({"revocationReason": "SUPERSEDED"}),
    );
    assert_eq!(r.json()["message"], "Successfully revoked certificate");
    let record = as_caller(&emu, &t)
        .get(&format!("/api/v1/pki/certificates/{serial}"))
        .json();
    assert_eq!(
        (
            record["certificate"]["revocationReason"].clone(),
            record["certificate"].get("projectId")
        ),
        (json!(4), None)
    );
    let r = as_caller(&emu, &t).get("/api/v1/pki/certificates/ffff");
    assert_eq!(r.status, 500, "a missing certificate is a TypeError there");
}
