//! Record ids, made by the process before a record is written, unique across a fleet.
//!
//! An answer's buttons name their question before it reaches the database, and a batch retried
//! after a lost connection must not be written twice, so every record carries its own id and
//! the database ignores an id it already has. Several processes write one database, so an id
//! is also unique between them without asking anyone: like Discord's snowflakes it is
//! `milliseconds since 2024 | instance | sequence`, and the instance is the process's first
//! shard, which no other process of a correctly split fleet runs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use crate::clock;

/// 2024-01-01T00:00:00Z in Unix milliseconds: ids count from here (40 bits: until 2058).
const EPOCH_MS: u64 = 1_704_067_200_000;
const INSTANCE_BITS: u32 = 13;
const SEQUENCE_BITS: u32 = 10;
/// Distinct instances: more than Discord has ever asked of one bot in shards.
pub const INSTANCES: u32 = 1 << INSTANCE_BITS;

/// Makes time-ordered ids for one process.
#[derive(Debug)]
pub struct IdMaker {
    instance: u64,
    /// The last id given (0 at start).
    last: AtomicU64,
}

impl IdMaker {
    /// Ids tagged with `instance` (taken modulo [`INSTANCES`]).
    pub fn new(instance: u32) -> Self {
        Self {
            instance: u64::from(instance % INSTANCES),
            last: AtomicU64::new(0),
        }
    }

    /// The next id: greater than every id this maker gave before. More than 1,024 ids in one
    /// millisecond borrow from the next millisecond rather than repeat.
    pub fn next(&self) -> i64 {
        let millis = u64::try_from(clock::unix_millis(SystemTime::now())).unwrap_or(0);
        let floor = self.compose(millis.saturating_sub(EPOCH_MS), 0);
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let next = if floor > last {
                floor
            } else {
                self.successor(last)
            };
            match self
                .last
                .compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return i64::try_from(next).unwrap_or(i64::MAX),
                Err(seen) => last = seen,
            }
        }
    }

    fn compose(&self, millis: u64, sequence: u64) -> u64 {
        ((millis << (INSTANCE_BITS + SEQUENCE_BITS)) | (self.instance << SEQUENCE_BITS) | sequence)
            & (u64::MAX >> 1)
    }

    /// The id after `last` with this instance: the next sequence number, or the next
    /// millisecond's first when the sequence is spent.
    fn successor(&self, last: u64) -> u64 {
        let sequence = last & ((1 << SEQUENCE_BITS) - 1);
        let millis = last >> (INSTANCE_BITS + SEQUENCE_BITS);
        if sequence + 1 < (1 << SEQUENCE_BITS) {
            self.compose(millis, sequence + 1)
        } else {
            self.compose(millis + 1, 0)
        }
    }
}

/// The instance an id was made by (for tests and for reading a record's origin).
pub fn instance_of(id: i64) -> u32 {
    u32::try_from((id >> SEQUENCE_BITS) & i64::from(INSTANCES - 1)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_grow_and_never_repeat_within_a_process() {
        let maker = IdMaker::new(3);
        let ids: Vec<i64> = (0..50_000).map(|_| maker.next()).collect();
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(ids.iter().all(|&id| id > 0 && instance_of(id) == 3));
    }

    #[test]
    fn two_instances_in_the_same_millisecond_never_collide() {
        let (a, b) = (IdMaker::new(0), IdMaker::new(1));
        let mut seen = HashSet::new();
        for _ in 0..20_000 {
            assert!(seen.insert(a.next()));
            assert!(seen.insert(b.next()));
        }
    }

    #[test]
    fn new_ids_sort_after_the_old_millisecond_times_thousand_ones() {
        let old = 1_764_000_000_000_i64 * 1000 + 999;
        assert!(IdMaker::new(0).next() > old);
    }
}
