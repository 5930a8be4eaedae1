//! Projects: the model and one request type per operation.
//!
//! Requests are built for `/api/v1/projects` ([`ApiGeneration::Current`](crate::ApiGeneration))
//! or for the older `/api/v1/workspace` and `/api/v2/workspace`
//! ([`ApiGeneration::Legacy`](crate::ApiGeneration)). Project descriptions and slug changes
//! need the current routes.

mod model;
mod read;
mod write;

pub use model::Project;
pub use read::{GetProject, GetProjectBySlug, ListProjects};
pub use write::{CreateProject, DeleteProject, UpdateProject};
