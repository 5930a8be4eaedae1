//! Writing projects: create, update, delete.

use super::model::Project;
use crate::error::{require_field, InvalidRequest};
use crate::location::current_only;
use crate::rest::{member, operation, Routes};
use serde::Serialize;

const V1_PROJECTS: &str = "/api/v1/projects";

/// Creates a project, with the environments `dev`, `staging` and `prod`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateProject {
    project_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    project_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kms_key_id: Option<String>,
}

impl CreateProject {
    /// Creates a project named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            project_name: name.into(),
            project_description: None,
            slug: None,
            kms_key_id: None,
        }
    }

    /// The slug (5 to 36 characters; default: derived from the name).
    pub fn slug(mut self, slug: impl Into<String>) -> Self {
        self.slug = Some(slug.into());
        self
    }

    /// A description. Needs a server with `/api/v1/projects`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.project_description = Some(description.into());
        self
    }

    /// The KMS key to encrypt the project's data with (default: the organization's).
    pub fn kms_key_id(mut self, key_id: impl Into<String>) -> Self {
        self.kms_key_id = Some(key_id.into());
        self
    }
}

const CREATE: Routes = Routes::pair("POST /api/v1/projects", "POST /api/v2/workspace");

operation! {
    CreateProject => Project;
    family(Projects)
    validate(s) {
        require_field("name", &s.project_name)?;
        if s.slug.as_ref().is_some_and(|slug| !(5..=36).contains(&slug.trim().len())) {
            return Err(InvalidRequest::new("slug", "must be 5 to 36 characters long"));
        }
        Ok(())
    }
    request(s, generation) {
        let described = s.project_description.is_some();
        current_only(generation, "description", described, V1_PROJECTS)?;
        CREATE.at(generation).send_json(s)
    }
    answer(response) { member(&CREATE, &["project"], response) }
}

/// The changes of an update; only what is set is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProjectChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_capitalization: Option<bool>,
}

/// Changes a project's name, description, slug or auto-capitalization. Only what is set is
/// changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateProject {
    id: String,
    changes: ProjectChanges,
}

impl UpdateProject {
    /// Updates the project with this id.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            id: project_id.into(),
            changes: ProjectChanges::default(),
        }
    }

    /// A new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.changes.name = Some(name.into());
        self
    }

    /// A new description. Needs a server with `/api/v1/projects`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.changes.description = Some(description.into());
        self
    }

    /// A new slug. Needs a server with `/api/v1/projects`.
    pub fn slug(mut self, slug: impl Into<String>) -> Self {
        self.changes.slug = Some(slug.into());
        self
    }

    /// Whether new secret keys are upper-cased.
    pub fn auto_capitalization(mut self, enabled: bool) -> Self {
        self.changes.auto_capitalization = Some(enabled);
        self
    }
}

const UPDATE: Routes = Routes::pair(
    "PATCH /api/v1/projects/{projectId}",
    "PATCH /api/v1/workspace/{workspaceId}",
);

operation! {
    UpdateProject => Project;
    family(Projects)
    validate(s) {
        require_field("project_id", &s.id)?;
        if s.changes == ProjectChanges::default() {
            return Err(InvalidRequest::new(
                "name",
                "nothing to update: set a name, description, slug or auto-capitalization",
            ));
        }
        if let Some(name) = &s.changes.name {
            require_field("name", name)?;
        }
        Ok(())
    }
    request(s, generation) {
        let c = &s.changes;
        current_only(generation, "description", c.description.is_some(), V1_PROJECTS)?;
        current_only(generation, "slug", c.slug.is_some(), V1_PROJECTS)?;
        UPDATE.at(generation).arg(&s.id).send_json(c)
    }
    answer(response) { member(&UPDATE, &["project", "workspace"], response) }
}

/// Deletes a project with everything in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteProject {
    id: String,
}

impl DeleteProject {
    /// Deletes the project with this id.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            id: project_id.into(),
        }
    }
}

const DELETE: Routes = Routes::pair(
    "DELETE /api/v1/projects/{projectId}",
    "DELETE /api/v1/workspace/{workspaceId}",
);

operation! {
    DeleteProject => Project;
    family(Projects)
    validate(s) { require_field("project_id", &s.id) }
    request(s, generation) { DELETE.at(generation).arg(&s.id).send() }
    answer(response) { member(&DELETE, &["project", "workspace"], response) }
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
    fn create_by_generation() {
        let create = CreateProject::new("Demo").slug("demo-app");
        let current = create.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(current.uri().path(), "/api/v1/projects");
        assert_eq!(
            body(&current),
            json!({"projectName": "Demo", "slug": "demo-app"})
        );
        assert_eq!(
            create.to_http(ApiGeneration::Legacy).unwrap().uri().path(),
            "/api/v2/workspace"
        );
        let described = CreateProject::new("Demo").description("d");
        assert!(described.to_http(ApiGeneration::Legacy).is_err());
        assert_eq!(
            CreateProject::new("x")
                .slug("abc")
                .validate()
                .unwrap_err()
                .field(),
            "slug"
        );
    }

    #[test]
    fn update_sends_only_what_is_set() {
        let update = UpdateProject::new("p")
            .name("New")
            .auto_capitalization(false);
        let legacy = update.to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(legacy.uri().path(), "/api/v1/workspace/p");
        assert_eq!(
            body(&legacy),
            json!({"name": "New", "autoCapitalization": false})
        );
        assert!(UpdateProject::new("p")
            .slug("x")
            .to_http(ApiGeneration::Legacy)
            .is_err());
        assert_eq!(
            UpdateProject::new("p").validate().unwrap_err().field(),
            "name"
        );
    }
}
