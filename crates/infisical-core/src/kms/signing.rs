//! Signing with a KMS key: sign, verify, the public key, the signing algorithms.

use super::encryption::bytes_member;
use super::model::{Signature, SigningAlgorithm, Verification};
use crate::error::{require_field, InvalidRequest};
use crate::rest::{answer_route, member, operation, whole, Routes};
use crate::DecodeError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// `{data, signature?, signingAlgorithm, isDigest}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignatureBody {
    data: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature: Option<String>,
    signing_algorithm: SigningAlgorithm,
    is_digest: bool,
}

/// The data a signature is about, and how to read it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Signed {
    key_id: String,
    data: Vec<u8>,
    algorithm: SigningAlgorithm,
    digest: bool,
}

impl Signed {
    fn validate(&self) -> Result<(), InvalidRequest> {
        require_field("key_id", &self.key_id)?;
        if self.algorithm == SigningAlgorithm::Unknown {
            return Err(InvalidRequest::new(
                "algorithm",
                "must be a known signing algorithm",
            ));
        }
        Ok(())
    }

    fn body(&self, signature: Option<&[u8]>) -> SignatureBody {
        SignatureBody {
            data: STANDARD.encode(&self.data),
            signature: signature.map(|s| STANDARD.encode(s)),
            signing_algorithm: self.algorithm,
            is_digest: self.digest,
        }
    }
}

/// Signs data with a sign/verify key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sign {
    signed: Signed,
}

impl Sign {
    /// Signs `data` (servers take up to 4 KiB (2024) or 1 MiB (current)) with the key
    /// `key_id` and `algorithm`.
    pub fn new(
        key_id: impl Into<String>,
        data: impl Into<Vec<u8>>,
        algorithm: SigningAlgorithm,
    ) -> Self {
        Self {
            signed: Signed {
                key_id: key_id.into(),
                data: data.into(),
                algorithm,
                digest: false,
            },
        }
    }

    /// `data` is already a digest of the message, to sign as is (default `false`).
    pub fn digest(mut self, digest: bool) -> Self {
        self.signed.digest = digest;
        self
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignAnswer {
    signature: String,
    #[serde(default)]
    key_id: String,
    signing_algorithm: SigningAlgorithm,
}

const SIGN: Routes = Routes::stable("POST /api/v1/kms/keys/{keyId}/sign");

operation! {
    Sign => Signature;
    family(Stable)
    validate(s) { s.signed.validate() }
    request(s, generation) {
        SIGN.at(generation).arg(&s.signed.key_id).idempotent().send_json(&s.signed.body(None))
    }
    answer(response) {
        let route = answer_route(&response, SIGN.current());
        let status = response.status();
        let answer: SignAnswer = whole(&SIGN, response)?;
        let signature = STANDARD
            .decode(answer.signature.trim())
            .map_err(|_| DecodeError::new(route, status, "`signature` is not base64"))?;
        Ok(Signature {
            signature,
            key_id: answer.key_id,
            signing_algorithm: answer.signing_algorithm,
        })
    }
}

/// Verifies a signature with a sign/verify key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Verify {
    signed: Signed,
    signature: Vec<u8>,
}

impl Verify {
    /// Checks that `signature` is the key `key_id`'s signature of `data` with `algorithm`.
    pub fn new(
        key_id: impl Into<String>,
        data: impl Into<Vec<u8>>,
        signature: impl Into<Vec<u8>>,
        algorithm: SigningAlgorithm,
    ) -> Self {
        Self {
            signed: Signed {
                key_id: key_id.into(),
                data: data.into(),
                algorithm,
                digest: false,
            },
            signature: signature.into(),
        }
    }

    /// `data` is already a digest of the message (default `false`).
    pub fn digest(mut self, digest: bool) -> Self {
        self.signed.digest = digest;
        self
    }
}

const VERIFY: Routes = Routes::stable("POST /api/v1/kms/keys/{keyId}/verify");

operation! {
    Verify => Verification;
    family(Stable)
    validate(s) {
        s.signed.validate()?;
        if s.signature.is_empty() {
            return Err(InvalidRequest::missing("signature"));
        }
        Ok(())
    }
    request(s, generation) {
        let body = s.signed.body(Some(&s.signature));
        VERIFY.at(generation).arg(&s.signed.key_id).idempotent().send_json(&body)
    }
    answer(response) { whole(&VERIFY, response) }
}

/// Gets the public key of a sign/verify key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetPublicKey {
    key_id: String,
}

impl GetPublicKey {
    /// The public key of the key `key_id`: DER (SubjectPublicKeyInfo) bytes.
    pub fn new(key_id: impl Into<String>) -> Self {
        Self {
            key_id: key_id.into(),
        }
    }
}

const PUBLIC_KEY: Routes = Routes::stable("GET /api/v1/kms/keys/{keyId}/public-key");

operation! {
    GetPublicKey => Vec<u8>;
    family(Stable)
    validate(s) { require_field("key_id", &s.key_id) }
    request(s, generation) { PUBLIC_KEY.at(generation).arg(&s.key_id).send() }
    answer(response) { bytes_member(&PUBLIC_KEY, "publicKey", response) }
}

/// Lists the algorithms a sign/verify key can sign with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListSigningAlgorithms {
    key_id: String,
}

impl ListSigningAlgorithms {
    /// The signing algorithms of the key `key_id`.
    pub fn new(key_id: impl Into<String>) -> Self {
        Self {
            key_id: key_id.into(),
        }
    }
}

const ALGORITHMS: Routes = Routes::stable("GET /api/v1/kms/keys/{keyId}/signing-algorithms");

operation! {
    ListSigningAlgorithms => Vec<SigningAlgorithm>;
    family(Stable)
    validate(s) { require_field("key_id", &s.key_id) }
    request(s, generation) { ALGORITHMS.at(generation).arg(&s.key_id).send() }
    answer(response) { member(&ALGORITHMS, &["signingAlgorithms"], response) }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};
    use bytes::Bytes;

    #[test]
    fn sign_and_verify_bodies() {
        let verify = Verify::new(
            "k",
            b"m".to_vec(),
            b"s".to_vec(),
            SigningAlgorithm::EcdsaSha256,
        );
        let request = verify.to_http(ApiGeneration::Current).unwrap();
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"data": "bQ==", "signature": "cw==", "signingAlgorithm": "ECDSA_SHA_256", "isDigest": false})
        );
        assert!(
            request
                .extensions()
                .get::<crate::RequestMeta>()
                .unwrap()
                .idempotent
        );
        let answer = http::Response::builder()
            .status(200)
            .body(Bytes::from_static(
                br#"{"signature":"cw==","keyId":"k","signingAlgorithm":"ECDSA_SHA_256"}"#,
            ))
            .unwrap();
        let sign = Sign::new("k", b"m".to_vec(), SigningAlgorithm::EcdsaSha256);
        assert_eq!(sign.parse_response(answer).unwrap().signature, b"s");
    }
}
