//! Credential providers: where a client's credentials come from.

use crate::BoxFuture;
use infisical_core::{CredentialsError, InvalidRequest, SecretString};
use std::fmt;
use std::future::Future;
use std::time::SystemTime;

/// The credentials a provider found: a machine identity's login method, or a token.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// An access token to send as is (a machine identity's token, or a CLI user session).
    AccessToken(SecretString),
    /// A machine identity that logs in: universal auth, Kubernetes, AWS IAM, GCP, Azure,
    /// OIDC, JWT, LDAP, or a method of your own.
    IdentityLogin(crate::LoginMethod),
}

impl Credentials {
    /// A machine identity's universal-auth client id and secret.
    pub fn universal_auth(
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        Self::IdentityLogin(crate::UniversalAuth::new(client_id, client_secret).into())
    }

    /// An access token, sent as is.
    pub fn access_token(token: impl Into<SecretString>) -> Self {
        Self::AccessToken(token.into())
    }

    /// Who these credentials identify, when they say: a login method's identity (a client
    /// id for universal auth).
    pub fn identity(&self) -> Option<&str> {
        match self {
            Self::IdentityLogin(method) => Some(method.identity()),
            Self::AccessToken(_) => None,
        }
    }

    /// Refuses credentials missing a required part (an empty token, client id, client
    /// secret or identity id), naming it.
    pub fn check(&self) -> Result<(), InvalidRequest> {
        match self {
            Self::IdentityLogin(method) => method.check(),
            Self::AccessToken(token) if token.is_empty() => {
                Err(InvalidRequest::missing("access_token"))
            }
            Self::AccessToken(_) => Ok(()),
        }
    }
}

impl<M: Into<crate::LoginMethod>> From<M> for Credentials {
    fn from(method: M) -> Self {
        Self::IdentityLogin(method.into())
    }
}

/// Credentials found by a provider, with what it knows about them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProvidedCredentials {
    /// The credentials.
    pub credentials: Credentials,
    /// The server they belong to, when the provider knows (`INFISICAL_URL`, the CLI's
    /// login domain), without a trailing `/api`.
    pub base_url: Option<String>,
    /// The credentials may be sent to `base_url` only (a user's session, issued by that
    /// server): a client configured for another server fails instead of sending them.
    pub bound_to_base_url: bool,
    /// Who they identify, when known: a user's email or a client id.
    pub identity: Option<String>,
    /// When an access token expires, when known.
    pub expires_at: Option<SystemTime>,
    /// The name of the provider that found them.
    pub provider: String,
}

impl ProvidedCredentials {
    /// Credentials found by `provider`, with nothing else known.
    pub fn new(provider: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            credentials,
            base_url: None,
            bound_to_base_url: false,
            identity: None,
            expires_at: None,
            provider: provider.into(),
        }
    }

    /// Sets the server the credentials belong to.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sets the server the credentials belong to and may only be sent to.
    pub fn bound_to(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self.bound_to_base_url = true;
        self
    }

    /// Sets who the credentials identify.
    pub fn with_identity(mut self, identity: impl Into<String>) -> Self {
        self.identity = Some(identity.into());
        self
    }
}

/// What a provider answers when it is asked.
#[derive(Debug, Clone)]
pub enum Lookup {
    /// It has credentials.
    Found(ProvidedCredentials),
    /// It has none; the reason says why (a chain goes on to the next provider).
    NotHere(String),
}

/// A source of credentials.
///
/// Answer [`Lookup::NotHere`] when there is nothing to find, so that a chain tries the next
/// provider, and an error when credentials are there but broken (unreadable, expired,
/// undecryptable), so that a chain stops instead of silently using other credentials.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// A short name for errors and logs, such as `environment`.
    fn name(&self) -> &str;

    /// Looks for credentials.
    fn provide(&self) -> BoxFuture<'_, Result<Lookup, CredentialsError>>;
}

/// A provider made of a closure; see [`provider_fn`].
pub struct FnProvider<F> {
    name: String,
    f: F,
}

/// Turns an async closure into a provider.
///
/// ```
/// use infisical_credentials::{provider_fn, Credentials, Lookup, ProvidedCredentials};
///
/// let from_vault = provider_fn("my-vault", || async {
///     let token = "token-from-my-vault".to_owned(); // fetched from somewhere
///     Ok(Lookup::Found(ProvidedCredentials::new(
///         "my-vault",
///         Credentials::AccessToken(token.into()),
///     )))
/// });
/// # drop(from_vault);
/// ```
pub fn provider_fn<F, Fut>(name: impl Into<String>, f: F) -> FnProvider<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Lookup, CredentialsError>> + Send + 'static,
{
    FnProvider {
        name: name.into(),
        f,
    }
}

impl<F, Fut> ProvideCredentials for FnProvider<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Lookup, CredentialsError>> + Send + 'static,
{
    fn name(&self) -> &str {
        &self.name
    }

    fn provide(&self) -> BoxFuture<'_, Result<Lookup, CredentialsError>> {
        Box::pin((self.f)())
    }
}

impl<F> fmt::Debug for FnProvider<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnProvider")
            .field("name", &self.name)
            .finish()
    }
}
