//! The blocking client: the async client's methods, for code without a runtime.
//!
//! [`Client`] owns a small tokio runtime and runs the async client on it, so both share
//! one implementation. It works from plain threads, from `spawn_blocking` of any runtime and
//! from any thread of a multi-threaded tokio runtime; only inside a task (or `block_on`) of
//! a current-thread runtime, where blocking would stall the whole runtime, it returns
//! [`Error::BlockingInAsyncContext`] instead of blocking or panicking.
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
use futures_util::FutureExt;
use infisical_core::Operation;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
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

    /// Runs `future` and waits for it, wherever waiting cannot stall the caller's runtime:
    /// outside any runtime; on a `spawn_blocking` thread of any runtime; on a thread of a
    /// multi-threaded runtime (a worker — whose other tasks tokio moves to another thread
    /// first —, its `block_on`). Only a task or `block_on` of a current-thread runtime (or
    /// a `LocalSet`), whose thread would stall, gets [`Error::BlockingInAsyncContext`].
    pub(crate) fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Error> {
        // Generic code is compiled once per future type: it only moves the output out. The
        // waiting is compiled once, for a boxed future.
        // Mapped, not awaited in an `async` block, which would hold the future twice.
        let mut output = None;
        let slot = &mut output;
        self.run(Box::pin(future.map(move |out| *slot = Some(out))))?;
        output.ok_or(Error::Closed)
    }

    fn run(&self, future: Pin<Box<dyn Future<Output = ()> + '_>>) -> Result<(), Error> {
        let runtime = self.shared.runtime.as_ref().ok_or(Error::Closed)?;
        match tokio::runtime::Handle::try_current() {
            Ok(caller) if caller.runtime_flavor() == RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(|| wait(runtime, future));
            }
            Ok(_) if polled_by_a_runtime() => return Err(Error::BlockingInAsyncContext),
            _ => wait(runtime, future),
        }
        Ok(())
    }
}

/// Polls `future` on this thread until it completes, parking the thread between wake-ups.
/// Its connections and timers belong to the client's runtime, whose own thread drives them,
/// so this never needs (or blocks) the caller's runtime, if any.
fn wait(runtime: &Runtime, mut future: Pin<Box<dyn Future<Output = ()> + '_>>) {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }
    let _context = runtime.enter();
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    while future.as_mut().poll(&mut cx).is_pending() {
        std::thread::park();
    }
}

/// Whether this thread is being polled by a tokio runtime (inside a task or a `block_on`),
/// as opposed to a `spawn_blocking` thread. Tokio gives every poll a cooperative budget and
/// runs blocking-pool work without one; this spends the budget to see which, then gives it
/// back exactly.
fn polled_by_a_runtime() -> bool {
    let mut cx = Context::from_waker(Waker::noop());
    let mut held = Vec::new();
    // Tokio's budget is 128 units a poll: one more exhausts any budget there is.
    let constrained = (0..=128).any(|_| match tokio::task::coop::poll_proceed(&mut cx) {
        Poll::Ready(restore) => {
            held.push(restore);
            false
        }
        Poll::Pending => true,
    });
    // Each guard restores the budget it found: the first one's, dropped last, is the original.
    while let Some(restore) = held.pop() {
        drop(restore);
    }
    constrained
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.shared.client)
            .finish()
    }
}
