//! Point-in-time snapshots of folders. After `ee/routes/v1/project-router.ts` (list and
//! count, `/api/v1/workspace/{id}/secret-snapshots[/count]` in both modes and
//! `/api/v1/projects/{id}/...` on current servers: `environment` required, `path` default
//! `/`, `offset` 0, `limit` 20, newest first, 404 `Folder not found` for a missing folder) and
//! `ee/routes/v1/snapshot-router.ts` (get and roll back by id; 404 `Snapshot not found`). The
//! server takes a snapshot of a folder after each change of its secrets through the API. On
//! current servers the roll-back route is deprecated and throws a plain `Error`, which the
//! error handler answers 500 "Something went wrong"; no route is gated by a license.

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::resources::{handler, member_project, project_scoped, Handler, Input};
use crate::state::{Secret, State};
use crate::util::{now_iso, uuid, zod_path};
use crate::validate::Check;

/// A folder's secrets and subfolders at one moment.
#[derive(Clone, Debug)]
pub(crate) struct FolderSnapshot {
    id: String,
    project_id: String,
    env: String,
    path: String,
    folder_id: String,
    created_at: String,
    secrets: Vec<Secret>,
}

/// Takes a snapshot of the folder, after a change through the API.
pub(crate) fn take(state: &mut State, project_id: &str, env: &str, path: &str) {
    let Some(folder) = state.project(project_id).and_then(|p| p.folder(env, path)) else {
        return;
    };
    let snapshot = FolderSnapshot {
        id: uuid(),
        project_id: project_id.to_owned(),
        env: env.to_owned(),
        path: path.to_owned(),
        folder_id: folder.id.clone(),
        created_at: now_iso(),
        secrets: folder.secrets.clone(),
    };
    state.snapshots.push(snapshot);
}

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    if let Some((_, project, rest)) = project_scoped(segs, "secret-snapshots", modern) {
        return match (method, rest) {
            ("GET", [] | [""]) => handler(move |st, i| list(st, &project, i)),
            ("GET", ["count"]) => handler(move |st, i| count(st, &project, i)),
            _ => None,
        };
    }
    match (method, segs) {
        ("GET", ["api", "v1", "secret-snapshot", id]) => {
            let id = id.to_string();
            handler(move |st, _| get(st, &id))
        }
        ("POST", ["api", "v1", "secret-snapshot", id, "rollback"]) => {
            let id = id.to_string();
            handler(move |st, _| {
                if modern {
                    Err(ApiError::Internal)
                } else {
                    roll_back(st, &id)
                }
            })
        }
        _ => None,
    }
}

/// The snapshots of the folder the query names, newest first.
fn of_folder<'a>(
    state: &'a State,
    project: &str,
    input: &Input<'_>,
) -> Result<Vec<&'a FolderSnapshot>, ApiError> {
    let mut c = Check::new();
    let env = c
        .string(input.query, &[], "environment", true, false)
        .unwrap_or_default();
    let path = zod_path(c.string(input.query, &[], "path", false, true).as_deref());
    c.finish()?;
    let project = member_project(state, project)?;
    project
        .folder(&env, &path)
        .ok_or_else(|| ApiError::not_found("Folder not found"))?;
    Ok(state
        .snapshots
        .iter()
        .rev()
        .filter(|s| s.project_id == project.id && s.env == env && s.path == path)
        .collect())
}

fn summary(s: &FolderSnapshot, state: &State) -> Value {
    let env_id = state
        .project(&s.project_id)
        .and_then(|p| p.environments.iter().find(|e| e.slug == s.env))
        .map(|e| e.id.clone());
    json!({
        "id": s.id,
        "envId": env_id,
        "folderId": s.folder_id,
        "parentFolderId": null,
        "createdAt": s.created_at,
        "updatedAt": s.created_at,
    })
}

fn list(state: &mut State, project: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let offset = c
        .coerce_number(input.query, "offset")
        .unwrap_or(0.0)
        .max(0.0) as usize;
    let limit = c
        .coerce_number(input.query, "limit")
        .unwrap_or(20.0)
        .max(0.0) as usize;
    c.finish()?;
    let page: Vec<Value> = of_folder(state, project, input)?
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|s| summary(s, state))
        .collect();
    Ok(json!({ "secretSnapshots": page }))
}

fn count(state: &mut State, project: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    Ok(json!({ "count": of_folder(state, project, input)?.len() }))
}

fn find<'a>(state: &'a State, id: &str) -> Result<&'a FolderSnapshot, ApiError> {
    state
        .snapshots
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| ApiError::not_found("Snapshot not found"))
}

fn get(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let s = find(state, id)?;
    let env = state
        .project(&s.project_id)
        .and_then(|p| p.environments.iter().find(|e| e.slug == s.env));
    let versions: Vec<Value> = s
        .secrets
        .iter()
        .map(|secret| {
            json!({
                "id": format!("{}-v{}", secret.id, secret.version),
                "secretId": secret.id,
                "version": secret.version,
                "secretKey": secret.key,
                "secretValue": secret.value,
                "secretComment": secret.comment,
                "secretReminderNote": secret.reminder_note,
                "secretReminderRepeatDays": secret.reminder_days,
                "skipMultilineEncoding": secret.skip_multiline,
                "createdAt": secret.created_at,
                "updatedAt": secret.updated_at,
                "tags": [],
            })
        })
        .collect();
    Ok(json!({ "secretSnapshot": {
        "id": s.id,
        "projectId": s.project_id,
        "environment": {
            "id": env.map(|e| e.id.clone()),
            "slug": s.env,
            "name": env.map(|e| e.name.clone()),
        },
        "secretVersions": versions,
        "folderVersion": [],
        "createdAt": s.created_at,
        "updatedAt": s.created_at,
    }}))
}

/// The folder's secrets become the snapshot's (changed ones as new versions), then a new
/// snapshot is taken.
fn roll_back(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let snapshot = find(state, id)?.clone();
    let folder = state
        .project_mut(&snapshot.project_id)
        .and_then(|p| p.folder_mut(&snapshot.env, &snapshot.path))
        .ok_or_else(|| ApiError::not_found("Folder not found"))?;
    let mut restored = Vec::new();
    for old in &snapshot.secrets {
        match folder.secrets.iter().find(|s| s.id == old.id) {
            Some(now) if now.value == old.value && now.key == old.key => restored.push(now.clone()),
            Some(now) => {
                let mut back = now.clone();
                back.key.clone_from(&old.key);
                back.value.clone_from(&old.value);
                back.comment.clone_from(&old.comment);
                back.bump();
                restored.push(back);
            }
            None => restored.push(old.clone()),
        }
    }
    folder.secrets = restored;
    take(state, &snapshot.project_id, &snapshot.env, &snapshot.path);
    Ok(json!({ "secretSnapshot": summary(&snapshot, state) }))
}
