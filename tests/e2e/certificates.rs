//! Every PKI certificate method, through the async client on a current and on a legacy
//! server, and through the blocking client.

use crate::support::World;
use infisical::credentials::UniversalAuth;
use infisical_emulator::ServerMode;

/// Runs every method of `$client.certificates()` against `$world` in `$mode`.
macro_rules! exercise_every_certificates_method {
    ($client:expr, $world:expr, $mode:expr, [$($aw:tt)*]) => {{
        use infisical::pki::*;
        use infisical_emulator::ServerMode;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let legacy = matches!($mode, ServerMode::Legacy);
        let certs = $client.certificates();
        let status = |e: &infisical::Error| e.status().map(|s| s.as_u16());
        let lacks_route = |e: &infisical::Error| e.as_api().is_some_and(|a| a.is_route_not_found());
        let ca = emu.create_certificate_authority(&world.project, "Test CA");

        // issue: the certificate, its chain, the CA's certificate, a private key
        let issue = IssueCertificate::new(&ca, "api.internal", "90d").alt_names(["api.internal", "api2.internal"]);
        let issued = certs.issue(issue)$($aw)*.expect("issue");
        assert!(issued.certificate.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(issued.private_key.expose().starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(!format!("{issued:?}").contains(issued.private_key.expose()));
        assert_eq!(issued.certificate_chain, issued.issuing_ca_certificate);
        let serial = issued.serial_number.clone();

        // the record, the body and chain
        let record = certs.get(GetCertificate::new(&serial))$($aw)*.expect("get");
        assert_eq!((record.common_name.as_str(), record.status.as_str()), ("api.internal", "active"));
        assert_eq!(record.alt_names.as_deref(), Some("api.internal,api2.internal"));
        assert_eq!(record.ca_id.as_deref(), Some(ca.as_str()));
        let body = certs.body(GetCertificateBody::new(&serial))$($aw)*.expect("body");
        assert_eq!((body.certificate.as_str(), body.certificate_chain.as_deref()), (issued.certificate.as_str(), Some(issued.certificate_chain.as_str())));

        // the bundle and the private key (plain text): newer servers only
        let bundle = certs.bundle(GetCertificateBundle::new(&serial))$($aw)*;
        let key = certs.private_key(GetCertificatePrivateKey::new(&serial))$($aw)*;
        if legacy {
            assert!(lacks_route(&bundle.unwrap_err()));
            assert!(lacks_route(&key.unwrap_err()));
        } else {
            let bundle = bundle.expect("bundle");
            assert_eq!(bundle.private_key.as_ref().map(|k| k.expose()), Some(issued.private_key.expose()));
            assert_eq!(key.expect("private key").expose(), issued.private_key.expose());
        }

        // sign a CSR: no private key comes back
        let csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----";
        let signed = certs.sign(SignCertificate::new(&ca, csr, "30d").common_name("worker.internal"))$($aw)*.expect("sign");
        assert!(signed.certificate.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_ne!(signed.serial_number, serial);
        let bad_csr = certs.sign(SignCertificate::new(&ca, "not a csr", "30d"))$($aw)*.unwrap_err();
        assert_eq!(status(&bad_csr), Some(400), "{bad_csr}");

        // revoke, with a reason; twice fails
        let revoked = certs.revoke(RevokeCertificate::new(&serial, RevocationReason::KeyCompromise))$($aw)*.expect("revoke");
        assert_eq!(revoked.serial_number, serial);
        let record = certs.get(GetCertificate::new(&serial))$($aw)*.unwrap();
        assert_eq!((record.status.as_str(), record.revocation_reason), ("revoked", Some(1)));
        assert_eq!(record.revoked_at.as_deref(), Some(revoked.revoked_at.as_str()));
        let again = certs.revoke(RevokeCertificate::new(&serial, RevocationReason::Superseded))$($aw)*.unwrap_err();
        assert_eq!(status(&again), Some(500), "{again}");

        // delete; a missing certificate is a 500 on both generations (recorded)
        let deleted = certs.delete(DeleteCertificate::new(&signed.serial_number))$($aw)*.expect("delete");
        assert_eq!(deleted.common_name, "worker.internal");
        let gone = certs.get(GetCertificate::new(&signed.serial_number))$($aw)*.unwrap_err();
        assert_eq!(status(&gone), Some(500), "{gone}");
        let no_ca = certs.issue(IssueCertificate::new(NO_CA, "x", "1d"))$($aw)*.unwrap_err();
        assert!(no_ca.is_not_found(), "{no_ca}");

        // checked before sending
        let sent = emu.requests().len();
        let err = certs.issue(IssueCertificate::new("", "cn", "1d"))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "ca_id"), "{err}");
        let err = certs.get(GetCertificate::new(" "))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "serial_number"), "{err}");
        assert_eq!(emu.requests().len(), sent);
    }};
}

/// A well-formed id that names no CA.
const NO_CA: &str = "00000000-0000-4000-a000-000000000000";

#[tokio::test]
async fn every_certificates_method_on_a_current_server() {
    let world = World::new(ServerMode::Modern);
    let client = world.client_without_retries();
    exercise_every_certificates_method!(client, &world, ServerMode::Modern, [.await]);
}

#[tokio::test]
async fn every_certificates_method_on_a_legacy_server() {
    let world = World::new(ServerMode::Legacy);
    let client = world.client_without_retries();
    exercise_every_certificates_method!(client, &world, ServerMode::Legacy, [.await]);
}

#[test]
fn every_certificates_method_through_the_blocking_client() {
    let world = World::new(ServerMode::Modern);
    let client = infisical::blocking::Client::builder()
        .base_url(world.emulator.url())
        .credentials(UniversalAuth::new(
            world.client_id.clone(),
            world.client_secret.clone(),
        ))
        .no_retries()
        .build()
        .unwrap();
    exercise_every_certificates_method!(client, &world, ServerMode::Modern, []);
}

#[tokio::test]
async fn a_certificate_without_a_chain_is_read() {
    use infisical::pki::GetCertificateBody;
    use infisical_emulator::{Fault, Route};
    let world = World::new(ServerMode::Modern);
    let client = world.client_without_retries();
    // What a current server answers for a certificate that has no chain.
    world.emulator.inject(
        Route::new("GET", "/api/v1/pki/certificates/"),
        Fault::json(
            200,
            serde_json::json!({
                "certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                "certificateChain": null,
                "serialNumber": "5fb0126b66ec70058af19910df76d6b50cd2d0ef",
            }),
        ),
    );
    let body = client
        .certificates()
        .body(GetCertificateBody::new(
            "5fb0126b66ec70058af19910df76d6b50cd2d0ef",
        ))
        .await
        .expect("a null chain is no chain");
    assert_eq!(body.certificate_chain, None);
}
