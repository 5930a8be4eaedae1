//! Reading imports: list a folder's imports, get one, list the secrets they bring.

use super::model::SecretImport;
use crate::error::require_field;
use crate::location::Location;
use crate::rest::{member, operation, Routes};
use crate::secrets::ImportedSecrets;

/// Lists the imports of a folder, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSecretImports {
    location: Location,
}

impl ListSecretImports {
    /// Lists the imports of the root folder of `environment` in the project.
    pub fn new(project_id: impl Into<String>, environment: impl Into<String>) -> Self {
        Self {
            location: Location::new(project_id, environment),
        }
    }

    /// The importing folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }
}

const LIST: Routes = Routes::pair("GET /api/v2/secret-imports", "GET /api/v1/secret-imports");

operation! {
    ListSecretImports => Vec<SecretImport>;
    family(SecretImports)
    validate(s) { s.location.validate() }
    request(s, generation) { s.location.query(LIST.at(generation), generation).send() }
    answer(response) { member(&LIST, &["secretImports"], response) }
}

/// Gets one import by id, with the importing folder's environment and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetSecretImport {
    id: String,
}

impl GetSecretImport {
    /// Gets the import with this id.
    pub fn new(import_id: impl Into<String>) -> Self {
        Self {
            id: import_id.into(),
        }
    }
}

const GET: Routes = Routes::pair(
    "GET /api/v2/secret-imports/{secretImportId}",
    "GET /api/v1/secret-imports/{secretImportId}",
);

operation! {
    GetSecretImport => SecretImport;
    family(SecretImports)
    validate(s) { require_field("import_id", &s.id) }
    request(s, generation) { GET.at(generation).arg(&s.id).send() }
    answer(response) { member(&GET, &["secretImport"], response) }
}

/// Lists the secrets a folder sees through its imports, one entry per import, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListImportedSecrets {
    location: Location,
}

impl ListImportedSecrets {
    /// The secrets the root folder of `environment` in the project imports.
    pub fn new(project_id: impl Into<String>, environment: impl Into<String>) -> Self {
        Self {
            location: Location::new(project_id, environment),
        }
    }

    /// The importing folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }
}

const SECRETS: Routes = Routes::pair(
    "GET /api/v2/secret-imports/secrets",
    "GET /api/v1/secret-imports/secrets/raw",
);

operation! {
    ListImportedSecrets => Vec<ImportedSecrets>;
    family(SecretImports)
    validate(s) { s.location.validate() }
    request(s, generation) { s.location.query(SECRETS.at(generation), generation).send() }
    answer(response) { member(&SECRETS, &["secrets"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn routes_by_generation() {
        let secrets = ListImportedSecrets::new("p", "dev").path("/app");
        assert_eq!(
            secrets
                .to_http(ApiGeneration::Current)
                .unwrap()
                .uri()
                .to_string(),
            "/api/v2/secret-imports/secrets?projectId=p&environment=dev&path=%2Fapp"
        );
        assert_eq!(
            secrets.to_http(ApiGeneration::Legacy).unwrap().uri().path(),
            "/api/v1/secret-imports/secrets/raw"
        );
        assert_eq!(
            GetSecretImport::new("").validate().unwrap_err().field(),
            "import_id"
        );
    }
}
