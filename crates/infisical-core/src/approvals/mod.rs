//! Secret approval requests: what a write caught by an approval policy
//! ([`WriteOutcome::PendingApproval`](crate::secrets::WriteOutcome::PendingApproval)) opens.
//! List them (by environment, status, author; a page at a time), count them, get one with
//! its changes, review it (approve or reject, with a comment on current servers), close or
//! reopen it, and merge it once approved, which applies the change. And access requests:
//! ask for access to what an access policy guards, and review such requests. And the secret
//! approval policies themselves: create, list, get, change, delete.
//!
//! Approvals are a user's business: Infisical serves these routes to users' sessions only
//! (the CLI's login, an access token of a user). A machine identity gets a 403 that
//! [`Error::is_users_only`](crate::Error::is_users_only) recognizes — and, as its writes are
//! never caught by a policy, it has no requests of its own. The routes are the same on
//! servers of 2024 and current ones (`ee/routes/v1/secret-approval-request-router.ts`).

/// A request about one thing named by its id, built with `new(id)`: `$field` holds the
/// id (`request_id`, `policy_id`).
macro_rules! of_one {
    ($(#[$doc:meta])* $name:ident($field:ident), $new_doc:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            $field: String,
        }

        impl $name {
            #[doc = $new_doc]
            pub fn new($field: impl Into<String>) -> Self {
                Self {
                    $field: $field.into(),
                }
            }
        }
    };
}

mod access;
mod model;
mod policies;
mod requests;
mod review;

pub use access::{
    AccessPolicyRef, AccessRequest, AccessRequestCounts, AccessReviewer, CountAccessRequests,
    ListAccessRequests, RequestAccess, ReviewAccessRequest,
};

pub use model::{
    ApprovalCounts, ApprovalPolicyRef, ApprovalRequest, ApprovalRequestPage, ApprovalUser,
    ChangeOp, Commit, CommitSecret, RequestStatus, Review, ReviewStatus, Reviewer,
};
pub use policies::{
    ApprovalPolicy, CreateApprovalPolicy, DeleteApprovalPolicy, EnforcementLevel,
    GetApprovalPolicy, ListApprovalPolicies, PolicyApprover, PolicyEnvironment,
    UpdateApprovalPolicy,
};
pub use requests::{CountApprovalRequests, GetApprovalRequest, ListApprovalRequests};
pub use review::{
    CloseApprovalRequest, MergeApprovalRequest, ReopenApprovalRequest, ReviewApprovalRequest,
};

#[cfg(test)]
mod tests;
