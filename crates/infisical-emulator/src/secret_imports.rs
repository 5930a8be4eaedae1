//! Secret imports: `/api/v1/secret-imports` (`workspaceId`; imported secrets at `/secrets/raw`)
//! and, on modern servers, `/api/v2/secret-imports` (`projectId`; imported secrets at
//! `/secrets`). After `server/routes/v1/secret-import-router.ts`,
//! `server/routes/v2/secret-import-router.ts` and
//! `services/secret-import/secret-import-service.ts`.

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::imports::{entries_json, imported_shape, resolve};
use crate::resources::{handler, member_project, member_project_mut, Gen, Handler, Input};
use crate::state::{Folder, Import, Project, State};
use crate::util::{lookup_path, move_to, now_iso, zod_path};
use crate::validate::Check;
use crate::wire::{Api, Shape};

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let (gen, rest) = match segs {
        ["api", "v1", "secret-imports", rest @ ..] => (Gen::Old, rest),
        ["api", "v2", "secret-imports", rest @ ..] if modern => (Gen::New, rest),
        _ => return None,
    };
    let id = rest.first().map(|s| s.to_string()).unwrap_or_default();
    match (method, gen, rest) {
        ("GET", _, [] | [""]) => handler(move |st, i| list(st, gen, i)),
        ("POST", _, [] | [""]) => handler(move |st, i| create(st, gen, i)),
        ("GET", Gen::Old, ["secrets", "raw"]) | ("GET", Gen::New, ["secrets"]) => {
            handler(move |st, i| imported_secrets(st, gen, i))
        }
        // The October 2024 `GET /secrets` answers encrypted secrets, which the emulator lacks.
        ("GET", Gen::Old, ["secrets"]) => None,
        ("GET", _, [_]) => handler(move |st, _| get(st, &id)),
        ("PATCH", _, [_]) => handler(move |st, i| update(st, gen, &id, i)),
        ("DELETE", _, [_]) => handler(move |st, i| delete(st, gen, &id, i)),
        _ => None,
    }
}

/// Project, environment and path of the importing folder.
struct Target {
    project_id: String,
    env: String,
    path: String,
}

fn target(c: &mut Check, m: &Map<String, Value>, gen: Gen) -> Target {
    let project_id = c.string(m, &[], gen.project_param(), true, true);
    let env = c.string(m, &[], "environment", true, true);
    let path = zod_path(c.string(m, &[], "path", false, true).as_deref());
    Target {
        project_id: project_id.unwrap_or_default(),
        env: env.unwrap_or_default(),
        path,
    }
}

/// The importing folder's canonical path, or 404 "Folder not found" (named by the caller).
fn folder_path(project: &Project, t: &Target, name: &str) -> Result<String, ApiError> {
    lookup_path(&t.path)
        .filter(|p| project.folder(&t.env, p).is_some())
        .ok_or_else(|| ApiError::not_found_named(name, "Folder not found"))
}

/// `SecretImportsSchema` with `importEnv` expanded; position is 1-based.
fn import_json(project: &Project, folder: &Folder, at: usize) -> Value {
    let import = &folder.imports[at];
    let env = project.env(&import.environment);
    json!({
        "id": import.id,
        "version": 1,
        "importPath": import.path,
        "position": at + 1,
        "createdAt": import.created_at,
        "updatedAt": import.updated_at,
        "folderId": folder.id,
        "isReplication": false,
        "isReplicationSuccess": null,
        "replicationStatus": null,
        "lastReplicated": null,
        "isReserved": false,
        "importEnv": env.map_or(Value::Null, |e| json!({"name": e.name, "slug": e.slug, "id": e.id})),
    })
}

fn list(state: &mut State, gen: Gen, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let t = target(&mut c, input.query, gen);
    c.finish()?;
    let project = member_project(state, &t.project_id)?;
    let path = folder_path(project, &t, "NotFound")?;
    let folder = project.folder(&t.env, &path).ok_or(ApiError::Internal)?;
    let imports: Vec<Value> = (0..folder.imports.len())
        .map(|at| import_json(project, folder, at))
        .collect();
    Ok(json!({ "message": "Successfully fetched secret imports", "secretImports": imports }))
}

/// Where the import with this id lives: project, environment, folder path, index.
fn locate(state: &State, id: &str) -> Option<(String, String, String, usize)> {
    state.projects.iter().find_map(|p| {
        p.environments.iter().find_map(|e| {
            e.folders.iter().find_map(|(path, f)| {
                let at = f.imports.iter().position(|i| i.id == id)?;
                Some((p.id.clone(), e.slug.clone(), path.clone(), at))
            })
        })
    })
}

fn get(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let (project_id, env, path, at) =
        locate(state, id).ok_or_else(|| ApiError::not_found("Secret import not found"))?;
    let project = member_project(state, &project_id)?;
    let environment = project.env(&env).ok_or(ApiError::Internal)?;
    let folder = &environment.folders[&path];
    let mut v = import_json(project, folder, at);
    v["environment"] =
        json!({"id": environment.id, "name": environment.name, "slug": environment.slug});
    v["projectId"] = json!(project_id);
    v["secretPath"] = json!(path);
    Ok(json!({ "secretImport": v }))
}

/// The `import` object: `{environment, path, position?}`, required fields on create only.
fn source(
    c: &mut Check,
    m: &Map<String, Value>,
    create: bool,
) -> (Option<String>, Option<String>, Option<f64>) {
    let Some(i) = c.nested(m, "import") else {
        return (None, None, None);
    };
    let prefix = [json!("import")];
    let env = c.string(i, &prefix, "environment", create, true);
    let path = c
        .string(i, &prefix, "path", create, true)
        .map(|p| zod_path(Some(&p)));
    let position = if create {
        None
    } else {
        c.nullable_number(i, &prefix, "position").flatten()
    };
    (env, path, position)
}

/// The checks of create and update on the imported folder: its environment exists, and it does
/// not import the importing folder (a cycle of two).
fn check_source(
    project: &Project,
    t: &Target,
    env: &str,
    path: &str,
    name: &str,
) -> Result<(), ApiError> {
    if project.env(env).is_none() {
        return Err(ApiError::not_found_named(
            name,
            "The requested entity is not found",
        ));
    }
    let cyclic = lookup_path(path)
        .and_then(|p| project.folder(env, &p))
        .is_some_and(|f| {
            f.imports
                .iter()
                .any(|i| i.environment == t.env && i.path == t.path)
        });
    if cyclic {
        return Err(ApiError::not_found("Cyclic import not allowed"));
    }
    Ok(())
}

fn create(state: &mut State, gen: Gen, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let t = target(&mut c, m, gen);
    let (env, path, _) = source(&mut c, m, true);
    let replication = c.boolean(m, &[], "isReplication", false).unwrap_or(false);
    c.finish()?;
    let (env, path) = (env.unwrap_or_default(), path.unwrap_or_default());
    if replication {
        // The emulator is a server without a paid plan.
        return Err(ApiError::bad_request(
            "Failed to create secret replication due to plan restriction. Upgrade plan to create replication.",
        ));
    }
    let project = member_project(state, &t.project_id)?;
    let folder_path = folder_path(project, &t, "Create import")?;
    check_source(project, &t, &env, &path, "Create import")?;
    let project = member_project_mut(state, &t.project_id)?;
    let folder = project
        .folder_mut(&t.env, &folder_path)
        .ok_or(ApiError::Internal)?;
    folder.imports.push(Import::new(&env, &path));
    answer(
        state,
        &t,
        &folder_path,
        folder_len(state, &t, &folder_path) - 1,
        "created",
    )
}

fn folder_len(state: &State, t: &Target, path: &str) -> usize {
    state
        .project(&t.project_id)
        .and_then(|p| p.folder(&t.env, path))
        .map_or(0, |f| f.imports.len())
}

fn answer(state: &State, t: &Target, path: &str, at: usize, verb: &str) -> Result<Value, ApiError> {
    let project = member_project(state, &t.project_id)?;
    let folder = project.folder(&t.env, path).ok_or(ApiError::Internal)?;
    Ok(json!({
        "message": format!("Successfully {verb} secret import"),
        "secretImport": import_json(project, folder, at),
    }))
}

/// The import `id` of the target folder: its project, the folder's path and its index; the
/// service's 404 for a missing folder (named `name`), else `missing`.
fn find<'a>(
    state: &'a State,
    t: &Target,
    id: &str,
    name: &str,
    missing: ApiError,
) -> Result<(&'a Project, String, usize), ApiError> {
    let project = member_project(state, &t.project_id)?;
    let path = folder_path(project, t, name)?;
    let folder = project.folder(&t.env, &path).ok_or(ApiError::Internal)?;
    let at = folder
        .imports
        .iter()
        .position(|i| i.id == id)
        .ok_or(missing)?;
    Ok((project, path, at))
}

fn update(state: &mut State, gen: Gen, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let t = target(&mut c, m, gen);
    let (env, path, position) = source(&mut c, m, false);
    c.finish()?;
    let missing = ApiError::bad_request("Secret import not found");
    let (project, folder_path, at) = find(state, &t, id, "Update import", missing)?;
    let current = &project
        .folder(&t.env, &folder_path)
        .ok_or(ApiError::Internal)?
        .imports[at];
    let env = env.unwrap_or_else(|| current.environment.clone());
    let path = path.unwrap_or_else(|| current.path.clone());
    check_source(project, &t, &env, &path, "Create import")?;
    let project = member_project_mut(state, &t.project_id)?;
    let folder = project
        .folder_mut(&t.env, &folder_path)
        .ok_or(ApiError::Internal)?;
    let import = &mut folder.imports[at];
    import.environment = env;
    import.path = crate::util::canonical_path(&path);
    import.updated_at = now_iso();
    let at = match position.filter(|p| *p >= 1.0) {
        Some(p) => move_to(&mut folder.imports, at, p as u64),
        None => at,
    };
    answer(state, &t, &folder_path, at, "updated")
}

fn delete(state: &mut State, gen: Gen, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let t = target(&mut c, m, gen);
    c.finish()?;
    let missing = ApiError::not_found("Secret import not found");
    let (project, folder_path, at) = find(state, &t, id, "Delete import", missing)?;
    let folder = project
        .folder(&t.env, &folder_path)
        .ok_or(ApiError::Internal)?;
    let json = import_json(project, folder, at);
    let project = member_project_mut(state, &t.project_id)?;
    let folder = project
        .folder_mut(&t.env, &folder_path)
        .ok_or(ApiError::Internal)?;
    folder.imports.remove(at);
    Ok(json!({ "message": "Successfully deleted secret import", "secretImport": json }))
}

/// `GET .../secrets[/raw]`: what the folder sees through its imports, values as stored.
fn imported_secrets(state: &mut State, gen: Gen, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let t = target(&mut c, input.query, gen);
    c.finish()?;
    let project = member_project(state, &t.project_id)?;
    let Some(folder) = lookup_path(&t.path).and_then(|p| project.folder(&t.env, &p)) else {
        return Ok(json!({ "secrets": [] }));
    };
    let declared: Vec<_> = folder
        .imports
        .iter()
        .map(|i| (folder.id.clone(), i.clone()))
        .collect();
    let entries = resolve(project, &declared, None);
    let api = match gen {
        Gen::Old => Api::V3,
        Gen::New => Api::V4,
    };
    // This route's imported secrets keep their timestamps.
    let legacy = state.settings.mode == crate::ServerMode::Legacy;
    let shape = Shape {
        timestamps: true,
        ..imported_shape(api, legacy)
    };
    let mut json = entries_json(project, &entries, &shape);
    for entry in json.as_array_mut().into_iter().flatten() {
        let env = entry["environment"]
            .as_str()
            .and_then(|slug| project.env(slug));
        entry["environmentInfo"] = env.map_or(
            Value::Null,
            |e| json!({"id": e.id, "name": e.name, "slug": e.slug}),
        );
    }
    Ok(json!({ "secrets": json }))
}
