//! Work split over the machine's two cores: loading is most of a reload's latency, and the
//! bot answers from the last snapshot meanwhile, so a build may take both.

use std::thread::ScopedJoinHandle;

/// `here()` on this thread and `there()` on another, at the same time.
pub(crate) fn both<A, B: Send>(
    here: impl FnOnce() -> A,
    there: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let later = scope.spawn(there);
        let first = here();
        (first, joined(later))
    })
}

/// A scoped thread's result, its panic carried on to the caller.
pub(crate) fn joined<T>(handle: ScopedJoinHandle<'_, T>) -> T {
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
    }
}
