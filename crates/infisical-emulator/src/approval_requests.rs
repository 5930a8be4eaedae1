//! Secret approval requests: `/api/v1/secret-approval-requests` (list, `count`, `/{id}`,
//! `/{id}/review`, `/{id}/status`, `/{id}/merge`), users only. After
//! `ee/routes/v1/secret-approval-request-router.ts` and
//! `ee/services/secret-approval-request/secret-approval-request-service.ts` (fork
//! `leachtucker/infisical` 09d28156 and upstream): only the author, the policy's approvers
//! and admins reach a request; a merge needs `approvals` approvals from the approvers and
//! applies the held write; current servers add `totalCount`, review comments and the
//! policy's `bypassers` / `allowedSelfApprovals`.

use serde_json::{json, Map, Value};

use crate::approval::ApprovalRequest;
use crate::auth::{require_user, user_of};
use crate::errors::ApiError;
use crate::resources::{handler, Handler, Input};
use crate::state::State;
use crate::util::now_iso;
use crate::validate::Check;

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let ["api", "v1", "secret-approval-requests", rest @ ..] = segs else {
        return None;
    };
    let path = format!("/{}", segs.join("/"));
    let id = rest.first().map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("GET", [] | [""]) => handler(move |st, i| list(st, i, &path, modern)),
        ("GET", ["count"]) => handler(move |st, i| count(st, i, &path)),
        ("GET", [_]) => handler(move |st, i| get(st, i, &path, &id, modern)),
        ("POST", [_, "review"]) => handler(move |st, i| review(st, i, &path, &id, modern)),
        ("POST", [_, "status"]) => handler(move |st, i| set_status(st, i, &path, &id)),
        ("POST", [_, "merge"]) => handler(move |st, i| merge(st, i, &path, &id)),
        _ => None,
    }
}

/// `verifyAuth([AuthMode.JWT])`: the calling user's id, or fastify's 403 for anyone else.
fn user<'a>(input: &Input<'a>, path: &str) -> Result<&'a str, ApiError> {
    require_user(input.actor, &crate::auth::url_of(path, input.query))?;
    user_of(input.actor).ok_or(ApiError::Internal)
}

/// Whether `user` may see and act on `request`: an admin, its author or an approver.
fn may_act(state: &State, request: &ApprovalRequest, user: &str) -> bool {
    state.users.is_admin(user)
        || request.committer == user
        || request.policy.approvers.iter().any(|a| a == user)
}

/// The request `id`, if `user` may act on it (404, then 403 "User has insufficient
/// privileges").
fn reachable(state: &State, id: &str, user: &str) -> Result<usize, ApiError> {
    let index = state
        .approvals
        .iter()
        .position(|r| r.id() == id)
        .ok_or_else(|| ApiError::not_found("Secret approval request not found"))?;
    if !may_act(state, &state.approvals[index], user) {
        return Err(ApiError::forbidden(
            "ForbiddenError",
            "User has insufficient privileges",
        ));
    }
    Ok(index)
}

/// Requests the list shows `user`: theirs, and those they may approve (or, under a policy
/// naming no approvers, every one).
fn visible(request: &ApprovalRequest, user: &str) -> bool {
    request.committer == user
        || request.policy.approvers.is_empty()
        || request.policy.approvers.iter().any(|a| a == user)
}

fn policy_json(state: &State, request: &ApprovalRequest, detailed: bool, modern: bool) -> Value {
    let p = &request.policy;
    let approvers: Vec<Value> = p
        .approvers
        .iter()
        .map(|a| {
            if detailed {
                state.users.summary(a)
            } else {
                json!({ "userId": a })
            }
        })
        .collect();
    let mut v = json!({
        "id": p.id,
        "name": p.name,
        "approvals": p.approvals,
        "approvers": approvers,
        "secretPath": p.path,
        "enforcementLevel": p.enforcement,
    });
    if modern {
        v["bypassers"] = json!([]);
        v["deletedAt"] = Value::Null;
        v["allowedSelfApprovals"] = json!(true);
    }
    v
}

fn list(state: &mut State, input: &Input<'_>, path: &str, modern: bool) -> Result<Value, ApiError> {
    let user = user(input, path)?;
    let q = input.query;
    let mut c = Check::new();
    let project = c
        .string(q, &[], "workspaceId", true, true)
        .unwrap_or_default();
    let environment = c.string(q, &[], "environment", false, true);
    let committer = c.string(q, &[], "committer", false, true);
    let status = q
        .contains_key("status")
        .then(|| c.one_of(q, &[], "status", &["open", "close"], "open"));
    let limit = c.coerce_number(q, "limit").unwrap_or(20.0);
    let offset = c.coerce_number(q, "offset").unwrap_or(0.0);
    c.finish()?;
    crate::resources::member_project(state, &project)?;
    let matching: Vec<&ApprovalRequest> = state
        .approvals
        .iter()
        .rev()
        .filter(|r| r.project_id == project && visible(r, user))
        .filter(|r| environment.as_ref().is_none_or(|e| &r.environment == e))
        .filter(|r| committer.as_ref().is_none_or(|c| &r.committer == c))
        .filter(|r| status.as_ref().is_none_or(|s| r.status() == s))
        .collect();
    let total = matching.len();
    let approvals: Vec<Value> = matching
        .into_iter()
        .skip(offset.max(0.0) as usize)
        .take(limit.max(0.0) as usize)
        .map(|r| {
            let mut v = r.record.clone();
            v["policy"] = policy_json(state, r, false, modern);
            v["committerUser"] = state.users.summary(&r.committer);
            v["commits"] = r
                .commits
                .iter()
                .map(|c| json!({ "op": c["op"], "secretId": c["secretId"] }))
                .collect();
            v["environment"] = json!(r.environment);
            v["reviewers"] = r
                .reviews
                .iter()
                .map(|rv| json!({ "userId": rv["reviewerUserId"], "status": rv["status"] }))
                .collect();
            v["approvers"] = r
                .policy
                .approvers
                .iter()
                .map(|a| json!({ "userId": a }))
                .collect();
            v
        })
        .collect();
    let mut answer = json!({ "approvals": approvals });
    if modern {
        answer["totalCount"] = json!(total);
    }
    Ok(answer)
}

fn count(state: &mut State, input: &Input<'_>, path: &str) -> Result<Value, ApiError> {
    let user = user(input, path)?;
    let mut c = Check::new();
    let project = c
        .string(input.query, &[], "workspaceId", true, true)
        .unwrap_or_default();
    c.finish()?;
    crate::resources::member_project(state, &project)?;
    let mine = || {
        state
            .approvals
            .iter()
            .filter(|r| r.project_id == project && visible(r, user))
    };
    let open = mine().filter(|r| r.status() == "open").count();
    let closed = mine().filter(|r| r.status() == "close").count();
    Ok(json!({ "approvals": { "open": open, "closed": closed } }))
}

fn get(
    state: &mut State,
    input: &Input<'_>,
    path: &str,
    id: &str,
    modern: bool,
) -> Result<Value, ApiError> {
    let user = user(input, path)?;
    let r = &state.approvals[reachable(state, id, user)?];
    let mut v = r.record.clone();
    v["policy"] = policy_json(state, r, true, modern);
    v["environment"] = json!(r.environment);
    if let Some(by) = r.record["statusChangedByUserId"].as_str() {
        v["statusChangedByUser"] = state.users.summary(by);
    }
    v["committerUser"] = state.users.summary(&r.committer);
    v["reviewers"] = r
        .reviews
        .iter()
        .map(|rv| {
            let mut u = state
                .users
                .summary(rv["reviewerUserId"].as_str().unwrap_or_default());
            u["status"] = rv["status"].clone();
            if modern && rv["comment"].is_string() {
                u["comment"] = rv["comment"].clone();
            }
            u
        })
        .collect();
    v["secretPath"] = json!(r.path);
    v["commits"] = r
        .commits
        .iter()
        .map(|c| {
            let mut c = c.clone();
            if let Some(m) = c.as_object_mut() {
                m.remove("secretId");
            }
            c
        })
        .collect();
    Ok(json!({ "approval": v }))
}

fn body_object<'a>(c: &mut Check, input: &Input<'a>) -> Result<Map<String, Value>, ApiError> {
    Ok(c.object(input.body)?.clone())
}

fn review(
    state: &mut State,
    input: &Input<'_>,
    path: &str,
    id: &str,
    modern: bool,
) -> Result<Value, ApiError> {
    let user = user(input, path)?.to_string();
    let mut c = Check::new();
    let m = body_object(&mut c, input)?;
    let status = c.one_of(&m, &[], "status", &["approved", "rejected"], "");
    if !m.contains_key("status") {
        c.custom(&["status"], "Required");
    }
    let comment = if modern {
        c.string(&m, &[], "comment", false, false)
    } else {
        None
    };
    c.finish()?;
    let index = reachable(state, id, &user)?;
    let request = &mut state.approvals[index];
    let now = now_iso();
    let request_id = request.id().to_string();
    let review = match request
        .reviews
        .iter_mut()
        .find(|r| r["reviewerUserId"] == user.as_str())
    {
        Some(existing) => {
            existing["status"] = json!(status);
            existing["comment"] = json!(comment);
            existing["updatedAt"] = json!(now);
            existing.clone()
        }
        None => {
            let review = json!({
                "id": crate::util::uuid(),
                "status": status,
                "requestId": request_id,
                "createdAt": now,
                "updatedAt": now,
                "reviewerUserId": user,
                "comment": comment,
            });
            request.reviews.push(review.clone());
            review
        }
    };
    let mut review = review;
    if !modern {
        if let Some(m) = review.as_object_mut() {
            m.remove("comment");
        }
    }
    Ok(json!({ "review": review }))
}

fn set_status(
    state: &mut State,
    input: &Input<'_>,
    path: &str,
    id: &str,
) -> Result<Value, ApiError> {
    let user = user(input, path)?.to_string();
    let mut c = Check::new();
    let m = body_object(&mut c, input)?;
    if !m.contains_key("status") {
        c.custom(&["status"], "Required");
    }
    let status = c.one_of(&m, &[], "status", &["open", "close"], "");
    c.finish()?;
    let index = reachable(state, id, &user)?;
    let request = &mut state.approvals[index];
    if request.has_merged() {
        return Err(ApiError::bad_request("Approval request has been merged"));
    }
    if request.status() == status {
        return Err(ApiError::bad_request(if status == "open" {
            "Approval request is already open"
        } else {
            "Approval request is already closed"
        }));
    }
    request.record["status"] = json!(status);
    request.record["statusChangedByUserId"] = json!(user);
    request.record["updatedAt"] = json!(now_iso());
    Ok(json!({ "approval": request.record }))
}

fn merge(state: &mut State, input: &Input<'_>, path: &str, id: &str) -> Result<Value, ApiError> {
    let user = user(input, path)?.to_string();
    let mut c = Check::new();
    let m = body_object(&mut c, input)?;
    let bypass = c.string(&m, &[], "bypassReason", false, false);
    c.finish()?;
    let index = reachable(state, id, &user)?;
    let request = &state.approvals[index];
    // The emulator cannot apply a change twice; a real server would report conflicts.
    if request.has_merged() {
        return Err(ApiError::bad_request("Approval request has been merged"));
    }
    let approved = request
        .policy
        .approvers
        .iter()
        .filter(|a| request.review_of(a) == Some("approved"))
        .count();
    // A soft policy lets a merge through without its approvals (the reason is recorded).
    if approved < request.policy.approvals && request.policy.enforcement != "soft" {
        return Err(ApiError::bad_request(
            "Doesn't have minimum approvals needed",
        ));
    }
    let write = request.write.clone();
    let committer = request.committer.clone();
    crate::router::replay(state, &write, &committer)?;
    let request = &mut state.approvals[index];
    request.record["hasMerged"] = json!(true);
    request.record["status"] = json!("close");
    request.record["statusChangedByUserId"] = json!(user);
    request.record["bypassReason"] = json!(bypass);
    request.record["updatedAt"] = json!(now_iso());
    Ok(json!({ "approval": request.record }))
}
