//! The one way to give a client its credentials: [`ClientCredentials`].

use infisical_core::SecretString;
use infisical_credentials::{
    AwsIamAuth, AzureAuth, Credentials, CredentialsChain, GcpIamAuth, GcpIdTokenAuth, JwtAuth,
    KubernetesAuth, LdapAuth, LoginMethod, OidcAuth, ProvideCredentials, StaticToken, TokenSource,
    UniversalAuth,
};
use std::sync::Arc;

/// Where a client gets its credentials. [`ClientBuilder::credentials`](crate::ClientBuilder::credentials)
/// takes anything that converts into it — a login method, credentials, a chain, a token
/// source — and a second call replaces the first.
///
/// ```
/// use infisical::credentials::{ClientCredentials, CredentialsChain, KubernetesAuth, UniversalAuth};
/// use infisical::Client;
///
/// // A machine identity, by any of its login methods:
/// let a = Client::builder().credentials(UniversalAuth::new("client-id", "client-secret")).build()?;
/// let b = Client::builder().credentials(KubernetesAuth::new("identity-id")).build()?;
/// // A token, sent as is:
/// let c = Client::builder().credentials(ClientCredentials::access_token("eyJ…")).build()?;
/// // A chain of providers (the default one when nothing is given):
/// let d = Client::builder().credentials(CredentialsChain::default_chain()).build()?;
/// # drop((a, b, c, d));
/// # Ok::<(), infisical::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum ClientCredentials {
    /// The default chain: `INFISICAL_*` environment variables, then the Infisical CLI's
    /// login. The server is `INFISICAL_URL` when the builder names none.
    #[default]
    DefaultChain,
    /// Credentials given in code: a login method or a token.
    Explicit(Credentials),
    /// Providers tried in order, on the first call.
    Chain(CredentialsChain),
    /// One provider of your own, asked on the first call.
    Provider(Arc<dyn ProvideCredentials>),
    /// Tokens from a source of your own, bypassing providers altogether.
    Source(Arc<dyn TokenSource>),
}

impl ClientCredentials {
    /// An access token ("token auth"), sent as is.
    pub fn access_token(token: impl Into<SecretString>) -> Self {
        Self::Explicit(Credentials::access_token(token))
    }

    /// Tokens from `source`.
    pub fn source(source: impl TokenSource + 'static) -> Self {
        Self::Source(Arc::new(source))
    }

    /// Credentials from one provider of your own (see
    /// [`provider_fn`](crate::credentials::provider_fn)).
    pub fn provider(provider: impl ProvideCredentials + 'static) -> Self {
        Self::Provider(Arc::new(provider))
    }
}

impl From<Credentials> for ClientCredentials {
    fn from(credentials: Credentials) -> Self {
        Self::Explicit(credentials)
    }
}

impl From<CredentialsChain> for ClientCredentials {
    fn from(chain: CredentialsChain) -> Self {
        Self::Chain(chain)
    }
}

impl From<Arc<dyn TokenSource>> for ClientCredentials {
    fn from(source: Arc<dyn TokenSource>) -> Self {
        Self::Source(source)
    }
}

impl From<Arc<dyn ProvideCredentials>> for ClientCredentials {
    fn from(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self::Provider(provider)
    }
}

impl From<StaticToken> for ClientCredentials {
    fn from(token: StaticToken) -> Self {
        Self::source(token)
    }
}

/// Every login method is credentials of its own.
macro_rules! login_methods {
    ($($method:ty),* $(,)?) => {$(
        impl From<$method> for ClientCredentials {
            fn from(method: $method) -> Self {
                Self::Explicit(Credentials::from(method))
            }
        }
    )*};
}

login_methods!(
    LoginMethod,
    UniversalAuth,
    KubernetesAuth,
    AwsIamAuth,
    GcpIdTokenAuth,
    GcpIamAuth,
    AzureAuth,
    OidcAuth,
    JwtAuth,
    LdapAuth,
);
