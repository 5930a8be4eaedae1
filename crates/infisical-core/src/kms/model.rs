//! KMS keys and the answers of the signing routes.

use crate::open_enum::open_enum;
use serde::{Deserialize, Serialize};

open_enum! {
    /// What a key is for: an open set — a usage this version of the SDK does not name is
    /// kept as [`Other`](KeyUsage::Other) with the server's text, and sent as given.
    KeyUsage {
        /// Encrypt and decrypt (symmetric: `aes-256-gcm`, `aes-128-gcm`).
        EncryptDecrypt = "encrypt-decrypt",
        /// Sign and verify (asymmetric: `RSA_4096`, `ECC_NIST_P256`, …).
        SignVerify = "sign-verify",
        /// Generate and verify MACs (`HMAC_SHA_256`, …; current servers).
        GenerateVerifyMac = "generate-verify-mac",
    }
}

#[allow(clippy::derivable_impls, reason = "open_enum! makes the enum")]
impl Default for KeyUsage {
    fn default() -> Self {
        KeyUsage::EncryptDecrypt
    }
}

/// A signing algorithm (its wire name is [`as_str`](SigningAlgorithm::as_str)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SigningAlgorithm {
    /// RSASSA-PSS with SHA-512 (RSA keys).
    #[serde(rename = "RSASSA_PSS_SHA_512")]
    RsassaPssSha512,
    /// RSASSA-PSS with SHA-384 (RSA keys).
    #[serde(rename = "RSASSA_PSS_SHA_384")]
    RsassaPssSha384,
    /// RSASSA-PSS with SHA-256 (RSA keys).
    #[serde(rename = "RSASSA_PSS_SHA_256")]
    RsassaPssSha256,
    /// RSASSA-PKCS1-v1_5 with SHA-512 (RSA keys).
    #[serde(rename = "RSASSA_PKCS1_V1_5_SHA_512")]
    RsassaPkcs1V15Sha512,
    /// RSASSA-PKCS1-v1_5 with SHA-384 (RSA keys).
    #[serde(rename = "RSASSA_PKCS1_V1_5_SHA_384")]
    RsassaPkcs1V15Sha384,
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RSA keys).
    #[serde(rename = "RSASSA_PKCS1_V1_5_SHA_256")]
    RsassaPkcs1V15Sha256,
    /// ECDSA with SHA-512 (elliptic-curve keys).
    #[serde(rename = "ECDSA_SHA_512")]
    EcdsaSha512,
    /// ECDSA with SHA-384 (elliptic-curve keys).
    #[serde(rename = "ECDSA_SHA_384")]
    EcdsaSha384,
    /// ECDSA with SHA-256 (elliptic-curve keys).
    #[serde(rename = "ECDSA_SHA_256")]
    EcdsaSha256,
    /// An algorithm this version of the SDK does not know.
    #[serde(other)]
    Unknown,
}

impl SigningAlgorithm {
    /// The wire name, such as `ECDSA_SHA_256`.
    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlgorithm::RsassaPssSha512 => "RSASSA_PSS_SHA_512",
            SigningAlgorithm::RsassaPssSha384 => "RSASSA_PSS_SHA_384",
            SigningAlgorithm::RsassaPssSha256 => "RSASSA_PSS_SHA_256",
            SigningAlgorithm::RsassaPkcs1V15Sha512 => "RSASSA_PKCS1_V1_5_SHA_512",
            SigningAlgorithm::RsassaPkcs1V15Sha384 => "RSASSA_PKCS1_V1_5_SHA_384",
            SigningAlgorithm::RsassaPkcs1V15Sha256 => "RSASSA_PKCS1_V1_5_SHA_256",
            SigningAlgorithm::EcdsaSha512 => "ECDSA_SHA_512",
            SigningAlgorithm::EcdsaSha384 => "ECDSA_SHA_384",
            SigningAlgorithm::EcdsaSha256 => "ECDSA_SHA_256",
            SigningAlgorithm::Unknown => "UNKNOWN",
        }
    }
}

/// A KMS key. Non-essential fields are optional: servers add fields over time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct KmsKey {
    /// The key's id.
    pub id: String,
    /// The key's name, unique in its project.
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// Whether the key refuses every operation.
    pub is_disabled: Option<bool>,
    /// The organization's id.
    pub org_id: Option<String>,
    /// The project's id.
    pub project_id: Option<String>,
    /// What the key is for (newer servers).
    pub key_usage: Option<KeyUsage>,
    /// The algorithm, such as `aes-256-gcm` or `RSA_4096` (every server's name for it).
    pub encryption_algorithm: Option<String>,
    /// The algorithm, as current servers also name it.
    pub algorithm: Option<String>,
    /// Whether the key's material may be exported (current servers).
    pub is_exportable: Option<bool>,
    /// The key material's version.
    pub version: Option<u64>,
    /// When the key was created (RFC 3339).
    pub created_at: Option<String>,
    /// When the key last changed (RFC 3339).
    pub updated_at: Option<String>,
}

/// One page of a key list, and how many keys there are in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct KmsKeyPage {
    /// The keys of this page.
    pub keys: Vec<KmsKey>,
    /// How many keys match the list, over every page.
    pub total_count: u64,
}

/// A signature made by a key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signature {
    /// The signature.
    pub signature: Vec<u8>,
    /// The key that signed.
    pub key_id: String,
    /// The algorithm it signed with.
    pub signing_algorithm: SigningAlgorithm,
}

/// Whether a signature is valid.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Verification {
    /// Whether the signature matches the data and the key.
    pub signature_valid: bool,
    /// The key that verified.
    #[serde(default)]
    pub key_id: String,
    /// The algorithm it verified with.
    pub signing_algorithm: SigningAlgorithm,
}
