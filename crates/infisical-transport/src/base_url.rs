//! The configured server: resolving relative URIs against it, and the `User-Agent`.

use bytes::Bytes;
use futures_util::future::Either;
use http::uri::{Authority, PathAndQuery, Scheme};
use http::{HeaderValue, Request, Uri};
use infisical_core::Error;
use std::future::{ready, Ready};
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use tower::{Layer, Service};

/// The server's base URL, such as `https://us.infisical.com` or
/// `https://example.com/infisical` (a path prefix is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    scheme: Scheme,
    authority: Authority,
    prefix: String,
    /// Whether the host is this machine, decided once (the auth layer asks on every call).
    loopback: bool,
}

impl BaseUrl {
    /// Parses a base URL. A trailing `/` and a trailing `/api` are dropped, since routes
    /// start with `/api`.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::Config(format!("invalid base URL {url:?}: {why}"));
        let uri: Uri = url.trim().parse().map_err(|_| bad("not a URL"))?;
        let scheme = uri
            .scheme()
            .cloned()
            .ok_or_else(|| bad("no scheme (http:// or https://)"))?;
        if scheme != Scheme::HTTP && scheme != Scheme::HTTPS {
            return Err(bad("the scheme must be http or https"));
        }
        let authority = uri.authority().cloned().ok_or_else(|| bad("no host"))?;
        if uri.query().is_some() {
            return Err(bad("a base URL has no query"));
        }
        let path = uri.path().trim_end_matches('/');
        let prefix = path.strip_suffix("/api").unwrap_or(path).to_owned();
        let loopback = is_loopback_host(authority.host());
        Ok(Self {
            scheme,
            authority,
            prefix,
            loopback,
        })
    }

    /// The URL as text, without a trailing slash.
    pub fn as_string(&self) -> String {
        format!("{}://{}{}", self.scheme, self.authority, self.prefix)
    }

    /// Whether `uri` points at this server (same scheme, host and port).
    pub fn is_same_origin(&self, uri: &Uri) -> bool {
        match (uri.scheme(), uri.authority()) {
            (None, None) => true,
            (Some(scheme), Some(authority)) => {
                scheme == &self.scheme
                    && authority.host().eq_ignore_ascii_case(self.authority.host())
                    && authority.port_u16() == self.authority.port_u16()
            }
            _ => false,
        }
    }

    /// Whether the server is reached over plain HTTP.
    pub fn is_plain_http(&self) -> bool {
        self.scheme == Scheme::HTTP
    }

    /// Whether the host is this machine (`localhost`, `127.0.0.0/8`, `::1`).
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }

    /// Refuses plain HTTP to anything but loopback, unless `allow_plain_http`: credentials
    /// and tokens would cross the network in clear.
    pub fn check_transport_security(&self, allow_plain_http: bool) -> Result<(), Error> {
        if self.is_plain_http() && !self.is_loopback() && !allow_plain_http {
            return Err(Error::Config(format!(
                "refusing to send credentials over plain http to {}: use https, or allow it \
                 explicitly with `allow_plain_http(true)`",
                self.as_string()
            )));
        }
        Ok(())
    }

    /// Resolves a relative URI (`/api/…`) against the base; an absolute one is kept.
    pub fn resolve(&self, uri: &Uri) -> Result<Uri, http::Error> {
        self.resolve_owned(uri.clone())
    }

    /// [`resolve`](BaseUrl::resolve), taking the URI: without a path prefix, its parsed path
    /// and query are reused as they are (no copy, no second parse).
    fn resolve_owned(&self, uri: Uri) -> Result<Uri, http::Error> {
        if uri.authority().is_some() {
            return Ok(uri);
        }
        let mut parts = uri.into_parts();
        let path_and_query = parts
            .path_and_query
            .take()
            .unwrap_or_else(|| PathAndQuery::from_static("/"));
        parts.path_and_query = Some(if self.prefix.is_empty() {
            path_and_query
        } else {
            PathAndQuery::try_from(format!("{}{}", self.prefix, path_and_query.as_str()))?
        });
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        Ok(Uri::from_parts(parts)?)
    }
}

fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The server of one client, shared by its layers.
///
/// It can be settled after the client is built: when credentials are found on first use,
/// the server they belong to (`INFISICAL_URL`, the CLI's login domain) becomes the base,
/// unless one was configured explicitly.
#[derive(Debug, Clone)]
pub struct SharedBaseUrl(Arc<RwLock<Arc<BaseUrl>>>);

impl SharedBaseUrl {
    /// Starts with `base`.
    pub fn new(base: BaseUrl) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(base))))
    }

    /// The current base.
    pub fn get(&self) -> Arc<BaseUrl> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Runs `f` with the current base, under a read lock held only for `f` (which must not
    /// block): no reference count changes hands, as with [`get`](SharedBaseUrl::get).
    pub fn with<R>(&self, f: impl FnOnce(&BaseUrl) -> R) -> R {
        f(&self.0.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Replaces the base.
    pub fn set(&self, base: BaseUrl) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(base);
    }
}

/// Resolves relative URIs against a [`SharedBaseUrl`] and sets `User-Agent`.
#[derive(Debug, Clone)]
pub struct BaseUrlLayer {
    base: SharedBaseUrl,
    user_agent: HeaderValue,
}

impl BaseUrlLayer {
    /// The layer for `base`, sending `user_agent`.
    pub fn new(base: SharedBaseUrl, user_agent: HeaderValue) -> Self {
        Self { base, user_agent }
    }
}

impl<S> Layer<S> for BaseUrlLayer {
    type Service = BaseUrlService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        BaseUrlService {
            inner,
            base: self.base.clone(),
            user_agent: self.user_agent.clone(),
        }
    }
}

/// The service of [`BaseUrlLayer`].
#[derive(Debug, Clone)]
pub struct BaseUrlService<S> {
    inner: S,
    base: SharedBaseUrl,
    user_agent: HeaderValue,
}

impl<S> Service<Request<Bytes>> for BaseUrlService<S>
where
    S: Service<Request<Bytes>>,
    S::Error: From<http::Error>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Either<S::Future, Ready<Result<S::Response, S::Error>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<Bytes>) -> Self::Future {
        let relative = std::mem::take(request.uri_mut());
        match self.base.with(|base| base.resolve_owned(relative)) {
            Ok(uri) => *request.uri_mut() = uri,
            Err(e) => return Either::Right(ready(Err(e.into()))),
        }
        request
            .headers_mut()
            .entry(http::header::USER_AGENT)
            .or_insert_with(|| self.user_agent.clone());
        Either::Left(self.inner.call(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_with_and_without_prefix() {
        let base = BaseUrl::parse("https://example.com/infisical/api/").unwrap();
        let uri: Uri = "/api/v4/secrets?x=1".parse().unwrap();
        assert_eq!(
            base.resolve(&uri).unwrap().to_string(),
            "https://example.com/infisical/api/v4/secrets?x=1"
        );
        let plain = BaseUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            plain.resolve(&uri).unwrap().to_string(),
            "http://127.0.0.1:8080/api/v4/secrets?x=1"
        );
        assert_eq!(plain.as_string(), "http://127.0.0.1:8080");
    }

    #[test]
    fn resolving_keeps_absolute_uris_and_the_query() {
        let base = BaseUrl::parse("http://127.0.0.1:8080").unwrap();
        let absolute: Uri = "https://elsewhere.example/x?y=1".parse().unwrap();
        assert_eq!(base.resolve(&absolute).unwrap(), absolute);
        let query: Uri = "/api/v4/secrets?projectId=p&secretPath=%2F"
            .parse()
            .unwrap();
        assert_eq!(
            base.resolve(&query).unwrap().to_string(),
            "http://127.0.0.1:8080/api/v4/secrets?projectId=p&secretPath=%2F"
        );
        let prefixed = BaseUrl::parse("https://example.com/infisical").unwrap();
        assert_eq!(
            prefixed.resolve(&query).unwrap().to_string(),
            "https://example.com/infisical/api/v4/secrets?projectId=p&secretPath=%2F"
        );
    }

    #[test]
    fn same_origin_only() {
        let base = BaseUrl::parse("https://app.infisical.com").unwrap();
        assert!(base.is_same_origin(&"/api/x".parse().unwrap()));
        assert!(base.is_same_origin(&"https://APP.infisical.com/api".parse().unwrap()));
        assert!(!base.is_same_origin(&"https://evil.example/api".parse().unwrap()));
        assert!(!base.is_same_origin(&"http://app.infisical.com/api".parse().unwrap()));
        assert!(!base.is_same_origin(&"https://app.infisical.com:8443/api".parse().unwrap()));
    }

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        let check = |url: &str, allow| BaseUrl::parse(url).unwrap().check_transport_security(allow);
        assert!(check("http://127.0.0.1:8080", false).is_ok());
        assert!(check("http://localhost", false).is_ok());
        assert!(check("http://[::1]:80", false).is_ok());
        assert!(check("https://infisical.example.com", false).is_ok());
        assert!(check("http://infisical.example.com", false).is_err());
        assert!(check("http://10.0.0.5", false).is_err());
        assert!(check("http://infisical.example.com", true).is_ok());
    }

    #[test]
    fn rejects_bad_urls() {
        assert!(BaseUrl::parse("app.infisical.com").is_err());
        assert!(BaseUrl::parse("ftp://x").is_err());
        assert!(BaseUrl::parse("").is_err());
    }
}
