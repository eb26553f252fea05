//! The SQLite backend: one file, for one process (or a few on one machine).
//!
//! One connection per user of the file: the writer thread's, and one per query (the bot's
//! `gaps`/`stats` commands, or the terminal's, possibly in another process while the bot
//! runs). WAL mode lets those readers work while the writer writes; a short busy timeout
//! makes a locked file an error quickly instead of a stalled writer. The schema version is
//! SQLite's `user_version`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};

use super::db::{
    candidates_json, heartbeat_from, question_json, rounded, to_i64, Backend, Columns, DbError,
    GapRow, Record, ResolvedRow, Row, StatsRows, SCHEMA_VERSION,
};
use super::fleet::Heartbeat;
use super::sql;

/// How long a write waits for another process's lock before giving up (and dropping its batch).
const BUSY_TIMEOUT: Duration = Duration::from_millis(1500);

/// SQLite's page cache per connection, in KiB (SQLite's default is 2,000 KiB). The bot only
/// appends records and reads small reports, which need a few pages each; the cache is kept
/// for the life of the process, in a memory budget of 30 MiB (`benches/README.md`).
const CACHE_KIB: i64 = 256;

/// Migration `n` takes the schema from version `n` to `n + 1`; never edit one that shipped.
const MIGRATIONS: [&str; 3] = [
    "
CREATE TABLE IF NOT EXISTS questions (
    id            INTEGER PRIMARY KEY,  -- made by factbot, time-ordered
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
",
    "
ALTER TABLE clicks ADD COLUMN id INTEGER;   -- NULL on rows from before ids
CREATE UNIQUE INDEX clicks_id ON clicks (id);
ALTER TABLE feedback ADD COLUMN id INTEGER;
CREATE UNIQUE INDEX feedback_id ON feedback (id);
CREATE TABLE processes (                    -- one heartbeat per running bot
    process_id      TEXT PRIMARY KEY,
    host            TEXT NOT NULL,
    pid             INTEGER NOT NULL,
    shard_first     INTEGER,
    shard_last      INTEGER,
    shard_total     INTEGER,
    started_at      INTEGER NOT NULL,
    seen_at         INTEGER NOT NULL,
    beat_secs       INTEGER NOT NULL,
    facts_version   TEXT NOT NULL,
    facts_loaded_at INTEGER NOT NULL,
    last_reload     TEXT,
    reload_error    TEXT,
    dropped         INTEGER NOT NULL,
    waiting         INTEGER NOT NULL
);
",
    "
ALTER TABLE clicks ADD COLUMN question_id INTEGER;  -- questions.id of the reply clicked on, when known
CREATE INDEX clicks_question ON clicks (question_id);
CREATE TABLE dismissed (                    -- suggestions a moderator dismissed
    id      TEXT PRIMARY KEY,               -- the suggestion's id (a hash, no text)
    at      INTEGER NOT NULL,
    fact_id TEXT NOT NULL
);
",
];

pub(super) struct Sqlite {
    conn: Connection,
    path: PathBuf,
}

impl Sqlite {
    /// Opens `path`, creating it and its folder when `create`; applies migrations.
    pub(super) fn open(path: &Path, create: bool) -> Result<Self, DbError> {
        let conn = if create {
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(|source| DbError::Folder {
                    path: folder.to_path_buf(),
                    source,
                })?;
            }
            Connection::open(path)
        } else {
            if !path.is_file() {
                return Err(DbError::Missing {
                    path: path.to_path_buf(),
                });
            }
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(path, flags)
        };
        let mut db = Self {
            conn: conn.map_err(|source| sqlite(path, source))?,
            path: path.to_path_buf(),
        };
        db.prepare()?;
        Ok(db)
    }

    fn err(&self, source: rusqlite::Error) -> DbError {
        sqlite(&self.path, source)
    }

    /// WAL, a busy timeout, and the migrations this file lacks, in one transaction.
    fn prepare(&mut self) -> Result<(), DbError> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| self.err(e))?;
        let version = self.version()?;
        if version > SCHEMA_VERSION {
            return Err(self.newer(version));
        }
        // WAL persists in the file; asking again is cheap and repairs a file made elsewhere.
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| self.err(e))?;
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| self.err(e))?;
        // A negative cache_size is a size in KiB rather than in pages.
        self.conn
            .pragma_update(None, "cache_size", -CACHE_KIB)
            .map_err(|e| self.err(e))?;
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sqlite(&path, e))?;
        // Read again under the lock: another process may have migrated meanwhile.
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| sqlite(&path, e))?;
        for (from, migration) in MIGRATIONS.iter().enumerate().skip(as_index(version)) {
            tx.execute_batch(migration).map_err(|e| sqlite(&path, e))?;
            tx.pragma_update(None, "user_version", from + 1)
                .map_err(|e| sqlite(&path, e))?;
        }
        tx.commit().map_err(|e| sqlite(&path, e))
    }

    fn version(&self) -> Result<i64, DbError> {
        self.conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| self.err(e))
    }

    fn newer(&self, found: i64) -> DbError {
        DbError::Newer {
            database: self.path.display().to_string(),
            found,
        }
    }

    fn ranked(&self, sql: &str, since: i64, top: i64) -> Result<Vec<(String, u64)>, DbError> {
        let mut statement = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![since, top], |row| Ok((row.get(0)?, count(row, 1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

fn as_index(version: i64) -> usize {
    usize::try_from(version).unwrap_or(0)
}

fn count(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(row.get::<_, i64>(i)?).unwrap_or(0))
}

impl Backend for Sqlite {
    fn write(&mut self, rows: &[Row]) -> Result<(), DbError> {
        let path = self.path.clone();
        let err = |source| sqlite(&path, source);
        let version = self.version()?;
        if version > SCHEMA_VERSION {
            return Err(self.newer(version));
        }
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut question = tx.prepare_cached(sql::INSERT_QUESTION).map_err(err)?;
            let mut click = tx.prepare_cached(sql::INSERT_CLICK).map_err(err)?;
            let mut feedback = tx.prepare_cached(sql::INSERT_FEEDBACK).map_err(err)?;
            for row in rows {
                match &row.record {
                    Record::Question(q) => question.execute(params![
                        row.id,
                        q.at,
                        to_i64(q.guild),
                        to_i64(q.channel),
                        q.via.as_str(),
                        q.text,
                        q.normalized,
                        super::status_name(q.status),
                        q.fact,
                        rounded(q.score),
                        q.closest.as_deref(),
                        candidates_json(q),
                        q.version,
                    ]),
                    Record::Click(c) => click.execute(params![
                        row.id,
                        c.at,
                        to_i64(c.guild),
                        to_i64(c.channel),
                        c.fact,
                        c.found,
                        c.question.map(|q| q.0)
                    ]),
                    Record::Feedback(f) => feedback.execute(params![
                        row.id,
                        f.at,
                        f.question.map(|q| q.0),
                        f.fact,
                        f.helpful
                    ]),
                }
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    fn prune(&mut self, before: i64) -> Result<usize, DbError> {
        let mut deleted = 0;
        for statement in sql::PRUNE {
            deleted += self
                .conn
                .execute(statement, [before])
                .map_err(|e| self.err(e))?;
        }
        Ok(deleted)
    }

    fn beat(&mut self, beat: &Heartbeat) -> Result<(), DbError> {
        let path = self.path.clone();
        let err = |source| sqlite(&path, source);
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            sql::BEAT,
            params![
                beat.process_id,
                beat.host,
                beat.pid,
                beat.shard_first,
                beat.shard_last,
                beat.shard_total,
                beat.started_at,
                beat.seen_at,
                beat.beat_secs,
                beat.facts_version,
                beat.facts_loaded_at,
                beat.last_reload,
                beat.reload_error,
                i64::try_from(beat.dropped).unwrap_or(i64::MAX),
                i64::try_from(beat.waiting).unwrap_or(i64::MAX),
            ],
        )
        .map_err(err)?;
        tx.execute(sql::AGE_OUT, [beat.seen_at]).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn leave(&mut self, process_id: &str) -> Result<(), DbError> {
        self.conn
            .execute(sql::LEAVE, [process_id])
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn unanswered(&mut self, since: i64, max: i64) -> Result<Vec<GapRow>, DbError> {
        let mut statement = self
            .conn
            .prepare_cached(sql::UNANSWERED)
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![since, max], |row| {
                Ok(GapRow {
                    at: row.get(0)?,
                    question: row.get(1)?,
                    normalized: row.get(2)?,
                    ambiguous: row.get::<_, String>(3)? == "ambiguous",
                    closest: row.get(4)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn resolved(&mut self, since: i64, max: i64) -> Result<Vec<ResolvedRow>, DbError> {
        let mut statement = self
            .conn
            .prepare_cached(sql::RESOLVED)
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![since, max], |row| {
                Ok(ResolvedRow {
                    at: row.get(0)?,
                    fact: row.get(1)?,
                    question_id: row.get(2)?,
                    question: row.get(3)?,
                    normalized: row.get(4)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn dismiss(&mut self, id: &str, at: i64, fact: &str) -> Result<(), DbError> {
        self.conn
            .execute(sql::DISMISS, params![id, at, fact])
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn dismissed(&mut self) -> Result<Vec<String>, DbError> {
        let mut statement = self
            .conn
            .prepare_cached(sql::DISMISSED)
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map([], |row| row.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn stats(&mut self, since: i64, top: i64) -> Result<StatsRows, DbError> {
        let days_sql = sql::DAYS.replace("{day}", "date(at, 'unixepoch')");
        let mut days = self.conn.prepare(&days_sql).map_err(|e| self.err(e))?;
        let days = days
            .query_map([since], |row| {
                Ok((row.get(0)?, count(row, 1)?, count(row, 2)?, count(row, 3)?))
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        let (helpful, not_helpful) = self
            .conn
            .query_row(sql::HELPFUL, [since], |row| {
                Ok((count(row, 0)?, count(row, 1)?))
            })
            .map_err(|e| self.err(e))?;
        let clicks = self
            .conn
            .query_row(sql::CLICKS, [since], |row| count(row, 0))
            .map_err(|e| self.err(e))?;
        Ok(StatsRows {
            days,
            answered: self.ranked(sql::TOP_ANSWERED, since, top)?,
            clicks,
            clicked: self.ranked(sql::TOP_CLICKED, since, top)?,
            helpful,
            not_helpful,
        })
    }

    fn processes(&mut self) -> Result<Vec<Heartbeat>, DbError> {
        let mut statement = self
            .conn
            .prepare_cached(sql::PROCESSES)
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map([], |row| heartbeat_from(row))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn question_count(&mut self) -> Result<u64, DbError> {
        self.conn
            .query_row(sql::QUESTION_COUNT, [], |row| count(row, 0))
            .map_err(|e| self.err(e))
    }

    fn questions_json(&mut self) -> Result<Vec<serde_json::Value>, DbError> {
        let mut statement = self.conn.prepare(sql::QUESTIONS).map_err(|e| self.err(e))?;
        let rows = statement
            .query_map([], |row| question_json(row))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn columns(&mut self) -> Result<Vec<String>, DbError> {
        let mut names = Vec::new();
        for table in sql::TABLES {
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

impl Columns for rusqlite::Row<'_> {
    type Error = rusqlite::Error;
    fn int(&self, i: usize) -> Result<Option<i64>, Self::Error> {
        self.get(i)
    }
    fn real(&self, i: usize) -> Result<f64, Self::Error> {
        self.get(i)
    }
    fn text(&self, i: usize) -> Result<Option<String>, Self::Error> {
        self.get(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_one_file_is_migrated_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        let old = Connection::open(&path).unwrap();
        old.execute_batch(MIGRATIONS[0]).unwrap();
        old.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO clicks (at, guild_id, channel_id, fact_id, found) VALUES (5, 1, 2, 'a', 1);",
        )
        .unwrap();
        drop(old);
        let mut db = Sqlite::open(&path, false).unwrap();
        assert_eq!(db.version().unwrap(), SCHEMA_VERSION);
        assert_eq!(db.stats(0, 5).unwrap().clicks, 1);
        assert!(db
            .columns()
            .unwrap()
            .contains(&"processes.facts_version".to_owned()));
    }

    #[test]
    fn a_newer_schema_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v9.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA user_version = 9;")
            .unwrap();
        let error = Sqlite::open(&path, true).err().unwrap().to_string();
        assert!(
            error.ends_with(
                "v9.db was written by a newer factbot (schema 9, this one knows 3): nothing is written to it; upgrade this factbot"
            ),
            "{error}"
        );
    }
}
