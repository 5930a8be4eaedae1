//! Secret imports: a folder that imports another folder (of any environment) sees its secrets.
//! The model and one request type per operation; the secrets a folder sees through its imports
//! come with [`ListImportedSecrets`], or with a secrets list that
//! [includes imports](crate::secrets::ListSecrets::include_imports), whose
//! [`merged`](crate::secrets::SecretList::merged) view resolves them as the CLI does.
//!
//! Requests are built for `/api/v2/secret-imports` ([`ApiGeneration::Current`](crate::ApiGeneration))
//! or for the older `/api/v1/secret-imports` ([`ApiGeneration::Legacy`](crate::ApiGeneration)).

mod model;
mod read;
mod write;

pub use model::{ImportEnvironment, SecretImport};
pub use read::{GetSecretImport, ListImportedSecrets, ListSecretImports};
pub use write::{CreateSecretImport, DeleteSecretImport, UpdateSecretImport};
