//! Secret approval policies (`/api/v1/secret-approvals`, after
//! `ee/routes/v1/secret-approval-policy-router.ts`): which environment and folder need
//! approvals, from whom, how many. Creating, reading one, changing and deleting take a
//! user's or a machine identity's credentials; listing a project's takes a user's. Servers
//! of 2024 name the project `workspaceId`, current ones `projectId`: the SDK sends both.

use crate::error::require_field;
use crate::open_enum::open_enum;
use crate::rest::{member, operation, Routes};
use crate::InvalidRequest;
use serde::{Deserialize, Serialize};

open_enum! {
    /// How strictly a policy holds (`EnforcementLevel`).
    EnforcementLevel {
        /// No merge without the approvals.
        Hard = "hard",
        /// A merge may bypass missing approvals, with a reason.
        Soft = "soft",
    }
}

/// A secret approval policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ApprovalPolicy {
    /// The policy's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The project's id.
    pub project_id: String,
    /// The environment it guards.
    pub environment: Option<PolicyEnvironment>,
    /// The folder path it guards.
    pub secret_path: Option<String>,
    /// How many approvals a change needs.
    pub approvals: u64,
    /// Who may approve.
    pub approvers: Vec<PolicyApprover>,
    /// `hard` or `soft`.
    pub enforcement_level: Option<EnforcementLevel>,
    /// When it was created (RFC 3339).
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    pub updated_at: Option<String>,
}

/// The environment of a policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PolicyEnvironment {
    /// The environment's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its slug.
    pub slug: String,
}

/// An approver of a policy: a user or a group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PolicyApprover {
    /// The user's or group's id.
    pub id: Option<String>,
    /// `user` or `group`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The user's name, where the answer has it.
    #[serde(alias = "name")]
    pub username: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct UserApprover {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
}

fn users(ids: impl IntoIterator<Item = impl Into<String>>) -> Vec<UserApprover> {
    ids.into_iter()
        .map(|id| UserApprover {
            kind: "user",
            id: id.into(),
        })
        .collect()
}

/// Approvers named, none blank; at most as many approvals required as approvers.
fn check_approvers(approvers: &[UserApprover], approvals: u64) -> Result<(), InvalidRequest> {
    if approvers.is_empty() || approvers.iter().any(|a| a.id.trim().is_empty()) {
        return Err(InvalidRequest::new(
            "approvers",
            "name at least one user, none blank",
        ));
    }
    if approvals == 0 || approvals > u64::try_from(approvers.len()).unwrap_or(u64::MAX) {
        return Err(InvalidRequest::new(
            "approvals",
            "must be 1 to the number of approvers",
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    workspace_id: String,
    project_id: String,
    environment: String,
    secret_path: String,
    approvers: Vec<UserApprover>,
    approvals: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enforcement_level: Option<EnforcementLevel>,
}

/// Creates a secret approval policy: changes users make under a folder of an environment
/// need approvals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateApprovalPolicy {
    body: CreateBody,
}

impl CreateApprovalPolicy {
    /// Changes under `path` in `environment` of the project `project_id` need one approval
    /// from one of `approvers` (user ids).
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        path: impl Into<String>,
        approvers: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let project_id = project_id.into();
        Self {
            body: CreateBody {
                workspace_id: project_id.clone(),
                project_id,
                environment: environment.into(),
                secret_path: path.into(),
                approvers: users(approvers),
                approvals: 1,
                name: None,
                enforcement_level: None,
            },
        }
    }

    /// How many of the approvers must approve (default 1).
    pub fn approvals(mut self, approvals: u64) -> Self {
        self.body.approvals = approvals;
        self
    }

    /// The policy's name (the server makes one up otherwise).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.name = Some(name.into());
        self
    }

    /// How strictly it holds (default: hard).
    pub fn enforcement(mut self, level: EnforcementLevel) -> Self {
        self.body.enforcement_level = Some(level);
        self
    }
}

const CREATE: Routes = Routes::stable("POST /api/v1/secret-approvals");

operation! {
    CreateApprovalPolicy => ApprovalPolicy;
    family(Stable)
    validate(s) {
        require_field("project_id", &s.body.project_id)?;
        require_field("environment", &s.body.environment)?;
        require_field("path", &s.body.secret_path)?;
        check_approvers(&s.body.approvers, s.body.approvals)
    }
    request(s, generation) { CREATE.at(generation).send_json(&s.body) }
    answer(response) { member(&CREATE, &["approval"], response) }
}

/// Lists a project's secret approval policies (users only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListApprovalPolicies {
    project_id: String,
}

impl ListApprovalPolicies {
    /// The policies of the project `project_id`.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
        }
    }
}

const LIST: Routes = Routes::stable("GET /api/v1/secret-approvals");

operation! {
    ListApprovalPolicies => Vec<ApprovalPolicy>;
    family(Stable)
    validate(s) { require_field("project_id", &s.project_id) }
    request(s, generation) {
        LIST.at(generation)
            .query("workspaceId", &s.project_id)
            .query("projectId", &s.project_id)
            .send()
    }
    answer(response) { member(&LIST, &["approvals"], response) }
}

of_one!(
    /// Gets a secret approval policy.
    GetApprovalPolicy(policy_id),
    "Gets the policy `policy_id`."
);

const GET: Routes = Routes::stable("GET /api/v1/secret-approvals/{sapId}");

operation! {
    GetApprovalPolicy => ApprovalPolicy;
    family(Stable)
    validate(s) { require_field("policy_id", &s.policy_id) }
    request(s, generation) { GET.at(generation).arg(&s.policy_id).send() }
    answer(response) { member(&GET, &["approval"], response) }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    approvers: Vec<UserApprover>,
    approvals: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enforcement_level: Option<EnforcementLevel>,
}

/// Changes a secret approval policy. Its approvers and approvals are always sent, as the
/// server takes them: a server given no `approvals` sets it back to 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateApprovalPolicy {
    policy_id: String,
    body: UpdateBody,
}

impl UpdateApprovalPolicy {
    /// The policy `policy_id` now needs `approvals` approvals from `approvers` (user ids).
    pub fn new(
        policy_id: impl Into<String>,
        approvers: impl IntoIterator<Item = impl Into<String>>,
        approvals: u64,
    ) -> Self {
        Self {
            policy_id: policy_id.into(),
            body: UpdateBody {
                approvers: users(approvers),
                approvals,
                name: None,
                secret_path: None,
                enforcement_level: None,
            },
        }
    }

    /// A new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.name = Some(name.into());
        self
    }

    /// A new folder path.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.body.secret_path = Some(path.into());
        self
    }

    /// How strictly it holds.
    pub fn enforcement(mut self, level: EnforcementLevel) -> Self {
        self.body.enforcement_level = Some(level);
        self
    }
}

const UPDATE: Routes = Routes::stable("PATCH /api/v1/secret-approvals/{sapId}");

operation! {
    UpdateApprovalPolicy => ApprovalPolicy;
    family(Stable)
    validate(s) {
        require_field("policy_id", &s.policy_id)?;
        if let Some(path) = &s.body.secret_path {
            require_field("path", path)?;
        }
        check_approvers(&s.body.approvers, s.body.approvals)
    }
    request(s, generation) { UPDATE.at(generation).arg(&s.policy_id).send_json(&s.body) }
    answer(response) { member(&UPDATE, &["approval"], response) }
}

of_one!(
    /// Deletes a secret approval policy: writes there apply at once again.
    DeleteApprovalPolicy(policy_id),
    "Deletes the policy `policy_id`."
);

const DELETE: Routes = Routes::stable("DELETE /api/v1/secret-approvals/{sapId}");

operation! {
    DeleteApprovalPolicy => ApprovalPolicy;
    family(Stable)
    validate(s) { require_field("policy_id", &s.policy_id) }
    request(s, generation) { DELETE.at(generation).arg(&s.policy_id).send() }
    answer(response) { member(&DELETE, &["approval"], response) }
}
