//! What both backends of the question log share: the [`Backend`] trait, the rows they write
//! and read, and their errors. Both keep the same tables, run the same SQL ([`super::sql`]) and
//! apply the same numbered migrations at start; `super::database::Database` hides which one is
//! in use.
//!
//! Times are Unix seconds (UTC). Discord ids are stored as integers (they fit in 63 bits).
//! There is no column for a user: see the module above.

use std::path::PathBuf;

use postgres::error::SqlState;

use super::fleet::Heartbeat;
use super::{Click, Feedback, Question};

/// The schema this code writes; a newer one (from a newer factbot) is left alone.
pub const SCHEMA_VERSION: i64 = 3;

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
    #[error("{database}: {}", describe_postgres(source))]
    Postgres {
        /// The URL without its password.
        database: String,
        source: postgres::Error,
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
            Self::Postgres { source, .. } => postgres_outage(source),
            _ => false,
        }
    }
}

/// The server's own message when it sent one ("role … is not permitted to log in"), else the
/// client's with its cause ("error connecting to server: Connection refused"): the crate's
/// `Display` alone says only "db error".
fn describe_postgres(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return format!(
            "{}: {} (SQLSTATE {})",
            db.severity(),
            db.message(),
            db.code().code()
        );
    }
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        let inner_text = inner.to_string();
        if !text.contains(&inner_text) {
            text = format!("{text}: {inner_text}");
        }
        cause = inner.source();
    }
    text
}

/// Whether `error` means the server is out of reach : no
/// connection, a connection cut (a restart, `pg_terminate_backend`), a login refused, too many
/// connections, a timeout. A statement the server rejected for its data (classes 22 and 23)
/// or as impossible (class 42, except a permission an administrator can give back) is not.
fn postgres_outage(error: &postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    match error.code() {
        Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => true,
        Some(code) => !["22", "23", "42"]
            .iter()
            .any(|class| code.code().starts_with(class)),
        // No SQLSTATE: the socket, the connection set-up or a timeout, unless a value could
        // not be converted (a bug, which retrying cannot fix).
        None => {
            let text = error.to_string();
            !(text.starts_with("error serializing") || text.starts_with("error deserializing"))
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

/// A fact a member clicked on a "did you mean" or "I don't know" reply, with the question that
/// reply was for, as `suggest` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRow {
    /// When the click was (Unix seconds).
    pub at: i64,
    /// The fact clicked.
    pub fact: String,
    pub question_id: i64,
    /// The question as the member typed it.
    pub question: String,
    pub normalized: String,
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
    fn resolved(&mut self, since: i64, max: i64) -> Result<Vec<ResolvedRow>, DbError>;
    /// Remembers that suggestion `id` (for `fact`) was dismissed; again is no error.
    fn dismiss(&mut self, id: &str, at: i64, fact: &str) -> Result<(), DbError>;
    fn dismissed(&mut self) -> Result<Vec<String>, DbError>;
    fn processes(&mut self) -> Result<Vec<Heartbeat>, DbError>;
    fn question_count(&mut self) -> Result<u64, DbError>;
    fn questions_json(&mut self) -> Result<Vec<serde_json::Value>, DbError>;
    fn columns(&mut self) -> Result<Vec<String>, DbError>;
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

/// One result row, read by column index: what each backend's row type offers, so the shapes
/// of a stored question and of a heartbeat are read in one place for both.
pub(super) trait Columns {
    type Error;
    fn int(&self, i: usize) -> Result<Option<i64>, Self::Error>;
    fn real(&self, i: usize) -> Result<f64, Self::Error>;
    fn text(&self, i: usize) -> Result<Option<String>, Self::Error>;
}

fn small(value: Option<i64>) -> Option<u32> {
    value.and_then(|v| u32::try_from(v).ok())
}

fn count_of(value: Option<i64>) -> u64 {
    value.and_then(|v| u64::try_from(v).ok()).unwrap_or(0)
}

/// A heartbeat row, its columns in [`super::sql::PROCESSES`] order.
pub(super) fn heartbeat_from<C: Columns>(row: &C) -> Result<Heartbeat, C::Error> {
    Ok(Heartbeat {
        process_id: row.text(0)?.unwrap_or_default(),
        host: row.text(1)?.unwrap_or_default(),
        pid: small(row.int(2)?).unwrap_or(0),
        shard_first: small(row.int(3)?),
        shard_last: small(row.int(4)?),
        shard_total: small(row.int(5)?),
        started_at: row.int(6)?.unwrap_or(0),
        seen_at: row.int(7)?.unwrap_or(0),
        beat_secs: small(row.int(8)?).unwrap_or(1),
        facts_version: row.text(9)?.unwrap_or_default(),
        facts_loaded_at: row.int(10)?.unwrap_or(0),
        last_reload: row.text(11)?,
        reload_error: row.text(12)?,
        dropped: count_of(row.int(13)?),
        waiting: count_of(row.int(14)?),
    })
}

/// The JSON object of one stored question, its columns in [`super::sql::QUESTIONS`] order.
pub(super) fn question_json<C: Columns>(row: &C) -> Result<serde_json::Value, C::Error> {
    let candidates = row.text(11)?.unwrap_or_default();
    Ok(serde_json::json!({
        "id": row.int(0)?,
        "at": row.int(1)?,
        "guild_id": row.int(2)?,
        "channel_id": row.int(3)?,
        "via": row.text(4)?,
        "question": row.text(5)?,
        "normalized": row.text(6)?,
        "outcome": row.text(7)?,
        "fact_id": row.text(8)?,
        "score": row.real(9)?,
        "closest_id": row.text(10)?,
        "candidates": serde_json::from_str::<serde_json::Value>(&candidates).unwrap_or_default(),
        "facts_version": row.text(12)?,
    }))
}
