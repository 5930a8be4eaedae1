//! [`Secret`] on the wire: every field as the server names it, then the rarely set ones
//! moved into [`SecretDetails`] behind one allocation (none when all are empty), so a list
//! of 10,000 secrets holds 10,000 small structs.

use super::model::{Secret, SecretDetails, SecretMetadata, SecretTag, SecretType};
use super::Freshness;
use crate::{SecretString, SharedText, Timestamp};
use serde::{Deserialize, Serialize};

/// A secret as the server sends it.
#[derive(Default, Serialize, Deserialize)]
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

impl From<SecretWire> for Secret {
    fn from(w: SecretWire) -> Self {
        let skip = w.skip_multiline_encoding.unwrap_or(false);
        let details = (!w.tags.is_empty()
            || !w.metadata.is_empty()
            || w.reminder_note.is_some()
            || w.reminder_repeat_days.is_some()
            || skip)
            .then(|| {
                Box::new(SecretDetails {
                    tags: w.tags,
                    metadata: w.metadata,
                    reminder_note: w.reminder_note,
                    reminder_repeat_days: w.reminder_repeat_days,
                    skip_multiline_encoding: skip,
                })
            });
        Secret {
            id: w.id,
            key: w.key,
            value: w.value,
            comment: w.comment,
            version: w.version,
            secret_type: w.secret_type,
            project_id: w.project_id,
            environment: w.environment,
            path: w.path,
            secret_value_hidden: w.secret_value_hidden,
            created_at: w.created_at,
            updated_at: w.updated_at,
            freshness: Freshness::Live,
            details,
        }
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
    fn a_secret_stays_small() {
        // A list of 10,000 secrets moves this many bytes per secret: see docs/performance.md.
        assert!(
            std::mem::size_of::<Secret>() <= 264,
            "{}",
            std::mem::size_of::<Secret>()
        );
    }
}
