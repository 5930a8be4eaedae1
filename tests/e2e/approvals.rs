//! The approval workflow end to end, on both clients and both server generations: a user's
//! write is held by a policy naming an approver; the author and the approver find the
//! request, the approver reads the change and approves it, the author merges it and the
//! secret changes. Closing and reopening, the typed refusals (a merge without approvals, a
//! machine identity on these users-only routes), and paging.

const AUTHOR: &str = "author-session";
const APPROVER: &str = "approver-session";

macro_rules! exercise_approvals {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::approvals::*;
        use infisical::secrets::{GetSecret, UpdateSecret, WriteOutcome};
        use $crate::support::UserClient;

        let world: &$crate::support::World = $world;
        let (emu, p) = (&world.emulator, world.project.as_str());
        let author_id = emu.add_user("author@example.com", $crate::approvals::AUTHOR);
        let approver_id = emu.add_user("approver@example.com", $crate::approvals::APPROVER);
        emu.set_secret(p, "prod", "/", "A", "1");
        emu.set_secret(p, "prod", "/", "B", "1");
        emu.require_approvals(p, "prod", "/", &[&approver_id], 1);
        let author = UserClient::of(&$client, world, $crate::approvals::AUTHOR);
        let approver = UserClient::of(&$client, world, $crate::approvals::APPROVER);

        // The author's write is held.
        let held = author.secrets().update(UpdateSecret::new(p, "prod", "A").value("2"))$($aw)*.unwrap();
        let WriteOutcome::PendingApproval(pending) = held else { panic!("expected a pending approval: {held:?}") };
        assert_eq!(pending.committer_user_id.as_deref(), Some(author_id.as_str()));
        assert_eq!(emu.secret_value(p, "prod", "/", "A").as_deref(), Some("1"));

        // The approver finds it, with its change.
        let page = approver.approvals().list(ListApprovalRequests::new(p).status(RequestStatus::Open))$($aw)*.unwrap();
        assert_eq!(page.requests.len(), 1);
        let listed = &page.requests[0];
        assert_eq!(listed.id, pending.id);
        assert_eq!(listed.environment, "prod");
        assert_eq!(listed.commits[0].op, ChangeOp::Update);
        let detail = approver.approvals().get(GetApprovalRequest::new(&pending.id))$($aw)*.unwrap();
        assert_eq!(detail.secret_path.as_deref(), Some("/"));
        let change = &detail.commits[0];
        assert_eq!(change.key.as_deref(), Some("A"));
        assert_eq!(change.value.as_ref().unwrap().expose(), "2");
        assert_eq!(change.secret.as_ref().unwrap().value.as_ref().unwrap().expose(), "1");
        assert_eq!(detail.policy.approvals, 1);
        assert_eq!(detail.approvals(), 0);

        // No merge before the approver approves: a typed 400, nothing changes.
        let early = author.approvals().merge(MergeApprovalRequest::new(&pending.id))$($aw)*.unwrap_err();
        assert_eq!(early.status().map(|s| s.as_u16()), Some(400), "{early}");
        assert_eq!(emu.secret_value(p, "prod", "/", "A").as_deref(), Some("1"));

        let review = approver.approvals().review(ReviewApprovalRequest::approve(&pending.id).comment("looks right"))$($aw)*.unwrap();
        assert_eq!(review.status, ReviewStatus::Approved);
        assert_eq!(review.reviewer_user_id, approver_id);
        let detail = author.approvals().get(GetApprovalRequest::new(&pending.id))$($aw)*.unwrap();
        assert_eq!(detail.approvals(), 1);

        let merged = author.approvals().merge(MergeApprovalRequest::new(&pending.id))$($aw)*.unwrap();
        assert!(merged.has_merged);
        let now = author.secrets().get(GetSecret::new(p, "prod", "A"))$($aw)*.unwrap();
        assert_eq!(now.value().unwrap(), "2");
        assert_eq!(emu.secret_value(p, "prod", "/", "A").as_deref(), Some("2"));

        // Another change: closed, reopened, rejected; counted; paged.
        let held = author.secrets().update(UpdateSecret::new(p, "prod", "B").value("2"))$($aw)*.unwrap();
        let WriteOutcome::PendingApproval(second) = held else { panic!("expected a pending approval") };
        let closed = author.approvals().close(CloseApprovalRequest::new(&second.id))$($aw)*.unwrap();
        assert_eq!(closed.status, "close");
        let again = author.approvals().close(CloseApprovalRequest::new(&second.id))$($aw)*.unwrap_err();
        assert_eq!(again.status().map(|s| s.as_u16()), Some(400), "{again}");
        let counts = approver.approvals().count(CountApprovalRequests::new(p))$($aw)*.unwrap();
        assert_eq!((counts.open, counts.closed), (0, 2));
        author.approvals().reopen(ReopenApprovalRequest::new(&second.id))$($aw)*.unwrap();
        approver.approvals().review(ReviewApprovalRequest::reject(&second.id))$($aw)*.unwrap();
        let first = ListApprovalRequests::new(p).limit(1);
        let page = approver.approvals().list(first.clone())$($aw)*.unwrap();
        assert_eq!(page.requests[0].id, second.id, "newest first");
        assert_eq!(page.requests[0].reviewers[0].status, ReviewStatus::Rejected);
        let next = first.next_page(&page).expect("a full page has a next one");
        let rest = approver.approvals().list(next.clone())$($aw)*.unwrap();
        assert_eq!(rest.requests[0].id, pending.id);
        assert_eq!(emu.secret_value(p, "prod", "/", "B").as_deref(), Some("1"));

        // A machine identity: its writes pass the policy, and these routes refuse it.
        let direct = $client.secrets().update(UpdateSecret::new(p, "prod", "B").value("3"))$($aw)*.unwrap();
        assert!(!direct.is_pending_approval());
        let refused = $client.approvals().list(ListApprovalRequests::new(p))$($aw)*.unwrap_err();
        assert!(refused.is_users_only(), "{refused}");
        assert!(refused.is_auth());
        let refused = $client.approvals().merge(MergeApprovalRequest::new(&second.id))$($aw)*.unwrap_err();
        assert!(refused.is_users_only(), "{refused}");
    }};
}

on_every_client!(exercise_approvals, blocking: Legacy);

#[tokio::test]
async fn blank_ids_are_refused_before_sending() {
    use infisical::approvals::{GetApprovalRequest, ListApprovalRequests};
    let world = crate::support::World::modern();
    let client = world.client();
    let err = client
        .approvals()
        .get(GetApprovalRequest::new(" "))
        .await
        .unwrap_err();
    assert!(
        matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "request_id"),
        "{err}"
    );
    let err = client
        .approvals()
        .list(ListApprovalRequests::new("p").limit(0))
        .await
        .unwrap_err();
    assert!(
        matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "limit"),
        "{err}"
    );
    assert_eq!(world.emulator.requests().len(), 0, "nothing was sent");
}

const REQUESTER: &str = "requester-session";

macro_rules! exercise_access_requests {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::approvals::*;
        use $crate::support::UserClient;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let project = $client.projects().get(infisical::projects::GetProject::new(&world.project))$($aw)*.unwrap();
        let slug = project.slug.as_str();
        let requester_id = emu.add_user("dev@example.com", $crate::approvals::REQUESTER);
        let approver_id = emu.add_user("lead@example.com", $crate::approvals::APPROVER);
        emu.require_access_approvals(&world.project, "prod", "/", &[&approver_id], 1);
        let requester = UserClient::of(&$client, world, $crate::approvals::REQUESTER);
        let approver = UserClient::of(&$client, world, $crate::approvals::APPROVER);

        let asked = requester.approvals().request_access(RequestAccess::new(slug, "prod", "/").actions(["read", "edit"]).temporary("1h").note("incident 42"))$($aw)*.unwrap();
        assert_eq!(asked.requested_by_user_id.as_deref(), Some(requester_id.as_str()));
        assert!(asked.is_temporary);
        assert_eq!(asked.privilege_id, None);
        // The same request again, while it waits: a typed 400.
        let again = requester.approvals().request_access(RequestAccess::new(slug, "prod", "/").actions(["read", "edit"]).temporary("1h"))$($aw)*.unwrap_err();
        assert_eq!(again.status().map(|s| s.as_u16()), Some(400), "{again}");
        // No policy there: a typed 404.
        let unguarded = requester.approvals().request_access(RequestAccess::new(slug, "dev", "/"))$($aw)*.unwrap_err();
        assert!(unguarded.is_not_found(), "{unguarded}");

        let counts = approver.approvals().count_access_requests(CountAccessRequests::new(slug))$($aw)*.unwrap();
        assert_eq!((counts.pending_count, counts.finalized_count), (1, 0));
        let listed = approver.approvals().list_access_requests(ListAccessRequests::new(slug).environment("prod"))$($aw)*.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].policy.as_ref().unwrap().approvers, [approver_id.as_str()]);
        assert_eq!(listed[0].requested_by_user.as_ref().unwrap().email.as_deref(), Some("dev@example.com"));
        assert!(!listed[0].is_approved);

        let review = approver.approvals().review_access_request(ReviewAccessRequest::approve(&asked.id))$($aw)*.unwrap();
        assert_eq!(review.status, ReviewStatus::Approved);
        let listed = requester.approvals().list_access_requests(ListAccessRequests::new(slug))$($aw)*.unwrap();
        assert!(listed[0].is_approved);
        assert!(listed[0].privilege_id.is_some());
        let twice = approver.approvals().review_access_request(ReviewAccessRequest::reject(&asked.id))$($aw)*.unwrap_err();
        assert_eq!(twice.status().map(|s| s.as_u16()), Some(400), "{twice}");
        let counts = approver.approvals().count_access_requests(CountAccessRequests::new(slug))$($aw)*.unwrap();
        assert_eq!((counts.pending_count, counts.finalized_count), (0, 1));

        let refused = $client.approvals().list_access_requests(ListAccessRequests::new(slug))$($aw)*.unwrap_err();
        assert!(refused.is_users_only(), "{refused}");
    }};
}

mod access_requests {
    on_every_client!(exercise_access_requests, blocking: Legacy);
}

macro_rules! exercise_approval_policies {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::approvals::*;
        use infisical::secrets::{UpdateSecret, WriteOutcome};
        use $crate::support::UserClient;

        let world: &$crate::support::World = $world;
        let (emu, p) = (&world.emulator, world.project.as_str());
        let approver_id = emu.add_user("lead@example.com", $crate::approvals::APPROVER);
        emu.add_user("dev@example.com", $crate::approvals::AUTHOR);
        emu.set_secret(p, "prod", "/app", "K", "1");
        let author = UserClient::of(&$client, world, $crate::approvals::AUTHOR);

        // A machine identity sets the policy up; the author's writes there are held.
        let policy = $client.approvals().create_policy(CreateApprovalPolicy::new(p, "prod", "/app", [&approver_id]).name("prod-app"))$($aw)*.unwrap();
        assert_eq!(policy.name, "prod-app");
        assert_eq!(policy.approvals, 1);
        assert_eq!(policy.environment.as_ref().map(|e| e.slug.as_str()), Some("prod"));
        assert_eq!(policy.approvers[0].id.as_deref(), Some(approver_id.as_str()));
        let held = author.secrets().update(UpdateSecret::new(p, "prod", "K").value("2").path("/app"))$($aw)*.unwrap();
        let WriteOutcome::PendingApproval(pending) = held else { panic!("expected a pending approval: {held:?}") };
        assert_eq!(pending.policy_id, policy.id);

        // Listing is for users; reading one is not.
        let listed = author.approvals().list_policies(ListApprovalPolicies::new(p))$($aw)*.unwrap();
        assert_eq!(listed.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), [policy.id.as_str()]);
        let refused = $client.approvals().list_policies(ListApprovalPolicies::new(p))$($aw)*.unwrap_err();
        assert!(refused.is_users_only(), "{refused}");
        let got = $client.approvals().get_policy(GetApprovalPolicy::new(&policy.id))$($aw)*.unwrap();
        assert_eq!(got, policy);

        // Soft: the author merges without approvals.
        let soft = UpdateApprovalPolicy::new(&policy.id, [&approver_id], 1).enforcement(EnforcementLevel::Soft);
        let soft = $client.approvals().update_policy(soft)$($aw)*.unwrap();
        assert_eq!(soft.enforcement_level, Some(EnforcementLevel::Soft));
        author.approvals().merge(MergeApprovalRequest::new(&pending.id).bypass_reason("incident 42"))$($aw)*.unwrap();
        assert_eq!(emu.secret_value(p, "prod", "/app", "K").as_deref(), Some("2"));

        // More approvals than approvers, or none: refused before sending.
        let err = $client.approvals().update_policy(UpdateApprovalPolicy::new(&policy.id, [&approver_id], 2))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "approvals"), "{err}");
        let err = $client.approvals().create_policy(CreateApprovalPolicy::new(p, "prod", "/", Vec::<String>::new()))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "approvers"), "{err}");

        // Deleted: the author's writes apply at once again.
        $client.approvals().delete_policy(DeleteApprovalPolicy::new(&policy.id))$($aw)*.unwrap();
        let applied = author.secrets().update(UpdateSecret::new(p, "prod", "K").value("3").path("/app"))$($aw)*.unwrap();
        assert!(!applied.is_pending_approval());
        let gone = $client.approvals().get_policy(GetApprovalPolicy::new(&policy.id))$($aw)*.unwrap_err();
        assert!(gone.is_not_found(), "{gone}");

        // Access policies, by project slug: who approves access requests there.
        let slug = $client.projects().get(infisical::projects::GetProject::new(p))$($aw)*.unwrap().slug;
        let access = $client.approvals().create_policy(CreateApprovalPolicy::access(&slug, "prod", "/app", [&approver_id]))$($aw)*.unwrap();
        assert_eq!(access.secret_path.as_deref(), Some("/app"));
        let listed = author.approvals().list_policies(ListApprovalPolicies::access(&slug))$($aw)*.unwrap();
        assert_eq!(listed.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), [access.id.as_str()]);
        assert!(author.approvals().list_policies(ListApprovalPolicies::new(p))$($aw)*.unwrap().is_empty(), "the kinds are apart");
        let asked = author.approvals().request_access(RequestAccess::new(&slug, "prod", "/app"))$($aw)*.unwrap();
        assert_eq!(asked.policy_id, access.id);
        let renamed = $client.approvals().update_policy(UpdateApprovalPolicy::access(&access.id, [&approver_id], 1).name("prod-app-access"))$($aw)*.unwrap();
        assert_eq!(renamed.name, "prod-app-access");
        assert_eq!($client.approvals().get_policy(GetApprovalPolicy::access(&access.id))$($aw)*.unwrap().name, "prod-app-access");
        $client.approvals().delete_policy(DeleteApprovalPolicy::access(&access.id))$($aw)*.unwrap();
        let unguarded = author.approvals().request_access(RequestAccess::new(&slug, "prod", "/app").actions(["edit"]))$($aw)*.unwrap_err();
        assert!(unguarded.is_not_found(), "{unguarded}");
    }};
}

mod approval_policies {
    on_every_client!(exercise_approval_policies, blocking: Legacy);
}
