//! PKCS#12 export of a certificate and its key (current servers, users only:
//! `POST /api/v1/cert-manager/certificates/{certificateId}/pkcs12` with `{password, alias}`,
//! answering the file as `application/octet-stream`; after upstream
//! `server/routes/v1/certificate-router.ts`).

use crate::error::{require_field, InvalidRequest};
use crate::rest::{answer_route, operation, Routes};
use crate::wire::api_error;
use crate::SecretString;
use serde::Serialize;
use std::fmt;

/// Exports a certificate, its chain and its key as a PKCS#12 file protected by a password.
#[derive(Clone, PartialEq, Eq)]
pub struct ExportPkcs12 {
    certificate_id: String,
    body: Pkcs12Body,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
struct Pkcs12Body {
    password: SecretString,
    alias: String,
}

impl fmt::Debug for ExportPkcs12 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportPkcs12")
            .field("certificate_id", &self.certificate_id)
            .field("alias", &self.body.alias)
            .field("password", &self.body.password)
            .finish()
    }
}

impl ExportPkcs12 {
    /// Exports the certificate `certificate_id` (its id, not its serial number), its key
    /// under `alias`, protected by `password` (at least 6 characters).
    pub fn new(
        certificate_id: impl Into<String>,
        password: impl Into<SecretString>,
        alias: impl Into<String>,
    ) -> Self {
        Self {
            certificate_id: certificate_id.into(),
            body: Pkcs12Body {
                password: password.into(),
                alias: alias.into(),
            },
        }
    }
}

/// A PKCS#12 file: secret material (redacted in `Debug`, wiped when dropped).
#[derive(Clone, PartialEq, Eq)]
pub struct Pkcs12(zeroize::Zeroizing<Vec<u8>>);

impl Pkcs12 {
    /// The file's bytes (DER), to write to a `.p12` file.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Pkcs12 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pkcs12([{} bytes, redacted])", self.0.len())
    }
}

const EXPORT: Routes =
    Routes::stable("POST /api/v1/cert-manager/certificates/{certificateId}/pkcs12");

operation! {
    ExportPkcs12 => Pkcs12;
    family(Stable)
    validate(s) {
        require_field("certificate_id", &s.certificate_id)?;
        require_field("alias", &s.body.alias)?;
        if s.body.password.expose().chars().count() < 6 {
            return Err(InvalidRequest::new("password", "must be at least 6 characters"));
        }
        Ok(())
    }
    request(s, generation) { EXPORT.at(generation).arg(&s.certificate_id).send_json(&s.body) }
    answer(response) {
        let route = answer_route(&response, EXPORT.current());
        if !response.status().is_success() {
            return Err(api_error(route, &response).into());
        }
        Ok(Pkcs12(zeroize::Zeroizing::new(response.into_body().to_vec())))
    }
}
