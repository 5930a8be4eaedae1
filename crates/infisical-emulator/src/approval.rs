//! Approval policies: a write under a protected environment + path becomes a secret approval
//! request (`SecretApprovalRequestsSchema`) instead of a change.

use serde_json::{json, Value};

use crate::state::State;
use crate::util::{canonical_path, now_iso, random_alnum, uuid};

/// If `env` + `path` of `project_id` is protected, records an approval request and returns the
/// `{"approval": {...}}` answer.
pub(crate) fn request(state: &mut State, project_id: &str, env: &str, path: &str) -> Option<Value> {
    let project = state.project(project_id)?;
    let policy = project.policy(env, &canonical_path(path))?;
    let folder_id = project.folder(env, &canonical_path(path))?.id.clone();
    let now = now_iso();
    let approval = json!({
        "id": uuid(),
        "policyId": policy.id,
        "hasMerged": false,
        "status": "open",
        "conflicts": [],
        "slug": random_alnum(10).to_lowercase(),
        "folderId": folder_id,
        "createdAt": now,
        "updatedAt": now,
        "isReplicated": false,
        "committerUserId": uuid(),
        "statusChangedByUserId": null,
        "bypassReason": null,
    });
    state.approvals.push(approval.clone());
    Some(json!({ "approval": approval }))
}
