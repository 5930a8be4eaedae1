//! What a write can attach to a secret besides its value: metadata (key/value pairs) and a
//! reminder, in the shapes of the current routes (`secretMetadata`, `secretReminderNote`,
//! `secretReminderRepeatDays`; upstream `server/routes/v4/secret-router.ts`).

use super::model::SecretMetadata;
use crate::location::current_only;
use crate::{ApiGeneration, InvalidRequest};
use serde::Serialize;

/// Metadata and a reminder of a write; only what is set is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Annotations {
    #[serde(rename = "secretMetadata", skip_serializing_if = "Option::is_none")]
    metadata: Option<Vec<SecretMetadata>>,
    #[serde(rename = "secretReminderNote", skip_serializing_if = "Option::is_none")]
    reminder_note: Option<String>,
    #[serde(
        rename = "secretReminderRepeatDays",
        skip_serializing_if = "Option::is_none"
    )]
    reminder_repeat_days: Option<u32>,
}

impl Annotations {
    /// Whether anything is set.
    pub(crate) fn is_set(&self) -> bool {
        self.metadata.is_some()
            || self.reminder_note.is_some()
            || self.reminder_repeat_days.is_some()
    }

    /// Metadata keys are required; servers of 2024 take no `secretMetadata`.
    pub(crate) fn check(&self, generation: ApiGeneration) -> Result<(), InvalidRequest> {
        if let Some(metadata) = &self.metadata {
            if metadata.iter().any(|m| m.key.trim().is_empty()) {
                return Err(InvalidRequest::new("metadata", "holds an empty key"));
            }
        }
        current_only(
            generation,
            "metadata",
            self.metadata.is_some(),
            "/api/v4/secrets",
        )
    }

    pub(crate) fn set_metadata(&mut self, pairs: Vec<SecretMetadata>) {
        self.metadata = Some(pairs);
    }

    pub(crate) fn set_reminder(&mut self, note: String, repeat_days: u32) {
        self.reminder_note = Some(note);
        self.reminder_repeat_days = Some(repeat_days);
    }
}

/// Key/value pairs as metadata entries, stored unencrypted.
pub(crate) fn metadata<I, K, V>(pairs: I) -> Vec<SecretMetadata>
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    pairs
        .into_iter()
        .map(|(key, value)| SecretMetadata::new(key, value))
        .collect()
}

/// Adds the metadata setter to write requests holding an `annotations` field.
macro_rules! annotated {
    ($($ty:ty),*) => {$(
        impl $ty {
            /// Metadata: key/value pairs, replacing the secret's (servers with
            /// `/api/v4/secrets`; older ones refuse it before anything is sent).
            pub fn metadata<I, K, V>(mut self, pairs: I) -> Self
            where
                I: IntoIterator<Item = (K, V)>,
                K: Into<String>,
                V: Into<String>,
            {
                self.annotations.set_metadata($crate::secrets::annotations::metadata(pairs));
                self
            }
        }
    )*};
}

/// Adds the reminder setter to write requests holding an `annotations` field.
macro_rules! reminded {
    ($($ty:ty),*) => {$(
        impl $ty {
            /// A reminder: `note`, every `repeat_days` days.
            pub fn reminder(mut self, note: impl Into<String>, repeat_days: u32) -> Self {
                self.annotations.set_reminder(note.into(), repeat_days);
                self
            }
        }
    )*};
}

pub(crate) use {annotated, reminded};

/// Items of a batch, some of which carry annotations.
pub(crate) trait Annotated {
    fn annotations(&self) -> Option<&Annotations> {
        None
    }
}
