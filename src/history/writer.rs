//! The writer thread: the only code that writes the question log.
//!
//! It owns the connection and the records waiting for it. A batch the database refuses for
//! its data is dropped and counted; a database out of reach (a PostgreSQL outage) keeps the
//! records waiting, up to the queue's bound, and is tried again with a doubling backoff, so a
//! database restart never needs a bot restart. Heartbeats, pruning and the fleet view are
//! written and read from here too, so no handler ever waits on the database.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;

use super::database::Database;
use super::db::{DbError, Row};
use super::fleet::{Fleet, Heartbeat};
use super::HeartbeatSource;
use crate::clock;
use crate::config::DatabaseLocation;

/// Records written in one transaction at most.
const BATCH: usize = 256;
/// After a failed open of a file (not an outage), how long before the writer opens it again.
const REOPEN_AFTER: Duration = Duration::from_secs(30);
/// The first wait after an outage begins; it doubles up to [`BACKOFF_MAX`].
const BACKOFF_START: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(8);
/// How often old records are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(24 * 3600);
/// At most one error line per this period in the log, with a count of what it stands for.
const LOG_EVERY: Duration = Duration::from_secs(60);

pub(super) enum Job {
    Row(Row),
    Prune,
    Beat,
    Flush(mpsc::Sender<()>),
    Stop,
}

/// What the writer tells everyone else; handlers only ever add to `dropped`.
#[derive(Default)]
pub(super) struct Counters {
    pub written: AtomicU64,
    pub dropped: AtomicU64,
    pub failed: AtomicU64,
    /// Records held by the writer, waiting for the database.
    pub waiting: AtomicU64,
    /// Writer-side only; read by status, never by a handler.
    pub last_error: Mutex<Option<String>>,
    /// The fleet as read after the latest heartbeat.
    pub fleet: ArcSwapOption<Fleet>,
}

impl Counters {
    pub(super) fn error_slot(&self) -> MutexGuard<'_, Option<String>> {
        self.last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Why a write did not happen.
struct Failure {
    message: String,
    /// The database is out of reach: keep the records and try again.
    outage: bool,
}

impl From<DbError> for Failure {
    fn from(error: DbError) -> Self {
        Self {
            outage: error.is_outage(),
            message: error.to_string(),
        }
    }
}

/// The writer thread's state.
pub(super) struct Writer {
    pub location: DatabaseLocation,
    pub retention_days: u32,
    pub counters: Arc<Counters>,
    pub heartbeat: Option<HeartbeatSource>,
    /// Records held at most; past it, new ones are dropped and counted.
    pub capacity: usize,
    db: Option<Database>,
    pending: VecDeque<Row>,
    flushes: Vec<mpsc::Sender<()>>,
    /// No open of a broken file before this.
    next_open: Instant,
    /// During an outage: no attempt before this.
    retry_at: Instant,
    backoff: Duration,
    outage_since: Option<Instant>,
    next_prune: Instant,
    next_beat: Instant,
    last_log: Option<Instant>,
    /// Errors not logged since `last_log`.
    unlogged: u64,
}

impl Writer {
    pub(super) fn new(
        location: DatabaseLocation,
        retention_days: u32,
        counters: Arc<Counters>,
        heartbeat: Option<HeartbeatSource>,
        capacity: usize,
    ) -> Self {
        let now = Instant::now();
        Self {
            location,
            retention_days,
            counters,
            heartbeat,
            capacity,
            db: None,
            pending: VecDeque::new(),
            flushes: Vec::new(),
            next_open: now,
            retry_at: now,
            backoff: BACKOFF_START,
            outage_since: None,
            next_prune: now,
            next_beat: now,
            last_log: None,
            unlogged: 0,
        }
    }

    pub(super) fn run(mut self, jobs: &Receiver<Job>) {
        loop {
            let wait = self.next_wake().saturating_duration_since(Instant::now());
            let mut stop = match jobs.recv_timeout(wait) {
                Ok(job) => self.take(job),
                Err(RecvTimeoutError::Timeout) => false,
                Err(RecvTimeoutError::Disconnected) => true,
            };
            // Past capacity, records stay in the channel (bounded too) until there is room.
            while !stop && self.pending.len() < self.capacity {
                match jobs.try_recv() {
                    Ok(job) => stop = self.take(job),
                    Err(_) => break,
                }
            }
            if stop {
                self.finish();
                return;
            }
            self.write_pending();
            let now = Instant::now();
            if now >= self.next_prune {
                self.prune();
            }
            if self.heartbeat.is_some() && now >= self.next_beat {
                self.beat();
            }
            self.acknowledge_flushes();
        }
    }

    /// Takes one job; true for Stop.
    fn take(&mut self, job: Job) -> bool {
        match job {
            Job::Row(row) if self.pending.len() < self.capacity => {
                self.pending.push_back(row);
                self.publish_waiting();
            }
            Job::Row(_) => {
                self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            }
            Job::Prune => self.next_prune = Instant::now(),
            Job::Beat => self.next_beat = Instant::now(),
            Job::Flush(done) => self.flushes.push(done),
            Job::Stop => return true,
        }
        false
    }

    fn next_wake(&self) -> Instant {
        let mut wake = self.next_prune;
        if self.heartbeat.is_some() {
            wake = wake.min(self.next_beat);
        }
        if !self.pending.is_empty() {
            wake = wake.min(self.retry_at);
        }
        wake
    }

    fn in_outage(&self) -> bool {
        self.outage_since.is_some() && Instant::now() < self.retry_at
    }

    fn publish_waiting(&self) {
        self.counters
            .waiting
            .store(self.pending.len() as u64, Ordering::Relaxed);
    }

    fn acknowledge_flushes(&mut self) {
        if self.pending.is_empty() {
            for done in self.flushes.drain(..) {
                let _ = done.send(());
            }
        }
    }

    fn database(&mut self) -> Result<&mut Database, Failure> {
        if self.db.is_none() {
            if Instant::now() < self.next_open {
                return Err(Failure {
                    message: self.last_error().unwrap_or_else(|| "not open".to_owned()),
                    outage: false,
                });
            }
            match Database::create(&self.location) {
                Ok(db) => self.db = Some(db),
                Err(error) => {
                    let failure = Failure::from(error);
                    if !failure.outage {
                        self.next_open = Instant::now() + REOPEN_AFTER;
                    }
                    return Err(failure);
                }
            }
        }
        self.db.as_mut().ok_or_else(|| Failure {
            message: "not open".to_owned(),
            outage: false,
        })
    }

    /// Writes what waits, a batch at a time, until it is all written or the database is out
    /// of reach.
    fn write_pending(&mut self) {
        while !self.pending.is_empty() && !self.in_outage() {
            let count = self.pending.len().min(BATCH);
            match self.write_batch(count) {
                Ok(()) => {
                    self.pending.drain(..count);
                    self.counters
                        .written
                        .fetch_add(count as u64, Ordering::Relaxed);
                    self.recovered();
                    *self.counters.error_slot() = None;
                }
                Err(failure) if failure.outage => {
                    self.outage(&failure.message);
                    break;
                }
                Err(failure) => {
                    self.pending.drain(..count);
                    self.counters
                        .failed
                        .fetch_add(count as u64, Ordering::Relaxed);
                    // Reopen later: the file may have been replaced, fixed or made writable.
                    if self.db.take().is_some() {
                        self.next_open = Instant::now() + REOPEN_AFTER;
                    }
                    self.report(
                        &format!(
                            "cannot record {count} question(s) in the history database, answering goes on: {}",
                            failure.message
                        ),
                        failure.message.clone(),
                    );
                }
            }
            self.publish_waiting();
        }
    }

    fn write_batch(&mut self, count: usize) -> Result<(), Failure> {
        self.database()?;
        let Some(db) = self.db.as_mut() else {
            return Err(Failure {
                message: "not open".to_owned(),
                outage: false,
            });
        };
        db.write(&self.pending.make_contiguous()[..count])
            .map_err(Failure::from)
    }

    /// The database is out of reach: one warning when it starts, then quiet retries with a
    /// doubling wait.
    fn outage(&mut self, message: &str) {
        self.db = None;
        if self.outage_since.is_none() {
            self.outage_since = Some(Instant::now());
            tracing::warn!(
                "cannot reach the questions database {}: {message}; answering goes on, records wait (up to {}) and are written when it is back; retrying with backoff",
                self.location,
                self.capacity
            );
        }
        *self.counters.error_slot() = Some(message.to_owned());
        self.retry_at = Instant::now() + self.backoff;
        self.backoff = (self.backoff * 2).min(BACKOFF_MAX);
    }

    fn recovered(&mut self) {
        self.backoff = BACKOFF_START;
        if let Some(since) = self.outage_since.take() {
            tracing::info!(
                waiting = self.pending.len(),
                "the questions database {} is reachable again after {} s; waiting records are written now",
                self.location,
                since.elapsed().as_secs()
            );
        }
    }

    /// Deletes what is past retention. Also runs at start-up, so the database is created (or
    /// its problem reported) before the first question.
    fn prune(&mut self) {
        if self.in_outage() {
            self.next_prune = self.retry_at;
            return;
        }
        self.next_prune = Instant::now() + PRUNE_EVERY;
        let retention_days = self.retention_days;
        let result = self.database().and_then(|db| {
            if retention_days == 0 {
                return Ok(0);
            }
            let before = clock::now() - i64::from(retention_days) * 86_400;
            db.prune(before).map_err(Failure::from)
        });
        match result {
            Ok(0) => self.recovered(),
            Ok(deleted) => {
                self.recovered();
                tracing::info!(deleted, retention_days, "pruned the history");
            }
            Err(failure) if failure.outage => {
                self.outage(&failure.message);
                self.next_prune = self.retry_at;
            }
            Err(failure) => {
                self.report(
                    &format!("cannot prune the history database: {}", failure.message),
                    failure.message.clone(),
                );
            }
        }
    }

    /// Writes this process's heartbeat, then reads the fleet for the status command.
    fn beat(&mut self) {
        let Some(source) = &self.heartbeat else {
            return;
        };
        self.next_beat = Instant::now() + source.every;
        if self.in_outage() {
            self.next_beat = self.next_beat.min(self.retry_at);
            return;
        }
        let beat = Heartbeat::new(
            &source.info,
            (source.facts)(),
            source.every,
            self.counters.dropped.load(Ordering::Relaxed),
            self.pending.len() as u64,
        );
        let result = self.database().and_then(|db| {
            db.beat(&beat)?;
            Ok(db.processes()?)
        });
        match result {
            Ok(rows) => {
                self.recovered();
                self.counters
                    .fleet
                    .store(Some(Arc::new(Fleet::build(rows, clock::now()))));
            }
            Err(failure) if failure.outage => self.outage(&failure.message),
            Err(failure) => self.report(
                &format!("cannot write the heartbeat: {}", failure.message),
                failure.message.clone(),
            ),
        }
    }

    /// At stop: one last try for what waits, the heartbeat row removed, and what could not be
    /// written counted and said.
    fn finish(&mut self) {
        self.retry_at = Instant::now();
        self.write_pending();
        if let (Some(source), Some(db)) = (&self.heartbeat, self.db.as_mut()) {
            if let Err(error) = db.leave(&source.info.process_id) {
                tracing::debug!("cannot remove the heartbeat row: {error}");
            }
        }
        let lost = self.pending.len() as u64;
        if lost > 0 {
            self.counters.failed.fetch_add(lost, Ordering::Relaxed);
            tracing::error!(
                "{lost} record(s) not written at stop, the questions database is out of reach: {}",
                self.last_error().unwrap_or_default()
            );
            self.pending.clear();
            self.publish_waiting();
        }
        for done in self.flushes.drain(..) {
            let _ = done.send(());
        }
    }

    fn last_error(&self) -> Option<String> {
        self.counters.error_slot().clone()
    }

    /// Logs an error, at most once per [`LOG_EVERY`], so a full disk does not flood the log.
    fn report(&mut self, line: &str, error: String) {
        *self.counters.error_slot() = Some(error);
        let due = self.last_log.is_none_or(|at| at.elapsed() >= LOG_EVERY);
        if due {
            let also = std::mem::take(&mut self.unlogged);
            if also > 0 {
                tracing::error!("{line} ({also} similar error(s) since the last report)");
            } else {
                tracing::error!("{line}");
            }
            self.last_log = Some(Instant::now());
        } else {
            self.unlogged += 1;
        }
    }
}
