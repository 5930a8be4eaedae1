//! Configuring a client. One builder serves the async and the blocking client.

use crate::cache::CacheConfig;
use crate::client::Client;
use crate::client_credentials::ClientCredentials;
use crate::{Error, HttpService};
use bytes::Bytes;
use infisical_core::{CredentialsError, CredentialsErrorKind, SecretString};
use infisical_credentials::{
    BaseUrlDecision, Credentials, CredentialsChain, Env, ExplicitProvider, LoginMethod, ProcessEnv,
    ProvideCredentials, ProxyConfig, ResolvingSource, SourceOptions, TokenSource,
};
use infisical_transport::{
    BaseUrl, BoxError, RetryPolicy, TlsOptions, Transport, TransportBuilder, UserLayer,
};
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;
use tower::{Layer, Service};

/// The server used when none is configured: Infisical Cloud (US).
pub const DEFAULT_BASE_URL: &str = "https://us.infisical.com";

/// Marks a [`ClientBuilder`] that builds the async [`Client`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Async;

/// Configures a [`Client`] (or, as
/// [`blocking::ClientBuilder`](crate::blocking::ClientBuilder), a blocking one).
///
/// Building does no network I/O: the first login happens on the first call.
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build()`"]
pub struct ClientBuilder<M = Async> {
    base_url: Option<String>,
    credentials: ClientCredentials,
    revoke_on_close: bool,
    /// `None`: from `INFISICAL_AUTH_ORGANIZATION_SLUG`.
    organization: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    max_body: usize,
    layers: Vec<UserLayer>,
    retry: RetryPolicy,
    deadline: Option<Duration>,
    allow_plain_http: bool,
    tls: TlsOptions,
    /// `None`: from the environment.
    proxy: Option<ProxyConfig>,
    cache: Option<CacheConfig>,
    #[cfg(feature = "offline")]
    offline: Option<crate::offline::OfflineCopy>,
    env: Arc<dyn Env>,
    mode: PhantomData<M>,
}

impl<M> Default for ClientBuilder<M> {
    fn default() -> Self {
        Self {
            base_url: None,
            credentials: ClientCredentials::DefaultChain,
            revoke_on_close: true,
            organization: None,
            connect_timeout: crate::DEFAULT_CONNECT_TIMEOUT,
            timeout: crate::DEFAULT_TIMEOUT,
            max_body: crate::DEFAULT_MAX_BODY,
            layers: Vec::new(),
            retry: RetryPolicy::default(),
            deadline: Some(crate::DEFAULT_DEADLINE),
            allow_plain_http: false,
            tls: TlsOptions::default(),
            proxy: None,
            cache: None,
            #[cfg(feature = "offline")]
            offline: None,
            env: Arc::new(ProcessEnv),
            mode: PhantomData,
        }
    }
}

impl<M> ClientBuilder<M> {
    /// A builder with the defaults: credentials from the default chain (the environment,
    /// then the Infisical CLI's login), their server or [`DEFAULT_BASE_URL`], the default
    /// timeouts.
    pub fn new() -> Self {
        Self::default()
    }

    /// The server, such as `https://eu.infisical.com` or `https://infisical.example.com`
    /// (a trailing `/api` is accepted and dropped).
    ///
    /// Without it, the server is the one the credentials come with (`INFISICAL_URL`, the
    /// CLI's login domain), else [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Where the client gets its credentials: a login method
    /// ([`UniversalAuth`](crate::credentials::UniversalAuth),
    /// [`KubernetesAuth`](crate::credentials::KubernetesAuth), … or your own
    /// [`LoginMethod`]), a token ([`ClientCredentials::access_token`]), a
    /// [`CredentialsChain`], a provider or a [`TokenSource`] of your own. Without it, the
    /// default chain. A second call replaces the first.
    ///
    /// Machine identities are logged in on the first call, renewed and refreshed ahead of
    /// expiry; each login gathers its inputs afresh (a rotated service-account token, new
    /// AWS credentials), and failed logins back off. Missing parts (an empty client id,
    /// secret, identity id or token) are refused by [`build`](ClientBuilder::build).
    ///
    /// ```
    /// use infisical::credentials::{provider_fn, CredentialsChain, JwtSource, KubernetesAuth, Lookup, OidcAuth, UniversalAuth};
    ///
    /// let service = infisical::Client::builder()
    ///     .credentials(UniversalAuth::new("client-id", "client-secret"))
    ///     .build()?;
    /// let in_a_pod = infisical::Client::builder()
    ///     .credentials(KubernetesAuth::new("7f1c0c52-8bba-4c6b-a1b5-6b2cd32a2f4b"))
    ///     .build()?;
    /// let in_ci = infisical::Client::builder()
    ///     .credentials(OidcAuth::new("b0e9…", JwtSource::env("CI_ID_TOKEN")))
    ///     .build()?;
    /// // The default chain with a provider of your own first:
    /// let chain = CredentialsChain::default_chain()
    ///     .insert(0, provider_fn("vault", || async { Ok(Lookup::NotHere("no vault here".into())) }));
    /// let chained = infisical::Client::builder().credentials(chain).build()?;
    /// # drop((service, in_a_pod, in_ci, chained));
    /// # Ok::<(), infisical::Error>(())
    /// ```
    pub fn credentials(mut self, credentials: impl Into<ClientCredentials>) -> Self {
        self.credentials = credentials.into();
        self
    }

    /// Log in with a machine identity's universal-auth client id and secret.
    #[deprecated(
        since = "0.2.0",
        note = "use `.credentials(UniversalAuth::new(client_id, client_secret))`"
    )]
    pub fn universal_auth(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        self.credentials(Credentials::universal_auth(client_id, client_secret))
    }

    /// Log a machine identity in with another method than universal auth.
    #[deprecated(since = "0.2.0", note = "use `.credentials(method)`")]
    pub fn identity_login(self, method: impl Into<LoginMethod>) -> Self {
        self.credentials(method.into())
    }

    /// Use a fixed access token ("token auth").
    #[deprecated(
        since = "0.2.0",
        note = "use `.credentials(ClientCredentials::access_token(token))`"
    )]
    pub fn access_token(self, token: impl Into<SecretString>) -> Self {
        self.credentials(ClientCredentials::access_token(token))
    }

    /// Find credentials with `chain` instead of the default chain.
    #[deprecated(since = "0.2.0", note = "use `.credentials(chain)`")]
    pub fn credentials_chain(self, chain: CredentialsChain) -> Self {
        self.credentials(chain)
    }

    /// Get tokens from a source of your own, bypassing providers altogether.
    #[deprecated(since = "0.2.0", note = "use `.credentials(source)`")]
    pub fn token_source(self, source: Arc<dyn TokenSource>) -> Self {
        self.credentials(source)
    }

    /// Machine identities log in to this sub-organization (its slug); without it,
    /// `INFISICAL_AUTH_ORGANIZATION_SLUG` (the variable the official Go SDK reads), else the
    /// identity's own organization. Sent as `organizationSlug` (current servers) and
    /// `subOrganizationName` (older ones).
    pub fn organization(mut self, slug: impl Into<String>) -> Self {
        self.organization = Some(slug.into());
        self
    }

    /// Whether [`close`](Client::close) revokes a universal-auth token this client obtained
    /// (default `true`).
    pub fn revoke_on_close(mut self, revoke: bool) -> Self {
        self.revoke_on_close = revoke;
        self
    }

    /// How long establishing a connection may take (default
    /// [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT), 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take, to the last byte of the answer (default
    /// [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT), 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long one call may take with all its retries and waits (default
    /// [`DEFAULT_DEADLINE`](crate::DEFAULT_DEADLINE), 60 s; `None`: no overall limit).
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// When and how failed requests are tried again (default: 3 attempts for reads, with
    /// jittered exponential backoff; see [`RetryPolicy`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Try every request once.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::disabled())
    }

    /// Allow credentials and tokens over plain `http://` to a server that is not on this
    /// machine (default `false`: refused, since anyone on the path could read them).
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// How servers are verified: the root store, extra CA certificates, or (for local
    /// testing only) no verification. `INFISICAL_CA_CERT` and `SSL_CERT_FILE` in the
    /// environment add CAs too.
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = tls;
        self
    }

    /// Cache secret reads (off by default): answers are reused for a while, writes through
    /// this client empty the cache, and when the server fails the last good answer is
    /// served, marked stale. See [`CacheConfig`].
    pub fn secret_cache(mut self, config: CacheConfig) -> Self {
        self.cache = Some(config);
        self
    }

    /// Keep the last good secret reads in an encrypted file and serve them when Infisical
    /// cannot be reached, within a maximum age (feature `offline`; see
    /// [`offline`](crate::offline)).
    #[cfg(feature = "offline")]
    pub fn offline_copy(mut self, copy: crate::offline::OfflineCopy) -> Self {
        self.offline = Some(copy);
        self
    }

    /// Send every connection through this proxy (such as `http://proxy.internal:3128`,
    /// credentials in the URL are sent as `Proxy-Authorization`), with HTTPS tunnelled by
    /// `CONNECT`. Without this, `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`
    /// are honoured as curl does.
    pub fn proxy(mut self, url: &str) -> Self {
        self.proxy = Some(ProxyConfig::url(url, None));
        self
    }

    /// Connect directly, whatever the proxy variables say.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = Some(ProxyConfig::none());
        self
    }

    /// Where environment variables are read (default: the process environment): the
    /// default credentials chain's `INFISICAL_*` and `HOME`, the CA variables, and the
    /// proxy variables. Tests
    /// pass a [`StaticEnv`](crate::credentials::StaticEnv).
    pub fn env(mut self, env: Arc<dyn Env>) -> Self {
        self.env = env;
        self
    }

    /// The largest answer to read (default [`DEFAULT_MAX_BODY`](crate::DEFAULT_MAX_BODY)).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Adds a tower layer around the HTTP client. It sees every request as it goes on the
    /// wire (absolute URI, `User-Agent`, the sensitive `Authorization` header), logins
    /// included. The first layer added is the outermost.
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service: Service<http::Request<Bytes>, Response = http::Response<Bytes>>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as Service<http::Request<Bytes>>>::Error: Into<BoxError>,
        <L::Service as Service<http::Request<Bytes>>>::Future: Send + 'static,
    {
        self.layers.push(UserLayer::new(layer));
        self
    }

    /// Builds the async client, whatever the builder's mode.
    pub(crate) fn build_async(self) -> Result<Client, Error> {
        let explicit_base = self.base_url.as_deref().map(BaseUrl::parse).transpose()?;
        #[cfg(feature = "offline")]
        let offline = self.offline;
        #[cfg(not(feature = "offline"))]
        let offline = ();
        // Known without I/O: the builder's server, else (default chain) `INFISICAL_URL`,
        // else the default. Only a CLI login's server is learnt later, with the credentials.
        let env_base = match (&explicit_base, &self.credentials) {
            (None, ClientCredentials::DefaultChain) => self
                .env
                .non_empty("INFISICAL_URL")
                .map(|url| BaseUrl::parse(&url))
                .transpose()?,
            _ => None,
        };
        let base = match explicit_base.clone().or(env_base) {
            Some(base) => base,
            None => BaseUrl::parse(DEFAULT_BASE_URL)?,
        };
        base.check_transport_security(self.allow_plain_http)?;
        let transport = self
            .layers
            .into_iter()
            .fold(
                TransportBuilder::new(base)
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.timeout)
                    .max_body_size(self.max_body)
                    .retry(self.retry)
                    .deadline(self.deadline)
                    .allow_plain_http(self.allow_plain_http)
                    .tls(self.tls.with_env(&*self.env))
                    .proxy(
                        self.proxy
                            .unwrap_or_else(|| ProxyConfig::from_env(&*self.env)),
                    ),
                TransportBuilder::layer,
            )
            .build()?;
        let provider: Arc<dyn ProvideCredentials> = match self.credentials {
            ClientCredentials::Source(source) => {
                let service = transport.authenticated(source.clone());
                let client = Client::new(service, transport.base().clone(), source, None);
                return Ok(client.with_cache(self.cache).with_offline(offline));
            }
            ClientCredentials::Explicit(credentials) => {
                credentials.check()?;
                Arc::new(ExplicitProvider::new(credentials))
            }
            ClientCredentials::Chain(chain) => Arc::new(chain),
            ClientCredentials::Provider(provider) => provider,
            ClientCredentials::DefaultChain => {
                Arc::new(CredentialsChain::default_with_env(self.env.clone()))
            }
        };
        let options = SourceOptions {
            revoke_on_close: self.revoke_on_close,
            organization: self
                .organization
                .or_else(|| self.env.non_empty("INFISICAL_AUTH_ORGANIZATION_SLUG")),
            ..SourceOptions::default()
        };
        let decide = decide_base(explicit_base, &transport);
        let resolving = Arc::new(ResolvingSource::new(
            provider,
            transport.login_client(),
            decide,
            options,
        ));
        let service = transport.authenticated(resolving.clone());
        let client = Client::new(
            service,
            transport.base().clone(),
            resolving.clone(),
            Some(resolving),
        );
        Ok(client.with_cache(self.cache).with_offline(offline))
    }
}

/// The server: the one set on the builder, else the credentials', else the default.
fn decide_base(explicit: Option<BaseUrl>, transport: &Transport) -> BaseUrlDecision {
    let shared = transport.base().clone();
    let allow_plain_http = transport.allows_plain_http();
    Arc::new(move |from_credentials: Option<&str>| {
        if let Some(explicit) = &explicit {
            if let Some(theirs) = from_credentials {
                if BaseUrl::parse(theirs).ok().as_ref() != Some(explicit) {
                    tracing::warn!(
                        configured = %explicit.as_string(),
                        credentials_for = %theirs,
                        "the credentials come with another server than the one configured; using the configured one"
                    );
                }
            }
            return Ok(explicit.as_string());
        }
        if let Some(theirs) = from_credentials {
            let invalid = |e: Error| {
                CredentialsError::new(CredentialsErrorKind::Invalid, "credentials", e.to_string())
            };
            let parsed = BaseUrl::parse(theirs).map_err(invalid)?;
            parsed
                .check_transport_security(allow_plain_http)
                .map_err(invalid)?;
            shared.set(parsed);
        }
        Ok(shared.get().as_string())
    })
}

impl ClientBuilder<Async> {
    /// Builds the client. No network I/O happens here.
    pub fn build(self) -> Result<Client, Error> {
        self.build_async()
    }
}
