//! Assembling the stack.

use crate::timeout::AttemptTimeout;
use crate::{
    AuthLayer, BaseUrl, BaseUrlLayer, BaseUrlService, BoxError, HttpService, RetryLayer,
    RetryPolicy, SharedBaseUrl, TlsOptions, TraceLayer, TraceService,
};
use bytes::Bytes;
use http::{HeaderValue, Request, Response};
use infisical_core::Error;
use infisical_credentials::{HyperService, ProxyConfig, TokenSource};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service, ServiceBuilder, ServiceExt};

/// How long establishing a connection (TCP and TLS) may take by default: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one request may take by default, from sending to the last byte of the answer:
/// 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long one request may take by default with all its retries and waits: 60 s.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

/// The largest answer read by default: 64 MiB.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// A user's tower layer, boxed so that builders can hold layers of different types.
#[derive(Clone)]
pub struct UserLayer(Arc<dyn Fn(HttpService) -> HttpService + Send + Sync>);

impl UserLayer {
    /// Boxes `layer`. Its service must answer `http::Response<Bytes>`; its errors are
    /// converted into [`BoxError`].
    pub fn new<L>(layer: L) -> Self
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service:
            Service<Request<Bytes>, Response = Response<Bytes>> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request<Bytes>>>::Error: Into<BoxError>,
        <L::Service as Service<Request<Bytes>>>::Future: Send + 'static,
    {
        Self(Arc::new(move |inner| {
            BoxCloneSyncService::new(layer.layer(inner).map_err(Into::into))
        }))
    }
}

impl fmt::Debug for UserLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserLayer")
    }
}

/// Builds the transport: the unauthenticated stack, then the authenticated one.
#[derive(Clone)]
pub struct TransportBuilder {
    base: SharedBaseUrl,
    connect_timeout: Duration,
    timeout: Duration,
    max_body: usize,
    user_agent: HeaderValue,
    layers: Vec<UserLayer>,
    retry: RetryPolicy,
    deadline: Option<Duration>,
    allow_plain_http: bool,
    tls: TlsOptions,
    proxy: ProxyConfig,
}

impl fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportBuilder")
            .field("base", &self.base)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .field("layers", &self.layers.len())
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("allow_plain_http", &self.allow_plain_http)
            .field("tls", &self.tls)
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl TransportBuilder {
    /// A transport to `base`, with the default timeouts.
    pub fn new(base: BaseUrl) -> Self {
        Self {
            base: SharedBaseUrl::new(base),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            user_agent: HeaderValue::from_static(infisical_core::USER_AGENT),
            layers: Vec::new(),
            retry: RetryPolicy::default(),
            deadline: Some(DEFAULT_DEADLINE),
            allow_plain_http: false,
            tls: TlsOptions::default(),
            proxy: ProxyConfig::none(),
        }
    }

    /// Which proxy connections use (default: none).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// How servers are verified (default: Mozilla's bundled roots).
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = tls;
        self
    }

    /// When and how requests are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How long one request may take with all its retries (`None`: no limit beyond the
    /// per-attempt timeout and the retry policy).
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Allow bearer tokens over plain `http://` to hosts other than loopback (default
    /// `false`: refused, since anyone on the path could read them).
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// The server, shared with every stack this builder builds.
    pub fn base(&self) -> &SharedBaseUrl {
        &self.base
    }

    /// How long establishing a connection may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take, to the last byte of the answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest answer body to read.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Adds a user layer. Layers see each attempt as it goes on the wire (absolute URI,
    /// `User-Agent`, `Authorization` marked sensitive); the first added is the outermost.
    pub fn layer(mut self, layer: UserLayer) -> Self {
        self.layers.push(layer);
        self
    }

    /// Builds the stacks. No network I/O happens here.
    /// An unusable proxy setting (the builder's or the environment's) fails here rather
    /// than silently connecting directly.
    pub fn build(&self) -> Result<Transport, Error> {
        self.proxy
            .check()
            .map_err(|problem| Error::Config(format!("invalid proxy setting: {problem}")))?;
        // No timer in the hyper service: `AttemptTimeout` bounds each exchange by the
        // per-attempt timeout and the overall deadline at once. TLS is set up now for an
        // `https://` server (a broken CA setting fails the build), and only on a first
        // `https` connection for an `http://` one, which then never parses a root store.
        let hyper = if self.base.get().is_plain_http() {
            let tls = self.tls.clone();
            HyperService::with_lazy_tls(
                self.connect_timeout,
                Duration::MAX,
                self.max_body,
                move || tls.client_config().map_err(|e| e.to_string()),
                self.proxy.clone(),
            )
        } else {
            HyperService::with_options(
                self.connect_timeout,
                Duration::MAX,
                self.max_body,
                self.tls.client_config()?,
                self.proxy.clone(),
            )
        };
        let hyper = AttemptTimeout::new(hyper, self.timeout);
        let base_url = BaseUrlLayer::new(self.base.clone(), self.user_agent.clone());
        // Without user layers the stack below the retry and auth layers is not boxed (a
        // boxed service is an allocation per clone and per call, and the stack is cloned
        // per call), and nothing below the retry layer can wait without a bound: the
        // deadline needs no timer of its own.
        let below = if self.layers.is_empty() {
            Below::Own(
                ServiceBuilder::new()
                    .layer(TraceLayer)
                    .layer(base_url)
                    .service(hyper),
            )
        } else {
            let mut service = BoxCloneSyncService::new(hyper);
            for layer in self.layers.iter().rev() {
                service = (layer.0)(service);
            }
            Below::Layered(BoxCloneSyncService::new(
                ServiceBuilder::new()
                    .layer(TraceLayer)
                    .layer(base_url)
                    .service(service),
            ))
        };
        Ok(Transport {
            below,
            retry: RetryLayer::trusting_below(
                self.retry.clone(),
                self.deadline,
                self.layers.is_empty(),
            ),
            base: self.base.clone(),
            allow_plain_http: self.allow_plain_http,
        })
    }
}

/// The transport's own stack below the retry and auth layers.
type OwnStack = TraceService<BaseUrlService<AttemptTimeout<HyperService>>>;

/// What the retry and auth layers send through.
#[derive(Clone)]
enum Below {
    /// The transport's own stack, unboxed.
    Own(OwnStack),
    /// With the user's layers, boxed.
    Layered(HttpService),
}

/// The built stacks of one client; see [`TransportBuilder::build`].
#[derive(Clone)]
pub struct Transport {
    below: Below,
    retry: RetryLayer,
    base: SharedBaseUrl,
    allow_plain_http: bool,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base", &self.base.get())
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// The server, shared by the stacks.
    pub fn base(&self) -> &SharedBaseUrl {
        &self.base
    }

    /// Whether bearer tokens may go over plain HTTP to hosts other than loopback.
    pub fn allows_plain_http(&self) -> bool {
        self.allow_plain_http
    }

    /// The stack for logins and public routes: retries, no bearer token.
    pub fn login_client(&self) -> HttpService {
        match &self.below {
            Below::Own(below) => self.with_retries(below.clone()),
            Below::Layered(below) => self.with_retries(below.clone()),
        }
    }

    /// The stack for API calls: retries around bearer tokens from `source`.
    pub fn authenticated(&self, source: Arc<dyn TokenSource>) -> HttpService {
        let auth = AuthLayer::new(source, self.base.clone(), self.allow_plain_http);
        match &self.below {
            Below::Own(below) => self.with_retries(auth.layer(below.clone())),
            Below::Layered(below) => self.with_retries(auth.layer(below.clone())),
        }
    }

    /// `service` behind the retry layer, boxed.
    fn with_retries<S>(&self, service: S) -> HttpService
    where
        S: Service<Request<Bytes>, Response = Response<Bytes>, Error = BoxError>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send,
    {
        BoxCloneSyncService::new(self.retry.layer(service))
    }
}
