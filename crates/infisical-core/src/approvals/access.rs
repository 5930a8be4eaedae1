//! Access requests: a user asks for access to an environment and folder that an access
//! policy guards (read, create, edit, delete secrets; permanent or for a while), the
//! policy's approvers review it, and once enough approve, the server grants the user an
//! additional privilege. Users only, like every approval route. After
//! `ee/routes/v1/access-approval-request-router.ts` and
//! `ee/services/access-approval-request/access-approval-request-service.ts` (fork
//! `leachtucker/infisical` and upstream): both generations take CASL's packed rules
//! (`[action, subject, conditions]`); current servers add a note, answer approvers as objects
//! (servers of 2024: as user ids; both read into [`AccessPolicyRef::approvers`]) and filter by
//! author with `authorUserId`.

use super::model::{ApprovalUser, Review};
use crate::error::require_field;
use crate::rest::{operation, whole, Routes};
use crate::InvalidRequest;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};

/// Asks for access to secrets of an environment and folder.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestAccess {
    project_slug: String,
    environment: String,
    path: String,
    actions: Vec<String>,
    temporary_range: Option<String>,
    note: Option<String>,
}

impl RequestAccess {
    /// Asks for read access to the secrets under `path` in `environment` of the project
    /// `project_slug` (its slug: these routes name projects by slug), for good.
    pub fn new(
        project_slug: impl Into<String>,
        environment: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        Self {
            project_slug: project_slug.into(),
            environment: environment.into(),
            path: path.into(),
            actions: vec!["read".into()],
            temporary_range: None,
            note: None,
        }
    }

    /// What to be allowed to do: `read`, `create`, `edit`, `delete` (default: `read`).
    pub fn actions<I: IntoIterator<Item = S>, S: Into<String>>(mut self, actions: I) -> Self {
        self.actions = actions.into_iter().map(Into::into).collect();
        self
    }

    /// For a while only: `1h`, `30m`, `2d` (as the server reads durations).
    pub fn temporary(mut self, range: impl Into<String>) -> Self {
        self.temporary_range = Some(range.into());
        self
    }

    /// A note for the approvers (current servers; older ones drop it).
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The packed CASL rules the server takes.
    fn permissions(&self) -> Vec<Value> {
        let conditions = json!({
            "environment": self.environment,
            "secretPath": { "$glob": self.path },
        });
        self.actions
            .iter()
            .map(|action| json!([action, "secrets", conditions]))
            .collect()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestBody<'a> {
    permissions: Vec<Value>,
    is_temporary: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    temporary_range: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

/// An access request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AccessRequest {
    /// The request's id.
    pub id: String,
    /// The policy that guards what it asks for.
    pub policy_id: String,
    /// Who asked.
    pub requested_by_user_id: Option<String>,
    /// Whether it asks for a while only.
    pub is_temporary: bool,
    /// For how long, when temporary.
    pub temporary_range: Option<String>,
    /// What it asks for: CASL's packed rules, as the server keeps them.
    pub permissions: Value,
    /// The privilege granted, once approved.
    pub privilege_id: Option<String>,
    /// The environment's name (list route).
    pub environment_name: Option<String>,
    /// Whether enough approvers approved (list route).
    pub is_approved: bool,
    /// The policy (list route).
    pub policy: Option<AccessPolicyRef>,
    /// The verdicts so far (list route).
    pub reviewers: Vec<AccessReviewer>,
    /// Who asked, with their name (list route).
    pub requested_by_user: Option<ApprovalUser>,
    /// When it was made (RFC 3339).
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    pub updated_at: Option<String>,
}

/// A reviewer's verdict on an access request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AccessReviewer {
    /// The reviewer's user id.
    pub user_id: String,
    /// `approved` or `rejected`.
    pub status: String,
}

/// The access policy an access request falls under.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AccessPolicyRef {
    /// The policy's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// How many approvals grant the access.
    pub approvals: u64,
    /// The approvers' user ids.
    #[serde(deserialize_with = "user_ids")]
    pub approvers: Vec<String>,
    /// The folder path it guards.
    pub secret_path: Option<String>,
    /// `hard` or `soft`.
    pub enforcement_level: String,
}

/// Approvers as servers of 2024 send them (user ids) or current ones do (`{userId, …}`).
fn user_ids<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Approver {
        Id(String),
        User {
            #[serde(rename = "userId")]
            user_id: Option<String>,
        },
    }
    let approvers = Vec::<Approver>::deserialize(deserializer)?;
    Ok(approvers
        .into_iter()
        .filter_map(|a| match a {
            Approver::Id(id) => Some(id),
            Approver::User { user_id } => user_id,
        })
        .collect())
}

const CREATE: Routes = Routes::stable("POST /api/v1/access-approvals/requests");

operation! {
    RequestAccess => AccessRequest;
    family(Stable)
    validate(s) {
        require_field("project_slug", &s.project_slug)?;
        require_field("environment", &s.environment)?;
        require_field("path", &s.path)?;
        if s.actions.is_empty() || s.actions.iter().any(|a| a.trim().is_empty()) {
            return Err(InvalidRequest::new("actions", "name at least one action, none blank"));
        }
        if let Some(range) = &s.temporary_range {
            require_field("temporary", range)?;
        }
        Ok(())
    }
    request(s, generation) {
        let body = RequestBody {
            permissions: s.permissions(),
            is_temporary: s.temporary_range.is_some(),
            temporary_range: s.temporary_range.as_deref(),
            note: s.note.as_deref(),
        };
        CREATE.at(generation).query("projectSlug", &s.project_slug).send_json(&body)
    }
    answer(response) { crate::rest::member(&CREATE, &["approval"], response) }
}

/// Lists a project's access requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAccessRequests {
    project_slug: String,
    environment: Option<String>,
    author: Option<String>,
}

impl ListAccessRequests {
    /// The access requests of the project `project_slug`.
    pub fn new(project_slug: impl Into<String>) -> Self {
        Self {
            project_slug: project_slug.into(),
            environment: None,
            author: None,
        }
    }

    /// Only requests for this environment (its slug).
    pub fn environment(mut self, slug: impl Into<String>) -> Self {
        self.environment = Some(slug.into());
        self
    }

    /// Only requests this user (their id) made (current servers; older ones list every
    /// author's).
    pub fn author(mut self, user_id: impl Into<String>) -> Self {
        self.author = Some(user_id.into());
        self
    }
}

#[derive(Deserialize)]
struct Requests {
    requests: Vec<AccessRequest>,
}

const LIST: Routes = Routes::stable("GET /api/v1/access-approvals/requests");

operation! {
    ListAccessRequests => Vec<AccessRequest>;
    family(Stable)
    validate(s) { require_field("project_slug", &s.project_slug) }
    request(s, generation) {
        LIST.at(generation)
            .query("projectSlug", &s.project_slug)
            .query_opt("envSlug", s.environment.as_deref())
            .query_opt("authorUserId", s.author.as_deref())
            .send()
    }
    answer(response) { whole::<Requests>(&LIST, response).map(|r| r.requests) }
}

/// Approves or rejects an access request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewAccessRequest {
    request_id: String,
    status: &'static str,
}

impl ReviewAccessRequest {
    /// Approves the access request `request_id`.
    pub fn approve(request_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
            status: "approved",
        }
    }

    /// Rejects the access request `request_id`.
    pub fn reject(request_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
            status: "rejected",
        }
    }
}

const REVIEW: Routes = Routes::stable("POST /api/v1/access-approvals/requests/{requestId}/review");

operation! {
    ReviewAccessRequest => Review;
    family(Stable)
    validate(s) { require_field("request_id", &s.request_id) }
    request(s, generation) {
        REVIEW.at(generation).arg(&s.request_id).send_json(&json!({ "status": s.status }))
    }
    answer(response) { crate::rest::member(&REVIEW, &["review"], response) }
}

/// Counts a project's pending and finalized access requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountAccessRequests {
    project_slug: String,
}

impl CountAccessRequests {
    /// Counts the access requests of the project `project_slug`.
    pub fn new(project_slug: impl Into<String>) -> Self {
        Self {
            project_slug: project_slug.into(),
        }
    }
}

/// How many access requests wait, and how many are decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AccessRequestCounts {
    /// Waiting for reviews.
    pub pending_count: u64,
    /// Approved or rejected.
    pub finalized_count: u64,
}

const COUNT: Routes = Routes::stable("GET /api/v1/access-approvals/requests/count");

operation! {
    CountAccessRequests => AccessRequestCounts;
    family(Stable)
    validate(s) { require_field("project_slug", &s.project_slug) }
    request(s, generation) { COUNT.at(generation).query("projectSlug", &s.project_slug).send() }
    answer(response) { whole(&COUNT, response) }
}
