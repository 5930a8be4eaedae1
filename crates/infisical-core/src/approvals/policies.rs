//! Approval policies: of secret changes (`/api/v1/secret-approvals`, after
//! `ee/routes/v1/secret-approval-policy-router.ts`: which environment and folder need
//! approvals for changes, from whom, how many) and of access
//! (`/api/v1/access-approvals/policies`, after `access-approval-policy-router.ts`: who
//! approves access requests there). Creating, reading one, changing and deleting take a
//! user's or a machine identity's credentials; listing a project's takes a user's. Servers
//! of 2024 name a secret-change policy's project `workspaceId`, current ones `projectId`:
//! the SDK sends both; access policies name projects by slug.

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

/// Which policies: of secret changes (`/api/v1/secret-approvals`, projects by id) or of
/// access (`/api/v1/access-approvals/policies`, projects by slug).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Changes,
    Access,
}

/// The routes of one kind of policy.
struct KindRoutes {
    create: Routes,
    list: Routes,
    get: Routes,
    update: Routes,
    delete: Routes,
}

const CHANGES: KindRoutes = KindRoutes {
    create: Routes::stable("POST /api/v1/secret-approvals"),
    list: Routes::stable("GET /api/v1/secret-approvals"),
    get: Routes::stable("GET /api/v1/secret-approvals/{sapId}"),
    update: Routes::stable("PATCH /api/v1/secret-approvals/{sapId}"),
    delete: Routes::stable("DELETE /api/v1/secret-approvals/{sapId}"),
};

const ACCESS: KindRoutes = KindRoutes {
    create: Routes::stable("POST /api/v1/access-approvals/policies"),
    list: Routes::stable("GET /api/v1/access-approvals/policies"),
    get: Routes::stable("GET /api/v1/access-approvals/policies/{policyId}"),
    update: Routes::stable("PATCH /api/v1/access-approvals/policies/{policyId}"),
    delete: Routes::stable("DELETE /api/v1/access-approvals/policies/{policyId}"),
};

impl Kind {
    fn routes(self) -> &'static KindRoutes {
        match self {
            Kind::Changes => &CHANGES,
            Kind::Access => &ACCESS,
        }
    }
}

/// How a request names its project: by id for secret-change policies (both generations'
/// names), by slug for access policies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProjectRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project_slug: Option<String>,
}

impl ProjectRef {
    fn of(kind: Kind, project: String) -> Self {
        match kind {
            Kind::Changes => ProjectRef {
                workspace_id: Some(project.clone()),
                project_id: Some(project),
                project_slug: None,
            },
            Kind::Access => ProjectRef {
                project_slug: Some(project),
                ..ProjectRef::default()
            },
        }
    }

    fn name(&self) -> &str {
        self.project_id
            .as_deref()
            .or(self.project_slug.as_deref())
            .unwrap_or_default()
    }

    fn field(&self) -> &'static str {
        if self.project_slug.is_some() {
            "project_slug"
        } else {
            "project_id"
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    #[serde(flatten)]
    project: ProjectRef,
    environment: String,
    secret_path: String,
    approvers: Vec<UserApprover>,
    approvals: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enforcement_level: Option<EnforcementLevel>,
}

/// Creates an approval policy: of secret changes ([`new`](Self::new): changes users make
/// under a folder of an environment need approvals) or of access
/// ([`access`](Self::access): who approves access requests there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateApprovalPolicy {
    kind: Kind,
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
        Self::of(
            Kind::Changes,
            project_id.into(),
            environment.into(),
            path.into(),
            approvers,
        )
    }

    /// Access requests for `path` in `environment` of the project `project_slug` (its
    /// slug) need one approval from one of `approvers` (user ids).
    pub fn access(
        project_slug: impl Into<String>,
        environment: impl Into<String>,
        path: impl Into<String>,
        approvers: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self::of(
            Kind::Access,
            project_slug.into(),
            environment.into(),
            path.into(),
            approvers,
        )
    }

    fn of(
        kind: Kind,
        project: String,
        environment: String,
        path: String,
        approvers: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            kind,
            body: CreateBody {
                project: ProjectRef::of(kind, project),
                environment,
                secret_path: path,
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

operation! {
    CreateApprovalPolicy => ApprovalPolicy;
    family(Stable)
    validate(s) {
        require_field(s.body.project.field(), s.body.project.name())?;
        require_field("environment", &s.body.environment)?;
        require_field("path", &s.body.secret_path)?;
        check_approvers(&s.body.approvers, s.body.approvals)
    }
    request(s, generation) { s.kind.routes().create.at(generation).send_json(&s.body) }
    answer(s, response) { member(&s.kind.routes().create, &["approval"], response) }
}

/// Lists a project's approval policies (users only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListApprovalPolicies {
    kind: Kind,
    project: ProjectRef,
}

impl ListApprovalPolicies {
    /// The secret-change policies of the project `project_id`.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            kind: Kind::Changes,
            project: ProjectRef::of(Kind::Changes, project_id.into()),
        }
    }

    /// The access policies of the project `project_slug` (its slug).
    pub fn access(project_slug: impl Into<String>) -> Self {
        Self {
            kind: Kind::Access,
            project: ProjectRef::of(Kind::Access, project_slug.into()),
        }
    }
}

operation! {
    ListApprovalPolicies => Vec<ApprovalPolicy>;
    family(Stable)
    validate(s) { require_field(s.project.field(), s.project.name()) }
    request(s, generation) {
        let p = &s.project;
        s.kind.routes().list.at(generation)
            .query_opt("workspaceId", p.workspace_id.as_deref())
            .query_opt("projectId", p.project_id.as_deref())
            .query_opt("projectSlug", p.project_slug.as_deref())
            .send()
    }
    answer(s, response) { member(&s.kind.routes().list, &["approvals"], response) }
}

/// A request about one policy, built with `new(policy_id)` (a secret-change policy) or
/// `access(policy_id)` (an access policy).
macro_rules! of_policy {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            kind: Kind,
            policy_id: String,
        }

        impl $name {
            /// The secret-change policy `policy_id`.
            pub fn new(policy_id: impl Into<String>) -> Self {
                Self { kind: Kind::Changes, policy_id: policy_id.into() }
            }

            /// The access policy `policy_id`.
            pub fn access(policy_id: impl Into<String>) -> Self {
                Self { kind: Kind::Access, policy_id: policy_id.into() }
            }
        }
    };
}

of_policy!(
    /// Gets an approval policy.
    GetApprovalPolicy
);

operation! {
    GetApprovalPolicy => ApprovalPolicy;
    family(Stable)
    validate(s) { require_field("policy_id", &s.policy_id) }
    request(s, generation) { s.kind.routes().get.at(generation).arg(&s.policy_id).send() }
    answer(s, response) { member(&s.kind.routes().get, &["approval"], response) }
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

/// Changes an approval policy. Its approvers and approvals are always sent, as the servers
/// take them: given no `approvals`, a secret-change policy goes back to 1; given no
/// enforcement, an access policy goes back to hard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateApprovalPolicy {
    kind: Kind,
    policy_id: String,
    body: UpdateBody,
}

impl UpdateApprovalPolicy {
    /// The secret-change policy `policy_id` now needs `approvals` approvals from
    /// `approvers` (user ids).
    pub fn new(
        policy_id: impl Into<String>,
        approvers: impl IntoIterator<Item = impl Into<String>>,
        approvals: u64,
    ) -> Self {
        Self::of(Kind::Changes, policy_id.into(), approvers, approvals)
    }

    /// The access policy `policy_id` now needs `approvals` approvals from `approvers`.
    pub fn access(
        policy_id: impl Into<String>,
        approvers: impl IntoIterator<Item = impl Into<String>>,
        approvals: u64,
    ) -> Self {
        Self::of(Kind::Access, policy_id.into(), approvers, approvals)
    }

    fn of(
        kind: Kind,
        policy_id: String,
        approvers: impl IntoIterator<Item = impl Into<String>>,
        approvals: u64,
    ) -> Self {
        Self {
            kind,
            policy_id,
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
    request(s, generation) {
        s.kind.routes().update.at(generation).arg(&s.policy_id).send_json(&s.body)
    }
    answer(s, response) { member(&s.kind.routes().update, &["approval"], response) }
}

of_policy!(
    /// Deletes an approval policy: writes there apply at once again (or access there needs
    /// no approval).
    DeleteApprovalPolicy
);

operation! {
    DeleteApprovalPolicy => ApprovalPolicy;
    family(Stable)
    validate(s) { require_field("policy_id", &s.policy_id) }
    request(s, generation) { s.kind.routes().delete.at(generation).arg(&s.policy_id).send() }
    answer(s, response) { member(&s.kind.routes().delete, &["approval"], response) }
}
