//! An opt-in cache of secret reads, with stale-if-error.

use crate::secrets::{Freshness, GetSecret, ListSecrets, Secret, SecretList};
use crate::Error;
use futures_util::future::Either;
use futures_util::FutureExt;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the client caches secret reads (`ClientBuilder::secret_cache`).
///
/// - Answers of `list` and `get` are kept for `ttl`, keyed by **every** parameter of the
///   request (project, environment, path, recursion, reference expansion, imports, tags,
///   name, version, type): two requests share an entry only if they are equal.
/// - A write through the same client (create, update, delete, batches) forgets the cached
///   answers of its project, so a client always reads its own writes. (References and
///   imports never cross projects, so other projects' answers stay.)
/// - **Stale if error**: when the server is unreachable or answers 5xx, the last good answer
///   is served for up to `max_stale` past its `ttl`, marked
///   [`Freshness::Stale`](crate::secrets::Freshness) and logged as a warning.
/// - At most `max_entries` answers are kept; the oldest goes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheConfig {
    ttl: Duration,
    max_stale: Duration,
    max_entries: usize,
}

impl Default for CacheConfig {
    /// 60 s fresh, served stale for up to 10 minutes more, 1024 entries.
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(60),
            max_stale: Duration::from_secs(600),
            max_entries: 1024,
        }
    }
}

impl CacheConfig {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long an answer is served without asking the server.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How long past its `ttl` an answer may still be served when the server fails
    /// (`Duration::ZERO`: never stale).
    pub fn max_stale(mut self, max_stale: Duration) -> Self {
        self.max_stale = max_stale;
        self
    }

    /// The most answers kept (at least 1).
    pub fn max_entries(mut self, max_entries: usize) -> Self {
        self.max_entries = max_entries.max(1);
        self
    }
}

/// What an answer is cached under: the whole request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum CacheKey {
    List(ListSecrets),
    Get(GetSecret),
}

impl CacheKey {
    fn project_id(&self) -> &str {
        match self {
            CacheKey::List(request) => request.project_id(),
            CacheKey::Get(request) => request.project_id(),
        }
    }
}

struct Entry {
    value: Arc<dyn Any + Send + Sync>,
    stored_at: Instant,
}

/// Answers that can say where they came from.
pub(crate) trait Fresh: Clone + Send + Sync + 'static {
    fn with_freshness(self, freshness: Freshness) -> Self;
    #[cfg_attr(not(feature = "offline"), allow(dead_code))]
    fn freshness(&self) -> Freshness;
}

macro_rules! fresh {
    ($($ty:ty),*) => {$(
        impl Fresh for $ty {
            fn with_freshness(mut self, freshness: Freshness) -> Self {
                self.freshness = freshness;
                self
            }

            fn freshness(&self) -> Freshness {
                self.freshness
            }
        }
    )*};
}

fresh!(SecretList, Secret);

/// The cache of one client (shared by its clones).
pub(crate) struct SecretCache {
    config: CacheConfig,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    entries: HashMap<CacheKey, Entry>,
    /// Per project, how many times its answers were forgotten: an answer fetched before a
    /// write landed is not stored after it (a client reads its own writes, whatever the
    /// interleaving).
    generations: HashMap<String, u64>,
}

impl State {
    fn generation(&self, project_id: &str) -> u64 {
        self.generations.get(project_id).copied().unwrap_or(0)
    }
}

impl SecretCache {
    pub(crate) fn new(config: CacheConfig) -> Self {
        Self {
            config,
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lookup<T: Fresh>(&self, key: &CacheKey) -> Option<(T, Duration)> {
        let state = self.state();
        let entry = state.entries.get(key)?;
        let value = entry.value.downcast_ref::<T>()?.clone();
        Some((value, entry.stored_at.elapsed()))
    }

    /// Stores `value`, unless its project's answers were forgotten since `generation`.
    fn store<T: Fresh>(&self, key: CacheKey, value: T, generation: u64) {
        let mut state = self.state();
        if state.generation(key.project_id()) != generation {
            return;
        }
        let entries = &mut state.entries;
        let keep = self.config.ttl + self.config.max_stale;
        entries.retain(|_, e| e.stored_at.elapsed() <= keep);
        if entries.len() >= self.config.max_entries && !entries.contains_key(&key) {
            let oldest = entries
                .iter()
                .min_by_key(|(_, e)| e.stored_at)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                entries.remove(&oldest);
            }
        }
        let entry = Entry {
            value: Arc::new(value),
            stored_at: Instant::now(),
        };
        entries.insert(key, entry);
    }

    /// Forgets the answers about `project_id` (after a write to it), including those being
    /// fetched right now.
    pub(crate) fn forget_project(&self, project_id: &str) {
        let mut state = self.state();
        state
            .entries
            .retain(|key, _| key.project_id() != project_id);
        let generation = state.generations.entry(project_id.to_owned()).or_default();
        *generation = generation.wrapping_add(1);
    }

    /// The cached answer if fresh; else the server's, cached; else, if the server failed,
    /// the cached answer while it may be served stale. The cache is looked up when this is
    /// called (from the body of an operation's `async fn`, so when the caller's future is
    /// first polled, as before).
    ///
    /// Not an `async fn`, which would hold `fetch` twice (as its argument and as the
    /// future it awaits): the fetch is mapped in place.
    pub(crate) fn read<'a, T, F>(
        &'a self,
        key: CacheKey,
        fetch: F,
    ) -> impl Future<Output = Result<T, Error>> + 'a
    where
        T: Fresh + 'a,
        F: Future<Output = Result<T, Error>> + 'a,
    {
        match self.lookup::<T>(&key) {
            Some((value, age)) if age <= self.config.ttl => Either::Left(std::future::ready(Ok(
                value.with_freshness(Freshness::Cached { age }),
            ))),
            _ => {
                let generation = self.state().generation(key.project_id());
                Either::Right(fetch.map(move |fetched| self.settle(key, generation, fetched)))
            }
        }
    }

    /// What the server answered, stored; or, when it failed, the cached answer while it
    /// may be served stale.
    fn settle<T: Fresh>(
        &self,
        key: CacheKey,
        generation: u64,
        fetched: Result<T, Error>,
    ) -> Result<T, Error> {
        match fetched {
            Ok(value) => {
                self.store(key, value.clone(), generation);
                Ok(value)
            }
            Err(error) if server_failed(&error) => match self.lookup::<T>(&key) {
                Some((value, age)) if age <= self.config.ttl + self.config.max_stale => {
                    tracing::warn!(
                        age_ms = age.as_millis() as u64,
                        %error,
                        "the server failed; serving a stale cached answer"
                    );
                    Ok(value.with_freshness(Freshness::Stale { age }))
                }
                _ => Err(error),
            },
            Err(error) => Err(error),
        }
    }
}

/// Unreachable, timed out, or a retryable status (408, 429, 500, 502, 503, 504, the one
/// list of [`is_retryable_status`](infisical_core::is_retryable_status)), whether the
/// failing request was the read or the login it needed: the cases where an old answer beats no answer. Never a refusal (a
/// rejected login, a 401/403): a revoked identity loses access.
pub(crate) fn server_failed(error: &Error) -> bool {
    match error {
        Error::Transport(_) => error.is_retryable(),
        Error::Api(api) => api.is_retryable(),
        Error::Credentials(login) => {
            login.kind() == crate::CredentialsErrorKind::Unavailable && login.is_retryable()
        }
        _ => false,
    }
}

impl std::fmt::Debug for SecretCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretCache")
            .field("config", &self.config)
            .field("entries", &self.state().entries.len())
            .finish()
    }
}
