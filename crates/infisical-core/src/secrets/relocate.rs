//! A secret by its id, and moving secrets between folders and environments.
//!
//! Routes after Infisical's `server/routes/v4/secret-router.ts` (`GET /api/v4/secrets/id/
//! {secretId}`, `POST /api/v4/secrets/move` with `projectId`) and
//! `v3/deprecated-secret-router.ts` (`GET /api/v3/secrets/raw/id/{secretId}`,
//! `POST /api/v3/secrets/move` with `projectSlug`); the October 2024 server has the v3 move
//! route only, and no route to get a secret by id.

use super::model::Secret;
use super::read::{response_route, SecretAnswer};
use super::scope::Scope;
use crate::error::{require_field, InvalidRequest};
use crate::rest::{operation, Routes};
use crate::wire::{decode_json, normalize_path};
use crate::ApiGeneration;
use serde::{Deserialize, Serialize};

/// Gets a secret by its id ([`Secret::id`]), wherever it is in its project.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetSecretById {
    id: String,
}

impl GetSecretById {
    /// The secret with this id.
    pub fn new(secret_id: impl Into<String>) -> Self {
        Self {
            id: secret_id.into(),
        }
    }
}

const BY_ID: Routes = Routes::pair(
    "GET /api/v4/secrets/id/{secretId}",
    "GET /api/v3/secrets/raw/id/{secretId}",
);

operation! {
    GetSecretById => Secret;
    family(Secrets)
    validate(s) { require_field("secret_id", &s.id) }
    request(s, generation) { BY_ID.at(generation).arg(&s.id).send() }
    answer(response) {
        let route = response_route(&response, BY_ID.current());
        decode_json::<SecretAnswer>(route, response).map(|a| a.secret)
    }
}

/// Moves secrets (by id) from one folder to another, in the same or another environment of
/// the project; the source loses them.
///
/// A secret whose name the destination already has with another value fails the whole move,
/// unless [`overwrite`](MoveSecrets::overwrite).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveSecrets {
    pub(super) scope: Scope,
    project_slug: Option<String>,
    destination_environment: String,
    destination_path: String,
    secret_ids: Vec<String>,
    overwrite: bool,
}

impl MoveSecrets {
    /// Moves the secrets with these ids from the root folder of `environment` to the root
    /// folder of `destination_environment` (the same one, with another
    /// [`to_path`](MoveSecrets::to_path), to move between folders).
    pub fn new<I, S>(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        destination_environment: impl Into<String>,
        secret_ids: I,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            scope: Scope::new(project_id, environment),
            project_slug: None,
            destination_environment: destination_environment.into(),
            destination_path: "/".to_owned(),
            secret_ids: secret_ids.into_iter().map(Into::into).collect(),
            overwrite: false,
        }
    }

    /// The folder they are in (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.scope.set_path(path);
        self
    }

    /// The folder they go to (default `/`).
    pub fn to_path(mut self, path: &str) -> Self {
        self.destination_path = normalize_path(path);
        self
    }

    /// Replace secrets of the same name in the destination (default: fail the move).
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// The project's slug: servers that only have `/api/v3/secrets/move` name the project by
    /// its slug, so they need it.
    pub fn project_slug(mut self, slug: impl Into<String>) -> Self {
        self.project_slug = Some(slug.into());
        self
    }
}

/// What a move changed. Infisical answers `false` for a side where an approval policy opened a
/// request instead of changing it (for users; machine identities are refused by policies).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MoveOutcome {
    /// The source folder lost the secrets.
    #[serde(default)]
    pub is_source_updated: bool,
    /// The destination folder got them.
    #[serde(default)]
    pub is_destination_updated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MoveBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    project_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project_slug: Option<&'a str>,
    source_environment: &'a str,
    source_secret_path: &'a str,
    destination_environment: &'a str,
    destination_secret_path: &'a str,
    secret_ids: &'a [String],
    should_overwrite: bool,
}

const MOVE: Routes = Routes::pair("POST /api/v4/secrets/move", "POST /api/v3/secrets/move");

operation! {
    MoveSecrets => MoveOutcome;
    family(Secrets)
    validate(s) {
        s.scope.validate()?;
        require_field("destination_environment", &s.destination_environment)?;
        if s.secret_ids.is_empty() {
            return Err(InvalidRequest::new("secret_ids", "must hold at least one id"));
        }
        s.secret_ids.iter().try_for_each(|id| require_field("secret_ids[]", id))
    }
    request(s, generation) {
        let (project_id, project_slug) = match (generation, &s.project_slug) {
            (ApiGeneration::Current, _) => (Some(s.scope.project_id.as_str()), None),
            (ApiGeneration::Legacy, Some(slug)) if !slug.trim().is_empty() => {
                (None, Some(slug.as_str()))
            }
            (ApiGeneration::Legacy, _) => {
                return Err(InvalidRequest::new(
                    "project_slug",
                    "is required by servers that only have /api/v3/secrets/move; set it too",
                )
                .into())
            }
        };
        MOVE.at(generation).send_json(&MoveBody {
            project_id,
            project_slug,
            source_environment: &s.scope.environment,
            source_secret_path: &s.scope.path,
            destination_environment: &s.destination_environment,
            destination_secret_path: &s.destination_path,
            secret_ids: &s.secret_ids,
            should_overwrite: s.overwrite,
        })
    }
    answer(response) {
        let route = response_route(&response, MOVE.current());
        decode_json(route, response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Operation;

    fn body(request: &http::Request<bytes::Bytes>) -> serde_json::Value {
        serde_json::from_slice(request.body()).unwrap()
    }

    #[test]
    fn moves_name_the_project_as_each_generation_does() {
        let m = MoveSecrets::new("p", "dev", "prod", ["s1", "s2"])
            .path("app/")
            .to_path("/x");
        let v4 = m.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(v4.uri().path(), "/api/v4/secrets/move");
        let b = body(&v4);
        assert_eq!(b["projectId"], "p");
        assert_eq!(b["sourceSecretPath"], "/app");
        assert_eq!(b["destinationSecretPath"], "/x");
        assert_eq!(b["secretIds"], serde_json::json!(["s1", "s2"]));
        assert_eq!(b["shouldOverwrite"], false);
        let err = m.to_http(ApiGeneration::Legacy).unwrap_err();
        assert!(err.to_string().contains("project_slug"), "{err}");
        let v3 = m
            .clone()
            .project_slug("demo")
            .to_http(ApiGeneration::Legacy)
            .unwrap();
        assert_eq!(v3.uri().path(), "/api/v3/secrets/move");
        assert_eq!(body(&v3)["projectSlug"], "demo");
        assert!(body(&v3).get("projectId").is_none());
        let none: [&str; 0] = [];
        assert!(MoveSecrets::new("p", "dev", "prod", none)
            .validate()
            .is_err());
        assert!(MoveSecrets::new("p", "dev", "", ["s"]).validate().is_err());
    }

    #[test]
    fn a_secret_by_id() {
        let get = GetSecretById::new("abc");
        assert_eq!(
            get.to_http(ApiGeneration::Current).unwrap().uri().path(),
            "/api/v4/secrets/id/abc"
        );
        assert_eq!(
            get.to_http(ApiGeneration::Legacy).unwrap().uri().path(),
            "/api/v3/secrets/raw/id/abc"
        );
        assert!(GetSecretById::new("..")
            .to_http(ApiGeneration::Current)
            .is_err());
    }
}
