//! The per-attempt timeout and the overall deadline, enforced with one timer per attempt.
//!
//! Arming a tokio timer is not free: on a runtime that is otherwise idle, each new timer
//! wakes the thread parked in the I/O driver so that it re-arms its own timeout (see
//! `docs/performance.md`). So the retry layer does not arm a timer of its own when it does
//! not have to: it runs the request with its [`Deadline`] in scope (a task-local: nothing
//! to allocate or copy with the request), and the innermost service bounds the exchange by
//! whichever comes first, the per-attempt timeout or the deadline — with the timer its
//! thread kept from the last request, moved to the new deadline (see `spare_timer.rs`).

use crate::spare_timer::SpareTimer;
use crate::BoxError;
use bytes::Bytes;
use http::{Request, Response};
use infisical_core::{TransportError, TransportErrorKind};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;
use tower::Service;

tokio::task_local! {
    /// The deadline of the request being sent, set by the retry layer around all its
    /// attempts. Read where the request waits: for a token, for the server.
    static DEADLINE: Option<Deadline>;
}

/// When a request (all its attempts and waits) must be done.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    /// The instant.
    pub(crate) at: Instant,
    /// The configured limit, for the error message.
    pub(crate) limit: Duration,
}

impl Deadline {
    /// The deadline of a request starting now, if there is a limit.
    pub(crate) fn from_now(limit: Option<Duration>) -> Option<Self> {
        let limit = limit?;
        Some(Self {
            at: Instant::now().checked_add(limit)?,
            limit,
        })
    }

    /// The deadline of the request being sent, if any (see [`scope`](Deadline::scope)).
    pub(crate) fn current() -> Option<Self> {
        DEADLINE.try_with(|deadline| *deadline).ok().flatten()
    }

    /// Runs `future` (the sending of one request, all attempts) with `deadline` as
    /// [`current`](Deadline::current).
    ///
    /// Not an `async fn`: one would hold `future` twice, as its argument and inside the
    /// scope it awaits (the retry layer's future, boxed per call, took 2,968 bytes, now
    /// half that).
    pub(crate) fn scope<F: Future>(
        deadline: Option<Self>,
        future: F,
    ) -> impl Future<Output = F::Output> {
        DEADLINE.scope(deadline, future)
    }

    /// The error of a request that ran out of time.
    pub(crate) fn passed(&self) -> BoxError {
        TransportError::new(
            TransportErrorKind::Timeout,
            format!(
                "the request did not complete within its {:?} deadline",
                self.limit
            ),
            None,
        )
        .into()
    }

    /// `future`, failing with [`passed`](Deadline::passed) if `deadline` comes first. A
    /// future that is ready at once arms no timer.
    pub(crate) async fn bound<F, T, E>(deadline: Option<Self>, future: F) -> Result<T, BoxError>
    where
        F: Future<Output = Result<T, E>>,
        E: Into<BoxError>,
    {
        match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline.at, future).await {
                Ok(result) => result.map_err(Into::into),
                Err(_) => Err(deadline.passed()),
            },
            None => future.await.map_err(Into::into),
        }
    }
}

/// Bounds each exchange with the server — from sending to the last byte of the answer — by
/// the per-attempt timeout and by the request's [`Deadline`], whichever comes first, with
/// one timer.
///
/// It calls the service it holds, as tower intends, without cloning it per call: the HTTP
/// client is one reference count to clone (the stack above is cloned per call, tower's way
/// to keep a ready service), and every clone is a write to a count every thread of the
/// runtime touches.
#[derive(Debug, Clone)]
pub(crate) struct AttemptTimeout<S> {
    inner: S,
    timeout: Duration,
}

impl<S> AttemptTimeout<S> {
    /// Bounds `inner`'s exchanges by `timeout`.
    pub(crate) fn new(inner: S, timeout: Duration) -> Self {
        Self { inner, timeout }
    }
}

impl<S> Service<Request<Bytes>> for AttemptTimeout<S>
where
    S: Service<Request<Bytes>, Response = Response<Bytes>, Error = BoxError>,
{
    type Response = Response<Bytes>;
    type Error = BoxError;
    type Future = AttemptFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Bytes>) -> Self::Future {
        let deadline = Deadline::current();
        let timeout = self.timeout;
        let own = Instant::now().checked_add(timeout);
        // The earlier of the two, and whether it is the deadline.
        let bound = match (own, deadline) {
            (Some(own), Some(deadline)) if deadline.at < own => Some((deadline.at, Some(deadline))),
            (Some(own), _) => Some((own, None)),
            (None, Some(deadline)) => Some((deadline.at, Some(deadline))),
            (None, None) => None,
        };
        AttemptFuture {
            inner: self.inner.call(request),
            bound,
            timer: None,
            timeout,
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`AttemptTimeout`]: the exchange, then the timer. The answer is polled
    /// first, so one that is ready arms no timer.
    pub(crate) struct AttemptFuture<F> {
        #[pin]
        inner: F,
        // When the attempt must end, and whether that is the deadline's doing.
        bound: Option<(Instant, Option<Deadline>)>,
        timer: Option<SpareTimer>,
        timeout: Duration,
    }
}

impl<F> Future for AttemptFuture<F>
where
    F: Future<Output = Result<Response<Bytes>, BoxError>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(result) = this.inner.poll(cx) {
            return Poll::Ready(result);
        }
        let Some((at, deadline)) = *this.bound else {
            return Poll::Pending;
        };
        let timer = this.timer.get_or_insert_with(|| SpareTimer::at(at));
        if Pin::new(timer).poll(cx).is_pending() {
            return Poll::Pending;
        }
        Poll::Ready(Err(match deadline {
            Some(deadline) => deadline.passed(),
            None => TransportError::new(
                TransportErrorKind::Timeout,
                format!("no complete answer within {:?}", this.timeout),
                None,
            )
            .into(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    /// Answers after `delay`.
    #[derive(Clone)]
    struct Slow(Duration);

    impl Service<Request<Bytes>> for Slow {
        type Response = Response<Bytes>;
        type Error = BoxError;
        type Future = Pin<Box<dyn Future<Output = Result<Response<Bytes>, BoxError>> + Send>>;

        fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, _request: Request<Bytes>) -> Self::Future {
            let delay = self.0;
            Box::pin(async move {
                tokio::time::sleep(delay).await;
                Ok(Response::new(Bytes::new()))
            })
        }
    }

    /// Sends one request through `service` within a deadline of `deadline`.
    async fn send<S>(service: S, deadline: Option<Duration>) -> Result<Response<Bytes>, BoxError>
    where
        S: Service<Request<Bytes>, Response = Response<Bytes>, Error = BoxError>,
    {
        let deadline = Deadline::from_now(deadline);
        Deadline::scope(deadline, service.oneshot(Request::new(Bytes::new()))).await
    }

    fn message(result: Result<Response<Bytes>, BoxError>) -> String {
        let error = result.unwrap_err();
        let transport = error.downcast_ref::<TransportError>().expect("typed");
        assert_eq!(transport.kind(), TransportErrorKind::Timeout);
        transport.to_string()
    }

    #[tokio::test]
    async fn the_earlier_of_timeout_and_deadline_wins_and_is_named() {
        let ms = Duration::from_millis;
        let slow = Slow(Duration::from_secs(5));
        let by_timeout = send(AttemptTimeout::new(slow.clone(), ms(20)), Some(ms(2_000))).await;
        assert!(message(by_timeout).contains("no complete answer within 20ms"));

        let by_deadline = send(AttemptTimeout::new(slow.clone(), ms(2_000)), Some(ms(20))).await;
        assert!(message(by_deadline).contains("within its 20ms deadline"));

        let unbounded = send(AttemptTimeout::new(Slow(ms(30)), Duration::MAX), None).await;
        assert!(unbounded.is_ok());

        let in_time = send(AttemptTimeout::new(Slow(ms(5)), ms(2_000)), Some(ms(2_000))).await;
        assert!(in_time.is_ok());
    }

    #[tokio::test]
    async fn a_bound_future_that_is_ready_needs_no_time() {
        let ready = Deadline::bound(Deadline::from_now(Some(Duration::ZERO)), async {
            Ok::<_, BoxError>(7)
        })
        .await;
        assert_eq!(ready.unwrap(), 7, "polled before the timer");
        let never = Deadline::bound(
            Deadline::from_now(Some(Duration::from_millis(5))),
            std::future::pending::<Result<(), BoxError>>(),
        )
        .await;
        assert!(never.unwrap_err().to_string().contains("deadline"));
    }
}
