//! Project- and environment-scoped handles: `client.project(id).environment("dev")`, whose
//! resources bind the scope, on both clients.
//!
//! ```no_run
//! # async fn run(client: infisical::Client) -> Result<(), infisical::Error> {
//! let dev = client.project("project-id").environment("dev");
//! let list = dev.secrets().list().await?;
//! let url = dev.secrets().get("DATABASE_URL").await?;
//! dev.folder("/app").secrets().create("API_KEY", "s3cr3t").await?.into_applied()?;
//! # drop((list, url)); Ok(()) }
//! ```
//!
//! Each scoped method builds the request type of the same name (`ListSecrets`,
//! `GetSecret`, …) from the scope and sends it through the client's resource, cache
//! included; for options the scoped methods do not take, send the request type itself.

mod handles;

pub use handles::{ScopedFolders, ScopedSecretImports, ScopedSecrets, ScopedTags};

use std::fmt;

impl crate::Client {
    /// A project, to narrow to one environment: `client.project(id).environment("dev")`,
    /// whose resources bind the scope (`.secrets().list()`, `.secrets().get("KEY")`, …).
    pub fn project(&self, project_id: impl Into<String>) -> ProjectScope<'_, Self> {
        ProjectScope::new(self, project_id)
    }
}

impl crate::blocking::Client {
    /// A project, to narrow to one environment; see [`crate::Client::project`].
    pub fn project(&self, project_id: impl Into<String>) -> ProjectScope<'_, Self> {
        ProjectScope::new(self, project_id)
    }
}

/// A project of a client: [`environment`](ProjectScope::environment) narrows it to one
/// environment. Get it with [`Client::project`](crate::Client::project) or
/// [`blocking::Client::project`](crate::blocking::Client::project); `C` is the client.
pub struct ProjectScope<'c, C> {
    client: &'c C,
    project_id: String,
}

impl<'c, C> ProjectScope<'c, C> {
    pub(crate) fn new(client: &'c C, project_id: impl Into<String>) -> Self {
        Self {
            client,
            project_id: project_id.into(),
        }
    }

    /// The project's id.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// The root folder (`/`) of one of the project's environments, by slug (`dev`,
    /// `staging`, `prod`, …).
    pub fn environment(&self, slug: impl Into<String>) -> EnvironmentScope<'c, C> {
        EnvironmentScope {
            client: self.client,
            scope: Scope {
                project_id: self.project_id.clone(),
                environment: slug.into(),
                path: "/".to_owned(),
            },
        }
    }

    /// The project's secret tags.
    pub fn tags(&self) -> ScopedTags<'_, C> {
        ScopedTags::new(self.client, &self.project_id)
    }
}

/// A folder of a project's environment (the root until [`folder`](EnvironmentScope::folder)
/// says otherwise): its secrets, subfolders and imports.
pub struct EnvironmentScope<'c, C> {
    client: &'c C,
    scope: Scope,
}

/// Project, environment and folder of an [`EnvironmentScope`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scope {
    pub(crate) project_id: String,
    pub(crate) environment: String,
    pub(crate) path: String,
}

impl<'c, C> EnvironmentScope<'c, C> {
    /// The same environment, at the folder `path` (such as `/app/api`); requests
    /// normalize it as they do every path (`app/api/` is `/app/api`).
    pub fn folder(&self, path: &str) -> Self {
        let mut folder = self.clone();
        path.clone_into(&mut folder.scope.path);
        folder
    }

    /// The project's id.
    pub fn project_id(&self) -> &str {
        &self.scope.project_id
    }

    /// The environment's slug.
    pub fn environment(&self) -> &str {
        &self.scope.environment
    }

    /// The folder's path.
    pub fn path(&self) -> &str {
        &self.scope.path
    }

    /// The folder's secrets: list, get, create, update, delete, and batches.
    pub fn secrets(&self) -> ScopedSecrets<'_, C> {
        ScopedSecrets::new(self.client, &self.scope)
    }

    /// The folder's subfolders: list, create, delete.
    pub fn folders(&self) -> ScopedFolders<'_, C> {
        ScopedFolders::new(self.client, &self.scope)
    }

    /// The folder's secret imports: list, create, and the secrets they bring.
    pub fn secret_imports(&self) -> ScopedSecretImports<'_, C> {
        ScopedSecretImports::new(self.client, &self.scope)
    }
}

impl<C> Clone for ProjectScope<'_, C> {
    fn clone(&self) -> Self {
        Self::new(self.client, self.project_id.clone())
    }
}

impl<C> Clone for EnvironmentScope<'_, C> {
    fn clone(&self) -> Self {
        Self {
            client: self.client,
            scope: self.scope.clone(),
        }
    }
}

impl<C: fmt::Debug> fmt::Debug for ProjectScope<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProjectScope")
            .field("project_id", &self.project_id)
            .finish_non_exhaustive()
    }
}

impl<C: fmt::Debug> fmt::Debug for EnvironmentScope<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvironmentScope")
            .field("project_id", &self.scope.project_id)
            .field("environment", &self.scope.environment)
            .field("path", &self.scope.path)
            .finish_non_exhaustive()
    }
}

/// Defines a scoped handle `$name<'s, C>` over a scope value `$scope`, with one method per
/// line: `fn name(args) -> Output = |scope| request via resource;`. Each line becomes an
/// async method on `$name<'_, Client>` and a blocking one on
/// `$name<'_, blocking::Client>`, both building `request` and sending it through the
/// client's `resource().name(request)` — one listing, no second copy.
macro_rules! scoped {
    (
        $(#[$doc:meta])*
        $name:ident over $scope:ty;
        $(
            $(#[$mdoc:meta])*
            fn $method:ident($($arg:ident: $argty:ty),*) -> $output:ty
                = |$s:ident| $request:expr, via $resource:ident;
        )*
    ) => {
        $(#[$doc])*
        pub struct $name<'s, C> {
            client: &'s C,
            scope: &'s $scope,
        }

        impl<'s, C> $name<'s, C> {
            pub(crate) fn new(client: &'s C, scope: &'s $scope) -> Self {
                Self { client, scope }
            }
        }

        impl<C> Clone for $name<'_, C> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<C> Copy for $name<'_, C> {}

        impl<C> std::fmt::Debug for $name<'_, C> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("scope", &self.scope).finish()
            }
        }

        impl $name<'_, crate::Client> {
            $(
                $(#[$mdoc])*
                pub async fn $method(self, $($arg: $argty),*) -> Result<$output, crate::Error> {
                    let $s = self.scope;
                    self.client.$resource().$method($request).await
                }
            )*
        }

        impl $name<'_, crate::blocking::Client> {
            $(
                $(#[$mdoc])*
                pub fn $method(self, $($arg: $argty),*) -> Result<$output, crate::Error> {
                    let $s = self.scope;
                    self.client.$resource().$method($request)
                }
            )*
        }
    };
}
pub(crate) use scoped;
