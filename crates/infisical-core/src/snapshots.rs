//! Point-in-time snapshots of a folder: list, count, get, roll back.
//!
//! Routes after Infisical's `ee/routes/v1/project-router.ts` (list and count:
//! `/api/v1/projects/{projectId}/secret-snapshots` on current servers,
//! `/api/v1/workspace/{workspaceId}/secret-snapshots` on every server) and
//! `ee/routes/v1/snapshot-router.ts` (get and roll back one by id), October 2024 and upstream.
//! Current servers replaced the roll-back by "PIT commits" (users only) and answer the old
//! route with an error (500, "Something went wrong"); servers of 2024 roll back.

use crate::error::{require_field, HiddenValue, InvalidRequest};
use crate::location::Location;
use crate::rest::{member, offset_limit, operation, Routes};
use crate::secrets::SecretTag;
use crate::SecretString;
use serde::Deserialize;

/// A snapshot of a folder, as listed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SnapshotSummary {
    /// The snapshot's id.
    pub id: String,
    /// The environment's id.
    pub env_id: String,
    /// The folder's id.
    pub folder_id: String,
    /// The parent folder's id, for a subfolder.
    pub parent_folder_id: Option<String>,
    /// When it was taken (RFC 3339).
    pub created_at: String,
}

/// A snapshot with the secrets and subfolders it holds.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Snapshot {
    /// The snapshot's id.
    pub id: String,
    /// The project's id.
    pub project_id: String,
    /// The environment.
    pub environment: SnapshotEnvironment,
    /// The secrets as they were.
    pub secret_versions: Vec<SnapshotSecret>,
    /// The subfolders as they were.
    pub folder_version: Vec<SnapshotFolder>,
    /// When it was taken (RFC 3339).
    pub created_at: String,
}

/// The environment of a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SnapshotEnvironment {
    /// Its id.
    pub id: String,
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
}

/// A secret as a snapshot holds it. `Debug` never shows the value.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SnapshotSecret {
    /// The secret's id.
    pub secret_id: String,
    /// Its version then.
    pub version: u64,
    /// Its name then.
    #[serde(rename = "secretKey")]
    pub key: String,
    #[serde(rename = "secretValue")]
    value: SecretString,
    /// Its comment then.
    #[serde(rename = "secretComment")]
    pub comment: String,
    /// The server withheld the value.
    pub secret_value_hidden: Option<bool>,
    /// Its tags then.
    pub tags: Vec<SecretTag>,
}

impl SnapshotSecret {
    /// The value then, or [`HiddenValue`] when the server withheld it. Do not log it.
    pub fn value(&self) -> Result<&str, HiddenValue> {
        crate::error::unless_withheld(self.secret_value_hidden, &self.key, &self.value)
    }
}

/// A subfolder as a snapshot holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SnapshotFolder {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// Lists the snapshots of a folder, newest first, a page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSnapshots {
    location: Location,
    offset: u64,
    limit: u64,
}

impl ListSnapshots {
    /// The first 20 snapshots of the root folder of `environment`.
    pub fn new(project_id: impl Into<String>, environment: impl Into<String>) -> Self {
        Self {
            location: Location::new(project_id, environment),
            offset: 0,
            limit: 20,
        }
    }

    /// The folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }
}

offset_limit!(ListSnapshots, "snapshots", "at least 1 (default 20)");

const LIST: Routes = Routes::pair(
    "GET /api/v1/projects/{projectId}/secret-snapshots",
    "GET /api/v1/workspace/{workspaceId}/secret-snapshots",
);

operation! {
    ListSnapshots => Vec<SnapshotSummary>;
    family(Projects)
    validate(s) {
        s.location.validate()?;
        if s.limit == 0 {
            return Err(InvalidRequest::new("limit", "must be at least 1"));
        }
        Ok(())
    }
    request(s, generation) {
        LIST.at(generation)
            .arg(&s.location.project_id)
            .query("environment", &s.location.environment)
            .query("path", &s.location.path)
            .query("offset", &s.offset.to_string())
            .query("limit", &s.limit.to_string())
            .send()
    }
    answer(response) { member(&LIST, &["secretSnapshots"], response) }
}

/// Counts the snapshots of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountSnapshots {
    location: Location,
}

impl CountSnapshots {
    /// The snapshots of the root folder of `environment`.
    pub fn new(project_id: impl Into<String>, environment: impl Into<String>) -> Self {
        Self {
            location: Location::new(project_id, environment),
        }
    }

    /// The folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }
}

const COUNT: Routes = Routes::pair(
    "GET /api/v1/projects/{projectId}/secret-snapshots/count",
    "GET /api/v1/workspace/{workspaceId}/secret-snapshots/count",
);

operation! {
    CountSnapshots => u64;
    family(Projects)
    validate(s) { s.location.validate() }
    request(s, generation) {
        COUNT.at(generation)
            .arg(&s.location.project_id)
            .query("environment", &s.location.environment)
            .query("path", &s.location.path)
            .send()
    }
    answer(response) { member(&COUNT, &["count"], response) }
}

/// Gets one snapshot with its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetSnapshot {
    id: String,
}

impl GetSnapshot {
    /// The snapshot with this id.
    pub fn new(snapshot_id: impl Into<String>) -> Self {
        Self {
            id: snapshot_id.into(),
        }
    }
}

const GET: Routes = Routes::stable("GET /api/v1/secret-snapshot/{secretSnapshotId}");

operation! {
    GetSnapshot => Snapshot;
    family(Stable)
    validate(s) { require_field("snapshot_id", &s.id) }
    request(s, generation) { GET.at(generation).arg(&s.id).send() }
    answer(response) { member(&GET, &["secretSnapshot"], response) }
}

/// Rolls a folder back to a snapshot (servers of 2024; current servers answer an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollBackSnapshot {
    id: String,
}

impl RollBackSnapshot {
    /// Back to the snapshot with this id.
    pub fn new(snapshot_id: impl Into<String>) -> Self {
        Self {
            id: snapshot_id.into(),
        }
    }
}

const ROLL_BACK: Routes =
    Routes::stable("POST /api/v1/secret-snapshot/{secretSnapshotId}/rollback");

operation! {
    RollBackSnapshot => SnapshotSummary;
    family(Stable)
    validate(s) { require_field("snapshot_id", &s.id) }
    request(s, generation) { ROLL_BACK.at(generation).arg(&s.id).send() }
    answer(response) { member(&ROLL_BACK, &["secretSnapshot"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn lists_name_the_project_as_each_generation_does() {
        let list = ListSnapshots::new("p", "dev").path("app/").limit(5);
        assert_eq!(
            list.to_http(ApiGeneration::Current)
                .unwrap()
                .uri()
                .to_string(),
            "/api/v1/projects/p/secret-snapshots?environment=dev&path=%2Fapp&offset=0&limit=5"
        );
        assert!(list
            .to_http(ApiGeneration::Legacy)
            .unwrap()
            .uri()
            .path()
            .starts_with("/api/v1/workspace/p/"));
        assert!(ListSnapshots::new("p", "dev").limit(0).validate().is_err());
        assert!(GetSnapshot::new("").validate().is_err());
    }
}
