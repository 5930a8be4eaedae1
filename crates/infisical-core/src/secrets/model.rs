//! The secret as the server returns it.

use super::Freshness;
use crate::{HiddenValue, SecretString, SharedText, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a secret is shared by the environment or personal to one user or identity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SecretType {
    /// Visible to everyone with access to the environment (the default).
    #[default]
    Shared,
    /// Overrides the shared value for one user or identity.
    Personal,
    /// A type this version of the SDK does not know.
    #[serde(other)]
    Unknown,
}

impl SecretType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretType::Shared => "shared",
            SecretType::Personal => "personal",
            SecretType::Unknown => "unknown",
        }
    }
}

/// A tag of a project, as attached to secrets and as the tags routes answer it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SecretTag {
    /// The tag's id.
    pub id: String,
    /// The tag's slug.
    pub slug: String,
    /// The tag's display name (the slug; absent from some answers).
    pub name: String,
    /// The tag's color, if any.
    pub color: Option<String>,
    /// The project's id (answers of the tags routes).
    pub project_id: Option<String>,
    /// When the tag was created (RFC 3339; answers of the tags routes).
    pub created_at: Option<String>,
    /// When the tag last changed (RFC 3339; answers of the tags routes).
    pub updated_at: Option<String>,
}

/// A key/value pair of metadata on a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SecretMetadata {
    /// The metadata key.
    pub key: String,
    /// The metadata value.
    pub value: String,
    /// Whether the server stores the value encrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_encrypted: Option<bool>,
}

impl SecretMetadata {
    /// The pair `key` = `value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
            is_encrypted: None,
        }
    }
}

/// A secret.
///
/// The value is a [`SecretString`]: `Debug` of a `Secret` never shows it; read it with
/// [`Secret::value`]. Fields the server may omit are optional or default; fields the server
/// adds later are ignored. What few secrets have — tags, metadata, a reminder, the
/// multi-line flag — is kept apart and read through methods ([`tags`](Secret::tags),
/// [`metadata`](Secret::metadata), [`reminder_note`](Secret::reminder_note), …), so a list
/// of secrets without them stays small in memory.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(into = "super::details::SecretWire")]
#[non_exhaustive]
pub struct Secret {
    /// The secret's id.
    pub id: String,
    /// The secret's name (`secretKey` on the wire).
    pub key: String,
    /// The secret's value (`secretValue` on the wire): read it with [`Secret::value`], which
    /// refuses a value the server withheld.
    pub(crate) value: SecretString,
    /// The secret's comment.
    pub comment: String,
    /// The version number, starting at 1.
    pub version: u64,
    /// Shared or personal.
    pub secret_type: SecretType,
    /// The project's id (`workspace` on the wire), held once for a whole list.
    pub project_id: SharedText,
    /// The environment's slug, held once for a whole list.
    pub environment: SharedText,
    /// The folder holding the secret, when the server says (recursive lists do).
    pub path: Option<String>,
    /// The server withheld the value (the caller may not read values).
    pub secret_value_hidden: Option<bool>,
    /// When the secret was created, if the server says.
    pub created_at: Option<Timestamp>,
    /// When the secret was last changed, if the server says.
    pub updated_at: Option<Timestamp>,
    /// Live from the server, or from the client's cache (see the facade's `secret_cache`).
    pub freshness: Freshness,
    /// Tags, metadata, reminder, multi-line flag: `None` when the secret has none of them.
    pub(crate) details: Option<Box<SecretDetails>>,
}

impl Secret {
    /// The secret's value, or [`HiddenValue`] naming the key when the server withheld it
    /// (the caller may read the name but not the value): the placeholder the server sends
    /// instead (`<hidden-by-infisical>`) is never handed on as a value. Do not log it.
    pub fn value(&self) -> Result<&str, HiddenValue> {
        crate::error::unless_withheld(self.secret_value_hidden, &self.key, &self.value)
    }

    /// Whether the server withheld the value (`secretValueHidden`).
    pub fn is_hidden(&self) -> bool {
        self.secret_value_hidden == Some(true)
    }

    /// Tags attached to the secret.
    pub fn tags(&self) -> &[SecretTag] {
        self.details.as_deref().map_or(&[], |d| &d.tags)
    }

    /// Metadata attached to the secret.
    pub fn metadata(&self) -> &[SecretMetadata] {
        self.details.as_deref().map_or(&[], |d| &d.metadata)
    }

    /// The reminder note, if a reminder is set.
    pub fn reminder_note(&self) -> Option<&str> {
        self.details.as_deref()?.reminder_note.as_deref()
    }

    /// The reminder interval in days, if a reminder is set.
    pub fn reminder_repeat_days(&self) -> Option<f64> {
        self.details.as_deref()?.reminder_repeat_days
    }

    /// Whether multi-line values are stored without encoding.
    pub fn skip_multiline_encoding(&self) -> bool {
        self.details
            .as_deref()
            .is_some_and(|d| d.skip_multiline_encoding)
    }
}

/// What few secrets have, kept apart from [`Secret`] (see its accessors).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SecretDetails {
    pub(crate) tags: Vec<SecretTag>,
    pub(crate) metadata: Vec<SecretMetadata>,
    pub(crate) reminder_note: Option<String>,
    pub(crate) reminder_repeat_days: Option<f64>,
    pub(crate) skip_multiline_encoding: bool,
}

/// Secrets that a folder sees through one of its imports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImportedSecrets {
    /// The imported folder's path.
    #[serde(rename = "secretPath", default)]
    pub path: String,
    /// The imported folder's environment.
    #[serde(default)]
    pub environment: String,
    /// The imported folder's id.
    #[serde(default)]
    pub folder_id: Option<String>,
    /// The secrets seen through the import.
    #[serde(default)]
    pub secrets: Vec<Secret>,
}

/// The answer of a list call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SecretList {
    /// The folder's own secrets (and, when recursive, its subfolders').
    pub secrets: Vec<Secret>,
    /// Secrets seen through imports, in import order, when imports were asked for.
    #[serde(default)]
    pub imports: Vec<ImportedSecrets>,
    /// Live from the server, or from the client's cache (see the facade's `secret_cache`).
    #[serde(skip)]
    pub freshness: Freshness,
}

impl SecretList {
    /// The folder's own secret named `key`.
    pub fn get(&self, key: &str) -> Option<&Secret> {
        self.secrets.iter().find(|s| s.key == key)
    }

    /// Number of the folder's own secrets.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// Whether the folder has no secrets of its own.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// Iterates over the folder's own secrets.
    pub fn iter(&self) -> std::slice::Iter<'_, Secret> {
        self.secrets.iter()
    }

    /// The secrets the folder effectively has, by key: its own and those of its imports
    /// (when the list [included imports](super::ListSecrets::include_imports)), resolved as
    /// the Infisical CLI does (`InjectRawImportedSecret` in `packages/util/secrets.go`):
    ///
    /// - the folder's own secret wins over any import's;
    /// - among imports, a later import wins over an earlier one (imports are applied in
    ///   [position](crate::secret_imports::SecretImport::position) order);
    /// - within one import, the first secret of a key wins (the server lists the imported
    ///   folder's own secrets before those it imports in turn).
    pub fn merged(&self) -> BTreeMap<&str, &Secret> {
        let mut merged = BTreeMap::new();
        let imported = self.imports.iter().rev().flat_map(|i| i.secrets.iter());
        for secret in self.secrets.iter().chain(imported) {
            merged.entry(secret.key.as_str()).or_insert(secret);
        }
        merged
    }
}

impl IntoIterator for SecretList {
    type Item = Secret;
    type IntoIter = std::vec::IntoIter<Secret>;

    fn into_iter(self) -> Self::IntoIter {
        self.secrets.into_iter()
    }
}

impl<'a> IntoIterator for &'a SecretList {
    type Item = &'a Secret;
    type IntoIter = std::slice::Iter<'a, Secret>;

    fn into_iter(self) -> Self::IntoIter {
        self.secrets.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerates_unknown_and_missing_fields() {
        let json = r#"{"secretKey":"A","secretValue":"v","brandNewField":{"x":1},"type":"weird"}"#;
        let s: Secret = serde_json::from_str(json).unwrap();
        assert_eq!(s.key, "A");
        assert_eq!(s.value(), Ok("v"));
        assert_eq!(s.secret_type, SecretType::Unknown);
        assert!(s.created_at.is_none());
    }

    #[test]
    fn merged_view_follows_the_cli() {
        let json = r#"{
            "secrets": [{"secretKey": "OWN", "secretValue": "folder"}],
            "imports": [
                {"secretPath": "/a", "secrets": [
                    {"secretKey": "OWN", "secretValue": "a"},
                    {"secretKey": "SHARED", "secretValue": "a"},
                    {"secretKey": "ONLY_A", "secretValue": "a"}]},
                {"secretPath": "/b", "secrets": [
                    {"secretKey": "SHARED", "secretValue": "b"},
                    {"secretKey": "SHARED", "secretValue": "b-nested"}]}
            ]
        }"#;
        let list: SecretList = serde_json::from_str(json).unwrap();
        let merged = list.merged();
        let values: Vec<(&str, &str)> = merged
            .iter()
            .map(|(k, s)| (*k, s.value().unwrap()))
            .collect();
        assert_eq!(
            values,
            [("ONLY_A", "a"), ("OWN", "folder"), ("SHARED", "b")]
        );
    }

    #[test]
    fn a_withheld_value_is_never_a_value() {
        let json =
            r#"{"secretKey":"A","secretValue":"<hidden-by-infisical>","secretValueHidden":true}"#;
        let s: Secret = serde_json::from_str(json).unwrap();
        assert!(s.is_hidden());
        let err = s.value().unwrap_err();
        assert_eq!(err.key(), "A");
        assert!(err.to_string().contains("`A`"), "{err}");
        let shown =
            serde_json::json!({"secretKey":"A","secretValue":"v","secretValueHidden":false});
        let s: Secret = serde_json::from_value(shown).unwrap();
        assert_eq!(s.value(), Ok("v"));
    }

    #[test]
    fn debug_never_shows_the_value() {
        let s: Secret =
            serde_json::from_str(r#"{"secretKey":"A","secretValue":"hunter2"}"#).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
