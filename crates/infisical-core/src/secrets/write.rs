//! Writing one secret: create, update, delete.

use super::annotations::{annotated, reminded, Annotations};
use super::model::{Secret, SecretType};
use super::outcome::{WriteAnswer, WriteOutcome};
use super::read::response_route;
use super::scope::{Scope, WireScope};
use crate::error::{require_field, InvalidRequest};
use crate::rest::{operation, Routes};
use crate::wire::decode_json;
use crate::{ApiGeneration, Error, SecretString};
use bytes::Bytes;
use serde::Serialize;

/// Creates a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateSecret {
    pub(super) scope: Scope,
    name: String,
    value: SecretString,
    comment: Option<String>,
    tag_ids: Vec<String>,
    skip_multiline_encoding: Option<bool>,
    secret_type: SecretType,
    annotations: Annotations,
}

impl CreateSecret {
    /// Creates `name` with `value` in the root folder of `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        name: impl Into<String>,
        value: impl Into<SecretString>,
    ) -> Self {
        Self {
            scope: Scope::new(project_id, environment),
            name: name.into(),
            value: value.into(),
            comment: None,
            tag_ids: Vec::new(),
            skip_multiline_encoding: None,
            secret_type: SecretType::Shared,
            annotations: Annotations::default(),
        }
    }

    /// The folder to create the secret in (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.scope.set_path(path);
        self
    }

    /// A comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Tags to attach, by id.
    pub fn tag_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tag_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Store a multi-line value without encoding.
    pub fn skip_multiline_encoding(mut self, skip: bool) -> Self {
        self.skip_multiline_encoding = Some(skip);
        self
    }

    /// Shared (default) or personal.
    pub fn secret_type(mut self, secret_type: SecretType) -> Self {
        self.secret_type = secret_type;
        self
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody<'a> {
    #[serde(flatten)]
    scope: WireScope<'a>,
    secret_value: &'a SecretString,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_comment: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tag_ids: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_multiline_encoding: Option<bool>,
    #[serde(rename = "type")]
    secret_type: &'static str,
    #[serde(flatten)]
    annotations: &'a Annotations,
}

const CREATE: Routes = Routes::pair(
    "POST /api/v4/secrets/{secretName}",
    "POST /api/v3/secrets/raw/{secretName}",
);

operation! {
    CreateSecret => WriteOutcome<Secret>;
    family(Secrets)
    validate(this) {
        this.scope.validate()?;
        require_field("name", &this.name)
    }
    request(this, generation) {
        this.annotations.check(generation)?;
        let body = CreateBody {
            scope: this.scope.wire(generation),
            secret_value: &this.value,
            secret_comment: this.comment.as_deref(),
            tag_ids: &this.tag_ids,
            skip_multiline_encoding: this.skip_multiline_encoding,
            secret_type: this.secret_type.as_str(),
            annotations: &this.annotations,
        };
        CREATE.at(generation).arg_as("name", &this.name).send_json(&body)
    }
    answer(response) {
        decode_outcome(response_route(&response, CREATE.current()), response)
    }
}

annotated!(CreateSecret, UpdateSecret);
reminded!(CreateSecret, UpdateSecret);

/// Updates a secret: its value, comment, name, tags, metadata or reminder. Only what is set
/// is changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSecret {
    pub(super) scope: Scope,
    name: String,
    value: Option<SecretString>,
    comment: Option<String>,
    new_name: Option<String>,
    tag_ids: Option<Vec<String>>,
    skip_multiline_encoding: Option<bool>,
    secret_type: SecretType,
    annotations: Annotations,
}

impl UpdateSecret {
    /// Updates `name` in the root folder of `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            scope: Scope::new(project_id, environment),
            name: name.into(),
            value: None,
            comment: None,
            new_name: None,
            tag_ids: None,
            skip_multiline_encoding: None,
            secret_type: SecretType::Shared,
            annotations: Annotations::default(),
        }
    }

    /// The folder holding the secret (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.scope.set_path(path);
        self
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
    pub fn tag_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tag_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Store a multi-line value without encoding.
    pub fn skip_multiline_encoding(mut self, skip: bool) -> Self {
        self.skip_multiline_encoding = Some(skip);
        self
    }

    /// Shared (default) or personal.
    pub fn secret_type(mut self, secret_type: SecretType) -> Self {
        self.secret_type = secret_type;
        self
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody<'a> {
    #[serde(flatten)]
    scope: WireScope<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_value: Option<&'a SecretString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_comment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_secret_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag_ids: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_multiline_encoding: Option<bool>,
    #[serde(rename = "type")]
    secret_type: &'static str,
    #[serde(flatten)]
    annotations: &'a Annotations,
}

const UPDATE: Routes = Routes::pair(
    "PATCH /api/v4/secrets/{secretName}",
    "PATCH /api/v3/secrets/raw/{secretName}",
);

operation! {
    UpdateSecret => WriteOutcome<Secret>;
    family(Secrets)
    validate(this) {
        this.scope.validate()?;
        require_field("name", &this.name)?;
        if let Some(new_name) = &this.new_name {
            require_field("new_name", new_name)?;
        }
        let changes_something = this.value.is_some()
            || this.comment.is_some()
            || this.new_name.is_some()
            || this.tag_ids.is_some()
            || this.skip_multiline_encoding.is_some()
            || this.annotations.is_set();
        if !changes_something {
            return Err(InvalidRequest::new(
                "value",
                "nothing to update: set a value, comment, new name, tags, metadata or a reminder",
            ));
        }
        Ok(())
    }
    request(this, generation) {
        if generation == ApiGeneration::Legacy && this.value.is_none() {
            return Err(legacy_needs_value().into());
        }
        this.annotations.check(generation)?;
        let body = UpdateBody {
            scope: this.scope.wire(generation),
            secret_value: this.value.as_ref(),
            secret_comment: this.comment.as_deref(),
            new_secret_name: this.new_name.as_deref(),
            tag_ids: this.tag_ids.as_deref(),
            skip_multiline_encoding: this.skip_multiline_encoding,
            secret_type: this.secret_type.as_str(),
            annotations: &this.annotations,
        };
        UPDATE.at(generation).arg_as("name", &this.name).send_json(&body)
    }
    answer(response) {
        decode_outcome(response_route(&response, UPDATE.current()), response)
    }
}

/// Deletes a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteSecret {
    pub(super) scope: Scope,
    name: String,
    secret_type: SecretType,
}

impl DeleteSecret {
    /// Deletes `name` from the root folder of `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            scope: Scope::new(project_id, environment),
            name: name.into(),
            secret_type: SecretType::Shared,
        }
    }

    /// The folder holding the secret (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.scope.set_path(path);
        self
    }

    /// Shared (default) or personal.
    pub fn secret_type(mut self, secret_type: SecretType) -> Self {
        self.secret_type = secret_type;
        self
    }
}

#[derive(Serialize)]
struct DeleteBody<'a> {
    #[serde(flatten)]
    scope: WireScope<'a>,
    #[serde(rename = "type")]
    secret_type: &'static str,
}

const DELETE: Routes = Routes::pair(
    "DELETE /api/v4/secrets/{secretName}",
    "DELETE /api/v3/secrets/raw/{secretName}",
);

operation! {
    DeleteSecret => WriteOutcome<Secret>;
    family(Secrets)
    validate(this) {
        this.scope.validate()?;
        require_field("name", &this.name)
    }
    request(this, generation) {
        let body = DeleteBody {
            scope: this.scope.wire(generation),
            secret_type: this.secret_type.as_str(),
        };
        DELETE.at(generation).arg_as("name", &this.name).send_json(&body)
    }
    answer(response) {
        decode_outcome(response_route(&response, DELETE.current()), response)
    }
}

/// Reads `{secret}`/`{secrets}` or `{approval}`.
pub(super) fn decode_outcome<T: serde::de::DeserializeOwned>(
    route: &'static str,
    response: http::Response<Bytes>,
) -> Result<WriteOutcome<T>, Error> {
    let status = response.status();
    decode_json::<WriteAnswer<T>>(route, response)?.into_outcome(route, status)
}

/// Servers with only `/api/v3` require a value on every update.
pub(super) fn legacy_needs_value() -> InvalidRequest {
    InvalidRequest::new(
        "value",
        "is required by servers that only have the v3 secrets API; set the value too",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Operation;
    use http::Method;

    fn body(req: &http::Request<Bytes>) -> serde_json::Value {
        serde_json::from_slice(req.body()).unwrap()
    }

    #[test]
    fn create_body_uses_the_generation_project_key() {
        let create = CreateSecret::new("p1", "dev", "A", "v")
            .path("/x")
            .comment("c");
        let v4 = create.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(v4.method(), Method::POST);
        assert_eq!(v4.uri().path(), "/api/v4/secrets/A");
        assert_eq!(
            body(&v4),
            serde_json::json!({"projectId":"p1","environment":"dev","secretPath":"/x",
                "secretValue":"v","secretComment":"c","type":"shared"})
        );
        let v3 = create.to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(body(&v3)["workspaceId"], "p1");
        assert!(body(&v3).get("projectId").is_none());
    }

    #[test]
    fn update_needs_a_change_and_legacy_needs_a_value() {
        let err = UpdateSecret::new("p", "dev", "A").validate().unwrap_err();
        assert_eq!(err.field(), "value");
        let rename = UpdateSecret::new("p", "dev", "A").rename("B");
        let v4 = rename.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(body(&v4)["newSecretName"], "B");
        assert!(rename.to_http(ApiGeneration::Legacy).is_err());
    }

    #[test]
    fn debug_of_a_create_hides_the_value() {
        let create = CreateSecret::new("p", "dev", "A", "hunter2");
        assert!(!format!("{create:?}").contains("hunter2"));
    }
}
