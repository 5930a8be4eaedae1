//! `client.certificates()`.

use std::time::Duration;

use crate::pki::{
    CancelCertificateRequest, CancelledRequest, Certificate, CertificateBody, CertificateBundle, CertificateIssue, CertificateProfile,
    CertificateProfilePage, CertificateRequest, DeleteCertificate, ExportPkcs12, GetCertificate,
    GetCertificateBody, GetCertificateBundle, GetCertificatePrivateKey, GetCertificateProfile,
    GetCertificateRequest, ImportCertificate, ImportedCertificate, IssueCertificate,
    IssueFromProfile, IssuedCertificate, ListCertificateProfiles, Pkcs12, Revocation,
    RevokeCertificate, SignCertificate, SignedCertificate,
};
use crate::{Error, SecretString};

super::resource! {
    /// PKI certificates: the `/api/v1/pki` routes (named by serial number; every server)
    /// and cert-manager's (current servers): issuing from a profile, certificate requests,
    /// import, PKCS#12 export.
    Certificates, certificates;
    /// Gets a certificate's record.
    fn get(GetCertificate) -> Certificate;
    /// Gets a certificate's PEM and chain.
    fn body(GetCertificateBody) -> CertificateBody;
    /// Gets a certificate, its chain and its private key at once.
    fn bundle(GetCertificateBundle) -> CertificateBundle;
    /// Gets a certificate's private key (PEM).
    fn private_key(GetCertificatePrivateKey) -> SecretString;
    /// Issues a certificate and its private key from a CA.
    fn issue(IssueCertificate) -> IssuedCertificate;
    /// Has a CA sign a CSR.
    fn sign(SignCertificate) -> SignedCertificate;
    /// Revokes a certificate.
    fn revoke(RevokeCertificate) -> Revocation;
    /// Deletes a certificate's record; answers the deleted record.
    fn delete(DeleteCertificate) -> Certificate;
    /// Issues from a certificate profile: issued now, or a pending request (an external CA)
    /// to read with [`get_request`](Self::get_request) or wait for with
    /// [`wait_for_request`](Self::wait_for_request).
    fn issue_from_profile(IssueFromProfile) -> CertificateIssue;
    /// Reads a certificate request: where it stands, its certificate once issued.
    fn get_request(GetCertificateRequest) -> CertificateRequest;
    /// Cancels a certificate request that is still pending.
    fn cancel_request(CancelCertificateRequest) -> CancelledRequest;
    /// Imports a certificate issued elsewhere.
    fn import(ImportCertificate) -> ImportedCertificate;
    /// Exports a certificate and its key as a PKCS#12 file (users only).
    fn export_pkcs12(ExportPkcs12) -> Pkcs12;
    /// Lists a project's certificate profiles, a page at a time.
    fn list_profiles(ListCertificateProfiles) -> CertificateProfilePage;
    /// Gets a project's certificate profile by slug.
    fn get_profile(GetCertificateProfile) -> CertificateProfile;
}

/// The first pause between two reads of a pending request; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(200);
const MAX_PAUSE: Duration = Duration::from_secs(5);

impl Certificates<'_> {
    /// Reads the request until it is final (issued, failed or rejected) or `deadline` has
    /// passed, pausing between reads (from 200 ms, doubling, at most 5 s, never past the
    /// deadline). Answers the request as it last stood: check
    /// [`is_issued`](CertificateRequest::is_issued) — at the deadline it may still be
    /// pending, and a failed one says why in `error_message`. Errors are the reads' own.
    pub async fn wait_for_request(
        self,
        request: GetCertificateRequest,
        deadline: Duration,
    ) -> Result<CertificateRequest, Error> {
        let until = tokio::time::Instant::now() + deadline;
        let mut pause = FIRST_PAUSE;
        loop {
            let current = self.client.execute(&request).await?;
            let now = tokio::time::Instant::now();
            if current.status.is_final() || now >= until {
                return Ok(current);
            }
            tokio::time::sleep(pause.min(until - now)).await;
            pause = (pause * 2).min(MAX_PAUSE);
        }
    }
}

impl blocking::Certificates<'_> {
    /// Reads the request until it is final or `deadline` has passed: see the async
    /// client's [`wait_for_request`](Certificates::wait_for_request).
    pub fn wait_for_request(
        self,
        request: GetCertificateRequest,
        deadline: Duration,
    ) -> Result<CertificateRequest, Error> {
        self.client.block_on(
            self.client
                .as_async()
                .certificates()
                .wait_for_request(request, deadline),
        )?
    }
}
