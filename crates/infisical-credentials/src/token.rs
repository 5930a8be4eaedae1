//! Access tokens and the leases handed to callers.

use bytes::Bytes;
use http::HeaderValue;
use infisical_core::SecretString;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;
use zeroize::Zeroizing;

/// An access token with its expiry. `Debug` never shows the token.
#[derive(Clone)]
pub struct AccessToken {
    value: SecretString,
    expires_at: Option<SystemTime>,
    /// `Bearer <token>`, built on first use and shared by every request sending this token;
    /// `None` when the token cannot be a header value.
    bearer: OnceLock<Option<HeaderValue>>,
}

impl AccessToken {
    /// A token that expires at `expires_at` (`None`: unknown, treated as never).
    pub fn new(value: SecretString, expires_at: Option<SystemTime>) -> Self {
        Self {
            value,
            expires_at,
            bearer: OnceLock::new(),
        }
    }

    /// The `Authorization` header value `Bearer <token>`, marked sensitive; `None` when the
    /// token holds characters a header cannot carry.
    ///
    /// Built once per token: every request sending it shares the same bytes (a clone
    /// copies nothing), and those bytes are zeroed when the token and the last request
    /// holding them are gone.
    pub fn bearer_header(&self) -> Option<HeaderValue> {
        self.bearer
            .get_or_init(|| {
                let mut text =
                    Zeroizing::new(Vec::with_capacity(self.expose().len().saturating_add(7)));
                text.extend_from_slice(b"Bearer ");
                text.extend_from_slice(self.expose().as_bytes());
                let mut value = HeaderValue::from_maybe_shared(Bytes::from_owner(text)).ok()?;
                value.set_sensitive(true);
                Some(value)
            })
            .clone()
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

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &self.value)
            .field("expires_at", &self.expires_at)
            .finish()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_header_is_built_once_and_stays_secret() {
        let token = AccessToken::new(SecretString::new("eyJ.payload.sig".to_owned()), None);
        let first = token.bearer_header().unwrap();
        assert_eq!(first, "Bearer eyJ.payload.sig");
        assert!(first.is_sensitive());
        assert!(!format!("{first:?}").contains("eyJ"));
        assert!(!format!("{token:?}").contains("eyJ"));
        let again = token.bearer_header().unwrap();
        assert_eq!(
            first.as_bytes().as_ptr(),
            again.as_bytes().as_ptr(),
            "shared, not rebuilt"
        );
        let clone = token.clone();
        assert_eq!(clone.bearer_header().unwrap(), first);
    }

    #[test]
    fn a_token_that_cannot_be_a_header_has_no_bearer_header() {
        let token = AccessToken::new(SecretString::new("bad\ntoken".to_owned()), None);
        assert!(token.bearer_header().is_none());
    }
}
