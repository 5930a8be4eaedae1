//! Reading folders: list the folders of a folder, get one by id.

use super::model::Folder;
use crate::error::require_field;
use crate::location::{current_only, Location};
use crate::rest::{member, operation, Routes};
#[cfg(test)]
use crate::{ApiGeneration, Operation};

/// Lists the folders inside a folder.
///
/// By default: the root folder `/`, not recursive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFolders {
    location: Location,
    recursive: bool,
}

impl ListFolders {
    /// Lists the folders of the root of `environment` (a slug such as `dev`) in the project.
    pub fn new(project_id: impl Into<String>, environment: impl Into<String>) -> Self {
        Self {
            location: Location::new(project_id, environment),
            recursive: false,
        }
    }

    /// The folder whose folders to list, such as `/app` (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }

    /// Also list the folders of every subfolder (default `false`); each answer then carries
    /// its `relative_path`. Needs a server with `/api/v2/folders`.
    pub fn recursive(mut self, recursive: bool) -> Self {
        self.recursive = recursive;
        self
    }
}

const LIST: Routes = Routes::pair("GET /api/v2/folders", "GET /api/v1/folders");

operation! {
    ListFolders => Vec<Folder>;
    family(Folders)
    validate(s) { s.location.validate() }
    request(s, generation) {
        current_only(generation, "recursive", s.recursive, "/api/v2/folders")?;
        let call = s.location.query(LIST.at(generation), generation);
        let call = if s.recursive { call.flag("recursive", true) } else { call };
        call.send()
    }
    answer(response) { member(&LIST, &["folders"], response) }
}

/// Gets one folder by id, with its path, project and environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetFolder {
    id: String,
}

impl GetFolder {
    /// Gets the folder with this id.
    pub fn new(folder_id: impl Into<String>) -> Self {
        Self {
            id: folder_id.into(),
        }
    }
}

const GET: Routes = Routes::pair("GET /api/v2/folders/{id}", "GET /api/v1/folders/{id}");

operation! {
    GetFolder => Folder;
    family(Folders)
    validate(s) { require_field("folder_id", &s.id) }
    request(s, generation) { GET.at(generation).arg(&s.id).send() }
    answer(response) { member(&GET, &["folder"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_query_by_generation() {
        let list = ListFolders::new("p1", "dev").path("app/");
        let v2 = list.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            v2.uri().to_string(),
            "/api/v2/folders?projectId=p1&environment=dev&path=%2Fapp"
        );
        let v1 = list.to_http(ApiGeneration::Legacy).unwrap();
        assert!(v1
            .uri()
            .to_string()
            .starts_with("/api/v1/folders?workspaceId=p1&"));
        let recursive = list.recursive(true);
        assert!(recursive
            .to_http(ApiGeneration::Current)
            .unwrap()
            .uri()
            .query()
            .unwrap()
            .ends_with("recursive=true"));
        let err = recursive.to_http(ApiGeneration::Legacy).unwrap_err();
        assert!(err.to_string().contains("recursive"), "{err}");
    }

    #[test]
    fn required_fields() {
        assert_eq!(
            GetFolder::new(" ").validate().unwrap_err().field(),
            "folder_id"
        );
        let err = ListFolders::new("", "dev").validate().unwrap_err();
        assert_eq!(err.field(), "project_id");
    }
}
