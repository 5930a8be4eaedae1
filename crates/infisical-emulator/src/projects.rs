//! Projects: `/api/v1/workspace[/{id}]`, `POST /api/v2/workspace` and
//! `GET /api/v2/workspace/{slug}` (both modes) and, on modern servers, `/api/v1/projects[/{id}]`
//! and `/api/v1/projects/slug/{slug}`. After `server/routes/v1/project-router.ts`,
//! `server/routes/v2/project-router.ts`, `services/project/project-service.ts` and
//! `services/project/project-dal.ts`.
//!
//! Listing: the October 2024 server refuses `GET /api/v1/workspace` to machine identities (403
//! "Forbidden access to /api/v1/workspace", recorded; every caller of the emulator is one);
//! `GET /api/v2/organizations/{organizationId}/workspaces` lists them on both generations
//! (after `server/routes/v2/organization-router.ts`: `{workspaces: [{id, name, slug,
//! organization, environments: [{name, slug}]}]}`).

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::resources::{handler, member_project, Gen, Handler, Input};
use crate::state::{slugify, Project, State};
use crate::util::{now_iso, random_alnum};
use crate::validate::Check;
use crate::ServerMode;

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let arg = |i: usize| segs.get(i).map(|s| s.to_string()).unwrap_or_default();
    match (method, segs) {
        ("GET", ["api", "v1", "workspace"]) if !modern => handler(|_, _| {
            Err(ApiError::forbidden(
                "Forbidden access to /api/v1/workspace",
                "You are not allowed to access this resource",
            ))
        }),
        ("GET", ["api", "v1", "workspace"]) => handler(|st, i| list(st, Gen::Old, i)),
        ("GET", ["api", "v2", "organizations", _, "workspaces"]) => {
            let org = arg(3);
            handler(move |st, i| list_in_organization(st, &org, i))
        }
        ("POST", ["api", "v2", "workspace"]) => handler(|st, i| create(st, Gen::Old, i)),
        ("GET", ["api", "v2", "workspace", _]) => {
            let slug = arg(3);
            handler(move |st, _| get_by_slug(st, &slug))
        }
        (_, ["api", "v1", "workspace", _]) => one(method, Gen::Old, arg(3)),
        ("GET", ["api", "v1", "projects"]) if modern => handler(|st, i| list(st, Gen::New, i)),
        ("POST", ["api", "v1", "projects"]) if modern => handler(|st, i| create(st, Gen::New, i)),
        ("GET", ["api", "v1", "projects", "slug", _]) if modern => {
            let slug = arg(4);
            handler(move |st, _| get_by_slug(st, &slug))
        }
        (_, ["api", "v1", "projects", _]) if modern => one(method, Gen::New, arg(3)),
        _ => None,
    }
}

/// The routes on one project: get, update, delete.
fn one(method: &str, gen: Gen, id: String) -> Option<Handler> {
    match method {
        "GET" => handler(move |st, _| get(st, gen, &id)),
        "PATCH" => handler(move |st, i| update(st, gen, &id, i)),
        "DELETE" => handler(move |st, _| delete(st, gen, &id)),
        _ => None,
    }
}

/// The answer's wrapper key: `workspace(s)` on the older routes, `project(s)` on the newer.
fn key(gen: Gen, many: bool) -> &'static str {
    match (gen, many) {
        (Gen::Old, false) => "workspace",
        (Gen::Old, true) => "workspaces",
        (Gen::New, false) => "project",
        (Gen::New, true) => "projects",
    }
}

/// `ProjectsSchema` (sanitized), with `_id` and `environments` when `full`.
fn project_json(state: &State, project: &Project, full: bool) -> Value {
    let modern = state.settings.mode != ServerMode::Legacy;
    // The server creates the certificate key with the project's first CA.
    let has_ca = state.pki.has_ca(&project.id);
    let mut v = json!({
        "id": project.id,
        "name": project.name,
        "slug": project.slug,
        "autoCapitalization": project.auto_capitalization,
        "orgId": state.org_id,
        "createdAt": project.created_at,
        "updatedAt": project.updated_at,
        "version": 3,
        "upgradeStatus": null,
        "pitVersionLimit": 10,
        "kmsCertificateKeyId": has_ca.then_some(&project.kms_certificate_key_id),
        "auditLogsRetentionDays": null,
    });
    if modern {
        v["description"] = json!(project.description);
        v["type"] = json!("secret-manager");
        v["hasDeleteProtection"] = json!(false);
        v["secretSharing"] = json!(true);
        v["showSnapshotsLegacy"] = json!(false);
    }
    if full {
        let mut envs: Vec<_> = project.environments.iter().collect();
        envs.sort_by_key(|e| e.position);
        v["_id"] = json!(project.id);
        v["environments"] = envs
            .iter()
            .map(|e| json!({"name": e.name, "slug": e.slug, "id": e.id}))
            .collect();
    }
    v
}

/// A project the filter does not find: 404 on modern servers; the October 2024 DAL wraps its
/// own `NotFoundError` into a `DatabaseError`, which the error handler answers with a 500.
fn not_found(state: &State, by: &str) -> ApiError {
    if state.settings.mode == ServerMode::Legacy {
        ApiError::Handled {
            status: 500,
            name: format!("Failed to find project by {by}"),
            message: "Something went wrong".into(),
        }
    } else {
        ApiError::not_found("Project not found")
    }
}

fn find<'a>(state: &'a State, id: &str) -> Result<&'a Project, ApiError> {
    state.project(id).ok_or_else(|| not_found(state, "id"))
}

/// The projects the caller is a member of (an identity created through the API: those it
/// was added to; a seeded caller: all).
fn visible<'a>(state: &'a State, input: &Input<'_>) -> impl Iterator<Item = &'a Project> {
    let actor = input.actor.map(str::to_owned);
    state.projects.iter().filter(move |p| {
        actor
            .as_deref()
            .is_none_or(|a| crate::identity_memberships::require(state, a, &p.id).is_ok())
    })
}

fn list(state: &mut State, gen: Gen, input: &Input<'_>) -> Result<Value, ApiError> {
    let projects: Vec<Value> = visible(state, input)
        .map(|p| project_json(state, p, true))
        .collect();
    Ok(json!({ key(gen, true): projects }))
}

/// `GET /api/v2/organizations/{organizationId}/workspaces`. Another organization's id is a 403
/// (the org permission check; the message is the permission service's generic one).
fn list_in_organization(
    state: &mut State,
    org: &str,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    if org.trim() != state.org_id {
        return Err(ApiError::forbidden(
            "ForbiddenError",
            "You are not allowed to access this resource",
        ));
    }
    let workspaces: Vec<Value> = visible(state, input)
        .map(|p| {
            let mut envs: Vec<_> = p.environments.iter().collect();
            envs.sort_by_key(|e| e.position);
            json!({
                "id": p.id,
                "name": p.name,
                "slug": p.slug,
                "organization": state.org_id,
                "environments": envs
                    .iter()
                    .map(|e| json!({"name": e.name, "slug": e.slug}))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({ "workspaces": workspaces }))
}

fn get(state: &mut State, gen: Gen, id: &str) -> Result<Value, ApiError> {
    let project = find(state, id)?;
    Ok(json!({ key(gen, false): project_json(state, project, true) }))
}

fn get_by_slug(state: &mut State, slug: &str) -> Result<Value, ApiError> {
    let project = state
        .project_by_slug(slug)
        .ok_or_else(|| not_found(state, "slug"))?;
    let mut v = project_json(state, project, true);
    if state.settings.mode != ServerMode::Legacy {
        v["kmsSecretManagerKeyId"] = json!(project.kms_key_id);
    }
    Ok(v)
}

fn create(state: &mut State, gen: Gen, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let name = c
        .string(m, &[], "projectName", true, true)
        .unwrap_or_default();
    let description = match gen {
        Gen::New => c.string(m, &[], "projectDescription", false, true),
        Gen::Old => None,
    };
    let slug = c.string(m, &[], "slug", false, true);
    if slug.as_ref().is_some_and(|s| !(5..=36).contains(&s.len())) {
        c.custom(
            &["slug"],
            "String must contain between 5 and 36 character(s)",
        );
    }
    c.finish()?;
    let slug = slug.unwrap_or_else(|| slugify(&format!("{name}-{}", random_alnum(4))));
    if state.project_by_slug(&slug).is_some() {
        // A unique-constraint violation, wrapped by the DAL.
        return Err(ApiError::Handled {
            status: 500,
            name: "Create".into(),
            message: "Something went wrong".into(),
        });
    }
    let id = state.create_project_with_slug(&name, &slug);
    let project = state.project_mut(&id).ok_or(ApiError::Internal)?;
    project.description = description;
    let project = find(state, &id)?;
    Ok(json!({ "project": project_json(state, project, true) }))
}

fn update(state: &mut State, gen: Gen, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let name = c.string(m, &[], "name", false, true);
    let auto_capitalization = c.boolean(m, &[], "autoCapitalization", false);
    let (description, slug) = match gen {
        Gen::New => (
            c.string(m, &[], "description", false, true),
            c.string(m, &[], "slug", false, true),
        ),
        Gen::Old => (None, None),
    };
    c.finish()?;
    find(state, id)?;
    if let Some(slug) = &slug {
        if state.projects.iter().any(|p| &p.slug == slug && p.id != id) {
            return Err(ApiError::bad_request(format!(
                "Project with slug '{slug}' already exists"
            )));
        }
    }
    let project = state.project_mut(id).ok_or(ApiError::Internal)?;
    if let Some(name) = name {
        project.name = name;
    }
    if let Some(enabled) = auto_capitalization {
        project.auto_capitalization = enabled;
    }
    if description.is_some() {
        project.description = description;
    }
    if let Some(slug) = slug {
        project.slug = slug;
    }
    project.updated_at = now_iso();
    let project = member_project(state, id)?;
    Ok(json!({ key(gen, false): project_json(state, project, false) }))
}

fn delete(state: &mut State, gen: Gen, id: &str) -> Result<Value, ApiError> {
    let answer = project_json(state, find(state, id)?, false);
    state.projects.retain(|p| p.id != id);
    Ok(json!({ key(gen, false): answer }))
}
