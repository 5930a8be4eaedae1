//! Writing imports: create, update (source and position), delete.

use super::model::SecretImport;
use crate::error::{require_field, InvalidRequest};
use crate::location::{Location, WireLocation};
use crate::rest::{member, operation, Routes};
use serde::Serialize;

/// The folder an import brings in (all optional on update).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct Source {
    #[serde(skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<u64>,
}

/// `{projectId|workspaceId, environment, path, import, isReplication?}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportBody<'a> {
    #[serde(flatten)]
    location: WireLocation<'a>,
    import: &'a Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_replication: Option<bool>,
}

/// Makes a folder import the secrets of another folder, after its other imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateSecretImport {
    location: Location,
    source: Source,
    replication: bool,
}

impl CreateSecretImport {
    /// Makes the root folder of `environment` import `from_path` of `from_environment`.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        from_environment: impl Into<String>,
        from_path: &str,
    ) -> Self {
        Self {
            location: Location::new(project_id, environment),
            source: Source {
                environment: Some(from_environment.into()),
                path: Some(crate::wire::normalize_path(from_path)),
                position: None,
            },
            replication: false,
        }
    }

    /// The importing folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }

    /// Copy the secrets instead of referencing them (a paid feature of Infisical).
    pub fn replication(mut self, replication: bool) -> Self {
        self.replication = replication;
        self
    }
}

const CREATE: Routes = Routes::pair("POST /api/v2/secret-imports", "POST /api/v1/secret-imports");

operation! {
    CreateSecretImport => SecretImport;
    family(SecretImports)
    validate(s) {
        s.location.validate()?;
        require_field("from_environment", s.source.environment.as_deref().unwrap_or_default())
    }
    request(s, generation) {
        let body = ImportBody {
            location: s.location.wire(generation),
            import: &s.source,
            is_replication: Some(s.replication),
        };
        CREATE.at(generation).send_json(&body)
    }
    answer(response) { member(&CREATE, &["secretImport"], response) }
}

/// Changes what an import brings in, or its place among the folder's imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSecretImport {
    location: Location,
    id: String,
    source: Source,
}

impl UpdateSecretImport {
    /// Updates the import `import_id` of the root folder of `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        import_id: impl Into<String>,
    ) -> Self {
        Self {
            location: Location::new(project_id, environment),
            id: import_id.into(),
            source: Source::default(),
        }
    }

    /// The importing folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }

    /// Import from this environment instead.
    pub fn from_environment(mut self, environment: impl Into<String>) -> Self {
        self.source.environment = Some(environment.into());
        self
    }

    /// Import this folder instead.
    pub fn from_path(mut self, path: &str) -> Self {
        self.source.path = Some(crate::wire::normalize_path(path));
        self
    }

    /// Move the import to this place among the folder's imports (1 is first; later imports
    /// win over earlier ones).
    pub fn position(mut self, position: u64) -> Self {
        self.source.position = Some(position);
        self
    }
}

const UPDATE: Routes = Routes::pair(
    "PATCH /api/v2/secret-imports/{secretImportId}",
    "PATCH /api/v1/secret-imports/{secretImportId}",
);

operation! {
    UpdateSecretImport => SecretImport;
    family(SecretImports)
    validate(s) {
        s.location.validate()?;
        require_field("import_id", &s.id)?;
        if s.source == Source::default() {
            return Err(InvalidRequest::new(
                "position",
                "nothing to update: set a position, or the environment or path to import from",
            ));
        }
        if s.source.position == Some(0) {
            return Err(InvalidRequest::new("position", "starts at 1"));
        }
        Ok(())
    }
    request(s, generation) {
        let body = ImportBody {
            location: s.location.wire(generation),
            import: &s.source,
            is_replication: None,
        };
        UPDATE.at(generation).arg(&s.id).send_json(&body)
    }
    answer(response) { member(&UPDATE, &["secretImport"], response) }
}

/// Removes an import from a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteSecretImport {
    location: Location,
    id: String,
}

impl DeleteSecretImport {
    /// Deletes the import `import_id` of the root folder of `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        import_id: impl Into<String>,
    ) -> Self {
        Self {
            location: Location::new(project_id, environment),
            id: import_id.into(),
        }
    }

    /// The importing folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }
}

const DELETE: Routes = Routes::pair(
    "DELETE /api/v2/secret-imports/{secretImportId}",
    "DELETE /api/v1/secret-imports/{secretImportId}",
);

operation! {
    DeleteSecretImport => SecretImport;
    family(SecretImports)
    validate(s) {
        s.location.validate()?;
        require_field("import_id", &s.id)
    }
    request(s, generation) {
        DELETE.at(generation).arg(&s.id).send_json(&s.location.wire(generation))
    }
    answer(response) { member(&DELETE, &["secretImport"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};
    use serde_json::{json, Value};

    fn body(request: &http::Request<bytes::Bytes>) -> Value {
        serde_json::from_slice(request.body()).unwrap()
    }

    #[test]
    fn bodies_by_generation() {
        let create = CreateSecretImport::new("p", "dev", "prod", "shared/").path("/app");
        assert_eq!(
            body(&create.to_http(ApiGeneration::Current).unwrap()),
            json!({"projectId": "p", "environment": "dev", "path": "/app",
                "import": {"environment": "prod", "path": "/shared"}, "isReplication": false})
        );
        let update = UpdateSecretImport::new("p", "dev", "i1").position(2);
        let legacy = update.to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(legacy.uri().path(), "/api/v1/secret-imports/i1");
        assert_eq!(
            body(&legacy),
            json!({"workspaceId": "p", "environment": "dev", "path": "/", "import": {"position": 2}})
        );
    }

    #[test]
    fn required_fields() {
        let err = UpdateSecretImport::new("p", "dev", "i")
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "position");
        let err = CreateSecretImport::new("p", "dev", "", "/")
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "from_environment");
    }
}
