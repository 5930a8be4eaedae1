//! One `tracing` span per attempt, without secrets.

use crate::BoxError;
use bytes::Bytes;
use http::{HeaderName, Request, Response};
use infisical_core::RequestMeta;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;
use tower::{Layer, Service};
use tracing::Span;

/// The header a server marks a deprecated route with, named once (a name given as text is
/// parsed at each lookup).
static DEPRECATION: HeaderName = HeaderName::from_static("deprecation");

/// Wraps each attempt in an `infisical.request` span with the method, route template,
/// status and duration; warns on deprecated routes. Never records headers, query strings or
/// bodies.
#[derive(Debug, Clone, Copy, Default)]
pub struct TraceLayer;

impl<S> Layer<S> for TraceLayer {
    type Service = TraceService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        TraceService { inner }
    }
}

/// The service of [`TraceLayer`].
#[derive(Debug, Clone)]
pub struct TraceService<S> {
    inner: S,
}

impl<S> Service<Request<Bytes>> for TraceService<S>
where
    S: Service<Request<Bytes>, Response = Response<Bytes>, Error = BoxError>,
{
    type Response = Response<Bytes>;
    type Error = BoxError;
    type Future = TraceFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Bytes>) -> Self::Future {
        let meta = request.extensions().get::<RequestMeta>().copied();
        let route = meta.map_or("", |m| m.route);
        if meta.is_some_and(|m| m.deprecated) {
            tracing::warn!(
                route,
                "calling a route that Infisical has deprecated, because this server lacks its replacement"
            );
        }
        let span = tracing::debug_span!(
            "infisical.request",
            method = %request.method(),
            route,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        // A span no subscriber records needs no clock.
        let started = (!span.is_disabled()).then(Instant::now);
        TraceFuture {
            inner: self.inner.call(request),
            span,
            started,
            route,
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`TraceService`]: the attempt, polled inside its span. Not boxed, and
    /// with no subscriber recording the span, nothing is timed or recorded.
    pub struct TraceFuture<F> {
        #[pin]
        inner: F,
        span: Span,
        started: Option<Instant>,
        route: &'static str,
    }
}

impl<F> Future for TraceFuture<F>
where
    F: Future<Output = Result<Response<Bytes>, BoxError>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _entered = this.span.enter();
        let Poll::Ready(result) = this.inner.poll(cx) else {
            return Poll::Pending;
        };
        if let Some(started) = this.started {
            this.span
                .record("elapsed_ms", started.elapsed().as_millis() as u64);
        }
        let route = *this.route;
        match &result {
            Ok(response) => {
                this.span.record("status", response.status().as_u16());
                if response.headers().contains_key(&DEPRECATION) {
                    tracing::warn!(route, "the server marks this route as deprecated");
                }
                tracing::debug!("answered");
            }
            Err(error) => tracing::debug!(%error, "failed"),
        }
        Poll::Ready(result)
    }
}
