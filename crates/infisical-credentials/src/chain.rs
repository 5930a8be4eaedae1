//! A chain of providers, tried in order.

use crate::{BoxFuture, Env, EnvironmentProvider, Lookup, ProcessEnv, ProvideCredentials};
use infisical_core::{CredentialsError, ProviderAttempt};
use std::sync::Arc;

/// Tries providers in order: goes on when one has nothing, stops at the first that has
/// credentials, and stops at the first real error (credentials found but broken). When
/// none has anything, the error lists every provider tried and why.
///
/// ```
/// use infisical_credentials::{provider_fn, CredentialsChain, Lookup};
///
/// let chain = CredentialsChain::default_chain()
///     .insert(0, provider_fn("mine", || async { Ok(Lookup::NotHere("not configured".into())) }));
/// assert_eq!(chain.names()[..2], ["mine", "environment"]); // then the CLI's login
/// ```
#[derive(Debug, Clone, Default)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsChain {
    /// A chain with no providers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The default chain over the process environment: [`EnvironmentProvider`], then
    /// the Infisical CLI's login (`CliLogin`, feature `cli-login`, on by default).
    pub fn default_chain() -> Self {
        Self::default_with_env(Arc::new(ProcessEnv))
    }

    /// The default chain reading `env` instead of the process environment (the CLI
    /// provider takes the home directory from `HOME` in `env`).
    pub fn default_with_env(env: Arc<dyn Env>) -> Self {
        let chain = Self::new().push(EnvironmentProvider::new(env.clone()));
        #[cfg(feature = "cli-login")]
        let chain = chain.push(crate::CliLogin::from_env(env));
        #[cfg(not(feature = "cli-login"))]
        drop(env);
        chain
    }

    /// Adds a provider at the end.
    pub fn push(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    /// Inserts a provider at `index` (0 is tried first); an index past the end appends.
    pub fn insert(mut self, index: usize, provider: impl ProvideCredentials + 'static) -> Self {
        let index = index.min(self.providers.len());
        self.providers.insert(index, Arc::new(provider));
        self
    }

    /// The providers' names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.providers.iter().map(|p| p.name()).collect()
    }

    async fn find(&self) -> Result<Lookup, CredentialsError> {
        let mut attempts = Vec::with_capacity(self.providers.len());
        for provider in &self.providers {
            match provider.provide().await? {
                Lookup::Found(found) => {
                    tracing::debug!(provider = provider.name(), "credentials found");
                    return Ok(Lookup::Found(found));
                }
                Lookup::NotHere(reason) => attempts.push(ProviderAttempt {
                    provider: provider.name().to_owned(),
                    reason,
                }),
            }
        }
        Err(CredentialsError::not_found("credentials chain", attempts))
    }
}

impl ProvideCredentials for CredentialsChain {
    fn name(&self) -> &str {
        "credentials chain"
    }

    /// The first provider's credentials; an error of kind `NotFound` listing every attempt
    /// when none had any.
    fn provide(&self) -> BoxFuture<'_, Result<Lookup, CredentialsError>> {
        Box::pin(self.find())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{provider_fn, Credentials, ProvidedCredentials, StaticEnv};
    use infisical_core::CredentialsErrorKind;

    fn found(name: &'static str) -> impl ProvideCredentials {
        provider_fn(name, move || async move {
            Ok(Lookup::Found(ProvidedCredentials::new(
                name,
                Credentials::AccessToken("t".into()),
            )))
        })
    }

    fn nothing(name: &'static str) -> impl ProvideCredentials {
        provider_fn(name, || async { Ok(Lookup::NotHere("nothing".into())) })
    }

    fn broken(name: &'static str) -> impl ProvideCredentials {
        provider_fn(name, move || async move {
            Err(CredentialsError::new(
                CredentialsErrorKind::Invalid,
                name,
                "broken",
            ))
        })
    }

    async fn winner(chain: &CredentialsChain) -> Result<String, CredentialsError> {
        match chain.provide().await? {
            Lookup::Found(found) => Ok(found.provider),
            Lookup::NotHere(_) => unreachable!("a chain errs when empty-handed"),
        }
    }

    #[tokio::test]
    async fn goes_on_past_nothing_and_stops_at_the_first_found() {
        let chain = CredentialsChain::new()
            .push(nothing("a"))
            .push(found("b"))
            .push(found("c"));
        assert_eq!(winner(&chain).await.unwrap(), "b");
    }

    #[tokio::test]
    async fn stops_at_a_real_error() {
        let chain = CredentialsChain::new().push(broken("a")).push(found("b"));
        let err = winner(&chain).await.unwrap_err();
        assert_eq!(
            (err.kind(), err.provider()),
            (CredentialsErrorKind::Invalid, "a")
        );
    }

    #[tokio::test]
    async fn lists_every_attempt_when_nothing_is_found() {
        let chain = CredentialsChain::new()
            .push(nothing("a"))
            .push(nothing("b"));
        let err = winner(&chain).await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
        let tried: Vec<_> = err.attempts().iter().map(|a| a.provider.as_str()).collect();
        assert_eq!(tried, ["a", "b"]);
    }

    #[tokio::test]
    async fn a_provider_inserted_at_zero_wins() {
        let env = StaticEnv::from([("INFISICAL_TOKEN", "from-env")]);
        let chain = CredentialsChain::default_with_env(Arc::new(env)).insert(0, found("mine"));
        assert_eq!(winner(&chain).await.unwrap(), "mine");
        let chain = CredentialsChain::default_with_env(Arc::new(StaticEnv::new()))
            .insert(99, found("last"));
        let expected: &[&str] = if cfg!(feature = "cli-login") {
            &["environment", "infisical-cli", "last"]
        } else {
            &["environment", "last"]
        };
        assert_eq!(chain.names(), expected);
        assert_eq!(winner(&chain).await.unwrap(), "last");
    }
}
