//! What the approval-request routes answer (after `db/schemas/secret-approval-requests.ts`,
//! `secret-approval-requests-reviewers.ts` and the response schemas of
//! `ee/routes/v1/secret-approval-request-router.ts`). The list and the detail route answer
//! the same request with different parts: what one leaves out is empty or `None`. Fields a
//! server adds later are ignored; words it adds to its enums are kept as `Other`.

use crate::open_enum::open_enum;
use crate::SecretString;
use serde::{Deserialize, Serialize};

open_enum! {
    /// Whether a request is open (`RequestState`).
    RequestStatus {
        /// Waiting for reviews or a merge.
        Open = "open",
        /// Closed: merged, or closed without merging.
        Closed = "close",
    }
}

open_enum! {
    /// A reviewer's verdict (`ApprovalStatus`).
    ReviewStatus {
        /// Not reviewed yet.
        Pending = "pending",
        /// Approved.
        Approved = "approved",
        /// Rejected.
        Rejected = "rejected",
    }
}

open_enum! {
    /// What a change does to its secret (`SecretOperations`).
    ChangeOp {
        /// Creates the secret.
        Create = "create",
        /// Changes the secret.
        Update = "update",
        /// Deletes the secret.
        Delete = "delete",
    }
}

/// A user named in a request: its author, a reviewer, an approver.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ApprovalUser {
    /// The user's id.
    pub user_id: Option<String>,
    /// Their email, where the answer has it.
    pub email: Option<String>,
    /// Their username, where the answer has it.
    pub username: Option<String>,
    /// Their first name.
    pub first_name: Option<String>,
    /// Their last name.
    pub last_name: Option<String>,
}

/// The policy that caught the write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ApprovalPolicyRef {
    /// The policy's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// How many of its approvers must approve before a merge.
    pub approvals: u64,
    /// Who may approve.
    pub approvers: Vec<ApprovalUser>,
    /// The folder path it protects.
    pub secret_path: Option<String>,
    /// `hard` (approvals required) or `soft` (may be bypassed with a reason).
    pub enforcement_level: String,
}

/// A reviewer's verdict on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Reviewer {
    /// The reviewer's user id.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Their email (detail route).
    #[serde(default)]
    pub email: Option<String>,
    /// Their username (detail route).
    #[serde(default)]
    pub username: Option<String>,
    /// Their verdict.
    pub status: ReviewStatus,
    /// Their comment (current servers, detail route).
    #[serde(default)]
    pub comment: Option<String>,
}

/// A secret as it was when the change was asked for.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommitSecret {
    /// The secret's id.
    pub id: String,
    /// Its version.
    #[serde(default)]
    pub version: u64,
    /// Its name.
    #[serde(rename = "secretKey", default)]
    pub key: String,
    /// Its value (redacted in `Debug`); `None` where the server withholds it.
    #[serde(rename = "secretValue", default)]
    pub value: Option<SecretString>,
    /// Its comment.
    #[serde(rename = "secretComment", default)]
    pub comment: Option<String>,
}

impl std::fmt::Debug for CommitSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommitSecret")
            .field("id", &self.id)
            .field("version", &self.version)
            .field("key", &self.key)
            .field("value", &self.value)
            .finish_non_exhaustive()
    }
}

/// One change a request holds. The list route names only [`op`](Self::op) and
/// [`secret_id`](Self::secret_id); the detail route the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Commit {
    /// What it does.
    pub op: ChangeOp,
    /// The secret it changes (list route; none for a new secret).
    #[serde(default)]
    pub secret_id: Option<String>,
    /// The secret's name after the change (detail route).
    #[serde(rename = "secretKey", default)]
    pub key: Option<String>,
    /// The value after the change (detail route; redacted in `Debug`).
    #[serde(rename = "secretValue", default)]
    pub value: Option<SecretString>,
    /// Whether the server withholds the value from this caller (current servers).
    #[serde(rename = "secretValueHidden", default)]
    pub value_hidden: bool,
    /// The comment after the change (detail route).
    #[serde(rename = "secretComment", default)]
    pub comment: Option<String>,
    /// The secret before the change (detail route; none for a new secret).
    #[serde(default)]
    pub secret: Option<CommitSecret>,
}

/// A secret approval request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ApprovalRequest {
    /// The request's id (what [`Approval::id`](crate::secrets::Approval::id) names).
    pub id: String,
    /// Its slug.
    pub slug: String,
    /// Open or closed.
    pub status: Option<RequestStatus>,
    /// Whether its change was merged.
    pub has_merged: bool,
    /// The environment's slug.
    pub environment: String,
    /// The folder's path (detail route).
    pub secret_path: Option<String>,
    /// The folder's id.
    pub folder_id: String,
    /// The policy that caught the write.
    pub policy: ApprovalPolicyRef,
    /// Who asked for the change.
    pub committer_user_id: Option<String>,
    /// Who asked for the change, with their name.
    pub committer_user: Option<ApprovalUser>,
    /// Who last closed, reopened or merged it.
    pub status_changed_by_user_id: Option<String>,
    /// Why a merge bypassed the policy, if it did.
    pub bypass_reason: Option<String>,
    /// The verdicts so far.
    pub reviewers: Vec<Reviewer>,
    /// Who may approve (list route; the detail route names them in
    /// [`policy`](Self::policy)).
    pub approvers: Vec<ApprovalUser>,
    /// The changes it holds.
    pub commits: Vec<Commit>,
    /// When it was opened (RFC 3339).
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    pub updated_at: Option<String>,
}

impl ApprovalRequest {
    /// Whether it is open.
    pub fn is_open(&self) -> bool {
        self.status == Some(RequestStatus::Open)
    }

    /// How many of the policy's approvers have approved it.
    pub fn approvals(&self) -> usize {
        let approvers: Vec<&str> = self
            .policy
            .approvers
            .iter()
            .chain(&self.approvers)
            .filter_map(|a| a.user_id.as_deref())
            .collect();
        self.reviewers
            .iter()
            .filter(|r| r.status == ReviewStatus::Approved)
            .filter(|r| r.user_id.as_deref().is_some_and(|u| approvers.contains(&u)))
            .count()
    }
}

/// One page of a project's approval requests, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApprovalRequestPage {
    /// The requests of this page.
    #[serde(rename = "approvals")]
    pub requests: Vec<ApprovalRequest>,
    /// How many match in all (current servers).
    #[serde(default)]
    pub total_count: Option<u64>,
}

/// How many requests of a project are open and closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ApprovalCounts {
    /// Open requests.
    pub open: u64,
    /// Closed requests.
    pub closed: u64,
}

/// A reviewer's verdict, as the review route answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Review {
    /// The review's id.
    pub id: String,
    /// The verdict.
    pub status: ReviewStatus,
    /// The request reviewed.
    pub request_id: String,
    /// The reviewer's user id.
    pub reviewer_user_id: String,
    /// The comment (current servers).
    #[serde(default)]
    pub comment: Option<String>,
    /// When it was first given (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
}
