//! PKI certificates: the models and one request type per operation.
//!
//! Certificates are named by serial number. Issuing and signing answer PEM strings
//! (`certificate`, `issuingCaCertificate`, `certificateChain`, `privateKey`); the private-key
//! route answers the PEM as plain text, not JSON. The bundle and private-key routes exist on
//! newer servers only. Private keys are [`SecretString`](crate::SecretString)s.

mod model;
mod read;
mod write;

pub use model::{
    Certificate, CertificateBody, CertificateBundle, IssuedCertificate, Revocation,
    RevocationReason, SignedCertificate,
};
pub use read::{
    GetCertificate, GetCertificateBody, GetCertificateBundle, GetCertificatePrivateKey,
};
pub use write::{DeleteCertificate, IssueCertificate, RevokeCertificate, SignCertificate};
