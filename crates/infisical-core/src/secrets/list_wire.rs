//! A list answer decoded with its `secrets` array allocated once.
//!
//! Decoding an array of unknown length grows its `Vec` by doubling: a list of 10,000
//! secrets moves through 14 allocations, copies 4 MB and peaks at 6 MB (the last two
//! buffers at once) for 2.6 MB of secrets — and a peak like that makes glibc hand the
//! memory back to the system after each call and fault it in again on the next
//! (docs/performance.md). The body's length bounds how many secrets it can hold, since a
//! server never sends a secret in fewer than [`MIN_SECRET_BYTES`]: the array is allocated
//! for that many, filled, and trimmed to its length.

use super::freshness::Freshness;
use super::model::{ImportedSecrets, Secret, SecretList};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Fewer bytes than any secret of a list takes as servers send it: at least 449 bytes
/// besides its name, value and comment in every list recorded from an October 2024 server,
/// 521 from a 2025 one (`shared/api/recorded`). A body of `n` bytes holds at most
/// `n / MIN_SECRET_BYTES` secrets; a server sending smaller ones only costs the `Vec` a
/// few doublings, as without the estimate.
const MIN_SECRET_BYTES: usize = 448;

/// The most secrets allocated for up front (17 MB of them): a body that is mostly something
/// else (imports, or a hostile server's padding) reserves no more than this; a larger list
/// grows past it by doubling.
const MOST_RESERVED: usize = 1 << 16;

/// Decodes a list answer's body.
///
/// Its UTF-8 is checked once, for the whole body, and the JSON then read as text: checking
/// each of a list's hundreds of short strings on its own, as decoding bytes does, took a
/// fifth of the instructions of a list of 50 (docs/performance.md). A body that is not
/// UTF-8 — which no server sends — is decoded from bytes as before, so that invalid bytes
/// in a string the SDK reads are an error naming it, and in one it skips, no error at all.
pub(crate) fn decode(body: &[u8]) -> serde_json::Result<SecretList> {
    let capacity = capacity_for(body.len());
    match std::str::from_utf8(body) {
        Ok(text) => decode_from(serde_json::Deserializer::from_str(text), capacity),
        Err(_) => decode_from(serde_json::Deserializer::from_slice(body), capacity),
    }
}

fn decode_from<'de, R: serde_json::de::Read<'de>>(
    mut deserializer: serde_json::Deserializer<R>,
    capacity: usize,
) -> serde_json::Result<SecretList> {
    let list = ListSeed { capacity }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(list)
}

/// How many secrets to allocate for, for a body of `len` bytes.
fn capacity_for(len: usize) -> usize {
    (len / MIN_SECRET_BYTES).min(MOST_RESERVED)
}

/// A [`SecretList`] whose `secrets` array is allocated for `capacity` secrets.
struct ListSeed {
    capacity: usize,
}

impl<'de> DeserializeSeed<'de> for ListSeed {
    type Value = SecretList;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<SecretList, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ListSeed {
    type Value = SecretList;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of secrets")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SecretList, A::Error> {
        let mut secrets = None;
        let mut imports: Option<Vec<ImportedSecrets>> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match &*key {
                "secrets" if secrets.is_some() => {
                    return Err(de::Error::duplicate_field("secrets"))
                }
                "imports" if imports.is_some() => {
                    return Err(de::Error::duplicate_field("imports"))
                }
                "secrets" => secrets = Some(map.next_value_seed(SecretsSeed(self.capacity))?),
                "imports" => imports = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(SecretList {
            secrets: secrets.ok_or_else(|| de::Error::missing_field("secrets"))?,
            imports: imports.unwrap_or_default(),
            freshness: Freshness::default(),
        })
    }
}

/// The `secrets` array, allocated for `.0` secrets and trimmed to its length.
struct SecretsSeed(usize);

impl<'de> DeserializeSeed<'de> for SecretsSeed {
    type Value = Vec<Secret>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Vec<Secret>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for SecretsSeed {
    type Value = Vec<Secret>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of secrets")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Secret>, A::Error> {
        let mut secrets = Vec::with_capacity(self.0);
        while let Some(secret) = seq.next_element()? {
            secrets.push(secret);
        }
        secrets.shrink_to_fit();
        Ok(secrets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list item as a 2025 server sends it (`shared/api/recorded/infisical-current`).
    fn item(i: usize) -> String {
        format!(
            r#"{{"id":"6f1c{i:04}-0000-4000-8000-000000000000","_id":"6f1c{i:04}-0000-4000-8000-000000000000","workspace":"1a2b3c4d-0000-4000-8000-000000000000","environment":"dev","version":1,"type":"shared","secretKey":"K{i}","secretValue":"","secretComment":"","secretReminderNote":null,"secretReminderRepeatDays":null,"skipMultilineEncoding":false,"createdAt":"2025-06-22T10:00:00.000Z","updatedAt":"2025-06-22T10:00:00.000Z","secretPath":"/","secretValueHidden":false,"tags":[],"secretMetadata":[],"isRotatedSecret":false,"rotationId":null}}"#
        )
    }

    fn body(count: usize) -> String {
        let items: Vec<String> = (0..count).map(item).collect();
        format!(r#"{{"secrets":[{}],"imports":[]}}"#, items.join(","))
    }

    #[test]
    fn the_estimate_is_never_short_for_the_smallest_secrets_servers_send() {
        // The smallest recorded secret, with an empty value and a short name.
        assert!(item(0).len() > MIN_SECRET_BYTES, "{}", item(0).len());
    }

    #[test]
    fn the_array_is_allocated_once_and_holds_no_spare_room() {
        for count in [0, 1, 3, 10, 100, 1000] {
            let list = decode(body(count).as_bytes()).unwrap();
            assert_eq!(list.secrets.len(), count);
            // Grown by doubling, 3, 10, 100 and 1000 secrets would leave spare capacity.
            assert_eq!(list.secrets.capacity(), count);
            assert!(list
                .secrets
                .iter()
                .enumerate()
                .all(|(i, s)| s.key == format!("K{i}")));
        }
    }

    #[test]
    fn what_is_reserved_up_front_is_bounded() {
        assert_eq!(capacity_for(0), 0);
        assert_eq!(capacity_for(MIN_SECRET_BYTES * 10), 10);
        // A 64 MiB body (the default limit) reserves 65,536 secrets, not 149,796.
        assert_eq!(capacity_for(64 << 20), MOST_RESERVED);
        assert_eq!(capacity_for(usize::MAX), MOST_RESERVED);
    }

    #[test]
    fn a_body_padded_by_a_server_keeps_no_room_for_secrets_it_does_not_hold() {
        let padded = format!(
            r#"{{"secrets":[{}],"padding":"{}"}}"#,
            item(0),
            "x".repeat(1 << 20)
        );
        let list = decode(padded.as_bytes()).unwrap();
        assert_eq!((list.secrets.len(), list.secrets.capacity()), (1, 1));
    }

    #[test]
    fn small_secrets_beyond_the_estimate_are_kept_too() {
        let items: Vec<String> = (0..50)
            .map(|i| format!(r#"{{"secretKey":"K{i}"}}"#))
            .collect();
        let text = format!(r#"{{"secrets":[{}]}}"#, items.join(","));
        let list = decode(text.as_bytes()).unwrap();
        assert_eq!(list.secrets.len(), 50);
        assert!(list.imports.is_empty());
    }

    #[test]
    fn it_decodes_what_the_derived_decoder_decodes() {
        let text = format!(
            r#"{{"secrets":[{}],"imports":[{{"secretPath":"/shared","environment":"prod","secrets":[{}]}}],"extra":{{"a":[1]}}}}"#,
            item(1),
            item(2)
        );
        let ours = decode(text.as_bytes()).unwrap();
        let derived: SecretList = serde_json::from_str(&text).unwrap();
        assert_eq!(ours, derived);
        assert_eq!(ours.imports[0].secrets[0].key, "K2");
    }

    #[test]
    fn a_body_that_is_not_utf8_decodes_as_bytes_do() {
        // Invalid bytes in a field the SDK skips cost nothing; in one it reads, an error.
        let skipped = [&br#"{"secrets":[],"note":""#[..], b"\xff\xfe", b"\"}"].concat();
        let list = decode(&skipped).unwrap();
        assert!(list.secrets.is_empty());
        let read = [&br#"{"secrets":[{"secretKey":""#[..], b"\xff", b"\"}]}"].concat();
        let error = decode(&read).unwrap_err();
        assert!(error.to_string().contains("invalid unicode"), "{error}");
        // Valid UTF-8 beyond ASCII arrives intact either way.
        let text = r#"{"secrets":[{"secretKey":"clé","secretValue":"日本"}]}"#;
        let list = decode(text.as_bytes()).unwrap();
        assert_eq!(list.secrets[0].key, "clé");
        assert_eq!(list.secrets[0].value().unwrap(), "日本");
    }

    #[test]
    fn malformed_lists_are_errors() {
        for bad in [
            r#"{"imports":[]}"#,
            r#"{"secrets":{}}"#,
            r#"{"secrets":[],"secrets":[]}"#,
            r#"{"secrets":[],"imports":[],"imports":[]}"#,
            r#"{"secrets":[{"secretValue":"v"}]}"#,
            r#"{"secrets":[]} trailing"#,
            r#"[]"#,
            r#"{"secrets":[1]}"#,
            "",
        ] {
            assert!(decode(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
