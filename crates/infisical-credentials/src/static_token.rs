//! A fixed access token ("token auth").

use crate::{jwt, AccessToken, BoxFuture, Clock, SystemClock, TokenLease, TokenSource};
use infisical_core::{CredentialsError, CredentialsErrorKind, SecretString};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// A fixed access token, sent as is. It cannot be refreshed: a rejection is final.
///
/// A token that is a JWT is checked for its `exp` claim (without verifying the
/// signature): once expired it is reported as [`CredentialsErrorKind::Expired`] before
/// anything is sent. Any other token is opaque.
#[derive(Debug, Clone)]
pub struct StaticToken {
    lease: TokenLease,
    clock: Arc<dyn Clock>,
}

impl StaticToken {
    /// Uses `token` as the bearer.
    pub fn new(token: impl Into<SecretString>) -> Self {
        Self::with_clock(token, Arc::new(SystemClock))
    }

    /// Like [`new`](StaticToken::new), with an injected clock for the expiry check.
    pub fn with_clock(token: impl Into<SecretString>, clock: Arc<dyn Clock>) -> Self {
        let token = token.into();
        let expires_at = jwt::unverified_expiry(token.expose());
        let token = AccessToken::new(token, expires_at);
        Self {
            lease: TokenLease::new(Arc::new(token), 1),
            clock,
        }
    }

    /// When the token expires, if it is a JWT with an `exp` claim.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.lease.token().expires_at()
    }

    fn check(&self) -> Result<TokenLease, CredentialsError> {
        match self.expires_at() {
            Some(exp) if exp <= self.clock.now() => Err(CredentialsError::new(
                CredentialsErrorKind::Expired,
                "token",
                format!(
                    "the access token expired at {} (unix seconds); get a new one",
                    exp.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
                ),
            )),
            _ => Ok(self.lease.clone()),
        }
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>> {
        let result = self.check();
        Box::pin(async move { result })
    }

    fn ready(&self) -> Option<TokenLease> {
        self.check().ok()
    }

    fn invalidate(&self, _generation: u64) {}

    fn can_refresh(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "token"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ManualClock;
    use std::time::Duration;

    // exp 1700000000 (2023-11-14), from ../shared/fixtures/cli-keyring.
    const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3NWZXJzaW9uIjoxLCJhdXRoTWV0aG9kIjoiZW1haWwiLCJhdXRoVG9rZW5UeXBlIjoiYWNjZXNzVG9rZW4iLCJleHAiOjE3MDAwMDAwMDAsImlhdCI6MTY5OTkxMzYwMCwiaXNNZmFWZXJpZmllZCI6ZmFsc2UsIm9yZ2FuaXphdGlvbklkIjoiMGIwZTdkMWEtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMGExIiwidG9rZW5WZXJzaW9uSWQiOiI1ZTVlNWU1ZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMGExMWMiLCJ1c2VySWQiOiI2ZjFkMmMzYi0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMGExMWMifQ.cf8UUABvRTNsib4nY1d0zh0UtCX3alTaOrKPCKyELqw";

    #[tokio::test]
    async fn a_jwt_is_valid_until_its_exp_then_reported_expired() {
        let clock = Arc::new(ManualClock::new(
            UNIX_EPOCH + Duration::from_secs(1_699_999_000),
        ));
        let token = StaticToken::with_clock(JWT, clock.clone());
        assert!(token.token().await.is_ok());
        assert!(token.ready().is_some());
        clock.advance(Duration::from_secs(1_000));
        assert!(token.ready().is_none(), "expired: token() reports it");
        let err = token.token().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Expired);
        assert!(!err.to_string().contains(JWT));
    }

    #[tokio::test]
    async fn an_opaque_token_never_expires() {
        let token = StaticToken::new("st.opaque");
        assert_eq!(token.expires_at(), None);
        assert_eq!(token.token().await.unwrap().token().expose(), "st.opaque");
        assert!(!format!("{token:?}").contains("st.opaque"));
    }
}
