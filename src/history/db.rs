//! One question log, two backends: the embedded SQLite file (one process, the default) and a
//! PostgreSQL server (a fleet). Both keep the same tables, run the same SQL ([`super::sql`])
//! and apply the same numbered migrations at start; [`Database`] hides which one is in use.
//!
//! Times are Unix seconds (UTC). Discord ids are stored as integers (they fit in 63 bits).
//! There is no column for a user: see the module above.

use std::path::PathBuf;

use super::fleet::Heartbeat;
use super::{postgres, sqlite, Click, Feedback, Question};
use crate::config::DatabaseLocation;

/// The schema this code writes; a newer one (from a newer factbot) is left alone.
pub const SCHEMA_VERSION: i64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot create the folder for {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{database}: {}", postgres::describe(source))]
    Postgres {
        /// The URL without its password.
        database: String,
        source: ::postgres::Error,
    },
    #[error("{} does not exist: no questions have been recorded yet", path.display())]
    Missing { path: PathBuf },
    #[error("{database} was written by a newer factbot (schema {found}, this one knows {SCHEMA_VERSION}): nothing is written to it; upgrade this factbot")]
    Newer { database: String, found: i64 },
}

impl DbError {
    /// The database is out of reach (down, restarting, refusing this role, connection cut)
    /// rather than refusing these rows: the rows wait and the writer tries again. Errors in
    /// the data itself, and every SQLite error (the file is right here: retrying a locked or
    /// broken file would only stall the queue behind it), are not outages.
    pub fn is_outage(&self) -> bool {
        match self {
            Self::Postgres { source, .. } => postgres::is_outage(source),
            _ => false,
        }
    }
}

/// A job for the writer: one record and its id.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub id: i64,
    pub record: Record,
}

#[derive(Debug, Clone)]
pub(super) enum Record {
    Question(Question),
    Click(Click),
    Feedback(Feedback),
}

/// One unanswered question, as `gaps` reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    pub at: i64,
    pub question: String,
    pub normalized: String,
    pub ambiguous: bool,
    pub closest: Option<String>,
}

/// The raw figures `stats` is built from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsRows {
    /// Per day (`YYYY-MM-DD`, UTC): answered, ambiguous, unknown.
    pub days: Vec<(String, u64, u64, u64)>,
    /// Answered facts and how often, most first.
    pub answered: Vec<(String, u64)>,
    /// Follow-up buttons clicked, all facts together.
    pub clicks: u64,
    /// Follow-up buttons clicked, by fact, most first.
    pub clicked: Vec<(String, u64)>,
    pub helpful: u64,
    pub not_helpful: u64,
}

/// What a backend does; every method is one short transaction or query.
pub(super) trait Backend: Send {
    /// Writes `rows` in one transaction: all or none; ids already present are skipped.
    fn write(&mut self, rows: &[Row]) -> Result<(), DbError>;
    /// Deletes everything recorded before `before`; returns the rows deleted.
    fn prune(&mut self, before: i64) -> Result<usize, DbError>;
    /// Writes `beat` over this process's previous one and deletes stale ones.
    fn beat(&mut self, beat: &Heartbeat) -> Result<(), DbError>;
    /// Deletes this process's heartbeat (a clean stop).
    fn leave(&mut self, process_id: &str) -> Result<(), DbError>;
    fn unanswered(&mut self, since: i64, max: i64) -> Result<Vec<GapRow>, DbError>;
    fn stats(&mut self, since: i64, top: i64) -> Result<StatsRows, DbError>;
    fn processes(&mut self) -> Result<Vec<Heartbeat>, DbError>;
    fn question_count(&mut self) -> Result<u64, DbError>;
    fn questions_json(&mut self) -> Result<Vec<serde_json::Value>, DbError>;
    fn columns(&mut self) -> Result<Vec<String>, DbError>;
}

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

/// A score as stored: three decimals, like `ask --json`, without f32 noise.
pub(super) fn rounded(score: f32) -> f64 {
    (f64::from(score) * 1000.0).round() / 1000.0
}

pub(super) fn to_i64(id: Option<u64>) -> Option<i64> {
    id.and_then(|id| i64::try_from(id).ok())
}

/// A question's candidates as stored: JSON `[{"id", "score"}]`, best first.
pub(super) fn candidates_json(question: &Question) -> String {
    serde_json::to_string(
        &question
            .candidates
            .iter()
            .map(|(id, score)| serde_json::json!({"id": id, "score": rounded(*score)}))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".to_owned())
}

/// The JSON object of one stored question, from its columns in [`super::sql::QUESTIONS`]
/// order.
#[allow(clippy::too_many_arguments)]
pub(super) fn question_json(columns: QuestionColumns) -> serde_json::Value {
    serde_json::json!({
        "id": columns.id,
        "at": columns.at,
        "guild_id": columns.guild_id,
        "channel_id": columns.channel_id,
        "via": columns.via,
        "question": columns.question,
        "normalized": columns.normalized,
        "outcome": columns.outcome,
        "fact_id": columns.fact_id,
        "score": columns.score,
        "closest_id": columns.closest_id,
        "candidates": serde_json::from_str::<serde_json::Value>(&columns.candidates)
            .unwrap_or_default(),
        "facts_version": columns.facts_version,
    })
}

/// A stored question's columns, as both backends read them.
pub(super) struct QuestionColumns {
    pub id: i64,
    pub at: i64,
    pub guild_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub via: String,
    pub question: String,
    pub normalized: String,
    pub outcome: String,
    pub fact_id: Option<String>,
    pub score: f64,
    pub closest_id: Option<String>,
    pub candidates: String,
    pub facts_version: String,
}
