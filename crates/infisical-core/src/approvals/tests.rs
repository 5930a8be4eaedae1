//! Decoding approval-request answers shaped as `secret-approval-request-router.ts` declares
//! them (no recording of these routes exists), and hostile ones.

use super::*;
use crate::{ApiGeneration, Operation};
use bytes::Bytes;

fn answer<O: Operation>(op: &O, status: u16, body: &str) -> Result<O::Output, crate::Error> {
    let response = http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Bytes::from(body.to_owned()))
        .unwrap();
    op.parse_response(response)
}

const LIST_2024: &str = r#"{"approvals":[{"id":"a1","policyId":"p1","hasMerged":false,"status":"open","conflicts":[],"slug":"x1","folderId":"f1","createdAt":"2024-10-01T00:00:00.000Z","updatedAt":"2024-10-01T00:00:00.000Z","isReplicated":false,"committerUserId":"u1","statusChangedByUserId":null,"bypassReason":null,
 "policy":{"id":"p1","name":"prod","approvals":1,"approvers":[{"userId":"u2"}],"secretPath":"/","enforcementLevel":"hard"},
 "committerUser":{"userId":"u1","email":"a@example.com","firstName":null,"lastName":null,"username":"a@example.com"},
 "commits":[{"op":"update","secretId":"s1"},{"op":"create","secretId":null}],"environment":"prod",
 "reviewers":[{"userId":"u2","status":"approved"},{"userId":"u1","status":"approved"}],"approvers":[{"userId":"u2"}]}]}"#;

#[test]
fn a_list_of_2024_decodes_and_counts_only_approvers_approvals() {
    let page = answer(&ListApprovalRequests::new("p"), 200, LIST_2024).unwrap();
    assert_eq!(page.total_count, None);
    let r = &page.requests[0];
    assert!(r.is_open());
    assert_eq!(r.commits[0].op, ChangeOp::Update);
    assert_eq!(r.commits[1].secret_id, None);
    assert_eq!(
        r.committer_user.as_ref().unwrap().email.as_deref(),
        Some("a@example.com")
    );
    assert_eq!(r.approvals(), 1, "the author is not an approver");
    // A page shorter than the limit is the last.
    assert!(ListApprovalRequests::new("p").next_page(&page).is_none());
    let first = ListApprovalRequests::new("p").limit(1);
    assert_eq!(first.next_page(&page), Some(first.clone().offset(1)));
}

#[test]
fn a_detail_of_a_current_server_decodes_and_hides_values_in_debug() {
    let body = r#"{"approval":{"id":"a1","policyId":"p1","hasMerged":true,"status":"close","slug":"x","folderId":"f","committerUserId":"u1","statusChangedByUserId":"u2","bypassReason":null,
     "policy":{"id":"p1","name":"prod","approvals":1,"approvers":[{"userId":"u2","email":"b@example.com","firstName":null,"lastName":null,"username":"b"}],"bypassers":[],"secretPath":"/","enforcementLevel":"hard","deletedAt":null,"allowedSelfApprovals":true},
     "environment":"prod","statusChangedByUser":{"userId":"u2","email":"b@example.com","username":"b"},"committerUser":{"userId":"u1","email":null,"username":"a"},
     "reviewers":[{"userId":"u2","email":"b@example.com","username":"b","status":"approved","comment":"fine"}],"secretPath":"/",
     "commits":[{"id":"c1","secretKey":"A","secretValue":"new-value","secretValueHidden":false,"secretComment":"","op":"update","tags":[],"secretMetadata":null,
       "secret":{"id":"s1","version":3,"secretKey":"A","secretValue":"old-value","secretValueHidden":false,"secretComment":""}}]}}"#;
    let r = answer(&GetApprovalRequest::new("a1"), 200, body).unwrap();
    assert_eq!(r.status, Some(RequestStatus::Closed));
    assert!(r.has_merged);
    assert_eq!(r.reviewers[0].comment.as_deref(), Some("fine"));
    assert_eq!(r.approvals(), 1);
    let commit = &r.commits[0];
    assert_eq!(commit.value.as_ref().unwrap().expose(), "new-value");
    assert_eq!(
        commit
            .secret
            .as_ref()
            .unwrap()
            .value
            .as_ref()
            .unwrap()
            .expose(),
        "old-value"
    );
    let debug = format!("{r:?}");
    assert!(
        !debug.contains("new-value") && !debug.contains("old-value"),
        "{debug}"
    );
}

#[test]
fn unknown_words_are_kept_and_hostile_numbers_are_typed_errors() {
    let body = r#"{"approvals":[{"id":"a","status":"archived","policy":{"approvals":2},"commits":[{"op":"rotate"}],"reviewers":[{"userId":"u","status":"abstained"}]}],"totalCount":7}"#;
    let page = answer(&ListApprovalRequests::new("p"), 200, body).unwrap();
    let r = &page.requests[0];
    assert_eq!(r.status, Some(RequestStatus::Other("archived".into())));
    assert_eq!(r.commits[0].op.as_str(), "rotate");
    assert_eq!(
        r.reviewers[0].status,
        ReviewStatus::Other("abstained".into())
    );
    assert_eq!(page.total_count, Some(7));

    for hostile in [
        r#"{"approvals":[{"id":"a","policy":{"approvals":-1}}]}"#,
        r#"{"approvals":[{"id":"a","policy":{"approvals":1.5}}]}"#,
        r#"{"approvals":[{"id":"a","policy":{"approvals":"2"}}]}"#,
        r#"{"approvals":[],"totalCount":-3}"#,
        r#"{"approvals":{}}"#,
    ] {
        let err = answer(&ListApprovalRequests::new("p"), 200, hostile).unwrap_err();
        assert!(matches!(err, crate::Error::Decode(_)), "{hostile}: {err}");
    }
    // A count is two numbers, missing ones are zero.
    let counts = answer(
        &CountApprovalRequests::new("p"),
        200,
        r#"{"approvals":{"open":3}}"#,
    )
    .unwrap();
    assert_eq!((counts.open, counts.closed), (3, 0));
    // A huge totalCount never makes a next page past the end of what was listed.
    let page = answer(
        &ListApprovalRequests::new("p"),
        200,
        r#"{"approvals":[],"totalCount":18446744073709551615}"#,
    )
    .unwrap();
    assert!(ListApprovalRequests::new("p").next_page(&page).is_none());
}

#[test]
fn a_review_and_a_merge_decode() {
    let review = r#"{"review":{"id":"r","status":"rejected","requestId":"a","createdAt":"t","updatedAt":"t","reviewerUserId":"u","comment":null}}"#;
    let r = answer(&ReviewApprovalRequest::reject("a"), 200, review).unwrap();
    assert_eq!(r.status, ReviewStatus::Rejected);
    assert_eq!(r.comment, None);
    let merged = r#"{"approval":{"id":"a","policyId":"p","hasMerged":true,"status":"close","slug":"s","folderId":"f","committerUserId":"u"}}"#;
    let a = answer(&MergeApprovalRequest::new("a"), 200, merged).unwrap();
    assert!(a.has_merged);
    let request = MergeApprovalRequest::new("a")
        .to_http(ApiGeneration::Legacy)
        .unwrap();
    assert_eq!(
        request.uri().path(),
        "/api/v1/secret-approval-requests/a/merge"
    );
}

#[test]
fn access_requests_send_packed_rules_and_read_both_approver_shapes() {
    let request = RequestAccess::new("my-project", "prod", "/app")
        .actions(["read", "edit"])
        .temporary("1h");
    let http = request.to_http(ApiGeneration::Current).unwrap();
    assert_eq!(http.uri().query(), Some("projectSlug=my-project"));
    let sent: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
    let place = serde_json::json!({"environment": "prod", "secretPath": {"$glob": "/app"}});
    assert_eq!(
        sent,
        serde_json::json!({"permissions": [["read", "secrets", place], ["edit", "secrets", place]],
            "isTemporary": true, "temporaryRange": "1h"})
    );
    assert_eq!(
        RequestAccess::new("p", "prod", "/")
            .actions(Vec::<String>::new())
            .validate()
            .unwrap_err()
            .field(),
        "actions"
    );
    assert_eq!(
        RequestAccess::new("p", "", "/")
            .validate()
            .unwrap_err()
            .field(),
        "environment"
    );

    let of_2024 = r#"{"requests":[{"id":"r","policyId":"p","privilegeId":null,"isTemporary":false,"permissions":[["read","secrets",{}]],"requestedByUserId":"u","environmentName":"prod","isApproved":false,"privilege":null,
        "policy":{"id":"p","name":"n","approvals":1,"approvers":["u2","u3"],"secretPath":"/","envId":"e","enforcementLevel":"hard"},"reviewers":[],"requestedByUser":{"userId":"u","email":"a@example.com"}}]}"#;
    let current = r#"{"requests":[{"id":"r","policyId":"p","isTemporary":true,"temporaryRange":"1h","permissions":[],"requestedByUserId":"u","note":"n","environmentName":"prod","isApproved":true,"privilege":{"membershipId":"m","isTemporary":true},
        "policy":{"id":"p","name":"n","approvals":1,"approvers":[{"userId":"u2","email":"b@example.com"},{"userId":null}],"bypassers":[],"secretPath":"/","envId":"e","enforcementLevel":"hard","allowedSelfApprovals":true},"reviewers":[{"userId":"u2","status":"approved"}],"requestedByUser":{"userId":"u"},"approvedByUser":null,"revokedByUser":null}]}"#;
    for (body, approvers) in [(of_2024, vec!["u2", "u3"]), (current, vec!["u2"])] {
        let list = answer(&ListAccessRequests::new("p"), 200, body).unwrap();
        assert_eq!(list[0].policy.as_ref().unwrap().approvers, approvers);
    }
    let hostile = r#"{"requests":[{"id":"r","policy":{"approvers":[7]}}]}"#;
    assert!(matches!(
        answer(&ListAccessRequests::new("p"), 200, hostile).unwrap_err(),
        crate::Error::Decode(_)
    ));
    let counts = answer(
        &CountAccessRequests::new("p"),
        200,
        r#"{"pendingCount":2,"finalizedCount":5}"#,
    )
    .unwrap();
    assert_eq!((counts.pending_count, counts.finalized_count), (2, 5));
    let review = r#"{"review":{"id":"v","member":null,"status":"approved","requestId":"r","createdAt":"t","updatedAt":"t","reviewerUserId":"u2"}}"#;
    assert_eq!(
        answer(&ReviewAccessRequest::approve("r"), 200, review)
            .unwrap()
            .status,
        ReviewStatus::Approved
    );
}

#[test]
fn policies_name_the_project_both_ways_and_decode_both_generations() {
    let create = CreateApprovalPolicy::new("p", "prod", "/app", ["u1", "u2"]).approvals(2);
    let http = create.to_http(ApiGeneration::Current).unwrap();
    let sent: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"workspaceId": "p", "projectId": "p", "environment": "prod", "secretPath": "/app",
            "approvers": [{"type": "user", "id": "u1"}, {"type": "user", "id": "u2"}], "approvals": 2})
    );
    let list = ListApprovalPolicies::new("p")
        .to_http(ApiGeneration::Legacy)
        .unwrap();
    assert_eq!(list.uri().query(), Some("workspaceId=p&projectId=p"));
    let update = UpdateApprovalPolicy::new("id", ["u1"], 1).enforcement(EnforcementLevel::Soft);
    let sent: serde_json::Value =
        serde_json::from_slice(update.to_http(ApiGeneration::Current).unwrap().body()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"approvers": [{"type": "user", "id": "u1"}], "approvals": 1, "enforcementLevel": "soft"})
    );
    assert_eq!(
        UpdateApprovalPolicy::new("id", ["u1"], 0)
            .validate()
            .unwrap_err()
            .field(),
        "approvals"
    );
    assert_eq!(
        CreateApprovalPolicy::new("p", "prod", "/", [" "])
            .validate()
            .unwrap_err()
            .field(),
        "approvers"
    );

    let of_2024 = r#"{"approval":{"id":"a","name":"n","secretPath":"/","approvals":1,"envId":"e","enforcementLevel":"hard","environment":{"id":"e","name":"Production","slug":"prod"},"projectId":"p","approvers":[{"id":"u1","type":"user","name":"lead"}]}}"#;
    let current = r#"{"approval":{"id":"a","name":"n","secretPath":"/","approvals":1,"envId":"e","enforcementLevel":"strict-ish","environment":{"id":"e","name":"Production","slug":"prod"},"projectId":"p","approvers":[{"id":"g","type":"group"}],"bypassers":[],"allowedSelfApprovals":true,"deletedAt":null}}"#;
    let a = answer(&GetApprovalPolicy::new("a"), 200, of_2024).unwrap();
    assert_eq!(a.approvers[0].username.as_deref(), Some("lead"));
    let b = answer(&GetApprovalPolicy::new("a"), 200, current).unwrap();
    assert_eq!(b.approvers[0].kind, "group");
    assert_eq!(
        b.enforcement_level,
        Some(EnforcementLevel::Other("strict-ish".into()))
    );
    let hostile = r#"{"approval":{"id":"a","approvals":-1}}"#;
    assert!(matches!(
        answer(&GetApprovalPolicy::new("a"), 200, hostile).unwrap_err(),
        crate::Error::Decode(_)
    ));
}

#[test]
fn access_policies_name_the_project_by_slug() {
    let create = CreateApprovalPolicy::access("my-project", "prod", "/", ["u1"]);
    let http = create.to_http(ApiGeneration::Current).unwrap();
    assert_eq!(http.uri().path(), "/api/v1/access-approvals/policies");
    let sent: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"projectSlug": "my-project", "environment": "prod", "secretPath": "/",
            "approvers": [{"type": "user", "id": "u1"}], "approvals": 1})
    );
    let list = ListApprovalPolicies::access("my-project")
        .to_http(ApiGeneration::Current)
        .unwrap();
    assert_eq!(
        list.uri().to_string(),
        "/api/v1/access-approvals/policies?projectSlug=my-project"
    );
    let get = GetApprovalPolicy::access("id")
        .to_http(ApiGeneration::Current)
        .unwrap();
    assert_eq!(get.uri().path(), "/api/v1/access-approvals/policies/id");
    let delete = DeleteApprovalPolicy::new("id")
        .to_http(ApiGeneration::Current)
        .unwrap();
    assert_eq!(delete.uri().path(), "/api/v1/secret-approvals/id");
    let err = CreateApprovalPolicy::access("", "prod", "/", ["u1"])
        .validate()
        .unwrap_err();
    assert_eq!(err.field(), "project_slug");
}
