//! Access requests: `/api/v1/access-approvals/requests` (create, list, `count`,
//! `/{id}/review`), users only. After `ee/routes/v1/access-approval-request-router.ts` and
//! `ee/services/access-approval-request/access-approval-request-service.ts` (fork
//! `leachtucker/infisical` 09d28156 and upstream): a request names CASL's packed rules, whose
//! first gives the environment and `secretPath.$glob`; the access policy there decides who
//! approves; once `approvals` approve, the user is granted an additional privilege. Current
//! servers take a `note`, check `temporaryRange`, answer approvers as objects and filter by
//! `authorUserId`; servers of 2024 answer approvers as user ids.

use serde_json::{json, Value};

use crate::auth::{require_user, url_of, user_of};
use crate::errors::ApiError;
use crate::resources::{handler, Handler, Input};
use crate::state::{Policy, State};
use crate::util::{now_iso, uuid};
use crate::validate::Check;

/// Access policies and the requests made under them.
#[derive(Default)]
pub(crate) struct AccessApprovals {
    pub(crate) policies: Vec<AccessPolicy>,
    requests: Vec<AccessRequest>,
}

/// An access policy: a [`Policy`] of a project.
pub(crate) struct AccessPolicy {
    pub(crate) project_id: String,
    pub(crate) policy: Policy,
}

struct AccessRequest {
    /// The `AccessApprovalRequestsSchema` row.
    record: Value,
    project_id: String,
    env: String,
    requested_by: String,
    reviews: Vec<Value>,
    privilege: Option<Value>,
}

impl AccessApprovals {
    /// Seeding: an access policy on `env` + `path` of a project.
    pub(crate) fn add_policy(
        &mut self,
        project_id: &str,
        env: &str,
        path: &str,
        approvers: &[&str],
        approvals: usize,
    ) {
        let now = now_iso();
        self.policies.push(AccessPolicy {
            project_id: project_id.to_string(),
            policy: Policy {
                id: uuid(),
                name: format!("access {env}{path}"),
                environment: env.to_string(),
                path: path.to_string(),
                approvals,
                approvers: approvers.iter().map(|a| a.to_string()).collect(),
                enforcement: "hard".into(),
                created_at: now.clone(),
                updated_at: now,
            },
        });
    }
}

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let ["api", "v1", "access-approvals", "requests", rest @ ..] = segs else {
        return None;
    };
    let path = format!("/{}", segs.join("/"));
    match (method, rest) {
        ("POST", [] | [""]) => handler(move |st, i| create(st, i, &path, modern)),
        ("GET", [] | [""]) => handler(move |st, i| list(st, i, &path, modern)),
        ("GET", ["count"]) => handler(move |st, i| count(st, i, &path)),
        ("POST", [id, "review"]) => {
            let id = id.to_string();
            handler(move |st, i| review(st, i, &path, &id))
        }
        _ => None,
    }
}

/// The calling user, and the project the `projectSlug` query names.
fn caller_and_project<'a>(
    state: &State,
    input: &Input<'a>,
    path: &str,
) -> Result<(&'a str, String), ApiError> {
    require_user(input.actor, &url_of(path, input.query))?;
    let user = user_of(input.actor).ok_or(ApiError::Internal)?;
    let mut c = Check::new();
    let slug = c
        .string(input.query, &[], "projectSlug", true, true)
        .unwrap_or_default();
    c.finish()?;
    let project = state
        .projects
        .iter()
        .find(|p| p.slug == slug)
        .ok_or_else(|| ApiError::not_found("Project not found"))?;
    Ok((user, project.id.clone()))
}

/// The environment and `secretPath.$glob` of the first packed rule `[action, subject,
/// conditions]`.
fn requested_place(permissions: &[Value]) -> Result<(String, String), ApiError> {
    let first = permissions
        .first()
        .ok_or_else(|| ApiError::bad_request("No permission provided"))?;
    let conditions = first.get(2).unwrap_or(&Value::Null);
    let env = conditions["environment"]
        .as_str()
        .ok_or_else(|| ApiError::bad_request("Permission environment is not a string"))?;
    let path = conditions["secretPath"]["$glob"]
        .as_str()
        .ok_or_else(|| ApiError::bad_request("Permission path is not a string"))?;
    Ok((env.to_string(), path.to_string()))
}

fn create(
    state: &mut State,
    input: &Input<'_>,
    path: &str,
    modern: bool,
) -> Result<Value, ApiError> {
    let (user, project_id) = caller_and_project(state, input, path)?;
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let permissions = c.array(m, "permissions");
    if modern && permissions.is_empty() && m.get("permissions").is_some() {
        c.custom(&["permissions"], "Array must contain at least 1 element(s)");
    }
    let is_temporary = c.boolean(m, &[], "isTemporary", true).unwrap_or(false);
    let range = c.string(m, &[], "temporaryRange", false, true);
    if modern
        && range
            .as_deref()
            .is_some_and(|r| r != "permanent" && crate::leases::parse_ttl(r).unwrap_or(0) == 0)
    {
        c.custom(
            &["temporaryRange"],
            "Invalid time period format or value. Must be a positive duration (e.g., '1h', '30m', '2d').",
        );
    }
    let note = if modern {
        c.string(m, &[], "note", false, false)
    } else {
        None
    };
    c.finish()?;
    let (env, secret_path) = requested_place(&permissions)?;
    let project = state.project(&project_id).ok_or(ApiError::Internal)?;
    if project.env(&env).is_none() {
        return Err(ApiError::not_found("Environment not found"));
    }
    let store = &mut state.access_approvals;
    let policy = store
        .policies
        .iter()
        .find(|p| {
            p.project_id == project_id
                && p.policy.environment == env
                && p.policy.path == secret_path
        })
        .ok_or_else(|| ApiError::not_found("No policy matching criteria was found."))?;
    let permissions = Value::Array(permissions);
    let duplicate = store.requests.iter().any(|r| {
        r.record["policyId"] == policy.policy.id.as_str()
            && r.requested_by == user
            && r.record["permissions"] == permissions
            && r.record["isTemporary"] == is_temporary
            && r.privilege.is_none()
            && !r.reviews.iter().any(|v| v["status"] == "rejected")
    });
    if duplicate {
        return Err(ApiError::bad_request(
            "You already have a pending access request with the same criteria",
        ));
    }
    let now = now_iso();
    let mut record = json!({
        "id": uuid(),
        "policyId": policy.policy.id,
        "privilegeId": null,
        "requestedBy": null,
        "isTemporary": is_temporary,
        "temporaryRange": range.filter(|r| r != "permanent"),
        "permissions": permissions,
        "createdAt": now,
        "updatedAt": now,
        "requestedByUserId": user,
    });
    if modern {
        record["note"] = json!(note);
    }
    store.requests.push(AccessRequest {
        record: record.clone(),
        project_id,
        env,
        requested_by: user.to_string(),
        reviews: Vec::new(),
        privilege: None,
    });
    Ok(json!({ "approval": record }))
}

fn list(state: &mut State, input: &Input<'_>, path: &str, modern: bool) -> Result<Value, ApiError> {
    let (_, project_id) = caller_and_project(state, input, path)?;
    let env = input.query.get("envSlug").and_then(Value::as_str);
    let author = modern
        .then(|| input.query.get("authorUserId").and_then(Value::as_str))
        .flatten();
    let store = &state.access_approvals;
    let requests: Vec<Value> = store
        .requests
        .iter()
        .filter(|r| r.project_id == project_id)
        .filter(|r| env.is_none_or(|e| r.env == e))
        .filter(|r| author.is_none_or(|a| r.requested_by == a))
        .map(|r| {
            let policy = store
                .policies
                .iter()
                .find(|p| r.record["policyId"] == p.policy.id.as_str())
                .map(|p| &p.policy);
            let approvers: Vec<Value> = policy
                .map(|p| p.approvers.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|a| {
                    if modern {
                        json!({ "userId": a, "email": state.users.summary(a)["email"] })
                    } else {
                        json!(a)
                    }
                })
                .collect();
            let mut v = r.record.clone();
            v["environmentName"] = json!(r.env);
            v["isApproved"] = json!(r.privilege.is_some());
            v["privilege"] = r.privilege.clone().unwrap_or(Value::Null);
            v["policy"] = json!({
                "id": policy.map(|p| p.id.clone()),
                "name": policy.map(|p| p.name.clone()),
                "approvals": policy.map_or(0, |p| p.approvals),
                "approvers": approvers,
                "secretPath": policy.map(|p| p.path.clone()),
                "envId": r.env,
                "enforcementLevel": "hard",
            });
            v["reviewers"] = r
                .reviews
                .iter()
                .map(|rv| json!({ "userId": rv["reviewerUserId"], "status": rv["status"] }))
                .collect();
            v["requestedByUser"] = state.users.summary(&r.requested_by);
            v
        })
        .collect();
    Ok(json!({ "requests": requests }))
}

fn count(state: &mut State, input: &Input<'_>, path: &str) -> Result<Value, ApiError> {
    let (_, project_id) = caller_and_project(state, input, path)?;
    let mine: Vec<&AccessRequest> = state
        .access_approvals
        .requests
        .iter()
        .filter(|r| r.project_id == project_id)
        .collect();
    let finalized = mine
        .iter()
        .filter(|r| r.privilege.is_some() || r.reviews.iter().any(|v| v["status"] == "rejected"))
        .count();
    Ok(json!({ "pendingCount": mine.len() - finalized, "finalizedCount": finalized }))
}

fn review(state: &mut State, input: &Input<'_>, path: &str, id: &str) -> Result<Value, ApiError> {
    require_user(input.actor, &url_of(path, input.query))?;
    let user = user_of(input.actor).ok_or(ApiError::Internal)?.to_string();
    let mut c = Check::new();
    let m = c.object(input.body)?;
    if !m.contains_key("status") {
        c.custom(&["status"], "Required");
    }
    let status = c.one_of(m, &[], "status", &["approved", "rejected"], "");
    c.finish()?;
    let admin = state.users.is_admin(&user);
    let store = &mut state.access_approvals;
    let request = store
        .requests
        .iter_mut()
        .find(|r| r.record["id"] == id)
        .ok_or_else(|| ApiError::not_found("Secret approval request not found"))?;
    let policy = store
        .policies
        .iter()
        .find(|p| request.record["policyId"] == p.policy.id.as_str())
        .map(|p| &p.policy)
        .ok_or(ApiError::Internal)?;
    if !admin && request.requested_by != user && !policy.approvers.contains(&user) {
        return Err(ApiError::forbidden(
            "ForbiddenError",
            "You are not authorized to approve this request",
        ));
    }
    if request.reviews.iter().any(|v| v["status"] == "rejected") {
        return Err(ApiError::bad_request(
            "The request has already been rejected by another reviewer",
        ));
    }
    if request
        .reviews
        .iter()
        .any(|v| v["reviewerUserId"] == user.as_str())
    {
        return Err(ApiError::bad_request(
            "You have already reviewed this request",
        ));
    }
    let now = now_iso();
    let review = json!({
        "id": uuid(),
        "member": null,
        "status": status,
        "requestId": id,
        "createdAt": now,
        "updatedAt": now,
        "reviewerUserId": user,
    });
    request.reviews.push(review.clone());
    let approved = request
        .reviews
        .iter()
        .filter(|v| v["status"] == "approved")
        .count();
    if approved == policy.approvals {
        let privilege_id = uuid();
        request.record["privilegeId"] = json!(privilege_id);
        request.privilege = Some(json!({
            "membershipId": uuid(),
            "isTemporary": request.record["isTemporary"],
            "temporaryMode": request.record["temporaryRange"].as_str().map(|_| "relative"),
            "temporaryRange": request.record["temporaryRange"],
            "temporaryAccessStartTime": request.record["temporaryRange"].as_str().map(|_| now.clone()),
            "temporaryAccessEndTime": null,
            "permissions": request.record["permissions"],
        }));
    }
    Ok(json!({ "review": review }))
}
