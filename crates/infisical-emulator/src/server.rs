//! The HTTP/1.1 server: its own thread, its own current-thread tokio runtime, hyper 1.
//!
//! Every request is recorded first, then the oldest matching injected fault (if any) applies,
//! then the router answers.

use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use bytes::Bytes;
use http::{header, HeaderValue, Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming as Body;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::body::ReplyBody;
use crate::faults::Fault;
use crate::record::RecordedRequest;
use crate::router::{self, Incoming};
use crate::state::State;
use crate::tls::ServerConfig;
use crate::util::{decode, parse_query, req_id};
use tokio_rustls::TlsAcceptor;

const JSON: &str = "application/json; charset=utf-8";

/// Locks the state, ignoring poisoning (a panicking test must not wedge the server).
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// The running server: stop it with [`ServerHandle::stop`].
pub(crate) struct ServerHandle {
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// Stops accepting, drops open connections and joins the server thread.
    pub(crate) fn stop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts serving `listener` (already bound, non-blocking) on a new thread.
pub(crate) fn spawn(
    listener: std::net::TcpListener,
    state: Arc<Mutex<State>>,
    tls: Option<Arc<ServerConfig>>,
    goaway_every: Option<usize>,
) -> ServerHandle {
    let (tx, rx) = watch::channel(false);
    let thread = std::thread::Builder::new()
        .name("infisical-emulator".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("infisical-emulator: cannot build a tokio runtime");
            let tls = tls.map(TlsAcceptor::from);
            rt.block_on(accept_loop(listener, state, rx, tls, goaway_every));
        })
        .expect("infisical-emulator: cannot spawn the server thread");
    ServerHandle {
        shutdown: tx,
        thread: Some(thread),
    }
}

async fn accept_loop(
    listener: std::net::TcpListener,
    state: Arc<Mutex<State>>,
    mut stop: watch::Receiver<bool>,
    tls: Option<TlsAcceptor>,
    goaway_every: Option<usize>,
) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                lock(&state).recorder.connections += 1;
                let state = Arc::clone(&state);
                let stop = stop.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        None => serve_connection(stream, state, stop).await,
                        Some(acceptor) => {
                            let Ok(stream) = acceptor.accept(stream).await else { return };
                            let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2");
                            match goaway_every.filter(|_| h2) {
                                Some(every) => crate::h2::serve(stream, state, every, stop).await,
                                None => serve_connection(stream, state, stop).await,
                            }
                        }
                    }
                });
            }
        }
    }
}

/// Serves one connection, plain or TLS, until it closes or the server stops.
async fn serve_connection<IO>(io: IO, state: Arc<Mutex<State>>, mut stop: watch::Receiver<bool>)
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req| serve(Arc::clone(&state), req));
    let conn = http1::Builder::new().serve_connection(TokioIo::new(io), service);
    tokio::select! {
        _ = conn => {}
        _ = stop.changed() => {}
    }
}

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fault injected: drop connection")
    }
}

impl std::error::Error for DropConnection {}

fn response(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<ReplyBody> {
    let mut r = Response::new(ReplyBody::whole(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

fn oversized_head() -> Response<ReplyBody> {
    let mut r = response(200, JSON, "{}");
    let filler = HeaderValue::from_str(&"x".repeat(2048)).unwrap_or(HeaderValue::from_static("x"));
    for i in 0..300 {
        if let Ok(name) = header::HeaderName::from_bytes(format!("x-filler-{i}").as_bytes()) {
            r.headers_mut().insert(name, filler.clone());
        }
    }
    r
}

fn echo(status: u16, authorization: Option<&HeaderValue>, body: &[u8]) -> Response<ReplyBody> {
    let authorization = authorization.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let body = String::from_utf8_lossy(body).into_owned();
    let answer = serde_json::json!({
        "reqId": req_id(),
        "statusCode": status,
        "message": format!("request rejected: authorization={authorization:?} body={body}"),
        "error": "EchoedRequest",
        "details": [{"authorization": authorization, "body": body}],
    });
    response(status, JSON, answer.to_string())
}

fn rate_limited(secs: u64) -> Response<ReplyBody> {
    let body = serde_json::json!({
        "reqId": req_id(),
        "statusCode": 429,
        "message": format!("Rate limit exceeded. Please try again in {secs} seconds"),
        "error": "RateLimitExceeded",
    });
    let mut r = response(429, JSON, body.to_string());
    let h = r.headers_mut();
    h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    h.insert("x-ratelimit-limit", HeaderValue::from(600u32));
    h.insert("x-ratelimit-remaining", HeaderValue::from(0u32));
    h.insert("x-ratelimit-reset", HeaderValue::from(secs));
    r
}

async fn serve(
    state: Arc<Mutex<State>>,
    req: Request<Body>,
) -> Result<Response<ReplyBody>, DropConnection> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    answer(state, parts, body).await
}

/// Records, faults, routes and answers one request whose body has been read.
pub(crate) async fn answer(
    state: Arc<Mutex<State>>,
    parts: http::request::Parts,
    body: Bytes,
) -> Result<Response<ReplyBody>, DropConnection> {
    let raw_path = parts.uri.path().to_string();
    let raw_url = parts
        .uri
        .path_and_query()
        .map_or_else(|| raw_path.clone(), |pq| pq.as_str().to_string());
    let method = parts.method.as_str().to_string();
    let query = parse_query(parts.uri.query());
    let path = decode(&raw_path, false);

    let fault = {
        let mut st = lock(&state);
        st.recorder.requests.push(RecordedRequest {
            method: method.clone(),
            path: path.clone(),
            query: query.clone(),
            headers: crate::record::detached(&parts.headers),
            body: Bytes::copy_from_slice(&body),
        });
        st.faults.take(&method, &path)
    };
    let mut body_fault = None;
    match fault {
        None => {}
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        Some(fault @ (Fault::SlowBody(_) | Fault::DropMidBody)) => body_fault = Some(fault),
        Some(Fault::DropConnection) => return Err(DropConnection),
        Some(Fault::MalformedBody) => {
            return Ok(response(200, JSON, r#"{"secrets":[{"id":"#));
        }
        Some(Fault::Status {
            status,
            body,
            content_type,
        }) => return Ok(response(status, &content_type, body)),
        Some(Fault::RateLimited { retry_after_secs }) => return Ok(rate_limited(retry_after_secs)),
        Some(Fault::OversizedHead) => return Ok(oversized_head()),
        Some(Fault::EchoRequest { status }) => {
            return Ok(echo(
                status,
                parts.headers.get(header::AUTHORIZATION),
                &body,
            ))
        }
    }

    let header_text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let incoming = Incoming {
        method,
        raw_path,
        raw_url,
        query,
        authorization: header_text(header::AUTHORIZATION),
        content_type: header_text(header::CONTENT_TYPE),
        body,
    };
    let (status, value) = {
        let mut st = lock(&state);
        router::handle(&mut st, &incoming)
    };
    let content_type = value.content_type();
    let text = value.into_bytes();
    let etag = crate::etag::of(&text);
    let not_modified = incoming.method == "GET"
        && (200..300).contains(&status)
        && parts
            .headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|wanted| crate::etag::matches(wanted, &etag));
    if not_modified && body_fault.is_none() {
        lock(&state).recorder.not_modified += 1;
        let mut answer = Response::new(ReplyBody::whole(Bytes::new()));
        *answer.status_mut() = StatusCode::NOT_MODIFIED;
        if let Ok(v) = HeaderValue::from_str(&etag) {
            answer.headers_mut().insert(header::ETAG, v);
        }
        return Ok(answer);
    }
    let mut answer = response(status, content_type, text.clone());
    if let Ok(v) = HeaderValue::from_str(&etag) {
        answer.headers_mut().insert(header::ETAG, v);
    }
    if let Some(fault) = body_fault {
        *answer.body_mut() = match fault {
            Fault::SlowBody(delay) => ReplyBody::slow(text, delay),
            _ => ReplyBody::cut(text),
        };
    }
    Ok(answer)
}
