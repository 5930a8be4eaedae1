//! `client.secrets()`: reads through the cache when the client has one, writes that empty
//! it; and its blocking twin.

use crate::cache::{CacheKey, Fresh};
use crate::client::Client;
use crate::secrets::{
    BatchCreateSecrets, BatchDeleteSecrets, BatchUpdateSecrets, CreateSecret, DeleteSecret,
    GetSecret, GetSecretById, InProject, ListSecretVersions, ListSecrets, MoveOutcome, MoveSecrets,
    RollBackSecret, Secret, SecretList, SecretVersion, UpdateSecret, WriteOutcome,
};
use crate::Error;
use infisical_core::{ApiGeneration, Operation};

/// The secrets of a project. Get it with [`Client::secrets`].
///
/// Writes answer a [`WriteOutcome`]: the change, or the approval request an approval
/// policy opened instead.
#[derive(Debug, Clone, Copy)]
pub struct Secrets<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Secrets<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Lists a folder's secrets (from the cache, if the client has one; from the offline
    /// copy when the server fails, if it has one).
    pub async fn list(self, request: ListSecrets) -> Result<SecretList, Error> {
        let key = || CacheKey::List(request.clone());
        self.read(&request, key, "list").await
    }

    /// Gets one secret (from the cache, if the client has one; from the offline copy when
    /// the server fails, if it has one).
    pub async fn get(self, request: GetSecret) -> Result<Secret, Error> {
        let key = || CacheKey::Get(request.clone());
        self.read(&request, key, "get").await
    }

    /// A read through the cache, then the offline copy (remembered under `kind` and the
    /// request's URI, which holds every parameter).
    async fn read<O>(self, request: &O, key: impl FnOnce() -> CacheKey, kind: &str) -> Result<O::Output, Error>
    where
        O: Operation,
        O::Output: Fresh + serde::Serialize + serde::de::DeserializeOwned,
    {
        let answer = match self.client.cache() {
            None => self.client.execute(request).await,
            Some(cache) => cache.read(key(), self.client.execute(request)).await,
        };
        let offline_key = || {
            let uri = request.to_http(ApiGeneration::Current).ok()?.uri().to_string();
            Some(format!("{kind} {uri}"))
        };
        self.client.through_offline_copy(offline_key, answer).await
    }

    /// Gets a secret by its id, wherever it is in its project (servers of 2024 have no such
    /// route: a 404 whose `is_route_not_found()` is true).
    pub async fn get_by_id(self, request: GetSecretById) -> Result<Secret, Error> {
        self.client.execute(&request).await
    }

    /// Moves secrets (by id) to another folder or environment; a write: a client with a
    /// cache forgets its cached reads of the project.
    pub async fn move_secrets(self, request: MoveSecrets) -> Result<MoveOutcome, Error> {
        self.write(request).await
    }

    /// Lists a secret's versions, a page at a time (newest first on Infisical's servers).
    pub async fn versions(self, request: ListSecretVersions) -> Result<Vec<SecretVersion>, Error> {
        self.client.execute(&request).await
    }

    /// Rolls a secret back to one of its versions: reads that version (references as
    /// written), then writes its value and comment back as a new version — a write like
    /// [`update`](Secrets::update), held by an approval policy like any other.
    pub async fn roll_back(self, request: RollBackSecret) -> Result<WriteOutcome<Secret>, Error> {
        let old = self.client.execute(&request.read()).await?;
        self.write(request.write(&old)?).await
    }

    /// Sends a write; a client with a cache forgets its cached reads of that project.
    async fn write<O: Operation + InProject>(self, request: O) -> Result<O::Output, Error> {
        let result = self.client.execute(&request).await;
        if let Some(cache) = self.client.cache() {
            cache.forget_project(request.project_id());
        }
        result
    }

    /// Creates a secret.
    pub async fn create(self, request: CreateSecret) -> Result<WriteOutcome<Secret>, Error> {
        self.write(request).await
    }

    /// Updates a secret's value, comment, name or tags.
    pub async fn update(self, request: UpdateSecret) -> Result<WriteOutcome<Secret>, Error> {
        self.write(request).await
    }

    /// Deletes a secret; answers the deleted secret.
    pub async fn delete(self, request: DeleteSecret) -> Result<WriteOutcome<Secret>, Error> {
        self.write(request).await
    }

    /// Creates several secrets of one folder, all or none.
    pub async fn batch_create(
        self,
        request: BatchCreateSecrets,
    ) -> Result<WriteOutcome<Vec<Secret>>, Error> {
        self.write(request).await
    }

    /// Updates several secrets of one folder; see
    /// [`BatchUpdateMode`](crate::secrets::BatchUpdateMode) for missing ones.
    pub async fn batch_update(
        self,
        request: BatchUpdateSecrets,
    ) -> Result<WriteOutcome<Vec<Secret>>, Error> {
        self.write(request).await
    }

    /// Deletes several secrets of one folder, all or none.
    pub async fn batch_delete(
        self,
        request: BatchDeleteSecrets,
    ) -> Result<WriteOutcome<Vec<Secret>>, Error> {
        self.write(request).await
    }
}

/// The blocking twin of [`Secrets`].
pub mod blocking {
    use crate::secrets::{
        BatchCreateSecrets, BatchDeleteSecrets, BatchUpdateSecrets, CreateSecret, DeleteSecret,
        GetSecret, GetSecretById, ListSecretVersions, ListSecrets, MoveOutcome, MoveSecrets,
        RollBackSecret, Secret, SecretList, SecretVersion, UpdateSecret, WriteOutcome,
    };

    crate::resources::blocking_twin! {
        /// The secrets of a project, blocking.
        Secrets, secrets;
        /// Lists a folder's secrets (from the cache, if the client has one).
        fn list(ListSecrets) -> SecretList;
        /// Gets one secret (from the cache, if the client has one).
        fn get(GetSecret) -> Secret;
        /// Creates a secret.
        fn create(CreateSecret) -> WriteOutcome<Secret>;
        /// Updates a secret's value, comment, name or tags.
        fn update(UpdateSecret) -> WriteOutcome<Secret>;
        /// Deletes a secret; answers the deleted secret.
        fn delete(DeleteSecret) -> WriteOutcome<Secret>;
        /// Creates several secrets of one folder, all or none.
        fn batch_create(BatchCreateSecrets) -> WriteOutcome<Vec<Secret>>;
        /// Updates several secrets of one folder.
        fn batch_update(BatchUpdateSecrets) -> WriteOutcome<Vec<Secret>>;
        /// Deletes several secrets of one folder, all or none.
        fn batch_delete(BatchDeleteSecrets) -> WriteOutcome<Vec<Secret>>;
        /// Gets a secret by its id.
        fn get_by_id(GetSecretById) -> Secret;
        /// Moves secrets (by id) to another folder or environment.
        fn move_secrets(MoveSecrets) -> MoveOutcome;
        /// Lists a secret's versions, a page at a time.
        fn versions(ListSecretVersions) -> Vec<SecretVersion>;
        /// Rolls a secret back to one of its versions, as a new version.
        fn roll_back(RollBackSecret) -> WriteOutcome<Secret>;
    }
}
