//! Access policies: `/api/v1/access-approvals/policies` (create, list, get, update,
//! delete), after `ee/routes/v1/access-approval-policy-router.ts`: projects named by slug
//! (`projectSlug` in the body of a create and the query of a list), approvers as
//! `{type: "user", id}`, the answer `sapPubSchema` as for secret approval policies; listing
//! is for users only. Who approves the access requests of `access_requests.rs`.

use serde_json::{json, Value};

use crate::access_requests::AccessPolicy;
use crate::approval_policies::{approvals, approvers, enforcement, policy_json, read_new};
use crate::errors::ApiError;
use crate::resources::{handler, member_project, Handler, Input};
use crate::state::State;
use crate::validate::Check;

pub(crate) fn route(method: &str, segs: &[&str]) -> Option<Handler> {
    let ["api", "v1", "access-approvals", "policies", rest @ ..] = segs else {
        return None;
    };
    let id = rest.first().map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("POST", [] | [""]) => handler(create),
        ("GET", [] | [""]) => handler(list),
        ("GET", [_]) => handler(move |st, _| get(st, &id)),
        ("PATCH", [_]) => handler(move |st, i| update(st, i, &id)),
        ("DELETE", [_]) => handler(move |st, _| delete(st, &id)),
        _ => None,
    }
}

/// The id of the project with the slug `slug`.
fn project_by_slug(state: &State, slug: &str) -> Result<String, ApiError> {
    state
        .projects
        .iter()
        .find(|p| p.slug == slug)
        .map(|p| p.id.clone())
        .ok_or_else(|| ApiError::not_found("Project not found"))
}

fn answer(state: &State, p: &AccessPolicy) -> Result<Value, ApiError> {
    let project = member_project(state, &p.project_id)?;
    Ok(json!({ "approval": policy_json(project, &p.policy) }))
}

fn create(state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    let (slug, policy) = read_new(input, "projectSlug")?;
    let project_id = project_by_slug(state, &slug)?;
    if member_project(state, &project_id)?
        .env(&policy.environment)
        .is_none()
    {
        return Err(ApiError::not_found("Environment not found"));
    }
    let policy = AccessPolicy { project_id, policy };
    let body = answer(state, &policy)?;
    state.access_approvals.policies.push(policy);
    Ok(body)
}

fn list(state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    crate::auth::require_user(
        input.actor,
        &crate::auth::url_of("/api/v1/access-approvals/policies", input.query),
    )?;
    let mut c = Check::new();
    let slug = c
        .string(input.query, &[], "projectSlug", true, true)
        .unwrap_or_default();
    c.finish()?;
    let project_id = project_by_slug(state, &slug)?;
    let project = member_project(state, &project_id)?;
    let all: Vec<Value> = state
        .access_approvals
        .policies
        .iter()
        .filter(|p| p.project_id == project_id)
        .map(|p| policy_json(project, &p.policy))
        .collect();
    Ok(json!({ "approvals": all }))
}

fn index(state: &State, id: &str) -> Result<usize, ApiError> {
    state
        .access_approvals
        .policies
        .iter()
        .position(|p| p.policy.id == id)
        .ok_or_else(|| ApiError::not_found("Access approval policy not found"))
}

fn get(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let i = index(state, id)?;
    answer(state, &state.access_approvals.policies[i])
}

fn update(state: &mut State, input: &Input<'_>, id: &str) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let ids = m.contains_key("approvers").then(|| approvers(&mut c, m));
    let count = m.contains_key("approvals").then(|| approvals(&mut c, m));
    // `enforcementLevel` defaults to hard on this route.
    let level = enforcement(&mut c, m).unwrap_or_else(|| "hard".into());
    let name = c.string(m, &[], "name", false, false);
    let path = c.string(m, &[], "secretPath", false, true);
    c.finish()?;
    let i = index(state, id)?;
    let policy = &mut state.access_approvals.policies[i].policy;
    if let Some(ids) = ids {
        policy.approvers = ids;
    }
    if let Some(count) = count {
        policy.approvals = count;
    }
    if policy.approvals > policy.approvers.len() {
        return Err(ApiError::bad_request(
            "Approvals cannot be greater than approvers",
        ));
    }
    policy.enforcement = level;
    policy.change(name, path);
    answer(state, &state.access_approvals.policies[i])
}

fn delete(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let i = index(state, id)?;
    let body = answer(state, &state.access_approvals.policies[i])?;
    state.access_approvals.policies.remove(i);
    Ok(body)
}
