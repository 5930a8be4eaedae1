//! Acting on an approval request: review it, close or reopen it, merge it.

use super::model::{Review, ReviewStatus};
use crate::error::require_field;
use crate::rest::{member, operation, Routes};
use crate::secrets::Approval;
use serde::Serialize;

/// Approves or rejects an approval request, with an optional comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewApprovalRequest {
    request_id: String,
    body: ReviewBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ReviewBody {
    status: ReviewStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

impl ReviewApprovalRequest {
    /// Approves the request `request_id`.
    pub fn approve(request_id: impl Into<String>) -> Self {
        Self::with(request_id.into(), ReviewStatus::Approved)
    }

    /// Rejects the request `request_id`.
    pub fn reject(request_id: impl Into<String>) -> Self {
        Self::with(request_id.into(), ReviewStatus::Rejected)
    }

    fn with(request_id: String, status: ReviewStatus) -> Self {
        Self {
            request_id,
            body: ReviewBody {
                status,
                comment: None,
            },
        }
    }

    /// A comment for the author (kept by current servers; older ones drop it).
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }
}

const REVIEW: Routes = Routes::stable("POST /api/v1/secret-approval-requests/{id}/review");

operation! {
    ReviewApprovalRequest => Review;
    family(Stable)
    validate(s) { require_field("request_id", &s.request_id) }
    request(s, generation) { REVIEW.at(generation).arg(&s.request_id).send_json(&s.body) }
    answer(response) { member(&REVIEW, &["review"], response) }
}

#[derive(Serialize)]
struct StatusBody {
    status: &'static str,
}

const STATUS: Routes = Routes::stable("POST /api/v1/secret-approval-requests/{id}/status");

of_one!(
    /// Closes an approval request without merging it.
    CloseApprovalRequest(request_id),
    "Closes the request `request_id`."
);

operation! {
    CloseApprovalRequest => Approval;
    family(Stable)
    validate(s) { require_field("request_id", &s.request_id) }
    request(s, generation) {
        STATUS.at(generation).arg(&s.request_id).send_json(&StatusBody { status: "close" })
    }
    answer(response) { member(&STATUS, &["approval"], response) }
}

of_one!(
    /// Reopens a closed approval request that was not merged.
    ReopenApprovalRequest(request_id),
    "Reopens the request `request_id`."
);

operation! {
    ReopenApprovalRequest => Approval;
    family(Stable)
    validate(s) { require_field("request_id", &s.request_id) }
    request(s, generation) {
        STATUS.at(generation).arg(&s.request_id).send_json(&StatusBody { status: "open" })
    }
    answer(response) { member(&STATUS, &["approval"], response) }
}

/// Merges an approved request: its change is applied, and the request closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeApprovalRequest {
    request_id: String,
    body: MergeBody,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct MergeBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    bypass_reason: Option<String>,
}

impl MergeApprovalRequest {
    /// Merges the request `request_id`.
    pub fn new(request_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
            body: MergeBody::default(),
        }
    }

    /// Why the policy is bypassed, under a `soft` policy without enough approvals.
    pub fn bypass_reason(mut self, reason: impl Into<String>) -> Self {
        self.body.bypass_reason = Some(reason.into());
        self
    }
}

const MERGE: Routes = Routes::stable("POST /api/v1/secret-approval-requests/{id}/merge");

operation! {
    MergeApprovalRequest => Approval;
    family(Stable)
    validate(s) { require_field("request_id", &s.request_id) }
    request(s, generation) { MERGE.at(generation).arg(&s.request_id).send_json(&s.body) }
    answer(response) { member(&MERGE, &["approval"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::approvals::{ListApprovalRequests, RequestStatus};
    use crate::{ApiGeneration, Operation};

    fn body(request: http::Request<bytes::Bytes>) -> serde_json::Value {
        serde_json::from_slice(request.body()).unwrap()
    }

    #[test]
    fn routes_and_bodies() {
        let r = ReviewApprovalRequest::approve("r 1").comment("fine");
        let http = r.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(http.method(), http::Method::POST);
        assert_eq!(
            http.uri().path(),
            "/api/v1/secret-approval-requests/r%201/review"
        );
        assert_eq!(
            body(http),
            serde_json::json!({"status": "approved", "comment": "fine"})
        );
        let http = ReviewApprovalRequest::reject("r")
            .to_http(ApiGeneration::Legacy)
            .unwrap();
        assert_eq!(body(http), serde_json::json!({"status": "rejected"}));

        let http = CloseApprovalRequest::new("r")
            .to_http(ApiGeneration::Current)
            .unwrap();
        assert_eq!(
            http.uri().path(),
            "/api/v1/secret-approval-requests/r/status"
        );
        assert_eq!(body(http), serde_json::json!({"status": "close"}));
        let http = ReopenApprovalRequest::new("r")
            .to_http(ApiGeneration::Current)
            .unwrap();
        assert_eq!(body(http), serde_json::json!({"status": "open"}));

        let http = MergeApprovalRequest::new("r")
            .to_http(ApiGeneration::Current)
            .unwrap();
        assert_eq!(
            http.uri().path(),
            "/api/v1/secret-approval-requests/r/merge"
        );
        assert_eq!(body(http), serde_json::json!({}));
        let http = MergeApprovalRequest::new("r")
            .bypass_reason("outage")
            .to_http(ApiGeneration::Current)
            .unwrap();
        assert_eq!(body(http), serde_json::json!({"bypassReason": "outage"}));

        let list = ListApprovalRequests::new("p")
            .environment("prod")
            .status(RequestStatus::Closed)
            .limit(5);
        let http = list.to_http(ApiGeneration::Current).unwrap();
        let query = http.uri().query().unwrap();
        for part in [
            "workspaceId=p",
            "environment=prod",
            "status=close",
            "limit=5",
            "offset=0",
        ] {
            assert!(query.split('&').any(|q| q == part), "{part} in {query}");
        }
    }

    #[test]
    fn blank_ids_and_bad_limits_are_refused_before_sending() {
        for err in [
            ReviewApprovalRequest::approve("").validate().unwrap_err(),
            MergeApprovalRequest::new(" ").validate().unwrap_err(),
            CloseApprovalRequest::new("").validate().unwrap_err(),
        ] {
            assert_eq!(err.field(), "request_id");
        }
        assert_eq!(
            ListApprovalRequests::new("")
                .validate()
                .unwrap_err()
                .field(),
            "project_id"
        );
        for limit in [0, 1001] {
            let err = ListApprovalRequests::new("p")
                .limit(limit)
                .validate()
                .unwrap_err();
            assert_eq!(err.field(), "limit");
        }
    }
}
