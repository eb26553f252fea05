//! Work on another thread when one can be had, and on this one when none can.
//!
//! Loading splits its work over the machine's two cores (it is most of a reload's latency, and
//! the bot answers from the last snapshot meanwhile), and runs what must not share allocator
//! pages with what it builds on threads of their own. None of that is needed for a right
//! result: a process that has reached its thread limit (a container's `pids.max`, `ulimit -u`)
//! must still load and reload its facts, only more slowly. `std::thread::scope`'s `spawn`
//! panics when no thread can be made; these helpers run the work here instead.

use std::sync::Mutex;
use std::thread::{Builder, ScopedJoinHandle};

/// `here()` on this thread and `there()` on another, at the same time; both on this thread,
/// one after the other, when no other thread can be had.
pub fn both<A, B: Send>(here: impl FnOnce() -> A, there: impl FnOnce() -> B + Send) -> (A, B) {
    // The work waits in a slot the thread takes it from: `Builder::spawn_scoped` drops the
    // closure it is given when it cannot start a thread, and this one holds only the slot.
    let slot = Mutex::new(Some(there));
    std::thread::scope(|scope| {
        let spawned = Builder::new().spawn_scoped(scope, || take(&slot).map(|work| work()));
        let first = here();
        (first, finish(spawned, &slot))
    })
}

/// `work()` on a thread of its own, waited for (its panic carried on to the caller); on this
/// thread when no other can be had.
pub fn elsewhere<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    both(|| (), work).1
}

/// The work's result: the thread's, or, when it could not be started, the work run here.
fn finish<B, F: FnOnce() -> B>(
    spawned: std::io::Result<ScopedJoinHandle<'_, Option<B>>>,
    slot: &Mutex<Option<F>>,
) -> B {
    let from_thread = match spawned {
        Ok(handle) => joined(handle),
        Err(error) => {
            tracing::debug!("no thread to be had ({error}): the work runs on this one");
            None
        }
    };
    match from_thread {
        Some(result) => result,
        None => take(slot).expect("work not taken by a thread that never started")(),
    }
}

fn take<F>(slot: &Mutex<Option<F>>) -> Option<F> {
    // A poisoned lock only means the work panicked while holding it; the slot is still whole.
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
}

/// A scoped thread's result, its panic carried on to the caller.
pub fn joined<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_run_and_come_back_in_place() {
        let mut here = Vec::new();
        let (unit, there) = both(|| here.push(1), || vec![2]);
        assert_eq!((unit, here, there), ((), vec![1], vec![2]));
        assert_eq!(elsewhere(|| 7), 7);
    }

    #[test]
    fn work_a_thread_could_not_take_runs_here() {
        let slot = Mutex::new(Some(|| 41 + 1));
        let refused = Err(std::io::Error::other("Resource temporarily unavailable"));
        assert_eq!(finish(refused, &slot), 42);
    }

    #[test]
    fn a_panic_on_the_other_thread_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| elsewhere(|| -> u8 { panic!("boom") }));
        assert!(caught.is_err());
    }
}
