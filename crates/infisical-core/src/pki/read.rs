//! Reading certificates: the record, the PEM and chain, the bundle, the private key.

use super::model::{Certificate, CertificateBody, CertificateBundle};
use crate::error::{require_field, InvalidRequest};
use crate::rest::{answer_route, member, operation, whole, Routes};
use crate::wire::api_error;
use crate::{DecodeError, Error, SecretString};

/// A request naming one certificate by serial number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Serial(pub(super) String);

impl Serial {
    pub(super) fn validate(&self) -> Result<(), InvalidRequest> {
        require_field("serial_number", &self.0)
    }
}

/// Gets a certificate's record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCertificate {
    serial: Serial,
}

impl GetCertificate {
    /// Gets the certificate with this serial number.
    pub fn new(serial_number: impl Into<String>) -> Self {
        Self {
            serial: Serial(serial_number.into()),
        }
    }
}

const GET: Routes = Routes::stable("GET /api/v1/pki/certificates/{serialNumber}");

operation! {
    GetCertificate => Certificate;
    family(Stable)
    validate(s) { s.serial.validate() }
    request(s, generation) { GET.at(generation).arg(&s.serial.0).send() }
    answer(response) { member(&GET, &["certificate"], response) }
}

/// Gets a certificate's PEM and chain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCertificateBody {
    serial: Serial,
}

impl GetCertificateBody {
    /// The PEM and chain of the certificate with this serial number.
    pub fn new(serial_number: impl Into<String>) -> Self {
        Self {
            serial: Serial(serial_number.into()),
        }
    }
}

const BODY: Routes = Routes::stable("GET /api/v1/pki/certificates/{serialNumber}/certificate");

operation! {
    GetCertificateBody => CertificateBody;
    family(Stable)
    validate(s) { s.serial.validate() }
    request(s, generation) { BODY.at(generation).arg(&s.serial.0).send() }
    answer(response) { whole(&BODY, response) }
}

/// Gets a certificate, its chain and its private key at once (newer servers).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCertificateBundle {
    serial: Serial,
}

impl GetCertificateBundle {
    /// The bundle of the certificate with this serial number.
    pub fn new(serial_number: impl Into<String>) -> Self {
        Self {
            serial: Serial(serial_number.into()),
        }
    }
}

const BUNDLE: Routes = Routes::stable("GET /api/v1/pki/certificates/{serialNumber}/bundle");

operation! {
    GetCertificateBundle => CertificateBundle;
    family(Stable)
    validate(s) { s.serial.validate() }
    request(s, generation) { BUNDLE.at(generation).arg(&s.serial.0).send() }
    answer(response) { whole(&BUNDLE, response) }
}

/// Gets a certificate's private key (newer servers): a PEM the route answers as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCertificatePrivateKey {
    serial: Serial,
}

impl GetCertificatePrivateKey {
    /// The private key of the certificate with this serial number.
    pub fn new(serial_number: impl Into<String>) -> Self {
        Self {
            serial: Serial(serial_number.into()),
        }
    }
}

const PRIVATE_KEY: Routes =
    Routes::stable("GET /api/v1/pki/certificates/{serialNumber}/private-key");

operation! {
    GetCertificatePrivateKey => SecretString;
    family(Stable)
    validate(s) { s.serial.validate() }
    request(s, generation) { PRIVATE_KEY.at(generation).arg(&s.serial.0).send() }
    answer(response) {
        let route = answer_route(&response, PRIVATE_KEY.current());
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
