//! Retries: which failures, how long to wait, how many times, and within what budget.

use crate::timeout::Deadline;
use crate::{copy_request, BoxError};
use bytes::Bytes;
use http::{Request, Response, StatusCode};
use infisical_core::{
    is_retryable_status, Attempts, RequestMeta, TransportError, TransportErrorKind,
};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;
use tower::{Layer, Service, ServiceExt};

/// When and how requests are tried again.
///
/// Retried: 408, 429, 500, 502, 503, 504 and connection failures — for idempotent requests
/// (reads) only, except a 429 or a failed connect, which the server provably did not
/// process. Waits grow exponentially with full jitter, or follow the server: `Retry-After`
/// (seconds or an HTTP date), `x-ratelimit-reset`, or the seconds in Infisical's 429
/// message. A shared budget stops retries when most requests fail, so an outage is not
/// multiplied by the number of attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_server_delay: Duration,
    budget: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, waits from 200 ms up to 5 s, server-asked waits up to 30 s, budget on.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_server_delay: Duration::from_secs(30),
            budget: true,
        }
    }
}

impl RetryPolicy {
    /// The defaults (see [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries: every request is tried once.
    pub fn disabled() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first wait's upper bound; it doubles with each retry.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest computed wait.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest wait a server may ask for (`Retry-After`); a longer one is not waited
    /// for and its answer is returned.
    pub fn max_server_delay(mut self, wait: Duration) -> Self {
        self.max_server_delay = wait;
        self
    }

    /// Whether the retry budget applies (default `true`).
    pub fn budget(mut self, enabled: bool) -> Self {
        self.budget = enabled;
        self
    }

    /// The jittered wait before retry number `retry` (1-based).
    fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << retry.saturating_sub(1).min(20))
            .min(self.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Retries withdraw from a shared budget and successes refill it: at most 10 retries in a
/// row, then one per 10 successes.
/// Counted in tenths of a retry, so that refills add up exactly. Lock-free: every success
/// of every task refills it, and a full budget (the usual state) is only read, so that
/// concurrent calls do not fight over its cache line.
#[derive(Debug)]
struct RetryBudget(AtomicU32);

const RETRY_COST: u32 = 10;
const BUDGET_MAX: u32 = 10 * RETRY_COST;

impl RetryBudget {
    fn full() -> Self {
        Self(AtomicU32::new(BUDGET_MAX))
    }

    fn withdraw(&self) -> bool {
        self.0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                tokens.checked_sub(RETRY_COST)
            })
            .is_ok()
    }

    fn refill(&self) {
        if self.0.load(Ordering::Relaxed) >= BUDGET_MAX {
            return;
        }
        let _ = self
            .0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                (tokens < BUDGET_MAX).then_some(tokens.saturating_add(1))
            });
    }
}

/// Applies a [`RetryPolicy`] and an overall deadline covering every attempt.
#[derive(Debug, Clone)]
pub struct RetryLayer {
    // One reference count for the whole layer: it is cloned per call.
    shared: Arc<Shared>,
}

/// What every service of one [`RetryLayer`] uses.
#[derive(Debug)]
struct Shared {
    policy: RetryPolicy,
    budget: RetryBudget,
    deadline: Option<Duration>,
    /// The stack below bounds every wait of an attempt by the deadline in scope (the
    /// transport's own stack without user layers), so no timer of this layer's is needed.
    deadline_enforced_below: bool,
}

impl RetryLayer {
    /// Retries per `policy`; with `deadline`, no request (all attempts and waits) takes
    /// longer. Services made by clones of this layer share one budget.
    pub fn new(policy: RetryPolicy, deadline: Option<Duration>) -> Self {
        Self::trusting_below(policy, deadline, false)
    }

    /// [`new`](RetryLayer::new), trusting the stack below to enforce the deadline this
    /// layer keeps in scope while it sends a request when `deadline_enforced_below`: the
    /// auth layer's token fetch and the per-attempt timeout do, and nothing else in the
    /// transport's own stack waits.
    pub(crate) fn trusting_below(
        policy: RetryPolicy,
        deadline: Option<Duration>,
        deadline_enforced_below: bool,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                policy,
                budget: RetryBudget::full(),
                deadline,
                deadline_enforced_below,
            }),
        }
    }
}

impl<S> Layer<S> for RetryLayer {
    type Service = RetryService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RetryService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service of [`RetryLayer`].
#[derive(Debug, Clone)]
pub struct RetryService<S> {
    inner: S,
    layer: RetryLayer,
}

/// What to do after an attempt.
enum Verdict {
    Done,
    Retry {
        server_delay: Option<Duration>,
    },
    /// The server provably did not process the request (a refused HTTP/2 stream): send it
    /// again at once on a new connection, whatever the method, without spending the retry
    /// budget (one connection rotation refuses many requests at once).
    Resend,
}

impl<S> Service<Request<Bytes>> for RetryService<S>
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
        let layer = self.layer.clone();
        let deadline = Deadline::from_now(layer.shared.deadline);
        Box::pin(Deadline::scope(
            deadline,
            layer.run(inner, request, deadline),
        ))
    }
}

impl RetryLayer {
    /// Sends `request` through `inner` (ready for a first call) until done, within
    /// `deadline` (which is in scope for the layers below).
    ///
    /// Not an `async fn`, which would keep its arguments beside the copies its body works
    /// on: the future, boxed per call, is smaller by their size.
    fn run<S>(
        self,
        mut inner: S,
        request: Request<Bytes>,
        deadline: Option<Deadline>,
    ) -> impl Future<Output = Result<Response<Bytes>, BoxError>>
    where
        S: Service<Request<Bytes>, Response = Response<Bytes>, Error = BoxError>,
    {
        let meta = request.extensions().get::<RequestMeta>().copied();
        let idempotent = meta.is_some_and(|m| m.idempotent);
        let route = meta.map_or("", |m| m.route);
        // The last attempt sends the request itself; the others send copies.
        let mut request = Some(request);
        async move {
            let mut attempt = 1;
            loop {
                let this_try = match request.take() {
                    Some(original) if attempt < self.shared.policy.max_attempts => {
                        let copy = copy_request(&original);
                        request = Some(original);
                        copy
                    }
                    Some(original) => original,
                    None => return Err("the request was already sent".into()),
                };
                // `inner` is ready for the first attempt (the caller polled it); later ones
                // wait for it again.
                let first = attempt == 1;
                let sent = async {
                    if !first {
                        ServiceExt::<Request<Bytes>>::ready(&mut inner).await?;
                    }
                    inner.call(this_try).await
                };
                let result = match deadline {
                    // Only with user layers, which may wait without a bound: boxed, so that
                    // the usual future (boxed per call) need not have room for a timer.
                    Some(deadline) if !self.shared.deadline_enforced_below => {
                        match Box::pin(tokio::time::timeout_at(deadline.at, sent)).await {
                            Ok(result) => result,
                            Err(_) => Err(deadline.passed()),
                        }
                    }
                    _ => sent.await,
                };
                let (wait, spends_budget) = match verdict(&result, idempotent) {
                    Verdict::Done => {
                        if result.is_ok() {
                            self.shared.budget.refill();
                        }
                        return finish(result, attempt);
                    }
                    Verdict::Resend => (Duration::ZERO, false),
                    Verdict::Retry {
                        server_delay: Some(asked),
                    } if asked > self.shared.policy.max_server_delay => {
                        return finish(result, attempt)
                    }
                    Verdict::Retry {
                        server_delay: Some(asked),
                    } => (asked, true),
                    Verdict::Retry { server_delay: None } => {
                        (self.shared.policy.backoff(attempt), true)
                    }
                };
                let out_of_time = deadline.is_some_and(|d| {
                    Instant::now()
                        .checked_add(wait)
                        .is_none_or(|resume| resume >= d.at)
                });
                if attempt >= self.shared.policy.max_attempts || out_of_time {
                    return finish(result, attempt);
                }
                if spends_budget && self.shared.policy.budget && !self.shared.budget.withdraw() {
                    tracing::debug!(route, "retry budget exhausted; not retrying");
                    return finish(result, attempt);
                }
                tracing::debug!(
                    route,
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "retrying"
                );
                tokio::time::sleep(wait).await;
                attempt = attempt.saturating_add(1);
            }
        }
    }
}

fn verdict(result: &Result<Response<Bytes>, BoxError>, idempotent: bool) -> Verdict {
    match result {
        Ok(response) => {
            let status = response.status();
            // A 429 was not processed: safe to send again, whatever the method.
            let retryable = is_retryable_status(status)
                && (idempotent || status == StatusCode::TOO_MANY_REQUESTS);
            if retryable {
                Verdict::Retry {
                    server_delay: server_delay(response),
                }
            } else {
                Verdict::Done
            }
        }
        Err(error) => match error
            .downcast_ref::<TransportError>()
            .map(TransportError::kind)
        {
            Some(TransportErrorKind::Refused) => Verdict::Resend,
            Some(TransportErrorKind::Connect) => Verdict::Retry { server_delay: None },
            Some(TransportErrorKind::Timeout | TransportErrorKind::Io) if idempotent => {
                Verdict::Retry { server_delay: None }
            }
            _ => Verdict::Done,
        },
    }
}

/// Records the number of attempts on the answer or the error.
fn finish(
    result: Result<Response<Bytes>, BoxError>,
    attempts: u32,
) -> Result<Response<Bytes>, BoxError> {
    match result {
        // No `Attempts` means one: nothing to allocate on the usual path.
        Ok(response) if attempts == 1 => Ok(response),
        Ok(mut response) => {
            response.extensions_mut().insert(Attempts(attempts));
            Ok(response)
        }
        Err(error) => match error.downcast::<TransportError>() {
            Ok(transport) => Err(Box::new(transport.with_attempts(attempts))),
            Err(other) => Err(other),
        },
    }
}

/// How long the server asks to wait: `Retry-After` (seconds or HTTP date), then
/// `x-ratelimit-reset` (seconds), then "try again in N seconds" in Infisical's message.
fn server_delay(response: &Response<Bytes>) -> Option<Duration> {
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(value) = header("retry-after") {
        let value = value.trim();
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(at) = httpdate::parse_http_date(value) {
            return Some(at.duration_since(SystemTime::now()).unwrap_or_default());
        }
    }
    if let Some(secs) = header("x-ratelimit-reset").and_then(|v| v.trim().parse::<u64>().ok()) {
        return Some(Duration::from_secs(secs));
    }
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        return seconds_in_message(response.body());
    }
    None
}

/// `…try again in 12 seconds` → 12 s.
fn seconds_in_message(body: &[u8]) -> Option<Duration> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let message = value.get("message")?.as_str()?;
    let (_, rest) = message.split_once("try again in ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let unit = rest.get(digits.len()..).unwrap_or_default().trim_start();
    let n: u64 = digits.parse().ok()?;
    let secs = if unit.starts_with("minute") {
        n.saturating_mul(60)
    } else {
        n
    };
    Some(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Response<Bytes> {
        let mut builder = Response::builder().status(status);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Bytes::from(body.to_owned())).unwrap()
    }

    #[test]
    fn server_delays_in_every_form() {
        let secs = |r: &Response<Bytes>| server_delay(r).map(|d| d.as_secs());
        assert_eq!(secs(&answer(429, &[("retry-after", "7")], "")), Some(7));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let from_date = secs(&answer(503, &[("retry-after", &later)], "")).unwrap();
        assert!((118..=120).contains(&from_date), "{from_date}");
        assert_eq!(
            secs(&answer(429, &[("x-ratelimit-reset", "9")], "")),
            Some(9)
        );
        let message =
            r#"{"statusCode":429,"message":"Rate limit exceeded. Please try again in 12 seconds"}"#;
        assert_eq!(secs(&answer(429, &[], message)), Some(12));
        let minute =
            r#"{"message":"Rate limit exceeded, retry in 1 minute. Please try again in 1 minute"}"#;
        assert_eq!(secs(&answer(429, &[], minute)), Some(60));
        assert_eq!(secs(&answer(500, &[], "<html>")), None);
    }

    #[test]
    fn hostile_server_delays_never_panic() {
        let secs = |r: &Response<Bytes>| server_delay(r).map(|d| d.as_secs());
        let huge = u64::MAX.to_string();
        assert_eq!(
            secs(&answer(429, &[("retry-after", &huge)], "")),
            Some(u64::MAX)
        );
        for odd in [
            "-5",
            "1e9",
            "soon",
            "",
            "99999999999999999999999",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            let _ = server_delay(&answer(429, &[("retry-after", odd)], ""));
            let _ = server_delay(&answer(429, &[("x-ratelimit-reset", odd)], ""));
        }
        let past = "Thu, 01 Jan 1970 00:00:00 GMT";
        assert_eq!(secs(&answer(503, &[("retry-after", past)], "")), Some(0));
        let minutes = r#"{"message":"Please try again in 307445734561825861 minutes"}"#;
        assert_eq!(secs(&answer(429, &[], minutes)), Some(u64::MAX));
        let minus = r#"{"message":"Please try again in -3 seconds"}"#;
        assert_eq!(secs(&answer(429, &[], minus)), None);
    }

    #[test]
    fn only_safe_requests_are_retried() {
        let retried = |status: u16, idempotent: bool| {
            matches!(
                verdict(&Ok(answer(status, &[], "")), idempotent),
                Verdict::Retry { .. }
            )
        };
        assert!(retried(503, true) && !retried(503, false));
        assert!(retried(429, false), "a 429 was not processed");
        assert!(!retried(404, true) && !retried(501, true) && !retried(400, true));
        let connect: BoxError =
            TransportError::new(TransportErrorKind::Connect, "refused", None).into();
        assert!(matches!(
            verdict(&Err(connect), false),
            Verdict::Retry { .. }
        ));
        let reset: BoxError = TransportError::new(TransportErrorKind::Io, "reset", None).into();
        assert!(matches!(verdict(&Err(reset), false), Verdict::Done));
    }

    #[test]
    fn backoff_is_bounded_and_jittered() {
        let policy = RetryPolicy::new();
        for retry in 1..30 {
            assert!(policy.backoff(retry) <= Duration::from_secs(5));
        }
        assert!(policy.backoff(1) <= Duration::from_millis(200));
        let distinct: std::collections::HashSet<_> = (0..20).map(|_| policy.backoff(3)).collect();
        assert!(distinct.len() > 1, "jittered");
    }

    #[tokio::test]
    async fn the_deadline_is_enforced_here_unless_the_stack_below_does() {
        let slow = tower::service_fn(|_: Request<Bytes>| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok::<_, BoxError>(Response::new(Bytes::new()))
        });
        let layer = RetryLayer::new(RetryPolicy::new(), Some(Duration::from_millis(30)));
        let started = std::time::Instant::now();
        let error = layer
            .layer(slow)
            .oneshot(Request::new(Bytes::new()))
            .await
            .unwrap_err();
        assert!(error.to_string().contains("30ms deadline"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(2));

        // Trusting the stack below, this layer only hands the deadline down.
        let seen = Arc::new(std::sync::Mutex::new(None));
        let recorder = {
            let seen = seen.clone();
            tower::service_fn(move |request: Request<Bytes>| {
                let _ = &request;
                *seen.lock().unwrap() = Deadline::current().map(|d| d.limit);
                async { Ok::<_, BoxError>(Response::new(Bytes::new())) }
            })
        };
        let layer =
            RetryLayer::trusting_below(RetryPolicy::new(), Some(Duration::from_secs(7)), true);
        layer
            .layer(recorder)
            .oneshot(Request::new(Bytes::new()))
            .await
            .unwrap();
        assert_eq!(*seen.lock().unwrap(), Some(Duration::from_secs(7)));
    }

    #[test]
    fn the_budget_runs_out_and_refills() {
        let budget = RetryBudget::full();
        assert_eq!((0..20).filter(|_| budget.withdraw()).count(), 10);
        (0..10).for_each(|_| budget.refill());
        assert!(budget.withdraw());
        assert!(!budget.withdraw());
    }
}
