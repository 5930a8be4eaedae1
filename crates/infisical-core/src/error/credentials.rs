//! Failures to obtain credentials or an access token.

use crate::error::{ApiError, TransportError, TransportErrorKind};
use crate::BoxError;
use std::fmt;
use std::path::{Path, PathBuf};

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
    /// The credentials are stored somewhere this SDK cannot read (such as the OS keyring).
    Unsupported,
    /// The server refused the login, or answered it in a way no retry changes (a
    /// redirect: check the base URL).
    LoginRejected,
    /// The login could not be completed (network, server error, an unreachable OS
    /// keyring); may succeed later.
    Unavailable,
    /// The credentials are in a store that is locked (an OS keyring whose collection is
    /// locked); unlocking it is the user's move, as it would need a prompt.
    Locked,
}

/// One provider of a chain that had nothing, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderAttempt {
    /// The provider's name.
    pub provider: String,
    /// Why it had nothing.
    pub reason: String,
}

/// No usable access token. Names the provider and, where there is one, the file at fault;
/// when a whole chain found nothing, lists every provider tried and why. Never holds a
/// secret.
#[derive(Debug, thiserror::Error)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    provider: String,
    message: String,
    path: Option<PathBuf>,
    attempts: Vec<ProviderAttempt>,
    #[source]
    source: Option<BoxError>,
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.provider, self.message)?;
        if let Some(path) = &self.path {
            write!(f, " ({})", path.display())?;
        }
        for attempt in &self.attempts {
            write!(f, "\n  - {}: {}", attempt.provider, attempt.reason)?;
        }
        Ok(())
    }
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
            path: None,
            attempts: Vec::new(),
            source: None,
        }
    }

    /// A chain in which no provider had credentials; `attempts` says why for each.
    pub fn not_found(chain: impl Into<String>, attempts: Vec<ProviderAttempt>) -> Self {
        let mut error = Self::new(
            CredentialsErrorKind::NotFound,
            chain,
            "no credentials found; tried, in order:",
        );
        error.attempts = attempts;
        error
    }

    /// Names the file at fault.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
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

    /// What went wrong, without the provider's name or the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The file at fault, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The providers a chain tried, when none had credentials.
    pub fn attempts(&self) -> &[ProviderAttempt] {
        &self.attempts
    }

    /// The causes of this error, outermost first.
    fn causes(&self) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
        let first: Option<&(dyn std::error::Error + 'static)> = match &self.source {
            Some(source) => Some(source.as_ref()),
            None => None,
        };
        std::iter::successors(first, |e| e.source())
    }

    /// The server error behind a refused login, if that is a cause.
    pub fn api_error(&self) -> Option<&ApiError> {
        self.causes().find_map(|e| e.downcast_ref::<ApiError>())
    }

    /// The transport failure behind a login that did not complete, if that is a cause.
    pub fn transport_error(&self) -> Option<&TransportError> {
        self.causes()
            .find_map(|e| e.downcast_ref::<TransportError>())
    }

    /// The login (or the metadata server it needed) timed out.
    pub fn is_timeout(&self) -> bool {
        self.transport_error()
            .is_some_and(|e| e.kind() == TransportErrorKind::Timeout)
    }

    /// The status of the server's answer to the login, if there was one.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.api_error().map(ApiError::status)
    }

    /// A login that failed for a passing reason may succeed later: the cause decides
    /// where there is one (a 503 may heal, a refused certificate will not).
    pub fn is_retryable(&self) -> bool {
        if self.kind != CredentialsErrorKind::Unavailable {
            return false;
        }
        if let Some(api) = self.api_error() {
            return api.is_retryable();
        }
        self.transport_error()
            .is_none_or(TransportError::is_retryable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_lists_every_attempt() {
        let err = CredentialsError::not_found(
            "default chain",
            vec![
                ProviderAttempt {
                    provider: "environment".into(),
                    reason: "INFISICAL_CLIENT_ID is not set".into(),
                },
                ProviderAttempt {
                    provider: "infisical-cli".into(),
                    reason: "no CLI config".into(),
                },
            ],
        );
        let text = err.to_string();
        assert!(
            text.contains("environment: INFISICAL_CLIENT_ID is not set"),
            "{text}"
        );
        assert!(text.contains("infisical-cli: no CLI config"), "{text}");
        assert_eq!(err.attempts().len(), 2);
    }

    #[test]
    fn the_path_is_shown() {
        let err = CredentialsError::new(CredentialsErrorKind::Invalid, "cli", "bad JSON")
            .with_path("/home/u/.infisical/infisical-config.json");
        assert!(err
            .to_string()
            .ends_with("(/home/u/.infisical/infisical-config.json)"));
    }
}
