//! The SDK's error type and its parts.

pub(crate) mod api;
mod credentials;
mod decode;
mod hidden;
mod offline;
mod request;
mod transport;

pub use api::{is_retryable_status, ApiError};
pub use credentials::{CredentialsError, CredentialsErrorKind, ProviderAttempt};
pub use decode::DecodeError;
pub(crate) use hidden::unless_withheld;
pub use hidden::HiddenValue;
pub use offline::{OfflineCopyError, OfflineCopyErrorKind};
pub(crate) use request::require_field;
pub use request::InvalidRequest;
pub use transport::{TransportError, TransportErrorKind};

/// Everything that can go wrong when talking to Infisical.
///
/// Match on the variant when the cause matters, or ask the predicates
/// ([`status`](Error::status), [`is_not_found`](Error::is_not_found),
/// [`is_auth`](Error::is_auth), [`is_retryable`](Error::is_retryable)) instead of matching
/// strings. No variant ever carries a secret value or a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A request was refused before sending: a required parameter is missing or invalid.
    #[error(transparent)]
    InvalidRequest(#[from] InvalidRequest),
    /// The server's answer could not be understood.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The request did not complete: connection, timeout or I/O failure.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// No usable credentials, or the login failed.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The write was not applied: an approval policy holds it until someone approves it.
    /// Returned by [`WriteOutcome::into_applied`](crate::secrets::WriteOutcome::into_applied).
    #[error("the change is pending approval (approval request {})", .0.id)]
    PendingApproval(Box<crate::secrets::Approval>),
    /// The server withheld a secret's value (see [`Secret::value`](crate::secrets::Secret::value)).
    #[error(transparent)]
    HiddenValue(#[from] HiddenValue),
    /// The server could not be reached and the client's offline copy cannot be used: not
    /// one, made with another key, or changed since it was written.
    #[error(transparent)]
    OfflineCopy(#[from] OfflineCopyError),
    /// The client was configured wrongly (for example an unparsable base URL).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A `blocking::Client` method was called on a current-thread async runtime, where
    /// blocking would stall the whole runtime. (Plain threads, `spawn_blocking` and the
    /// threads of a multi-threaded runtime may block.)
    #[error(
        "the blocking client was called on a current-thread async runtime, where blocking \
         would stall it; use the async client there (`blocking::Client::as_async`), or call \
         from `spawn_blocking` on a multi-threaded runtime"
    )]
    BlockingInAsyncContext,
    /// The client was closed with `close()`.
    #[error("the client has been closed")]
    Closed,
}

impl Error {
    /// The HTTP status of a server error; `None` when the server did not answer with one.
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::Credentials(e) => e.status(),
            _ => None,
        }
    }

    /// The request id the server gave its answer (`reqId`), to quote to Infisical support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            _ => None,
        }
    }

    /// How many attempts the request took before this error (1 when not retried).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(e) => e.attempts(),
            Error::Transport(e) => e.attempts(),
            _ => 1,
        }
    }

    /// The server error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The server said the resource does not exist (not: the server lacks the route).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api(e) if e.is_not_found())
    }

    /// The route serves users only and refused a machine identity (see
    /// [`ApiError::is_users_only`]).
    pub fn is_users_only(&self) -> bool {
        matches!(self, Error::Api(e) if e.is_users_only())
    }

    /// An authentication or authorization failure: bad credentials, a rejected token,
    /// or a 401/403 answer.
    pub fn is_auth(&self) -> bool {
        match self {
            Error::Api(e) => e.is_auth(),
            Error::Credentials(_) => true,
            _ => false,
        }
    }

    /// Whether trying the same request again later may succeed: 408, 429, 5xx (but 501),
    /// connection failures and timeouts, wherever they happened (a login's included); not
    /// a refused certificate, an oversized answer or a redirected login.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => e.is_retryable(),
            Error::Transport(e) => e.is_retryable(),
            Error::Credentials(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// A timeout, of the connection or of the request, the login's included.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(e) => e.kind() == TransportErrorKind::Timeout,
            Error::Credentials(e) => e.is_timeout(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_static() {
        fn assert_bounds<T: Send + Sync + 'static + std::error::Error>() {}
        assert_bounds::<Error>();
    }

    #[test]
    fn predicates_of_a_missing_parameter() {
        let err: Error = InvalidRequest::missing("project_id").into();
        assert_eq!(err.status(), None);
        assert!(!err.is_retryable());
        assert!(!err.is_auth());
        assert!(err.to_string().contains("project_id"));
    }
}
