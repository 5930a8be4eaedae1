//! Reading projects: list them, get one by id or by slug.

use super::model::Project;
use crate::error::require_field;
use crate::rest::{member, operation, whole, Routes};

/// Lists the projects the caller is a member of.
///
/// [`ListProjects::new`] uses `GET /api/v1/projects` (newer servers) or `GET /api/v1/workspace`
/// (October 2024 servers, which refuse that route to machine identities with a 403).
/// [`ListProjects::in_organization`] uses `GET /api/v2/organizations/{organizationId}/workspaces`,
/// which lists a machine identity's projects on both generations; its items carry the id,
/// name, slug, organization (as [`Project::org_id`]) and the environments' names and slugs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListProjects {
    organization_id: Option<String>,
}

impl ListProjects {
    /// Lists every project the caller can see (see the type's docs for machine identities on
    /// October 2024 servers).
    pub fn new() -> Self {
        Self::default()
    }

    /// Lists the caller's projects in this organization: works for machine identities on
    /// every server generation. The organization id is a project's
    /// [`org_id`](Project::org_id), or shown in the Infisical UI's organization settings.
    pub fn in_organization(organization_id: impl Into<String>) -> Self {
        Self {
            organization_id: Some(organization_id.into()),
        }
    }
}

const LIST: Routes = Routes::pair("GET /api/v1/projects", "GET /api/v1/workspace");
const LIST_IN_ORGANIZATION: Routes =
    Routes::stable("GET /api/v2/organizations/{organizationId}/workspaces");

operation! {
    ListProjects => Vec<Project>;
    family(Projects)
    validate(s) {
        match &s.organization_id {
            Some(org) => require_field("organization_id", org),
            None => Ok(()),
        }
    }
    request(s, generation) {
        match &s.organization_id {
            Some(org) => LIST_IN_ORGANIZATION.at(generation).arg(org).send(),
            None => LIST.at(generation).send(),
        }
    }
    answer(response) { member(&LIST, &["projects", "workspaces"], response) }
}

/// Gets one project by id, with its environments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetProject {
    id: String,
}

impl GetProject {
    /// Gets the project with this id.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            id: project_id.into(),
        }
    }
}

const GET: Routes = Routes::pair(
    "GET /api/v1/projects/{projectId}",
    "GET /api/v1/workspace/{workspaceId}",
);

operation! {
    GetProject => Project;
    family(Projects)
    validate(s) { require_field("project_id", &s.id) }
    request(s, generation) { GET.at(generation).arg(&s.id).send() }
    answer(response) { member(&GET, &["project", "workspace"], response) }
}

/// Gets one project by slug, with its environments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetProjectBySlug {
    slug: String,
}

impl GetProjectBySlug {
    /// Gets the project with this slug in the caller's organization.
    pub fn new(slug: impl Into<String>) -> Self {
        Self { slug: slug.into() }
    }
}

const GET_BY_SLUG: Routes = Routes::pair(
    "GET /api/v1/projects/slug/{slug}",
    "GET /api/v2/workspace/{slug}",
);

operation! {
    GetProjectBySlug => Project;
    family(Projects)
    validate(s) { require_field("slug", &s.slug) }
    request(s, generation) { GET_BY_SLUG.at(generation).arg(&s.slug).send() }
    // Both generations answer the project itself, not wrapped.
    answer(response) { whole(&GET_BY_SLUG, response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn routes_by_generation() {
        let by_slug = GetProjectBySlug::new("demo");
        assert_eq!(
            by_slug
                .to_http(ApiGeneration::Current)
                .unwrap()
                .uri()
                .path(),
            "/api/v1/projects/slug/demo"
        );
        assert_eq!(
            by_slug.to_http(ApiGeneration::Legacy).unwrap().uri().path(),
            "/api/v2/workspace/demo"
        );
        let list = ListProjects::new().to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(list.uri().path(), "/api/v1/workspace");
        assert_eq!(
            GetProject::new("").validate().unwrap_err().field(),
            "project_id"
        );
    }
}
