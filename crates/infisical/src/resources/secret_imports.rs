//! `client.secret_imports()`.

use crate::secret_imports::{
    CreateSecretImport, DeleteSecretImport, GetSecretImport, ListImportedSecrets,
    ListSecretImports, SecretImport, UpdateSecretImport,
};
use crate::secrets::ImportedSecrets;

super::resource! {
    /// The imports of a project's folders.
    SecretImports, secret_imports;
    /// Lists a folder's imports, in order.
    fn list(ListSecretImports) -> Vec<SecretImport>;
    /// Gets one import by id.
    fn get(GetSecretImport) -> SecretImport;
    /// Makes a folder import another folder's secrets, after its other imports.
    fn create(CreateSecretImport) -> SecretImport;
    /// Changes what an import brings in, or its position.
    fn update(UpdateSecretImport) -> SecretImport;
    /// Removes an import; answers the removed import.
    fn delete(DeleteSecretImport) -> SecretImport;
    /// Lists the secrets a folder sees through its imports, one entry per import.
    fn secrets(ListImportedSecrets) -> Vec<ImportedSecrets>;
}
