//! PKI certificates: the models and one request type per operation.
//!
//! Certificates are named by serial number. Issuing and signing answer PEM strings
//! (`certificate`, `issuingCaCertificate`, `certificateChain`, `privateKey`); the private-key
//! route answers the PEM as plain text, not JSON. The bundle and private-key routes exist on
//! newer servers only. Private keys are [`SecretString`](crate::SecretString)s.
//!
//! Current servers issue through cert-manager ([`IssueFromProfile`], certificate
//! requests that may complete later, [`ImportCertificate`], [`ExportPkcs12`], certificate
//! profiles) and keep the `/api/v1/pki/certificates` routes above, marked for
//! deprecation; servers of 2024 have only those.

mod cert_manager;
mod certificate_request;
mod import;
mod model;
mod pkcs12;
mod profiles;
mod read;
mod write;

pub use cert_manager::{
    CertificateIssue, CertificateRequestStatus, IssueFromProfile, PendingCertificate,
    ProfileCertificate,
};
pub use certificate_request::{
    CancelCertificateRequest, CancelledRequest, CertificateRequest, GetCertificateRequest,
};
pub use import::{ImportCertificate, ImportedCertificate};
pub use pkcs12::{ExportPkcs12, Pkcs12};
pub use profiles::{
    CertificateProfile, CertificateProfilePage, GetCertificateProfile, ListCertificateProfiles,
};

pub use model::{
    Certificate, CertificateBody, CertificateBundle, IssuedCertificate, Revocation,
    RevocationReason, SignedCertificate,
};
pub use read::{
    GetCertificate, GetCertificateBody, GetCertificateBundle, GetCertificatePrivateKey,
};
pub use write::{DeleteCertificate, IssueCertificate, RevokeCertificate, SignCertificate};

#[cfg(test)]
mod tests;
