//! HTTP/2 connections rotated the way nginx (`keepalive_requests`) and CDN edges rotate
//! them: once a connection has taken its quota of requests, the streams it already accepted
//! are answered, every later stream is refused (`RST_STREAM` with `REFUSED_STREAM`: not
//! processed, RFC 9113 §8.7) and the connection goes away (`GOAWAY`).

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::Response;
use http_body_util::BodyExt;
use tokio::sync::watch;

use crate::body::ReplyBody;
use crate::server::answer;
use crate::state::State;

/// Serves one HTTP/2 connection; the `every`-th request is the last it processes.
pub(crate) async fn serve<IO>(
    io: IO,
    state: Arc<Mutex<State>>,
    every: usize,
    mut stop: watch::Receiver<bool>,
) where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let Ok(mut conn) = h2::server::handshake(io).await else {
        return;
    };
    let mut accepted = 0usize;
    loop {
        let next = tokio::select! {
            next = conn.accept() => next,
            _ = stop.changed() => return,
        };
        let Some(Ok((request, mut respond))) = next else {
            return;
        };
        if accepted >= every {
            respond.send_reset(h2::Reason::REFUSED_STREAM);
            continue;
        }
        accepted += 1;
        if accepted == every {
            conn.graceful_shutdown();
        }
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let (parts, mut body) = request.into_parts();
            let mut bytes = Vec::new();
            while let Some(Ok(chunk)) = body.data().await {
                let _ = body.flow_control().release_capacity(chunk.len());
                bytes.extend_from_slice(&chunk);
            }
            match answer(state, parts, Bytes::from(bytes)).await {
                Ok(reply) => send(reply, &mut respond).await,
                Err(_) => respond.send_reset(h2::Reason::INTERNAL_ERROR),
            }
        });
    }
}

async fn send(reply: Response<ReplyBody>, respond: &mut h2::server::SendResponse<Bytes>) {
    let (head, body) = reply.into_parts();
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        respond.send_reset(h2::Reason::INTERNAL_ERROR);
        return;
    };
    if let Ok(mut stream) = respond.send_response(Response::from_parts(head, ()), false) {
        let _ = stream.send_data(body, true);
    }
}
