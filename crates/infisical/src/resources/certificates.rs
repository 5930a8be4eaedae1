//! `client.certificates()`.

use crate::pki::{
    Certificate, CertificateBody, CertificateBundle, DeleteCertificate, GetCertificate,
    GetCertificateBody, GetCertificateBundle, GetCertificatePrivateKey, IssueCertificate,
    IssuedCertificate, Revocation, RevokeCertificate, SignCertificate, SignedCertificate,
};
use crate::SecretString;

super::resource! {
    /// PKI certificates, named by serial number.
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
}
