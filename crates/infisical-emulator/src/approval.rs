//! Approval policies catch users' writes (machine identities' writes pass: upstream
//! `services/secret/secret-service.ts` asks for a policy only when
//! `actor === ActorType.USER && type === SecretType.Shared`). A caught write changes nothing
//! and answers `{"approval": {...}}` (`SecretApprovalRequestsSchema`); the request keeps the
//! write's changes for review and the write itself, replayed when the request is merged.

use serde_json::{json, Value};

use crate::router::Incoming;
use crate::state::{Policy, State};
use crate::util::{canonical_path, now_iso, random_alnum, uuid};

/// One change a write asks for.
#[derive(Clone, Debug)]
pub(crate) struct Change {
    /// `create`, `update` or `delete` (`SecretOperations`).
    pub(crate) op: &'static str,
    pub(crate) key: String,
    pub(crate) new_key: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) comment: Option<String>,
}

impl Change {
    /// The changes of a write's body: `secrets[]` for a batch, else the one secret `name`.
    pub(crate) fn read(op: &'static str, name: Option<&str>, body: Option<&Value>) -> Vec<Change> {
        let text =
            |item: &Value, key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
        let one = |key: String, item: &Value| Change {
            op,
            key,
            new_key: text(item, "newSecretName"),
            value: text(item, "secretValue"),
            comment: text(item, "secretComment"),
        };
        let empty = Value::Null;
        let body = body.unwrap_or(&empty);
        match name {
            Some(name) => vec![one(name.trim().to_string(), body)],
            None => body
                .get("secrets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|item| one(text(item, "secretKey").unwrap_or_default(), item))
                .collect(),
        }
    }
}

/// A user's write being handled: set by the router, read by [`request`].
pub(crate) struct PendingWrite {
    pub(crate) user_id: String,
    pub(crate) request: Incoming,
    pub(crate) changes: Vec<Change>,
}

/// A secret approval request and what it holds back.
pub(crate) struct ApprovalRequest {
    /// The `SecretApprovalRequestsSchema` row.
    pub(crate) record: Value,
    pub(crate) project_id: String,
    pub(crate) environment: String,
    pub(crate) path: String,
    pub(crate) policy: Policy,
    pub(crate) committer: String,
    /// The changes as the detail route shows them.
    pub(crate) commits: Vec<Value>,
    /// `SecretApprovalRequestsReviewersSchema` rows.
    pub(crate) reviews: Vec<Value>,
    /// The write, replayed on merge.
    pub(crate) write: Incoming,
}

impl ApprovalRequest {
    pub(crate) fn id(&self) -> &str {
        self.record["id"].as_str().unwrap_or_default()
    }

    /// `open` or `close`.
    pub(crate) fn status(&self) -> &str {
        self.record["status"].as_str().unwrap_or_default()
    }

    pub(crate) fn has_merged(&self) -> bool {
        self.record["hasMerged"] == Value::Bool(true)
    }

    /// The review status `user` gave, if any.
    pub(crate) fn review_of(&self, user: &str) -> Option<&str> {
        self.reviews
            .iter()
            .find(|r| r["reviewerUserId"] == user)
            .and_then(|r| r["status"].as_str())
    }
}

/// If the write being handled is a user's and `env` + `path` of `project_id` is protected,
/// records an approval request and returns the `{"approval": {...}}` answer.
pub(crate) fn request(state: &mut State, project_id: &str, env: &str, path: &str) -> Option<Value> {
    let path = canonical_path(path);
    let modern = state.settings.mode != crate::ServerMode::Legacy;
    let pending = state.pending_write.take()?;
    let project = state.project(project_id)?;
    let policy = project.policy(env, &path)?.clone();
    let folder = project.folder(env, &path)?;
    let commits = pending
        .changes
        .iter()
        .map(|change| commit(change, folder.secret(&change.key), modern))
        .collect();
    let now = now_iso();
    let record = json!({
        "id": uuid(),
        "policyId": policy.id,
        "hasMerged": false,
        "status": "open",
        "conflicts": [],
        "slug": random_alnum(10).to_lowercase(),
        "folderId": folder.id,
        "createdAt": now,
        "updatedAt": now,
        "isReplicated": false,
        "committerUserId": pending.user_id,
        "statusChangedByUserId": null,
        "bypassReason": null,
    });
    state.approvals.push(ApprovalRequest {
        record: record.clone(),
        project_id: project_id.to_string(),
        environment: env.to_string(),
        path,
        policy,
        committer: pending.user_id,
        commits,
        reviews: Vec::new(),
        write: pending.request,
    });
    Some(json!({ "approval": record }))
}

/// A change as the detail route shows it (`commits[]` of `GET /:id`), with the secret it
/// changes (`secret`, null for a new one).
fn commit(change: &Change, current: Option<&crate::state::Secret>, modern: bool) -> Value {
    let secret = current.map(|s| {
        let mut v = json!({
            "id": s.id,
            "version": s.version,
            "secretKey": s.key,
            "secretValue": s.value,
            "secretComment": s.comment,
        });
        if modern {
            v["secretValueHidden"] = json!(false);
        }
        v
    });
    let value = change
        .value
        .clone()
        .or_else(|| current.map(|s| s.value.clone()))
        .unwrap_or_default();
    let comment = change
        .comment
        .clone()
        .or_else(|| current.map(|s| s.comment.clone()))
        .unwrap_or_default();
    let mut v = json!({
        "id": uuid(),
        "secretKey": change.new_key.clone().unwrap_or_else(|| change.key.clone()),
        "secretValue": value,
        "secretComment": comment,
        "op": change.op,
        "tags": [],
        "secret": secret,
        "secretId": current.map(|s| s.id.clone()),
    });
    if modern {
        v["secretValueHidden"] = json!(false);
    }
    v
}
