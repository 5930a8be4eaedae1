//! `client.secrets()`.

use crate::client::Client;
use crate::secrets::{
    BatchCreateSecrets, BatchDeleteSecrets, BatchUpdateSecrets, CreateSecret, DeleteSecret,
    GetSecret, ListSecrets, Secret, SecretList, UpdateSecret, WriteOutcome,
};
use crate::Error;

/// The secrets of a project. Get it with [`Client::secrets`].
///
/// Writes answer a [`WriteOutcome`]: the change, or the approval request an approval
/// policy opened instead.
#[derive(Debug, Clone, Copy)]
pub struct Secrets<'a> {
    client: &'a Client,
}

impl<'a> Secrets<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Lists a folder's secrets.
    pub async fn list(self, request: ListSecrets) -> Result<SecretList, Error> {
        self.client.execute(&request).await
    }

    /// Gets one secret.
    pub async fn get(self, request: GetSecret) -> Result<Secret, Error> {
        self.client.execute(&request).await
    }

    /// Creates a secret.
    pub async fn create(self, request: CreateSecret) -> Result<WriteOutcome<Secret>, Error> {
        self.client.execute(&request).await
    }

    /// Updates a secret's value, comment, name or tags.
    pub async fn update(self, request: UpdateSecret) -> Result<WriteOutcome<Secret>, Error> {
        self.client.execute(&request).await
    }

    /// Deletes a secret; answers the deleted secret.
    pub async fn delete(self, request: DeleteSecret) -> Result<WriteOutcome<Secret>, Error> {
        self.client.execute(&request).await
    }

    /// Creates several secrets of one folder, all or none.
    pub async fn batch_create(
        self,
        request: BatchCreateSecrets,
    ) -> Result<WriteOutcome<Vec<Secret>>, Error> {
        self.client.execute(&request).await
    }

    /// Updates several secrets of one folder; see
    /// [`BatchUpdateMode`](crate::secrets::BatchUpdateMode) for missing ones.
    pub async fn batch_update(
        self,
        request: BatchUpdateSecrets,
    ) -> Result<WriteOutcome<Vec<Secret>>, Error> {
        self.client.execute(&request).await
    }

    /// Deletes several secrets of one folder, all or none.
    pub async fn batch_delete(
        self,
        request: BatchDeleteSecrets,
    ) -> Result<WriteOutcome<Vec<Secret>>, Error> {
        self.client.execute(&request).await
    }
}
