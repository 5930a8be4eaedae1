//! `client.folders()`.

use crate::folders::{
    BatchUpdateFolders, CreateFolder, DeleteFolder, Folder, GetFolder, ListFolders, UpdateFolder,
};

super::resource! {
    /// The folders of a project's environments.
    Folders, folders;
    /// Lists the folders inside a folder (recursively on request).
    fn list(ListFolders) -> Vec<Folder>;
    /// Gets one folder by id.
    fn get(GetFolder) -> Folder;
    /// Creates a folder, and any missing parent; an existing folder is answered as is.
    fn create(CreateFolder) -> Folder;
    /// Renames a folder.
    fn update(UpdateFolder) -> Folder;
    /// Renames several folders, all or none.
    fn batch_update(BatchUpdateFolders) -> Vec<Folder>;
    /// Deletes a folder and everything in it; answers the deleted folder.
    fn delete(DeleteFolder) -> Folder;
}
