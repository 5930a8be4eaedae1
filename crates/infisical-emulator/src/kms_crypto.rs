//! The emulator's stand-in for KMS cryptography: a keyed stream cipher with an integrity tag,
//! and keyed-hash "signatures". Reversible and consistent, and no more: it is a fake, for tests.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::util::random_bytes;

const NONCE: usize = 12;
const TAG: usize = 8;

/// Eight bytes of a keyed hash of `parts`.
fn block(key: &[u8], parts: &[&[u8]]) -> [u8; 8] {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    for p in parts {
        p.hash(&mut h);
    }
    h.finish().to_le_bytes()
}

fn keystream_xor(key: &[u8], nonce: &[u8], data: &mut [u8]) {
    for (i, chunk) in data.chunks_mut(8).enumerate() {
        let pad = block(key, &[nonce, &(i as u64).to_le_bytes()]);
        for (b, p) in chunk.iter_mut().zip(pad) {
            *b ^= p;
        }
    }
}

/// `nonce || data xor keystream || tag`.
pub(crate) fn encrypt(key: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let nonce = random_bytes(NONCE);
    let mut body = plaintext.to_vec();
    keystream_xor(key, &nonce, &mut body);
    let tag = block(key, &[&nonce, &body]);
    [nonce, body, tag.to_vec()].concat()
}

/// The plaintext, or `None` when the blob was not made by [`encrypt`] with this key.
pub(crate) fn decrypt(key: &[u8], blob: &[u8]) -> Option<Vec<u8>> {
    if blob.len() < NONCE + TAG {
        return None;
    }
    let (nonce, rest) = blob.split_at(NONCE);
    let (body, tag) = rest.split_at(rest.len() - TAG);
    if block(key, &[nonce, body]) != tag {
        return None;
    }
    let mut plaintext = body.to_vec();
    keystream_xor(key, nonce, &mut plaintext);
    Some(plaintext)
}

/// A 64-byte signature of `data` by `key` with `algorithm`.
pub(crate) fn sign(key: &[u8], algorithm: &str, digest: bool, data: &[u8]) -> Vec<u8> {
    (0u8..8)
        .flat_map(|i| block(key, &[algorithm.as_bytes(), &[u8::from(digest), i], data]))
        .collect()
}

/// A stand-in for the DER public key of a signing key.
pub(crate) fn public_key(key: &[u8]) -> Vec<u8> {
    [
        b"infisical-emulator-public-key:".as_slice(),
        &block(key, &[b"public"]),
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_tampering() {
        let key = random_bytes(32);
        let blob = encrypt(&key, b"hello, world");
        assert_eq!(decrypt(&key, &blob).as_deref(), Some(&b"hello, world"[..]));
        let mut tampered = blob.clone();
        tampered[NONCE] ^= 1;
        assert!(decrypt(&key, &tampered).is_none());
        assert!(decrypt(&random_bytes(32), &blob).is_none());
        assert_ne!(
            encrypt(&key, b"x"),
            encrypt(&key, b"x"),
            "a fresh nonce each time"
        );
        assert_eq!(sign(&key, "A", false, b"m"), sign(&key, "A", false, b"m"));
        assert_ne!(sign(&key, "A", false, b"m"), sign(&key, "B", false, b"m"));
    }
}
