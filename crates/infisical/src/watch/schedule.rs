//! When a watch polls: on a grid of its interval, at a phase that spreads a client's
//! watches evenly over the interval — golden-ratio steps from a random start per client,
//! so that neither the watches of one client nor replicas of one service poll in
//! lockstep — and, after failures, on later grid points, doubling up to a ceiling.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// 1/φ: the multiples of it, modulo 1, stay evenly spread however many there are (the
/// gap between any two of the first `n` is at least about `1/(2.6 n)`).
const STEP: f64 = 0.618_033_988_749_894_9;

/// The shortest interval a watch polls at.
pub(crate) const MIN_INTERVAL: Duration = Duration::from_millis(10);

/// The phases of one client's watches.
#[derive(Debug)]
pub(crate) struct Spread {
    seed: f64,
    next: AtomicU64,
}

impl Spread {
    /// A random start, so that replicas differ.
    pub(crate) fn new() -> Self {
        Self::seeded(fastrand::f64())
    }

    pub(crate) fn seeded(seed: f64) -> Self {
        Self {
            seed,
            next: AtomicU64::new(0),
        }
    }

    /// The phase of the next watch, in `[0, 1)` of its interval.
    pub(crate) fn phase(&self) -> f64 {
        let k = self.next.fetch_add(1, Ordering::Relaxed);
        // Exact for the first 2^53 watches; the fraction keeps it in [0, 1).
        (self.seed + (k as f64) * STEP).fract()
    }
}

/// One watch's grid: `origin + k × interval` for whole `k`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Schedule {
    origin: Instant,
    interval: Duration,
    max_backoff: Duration,
}

impl Schedule {
    /// A grid starting `phase` of an interval after `start`.
    pub(crate) fn new(
        start: Instant,
        interval: Duration,
        phase: f64,
        max_backoff: Duration,
    ) -> Self {
        let interval = interval.max(MIN_INTERVAL);
        Self {
            origin: start + interval.mul_f64(phase.clamp(0.0, 1.0)),
            interval,
            max_backoff: max_backoff.max(interval),
        }
    }

    /// The same grid with another backoff ceiling (never less than the interval).
    pub(crate) fn with_max_backoff(mut self, ceiling: Duration) -> Self {
        self.max_backoff = ceiling.max(self.interval);
        self
    }

    /// The first poll: the grid's first point.
    pub(crate) fn first(&self) -> Instant {
        self.origin
    }

    /// The first grid point at least `wait` after `now` (and after it, strictly).
    fn point_after(&self, now: Instant, wait: Duration) -> Instant {
        let earliest = now + wait;
        if earliest < self.origin {
            return self.origin;
        }
        let elapsed = earliest.duration_since(self.origin).as_nanos();
        let step = self.interval.as_nanos().max(1);
        let k = elapsed / step + 1;
        let offset = u64::try_from(k.saturating_mul(step)).unwrap_or(u64::MAX);
        self.origin + Duration::from_nanos(offset)
    }

    /// The next poll after a success at `now`.
    pub(crate) fn next(&self, now: Instant) -> Instant {
        self.point_after(now, Duration::ZERO)
    }

    /// The next poll after `failures` (≥ 1) failures in a row: the interval doubling with
    /// each, up to the ceiling, then on the grid (so a client's watches stay spread out
    /// when they all fail at once).
    pub(crate) fn after_failures(&self, now: Instant, failures: u32) -> Instant {
        let doubling = 2u32.saturating_pow(failures.saturating_sub(1).min(20));
        let wait = self.interval.saturating_mul(doubling).min(self.max_backoff);
        self.point_after(now, wait.saturating_sub(self.interval))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thousand_watches_of_one_client_never_poll_within_a_millisecond() {
        // One minute at a 10 s interval: 6,000 polls, each watch on its own grid.
        let interval = Duration::from_secs(10);
        let start = Instant::now();
        for seed in [0.0, 0.37, 0.999] {
            let spread = Spread::seeded(seed);
            let mut polls: Vec<Duration> = Vec::new();
            for _ in 0..1000 {
                let schedule = Schedule::new(start, interval, spread.phase(), interval);
                let mut at = schedule.first();
                while at < start + Duration::from_secs(60) {
                    polls.push(at - start);
                    at = schedule.next(at);
                }
            }
            polls.sort();
            assert_eq!(polls.len(), 6000);
            let closest = polls.windows(2).map(|w| w[1] - w[0]).min().unwrap();
            assert!(
                closest >= Duration::from_millis(1),
                "{closest:?} at seed {seed}"
            );
        }
    }

    #[test]
    fn polls_stay_on_the_grid_and_back_off_by_doubling_to_the_ceiling() {
        let start = Instant::now();
        let s = Schedule::new(start, Duration::from_secs(1), 0.5, Duration::from_secs(8));
        assert_eq!(s.first(), start + Duration::from_millis(500));
        let t = s.first();
        assert_eq!(s.next(t), t + Duration::from_secs(1));
        assert_eq!(
            s.next(t + Duration::from_millis(300)),
            t + Duration::from_secs(1)
        );
        let waits: Vec<_> = (1..=6).map(|f| s.after_failures(t, f) - t).collect();
        let secs: Vec<u64> = waits.iter().map(Duration::as_secs).collect();
        assert_eq!(secs, [1, 2, 4, 8, 8, 8]);
        // Hostile settings: a zero interval is the minimum; huge failure counts saturate.
        let z = Schedule::new(start, Duration::ZERO, 2.0, Duration::ZERO);
        assert_eq!(z.next(z.first()) - z.first(), MIN_INTERVAL);
        assert!(z.after_failures(start, u32::MAX) > start);
    }
}
