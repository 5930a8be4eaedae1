//! List, get (by id or slug), create, update and delete tags.

use crate::error::require_field;
use crate::rest::{member, operation, Routes};
use crate::secrets::SecretTag;
use serde::Serialize;

/// Current servers answer `tag(s)`, older ones `workspaceTag(s)`.
const ONE: &[&str] = &["tag", "workspaceTag"];

/// Lists the tags of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTags {
    project_id: String,
}

impl ListTags {
    /// Lists the tags of the project.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
        }
    }
}

const LIST: Routes = Routes::pair(
    "GET /api/v1/projects/{projectId}/tags",
    "GET /api/v1/workspace/{projectId}/tags",
);

operation! {
    ListTags => Vec<SecretTag>;
    family(Tags)
    validate(s) { require_field("project_id", &s.project_id) }
    request(s, generation) { LIST.at(generation).arg(&s.project_id).send() }
    answer(response) { member(&LIST, &["tags", "workspaceTags"], response) }
}

/// A tag of a project, named by id or by slug.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TagRef {
    project_id: String,
    key: String,
}

impl TagRef {
    fn new(project_id: impl Into<String>, key: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            key: key.into(),
        }
    }

    fn validate(&self, key_field: &'static str) -> Result<(), crate::InvalidRequest> {
        require_field("project_id", &self.project_id)?;
        require_field(key_field, &self.key)
    }
}

/// Gets one tag by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetTag {
    tag: TagRef,
}

impl GetTag {
    /// Gets the tag `tag_id` of the project.
    pub fn new(project_id: impl Into<String>, tag_id: impl Into<String>) -> Self {
        Self {
            tag: TagRef::new(project_id, tag_id),
        }
    }
}

const GET: Routes = Routes::pair(
    "GET /api/v1/projects/{projectId}/tags/{tagId}",
    "GET /api/v1/workspace/{projectId}/tags/{tagId}",
);

operation! {
    GetTag => SecretTag;
    family(Tags)
    validate(s) { s.tag.validate("tag_id") }
    request(s, generation) { GET.at(generation).arg(&s.tag.project_id).arg(&s.tag.key).send() }
    answer(response) { member(&GET, ONE, response) }
}

/// Gets one tag by slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetTagBySlug {
    tag: TagRef,
}

impl GetTagBySlug {
    /// Gets the tag with this slug in the project.
    pub fn new(project_id: impl Into<String>, slug: impl Into<String>) -> Self {
        Self {
            tag: TagRef::new(project_id, slug),
        }
    }
}

const GET_BY_SLUG: Routes = Routes::pair(
    "GET /api/v1/projects/{projectId}/tags/slug/{tagSlug}",
    "GET /api/v1/workspace/{projectId}/tags/slug/{tagSlug}",
);

operation! {
    GetTagBySlug => SecretTag;
    family(Tags)
    validate(s) { s.tag.validate("slug") }
    request(s, generation) {
        GET_BY_SLUG.at(generation).arg(&s.tag.project_id).arg(&s.tag.key).send()
    }
    answer(response) { member(&GET_BY_SLUG, ONE, response) }
}

/// `{slug, color}`: the server requires both on create and on update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct TagBody {
    slug: String,
    color: String,
}

/// Creates a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateTag {
    project_id: String,
    body: TagBody,
}

impl CreateTag {
    /// Creates the tag `slug` (lowercase letters, digits and dashes) in the project.
    pub fn new(project_id: impl Into<String>, slug: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            body: TagBody {
                slug: slug.into(),
                color: String::new(),
            },
        }
    }

    /// The color, such as `#3b82f6` (default: none, sent as an empty string).
    pub fn color(mut self, color: impl Into<String>) -> Self {
        self.body.color = color.into();
        self
    }
}

const CREATE: Routes = Routes::pair(
    "POST /api/v1/projects/{projectId}/tags",
    "POST /api/v1/workspace/{projectId}/tags",
);

operation! {
    CreateTag => SecretTag;
    family(Tags)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        require_field("slug", &s.body.slug)
    }
    request(s, generation) { CREATE.at(generation).arg(&s.project_id).send_json(&s.body) }
    answer(response) { member(&CREATE, ONE, response) }
}

/// Replaces a tag's slug and color (the server takes both on every update).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateTag {
    tag: TagRef,
    body: TagBody,
}

impl UpdateTag {
    /// Gives the tag `tag_id` of the project this slug and color (pass the current ones to
    /// keep them).
    pub fn new(
        project_id: impl Into<String>,
        tag_id: impl Into<String>,
        slug: impl Into<String>,
        color: impl Into<String>,
    ) -> Self {
        Self {
            tag: TagRef::new(project_id, tag_id),
            body: TagBody {
                slug: slug.into(),
                color: color.into(),
            },
        }
    }
}

const UPDATE: Routes = Routes::pair(
    "PATCH /api/v1/projects/{projectId}/tags/{tagId}",
    "PATCH /api/v1/workspace/{projectId}/tags/{tagId}",
);

operation! {
    UpdateTag => SecretTag;
    family(Tags)
    validate(s) {
        s.tag.validate("tag_id")?;
        require_field("slug", &s.body.slug)
    }
    request(s, generation) {
        UPDATE.at(generation).arg(&s.tag.project_id).arg(&s.tag.key).send_json(&s.body)
    }
    answer(response) { member(&UPDATE, ONE, response) }
}

/// Deletes a tag (and detaches it from every secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteTag {
    tag: TagRef,
}

impl DeleteTag {
    /// Deletes the tag `tag_id` of the project.
    pub fn new(project_id: impl Into<String>, tag_id: impl Into<String>) -> Self {
        Self {
            tag: TagRef::new(project_id, tag_id),
        }
    }
}

const DELETE: Routes = Routes::pair(
    "DELETE /api/v1/projects/{projectId}/tags/{tagId}",
    "DELETE /api/v1/workspace/{projectId}/tags/{tagId}",
);

operation! {
    DeleteTag => SecretTag;
    family(Tags)
    validate(s) { s.tag.validate("tag_id") }
    request(s, generation) { DELETE.at(generation).arg(&s.tag.project_id).arg(&s.tag.key).send() }
    answer(response) { member(&DELETE, ONE, response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn routes_and_bodies() {
        let by_slug = GetTagBySlug::new("p", "backend");
        let legacy = by_slug.to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(legacy.uri().path(), "/api/v1/workspace/p/tags/slug/backend");
        let create = CreateTag::new("p", "backend").color("#fff");
        let current = create.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(current.uri().path(), "/api/v1/projects/p/tags");
        assert_eq!(
            current.body().as_ref(),
            br##"{"slug":"backend","color":"#fff"}"##
        );
        let plain = CreateTag::new("p", "x")
            .to_http(ApiGeneration::Current)
            .unwrap();
        assert_eq!(plain.body().as_ref(), br#"{"slug":"x","color":""}"#);
    }

    #[test]
    fn required_fields() {
        assert_eq!(
            GetTagBySlug::new("p", "").validate().unwrap_err().field(),
            "slug"
        );
        assert_eq!(
            UpdateTag::new("p", "t", " ", "")
                .validate()
                .unwrap_err()
                .field(),
            "slug"
        );
        assert_eq!(
            ListTags::new("").validate().unwrap_err().field(),
            "project_id"
        );
    }
}
