//! KMS keys: `/api/v1/kms/keys` list/create, `/api/v1/kms/keys/{keyId}` update/delete and
//! `.../encrypt`, `.../decrypt` (both modes); on modern servers also get by id,
//! `key-name/{keyName}`, `.../sign`, `.../verify`, `.../public-key`, `.../signing-algorithms`
//! and sign/verify keys. After `server/routes/v1/cmek-router.ts` and
//! `services/cmek/cmek-service.ts`. The cryptography is a keyed fake (`kms_crypto.rs`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::kms_crypto;
use crate::resources::{handler, member_project, Handler, Input};
use crate::state::State;
use crate::util::{now_iso, random_bytes, uuid};
use crate::validate::Check;
use crate::ServerMode;

/// A customer-managed key.
#[derive(Clone, Debug)]
pub(crate) struct KmsKey {
    id: String,
    project_id: String,
    name: String,
    description: Option<String>,
    disabled: bool,
    usage: &'static str,
    algorithm: String,
    secret: Vec<u8>,
    /// The material of earlier versions, newest first (rotation keeps it for decrypting).
    retired: Vec<Vec<u8>>,
    /// The material's version.
    version: u64,
    /// `isExportable` (current servers; default `true`).
    exportable: bool,
    created_at: String,
    updated_at: String,
}

const ENCRYPT_DECRYPT: &str = "encrypt-decrypt";
const SIGN_VERIFY: &str = "sign-verify";
const GENERATE_VERIFY_MAC: &str = "generate-verify-mac";
/// Upstream `lib/crypto/hmac/types.ts`, with their key lengths.
const HMAC: &[(&str, usize)] = &[
    ("HMAC_SHA_1", 20),
    ("HMAC_SHA_224", 28),
    ("HMAC_SHA_256", 32),
    ("HMAC_SHA_384", 48),
    ("HMAC_SHA_512", 64),
];
const SYMMETRIC: &[&str] = &["aes-256-gcm", "aes-128-gcm"];
const ASYMMETRIC: &[&str] = &["RSA_4096", "ECC_NIST_P256"];
const RSA_SIGNING: &[&str] = &[
    "RSASSA_PSS_SHA_512",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_256",
];
const ECC_SIGNING: &[&str] = &["ECDSA_SHA_512", "ECDSA_SHA_384", "ECDSA_SHA_256"];

/// The most bytes a piece of base64 data may decode to, by server generation and field:
/// the October 2024 `base64Schema` takes 4096 bytes everywhere; current servers take 1 MiB
/// of data, 1 MiB + 1 KiB of ciphertext and 8 KiB of signature.
fn max_bytes(state: &State, field: &str) -> usize {
    if state.settings.mode == crate::ServerMode::Legacy {
        return 4096;
    }
    match field {
        "ciphertext" => (1 << 20) + 1024,
        "signature" => 8 * 1024,
        _ => 1 << 20,
    }
}

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let rest = match segs {
        ["api", "v1", "kms", "keys", rest @ ..] => rest,
        _ => return None,
    };
    let id = rest.first().map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("GET", [] | [""]) => handler(list),
        ("POST", [] | [""]) => handler(create),
        ("GET", ["key-name", name]) if modern => {
            let name = name.to_string();
            handler(move |st, i| get_by_name(st, &name, i))
        }
        ("GET", [_]) if modern => handler(move |st, _| get(st, &id)),
        ("PATCH", [_]) => handler(move |st, i| update(st, &id, i)),
        ("DELETE", [_]) => handler(move |st, _| delete(st, &id)),
        ("POST", [_, "encrypt"]) => handler(move |st, i| encrypt(st, &id, i)),
        ("POST", [_, "decrypt"]) => handler(move |st, i| decrypt(st, &id, i)),
        ("POST", [_, "sign"]) if modern => handler(move |st, i| sign(st, &id, i, false)),
        ("POST", [_, "verify"]) if modern => handler(move |st, i| sign(st, &id, i, true)),
        ("GET", [_, "public-key"]) if modern => handler(move |st, _| public_key(st, &id)),
        ("GET", [_, "signing-algorithms"]) if modern => handler(move |st, _| algorithms(st, &id)),
        ("POST", [_, "generate-mac"]) if modern => handler(move |st, i| mac(st, &id, i, false)),
        ("POST", [_, "verify-mac"]) if modern => handler(move |st, i| mac(st, &id, i, true)),
        ("GET", [_, "private-key"]) if modern => handler(move |st, _| export(st, &id)),
        ("POST", [_, "rotate"]) if modern => handler(move |st, _| rotate(st, &id)),
        _ => None,
    }
}

fn modern(state: &State) -> bool {
    state.settings.mode != ServerMode::Legacy
}

/// The key object: `CmekSchema` on modern servers; the October 2024 writes answer the bare
/// `KmsKeysSchema` (with `isReserved`, without version and algorithm).
fn key_json(state: &State, key: &KmsKey, listed: bool) -> Value {
    let mut v = json!({
        "id": key.id,
        "description": key.description,
        "isDisabled": key.disabled,
        "orgId": state.org_id,
        "name": key.name,
        "createdAt": key.created_at,
        "updatedAt": key.updated_at,
        "projectId": key.project_id,
        "slug": null,
    });
    if modern(state) || listed {
        v["version"] = json!(key.version);
        v["encryptionAlgorithm"] = json!(key.algorithm);
    }
    if modern(state) {
        // The recorded current server's key object: no `algorithm` / `isExportable` yet.
        v["keyUsage"] = json!(key.usage);
    } else if !listed {
        v["isReserved"] = json!(false);
    }
    v
}

fn not_found(state: &State, id: &str, quoted: bool) -> ApiError {
    ApiError::not_found(match (modern(state), quoted) {
        (false, _) => "Key not found".to_string(),
        (true, true) => format!("Key with ID \"{id}\" not found"),
        (true, false) => format!("Key with ID {id} not found"),
    })
}

/// The key with this id, usable (not disabled) when `usable`.
fn find<'a>(
    state: &'a State,
    id: &str,
    quoted: bool,
    usable: bool,
) -> Result<&'a KmsKey, ApiError> {
    let key = state
        .kms_keys
        .iter()
        .find(|k| k.id == id)
        .ok_or_else(|| not_found(state, id, quoted))?;
    member_project(state, &key.project_id)?;
    if usable && key.disabled {
        return Err(ApiError::bad_request("Key is disabled"));
    }
    Ok(key)
}

/// A key name: a slug of 1 to 32 characters.
fn name(c: &mut Check, m: &Map<String, Value>, required: bool) -> Option<String> {
    let name = c.string(m, &[], "name", required, true)?;
    if name.is_empty() || name.len() > 32 || !crate::environments::is_slug(&name) {
        c.custom(&["name"], "Name must be a valid slug");
    }
    Some(name)
}

fn name_taken(state: &State, name: &str, project_id: &str) -> ApiError {
    if modern(state) {
        ApiError::bad_request(format!(
            "A KMS key with the name \"{name}\" already exists for the project with ID \"{project_id}\""
        ))
    } else {
        // The October 2024 service lets the unique index fail: a `DatabaseError`.
        ApiError::Handled {
            status: 500,
            name: "Create".into(),
            message: "Something went wrong".into(),
        }
    }
}

fn list(state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    let q = input.query;
    let mut c = Check::new();
    let project_id = c
        .string(q, &[], "projectId", true, false)
        .unwrap_or_default();
    let offset = c.coerce_number(q, "offset").unwrap_or(0.0);
    let limit = c.coerce_number(q, "limit").unwrap_or(100.0);
    if !(1.0..=100.0).contains(&limit) || offset < 0.0 {
        c.custom(&["limit"], "Number must be between 1 and 100");
    }
    let descending = c.one_of(q, &[], "orderDirection", &["asc", "desc"], "asc") == "desc";
    let search = c.string(q, &[], "search", false, true);
    c.finish()?;
    member_project(state, &project_id)?;
    let mut keys: Vec<&KmsKey> = state
        .kms_keys
        .iter()
        .filter(|k| k.project_id == project_id)
        .filter(|k| search.as_ref().is_none_or(|s| k.name.contains(s.as_str())))
        .collect();
    keys.sort_by(|a, b| a.name.cmp(&b.name));
    if descending {
        keys.reverse();
    }
    let total = keys.len();
    let page: Vec<Value> = keys
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|k| key_json(state, k, true))
        .collect();
    Ok(json!({ "keys": page, "totalCount": total }))
}

fn get(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let key = find(state, id, true, false)?;
    Ok(json!({ "key": key_json(state, key, false) }))
}

fn get_by_name(state: &mut State, name: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let project_id = c
        .non_empty_string(input.query, &[], "projectId")
        .unwrap_or_default();
    c.finish()?;
    let key = state
        .kms_keys
        .iter()
        .find(|k| k.name == name && k.project_id == project_id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Key with name \"{name}\" not found for project with ID \"{project_id}\""
            ))
        })?;
    Ok(json!({ "key": key_json(state, key, false) }))
}

fn create(state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let project_id = c
        .string(m, &[], "projectId", true, false)
        .unwrap_or_default();
    let name = name(&mut c, m, true).unwrap_or_default();
    let description = c.string(m, &[], "description", false, true);
    let usage = if modern(state) {
        c.one_of(
            m,
            &[],
            "keyUsage",
            &[ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC],
            ENCRYPT_DECRYPT,
        )
    } else {
        ENCRYPT_DECRYPT.to_string()
    };
    let allowed: Vec<&str> = if modern(state) {
        let hmac = HMAC.iter().map(|(name, _)| *name);
        SYMMETRIC
            .iter()
            .chain(ASYMMETRIC)
            .copied()
            .chain(hmac)
            .collect()
    } else {
        SYMMETRIC.to_vec()
    };
    // Current servers: `algorithm ?? encryptionAlgorithm ?? "aes-256-gcm"`.
    let field = if modern(state) && m.contains_key("algorithm") {
        "algorithm"
    } else {
        "encryptionAlgorithm"
    };
    let algorithm = c.one_of(m, &[], field, &allowed, SYMMETRIC[0]);
    let exportable = !modern(state) || c.boolean(m, &[], "isExportable", false).unwrap_or(true);
    let hmac_length = HMAC
        .iter()
        .find(|(name, _)| *name == algorithm)
        .map(|(_, n)| *n);
    let (usage, fits): (&'static str, bool) = if usage == SIGN_VERIFY {
        (SIGN_VERIFY, ASYMMETRIC.contains(&algorithm.as_str()))
    } else if usage == GENERATE_VERIFY_MAC {
        (GENERATE_VERIFY_MAC, hmac_length.is_some())
    } else {
        (ENCRYPT_DECRYPT, SYMMETRIC.contains(&algorithm.as_str()))
    };
    if !fits {
        c.custom(&[], "encryptionAlgorithm does not fit the key usage");
    }
    c.finish()?;
    member_project(state, &project_id)?;
    if state
        .kms_keys
        .iter()
        .any(|k| k.name == name && k.project_id == project_id)
    {
        return Err(name_taken(state, &name, &project_id));
    }
    // The material's length as the algorithm's (what an export answers).
    let material_length = match (hmac_length, algorithm.as_str()) {
        (Some(n), _) => n,
        (None, "aes-128-gcm") => 16,
        _ => 32,
    };
    let now = now_iso();
    let key = KmsKey {
        id: uuid(),
        project_id,
        name,
        description,
        disabled: false,
        usage,
        algorithm,
        secret: random_bytes(material_length),
        retired: Vec::new(),
        version: 1,
        exportable,
        created_at: now.clone(),
        updated_at: now,
    };
    let answer = key_json(state, &key, false);
    state.kms_keys.push(key);
    Ok(json!({ "key": answer }))
}

fn update(state: &mut State, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let name = name(&mut c, m, false);
    let disabled = c.boolean(m, &[], "isDisabled", false);
    let description = c.string(m, &[], "description", false, true);
    c.finish()?;
    let project_id = find(state, id, false, false)?.project_id.clone();
    if let Some(n) = &name {
        if state
            .kms_keys
            .iter()
            .any(|k| &k.name == n && k.project_id == project_id && k.id != id)
        {
            return Err(name_taken(state, n, &project_id));
        }
    }
    let key = state
        .kms_keys
        .iter_mut()
        .find(|k| k.id == id)
        .ok_or(ApiError::Internal)?;
    if let Some(n) = name {
        key.name = n;
    }
    if let Some(d) = disabled {
        key.disabled = d;
    }
    if description.is_some() {
        key.description = description;
    }
    key.updated_at = now_iso();
    let key = key.clone();
    Ok(json!({ "key": key_json(state, &key, false) }))
}

fn delete(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let answer = key_json(state, find(state, id, false, false)?, false);
    state.kms_keys.retain(|k| k.id != id);
    Ok(json!({ "key": answer }))
}

/// A base64 field of at most `max` bytes (`base64Schema`): the bytes.
fn base64_field(c: &mut Check, m: &Map<String, Value>, key: &str, max: usize) -> Vec<u8> {
    let Some(text) = c.string(m, &[], key, true, false) else {
        return Vec::new();
    };
    match STANDARD.decode(&text) {
        Ok(bytes) if bytes.len() <= max => bytes,
        Ok(_) => {
            c.custom(&[key], &format!("data cannot exceed {max} bytes"));
            Vec::new()
        }
        Err(_) => {
            c.custom(&[key], "plaintext must be base64 encoded");
            Vec::new()
        }
    }
}

/// The key, checked to be meant for `usage`.
fn usable_for<'a>(state: &'a State, id: &str, usage: &str) -> Result<&'a KmsKey, ApiError> {
    let key = find(state, id, true, true)?;
    if key.usage != usage {
        let purpose = match usage {
            SIGN_VERIFY => "signing",
            GENERATE_VERIFY_MAC => "generating MACs",
            _ => "encryption",
        };
        return Err(ApiError::bad_request(format!(
            "Key with ID '{id}' is not intended for {purpose}"
        )));
    }
    Ok(key)
}

fn encrypt(state: &mut State, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let plaintext = base64_field(&mut c, m, "plaintext", max_bytes(state, "plaintext"));
    c.finish()?;
    let key = usable_for(state, id, ENCRYPT_DECRYPT)?;
    let blob = kms_crypto::encrypt(&key.secret, &plaintext);
    Ok(json!({ "ciphertext": STANDARD.encode(blob) }))
}

/// A ciphertext this key did not make fails to decrypt: the server's generic 500.
fn decrypt(state: &mut State, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let blob = base64_field(&mut c, m, "ciphertext", max_bytes(state, "ciphertext"));
    c.finish()?;
    let key = usable_for(state, id, ENCRYPT_DECRYPT)?;
    let plaintext = std::iter::once(&key.secret)
        .chain(&key.retired)
        .find_map(|material| kms_crypto::decrypt(material, &blob))
        .ok_or(ApiError::Internal)?;
    Ok(json!({ "plaintext": STANDARD.encode(plaintext) }))
}

/// The signing algorithms of a key's algorithm.
fn signing_algorithms(key: &KmsKey) -> &'static [&'static str] {
    if key.algorithm.starts_with("RSA") {
        RSA_SIGNING
    } else {
        ECC_SIGNING
    }
}

/// `.../sign` and (`verify`) `.../verify`.
fn sign(state: &mut State, id: &str, input: &Input<'_>, verify: bool) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let data = base64_field(&mut c, m, "data", max_bytes(state, "data"));
    let signature =
        verify.then(|| base64_field(&mut c, m, "signature", max_bytes(state, "signature")));
    let all: Vec<&str> = RSA_SIGNING.iter().chain(ECC_SIGNING).copied().collect();
    let algorithm = c.one_of(m, &[], "signingAlgorithm", &all, "");
    let digest = c.boolean(m, &[], "isDigest", false).unwrap_or(false);
    if m.get("signingAlgorithm").is_none() {
        c.string(m, &[], "signingAlgorithm", true, false);
    }
    c.finish()?;
    let key = usable_for(state, id, SIGN_VERIFY)?;
    if !signing_algorithms(key).contains(&algorithm.as_str()) {
        return Err(ApiError::bad_request(format!(
            "Invalid signing algorithm {algorithm} for key algorithm {}",
            key.algorithm
        )));
    }
    let expected = kms_crypto::sign(&key.secret, &algorithm, digest, &data);
    Ok(match signature {
        None => {
            json!({"signature": STANDARD.encode(expected), "keyId": key.id, "signingAlgorithm": algorithm})
        }
        Some(given) => {
            json!({"signatureValid": given == expected, "keyId": key.id, "signingAlgorithm": algorithm})
        }
    })
}

fn public_key(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let key = usable_for(state, id, SIGN_VERIFY)?;
    Ok(json!({ "publicKey": STANDARD.encode(kms_crypto::public_key(&key.secret)) }))
}

fn algorithms(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let key = usable_for(state, id, SIGN_VERIFY)?;
    Ok(json!({ "signingAlgorithms": signing_algorithms(key) }))
}

/// The MAC of `data` with an HMAC key, by its algorithm.
fn hmac_of(key: &KmsKey, data: &[u8]) -> Vec<u8> {
    use hmac::Mac;
    let ring_alg = match key.algorithm.as_str() {
        "HMAC_SHA_1" => Some(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY),
        "HMAC_SHA_256" => Some(ring::hmac::HMAC_SHA256),
        "HMAC_SHA_384" => Some(ring::hmac::HMAC_SHA384),
        "HMAC_SHA_512" => Some(ring::hmac::HMAC_SHA512),
        _ => None,
    };
    match ring_alg {
        Some(alg) => ring::hmac::sign(&ring::hmac::Key::new(alg, &key.secret), data)
            .as_ref()
            .to_vec(),
        // HMAC-SHA-224, which ring lacks.
        None => hmac::Hmac::<sha2::Sha224>::new_from_slice(&key.secret)
            .map(|mut mac| {
                mac.update(data);
                mac.finalize().into_bytes().to_vec()
            })
            .unwrap_or_default(),
    }
}

/// `.../generate-mac` and (`verify`) `.../verify-mac`: `data` up to 1 MiB, `mac` up to
/// 1024 bytes; the algorithm is the key's.
fn mac(state: &mut State, id: &str, input: &Input<'_>, verify: bool) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let data = base64_field(&mut c, m, "data", 1 << 20);
    let given = verify.then(|| base64_field(&mut c, m, "mac", 1024));
    c.finish()?;
    let key = usable_for(state, id, GENERATE_VERIFY_MAC)?;
    let mac = hmac_of(key, &data);
    Ok(match given {
        None => {
            json!({ "mac": STANDARD.encode(&mac), "keyId": key.id, "macAlgorithm": key.algorithm })
        }
        Some(given) => {
            let valid = given.len() == mac.len()
                && given
                    .iter()
                    .zip(&mac)
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0;
            json!({ "macValid": valid, "keyId": key.id, "macAlgorithm": key.algorithm })
        }
    })
}

/// `.../private-key`: the key's material in base64. A disabled key is refused (upstream);
/// so is a key created with `isExportable: false` (the documented rule; the message is the
/// emulator's own, the upstream check was not found).
fn export(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let key = find(state, id, true, false)?;
    if key.disabled {
        return Err(ApiError::bad_request("Key is disabled"));
    }
    if !key.exportable {
        return Err(ApiError::bad_request("Key is not exportable"));
    }
    Ok(json!({ "privateKey": STANDARD.encode(&key.secret) }))
}

/// `.../rotate`: encrypt/decrypt keys only; new material, the version one higher, the old
/// material kept so that what it encrypted still decrypts.
fn rotate(state: &mut State, id: &str) -> Result<Value, ApiError> {
    usable_for(state, id, ENCRYPT_DECRYPT)?;
    let key = state
        .kms_keys
        .iter_mut()
        .find(|k| k.id == id)
        .ok_or(ApiError::Internal)?;
    let fresh = random_bytes(key.secret.len());
    let old = std::mem::replace(&mut key.secret, fresh);
    key.retired.insert(0, old);
    key.version += 1;
    key.updated_at = now_iso();
    let key = key.clone();
    Ok(json!({ "key": key_json(state, &key, false) }))
}
