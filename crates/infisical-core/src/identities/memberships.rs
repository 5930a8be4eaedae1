//! Identities in projects: add with roles, list, get, change roles, remove (after
//! `server/routes/v2/identity-project-router.ts`; current servers still serve these routes).

use super::model::Identity;
use super::page::{page_setters, Page};
use crate::error::require_field;
use crate::rest::{answer_route, member, operation, Routes};
use crate::wire::decode_json;
use crate::InvalidRequest;
use serde::{Deserialize, Serialize};

/// A role given to an identity in a project: for good, or for a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    role: String,
    is_temporary: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    temporary_mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temporary_range: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temporary_access_start_time: Option<String>,
}

impl RoleAssignment {
    /// The project role `role` (`admin`, `member`, `viewer`, `no-access` or a custom role's
    /// slug), for good.
    pub fn permanent(role: impl Into<String>) -> Self {
        Self {
            role: role.into(),
            is_temporary: false,
            temporary_mode: None,
            temporary_range: None,
            temporary_access_start_time: None,
        }
    }

    /// The project role `role` for `range` (`1h`, `7d`, as the server reads durations)
    /// from `start` (RFC 3339).
    pub fn temporary(
        role: impl Into<String>,
        range: impl Into<String>,
        start: impl Into<String>,
    ) -> Self {
        Self {
            role: role.into(),
            is_temporary: true,
            temporary_mode: Some("relative"),
            temporary_range: Some(range.into()),
            temporary_access_start_time: Some(start.into()),
        }
    }

    fn validate(&self) -> Result<(), InvalidRequest> {
        require_field("role", &self.role)?;
        if self.is_temporary {
            require_field(
                "temporary_range",
                self.temporary_range.as_deref().unwrap_or_default(),
            )?;
            require_field(
                "temporary_access_start_time",
                self.temporary_access_start_time
                    .as_deref()
                    .unwrap_or_default(),
            )?;
        }
        Ok(())
    }
}

/// A role of an identity in a project, as the server tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProjectRole {
    /// The role assignment's id.
    #[serde(default)]
    pub id: String,
    /// The role's slug (`custom` for a custom role: see `custom_role_slug`).
    pub role: String,
    /// The custom role's slug.
    #[serde(default)]
    pub custom_role_slug: Option<String>,
    /// Whether it lasts for a while only.
    #[serde(default)]
    pub is_temporary: bool,
    /// How long, for a temporary role (`1h`, ...).
    #[serde(default)]
    pub temporary_range: Option<String>,
    /// From when, for a temporary role (RFC 3339).
    #[serde(default)]
    pub temporary_access_start_time: Option<String>,
    /// Until when, for a temporary role (RFC 3339).
    #[serde(default)]
    pub temporary_access_end_time: Option<String>,
}

/// The project, named in a membership.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProjectRef {
    /// Its id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
}

/// An identity as a member of a project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProjectIdentity {
    /// The membership's id.
    pub id: String,
    /// The identity's id.
    pub identity_id: String,
    /// Its roles in the project.
    #[serde(default)]
    pub roles: Vec<ProjectRole>,
    /// The identity.
    pub identity: Identity,
    /// The project, when the server says.
    #[serde(default)]
    pub project: Option<ProjectRef>,
}

/// One page of a project's identities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProjectIdentityPage {
    /// The identities of this page.
    #[serde(rename = "identityMemberships")]
    pub identities: Vec<ProjectIdentity>,
    /// How many there are in all.
    #[serde(default)]
    pub total_count: u64,
}

/// A membership as added or removed: ids only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IdentityMembership {
    /// The membership's id.
    pub id: String,
    /// The project's id.
    pub project_id: String,
    /// The identity's id.
    pub identity_id: String,
}

/// A project and one of its organization's identities.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Member {
    project_id: String,
    identity_id: String,
}

impl Member {
    fn new(project_id: impl Into<String>, identity_id: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            identity_id: identity_id.into(),
        }
    }

    fn validate(&self) -> Result<(), InvalidRequest> {
        require_field("project_id", &self.project_id)?;
        require_field("identity_id", &self.identity_id)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct RolesBody {
    roles: Vec<RoleAssignment>,
}

impl RolesBody {
    fn validate(&self) -> Result<(), InvalidRequest> {
        if self.roles.is_empty() {
            return Err(InvalidRequest::new("roles", "needs at least one role"));
        }
        self.roles.iter().try_for_each(RoleAssignment::validate)
    }
}

/// A project, one of its organization's identities, and roles for it there.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MemberRoles {
    member: Member,
    body: RolesBody,
}

impl MemberRoles {
    fn new(
        project_id: impl Into<String>,
        identity_id: impl Into<String>,
        roles: impl IntoIterator<Item = RoleAssignment>,
    ) -> Self {
        Self {
            member: Member::new(project_id, identity_id),
            body: RolesBody {
                roles: roles.into_iter().collect(),
            },
        }
    }

    fn validate(&self) -> Result<(), InvalidRequest> {
        self.member.validate()?;
        self.body.validate()
    }
}

/// A request carrying an identity, a project and roles, built with
/// `new(project_id, identity_id, roles)`.
macro_rules! with_roles {
    ($(#[$doc:meta])* $name:ident, $new_doc:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(MemberRoles);

        impl $name {
            #[doc = $new_doc]
            pub fn new(
                project_id: impl Into<String>,
                identity_id: impl Into<String>,
                roles: impl IntoIterator<Item = RoleAssignment>,
            ) -> Self {
                Self(MemberRoles::new(project_id, identity_id, roles))
            }
        }
    };
}

with_roles!(
    /// Adds an identity of the organization to a project, with roles.
    AddIdentityToProject,
    "Adds the identity `identity_id` to the project `project_id` with `roles` (at least \
     one: the server would otherwise give it `no-access`)."
);

const ADD: Routes =
    Routes::stable("POST /api/v2/workspace/{projectId}/identity-memberships/{identityId}");

operation! {
    AddIdentityToProject => IdentityMembership;
    family(Stable)
    validate(s) { s.0.validate() }
    request(s, generation) {
        let m = &s.0.member;
        ADD.at(generation).arg(&m.project_id).arg(&m.identity_id).send_json(&s.0.body)
    }
    answer(response) { member(&ADD, &["identityMembership"], response) }
}

/// Lists the identities of a project, a page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListProjectIdentities {
    project_id: String,
    page: Page,
}

impl ListProjectIdentities {
    /// The first 100 identities of the project.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            page: Page::default(),
        }
    }
}
page_setters!(ListProjectIdentities);

const LIST: Routes = Routes::stable("GET /api/v2/workspace/{projectId}/identity-memberships");

operation! {
    ListProjectIdentities => ProjectIdentityPage;
    family(Stable)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        s.page.validate()
    }
    request(s, generation) { s.page.add_to(LIST.at(generation).arg(&s.project_id)).send() }
    answer(response) { decode_json(answer_route(&response, LIST.current()), response) }
}

/// A request about one identity in one project, built with `new(project_id, identity_id)`.
macro_rules! of_member {
    ($(#[$doc:meta])* $name:ident, $new_doc:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(Member);

        impl $name {
            #[doc = $new_doc]
            pub fn new(project_id: impl Into<String>, identity_id: impl Into<String>) -> Self {
                Self(Member::new(project_id, identity_id))
            }
        }
    };
}

of_member!(
    /// Gets an identity's membership of a project, with its roles.
    GetProjectIdentity,
    "The membership of the identity `identity_id` in the project `project_id`."
);

const GET: Routes =
    Routes::stable("GET /api/v2/workspace/{projectId}/identity-memberships/{identityId}");

operation! {
    GetProjectIdentity => ProjectIdentity;
    family(Stable)
    validate(s) { s.0.validate() }
    request(s, generation) { GET.at(generation).arg(&s.0.project_id).arg(&s.0.identity_id).send() }
    answer(response) { member(&GET, &["identityMembership"], response) }
}

with_roles!(
    /// Replaces an identity's roles in a project.
    UpdateProjectIdentityRoles,
    "Gives the identity `identity_id` exactly `roles` in the project `project_id`."
);

const UPDATE: Routes =
    Routes::stable("PATCH /api/v2/workspace/{projectId}/identity-memberships/{identityId}");

operation! {
    UpdateProjectIdentityRoles => Vec<ProjectRole>;
    family(Stable)
    validate(s) { s.0.validate() }
    request(s, generation) {
        let m = &s.0.member;
        UPDATE.at(generation).arg(&m.project_id).arg(&m.identity_id).send_json(&s.0.body)
    }
    answer(response) { member(&UPDATE, &["roles"], response) }
}

of_member!(
    /// Removes an identity from a project.
    RemoveIdentityFromProject,
    "Removes the identity `identity_id` from the project `project_id`."
);

const REMOVE: Routes =
    Routes::stable("DELETE /api/v2/workspace/{projectId}/identity-memberships/{identityId}");

operation! {
    RemoveIdentityFromProject => IdentityMembership;
    family(Stable)
    validate(s) { s.0.validate() }
    request(s, generation) {
        REMOVE.at(generation).arg(&s.0.project_id).arg(&s.0.identity_id).send()
    }
    answer(response) { member(&REMOVE, &["identityMembership"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn routes_bodies_and_checks() {
        let add = AddIdentityToProject::new(
            "p",
            "i",
            [
                RoleAssignment::permanent("viewer"),
                RoleAssignment::temporary("admin", "1h", "2026-12-04T00:00:00Z"),
            ],
        );
        let request = add.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            request.uri().path(),
            "/api/v2/workspace/p/identity-memberships/i"
        );
        assert_eq!(
            request.body().as_ref(),
            br#"{"roles":[{"role":"viewer","isTemporary":false},{"role":"admin","isTemporary":true,"temporaryMode":"relative","temporaryRange":"1h","temporaryAccessStartTime":"2026-12-04T00:00:00Z"}]}"#
        );
        let none = AddIdentityToProject::new("p", "i", []);
        assert_eq!(none.validate().unwrap_err().field(), "roles");
        let blank = UpdateProjectIdentityRoles::new("p", "i", [RoleAssignment::permanent(" ")]);
        assert_eq!(blank.validate().unwrap_err().field(), "role");
        let list = ListProjectIdentities::new("p")
            .limit(5)
            .to_http(ApiGeneration::Legacy)
            .unwrap();
        assert_eq!(
            list.uri().to_string(),
            "/api/v2/workspace/p/identity-memberships?offset=0&limit=5"
        );
        assert_eq!(
            RemoveIdentityFromProject::new("p", "")
                .validate()
                .unwrap_err()
                .field(),
            "identity_id"
        );
    }
}
