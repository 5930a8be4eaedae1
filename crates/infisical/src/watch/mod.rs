//! Live secrets: a folder followed as it changes.
//!
//! [`Secrets::watch`](crate::Secrets::watch) polls a folder with `If-None-Match`: an
//! unchanged folder costs one `304` per poll and no decode. Changes come as
//! [`WatchEvent`]s — on the async client a [`Stream`], on the blocking client an
//! [`Iterator`]:
//!
//! ```no_run
//! # async fn run(client: infisical::Client) -> Result<(), infisical::Error> {
//! use futures_util::StreamExt;
//! use infisical::watch::WatchEvent;
//! use std::time::Duration;
//!
//! let dev = client.project("project-id").environment("dev");
//! let mut changes = dev.secrets().watch(Duration::from_secs(30));
//! while let Some(event) = changes.next().await {
//!     match event {
//!         WatchEvent::Changed(set) => println!(
//!             "{} added, {} changed, {} removed",
//!             set.added.len(),
//!             set.changed.len(),
//!             set.removed.len()
//!         ),
//!         WatchEvent::Stale(error) => eprintln!("cannot reach Infisical ({error}); still polling"),
//!         WatchEvent::Recovered => eprintln!("Infisical is back"),
//!         _ => {}
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! - **Spread, not lockstep.** Each watch polls on a grid of its interval. The grids of one
//!   client's watches are spread evenly over the interval, from a random start per client,
//!   so neither many watches nor many replicas poll at once. The first poll comes within
//!   one interval ([`SecretWatch::first_poll_now`] to start at once).
//! - **Outages.** The first failed poll of an outage is reported once as
//!   [`WatchEvent::Stale`]; polls then back off (the interval doubling, up to
//!   [`SecretWatch::max_backoff`], on the grid) until one succeeds: [`WatchEvent::Recovered`],
//!   followed by the change set of what changed meanwhile. No storm, no error per poll.
//! - Tokens are renewed underneath by the client, and the client's retries apply to each
//!   poll. A value the server withheld stays withheld ([`Secret::value`](crate::secrets::Secret::value)).
//! - The stream ends when the client is closed.

mod changes;
mod schedule;

pub use changes::{ChangeSet, ChangedSecret};
pub(crate) use schedule::Spread;

use crate::secrets::{Conditional, ListSecrets, ListSecretsIfChanged, SecretList};
use crate::{Client, Error};
use futures_util::future::BoxFuture;
use futures_util::Stream;
use schedule::Schedule;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// The longest wait between polls during an outage, by default.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(300);

/// What a watch reports.
#[derive(Debug)]
#[non_exhaustive]
pub enum WatchEvent {
    /// The folder changed (the first event of a watch holds every secret as added).
    Changed(ChangeSet),
    /// A poll failed, the first of an outage: the last change set is still the latest
    /// known. Polls back off until one succeeds.
    Stale(Error),
    /// A poll succeeded after failures; a [`Changed`](WatchEvent::Changed) follows if
    /// the folder changed meanwhile.
    Recovered,
}

/// A folder's changes, as a [`Stream`] of [`WatchEvent`]s. Get one with
/// [`Secrets::watch`](crate::Secrets::watch) or a scoped handle's `watch`. `'static` and
/// `Send`: spawn it, or read it in place.
#[must_use = "a watch polls only while it is read"]
pub struct SecretWatch {
    poller: Option<Poller>,
    in_flight: Option<BoxFuture<'static, (Poller, Option<WatchEvent>)>>,
}

impl SecretWatch {
    pub(crate) fn new(client: &Client, request: ListSecrets, interval: Duration) -> Self {
        Self::resume(client, ListSecretsIfChanged::new(request), None, interval)
    }

    /// A watch that already knows the folder as `last`, listed by `request` (with its tag).
    pub(crate) fn resume(
        client: &Client,
        request: ListSecretsIfChanged,
        last: Option<SecretList>,
        interval: Duration,
    ) -> Self {
        let schedule = Schedule::new(
            Instant::now(),
            interval,
            client.watch_spread().phase(),
            DEFAULT_MAX_BACKOFF,
        );
        Self {
            poller: Some(Poller {
                client: client.clone(),
                request,
                next_at: schedule.first(),
                schedule,
                last,
                failures: 0,
                queued: None,
            }),
            in_flight: None,
        }
    }

    /// Polls the first time at once, instead of at this watch's place on the grid.
    pub fn first_poll_now(mut self) -> Self {
        if let Some(poller) = &mut self.poller {
            poller.next_at = Instant::now();
        }
        self
    }

    /// The longest wait between polls during an outage (default
    /// [`DEFAULT_MAX_BACKOFF`], 5 minutes; never less than the interval).
    pub fn max_backoff(mut self, ceiling: Duration) -> Self {
        if let Some(poller) = &mut self.poller {
            poller.schedule = poller.schedule.with_max_backoff(ceiling);
        }
        self
    }
}

impl Stream for SecretWatch {
    type Item = WatchEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<WatchEvent>> {
        let this = &mut *self;
        if this.in_flight.is_none() {
            let Some(poller) = this.poller.take() else {
                return Poll::Ready(None);
            };
            this.in_flight = Some(Box::pin(poller.next_event()));
        }
        let Some(in_flight) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        match in_flight.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((poller, event)) => {
                this.in_flight = None;
                // A watch whose client closed stays ended.
                if event.is_some() {
                    this.poller = Some(poller);
                }
                Poll::Ready(event)
            }
        }
    }
}

impl fmt::Debug for SecretWatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretWatch")
            .field("request", &self.poller.as_ref().map(|p| p.request.list()))
            .finish_non_exhaustive()
    }
}

/// One watch's state between events.
struct Poller {
    client: Client,
    request: ListSecretsIfChanged,
    schedule: Schedule,
    next_at: Instant,
    last: Option<SecretList>,
    /// Failed polls in a row.
    failures: u32,
    /// The change set to hand out after a `Recovered`.
    queued: Option<ChangeSet>,
}

impl Poller {
    /// Polls until there is something to report; `None` once the client is closed.
    async fn next_event(mut self) -> (Self, Option<WatchEvent>) {
        if let Some(set) = self.queued.take() {
            return (self, Some(WatchEvent::Changed(set)));
        }
        loop {
            tokio::time::sleep_until(self.next_at).await;
            let answer = self.client.execute(&self.request).await;
            let now = Instant::now();
            let answer = match answer {
                Err(Error::Closed) => return (self, None),
                Err(error) => {
                    self.failures = self.failures.saturating_add(1);
                    self.next_at = self.schedule.after_failures(now, self.failures);
                    if self.failures == 1 {
                        tracing::warn!(error = %error, "a watched folder cannot be read; backing off");
                        return (self, Some(WatchEvent::Stale(error)));
                    }
                    continue;
                }
                Ok(answer) => answer,
            };
            let recovered = std::mem::take(&mut self.failures) > 0;
            self.next_at = self.schedule.next(now);
            let change = match answer {
                Conditional::NotModified => None,
                Conditional::Modified { value, etag } => self.absorb(value, etag),
            };
            if recovered {
                self.queued = change;
                return (self, Some(WatchEvent::Recovered));
            }
            if let Some(set) = change {
                return (self, Some(WatchEvent::Changed(set)));
            }
        }
    }

    /// Takes in a new list and its tag; the change set, unless nothing changed (the first
    /// list is always one).
    fn absorb(&mut self, list: SecretList, etag: Option<String>) -> Option<ChangeSet> {
        let plain = ListSecretsIfChanged::new(self.request.list().clone());
        self.request = match etag {
            Some(tag) => plain.if_none_match(tag),
            None => plain,
        };
        let first = self.last.is_none();
        let set = ChangeSet::between(self.last.as_ref(), list.clone());
        self.last = Some(list);
        (first || !set.is_empty()).then_some(set)
    }
}

impl crate::Secrets<'_> {
    /// Follows a folder's secrets, polling every `interval` (at least 10 ms): see the
    /// [module](crate::watch) docs. The watch holds a clone of the client.
    pub fn watch(self, request: ListSecrets, interval: Duration) -> SecretWatch {
        SecretWatch::new(self.client, request, interval)
    }
}

/// A folder's changes on the blocking client: an [`Iterator`] of [`WatchEvent`]s, each
/// `next` waiting for the next event.
#[derive(Debug)]
#[must_use = "a watch polls only while it is read"]
pub struct BlockingSecretWatch {
    client: crate::blocking::Client,
    watch: Option<SecretWatch>,
}

impl Iterator for BlockingSecretWatch {
    type Item = WatchEvent;

    fn next(&mut self) -> Option<WatchEvent> {
        use futures_util::StreamExt;
        let watch = self.watch.as_mut()?;
        match self.client.block_on(watch.next()) {
            Ok(event) => event,
            // Waiting here would stall the caller's runtime: said once, then the end.
            Err(error) => {
                self.watch = None;
                Some(WatchEvent::Stale(error))
            }
        }
    }
}

impl crate::blocking::Secrets<'_> {
    /// Follows a folder's secrets, polling every `interval`; see
    /// [`Secrets::watch`](crate::Secrets::watch).
    pub fn watch(self, request: ListSecrets, interval: Duration) -> BlockingSecretWatch {
        BlockingSecretWatch {
            client: self.client.clone(),
            watch: Some(SecretWatch::new(self.client.as_async(), request, interval)),
        }
    }
}

impl BlockingSecretWatch {
    /// Polls the first time at once; see [`SecretWatch::first_poll_now`].
    pub fn first_poll_now(mut self) -> Self {
        self.watch = self.watch.map(SecretWatch::first_poll_now);
        self
    }
}
