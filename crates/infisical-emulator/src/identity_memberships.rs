//! Identities in projects: `/api/v2/workspace/{projectId}/identity-memberships[/{identityId}]`
//! (both modes), after `server/routes/v2/identity-project-router.ts` and
//! `services/identity-project/identity-project-service.ts`; and the rule they enforce: an
//! identity created through the API reaches only the projects it is a member of (the
//! seeded callers of tests reach every project).

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::resources::{handler, Handler, Input};
use crate::state::State;
use crate::util::{now_iso, uuid};
use crate::validate::Check;

/// Every membership of an identity created through the API.
#[derive(Debug, Default)]
pub(crate) struct Memberships(Vec<Membership>);

#[derive(Debug, Clone)]
struct Membership {
    id: String,
    project_id: String,
    identity_id: String,
    roles: Vec<Role>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Clone)]
struct Role {
    id: String,
    role: String,
    temporary: Option<(String, String)>,
    created_at: String,
}

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let ["api", "v2", "workspace", project, "identity-memberships", rest @ ..] = segs else {
        return None;
    };
    let project = project.to_string();
    match (method, rest) {
        ("GET", []) => handler(move |st, i| list(st, &project, i, modern)),
        ("POST", [identity]) => {
            let identity = identity.to_string();
            handler(move |st, i| add(st, &project, &identity, i))
        }
        ("GET", [identity]) => {
            let identity = identity.to_string();
            handler(move |st, _| get(st, &project, &identity, modern))
        }
        ("PATCH", [identity]) => {
            let identity = identity.to_string();
            handler(move |st, i| update(st, &project, &identity, i))
        }
        ("DELETE", [identity]) => {
            let identity = identity.to_string();
            handler(move |st, _| remove(st, &project, &identity))
        }
        _ => None,
    }
}

/// Fails unless `identity_id` may act in `project_id`: any seeded identity may; one created
/// through the API only as a member.
pub(crate) fn require(state: &State, identity_id: &str, project_id: &str) -> Result<(), ApiError> {
    if !crate::identities::is_managed(state, identity_id)
        || state
            .memberships
            .0
            .iter()
            .any(|m| m.identity_id == identity_id && m.project_id == project_id)
    {
        return Ok(());
    }
    Err(crate::resources::not_a_member())
}

fn project_name(state: &State, project_id: &str) -> Result<String, ApiError> {
    state
        .project(project_id)
        .map(|p| p.name.clone())
        .ok_or_else(|| ApiError::not_found(format!("Project with ID '{project_id}' not found")))
}

/// `[{role, isTemporary?, temporaryMode?, temporaryRange?, temporaryAccessStartTime?}]`.
fn roles(c: &mut Check, m: &Map<String, Value>) -> Vec<Role> {
    c.object_array(m, "roles")
        .into_iter()
        .map(|(_, item)| {
            let temporary = item.get("isTemporary").and_then(Value::as_bool) == Some(true);
            Role {
                id: uuid(),
                role: item
                    .get("role")
                    .and_then(Value::as_str)
                    .unwrap_or("no-access")
                    .to_owned(),
                temporary: temporary.then(|| {
                    let text = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default();
                    (
                        text("temporaryRange").to_owned(),
                        text("temporaryAccessStartTime").to_owned(),
                    )
                }),
                created_at: now_iso(),
            }
        })
        .collect()
}

fn role_json(role: &Role, membership_id: Option<&str>) -> Value {
    let (range, start) = match &role.temporary {
        Some((range, start)) => (json!(range), json!(start)),
        None => (Value::Null, Value::Null),
    };
    let mut v = json!({
        "id": role.id,
        "role": role.role,
        "customRoleId": null,
        "isTemporary": role.temporary.is_some(),
        "temporaryMode": role.temporary.as_ref().map(|_| "relative"),
        "temporaryRange": range,
        "temporaryAccessStartTime": start,
        "temporaryAccessEndTime": null,
    });
    match membership_id {
        Some(id) => {
            v["projectMembershipId"] = json!(id);
            v["createdAt"] = json!(role.created_at);
            v["updatedAt"] = json!(role.created_at);
        }
        None => {
            v["customRoleName"] = Value::Null;
            v["customRoleSlug"] = Value::Null;
        }
    }
    v
}

fn membership_json(m: &Membership) -> Value {
    json!({
        "id": m.id,
        "projectId": m.project_id,
        "identityId": m.identity_id,
        "createdAt": m.created_at,
        "updatedAt": m.updated_at,
    })
}

/// A list item / the get answer: roles, the identity and the project.
fn item_json(state: &State, m: &Membership, modern: bool) -> Result<Value, ApiError> {
    let identity = crate::identities::summary(state, &m.identity_id, modern)?;
    Ok(json!({
        "id": m.id,
        "identityId": m.identity_id,
        "createdAt": m.created_at,
        "updatedAt": m.updated_at,
        "roles": m.roles.iter().map(|r| role_json(r, None)).collect::<Vec<_>>(),
        "identity": identity,
        "project": { "name": project_name(state, &m.project_id)?, "id": m.project_id },
    }))
}

fn find<'a>(
    state: &'a mut State,
    project: &str,
    identity: &str,
) -> Result<&'a mut Membership, ApiError> {
    state
        .memberships
        .0
        .iter_mut()
        .find(|m| m.project_id == project && m.identity_id == identity)
        .ok_or_else(|| ApiError::not_found(format!("Membership not found for identity {identity}")))
}

fn add(
    state: &mut State,
    project: &str,
    identity: &str,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m: &Map<String, Value> = c.object(input.body)?;
    // `role` is deprecated and defaults to `no-access`; `roles`, when given, wins.
    let role = c.string(m, &[], "role", false, false);
    let mut given = if m.contains_key("roles") {
        roles(&mut c, m)
    } else {
        Vec::new()
    };
    c.finish()?;
    project_name(state, project)?;
    crate::identities::summary(state, identity, false)?;
    if state
        .memberships
        .0
        .iter()
        .any(|m| m.project_id == project && m.identity_id == identity)
    {
        return Err(ApiError::bad_request(format!(
            "Identity with id {identity} already exists in project with id {project}"
        )));
    }
    if given.is_empty() {
        given.push(Role {
            id: uuid(),
            role: role.unwrap_or_else(|| "no-access".to_owned()),
            temporary: None,
            created_at: now_iso(),
        });
    }
    let now = now_iso();
    let membership = Membership {
        id: uuid(),
        project_id: project.to_owned(),
        identity_id: identity.to_owned(),
        roles: given,
        created_at: now.clone(),
        updated_at: now,
    };
    let answer = membership_json(&membership);
    state.memberships.0.push(membership);
    Ok(json!({ "identityMembership": answer }))
}

fn list(
    state: &mut State,
    project: &str,
    input: &Input<'_>,
    modern: bool,
) -> Result<Value, ApiError> {
    let (offset, limit) = crate::identities::page(input)?;
    project_name(state, project)?;
    let members: Vec<&Membership> = state
        .memberships
        .0
        .iter()
        .filter(|m| m.project_id == project)
        .collect();
    let page = members
        .iter()
        .skip(offset)
        .take(limit)
        .map(|m| item_json(state, m, modern))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json!({ "identityMemberships": page, "totalCount": members.len() }))
}

fn get(state: &mut State, project: &str, identity: &str, modern: bool) -> Result<Value, ApiError> {
    let membership = find(state, project, identity)?.clone();
    Ok(json!({ "identityMembership": item_json(state, &membership, modern)? }))
}

fn update(
    state: &mut State,
    project: &str,
    identity: &str,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m: &Map<String, Value> = c.object(input.body)?;
    let given = roles(&mut c, m);
    c.finish()?;
    let membership = find(state, project, identity)?;
    membership.roles = given;
    membership.updated_at = now_iso();
    let id = membership.id.clone();
    let answer: Vec<Value> = membership
        .roles
        .iter()
        .map(|r| role_json(r, Some(&id)))
        .collect();
    Ok(json!({ "roles": answer }))
}

fn remove(state: &mut State, project: &str, identity: &str) -> Result<Value, ApiError> {
    find(state, project, identity)?;
    let at = state
        .memberships
        .0
        .iter()
        .position(|m| m.project_id == project && m.identity_id == identity)
        .ok_or_else(|| ApiError::not_found("Membership not found"))?;
    let membership = state.memberships.0.remove(at);
    Ok(json!({ "identityMembership": membership_json(&membership) }))
}

/// Forgets every membership of a deleted identity.
pub(crate) fn forget(state: &mut State, identity_id: &str) {
    state.memberships.0.retain(|m| m.identity_id != identity_id);
}
