//! `client.tags()`.

use crate::tags::{CreateTag, DeleteTag, GetTag, GetTagBySlug, ListTags, SecretTag, UpdateTag};

super::resource! {
    /// The secret tags of a project.
    Tags, tags;
    /// Lists a project's tags.
    fn list(ListTags) -> Vec<SecretTag>;
    /// Gets one tag by id.
    fn get(GetTag) -> SecretTag;
    /// Gets one tag by slug.
    fn get_by_slug(GetTagBySlug) -> SecretTag;
    /// Creates a tag.
    fn create(CreateTag) -> SecretTag;
    /// Replaces a tag's slug and color.
    fn update(UpdateTag) -> SecretTag;
    /// Deletes a tag; answers the deleted tag.
    fn delete(DeleteTag) -> SecretTag;
}
