//! Typed settings kept current from a watch.

use super::{from_secrets, ConfigError};
use crate::secrets::{Conditional, ListSecrets, ListSecretsIfChanged, SecretList};
use crate::watch::{SecretWatch, WatchEvent};
use crate::{Client, Error};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::watch;

/// Why a [`Live`] value is not the folder's latest state.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum LiveError {
    /// The folder could not be read (unreachable, refused, …).
    Fetch(Arc<Error>),
    /// The folder was read, but its secrets do not fit the settings type.
    Config(ConfigError),
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiveError::Fetch(error) => write!(f, "cannot read the settings: {error}"),
            LiveError::Config(error) => write!(f, "the settings no longer fit: {error}"),
        }
    }
}

impl std::error::Error for LiveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LiveError::Fetch(error) => Some(&**error),
            LiveError::Config(error) => Some(error),
        }
    }
}

impl From<Error> for LiveError {
    fn from(error: Error) -> Self {
        LiveError::Fetch(Arc::new(error))
    }
}

/// A settings struct `T` kept current from a folder's secrets: read once at
/// [`start`](Live::start) (which fails if they do not fit `T`), then followed with a
/// [watch](crate::watch). A change that no longer fits `T` keeps the last good value and is
/// reported by [`last_error`](Live::last_error) (and logged), as is an outage.
///
/// [`current`](Live::current) is a cheap snapshot; [`subscribe`](Live::subscribe) gives a
/// `tokio::sync::watch` receiver that wakes on every new value. Dropping the `Live` stops
/// following.
///
/// ```no_run
/// # async fn run(client: infisical::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use infisical::secrets::ListSecrets;
/// use infisical::typed::Live;
/// use std::time::Duration;
///
/// #[derive(serde::Deserialize)]
/// struct Settings {
///     #[serde(rename = "RATE_LIMIT")]
///     rate_limit: u32,
/// }
///
/// let live: Live<Settings> =
///     Live::start(&client, ListSecrets::new("project-id", "prod"), Duration::from_secs(30)).await?;
/// println!("rate limit: {}", live.current().rate_limit);
/// let mut changes = live.subscribe();
/// while changes.changed().await.is_ok() {
///     println!("rate limit now: {}", changes.borrow_and_update().rate_limit);
/// }
/// # Ok(()) }
/// ```
pub struct Live<T> {
    current: watch::Receiver<Arc<T>>,
    error: Arc<Mutex<Option<LiveError>>>,
    task: tokio::task::JoinHandle<()>,
}

impl<T: DeserializeOwned + Send + Sync + 'static> Live<T> {
    /// Reads the folder once into `T`, then follows it every `interval` on the current
    /// tokio runtime.
    pub async fn start(
        client: &Client,
        request: ListSecrets,
        interval: Duration,
    ) -> Result<Self, LiveError> {
        let (first, watch) = Self::first_read(client, request, interval).await?;
        Ok(Self::follow(
            first,
            watch,
            &tokio::runtime::Handle::current(),
        ))
    }

    /// [`start`](Live::start) for the blocking client: the following runs on the client's
    /// own runtime, for as long as the `Live` lives.
    pub fn start_blocking(
        client: &crate::blocking::Client,
        request: ListSecrets,
        interval: Duration,
    ) -> Result<Self, LiveError> {
        let (first, watch) =
            client.block_on(Self::first_read(client.as_async(), request, interval))??;
        Ok(Self::follow(first, watch, client.runtime_handle()?))
    }

    async fn first_read(
        client: &Client,
        request: ListSecrets,
        interval: Duration,
    ) -> Result<(T, SecretWatch), LiveError> {
        let conditional = ListSecretsIfChanged::new(request);
        let Conditional::Modified { value, etag } = client.execute(&conditional).await? else {
            // Only an answer to a tag can be "not modified"; none was sent.
            return Err(
                Error::Config("the server answered 304 to an unconditional list".into()).into(),
            );
        };
        let parsed = from_secrets::<T>(&value).map_err(LiveError::Config)?;
        let tagged = match etag {
            Some(tag) => conditional.if_none_match(tag),
            None => conditional,
        };
        let watch = SecretWatch::resume(client, tagged, Some(value), interval);
        Ok((parsed, watch))
    }

    fn follow(first: T, mut watch: SecretWatch, runtime: &tokio::runtime::Handle) -> Self {
        let (sender, current) = watch::channel(Arc::new(first));
        let error = Arc::new(Mutex::new(None));
        let report = error.clone();
        let task = runtime.spawn(async move {
            while let Some(event) = watch.next().await {
                let (value, problem) = match event {
                    WatchEvent::Changed(set) => match parse::<T>(&set.secrets) {
                        Ok(value) => (Some(value), None),
                        Err(problem) => (None, Some(problem)),
                    },
                    WatchEvent::Stale(error) => (None, Some(LiveError::from(error))),
                    _ => (None, None),
                };
                if let Some(problem) = &problem {
                    tracing::warn!(error = %problem, "keeping the last good settings");
                }
                {
                    let mut slot = report.lock().unwrap_or_else(PoisonError::into_inner);
                    // A recovery clears an outage, only a good value clears a misfit; the
                    // slot is set before the value is published, so a subscriber woken by
                    // it sees the matching error.
                    let misfit = matches!(*slot, Some(LiveError::Config(_)));
                    if problem.is_some() || value.is_some() || !misfit {
                        *slot = problem;
                    }
                }
                if let Some(value) = value {
                    if sender.send(Arc::new(value)).is_err() {
                        return;
                    }
                }
            }
        });
        Self {
            current,
            error,
            task,
        }
    }
}

fn parse<T: DeserializeOwned>(list: &SecretList) -> Result<T, LiveError> {
    from_secrets(list).map_err(LiveError::Config)
}

impl<T> Live<T> {
    /// The latest settings that fit `T`.
    pub fn current(&self) -> Arc<T> {
        self.current.borrow().clone()
    }

    /// A receiver of every new value (`changed().await`, `borrow()`).
    pub fn subscribe(&self) -> watch::Receiver<Arc<T>> {
        self.current.clone()
    }

    /// Why the current value may not be the folder's latest state, if so: the last change
    /// did not fit `T` (until one does), or the folder cannot be read (until it can).
    pub fn last_error(&self) -> Option<LiveError> {
        self.error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl<T> Drop for Live<T> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<T> fmt::Debug for Live<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Live")
            .field("last_error", &self.last_error())
            .finish_non_exhaustive()
    }
}
