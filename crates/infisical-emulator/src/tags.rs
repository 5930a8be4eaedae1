//! Secret tags: `/api/v1/workspace/{projectId}/tags[...]` (both modes; answers
//! `workspaceTag(s)`) and, on modern servers, `/api/v1/projects/{projectId}/tags[...]` (answers
//! `tag(s)`). After `server/routes/v1/secret-tag-router.ts` and
//! `services/secret-tag/secret-tag-service.ts`.

use serde_json::{json, Map, Value};

use crate::environments::is_slug;
use crate::errors::ApiError;
use crate::resources::{
    handler, member_project, member_project_mut, project_scoped, Gen, Handler, Input,
};
use crate::state::{Project, State, Tag};
use crate::util::now_iso;
use crate::validate::Check;

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let (gen, project, rest) = project_scoped(segs, "tags", modern)?;
    let last = rest.last().map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("GET", [] | [""]) => handler(move |st, _| list(st, gen, &project)),
        ("POST", [] | [""]) => handler(move |st, i| create(st, gen, &project, i)),
        ("GET", ["slug", _]) => handler(move |st, _| get(st, gen, Some(&project), &last)),
        ("GET", [_]) => handler(move |st, _| get(st, gen, None, &last)),
        ("PATCH", [_]) => handler(move |st, i| update(st, gen, &last, i)),
        ("DELETE", [_]) => handler(move |st, _| delete(st, gen, &last)),
        _ => None,
    }
}

/// `SecretTagsSchema`; the get routes add `name` (the slug) "for terraform".
fn tag_json(project: &Project, tag: &Tag, named: bool) -> Value {
    let mut v = json!({
        "id": tag.id,
        "slug": tag.slug,
        "color": tag.color,
        "createdAt": tag.created_at,
        "updatedAt": tag.updated_at,
        "createdBy": tag.created_by,
        "projectId": project.id,
        "createdByActorType": "identity",
    });
    if named {
        v["name"] = json!(tag.slug);
    }
    v
}

fn key(gen: Gen, many: bool) -> &'static str {
    match (gen, many) {
        (Gen::Old, false) => "workspaceTag",
        (Gen::Old, true) => "workspaceTags",
        (Gen::New, false) => "tag",
        (Gen::New, true) => "tags",
    }
}

fn tag_not_found() -> ApiError {
    ApiError::not_found("Tag not found")
}

/// The project holding the tag with this id (tags are found by id alone).
fn holder<'a>(state: &'a State, id: &str) -> Result<&'a Project, ApiError> {
    state
        .projects
        .iter()
        .find(|p| p.tag(id).is_some())
        .ok_or_else(tag_not_found)
}

/// `{slug, color}`, both required.
fn body(input: &Input<'_>) -> Result<(String, String), ApiError> {
    let mut c = Check::new();
    let m: &Map<String, Value> = c.object(input.body)?;
    let slug = c
        .string(m, &[], "slug", true, true)
        .map(|s| s.to_lowercase());
    if slug.as_deref().is_some_and(|s| !is_slug(s)) {
        c.custom(
            &["slug"],
            "Invalid slug. Slug can only contain alphanumeric characters and hyphens.",
        );
    }
    let color = c.string(m, &[], "color", true, true);
    c.finish()?;
    Ok((slug.unwrap_or_default(), color.unwrap_or_default()))
}

fn list(state: &mut State, gen: Gen, project_id: &str) -> Result<Value, ApiError> {
    let project = member_project(state, project_id)?;
    let tags: Vec<Value> = project
        .tags
        .iter()
        .map(|t| tag_json(project, t, false))
        .collect();
    Ok(json!({ key(gen, true): tags }))
}

/// By slug within `project_id`, or by id when no project is given.
fn get(
    state: &mut State,
    gen: Gen,
    project_id: Option<&str>,
    key_: &str,
) -> Result<Value, ApiError> {
    let (project, tag) = match project_id {
        Some(project_id) => {
            let project = member_project(state, project_id)?;
            let tag = project.tags.iter().find(|t| t.slug == key_);
            (project, tag.ok_or_else(tag_not_found)?)
        }
        None => {
            let project = holder(state, key_)?;
            (project, project.tag(key_).ok_or_else(tag_not_found)?)
        }
    };
    Ok(json!({ key(gen, false): tag_json(project, tag, true) }))
}

fn create(
    state: &mut State,
    gen: Gen,
    project_id: &str,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let (slug, color) = body(input)?;
    let project = member_project_mut(state, project_id)?;
    if project.tags.iter().any(|t| t.slug == slug) {
        return Err(ApiError::bad_request("Tag already exist"));
    }
    let tag = Tag {
        created_by: input.actor.map(str::to_owned),
        ..Tag::new(&slug, Some(color))
    };
    let answer = tag_json(project, &tag, false);
    project.tags.push(tag);
    Ok(json!({ key(gen, false): answer }))
}

fn update(state: &mut State, gen: Gen, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let (slug, color) = body(input)?;
    let project_id = holder(state, id)?.id.clone();
    let project = member_project_mut(state, &project_id)?;
    if project.tags.iter().any(|t| t.slug == slug && t.id != id) {
        return Err(ApiError::bad_request("Tag already exist"));
    }
    let tag = project
        .tags
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or_else(tag_not_found)?;
    tag.slug = slug;
    tag.color = Some(color);
    tag.updated_at = now_iso();
    let tag = tag.clone();
    Ok(json!({ key(gen, false): tag_json(project, &tag, false) }))
}

/// Deleting a tag detaches it from every secret (the join rows cascade).
fn delete(state: &mut State, gen: Gen, id: &str) -> Result<Value, ApiError> {
    let project_id = holder(state, id)?.id.clone();
    let project = member_project_mut(state, &project_id)?;
    let at = project
        .tags
        .iter()
        .position(|t| t.id == id)
        .ok_or_else(tag_not_found)?;
    let tag = project.tags.remove(at);
    for env in &mut project.environments {
        for folder in env.folders.values_mut() {
            for secret in &mut folder.secrets {
                secret.tags.retain(|t| t != id);
            }
        }
    }
    Ok(json!({ key(gen, false): tag_json(project, &tag, false) }))
}
