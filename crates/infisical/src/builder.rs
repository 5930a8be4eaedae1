//! Configuring a client. One builder serves the async and the blocking client.

use crate::client::Client;
use crate::{Error, HttpService};
use bytes::Bytes;
use infisical_core::{CredentialsError, CredentialsErrorKind, SecretString};
use infisical_credentials::{StaticToken, TokenSource, UniversalAuth};
use infisical_transport::{BaseUrl, BoxError, TransportBuilder, UserLayer};
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;
use tower::{Layer, Service};

/// The server used when none is configured: Infisical Cloud (US).
pub const DEFAULT_BASE_URL: &str = "https://us.infisical.com";

/// Marks a [`ClientBuilder`] that builds the async [`Client`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Async;

#[derive(Clone, Debug)]
enum Credentials {
    None,
    UniversalAuth {
        client_id: String,
        client_secret: SecretString,
    },
    Token(SecretString),
    Source(Arc<dyn TokenSource>),
}

/// Configures a [`Client`] (or, as
/// [`blocking::ClientBuilder`](crate::blocking::ClientBuilder), a blocking one).
///
/// Building does no network I/O: the first login happens on the first call.
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build()`"]
pub struct ClientBuilder<M = Async> {
    base_url: String,
    credentials: Credentials,
    connect_timeout: Duration,
    timeout: Duration,
    max_body: usize,
    layers: Vec<UserLayer>,
    mode: PhantomData<M>,
}

impl<M> Default for ClientBuilder<M> {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            credentials: Credentials::None,
            connect_timeout: crate::DEFAULT_CONNECT_TIMEOUT,
            timeout: crate::DEFAULT_TIMEOUT,
            max_body: crate::DEFAULT_MAX_BODY,
            layers: Vec::new(),
            mode: PhantomData,
        }
    }
}

impl<M> ClientBuilder<M> {
    /// A builder with the defaults: [`DEFAULT_BASE_URL`], no credentials, the default
    /// timeouts.
    pub fn new() -> Self {
        Self::default()
    }

    /// The server, such as `https://eu.infisical.com` or `https://infisical.example.com`
    /// (a trailing `/api` is accepted and dropped).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Log in with a machine identity's universal-auth client id and secret.
    pub fn universal_auth(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        self.credentials = Credentials::UniversalAuth {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        };
        self
    }

    /// Use a fixed access token ("token auth").
    pub fn access_token(mut self, token: impl Into<SecretString>) -> Self {
        self.credentials = Credentials::Token(token.into());
        self
    }

    /// Get tokens from a custom source.
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.credentials = Credentials::Source(source);
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
        let base = BaseUrl::parse(&self.base_url)?;
        let transport = self.layers.into_iter().fold(
            TransportBuilder::new(base.clone())
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .max_body_size(self.max_body),
            TransportBuilder::layer,
        );
        let unauthenticated = transport.build()?;
        let source: Arc<dyn TokenSource> = match self.credentials {
            Credentials::UniversalAuth {
                client_id,
                client_secret,
            } => Arc::new(UniversalAuth::new(
                &base.as_string(),
                client_id,
                client_secret,
                unauthenticated.clone(),
            )?),
            Credentials::Token(token) => Arc::new(StaticToken::new(token)),
            Credentials::Source(source) => source,
            Credentials::None => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::NotFound,
                    "builder",
                    "no credentials: call `universal_auth(..)`, `access_token(..)` or `token_source(..)`",
                )
                .into())
            }
        };
        let service = transport.authenticated(unauthenticated, source.clone());
        Ok(Client::new(service, base, source))
    }
}

impl ClientBuilder<Async> {
    /// Builds the client. No network I/O happens here.
    pub fn build(self) -> Result<Client, Error> {
        self.build_async()
    }
}
