//! Dynamic secrets and their leases: the models and one request type per operation.
//!
//! A dynamic secret holds a provider's configuration (for example `sql-database` with the
//! database's address and admin credentials); each lease issues short-lived credentials from
//! it. These routes exist in one generation (`/api/v1/dynamic-secrets`) and name the project
//! and environment by slug. Provider inputs and issued credentials never show in `Debug`.

mod leases;
mod model;
mod provider;
mod requests;

use crate::error::{require_field, InvalidRequest};
use crate::location::Location;

/// A dynamic secret (by name) or a lease (by id) in a folder whose project and environment
/// are named by slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Target {
    location: Location,
    key: String,
}

impl Target {
    fn new(project_slug: String, environment_slug: String, key: String) -> Self {
        Self {
            location: Location::by_slug(project_slug, environment_slug),
            key,
        }
    }

    fn validate(&self, key_field: &'static str) -> Result<(), InvalidRequest> {
        self.location.validate()?;
        require_field(key_field, &self.key)
    }
}

/// `new(project_slug, environment_slug, key)` and `path(..)` for a request type holding a
/// [`Target`] in `target`; its other fields start as given.
macro_rules! targeted {
    ($ty:ident, $key:ident, $doc:literal $(, $field:ident: $start:expr)*) => {
        impl $ty {
            #[doc = $doc]
            pub fn new(
                project_slug: impl Into<String>,
                environment_slug: impl Into<String>,
                $key: impl Into<String>,
            ) -> Self {
                let target = super::Target::new(project_slug.into(), environment_slug.into(), $key.into());
                Self { target $(, $field: $start)* }
            }

            /// The folder (default `/`).
            pub fn path(mut self, path: &str) -> Self {
                self.target.location.set_path(path);
                self
            }
        }
    };
}
use targeted;

pub use leases::{CreateLease, GetLease, ListLeases, RenewLease, RevokeLease};
pub use model::{DynamicSecret, IssuedLease, Lease, LeaseCredentials};
pub use provider::{DynamicSecretProvider, ProviderInputs};
pub use requests::{
    CreateDynamicSecret, DeleteDynamicSecret, GetDynamicSecret, ListDynamicSecrets,
    UpdateDynamicSecret,
};
