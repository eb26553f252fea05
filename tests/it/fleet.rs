//! Two `factbot run` processes, shards [0,0,2] and [1,1,2], against one fake Discord and one
//! PostgreSQL: questions answered by both appear in one `factbot gaps`; the fleet view
//! (`factbot status --json` and `/factsadmin status`) lists both with their facts versions and
//! names the one behind with its reload error; then one process loses its database access
//! (its role may no longer log in) and answers go on, its records arriving after recovery.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use factbot::config::DatabaseLocation;
use factbot::history::Database;
use serde_json::{json, Value};

use crate::bot::description;
use crate::fake_discord::{FakeConfig, FakeDiscord, Origin};
use crate::history::STORY;
use crate::postgres::TestDb;
use crate::support::facts_file;

const T: Duration = Duration::from_secs(20);
const TOKEN: &str = "fake-token";
const BOT: u64 = 1000;
const MEMBER: u64 = 313_131_313;
const MODERATOR: u64 = 424_242_424;
const MOD_ROLE: u64 = 42;
/// Guilds owned by shard 0 and shard 1 of 2: `(guild_id >> 22) % 2`.
const GUILDS: [u64; 2] = [2 << 22, 3 << 22];
const CHANNELS: [u64; 2] = [500, 501];

/// One `factbot run` process, killed on drop so a failed assertion never leaves it running.
struct Bot {
    child: Child,
    dir: tempfile::TempDir,
}

impl Bot {
    fn start(fake: &FakeDiscord, shard: u32, database_url: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("facts")).expect("mkdir");
        std::fs::write(dir.path().join("facts/story.toml"), facts_file(STORY)).expect("facts");
        let config = dir.path().join("factbot.toml");
        std::fs::write(
            &config,
            format!(
                "facts = \"facts\"\n[reload]\nwatch = false\n[history]\nheartbeat_secs = 1\n\
                 [discord]\nuser_cooldown_secs = 0\nshard_range = [{shard}, {shard}, 2]\n\
                 moderator_role_ids = [{MOD_ROLE}]\n"
            ),
        )
        .expect("config");
        let child = Command::new(env!("CARGO_BIN_EXE_factbot"))
            .args(["run", "--config"])
            .arg(&config)
            .current_dir(dir.path())
            .env("DISCORD_TOKEN", TOKEN)
            .env("FACTBOT_DISCORD_API_URL", fake.api_url())
            .env("FACTBOT_DISCORD_CA_CERT", fake.ca_cert())
            .env("FACTBOT_DATABASE_URL", database_url)
            .env("RUST_LOG", "warn,factbot=info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn factbot run");
        Self { child, dir }
    }

    fn facts(&self) -> PathBuf {
        self.dir.path().join("facts/story.toml")
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Stops it with SIGTERM; its exit code and everything it logged.
    fn stop(mut self) -> (Option<i32>, String) {
        self.signal("TERM");
        let deadline = Instant::now() + T;
        let mut code = None;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                code = status.code();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        (code, stderr)
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asks `question` in shard `shard`'s guild and returns the reply's text.
async fn ask(fake: &FakeDiscord, shard: usize, question: &str) -> String {
    let message = fake.message_create(
        CHANNELS[shard],
        Some(GUILDS[shard]),
        MEMBER,
        false,
        &format!("<@{BOT}> {question}"),
        &[BOT],
    );
    fake.dispatch_to_shard(shard as u64, "MESSAGE_CREATE", message)
        .await;
    let path = format!("/api/v10/channels/{}/messages", CHANNELS[shard]);
    let reply = fake
        .wait_for_request(move |r| r.method == "POST" && r.path == path, T)
        .await;
    description(&reply.body).to_owned()
}

/// Runs a terminal command of the `factbot` binary: exit code and stdout.
fn factbot(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args(args)
        .env_remove("FACTBOT_DATABASE_URL")
        .env_remove("RUST_LOG")
        .output()
        .expect("run factbot");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Polls `factbot status --json` until `done` holds for it.
fn fleet_until(url: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + T;
    loop {
        let (_, stdout) = factbot(&["status", "--json", "--database", url]);
        let fleet: Value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        if done(&fleet) {
            return fleet;
        }
        assert!(
            Instant::now() < deadline,
            "fleet never got there: {fleet:#}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn count_until(location: &DatabaseLocation, want: u64) {
    let deadline = Instant::now() + T;
    loop {
        let count = Database::open_existing(location)
            .and_then(|mut db| db.question_count())
            .unwrap_or(0);
        if count == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{count} question(s) on record, not {want}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn shards_of(fleet: &Value) -> Vec<u64> {
    fleet["processes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["shard_first"].as_u64())
        .collect()
}

/// Shard 0's process, asked `/factsadmin <subcommand>` by a moderator: the reply's text
/// (`status` answers at once; `gaps` defers, then edits its answer in).
async fn admin(fake: &FakeDiscord, subcommand: &str) -> String {
    let origin = Origin {
        roles: vec![MOD_ROLE],
        ..Origin::guild(CHANNELS[0], GUILDS[0], MODERATOR)
    };
    let options = json!([{"name": subcommand, "type": 1, "options": []}]);
    let payload = fake.interaction_application_command(&origin, "factsadmin", options);
    fake.dispatch_to_shard(0, "INTERACTION_CREATE", payload)
        .await;
    let callback = fake
        .wait_for_request(|r| r.method == "POST" && r.path.ends_with("/callback"), T)
        .await;
    if subcommand == "status" {
        return description(&callback.body["data"]).to_owned();
    }
    let edited = fake
        .wait_for_request(
            |r| r.method == "PATCH" && r.path.ends_with("/messages/@original"),
            T,
        )
        .await;
    description(&edited.body).to_owned()
}

fn setup_roles(db: &mut TestDb) -> (String, String) {
    let (first, second) = (db.role("shard0"), db.role("shard1"));
    db.client()
        .batch_execute(&format!("GRANT CREATE ON SCHEMA public TO {first}"))
        .expect("grant");
    // The first role migrates; the second may only use the tables, as a fleet's roles would.
    drop(Database::create(DatabaseLocation::parse(&db.url_as(&first))).expect("migrate"));
    db.client()
        .batch_execute(&format!(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {second}"
        ))
        .expect("grant");
    (first, second)
}

/// A plain test with its own runtime: the fake Discord runs on the runtime's workers while
/// this thread uses the blocking PostgreSQL client and waits on the processes.
#[test]
fn two_processes_share_one_postgres_question_log_and_fleet_view() {
    let Some(mut db) = TestDb::create("fleet") else {
        return;
    };
    let (first_role, second_role) = setup_roles(&mut db);
    let url = db.url();
    let location = DatabaseLocation::parse(&url);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let fake = runtime.block_on(FakeDiscord::start_with(FakeConfig {
        expected_token: Some(TOKEN.into()),
        ..FakeConfig::default()
    }));
    let first = Bot::start(&fake, 0, &db.url_as(&first_role));
    let second = Bot::start(&fake, 1, &db.url_as(&second_role));
    runtime.block_on(fake.wait_shards(&[0, 1], T));

    // Questions answered by both processes, in one `factbot gaps`.
    let japan = runtime.block_on(ask(&fake, 0, "Did the port open in Japan?"));
    let lima = runtime.block_on(ask(&fake, 1, "What is the weather in Lima?"));
    assert!(!japan.is_empty() && !lima.is_empty());
    count_until(&location, 2);
    let (code, stdout) = factbot(&["gaps", "--json", "--database", &url]);
    assert_eq!(code, 0, "{stdout}");
    let gaps: Value = serde_json::from_str(&stdout).expect("gaps JSON");
    assert_eq!(gaps["questions"], 2, "{gaps:#}");
    let examples: Vec<&str> = gaps["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["example"].as_str())
        .collect();
    assert!(
        examples.contains(&"Did the port open in Japan?")
            && examples.contains(&"What is the weather in Lima?"),
        "{examples:?}"
    );

    // The fleet view lists both, on one version.
    let fleet = fleet_until(&url, |f| shards_of(f) == [0, 1]);
    let version = fleet["latest_version"]
        .as_str()
        .expect("version")
        .to_owned();
    assert_eq!(
        fleet["summary"],
        format!("2 processes, all on facts version {version}")
    );
    assert!(fleet["processes"]
        .as_array()
        .expect("processes")
        .iter()
        .all(|p| p["facts_version"] == version.as_str() && p["behind"] == false));
    // The process's own view is as of its latest heartbeat (every second).
    std::thread::sleep(Duration::from_millis(2500));
    let status = runtime.block_on(admin(&fake, "status"));
    assert!(
        status.contains(&format!(
            "Fleet: 2 processes, all on facts version {version}"
        )),
        "{status}"
    );
    let gaps = runtime.block_on(admin(&fake, "gaps"));
    assert!(
        gaps.contains("What is the weather in Lima?"),
        "the other process's question, in this one's gaps: {gaps}"
    );

    // A good edit reaches the first; a broken one stops the second: it is behind, and why.
    std::fs::write(
        first.facts(),
        facts_file(STORY).replace("It cost $3.5 billion.", "It cost $5 billion."),
    )
    .expect("edit");
    std::fs::write(
        second.facts(),
        facts_file(STORY).replace("answer = ", "anser = "),
    )
    .expect("edit");
    first.signal("HUP");
    second.signal("HUP");
    let fleet = fleet_until(&url, |f| {
        // Until the failed reload's beat: "no reload since it started" comes first when the
        // second process is slow to take the signal.
        f["all_on_latest"] == false
            && f["processes"][1]["reason"]
                .as_str()
                .is_some_and(|reason| reason.starts_with("its last reload failed: "))
    });
    let behind = &fleet["processes"][1];
    assert_eq!(behind["shard_first"], 1);
    assert_eq!(behind["facts_version"], version.as_str());
    assert_ne!(fleet["latest_version"], version.as_str());
    assert!(
        behind["reason"]
            .as_str()
            .unwrap_or("")
            .starts_with("its last reload failed: "),
        "{fleet:#}"
    );
    assert_eq!(
        fleet["summary"],
        format!(
            "2 processes: 1 on facts version {}, 1 behind",
            fleet["latest_version"].as_str().unwrap_or("")
        )
    );
    let (code, text) = factbot(&["status", "--database", &url]);
    assert_eq!(code, 1, "one behind: a monitoring check fails");
    assert!(
        text.contains("    BEHIND: its last reload failed: "),
        "{text}"
    );

    // The second process loses its database: answers go on, records wait, then arrive.
    db.revoke(&second_role);
    for question in [
        "who owns the chancay port?",
        "how much did the chancay port cost?",
        "Is Lima rainy?",
    ] {
        let asked = Instant::now();
        let answer = runtime.block_on(ask(&fake, 1, question));
        assert!(!answer.is_empty());
        assert!(
            asked.elapsed() < Duration::from_secs(2),
            "answered in {:?} with the database out of reach",
            asked.elapsed()
        );
    }
    std::thread::sleep(Duration::from_secs(1));
    count_until(&location, 2);
    db.restore(&second_role);
    count_until(&location, 5);

    let (first_code, _) = first.stop();
    let (second_code, second_log) = second.stop();
    assert_eq!(
        (first_code, second_code),
        (Some(0), Some(0)),
        "{second_log}"
    );
    assert_eq!(
        second_log
            .matches("cannot reach the questions database")
            .count(),
        1,
        "one warning per outage: {second_log}"
    );
    assert!(second_log.contains("reachable again"), "{second_log}");
    assert!(!second_log.contains(TOKEN));
    let fleet = fleet_until(&url, |f| f["processes"].is_array());
    assert_eq!(fleet["summary"], "no live process has written a heartbeat");
}
