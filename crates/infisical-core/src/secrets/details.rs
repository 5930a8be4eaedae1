//! [`Secret`] on the wire. Decoding reads each field as the server names it straight into
//! the `Secret` (no intermediate struct: a list of 10,000 decodes 10,000 times), the rarely
//! set ones into [`SecretDetails`] behind one allocation made only when one of them is
//! set. Encoding (the offline copy) goes through [`SecretWire`].

use super::model::{Secret, SecretDetails, SecretMetadata, SecretTag, SecretType};
use crate::{SecretString, SharedText, Timestamp};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A secret as the server sends it: what encoding writes.
#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SecretWire {
    #[serde(default)]
    id: String,
    #[serde(rename = "secretKey")]
    key: String,
    #[serde(rename = "secretValue", default)]
    value: SecretString,
    #[serde(rename = "secretComment", default)]
    comment: String,
    #[serde(default)]
    version: u64,
    #[serde(rename = "type", default)]
    secret_type: SecretType,
    #[serde(rename = "workspace", default)]
    project_id: SharedText,
    #[serde(default)]
    environment: SharedText,
    #[serde(
        rename = "secretPath",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    path: Option<String>,
    #[serde(default)]
    tags: Vec<SecretTag>,
    #[serde(rename = "secretMetadata", default)]
    metadata: Vec<SecretMetadata>,
    #[serde(rename = "secretReminderNote", default)]
    reminder_note: Option<String>,
    #[serde(rename = "secretReminderRepeatDays", default)]
    reminder_repeat_days: Option<f64>,
    #[serde(default)]
    skip_multiline_encoding: Option<bool>,
    #[serde(default)]
    secret_value_hidden: Option<bool>,
    #[serde(default)]
    created_at: Option<Timestamp>,
    #[serde(default)]
    updated_at: Option<Timestamp>,
}

/// The fields a server sends, by their wire names; any other is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Key,
    Value,
    Comment,
    Version,
    Type,
    Workspace,
    Environment,
    Path,
    Tags,
    Metadata,
    ReminderNote,
    ReminderDays,
    SkipMultiline,
    Hidden,
    CreatedAt,
    UpdatedAt,
    Other,
}

impl Field {
    /// The field a server's key names. Keys are told apart by length and first byte, then
    /// compared once: a list of 10,000 secrets matches 200,000 keys, and a plain `match` on
    /// 17 names compared up to four candidates of the same length each time.
    fn named(key: &[u8]) -> Field {
        match (key.len(), key.first()) {
            (2, _) if is(key, b"id") => Field::Id,
            (4, _) if is(key, b"type") => Field::Type,
            (4, _) if is(key, b"tags") => Field::Tags,
            (7, _) if is(key, b"version") => Field::Version,
            (9, Some(b's')) if is(key, b"secretKey") => Field::Key,
            (9, Some(b'w')) if is(key, b"workspace") => Field::Workspace,
            (9, Some(b'c')) if is(key, b"createdAt") => Field::CreatedAt,
            (9, Some(b'u')) if is(key, b"updatedAt") => Field::UpdatedAt,
            (10, _) if is(key, b"secretPath") => Field::Path,
            (11, Some(b's')) if is(key, b"secretValue") => Field::Value,
            (11, Some(b'e')) if is(key, b"environment") => Field::Environment,
            (13, _) if is(key, b"secretComment") => Field::Comment,
            (14, _) if is(key, b"secretMetadata") => Field::Metadata,
            (17, _) if is(key, b"secretValueHidden") => Field::Hidden,
            (18, _) if is(key, b"secretReminderNote") => Field::ReminderNote,
            (21, _) if is(key, b"skipMultilineEncoding") => Field::SkipMultiline,
            (24, _) if is(key, b"secretReminderRepeatDays") => Field::ReminderDays,
            _ => Field::Other,
        }
    }
}

/// Whether `key` is `name`: an array of known length compares in a few loads, not a call.
fn is<const N: usize>(key: &[u8], name: &[u8; N]) -> bool {
    <&[u8; N]>::try_from(key).is_ok_and(|key| key == name)
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Names;
        impl Visitor<'_> for Names {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
                Ok(Field::named(name.as_bytes()))
            }
        }
        deserializer.deserialize_identifier(Names)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SecretVisitor)
    }
}

struct SecretVisitor;

impl<'de> Visitor<'de> for SecretVisitor {
    type Value = Secret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a secret")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Secret, A::Error> {
        let mut s = Secret::default();
        let mut key = None;
        let mut d = SecretDetails::default();
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Id => s.id = map.next_value()?,
                Field::Key => key = Some(map.next_value()?),
                Field::Value => s.value = map.next_value()?,
                Field::Comment => s.comment = map.next_value()?,
                Field::Version => s.version = map.next_value()?,
                Field::Type => s.secret_type = map.next_value()?,
                Field::Workspace => s.project_id = map.next_value()?,
                Field::Environment => s.environment = map.next_value()?,
                Field::Path => s.path = map.next_value()?,
                Field::Tags => d.tags = map.next_value()?,
                Field::Metadata => d.metadata = map.next_value()?,
                Field::ReminderNote => d.reminder_note = map.next_value()?,
                Field::ReminderDays => d.reminder_repeat_days = map.next_value()?,
                Field::SkipMultiline => {
                    d.skip_multiline_encoding = map.next_value::<Option<bool>>()?.unwrap_or(false)
                }
                Field::Hidden => s.secret_value_hidden = map.next_value()?,
                Field::CreatedAt => s.created_at = map.next_value()?,
                Field::UpdatedAt => s.updated_at = map.next_value()?,
                Field::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        s.key = key.ok_or_else(|| de::Error::missing_field("secretKey"))?;
        if d != SecretDetails::default() {
            s.details = Some(Box::new(d));
        }
        Ok(s)
    }
}

impl From<Secret> for SecretWire {
    fn from(s: Secret) -> Self {
        let details = s.details.map(|d| *d).unwrap_or_default();
        SecretWire {
            id: s.id,
            key: s.key,
            value: s.value,
            comment: s.comment,
            version: s.version,
            secret_type: s.secret_type,
            project_id: s.project_id,
            environment: s.environment,
            path: s.path,
            tags: details.tags,
            metadata: details.metadata,
            reminder_note: details.reminder_note,
            reminder_repeat_days: details.reminder_repeat_days,
            skip_multiline_encoding: Some(details.skip_multiline_encoding),
            secret_value_hidden: s.secret_value_hidden,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_secret_with_details_allocates_them_and_both_round_trip() {
        let plain = r#"{"secretKey":"A","secretValue":"v","tags":[],"secretMetadata":[],"secretReminderNote":null,"secretReminderRepeatDays":null,"skipMultilineEncoding":false}"#;
        let rich = r#"{"secretKey":"B","secretValue":"w","tags":[{"id":"t","slug":"db","name":"db"}],"secretMetadata":[{"key":"owner","value":"a"}],"secretReminderNote":"rotate","secretReminderRepeatDays":30,"skipMultilineEncoding":true}"#;
        let a: Secret = serde_json::from_str(plain).unwrap();
        let b: Secret = serde_json::from_str(rich).unwrap();
        assert!(a.details.is_none());
        assert!(a.tags().is_empty() && a.metadata().is_empty() && a.reminder_note().is_none());
        assert!(!a.skip_multiline_encoding());
        assert_eq!(b.tags()[0].slug, "db");
        assert_eq!(b.metadata()[0].key, "owner");
        assert_eq!(
            (b.reminder_note(), b.reminder_repeat_days()),
            (Some("rotate"), Some(30.0))
        );
        assert!(b.skip_multiline_encoding());
        for secret in [a, b] {
            let again: Secret =
                serde_json::from_str(&serde_json::to_string(&secret).unwrap()).unwrap();
            assert_eq!(again, secret);
        }
    }

    #[test]
    fn hostile_secrets_are_typed_errors_and_nulls_are_nothing() {
        for bad in [
            r#"{"secretValue":"v"}"#,
            r#"{"secretKey":7}"#,
            r#"{"secretKey":"A","version":-1}"#,
            r#"{"secretKey":"A","version":1.5}"#,
            r#"{"secretKey":"A","tags":{}}"#,
            r#"{"secretKey":"A","workspace":null}"#,
            r#"["A","v"]"#,
        ] {
            assert!(serde_json::from_str::<Secret>(bad).is_err(), "{bad}");
        }
        let nulls = r#"{"secretKey":"A","secretPath":null,"secretReminderNote":null,"skipMultilineEncoding":null,"secretValueHidden":null,"createdAt":null,"_id":"x","rotationId":null}"#;
        let s: Secret = serde_json::from_str(nulls).unwrap();
        assert!(s.details.is_none() && s.path.is_none() && s.created_at.is_none());
    }

    #[test]
    fn every_key_is_told_apart_and_near_misses_are_skipped() {
        let known = [
            ("id", Field::Id),
            ("secretKey", Field::Key),
            ("secretValue", Field::Value),
            ("secretComment", Field::Comment),
            ("version", Field::Version),
            ("type", Field::Type),
            ("workspace", Field::Workspace),
            ("environment", Field::Environment),
            ("secretPath", Field::Path),
            ("tags", Field::Tags),
            ("secretMetadata", Field::Metadata),
            ("secretReminderNote", Field::ReminderNote),
            ("secretReminderRepeatDays", Field::ReminderDays),
            ("skipMultilineEncoding", Field::SkipMultiline),
            ("secretValueHidden", Field::Hidden),
            ("createdAt", Field::CreatedAt),
            ("updatedAt", Field::UpdatedAt),
        ];
        for (name, field) in known {
            assert_eq!(Field::named(name.as_bytes()), field, "{name}");
        }
        for other in [
            "",
            "_id",
            "ID",
            "rotationId",
            "isRotatedSecret",
            "metadata",
            "tagz",
            "typo",
            "secretKez",
            "workspacE",
            "createdOn",
            "updatedBy",
            "environmenT",
            "secretVaLue",
            "versions",
            "secretReminderRepeatDayz",
            "sKipMultilineEncoding",
            "tyqe",
        ] {
            assert_eq!(Field::named(other.as_bytes()), Field::Other, "{other}");
        }
    }

    #[test]
    fn a_secret_stays_small() {
        // A list of 10,000 secrets moves this many bytes per secret: see docs/performance.md.
        assert!(
            std::mem::size_of::<Secret>() <= 264,
            "{}",
            std::mem::size_of::<Secret>()
        );
    }
}
