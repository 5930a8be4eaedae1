//! `client.approvals()`.

use crate::approvals::{
    ApprovalPolicy, CreateApprovalPolicy, DeleteApprovalPolicy, GetApprovalPolicy,
    ListApprovalPolicies, UpdateApprovalPolicy, AccessRequest, AccessRequestCounts, CountAccessRequests, ListAccessRequests, RequestAccess,
    ReviewAccessRequest, ApprovalCounts, ApprovalRequest, ApprovalRequestPage, CloseApprovalRequest,
    CountApprovalRequests, GetApprovalRequest, ListApprovalRequests, MergeApprovalRequest,
    ReopenApprovalRequest, Review, ReviewApprovalRequest,
};
use crate::secrets::Approval;

super::resource! {
    /// Secret approval requests (the changes approval policies hold back, and what users
    /// do with them) and access requests. Infisical serves these routes to users only (the CLI's login, a user's
    /// access token); a machine identity gets an error for which
    /// [`Error::is_users_only`](crate::Error::is_users_only) is true.
    Approvals, approvals;
    /// Lists a project's requests that the caller authored or may approve, newest first, a
    /// page at a time ([`ListApprovalRequests::next_page`] gives the next).
    fn list(ListApprovalRequests) -> ApprovalRequestPage;
    /// Counts a project's open and closed requests.
    fn count(CountApprovalRequests) -> ApprovalCounts;
    /// Gets a request with its changes (values included, redacted in `Debug`), its
    /// reviewers and its policy.
    fn get(GetApprovalRequest) -> ApprovalRequest;
    /// Approves or rejects a request.
    fn review(ReviewApprovalRequest) -> Review;
    /// Closes a request without merging it.
    fn close(CloseApprovalRequest) -> Approval;
    /// Reopens a closed request that was not merged.
    fn reopen(ReopenApprovalRequest) -> Approval;
    /// Merges an approved request: its change is applied and it closes.
    fn merge(MergeApprovalRequest) -> Approval;
    /// Asks for access to what an access policy guards.
    fn request_access(RequestAccess) -> AccessRequest;
    /// Lists a project's access requests.
    fn list_access_requests(ListAccessRequests) -> Vec<AccessRequest>;
    /// Counts a project's pending and finalized access requests.
    fn count_access_requests(CountAccessRequests) -> AccessRequestCounts;
    /// Approves or rejects an access request; enough approvals grant the access.
    fn review_access_request(ReviewAccessRequest) -> Review;
    /// Creates a secret approval policy (users and machine identities).
    fn create_policy(CreateApprovalPolicy) -> ApprovalPolicy;
    /// Lists a project's secret approval policies (users only).
    fn list_policies(ListApprovalPolicies) -> Vec<ApprovalPolicy>;
    /// Gets a secret approval policy.
    fn get_policy(GetApprovalPolicy) -> ApprovalPolicy;
    /// Changes a secret approval policy's approvers, approvals, name, path or enforcement.
    fn update_policy(UpdateApprovalPolicy) -> ApprovalPolicy;
    /// Deletes a secret approval policy.
    fn delete_policy(DeleteApprovalPolicy) -> ApprovalPolicy;
}
