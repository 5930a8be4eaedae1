//! TLS set up on the first `https` connection, not before: a client of a plain `http://`
//! server (a local Infisical, the emulator) never builds a TLS configuration, whose root
//! store — with a system bundle such as `SSL_CERT_FILE` — takes milliseconds to parse.

use crate::connection::Stream;
use crate::proxy::ProxyConnector;
use http::uri::Scheme;
use http::Uri;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use infisical_core::BoxError;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use tower::Service;

/// Makes the TLS configuration (without ALPN, which is set here); its error is a sentence.
pub(crate) type MakeTls = dyn Fn() -> Result<rustls::ClientConfig, String> + Send + Sync;

type Https = HttpsConnector<ProxyConnector>;

/// Connects `http` URIs directly (or through the proxy) and `https` ones with TLS, building
/// the TLS connector once, on first need. Cheap to clone: clones share that connector.
#[derive(Clone)]
pub(crate) struct LazyTls {
    plain: ProxyConnector,
    https: Arc<OnceLock<Result<Https, String>>>,
    make: Arc<MakeTls>,
}

impl LazyTls {
    /// Builds the TLS connector with `make` when the first `https` connection is made.
    pub(crate) fn new(plain: ProxyConnector, make: Arc<MakeTls>) -> Self {
        Self {
            plain,
            https: Arc::new(OnceLock::new()),
            make,
        }
    }

    /// With the TLS configuration already made.
    pub(crate) fn ready(plain: ProxyConnector, tls: rustls::ClientConfig) -> Self {
        let https = OnceLock::new();
        let _ = https.set(Ok(https_connector(plain.clone(), tls)));
        Self {
            plain,
            https: Arc::new(https),
            make: Arc::new(|| Err("unreachable: TLS was set up when built".to_owned())),
        }
    }

    fn https(&self) -> Result<Https, String> {
        self.https
            .get_or_init(|| {
                let tls = (self.make)()?;
                Ok(https_connector(self.plain.clone(), tls))
            })
            .clone()
    }
}

fn https_connector(plain: ProxyConnector, tls: rustls::ClientConfig) -> Https {
    HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .wrap_connector(plain)
}

impl Service<Uri> for LazyTls {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        if uri.scheme() == Some(&Scheme::HTTP) {
            let connecting = self.plain.call(uri);
            return Box::pin(async move { Ok(Stream::Plain(connecting.await?)) });
        }
        match self.https() {
            Ok(mut https) => {
                let connecting = https.call(uri);
                Box::pin(async move { Ok(Stream::from(connecting.await?)) })
            }
            Err(problem) => {
                Box::pin(async move { Err(format!("TLS setup failed: {problem}").into()) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProxyConfig;
    use hyper_util::client::legacy::connect::HttpConnector;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn tls_is_made_once_on_the_first_https_connection_and_its_failure_reported() {
        let made = Arc::new(AtomicUsize::new(0));
        let counter = made.clone();
        let mut connector = LazyTls::new(
            ProxyConnector::new(HttpConnector::new(), ProxyConfig::none()),
            Arc::new(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                Err("no usable certificate in /etc/bundle.pem".to_owned())
            }),
        );
        // Plain http: nothing made (the connection itself is refused: nobody listens).
        let plain = connector.call("http://127.0.0.1:9".parse().unwrap()).await;
        assert!(plain.is_err());
        assert_eq!(made.load(Ordering::SeqCst), 0);
        for _ in 0..2 {
            let err = connector
                .clone()
                .call("https://127.0.0.1:9".parse().unwrap())
                .await
                .err()
                .unwrap();
            assert!(
                err.to_string()
                    .contains("TLS setup failed: no usable certificate"),
                "{err}"
            );
        }
        assert_eq!(
            made.load(Ordering::SeqCst),
            1,
            "made once, shared by clones"
        );
    }
}
