//! KMS: keys managed by Infisical, to encrypt, decrypt, sign and verify data without ever
//! seeing the key. The models and one request type per operation.
//!
//! Data goes in and comes out as bytes; the base64 the routes speak is handled here. Getting a
//! key by id or by name, signing, verifying, the public key and the signing algorithms exist
//! on newer servers only (there is no older route to fall back to).

mod encryption;
mod keys;
mod mac;
mod model;
mod signing;

pub use encryption::{Decrypt, Encrypt};
pub use keys::{
    CreateKmsKey, DeleteKmsKey, GetKmsKey, GetKmsKeyByName, ListKmsKeys, RotateKmsKey, UpdateKmsKey,
};
pub use mac::{ExportKmsKey, ExportedKey, GenerateMac, MacVerification, VerifyMac};
pub use model::{KeyUsage, KmsKey, KmsKeyPage, Signature, SigningAlgorithm, Verification};
pub use signing::{GetPublicKey, ListSigningAlgorithms, Sign, Verify};
