//! Certificate profiles of cert-manager (current servers: `/api/v1/cert-manager/
//! certificate-profiles`, after upstream `certificate-profile-router.ts`): what a project
//! issues with — a CA, an enrollment method, defaults.

use crate::error::{require_field, InvalidRequest};
use crate::rest::{member, offset_limit, operation, whole, Routes};
use serde::{Deserialize, Serialize};

/// A certificate profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CertificateProfile {
    /// Its id, for [`IssueFromProfile`](super::IssueFromProfile).
    pub id: String,
    /// Its project's id.
    pub project_id: String,
    /// Its slug.
    pub slug: String,
    /// Its description.
    pub description: Option<String>,
    /// The CA it issues from.
    pub ca_id: Option<String>,
    /// How certificates are enrolled: `api`, `est`, `acme`, ….
    pub enrollment_type: String,
    /// `ca` or `self-signed`.
    pub issuer_type: String,
    /// When it was created (RFC 3339).
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    pub updated_at: Option<String>,
}

/// One page of a project's certificate profiles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CertificateProfilePage {
    /// The profiles of this page.
    #[serde(rename = "certificateProfiles")]
    pub profiles: Vec<CertificateProfile>,
    /// How many there are in all.
    #[serde(default)]
    pub total_count: u64,
}

/// Lists a project's certificate profiles, a page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCertificateProfiles {
    project_id: String,
    offset: u64,
    limit: u64,
}

impl ListCertificateProfiles {
    /// The first 20 profiles of the project `project_id`.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            offset: 0,
            limit: 20,
        }
    }
}

offset_limit!(ListCertificateProfiles, "profiles", "1 to 100 (default 20)");

const LIST: Routes = Routes::stable("GET /api/v1/cert-manager/certificate-profiles");

operation! {
    ListCertificateProfiles => CertificateProfilePage;
    family(Stable)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        if !(1..=100).contains(&s.limit) {
            return Err(InvalidRequest::new("limit", "must be 1 to 100"));
        }
        Ok(())
    }
    request(s, generation) {
        LIST.at(generation)
            .query("projectId", &s.project_id)
            .query("offset", &s.offset.to_string())
            .query("limit", &s.limit.to_string())
            .send()
    }
    answer(response) { whole(&LIST, response) }
}

/// Gets a project's certificate profile by its slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCertificateProfile {
    project_id: String,
    slug: String,
}

impl GetCertificateProfile {
    /// The profile `slug` of the project `project_id`.
    pub fn by_slug(project_id: impl Into<String>, slug: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            slug: slug.into(),
        }
    }
}

const BY_SLUG: Routes = Routes::stable("GET /api/v1/cert-manager/certificate-profiles/slug/{slug}");

operation! {
    GetCertificateProfile => CertificateProfile;
    family(Stable)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        require_field("slug", &s.slug)
    }
    request(s, generation) {
        BY_SLUG.at(generation).arg(&s.slug).query("projectId", &s.project_id).send()
    }
    answer(response) { member(&BY_SLUG, &["certificateProfile"], response) }
}
