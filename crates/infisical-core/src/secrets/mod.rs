//! Secrets: the models and one request type per operation.
//!
//! Every request type takes its required parameters in `new` and the optional ones through
//! chainable setters. Parameters are checked before anything is sent: an empty project id,
//! environment or name is an [`InvalidRequest`](crate::InvalidRequest) naming the field.
//!
//! Requests are built for `/api/v4/secrets` ([`ApiGeneration::Current`](crate::ApiGeneration))
//! or for the older `/api/v3/secrets/raw` ([`ApiGeneration::Legacy`](crate::ApiGeneration)).

pub(crate) mod annotations;
mod batch;
mod conditional;
mod details;
mod freshness;
mod history;
mod list_wire;
mod model;
mod outcome;
mod read;
mod relocate;
mod scope;
mod write;

pub use batch::{
    BatchCreateSecrets, BatchDeleteSecrets, BatchUpdateMode, BatchUpdateSecrets, NewSecret,
    SecretUpdate,
};
pub use conditional::{Conditional, ListSecretsIfChanged};
pub use freshness::Freshness;
pub use history::{ListSecretVersions, RollBackSecret, SecretVersion};
pub use model::{ImportedSecrets, Secret, SecretList, SecretMetadata, SecretTag, SecretType};
pub use outcome::{Approval, WriteOutcome};
pub use read::{GetSecret, ListSecrets};
pub use relocate::{GetSecretById, MoveOutcome, MoveSecrets};
pub use write::{CreateSecret, DeleteSecret, UpdateSecret};

/// The project a secrets request is about (the cache forgets only that project's answers
/// after a write: references and imports never cross projects).
pub trait InProject {
    /// The project id.
    fn project_id(&self) -> &str;
}

macro_rules! in_project {
    ($($ty:ty),* $(,)?) => {$(
        impl InProject for $ty {
            fn project_id(&self) -> &str {
                &self.scope.project_id
            }
        }
    )*};
}

in_project!(
    ListSecrets,
    MoveSecrets,
    GetSecret,
    CreateSecret,
    UpdateSecret,
    DeleteSecret,
    BatchCreateSecrets,
    BatchUpdateSecrets,
    BatchDeleteSecrets,
);
