//! Message authentication codes with an HMAC key (`generate-verify-mac` usage), and exporting
//! a key's material. Routes after upstream `server/routes/v1/cmek-router.ts`
//! (`POST /api/v1/kms/keys/{keyId}/generate-mac` with `{data}` answering
//! `{mac, keyId, macAlgorithm}`, `POST .../verify-mac` with `{data, mac}` answering
//! `{macValid, keyId, macAlgorithm}`, `GET .../private-key` answering `{privateKey}`, all
//! base64); servers of 2024 have none of them (a 404).

use super::encryption::bytes_member;
use crate::error::require_field;
use crate::rest::{member, operation, Routes};
use crate::SecretString;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Computes the MAC of data with an HMAC key; answers the MAC's bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct GenerateMac {
    key_id: String,
    data: Vec<u8>,
}

impl GenerateMac {
    /// The MAC of `data` (up to 1 MiB) with the key `key_id`.
    pub fn new(key_id: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        Self {
            key_id: key_id.into(),
            data: data.into(),
        }
    }
}

/// Checks a MAC with an HMAC key.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyMac {
    key_id: String,
    data: Vec<u8>,
    mac: Vec<u8>,
}

impl VerifyMac {
    /// Whether `mac` is the MAC of `data` with the key `key_id`.
    pub fn new(
        key_id: impl Into<String>,
        data: impl Into<Vec<u8>>,
        mac: impl Into<Vec<u8>>,
    ) -> Self {
        Self {
            key_id: key_id.into(),
            data: data.into(),
            mac: mac.into(),
        }
    }
}

macro_rules! redacted_debug {
    ($($ty:ident),*) => {$(
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("key_id", &self.key_id)
                    .field("data", &format_args!("[{} bytes, redacted]", self.data.len()))
                    .finish_non_exhaustive()
            }
        }
    )*};
}

redacted_debug!(GenerateMac, VerifyMac);

#[derive(Serialize)]
struct MacBody {
    data: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    mac: Option<String>,
}

/// Whether a MAC is valid.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MacVerification {
    /// Whether the MAC matches the data and the key.
    pub mac_valid: bool,
    /// The key that verified.
    #[serde(default)]
    pub key_id: String,
    /// The key's algorithm, such as `HMAC_SHA_256`.
    #[serde(default)]
    pub mac_algorithm: String,
}

const GENERATE: Routes = Routes::stable("POST /api/v1/kms/keys/{keyId}/generate-mac");
const VERIFY: Routes = Routes::stable("POST /api/v1/kms/keys/{keyId}/verify-mac");

operation! {
    GenerateMac => Vec<u8>;
    family(Stable)
    validate(s) { require_field("key_id", &s.key_id) }
    request(s, generation) {
        let body = MacBody { data: STANDARD.encode(&s.data), mac: None };
        GENERATE.at(generation).arg(&s.key_id).idempotent().send_json(&body)
    }
    answer(response) { bytes_member(&GENERATE, "mac", response) }
}

operation! {
    VerifyMac => MacVerification;
    family(Stable)
    validate(s) { require_field("key_id", &s.key_id) }
    request(s, generation) {
        let body = MacBody { data: STANDARD.encode(&s.data), mac: Some(STANDARD.encode(&s.mac)) };
        VERIFY.at(generation).arg(&s.key_id).idempotent().send_json(&body)
    }
    answer(response) {
        crate::rest::whole(&VERIFY, response)
    }
}

/// Exports a key's material: a symmetric or HMAC key's bytes, or an asymmetric key's
/// private key (keys created exportable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportKmsKey {
    key_id: String,
}

impl ExportKmsKey {
    /// The material of the key `key_id`.
    pub fn new(key_id: impl Into<String>) -> Self {
        Self {
            key_id: key_id.into(),
        }
    }
}

/// A key's material, as the server exported it. `Debug` never shows it; it is wiped when
/// dropped.
#[derive(Debug, Clone)]
pub struct ExportedKey {
    material: SecretString,
}

impl ExportedKey {
    /// The material in standard base64, as the server sent it. Do not log it.
    pub fn base64(&self) -> &str {
        self.material.expose()
    }

    /// The material's bytes (wiped when dropped); `None` if the server's text is not base64.
    pub fn bytes(&self) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        STANDARD
            .decode(self.material.expose().trim())
            .ok()
            .map(zeroize::Zeroizing::new)
    }
}

const EXPORT: Routes = Routes::stable("GET /api/v1/kms/keys/{keyId}/private-key");

operation! {
    ExportKmsKey => ExportedKey;
    family(Stable)
    validate(s) { require_field("key_id", &s.key_id) }
    request(s, generation) { EXPORT.at(generation).arg(&s.key_id).send() }
    answer(response) {
        let material: SecretString = member(&EXPORT, &["privateKey"], response)?;
        Ok(ExportedKey { material })
    }
}
