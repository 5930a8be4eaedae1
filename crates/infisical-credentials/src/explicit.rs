//! Credentials given in code.

use crate::{BoxFuture, Credentials, Lookup, ProvideCredentials, ProvidedCredentials};
use infisical_core::CredentialsError;

const PROVIDER: &str = "explicit";

/// Credentials given in code (the client builder's `universal_auth` or `access_token`):
/// always found. First in the facade's chain when set.
#[derive(Debug, Clone)]
pub struct ExplicitProvider {
    found: ProvidedCredentials,
}

impl ExplicitProvider {
    /// Provides `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        let identity = match &credentials {
            Credentials::UniversalAuth { client_id, .. } => Some(client_id.clone()),
            Credentials::AccessToken(_) => None,
        };
        let mut found = ProvidedCredentials::new(PROVIDER, credentials);
        found.identity = identity;
        Self { found }
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
