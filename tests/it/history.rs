//! The history database: records written in the background, what a record holds (and never
//! holds), retention pruning, the `gaps` and `stats` commands reading the same file, and
//! databases that cannot be written (recording fails, counted and logged; never blocks).

use std::path::Path;
use std::time::{Duration, Instant};

use factbot::clock;
use factbot::config::DatabaseLocation;
use factbot::history::{Click, Database, Feedback, History, Question, QuestionId, Via};
use factbot::matcher::MatchSettings;
use factbot::store::Snapshot;
use serde_json::Value;

use crate::support::{facts_file, Test};

const T: Duration = Duration::from_secs(10);

pub fn snapshot(dir: &Path) -> Snapshot {
    let path = dir.join("story.toml");
    std::fs::write(&path, facts_file(STORY)).expect("write facts");
    Snapshot::load(&[path], &MatchSettings::default()).expect("facts load")
}

pub const STORY: &str = r#"
[[facts]]
id = "port-cost"
questions = ["How much did the Chancay port cost?"]
answer = "It cost $3.5 billion."
snippet = "a $3.5 billion investment"
follow_ups = ["port-owner"]

[[facts]]
id = "port-owner"
questions = ["Who owns the Chancay port?"]
answer = "Cosco Shipping owns 60% of the port."
snippet = "Cosco Shipping, which owns 60%"
follow_ups = ["port-cost"]
"#;

pub fn ask(snapshot: &Snapshot, text: &str, via: Via) -> Question {
    let outcome = snapshot.matcher.ask(text);
    Question::new(snapshot, text, &outcome, via, Some(600), Some(500))
}

#[test]
fn records_are_written_in_the_background_without_any_user() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    let path = dir.path().join("data/nested/factbot.db");
    let history = History::start(&path, 90);
    let first = record_two_questions_a_click_and_a_vote(&history, &snapshot);
    assert!(path.is_file(), "created on first use, folders too");
    let health = history.health();
    assert_eq!((health.written, health.dropped, health.failed), (4, 0, 0));

    check_recorded(&path.clone().into(), &snapshot, first);
    let journal: String = rusqlite::Connection::open(&path)
        .and_then(|c| c.query_row("PRAGMA journal_mode", [], |r| r.get(0)))
        .expect("journal mode");
    assert_eq!(journal, "wal");
}

/// Two questions (one answered), a click and a vote, written and counted; the first question's
/// id.
pub fn record_two_questions_a_click_and_a_vote(
    history: &History,
    snapshot: &Snapshot,
) -> QuestionId {
    let (owner, japan) = (
        ask(snapshot, "who owns the chancay port?", Via::Mention),
        ask(snapshot, "Did the port open in Japan?", Via::Slash),
    );
    let started = Instant::now();
    let first = history.record(owner);
    let second = history.record(japan);
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "never waits for the disk"
    );
    assert!(second > first, "ids are time-ordered");
    history.record_click(Click {
        question: None,
        at: clock::now(),
        guild: Some(600),
        channel: Some(500),
        fact: "port-cost".into(),
        found: true,
    });
    history.record_feedback(Feedback {
        at: clock::now(),
        question: Some(first),
        fact: "port-owner".into(),
        helpful: true,
    });
    assert!(history.flush(T));
    first
}

/// What `records_are_written_in_the_background_without_any_user` recorded, read back from
/// `location`: the same on both backends.
pub fn check_recorded(location: &DatabaseLocation, snapshot: &Snapshot, first: QuestionId) {
    let mut db = Database::open_existing(location).expect("open");
    let rows = db.questions_json().expect("rows");
    assert_eq!(rows.len(), 2);
    let owner = &rows[0];
    assert_eq!(owner["id"], first.0);
    assert_eq!(owner["guild_id"], 600);
    assert_eq!(owner["channel_id"], 500);
    assert_eq!(owner["via"], "mention");
    assert_eq!(owner["question"], "who owns the chancay port?");
    assert_eq!(owner["outcome"], "answered");
    assert_eq!(owner["fact_id"], "port-owner");
    assert_eq!(owner["closest_id"], "port-owner");
    assert_eq!(owner["candidates"][0]["id"], "port-owner");
    assert_eq!(owner["facts_version"], snapshot.version.as_str());
    assert!(owner["score"].as_f64().unwrap_or(0.0) > 0.0);
    let japan = &rows[1];
    assert_eq!(japan["via"], "slash");
    assert_ne!(japan["outcome"], "answered");
    assert_eq!(japan["fact_id"], Value::Null);
    assert!(
        japan["normalized"].as_str().unwrap_or("").contains("japan"),
        "{japan}"
    );
    let columns = db.columns().expect("columns");
    assert!(
        !columns
            .iter()
            .any(|c| c.contains("user") || c.contains("author") || c.contains("name")),
        "no column can hold who asked: {columns:?}"
    );
    let stats = db.stats(0, 10).expect("stats");
    assert_eq!((stats.clicks, stats.helpful, stats.not_helpful), (1, 1, 0));
}

#[test]
fn old_records_are_pruned_and_retention_zero_keeps_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    let now = clock::now();
    for (retention, kept) in [(7, 2), (0, 3)] {
        let path = dir.path().join(format!("r{retention}.db"));
        let history = History::start(&path, retention);
        for days_ago in [30, 6, 0] {
            let mut question = ask(&snapshot, "who owns the port?", Via::DirectMessage);
            question.at = now - days_ago * 86_400 - 60;
            history.record(question);
        }
        history.record_click(Click {
            question: None,
            at: now - 30 * 86_400,
            guild: None,
            channel: None,
            fact: "port-cost".into(),
            found: true,
        });
        assert!(history.flush(T));
        history.prune_now();
        assert!(history.flush(T));
        let mut db = Database::open_existing(&path).expect("open");
        assert_eq!(
            db.question_count().expect("count"),
            kept,
            "retention {retention}"
        );
        let stats = db.stats(0, 10).expect("stats");
        assert_eq!(stats.clicks, u64::from(retention == 0));
    }
}

/// Recording into a database that cannot be written fails quietly: counted, logged, never
/// blocking. (The answers around it are proven in `moderation.rs`.)
#[test]
fn a_database_that_cannot_be_written_is_counted_and_never_blocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    let folder = dir.path().join("a-folder.db");
    std::fs::create_dir(&folder).expect("mkdir");
    let garbage = dir.path().join("garbage.db");
    std::fs::write(
        &garbage,
        "this is not a database, it is a text file ".repeat(200),
    )
    .expect("write");
    let under_a_file = dir.path().join("garbage.db/inside.db");
    let read_only = dir.path().join("read-only.db");
    drop(Database::create(&read_only).expect("create"));
    let mut permissions = std::fs::metadata(&read_only).expect("meta").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&read_only, permissions).expect("chmod");
    // Root ignores permission bits, so the read-only file only fails for other users.
    let is_root = std::fs::OpenOptions::new()
        .write(true)
        .open(&read_only)
        .is_ok();

    for (path, must_fail) in [
        (&folder, true),
        (&garbage, true),
        (&under_a_file, true),
        (&read_only, !is_root),
    ] {
        let history = History::start(path, 90);
        let question = ask(&snapshot, "who owns the port?", Via::Mention);
        let started = Instant::now();
        for _ in 0..100 {
            history.record(question.clone());
        }
        assert!(
            started.elapsed() < Duration::from_millis(200),
            "{}: recording waited {:?}",
            path.display(),
            started.elapsed()
        );
        assert!(history.flush(T));
        let health = history.health();
        if must_fail {
            assert_eq!(health.written, 0, "{}: {health:?}", path.display());
            assert_eq!(health.failed, 100, "{}: {health:?}", path.display());
            assert!(health.last_error.is_some());
        } else {
            assert_eq!(health.written + health.failed, 100);
        }
    }
}

#[test]
fn a_locked_database_fails_the_batch_not_the_caller() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    let path = dir.path().join("locked.db");
    drop(Database::create(&path).expect("create"));
    let other = rusqlite::Connection::open(&path).expect("open");
    other.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let history = History::start(&path, 0);
    let question = ask(&snapshot, "who owns the port?", Via::Mention);
    let started = Instant::now();
    history.record(question);
    assert!(started.elapsed() < Duration::from_millis(50));
    assert!(history.flush(T));
    let health = history.health();
    assert_eq!((health.written, health.failed), (0, 1), "{health:?}");
    assert!(
        health
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("locked"),
        "{health:?}"
    );
    other.execute_batch("ROLLBACK").expect("unlock");
}

fn fill(location: DatabaseLocation, snapshot: &Snapshot) {
    let history = History::start(location, 90);
    let questions = [
        ("Did the port open in Japan?", Via::Mention),
        ("did the port open in japan", Via::Slash),
        ("Did the port open in Japan??", Via::DirectMessage),
        ("What is the weather in Lima?", Via::Mention),
        ("who owns the chancay port?", Via::Mention),
        ("how much did the chancay port cost?", Via::Mention),
        ("how much did the chancay port cost", Via::Mention),
    ];
    for (text, via) in questions {
        history.record(ask(snapshot, text, via));
    }
    history.record_click(Click {
        question: None,
        at: clock::now(),
        guild: Some(600),
        channel: Some(500),
        fact: "port-owner".into(),
        found: true,
    });
    history.record_feedback(Feedback {
        at: clock::now(),
        question: Some(QuestionId(1)),
        fact: "port-owner".into(),
        helpful: false,
    });
    assert!(history.flush(T));
}

#[test]
fn gaps_and_stats_read_the_same_database_from_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("factbot.db");
    gaps_and_stats_from_the_terminal(&db.display().to_string());

    let missing = Test::new()
        .args(["stats", "--database", "nowhere/factbot.db"])
        .run();
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("no questions have been recorded yet"),
        "{}",
        missing.stderr
    );
}

/// Fills the database at `db_arg` (a file or a URL) and reads it with `gaps` and `stats`.
pub fn gaps_and_stats_from_the_terminal(db_arg: &str) {
    let test = Test::new().file("facts/story.toml", &facts_file(STORY));
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    fill(DatabaseLocation::parse(db_arg), &snapshot);
    let db_arg = db_arg.to_owned();

    let out = Test::new()
        .file("facts/story.toml", &facts_file(STORY))
        .args(["gaps", "--database", &db_arg, "--facts", "facts"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("Unanswered questions, last 7 day(s) (since "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("1. 3\u{00D7} \u{201C}Did the port open in Japan??\u{201D}"),
        "grouped, most asked first, latest wording: {}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("2. 1\u{00D7} \u{201C}What is the weather in Lima?\u{201D}"),
        "{}",
        out.stdout
    );

    let json = Test::new()
        .file("facts/story.toml", &facts_file(STORY))
        .args(["gaps", "--json", "--database", &db_arg, "--facts", "facts"])
        .run();
    let gaps: Value = serde_json::from_str(&json.stdout).expect("gaps JSON");
    assert_eq!(gaps["questions"], 4);
    assert_eq!(gaps["groups"][0]["count"], 3);

    let stats = test
        .args(["stats", "--database", &db_arg, "--facts", "facts"])
        .run();
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    assert!(
        stats
            .stdout
            .contains("answered 3 (42.9%), ambiguous 0 (0.0%), unknown 4 (57.1%)"),
        "{}",
        stats.stdout
    );
    assert!(
        stats
            .stdout
            .contains("1. 2\u{00D7} port-cost \u{201C}How much did the Chancay port cost?\u{201D}"),
        "{}",
        stats.stdout
    );
    assert!(
        stats.stdout.contains("Follow-up clicks: 1"),
        "{}",
        stats.stdout
    );
    assert!(stats.stdout.contains("yes 0, no 1"), "{}", stats.stdout);
}

/// A question no fact scored for is recorded with the fact nearest in meaning as the one that
/// came closest, so `gaps` tells the moderator where its answer might belong.
#[test]
fn a_question_no_fact_scored_for_records_the_fact_nearest_in_meaning_as_closest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    let cost = snapshot.base.index_of("port-cost").expect("port-cost");
    let outcome = factbot::matcher::Outcome {
        nearest: vec![cost],
        ..factbot::matcher::Outcome::unknown()
    };
    let text = "What was the price tag of the harbour?";
    let question = Question::new(&snapshot, text, &outcome, Via::Mention, None, None);
    assert_eq!(question.closest.as_deref(), Some("port-cost"));
    assert!(question.candidates.is_empty(), "no fact scored");

    let db = dir.path().join("factbot.db");
    let history = History::start(&db, 90);
    history.record(question);
    assert!(history.flush(T));
    drop(history);
    let out = Test::new()
        .file("facts/story.toml", &facts_file(STORY))
        .args(["gaps", "--json", "--database", &db.display().to_string()])
        .args(["--facts", "facts"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let gaps: Value = serde_json::from_str(&out.stdout).expect("gaps JSON");
    assert_eq!(gaps["groups"][0]["closest"]["id"], "port-cost", "{gaps}");
}
