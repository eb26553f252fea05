//! The guarantees every platform's handlers get for free: a panic or an error in one never
//! takes the bot down, no new work starts once shutdown began, and work in flight is counted so
//! shutdown can let it finish.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

#[derive(Default)]
pub struct Lifecycle {
    stopping: AtomicBool,
    in_flight: AtomicUsize,
    idle: Notify,
}

/// Held while a handler runs.
pub struct InFlight<'a>(&'a Lifecycle);

impl Lifecycle {
    /// Counts a handler in, or `None` once shutdown began (the event is then dropped).
    pub fn enter(&self) -> Option<InFlight<'_>> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let guard = InFlight(self);
        // Checked after counting, so `drain` either sees this handler or it sees `stopping`.
        (!self.stopping.load(Ordering::SeqCst)).then_some(guard)
    }

    /// Stops new work and waits up to `grace` for the work in flight; whether it all ended.
    pub async fn drain(&self, grace: Duration) -> bool {
        self.stopping.store(true, Ordering::SeqCst);
        let wait = async {
            loop {
                let idle = self.idle.notified();
                if self.in_flight.load(Ordering::SeqCst) == 0 {
                    return;
                }
                idle.await;
            }
        };
        tokio::time::timeout(grace, wait).await.is_ok()
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// What went wrong in a handler: its error, or the message of its panic.
#[derive(Debug)]
pub enum Failure<E> {
    Error(E),
    Panic(String),
}

/// Runs `work`, turning a panic into a [`Failure`] instead of a dead task.
pub async fn catch<E>(work: impl Future<Output = Result<(), E>>) -> Result<(), Failure<E>> {
    use futures_util::FutureExt as _;
    match AssertUnwindSafe(work).catch_unwind().await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(Failure::Error(error)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned());
            Err(Failure::Panic(
                message.unwrap_or_else(|| "a panic without a message".to_owned()),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn panics_and_errors_become_failures() {
        assert!(catch(async { Ok::<(), ()>(()) }).await.is_ok());
        let panicked = catch(async { panic!("boom {}", 1) as Result<(), ()> }).await;
        assert!(
            matches!(panicked, Err(Failure::Panic(ref message)) if message == "boom 1"),
            "{panicked:?}"
        );
        let failed = catch(async { Err::<(), _>("nope") }).await;
        assert!(matches!(failed, Err(Failure::Error("nope"))));
    }

    #[tokio::test]
    async fn drain_waits_for_work_in_flight_and_refuses_new_work() {
        let lifecycle = Arc::new(Lifecycle::default());
        let bot_like = Arc::clone(&lifecycle);
        let guard_task = tokio::spawn(async move {
            let _guard = bot_like.enter().unwrap();
            tokio::time::sleep(Duration::from_millis(50)).await;
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(lifecycle.drain(Duration::from_secs(5)).await);
        assert!(lifecycle.enter().is_none());
        assert_eq!(lifecycle.in_flight.load(Ordering::SeqCst), 0);
        guard_task.await.unwrap();
    }
}
