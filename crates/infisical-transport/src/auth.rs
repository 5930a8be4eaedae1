//! Bearer tokens on requests, and one refresh when the server rejects a token.

use crate::{copy_request, BoxError, SharedBaseUrl};
use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use infisical_core::ApiError;
use infisical_credentials::{TokenLease, TokenSource};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::{Layer, Service, ServiceExt};

/// Adds `Authorization: Bearer <token>` from a [`TokenSource`] to requests for the
/// configured server, and to no other host.
///
/// When the server rejects the token (`TokenError` with 401 or 403, or a 401 that is not a
/// validation failure), the token of that generation is invalidated, a new one is fetched,
/// and the request is sent once more. A second rejection is returned as is: no loops.
#[derive(Debug, Clone)]
pub struct AuthLayer {
    source: Arc<dyn TokenSource>,
    base: SharedBaseUrl,
    allow_plain_http: bool,
}

impl AuthLayer {
    /// Tokens from `source`, sent only to `base`, and over plain HTTP only to loopback
    /// unless `allow_plain_http`.
    pub fn new(source: Arc<dyn TokenSource>, base: SharedBaseUrl, allow_plain_http: bool) -> Self {
        Self {
            source,
            base,
            allow_plain_http,
        }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthService {
            inner,
            source: self.source.clone(),
            base: self.base.clone(),
            allow_plain_http: self.allow_plain_http,
        }
    }
}

/// The service of [`AuthLayer`].
#[derive(Debug, Clone)]
pub struct AuthService<S> {
    inner: S,
    source: Arc<dyn TokenSource>,
    base: SharedBaseUrl,
    allow_plain_http: bool,
}

impl<S> Service<Request<Bytes>> for AuthService<S>
where
    S: Service<Request<Bytes>, Response = Response<Bytes>, Error = BoxError>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
{
    type Response = Response<Bytes>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Bytes>, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Bytes>) -> Self::Future {
        // The ready service goes into the future; a fresh clone stays for the next call.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let source = self.source.clone();
        let base = self.base.get();
        let same_origin = base.is_same_origin(request.uri());
        let secure = base.check_transport_security(self.allow_plain_http);
        Box::pin(async move {
            if !same_origin {
                return inner.oneshot(request).await;
            }
            secure?;
            let lease = source.token().await?;
            let second_try = source.can_refresh().then(|| copy_request(&request));
            let response = inner.clone().oneshot(authorize(request, &lease)?).await?;
            let Some(second_try) = second_try.filter(|_| is_token_rejection(&response)) else {
                return Ok(response);
            };
            tracing::debug!(
                generation = lease.generation(),
                "the server rejected the access token; refreshing once"
            );
            source.invalidate(lease.generation());
            let lease = source.token().await?;
            inner.oneshot(authorize(second_try, &lease)?).await
        })
    }
}

fn authorize(mut request: Request<Bytes>, lease: &TokenLease) -> Result<Request<Bytes>, BoxError> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", lease.token().expose()))
        .map_err(|_| "the access token holds characters not allowed in a header")?;
    value.set_sensitive(true);
    request
        .headers_mut()
        .insert(http::header::AUTHORIZATION, value);
    Ok(request)
}

fn is_token_rejection(response: &Response<Bytes>) -> bool {
    if !matches!(
        response.status(),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
    ) {
        return false;
    }
    let content_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    ApiError::from_response("", response.status(), content_type, response.body())
        .is_token_rejected()
}
