//! `client.dynamic_secrets()`.

use crate::dynamic_secrets::{
    CreateDynamicSecret, DeleteDynamicSecret, DynamicSecret, GetDynamicSecret, ListDynamicSecrets,
    UpdateDynamicSecret,
};

super::resource! {
    /// The dynamic secrets of a project's folders.
    DynamicSecrets, dynamic_secrets;
    /// Lists a folder's dynamic secrets.
    fn list(ListDynamicSecrets) -> Vec<DynamicSecret>;
    /// Gets one dynamic secret, with its provider's inputs.
    fn get(GetDynamicSecret) -> DynamicSecret;
    /// Creates a dynamic secret.
    fn create(CreateDynamicSecret) -> DynamicSecret;
    /// Changes a dynamic secret's inputs, lease lifetimes or name.
    fn update(UpdateDynamicSecret) -> DynamicSecret;
    /// Deletes a dynamic secret; answers the deleted one.
    fn delete(DeleteDynamicSecret) -> DynamicSecret;
}
