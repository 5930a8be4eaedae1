//! Reading approval requests: list a project's (a page at a time), count them, get one.

use super::model::{ApprovalCounts, ApprovalRequest, ApprovalRequestPage, RequestStatus};
use crate::error::require_field;
use crate::rest::{member, offset_limit, operation, whole, Routes};
use crate::InvalidRequest;

/// Lists a project's approval requests that the caller authored or may approve, newest
/// first, a page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListApprovalRequests {
    project_id: String,
    environment: Option<String>,
    status: Option<RequestStatus>,
    committer: Option<String>,
    search: Option<String>,
    offset: u64,
    limit: u64,
}

impl ListApprovalRequests {
    /// The first 20 requests of the project `project_id`, open or closed.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            environment: None,
            status: None,
            committer: None,
            search: None,
            offset: 0,
            limit: 20,
        }
    }

    /// Only requests in this environment (its slug).
    pub fn environment(mut self, environment: impl Into<String>) -> Self {
        self.environment = Some(environment.into());
        self
    }

    /// Only open, or only closed, requests.
    pub fn status(mut self, status: RequestStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only requests this user (their id) authored.
    pub fn committer(mut self, user_id: impl Into<String>) -> Self {
        self.committer = Some(user_id.into());
        self
    }

    /// Only requests matching this text (current servers; older ones list every request).
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.search = Some(text.into());
        self
    }

    /// The request for the page after `page` (the answer to this request), or `None` when
    /// `page` was the last: shorter than the limit, or reaching `totalCount` where the
    /// server counts.
    pub fn next_page(&self, page: &ApprovalRequestPage) -> Option<ListApprovalRequests> {
        let got = u64::try_from(page.requests.len()).unwrap_or(u64::MAX);
        let next = self.offset.checked_add(got)?;
        let more = page.total_count.is_none_or(|total| next < total);
        (got > 0 && got >= self.limit && more).then(|| self.clone().offset(next))
    }
}

offset_limit!(ListApprovalRequests, "requests", "1 to 1000 (default 20)");

const LIST: Routes = Routes::stable("GET /api/v1/secret-approval-requests");

operation! {
    ListApprovalRequests => ApprovalRequestPage;
    family(Stable)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        if !(1..=1000).contains(&s.limit) {
            return Err(InvalidRequest::new("limit", "must be 1 to 1000"));
        }
        Ok(())
    }
    request(s, generation) {
        LIST.at(generation)
            .query("workspaceId", &s.project_id)
            .query_opt("environment", s.environment.as_deref())
            .query_opt("status", s.status.as_ref().map(RequestStatus::as_str))
            .query_opt("committer", s.committer.as_deref())
            .query_opt("search", s.search.as_deref())
            .query("offset", &s.offset.to_string())
            .query("limit", &s.limit.to_string())
            .send()
    }
    answer(response) { whole(&LIST, response) }
}

/// Counts a project's open and closed approval requests (those the caller authored or may
/// approve).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountApprovalRequests {
    project_id: String,
}

impl CountApprovalRequests {
    /// Counts the requests of the project `project_id`.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
        }
    }
}

const COUNT: Routes = Routes::stable("GET /api/v1/secret-approval-requests/count");

operation! {
    CountApprovalRequests => ApprovalCounts;
    family(Stable)
    validate(s) { require_field("project_id", &s.project_id) }
    request(s, generation) {
        COUNT.at(generation).query("workspaceId", &s.project_id).send()
    }
    answer(response) { member(&COUNT, &["approvals"], response) }
}

of_one!(
    /// Gets an approval request with its changes, reviewers and policy.
    GetApprovalRequest(request_id),
    "Gets the approval request `request_id`."
);

const GET: Routes = Routes::stable("GET /api/v1/secret-approval-requests/{id}");

operation! {
    GetApprovalRequest => ApprovalRequest;
    family(Stable)
    validate(s) { require_field("request_id", &s.request_id) }
    request(s, generation) { GET.at(generation).arg(&s.request_id).send() }
    answer(response) { member(&GET, &["approval"], response) }
}
