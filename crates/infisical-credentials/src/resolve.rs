//! From found credentials to a token source, and a source that finds them on first use.

use crate::{
    BoxFuture, Clock, Credentials, Identity, LoginClient, Lookup, MachineIdentityAuth,
    ProvideCredentials, ProvidedCredentials, StaticToken, SystemClock, TokenLease, TokenSource,
};
use infisical_core::{CredentialsError, CredentialsErrorKind, Error};
use std::fmt;
use std::sync::Arc;

/// How token sources made from found credentials behave.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// The clock for expiry decisions.
    pub clock: Arc<dyn Clock>,
    /// Revoke a universal-auth token on `close()` (default `true`).
    pub revoke_on_close: bool,
    /// The sub-organization machine identities log in to (its slug), if any.
    pub organization: Option<String>,
}

impl Default for SourceOptions {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            revoke_on_close: true,
            organization: None,
        }
    }
}

impl ProvidedCredentials {
    /// The token source for these credentials: a login method logs in against `base_url`
    /// through `login_client`; an access token is used as is (checked for expiry if a JWT).
    pub fn into_token_source(
        self,
        base_url: &str,
        login_client: LoginClient,
        options: &SourceOptions,
    ) -> Result<Arc<dyn TokenSource>, Error> {
        Ok(match self.credentials {
            Credentials::AccessToken(token) => {
                Arc::new(StaticToken::with_clock(token, options.clock.clone()))
            }
            Credentials::IdentityLogin(method) => {
                let auth = MachineIdentityAuth::with_clock(
                    base_url,
                    method,
                    login_client,
                    options.clock.clone(),
                )?
                .revoke_on_close(options.revoke_on_close);
                match &options.organization {
                    Some(slug) => Arc::new(auth.organization(slug.clone())),
                    None => Arc::new(auth),
                }
            }
        })
    }
}

/// Decides the server once credentials are found: gets the provider's base URL, if any,
/// and answers the base URL logins must use.
pub type BaseUrlDecision =
    Arc<dyn Fn(Option<&str>) -> Result<String, CredentialsError> + Send + Sync>;

struct Found {
    source: Arc<dyn TokenSource>,
    info: Identity,
}

/// A token source that asks a provider (usually a chain) for credentials on first use,
/// once, and then serves tokens from the matching source. A failed lookup is not cached:
/// the next call asks again.
pub struct ResolvingSource {
    provider: Arc<dyn ProvideCredentials>,
    login_client: LoginClient,
    decide_base: BaseUrlDecision,
    options: SourceOptions,
    found: tokio::sync::OnceCell<Found>,
}

impl ResolvingSource {
    /// Resolves through `provider`; `decide_base` picks the server; logins go through
    /// `login_client`.
    pub fn new(
        provider: Arc<dyn ProvideCredentials>,
        login_client: LoginClient,
        decide_base: BaseUrlDecision,
        options: SourceOptions,
    ) -> Self {
        Self {
            provider,
            login_client,
            decide_base,
            options,
            found: tokio::sync::OnceCell::new(),
        }
    }

    /// What was found, once a token has been asked for.
    pub fn resolved(&self) -> Option<&Identity> {
        self.found.get().map(|f| &f.info)
    }

    async fn found(&self) -> Result<&Found, CredentialsError> {
        self.found.get_or_try_init(|| self.resolve()).await
    }

    async fn resolve(&self) -> Result<Found, CredentialsError> {
        let provided = match self.provider.provide().await? {
            Lookup::Found(provided) => provided,
            Lookup::NotHere(reason) => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::NotFound,
                    self.provider.name(),
                    reason,
                ))
            }
        };
        let base_url = (self.decide_base)(provided.base_url.as_deref())?;
        if let Some(theirs) = provided
            .base_url
            .as_deref()
            .filter(|_| provided.bound_to_base_url)
        {
            if !same_server(theirs, &base_url) {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::Invalid,
                    provided.provider.clone(),
                    format!(
                        "these credentials were issued by {theirs} and are never sent to another \
                         server, but the client is configured for {base_url}; remove the \
                         configured server (INFISICAL_URL, base_url) or log in to it"
                    ),
                ));
            }
        }
        let info = Identity {
            provider: provided.provider.clone(),
            identity: provided.identity.clone(),
            base_url: base_url.clone(),
            expires_at: provided.expires_at,
        };
        let provider = info.provider.clone();
        let source = provided
            .into_token_source(&base_url, self.login_client.clone(), &self.options)
            .map_err(|e| {
                CredentialsError::new(CredentialsErrorKind::Invalid, provider, e.to_string())
            })?;
        tracing::debug!(provider = %info.provider, base_url = %info.base_url, "credentials resolved");
        Ok(Found { source, info })
    }
}

/// Whether two base URLs name the same server: scheme, host and port (default ports
/// filled in, case-insensitive) and path (without a trailing `/`).
pub(crate) fn same_server(a: &str, b: &str) -> bool {
    fn key(url: &str) -> Option<(String, String, u16, String)> {
        let uri: http::Uri = url.trim().parse().ok()?;
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let host = uri.host()?.to_ascii_lowercase();
        let port = uri
            .port_u16()
            .unwrap_or(if scheme == "http" { 80 } else { 443 });
        let path = uri.path().trim_end_matches('/').to_owned();
        Some((scheme, host, port, path))
    }
    match (key(a), key(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

impl TokenSource for ResolvingSource {
    fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>> {
        Box::pin(async move { self.found().await?.source.token().await })
    }

    fn ready(&self) -> Option<TokenLease> {
        self.found.get()?.source.ready()
    }

    fn invalidate(&self, generation: u64) {
        if let Some(found) = self.found.get() {
            found.source.invalidate(generation);
        }
    }

    fn can_refresh(&self) -> bool {
        self.found.get().is_none_or(|f| f.source.can_refresh())
    }

    fn close(&self) -> BoxFuture<'_, Result<(), CredentialsError>> {
        Box::pin(async move {
            match self.found.get() {
                Some(found) => found.source.close().await,
                None => Ok(()),
            }
        })
    }

    fn name(&self) -> &'static str {
        self.found
            .get()
            .map_or("credentials chain", |f| f.source.name())
    }
}

impl fmt::Debug for ResolvingSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResolvingSource")
            .field("provider", &self.provider)
            .field("resolved", &self.resolved())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::same_server;

    #[test]
    fn servers_compare_by_scheme_host_port_and_path() {
        assert!(same_server(
            "https://app.infisical.com",
            "https://APP.infisical.com/"
        ));
        assert!(same_server("https://h.example", "https://h.example:443"));
        assert!(same_server(
            "http://127.0.0.1:8080/x/",
            "http://127.0.0.1:8080/x"
        ));
        assert!(!same_server(
            "https://app.infisical.com",
            "http://app.infisical.com"
        ));
        assert!(!same_server(
            "https://app.infisical.com",
            "https://eu.infisical.com"
        ));
        assert!(!same_server("https://h.example:8443", "https://h.example"));
        assert!(!same_server("https://h.example/a", "https://h.example/b"));
        assert!(!same_server("not a url", "not a url"));
    }
}
