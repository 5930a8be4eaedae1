//! A secret by id, and moving secrets. After upstream `server/routes/v4/secret-router.ts`
//! (`GET /api/v4/secrets/id/:secretId`, `POST /api/v4/secrets/move` with `projectId`) and
//! `v3/deprecated-secret-router.ts` (`GET /api/v3/secrets/raw/id/:secretId`,
//! `POST /api/v3/secrets/move` with `projectSlug`), and the bridge service's `moveSecrets`.
//! The October 2024 server (fork `leachtucker/infisical` 09d28156) has only the v3 move route:
//! in legacy mode the others are fastify's 404.

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::resources::{handler, Handler, Input};
use crate::state::{Secret, State};
use crate::util::zod_path;
use crate::validate::Check;
use crate::wire::{secret_json, Shape};

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    match (method, segs) {
        ("GET", ["api", "v4", "secrets", "id", id] | ["api", "v3", "secrets", "raw", "id", id])
            if modern =>
        {
            let id = id.to_string();
            handler(move |st, _| by_id(st, &id))
        }
        ("POST", ["api", "v4", "secrets", "move"]) if modern => {
            handler(|st, i| move_secrets(st, i, true))
        }
        ("POST", ["api", "v3", "secrets", "move"]) => handler(|st, i| move_secrets(st, i, false)),
        _ => None,
    }
}

/// `{secret}` with its `secretPath`, tags and metadata; the value as stored (not expanded).
fn by_id(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let found = state.projects.iter().find_map(|project| {
        project.environments.iter().find_map(|env| {
            env.folders.iter().find_map(|(path, folder)| {
                folder
                    .secrets
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| (project, env.slug.clone(), path.clone(), s))
            })
        })
    });
    let (project, env, path, secret) =
        found.ok_or_else(|| ApiError::not_found(format!("Secret with ID '{id}' not found")))?;
    let shape = Shape {
        secret_path: Some(path),
        tags: true,
        timestamps: true,
        reminders: true,
        value_hidden: Some(false),
        metadata: true,
        ..Shape::default()
    };
    Ok(
        json!({ "secret": secret_json(project, &env, secret, &secret.value, &secret.comment, &shape) }),
    )
}

/// Moves secrets by id; the destination's same-named secrets are overwritten only when asked.
fn move_secrets(state: &mut State, input: &Input<'_>, v4: bool) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let project_ref = c.string(
        m,
        &[],
        if v4 { "projectId" } else { "projectSlug" },
        true,
        false,
    );
    let from_env = c.string(m, &[], "sourceEnvironment", true, false);
    let from_path = zod_path(c.string(m, &[], "sourceSecretPath", false, true).as_deref());
    let to_env = c.string(m, &[], "destinationEnvironment", true, false);
    let to_path = zod_path(
        c.string(m, &[], "destinationSecretPath", false, true)
            .as_deref(),
    );
    let ids = c.string_array(m, &[], "secretIds");
    if ids.is_none() {
        c.custom(&["secretIds"], "Required");
    }
    let overwrite = c.boolean(m, &[], "shouldOverwrite", false).unwrap_or(false);
    c.finish()?;
    let (project_ref, from_env, to_env, ids) = (
        project_ref.unwrap_or_default(),
        from_env.unwrap_or_default(),
        to_env.unwrap_or_default(),
        ids.unwrap_or_default(),
    );
    let project_id = if v4 {
        crate::resources::member_project(state, &project_ref)?
            .id
            .clone()
    } else {
        state
            .project_by_slug(&project_ref)
            .map(|p| p.id.clone())
            .ok_or_else(|| {
                ApiError::not_found(format!("Project with slug '{project_ref}' not found"))
            })?
    };
    let project = state.project(&project_id).ok_or(ApiError::Internal)?;
    let source = project.folder(&from_env, &from_path).ok_or_else(|| {
        ApiError::not_found(format!(
            "Source folder with path '{from_path}' in environment with slug '{from_env}' not found"
        ))
    })?;
    let destination = project.folder(&to_env, &to_path).ok_or_else(|| {
        ApiError::not_found(format!(
            "Destination folder with path '{to_path}' in environment with slug '{to_env}' not found"
        ))
    })?;
    let moving: Vec<Secret> = source
        .secrets
        .iter()
        .filter(|s| ids.contains(&s.id))
        .cloned()
        .collect();
    if moving.len() != ids.len() {
        return Err(ApiError::bad_request("Invalid secrets"));
    }
    let clashes: Vec<&str> = moving
        .iter()
        .filter(|s| {
            destination
                .secret(&s.key)
                .is_some_and(|d| d.value != s.value)
        })
        .map(|s| s.key.as_str())
        .collect();
    if !clashes.is_empty() && !overwrite {
        return Err(ApiError::bad_request(format!(
            "Failed to move secrets. The following secrets already exist in the destination: {}",
            clashes.join(",")
        )));
    }
    let project = state.project_mut(&project_id).ok_or(ApiError::Internal)?;
    let destination = project
        .folder_mut(&to_env, &to_path)
        .ok_or(ApiError::Internal)?;
    for secret in &moving {
        match destination.secret_mut(&secret.key) {
            Some(existing) if existing.value != secret.value => {
                existing.value.clone_from(&secret.value);
                existing.comment.clone_from(&secret.comment);
                existing.bump();
            }
            Some(_) => {}
            None => {
                let mut copy = Secret::new(&secret.key, &secret.value, &secret.comment);
                copy.skip_multiline = secret.skip_multiline;
                copy.tags.clone_from(&secret.tags);
                destination.secrets.push(copy);
            }
        }
    }
    let source = project
        .folder_mut(&from_env, &from_path)
        .ok_or(ApiError::Internal)?;
    source.secrets.retain(|s| !ids.contains(&s.id));
    crate::snapshots::take(state, &project_id, &from_env, &from_path);
    crate::snapshots::take(state, &project_id, &to_env, &to_path);
    Ok(json!({ "isSourceUpdated": true, "isDestinationUpdated": true }))
}
