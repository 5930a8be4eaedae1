//! The blocking client: the async client's methods, for code without a runtime.
//!
//! [`Client`] owns a small tokio runtime and runs the async client on it, so both share
//! one implementation. It works from plain threads, from `spawn_blocking` and from any
//! thread of a multi-threaded tokio runtime; only on a current-thread runtime, where
//! blocking would stall the whole runtime, it returns [`Error::BlockingInAsyncContext`]
//! instead of blocking or panicking.
//!
//! ```no_run
//! use infisical::credentials::UniversalAuth;
//!
//! let client = infisical::blocking::Client::builder()
//!     .credentials(UniversalAuth::new("client-id", "client-secret"))
//!     .build()?;
//! let prod = client.project("project-id").environment("prod");
//! let secret = prod.secrets().get("DATABASE_URL")?;
//! println!("DATABASE_URL has {} characters", secret.value()?.len());
//! client.close()?;
//! # Ok::<(), infisical::Error>(())
//! ```

mod secrets;

pub use crate::resources::certificates::blocking::Certificates;
pub use crate::resources::dynamic_secrets::blocking::DynamicSecrets;
pub use crate::resources::environments::blocking::Environments;
pub use crate::resources::folders::blocking::Folders;
pub use crate::resources::kms::blocking::Kms;
pub use crate::resources::leases::blocking::DynamicSecretLeases;
pub use crate::resources::projects::blocking::Projects;
pub use crate::resources::secret_imports::blocking::SecretImports;
pub use crate::resources::tags::blocking::Tags;
pub use secrets::Secrets;

use crate::Error;
use infisical_core::Operation;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use tokio::runtime::{Runtime, RuntimeFlavor};

/// Marks a [`ClientBuilder`](crate::ClientBuilder) that builds the blocking [`Client`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Blocking;

/// Configures a blocking [`Client`]: the same setters as the async builder.
pub type ClientBuilder = crate::ClientBuilder<Blocking>;

impl crate::ClientBuilder<Blocking> {
    /// Builds the blocking client and its runtime. No network I/O happens here.
    pub fn build(self) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("infisical-blocking")
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Config(format!("cannot start the blocking client's runtime: {e}"))
            })?;
        let client = {
            // The connection pool is bound to the runtime it is created in.
            let _entered = runtime.enter();
            self.build_async()?
        };
        Ok(Client {
            shared: Arc::new(Shared {
                runtime: Some(runtime),
                client,
            }),
        })
    }
}

/// The blocking Infisical client. Cheap to clone; `Send + Sync`; usable from many threads.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    runtime: Option<Runtime>,
    client: crate::Client,
}

impl Drop for Shared {
    fn drop(&mut self) {
        // Never blocks, so dropping the client inside an async context is safe too.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A project, to narrow to one environment: `client.project(id).environment("dev")`,
    /// whose resources bind the scope (`.secrets().list()`, `.secrets().get("KEY")`, …).
    pub fn project(&self, project_id: impl Into<String>) -> crate::scope::ProjectScope<'_, Self> {
        crate::scope::ProjectScope::new(self, project_id)
    }

    /// Secrets: list, get, create, update, delete, and batches.
    pub fn secrets(&self) -> Secrets<'_> {
        Secrets::new(self)
    }

    /// Folders: list, get, create, update, batch update, delete.
    pub fn folders(&self) -> Folders<'_> {
        Folders::new(self)
    }

    /// Environments: get, create, update, delete.
    pub fn environments(&self) -> Environments<'_> {
        Environments::new(self)
    }

    /// Projects: list, get (by id or slug), create, update, delete.
    pub fn projects(&self) -> Projects<'_> {
        Projects::new(self)
    }

    /// Secret tags: list, get (by id or slug), create, update, delete.
    pub fn tags(&self) -> Tags<'_> {
        Tags::new(self)
    }

    /// Secret imports: list, get, create, update, delete, and the secrets they bring.
    pub fn secret_imports(&self) -> SecretImports<'_> {
        SecretImports::new(self)
    }

    /// KMS keys: list (by page, or every key as an iterator), get, create, update, delete;
    /// encrypt, decrypt, sign, verify, public key, signing algorithms.
    pub fn kms(&self) -> Kms<'_> {
        Kms::new(self)
    }

    /// PKI certificates: get (record, body, bundle, private key), issue, sign, revoke, delete.
    pub fn certificates(&self) -> Certificates<'_> {
        Certificates::new(self)
    }

    /// Dynamic secrets: list, get, create, update, delete.
    pub fn dynamic_secrets(&self) -> DynamicSecrets<'_> {
        DynamicSecrets::new(self)
    }

    /// Leases of dynamic secrets: create (issue credentials), get, renew, revoke, list.
    pub fn dynamic_secret_leases(&self) -> DynamicSecretLeases<'_> {
        DynamicSecretLeases::new(self)
    }

    /// Sends one operation; see [`crate::Client::send`].
    pub fn send<O>(&self, operation: O) -> Result<O::Output, Error>
    where
        O: Operation,
    {
        self.block_on(self.shared.client.execute(&operation))?
    }

    /// Closes the client; see [`crate::Client::close`].
    pub fn close(&self) -> Result<(), Error> {
        self.block_on(self.shared.client.close())?
    }

    /// The server's base URL.
    pub fn base_url(&self) -> String {
        self.shared.client.base_url()
    }

    /// The async client this one drives.
    pub fn as_async(&self) -> &crate::Client {
        &self.shared.client
    }

    /// Runs `future` on the client's own runtime and waits for it, wherever waiting cannot
    /// stall the caller's runtime: outside any runtime; on a thread of a multi-threaded
    /// runtime (a `spawn_blocking` thread, a worker — whose other tasks tokio moves to
    /// another thread first —, its `block_on`). Only a current-thread runtime's own thread
    /// (or a `LocalSet`, or a current-thread runtime's `spawn_blocking` thread, which tokio
    /// offers no way to tell apart) gets [`Error::BlockingInAsyncContext`].
    pub(crate) fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Error> {
        let runtime = self.shared.runtime.as_ref().ok_or(Error::Closed)?;
        match tokio::runtime::Handle::try_current() {
            Err(_) => Ok(runtime.block_on(future)),
            Ok(caller) if caller.runtime_flavor() == RuntimeFlavor::MultiThread => {
                Ok(tokio::task::block_in_place(|| runtime.block_on(future)))
            }
            Ok(_) => Err(Error::BlockingInAsyncContext),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.shared.client)
            .finish()
    }
}
