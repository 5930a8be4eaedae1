//! Timers kept between requests, one per thread, and moved to each new deadline.
//!
//! Arming a new tokio timer takes the time driver's lock and, when no other timer is
//! pending — a program making one call at a time —, wakes the thread parked in the I/O
//! driver so that it re-arms its own wait: a write to an eventfd, another `epoll_wait`
//! round and a futex wake, per request (`docs/performance.md`). Moving an armed timer's
//! deadline later is one atomic operation: tokio leaves the timer where it is in its wheel
//! and moves it only when its old deadline comes. So a request takes the timer its thread
//! kept from the last one, moves it to its own deadline, and gives it back when done.
//!
//! A kept timer belongs to the runtime that made it: it is only reused in that runtime
//! (a runtime that has shut down cannot serve a timer), and only while the thread keeps
//! it. Between requests it stays armed for the last one's deadline; when that comes, it
//! wakes the last task that polled it once, which a future must tolerate anyway (until
//! then it holds that task's waker: one finished task's memory per thread, at most).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::runtime::{Handle, Id};
use tokio::time::{Instant, Sleep};

thread_local! {
    /// The timer this thread kept from its last request.
    static SPARE: Cell<Option<Kept>> = const { Cell::new(None) };
}

/// A timer and the runtime whose driver serves it.
struct Kept {
    runtime: Id,
    sleep: Pin<Box<Sleep>>,
}

/// A timer that fires at a deadline; dropped, it is kept for the thread's next request.
pub(crate) struct SpareTimer {
    kept: Option<Kept>,
}

impl SpareTimer {
    /// A timer firing at `at`, served by the current runtime (which must exist, as for
    /// any tokio timer).
    pub(crate) fn at(at: Instant) -> Self {
        let runtime = Handle::current().id();
        let spare = SPARE
            .try_with(Cell::take)
            .ok()
            .flatten()
            .filter(|kept| kept.runtime == runtime);
        match spare {
            Some(mut kept) => {
                kept.sleep.as_mut().reset(at);
                Self { kept: Some(kept) }
            }
            None => Self {
                kept: Some(Kept {
                    runtime,
                    sleep: Box::pin(tokio::time::sleep_until(at)),
                }),
            },
        }
    }

    /// Where its timer lives (the same place for a reused timer), and which runtime serves
    /// it.
    #[cfg(test)]
    fn identity(&self) -> Option<(*const Sleep, Id)> {
        self.kept
            .as_ref()
            .map(|kept| (&*kept.sleep as *const Sleep, kept.runtime))
    }
}

impl Future for SpareTimer {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.kept.as_mut() {
            Some(kept) => kept.sleep.as_mut().poll(cx),
            None => Poll::Pending,
        }
    }
}

impl Drop for SpareTimer {
    fn drop(&mut self) {
        if let Some(kept) = self.kept.take() {
            // Keeps one timer per thread; a thread that is exiting keeps none.
            let _ = SPARE.try_with(|spare| spare.replace(Some(kept)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn current_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    #[test]
    fn a_thread_reuses_its_timer_and_it_still_fires_on_time() {
        current_thread().block_on(async {
            let first = SpareTimer::at(Instant::now() + Duration::from_secs(30));
            let identity = first.identity();
            drop(first);
            for _ in 0..3 {
                let started = Instant::now();
                let timer = SpareTimer::at(started + Duration::from_millis(20));
                assert_eq!(timer.identity(), identity, "reused");
                timer.await;
                let waited = started.elapsed();
                assert!(waited >= Duration::from_millis(20), "{waited:?}");
                assert!(waited < Duration::from_secs(5), "{waited:?}");
            }
        });
    }

    #[test]
    fn a_timer_is_never_reused_in_another_runtime() {
        // The first runtime shuts down with the thread's timer armed in its driver: polling
        // that timer in the next runtime would panic.
        current_thread().block_on(async {
            drop(SpareTimer::at(Instant::now() + Duration::from_secs(30)));
        });
        current_thread().block_on(async {
            let timer = SpareTimer::at(Instant::now() + Duration::from_millis(5));
            let identity = timer.identity();
            assert_eq!(
                identity.map(|(_, runtime)| runtime),
                Some(Handle::current().id())
            );
            timer.await;
            assert_eq!(SpareTimer::at(Instant::now()).identity(), identity);
        });
    }
}
