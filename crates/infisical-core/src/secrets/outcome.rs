//! Writes that an approval policy holds back.

use crate::Error;
use serde::{Deserialize, Serialize};

/// A change request opened by a write that an approval policy caught.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Approval {
    /// The approval request's id.
    pub id: String,
    /// The policy that caught the write.
    pub policy_id: String,
    /// The request's slug.
    pub slug: String,
    /// `open` until reviewed.
    pub status: String,
    /// Whether the change has been merged.
    pub has_merged: bool,
    /// The folder the change applies to.
    pub folder_id: String,
    /// Who asked for the change.
    pub committer_user_id: Option<String>,
    /// When the request was opened.
    pub created_at: Option<String>,
}

/// What a write did: applied, or held for approval.
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a write may be pending approval rather than applied"]
pub enum WriteOutcome<T> {
    /// The change is live.
    Applied(T),
    /// An approval policy holds the change until someone approves it.
    PendingApproval(Approval),
}

impl<T> WriteOutcome<T> {
    /// The applied value, if the change is live.
    pub fn applied(self) -> Option<T> {
        match self {
            WriteOutcome::Applied(v) => Some(v),
            WriteOutcome::PendingApproval(_) => None,
        }
    }

    /// Whether the change waits for approval.
    pub fn is_pending_approval(&self) -> bool {
        matches!(self, WriteOutcome::PendingApproval(_))
    }

    /// The applied value, or an error when the change waits for approval.
    pub fn into_applied(self) -> Result<T, Error> {
        match self {
            WriteOutcome::Applied(v) => Ok(v),
            WriteOutcome::PendingApproval(a) => Err(Error::PendingApproval(Box::new(a))),
        }
    }
}

/// `{secret}` / `{secrets}` or `{approval}` on the wire.
#[derive(Deserialize)]
pub(crate) struct WriteAnswer<T> {
    #[serde(alias = "secret", alias = "secrets")]
    pub(crate) applied: Option<T>,
    pub(crate) approval: Option<Approval>,
}

impl<T> WriteAnswer<T> {
    pub(crate) fn into_outcome(
        self,
        route: &'static str,
        status: http::StatusCode,
    ) -> Result<WriteOutcome<T>, Error> {
        match (self.applied, self.approval) {
            (Some(v), _) => Ok(WriteOutcome::Applied(v)),
            (None, Some(a)) => Ok(WriteOutcome::PendingApproval(a)),
            (None, None) => Err(crate::DecodeError::new(
                route,
                status,
                "neither `secret(s)` nor `approval` in the answer",
            )
            .into()),
        }
    }
}
