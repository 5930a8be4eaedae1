//! Environments: `/api/v1/workspace/{workspaceId}/environments[/{id}]` (both modes, answers
//! carry `workspace`) and, on modern servers, `/api/v1/projects/{projectId}/environments[/{id}]`
//! (answers carry `projectId`). After `server/routes/v1/project-env-router.ts` and
//! `services/project-env/project-env-service.ts`.

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::resources::{handler, member_project_mut, project_scoped, Gen, Handler, Input};
use crate::state::{Environment, Project, State};
use crate::util::{move_to, now_iso};
use crate::validate::Check;

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    // Before `/:workspaceId/environments`: the project-less get by id.
    if let ("GET", ["api", "v1", "workspace", "environments", id]) = (method, segs) {
        let id = id.to_string();
        return handler(move |st, _| get(st, &id));
    }
    let (gen, project, rest) = project_scoped(segs, "environments", modern)?;
    let id = rest.first().map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("POST", [] | [""]) => handler(move |st, i| create(st, gen, &project, i)),
        ("GET", [_]) => handler(move |st, _| get(st, &id)),
        ("PATCH", [_]) => handler(move |st, i| update(st, gen, &project, &id, i)),
        ("DELETE", [_]) => handler(move |st, _| delete(st, gen, &project, &id)),
        _ => None,
    }
}

/// `ProjectEnvironmentsSchema`.
pub(crate) fn environment_json(project: &Project, env: &Environment) -> Value {
    json!({
        "id": env.id,
        "name": env.name,
        "slug": env.slug,
        "position": env.position,
        "projectId": project.id,
        "createdAt": env.created_at,
        "updatedAt": env.updated_at,
    })
}

/// The answer of the writes: `{message, workspace | projectId, environment}`.
fn write_answer(gen: Gen, message: &str, project: &Project, env: &Environment) -> Value {
    let key = match gen {
        Gen::Old => "workspace",
        Gen::New => "projectId",
    };
    json!({ "message": message, key: project.id, "environment": environment_json(project, env) })
}

/// The answer of a write, for the environment `id` where `place` put it.
fn placed_answer(gen: Gen, message: &str, project: &Project, id: &str) -> Result<Value, ApiError> {
    let env = project
        .environments
        .iter()
        .find(|e| e.id == id)
        .ok_or(ApiError::Internal)?;
    Ok(write_answer(gen, message, project, env))
}

/// `slugify(v) === v`: lowercase alphanumerics in words joined by single dashes.
pub(crate) fn is_slug(v: &str) -> bool {
    !v.is_empty()
        && v.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn slug(c: &mut Check, m: &Map<String, Value>, required: bool) -> Option<String> {
    let slug = c.string(m, &[], "slug", required, true)?;
    if !is_slug(&slug) {
        c.custom(&["slug"], "Slug must be a valid slug");
    }
    Some(slug)
}

/// Moves `id` to `position` (1-based) among the project's environments, shifting the others.
fn place(project: &mut Project, id: &str, position: Option<u64>) {
    let from = project.environments.iter().position(|e| e.id == id);
    if let (Some(from), Some(position)) = (from, position) {
        move_to(&mut project.environments, from, position);
    }
    renumber(project);
}

fn renumber(project: &mut Project) {
    for (env, position) in project.environments.iter_mut().zip(1..) {
        env.position = position;
    }
}

/// `GET .../environments/{id}`: found by id alone, then the caller's access to its project.
/// A `BadRequestError` named after the service call.
fn slug_taken(name: &str) -> ApiError {
    ApiError::Handled {
        status: 400,
        name: name.into(),
        message: "Environment with slug already exist".into(),
    }
}

/// The server ignores the project named in the path.
fn get(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let (project, env) = state
        .projects
        .iter()
        .find_map(|p| p.environments.iter().find(|e| e.id == id).map(|e| (p, e)))
        .ok_or_else(|| match state.settings.mode {
            crate::ServerMode::Legacy => ApiError::not_found("Environment does not exist"),
            _ => ApiError::not_found(format!("Environment with ID '{id}' not found")),
        })?;
    Ok(json!({ "environment": environment_json(project, env) }))
}

fn create(
    state: &mut State,
    gen: Gen,
    project_id: &str,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let name = c.string(m, &[], "name", true, true);
    let position = c.nullable_number(m, &[], "position").flatten();
    let slug = slug(&mut c, m, true);
    c.finish()?;
    let (name, slug) = (name.unwrap_or_default(), slug.unwrap_or_default());
    let project = member_project_mut(state, project_id)?;
    if project.env(&slug).is_some() {
        return Err(slug_taken("CreateEnvironment"));
    }
    let env = Environment::new(&name, &slug, project.environments.len() as u64 + 1);
    let id = env.id.clone();
    project.environments.push(env);
    place(project, &id, position.map(|p| p.max(1.0) as u64));
    placed_answer(gen, "Successfully created new environment", project, &id)
}

fn update(
    state: &mut State,
    gen: Gen,
    project_id: &str,
    id: &str,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let slug = slug(&mut c, m, false).filter(|s| !s.is_empty());
    let name = c.string(m, &[], "name", false, true);
    let position = c.nullable_number(m, &[], "position").flatten();
    c.finish()?;
    let project = member_project_mut(state, project_id)?;
    let not_found = || ApiError::not_found_named("UpdateEnvironment", "Environment not found");
    project
        .environments
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(not_found)?;
    if let Some(slug) = &slug {
        if project
            .environments
            .iter()
            .any(|e| &e.slug == slug && e.id != id)
        {
            return Err(slug_taken("UpdateEnvironment"));
        }
    }
    let env = project
        .environments
        .iter_mut()
        .find(|e| e.id == id)
        .ok_or_else(not_found)?;
    if let Some(slug) = slug {
        env.slug = slug;
    }
    if let Some(name) = name {
        env.name = name;
    }
    env.updated_at = now_iso();
    place(
        project,
        id,
        position.filter(|p| *p >= 1.0).map(|p| p as u64),
    );
    placed_answer(gen, "Successfully updated environment", project, id)
}

fn delete(state: &mut State, gen: Gen, project_id: &str, id: &str) -> Result<Value, ApiError> {
    let project = member_project_mut(state, project_id)?;
    let at = project
        .environments
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(|| {
            ApiError::not_found_named("DeleteEnvironment", "Environment doesn't exist")
        })?;
    let env = project.environments.remove(at);
    renumber(project);
    Ok(write_answer(
        gen,
        "Successfully deleted environment",
        project,
        &env,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("qa") && is_slug("pre-prod-2"));
        assert!(!is_slug("QA") && !is_slug("a--b") && !is_slug("-a") && !is_slug("a b"));
    }
}
