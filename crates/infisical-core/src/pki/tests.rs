//! Decoding cert-manager answers shaped as upstream's `certificate-router.ts` declares them
//! (no recording of these routes exists), and hostile ones.

use super::*;
use crate::{ApiGeneration, Operation};
use bytes::Bytes;

fn answer<O: Operation>(
    op: &O,
    status: u16,
    ct: &str,
    body: &[u8],
) -> Result<O::Output, crate::Error> {
    let response = http::Response::builder()
        .status(status)
        .header("content-type", ct)
        .body(Bytes::from(body.to_vec()))
        .unwrap();
    op.parse_response(response)
}

fn issue(body: &str) -> Result<CertificateIssue, crate::Error> {
    answer(
        &IssueFromProfile::new("p"),
        200,
        "application/json",
        body.as_bytes(),
    )
}

#[test]
fn issued_pending_and_contradictory_answers() {
    let issued = issue(r#"{"certificate":{"certificate":"C","issuingCaCertificate":"I","certificateChain":"H","privateKey":"K-secret","serialNumber":"01","certificateId":"id"},"certificateRequestId":"r","status":"issued"}"#).unwrap();
    let CertificateIssue::Issued {
        certificate,
        request_id,
    } = &issued
    else {
        panic!("{issued:?}")
    };
    assert_eq!(
        (request_id.as_str(), certificate.serial_number.as_str()),
        ("r", "01")
    );
    assert!(!format!("{issued:?}").contains("K-secret"));
    // A server that sends no status with a certificate issued it.
    assert!(matches!(
        issue(
            r#"{"certificate":{"certificate":"C","serialNumber":"01"},"certificateRequestId":"r"}"#
        )
        .unwrap(),
        CertificateIssue::Issued { .. }
    ));

    for (body, status) in [
        (
            r#"{"certificate":null,"certificateRequestId":"r","status":"pending","message":"queued"}"#,
            CertificateRequestStatus::Pending,
        ),
        (
            r#"{"certificate":null,"certificateRequestId":"r","status":"pending_approval"}"#,
            CertificateRequestStatus::PendingApproval,
        ),
        (
            r#"{"certificate":null,"certificateRequestId":"r"}"#,
            CertificateRequestStatus::Pending,
        ),
        (
            r#"{"certificate":null,"certificateRequestId":"r","status":"queued_somewhere"}"#,
            CertificateRequestStatus::Other("queued_somewhere".into()),
        ),
    ] {
        let CertificateIssue::Pending(p) = issue(body).unwrap() else {
            panic!("{body}")
        };
        assert_eq!(p.status, status, "{body}");
    }
    for hostile in [
        r#"{"certificate":null,"certificateRequestId":"r","status":"issued"}"#,
        r#"{"certificate":{"certificate":"C","serialNumber":"01"},"certificateRequestId":"r","status":"pending"}"#,
        r#"{"certificate":null}"#,
        r#"{"certificate":{"certificate":7},"certificateRequestId":"r"}"#,
        r#"[]"#,
    ] {
        let err = issue(hostile).unwrap_err();
        assert!(matches!(err, crate::Error::Decode(_)), "{hostile}: {err}");
    }
}

#[test]
fn requests_decode_and_say_when_they_are_final() {
    let body = br#"{"status":"issued","certificate":"C","certificateId":"i","privateKey":"K-secret","serialNumber":"01","errorMessage":null,"pendingMessage":null,"commonName":"a","createdAt":"t","updatedAt":"t"}"#;
    let r = answer(
        &GetCertificateRequest::new("r"),
        200,
        "application/json",
        body,
    )
    .unwrap();
    assert!(r.is_issued() && r.status.is_final());
    assert!(!format!("{r:?}").contains("K-secret"));
    let r = answer(
        &GetCertificateRequest::new("r"),
        200,
        "application/json",
        br#"{"status":"failed","errorMessage":"CA refused"}"#,
    )
    .unwrap();
    assert!(r.status.is_final() && !r.is_issued());
    for open in [
        "pending",
        "pending_validation",
        "pending_approval",
        "something_new",
    ] {
        let body = format!(r#"{{"status":"{open}"}}"#);
        let r = answer(
            &GetCertificateRequest::new("r"),
            200,
            "application/json",
            body.as_bytes(),
        )
        .unwrap();
        assert!(!r.status.is_final(), "{open}");
    }
    let err = answer(
        &GetCertificateRequest::new("r"),
        200,
        "application/json",
        br#"{"certificate":"C"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, crate::Error::Decode(_)), "no status: {err}");
}

#[test]
fn pkcs12_is_bytes_redacted_and_its_request_checked() {
    let request = ExportPkcs12::new("c 1", "hunter22", "web");
    let http = request.to_http(ApiGeneration::Current).unwrap();
    assert_eq!(
        http.uri().path(),
        "/api/v1/cert-manager/certificates/c%201/pkcs12"
    );
    let sent: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"password": "hunter22", "alias": "web"})
    );
    assert!(!format!("{request:?}").contains("hunter22"));
    let p12 = answer(
        &request,
        200,
        "application/octet-stream",
        &[0x30, 0x82, 0, 1, 0xff],
    )
    .unwrap();
    assert_eq!(p12.as_bytes(), [0x30, 0x82, 0, 1, 0xff]);
    assert_eq!(format!("{p12:?}"), "Pkcs12([5 bytes, redacted])");
    let err = answer(
        &request,
        403,
        "application/json",
        br#"{"statusCode":403,"message":"m","error":"Forbidden access to /x"}"#,
    )
    .unwrap_err();
    assert!(err.is_users_only(), "{err}");
    for (bad, field) in [
        (ExportPkcs12::new("c", "12345", "web"), "password"),
        (ExportPkcs12::new("c", "123456", " "), "alias"),
        (ExportPkcs12::new("", "123456", "web"), "certificate_id"),
    ] {
        assert_eq!(bad.validate().unwrap_err().field(), field);
    }
}

#[test]
fn issue_bodies_and_profile_routes() {
    let request = IssueFromProfile::new("p")
        .common_name("a")
        .dns_name("a.example")
        .ip_address("10.0.0.1")
        .ttl("30d")
        .key_usages(["digital_signature"]);
    let http = request.to_http(ApiGeneration::Current).unwrap();
    let sent: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"profileId": "p", "attributes": {"commonName": "a", "ttl": "30d",
            "altNames": [{"type": "dns_name", "value": "a.example"}, {"type": "ip_address", "value": "10.0.0.1"}],
            "keyUsages": ["digital_signature"]}})
    );
    assert_eq!(
        IssueFromProfile::new("p")
            .ttl(" ")
            .validate()
            .unwrap_err()
            .field(),
        "ttl"
    );
    let http = GetCertificateProfile::by_slug("proj", "web")
        .to_http(ApiGeneration::Current)
        .unwrap();
    assert_eq!(
        http.uri().to_string(),
        "/api/v1/cert-manager/certificate-profiles/slug/web?projectId=proj"
    );
    assert_eq!(
        ListCertificateProfiles::new("p")
            .limit(101)
            .validate()
            .unwrap_err()
            .field(),
        "limit"
    );
}

#[test]
fn cancelling_a_request() {
    let request = CancelCertificateRequest::new("r 1");
    let http = request.to_http(ApiGeneration::Current).unwrap();
    assert_eq!(http.method(), http::Method::POST);
    assert_eq!(
        http.uri().path(),
        "/api/v1/cert-manager/certificates/certificate-requests/r%201/cancel"
    );
    let done = answer(
        &request,
        200,
        "application/json",
        br#"{"status":"failed","cancelled":true,"errorMessage":"Cancelled by u"}"#,
    )
    .unwrap();
    assert!(done.cancelled && done.status.is_final());
    let err = answer(&request, 200, "application/json", br#"{"status":"failed"}"#).unwrap_err();
    assert!(
        matches!(err, crate::Error::Decode(_)),
        "no `cancelled`: {err}"
    );
    assert_eq!(
        CancelCertificateRequest::new(" ")
            .validate()
            .unwrap_err()
            .field(),
        "request_id"
    );
}

#[test]
fn certificates_named_by_serial_or_by_id() {
    let cases: Vec<(http::Request<Bytes>, &str)> = vec![
        (
            GetCertificate::new("ab")
                .to_http(ApiGeneration::Current)
                .unwrap(),
            "/api/v1/pki/certificates/ab",
        ),
        (
            GetCertificate::by_id("i d")
                .to_http(ApiGeneration::Current)
                .unwrap(),
            "/api/v1/cert-manager/certificates/i%20d",
        ),
        (
            GetCertificateBody::by_id("i")
                .to_http(ApiGeneration::Current)
                .unwrap(),
            "/api/v1/cert-manager/certificates/i/certificate",
        ),
        (
            GetCertificateBundle::by_id("i")
                .to_http(ApiGeneration::Current)
                .unwrap(),
            "/api/v1/cert-manager/certificates/i/bundle",
        ),
        (
            GetCertificatePrivateKey::by_id("i")
                .to_http(ApiGeneration::Current)
                .unwrap(),
            "/api/v1/cert-manager/certificates/i/private-key",
        ),
        (
            RevokeCertificate::by_id("i", RevocationReason::Superseded)
                .to_http(ApiGeneration::Current)
                .unwrap(),
            "/api/v1/cert-manager/certificates/i/revoke",
        ),
        (
            DeleteCertificate::by_id("i")
                .to_http(ApiGeneration::Current)
                .unwrap(),
            "/api/v1/cert-manager/certificates/i",
        ),
        (
            DeleteCertificate::new("ab")
                .to_http(ApiGeneration::Current)
                .unwrap(),
            "/api/v1/pki/certificates/ab",
        ),
    ];
    for (request, path) in cases {
        assert_eq!(request.uri().path(), path);
    }
    assert_eq!(
        GetCertificate::by_id(" ").validate().unwrap_err().field(),
        "certificate_id"
    );
    assert_eq!(
        GetCertificate::new("").validate().unwrap_err().field(),
        "serial_number"
    );
}
