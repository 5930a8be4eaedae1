//! The default HTTP client: hyper-util's pooled client over rustls (feature
//! `default-client`, on by default). Logins use it when no other client is given, and the
//! transport crate builds its stack on it.

use crate::connect_timeout::ConnectTimeout;
use crate::lazy_tls::LazyTls;
use crate::proxy::ProxyConnector;
use crate::{LoginClient, ProxyConfig};
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use infisical_core::BoxError;
use infisical_core::{RequestMeta, TransportError, TransportErrorKind};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tower::Service;

type HyperClient = Client<ConnectTimeout<LazyTls>, Full<Bytes>>;

/// Sends requests with hyper (HTTP/1.1 and HTTP/2 by ALPN, rustls with the webpki roots)
/// and reads whole answers, within a per-request timeout and a body size limit.
///
/// Failures are [`TransportError`]s: `Connect` when the request never left, `Timeout`,
/// `Io`, `BodyTooLarge`. Building it needs no runtime; sending needs a tokio runtime.
#[derive(Clone)]
pub struct HyperService {
    /// Behind an `Arc`: a clone of the service is one reference count, not hyper's half
    /// dozen (the stack is cloned per call).
    client: Arc<HyperClient>,
    timeout: Duration,
    max_body: usize,
}

impl std::fmt::Debug for HyperService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HyperService")
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// A [`LoginClient`] over [`HyperService`] with 10 s to connect and 30 s per request.
pub fn default_login_client() -> Result<LoginClient, infisical_core::Error> {
    let service = HyperService::new(Duration::from_secs(10), Duration::from_secs(30), 1 << 20)?;
    Ok(LoginClient::new(service))
}

impl HyperService {
    /// A client with these limits.
    pub fn new(
        connect_timeout: Duration,
        timeout: Duration,
        max_body: usize,
    ) -> Result<Self, infisical_core::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| infisical_core::Error::Config(format!("TLS setup failed: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Self::with_options(
            connect_timeout,
            timeout,
            max_body,
            tls,
            ProxyConfig::none(),
        ))
    }

    /// A client with these limits, this TLS configuration (its ALPN protocols are set here:
    /// HTTP/2, then HTTP/1.1) and this proxy.
    pub fn with_options(
        connect_timeout: Duration,
        timeout: Duration,
        max_body: usize,
        tls: rustls::ClientConfig,
        proxy: ProxyConfig,
    ) -> Self {
        let plain = plain_connector(connect_timeout, proxy);
        Self::over(
            LazyTls::ready(plain, tls),
            connect_timeout,
            timeout,
            max_body,
        )
    }

    /// Like [`with_options`](Self::with_options), with the TLS configuration made by
    /// `make_tls` on the first `https` connection (once, shared by clones): a client that
    /// only talks plain `http://` never makes one. If `make_tls` fails, every `https`
    /// connection fails with its message, as a connection error.
    pub fn with_lazy_tls(
        connect_timeout: Duration,
        timeout: Duration,
        max_body: usize,
        make_tls: impl Fn() -> Result<rustls::ClientConfig, String> + Send + Sync + 'static,
        proxy: ProxyConfig,
    ) -> Self {
        let plain = plain_connector(connect_timeout, proxy);
        let connector = LazyTls::new(plain, Arc::new(make_tls));
        Self::over(connector, connect_timeout, timeout, max_body)
    }

    fn over(
        connector: LazyTls,
        connect_timeout: Duration,
        timeout: Duration,
        max_body: usize,
    ) -> Self {
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(ConnectTimeout::new(connector, connect_timeout));
        Self {
            client: Arc::new(client),
            timeout,
            max_body,
        }
    }
}

fn plain_connector(connect_timeout: Duration, proxy: ProxyConfig) -> ProxyConnector {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_connect_timeout(Some(connect_timeout));
    http.set_nodelay(true);
    ProxyConnector::new(http, proxy)
}

impl Service<Request<Bytes>> for HyperService {
    type Response = Response<Bytes>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Bytes>, BoxError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Bytes>) -> Self::Future {
        let meta = request.extensions().get::<RequestMeta>().copied();
        // hyper's future owns what it needs: nothing of the client is cloned here.
        let sent = self.client.request(request.map(Full::new));
        let timeout = self.timeout;
        // A timeout too far to reach (the transport's `Duration::MAX`: it bounds attempts
        // itself) arms no timer.
        let deadline = tokio::time::Instant::now().checked_add(timeout);
        let max_body = self.max_body;
        Box::pin(async move {
            let exchange = receive(sent, max_body);
            let mut response = match deadline {
                None => exchange.await?,
                Some(deadline) => match tokio::time::timeout_at(deadline, exchange).await {
                    Ok(result) => result?,
                    Err(_) => {
                        return Err(TransportError::new(
                            TransportErrorKind::Timeout,
                            format!("no complete answer within {timeout:?}"),
                            None,
                        )
                        .into())
                    }
                },
            };
            if let Some(meta) = meta {
                response.extensions_mut().insert(meta);
            }
            Ok(response)
        })
    }
}

/// The answer to a request hyper is sending, read whole.
async fn receive(
    sent: hyper_util::client::legacy::ResponseFuture,
    max_body: usize,
) -> Result<Response<Bytes>, BoxError> {
    let response = sent.await.map_err(classify_send_error)?;
    let (parts, body) = response.into_parts();
    let expected = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let body = read_body(Limited::new(body, max_body), expected, max_body)
        .await
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                TransportError::new(
                    TransportErrorKind::BodyTooLarge,
                    format!("the answer is larger than the {max_body}-byte limit"),
                    Some(e),
                )
            } else {
                TransportError::new(
                    TransportErrorKind::Io,
                    "the connection failed while reading the answer",
                    Some(e),
                )
            }
        })?;
    Ok(Response::from_parts(parts, body))
}

/// The whole answer as one buffer. One frame is kept as it came (no copy); more are copied,
/// as they arrive, into a buffer sized by `Content-Length` (at most `max_body`: the header
/// is the server's word, not a fact), so a large answer is held once — not as its frames
/// plus a concatenated copy, which doubled the peak memory of a large list.
async fn read_body<B>(
    mut body: B,
    expected: Option<u64>,
    max_body: usize,
) -> Result<Bytes, BoxError>
where
    B: hyper::body::Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    let mut first: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(Into::into)?.into_data() else {
            continue; // trailers
        };
        match first.take() {
            None if joined.is_empty() => first = Some(data),
            None => joined.extend_from_slice(&data),
            Some(earlier) => {
                let size = expected
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0)
                    .min(max_body)
                    .max(earlier.len().saturating_add(data.len()));
                joined.reserve_exact(size);
                joined.extend_from_slice(&earlier);
                joined.extend_from_slice(&data);
            }
        }
    }
    Ok(match first {
        Some(only) => only,
        None => Bytes::from(joined),
    })
}

fn classify_send_error(e: hyper_util::client::legacy::Error) -> TransportError {
    let (kind, what) = if not_processed(&e) {
        (
            TransportErrorKind::Refused,
            "the server refused the request before processing it",
        )
    } else if refused_by_tls(&e) {
        (TransportErrorKind::Tls, "the TLS handshake was refused")
    } else if e.is_connect() {
        let timed_out = every_cause(&e).any(|s| s.to_string().contains("timed out"));
        let kind = if timed_out {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Connect
        };
        (kind, "could not connect")
    } else if head_too_large(&e) {
        (
            TransportErrorKind::BodyTooLarge,
            "the answer's head is larger than the client accepts",
        )
    } else {
        (TransportErrorKind::Io, "the request failed")
    };
    TransportError::new(kind, format!("{what}: {}", describe(&e)), Some(e.into()))
}

/// An HTTP/2 stream the server never processed (RFC 9113 §6.8, §8.7): reset with
/// `REFUSED_STREAM`, or above the last stream id of the server's graceful `GOAWAY` — h2
/// fails exactly those streams with the `GOAWAY`'s `NO_ERROR` when it arrives; a stream at
/// or below it that is then cut fails with a broken pipe instead, and keeps the rules of a
/// request the server may have processed.
fn not_processed(e: &(dyn std::error::Error + 'static)) -> bool {
    every_cause(e)
        .filter_map(|cause| cause.downcast_ref::<h2::Error>())
        .any(|h2| match h2.reason() {
            Some(h2::Reason::REFUSED_STREAM) => true,
            Some(h2::Reason::NO_ERROR) => h2.is_go_away() && h2.is_remote(),
            _ => false,
        })
}

/// A TLS failure no retry changes: a refused certificate or no common protocol version.
fn refused_by_tls(e: &(dyn std::error::Error + 'static)) -> bool {
    every_cause(e).any(|cause| {
        matches!(
            cause.downcast_ref::<rustls::Error>(),
            Some(
                rustls::Error::InvalidCertificate(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::PeerIncompatible(_)
            )
        )
    })
}

/// `e` and its causes, looking inside `io::Error`s too: an `io::Error`'s `source()` skips
/// the error it wraps (rustls' among them), so this steps into it instead.
fn every_cause<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |e| {
        match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(wrapped) => Some(wrapped as &(dyn std::error::Error + 'static)),
            None => e.source(),
        }
    })
}

/// hyper refused an answer whose head (status line and headers) is over its limits.
/// (hyper's own predicate for this exists only in its server build; its message is
/// "message head is too large".)
fn head_too_large(e: &(dyn std::error::Error + 'static)) -> bool {
    every_cause(e)
        .filter_map(|cause| cause.downcast_ref::<hyper::Error>())
        .any(|h| h.is_parse() && h.to_string().contains("too large"))
}

/// The innermost cause's message, which says what actually happened.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    every_cause(e)
        .last()
        .map(ToString::to_string)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// A body of these frames, as a server's answer arrives.
    struct Frames(VecDeque<Bytes>);

    impl hyper::body::Body for Frames {
        type Data = Bytes;
        type Error = BoxError;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
        ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, BoxError>>> {
            Poll::Ready(self.0.pop_front().map(|b| Ok(hyper::body::Frame::data(b))))
        }
    }

    fn frames(parts: &[&'static str]) -> Frames {
        Frames(
            parts
                .iter()
                .map(|p| Bytes::from_static(p.as_bytes()))
                .collect(),
        )
    }

    #[tokio::test]
    async fn one_frame_is_kept_as_it_came() {
        let only = Bytes::from_static(b"{\"secrets\":[]}");
        let body = read_body(Frames(VecDeque::from([only.clone()])), Some(14), 1 << 20)
            .await
            .unwrap();
        assert_eq!(body.as_ptr(), only.as_ptr(), "not copied");
    }

    #[tokio::test]
    async fn frames_are_joined_whatever_content_length_claims() {
        // Right, too small, absurdly large (capped by the limit), absent.
        for claimed in [Some(9), Some(2), Some(u64::MAX), None] {
            let body = read_body(frames(&["abc", "", "def", "ghi"]), claimed, 1 << 20)
                .await
                .unwrap();
            assert_eq!(&body[..], b"abcdefghi", "{claimed:?}");
        }
        let empty = read_body(frames(&[]), Some(0), 16).await.unwrap();
        assert!(empty.is_empty());
    }

    #[tokio::test]
    async fn the_limit_still_applies() {
        let limited = Limited::new(frames(&["abc", "def"]), 4);
        let err = read_body(limited, Some(6), 4).await.unwrap_err();
        assert!(err.is::<http_body_util::LengthLimitError>(), "{err}");
    }

    /// A server that accepts connections and never answers.
    async fn silent_server() -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let mut kept = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                kept.push(stream);
            }
        });
        addr
    }

    #[tokio::test]
    async fn an_answer_that_never_comes_ends_at_the_timeout_and_none_never_does() {
        let addr = silent_server().await;
        let request = || {
            Request::get(format!("http://{addr}/api/status"))
                .body(Bytes::new())
                .unwrap()
        };
        let mut bounded =
            HyperService::new(Duration::from_secs(5), Duration::from_millis(50), 1024).unwrap();
        let err = bounded.call(request()).await.unwrap_err();
        let err = err
            .downcast_ref::<TransportError>()
            .expect("a transport error");
        assert_eq!(err.kind(), TransportErrorKind::Timeout);
        assert!(err.to_string().contains("within 50ms"), "{err}");

        // `Duration::MAX` (the transport bounds attempts itself): no timer, still waiting.
        let mut unbounded = HyperService::new(Duration::from_secs(5), Duration::MAX, 1024).unwrap();
        let waiting = tokio::time::timeout(Duration::from_millis(200), unbounded.call(request()));
        assert!(
            waiting.await.is_err(),
            "an unbounded exchange ended on its own"
        );
    }
}
