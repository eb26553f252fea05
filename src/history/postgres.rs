//! The PostgreSQL backend: one database shared by every process of a fleet.
//!
//! The sync `postgres` crate, not `tokio-postgres` or `sqlx`: the log is written by one
//! dedicated thread and read in `spawn_blocking`, so a blocking client is the honest shape
//! (it drives its own small runtime inside), it keeps the answer path's runtime free of
//! database work, and it mirrors rusqlite's API so both backends read alike. The schema
//! version lives in `factbot_schema`; migrations run in one transaction under an advisory lock,
//! so two processes starting together do not both migrate.

use std::time::Duration;

use postgres::{Client, NoTls, Transaction};

use super::db::{
    candidates_json, heartbeat_from, question_json, rounded, to_i64, Backend, Columns, DbError,
    GapRow, Record, ResolvedRow, Row, StatsRows, SCHEMA_VERSION,
};
use super::fleet::Heartbeat;
use super::sql;
use crate::config::DatabaseLocation;

/// A server that does not answer a connection within this is down, as far as the writer knows.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Any one statement longer than this is cut, so a stuck server cannot stall the writer.
const STATEMENT_TIMEOUT_MS: u32 = 15_000;
/// `pg_advisory_xact_lock` key for migrations: "factbot" in ASCII.
const MIGRATION_LOCK: i64 = 0x0066_6163_7462_6f74;

/// Migration `n` takes the schema from version `n` to `n + 1`; never edit one that shipped.
/// The same tables and versions as the SQLite backend, in PostgreSQL's types.
const MIGRATIONS: [&str; 3] = [
    "
CREATE TABLE questions (
    id            BIGINT PRIMARY KEY,   -- made by factbot, time-ordered
    at            BIGINT NOT NULL,      -- Unix seconds, UTC
    guild_id      BIGINT,               -- NULL in a direct message
    channel_id    BIGINT,
    via           TEXT NOT NULL,        -- mention | dm | slash
    question      TEXT NOT NULL,
    normalized    TEXT NOT NULL,        -- the matcher's reading, for grouping
    outcome       TEXT NOT NULL,        -- answered | ambiguous | unknown
    fact_id       TEXT,
    score         DOUBLE PRECISION NOT NULL,
    closest_id    TEXT,
    candidates    TEXT NOT NULL,        -- JSON [{\"id\", \"score\"}], best first
    facts_version TEXT NOT NULL
);
CREATE INDEX questions_at ON questions (at);
CREATE TABLE clicks (
    at         BIGINT NOT NULL,
    guild_id   BIGINT,
    channel_id BIGINT,
    fact_id    TEXT NOT NULL,
    found      BOOLEAN NOT NULL
);
CREATE INDEX clicks_at ON clicks (at);
CREATE TABLE feedback (
    at          BIGINT NOT NULL,
    question_id BIGINT,
    fact_id     TEXT NOT NULL,
    helpful     BOOLEAN NOT NULL
);
CREATE INDEX feedback_at ON feedback (at);
",
    "
ALTER TABLE clicks ADD COLUMN id BIGINT UNIQUE;
ALTER TABLE feedback ADD COLUMN id BIGINT UNIQUE;
CREATE TABLE processes (
    process_id      TEXT PRIMARY KEY,
    host            TEXT NOT NULL,
    pid             BIGINT NOT NULL,
    shard_first     BIGINT,
    shard_last      BIGINT,
    shard_total     BIGINT,
    started_at      BIGINT NOT NULL,
    seen_at         BIGINT NOT NULL,
    beat_secs       BIGINT NOT NULL,
    facts_version   TEXT NOT NULL,
    facts_loaded_at BIGINT NOT NULL,
    last_reload     TEXT,
    reload_error    TEXT,
    dropped         BIGINT NOT NULL,
    waiting         BIGINT NOT NULL
);
",
    "
ALTER TABLE clicks ADD COLUMN question_id BIGINT;
CREATE INDEX clicks_question ON clicks (question_id);
CREATE TABLE dismissed (
    id      TEXT PRIMARY KEY,
    at      BIGINT NOT NULL,
    fact_id TEXT NOT NULL
);
",
];

pub(super) struct Postgres {
    client: Client,
    /// The URL without its password, for messages.
    shown: String,
}

impl Postgres {
    /// Connects to `url` and applies the migrations it lacks.
    pub(super) fn connect(url: &str) -> Result<Self, DbError> {
        let shown = DatabaseLocation::Postgres(url.to_owned()).to_string();
        let err = |source| DbError::Postgres {
            database: shown.clone(),
            source,
        };
        let mut config: postgres::Config = url.parse().map_err(err)?;
        config
            .connect_timeout(CONNECT_TIMEOUT)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30))
            .application_name("factbot")
            .options(&format!("-c statement_timeout={STATEMENT_TIMEOUT_MS}"));
        let client = config.connect(NoTls).map_err(err)?;
        let mut db = Self { client, shown };
        db.migrate()?;
        Ok(db)
    }

    fn err(&self, source: postgres::Error) -> DbError {
        DbError::Postgres {
            database: self.shown.clone(),
            source,
        }
    }

    fn migrate(&mut self) -> Result<(), DbError> {
        let shown = self.shown.clone();
        let err = |source| DbError::Postgres {
            database: shown.clone(),
            source,
        };
        let mut tx = self.client.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(err)?;
        // Only created when missing: a role that may write the tables but not create any
        // (a fleet's usual grant) still starts on a migrated database.
        let exists: bool = tx
            .query_one("SELECT to_regclass('factbot_schema') IS NOT NULL", &[])
            .and_then(|row| row.try_get(0))
            .map_err(err)?;
        if !exists {
            tx.batch_execute(
                "CREATE TABLE factbot_schema (
                     version    INTEGER PRIMARY KEY,
                     applied_at BIGINT NOT NULL
                 )",
            )
            .map_err(err)?;
        }
        let version = schema_version(&mut tx).map_err(err)?;
        if version > SCHEMA_VERSION {
            return Err(DbError::Newer {
                database: self.shown.clone(),
                found: version,
            });
        }
        for (from, migration) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(version).unwrap_or(0))
        {
            tx.batch_execute(migration).map_err(err)?;
            let to = i32::try_from(from + 1).unwrap_or(i32::MAX);
            tx.execute(
                "INSERT INTO factbot_schema (version, applied_at) \
                 VALUES ($1, EXTRACT(EPOCH FROM now())::BIGINT)",
                &[&to],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn ranked(&mut self, sql: &str, since: i64, top: i64) -> Result<Vec<(String, u64)>, DbError> {
        let rows = self
            .client
            .query(sql, &[&since, &top])
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, count(row, 1)?)))
            .collect::<Result<_, postgres::Error>>()
            .map_err(|e| self.err(e))
    }
}

fn schema_version(tx: &mut Transaction<'_>) -> Result<i64, postgres::Error> {
    tx.query_one(
        "SELECT COALESCE(MAX(version), 0)::BIGINT FROM factbot_schema",
        &[],
    )?
    .try_get(0)
}

fn count(row: &postgres::Row, i: usize) -> Result<u64, postgres::Error> {
    Ok(u64::try_from(row.try_get::<_, i64>(i)?).unwrap_or(0))
}

impl Backend for Postgres {
    fn write(&mut self, rows: &[Row]) -> Result<(), DbError> {
        let shown = self.shown.clone();
        let err = |source| DbError::Postgres {
            database: shown.clone(),
            source,
        };
        let mut tx = self.client.transaction().map_err(err)?;
        let version = schema_version(&mut tx).map_err(err)?;
        if version > SCHEMA_VERSION {
            return Err(DbError::Newer {
                database: self.shown.clone(),
                found: version,
            });
        }
        let question = tx.prepare(sql::INSERT_QUESTION).map_err(err)?;
        let click = tx.prepare(sql::INSERT_CLICK).map_err(err)?;
        let feedback = tx.prepare(sql::INSERT_FEEDBACK).map_err(err)?;
        for row in rows {
            match &row.record {
                Record::Question(q) => tx.execute(
                    &question,
                    &[
                        &row.id,
                        &q.at,
                        &to_i64(q.guild),
                        &to_i64(q.channel),
                        &q.via.as_str(),
                        &q.text,
                        &q.normalized,
                        &super::status_name(q.status),
                        &q.fact,
                        &rounded(q.score),
                        &q.closest.as_deref(),
                        &candidates_json(q),
                        &q.version,
                    ],
                ),
                Record::Click(c) => tx.execute(
                    &click,
                    &[
                        &row.id,
                        &c.at,
                        &to_i64(c.guild),
                        &to_i64(c.channel),
                        &c.fact,
                        &c.found,
                        &c.question.map(|q| q.0),
                    ],
                ),
                Record::Feedback(f) => tx.execute(
                    &feedback,
                    &[
                        &row.id,
                        &f.at,
                        &f.question.map(|q| q.0),
                        &f.fact,
                        &f.helpful,
                    ],
                ),
            }
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn prune(&mut self, before: i64) -> Result<usize, DbError> {
        let mut deleted = 0;
        for statement in sql::PRUNE {
            deleted += self
                .client
                .execute(statement, &[&before])
                .map_err(|e| self.err(e))?;
        }
        Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
    }

    fn beat(&mut self, beat: &Heartbeat) -> Result<(), DbError> {
        let shown = self.shown.clone();
        let err = |source| DbError::Postgres {
            database: shown.clone(),
            source,
        };
        let big = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let mut tx = self.client.transaction().map_err(err)?;
        tx.execute(
            sql::BEAT,
            &[
                &beat.process_id,
                &beat.host,
                &i64::from(beat.pid),
                &beat.shard_first.map(i64::from),
                &beat.shard_last.map(i64::from),
                &beat.shard_total.map(i64::from),
                &beat.started_at,
                &beat.seen_at,
                &i64::from(beat.beat_secs),
                &beat.facts_version,
                &beat.facts_loaded_at,
                &beat.last_reload,
                &beat.reload_error,
                &big(beat.dropped),
                &big(beat.waiting),
            ],
        )
        .map_err(err)?;
        tx.execute(sql::AGE_OUT, &[&beat.seen_at]).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn leave(&mut self, process_id: &str) -> Result<(), DbError> {
        self.client
            .execute(sql::LEAVE, &[&process_id])
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn unanswered(&mut self, since: i64, max: i64) -> Result<Vec<GapRow>, DbError> {
        let rows = self
            .client
            .query(sql::UNANSWERED, &[&since, &max])
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|row| {
                Ok(GapRow {
                    at: row.try_get(0)?,
                    question: row.try_get(1)?,
                    normalized: row.try_get(2)?,
                    ambiguous: row.try_get::<_, String>(3)? == "ambiguous",
                    closest: row.try_get(4)?,
                })
            })
            .collect::<Result<_, postgres::Error>>()
            .map_err(|e| self.err(e))
    }

    fn resolved(&mut self, since: i64, max: i64) -> Result<Vec<ResolvedRow>, DbError> {
        let rows = self
            .client
            .query(sql::RESOLVED, &[&since, &max])
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|row| {
                Ok(ResolvedRow {
                    at: row.try_get(0)?,
                    fact: row.try_get(1)?,
                    question_id: row.try_get(2)?,
                    question: row.try_get(3)?,
                    normalized: row.try_get(4)?,
                })
            })
            .collect::<Result<_, postgres::Error>>()
            .map_err(|e| self.err(e))
    }

    fn dismiss(&mut self, id: &str, at: i64, fact: &str) -> Result<(), DbError> {
        self.client
            .execute(sql::DISMISS, &[&id, &at, &fact])
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn dismissed(&mut self) -> Result<Vec<String>, DbError> {
        let rows = self
            .client
            .query(sql::DISMISSED, &[])
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, postgres::Error>>()
            .map_err(|e| self.err(e))
    }

    fn stats(&mut self, since: i64, top: i64) -> Result<StatsRows, DbError> {
        let days_sql = sql::DAYS.replace(
            "{day}",
            "to_char(to_timestamp(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        );
        let days = self
            .client
            .query(&days_sql, &[&since])
            .map_err(|e| self.err(e))?
            .iter()
            .map(|row| {
                Ok((
                    row.try_get(0)?,
                    count(row, 1)?,
                    count(row, 2)?,
                    count(row, 3)?,
                ))
            })
            .collect::<Result<_, postgres::Error>>()
            .map_err(|e| self.err(e))?;
        let helpful = self
            .client
            .query_one(sql::HELPFUL, &[&since])
            .map_err(|e| self.err(e))?;
        let clicks = self
            .client
            .query_one(sql::CLICKS, &[&since])
            .map_err(|e| self.err(e))?;
        let figures = (|| Ok((count(&helpful, 0)?, count(&helpful, 1)?, count(&clicks, 0)?)))();
        let (helpful, not_helpful, clicks) = figures.map_err(|e| self.err(e))?;
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
        let rows = self
            .client
            .query(sql::PROCESSES, &[])
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(heartbeat_from)
            .collect::<Result<_, postgres::Error>>()
            .map_err(|e| self.err(e))
    }

    fn question_count(&mut self) -> Result<u64, DbError> {
        let row = self
            .client
            .query_one(sql::QUESTION_COUNT, &[])
            .map_err(|e| self.err(e))?;
        count(&row, 0).map_err(|e| self.err(e))
    }

    fn questions_json(&mut self) -> Result<Vec<serde_json::Value>, DbError> {
        let rows = self
            .client
            .query(sql::QUESTIONS, &[])
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(question_json)
            .collect::<Result<_, postgres::Error>>()
            .map_err(|e| self.err(e))
    }

    fn columns(&mut self) -> Result<Vec<String>, DbError> {
        let rows = self
            .client
            .query(
                "SELECT table_name::TEXT || '.' || column_name::TEXT FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = ANY($1) \
                 ORDER BY table_name, ordinal_position",
                &[&sql::TABLES.to_vec()],
            )
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, postgres::Error>>()
            .map_err(|e| self.err(e))
    }
}

impl Columns for postgres::Row {
    type Error = postgres::Error;
    fn int(&self, i: usize) -> Result<Option<i64>, Self::Error> {
        self.try_get(i)
    }
    fn real(&self, i: usize) -> Result<f64, Self::Error> {
        self.try_get(i)
    }
    fn text(&self, i: usize) -> Result<Option<String>, Self::Error> {
        self.try_get(i)
    }
}
