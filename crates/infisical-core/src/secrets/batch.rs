//! Writing many secrets of one folder in one request.

use super::annotations::{annotated, reminded, Annotated, Annotations};
use super::model::{Secret, SecretType};
use super::outcome::WriteOutcome;
use super::read::response_route;
use super::scope::{Scope, WireScope};
use super::write::{decode_outcome, legacy_needs_value};
use crate::error::{require_field, InvalidRequest};
use crate::rest::{operation, Routes};
use crate::{ApiGeneration, Error, SecretString};
use bytes::Bytes;
use serde::Serialize;

/// A secret to create in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewSecret {
    #[serde(rename = "secretKey")]
    key: String,
    #[serde(rename = "secretValue")]
    value: SecretString,
    #[serde(rename = "secretComment", skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tag_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_multiline_encoding: Option<bool>,
    #[serde(flatten)]
    annotations: Annotations,
}

impl NewSecret {
    /// A secret named `key` with `value`.
    pub fn new(key: impl Into<String>, value: impl Into<SecretString>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
            comment: None,
            tag_ids: Vec::new(),
            skip_multiline_encoding: None,
            annotations: Annotations::default(),
        }
    }

    /// A comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Tags to attach, by id.
    pub fn tag_ids<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.tag_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Store a multi-line value without encoding.
    pub fn skip_multiline_encoding(mut self, skip: bool) -> Self {
        self.skip_multiline_encoding = Some(skip);
        self
    }
}

/// A change to one secret in a batch update. Only what is set is changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretUpdate {
    #[serde(rename = "secretKey")]
    key: String,
    #[serde(rename = "secretValue", skip_serializing_if = "Option::is_none")]
    value: Option<SecretString>,
    #[serde(rename = "secretComment", skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(rename = "newSecretName", skip_serializing_if = "Option::is_none")]
    new_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag_ids: Option<Vec<String>>,
    #[serde(flatten)]
    annotations: Annotations,
}

impl SecretUpdate {
    /// A change to the secret named `key`.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: None,
            comment: None,
            new_name: None,
            tag_ids: None,
            annotations: Annotations::default(),
        }
    }

    /// A new value.
    pub fn value(mut self, value: impl Into<SecretString>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// A new comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Renames the secret.
    pub fn rename(mut self, new_name: impl Into<String>) -> Self {
        self.new_name = Some(new_name.into());
        self
    }

    /// Replaces the attached tags (by id).
    pub fn tag_ids<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.tag_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }
}

annotated!(NewSecret, SecretUpdate);
reminded!(SecretUpdate);

impl Annotated for NewSecret {
    fn annotations(&self) -> Option<&Annotations> {
        Some(&self.annotations)
    }
}

impl Annotated for SecretUpdate {
    fn annotations(&self) -> Option<&Annotations> {
        Some(&self.annotations)
    }
}

impl Annotated for SecretToDelete {}

/// What a batch update does with secrets that do not exist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum BatchUpdateMode {
    /// The whole batch fails and nothing changes (the default).
    #[default]
    FailOnNotFound,
    /// Missing secrets are created.
    Upsert,
    /// Missing secrets are skipped.
    Ignore,
}

#[derive(Serialize)]
struct BatchBody<'a, T: Serialize> {
    #[serde(flatten)]
    scope: WireScope<'a>,
    secrets: &'a [T],
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<BatchUpdateMode>,
}

fn check_batch<T>(
    scope: &Scope,
    items: &[T],
    key: impl Fn(&T) -> &str,
) -> Result<(), InvalidRequest> {
    scope.validate()?;
    if items.is_empty() {
        return Err(InvalidRequest::new(
            "secrets",
            "must hold at least one secret",
        ));
    }
    items
        .iter()
        .try_for_each(|item| require_field("secrets[].key", key(item)))
}

fn batch_request<T: Serialize + Annotated>(
    routes: &Routes,
    scope: &Scope,
    items: &[T],
    mode: Option<BatchUpdateMode>,
    generation: ApiGeneration,
) -> Result<http::Request<Bytes>, Error> {
    items
        .iter()
        .filter_map(Annotated::annotations)
        .try_for_each(|annotations| annotations.check(generation))?;
    let body = BatchBody {
        scope: scope.wire(generation),
        secrets: items,
        mode,
    };
    routes.at(generation).send_json(&body)
}

/// Creates several secrets in one folder, all or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchCreateSecrets {
    pub(super) scope: Scope,
    secrets: Vec<NewSecret>,
}

impl BatchCreateSecrets {
    /// Creates `secrets` in the root folder of `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        secrets: impl IntoIterator<Item = NewSecret>,
    ) -> Self {
        Self {
            scope: Scope::new(project_id, environment),
            secrets: secrets.into_iter().collect(),
        }
    }

    /// The folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.scope.set_path(path);
        self
    }
}

const BATCH_CREATE: Routes = Routes::pair(
    "POST /api/v4/secrets/batch",
    "POST /api/v3/secrets/batch/raw",
);

operation! {
    BatchCreateSecrets => WriteOutcome<Vec<Secret>>;
    family(Secrets)
    validate(this) {
        check_batch(&this.scope, &this.secrets, |s| &s.key)
    }
    request(this, generation) {
        batch_request(&BATCH_CREATE, &this.scope, &this.secrets, None, generation)
    }
    answer(response) {
        decode_outcome(response_route(&response, BATCH_CREATE.current()), response)
    }
}

/// Updates several secrets in one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchUpdateSecrets {
    pub(super) scope: Scope,
    secrets: Vec<SecretUpdate>,
    mode: BatchUpdateMode,
}

impl BatchUpdateSecrets {
    /// Applies `updates` in the root folder of `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        updates: impl IntoIterator<Item = SecretUpdate>,
    ) -> Self {
        Self {
            scope: Scope::new(project_id, environment),
            secrets: updates.into_iter().collect(),
            mode: BatchUpdateMode::FailOnNotFound,
        }
    }

    /// The folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.scope.set_path(path);
        self
    }

    /// What to do with secrets that do not exist (default: fail the batch).
    pub fn mode(mut self, mode: BatchUpdateMode) -> Self {
        self.mode = mode;
        self
    }
}

const BATCH_UPDATE: Routes = Routes::pair(
    "PATCH /api/v4/secrets/batch",
    "PATCH /api/v3/secrets/batch/raw",
);

operation! {
    BatchUpdateSecrets => WriteOutcome<Vec<Secret>>;
    family(Secrets)
    validate(this) {
        check_batch(&this.scope, &this.secrets, |s| &s.key)
    }
    request(this, generation) {
        let mode = match generation {
            ApiGeneration::Current => Some(this.mode),
            ApiGeneration::Legacy if this.mode != BatchUpdateMode::FailOnNotFound => {
                return Err(InvalidRequest::new(
                    "mode",
                    "upsert and ignore need a server with the v4 secrets API",
                )
                .into())
            }
            ApiGeneration::Legacy => {
                if this.secrets.iter().any(|s| s.value.is_none()) {
                    return Err(legacy_needs_value().into());
                }
                None
            }
        };
        batch_request(&BATCH_UPDATE, &this.scope, &this.secrets, mode, generation)
    }
    answer(response) {
        decode_outcome(response_route(&response, BATCH_UPDATE.current()), response)
    }
}

/// Deletes several secrets of one folder, all or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchDeleteSecrets {
    pub(super) scope: Scope,
    secrets: Vec<SecretToDelete>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct SecretToDelete {
    #[serde(rename = "secretKey")]
    key: String,
    #[serde(rename = "type")]
    secret_type: &'static str,
}

impl BatchDeleteSecrets {
    /// Deletes the shared secrets named `keys` from the root folder of `environment`.
    pub fn new<I, S>(project_id: impl Into<String>, environment: impl Into<String>, keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let secrets = keys
            .into_iter()
            .map(|key| SecretToDelete {
                key: key.into(),
                secret_type: SecretType::Shared.as_str(),
            })
            .collect();
        Self {
            scope: Scope::new(project_id, environment),
            secrets,
        }
    }

    /// Also deletes the personal secret named `key`.
    pub fn personal(mut self, key: impl Into<String>) -> Self {
        self.secrets.push(SecretToDelete {
            key: key.into(),
            secret_type: SecretType::Personal.as_str(),
        });
        self
    }

    /// The folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.scope.set_path(path);
        self
    }
}

const BATCH_DELETE: Routes = Routes::pair(
    "DELETE /api/v4/secrets/batch",
    "DELETE /api/v3/secrets/batch/raw",
);

operation! {
    BatchDeleteSecrets => WriteOutcome<Vec<Secret>>;
    family(Secrets)
    validate(this) {
        check_batch(&this.scope, &this.secrets, |s| &s.key)
    }
    request(this, generation) {
        batch_request(&BATCH_DELETE, &this.scope, &this.secrets, None, generation)
    }
    answer(response) {
        decode_outcome(response_route(&response, BATCH_DELETE.current()), response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Operation;

    #[test]
    fn batch_update_sends_mode_on_v4_only() {
        let update = BatchUpdateSecrets::new("p", "dev", [SecretUpdate::new("A").value("1")])
            .mode(BatchUpdateMode::Upsert);
        let v4 = update.to_http(ApiGeneration::Current).unwrap();
        let body: serde_json::Value = serde_json::from_slice(v4.body()).unwrap();
        assert_eq!(body["mode"], "upsert");
        assert_eq!(body["secrets"][0]["secretKey"], "A");
        assert_eq!(body["secrets"][0]["secretValue"], "1");
        assert_eq!(v4.uri().path(), "/api/v4/secrets/batch");
        assert!(update.to_http(ApiGeneration::Legacy).is_err());
    }

    #[test]
    fn empty_batches_and_keys_are_refused() {
        let empty = BatchCreateSecrets::new("p", "dev", Vec::new());
        assert_eq!(empty.validate().unwrap_err().field(), "secrets");
        let blank = BatchDeleteSecrets::new("p", "dev", [""]);
        assert_eq!(blank.validate().unwrap_err().field(), "secrets[].key");
    }

    #[test]
    fn legacy_batch_delete_route() {
        let delete = BatchDeleteSecrets::new("p", "dev", ["A"]).personal("B");
        let v3 = delete.to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(v3.uri().path(), "/api/v3/secrets/batch/raw");
        let body: serde_json::Value = serde_json::from_slice(v3.body()).unwrap();
        assert_eq!(body["secrets"][1]["type"], "personal");
        assert_eq!(body["workspaceId"], "p");
    }
}
