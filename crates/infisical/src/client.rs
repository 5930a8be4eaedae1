//! The async client and how every call is carried out.

use crate::builder::ClientBuilder;
use crate::cache::{CacheConfig, SecretCache};
use crate::{Error, HttpService, Identity};
use bytes::Bytes;
use futures_util::{FutureExt, TryFutureExt};
use http::StatusCode;
use infisical_core::{ApiError, ApiGeneration, Operation};
use infisical_credentials::{ResolvingSource, TokenSource};
use infisical_transport::{into_error, SharedBaseUrl};
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

/// The async Infisical client. Cheap to clone (clones share connections and the token);
/// `Send + Sync`.
///
/// Build one with [`Client::builder`]; reach resources with [`secrets`](Client::secrets),
/// or send any [`Operation`] with [`send`](Client::send).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    service: HttpService,
    base: SharedBaseUrl,
    credentials: Arc<dyn TokenSource>,
    /// The same source when credentials come from providers, to say which one answered.
    resolving: Option<Arc<ResolvingSource>>,
    /// Cached secret reads, when the builder asked for a cache.
    cache: Option<Arc<SecretCache>>,
    /// One bit per [`RouteFamily`](infisical_core::RouteFamily) the server lacks the
    /// current routes of.
    legacy: AtomicU32,
    closed: AtomicBool,
    /// Where this client's watches poll within their interval.
    watches: crate::watch::Spread,
    /// The offline copy of secret reads, when the builder asked for one.
    #[cfg(feature = "offline")]
    offline: Option<crate::offline::SharedStore>,
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn new(
        service: HttpService,
        base: SharedBaseUrl,
        credentials: Arc<dyn TokenSource>,
        resolving: Option<Arc<ResolvingSource>>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                service,
                base,
                credentials,
                resolving,
                cache: None,
                legacy: AtomicU32::new(0),
                closed: AtomicBool::new(false),
                watches: crate::watch::Spread::new(),
                #[cfg(feature = "offline")]
                offline: None,
            }),
        }
    }

    /// Adds a cache of secret reads; only while building, when the client is not shared yet.
    pub(crate) fn with_cache(mut self, config: Option<CacheConfig>) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.cache = config.map(|c| Arc::new(SecretCache::new(c)));
        }
        self
    }

    /// Adds an offline copy; only while building.
    #[cfg(feature = "offline")]
    pub(crate) fn with_offline(mut self, copy: Option<crate::offline::OfflineCopy>) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.offline = copy.map(|c| Arc::new(crate::offline::OfflineStore::new(c)));
        }
        self
    }

    #[cfg(not(feature = "offline"))]
    pub(crate) fn with_offline(self, _copy: ()) -> Self {
        self
    }

    /// A secret read's answer, remembered in the offline copy when live, or replaced by the
    /// offline copy's when the server failed (never after a refusal). Without an offline
    /// copy, the answer as it is.
    pub(crate) async fn through_offline_copy<T>(
        &self,
        key: impl FnOnce() -> Option<String>,
        answer: Result<T, Error>,
    ) -> Result<T, Error>
    where
        T: crate::cache::Fresh + serde::Serialize + serde::de::DeserializeOwned,
    {
        #[cfg(feature = "offline")]
        if let Some(store) = &self.inner.offline {
            return store.serve(key, answer).await;
        }
        let _ = key;
        answer
    }

    /// The phases of this client's watches.
    pub(crate) fn watch_spread(&self) -> &crate::watch::Spread {
        &self.inner.watches
    }

    /// The cache of secret reads, if any.
    pub(crate) fn cache(&self) -> Option<&SecretCache> {
        self.inner.cache.as_deref()
    }

    /// The server's base URL, known when the client is built: `.base_url(..)`, else (with
    /// the default credentials chain) `INFISICAL_URL`, else the default. The one exception:
    /// with neither set, a CLI login's server (its login domain) is read with the
    /// credentials, on the first call.
    pub fn base_url(&self) -> String {
        self.inner.base.get().as_string()
    }

    /// Who this client is: finds the credentials and gets a token (logging in if needed),
    /// then says which provider answered, for whom, on which server, and until when the
    /// token is valid. Never the token itself.
    pub async fn identity(&self) -> Result<Identity, Error> {
        if self.inner.closed.load(Ordering::Acquire) {
            return Err(Error::Closed);
        }
        let lease = self.inner.credentials.token().await?;
        let expires_at = lease.token().expires_at();
        let resolved = self.inner.resolving.as_ref().and_then(|r| r.resolved());
        Ok(match resolved {
            Some(found) => found.clone().with_expiry(expires_at),
            None => Identity::new(self.inner.credentials.name(), self.base_url())
                .with_expiry(expires_at),
        })
    }

    /// Sends one operation: validates it, sends it over the newest routes the server has,
    /// and reads the answer.
    ///
    /// When the server lacks the current generation of the operation's routes (a 404 saying
    /// the route does not exist), the client switches that family of routes to the legacy
    /// generation for good, logs it once, and sends the operation again.
    pub async fn send<O: Operation>(&self, operation: O) -> Result<O::Output, Error> {
        self.execute(&operation).await
    }

    pub(crate) async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        // Generic code is compiled once per request type: it only builds requests and reads
        // the answer; sending and the fallback decision are `exchange`'s, compiled once.
        let family = operation.family();
        let generation = self.generation_of(family)?;
        operation.validate()?;
        let request = operation.to_http(generation)?;
        let response = match self.exchange(request, family, generation).await? {
            Exchanged::Answer(response) => response,
            Exchanged::FallBack => {
                // Built before the await, so that no temporary of `?` lives across it.
                let legacy = operation.to_http(ApiGeneration::Legacy)?;
                self.call(legacy).await?
            }
        };
        operation.parse_response(response)
    }

    /// The generation of routes to use for `family`; refuses once the client is closed.
    fn generation_of(&self, family: infisical_core::RouteFamily) -> Result<ApiGeneration, Error> {
        if self.inner.closed.load(Ordering::Acquire) {
            return Err(Error::Closed);
        }
        let bit = 1u32 << family.index();
        Ok(if self.inner.legacy.load(Ordering::Relaxed) & bit == 0 {
            ApiGeneration::Current
        } else {
            ApiGeneration::Legacy
        })
    }

    /// Sends `request`; when the server lacks the current generation of `family`'s routes,
    /// switches the family to the legacy generation for good (logged once) and asks for the
    /// request again in that generation.
    ///
    /// This and [`call`](Client::call) are not `async fn`s, which would keep the request
    /// (256 bytes) beside the future sending it, at each level: an operation's future is
    /// a third of its former size.
    fn exchange(
        &self,
        request: http::Request<Bytes>,
        family: infisical_core::RouteFamily,
        generation: ApiGeneration,
    ) -> impl Future<Output = Result<Exchanged, Error>> + Send + '_ {
        self.call(request).map(move |answer| {
            let response = answer?;
            // Stable routes have no older generation to fall back to: their 404 is the
            // answer.
            let has_legacy = family != infisical_core::RouteFamily::Stable;
            if has_legacy && generation == ApiGeneration::Current && is_route_not_found(&response) {
                self.fall_back(family);
                return Ok(Exchanged::FallBack);
            }
            Ok(Exchanged::Answer(response))
        })
    }

    /// Switches `family` to the legacy routes for good, logging it the first time.
    fn fall_back(&self, family: infisical_core::RouteFamily) {
        let bit = 1u32 << family.index();
        let before = self.inner.legacy.fetch_or(bit, Ordering::Relaxed);
        if before & bit == 0 {
            tracing::info!(
                family = ?family,
                base = %self.base_url(),
                "the server lacks the current routes; using the legacy routes from now on"
            );
        }
    }

    fn call(
        &self,
        request: http::Request<Bytes>,
    ) -> impl Future<Output = Result<http::Response<Bytes>, Error>> + Send + 'static {
        self.inner
            .service
            .clone()
            .oneshot(request)
            .map_err(into_error as fn(_) -> _)
    }

    /// Closes the client: later calls fail with [`Error::Closed`], and a universal-auth
    /// token this client obtained is revoked on the server. Clones share the closed state.
    ///
    /// Dropping the last clone releases connections too, but cannot revoke the token.
    pub async fn close(&self) -> Result<(), Error> {
        if self.inner.closed.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        self.inner.credentials.close().await.map_err(Error::from)
    }

    /// Whether [`close`](Client::close) was called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }
}

/// What one exchange with the server came to.
enum Exchanged {
    /// The server's answer.
    Answer(http::Response<Bytes>),
    /// The server lacks the current routes: send the request in the legacy generation.
    FallBack,
}

fn is_route_not_found(response: &http::Response<Bytes>) -> bool {
    response.status() == StatusCode::NOT_FOUND
        && ApiError::from_response("", response.status(), None, response.body())
            .is_route_not_found()
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("credentials", &self.inner.credentials)
            .field("closed", &self.is_closed())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_sync_clone() {
        fn assert_bounds<T: Send + Sync + Clone + 'static>() {}
        assert_bounds::<Client>();
    }
}
