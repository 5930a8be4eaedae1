//! The scoped resources: each method builds its request type from the scope and sends it
//! through the client's resource of the same name.

use super::{scoped, Scope};
use crate::folders::{CreateFolder, DeleteFolder, Folder, ListFolders};
use crate::secret_imports::{
    CreateSecretImport, ListImportedSecrets, ListSecretImports, SecretImport,
};
use crate::secrets::{
    BatchCreateSecrets, BatchDeleteSecrets, BatchUpdateSecrets, CreateSecret, DeleteSecret,
    GetSecret, ImportedSecrets, ListSecrets, NewSecret, RollBackSecret, Secret, SecretList,
    SecretUpdate, UpdateSecret, WriteOutcome,
};
use crate::tags::{CreateTag, GetTagBySlug, ListTags, SecretTag};
use crate::SecretString;

scoped! {
    /// The secrets of one folder of an environment. Get it with
    /// [`EnvironmentScope::secrets`](super::EnvironmentScope::secrets); each method sends
    /// the request type of the same name (`list` sends [`ListSecrets`]) through
    /// [`Client::secrets`](crate::Client::secrets), cache included.
    ScopedSecrets over Scope;
    /// Lists the folder's secrets (with imports, references expanded).
    fn list() -> SecretList
        = |s| ListSecrets::new(&s.project_id, &s.environment).path(&s.path), via secrets;
    /// Gets one secret by name.
    fn get(key: impl Into<String>) -> Secret
        = |s| GetSecret::new(&s.project_id, &s.environment, key).path(&s.path), via secrets;
    /// Creates a secret.
    fn create(key: impl Into<String>, value: impl Into<SecretString>) -> WriteOutcome<Secret>
        = |s| CreateSecret::new(&s.project_id, &s.environment, key, value).path(&s.path),
        via secrets;
    /// Sets an existing secret's value (for a comment, a new name or tags, send an
    /// [`UpdateSecret`] yourself).
    fn update(key: impl Into<String>, value: impl Into<SecretString>) -> WriteOutcome<Secret>
        = |s| UpdateSecret::new(&s.project_id, &s.environment, key).path(&s.path).value(value),
        via secrets;
    /// Deletes a secret; answers the deleted secret.
    fn delete(key: impl Into<String>) -> WriteOutcome<Secret>
        = |s| DeleteSecret::new(&s.project_id, &s.environment, key).path(&s.path), via secrets;
    /// Creates several secrets, all or none.
    fn batch_create(secrets: impl IntoIterator<Item = NewSecret>) -> WriteOutcome<Vec<Secret>>
        = |s| BatchCreateSecrets::new(&s.project_id, &s.environment, secrets).path(&s.path),
        via secrets;
    /// Updates several secrets; a missing one fails the batch.
    fn batch_update(updates: impl IntoIterator<Item = SecretUpdate>) -> WriteOutcome<Vec<Secret>>
        = |s| BatchUpdateSecrets::new(&s.project_id, &s.environment, updates).path(&s.path),
        via secrets;
    /// Rolls a secret back to one of its versions, as a new version.
    fn roll_back(key: impl Into<String>, version: u64) -> WriteOutcome<Secret>
        = |s| RollBackSecret::new(&s.project_id, &s.environment, key, version).path(&s.path),
        via secrets;
    /// Deletes several secrets by name, all or none.
    fn batch_delete(keys: impl IntoIterator<Item = impl Into<String>>) -> WriteOutcome<Vec<Secret>>
        = |s| BatchDeleteSecrets::new(&s.project_id, &s.environment, keys).path(&s.path),
        via secrets;
}

scoped! {
    /// The subfolders of one folder of an environment. Get it with
    /// [`EnvironmentScope::folders`](super::EnvironmentScope::folders).
    ScopedFolders over Scope;
    /// Lists the folder's subfolders.
    fn list() -> Vec<Folder>
        = |s| ListFolders::new(&s.project_id, &s.environment).path(&s.path), via folders;
    /// Creates a subfolder (an existing one is answered as is).
    fn create(name: impl Into<String>) -> Folder
        = |s| CreateFolder::new(&s.project_id, &s.environment, name).path(&s.path),
        via folders;
    /// Deletes a subfolder (by name or id) and everything in it.
    fn delete(name_or_id: impl Into<String>) -> Folder
        = |s| DeleteFolder::new(&s.project_id, &s.environment, name_or_id).path(&s.path),
        via folders;
}

scoped! {
    /// The secret imports of one folder of an environment. Get it with
    /// [`EnvironmentScope::secret_imports`](super::EnvironmentScope::secret_imports).
    ScopedSecretImports over Scope;
    /// Lists the folder's imports.
    fn list() -> Vec<SecretImport>
        = |s| ListSecretImports::new(&s.project_id, &s.environment).path(&s.path),
        via secret_imports;
    /// Imports the secrets of another environment's folder into this folder.
    fn create(from_environment: impl Into<String>, from_path: &str) -> SecretImport
        = |s| CreateSecretImport::new(&s.project_id, &s.environment, from_environment, from_path)
            .path(&s.path),
        via secret_imports;
    /// The secrets the folder's imports bring, import by import.
    fn secrets() -> Vec<ImportedSecrets>
        = |s| ListImportedSecrets::new(&s.project_id, &s.environment).path(&s.path),
        via secret_imports;
}

scoped! {
    /// The secret tags of a project. Get it with
    /// [`ProjectScope::tags`](super::ProjectScope::tags).
    ScopedTags over str;
    /// Lists the project's tags.
    fn list() -> Vec<SecretTag> = |project| ListTags::new(project), via tags;
    /// Gets a tag by slug.
    fn get_by_slug(slug: impl Into<String>) -> SecretTag
        = |project| GetTagBySlug::new(project, slug), via tags;
    /// Creates a tag.
    fn create(slug: impl Into<String>) -> SecretTag
        = |project| CreateTag::new(project, slug), via tags;
}

impl ScopedSecrets<'_, crate::Client> {
    /// Follows the folder's secrets, polling every `interval`; see
    /// [`Secrets::watch`](crate::Secrets::watch).
    pub fn watch(self, interval: std::time::Duration) -> crate::watch::SecretWatch {
        let s = self.scope;
        let list = ListSecrets::new(&s.project_id, &s.environment).path(&s.path);
        self.client.secrets().watch(list, interval)
    }
}

impl ScopedSecrets<'_, crate::blocking::Client> {
    /// Follows the folder's secrets, polling every `interval`; see
    /// [`Secrets::watch`](crate::Secrets::watch).
    pub fn watch(self, interval: std::time::Duration) -> crate::watch::BlockingSecretWatch {
        let s = self.scope;
        let list = ListSecrets::new(&s.project_id, &s.environment).path(&s.path);
        self.client.secrets().watch(list, interval)
    }
}
