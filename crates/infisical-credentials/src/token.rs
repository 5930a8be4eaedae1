//! Access tokens and the leases handed to callers.

use infisical_core::SecretString;
use std::sync::Arc;
use std::time::SystemTime;

/// An access token with its expiry. `Debug` never shows the token.
#[derive(Debug, Clone)]
pub struct AccessToken {
    value: SecretString,
    expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// A token that expires at `expires_at` (`None`: unknown, treated as never).
    pub fn new(value: SecretString, expires_at: Option<SystemTime>) -> Self {
        Self { value, expires_at }
    }

    /// The bearer value. Do not log it.
    pub fn expose(&self) -> &str {
        self.value.expose()
    }

    /// The secret value.
    pub fn secret(&self) -> &SecretString {
        &self.value
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

/// A token handed out by a [`TokenSource`](crate::TokenSource), with the generation it
/// belongs to: report a rejection with that generation so that only this token is thrown
/// away, never one that another task fetched meanwhile.
#[derive(Debug, Clone)]
pub struct TokenLease {
    token: Arc<AccessToken>,
    generation: u64,
}

impl TokenLease {
    /// A lease of `token` in `generation`.
    pub fn new(token: Arc<AccessToken>, generation: u64) -> Self {
        Self { token, generation }
    }

    /// The token.
    pub fn token(&self) -> &AccessToken {
        &self.token
    }

    /// The generation of the token.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}
