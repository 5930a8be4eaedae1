//! Certificates through cert-manager, on both clients: issuing from a profile on an
//! internal CA (issued in the request) and on an external one (a pending request that
//! completes later, read and waited for), profiles, import, PKCS#12 export (users only);
//! servers of 2024 lack every route, and say so.

macro_rules! exercise_cert_manager {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::pki::*;
        use std::time::Duration;
        use $crate::support::UserClient;

        let world: &$crate::support::World = $world;
        let (emu, p) = (&world.emulator, world.project.as_str());
        let certs = $client.certificates();
        let ca = emu.create_certificate_authority(p, "Test CA");
        let internal = emu.create_certificate_profile(p, "web-servers", &ca, None);
        let external = emu.create_certificate_profile(p, "public-acme", &ca, Some(Duration::from_millis(400)));
        let lacks_route = |e: &infisical::Error| e.as_api().is_some_and(|a| a.is_route_not_found());

        if emu.mode() == infisical_emulator::ServerMode::Legacy {
            let err = certs.issue_from_profile(IssueFromProfile::new(&internal))$($aw)*.unwrap_err();
            assert!(lacks_route(&err), "{err}");
            let err = certs.list_profiles(ListCertificateProfiles::new(p))$($aw)*.unwrap_err();
            assert!(lacks_route(&err), "{err}");
            let err = certs.get(GetCertificate::by_id("00000000-0000-4000-8000-000000000000"))$($aw)*.unwrap_err();
            assert!(lacks_route(&err), "{err}");
        } else {
            // Profiles.
            let page = certs.list_profiles(ListCertificateProfiles::new(p))$($aw)*.unwrap();
            assert_eq!(page.total_count, 2);
            let profile = certs.get_profile(GetCertificateProfile::by_slug(p, "web-servers"))$($aw)*.unwrap();
            assert_eq!(profile.id, internal);
            assert_eq!(profile.ca_id.as_deref(), Some(ca.as_str()));

            // An internal CA issues in the request.
            let issue = IssueFromProfile::new(&internal).common_name("api.internal").dns_name("api.internal").ttl("30d");
            let CertificateIssue::Issued { certificate, request_id } = certs.issue_from_profile(issue)$($aw)*.unwrap() else {
                panic!("an internal CA issues at once")
            };
            assert!(certificate.certificate.starts_with("-----BEGIN CERTIFICATE-----"));
            let key = certificate.private_key.as_ref().expect("the server made the key");
            assert!(!format!("{certificate:?}").contains(key.expose()));
            let request = certs.get_request(GetCertificateRequest::new(&request_id))$($aw)*.unwrap();
            assert!(request.is_issued());
            assert_eq!(request.serial_number.as_deref(), Some(certificate.serial_number.as_str()));
            // ... and the /pki routes know it by its serial number.
            let record = certs.get(GetCertificate::new(&certificate.serial_number))$($aw)*.unwrap();
            assert_eq!(record.common_name, "api.internal");

            // An external CA answers a pending request, which completes later.
            let pending = certs.issue_from_profile(IssueFromProfile::new(&external).common_name("www.example.com"))$($aw)*.unwrap();
            let CertificateIssue::Pending(pending) = pending else { panic!("an external CA queues: {pending:?}") };
            assert_eq!(pending.status, CertificateRequestStatus::Pending);
            let now = certs.get_request(GetCertificateRequest::new(&pending.request_id))$($aw)*.unwrap();
            assert_eq!((now.status.clone(), now.certificate.clone()), (CertificateRequestStatus::Pending, None));
            // A deadline shorter than the CA: answered as it stands, still pending.
            let early = certs.wait_for_request(GetCertificateRequest::new(&pending.request_id), Duration::from_millis(50))$($aw)*.unwrap();
            assert!(!early.is_issued());
            let done = certs.wait_for_request(GetCertificateRequest::new(&pending.request_id), Duration::from_secs(10))$($aw)*.unwrap();
            assert!(done.is_issued(), "{done:?}");
            assert!(done.certificate.as_deref().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
            let certificate_id = done.certificate_id.clone().unwrap();
            // The request has no chain; the bundle has, by serial number (/pki) or by id (cert-manager).
            let bundle = certs.bundle(GetCertificateBundle::new(done.serial_number.as_deref().unwrap()))$($aw)*.unwrap();
            assert_eq!(Some(bundle.certificate.as_str()), done.certificate.as_deref());
            assert!(bundle.certificate_chain.is_some());
            let by_id = certs.bundle(GetCertificateBundle::by_id(&certificate_id))$($aw)*.unwrap();
            assert_eq!(by_id.certificate, bundle.certificate);
            let record = certs.get(GetCertificate::by_id(&certificate_id))$($aw)*.unwrap();
            assert_eq!(record.common_name, "www.example.com");
            let body = certs.body(GetCertificateBody::by_id(&certificate_id))$($aw)*.unwrap();
            assert_eq!(body.certificate, bundle.certificate);
            let key = certs.private_key(GetCertificatePrivateKey::by_id(&certificate_id))$($aw)*.unwrap();
            assert!(key.expose().starts_with("-----BEGIN PRIVATE KEY-----"));
            let missing = certs.get(GetCertificate::by_id("00000000-0000-4000-8000-000000000000"))$($aw)*.unwrap_err();
            assert!(missing.is_not_found(), "{missing}");

            // A pending request cancelled fails at once, and says so; cancelling again does nothing.
            let CertificateIssue::Pending(doomed) = certs.issue_from_profile(IssueFromProfile::new(&external).common_name("gone.example.com"))$($aw)*.unwrap() else {
                panic!("an external CA queues")
            };
            let cancelled = certs.cancel_request(CancelCertificateRequest::new(&doomed.request_id))$($aw)*.unwrap();
            assert!(cancelled.cancelled);
            assert_eq!(cancelled.status, CertificateRequestStatus::Failed);
            let failed = certs.wait_for_request(GetCertificateRequest::new(&doomed.request_id), Duration::from_secs(10))$($aw)*.unwrap();
            assert!(!failed.is_issued() && failed.status.is_final());
            assert!(failed.error_message.as_deref().unwrap().starts_with("Cancelled by"), "{failed:?}");
            let again = certs.cancel_request(CancelCertificateRequest::new(&doomed.request_id))$($aw)*.unwrap();
            assert!(!again.cancelled);

            // Import.
            let imported = certs.import(ImportCertificate::new(&certificate.certificate).private_key(key.expose()).friendly_name("copy"))$($aw)*.unwrap();
            assert_eq!(imported.certificate, certificate.certificate);
            assert!(!format!("{imported:?}").contains(key.expose()));
            let err = certs.import(ImportCertificate::new("not a pem"))$($aw)*.unwrap_err();
            assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "certificate_pem"), "{err}");

            // PKCS#12: users only.
            let export = ExportPkcs12::new(&certificate_id, "correct horse", "www");
            let refused = certs.export_pkcs12(export.clone())$($aw)*.unwrap_err();
            assert!(refused.is_users_only(), "{refused}");
            emu.add_user_token("pkcs12-user");
            let user = UserClient::of(&$client, world, "pkcs12-user");
            let p12 = user.certificates().export_pkcs12(export)$($aw)*.unwrap();
            assert_eq!(p12.as_bytes().first(), Some(&0x30), "DER: a SEQUENCE");
            assert!(!format!("{p12:?} {:?}", ExportPkcs12::new("c", "correct horse", "a")).contains("correct horse"));
            let err = user.certificates().export_pkcs12(ExportPkcs12::new(&certificate_id, "short", "www"))$($aw)*.unwrap_err();
            assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "password"), "{err}");

            // Revoked and deleted by id.
            let revoked = certs.revoke(RevokeCertificate::by_id(&certificate_id, RevocationReason::Superseded))$($aw)*.unwrap();
            assert_eq!(Some(revoked.serial_number.as_str()), done.serial_number.as_deref());
            assert_eq!(certs.get(GetCertificate::by_id(&certificate_id))$($aw)*.unwrap().status, "revoked");
            certs.delete(DeleteCertificate::by_id(&certificate_id))$($aw)*.unwrap();
            assert!(certs.get(GetCertificate::by_id(&certificate_id))$($aw)*.unwrap_err().is_not_found());
        }
    }};
}

on_every_client!(exercise_cert_manager, blocking: Modern);
