//! Issuing through cert-manager (current servers: `/api/v1/cert-manager/certificates`, after
//! upstream `server/routes/v1/certificate-router.ts` and
//! `services/certificate-v3/certificate-v3-service.ts`): from a certificate profile, which
//! names the CA and the defaults. A profile on an internal CA issues in the request; one on
//! an external CA (ACME, AWS PCA, DigiCert, …) answers a pending certificate request that a
//! queue completes later, which [`GetCertificateRequest`](super::GetCertificateRequest)
//! reads. Servers of 2024 have none
//! of these routes (a 404 for which `is_route_not_found()` is true): issue from a CA there
//! ([`IssueCertificate`](super::IssueCertificate)).

use crate::error::{require_field, DecodeError};
use crate::open_enum::open_enum;
use crate::rest::{answer_route, operation, whole, Routes};
use crate::SecretString;
use serde::{Deserialize, Serialize};

open_enum! {
    /// Where a certificate request stands (`CertificateRequestStatus`).
    CertificateRequestStatus {
        /// Waiting for someone to approve it (a certificate approval policy).
        PendingApproval = "pending_approval",
        /// Queued with the CA.
        Pending = "pending",
        /// The CA is validating it (an ACME challenge, …).
        PendingValidation = "pending_validation",
        /// Issued.
        Issued = "issued",
        /// Failed (or cancelled); see the request's `error_message`.
        Failed = "failed",
        /// Rejected by an approver.
        Rejected = "rejected",
    }
}

impl CertificateRequestStatus {
    /// Whether the request will not change any more: issued, failed or rejected (a status
    /// this SDK does not know counts as not final).
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Issued | Self::Failed | Self::Rejected)
    }
}

/// A subject alternative name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct AltName {
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Attributes {
    #[serde(skip_serializing_if = "Option::is_none")]
    common_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alt_names: Vec<AltName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_algorithm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature_algorithm: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    key_usages: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extended_key_usages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct IssueBody {
    profile_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    csr: Option<String>,
    attributes: Attributes,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    remove_roots_from_chain: bool,
}

/// Issues a certificate from a certificate profile (or has the profile's CA sign a CSR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueFromProfile {
    body: IssueBody,
}

impl IssueFromProfile {
    /// Issues from the profile `profile_id`, with the profile's defaults.
    pub fn new(profile_id: impl Into<String>) -> Self {
        Self {
            body: IssueBody {
                profile_id: profile_id.into(),
                csr: None,
                attributes: Attributes::default(),
                remove_roots_from_chain: false,
            },
        }
    }

    /// The subject's common name (CN).
    pub fn common_name(mut self, common_name: impl Into<String>) -> Self {
        self.body.attributes.common_name = Some(common_name.into());
        self
    }

    fn alt_name(mut self, kind: &'static str, value: impl Into<String>) -> Self {
        self.body.attributes.alt_names.push(AltName {
            kind,
            value: value.into(),
        });
        self
    }

    /// Adds a DNS name to the subject alternative names.
    pub fn dns_name(self, name: impl Into<String>) -> Self {
        self.alt_name("dns_name", name)
    }

    /// Adds an IP address to the subject alternative names.
    pub fn ip_address(self, address: impl Into<String>) -> Self {
        self.alt_name("ip_address", address)
    }

    /// Adds an email address to the subject alternative names.
    pub fn email(self, email: impl Into<String>) -> Self {
        self.alt_name("email", email)
    }

    /// Adds a URI to the subject alternative names.
    pub fn uri(self, uri: impl Into<String>) -> Self {
        self.alt_name("uri", uri)
    }

    /// How long the certificate is valid, as the server reads durations: `90d`, `24h`, `1y`.
    pub fn ttl(mut self, ttl: impl Into<String>) -> Self {
        self.body.attributes.ttl = Some(ttl.into());
        self
    }

    /// The key algorithm: `RSA_2048`, `EC_prime256v1`, … (passed as given).
    pub fn key_algorithm(mut self, algorithm: impl Into<String>) -> Self {
        self.body.attributes.key_algorithm = Some(algorithm.into());
        self
    }

    /// The signature algorithm: `RSA-SHA256`, `ECDSA-SHA256`, … (passed as given).
    pub fn signature_algorithm(mut self, algorithm: impl Into<String>) -> Self {
        self.body.attributes.signature_algorithm = Some(algorithm.into());
        self
    }

    /// Key usages: `digital_signature`, `key_encipherment`, … (passed as given).
    pub fn key_usages<I: IntoIterator<Item = S>, S: Into<String>>(mut self, usages: I) -> Self {
        self.body.attributes.key_usages = usages.into_iter().map(Into::into).collect();
        self
    }

    /// Extended key usages: `server_auth`, `client_auth`, … (passed as given).
    pub fn extended_key_usages<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        usages: I,
    ) -> Self {
        self.body.attributes.extended_key_usages = usages.into_iter().map(Into::into).collect();
        self
    }

    /// Has the CA sign this CSR (PEM) instead of making a key pair: no private key comes
    /// back.
    pub fn csr(mut self, csr: impl Into<String>) -> Self {
        self.body.csr = Some(csr.into());
        self
    }

    /// Leaves the root certificate out of the chain.
    pub fn remove_roots_from_chain(mut self, remove: bool) -> Self {
        self.body.remove_roots_from_chain = remove;
        self
    }
}

/// A certificate issued from a profile.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProfileCertificate {
    /// The certificate (PEM).
    pub certificate: String,
    /// The issuing CA's certificate (PEM).
    #[serde(default)]
    pub issuing_ca_certificate: Option<String>,
    /// The chain above the certificate (PEM).
    #[serde(default)]
    pub certificate_chain: Option<String>,
    /// The private key (PEM), unless a CSR was signed or the caller may not read keys.
    #[serde(default)]
    pub private_key: Option<SecretString>,
    /// Its serial number.
    pub serial_number: String,
    /// Its id (current routes name certificates by id).
    #[serde(default)]
    pub certificate_id: Option<String>,
}

/// A certificate request the CA has not completed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PendingCertificate {
    /// The request's id, for [`GetCertificateRequest`](super::GetCertificateRequest).
    pub request_id: String,
    /// Where it stands.
    pub status: CertificateRequestStatus,
    /// What the server says about it.
    pub message: Option<String>,
}

/// What issuing from a profile did: issued now, or a request to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "the certificate may still be pending"]
pub enum CertificateIssue {
    /// Issued: the certificate, and the id of the request that made it.
    Issued {
        /// The certificate.
        certificate: Box<ProfileCertificate>,
        /// The request's id.
        request_id: String,
    },
    /// Not yet: poll the request (`client.certificates().wait_for_request(..)`).
    Pending(PendingCertificate),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IssueAnswer {
    certificate: Option<ProfileCertificate>,
    certificate_request_id: String,
    #[serde(default)]
    status: Option<CertificateRequestStatus>,
    #[serde(default)]
    message: Option<String>,
}

const ISSUE: Routes = Routes::stable("POST /api/v1/cert-manager/certificates");

operation! {
    IssueFromProfile => CertificateIssue;
    family(Stable)
    validate(s) {
        require_field("profile_id", &s.body.profile_id)?;
        if let Some(csr) = &s.body.csr {
            require_field("csr", csr)?;
        }
        if let Some(ttl) = &s.body.attributes.ttl {
            require_field("ttl", ttl)?;
        }
        Ok(())
    }
    request(s, generation) { ISSUE.at(generation).send_json(&s.body) }
    answer(response) {
        let route = answer_route(&response, ISSUE.current());
        let status = response.status();
        let answer: IssueAnswer = whole(&ISSUE, response)?;
        let request_id = answer.certificate_request_id;
        match (answer.certificate, answer.status) {
            (Some(certificate), None | Some(CertificateRequestStatus::Issued)) => {
                Ok(CertificateIssue::Issued { certificate: Box::new(certificate), request_id })
            }
            (None, Some(state)) if state != CertificateRequestStatus::Issued => {
                Ok(CertificateIssue::Pending(PendingCertificate {
                    request_id,
                    status: state,
                    message: answer.message,
                }))
            }
            (None, None) => Ok(CertificateIssue::Pending(PendingCertificate {
                request_id,
                status: CertificateRequestStatus::Pending,
                message: answer.message,
            })),
            _ => Err(DecodeError::new(
                route,
                status,
                "the status and the certificate disagree (issued without one, or one while not issued)",
            )
            .into()),
        }
    }
}
