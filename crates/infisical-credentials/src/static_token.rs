//! A fixed access token ("token auth").

use crate::{AccessToken, BoxFuture, TokenLease, TokenSource};
use infisical_core::{CredentialsError, SecretString};
use std::sync::Arc;

/// A fixed access token, sent as is. It cannot be refreshed: a rejection is final.
#[derive(Debug, Clone)]
pub struct StaticToken {
    lease: TokenLease,
}

impl StaticToken {
    /// Uses `token` as the bearer.
    pub fn new(token: impl Into<SecretString>) -> Self {
        let token = AccessToken::new(token.into(), None);
        Self {
            lease: TokenLease::new(Arc::new(token), 1),
        }
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>> {
        let lease = self.lease.clone();
        Box::pin(async move { Ok(lease) })
    }

    fn invalidate(&self, _generation: u64) {}

    fn can_refresh(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "token"
    }
}
