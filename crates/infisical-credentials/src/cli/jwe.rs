//! The vault item: a compact JWE, `PBES2-HS256+A128KW` key wrapping and `A256GCM` content
//! encryption (jose2go v1.7.0 as called by go-keyring), decrypted in pure Rust (RFC 7518
//! §4.8 and §5.3): PBKDF2-HMAC-SHA256 and AES-256-GCM from `ring`, the AES key unwrap
//! (RFC 3394) from `aes-kw`.
//!
//! The item's shape is validated first: every length, and a `p2c` that cannot burn
//! minutes of CPU in PBKDF2.

use super::invalid;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use infisical_core::CredentialsError;
use serde_json::{Map, Value};
use std::num::NonZeroU32;
use std::path::Path;
use zeroize::Zeroizing;

const ALG: &str = "PBES2-HS256+A128KW";
const ENC: &str = "A256GCM";
/// The most PBKDF2 iterations jose2go v1.7.0 accepts for this algorithm.
const MAX_P2C: u64 = 1_300_000;
/// The most this SDK accepts: more is a possible denial of service.
const SDK_MAX_P2C: u64 = 1_000_000;
/// The key-encryption key of `A128KW`.
const KEK_LEN: usize = 16;
/// An AES key wrap of the 32-byte A256GCM key.
const ENCRYPTED_KEY_LEN: usize = 40;
const IV_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// The plaintext of the compact JWE `item`, decrypted with `passphrase`. Errors name `path`
/// and quote neither the passphrase nor the item.
pub(super) fn decrypt(
    item: &str,
    passphrase: &[u8],
    path: &Path,
) -> Result<Zeroizing<Vec<u8>>, CredentialsError> {
    let compact = item.trim();
    validate(compact).map_err(|problem| {
        invalid(
            format!("malformed Infisical CLI vault item: {problem}"),
            path,
        )
    })?;

    let cannot_decrypt = || {
        invalid(
            "cannot decrypt the Infisical CLI vault item (wrong passphrase or corrupted file)",
            path,
        )
    };
    if passphrase.is_empty() {
        return Err(cannot_decrypt());
    }
    open(compact, passphrase).ok_or_else(cannot_decrypt)
}

/// Decrypts a validated compact JWE; `None` when the passphrase is wrong or the item was
/// tampered with (the two are indistinguishable by design).
fn open(compact: &str, passphrase: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let mut segments = compact.split('.');
    let header_b64 = segments.next()?;
    let mut part = || URL_SAFE_NO_PAD.decode(segments.next()?).ok();
    let (encrypted_key, iv, ciphertext, tag) = (part()?, part()?, part()?, part()?);
    let header: Map<String, Value> =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header_b64).ok()?).ok()?;
    let p2s = URL_SAFE_NO_PAD.decode(header.get("p2s")?.as_str()?).ok()?;
    let p2c = NonZeroU32::new(u32::try_from(header.get("p2c")?.as_u64()?).ok()?)?;

    // The key-encryption key: PBKDF2 over `alg || 0x00 || p2s`.
    let mut salt = Vec::with_capacity(ALG.len().saturating_add(1).saturating_add(p2s.len()));
    salt.extend_from_slice(ALG.as_bytes());
    salt.push(0);
    salt.extend_from_slice(&p2s);
    let mut kek = Zeroizing::new([0u8; KEK_LEN]);
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        p2c,
        &salt,
        passphrase,
        &mut *kek,
    );

    // The content-encryption key, unwrapped.
    let mut cek = Zeroizing::new([0u8; 32]);
    aes_kw::KekAes128::from(*kek)
        .unwrap(&encrypted_key, &mut *cek)
        .ok()?;

    // The content: AES-256-GCM, the header's base64url text as additional data.
    let key = ring::aead::LessSafeKey::new(
        ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &*cek).ok()?,
    );
    let nonce = ring::aead::Nonce::try_assume_unique_for_key(&iv).ok()?;
    let mut in_out = Zeroizing::new(ciphertext);
    in_out.extend_from_slice(&tag);
    let plaintext_len = key
        .open_in_place(
            nonce,
            ring::aead::Aad::from(header_b64.as_bytes()),
            &mut in_out,
        )
        .ok()?
        .len();
    in_out.truncate(plaintext_len);
    Some(in_out)
}

/// Checks the shape of a compact JWE as the CLI writes it; the problem, if any.
pub(super) fn validate(compact: &str) -> Result<(), String> {
    let segments: Vec<&str> = compact.split('.').collect();
    let [header, encrypted_key, iv, ciphertext, tag] = segments[..] else {
        return Err(format!(
            "a compact JWE has 5 dot-separated parts, this has {}",
            segments.len()
        ));
    };
    let decode = |name: &str, segment: &str| {
        URL_SAFE_NO_PAD
            .decode(segment)
            .map_err(|_| format!("the {name} is not unpadded base64url"))
    };
    let expect_len = |name: &str, segment: &str, len: usize| {
        let actual = decode(name, segment)?.len();
        if actual == len {
            Ok(())
        } else {
            Err(format!("the {name} is {actual} bytes, not {len}"))
        }
    };

    validate_header(&decode("protected header", header)?)?;
    expect_len("encrypted key", encrypted_key, ENCRYPTED_KEY_LEN)?;
    expect_len("initialization vector", iv, IV_LEN)?;
    if decode("ciphertext", ciphertext)?.is_empty() {
        return Err("the ciphertext is empty".into());
    }
    expect_len("authentication tag", tag, TAG_LEN)
}

/// Checks the protected header: `alg`, `enc`, `p2s`, `p2c`, and no compression.
fn validate_header(bytes: &[u8]) -> Result<(), String> {
    let header: Map<String, Value> = serde_json::from_slice(bytes)
        .map_err(|_| "the protected header is not a JSON object".to_owned())?;
    let string = |name: &str| header.get(name).and_then(Value::as_str);

    if string("alg") != Some(ALG) {
        return Err(format!("the header's alg is not {ALG}"));
    }
    if string("enc") != Some(ENC) {
        return Err(format!("the header's enc is not {ENC}"));
    }
    if header.contains_key("zip") {
        return Err("the header asks for compression, which the CLI never uses".into());
    }
    let salt = string("p2s")
        .and_then(|p2s| URL_SAFE_NO_PAD.decode(p2s).ok())
        .ok_or("the header has no base64url p2s (PBES2 salt)")?;
    if salt.len() < 8 {
        return Err("the header's p2s (PBES2 salt) is shorter than 8 bytes".into());
    }
    let count = header
        .get("p2c")
        .and_then(Value::as_u64)
        .ok_or("the header has no integer p2c (PBES2 iteration count)")?;
    if !(1..=MAX_P2C).contains(&count) {
        return Err(format!(
            "the header's p2c (PBES2 iteration count) {count} is not in 1..={MAX_P2C}"
        ));
    }
    if count > SDK_MAX_P2C {
        return Err(format!(
            "the header's p2c (PBES2 iteration count) {count} is more than the \
             {SDK_MAX_P2C} this SDK accepts"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn item(header: &str, key_len: usize, iv_len: usize, ct_len: usize, tag_len: usize) -> String {
        [
            b64(header.as_bytes()),
            b64(&vec![1; key_len]),
            b64(&vec![2; iv_len]),
            b64(&vec![3; ct_len]),
            b64(&vec![4; tag_len]),
        ]
        .join(".")
    }

    fn header(p2c: &str) -> String {
        format!(r#"{{"alg":"{ALG}","enc":"{ENC}","p2c":{p2c},"p2s":"AAAAAAAAAAAAAAAA"}}"#)
    }

    #[test]
    fn a_well_formed_item_passes() {
        assert_eq!(validate(&item(&header("8192"), 40, 12, 5, 16)), Ok(()));
    }

    #[test]
    fn shapes_are_checked() {
        let bad = [
            item(&header("8192"), 3, 12, 5, 16),
            item(&header("8192"), 0, 12, 5, 16),
            item(&header("8192"), 40, 11, 5, 16),
            item(&header("8192"), 40, 12, 0, 16),
            item(&header("8192"), 40, 12, 5, 15),
            item(&header("0"), 40, 12, 5, 16),
            item(&header("8192.5"), 40, 12, 5, 16),
            item(&header("-1"), 40, 12, 5, 16),
            item(&header("1300001"), 40, 12, 5, 16),
            item(&header("1000001"), 40, 12, 5, 16),
            item(&header("\"8192\""), 40, 12, 5, 16),
            item(&header("8192").replace(ENC, "A128GCM"), 40, 12, 5, 16),
            item(&header("8192").replace(ALG, "dir"), 40, 12, 5, 16),
            item(
                &header("8192").replace("AAAAAAAAAAAAAAAA", "AAAA"),
                40,
                12,
                5,
                16,
            ),
            item(
                &header("8192").replace("\"p2s\"", "\"zip\":\"DEF\",\"p2s\""),
                40,
                12,
                5,
                16,
            ),
            item("[1,2]", 40, 12, 5, 16),
            "a.b.c".into(),
            "".into(),
            format!("{}=", item(&header("8192"), 40, 12, 5, 16)),
            format!("{}.", item(&header("8192"), 40, 12, 5, 16)),
        ];
        for compact in bad {
            assert!(validate(&compact).is_err(), "accepted {compact}");
        }
    }

    #[test]
    fn malformed_items_are_refused_before_decrypting() {
        let path = Path::new("/item");
        let err = decrypt(&item(&header("8192"), 3, 12, 5, 16), b"pw", path).unwrap_err();
        assert!(err.message().starts_with("malformed"), "{err}");
        assert_eq!(err.path(), Some(path));
    }

    /// An item made by another JWE implementation (josekit, a test dependency only).
    fn sealed(plaintext: &[u8], passphrase: &[u8]) -> String {
        let mut header = josekit::jwe::JweHeader::new();
        header.set_content_encryption(ENC);
        let encrypter = josekit::jwe::PBES2_HS256_A128KW
            .encrypter_from_bytes(passphrase)
            .unwrap();
        josekit::jwe::serialize_compact(plaintext, &header, &encrypter).unwrap()
    }

    #[test]
    fn items_of_another_implementation_open_and_tampering_is_refused() {
        let path = Path::new("/i");
        let item = sealed(b"\"{\\\"email\\\":\\\"a@b.c\\\"}\"", b"passphrase");
        let plain = decrypt(&item, b"passphrase", path).unwrap();
        assert_eq!(&plain[..], b"\"{\\\"email\\\":\\\"a@b.c\\\"}\"");
        assert!(
            decrypt(&item, b"passphrasE", path).is_err(),
            "wrong passphrase"
        );
        // Flip one character of each part: header, key, iv, ciphertext, tag.
        let parts: Vec<&str> = item.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            let mut chars: Vec<char> = part.chars().collect();
            let at = chars.len() / 2;
            chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
            let mut tampered = parts.clone();
            let replaced: String = chars.into_iter().collect();
            tampered[i] = &replaced;
            assert!(
                decrypt(&tampered.join("."), b"passphrase", path).is_err(),
                "part {i}"
            );
        }
    }

    #[test]
    fn undecryptable_items_say_so() {
        let err = decrypt(&item(&header("1"), 40, 12, 5, 16), b"pw", Path::new("/i")).unwrap_err();
        assert!(err.message().contains("cannot decrypt"), "{err}");
    }
}
