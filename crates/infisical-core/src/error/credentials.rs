//! Failures to obtain credentials or an access token.

use crate::error::ApiError;
use crate::BoxError;

/// What kind of credentials failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// No provider had credentials.
    NotFound,
    /// Credentials were found but cannot be used (malformed, unreadable, undecryptable).
    Invalid,
    /// The credentials have expired; a new login is needed.
    Expired,
    /// The server refused the login.
    LoginRejected,
    /// The login could not be completed (network, server error); may succeed later.
    Unavailable,
}

/// No usable access token: the cause names the provider and, where there is one, the file
/// or setting at fault. Never holds a secret.
#[derive(Debug, thiserror::Error)]
#[error("{provider}: {message}")]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    provider: String,
    message: String,
    #[source]
    source: Option<BoxError>,
}

impl CredentialsError {
    /// Builds an error for `provider` (a short name such as `universal-auth`).
    pub fn new(
        kind: CredentialsErrorKind,
        provider: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            provider: provider.into(),
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying cause.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The provider that failed.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The server error behind a refused login, if that is the cause.
    pub fn api_error(&self) -> Option<&ApiError> {
        self.source.as_deref()?.downcast_ref::<ApiError>()
    }

    /// The status of the server's answer to the login, if there was one.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.api_error().map(ApiError::status)
    }

    /// A login that failed for a passing reason may succeed later.
    pub fn is_retryable(&self) -> bool {
        self.kind == CredentialsErrorKind::Unavailable
    }
}
