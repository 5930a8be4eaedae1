//! Reading secrets: `GET /api/v3/secrets/raw[/{name}]`, `GET /api/v4/secrets[/{name}]`.
//! After `server/routes/v3/secret-router.ts`, `server/routes/v4/secret-router.ts` and
//! `getSecrets` / `getSecretByName` of `services/secret-v2-bridge/secret-v2-bridge-service.ts`.

use serde::Serialize;
use serde_json::{json, Map, Value};
use std::borrow::Cow;

use crate::errors::ApiError;
use crate::expand::Expander;
use crate::imports::{entries_json, imported_shape, resolve};
use crate::state::{Folder, Project, State};
use crate::util::{lookup_path, zod_path};
use crate::validate::Check;
use crate::wire::{secret_json, Api, SecretObject, Shape};
use crate::ServerMode;

/// The project, or the 404 the server's bot-key lookup answers.
pub(crate) fn project<'a>(state: &'a State, id: &str) -> Result<&'a Project, ApiError> {
    state.project(id).ok_or_else(|| {
        ApiError::not_found(
            "Project not found during bot lookup. Are you sure you are using the correct project ID?",
        )
    })
}

/// The 404 for a folder (or environment) that does not exist; the server overrides the error
/// name at each call site (`"Create secret"`, `"UpdateSecret"`, ...).
pub(crate) fn folder_not_found(name: &str) -> ApiError {
    ApiError::not_found_named(
        name,
        "Folder not found for the given environment slug & secret path",
    )
}

/// The folder at the (zod-normalised) `path`, if it exists exactly there.
pub(crate) fn find_folder<'a>(project: &'a Project, env: &str, path: &str) -> Option<&'a Folder> {
    lookup_path(path).and_then(|p| project.folder(env, &p))
}

fn legacy(state: &State) -> bool {
    state.settings.mode == ServerMode::Legacy
}

/// `GET .../secrets` (list).
/// The answer is JSON text: see [`BodyKind::JsonText`](crate::resources::BodyKind).
pub(crate) fn list(state: &State, api: Api, q: &Map<String, Value>) -> Result<String, ApiError> {
    let mut c = Check::new();
    let mut project_id = c.string(q, &[], api.project_param(), false, true);
    let slug = match api {
        Api::V3 => c.string(q, &[], "workspaceSlug", false, true),
        Api::V4 => None,
    };
    let environment = c.string(q, &[], "environment", false, true);
    let path = zod_path(c.string(q, &[], "secretPath", false, true).as_deref());
    let view = api == Api::V3 || c.query_bool(q, "viewSecretValue", true);
    let expand = c.query_bool(q, "expandSecretReferences", false);
    let recursive = c.query_bool(q, "recursive", false);
    let include_imports = c.query_bool(q, "include_imports", false);
    let tag_slugs: Vec<String> = c
        .string(q, &[], "tagSlugs", false, false)
        .map(|s| {
            s.split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let metadata_filter = if legacy(state) {
        Vec::new()
    } else {
        c.string(q, &[], "metadataFilter", false, true)
            .map(|text| crate::metadata::parse_filter(&mut c, &text))
            .unwrap_or_default()
    };
    c.finish()?;

    if let (None, Some(slug)) = (&project_id, &slug) {
        let p = state
            .project_by_slug(slug)
            .ok_or_else(|| ApiError::not_found(format!("No project found with slug {slug}")))?;
        project_id = Some(p.id.clone());
    }
    let (Some(project_id), Some(env)) = (
        project_id.filter(|s| !s.is_empty()),
        environment.filter(|s| !s.is_empty()),
    ) else {
        return Err(ApiError::bad_request(match api {
            Api::V3 => "Missing workspace id or environment",
            Api::V4 => "Missing project id or environment",
        }));
    };
    let project = project(state, &project_id)?;

    // (display path, folder) pairs to list.
    let folders: Vec<(String, &Folder)> = if recursive {
        // The server throws a plain Error here, which its error handler answers with a 500.
        let environment = project.env(&env).ok_or(ApiError::Internal)?;
        let prefix = if path == "/" { "" } else { path.as_str() };
        environment
            .folders
            .iter()
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(p, f)| (p.clone(), f))
            .collect()
    } else {
        match find_folder(project, &env, &path) {
            Some(f) => vec![(path.clone(), f)],
            // `getSecrets` returns `{ secrets: [], imports: [] }` for a missing folder.
            None => return Ok(r#"{"secrets":[],"imports":[]}"#.to_owned()),
        }
    };

    let expander = Expander {
        project,
        legacy: legacy(state),
    };
    let tag_ids: Vec<String> = project
        .tags
        .iter()
        .filter(|t| tag_slugs.contains(&t.slug))
        .map(|t| t.id.clone())
        .collect();
    let shapes: Vec<Shape> = folders
        .iter()
        .map(|(display, _)| Shape {
            secret_path: Some(display.clone()),
            tags: true,
            tag_filter: (!tag_slugs.is_empty()).then(|| tag_ids.clone()),
            timestamps: true,
            reminders: true,
            value_hidden: (api == Api::V4).then_some(!view),
            metadata: api == Api::V4,
            workspace: None,
            null_metadata: legacy(state),
            rotation: !legacy(state),
        })
        .collect();
    let mut secrets = Vec::new();
    for ((display, folder), shape) in folders.iter().zip(&shapes) {
        for s in &folder.secrets {
            if !tag_slugs.is_empty() && !s.tags.iter().any(|t| tag_ids.contains(t)) {
                continue;
            }
            if !crate::metadata::matches(s, &metadata_filter) {
                continue;
            }
            let value = if expand {
                Cow::Owned(expander.expand(&env, display, &s.key, &s.value, s.skip_multiline))
            } else {
                Cow::Borrowed(s.value.as_str())
            };
            secrets.push(SecretObject {
                project,
                environment: &env,
                secret: s,
                value,
                comment: &s.comment,
                shape,
            });
        }
    }
    // Newer servers' v4 list always has `imports` (recorded).
    let mut imports = (api == Api::V4 && !legacy(state)).then(|| json!([]));
    if include_imports {
        let declared: Vec<_> = folders
            .iter()
            .flat_map(|(_, f)| f.imports.iter().map(|i| (f.id.clone(), i.clone())))
            .collect();
        // October 2024 servers expand imported secrets whether or not expansion was asked for.
        let expand_imports = expand || legacy(state);
        let entries = resolve(project, &declared, expand_imports.then_some(&expander));
        imports = Some(entries_json(
            project,
            &entries,
            &imported_shape(api, legacy(state)),
        ));
    }
    serde_json::to_string(&ListAnswer { secrets, imports }).map_err(|_| ApiError::Internal)
}

/// A list answer, written without building a [`Value`] of its secrets.
#[derive(Serialize)]
struct ListAnswer<'a> {
    secrets: Vec<SecretObject<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    imports: Option<Value>,
}

/// `GET .../secrets/{name}`.
pub(crate) fn get(
    state: &State,
    api: Api,
    name: &str,
    q: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let name = name.trim();
    let mut c = Check::new();
    // v4 requires `projectId` in its schema; v3 takes `workspaceId` or `workspaceSlug`.
    let project_id = c.string(q, &[], api.project_param(), api == Api::V4, true);
    let slug = match api {
        Api::V3 => c.string(q, &[], "workspaceSlug", false, true),
        Api::V4 => None,
    };
    let environment = c.string(q, &[], "environment", false, true);
    let path = zod_path(c.string(q, &[], "secretPath", false, true).as_deref());
    let version = c.coerce_number(q, "version");
    let kind = c.one_of(q, &[], "type", &["shared", "personal"], "shared");
    let view = api == Api::V3 || c.query_bool(q, "viewSecretValue", true);
    let expand = c.query_bool(q, "expandSecretReferences", false);
    let include_imports = c.query_bool(q, "include_imports", false);
    c.finish()?;

    let Some(env) = environment.filter(|e| !e.is_empty()) else {
        return Err(ApiError::bad_request("Missing environment"));
    };
    let project = match (project_id.filter(|p| !p.is_empty()), slug) {
        (Some(id), _) => project(state, &id)?,
        // `(await projectDAL.findProjectBySlug(slug)).id` throws a TypeError when missing.
        (None, Some(slug)) => state.project_by_slug(&slug).ok_or(ApiError::Internal)?,
        (None, None) => {
            return Err(ApiError::bad_request(match api {
                Api::V3 => "You must provide workspaceSlug or workspaceId",
                Api::V4 => "You must provide  workspaceId",
            }))
        }
    };
    let folder =
        find_folder(project, &env, &path).ok_or_else(|| folder_not_found("Create secret"))?;
    let expander = Expander {
        project,
        legacy: legacy(state),
    };
    let shape = Shape {
        secret_path: (api == Api::V4).then(|| path.clone()),
        tags: true,
        timestamps: true,
        reminders: true,
        value_hidden: (api == Api::V4).then_some(!view),
        metadata: api == Api::V4,
        null_metadata: legacy(state),
        ..Shape::default()
    };

    // Machine identities own no personal secrets, so a personal lookup finds nothing.
    let found = if kind == "personal" {
        None
    } else {
        match version {
            None => folder.secret(name).cloned(),
            // The October 2024 server's version lookup does not filter by `version`
            // (`secret-v2-bridge-service.ts`, fork 09d28156): it answers the secret as it is
            // now (recorded: version 1 asked, version 3 answered).
            Some(_) if legacy(state) => folder.secret(name).cloned(),
            Some(v) if v.fract() == 0.0 && v >= 0.0 => folder
                .secrets
                .iter()
                .find(|s| s.history.iter().any(|h| h.key == name) || s.key == name)
                .and_then(|s| s.at_version(v as u64))
                .filter(|s| s.key == name),
            Some(_) => None,
        }
    };
    if let Some(secret) = found {
        let value = if expand && !secret.value.is_empty() {
            expander.expand(
                &env,
                &path,
                &secret.key,
                &secret.value,
                secret.skip_multiline,
            )
        } else {
            secret.value.clone()
        };
        return Ok(
            json!({ "secret": secret_json(project, &env, &secret, &value, &secret.comment, &shape) }),
        );
    }
    if include_imports {
        let declared: Vec<_> = folder
            .imports
            .iter()
            .map(|i| (folder.id.clone(), i.clone()))
            .collect();
        let entries = resolve(project, &declared, expand.then_some(&expander));
        // Later imports win: search from the last one.
        for entry in entries.iter().rev() {
            if let Some(s) = entry.secrets.iter().find(|s| s.secret.key == name) {
                let shape = Shape {
                    secret_path: (api == Api::V4).then(|| entry.path.clone()),
                    tags: !legacy(state),
                    rotation: !legacy(state),
                    ..shape
                };
                return Ok(json!({
                    "secret": secret_json(project, &entry.environment, &s.secret, &s.value, &s.secret.comment, &shape)
                }));
            }
        }
    }
    Err(if legacy(state) {
        ApiError::not_found("Secret not found")
    } else {
        ApiError::not_found(format!("Secret with name '{name}' not found"))
    })
}
