//! Writing certificates: issue, sign a CSR, revoke, delete.

use super::model::{
    Certificate, IssuedCertificate, Revocation, RevocationReason, SignedCertificate,
};
use super::read::{named_certificate, ByRef, CertRef};
use crate::error::{require_field, InvalidRequest};
use crate::rest::{member, operation, whole, Routes};
use serde::Serialize;

/// The fields issue and sign share.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
struct Issuance {
    #[serde(skip_serializing_if = "Option::is_none")]
    ca_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    certificate_template_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pki_collection_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    friendly_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    common_name: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    alt_names: String,
    ttl: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    key_usages: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extended_key_usages: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    csr: Option<String>,
}

impl Issuance {
    fn new(issuer: Issuer, ttl: String) -> Self {
        let (ca_id, certificate_template_id) = match issuer {
            Issuer::Ca(id) => (Some(id), None),
            Issuer::Template(id) => (None, Some(id)),
        };
        Self {
            ca_id,
            certificate_template_id,
            ttl,
            ..Self::default()
        }
    }

    fn validate(&self) -> Result<(), InvalidRequest> {
        match (&self.ca_id, &self.certificate_template_id) {
            (Some(id), _) => require_field("ca_id", id)?,
            (_, Some(id)) => require_field("certificate_template_id", id)?,
            (None, None) => return Err(InvalidRequest::missing("ca_id")),
        }
        require_field("ttl", &self.ttl)
    }
}

/// Who issues: a CA, or a certificate template (which names its CA).
enum Issuer {
    Ca(String),
    Template(String),
}

/// Adds the optional setters shared by [`IssueCertificate`] and [`SignCertificate`].
macro_rules! issuance_setters {
    ($ty:ty) => {
        impl $ty {
            /// Subject alternative names (host names or email addresses).
            pub fn alt_names<I, S>(mut self, names: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                let names: Vec<String> = names.into_iter().map(Into::into).collect();
                self.issuance.alt_names = names.join(",");
                self
            }

            /// A friendly name.
            pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
                self.issuance.friendly_name = Some(name.into());
                self
            }

            /// Add the certificate to this PKI collection.
            pub fn pki_collection_id(mut self, id: impl Into<String>) -> Self {
                self.issuance.pki_collection_id = Some(id.into());
                self
            }

            /// Key usages, such as `digitalSignature`, `keyEncipherment`.
            pub fn key_usages<I: IntoIterator<Item = S>, S: Into<String>>(
                mut self,
                usages: I,
            ) -> Self {
                self.issuance.key_usages = usages.into_iter().map(Into::into).collect();
                self
            }

            /// Extended key usages, such as `serverAuth`, `clientAuth`.
            pub fn extended_key_usages<I: IntoIterator<Item = S>, S: Into<String>>(
                mut self,
                usages: I,
            ) -> Self {
                self.issuance.extended_key_usages = usages.into_iter().map(Into::into).collect();
                self
            }
        }
    };
}

/// Issues a certificate, and a private key for it, from a CA.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IssueCertificate {
    issuance: Issuance,
}

impl IssueCertificate {
    /// A certificate for `common_name` from the CA `ca_id`, valid for `ttl` (such as `90d`).
    pub fn new(
        ca_id: impl Into<String>,
        common_name: impl Into<String>,
        ttl: impl Into<String>,
    ) -> Self {
        let mut issuance = Issuance::new(Issuer::Ca(ca_id.into()), ttl.into());
        issuance.common_name = Some(common_name.into());
        Self { issuance }
    }

    /// The same, from a certificate template (which names its CA) instead of a CA.
    pub fn from_template(
        template_id: impl Into<String>,
        common_name: impl Into<String>,
        ttl: impl Into<String>,
    ) -> Self {
        let mut issuance = Issuance::new(Issuer::Template(template_id.into()), ttl.into());
        issuance.common_name = Some(common_name.into());
        Self { issuance }
    }
}

issuance_setters!(IssueCertificate);

const ISSUE: Routes = Routes::stable("POST /api/v1/pki/certificates/issue-certificate");

operation! {
    IssueCertificate => IssuedCertificate;
    family(Stable)
    validate(s) {
        s.issuance.validate()?;
        require_field("common_name", s.issuance.common_name.as_deref().unwrap_or_default())
    }
    request(s, generation) { ISSUE.at(generation).send_json(&s.issuance) }
    answer(response) { whole(&ISSUE, response) }
}

/// Has a CA sign a certificate signing request (CSR).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SignCertificate {
    issuance: Issuance,
}

impl SignCertificate {
    /// Signs the PEM `csr` with the CA `ca_id`, valid for `ttl`.
    pub fn new(ca_id: impl Into<String>, csr: impl Into<String>, ttl: impl Into<String>) -> Self {
        let mut issuance = Issuance::new(Issuer::Ca(ca_id.into()), ttl.into());
        issuance.csr = Some(csr.into());
        Self { issuance }
    }

    /// The same, with a certificate template (which names its CA) instead of a CA.
    pub fn from_template(
        template_id: impl Into<String>,
        csr: impl Into<String>,
        ttl: impl Into<String>,
    ) -> Self {
        let mut issuance = Issuance::new(Issuer::Template(template_id.into()), ttl.into());
        issuance.csr = Some(csr.into());
        Self { issuance }
    }

    /// The common name, instead of the CSR's.
    pub fn common_name(mut self, common_name: impl Into<String>) -> Self {
        self.issuance.common_name = Some(common_name.into());
        self
    }
}

issuance_setters!(SignCertificate);

const SIGN: Routes = Routes::stable("POST /api/v1/pki/certificates/sign-certificate");

operation! {
    SignCertificate => SignedCertificate;
    family(Stable)
    validate(s) {
        s.issuance.validate()?;
        require_field("csr", s.issuance.csr.as_deref().unwrap_or_default())
    }
    request(s, generation) { SIGN.at(generation).send_json(&s.issuance) }
    answer(response) { whole(&SIGN, response) }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RevokeBody {
    revocation_reason: RevocationReason,
}

/// Revokes a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RevokeCertificate {
    cert: CertRef,
    reason: RevocationReason,
}

impl RevokeCertificate {
    /// Revokes the certificate with this serial number, for `reason` (every server).
    pub fn new(serial_number: impl Into<String>, reason: RevocationReason) -> Self {
        Self {
            cert: CertRef::Serial(serial_number.into()),
            reason,
        }
    }

    /// Revokes the certificate with this id, for `reason` (current servers' cert-manager
    /// routes).
    pub fn by_id(certificate_id: impl Into<String>, reason: RevocationReason) -> Self {
        Self {
            cert: CertRef::Id(certificate_id.into()),
            reason,
        }
    }
}

const REVOKE: ByRef = ByRef {
    serial: Routes::stable("POST /api/v1/pki/certificates/{serialNumber}/revoke"),
    id: Routes::stable("POST /api/v1/cert-manager/certificates/{id}/revoke"),
};

operation! {
    RevokeCertificate => Revocation;
    family(Stable)
    validate(s) { s.cert.validate() }
    request(s, generation) {
        let body = RevokeBody { revocation_reason: s.reason };
        let (routes, name) = s.cert.route(&REVOKE);
        routes.at(generation).arg(name).send_json(&body)
    }
    answer(s, response) { whole(s.cert.route(&REVOKE).0, response) }
}

/// Deletes a certificate's record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeleteCertificate {
    cert: CertRef,
}

named_certificate!(DeleteCertificate, "Deletes the record");

const DELETE: ByRef = ByRef {
    serial: Routes::stable("DELETE /api/v1/pki/certificates/{serialNumber}"),
    id: Routes::stable("DELETE /api/v1/cert-manager/certificates/{id}"),
};

operation! {
    DeleteCertificate => Certificate;
    family(Stable)
    validate(s) { s.cert.validate() }
    request(s, generation) {
        let (routes, name) = s.cert.route(&DELETE);
        routes.at(generation).arg(name).send()
    }
    answer(s, response) { member(s.cert.route(&DELETE).0, &["certificate"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};
    use serde_json::json;

    #[test]
    fn issue_and_revoke_bodies() {
        let issue = IssueCertificate::new("ca1", "api.internal", "90d")
            .alt_names(["a.internal", "b.internal"]);
        let request = issue.to_http(ApiGeneration::Current).unwrap();
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(
            body,
            json!({"caId": "ca1", "commonName": "api.internal", "altNames": "a.internal,b.internal", "ttl": "90d"})
        );
        let revoke = RevokeCertificate::new("ab12", RevocationReason::KeyCompromise);
        let request = revoke.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(request.uri().path(), "/api/v1/pki/certificates/ab12/revoke");
        assert_eq!(
            request.body().as_ref(),
            br#"{"revocationReason":"KEY_COMPROMISE"}"#
        );
        let aa = serde_json::to_value(RevocationReason::AaCompromise).unwrap();
        assert_eq!(aa, "A_A_COMPROMISE");
        assert_eq!(
            SignCertificate::new("ca1", "", "1d")
                .validate()
                .unwrap_err()
                .field(),
            "csr"
        );
        assert_eq!(
            IssueCertificate::new("", "cn", "1d")
                .validate()
                .unwrap_err()
                .field(),
            "ca_id"
        );
    }
}
