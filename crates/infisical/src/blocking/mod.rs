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

pub use crate::resources::blocking_handles::*;

use crate::Error;
use infisical_core::Operation;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
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

    /// The client's own runtime, to spawn work that outlives a call.
    pub(crate) fn runtime_handle(&self) -> Result<&tokio::runtime::Handle, Error> {
        self.shared
            .runtime
            .as_ref()
            .map(Runtime::handle)
            .ok_or(Error::Closed)
    }

    /// Runs `future` on the client's own runtime and waits for it, wherever waiting cannot
    /// stall the caller's runtime: outside any runtime; on a thread of a multi-threaded
    /// runtime (a `spawn_blocking` thread, a worker — whose other tasks tokio moves to
    /// another thread first —, its `block_on`). Only a current-thread runtime's own thread
    /// (or a `LocalSet`, or a current-thread runtime's `spawn_blocking` thread, which tokio
    /// offers no way to tell apart) gets [`Error::BlockingInAsyncContext`].
    pub(crate) fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Error> {
        // Generic code is compiled once per future type: it only moves the output out. The
        // runtime's `block_on` (large) is instantiated once, for a boxed future.
        let mut output = None;
        self.run(Box::pin(async {
            output = Some(future.await);
        }))?;
        output.ok_or(Error::Closed)
    }

    fn run(&self, future: Pin<Box<dyn Future<Output = ()> + '_>>) -> Result<(), Error> {
        let runtime = self.shared.runtime.as_ref().ok_or(Error::Closed)?;
        match tokio::runtime::Handle::try_current() {
            Err(_) => runtime.block_on(future),
            Ok(caller) if caller.runtime_flavor() == RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(|| runtime.block_on(future));
            }
            Ok(_) => return Err(Error::BlockingInAsyncContext),
        }
        Ok(())
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.shared.client)
            .finish()
    }
}
