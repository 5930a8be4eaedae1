//! The environment as the server returns it.

use serde::{Deserialize, Serialize};

/// An environment of a project, such as `dev` or `prod`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Environment {
    /// The environment's id.
    pub id: String,
    /// The environment's display name.
    pub name: String,
    /// The environment's slug, which secrets requests name it by.
    pub slug: String,
    /// Where the environment is shown among the project's (lowest first).
    pub position: Option<u64>,
    /// The project's id.
    pub project_id: Option<String>,
    /// When the environment was created (RFC 3339).
    pub created_at: Option<String>,
    /// When the environment last changed (RFC 3339).
    pub updated_at: Option<String>,
}
