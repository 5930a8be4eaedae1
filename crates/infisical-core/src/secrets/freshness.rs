//! Whether an answer is live or came from the client's cache or offline copy.

use std::time::Duration;

/// Where an answer came from. Without a cache every answer is [`Live`](Freshness::Live).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Freshness {
    /// Just answered by the server.
    #[default]
    Live,
    /// From the cache, within its time to live.
    Cached {
        /// How long ago the server gave it.
        age: Duration,
    },
    /// From the cache after the server failed (unreachable or 5xx): possibly out of date.
    Stale {
        /// How long ago the server gave it.
        age: Duration,
    },
    /// From the client's offline copy on disk, after the server failed: possibly out of
    /// date, and possibly from before this process started.
    Offline {
        /// How long ago the server gave it.
        age: Duration,
    },
}

impl Freshness {
    /// Whether the answer was served because the server failed (from the cache or the
    /// offline copy).
    pub fn is_stale(&self) -> bool {
        matches!(self, Freshness::Stale { .. } | Freshness::Offline { .. })
    }

    /// How old a cached answer is; `None` for a live one.
    pub fn age(&self) -> Option<Duration> {
        match self {
            Freshness::Live => None,
            Freshness::Cached { age } | Freshness::Stale { age } | Freshness::Offline { age } => {
                Some(*age)
            }
        }
    }
}
