//! Folders: the model and one request type per operation.
//!
//! Requests are built for `/api/v2/folders` ([`ApiGeneration::Current`](crate::ApiGeneration))
//! or for the older `/api/v1/folders` ([`ApiGeneration::Legacy`](crate::ApiGeneration)).
//! Recursive lists and descriptions need the current routes; older servers name the project of
//! a batch update by its slug, so set [`BatchUpdateFolders::project_slug`] for them.

mod model;
mod read;
mod write;

pub use model::{Folder, FolderEnvironment};
pub use read::{GetFolder, ListFolders};
pub use write::{BatchUpdateFolders, CreateFolder, DeleteFolder, FolderUpdate, UpdateFolder};
