//! One deadline for the whole connection set-up: TCP, the proxy's `CONNECT` tunnel and the
//! TLS handshake. hyper-util's own connect timeout bounds only the TCP connect, so a server
//! that accepts and never answers the ClientHello would hold a call until its per-attempt
//! timeout.

use http::Uri;
use infisical_core::BoxError;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tower::Service;

/// Wraps a connector so that connecting (with whatever it layers: TLS, tunnels) takes at
/// most `limit`. Past it the attempt fails with an `io::Error` of kind `TimedOut`, which
/// the client reports as a timeout of the connection.
#[derive(Clone, Debug)]
pub(crate) struct ConnectTimeout<C> {
    inner: C,
    limit: Duration,
}

impl<C> ConnectTimeout<C> {
    pub(crate) fn new(inner: C, limit: Duration) -> Self {
        Self { inner, limit }
    }
}

impl<C> Service<Uri> for ConnectTimeout<C>
where
    C: Service<Uri>,
    C::Error: Into<BoxError>,
    C::Future: Send + 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let limit = self.limit;
        Box::pin(async move {
            match tokio::time::timeout(limit, connecting).await {
                Ok(result) => result.map_err(Into::into),
                Err(_) => Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("connecting (TCP, proxy and TLS) timed out after {limit:?}"),
                )
                .into()),
            }
        })
    }
}
