//! Reading certificates: the record, the PEM and chain, the bundle, the private key.

use super::model::{Certificate, CertificateBody, CertificateBundle};
use crate::error::{require_field, InvalidRequest};
use crate::rest::{answer_route, member, operation, whole, Routes};
use crate::wire::api_error;
use crate::{DecodeError, Error, SecretString};

/// How a request names its certificate: by serial number (`/api/v1/pki/certificates`, every
/// server; marked for deprecation on current ones) or by id (`/api/v1/cert-manager/
/// certificates`, current servers).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum CertRef {
    Serial(String),
    Id(String),
}

impl CertRef {
    pub(super) fn validate(&self) -> Result<(), InvalidRequest> {
        match self {
            CertRef::Serial(serial) => require_field("serial_number", serial),
            CertRef::Id(id) => require_field("certificate_id", id),
        }
    }

    /// The route for this way of naming, and the name.
    pub(super) fn route<'a>(&'a self, routes: &'a ByRef) -> (&'a Routes, &'a str) {
        match self {
            CertRef::Serial(serial) => (&routes.serial, serial),
            CertRef::Id(id) => (&routes.id, id),
        }
    }
}

/// The routes of one operation by serial number and by id.
pub(super) struct ByRef {
    pub(super) serial: Routes,
    pub(super) id: Routes,
}

/// `new(serial_number)` and `by_id(certificate_id)` for a request with a `cert: CertRef`.
macro_rules! named_certificate {
    ($ty:ident, $what:literal) => {
        impl $ty {
            #[doc = concat!($what, " of the certificate with this serial number (every server).")]
            pub fn new(serial_number: impl Into<String>) -> Self {
                Self { cert: CertRef::Serial(serial_number.into()) }
            }

            #[doc = concat!($what, " of the certificate with this id (current servers' cert-manager routes).")]
            pub fn by_id(certificate_id: impl Into<String>) -> Self {
                Self { cert: CertRef::Id(certificate_id.into()) }
            }
        }
    };
}
pub(super) use named_certificate;

/// Gets a certificate's record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCertificate {
    cert: CertRef,
}

named_certificate!(GetCertificate, "The record");

const GET: ByRef = ByRef {
    serial: Routes::stable("GET /api/v1/pki/certificates/{serialNumber}"),
    id: Routes::stable("GET /api/v1/cert-manager/certificates/{id}"),
};

operation! {
    GetCertificate => Certificate;
    family(Stable)
    validate(s) { s.cert.validate() }
    request(s, generation) {
        let (routes, name) = s.cert.route(&GET);
        routes.at(generation).arg(name).send()
    }
    answer(s, response) { member(s.cert.route(&GET).0, &["certificate"], response) }
}

/// Gets a certificate's PEM and chain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCertificateBody {
    cert: CertRef,
}

named_certificate!(GetCertificateBody, "The PEM and chain");

const BODY: ByRef = ByRef {
    serial: Routes::stable("GET /api/v1/pki/certificates/{serialNumber}/certificate"),
    id: Routes::stable("GET /api/v1/cert-manager/certificates/{id}/certificate"),
};

operation! {
    GetCertificateBody => CertificateBody;
    family(Stable)
    validate(s) { s.cert.validate() }
    request(s, generation) {
        let (routes, name) = s.cert.route(&BODY);
        routes.at(generation).arg(name).send()
    }
    answer(s, response) { whole(s.cert.route(&BODY).0, response) }
}

/// Gets a certificate, its chain and its private key at once (newer servers).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCertificateBundle {
    cert: CertRef,
}

named_certificate!(GetCertificateBundle, "The bundle");

const BUNDLE: ByRef = ByRef {
    serial: Routes::stable("GET /api/v1/pki/certificates/{serialNumber}/bundle"),
    id: Routes::stable("GET /api/v1/cert-manager/certificates/{id}/bundle"),
};

operation! {
    GetCertificateBundle => CertificateBundle;
    family(Stable)
    validate(s) { s.cert.validate() }
    request(s, generation) {
        let (routes, name) = s.cert.route(&BUNDLE);
        routes.at(generation).arg(name).send()
    }
    answer(s, response) { whole(s.cert.route(&BUNDLE).0, response) }
}

/// Gets a certificate's private key (newer servers): a PEM the route answers as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCertificatePrivateKey {
    cert: CertRef,
}

named_certificate!(GetCertificatePrivateKey, "The private key");

const PRIVATE_KEY: ByRef = ByRef {
    serial: Routes::stable("GET /api/v1/pki/certificates/{serialNumber}/private-key"),
    id: Routes::stable("GET /api/v1/cert-manager/certificates/{id}/private-key"),
};

operation! {
    GetCertificatePrivateKey => SecretString;
    family(Stable)
    validate(s) { s.cert.validate() }
    request(s, generation) {
        let (routes, name) = s.cert.route(&PRIVATE_KEY);
        routes.at(generation).arg(name).send()
    }
    answer(s, response) {
        let route = answer_route(&response, s.cert.route(&PRIVATE_KEY).0.current());
        if !response.status().is_success() {
            return Err(api_error(route, &response).into());
        }
        plain_text(route, response)
    }
}

/// The body as text; a JSON string (what a proxy re-encoding the answer sends) is unwrapped.
fn plain_text(
    route: &'static str,
    response: http::Response<bytes::Bytes>,
) -> Result<SecretString, Error> {
    let status = response.status();
    let body = response.into_body();
    let text = if body.first() == Some(&b'"') {
        serde_json::from_slice::<String>(&body)
            .map_err(|e| DecodeError::from_json(route, status, &e))?
    } else {
        String::from_utf8(body.to_vec())
            .map_err(|_| DecodeError::new(route, status, "the private key is not UTF-8 text"))?
    };
    Ok(SecretString::from(text.trim().to_owned()))
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::Operation;
    use bytes::Bytes;

    fn text(status: u16, content_type: &str, body: &'static str) -> http::Response<Bytes> {
        http::Response::builder()
            .status(status)
            .header("content-type", content_type)
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    }

    #[test]
    fn private_keys_are_plain_text_and_redacted() {
        let get = GetCertificatePrivateKey::new("ab12");
        let key = get
            .parse_response(text(
                200,
                "text/plain",
                "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n",
            ))
            .unwrap();
        assert!(
            key.expose().starts_with("-----BEGIN PRIVATE KEY-----")
                && key.expose().ends_with("-----")
        );
        assert!(!format!("{key:?}").contains("BEGIN"));
        let quoted = get
            .parse_response(text(200, "application/json", r#""pem""#))
            .unwrap();
        assert_eq!(quoted.expose(), "pem");
        let err = get
            .parse_response(text(
                404,
                "application/json",
                r#"{"statusCode":404,"message":"Certificate not found","error":"NotFound"}"#,
            ))
            .unwrap_err();
        assert!(err.is_not_found());
    }
}
