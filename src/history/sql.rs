//! The SQL both backends run, written once: the dialect both SQLite and PostgreSQL read.
//!
//! Parameters are `$1`, `$2`… in order of first use: PostgreSQL numbers them, and SQLite gives
//! named parameters their index in the order they appear, so one text binds the same way on
//! both. Only the schema (column types) and the day of a timestamp differ; those live with
//! their backend.

/// Every record has an id made by its process ([`super::ids`]): a batch retried after a lost
/// connection skips what already arrived instead of writing it twice.
pub(super) const INSERT_QUESTION: &str = "INSERT INTO questions (id, at, guild_id, channel_id, \
     via, question, normalized, outcome, fact_id, score, closest_id, candidates, facts_version) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING";
pub(super) const INSERT_CLICK: &str = "INSERT INTO clicks (id, at, guild_id, channel_id, \
     fact_id, found, question_id) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
pub(super) const INSERT_FEEDBACK: &str = "INSERT INTO feedback (id, at, question_id, fact_id, \
     helpful) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";

pub(super) const PRUNE: [&str; 3] = [
    "DELETE FROM questions WHERE at < $1",
    "DELETE FROM clicks WHERE at < $1",
    "DELETE FROM feedback WHERE at < $1",
];

pub(super) const UNANSWERED: &str = "SELECT at, question, normalized, outcome, closest_id \
     FROM questions WHERE at >= $1 AND outcome IN ('unknown', 'ambiguous') \
     ORDER BY at DESC, id DESC LIMIT $2";

/// Facts clicked on a "did you mean" or "I don't know" reply, with the question that reply was
/// for: what members meant, in their own words (`suggest`). Newest first.
pub(super) const RESOLVED: &str = "SELECT c.at, c.fact_id, q.id, q.question, q.normalized \
     FROM clicks c JOIN questions q ON q.id = c.question_id \
     WHERE c.at >= $1 AND c.found ORDER BY c.at DESC, c.id DESC LIMIT $2";
/// A dismissed suggestion is remembered by its id alone (a hash of the fact and the wording's
/// reading): no member's text outlives the questions' retention.
pub(super) const DISMISS: &str =
    "INSERT INTO dismissed (id, at, fact_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
pub(super) const DISMISSED: &str = "SELECT id FROM dismissed ORDER BY id";

/// Per day: answered, ambiguous, unknown. `{day}` is the backend's UTC day of `at`.
pub(super) const DAYS: &str = "SELECT {day} AS day, \
     COUNT(*) FILTER (WHERE outcome = 'answered'), \
     COUNT(*) FILTER (WHERE outcome = 'ambiguous'), \
     COUNT(*) FILTER (WHERE outcome = 'unknown') \
     FROM questions WHERE at >= $1 GROUP BY day ORDER BY day";
pub(super) const TOP_ANSWERED: &str = "SELECT fact_id, COUNT(*) AS n FROM questions \
     WHERE at >= $1 AND outcome = 'answered' AND fact_id IS NOT NULL \
     GROUP BY fact_id ORDER BY n DESC, fact_id LIMIT $2";
pub(super) const TOP_CLICKED: &str = "SELECT fact_id, COUNT(*) AS n FROM clicks WHERE at >= $1 \
     GROUP BY fact_id ORDER BY n DESC, fact_id LIMIT $2";
pub(super) const CLICKS: &str = "SELECT COUNT(*) FROM clicks WHERE at >= $1";
pub(super) const HELPFUL: &str = "SELECT COUNT(*) FILTER (WHERE helpful), \
     COUNT(*) FILTER (WHERE NOT helpful) FROM feedback WHERE at >= $1";

pub(super) const QUESTION_COUNT: &str = "SELECT COUNT(*) FROM questions";
pub(super) const QUESTIONS: &str = "SELECT id, at, guild_id, channel_id, via, question, \
     normalized, outcome, fact_id, score, closest_id, candidates, facts_version \
     FROM questions ORDER BY id";

/// One process's heartbeat, written over its previous one.
pub(super) const BEAT: &str = "INSERT INTO processes (process_id, host, pid, shard_first, \
     shard_last, shard_total, started_at, seen_at, beat_secs, facts_version, facts_loaded_at, \
     last_reload, reload_error, dropped, waiting) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
     ON CONFLICT (process_id) DO UPDATE SET seen_at = excluded.seen_at, \
     facts_version = excluded.facts_version, facts_loaded_at = excluded.facts_loaded_at, \
     last_reload = excluded.last_reload, reload_error = excluded.reload_error, \
     dropped = excluded.dropped, waiting = excluded.waiting";
/// Heartbeats not renewed for three of their own periods: the process is gone.
pub(super) const AGE_OUT: &str = "DELETE FROM processes WHERE seen_at + 3 * beat_secs < $1";
pub(super) const LEAVE: &str = "DELETE FROM processes WHERE process_id = $1";
pub(super) const PROCESSES: &str = "SELECT process_id, host, pid, shard_first, shard_last, \
     shard_total, started_at, seen_at, beat_secs, facts_version, facts_loaded_at, last_reload, \
     reload_error, dropped, waiting FROM processes ORDER BY shard_first, started_at, process_id";

/// The tables a record lives in (for pruning and the no-user-column check).
pub(super) const TABLES: [&str; 5] = ["questions", "clicks", "feedback", "processes", "dismissed"];
