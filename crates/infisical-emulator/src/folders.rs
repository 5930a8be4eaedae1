//! Folders: `/api/v1/folders` (`workspaceId`; batch update by `projectSlug`) and, on modern
//! servers, `/api/v2/folders` (`projectId`, recursive lists, descriptions). After
//! `server/routes/v1/secret-folder-router.ts`, `server/routes/v2/secret-folder-router.ts` and
//! `services/secret-folder/secret-folder-service.ts`.

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::resources::{
    handler, member_project, member_project_mut, slash_path, Gen, Handler, Input,
};
use crate::state::{Environment, Folder, State};
use crate::tree::{child, children, folder_json, join, name_of, path_of_id, remove, rename};
use crate::util::lookup_path;
use crate::validate::Check;
use crate::ServerMode;

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let (gen, rest) = match segs {
        ["api", "v1", "folders", rest @ ..] => (Gen::Old, rest),
        ["api", "v2", "folders", rest @ ..] if modern => (Gen::New, rest),
        _ => return None,
    };
    let arg = rest.first().map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("GET", [] | [""]) => handler(move |st, i| list(st, gen, i)),
        ("POST", [] | [""]) => handler(move |st, i| create(st, gen, i)),
        ("PATCH", ["batch"]) => handler(move |st, i| batch(st, gen, i)),
        ("GET", [_]) => handler(move |st, _| get(st, &arg)),
        ("PATCH", [_]) => handler(move |st, i| update(st, gen, &arg, i)),
        ("DELETE", [_]) => handler(move |st, i| delete(st, gen, &arg, i)),
        _ => None,
    }
}

fn modern(state: &State) -> bool {
    state.settings.mode != ServerMode::Legacy
}

/// The 404 for an environment slug the project lacks (the message changed after 2024).
fn env_not_found(state: &State, slug: &str, name: &str) -> ApiError {
    if modern(state) {
        ApiError::not_found(format!("Environment with slug '{slug}' not found"))
    } else {
        ApiError::not_found_named(name, "Environment not found")
    }
}

/// Project, environment and parent path of a folder request.
struct Target {
    project_id: String,
    env: String,
    path: String,
}

/// Reads the target; the newer list route alone requires `path`.
fn target(c: &mut Check, m: &Map<String, Value>, gen: Gen, path_required: bool) -> Target {
    let project_id = c.string(m, &[], gen.project_param(), true, true);
    let env = c.string(m, &[], "environment", true, true);
    let path = c.string(m, &[], "path", path_required, true);
    // The old routes also take `directory` (the CLI's name for it).
    let directory = c.string(m, &[], "directory", false, true);
    Target {
        project_id: project_id.unwrap_or_default(),
        env: env.unwrap_or_default(),
        path: slash_path(path.or(directory).as_deref()),
    }
}

/// The environment of a target, or the 403/404 the service answers.
fn env_of<'a>(state: &'a State, t: &Target, name: &str) -> Result<&'a Environment, ApiError> {
    member_project(state, &t.project_id)?
        .env(&t.env)
        .ok_or_else(|| env_not_found(state, &t.env, name))
}

fn env_mut<'a>(state: &'a mut State, t: &Target) -> Result<&'a mut Environment, ApiError> {
    member_project_mut(state, &t.project_id)?
        .env_mut(&t.env)
        .ok_or(ApiError::Internal)
}

/// The parent folder's canonical path, or 404 "Secret path not found".
fn parent(env: &Environment, path: &str) -> Result<String, ApiError> {
    lookup_path(path)
        .filter(|p| env.folders.contains_key(p))
        .ok_or_else(|| ApiError::not_found("Secret path not found"))
}

/// A folder object of the answers to writes: modern routes add the folder's `path`.
fn answer(state: &State, gen: Gen, env: &Environment, path: &str) -> Value {
    let mut v = folder_json(env, path, &env.folders[path], modern(state));
    if gen == Gen::New {
        v["path"] = json!(path);
    }
    v
}

/// `GET /api/v{1,2}/folders`.
fn list(state: &mut State, gen: Gen, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let t = target(&mut c, input.query, gen, gen == Gen::New);
    let recursive = gen == Gen::New && c.query_bool(input.query, "recursive", false);
    c.finish()?;
    let env = env_of(state, &t, "get folders")?;
    let Some(parent) = lookup_path(&t.path).filter(|p| env.folders.contains_key(p)) else {
        return Ok(json!({ "folders": [] }));
    };
    let folders: Vec<Value> = if recursive {
        env.folders
            .iter()
            .filter(|(p, _)| **p != parent && crate::tree::is_within(p, &parent))
            .map(|(p, f)| {
                let mut v = folder_json(env, p, f, modern(state));
                let relative = if parent == "/" {
                    p.as_str()
                } else {
                    &p[parent.len()..]
                };
                v["relativePath"] = json!(relative);
                v
            })
            .collect()
    } else {
        children(env, &parent)
            .iter()
            .map(|p| folder_json(env, p, &env.folders[p], modern(state)))
            .collect()
    };
    Ok(json!({ "folders": folders }))
}

/// `GET /api/v{1,2}/folders/{id}`.
fn get(state: &mut State, id: &str) -> Result<Value, ApiError> {
    for project in &state.projects {
        for env in &project.environments {
            if let Some(path) = path_of_id(env, id.trim()) {
                let mut v = folder_json(env, &path, &env.folders[&path], modern(state));
                v["environment"] =
                    json!({"envId": env.id, "envName": env.name, "envSlug": env.slug});
                v["path"] = json!(path);
                v["projectId"] = json!(project.id);
                return Ok(json!({ "folder": v }));
            }
        }
    }
    Err(if modern(state) {
        ApiError::not_found(format!("Folder with ID '{}' not found", id.trim()))
    } else {
        ApiError::not_found("Folder not found")
    })
}

/// `name`, validated as the newer routes do (`isValidFolderName`).
fn folder_name(c: &mut Check, m: &Map<String, Value>, gen: Gen) -> String {
    let name = c.string(m, &[], "name", true, true).unwrap_or_default();
    let valid = name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
    if gen == Gen::New && m.get("name").is_some_and(Value::is_string) && (!valid || name.is_empty())
    {
        c.custom(
            &["name"],
            "Invalid folder name. Only alphanumeric characters, dashes, and underscores are allowed.",
        );
    }
    name
}

/// The body of create and update: the target, `name` and (newer routes) `description`.
fn named_body(
    gen: Gen,
    input: &Input<'_>,
) -> Result<(Target, String, Option<Option<String>>), ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let t = target(&mut c, m, gen, false);
    let name = folder_name(&mut c, m, gen);
    let description = (gen == Gen::New)
        .then(|| c.nullable_string(m, &[], "description"))
        .flatten();
    c.finish()?;
    Ok((t, name, description))
}

/// `POST /api/v{1,2}/folders`: idempotent, creates missing parents.
fn create(state: &mut State, gen: Gen, input: &Input<'_>) -> Result<Value, ApiError> {
    let (t, name, description) = named_body(gen, input)?;
    env_of(state, &t, "Create folder")?;
    let path = join(
        &lookup_path(&t.path).unwrap_or_else(|| t.path.clone()),
        &name,
    );
    let env = env_mut(state, &t)?;
    if !env.folders.contains_key(&path) {
        let folder = env.ensure_folder(&path);
        folder.description = description.flatten();
    }
    let env = env_of(state, &t, "Create folder")?;
    Ok(json!({ "folder": answer(state, gen, env, &path) }))
}

/// `PATCH /api/v{1,2}/folders/{folderId}`: renames (the id may also be the folder's name).
fn update(state: &mut State, gen: Gen, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let (t, name, description) = named_body(gen, input)?;
    let env = env_of(state, &t, "Update folder")?;
    let path = checked_rename(env, &t.path, id, &name, "Update folder")?;
    let env = env_mut(state, &t)?;
    let new_path = rename(env, &path, &name);
    if let (Some(d), Some(folder)) = (description, env.folders.get_mut(&new_path)) {
        folder.description = d;
    }
    let env = env_of(state, &t, "Update folder")?;
    Ok(json!({ "folder": answer(state, gen, env, &new_path) }))
}

/// The folder a rename applies to, after the service's checks.
fn checked_rename(
    env: &Environment,
    parent_path: &str,
    id: &str,
    name: &str,
    error_name: &str,
) -> Result<String, ApiError> {
    let parent = parent(env, parent_path)?;
    let path = child(env, &parent, id).ok_or_else(|| ApiError::not_found("Folder not found"))?;
    if name_of(&path) != name && env.folders.contains_key(&join(&parent, name)) {
        return Err(ApiError::Handled {
            status: 400,
            name: error_name.into(),
            message: "Folder with specified name already exists".into(),
        });
    }
    Ok(path)
}

/// `PATCH /api/v{1,2}/folders/batch`: all renames or none.
fn batch(state: &mut State, gen: Gen, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let project = match gen {
        Gen::Old => c.string(m, &[], "projectSlug", true, true),
        Gen::New => c.string(m, &[], "projectId", true, true),
    };
    let mut items = Vec::new();
    for (i, item) in c.object_array(m, "folders") {
        let prefix = [json!("folders"), json!(i)];
        let id = c
            .string(item, &prefix, "id", true, false)
            .unwrap_or_default();
        let env = c
            .string(item, &prefix, "environment", true, true)
            .unwrap_or_default();
        let name = c
            .string(item, &prefix, "name", true, true)
            .unwrap_or_default();
        let path = slash_path(c.string(item, &prefix, "path", false, true).as_deref());
        items.push((id, env, name, path));
    }
    c.finish()?;
    let project = project.unwrap_or_default();
    let project_id = match gen {
        Gen::Old => state
            .project_by_slug(&project)
            .map(|p| p.id.clone())
            .ok_or_else(|| ApiError::not_found("Project not found"))?,
        Gen::New => member_project(state, &project)?.id.clone(),
    };
    let mut plan = Vec::new();
    for (id, env_slug, name, path) in &items {
        let t = Target {
            project_id: project_id.clone(),
            env: env_slug.clone(),
            path: path.clone(),
        };
        let env = env_of(state, &t, "Batch update folder")?;
        plan.push((
            t,
            checked_rename(env, path, id, name, "Batch update folder")?,
            name,
        ));
    }
    let mut folders = Vec::new();
    for (t, path, name) in plan {
        let new_path = rename(env_mut(state, &t)?, &path, name);
        let env = env_of(state, &t, "Batch update folder")?;
        folders.push(folder_json(
            env,
            &new_path,
            &env.folders[&new_path],
            modern(state),
        ));
    }
    Ok(json!({ "folders": folders }))
}

/// `DELETE /api/v{1,2}/folders/{folderIdOrName}`.
fn delete(state: &mut State, gen: Gen, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let t = target(&mut c, m, gen, false);
    c.finish()?;
    let env = env_of(state, &t, "Create folder")?;
    let parent = parent(env, &t.path)?;
    let path = child(env, &parent, id)
        .ok_or_else(|| ApiError::not_found_named("Delete folder", "Folder not found"))?;
    let json = folder_json(env, &path, &env.folders[&path], modern(state));
    let removed: Option<Folder> = remove(env_mut(state, &t)?, &path);
    removed.ok_or(ApiError::Internal)?;
    Ok(json!({ "folder": json }))
}
