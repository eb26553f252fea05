//! The moderators' tools end to end against the fake Discord: `/factsadmin` and who may use
//! it, reload reports in the log channel (by command, by file watcher, by SIGHUP to the real
//! binary), questions recorded for `gaps` and `stats`, helpful buttons, a database that fails
//! under a bot that keeps answering, and retracted facts on Discord. Every wait is bounded.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use factbot::config::{CorrectionsConfig, DiscordConfig, Snowflake};
use factbot::discord::{self, DiscordError, Services, Token};
use factbot::history::{Database, History};
use factbot::matcher::MatchSettings;
use factbot::reload::{Reloader, Trigger, Watcher};
use factbot::store::FactStore;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;

use crate::bot::{self, custom_ids, description};
use crate::fake_discord::{FakeConfig, FakeDiscord, Origin, Recorded};
use crate::support::facts_file;

const T: Duration = Duration::from_secs(10);
const BOT: u64 = 1000;
const GUILD: u64 = 600;
const CHANNEL: u64 = 500;
const LOG: u64 = 900;
const DM: u64 = 502;
/// Distinctive ids, so a test can search the database for them.
const MEMBER: u64 = 313_131_313;
const MODERATOR: u64 = 424_242_424;
const MOD_ROLE: u64 = 42;
const TOKEN: &str = "fake-token";

const STORY: &str = r#"
[[facts]]
id = "port-cost"
questions = ["How much did the Chancay port cost?"]
answer = "It cost $3.5 billion."
snippet = "a $3.5 billion investment"
follow_ups = ["port-owner"]

[facts.translations.es]
title = "¿Cuánto costó el puerto de Chancay?"
answer = "Costó 3500 millones de dólares."

[[facts]]
id = "port-owner"
questions = ["Who owns the Chancay port?"]
answer = "Cosco Shipping owns 60% of the port."
snippet = "Cosco Shipping, which owns 60%"
attribution = "Martin Cassinelli, Atlantic Council"
follow_ups = ["port-cost", "first-estimate"]

[[facts]]
id = "first-estimate"
questions = ["What was the first estimate for the Chancay port?"]
answer = "It was $1 billion."
snippet = "an estimated $1 billion"
status = "retracted"
note = "The $1 billion figure was a misreading; the cost was $3.5 billion."
follow_ups = ["port-cost"]
"#;

fn story() -> String {
    facts_file(STORY)
}

struct Options {
    history: bool,
    watch: bool,
    tune: fn(&mut DiscordConfig),
    corrections: CorrectionsConfig,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            history: true,
            watch: false,
            tune: |_| {},
            corrections: CorrectionsConfig {
                pace_ms: 10,
                ..CorrectionsConfig::default()
            },
        }
    }
}

struct Running {
    fake: FakeDiscord,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), DiscordError>>,
    dir: tempfile::TempDir,
    reloader: Arc<Reloader>,
    history: Option<Arc<History>>,
    _watcher: Option<Watcher>,
}

async fn start(options: Options) -> Running {
    start_with_history(options, None).await
}

/// Starts the bot; `database` overrides where the history is written.
async fn start_with_history(options: Options, database: Option<PathBuf>) -> Running {
    let dir = tempfile::tempdir().expect("tempdir");
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).expect("mkdir");
    std::fs::write(facts.join("story.toml"), story()).expect("write facts");
    let store = FactStore::open(vec![facts], MatchSettings::default()).expect("facts load");
    let reloader = Arc::new(Reloader::new(Arc::new(store)));
    let watcher = options
        .watch
        .then(|| reloader.watch(Duration::from_millis(200)).expect("watch"));
    let history = options.history.then(|| {
        let path = database.unwrap_or_else(|| dir.path().join("data/factbot.db"));
        Arc::new(History::start(&path, 90))
    });
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some(TOKEN.into()),
        ..FakeConfig::default()
    })
    .await;
    let mut config = DiscordConfig {
        api_url: Some(fake.api_url()),
        ca_cert: Some(fake.ca_cert()),
        user_cooldown_secs: 0.0,
        channel_max_answers: 0,
        moderator_role_ids: vec![Snowflake(MOD_ROLE)],
        log_channel_id: Some(Snowflake(LOG)),
        ..DiscordConfig::default()
    };
    (options.tune)(&mut config);
    let services = Services {
        reloader: Arc::clone(&reloader),
        history: history.clone(),
        corrections: options.corrections.clone(),
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let token = Token::new(TOKEN, "test").expect("token");
        discord::run(&config, &token, services, async {
            let _ = stopped.await;
        })
        .await
    });
    fake.wait_identified(T).await;
    Running {
        fake,
        stop: Some(stop),
        task,
        dir,
        reloader,
        history,
        _watcher: watcher,
    }
}

impl Running {
    fn story(&self) -> PathBuf {
        self.dir.path().join("facts/story.toml")
    }

    async fn mention(&self, user: u64, text: &str) {
        let message = self.fake.message_create(
            CHANNEL,
            Some(GUILD),
            user,
            false,
            &format!("<@{BOT}> {text}"),
            &[BOT],
        );
        self.fake.dispatch("MESSAGE_CREATE", message).await;
    }

    async fn posted(&self, channel: u64) -> Recorded {
        bot::posted(&self.fake, channel, T).await
    }

    async fn callback(&self) -> Recorded {
        bot::callback(&self.fake, T).await
    }

    /// The edit that fills in a deferred answer.
    async fn edited(&self) -> Recorded {
        self.fake
            .wait_for_request(
                |r| r.method == "PATCH" && r.path.ends_with("/messages/@original"),
                T,
            )
            .await
    }

    async fn admin(&self, origin: &Origin, subcommand: &str, options: Value) {
        let options = json!([{"name": subcommand, "type": 1, "options": options}]);
        let payload = self
            .fake
            .interaction_application_command(origin, "factsadmin", options);
        self.fake.dispatch("INTERACTION_CREATE", payload).await;
    }

    async fn command(&self, origin: &Origin, name: &str, options: Value) {
        bot::command(&self.fake, origin, name, options).await;
    }

    fn flush(&self) {
        if let Some(history) = &self.history {
            assert!(history.flush(T), "history flushed");
        }
    }

    async fn stop(mut self) {
        let _ = self.stop.take().expect("running").send(());
        let result = timeout(T, self.task)
            .await
            .expect("run returned after shutdown")
            .expect("run did not panic");
        assert!(result.is_ok(), "{result:?}");
    }
}

fn moderator() -> Origin {
    Origin {
        roles: vec![7, MOD_ROLE],
        ..Origin::guild(CHANNEL, GUILD, MODERATOR)
    }
}

fn member() -> Origin {
    Origin {
        roles: vec![7],
        ..Origin::guild(CHANNEL, GUILD, MEMBER)
    }
}

#[tokio::test]
async fn members_without_the_role_are_refused_and_moderators_see_the_status() {
    let bot = start(Options::default()).await;
    let registered = bot.fake.registered_commands(None);
    let admin = registered
        .iter()
        .find(|c| c["name"] == "factsadmin")
        .expect("registered");
    assert_eq!(
        admin["default_member_permissions"], "8192",
        "Manage Messages by default"
    );
    assert_eq!(admin["contexts"], json!([0]), "servers only");
    let members = registered
        .iter()
        .find(|c| c["name"] == "facts")
        .expect("facts");
    assert!(
        members["default_member_permissions"].is_null(),
        "the members' list stays open to all"
    );

    for sub in ["status", "reload", "gaps", "stats"] {
        bot.admin(&member(), sub, json!([])).await;
        let refused = bot.callback().await;
        assert_eq!(refused.body["type"], 4);
        assert_eq!(refused.body["data"]["flags"], 64, "privately");
        assert_eq!(
            refused.body["data"]["content"],
            "Sorry, this command is for the facts moderators only."
        );
    }
    bot.admin(&Origin::dm(DM, MODERATOR), "status", json!([]))
        .await;
    let in_dm = bot.callback().await;
    assert_eq!(
        in_dm.body["data"]["content"],
        "The moderators' commands work in a server, not in direct messages."
    );
    assert_eq!(bot.reloader.state().attempts, 0, "nothing ran for them");

    bot.admin(&moderator(), "status", json!([])).await;
    let status = bot.callback().await;
    assert_eq!(status.body["type"], 4);
    assert_eq!(status.body["data"]["flags"], 64);
    let text = description(&status.body["data"]);
    assert!(
        text.starts_with("Facts: 3 fact(s) (1 retracted) from 1 file(s), version "),
        "{text}"
    );
    assert!(text.contains("facts/story.toml: 3 fact(s)"), "{text}");
    assert!(text.contains("Last reload: none since start-up"), "{text}");
    assert!(text.contains("Open problems: none"), "{text}");
    assert!(text.contains("Questions database: "), "{text}");
    assert_eq!(status.body["data"]["allowed_mentions"]["parse"], json!([]));
    bot.stop().await;
}

#[tokio::test]
async fn a_reload_command_reports_changes_and_a_bad_file_stays_out_and_open() {
    let bot = start(Options::default()).await;
    std::fs::write(
        bot.story(),
        story().replace("It cost $3.5 billion.", "It cost $3.6 billion.")
            + "\n[[facts]]\nid = \"port-jobs\"\nquestions = [\"How many jobs will the port create?\"]\nanswer = \"About 8,000.\"\nsnippet = \"8,000 jobs\"\nfollow_ups = [\"port-cost\"]\n",
    )
    .expect("edit");
    bot.admin(&moderator(), "reload", json!([])).await;
    let deferred = bot.callback().await;
    assert_eq!(
        deferred.body["type"], 5,
        "deferred: loading may take a while"
    );
    assert_eq!(deferred.body["data"]["flags"], 64);
    let report = bot.edited().await;
    assert_eq!(report.status, 200);
    let text = description(&report.body);
    assert!(
        text.starts_with("Facts reloaded after a moderator's command: version "),
        "{text}"
    );
    assert!(text.contains("1 added: port-jobs"), "{text}");
    assert!(text.contains("1 changed: port-cost"), "{text}");
    let logged = bot.posted(LOG).await;
    assert_eq!(description(&logged.body), text, "and in the log channel");
    assert_eq!(logged.body["allowed_mentions"]["parse"], json!([]));

    std::fs::write(
        bot.story(),
        story().replace("answer = \"It cost", "answr = \"It cost"),
    )
    .expect("break");
    bot.admin(&moderator(), "reload", json!([])).await;
    bot.callback().await;
    let failed = description(&bot.edited().await.body).to_owned();
    assert!(
        failed.starts_with("Facts NOT reloaded after a moderator's command: 2 problem(s)."),
        "{failed}"
    );
    assert!(
        failed.contains("facts/story.toml:12:1: error: unknown key \"answr\" in [[facts]] (did you mean \"answer\"?)"),
        "{failed}"
    );
    assert_eq!(description(&bot.posted(LOG).await.body), failed);

    // The last good facts answer on.
    bot.mention(MEMBER, "how much did the chancay port cost?")
        .await;
    assert!(description(&bot.posted(CHANNEL).await.body).starts_with("It cost $3.6 billion."));
    // The same failure again is not posted twice.
    bot.admin(&moderator(), "reload", json!([])).await;
    bot.callback().await;
    bot.edited().await;
    bot.admin(&moderator(), "status", json!([])).await;
    let status = bot.callback().await;
    let text = description(&status.body["data"]);
    assert!(text.contains("FAILED, the facts above stay live"), "{text}");
    assert!(
        text.contains("Open problems (2), until a reload succeeds:"),
        "{text}"
    );
    assert!(
        text.contains("story.toml:12:1: error: unknown key \"answr\""),
        "{text}"
    );
    assert_eq!(status.body["data"]["embeds"][0]["color"], 0xc5_30_30);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let log_posts = bot
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == format!("/api/v10/channels/{LOG}/messages"))
        .count();
    assert_eq!(log_posts, 2, "a repeated failure is posted once");
    bot.stop().await;
}

#[tokio::test]
async fn a_saved_file_is_live_within_seconds_and_its_result_posted() {
    let bot = start(Options {
        watch: true,
        ..Options::default()
    })
    .await;
    let saved = Instant::now();
    let tmp = bot.story().with_extension("toml.new");
    std::fs::write(
        &tmp,
        story().replace("It cost $3.5 billion.", "It cost $4 billion."),
    )
    .expect("write");
    std::fs::rename(&tmp, bot.story()).expect("rename-save");
    let logged = bot.posted(LOG).await;
    let took = saved.elapsed();
    assert!(
        description(&logged.body).starts_with("Facts reloaded after a file change: version "),
        "{}",
        logged.body
    );
    assert!(description(&logged.body).contains("1 changed: port-cost"));
    assert!(took < Duration::from_secs(3), "live in {took:?}");
    bot.mention(MEMBER, "how much did the chancay port cost?")
        .await;
    assert!(description(&bot.posted(CHANNEL).await.body).starts_with("It cost $4 billion."));

    std::fs::remove_dir_all(bot.dir.path().join("facts")).expect("delete folder");
    let logged = bot.posted(LOG).await;
    assert!(
        description(&logged.body).contains("no such file or folder"),
        "{}",
        logged.body
    );
    bot.mention(MEMBER, "how much did the chancay port cost?")
        .await;
    assert!(
        description(&bot.posted(CHANNEL).await.body).starts_with("It cost $4 billion."),
        "a deleted folder is not \"no facts\""
    );
    bot.stop().await;
}

#[tokio::test]
async fn questions_are_recorded_and_gaps_and_stats_report_them() {
    let bot = start(Options::default()).await;
    for question in [
        "who owns the chancay port?",
        "Did the port open in Japan?",
        "did the port open in japan",
        "What is the weather in Lima?",
    ] {
        bot.mention(MEMBER, question).await;
        bot.posted(CHANNEL).await;
    }
    let dm = bot
        .fake
        .message_create(DM, None, MEMBER, false, "Did the port open in Japan??", &[]);
    bot.fake.dispatch("MESSAGE_CREATE", dm).await;
    bot.posted(DM).await;
    bot.command(
        &member(),
        "ask",
        json!([{"name": "question", "type": 3, "value": "how much did the chancay port cost"}]),
    )
    .await;
    bot.callback().await;
    bot.fake
        .dispatch(
            "INTERACTION_CREATE",
            bot.fake
                .interaction_component(&member(), "fu:port-cost", 2, &[], None),
        )
        .await;
    bot.callback().await;
    bot.flush();

    let mut db = Database::open_existing(bot.dir.path().join("data/factbot.db")).expect("db");
    let rows = db.questions_json().expect("rows");
    assert_eq!(rows.len(), 6);
    let vias: Vec<&str> = rows
        .iter()
        .map(|r| r["via"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        vias,
        ["mention", "mention", "mention", "mention", "dm", "slash"]
    );
    assert_eq!(rows[0]["guild_id"], GUILD);
    assert_eq!(rows[0]["channel_id"], CHANNEL);
    assert_eq!(rows[4]["guild_id"], Value::Null);
    let everything = serde_json::to_string(&rows).expect("json");
    assert!(
        !everything.contains(&MEMBER.to_string()) && !everything.contains("user"),
        "no trace of who asked: {everything}"
    );
    assert_eq!(rows[0]["score"], 0.9, "{}", rows[0]);

    bot.admin(
        &moderator(),
        "gaps",
        json!([{"name": "days", "type": 4, "value": 3}]),
    )
    .await;
    assert_eq!(bot.callback().await.body["type"], 5);
    let gaps = bot.edited().await;
    let text = description(&gaps.body);
    assert!(
        text.starts_with("Unanswered questions, last 3 day(s)"),
        "{text}"
    );
    assert!(
        text.contains("1. 3\u{00D7} \u{201C}Did the port open in Japan??\u{201D}"),
        "{text}"
    );
    assert!(text.contains("What is the weather in Lima?"), "{text}");

    bot.admin(&moderator(), "stats", json!([])).await;
    bot.callback().await;
    let text = description(&bot.edited().await.body).to_owned();
    assert!(text.starts_with("Questions, last 7 day(s)"), "{text}");
    assert!(text.contains("answered 2 (33.3%)"), "{text}");
    assert!(
        text.contains("port-owner \u{201C}Who owns the Chancay port?\u{201D}"),
        "{text}"
    );
    assert!(text.contains("Follow-up clicks: 1"), "{text}");
    bot.stop().await;
}

#[tokio::test]
async fn helpful_buttons_are_offered_when_configured_and_recorded() {
    let bot = start(Options {
        tune: |config| config.helpful_buttons = true,
        ..Options::default()
    })
    .await;
    bot.mention(MEMBER, "how much did the chancay port cost?")
        .await;
    let answer = bot.posted(CHANNEL).await;
    let ids = custom_ids(&answer.body);
    let no = ids
        .iter()
        .find(|id| id.starts_with("hn:"))
        .expect("a not-helpful button")
        .clone();
    assert!(ids.iter().any(|id| id.starts_with("hy:")), "{ids:?}");
    assert!(no.ends_with(":port-cost"), "{no}");
    bot.mention(MEMBER, "What is the weather in Lima?").await;
    let unknown = bot.posted(CHANNEL).await;
    assert!(
        !custom_ids(&unknown.body)
            .iter()
            .any(|id| id.starts_with('h')),
        "only answers ask"
    );
    bot.fake
        .dispatch(
            "INTERACTION_CREATE",
            bot.fake.interaction_component(&member(), &no, 2, &[], None),
        )
        .await;
    let thanks = bot.callback().await;
    assert_eq!(thanks.body["data"]["flags"], 64);
    assert!(thanks.body["data"]["content"]
        .as_str()
        .unwrap_or("")
        .starts_with("Thanks"));
    bot.flush();
    let mut db = Database::open_existing(bot.dir.path().join("data/factbot.db")).expect("db");
    let stats = db.stats(0, 10).expect("stats");
    assert_eq!((stats.helpful, stats.not_helpful), (0, 1));
    bot.stop().await;
}

#[tokio::test]
async fn retracted_facts_on_discord_are_explained_and_never_offered() {
    let bot = start(Options::default()).await;
    bot.mention(MEMBER, "who owns the chancay port?").await;
    let owner = bot.posted(CHANNEL).await;
    assert!(
        description(&owner.body).starts_with(
            "According to Martin Cassinelli, Atlantic Council: Cosco Shipping owns 60% of the port."
        ),
        "{}",
        owner.body
    );
    assert_eq!(
        custom_ids(&owner.body),
        ["fu:port-cost"],
        "not the retracted follow-up"
    );

    bot.mention(MEMBER, "what was the first estimate for the chancay port?")
        .await;
    let retracted = bot.posted(CHANNEL).await;
    assert!(
        description(&retracted.body).starts_with("The answer to \u{201C}What was the first estimate for the Chancay port?\u{201D} has been retracted. The $1 billion figure was a misreading"),
        "{}",
        retracted.body
    );
    assert!(
        retracted.body["embeds"][0].get("footer").is_none(),
        "no source quoted"
    );

    let typed = json!([{"name": "question", "type": 3, "value": "chancay", "focused": true}]);
    bot.fake
        .dispatch(
            "INTERACTION_CREATE",
            bot.fake.interaction_autocomplete(&member(), "ask", typed),
        )
        .await;
    let choices = bot.callback().await.body["data"]["choices"].to_string();
    assert!(choices.contains("Who owns the Chancay port?"), "{choices}");
    assert!(!choices.contains("first estimate"), "{choices}");
    bot.command(&member(), "facts", json!([])).await;
    let topics = bot.callback().await;
    assert!(!description(&topics.body["data"]).contains("first estimate"));
    bot.stop().await;
}

#[tokio::test]
async fn a_broken_or_locked_database_never_stops_an_answer() {
    // Not a database at all.
    let dir = tempfile::tempdir().expect("tempdir");
    let garbage = dir.path().join("factbot.db");
    std::fs::write(&garbage, "not a database ".repeat(500)).expect("write");
    let bot = start_with_history(Options::default(), Some(garbage)).await;
    bot.mention(MEMBER, "who owns the chancay port?").await;
    assert!(description(&bot.posted(CHANNEL).await.body).contains("Cosco Shipping owns 60%"));
    bot.flush();
    bot.admin(&moderator(), "status", json!([])).await;
    let text = description(&bot.callback().await.body["data"]).to_owned();
    assert!(text.contains("1 failed"), "{text}");
    assert!(text.contains("Database problem: "), "{text}");
    bot.admin(&moderator(), "gaps", json!([])).await;
    bot.callback().await;
    let gaps = description(&bot.edited().await.body).to_owned();
    assert!(
        gaps.starts_with("Cannot read the questions database"),
        "{gaps}"
    );
    bot.stop().await;

    // Locked by another writer: answers do not wait for the lock.
    let locked = dir.path().join("locked.db");
    drop(Database::create(&locked).expect("create"));
    let other = rusqlite::Connection::open(&locked).expect("open");
    other.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let bot = start_with_history(Options::default(), Some(locked)).await;
    for question in [
        "who owns the chancay port?",
        "how much did the chancay port cost?",
    ] {
        let asked = Instant::now();
        bot.mention(MEMBER, question).await;
        bot.posted(CHANNEL).await;
        assert!(
            asked.elapsed() < Duration::from_millis(1000),
            "answered in {:?} while the database is locked",
            asked.elapsed()
        );
    }
    bot.flush();
    let health = bot.history.as_ref().expect("history").health();
    assert_eq!(health.written, 0, "{health:?}");
    assert!(health.failed >= 1, "{health:?}");
    other.execute_batch("ROLLBACK").expect("unlock");
    bot.stop().await;
}

/// Kills the child on drop, so a failed assertion never leaves a bot running.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

async fn wait_exit(child: &mut Child) -> Option<i32> {
    let deadline = Instant::now() + T;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status.code();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

#[tokio::test]
async fn the_binary_reloads_on_sighup_and_creates_its_database() {
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some(TOKEN.into()),
        ..FakeConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).expect("mkdir");
    std::fs::write(facts.join("story.toml"), story()).expect("write");
    let config = dir.path().join("factbot.toml");
    std::fs::write(
        &config,
        format!(
            "facts = \"facts\"\n[reload]\nwatch = false\n[history]\ndatabase = \"state/questions.db\"\n[discord]\nlog_channel_id = {LOG}\nuser_cooldown_secs = 0\n"
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
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn factbot run");
    let mut bot = Process(child);
    fake.wait_identified(T).await;
    let database = dir.path().join("state/questions.db");
    let deadline = Instant::now() + T;
    while !database.is_file() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(database.is_file(), "created on first run");

    std::fs::write(
        facts.join("story.toml"),
        story().replace("It cost $3.5 billion.", "It cost $5 billion."),
    )
    .expect("edit");
    signal(&bot.0, "HUP");
    let path = format!("/api/v10/channels/{LOG}/messages");
    let logged = fake
        .wait_for_request(move |r| r.method == "POST" && r.path == path, T)
        .await;
    assert!(
        description(&logged.body).starts_with("Facts reloaded after SIGHUP: version "),
        "{}",
        logged.body
    );
    let message = fake.message_create(
        CHANNEL,
        Some(GUILD),
        MEMBER,
        false,
        &format!("<@{BOT}> how much did the chancay port cost?"),
        &[BOT],
    );
    fake.dispatch("MESSAGE_CREATE", message).await;
    let path = format!("/api/v10/channels/{CHANNEL}/messages");
    let answer = fake
        .wait_for_request(move |r| r.method == "POST" && r.path == path, T)
        .await;
    assert!(description(&answer.body).starts_with("It cost $5 billion."));

    signal(&bot.0, "TERM");
    assert_eq!(wait_exit(&mut bot.0).await, Some(0), "a clean stop");
    let mut stderr = String::new();
    if let Some(mut pipe) = bot.0.stderr.take() {
        use std::io::Read as _;
        let _ = pipe.read_to_string(&mut stderr);
    }
    assert!(stderr.contains("facts reloaded"), "{stderr}");
    assert!(!stderr.contains(TOKEN));
    let rows = Database::open_existing(&database)
        .expect("db")
        .questions_json()
        .expect("rows");
    assert_eq!(rows.len(), 1, "written before the process stopped");
    assert_eq!(rows[0]["fact_id"], "port-cost");
}

/// Asks by mention and returns the id of the bot's reply.
async fn asked(bot: &Running, question: &str) -> u64 {
    bot.mention(MEMBER, question).await;
    let reply = bot.posted(CHANNEL).await;
    reply.response["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("the reply's id")
}

/// Rewrites the story with `from` replaced by `to` and reloads, as a moderator's save would.
async fn edit_story(bot: &Running, from: &str, to: &str) {
    let story = std::fs::read_to_string(bot.story()).expect("story");
    assert!(story.contains(from), "{from}");
    std::fs::write(bot.story(), story.replacen(from, to, 1)).expect("write");
    bot.reloader.reload(Trigger::FileChange).await;
}

async fn patched(bot: &Running, message: u64) -> Recorded {
    let path = format!("/api/v10/channels/{CHANNEL}/messages/{message}");
    bot.fake
        .wait_for_request(move |r| r.method == "PATCH" && r.path == path, T)
        .await
}

#[tokio::test]
async fn a_changed_answer_patches_exactly_the_earlier_reply_with_the_new_answer_and_note() {
    let bot = start(Options::default()).await;
    let cost = asked(&bot, "How much did the Chancay port cost?").await;
    let owner = asked(&bot, "Who owns the Chancay port?").await;
    let started = Instant::now();
    edit_story(
        &bot,
        "answer = \"It cost $3.5 billion.\"",
        "answer = \"It cost $3.6 billion.\"\ncorrection = \"An earlier version said $3.5 billion.\"",
    )
    .await;
    let edit = patched(&bot, cost).await;
    assert!(started.elapsed() < Duration::from_secs(5), "within seconds");
    let text = description(&edit.body);
    assert!(
        text.starts_with("It cost $3.6 billion.\n\nCorrected on "),
        "{text}"
    );
    assert!(
        text.contains(": An earlier version said $3.5 billion."),
        "{text}"
    );
    assert_eq!(edit.status, 200);
    assert!(
        custom_ids(&edit.body)
            .iter()
            .any(|id| id.contains("port-owner")),
        "its follow-up buttons are still there: {:?}",
        custom_ids(&edit.body)
    );
    let report = correction_report(&bot).await;
    assert!(
        report.contains("Corrected 1 earlier answer about port-cost"),
        "{report}"
    );
    let other = format!("/messages/{owner}");
    let touched = bot
        .fake
        .requests()
        .into_iter()
        .any(|r| r.method == "PATCH" && r.path.ends_with(&other));
    assert!(!touched, "the reply about another fact is left alone");
    bot.stop().await;
}

#[tokio::test]
async fn a_retraction_replaces_the_reply_and_whitespace_sends_nothing() {
    let bot = start(Options::default()).await;
    let cost = asked(&bot, "How much did the Chancay port cost?").await;
    edit_story(
        &bot,
        "answer = \"It cost $3.5 billion.\"",
        "answer = \"It  cost $3.5\\nbillion. \"",
    )
    .await;
    let quiet = bot
        .fake
        .try_wait_for_request(|r| r.method == "PATCH", Duration::from_millis(800))
        .await;
    assert!(
        quiet.is_none(),
        "a whitespace-only edit sends no PATCH: {quiet:?}"
    );
    edit_story(
        &bot,
        "snippet = \"a $3.5 billion investment\"",
        "snippet = \"a $3.5 billion investment\"\nstatus = \"retracted\"\nnote = \"The cost is not confirmed.\"",
    )
    .await;
    let edit = patched(&bot, cost).await;
    assert_eq!(
        description(&edit.body),
        format!(
            "The answer to \u{201C}How much did the Chancay port cost?\u{201D} has been retracted. The cost is not confirmed.\n\nCorrected on {}.",
            corrected_on()
        )
    );
    bot.stop().await;
}

/// The corrections report posted in the log channel (after the reload's own report).
async fn correction_report(bot: &Running) -> String {
    let path = format!("/api/v10/channels/{LOG}/messages");
    let report = bot
        .fake
        .wait_for_request(
            move |r| {
                r.method == "POST" && r.path == path && r.body.to_string().contains("Corrected")
            },
            T,
        )
        .await;
    report.body["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Today as the correction marker writes it ("2 Dec 2026").
fn corrected_on() -> String {
    let today = factbot::clock::date(factbot::clock::now());
    factbot::lang::Lang::EN.short_date(&today)
}

#[tokio::test]
async fn a_deleted_reply_is_skipped_and_counted_and_the_cap_is_reported() {
    let bot = start(Options {
        corrections: CorrectionsConfig {
            max_per_reload: 2,
            pace_ms: 10,
            ..CorrectionsConfig::default()
        },
        ..Options::default()
    })
    .await;
    let mut replies = Vec::new();
    for _ in 0..4 {
        replies.push(asked(&bot, "How much did the Chancay port cost?").await);
    }
    // The newest is deleted: its edit gets 404 (10008) and counts as not edited.
    bot.fake.delete_message(replies[3]);
    edit_story(&bot, "It cost $3.5 billion.", "It cost $3.6 billion.").await;
    let report = correction_report(&bot).await;
    assert!(
        report.contains("Corrected 1 earlier answer about port-cost; 1 could not be edited"),
        "{report}"
    );
    assert!(report.contains("2 more were not corrected"), "{report}");
    let patches: Vec<Recorded> = bot
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 2, "at most max_per_reload edits are tried");
    assert_eq!(patches[0].status, 404);
    assert_eq!(patches[0].response["code"], 10008);
    bot.stop().await;
}

#[tokio::test]
async fn slash_command_replies_are_edited_through_their_token_and_spanish_stays_spanish() {
    let bot = start(Options::default()).await;
    let spanish = Origin {
        locale: "es-ES".into(),
        ..member()
    };
    bot.command(
        &spanish,
        "ask",
        json!([{"name": "question", "type": 3, "value": "¿cuánto costó el puerto de chancay?"}]),
    )
    .await;
    let answer = bot.callback().await;
    assert_eq!(
        description(&answer.body["data"]),
        "Costó 3500 millones de dólares.\n\n> \u{201C}a $3.5 billion investment\u{201D}"
    );
    edit_story(
        &bot,
        "Costó 3500 millones de dólares.",
        "Costó 3600 millones de dólares.",
    )
    .await;
    let edit = bot
        .fake
        .wait_for_request(
            |r| r.method == "PATCH" && r.path.ends_with("/messages/@original"),
            T,
        )
        .await;
    let text = description(&edit.body);
    assert!(
        text.starts_with("Costó 3600 millones de dólares.\n\nCorregido el "),
        "{text}"
    );
    assert_eq!(edit.status, 200);
    bot.stop().await;
}

#[tokio::test]
async fn corrections_can_be_turned_off() {
    let bot = start(Options {
        corrections: CorrectionsConfig {
            enabled: false,
            ..CorrectionsConfig::default()
        },
        ..Options::default()
    })
    .await;
    asked(&bot, "How much did the Chancay port cost?").await;
    edit_story(&bot, "It cost $3.5 billion.", "It cost $3.6 billion.").await;
    let patch = bot
        .fake
        .try_wait_for_request(|r| r.method == "PATCH", Duration::from_millis(800))
        .await;
    assert!(patch.is_none(), "{patch:?}");
    bot.stop().await;
}

#[tokio::test]
async fn a_spanish_mention_is_answered_in_spanish_and_its_buttons_stay_spanish() {
    let bot = start(Options::default()).await;
    bot.mention(MEMBER, "¿Quién es el dueño del puerto de Chancay?")
        .await;
    let reply = bot.posted(CHANNEL).await;
    let text = description(&reply.body);
    assert!(
        text.starts_with("Según Martin Cassinelli, Atlantic Council: Cosco Shipping owns 60% of the port.\n(Esta respuesta solo está disponible en inglés)."),
        "no translation: the English answer with a Spanish note: {text}"
    );
    let labels: Vec<&str> = reply.body["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|button| button["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"¿Cuánto costó el puerto de Chancay?"),
        "{labels:?}"
    );
    // A member whose Discord is in English clicks a button of that Spanish reply.
    let click = bot.fake.interaction_component(
        &member(),
        "fu:port-cost",
        2,
        &[],
        Some(reply.response.clone()),
    );
    bot.fake.dispatch("INTERACTION_CREATE", click).await;
    let answer = bot.callback().await;
    assert!(
        description(&answer.body["data"]).starts_with("Costó 3500 millones de dólares."),
        "{}",
        answer.body
    );
    bot.stop().await;
}

#[tokio::test]
async fn paced_corrections_never_hold_up_a_new_answer() {
    let bot = start(Options {
        corrections: CorrectionsConfig {
            pace_ms: 400,
            ..CorrectionsConfig::default()
        },
        ..Options::default()
    })
    .await;
    for _ in 0..4 {
        asked(&bot, "How much did the Chancay port cost?").await;
    }
    edit_story(&bot, "It cost $3.5 billion.", "It cost $3.6 billion.").await;
    // The four edits take over a second at this pace; a question meanwhile is answered at once.
    let asked_at = Instant::now();
    asked(&bot, "Who owns the Chancay port?").await;
    let answered_in = asked_at.elapsed();
    let report = correction_report(&bot).await;
    assert!(
        report.contains("Corrected 4 earlier answers about port-cost"),
        "{report}"
    );
    let edits_took = asked_at.elapsed();
    assert!(
        answered_in < Duration::from_millis(800) && answered_in < edits_took,
        "answered in {answered_in:?} while the edits took {edits_took:?}"
    );
    bot.stop().await;
}
