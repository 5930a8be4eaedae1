//! A folder of a project's environment, as the routes name it: by project id (`projectId` on
//! current servers, `workspaceId` on older ones) and `environment`, or by project and
//! environment slugs (`projectSlug`, `environmentSlug`: dynamic secrets); plus `path`.

use crate::error::{require_field, InvalidRequest};
use crate::rest::Call;
use crate::wire::normalize_path;
use crate::ApiGeneration;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// How a family of routes names the project and the environment: the Rust parameter names
/// (in errors) and the wire keys (the project key per generation).
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct Naming {
    project_field: &'static str,
    project_keys: [&'static str; 2],
    environment_field: &'static str,
    environment_key: &'static str,
}

/// By project id and environment slug: `projectId` (or `workspaceId`) and `environment`.
const BY_ID: Naming = Naming {
    project_field: "project_id",
    project_keys: ["projectId", "workspaceId"],
    environment_field: "environment",
    environment_key: "environment",
};

/// By slugs: `projectSlug` and `environmentSlug`.
const BY_SLUG: Naming = Naming {
    project_field: "project_slug",
    project_keys: ["projectSlug", "projectSlug"],
    environment_field: "environment_slug",
    environment_key: "environmentSlug",
};

impl Naming {
    fn project_key(&self, generation: ApiGeneration) -> &'static str {
        match generation {
            ApiGeneration::Current => self.project_keys[0],
            ApiGeneration::Legacy => self.project_keys[1],
        }
    }
}

/// The name of the project-id parameter in `generation`.
pub(crate) fn project_key(generation: ApiGeneration) -> &'static str {
    BY_ID.project_key(generation)
}

/// Project, environment and folder path of a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Location {
    pub(crate) project_id: String,
    pub(crate) environment: String,
    pub(crate) path: String,
    naming: &'static Naming,
}

impl Location {
    /// The root folder `/` of `environment` in the project with this id.
    pub(crate) fn new(project_id: impl Into<String>, environment: impl Into<String>) -> Self {
        Self::named(&BY_ID, project_id.into(), environment.into())
    }

    /// The root folder `/` of an environment, both named by slug.
    pub(crate) fn by_slug(project_slug: impl Into<String>, environment: impl Into<String>) -> Self {
        Self::named(&BY_SLUG, project_slug.into(), environment.into())
    }

    fn named(naming: &'static Naming, project: String, environment: String) -> Self {
        Self {
            project_id: project,
            environment,
            path: "/".to_owned(),
            naming,
        }
    }

    /// Sets the folder path, normalized as the server does.
    pub(crate) fn set_path(&mut self, path: &str) {
        self.path = normalize_path(path);
    }

    /// Project and environment are required.
    pub(crate) fn validate(&self) -> Result<(), InvalidRequest> {
        require_field(self.naming.project_field, &self.project_id)?;
        require_field(self.naming.environment_field, &self.environment)
    }

    /// Adds the location to the query of `call`.
    pub(crate) fn query(&self, call: Call, generation: ApiGeneration) -> Call {
        call.query(self.naming.project_key(generation), &self.project_id)
            .query(self.naming.environment_key, &self.environment)
            .query("path", &self.path)
    }

    /// The location as body fields, to `#[serde(flatten)]` into a body.
    pub(crate) fn wire(&self, generation: ApiGeneration) -> WireLocation<'_> {
        WireLocation {
            location: self,
            generation,
        }
    }
}

/// `{projectId|workspaceId|projectSlug, environment|environmentSlug, path}`.
pub(crate) struct WireLocation<'a> {
    location: &'a Location,
    generation: ApiGeneration,
}

impl Serialize for WireLocation<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let l = self.location;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry(l.naming.project_key(self.generation), &l.project_id)?;
        map.serialize_entry(l.naming.environment_key, &l.environment)?;
        map.serialize_entry("path", &l.path)?;
        map.end()
    }
}

/// Refuses an option that only current servers understand.
pub(crate) fn current_only(
    generation: ApiGeneration,
    field: &'static str,
    is_set: bool,
    routes: &'static str,
) -> Result<(), InvalidRequest> {
    if generation == ApiGeneration::Legacy && is_set {
        Err(InvalidRequest::new(
            field,
            format!("needs a server with {routes}; this server only has the older routes"),
        ))
    } else {
        Ok(())
    }
}
