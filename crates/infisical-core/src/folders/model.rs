//! The folder as the server returns it.

use serde::{Deserialize, Serialize};

/// A folder of an environment.
///
/// Every route answers `id` and `name`; the other fields depend on the route and the server's
/// generation, so they are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Folder {
    /// The folder's id.
    pub id: String,
    /// The folder's name (the last segment of its path).
    pub name: String,
    /// The folder's version, bumped on each change.
    pub version: Option<u64>,
    /// The id of the environment holding the folder.
    pub env_id: Option<String>,
    /// The id of the parent folder (`None` for the root).
    pub parent_id: Option<String>,
    /// Folders the server keeps for itself (such as secret-rotation folders).
    pub is_reserved: Option<bool>,
    /// The description, on servers that have one.
    pub description: Option<String>,
    /// The folder's own path (answers of get, create and update on current servers).
    pub path: Option<String>,
    /// The path below the listed folder (recursive lists).
    pub relative_path: Option<String>,
    /// The project's id (get).
    pub project_id: Option<String>,
    /// The environment (get).
    pub environment: Option<FolderEnvironment>,
    /// When the folder was created (RFC 3339).
    pub created_at: Option<String>,
    /// When the folder last changed (RFC 3339).
    pub updated_at: Option<String>,
}

/// The environment of a folder, as the get route describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct FolderEnvironment {
    /// The environment's id.
    pub env_id: String,
    /// The environment's name.
    pub env_name: String,
    /// The environment's slug.
    pub env_slug: String,
}
