//! The question log on a real PostgreSQL: the same records, gaps and stats as SQLite,
//! versioned migrations, outages (records wait and arrive after recovery), 10,000 records from
//! two processes with none lost or duplicated, and two `factbot run` processes sharing one
//! database with the fleet view.
//!
//! Each test creates its own database (and roles) with a unique name and drops them. Without
//! `FACTBOT_TEST_DATABASE_URL` (`.ci/run` sets it) these tests print a line and pass: a machine
//! without PostgreSQL can still run `cargo test`.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use factbot::config::DatabaseLocation;
use factbot::history::{
    instance_of, Database, FactsState, HeartbeatSource, History, ProcessInfo, Settings, Via,
};
use postgres::{Client, NoTls};

use crate::history::{ask, check_recorded, record_two_questions_a_click_and_a_vote, snapshot};

pub const URL_ENV: &str = "FACTBOT_TEST_DATABASE_URL";
const T: Duration = Duration::from_secs(20);

/// A database (and roles) of this test's own on the test server, dropped at the end.
pub struct TestDb {
    admin_url: String,
    pub name: String,
    roles: Vec<String>,
}

impl TestDb {
    /// A fresh database, or `None` (saying so) when no test server is configured.
    pub fn create(label: &str) -> Option<Self> {
        let Some(admin_url) = std::env::var(URL_ENV).ok().filter(|u| !u.trim().is_empty()) else {
            println!("skipped: {URL_ENV} is not set (.ci/run sets it to a PostgreSQL for tests)");
            return None;
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "factbot_{label}_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            factbot::clock::unix_millis(std::time::SystemTime::now()) % 1_000_000
        );
        let db = Self {
            admin_url,
            name,
            roles: Vec::new(),
        };
        db.admin()
            .batch_execute(&format!("CREATE DATABASE {}", db.name))
            .expect("create the test database");
        Some(db)
    }

    /// A connection to the server's own database as the test's admin user.
    pub fn admin(&self) -> Client {
        Client::connect(&self.admin_url, NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to {URL_ENV}: {e}"))
    }

    /// A connection to this test's database as the admin user.
    pub fn client(&self) -> Client {
        Client::connect(&self.url(), NoTls).expect("connect to the test database")
    }

    /// This test's database as the admin user.
    pub fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }

    /// This test's database as `role`.
    pub fn url_as(&self, role: &str) -> String {
        with_user(&self.url(), role)
    }

    /// A role that may log in and owns nothing; dropped with the database.
    pub fn role(&mut self, suffix: &str) -> String {
        let role = format!("{}_{suffix}", self.name);
        self.admin()
            .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
            .expect("create role");
        self.roles.push(role.clone());
        role
    }

    /// Cuts `role` off: no new logins, and its open connections closed.
    pub fn revoke(&self, role: &str) {
        let mut admin = self.admin();
        admin
            .batch_execute(&format!("ALTER ROLE {role} NOLOGIN"))
            .expect("revoke login");
        admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
                &[&role],
            )
            .expect("terminate");
    }

    pub fn restore(&self, role: &str) {
        self.admin()
            .batch_execute(&format!("ALTER ROLE {role} LOGIN"))
            .expect("restore login");
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.client()
            .query_one(sql, &[])
            .expect("count")
            .get::<_, i64>(0)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Ok(mut admin) = Client::connect(&self.admin_url, NoTls) else {
            return;
        };
        let _ = admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
        for role in &self.roles {
            let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {role}"));
        }
    }
}

/// `url` with its path (the database name) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
    let authority = base.find("://").map_or(0, |at| at + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |at| authority + at);
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{}/{name}{query}", &base[..path])
}

/// `url` with its user replaced by `user` (and no password).
fn with_user(url: &str, user: &str) -> String {
    let authority = url.find("://").map_or(0, |at| at + 3);
    let rest = &url[authority..];
    let host = rest.find('@').map_or(rest, |at| &rest[at + 1..]);
    format!("{}{user}@{host}", &url[..authority])
}

#[test]
fn urls_for_the_test_database_and_roles() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://h:1/test?sslmode=disable", "x"),
        "postgres://h:1/x?sslmode=disable"
    );
    assert_eq!(
        with_user("postgres://postgres@127.0.0.1:5432/x", "r"),
        "postgres://r@127.0.0.1:5432/x"
    );
}

#[test]
fn postgres_keeps_the_same_records_as_sqlite() {
    let Some(db) = TestDb::create("records") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    // Trust auth ignores the password: it is here to prove it never shows.
    let url = db.url().replacen("postgres@", "postgres:hunter2@", 1);
    let history = History::start(DatabaseLocation::parse(&url), 90);
    let first = record_two_questions_a_click_and_a_vote(&history, &snapshot);
    let health = history.health();
    assert_eq!((health.written, health.dropped, health.failed), (4, 0, 0));
    assert!(!health.database.contains("hunter2"), "{}", health.database);
    check_recorded(&DatabaseLocation::parse(&url), &snapshot, first);
}

#[test]
fn postgres_gaps_and_stats_from_the_terminal() {
    let Some(db) = TestDb::create("gaps") else {
        return;
    };
    crate::history::gaps_and_stats_from_the_terminal(&db.url());
}

#[test]
fn postgres_suggestions_dismissals_and_placing_from_the_terminal() {
    let Some(db) = TestDb::create("suggest") else {
        return;
    };
    crate::suggest::suggestions_from_the_terminal(&db.url());
}

#[test]
fn postgres_migrations_are_versioned_and_a_newer_schema_is_refused() {
    let Some(db) = TestDb::create("schema") else {
        return;
    };
    let location = DatabaseLocation::parse(&db.url());
    drop(Database::create(&location).expect("migrate"));
    drop(Database::create(&location).expect("a second start migrates nothing"));
    assert_eq!(
        db.count("SELECT MAX(version)::BIGINT FROM factbot_schema"),
        3
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM factbot_schema"), 3);

    db.client()
        .batch_execute("INSERT INTO factbot_schema VALUES (4, 0)")
        .expect("a newer factbot");
    let error = Database::open_existing(&location)
        .err()
        .expect("refused")
        .to_string();
    assert!(
        error.contains("was written by a newer factbot (schema 4, this one knows 3): nothing is written to it; upgrade this factbot"),
        "{error}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    let history = History::start(&location, 90);
    history.record(ask(&snapshot, "who owns the port?", Via::Mention));
    assert!(history.flush(T), "refusing is not an outage: nothing waits");
    let health = history.health();
    assert_eq!((health.written, health.failed), (0, 1), "{health:?}");
    assert!(
        health
            .last_error
            .unwrap_or_default()
            .contains("newer factbot"),
        "the status says why"
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM questions"), 0);
}

/// A heartbeat row per running process: stale ones (three periods missed) are deleted by the
/// next beat, and a clean stop removes its own.
#[test]
fn postgres_heartbeats_age_out_and_a_clean_stop_leaves() {
    let Some(db) = TestDb::create("beats") else {
        return;
    };
    let location = DatabaseLocation::parse(&db.url());
    drop(Database::create(&location).expect("migrate"));
    let ghost = factbot::clock::now() - 31;
    db.client()
        .execute(
            "INSERT INTO processes VALUES ('ghost', 'h', 1, 0, 0, 1, $1, $1, 10, 'v', $1, NULL, NULL, 0, 0)",
            &[&ghost],
        )
        .expect("a process that died");
    let mut settings = Settings::new(&location, 0);
    settings.heartbeat = Some(HeartbeatSource {
        info: ProcessInfo::current(Some([1, 1, 2])),
        every: Duration::from_secs(1),
        facts: Box::new(|| FactsState {
            version: "abc123".into(),
            loaded_at: factbot::clock::now(),
            last_reload: None,
            reload_error: None,
        }),
    });
    let history = History::start_with(settings);
    assert!(history.flush(T));
    let mut rows = Database::open_existing(&location)
        .and_then(|mut db| db.processes())
        .expect("processes");
    assert_eq!(rows.len(), 1, "the ghost aged out: {rows:?}");
    let row = rows.remove(0);
    assert_eq!(
        (row.shard_first, row.facts_version.as_str(), row.beat_secs),
        (Some(1), "abc123", 1)
    );
    let fleet = history.health().fleet.expect("read after the beat");
    assert_eq!(fleet.summary, "1 process, all on facts version abc123");
    history.close(T);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM processes"),
        0,
        "left on stop"
    );
}

/// Down at start, back, down mid-run, back: answers never wait, records wait and arrive.
#[test]
fn postgres_outages_keep_records_waiting_until_the_database_is_back() {
    let Some(mut db) = TestDb::create("outage") else {
        return;
    };
    let role = db.role("bot");
    db.client()
        .batch_execute(&format!("GRANT CREATE ON SCHEMA public TO {role}"))
        .expect("grant");
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    let question = ask(&snapshot, "who owns the port?", Via::Mention);

    db.revoke(&role);
    let history = History::start(DatabaseLocation::parse(&db.url_as(&role)), 90);
    let started = Instant::now();
    for _ in 0..5 {
        history.record(question.clone());
    }
    assert!(started.elapsed() < Duration::from_millis(50), "never waits");
    assert!(!history.flush(Duration::from_secs(1)), "down at start");
    let health = history.health();
    assert_eq!(
        (health.written, health.failed, health.waiting),
        (0, 0, 5),
        "{health:?}"
    );
    assert!(
        health
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("not permitted to log in"),
        "{health:?}"
    );

    db.restore(&role);
    assert!(history.flush(T), "written once the database is back");
    assert_eq!(history.health().written, 5);

    db.revoke(&role);
    let started = Instant::now();
    for _ in 0..20 {
        history.record(question.clone());
    }
    assert!(started.elapsed() < Duration::from_millis(50), "never waits");
    assert!(!history.flush(Duration::from_secs(2)), "down mid-run");
    assert_eq!(db.count("SELECT COUNT(*) FROM questions"), 5);
    assert_eq!(history.health().waiting, 20);

    db.restore(&role);
    assert!(history.flush(T), "written once the database is back");
    let health = history.health();
    assert_eq!(
        (
            health.written,
            health.failed,
            health.dropped,
            health.waiting
        ),
        (25, 0, 0, 0),
        "{health:?}"
    );
    assert_eq!(health.last_error, None);
    assert_eq!(db.count("SELECT COUNT(DISTINCT id) FROM questions"), 25);
}

/// The environment variable that turns this test's process into one of its writers.
const WRITER_ENV: &str = "FACTBOT_TEST_WRITER";
const PER_PROCESS: usize = 5_000;

/// Two processes (this test binary run again, as writers 0 and 1) write 5,000 records each
/// while their connections are cut twice; every record arrives once.
#[test]
fn postgres_ten_thousand_records_from_two_processes_none_lost_none_duplicated() {
    if let Ok(spec) = std::env::var(WRITER_ENV) {
        return write_as_child(&spec);
    }
    let Some(db) = TestDb::create("tenk") else {
        return;
    };
    drop(Database::create(DatabaseLocation::parse(&db.url())).expect("migrate"));
    let started = Instant::now();
    let children: Vec<Child> = (0..2)
        .map(|instance| {
            Command::new(std::env::current_exe().expect("test binary"))
                .args([
                    "--exact",
                    "postgres::postgres_ten_thousand_records_from_two_processes_none_lost_none_duplicated",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(WRITER_ENV, format!("{instance} {}", db.url()))
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn a writer")
        })
        .collect();
    // Cut every connection of the writers twice while they write.
    for _ in 0..2 {
        std::thread::sleep(Duration::from_millis(300));
        db.admin()
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = $1 AND application_name = 'factbot'",
                &[&db.name],
            )
            .expect("terminate");
    }
    let mut reports = Vec::new();
    for child in children {
        let output = child.wait_with_output().expect("writer");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(output.status.success(), "{stdout}");
        let report = stdout
            .lines()
            .find_map(|line| line.split_once("WRITER ").map(|(_, report)| report))
            .unwrap_or_else(|| panic!("no report: {stdout}"))
            .to_owned();
        reports.push(report);
    }
    let took = started.elapsed();
    let total = db.count("SELECT COUNT(*) FROM questions");
    let distinct = db.count("SELECT COUNT(DISTINCT id) FROM questions");
    let mut client = db.client();
    let by_instance: Vec<(u32, i64)> = {
        let ids: Vec<i64> = client
            .query("SELECT id FROM questions", &[])
            .expect("ids")
            .iter()
            .map(|row| row.get(0))
            .collect();
        (0..2)
            .map(|i| {
                (
                    i,
                    ids.iter().filter(|&&id| instance_of(id) == i).count() as i64,
                )
            })
            .collect()
    };
    println!(
        "10,000 records from two processes: {total} rows, {distinct} distinct ids, by writer {by_instance:?}, in {:.2} s ({:.0} records/s), writers: {reports:?}",
        took.as_secs_f64(),
        total as f64 / took.as_secs_f64()
    );
    assert_eq!(total, 10_000, "none lost, none duplicated");
    assert_eq!(distinct, 10_000);
    assert_eq!(by_instance, [(0, 5_000), (1, 5_000)]);
    for report in reports {
        assert!(
            report.starts_with("written 5000 dropped 0 failed 0"),
            "{report}"
        );
    }
}

/// One writer: 5,000 questions through the real recorder, in bursts the queue holds, then
/// its counts on stdout.
fn write_as_child(spec: &str) {
    let (instance, url) = spec.split_once(' ').expect("instance and url");
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(dir.path());
    let question = ask(&snapshot, "Did the port open in Japan?", Via::Mention);
    let mut settings = Settings::new(DatabaseLocation::parse(url), 0);
    settings.instance = instance.parse().expect("instance");
    let history = History::start_with(settings);
    for burst in 0..PER_PROCESS / 500 {
        for _ in 0..500 {
            history.record(question.clone());
        }
        assert!(history.flush(T), "burst {burst} written");
    }
    let health = history.health();
    println!(
        "WRITER written {} dropped {} failed {} (instance {instance})",
        health.written, health.dropped, health.failed
    );
}
