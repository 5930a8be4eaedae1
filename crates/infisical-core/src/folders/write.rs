//! Writing folders: create, update (rename), update in a batch, delete.

use super::model::Folder;
use crate::error::{require_field, InvalidRequest};
use crate::location::{current_only, project_key, Location, WireLocation};
use crate::rest::{member, operation, Routes};
use crate::ApiGeneration;
#[cfg(test)]
use crate::Operation;
#[cfg(test)]
use bytes::Bytes;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

const V2: &str = "/api/v2/folders";

/// `{projectId|workspaceId, environment, path, name, description?}`.
#[derive(Serialize)]
struct NamedBody<'a> {
    #[serde(flatten)]
    location: WireLocation<'a>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

/// Creates a folder (and any missing parent). Creating a folder that exists answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateFolder {
    location: Location,
    name: String,
    description: Option<String>,
}

impl CreateFolder {
    /// Creates the folder `name` in the root of `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            location: Location::new(project_id, environment),
            name: name.into(),
            description: None,
        }
    }

    /// The parent folder, such as `/app` (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }

    /// A description. Needs a server with `/api/v2/folders`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

const CREATE: Routes = Routes::pair("POST /api/v2/folders", "POST /api/v1/folders");

operation! {
    CreateFolder => Folder;
    family(Folders)
    validate(s) {
        s.location.validate()?;
        require_field("name", &s.name)
    }
    request(s, generation) {
        current_only(generation, "description", s.description.is_some(), V2)?;
        let body = NamedBody {
            location: s.location.wire(generation),
            name: &s.name,
            description: s.description.as_deref(),
        };
        CREATE.at(generation).send_json(&body)
    }
    answer(response) { member(&CREATE, &["folder"], response) }
}

/// Renames a folder (and, on current servers, changes its description).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateFolder {
    location: Location,
    id: String,
    name: String,
    description: Option<String>,
}

impl UpdateFolder {
    /// Gives the folder `folder_id` of the root of `environment` the name `name`.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        folder_id: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            location: Location::new(project_id, environment),
            id: folder_id.into(),
            name: name.into(),
            description: None,
        }
    }

    /// The parent folder holding it (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }

    /// A new description. Needs a server with `/api/v2/folders`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

const UPDATE: Routes = Routes::pair(
    "PATCH /api/v2/folders/{folderId}",
    "PATCH /api/v1/folders/{folderId}",
);

operation! {
    UpdateFolder => Folder;
    family(Folders)
    validate(s) {
        s.location.validate()?;
        require_field("folder_id", &s.id)?;
        require_field("name", &s.name)
    }
    request(s, generation) {
        current_only(generation, "description", s.description.is_some(), V2)?;
        let body = NamedBody {
            location: s.location.wire(generation),
            name: &s.name,
            description: s.description.as_deref(),
        };
        UPDATE.at(generation).arg(&s.id).send_json(&body)
    }
    answer(response) { member(&UPDATE, &["folder"], response) }
}

/// One folder of a batch update: which folder, where, and its new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderUpdate {
    id: String,
    environment: String,
    name: String,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl FolderUpdate {
    /// Gives the folder `folder_id` of `environment` (in its root folder unless
    /// [`path`](FolderUpdate::path) says otherwise) the name `name`: the order of
    /// [`UpdateFolder::new`], without the project.
    pub fn in_environment(
        environment: impl Into<String>,
        folder_id: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            id: folder_id.into(),
            environment: environment.into(),
            name: name.into(),
            path: "/".to_owned(),
            description: None,
        }
    }

    /// Gives the folder `folder_id`, in the root of `environment`, the name `name`.
    #[deprecated(
        since = "0.2.0",
        note = "easy to swap with `UpdateFolder::new`'s order: use \
                `FolderUpdate::in_environment(environment, folder_id, name)`"
    )]
    pub fn new(
        folder_id: impl Into<String>,
        environment: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self::in_environment(environment, folder_id, name)
    }

    /// The parent folder holding it (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.path = crate::wire::normalize_path(path);
        self
    }

    /// A new description. Needs a server with `/api/v2/folders`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// Renames several folders of a project, all or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchUpdateFolders {
    project_id: String,
    project_slug: Option<String>,
    folders: Vec<FolderUpdate>,
}

impl BatchUpdateFolders {
    /// Applies `folders` in the project.
    pub fn new(
        project_id: impl Into<String>,
        folders: impl IntoIterator<Item = FolderUpdate>,
    ) -> Self {
        Self {
            project_id: project_id.into(),
            project_slug: None,
            folders: folders.into_iter().collect(),
        }
    }

    /// The project's slug: servers that only have `/api/v1/folders` name the project of a
    /// batch by its slug, so they need it.
    pub fn project_slug(mut self, slug: impl Into<String>) -> Self {
        self.project_slug = Some(slug.into());
        self
    }
}

/// `{projectId|projectSlug, folders}`.
struct BatchBody<'a> {
    project: (&'static str, &'a str),
    folders: &'a [FolderUpdate],
}

impl Serialize for BatchBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(self.project.0, self.project.1)?;
        map.serialize_entry("folders", self.folders)?;
        map.end()
    }
}

const BATCH: Routes = Routes::pair("PATCH /api/v2/folders/batch", "PATCH /api/v1/folders/batch");

operation! {
    BatchUpdateFolders => Vec<Folder>;
    family(Folders)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        if s.folders.is_empty() {
            return Err(InvalidRequest::new("folders", "must hold at least one folder"));
        }
        s.folders.iter().try_for_each(|f| {
            require_field("folders[].id", &f.id)?;
            require_field("folders[].environment", &f.environment)?;
            require_field("folders[].name", &f.name)
        })
    }
    request(s, generation) {
        let project = match (generation, &s.project_slug) {
            (ApiGeneration::Current, _) => (project_key(generation), s.project_id.as_str()),
            (ApiGeneration::Legacy, Some(slug)) if !slug.trim().is_empty() => {
                ("projectSlug", slug.as_str())
            }
            (ApiGeneration::Legacy, _) => {
                return Err(InvalidRequest::new(
                    "project_slug",
                    "is required by servers that only have /api/v1/folders; set it too",
                )
                .into())
            }
        };
        let described = s.folders.iter().any(|f| f.description.is_some());
        current_only(generation, "description", described, V2)?;
        let body = BatchBody {
            project,
            folders: &s.folders,
        };
        BATCH.at(generation).send_json(&body)
    }
    answer(response) { member(&BATCH, &["folders"], response) }
}

/// Deletes a folder, and everything in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteFolder {
    location: Location,
    id_or_name: String,
}

impl DeleteFolder {
    /// Deletes the folder `folder_id_or_name` (its id, or its name) from the root of
    /// `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        folder_id_or_name: impl Into<String>,
    ) -> Self {
        Self {
            location: Location::new(project_id, environment),
            id_or_name: folder_id_or_name.into(),
        }
    }

    /// The parent folder holding it (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }
}

const DELETE: Routes = Routes::pair(
    "DELETE /api/v2/folders/{folderIdOrName}",
    "DELETE /api/v1/folders/{folderIdOrName}",
);

operation! {
    DeleteFolder => Folder;
    family(Folders)
    validate(s) {
        s.location.validate()?;
        require_field("folder_id_or_name", &s.id_or_name)
    }
    request(s, generation) {
        let body = s.location.wire(generation);
        DELETE.at(generation).arg(&s.id_or_name).send_json(&body)
    }
    answer(response) { member(&DELETE, &["folder"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn body(request: &http::Request<Bytes>) -> Value {
        serde_json::from_slice(request.body()).unwrap()
    }

    #[test]
    fn create_body_by_generation() {
        let create = CreateFolder::new("p", "dev", "db").path("/app");
        let v2 = create.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            body(&v2),
            json!({"projectId": "p", "environment": "dev", "path": "/app", "name": "db"})
        );
        let v1 = create.clone().to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(v1.uri().path(), "/api/v1/folders");
        assert_eq!(body(&v1)["workspaceId"], "p");
        let described = create.description("d");
        assert!(described.to_http(ApiGeneration::Legacy).is_err());
        assert_eq!(
            body(&described.to_http(ApiGeneration::Current).unwrap())["description"],
            "d"
        );
    }

    #[test]
    fn batch_names_the_project_by_generation() {
        let batch = BatchUpdateFolders::new(
            "p",
            [FolderUpdate::in_environment("dev", "f1", "x").path("a/")],
        );
        let v2 = batch.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            body(&v2),
            json!({"projectId": "p", "folders": [{"id": "f1", "environment": "dev", "name": "x", "path": "/a"}]})
        );
        let err = batch.to_http(ApiGeneration::Legacy).unwrap_err();
        assert!(err.to_string().contains("project_slug"), "{err}");
        let v1 = batch
            .project_slug("demo")
            .to_http(ApiGeneration::Legacy)
            .unwrap();
        assert_eq!(body(&v1)["projectSlug"], "demo");
        let empty = BatchUpdateFolders::new("p", []);
        assert_eq!(empty.validate().unwrap_err().field(), "folders");
    }

    #[test]
    fn delete_sends_the_location_in_the_body() {
        let delete = DeleteFolder::new("p", "dev", "db").path("/app");
        let v2 = delete.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(v2.method(), http::Method::DELETE);
        assert_eq!(v2.uri().path(), "/api/v2/folders/db");
        assert_eq!(body(&v2)["path"], "/app");
        let err = UpdateFolder::new("p", "dev", "f", "")
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "name");
    }
}
