//! What members asked, kept in a question log: the moderators' `gaps` (what the facts do not
//! answer) and `stats`, and the fleet view of every process writing it. The log is an
//! embedded SQLite file for one process, or a PostgreSQL database shared by a fleet ([`db`]).
//!
//! Recording never slows or stops an answer. A handler hands its [`Question`] to a bounded
//! queue and goes on (a full queue drops the record and counts it); one writer thread owns the
//! database and writes in batches ([`writer`]). A database that refuses a batch (locked, disk
//! full, read-only, not a database at all) is logged, counted in [`Health`], and tried again
//! later; a database out of reach keeps the records waiting until it is back. Answering goes
//! on regardless.
//!
//! Privacy: a record holds the time, the server and channel ids, the question and what the bot
//! made of it. It never holds who asked: no user id, name or nickname is stored anywhere.

mod database;
mod db;
mod fleet;
mod ids;
mod normalize;
mod postgres;
mod report;
mod sql;
mod sqlite;
mod writer;

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use database::Database;
pub use db::{DbError, GapRow, ResolvedRow, StatsRows, SCHEMA_VERSION};
pub use fleet::{FactsState, Fleet, Heartbeat, Member, ProcessInfo};
pub use ids::{instance_of, IdMaker};
pub use normalize::normalize;
pub use report::{Gap, Gaps, Stats, StatsDay, TopFact};

use self::db::{Record, Row};
use self::writer::{Counters, Job, Writer};
use crate::clock;
use crate::config::DatabaseLocation;
use crate::matcher::{Outcome, Status};
use crate::store::Snapshot;

/// Unanswered questions `gaps` reads at most (the newest): enough for months of a busy bot,
/// grouped in well under a second.
pub const GAP_ROWS: usize = 200_000;
/// Records on their way to the writer at most, and records the writer holds at most while
/// the database is out of reach; past either, new records are dropped and counted.
pub const QUEUE: usize = 4096;

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
    /// The fact that came closest, where an answer might belong: the best candidate, else,
    /// when no fact scored, the one nearest in meaning (`Outcome::nearest`).
    pub closest: Option<String>,
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
            closest: outcome
                .candidates
                .first()
                .map(|c| c.fact)
                .or(outcome.nearest.first().copied())
                .map(id_of),
            version: snapshot.version.clone(),
        }
    }
}

/// A follow-up button clicked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    /// The question whose "did you mean" or "I don't know" reply the button was on: the click
    /// says what that question meant (never who clicked).
    pub question: Option<QuestionId>,
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
    /// Where the records go (a password hidden).
    pub database: String,
    /// Rows written since start.
    pub written: u64,
    /// Rows dropped because the queue was full.
    pub dropped: u64,
    /// Rows lost to database errors (refused data, or still waiting at stop).
    pub failed: u64,
    /// Rows held by the writer until the database is back.
    pub waiting: u64,
    /// The latest database error, until a write succeeds again.
    pub last_error: Option<String>,
    /// Every live process, as read after this process's latest heartbeat.
    pub fleet: Option<Arc<Fleet>>,
}

/// What a running bot says about itself every `every`: who it is, and its facts (read from
/// the reloader at each beat).
pub struct HeartbeatSource {
    pub info: ProcessInfo,
    pub every: Duration,
    pub facts: Box<dyn Fn() -> FactsState + Send>,
}

/// How to start a [`History`].
pub struct Settings {
    pub location: DatabaseLocation,
    /// Records older than this many days are pruned at start and daily (0: none).
    pub retention_days: u32,
    /// `None`: no heartbeat row (terminal tools, tests).
    pub heartbeat: Option<HeartbeatSource>,
    /// The id instance: the process's first shard ([`ids`]).
    pub instance: u32,
    pub queue: usize,
}

impl Settings {
    pub fn new(location: impl Into<DatabaseLocation>, retention_days: u32) -> Self {
        Self {
            location: location.into(),
            retention_days,
            heartbeat: None,
            instance: 0,
            queue: QUEUE,
        }
    }
}

/// The recorder: cheap to call from any handler, backed by one writer thread.
pub struct History {
    location: DatabaseLocation,
    queue: SyncSender<Job>,
    counters: Arc<Counters>,
    ids: IdMaker,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl History {
    /// Starts the writer for the database at `location` (created on first write when
    /// missing). Records older than `retention_days` (0: none) are pruned at start and daily.
    /// Never fails: a database that cannot be opened is reported by [`Self::health`] and the
    /// log.
    pub fn start(location: impl Into<DatabaseLocation>, retention_days: u32) -> Self {
        Self::start_with(Settings::new(location, retention_days))
    }

    pub fn start_with(settings: Settings) -> Self {
        let (queue, jobs) = mpsc::sync_channel(settings.queue);
        let counters = Arc::new(Counters::default());
        let writer = Writer::new(
            settings.location.clone(),
            settings.retention_days,
            Arc::clone(&counters),
            settings.heartbeat,
            settings.queue,
        );
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
            location: settings.location,
            queue,
            counters,
            ids: IdMaker::new(settings.instance),
            writer: Mutex::new(handle),
        }
    }

    pub fn location(&self) -> &DatabaseLocation {
        &self.location
    }

    /// Queues `question` and returns its id. Never blocks.
    pub fn record(&self, mut question: Question) -> QuestionId {
        let id = self.ids.next();
        question.id = QuestionId(id);
        self.enqueue(Row {
            id,
            record: Record::Question(question),
        });
        QuestionId(id)
    }

    pub fn record_click(&self, click: Click) {
        self.enqueue(Row {
            id: self.ids.next(),
            record: Record::Click(click),
        });
    }

    pub fn record_feedback(&self, feedback: Feedback) {
        self.enqueue(Row {
            id: self.ids.next(),
            record: Record::Feedback(feedback),
        });
    }

    /// Asks the writer to prune now (tests, and `retention_days` changes picked up at once).
    pub fn prune_now(&self) {
        let _ = self.queue.try_send(Job::Prune);
    }

    /// Asks the writer for a heartbeat now (after a reload, so the fleet view shows it).
    pub fn beat_now(&self) {
        let _ = self.queue.try_send(Job::Beat);
    }

    /// Waits until everything queued so far is written (or failed), up to `timeout`; blocking.
    /// Returns whether the writer caught up in time: false while the database is out of reach
    /// and records wait.
    pub fn flush(&self, timeout: Duration) -> bool {
        let (done, wait) = mpsc::channel();
        let deadline = Instant::now() + timeout;
        if !self.send_until(Job::Flush(done), deadline) {
            return false;
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
        // Still busy at the deadline: leave it; it ends with the process.
        if self.send_until(Job::Stop, deadline + Duration::from_secs(1)) {
            let _ = handle.join();
        }
    }

    /// Sends `job`, waiting for room in the queue until `deadline`.
    fn send_until(&self, mut job: Job, deadline: Instant) -> bool {
        loop {
            match self.queue.try_send(job) {
                Ok(()) => return true,
                Err(TrySendError::Full(back)) if Instant::now() < deadline => {
                    job = back;
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => return false,
            }
        }
    }

    pub fn health(&self) -> Health {
        let counters = &self.counters;
        Health {
            database: self.location.to_string(),
            written: counters.written.load(Ordering::Relaxed),
            dropped: counters.dropped.load(Ordering::Relaxed),
            failed: counters.failed.load(Ordering::Relaxed),
            waiting: counters.waiting.load(Ordering::Relaxed),
            last_error: counters.error_slot().clone(),
            fleet: counters.fleet.load_full(),
        }
    }

    fn enqueue(&self, row: Row) {
        if let Err(error) = self.queue.try_send(Job::Row(row)) {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            if let TrySendError::Full(_) = error {
                tracing::debug!("history queue full, a record was dropped");
            }
        }
    }
}

impl Drop for History {
    fn drop(&mut self) {
        self.close(Duration::from_secs(2));
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
            closest: None,
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
        let mut settings = Settings::new(&path, 0);
        settings.queue = 4;
        let history = History::start_with(settings);
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
        assert_eq!(health.waiting, 0, "{health:?}");
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
