//! Secret tags of a project: one request type per operation. Tags are attached to secrets by
//! id ([`CreateSecret::tag_ids`](crate::secrets::CreateSecret::tag_ids),
//! [`UpdateSecret::tag_ids`](crate::secrets::UpdateSecret::tag_ids)) and filter lists by slug
//! ([`ListSecrets::tag_slugs`](crate::secrets::ListSecrets::tag_slugs)).
//!
//! Requests are built for `/api/v1/projects/{projectId}/tags`
//! ([`ApiGeneration::Current`](crate::ApiGeneration)) or for the older
//! `/api/v1/workspace/{projectId}/tags` ([`ApiGeneration::Legacy`](crate::ApiGeneration)).

mod requests;

pub use crate::secrets::SecretTag;
pub use requests::{CreateTag, DeleteTag, GetTag, GetTagBySlug, ListTags, UpdateTag};
