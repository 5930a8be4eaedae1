//! Secret approval policies: `/api/v1/secret-approvals` (create, list, get, update,
//! delete). After `ee/routes/v1/secret-approval-policy-router.ts` and
//! `ee/services/secret-approval-policy/secret-approval-policy-service.ts`: servers of 2024
//! name the project `workspaceId` (body of a create, query of a list), current ones
//! `projectId`; approvers are `{type: "user", id}` (groups are not modelled); `approvals`
//! defaults to 1 and may not exceed the approvers; listing is for users only, the rest
//! for users and machine identities. A policy changes what writes there do (see
//! `approval.rs`).

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::resources::{handler, member_project, member_project_mut, Handler, Input};
use crate::state::{Policy, Project, State};
use crate::util::{canonical_path, now_iso, uuid};
use crate::validate::Check;

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let ["api", "v1", "secret-approvals", rest @ ..] = segs else {
        return None;
    };
    let param = if modern { "projectId" } else { "workspaceId" };
    let id = rest.first().map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("POST", [] | [""]) => handler(move |st, i| create(st, i, param)),
        ("GET", [] | [""]) => handler(move |st, i| list(st, i, param)),
        ("GET", [_]) => handler(move |st, _| get(st, &id)),
        ("PATCH", [_]) => handler(move |st, i| update(st, i, &id)),
        ("DELETE", [_]) => handler(move |st, _| delete(st, &id)),
        _ => None,
    }
}

/// `sapPubSchema` with its approvers.
pub(crate) fn policy_json(project: &Project, p: &Policy) -> Value {
    let env = project.env(&p.environment);
    json!({
        "id": p.id,
        "name": p.name,
        "secretPath": p.path,
        "approvals": p.approvals,
        "envId": env.map(|e| e.id.clone()),
        "createdAt": p.created_at,
        "updatedAt": p.updated_at,
        "enforcementLevel": p.enforcement,
        "environment": env.map(|e| json!({"id": e.id, "name": e.name, "slug": e.slug})),
        "projectId": project.id,
        "approvers": p.approvers.iter().map(|a| json!({"id": a, "type": "user"})).collect::<Vec<_>>(),
    })
}

/// The user ids of `approvers: [{type: "user", id}]` (at least one).
pub(crate) fn approvers(c: &mut Check, m: &Map<String, Value>) -> Vec<String> {
    let ids: Vec<String> = c
        .object_array(m, "approvers")
        .into_iter()
        .filter_map(|(_, a)| a.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    if m.get("approvers")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        c.custom(&["approvers"], "At least one approver should be provided");
    }
    ids
}

/// `approvals`: at least 1, default 1.
pub(crate) fn approvals(c: &mut Check, m: &Map<String, Value>) -> usize {
    match m.get("approvals") {
        None => 1,
        Some(v) => match v.as_f64() {
            Some(n) if n >= 1.0 => n as usize,
            Some(_) => {
                c.custom(&["approvals"], "Number must be greater than or equal to 1");
                1
            }
            None => {
                c.string(m, &[], "approvals", true, false);
                1
            }
        },
    }
}

pub(crate) fn enforcement(c: &mut Check, m: &Map<String, Value>) -> Option<String> {
    m.contains_key("enforcementLevel")
        .then(|| c.one_of(m, &[], "enforcementLevel", &["hard", "soft"], "hard"))
}

/// A new policy as a create's body describes it, and the project it names under
/// `project_key` (`workspaceId`, `projectId` or `projectSlug`).
pub(crate) fn read_new(input: &Input<'_>, project_key: &str) -> Result<(String, Policy), ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let project = c
        .string(m, &[], project_key, true, true)
        .unwrap_or_default();
    let env = c
        .string(m, &[], "environment", true, true)
        .unwrap_or_default();
    let path = c.string(m, &[], "secretPath", false, true);
    let ids = approvers(&mut c, m);
    let count = approvals(&mut c, m);
    let level = enforcement(&mut c, m).unwrap_or_else(|| "hard".into());
    let name = c.string(m, &[], "name", false, false);
    c.finish()?;
    if count > ids.len() {
        return Err(ApiError::bad_request(
            "Approvals cannot be greater than approvers",
        ));
    }
    let now = now_iso();
    let policy = Policy {
        id: uuid(),
        name: name.unwrap_or_else(|| format!("{env}-{}", &uuid()[..3])),
        path: canonical_path(path.as_deref().unwrap_or("/")),
        environment: env,
        approvals: count,
        approvers: ids,
        enforcement: level,
        created_at: now.clone(),
        updated_at: now,
    };
    Ok((project, policy))
}

fn create(state: &mut State, input: &Input<'_>, param: &str) -> Result<Value, ApiError> {
    let (project_id, policy) = read_new(input, param)?;
    let project = member_project_mut(state, &project_id)?;
    if project.env(&policy.environment).is_none() {
        return Err(ApiError::not_found("Environment not found"));
    }
    let answer = policy_json(project, &policy);
    project.policies.push(policy);
    Ok(json!({ "approval": answer }))
}

fn list(state: &mut State, input: &Input<'_>, param: &str) -> Result<Value, ApiError> {
    crate::auth::require_user(
        input.actor,
        &crate::auth::url_of("/api/v1/secret-approvals", input.query),
    )?;
    let mut c = Check::new();
    let project_id = c
        .string(input.query, &[], param, true, true)
        .unwrap_or_default();
    c.finish()?;
    let project = member_project(state, &project_id)?;
    let all: Vec<Value> = project
        .policies
        .iter()
        .map(|p| policy_json(project, p))
        .collect();
    Ok(json!({ "approvals": all }))
}

/// The project holding the policy `id`, and the policy's index there.
fn locate(state: &State, id: &str) -> Result<(String, usize), ApiError> {
    state
        .projects
        .iter()
        .find_map(|p| {
            let i = p.policies.iter().position(|x| x.id == id)?;
            Some((p.id.clone(), i))
        })
        .ok_or_else(|| ApiError::not_found("Secret approval policy not found"))
}

fn get(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let (project_id, i) = locate(state, id)?;
    let project = member_project(state, &project_id)?;
    Ok(json!({ "approval": policy_json(project, &project.policies[i]) }))
}

fn update(state: &mut State, input: &Input<'_>, id: &str) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    if !m.contains_key("approvers") {
        c.string(m, &[], "approvers", true, false);
    }
    let ids = approvers(&mut c, m);
    let count = approvals(&mut c, m);
    let level = enforcement(&mut c, m);
    let name = c.string(m, &[], "name", false, false);
    let path = c.string(m, &[], "secretPath", false, false);
    c.finish()?;
    if count > ids.len() {
        return Err(ApiError::bad_request(
            "Approvals cannot be greater than approvers",
        ));
    }
    let (project_id, i) = locate(state, id)?;
    let project = member_project_mut(state, &project_id)?;
    let policy = &mut project.policies[i];
    policy.approvers = ids;
    policy.approvals = count;
    if let Some(level) = level {
        policy.enforcement = level;
    }
    policy.change(name, path);
    let policy = policy.clone();
    let answer = policy_json(project, &policy);
    // Requests read their policy as it is now (the server joins it).
    for request in state
        .approvals
        .iter_mut()
        .filter(|r| r.policy.id == policy.id)
    {
        request.policy = policy.clone();
    }
    Ok(json!({ "approval": answer }))
}

fn delete(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let (project_id, i) = locate(state, id)?;
    let project = member_project_mut(state, &project_id)?;
    let policy = project.policies.remove(i);
    Ok(json!({ "approval": policy_json(project, &policy) }))
}
