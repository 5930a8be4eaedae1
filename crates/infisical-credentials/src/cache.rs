//! A token cache: refresh ahead of expiry, one refresh in flight, invalidation by generation.

use crate::{AccessToken, BoxFuture, Clock, SystemClock, TokenLease, TokenSource};
use infisical_core::{CredentialsError, CredentialsErrorKind};
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How a [`TokenCache`] obtains a new token.
pub trait Refresh: Send + Sync + fmt::Debug {
    /// A new token. `previous` is the current token when it was not rejected, so that the
    /// implementation can renew it instead of logging in again.
    fn refresh<'a>(
        &'a self,
        previous: Option<&'a AccessToken>,
    ) -> BoxFuture<'a, Result<AccessToken, CredentialsError>>;

    /// Gives up `token` for good (for example revoking it on the server).
    fn revoke<'a>(
        &'a self,
        _token: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), CredentialsError>> {
        Box::pin(async { Ok(()) })
    }

    /// A short name for logs and errors.
    fn name(&self) -> &'static str;
}

/// The longest refresh buffer: a token is refreshed at the latest this long before expiry.
const MAX_BUFFER: Duration = Duration::from_secs(60);

/// The wait after the first failed refresh; it doubles with each further failure.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

/// The longest wait between failed refreshes.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

#[derive(Default)]
struct State {
    current: Option<Cached>,
    generation: u64,
    /// Consecutive failed refreshes, and when the next may be tried.
    failures: u32,
    retry_at: Option<SystemTime>,
    last_failure: Option<(CredentialsErrorKind, String)>,
}

#[derive(Clone)]
struct Cached {
    token: Arc<AccessToken>,
    generation: u64,
    refresh_at: Option<SystemTime>,
    rejected: bool,
}

/// Holds the current token and refreshes it through a [`Refresh`].
///
/// - On the fast path a call takes a read lock for a few instructions; no lock is held
///   across I/O.
/// - A token is refreshed ahead of its expiry: a fifth of its lifetime before, at most 60 s,
///   with a little jitter so that many clients do not refresh at the same instant.
/// - One refresh is in flight at a time; callers arriving meanwhile wait for it, or use
///   the old token while it is still valid.
/// - A failed refresh while the old token is still valid keeps the old token; errors are
///   not cached, but after a failure the next refresh waits (0.5 s, doubling up to 30 s),
///   and calls during that wait fail at once, so a burst of requests cannot hammer the
///   login route.
/// - [`invalidate`](TokenSource::invalidate) drops a token only if it is the generation
///   that was rejected.
pub struct TokenCache<R> {
    refresher: R,
    clock: Arc<dyn Clock>,
    state: RwLock<State>,
    refreshing: tokio::sync::Mutex<()>,
}

impl<R: Refresh> TokenCache<R> {
    /// A cache using the system clock.
    pub fn new(refresher: R) -> Self {
        Self::with_clock(refresher, Arc::new(SystemClock))
    }

    /// A cache using `clock` (tests move time with a [`ManualClock`](crate::ManualClock)).
    pub fn with_clock(refresher: R, clock: Arc<dyn Clock>) -> Self {
        Self {
            refresher,
            clock,
            state: RwLock::new(State::default()),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The refresher.
    pub fn refresher(&self) -> &R {
        &self.refresher
    }

    /// The refresher, to configure it before first use.
    pub(crate) fn refresher_mut(&mut self) -> &mut R {
        &mut self.refresher
    }

    /// The current token, if one is held (valid or not).
    pub fn current(&self) -> Option<Arc<AccessToken>> {
        self.read().current.as_ref().map(|c| c.token.clone())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    fn usable(&self, cached: &Cached, now: SystemTime) -> bool {
        !cached.rejected && cached.token.expires_at().is_none_or(|exp| now < exp)
    }

    fn fresh(&self, cached: &Cached, now: SystemTime) -> bool {
        self.usable(cached, now) && cached.refresh_at.is_none_or(|at| now < at)
    }

    /// The current token, if `accept` takes it now: a read lock for a few instructions and
    /// one reference count.
    fn lease_if(&self, accept: fn(&Self, &Cached, SystemTime) -> bool) -> Option<TokenLease> {
        let now = self.clock.now();
        let state = self.read();
        state
            .current
            .as_ref()
            .filter(|cached| accept(self, cached, now))
            .map(lease)
    }

    async fn get(&self) -> Result<TokenLease, CredentialsError> {
        // The fast path: a fresh token.
        if let Some(fresh) = self.lease_if(Self::fresh) {
            return Ok(fresh);
        }
        let usable = self.lease_if(Self::usable);
        if let Some(still_valid) = usable {
            // Due for refresh but still valid: refresh unless someone already is.
            match self.refreshing.try_lock() {
                Ok(guard) => return self.refresh_locked(guard).await,
                Err(_) => return Ok(still_valid),
            }
        }
        let guard = self.refreshing.lock().await;
        self.refresh_locked(guard).await
    }

    async fn refresh_locked(
        &self,
        _guard: tokio::sync::MutexGuard<'_, ()>,
    ) -> Result<TokenLease, CredentialsError> {
        let now = self.clock.now();
        let existing = self.read().current.clone();
        if let Some(cached) = &existing {
            if self.fresh(cached, now) {
                return Ok(lease(cached));
            }
        }
        let usable = existing.filter(|c| self.usable(c, now));
        if let Some(wait) = self.backing_off(now) {
            return match usable {
                Some(still_valid) => Ok(lease(&still_valid)),
                None => Err(self.backoff_error(wait)),
            };
        }
        let renewable = usable.as_ref().map(|c| c.token.clone());
        match self.refresher.refresh(renewable.as_deref()).await {
            Ok(token) => Ok(self.store(token)),
            Err(err) => match self.failed(&err, usable) {
                Some(still_valid) => {
                    tracing::warn!(
                        provider = self.refresher.name(),
                        error = %err,
                        "token refresh failed; using the current token until it expires"
                    );
                    Ok(lease(&still_valid))
                }
                None => Err(err),
            },
        }
    }

    /// How long refreshes are still held back after failures, if they are.
    fn backing_off(&self, now: SystemTime) -> Option<Duration> {
        self.read().retry_at?.duration_since(now).ok()
    }

    fn backoff_error(&self, wait: Duration) -> CredentialsError {
        let state = self.read();
        let (kind, message) = state
            .last_failure
            .clone()
            .unwrap_or((CredentialsErrorKind::Unavailable, "login failed".to_owned()));
        CredentialsError::new(
            kind,
            self.refresher.name(),
            format!(
                "{message} (after {} failed attempts; next attempt in {} ms)",
                state.failures,
                wait.as_millis()
            ),
        )
    }

    /// Records a failed refresh; answers the old token if it is still usable.
    fn failed(&self, err: &CredentialsError, usable: Option<Cached>) -> Option<Cached> {
        let now = self.clock.now();
        let mut state = self.write();
        state.failures = state.failures.saturating_add(1);
        let exponent = state.failures.saturating_sub(1).min(16);
        let wait = FIRST_BACKOFF.saturating_mul(1 << exponent).min(MAX_BACKOFF);
        state.retry_at = Some(now.checked_add(wait).unwrap_or(now));
        state.last_failure = Some((err.kind(), err.message().to_owned()));
        usable.filter(|c| self.usable(c, now))
    }

    fn store(&self, token: AccessToken) -> TokenLease {
        let now = self.clock.now();
        let refresh_at = token.expires_at().map(|exp| refresh_time(now, exp));
        let mut state = self.write();
        state.failures = 0;
        state.retry_at = None;
        state.last_failure = None;
        state.generation = state.generation.wrapping_add(1);
        let cached = Cached {
            token: Arc::new(token),
            generation: state.generation,
            refresh_at,
            rejected: false,
        };
        let lease = lease(&cached);
        state.current = Some(cached);
        tracing::debug!(
            provider = self.refresher.name(),
            generation = state.generation,
            "obtained a new access token"
        );
        lease
    }

    fn reject(&self, generation: u64) {
        let mut state = self.write();
        if let Some(cached) = state.current.as_mut() {
            if cached.generation == generation {
                cached.rejected = true;
            }
        }
    }

    async fn give_up(&self) -> Result<(), CredentialsError> {
        let _guard = self.refreshing.lock().await;
        let taken = self.write().current.take();
        match taken {
            Some(cached) if !cached.rejected => self.refresher.revoke(&cached.token).await,
            _ => Ok(()),
        }
    }
}

fn lease(cached: &Cached) -> TokenLease {
    TokenLease::new(cached.token.clone(), cached.generation)
}

/// When to refresh a token obtained `now` that expires at `expires_at`.
fn refresh_time(now: SystemTime, expires_at: SystemTime) -> SystemTime {
    let lifetime = expires_at.duration_since(now).unwrap_or_default();
    let buffer = lifetime.checked_div(5).unwrap_or_default().min(MAX_BUFFER);
    // Up to 10% more, varying between processes and tokens.
    let nanos = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()));
    let jitter = buffer.mul_f64((nanos % 1000) as f64 / 10_000.0);
    let ahead = buffer.saturating_add(jitter).min(lifetime);
    expires_at.checked_sub(ahead).unwrap_or(now)
}

impl<R: Refresh> TokenSource for TokenCache<R> {
    fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>> {
        Box::pin(self.get())
    }

    fn ready(&self) -> Option<TokenLease> {
        self.lease_if(Self::fresh)
    }

    fn invalidate(&self, generation: u64) {
        self.reject(generation);
    }

    fn close(&self) -> BoxFuture<'_, Result<(), CredentialsError>> {
        Box::pin(self.give_up())
    }

    fn name(&self) -> &'static str {
        self.refresher.name()
    }
}

impl<R: fmt::Debug> fmt::Debug for TokenCache<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("TokenCache")
            .field("refresher", &self.refresher)
            .field("generation", &state.generation)
            .field("has_token", &state.current.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ManualClock;
    use infisical_core::SecretString;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug)]
    struct Counting {
        attempts: AtomicUsize,
        calls: AtomicUsize,
        renewals: AtomicUsize,
        clock: Arc<ManualClock>,
        fail: std::sync::atomic::AtomicBool,
    }

    impl Refresh for Counting {
        fn refresh<'a>(
            &'a self,
            previous: Option<&'a AccessToken>,
        ) -> BoxFuture<'a, Result<AccessToken, CredentialsError>> {
            Box::pin(async move {
                tokio::task::yield_now().await;
                self.attempts.fetch_add(1, Ordering::SeqCst);
                if self.fail.load(Ordering::SeqCst) {
                    return Err(CredentialsError::new(
                        CredentialsErrorKind::Unavailable,
                        "test",
                        "down",
                    ));
                }
                if previous.is_some() {
                    self.renewals.fetch_add(1, Ordering::SeqCst);
                }
                let n = self.calls.fetch_add(1, Ordering::SeqCst);
                let exp = self.clock.now() + Duration::from_secs(100);
                Ok(AccessToken::new(
                    SecretString::new(format!("t{n}")),
                    Some(exp),
                ))
            })
        }

        fn name(&self) -> &'static str {
            "test"
        }
    }

    fn cache() -> (Arc<TokenCache<Counting>>, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new(
            UNIX_EPOCH + Duration::from_secs(1_000_000),
        ));
        let refresher = Counting {
            attempts: AtomicUsize::new(0),
            calls: AtomicUsize::new(0),
            renewals: AtomicUsize::new(0),
            clock: clock.clone(),
            fail: false.into(),
        };
        (
            Arc::new(TokenCache::with_clock(refresher, clock.clone())),
            clock,
        )
    }

    #[tokio::test(flavor = "current_thread")]
    async fn one_refresh_for_many_waiters() {
        let (cache, _) = cache();
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.token().await.unwrap().generation() })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 1);
        }
        assert_eq!(cache.refresher().calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn refreshes_ahead_of_expiry_by_renewing() {
        let (cache, clock) = cache();
        let first = cache.token().await.unwrap();
        clock.advance(Duration::from_secs(50));
        assert_eq!(
            cache.token().await.unwrap().generation(),
            first.generation()
        );
        clock.advance(Duration::from_secs(35)); // 15 s left: inside the buffer
        let second = cache.token().await.unwrap();
        assert_eq!(second.generation(), 2);
        assert_eq!(cache.refresher().renewals.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_ready_token_is_only_one_that_needs_no_login_nor_refresh() {
        let (cache, clock) = cache();
        assert!(cache.ready().is_none(), "nothing held yet");
        let first = cache.token().await.unwrap();
        let ready = cache.ready().expect("a fresh token");
        assert_eq!(ready.generation(), first.generation());
        assert_eq!(ready.token().expose(), first.token().expose());
        clock.advance(Duration::from_secs(85)); // 15 s left: due for refresh
        assert!(cache.ready().is_none(), "due for refresh: through token()");
        assert_eq!(cache.token().await.unwrap().generation(), 2);
        assert_eq!(cache.ready().map(|l| l.generation()), Some(2));
        cache.invalidate(2);
        assert!(cache.ready().is_none(), "rejected");
        assert_eq!(cache.token().await.unwrap().generation(), 3);
        clock.advance(Duration::from_secs(200));
        assert!(cache.ready().is_none(), "expired");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn stale_invalidation_is_ignored_and_rejection_forces_login() {
        let (cache, _) = cache();
        let first = cache.token().await.unwrap();
        cache.invalidate(first.generation());
        let second = cache.token().await.unwrap();
        assert_eq!(second.generation(), 2);
        // A rejected token is not renewed: a fresh login.
        assert_eq!(cache.refresher().renewals.load(Ordering::SeqCst), 0);
        cache.invalidate(first.generation()); // stale: ignored
        assert_eq!(cache.token().await.unwrap().generation(), 2);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn failed_refresh_keeps_a_valid_token_and_errors_are_not_cached() {
        let (cache, clock) = cache();
        cache.token().await.unwrap();
        cache.refresher().fail.store(true, Ordering::SeqCst);
        clock.advance(Duration::from_secs(90));
        assert_eq!(cache.token().await.unwrap().generation(), 1);
        clock.advance(Duration::from_secs(20)); // expired now, and past the backoff
        assert!(cache.token().await.is_err());
        cache.refresher().fail.store(false, Ordering::SeqCst);
        clock.advance(Duration::from_secs(2)); // past the second backoff
        assert_eq!(cache.token().await.unwrap().generation(), 2);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn repeated_failures_back_off() {
        let (cache, clock) = cache();
        cache.refresher().fail.store(true, Ordering::SeqCst);
        let attempts = || cache.refresher().attempts.load(Ordering::SeqCst);
        for _ in 0..100 {
            assert!(cache.token().await.is_err());
        }
        assert_eq!(
            attempts(),
            1,
            "a burst right after a failure makes no new attempt"
        );
        let err = cache.token().await.unwrap_err();
        assert!(err.to_string().contains("next attempt in"), "{err}");
        assert_eq!(err.kind(), CredentialsErrorKind::Unavailable);
        clock.advance(Duration::from_millis(600)); // first wait: 0.5 s
        assert!(cache.token().await.is_err());
        assert_eq!(attempts(), 2);
        clock.advance(Duration::from_millis(600)); // second wait: 1 s
        assert!(cache.token().await.is_err());
        assert_eq!(attempts(), 2);
        clock.advance(Duration::from_millis(500));
        cache.refresher().fail.store(false, Ordering::SeqCst);
        assert!(cache.token().await.is_ok());
        assert_eq!(attempts(), 3);
    }
}
