//! The question log as its users see it: one [`Database`], whichever backend holds it. Opening
//! is the only place that knows both backends.

use super::db::{Backend, DbError, GapRow, ResolvedRow, Row, StatsRows};
use super::fleet::Heartbeat;
use super::{postgres, sqlite};
use crate::config::DatabaseLocation;

/// An open question log, either backend.
pub struct Database {
    backend: Box<dyn Backend>,
    location: DatabaseLocation,
}

impl Database {
    /// Opens the log for writing (a file and its folder are created when missing), applying
    /// migrations.
    pub fn create(location: impl Into<DatabaseLocation>) -> Result<Self, DbError> {
        Self::open(location.into(), true)
    }

    /// Opens an existing log for reading (the queries): a missing file is an error, not
    /// created.
    pub fn open_existing(location: impl Into<DatabaseLocation>) -> Result<Self, DbError> {
        Self::open(location.into(), false)
    }

    fn open(location: DatabaseLocation, create: bool) -> Result<Self, DbError> {
        let backend: Box<dyn Backend> = match &location {
            DatabaseLocation::File(path) => Box::new(sqlite::Sqlite::open(path, create)?),
            DatabaseLocation::Postgres(url) => Box::new(postgres::Postgres::connect(url)?),
        };
        Ok(Self { backend, location })
    }

    /// Where it is; `Display` hides a password.
    pub fn location(&self) -> &DatabaseLocation {
        &self.location
    }

    pub(super) fn write(&mut self, rows: &[Row]) -> Result<(), DbError> {
        self.backend.write(rows)
    }

    pub(super) fn beat(&mut self, beat: &Heartbeat) -> Result<(), DbError> {
        self.backend.beat(beat)
    }

    pub(super) fn leave(&mut self, process_id: &str) -> Result<(), DbError> {
        self.backend.leave(process_id)
    }

    /// Deletes everything recorded before `before` (Unix seconds); returns the rows deleted.
    pub fn prune(&mut self, before: i64) -> Result<usize, DbError> {
        self.backend.prune(before)
    }

    /// Questions not answered since `since`, newest first, at most `max` of them.
    pub fn unanswered(&mut self, since: i64, max: usize) -> Result<Vec<GapRow>, DbError> {
        self.backend
            .unanswered(since, i64::try_from(max).unwrap_or(i64::MAX))
    }

    /// Facts clicked on "did you mean" and "I don't know" replies since `since`, each with the
    /// question it resolved, newest first, at most `max`.
    pub fn resolved(&mut self, since: i64, max: usize) -> Result<Vec<ResolvedRow>, DbError> {
        self.backend
            .resolved(since, i64::try_from(max).unwrap_or(i64::MAX))
    }

    /// Remembers that suggestion `id` (for `fact`) was dismissed at `at`, so it is not proposed
    /// again.
    pub fn dismiss(&mut self, id: &str, at: i64, fact: &str) -> Result<(), DbError> {
        self.backend.dismiss(id, at, fact)
    }

    /// The ids of every dismissed suggestion.
    pub fn dismissed(&mut self) -> Result<Vec<String>, DbError> {
        self.backend.dismissed()
    }

    /// The figures for `stats` since `since`; `top` facts at most per list.
    pub fn stats(&mut self, since: i64, top: usize) -> Result<StatsRows, DbError> {
        self.backend
            .stats(since, i64::try_from(top).unwrap_or(i64::MAX))
    }

    /// Every heartbeat row, live or stale (see [`super::Fleet::build`]).
    pub fn processes(&mut self) -> Result<Vec<Heartbeat>, DbError> {
        self.backend.processes()
    }

    /// How many questions are on record (for status and tests).
    pub fn question_count(&mut self) -> Result<u64, DbError> {
        self.backend.question_count()
    }

    /// Every recorded question, oldest first, as JSON objects: for tests and exports.
    pub fn questions_json(&mut self) -> Result<Vec<serde_json::Value>, DbError> {
        self.backend.questions_json()
    }

    /// The names of every column of every table: lets a test prove no user column exists.
    pub fn columns(&mut self) -> Result<Vec<String>, DbError> {
        self.backend.columns()
    }
}
