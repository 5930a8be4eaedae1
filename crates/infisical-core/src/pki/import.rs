//! Importing a certificate issued elsewhere through cert-manager (current servers:
//! `POST /api/v1/cert-manager/certificates/import-certificate`, after upstream
//! `server/routes/v1/certificate-router.ts`).

use crate::error::{require_field, InvalidRequest};
use crate::rest::{operation, whole, Routes};
use crate::SecretString;
use serde::{Deserialize, Serialize};

/// Imports a certificate issued elsewhere, with its key and chain.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportCertificate {
    certificate_pem: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_key_pem: Option<SecretString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    chain_pem: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    friendly_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile_id: Option<String>,
}

impl std::fmt::Debug for ImportCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportCertificate")
            .field("friendly_name", &self.friendly_name)
            .field("profile_id", &self.profile_id)
            .field("private_key_pem", &self.private_key_pem)
            .finish_non_exhaustive()
    }
}

impl ImportCertificate {
    /// Imports the certificate `certificate_pem` (PEM).
    pub fn new(certificate_pem: impl Into<String>) -> Self {
        Self {
            certificate_pem: certificate_pem.into(),
            private_key_pem: None,
            chain_pem: None,
            friendly_name: None,
            profile_id: None,
        }
    }

    /// Its private key (PEM).
    pub fn private_key(mut self, pem: impl Into<SecretString>) -> Self {
        self.private_key_pem = Some(pem.into());
        self
    }

    /// The chain above it (PEM).
    pub fn chain(mut self, pem: impl Into<String>) -> Self {
        self.chain_pem = Some(pem.into());
        self
    }

    /// A friendly name.
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(name.into());
        self
    }

    /// The profile it belongs to.
    pub fn profile(mut self, profile_id: impl Into<String>) -> Self {
        self.profile_id = Some(profile_id.into());
        self
    }
}

/// An imported certificate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImportedCertificate {
    /// Its id.
    pub certificate_id: String,
    /// The certificate (PEM).
    pub certificate: String,
    /// The chain (PEM).
    #[serde(default)]
    pub certificate_chain: Option<String>,
    /// The private key (PEM).
    #[serde(default)]
    pub private_key: Option<SecretString>,
    /// Its serial number.
    pub serial_number: String,
}

const IMPORT: Routes = Routes::stable("POST /api/v1/cert-manager/certificates/import-certificate");

operation! {
    ImportCertificate => ImportedCertificate;
    family(Stable)
    validate(s) {
        require_field("certificate_pem", &s.certificate_pem)?;
        if !s.certificate_pem.contains("-----BEGIN ") {
            return Err(InvalidRequest::new("certificate_pem", "must be a PEM certificate"));
        }
        Ok(())
    }
    request(s, generation) { IMPORT.at(generation).send_json(s) }
    answer(response) { whole(&IMPORT, response) }
}
