//! `client.secrets()` for the blocking client.

use super::Client;
use crate::secrets::{
    BatchCreateSecrets, BatchDeleteSecrets, BatchUpdateSecrets, CreateSecret, DeleteSecret,
    GetSecret, ListSecrets, Secret, SecretList, UpdateSecret, WriteOutcome,
};
use crate::Error;

/// The secrets of a project, blocking. Each method is the async
/// [`Secrets`](crate::Secrets) method of the same name, run to completion.
#[derive(Debug, Clone, Copy)]
pub struct Secrets<'a> {
    client: &'a Client,
}

impl<'a> Secrets<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Lists a folder's secrets.
    pub fn list(self, request: ListSecrets) -> Result<SecretList, Error> {
        self.client
            .block_on(self.client.as_async().secrets().list(request))?
    }

    /// Gets one secret.
    pub fn get(self, request: GetSecret) -> Result<Secret, Error> {
        self.client
            .block_on(self.client.as_async().secrets().get(request))?
    }

    /// Creates a secret.
    pub fn create(self, request: CreateSecret) -> Result<WriteOutcome<Secret>, Error> {
        self.client
            .block_on(self.client.as_async().secrets().create(request))?
    }

    /// Updates a secret's value, comment, name or tags.
    pub fn update(self, request: UpdateSecret) -> Result<WriteOutcome<Secret>, Error> {
        self.client
            .block_on(self.client.as_async().secrets().update(request))?
    }

    /// Deletes a secret; answers the deleted secret.
    pub fn delete(self, request: DeleteSecret) -> Result<WriteOutcome<Secret>, Error> {
        self.client
            .block_on(self.client.as_async().secrets().delete(request))?
    }

    /// Creates several secrets of one folder, all or none.
    pub fn batch_create(
        self,
        request: BatchCreateSecrets,
    ) -> Result<WriteOutcome<Vec<Secret>>, Error> {
        self.client
            .block_on(self.client.as_async().secrets().batch_create(request))?
    }

    /// Updates several secrets of one folder.
    pub fn batch_update(
        self,
        request: BatchUpdateSecrets,
    ) -> Result<WriteOutcome<Vec<Secret>>, Error> {
        self.client
            .block_on(self.client.as_async().secrets().batch_update(request))?
    }

    /// Deletes several secrets of one folder, all or none.
    pub fn batch_delete(
        self,
        request: BatchDeleteSecrets,
    ) -> Result<WriteOutcome<Vec<Secret>>, Error> {
        self.client
            .block_on(self.client.as_async().secrets().batch_delete(request))?
    }
}
