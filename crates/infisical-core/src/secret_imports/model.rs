//! The secret import as the server returns it.

use serde::{Deserialize, Serialize};

/// An import of a folder: the folder `folder_id` sees the secrets of `import_path` in
/// `import_env`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SecretImport {
    /// The import's id.
    pub id: String,
    /// The id of the importing folder.
    pub folder_id: String,
    /// The path of the imported folder.
    pub import_path: String,
    /// The environment of the imported folder.
    pub import_env: ImportEnvironment,
    /// The import's place among the folder's imports (1 is first; later imports win).
    pub position: Option<u64>,
    /// Whether the secrets are copied (replicated) rather than referenced.
    pub is_replication: Option<bool>,
    /// Whether the last replication succeeded.
    pub is_replication_success: Option<bool>,
    /// The replication's status message.
    pub replication_status: Option<String>,
    /// When the secrets were last replicated (RFC 3339).
    pub last_replicated: Option<String>,
    /// Imports the server keeps for itself (replication).
    pub is_reserved: Option<bool>,
    /// The importing folder's environment (get).
    pub environment: Option<ImportEnvironment>,
    /// The project's id (get).
    pub project_id: Option<String>,
    /// The importing folder's path (get).
    pub secret_path: Option<String>,
    /// When the import was created (RFC 3339).
    pub created_at: Option<String>,
    /// When the import last changed (RFC 3339).
    pub updated_at: Option<String>,
}

/// An environment as the import routes describe it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ImportEnvironment {
    /// The environment's id.
    pub id: String,
    /// The environment's name.
    pub name: String,
    /// The environment's slug.
    pub slug: String,
}
