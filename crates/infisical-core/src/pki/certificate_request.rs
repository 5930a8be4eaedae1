//! Certificate requests of cert-manager (current servers): where a request stands, and its
//! certificate once issued (`GET /api/v1/cert-manager/certificates/certificate-requests/
//! {requestId}`, after upstream `server/routes/v1/certificate-router.ts`).

use super::cert_manager::CertificateRequestStatus;
use crate::error::require_field;
use crate::rest::{operation, whole, Routes};
use crate::SecretString;
use serde::Deserialize;

/// Reads a certificate request: where it stands, and its certificate once issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCertificateRequest {
    request_id: String,
}

impl GetCertificateRequest {
    /// Reads the request `request_id`.
    pub fn new(request_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
        }
    }

    /// The request's id.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
}

/// A certificate request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CertificateRequest {
    /// Where it stands.
    pub status: CertificateRequestStatus,
    /// The certificate (PEM), once issued. The chain is not part of this answer.
    #[serde(default)]
    pub certificate: Option<String>,
    /// The certificate's id, once issued.
    #[serde(default)]
    pub certificate_id: Option<String>,
    /// The private key (PEM), once issued, if the server made it and the caller may read it.
    #[serde(default)]
    pub private_key: Option<SecretString>,
    /// The certificate's serial number, once issued.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// Why it failed.
    #[serde(default)]
    pub error_message: Option<String>,
    /// What it waits for.
    #[serde(default)]
    pub pending_message: Option<String>,
    /// The subject's common name.
    #[serde(default)]
    pub common_name: Option<String>,
    /// When it was made (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
}

impl CertificateRequest {
    /// Whether it was issued.
    pub fn is_issued(&self) -> bool {
        self.status == CertificateRequestStatus::Issued
    }
}

const REQUEST: Routes =
    Routes::stable("GET /api/v1/cert-manager/certificates/certificate-requests/{requestId}");

operation! {
    GetCertificateRequest => CertificateRequest;
    family(Stable)
    validate(s) { require_field("request_id", &s.request_id) }
    request(s, generation) { REQUEST.at(generation).arg(&s.request_id).send() }
    answer(response) { whole(&REQUEST, response) }
}

/// Cancels a certificate request that is still pending (or pending validation): it fails
/// with a message saying who cancelled it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelCertificateRequest {
    request_id: String,
}

impl CancelCertificateRequest {
    /// Cancels the request `request_id`.
    pub fn new(request_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
        }
    }
}

/// What cancelling did.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CancelledRequest {
    /// Where the request stands now (`failed` once cancelled).
    pub status: CertificateRequestStatus,
    /// Whether it was cancelled.
    pub cancelled: bool,
    /// The message the request now carries.
    #[serde(default)]
    pub error_message: Option<String>,
}

const CANCEL: Routes = Routes::stable(
    "POST /api/v1/cert-manager/certificates/certificate-requests/{requestId}/cancel",
);

operation! {
    CancelCertificateRequest => CancelledRequest;
    family(Stable)
    validate(s) { require_field("request_id", &s.request_id) }
    request(s, generation) { CANCEL.at(generation).arg(&s.request_id).send_json(&serde_json::json!({})) }
    answer(response) { whole(&CANCEL, response) }
}
