//! Certificates and the PEM answers of the certificate routes.

use crate::SecretString;
use serde::{Deserialize, Serialize};

/// A certificate's record: who it is for, its validity, its status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Certificate {
    /// The certificate's id.
    pub id: String,
    /// Its serial number, which the routes name it by.
    pub serial_number: String,
    /// `active` or `revoked`.
    pub status: String,
    /// The common name (CN).
    pub common_name: String,
    /// A friendly name.
    pub friendly_name: Option<String>,
    /// Subject alternative names, comma-separated.
    pub alt_names: Option<String>,
    /// When the certificate starts being valid (RFC 3339).
    pub not_before: Option<String>,
    /// When it stops being valid (RFC 3339).
    pub not_after: Option<String>,
    /// When it was revoked (RFC 3339), if it was.
    pub revoked_at: Option<String>,
    /// The CRL reason code of the revocation, if revoked.
    pub revocation_reason: Option<u32>,
    /// The issuing CA's id.
    pub ca_id: Option<String>,
    /// The id of the CA certificate that signed it.
    pub ca_cert_id: Option<String>,
    /// The template it was issued from, if any.
    pub certificate_template_id: Option<String>,
    /// The key usages.
    pub key_usages: Option<Vec<String>>,
    /// The extended key usages.
    pub extended_key_usages: Option<Vec<String>>,
    /// The project's id (newer servers).
    pub project_id: Option<String>,
    /// When the record was created (RFC 3339).
    pub created_at: Option<String>,
    /// When the record last changed (RFC 3339).
    pub updated_at: Option<String>,
}

/// A certificate's PEM and chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CertificateBody {
    /// The certificate (PEM).
    pub certificate: String,
    /// The chain of the CA certificates above it (PEM); `None` for a certificate without
    /// one (current servers answer `null`).
    pub certificate_chain: Option<String>,
    /// Its serial number.
    pub serial_number: String,
}

/// A certificate, its chain and its private key (newer servers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CertificateBundle {
    /// The certificate (PEM).
    pub certificate: String,
    /// The chain (PEM), when the server has one.
    pub certificate_chain: Option<String>,
    /// The private key (PEM), when the server holds it.
    pub private_key: Option<SecretString>,
    /// Its serial number.
    pub serial_number: String,
}

/// A certificate issued by a CA, with the private key generated for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct IssuedCertificate {
    /// The certificate (PEM).
    pub certificate: String,
    /// The certificate of the issuing CA (PEM).
    pub issuing_ca_certificate: String,
    /// The chain (PEM).
    pub certificate_chain: String,
    /// The private key (PEM).
    pub private_key: SecretString,
    /// The serial number.
    pub serial_number: String,
}

/// A certificate a CA signed from a CSR (the private key stays with whoever made the CSR).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SignedCertificate {
    /// The certificate (PEM).
    pub certificate: String,
    /// The certificate of the issuing CA (PEM).
    pub issuing_ca_certificate: String,
    /// The chain (PEM).
    pub certificate_chain: String,
    /// The serial number.
    pub serial_number: String,
}

/// The answer of a revocation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Revocation {
    /// The server's message.
    pub message: String,
    /// The revoked certificate's serial number.
    pub serial_number: String,
    /// When it was revoked (RFC 3339).
    pub revoked_at: String,
}

/// Why a certificate is revoked (the CRL reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum RevocationReason {
    /// No reason given.
    Unspecified,
    /// The private key was compromised.
    KeyCompromise,
    /// The CA was compromised.
    CaCompromise,
    /// The subject's affiliation changed.
    AffiliationChanged,
    /// A newer certificate replaces it.
    Superseded,
    /// It is no longer needed.
    CessationOfOperation,
    /// It is on hold.
    CertificateHold,
    /// The subject's privileges were withdrawn.
    PrivilegeWithdrawn,
    /// The attribute authority was compromised.
    #[serde(rename = "A_A_COMPROMISE")]
    AaCompromise,
}
