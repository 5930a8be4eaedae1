//! The route table of the resources beyond secrets (folders, environments, projects, tags,
//! secret imports, ...): each resource module matches its own routes and answers a [`Handler`].
//! Helpers they share: the project lookup of the permission service, the folder path rules.

use serde_json::{Map, Value};

use crate::errors::ApiError;
use crate::state::{Project, State};
use crate::{
    dynamic_secrets, environments, folders, history, identities, identity_memberships, kms, pki,
    projects, secret_imports, snapshots, tags, token_auth, ServerMode,
};

/// What a handler reads: the query (as an object) and the JSON body.
pub(crate) struct Input<'a> {
    pub(crate) query: &'a Map<String, Value>,
    pub(crate) body: Option<&'a Value>,
    /// The caller's identity id, when authenticated.
    pub(crate) actor: Option<&'a str>,
}

/// What a route does with the state and the request.
pub(crate) type Run = Box<dyn FnOnce(&mut State, &Input<'_>) -> Result<Value, ApiError>>;

/// A matched route, ready to run against the state.
pub(crate) struct Handler {
    pub(crate) run: Run,
    /// How the handler's answer goes on the wire.
    pub(crate) body: BodyKind,
}

/// How a handler's answer goes on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Json,
    /// Plain text: the handler's `Value::String`, as is.
    Text,
    /// Bytes (`application/octet-stream`): the handler's `Value::String` is their base64.
    Binary,
    /// JSON already written: the handler's `Value::String` is the text (large answers,
    /// written without a `serde_json::Value` tree).
    JsonText,
}

/// A handler answering JSON.
pub(crate) fn handler(
    f: impl FnOnce(&mut State, &Input<'_>) -> Result<Value, ApiError> + 'static,
) -> Option<Handler> {
    Some(Handler {
        run: Box::new(f),
        body: BodyKind::Json,
    })
}

/// A handler answering plain text (it returns a `Value::String`).
pub(crate) fn text_handler(
    f: impl FnOnce(&mut State, &Input<'_>) -> Result<Value, ApiError> + 'static,
) -> Option<Handler> {
    Some(Handler {
        run: Box::new(f),
        body: BodyKind::Text,
    })
}

/// A handler answering bytes (it returns their base64 as a `Value::String`).
pub(crate) fn binary_handler(
    f: impl FnOnce(&mut State, &Input<'_>) -> Result<Value, ApiError> + 'static,
) -> Option<Handler> {
    Some(Handler {
        run: Box::new(f),
        body: BodyKind::Binary,
    })
}

/// Which generation of a resource's routes a request came in on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Gen {
    /// The October 2024 routes (`workspaceId`, `/api/v1/workspace`, ...).
    Old,
    /// The newer routes (`projectId`, `/api/v2/folders`, `/api/v1/projects`, ...).
    New,
}

impl Gen {
    /// The name of the project parameter.
    pub(crate) fn project_param(self) -> &'static str {
        match self {
            Gen::Old => "workspaceId",
            Gen::New => "projectId",
        }
    }
}

/// The handler of a resource route, if `segs` (decoded path segments) name one this server has.
pub(crate) fn route(method: &str, segs: &[&str], mode: ServerMode) -> Option<Handler> {
    let modern = mode != ServerMode::Legacy;
    folders::route(method, segs, modern)
        .or_else(|| environments::route(method, segs, modern))
        .or_else(|| projects::route(method, segs, modern))
        .or_else(|| tags::route(method, segs, modern))
        .or_else(|| secret_imports::route(method, segs, modern))
        .or_else(|| dynamic_secrets::route(method, segs))
        .or_else(|| kms::route(method, segs, modern))
        .or_else(|| pki::route(method, segs, modern))
        .or_else(|| history::route(method, segs))
        .or_else(|| snapshots::route(method, segs, modern))
        .or_else(|| identities::route(method, segs, modern))
        .or_else(|| identity_memberships::route(method, segs, modern))
        .or_else(|| token_auth::route(method, segs, modern))
        .or_else(|| crate::approval_requests::route(method, segs, modern))
        .or_else(|| crate::approval_policies::route(method, segs, modern))
        .or_else(|| crate::access_requests::route(method, segs, modern))
        .or_else(|| crate::access_policies::route(method, segs))
        .or_else(|| crate::cert_manager::route(method, segs, modern))
}

/// Matches `/api/v1/workspace/{project}/{kind}/...` (every server) and, on modern servers,
/// `/api/v1/projects/{project}/{kind}/...`: the generation, the project and the rest.
pub(crate) fn project_scoped<'a>(
    segs: &'a [&'a str],
    kind: &str,
    modern: bool,
) -> Option<(Gen, String, &'a [&'a str])> {
    match segs {
        ["api", "v1", "workspace", project, k, rest @ ..] if *k == kind => {
            Some((Gen::Old, project.to_string(), rest))
        }
        ["api", "v1", "projects", project, k, rest @ ..] if *k == kind && modern => {
            Some((Gen::New, project.to_string(), rest))
        }
        _ => None,
    }
}

/// The project, as the permission service finds it: a project the caller is not a member of
/// (here: one that does not exist) is 403 "Identity is not a member of the specified project".
pub(crate) fn member_project<'a>(state: &'a State, id: &str) -> Result<&'a Project, ApiError> {
    state.project(id).ok_or_else(not_a_member)
}

/// [`member_project`], for changing it.
pub(crate) fn member_project_mut<'a>(
    state: &'a mut State,
    id: &str,
) -> Result<&'a mut Project, ApiError> {
    state.project_mut(id).ok_or_else(not_a_member)
}

/// 403: the caller is not a member of the project (or it does not exist).
pub(crate) fn not_a_member() -> ApiError {
    ApiError::forbidden(
        "Identity is not a member of the specified project",
        "You are not allowed to access this resource",
    )
}

/// The folder-route path rule: trimmed, prefixed with `/`, one trailing `/` dropped
/// (`prefixWithSlash` + `removeTrailingSlash`).
pub(crate) fn slash_path(raw: Option<&str>) -> String {
    let p = raw.unwrap_or("/").trim();
    let p = if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    };
    match p.strip_suffix('/') {
        Some(stripped) if !stripped.is_empty() => stripped.to_string(),
        _ => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_paths_are_slashed() {
        assert_eq!(slash_path(None), "/");
        assert_eq!(slash_path(Some(" app/ ")), "/app");
        assert_eq!(slash_path(Some("/")), "/");
        assert_eq!(slash_path(Some("/a/b")), "/a/b");
    }
}
