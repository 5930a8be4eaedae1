//! Where secrets live (project, environment, folder) and how each generation names it.

use crate::location::{project_key, Location};
use crate::rest::Call;
use crate::ApiGeneration;
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

    /// Adds the scope to the query of `call`.
    pub(crate) fn query(&self, call: Call, generation: ApiGeneration) -> Call {
        call.query(project_key(generation), &self.project_id)
            .query("environment", &self.environment)
            .query("secretPath", &self.path)
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
