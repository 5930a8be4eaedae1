//! Who a client is: the one "who" type of the credentials and the client.

use std::time::SystemTime;

/// Who is calling: which provider's credentials are in use, for whom, on which server, and
/// until when the token is valid. Never the token itself.
///
/// [`ResolvingSource::resolved`](crate::ResolvingSource::resolved) answers it once
/// credentials are found; the client's `identity()` answers it with the current token's
/// expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Identity {
    /// The provider whose credentials are in use, such as `environment` or `infisical-cli`.
    pub provider: String,
    /// The user's email or the machine identity's client or identity id, when known.
    pub identity: Option<String>,
    /// The server.
    pub base_url: String,
    /// When the access token expires, when known.
    pub expires_at: Option<SystemTime>,
}

impl Identity {
    /// `provider`'s credentials on `base_url`, for no one known, with no known expiry.
    pub fn new(provider: impl Into<String>, base_url: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            identity: None,
            base_url: base_url.into(),
            expires_at: None,
        }
    }

    /// The same identity, with the expiry of the token now in use.
    pub fn with_expiry(mut self, expires_at: Option<SystemTime>) -> Self {
        self.expires_at = expires_at;
        self
    }
}
