//! Bearer tokens on requests, and one refresh when the server rejects a token.

use crate::timeout::Deadline;
use crate::{copy_request, BoxError, SharedBaseUrl};
use bytes::Bytes;
use http::{Request, Response, StatusCode};
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
    // One reference count for the whole layer: its services are cloned per call.
    shared: Arc<Shared>,
}

/// What every service of one [`AuthLayer`] uses.
#[derive(Debug)]
struct Shared {
    source: Arc<dyn TokenSource>,
    base: SharedBaseUrl,
    allow_plain_http: bool,
}

impl AuthLayer {
    /// Tokens from `source`, sent only to `base`, and over plain HTTP only to loopback
    /// unless `allow_plain_http`.
    pub fn new(source: Arc<dyn TokenSource>, base: SharedBaseUrl, allow_plain_http: bool) -> Self {
        Self {
            shared: Arc::new(Shared {
                source,
                base,
                allow_plain_http,
            }),
        }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthService {
            inner,
            shared: self.shared.clone(),
        }
    }
}

/// The service of [`AuthLayer`].
#[derive(Debug, Clone)]
pub struct AuthService<S> {
    inner: S,
    shared: Arc<Shared>,
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
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let shared = self.shared.clone();
        let (same_origin, secure) = shared.base.with(|base| {
            (
                base.is_same_origin(request.uri()),
                base.check_transport_security(shared.allow_plain_http),
            )
        });
        if !same_origin {
            return Box::pin(inner.call(request));
        }
        match (secure, shared.source.ready()) {
            // A fresh cached token: sent at once.
            (Ok(()), Some(lease)) => send(inner, shared, request, lease),
            // Waiting for a token (a login, someone else's refresh) counts against the
            // request's deadline.
            (secure, _) => Box::pin(async move {
                secure?;
                let lease = wait_for_token(&shared).await?;
                send(inner, shared, request, lease).await
            }),
        }
    }
}

/// Sends `request` with `lease`'s token through `inner` (ready), and once more with a new
/// token if the server rejects this one.
///
/// The request is sent before the future is made, so that the future, boxed per call,
/// holds only what it needs after sending (under 1,032 bytes: glibc serves it from its
/// per-thread cache, without searching its bins).
fn send<S>(
    mut inner: S,
    shared: Arc<Shared>,
    request: Request<Bytes>,
    lease: TokenLease,
) -> Pin<Box<dyn Future<Output = Result<Response<Bytes>, BoxError>> + Send>>
where
    S: Service<Request<Bytes>, Response = Response<Bytes>, Error = BoxError> + Send + 'static,
    S::Future: Send,
{
    let second_try = shared.source.can_refresh().then(|| copy_request(&request));
    let sent = match authorize(request, &lease) {
        Ok(request) => inner.call(request),
        Err(error) => return Box::pin(std::future::ready(Err(error))),
    };
    Box::pin(async move {
        let response = sent.await?;
        match second_try.filter(|_| is_token_rejection(&response)) {
            None => Ok(without_token(response, &lease)),
            Some(second_try) => {
                Box::pin(send_again(inner, shared, second_try, lease.generation())).await
            }
        }
    })
}

/// After the server rejected the token of `generation`: a new token, and `second_try`
/// sent with it. A second rejection is the answer.
async fn send_again<S>(
    mut inner: S,
    shared: Arc<Shared>,
    second_try: Request<Bytes>,
    generation: u64,
) -> Result<Response<Bytes>, BoxError>
where
    S: Service<Request<Bytes>, Response = Response<Bytes>, Error = BoxError>,
{
    tracing::debug!(
        generation,
        "the server rejected the access token; refreshing once"
    );
    shared.source.invalidate(generation);
    let lease = wait_for_token(&shared).await?;
    let second_try = authorize(second_try, &lease)?;
    let response = inner.ready().await?.call(second_try).await?;
    Ok(without_token(response, &lease))
}

/// A token from the source within the request's deadline: a login or someone else's
/// refresh. Boxed: the usual call takes a ready token, and the futures waiting here are
/// rare.
fn wait_for_token(
    shared: &Shared,
) -> Pin<Box<dyn Future<Output = Result<TokenLease, BoxError>> + Send + '_>> {
    Box::pin(Deadline::bound(Deadline::current(), shared.source.token()))
}

/// Sets the token's `Authorization` header, built once per token (see
/// [`AccessToken::bearer_header`](infisical_credentials::AccessToken::bearer_header)).
fn authorize(mut request: Request<Bytes>, lease: &TokenLease) -> Result<Request<Bytes>, BoxError> {
    let value = lease
        .token()
        .bearer_header()
        .ok_or("the access token holds characters not allowed in a header")?;
    request
        .headers_mut()
        .insert(http::header::AUTHORIZATION, value);
    Ok(request)
}

/// An error answer with every copy of the token it was sent with replaced by `[REDACTED]`:
/// servers and proxies that echo the `Authorization` header must not get the token into an
/// error message. Successful answers pass untouched (and uncopied).
fn without_token(response: Response<Bytes>, lease: &TokenLease) -> Response<Bytes> {
    let token = lease.token().expose().as_bytes();
    if response.status().is_success() || token.len() < 4 {
        return response;
    }
    let (parts, body) = response.into_parts();
    if find(&body, token).is_none() {
        return Response::from_parts(parts, body);
    }
    let mut out = Vec::with_capacity(body.len());
    let mut rest = &body[..];
    while let Some(at) = find(rest, token) {
        let Some((before, after)) = rest
            .get(..at)
            .zip(rest.get(at.saturating_add(token.len())..))
        else {
            break;
        };
        out.extend_from_slice(before);
        out.extend_from_slice(b"[REDACTED]");
        rest = after;
    }
    out.extend_from_slice(rest);
    let body = Bytes::from(out);
    Response::from_parts(parts, body)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BaseUrl;
    use infisical_core::{CredentialsError, TransportError, TransportErrorKind};
    use infisical_credentials::BoxFuture;
    use std::time::Duration;

    /// A token source whose login never finishes.
    #[derive(Debug)]
    struct Stuck;

    impl TokenSource for Stuck {
        fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>> {
            Box::pin(std::future::pending())
        }

        fn invalidate(&self, _generation: u64) {}

        fn name(&self) -> &'static str {
            "stuck"
        }
    }

    /// A source holding a fresh token, whose `token` would never answer.
    #[derive(Debug)]
    struct Held(TokenLease);

    impl TokenSource for Held {
        fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>> {
            Box::pin(std::future::pending())
        }

        fn ready(&self) -> Option<TokenLease> {
            Some(self.0.clone())
        }

        fn invalidate(&self, _generation: u64) {}

        fn name(&self) -> &'static str {
            "held"
        }
    }

    #[tokio::test]
    async fn a_ready_token_is_sent_at_once() {
        let base = SharedBaseUrl::new(BaseUrl::parse("http://127.0.0.1:9").unwrap());
        let echo = tower::service_fn(|request: Request<Bytes>| async move {
            let sent = request.headers().get(http::header::AUTHORIZATION).cloned();
            let body = sent.map(|v| Bytes::copy_from_slice(v.as_bytes()));
            Ok::<_, BoxError>(Response::new(body.unwrap_or_default()))
        });
        let token = infisical_credentials::AccessToken::new("t-held".into(), None);
        let held = Held(TokenLease::new(Arc::new(token), 1));
        let service = AuthLayer::new(Arc::new(held), base, false).layer(echo);
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = "/api/v4/secrets".parse().unwrap();
        let deadline = Deadline::from_now(Some(Duration::from_millis(200)));
        let answer = Deadline::scope(deadline, service.oneshot(request))
            .await
            .expect("sent without waiting for token()");
        assert_eq!(answer.body(), "Bearer t-held");
    }

    #[tokio::test]
    async fn waiting_for_a_token_counts_against_the_deadline() {
        let base = SharedBaseUrl::new(BaseUrl::parse("http://127.0.0.1:9").unwrap());
        let never_called = tower::service_fn(|_: Request<Bytes>| async {
            Err::<Response<Bytes>, BoxError>("the request was sent without a token".into())
        });
        let service = AuthLayer::new(Arc::new(Stuck), base, false).layer(never_called);
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = "/api/v4/secrets".parse().unwrap();
        let deadline = Deadline::from_now(Some(Duration::from_millis(30)));
        let error = Deadline::scope(deadline, service.oneshot(request))
            .await
            .unwrap_err();
        let error = error
            .downcast::<TransportError>()
            .expect("a transport error");
        assert_eq!(error.kind(), TransportErrorKind::Timeout);
        assert!(error.to_string().contains("30ms deadline"), "{error}");
    }
}
