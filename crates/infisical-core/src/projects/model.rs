//! The project as the server returns it.

use crate::environments::Environment;
use serde::{Deserialize, Serialize};

/// A project (a "workspace" on older servers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Project {
    /// The project's id, which most requests name it by.
    pub id: String,
    /// The project's display name.
    pub name: String,
    /// The project's slug, unique in its organization.
    pub slug: String,
    /// The description, on servers that have one.
    pub description: Option<String>,
    /// The organization's id (`orgId`; `organization` in organization listings).
    #[serde(alias = "organization")]
    pub org_id: Option<String>,
    /// Whether new secret keys are upper-cased.
    pub auto_capitalization: Option<bool>,
    /// The product the project belongs to, such as `secret-manager` (newer servers).
    #[serde(rename = "type")]
    pub project_type: Option<String>,
    /// The project's encryption scheme version.
    pub version: Option<u64>,
    /// The project's environments (`id`, `name`, `slug`), in order; absent from the answers
    /// of update and delete.
    pub environments: Vec<Environment>,
    /// When the project was created (RFC 3339).
    pub created_at: Option<String>,
    /// When the project last changed (RFC 3339).
    pub updated_at: Option<String>,
}
