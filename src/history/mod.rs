//! What members asked, kept in an embedded SQLite database: the moderators' `gaps` (what the
//! facts do not answer) and `stats`.
//!
//! Recording never slows or stops an answer. A handler hands its [`Question`] to a bounded
//! queue and goes on (a full queue drops the record and counts it); one writer thread owns the
//! database and writes in batches. A database that cannot be opened or written (locked, disk
//! full, read-only, not a database at all) is logged, counted in [`Health`], and tried again
//! later; answering goes on regardless.
//!
//! Privacy: a record holds the time, the server and channel ids, the question and what the bot
//! made of it. It never holds who asked: no user id, name or nickname is stored anywhere.

mod db;
mod normalize;
mod report;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

pub use db::{Database, DbError, GapRow, StatsRows};
pub use normalize::normalize;
pub use report::{Gap, Gaps, Stats, StatsDay, TopFact};

use crate::clock;
use crate::matcher::{Outcome, Status};
use crate::store::Snapshot;

/// Unanswered questions `gaps` reads at most (the newest): enough for months of a busy bot,
/// grouped in well under a second.
pub const GAP_ROWS: usize = 200_000;
/// Records waiting for the writer at most; past this, new records are dropped and counted.
const QUEUE: usize = 4096;
/// Records written in one transaction at most.
const BATCH: usize = 256;
/// After a failed open or write, how long before the writer opens the file again.
const REOPEN_AFTER: Duration = Duration::from_secs(30);
/// How often old records are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(24 * 3600);
/// At most one error line per this period in the log, with a count of what it stands for.
const LOG_EVERY: Duration = Duration::from_secs(60);

/// A question's id: time-ordered, assigned before the record is written, so an answer's
/// "helpful" buttons can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuestionId(pub i64);

/// Where a question came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Mention,
    DirectMessage,
    Slash,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mention => "mention",
            Self::DirectMessage => "dm",
            Self::Slash => "slash",
        }
    }
}

/// How an outcome is written in the database (the same words as `ask --json`).
fn status_name(status: Status) -> &'static str {
    match status {
        Status::Answered => "answered",
        Status::Ambiguous => "ambiguous",
        Status::Unknown => "unknown",
    }
}

/// One question the bot handled.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: QuestionId,
    /// Unix seconds.
    pub at: i64,
    pub guild: Option<u64>,
    pub channel: Option<u64>,
    pub via: Via,
    pub text: String,
    pub normalized: String,
    pub status: Status,
    pub fact: Option<String>,
    pub score: f32,
    /// The closest facts, best first, with their scores.
    pub candidates: Vec<(String, f32)>,
    /// The facts version that answered.
    pub version: String,
}

impl Question {
    /// The record of `text` asked via `via` and answered from `snapshot` with `outcome`. The id
    /// is set by [`History::record`].
    pub fn new(
        snapshot: &Snapshot,
        text: &str,
        outcome: &Outcome,
        via: Via,
        guild: Option<u64>,
        channel: Option<u64>,
    ) -> Self {
        let id_of = |index: usize| snapshot.base.facts[index].id.as_str().to_owned();
        Self {
            id: QuestionId(0),
            at: clock::now(),
            guild,
            channel,
            via,
            text: text.to_owned(),
            normalized: normalize(&snapshot.matcher, text),
            status: outcome.status,
            fact: outcome.answer().map(id_of),
            score: outcome.score(),
            candidates: outcome
                .candidates
                .iter()
                .map(|c| (id_of(c.fact), (c.score * 1000.0).round() / 1000.0))
                .collect(),
            version: snapshot.version.clone(),
        }
    }
}

/// A follow-up button clicked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    pub at: i64,
    pub guild: Option<u64>,
    pub channel: Option<u64>,
    pub fact: String,
    /// False when the fact had been removed since the button was made.
    pub found: bool,
}

/// A "Was this helpful?" button clicked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub at: i64,
    /// The question answered, when the answer was to a question (not to a follow-up click).
    pub question: Option<QuestionId>,
    pub fact: String,
    pub helpful: bool,
}

/// How recording is going, for the status command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub path: PathBuf,
    /// Rows written since start.
    pub written: u64,
    /// Rows dropped because the queue was full.
    pub dropped: u64,
    /// Rows lost to database errors.
    pub failed: u64,
    /// The latest database error, until a write succeeds again.
    pub last_error: Option<String>,
}

enum Job {
    Row(db::Row),
    Prune,
    Flush(mpsc::Sender<()>),
    Stop,
}

#[derive(Default)]
struct Counters {
    written: AtomicU64,
    dropped: AtomicU64,
    failed: AtomicU64,
    /// Writer-side only; read by status, never by a handler.
    last_error: Mutex<Option<String>>,
}

/// The recorder: cheap to call from any handler, backed by one writer thread.
pub struct History {
    path: PathBuf,
    queue: SyncSender<Job>,
    counters: Arc<Counters>,
    last_id: AtomicU64,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl History {
    /// Starts the writer for the database at `path` (created on first write when missing).
    /// Records older than `retention_days` (0: none) are pruned at start and daily. Never
    /// fails: a database that cannot be opened is reported by [`Self::health`] and the log.
    pub fn start(path: &Path, retention_days: u32) -> Self {
        Self::with_queue(path, retention_days, QUEUE)
    }

    fn with_queue(path: &Path, retention_days: u32, queue: usize) -> Self {
        let (queue, jobs) = mpsc::sync_channel(queue);
        let counters = Arc::new(Counters::default());
        let writer = Writer {
            path: path.to_path_buf(),
            retention_days,
            counters: Arc::clone(&counters),
            db: None,
            next_open: Instant::now(),
            next_prune: Instant::now(),
            last_log: None,
            unlogged: 0,
        };
        let handle = std::thread::Builder::new()
            .name("history-writer".into())
            .spawn(move || writer.run(&jobs));
        let handle = match handle {
            Ok(handle) => Some(handle),
            Err(error) => {
                tracing::error!(
                    "cannot start the history writer, questions are not recorded: {error}"
                );
                None
            }
        };
        Self {
            path: path.to_path_buf(),
            queue,
            counters,
            last_id: AtomicU64::new(0),
            writer: Mutex::new(handle),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Queues `question` and returns its id. Never blocks.
    pub fn record(&self, mut question: Question) -> QuestionId {
        question.id = self.next_id();
        let id = question.id;
        self.enqueue(db::Row::Question(question));
        id
    }

    pub fn record_click(&self, click: Click) {
        self.enqueue(db::Row::Click(click));
    }

    pub fn record_feedback(&self, feedback: Feedback) {
        self.enqueue(db::Row::Feedback(feedback));
    }

    /// Asks the writer to prune now (tests, and `retention_days` changes picked up at once).
    pub fn prune_now(&self) {
        self.send(Job::Prune);
    }

    /// Waits until everything queued so far is written (or failed), up to `timeout`; blocking.
    /// Returns whether the writer caught up in time.
    pub fn flush(&self, timeout: Duration) -> bool {
        let (done, wait) = mpsc::channel();
        let deadline = Instant::now() + timeout;
        let mut job = Job::Flush(done);
        loop {
            match self.queue.try_send(job) {
                Ok(()) => break,
                Err(TrySendError::Full(back)) if Instant::now() < deadline => {
                    job = back;
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => return false,
            }
        }
        wait.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .is_ok()
    }

    /// Writes what is queued (up to `timeout`) and stops the writer; blocking.
    pub fn close(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        self.flush(timeout);
        let handle = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(handle) = handle else { return };
        loop {
            match self.queue.try_send(Job::Stop) {
                Ok(()) => {
                    let _ = handle.join();
                    return;
                }
                Err(TrySendError::Full(_)) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                // Still busy at the deadline: leave it; it ends with the process.
                Err(_) => return,
            }
        }
    }

    pub fn health(&self) -> Health {
        Health {
            path: self.path.clone(),
            written: self.counters.written.load(Ordering::Relaxed),
            dropped: self.counters.dropped.load(Ordering::Relaxed),
            failed: self.counters.failed.load(Ordering::Relaxed),
            last_error: self
                .counters
                .last_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        }
    }

    /// Milliseconds since the epoch times 1000, plus a counter: unique and time-ordered, also
    /// across restarts (unless the clock goes back).
    fn next_id(&self) -> QuestionId {
        let now = u64::try_from(clock::unix_millis(SystemTime::now())).unwrap_or(0) * 1000;
        let mut last = self.last_id.load(Ordering::Relaxed);
        loop {
            let next = now.max(last + 1);
            match self.last_id.compare_exchange_weak(
                last,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return QuestionId(i64::try_from(next).unwrap_or(i64::MAX)),
                Err(seen) => last = seen,
            }
        }
    }

    fn enqueue(&self, row: db::Row) {
        if let Err(error) = self.queue.try_send(Job::Row(row)) {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            if let TrySendError::Full(_) = error {
                tracing::debug!("history queue full, a record was dropped");
            }
        }
    }

    fn send(&self, job: Job) {
        let _ = self.queue.try_send(job);
    }
}

impl Drop for History {
    fn drop(&mut self) {
        self.close(Duration::from_secs(2));
    }
}

/// The writer thread's state.
struct Writer {
    path: PathBuf,
    retention_days: u32,
    counters: Arc<Counters>,
    db: Option<Database>,
    /// No open before this (after a failure).
    next_open: Instant,
    next_prune: Instant,
    last_log: Option<Instant>,
    /// Errors not logged since `last_log`.
    unlogged: u64,
}

impl Writer {
    fn run(mut self, jobs: &Receiver<Job>) {
        loop {
            let wait = self.next_prune.saturating_duration_since(Instant::now());
            let first = match jobs.recv_timeout(wait) {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => Job::Prune,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let mut rows = Vec::new();
            let mut flushes = Vec::new();
            let (mut prune, mut stop) = (false, false);
            let mut next = Some(first);
            while let Some(job) = next.take() {
                match job {
                    Job::Row(row) => rows.push(row),
                    Job::Prune => prune = true,
                    Job::Flush(done) => flushes.push(done),
                    Job::Stop => stop = true,
                }
                if rows.len() < BATCH && !stop {
                    next = jobs.try_recv().ok();
                }
            }
            if !rows.is_empty() {
                self.write(&rows);
            }
            if prune || Instant::now() >= self.next_prune {
                self.prune();
            }
            for done in flushes {
                let _ = done.send(());
            }
            if stop {
                return;
            }
        }
    }

    fn database(&mut self) -> Result<&mut Database, String> {
        if self.db.is_none() {
            if Instant::now() < self.next_open {
                return Err(self.last_error().unwrap_or_else(|| "not open".to_owned()));
            }
            match Database::create(&self.path) {
                Ok(db) => self.db = Some(db),
                Err(error) => {
                    self.next_open = Instant::now() + REOPEN_AFTER;
                    return Err(error.to_string());
                }
            }
        }
        self.db.as_mut().ok_or_else(|| "not open".to_owned())
    }

    fn write(&mut self, rows: &[db::Row]) {
        let count = rows.len() as u64;
        let result = self
            .database()
            .and_then(|db| db.write(rows).map_err(|error| error.to_string()));
        match result {
            Ok(()) => {
                self.counters.written.fetch_add(count, Ordering::Relaxed);
                *self.error_slot() = None;
            }
            Err(error) => {
                self.counters.failed.fetch_add(count, Ordering::Relaxed);
                // Reopen later: the file may have been replaced, fixed or made writable.
                if self.db.take().is_some() {
                    self.next_open = Instant::now() + REOPEN_AFTER;
                }
                self.report(&format!(
                    "cannot record {count} question(s) in the history database, answering goes on: {error}"
                ), error);
            }
        }
    }

    /// Deletes what is past retention. Also runs at start-up, so the database is created (or
    /// its problem reported) before the first question.
    fn prune(&mut self) {
        self.next_prune = Instant::now() + PRUNE_EVERY;
        let retention_days = self.retention_days;
        let result = self.database().and_then(|db| {
            if retention_days == 0 {
                return Ok(0);
            }
            let before = clock::now() - i64::from(retention_days) * 86_400;
            db.prune(before).map_err(|error| error.to_string())
        });
        match result {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, retention_days, "pruned the history"),
            Err(error) => {
                self.report(
                    &format!("cannot prune the history database: {error}"),
                    error,
                );
            }
        }
    }

    fn error_slot(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.counters
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn last_error(&self) -> Option<String> {
        self.error_slot().clone()
    }

    /// Logs an error, at most once per [`LOG_EVERY`], so a full disk does not flood the log.
    fn report(&mut self, line: &str, error: String) {
        *self.error_slot() = Some(error);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn question(at: i64) -> Question {
        Question {
            id: QuestionId(0),
            at,
            guild: None,
            channel: None,
            via: Via::DirectMessage,
            text: "q".into(),
            normalized: "q".into(),
            status: Status::Unknown,
            fact: None,
            score: 0.0,
            candidates: Vec::new(),
            version: "v".into(),
        }
    }

    #[test]
    fn a_full_queue_drops_and_counts_instead_of_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.db");
        drop(Database::create(&path).unwrap());
        let lock = rusqlite::Connection::open(&path).unwrap();
        lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let history = History::with_queue(&path, 0, 4);
        let started = Instant::now();
        for _ in 0..200 {
            history.record(question(clock::now()));
        }
        assert!(
            started.elapsed() < Duration::from_millis(100),
            "{:?}",
            started.elapsed()
        );
        lock.execute_batch("ROLLBACK").unwrap();
        assert!(history.flush(Duration::from_secs(10)));
        let health = history.health();
        assert!(health.dropped >= 150, "{health:?}");
        assert_eq!(
            health.written + health.failed + health.dropped,
            200,
            "{health:?}"
        );
    }

    #[test]
    fn the_database_is_created_at_start_even_before_a_question() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/q.db");
        let history = History::start(&path, 0);
        assert!(history.flush(Duration::from_secs(5)));
        assert!(path.is_file());
        assert_eq!(history.health().last_error, None);
    }
}
