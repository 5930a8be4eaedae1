//! Where secrets live (project, environment, folder) and how each generation names it.

use crate::location::Location;
use crate::wire::Query;
use crate::{ApiGeneration, RequestMeta};
use serde::Serialize;
use std::ops::{Deref, DerefMut};

/// Project, environment and folder path of a secrets request: a [`Location`] whose path the
/// secrets routes call `secretPath`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Scope(Location);

impl Deref for Scope {
    type Target = Location;

    fn deref(&self) -> &Location {
        &self.0
    }
}

impl DerefMut for Scope {
    fn deref_mut(&mut self) -> &mut Location {
        &mut self.0
    }
}

impl Scope {
    pub(crate) fn new(project_id: impl Into<String>, environment: impl Into<String>) -> Self {
        Self(Location::new(project_id, environment))
    }

    /// Adds the scope to a query string.
    pub(crate) fn query(&self, generation: ApiGeneration) -> Query {
        let mut query = Query::new();
        query
            .add(Routes::of(generation).project_key, &self.project_id)
            .add("environment", &self.environment)
            .add("secretPath", &self.path);
        query
    }

    /// The scope as body fields.
    pub(crate) fn wire(&self, generation: ApiGeneration) -> WireScope<'_> {
        let (project_id, workspace_id) = match generation {
            ApiGeneration::Current => (Some(self.project_id.as_str()), None),
            ApiGeneration::Legacy => (None, Some(self.project_id.as_str())),
        };
        WireScope {
            project_id,
            workspace_id,
            environment: &self.environment,
            secret_path: &self.path,
        }
    }
}

/// The scope's fields in a JSON body (`projectId` or `workspaceId` by generation).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireScope<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    project_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    workspace_id: Option<&'a str>,
    environment: &'a str,
    secret_path: &'a str,
}

/// The secrets routes of one generation.
pub(crate) struct Routes {
    pub(crate) collection: &'static str,
    pub(crate) batch: &'static str,
    project_key: &'static str,
    deprecated: bool,
}

const CURRENT: Routes = Routes {
    collection: "/api/v4/secrets",
    batch: "/api/v4/secrets/batch",
    project_key: "projectId",
    deprecated: false,
};

const LEGACY: Routes = Routes {
    collection: "/api/v3/secrets/raw",
    batch: "/api/v3/secrets/batch/raw",
    project_key: "workspaceId",
    deprecated: true,
};

impl Routes {
    pub(crate) fn of(generation: ApiGeneration) -> &'static Routes {
        match generation {
            ApiGeneration::Current => &CURRENT,
            ApiGeneration::Legacy => &LEGACY,
        }
    }

    /// Metadata for a request to this generation; `routes` holds the template per generation.
    pub(crate) fn meta(&self, templates: [&'static str; 2], idempotent: bool) -> RequestMeta {
        RequestMeta {
            route: if self.deprecated {
                templates[1]
            } else {
                templates[0]
            },
            idempotent,
            deprecated: self.deprecated,
        }
    }
}
