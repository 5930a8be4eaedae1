//! Every resource, listed once in [`resources!`]: its module, its handle, and the client
//! method returning it on both clients. Each module lists its methods, one per request
//! type, that [`resource!`] turns into an async handle (`client.folders()`) and its
//! blocking twin (`blocking_client.folders()`), both delegating to the same
//! `Client::execute` (secrets write their async handle by hand, for the cache, and get the
//! blocking twin from [`blocking_twin!`]).

/// Declares each resource module, re-exports its handles ([`handles`] for the async client,
/// [`blocking_handles`]) and adds its accessor to both clients.
macro_rules! resources {
    ($( $(#[$doc:meta])* $module:ident: $name:ident => $accessor:ident; )*) => {
        $( pub(crate) mod $module; )*

        /// The async handles.
        pub mod handles {
            $( pub use super::$module::$name; )*
        }

        /// The blocking handles.
        pub mod blocking_handles {
            $( pub use super::$module::blocking::$name; )*
        }

        impl crate::Client {
            $(
                $(#[$doc])*
                pub fn $accessor(&self) -> $module::$name<'_> {
                    $module::$name::new(self)
                }
            )*
        }

        impl crate::blocking::Client {
            $(
                $(#[$doc])*
                pub fn $accessor(&self) -> $module::blocking::$name<'_> {
                    $module::blocking::$name::new(self)
                }
            )*
        }
    };
}

resources! {
    /// Secrets: list, get, create, update, delete, and batches.
    secrets: Secrets => secrets;
    /// Folders: list, get, create, update, batch update, delete.
    folders: Folders => folders;
    /// Environments: get, create, update, delete.
    environments: Environments => environments;
    /// Projects: list, get (by id or slug), create, update, delete.
    projects: Projects => projects;
    /// Secret tags: list, get (by id or slug), create, update, delete.
    tags: Tags => tags;
    /// Secret imports: list, get, create, update, delete, and the secrets they bring.
    secret_imports: SecretImports => secret_imports;
    /// KMS keys: list (by page, or every key: a stream on the async client, an iterator on
    /// the blocking one), get, create, update, delete; encrypt, decrypt, sign, verify,
    /// public key, signing algorithms.
    kms: Kms => kms;
    /// PKI certificates: get (record, body, bundle, private key), issue, sign, revoke,
    /// delete.
    certificates: Certificates => certificates;
    /// Dynamic secrets: list, get, create, update, delete.
    dynamic_secrets: DynamicSecrets => dynamic_secrets;
    /// Leases of dynamic secrets: create (issue credentials), get, renew, revoke, list.
    leases: DynamicSecretLeases => dynamic_secret_leases;
    /// Point-in-time snapshots of a folder: list, count, get, roll back.
    snapshots: Snapshots => snapshots;
    /// Machine identities: create, get, list, update, delete; universal auth on them
    /// (attach, get, update, revoke), its client secrets (create, list, revoke), and
    /// memberships of projects (add with roles, list, get, change roles, remove).
    identities: Identities => identities;
    /// Secret approval requests (users only): list, count, get, review, close, reopen,
    /// merge; access requests: request, list, count, review; approval policies: create,
    /// list, get, update, delete.
    approvals: Approvals => approvals;
}

/// Defines a resource handle: `$name` for [`crate::Client`] and `blocking::$name` for
/// [`crate::blocking::Client`], with one method per `fn name(Request) -> Output;` line.
macro_rules! resource {
    (
        $(#[$doc:meta])*
        $name:ident, $accessor:ident;
        $( $(#[$mdoc:meta])* fn $method:ident($request:ty) -> $output:ty; )*
    ) => {
        $(#[$doc])*
        #[doc = concat!("\n\nGet it with [`Client::", stringify!($accessor), "`](crate::Client::", stringify!($accessor), ").")]
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> $name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            $(
                $(#[$mdoc])*
                pub async fn $method(self, request: $request) -> Result<$output, crate::Error> {
                    self.client.execute(&request).await
                }
            )*
        }

        /// The blocking twin of the handle.
        pub mod blocking {
            #[allow(unused_imports)]
            use super::*;

            $crate::resources::blocking_twin! {
                $(#[$doc])*
                $name, $accessor;
                $( $(#[$mdoc])* fn $method($request) -> $output; )*
            }
        }
    };
}
pub(crate) use resource;

/// Defines the blocking twin `$name` of the async handle `crate::Client::$accessor()`: each
/// method runs the async method of the same name to completion on the blocking client's
/// runtime.
macro_rules! blocking_twin {
    (
        $(#[$doc:meta])*
        $name:ident, $accessor:ident;
        $( $(#[$mdoc:meta])* fn $method:ident($request:ty) -> $output:ty; )*
    ) => {
        $(#[$doc])*
        #[doc = concat!(
            "\n\nThe blocking twin of [`Client::", stringify!($accessor), "`](crate::Client::",
            stringify!($accessor), "): each method runs the async method of the same name to \
             completion. Get it with [`blocking::Client::", stringify!($accessor),
            "`](crate::blocking::Client::", stringify!($accessor), ")."
        )]
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            pub(crate) client: &'a crate::blocking::Client,
        }

        impl<'a> $name<'a> {
            pub(crate) fn new(client: &'a crate::blocking::Client) -> Self {
                Self { client }
            }

            $(
                $(#[$mdoc])*
                pub fn $method(self, request: $request) -> Result<$output, crate::Error> {
                    self.client
                        .block_on(self.client.as_async().$accessor().$method(request))?
                }
            )*
        }
    };
}
pub(crate) use blocking_twin;
