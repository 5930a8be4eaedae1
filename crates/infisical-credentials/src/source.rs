//! The interface between credentials and the transport.

use crate::TokenLease;
use infisical_core::CredentialsError;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where the auth layer gets its bearer token.
///
/// Object safe: the transport holds an `Arc<dyn TokenSource>`. Implementations must be
/// cheap to call on every request once a token is held (no lock held across I/O on the
/// fast path).
pub trait TokenSource: Send + Sync + Debug {
    /// A token that is valid now, logging in or refreshing first if needed.
    fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>>;

    /// The token [`token`](TokenSource::token) would answer at once, if the source holds
    /// one that needs no login and no refresh yet: the auth layer's fast path, with no
    /// future to allocate. `None` (the default) sends the request through `token`, which
    /// must then answer as usual.
    fn ready(&self) -> Option<TokenLease> {
        None
    }

    /// The server rejected the token of `generation`: forget it, so that the next
    /// [`token`](TokenSource::token) fetches a new one. A stale generation is ignored.
    fn invalidate(&self, generation: u64);

    /// Whether a new token could differ from a rejected one. `false` for a fixed token, so
    /// that a rejection is not retried.
    fn can_refresh(&self) -> bool {
        true
    }

    /// Gives up the token for good (for example revoking it on the server).
    fn close(&self) -> BoxFuture<'_, Result<(), CredentialsError>> {
        Box::pin(async { Ok(()) })
    }

    /// A short name for logs and errors, such as `universal-auth`.
    fn name(&self) -> &'static str;
}
