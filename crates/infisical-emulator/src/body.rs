//! Response bodies that can stall or break on purpose, for the body faults.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Body, Frame, SizeHint};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// One step of a scripted body.
pub(crate) enum Step {
    Data(Bytes),
    Wait(Duration),
    Abort,
}

/// A response body: whole, or scripted (data, waits, an abort mid-way).
pub(crate) enum ReplyBody {
    Whole(Full<Bytes>),
    Scripted {
        steps: VecDeque<Step>,
        sleeping: Option<Pin<Box<Sleep>>>,
        len: u64,
    },
}

impl ReplyBody {
    pub(crate) fn whole(bytes: impl Into<Bytes>) -> Self {
        ReplyBody::Whole(Full::new(bytes.into()))
    }

    /// `bytes`, after waiting `delay` once the headers are out.
    pub(crate) fn slow(bytes: Bytes, delay: Duration) -> Self {
        let len = bytes.len() as u64;
        Self::scripted(vec![Step::Wait(delay), Step::Data(bytes)], len)
    }

    /// The first half of `bytes`, then the connection breaks.
    pub(crate) fn cut(bytes: Bytes) -> Self {
        let len = bytes.len() as u64;
        let half = bytes.slice(..bytes.len() / 2);
        Self::scripted(vec![Step::Data(half), Step::Abort], len)
    }

    fn scripted(steps: Vec<Step>, len: u64) -> Self {
        ReplyBody::Scripted {
            steps: steps.into(),
            sleeping: None,
            len,
        }
    }
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            ReplyBody::Whole(full) => Pin::new(full)
                .poll_frame(cx)
                .map_err(|never| match never {}),
            ReplyBody::Scripted {
                steps, sleeping, ..
            } => loop {
                if let Some(sleep) = sleeping {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    *sleeping = None;
                }
                match steps.pop_front() {
                    None => return Poll::Ready(None),
                    Some(Step::Data(bytes)) => return Poll::Ready(Some(Ok(Frame::data(bytes)))),
                    Some(Step::Wait(d)) => *sleeping = Some(Box::pin(tokio::time::sleep(d))),
                    Some(Step::Abort) => {
                        return Poll::Ready(Some(Err(std::io::Error::new(
                            std::io::ErrorKind::ConnectionReset,
                            "fault injected: connection cut mid-body",
                        ))))
                    }
                }
            },
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ReplyBody::Whole(full) => full.size_hint(),
            ReplyBody::Scripted { len, .. } => SizeHint::with_exact(*len),
        }
    }
}
