//! Get, create, update and delete an environment.

use super::model::Environment;
use crate::error::{require_field, InvalidRequest};
use crate::rest::{member, operation, Routes};
use serde::Serialize;

/// The environment's id and its project's, which every route but create names in its path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EnvironmentRef {
    project_id: String,
    id: String,
}

impl EnvironmentRef {
    fn new(project_id: impl Into<String>, environment_id: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            id: environment_id.into(),
        }
    }

    fn validate(&self) -> Result<(), InvalidRequest> {
        require_field("project_id", &self.project_id)?;
        require_field("environment_id", &self.id)
    }
}

/// Both generations answer `{environment}` (writes add a message and the project id).
const ANSWER: &[&str] = &["environment"];

/// Gets one environment of a project by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetEnvironment {
    target: EnvironmentRef,
}

impl GetEnvironment {
    /// Gets the environment `environment_id` of the project.
    pub fn new(project_id: impl Into<String>, environment_id: impl Into<String>) -> Self {
        Self {
            target: EnvironmentRef::new(project_id, environment_id),
        }
    }
}

const GET: Routes = Routes::pair(
    "GET /api/v1/projects/{projectId}/environments/{envId}",
    "GET /api/v1/workspace/{workspaceId}/environments/{envId}",
);

operation! {
    GetEnvironment => Environment;
    family(Environments)
    validate(s) { s.target.validate() }
    request(s, generation) {
        GET.at(generation).arg(&s.target.project_id).arg(&s.target.id).send()
    }
    answer(response) { member(&GET, ANSWER, response) }
}

/// The changes of a create or an update; only what is set is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct Changes {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<u64>,
}

impl Changes {
    fn validate(&self) -> Result<(), InvalidRequest> {
        if let Some(name) = &self.name {
            require_field("name", name)?;
        }
        if let Some(slug) = &self.slug {
            require_field("slug", slug)?;
        }
        if self.position == Some(0) {
            return Err(InvalidRequest::new("position", "starts at 1"));
        }
        Ok(())
    }
}

/// Creates an environment in a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateEnvironment {
    project_id: String,
    changes: Changes,
}

impl CreateEnvironment {
    /// Creates the environment `name` with `slug` (such as `qa`) in the project.
    pub fn new(
        project_id: impl Into<String>,
        name: impl Into<String>,
        slug: impl Into<String>,
    ) -> Self {
        Self {
            project_id: project_id.into(),
            changes: Changes {
                name: Some(name.into()),
                slug: Some(slug.into()),
                position: None,
            },
        }
    }

    /// Where to show it among the project's environments (1 is first; default last).
    pub fn position(mut self, position: u64) -> Self {
        self.changes.position = Some(position);
        self
    }
}

const CREATE: Routes = Routes::pair(
    "POST /api/v1/projects/{projectId}/environments",
    "POST /api/v1/workspace/{workspaceId}/environments",
);

operation! {
    CreateEnvironment => Environment;
    family(Environments)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        s.changes.validate()
    }
    request(s, generation) {
        CREATE.at(generation).arg(&s.project_id).send_json(&s.changes)
    }
    answer(response) { member(&CREATE, ANSWER, response) }
}

/// Changes an environment's name, slug or position. Only what is set is changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateEnvironment {
    target: EnvironmentRef,
    changes: Changes,
}

impl UpdateEnvironment {
    /// Updates the environment `environment_id` of the project.
    pub fn new(project_id: impl Into<String>, environment_id: impl Into<String>) -> Self {
        Self {
            target: EnvironmentRef::new(project_id, environment_id),
            changes: Changes::default(),
        }
    }

    /// A new display name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.changes.name = Some(name.into());
        self
    }

    /// A new slug.
    pub fn slug(mut self, slug: impl Into<String>) -> Self {
        self.changes.slug = Some(slug.into());
        self
    }

    /// A new position (1 is first).
    pub fn position(mut self, position: u64) -> Self {
        self.changes.position = Some(position);
        self
    }
}

const UPDATE: Routes = Routes::pair(
    "PATCH /api/v1/projects/{projectId}/environments/{id}",
    "PATCH /api/v1/workspace/{workspaceId}/environments/{id}",
);

operation! {
    UpdateEnvironment => Environment;
    family(Environments)
    validate(s) {
        s.target.validate()?;
        if s.changes == Changes::default() {
            return Err(InvalidRequest::new(
                "name",
                "nothing to update: set a name, slug or position",
            ));
        }
        s.changes.validate()
    }
    request(s, generation) {
        UPDATE
            .at(generation)
            .arg(&s.target.project_id)
            .arg(&s.target.id)
            .send_json(&s.changes)
    }
    answer(response) { member(&UPDATE, ANSWER, response) }
}

/// Deletes an environment, with its folders and secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteEnvironment {
    target: EnvironmentRef,
}

impl DeleteEnvironment {
    /// Deletes the environment `environment_id` of the project.
    pub fn new(project_id: impl Into<String>, environment_id: impl Into<String>) -> Self {
        Self {
            target: EnvironmentRef::new(project_id, environment_id),
        }
    }
}

const DELETE: Routes = Routes::pair(
    "DELETE /api/v1/projects/{projectId}/environments/{id}",
    "DELETE /api/v1/workspace/{workspaceId}/environments/{id}",
);

operation! {
    DeleteEnvironment => Environment;
    family(Environments)
    validate(s) { s.target.validate() }
    request(s, generation) {
        DELETE.at(generation).arg(&s.target.project_id).arg(&s.target.id).send()
    }
    answer(response) { member(&DELETE, ANSWER, response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn routes_by_generation() {
        let get = GetEnvironment::new("p", "e");
        let current = get.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(current.uri().path(), "/api/v1/projects/p/environments/e");
        let legacy = get.to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(legacy.uri().path(), "/api/v1/workspace/p/environments/e");
    }

    #[test]
    fn bodies_send_only_what_is_set() {
        let create = CreateEnvironment::new("p", "QA", "qa").position(2);
        let body: serde_json::Value =
            serde_json::from_slice(create.to_http(ApiGeneration::Current).unwrap().body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"name": "QA", "slug": "qa", "position": 2})
        );
        let update = UpdateEnvironment::new("p", "e").slug("test");
        let request = update.to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(request.body().as_ref(), br#"{"slug":"test"}"#);
    }

    #[test]
    fn required_fields() {
        let err = UpdateEnvironment::new("p", "e").validate().unwrap_err();
        assert_eq!(err.field(), "name");
        let err = CreateEnvironment::new("p", "QA", "")
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "slug");
        let err = DeleteEnvironment::new("p", " ").validate().unwrap_err();
        assert_eq!(err.field(), "environment_id");
    }
}
