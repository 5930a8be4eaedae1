//! Machine identities of an organization: create, get, list, update, delete (after
//! `server/routes/v1/identity-router.ts` and `v2/identity-org-router.ts`).

use super::model::{Identity, OrgIdentity, OrgIdentityPage};
use super::page::{page_setters, Page};
use crate::error::require_field;
use crate::rest::{answer_route, member, operation, Routes};
use crate::wire::decode_json;
use crate::InvalidRequest;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct IdentityBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
}

/// Creates a machine identity in an organization, with an organization role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateIdentity {
    body: IdentityBody,
}

impl CreateIdentity {
    /// Creates the identity `name` in the organization `organization_id`. Its role there is
    /// the server's default (`no-access`) unless [`role`](Self::role) says.
    pub fn new(organization_id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            body: IdentityBody {
                name: Some(name.into()),
                organization_id: Some(organization_id.into()),
                role: None,
            },
        }
    }

    /// The organization role's slug: `admin`, `member`, `no-access`, or a custom role's.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.body.role = Some(role.into());
        self
    }
}

const CREATE: Routes = Routes::stable("POST /api/v1/identities");

operation! {
    CreateIdentity => Identity;
    family(Stable)
    validate(s) {
        require_field("organization_id", s.body.organization_id.as_deref().unwrap_or_default())?;
        require_field("name", s.body.name.as_deref().unwrap_or_default())?;
        optional_field("role", s.body.role.as_deref())
    }
    request(s, generation) { CREATE.at(generation).send_json(&s.body) }
    answer(response) { member(&CREATE, &["identity"], response) }
}

of_identity!(
    /// Gets an identity: its organization membership and role, and the identity.
    GetIdentity,
    "Gets the identity `identity_id`."
);

const GET: Routes = Routes::stable("GET /api/v1/identities/{identityId}");

identity_call!(GetIdentity => OrgIdentity, GET, &["identity"]);

/// Lists the identities of an organization, a page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListIdentities {
    organization_id: String,
    page: Page,
    search: Option<String>,
}

impl ListIdentities {
    /// The first 100 identities of the organization.
    pub fn new(organization_id: impl Into<String>) -> Self {
        Self {
            organization_id: organization_id.into(),
            page: Page::default(),
            search: None,
        }
    }

    /// Only identities whose name contains this.
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.search = Some(text.into());
        self
    }
}
page_setters!(ListIdentities);

const LIST: Routes = Routes::stable("GET /api/v2/organizations/{orgId}/identity-memberships");

operation! {
    ListIdentities => OrgIdentityPage;
    family(Stable)
    validate(s) {
        require_field("organization_id", &s.organization_id)?;
        s.page.validate()
    }
    request(s, generation) {
        s.page
            .add_to(LIST.at(generation).arg(&s.organization_id))
            .query_opt("search", s.search.as_deref())
            .send()
    }
    answer(response) { decode_json(answer_route(&response, LIST.current()), response) }
}

/// Renames an identity or changes its organization role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateIdentity {
    identity_id: String,
    body: IdentityBody,
}

impl UpdateIdentity {
    /// Changes the identity `identity_id`: set what changes.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            body: IdentityBody::default(),
        }
    }

    /// Its new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.name = Some(name.into());
        self
    }

    /// Its new organization role.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.body.role = Some(role.into());
        self
    }
}

const UPDATE: Routes = Routes::stable("PATCH /api/v1/identities/{identityId}");

operation! {
    UpdateIdentity => Identity;
    family(Stable)
    validate(s) {
        require_field("identity_id", &s.identity_id)?;
        optional_field("name", s.body.name.as_deref())?;
        optional_field("role", s.body.role.as_deref())
    }
    request(s, generation) { UPDATE.at(generation).arg(&s.identity_id).send_json(&s.body) }
    answer(response) { member(&UPDATE, &["identity"], response) }
}

of_identity!(
    /// Deletes an identity; its tokens stop working.
    DeleteIdentity,
    "Deletes the identity `identity_id`."
);

const DELETE: Routes = Routes::stable("DELETE /api/v1/identities/{identityId}");

identity_call!(DeleteIdentity => Identity, DELETE, &["identity"]);

/// A field that, when set, must not be blank.
fn optional_field(field: &'static str, value: Option<&str>) -> Result<(), InvalidRequest> {
    match value {
        Some(value) => require_field(field, value),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn routes_bodies_and_checks() {
        let create = CreateIdentity::new("org", "deployer").role("member");
        let request = create.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(request.uri().path(), "/api/v1/identities");
        assert_eq!(
            request.body().as_ref(),
            br#"{"name":"deployer","organizationId":"org","role":"member"}"#
        );
        let list = ListIdentities::new("org").offset(100).limit(50);
        let request = list.to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(
            request.uri().to_string(),
            "/api/v2/organizations/org/identity-memberships?offset=100&limit=50"
        );
        let update = UpdateIdentity::new("i").name("renamed");
        let request = update.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(request.body().as_ref(), br#"{"name":"renamed"}"#);
        assert_eq!(
            ListIdentities::new("o")
                .limit(0)
                .validate()
                .unwrap_err()
                .field(),
            "limit"
        );
        assert_eq!(
            CreateIdentity::new("o", " ")
                .validate()
                .unwrap_err()
                .field(),
            "name"
        );
        assert_eq!(
            UpdateIdentity::new("i")
                .role("")
                .validate()
                .unwrap_err()
                .field(),
            "role"
        );
        assert_eq!(
            DeleteIdentity::new("").validate().unwrap_err().field(),
            "identity_id"
        );
    }
}
