//! The SQLite file behind the history: schema, writes, pruning and the moderators' queries.
//!
//! One connection per user of the file: the writer thread's, and one per query (the bot's
//! `gaps`/`stats` commands, or the terminal's, possibly in another process while the bot
//! runs). WAL mode lets those readers work while the writer writes; a short busy timeout
//! makes a locked file an error quickly instead of a stalled writer.
//!
//! Times are Unix seconds (UTC). Discord ids are stored as integers (they fit in 63 bits).
//! There is no column for a user: see the module above.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags};

use super::{Click, Feedback, Question};

/// The schema this code writes; a newer one (from a newer factbot) is left alone.
const SCHEMA_VERSION: i64 = 1;
/// How long a write waits for another process's lock before giving up (and dropping its batch).
const BUSY_TIMEOUT: Duration = Duration::from_millis(1500);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS questions (
    id            INTEGER PRIMARY KEY,  -- assigned by factbot, time-ordered
    at            INTEGER NOT NULL,     -- Unix seconds, UTC
    guild_id      INTEGER,              -- NULL in a direct message
    channel_id    INTEGER,
    via           TEXT NOT NULL,        -- mention | dm | slash
    question      TEXT NOT NULL,
    normalized    TEXT NOT NULL,        -- the matcher's reading, for grouping
    outcome       TEXT NOT NULL,        -- answered | ambiguous | unknown
    fact_id       TEXT,                 -- the answer, when answered
    score         REAL NOT NULL,
    closest_id    TEXT,                 -- the best candidate, answered or not
    candidates    TEXT NOT NULL,        -- JSON [{\"id\", \"score\"}], best first
    facts_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_at ON questions (at);
CREATE TABLE IF NOT EXISTS clicks (         -- follow-up buttons
    at         INTEGER NOT NULL,
    guild_id   INTEGER,
    channel_id INTEGER,
    fact_id    TEXT NOT NULL,
    found      INTEGER NOT NULL          -- 0 when the fact had been removed
);
CREATE INDEX IF NOT EXISTS clicks_at ON clicks (at);
CREATE TABLE IF NOT EXISTS feedback (       -- \"Was this helpful?\" buttons
    at          INTEGER NOT NULL,
    question_id INTEGER,                  -- questions.id, when the answer was to a question
    fact_id     TEXT NOT NULL,
    helpful     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback (at);
";

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
    #[error("{} does not exist: no questions have been recorded yet", path.display())]
    Missing { path: PathBuf },
    #[error("{} was written by a newer factbot (schema {found}, this one knows {SCHEMA_VERSION})", path.display())]
    Newer { path: PathBuf, found: i64 },
}

pub struct Database {
    conn: Connection,
    path: PathBuf,
}

/// A job for the writer: one row.
pub(super) enum Row {
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

/// A score as stored: three decimals, like `ask --json`, without f32 noise.
fn rounded(score: f32) -> f64 {
    (f64::from(score) * 1000.0).round() / 1000.0
}

fn to_i64(id: Option<u64>) -> Option<i64> {
    id.and_then(|id| i64::try_from(id).ok())
}

impl Database {
    /// Opens `path` for writing, creating it and its folder when missing.
    pub fn create(path: &Path) -> Result<Self, DbError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| DbError::Folder {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| sqlite(path, source))?;
        let db = Self {
            conn,
            path: path.to_path_buf(),
        };
        db.prepare()?;
        Ok(db)
    }

    /// Opens an existing `path` for reading (the queries); never creates it.
    pub fn open_existing(path: &Path) -> Result<Self, DbError> {
        if !path.is_file() {
            return Err(DbError::Missing {
                path: path.to_path_buf(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|source| sqlite(path, source))?;
        let db = Self {
            conn,
            path: path.to_path_buf(),
        };
        db.prepare()?;
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, source: rusqlite::Error) -> DbError {
        sqlite(&self.path, source)
    }

    /// WAL, a busy timeout, and the schema (created or checked).
    fn prepare(&self) -> Result<(), DbError> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| self.err(e))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| self.err(e))?;
        if version > SCHEMA_VERSION {
            return Err(DbError::Newer {
                path: self.path.clone(),
                found: version,
            });
        }
        // WAL persists in the file; asking again is cheap and repairs a file made elsewhere.
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| self.err(e))?;
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| self.err(e))?;
        if version < SCHEMA_VERSION {
            self.conn.execute_batch(SCHEMA).map_err(|e| self.err(e))?;
            self.conn
                .pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Writes `rows` in one transaction: all or none.
    pub(super) fn write(&mut self, rows: &[Row]) -> Result<(), DbError> {
        let path = self.path.clone();
        let err = |source| sqlite(&path, source);
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut question = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO questions (id, at, guild_id, channel_id, via, question, \
                     normalized, outcome, fact_id, score, closest_id, candidates, facts_version) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )
                .map_err(err)?;
            let mut click = tx
                .prepare_cached(
                    "INSERT INTO clicks (at, guild_id, channel_id, fact_id, found) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(err)?;
            let mut feedback = tx
                .prepare_cached(
                    "INSERT INTO feedback (at, question_id, fact_id, helpful) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err)?;
            for row in rows {
                match row {
                    Row::Question(q) => {
                        let candidates = serde_json::to_string(
                            &q.candidates
                                .iter()
                                .map(|(id, score)| serde_json::json!({"id": id, "score": rounded(*score)}))
                                .collect::<Vec<_>>(),
                        )
                        .unwrap_or_else(|_| "[]".to_owned());
                        question
                            .execute(params![
                                q.id.0,
                                q.at,
                                to_i64(q.guild),
                                to_i64(q.channel),
                                q.via.as_str(),
                                q.text,
                                q.normalized,
                                super::status_name(q.status),
                                q.fact,
                                rounded(q.score),
                                q.candidates.first().map(|(id, _)| id.as_str()),
                                candidates,
                                q.version,
                            ])
                            .map_err(err)?;
                    }
                    Row::Click(c) => {
                        click
                            .execute(params![
                                c.at,
                                to_i64(c.guild),
                                to_i64(c.channel),
                                c.fact,
                                c.found
                            ])
                            .map_err(err)?;
                    }
                    Row::Feedback(f) => {
                        feedback
                            .execute(params![f.at, f.question.map(|q| q.0), f.fact, f.helpful])
                            .map_err(err)?;
                    }
                }
            }
        }
        tx.commit().map_err(err)
    }

    /// Deletes everything recorded before `before` (Unix seconds); returns the rows deleted.
    pub fn prune(&self, before: i64) -> Result<usize, DbError> {
        let mut deleted = 0;
        for table in ["questions", "clicks", "feedback"] {
            deleted += self
                .conn
                .execute(&format!("DELETE FROM {table} WHERE at < ?1"), [before])
                .map_err(|e| self.err(e))?;
        }
        Ok(deleted)
    }

    /// Questions not answered since `since`, newest first, at most `max` of them.
    pub fn unanswered(&self, since: i64, max: usize) -> Result<Vec<GapRow>, DbError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT at, question, normalized, outcome, closest_id FROM questions \
                 WHERE at >= ?1 AND outcome IN ('unknown', 'ambiguous') ORDER BY at DESC, id DESC LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(
                params![since, i64::try_from(max).unwrap_or(i64::MAX)],
                |row| {
                    Ok(GapRow {
                        at: row.get(0)?,
                        question: row.get(1)?,
                        normalized: row.get(2)?,
                        ambiguous: row.get::<_, String>(3)? == "ambiguous",
                        closest: row.get(4)?,
                    })
                },
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The figures for `stats` since `since`; `top` facts at most per list.
    pub fn stats(&self, since: i64, top: usize) -> Result<StatsRows, DbError> {
        let top = i64::try_from(top).unwrap_or(i64::MAX);
        let count = |row: &rusqlite::Row<'_>, i| -> rusqlite::Result<u64> {
            Ok(u64::try_from(row.get::<_, i64>(i)?).unwrap_or(0))
        };
        let mut days = self
            .conn
            .prepare(
                "SELECT date(at, 'unixepoch') AS day, SUM(outcome = 'answered'), \
                 SUM(outcome = 'ambiguous'), SUM(outcome = 'unknown') \
                 FROM questions WHERE at >= ?1 GROUP BY day ORDER BY day",
            )
            .map_err(|e| self.err(e))?;
        let days = days
            .query_map([since], |row| {
                Ok((row.get(0)?, count(row, 1)?, count(row, 2)?, count(row, 3)?))
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        let ranked = |sql: &str| -> Result<Vec<(String, u64)>, DbError> {
            let mut statement = self.conn.prepare(sql).map_err(|e| self.err(e))?;
            let rows = statement
                .query_map(params![since, top], |row| Ok((row.get(0)?, count(row, 1)?)))
                .map_err(|e| self.err(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
        };
        let answered = ranked(
            "SELECT fact_id, COUNT(*) AS n FROM questions WHERE at >= ?1 AND outcome = 'answered' \
             AND fact_id IS NOT NULL GROUP BY fact_id ORDER BY n DESC, fact_id LIMIT ?2",
        )?;
        let clicked = ranked(
            "SELECT fact_id, COUNT(*) AS n FROM clicks WHERE at >= ?1 \
             GROUP BY fact_id ORDER BY n DESC, fact_id LIMIT ?2",
        )?;
        let (helpful, not_helpful) = self
            .conn
            .query_row(
                "SELECT COALESCE(SUM(helpful != 0), 0), COALESCE(SUM(helpful = 0), 0) \
                 FROM feedback WHERE at >= ?1",
                [since],
                |row| Ok((count(row, 0)?, count(row, 1)?)),
            )
            .map_err(|e| self.err(e))?;
        let clicks = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM clicks WHERE at >= ?1",
                [since],
                |row| count(row, 0),
            )
            .map_err(|e| self.err(e))?;
        Ok(StatsRows {
            days,
            answered,
            clicks,
            clicked,
            helpful,
            not_helpful,
        })
    }

    /// How many questions are on record (for status and tests).
    pub fn question_count(&self) -> Result<u64, DbError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM questions", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(|e| self.err(e))
    }

    /// Every recorded question, oldest first, as JSON objects: for tests and exports.
    pub fn questions_json(&self) -> Result<Vec<serde_json::Value>, DbError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, at, guild_id, channel_id, via, question, normalized, outcome, fact_id, \
                 score, closest_id, candidates, facts_version FROM questions ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map([], |row| {
                let candidates: String = row.get(11)?;
                Ok(serde_json::json!({
                    "id": row.get::<_, i64>(0)?,
                    "at": row.get::<_, i64>(1)?,
                    "guild_id": row.get::<_, Option<i64>>(2)?,
                    "channel_id": row.get::<_, Option<i64>>(3)?,
                    "via": row.get::<_, String>(4)?,
                    "question": row.get::<_, String>(5)?,
                    "normalized": row.get::<_, String>(6)?,
                    "outcome": row.get::<_, String>(7)?,
                    "fact_id": row.get::<_, Option<String>>(8)?,
                    "score": row.get::<_, f64>(9)?,
                    "closest_id": row.get::<_, Option<String>>(10)?,
                    "candidates": serde_json::from_str::<serde_json::Value>(&candidates)
                        .unwrap_or_default(),
                    "facts_version": row.get::<_, String>(12)?,
                }))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The names of every column of every table: lets a test prove no user column exists.
    pub fn columns(&self) -> Result<Vec<String>, DbError> {
        let mut names = Vec::new();
        for table in ["questions", "clicks", "feedback"] {
            let mut statement = self
                .conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .map_err(|e| self.err(e))?;
            let rows = statement
                .query_map([], |row| row.get::<_, String>(0))
                .map_err(|e| self.err(e))?;
            for name in rows {
                names.push(format!("{table}.{}", name.map_err(|e| self.err(e))?));
            }
        }
        Ok(names)
    }
}

fn sqlite(path: &Path, source: rusqlite::Error) -> DbError {
    DbError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}
