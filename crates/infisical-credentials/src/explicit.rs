//! Credentials given in code.

use crate::{BoxFuture, Credentials, Lookup, ProvideCredentials, ProvidedCredentials};
use infisical_core::CredentialsError;

const PROVIDER: &str = "explicit";

/// Credentials given in code (the client builder's `credentials`): always found. First in the facade's chain when set.
#[derive(Debug, Clone)]
pub struct ExplicitProvider {
    found: ProvidedCredentials,
}

impl ExplicitProvider {
    /// Provides `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            found: Self::identify(PROVIDER, credentials),
        }
    }

    /// The credentials as found by `provider`, with who they identify.
    pub(crate) fn identify(provider: &str, credentials: Credentials) -> ProvidedCredentials {
        let identity = credentials.identity().map(str::to_owned);
        let mut found = ProvidedCredentials::new(provider, credentials);
        found.identity = identity;
        found
    }
}

impl ProvideCredentials for ExplicitProvider {
    fn name(&self) -> &str {
        PROVIDER
    }

    fn provide(&self) -> BoxFuture<'_, Result<Lookup, CredentialsError>> {
        let found = self.found.clone();
        Box::pin(async move { Ok(Lookup::Found(found)) })
    }
}
