//! Environments of a project: the model and one request type per operation.
//!
//! Requests are built for `/api/v1/projects/{projectId}/environments`
//! ([`ApiGeneration::Current`](crate::ApiGeneration)) or for the older
//! `/api/v1/workspace/{workspaceId}/environments` ([`ApiGeneration::Legacy`](crate::ApiGeneration)).

mod model;
mod requests;

pub use model::Environment;
pub use requests::{CreateEnvironment, DeleteEnvironment, GetEnvironment, UpdateEnvironment};
