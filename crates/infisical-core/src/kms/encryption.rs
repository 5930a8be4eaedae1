//! Encrypting and decrypting with a KMS key: data is bytes here and base64 on the wire.

use crate::error::{require_field, InvalidRequest};
use crate::rest::{answer_route, member, operation, Routes};
use crate::{DecodeError, Error};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use serde::Serialize;
use std::fmt;

/// Reads the base64 member `name` of an answer as bytes.
pub(super) fn bytes_member(
    routes: &Routes,
    name: &str,
    response: http::Response<Bytes>,
) -> Result<Vec<u8>, Error> {
    let route = answer_route(&response, routes.current());
    let status = response.status();
    let text: String = member(routes, &[name], response)?;
    STANDARD
        .decode(text.trim())
        .map_err(|_| DecodeError::new(route, status, format!("`{name}` is not base64")).into())
}

/// Encrypts data with a key.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Encrypt {
    key_id: String,
    plaintext: Vec<u8>,
}

impl Encrypt {
    /// Encrypts `plaintext` (servers take up to 4 KiB (2024) or 1 MiB (current)) with the
    /// key `key_id`; answers the
    /// ciphertext.
    pub fn new(key_id: impl Into<String>, plaintext: impl Into<Vec<u8>>) -> Self {
        Self {
            key_id: key_id.into(),
            plaintext: plaintext.into(),
        }
    }
}

impl fmt::Debug for Encrypt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Encrypt")
            .field("key_id", &self.key_id)
            .field(
                "plaintext",
                &format_args!("[{} bytes, redacted]", self.plaintext.len()),
            )
            .finish()
    }
}

#[derive(Serialize)]
struct PlaintextBody {
    plaintext: String,
}

const ENCRYPT: Routes = Routes::stable("POST /api/v1/kms/keys/{keyId}/encrypt");

operation! {
    Encrypt => Vec<u8>;
    family(Stable)
    validate(s) {
        require_field("key_id", &s.key_id)
    }
    request(s, generation) {
        let body = PlaintextBody { plaintext: STANDARD.encode(&s.plaintext) };
        ENCRYPT.at(generation).arg(&s.key_id).idempotent().send_json(&body)
    }
    answer(response) { bytes_member(&ENCRYPT, "ciphertext", response) }
}

/// Decrypts data a key encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decrypt {
    key_id: String,
    ciphertext: Vec<u8>,
}

impl Decrypt {
    /// Decrypts `ciphertext` (an [`Encrypt`] answer) with the key `key_id`; answers the
    /// plaintext.
    pub fn new(key_id: impl Into<String>, ciphertext: impl Into<Vec<u8>>) -> Self {
        Self {
            key_id: key_id.into(),
            ciphertext: ciphertext.into(),
        }
    }
}

#[derive(Serialize)]
struct CiphertextBody {
    ciphertext: String,
}

const DECRYPT: Routes = Routes::stable("POST /api/v1/kms/keys/{keyId}/decrypt");

operation! {
    Decrypt => Vec<u8>;
    family(Stable)
    validate(s) {
        require_field("key_id", &s.key_id)?;
        if s.ciphertext.is_empty() {
            return Err(InvalidRequest::missing("ciphertext"));
        }
        Ok(())
    }
    request(s, generation) {
        let body = CiphertextBody { ciphertext: STANDARD.encode(&s.ciphertext) };
        DECRYPT.at(generation).arg(&s.key_id).idempotent().send_json(&body)
    }
    answer(response) { bytes_member(&DECRYPT, "plaintext", response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn bytes_travel_as_base64() {
        let encrypt = Encrypt::new("k", b"hunter2".to_vec());
        assert!(!format!("{encrypt:?}").contains("hunter2"));
        let request = encrypt.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(request.body().as_ref(), br#"{"plaintext":"aHVudGVyMg=="}"#);
        let answer = http::Response::builder()
            .status(200)
            .body(Bytes::from_static(br#"{"plaintext":"aHVudGVyMg=="}"#))
            .unwrap();
        assert_eq!(
            Decrypt::new("k", vec![1]).parse_response(answer).unwrap(),
            b"hunter2"
        );
        let bad = http::Response::builder()
            .status(200)
            .body(Bytes::from_static(br#"{"ciphertext":"%%%"}"#))
            .unwrap();
        assert!(matches!(encrypt.parse_response(bad), Err(Error::Decode(_))));
        // No client-side size limit: servers differ (4 KiB in 2024, 1 MiB now) and answer
        // for themselves.
        assert!(Encrypt::new("k", vec![0; 1 << 20]).validate().is_ok());
    }
}
