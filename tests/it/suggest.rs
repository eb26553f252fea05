//! Facts that learn from members, end to end: a member's click on a "did you mean" reply is
//! recorded with the question it resolved, `factbot suggest` proposes the question as a
//! pattern, and a moderator's one command (or "Add" button on `/factsadmin suggestions`)
//! writes it into the facts file, changing nothing else; the bot reloads once and answers the
//! question directly from then on. Also: members cannot press the moderators' buttons, a
//! suggestion that would steal another fact's questions is shown with a warning and can still
//! be added deliberately, and dismissed suggestions stay dismissed (on SQLite here and on
//! PostgreSQL in `postgres.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use factbot::clock;
use factbot::config::{DatabaseLocation, DiscordConfig, Snowflake};
use factbot::discord::{self, DiscordError, Services, Token};
use factbot::history::{Click, History, Via};
use factbot::matcher::MatchSettings;
use factbot::reload::{Reloader, Watcher};
use factbot::store::FactStore;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;

use crate::bot::{self, custom_ids, description};
use crate::fake_discord::{FakeConfig, FakeDiscord, Origin, Recorded};
use crate::history::{ask, snapshot};
use crate::support::bundled_facts;

const T: Duration = Duration::from_secs(20);
const BOT: u64 = 1000;
const GUILD: u64 = 600;
const CHANNEL: u64 = 500;
const LOG: u64 = 900;
const MEMBER: u64 = 313_131_313;
const MODERATOR: u64 = 424_242_424;
const MOD_ROLE: u64 = 42;
const TOKEN: &str = "fake-token";
const STORY_FILE: &str = "peru-china-visit-2024.toml";
/// Ambiguous with the bundled facts: Cosco's port or its exclusive rights?
const QUESTION: &str = "what happened with cosco?";
const PATTERN: &str = "What happened with cosco?";
const COSCO_PORT_ANSWER: &str = "Cosco Shipping is due to open a high-capacity port terminal";

struct Running {
    fake: FakeDiscord,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), DiscordError>>,
    dir: tempfile::TempDir,
    reloader: Arc<Reloader>,
    history: Arc<History>,
    _watcher: Watcher,
}

/// The bot on a copy of the bundled facts, watched, recording questions.
async fn start() -> Running {
    let dir = tempfile::tempdir().expect("tempdir");
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).expect("mkdir");
    std::fs::copy(bundled_facts().join(STORY_FILE), facts.join(STORY_FILE)).expect("copy facts");
    let store = FactStore::open(vec![facts], MatchSettings::default()).expect("facts load");
    let reloader = Arc::new(Reloader::new(Arc::new(store)));
    let watcher = reloader.watch(Duration::from_millis(200)).expect("watch");
    let history = Arc::new(History::start(dir.path().join("data/factbot.db"), 90));
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some(TOKEN.into()),
        ..FakeConfig::default()
    })
    .await;
    let config = DiscordConfig {
        api_url: Some(fake.api_url()),
        ca_cert: Some(fake.ca_cert()),
        user_cooldown_secs: 0.0,
        channel_max_answers: 0,
        moderator_role_ids: vec![Snowflake(MOD_ROLE)],
        log_channel_id: Some(Snowflake(LOG)),
        ..DiscordConfig::default()
    };
    let services = Services {
        reloader: Arc::clone(&reloader),
        history: Some(Arc::clone(&history)),
        corrections: factbot::config::CorrectionsConfig::default(),
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
        self.dir.path().join("facts").join(STORY_FILE)
    }

    fn database(&self) -> String {
        self.dir
            .path()
            .join("data/factbot.db")
            .display()
            .to_string()
    }

    async fn mention(&self, text: &str) -> Recorded {
        let message = self.fake.message_create(
            CHANNEL,
            Some(GUILD),
            MEMBER,
            false,
            &format!("<@{BOT}> {text}"),
            &[BOT],
        );
        self.fake.dispatch("MESSAGE_CREATE", message).await;
        bot::posted(&self.fake, CHANNEL, T).await
    }

    async fn click(&self, origin: &Origin, custom_id: &str) -> Recorded {
        let click = self
            .fake
            .interaction_component(origin, custom_id, 2, &[], None);
        self.fake.dispatch("INTERACTION_CREATE", click).await;
        bot::callback(&self.fake, T).await
    }

    async fn edited(&self) -> Recorded {
        self.fake
            .wait_for_request(
                |r| r.method == "PATCH" && r.path.ends_with("/messages/@original"),
                T,
            )
            .await
    }

    /// A member asks the ambiguous question and clicks the Cosco port fact it offers.
    async fn member_resolves_the_question(&self) {
        let reply = self.mention(QUESTION).await;
        let ids = custom_ids(&reply.body);
        let port = ids
            .iter()
            .find(|id| id.ends_with(":cosco-port"))
            .unwrap_or_else(|| panic!("cosco-port offered: {ids:?}"));
        let question = port
            .strip_prefix("fr:")
            .and_then(|rest| rest.strip_suffix(":cosco-port"))
            .unwrap_or_else(|| panic!("the button names the question it resolves: {port}"));
        assert!(question.parse::<u64>().is_ok(), "{port}");
        assert!(port.len() <= 100, "Discord's custom_id limit");
        let answer = self.click(&member(), port).await;
        assert!(
            description(&answer.body["data"]).starts_with(COSCO_PORT_ANSWER),
            "{}",
            answer.body
        );
        assert!(self.history.flush(T));
    }

    /// The question asked again is answered with the Cosco port fact, not "did you mean".
    async fn answered_directly(&self) {
        let again = self.mention(QUESTION).await;
        assert!(
            description(&again.body).starts_with(COSCO_PORT_ANSWER),
            "{}",
            again.body
        );
        assert!(
            custom_ids(&again.body)
                .iter()
                .all(|id| id.starts_with("fu:")),
            "an answer's follow-ups, not choices: {:?}",
            custom_ids(&again.body)
        );
    }

    /// Posts to the log channel so far, after a moment for any late one.
    async fn log_posts(&self) -> Vec<String> {
        tokio::time::sleep(Duration::from_millis(800)).await;
        self.fake
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == format!("/api/v10/channels/{LOG}/messages"))
            .map(|r| description(&r.body).to_owned())
            .collect()
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

fn member() -> Origin {
    Origin {
        roles: vec![7],
        ..Origin::guild(CHANNEL, GUILD, MEMBER)
    }
}

fn moderator() -> Origin {
    Origin {
        roles: vec![7, MOD_ROLE],
        ..Origin::guild(CHANNEL, GUILD, MODERATOR)
    }
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the real binary in `dir` (no config file there: every path is given).
fn factbot(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("FACTBOT_DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .expect("run factbot");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn suggestions_json(dir: &Path, database: &str) -> Value {
    let out = factbot(
        dir,
        &[
            "suggest",
            "--json",
            "--database",
            database,
            "--facts",
            "facts",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("suggest --json is JSON")
}

/// `new` is `old` with exactly one line added, inside fact `fact`'s entry; that line.
fn one_line_added<'a>(old: &str, new: &'a str, fact: &str) -> &'a str {
    let (old_lines, new_lines): (Vec<&str>, Vec<&str>) = (
        old.split_inclusive('\n').collect(),
        new.split_inclusive('\n').collect(),
    );
    assert_eq!(new_lines.len(), old_lines.len() + 1, "one line more");
    let at = old_lines
        .iter()
        .zip(&new_lines)
        .position(|(a, b)| a != b)
        .unwrap_or(old_lines.len());
    assert_eq!(&new_lines[..at], &old_lines[..at], "every byte before it");
    assert_eq!(
        &new_lines[at + 1..],
        &old_lines[at..],
        "every byte after it"
    );
    let entry = old_lines[..at]
        .iter()
        .rev()
        .find(|line| line.starts_with("id = "))
        .expect("inside a fact");
    assert_eq!(entry.trim(), format!("id = \"{fact}\""));
    new_lines[at]
}

#[tokio::test]
async fn a_resolved_question_is_suggested_accepted_from_the_terminal_and_answered_directly() {
    let bot = start().await;
    bot.member_resolves_the_question().await;

    let dir = bot.dir.path();
    let listed = suggestions_json(dir, &bot.database());
    let suggestion = &listed["suggestions"][0];
    assert_eq!(suggestion["fact"], "cosco-port", "{listed:#}");
    assert_eq!(suggestion["pattern"], PATTERN);
    assert_eq!(suggestion["count"], 1);
    assert!(suggestion["warning"].is_null(), "{suggestion}");
    let id = suggestion["id"].as_str().expect("id").to_owned();
    let members = factbot(
        dir,
        &["suggest", "--database", &bot.database(), "--facts", "facts"],
    );
    assert!(
        members
            .stdout
            .contains(&format!("{id}  add \u{201C}{PATTERN}\u{201D}")),
        "{}",
        members.stdout
    );

    let before = std::fs::read_to_string(bot.story()).expect("read");
    let accepted = factbot(
        dir,
        &[
            "suggest",
            "--accept",
            &id,
            "--database",
            &bot.database(),
            "--facts",
            "facts",
        ],
    );
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert!(
        accepted
            .stdout
            .contains("added \u{201C}What happened with cosco?\u{201D} to cosco-port"),
        "{}",
        accepted.stdout
    );
    let after = std::fs::read_to_string(bot.story()).expect("read");
    assert_eq!(
        one_line_added(&before, &after, "cosco-port"),
        "  \"What happened with cosco?\",\n"
    );

    let reload = bot::posted(&bot.fake, LOG, T).await;
    assert!(
        description(&reload.body).starts_with("Facts reloaded after a file change"),
        "{}",
        reload.body
    );
    assert!(description(&reload.body).contains("1 changed: cosco-port"));
    bot.answered_directly().await;
    assert_eq!(bot.log_posts().await.len(), 1, "reloaded once");
    assert_eq!(bot.reloader.state().attempts, 1, "reloaded once");
    let listed = suggestions_json(dir, &bot.database());
    assert_eq!(listed["suggestions"], json!([]), "not proposed again");
    bot.stop().await;
}

#[tokio::test]
async fn moderators_add_a_suggestion_with_a_button_and_members_cannot() {
    let bot = start().await;
    bot.member_resolves_the_question().await;

    bot.fake
        .dispatch(
            "INTERACTION_CREATE",
            bot.fake.interaction_application_command(
                &moderator(),
                "factsadmin",
                json!([{"name": "suggestions", "type": 1, "options": []}]),
            ),
        )
        .await;
    let deferred = bot::callback(&bot.fake, T).await;
    assert_eq!(deferred.body["type"], 5, "deferred: a query");
    let report = bot.edited().await;
    let text = description(&report.body).to_owned();
    assert!(text.contains(PATTERN), "{text}");
    assert!(text.contains("to cosco-port"), "{text}");
    let buttons = custom_ids(&report.body);
    let add = buttons
        .iter()
        .find(|id| id.starts_with("sa:"))
        .unwrap_or_else(|| panic!("an Add button: {buttons:?}"))
        .clone();
    assert!(
        buttons.iter().any(|id| id.starts_with("sd:")),
        "{buttons:?}"
    );
    assert_eq!(
        report.body["components"][0]["components"][0]["label"],
        "Add #1"
    );

    let before = std::fs::read_to_string(bot.story()).expect("read");
    let refused = bot.click(&member(), &add).await;
    assert_eq!(
        refused.body["data"]["content"],
        "Sorry, this command is for the facts moderators only."
    );
    assert_eq!(refused.body["data"]["flags"], 64);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        std::fs::read_to_string(bot.story()).expect("read"),
        before,
        "nothing written"
    );

    let deferred = bot.click(&moderator(), &add).await;
    assert_eq!(deferred.body["type"], 5);
    let done = description(&bot.edited().await.body).to_owned();
    assert!(
        done.contains(&format!("accepted by moderator {MODERATOR}")),
        "{done}"
    );
    let after = std::fs::read_to_string(bot.story()).expect("read");
    assert_eq!(
        one_line_added(&before, &after, "cosco-port"),
        "  \"What happened with cosco?\",\n"
    );
    let first = description(&bot::posted(&bot.fake, LOG, T).await.body).to_owned();
    let second = description(&bot::posted(&bot.fake, LOG, T).await.body).to_owned();
    let (accepted, reloaded) = if first.starts_with("Suggestion") {
        (first, second)
    } else {
        (second, first)
    };
    assert!(
        accepted.contains(&format!(
            "accepted by moderator {MODERATOR}: added \u{201C}{PATTERN}\u{201D} to cosco-port"
        )),
        "{accepted}"
    );
    assert!(
        reloaded.starts_with("Facts reloaded after a file change"),
        "{reloaded}"
    );
    bot.answered_directly().await;
    assert_eq!(
        bot.log_posts().await.len(),
        2,
        "one report of the change, one reload"
    );

    // Another question resolved, and this time dismissed: remembered, not proposed again.
    let reply = bot.mention("what deals were signed").await;
    let xi = custom_ids(&reply.body)
        .into_iter()
        .find(|id| id.starts_with("fr:") && id.ends_with(":xi-agreements"))
        .unwrap_or_else(|| panic!("xi-agreements offered: {}", reply.body));
    bot.click(&member(), &xi).await;
    assert!(bot.history.flush(T));
    let suggestions = || async {
        bot.fake
            .dispatch(
                "INTERACTION_CREATE",
                bot.fake.interaction_application_command(
                    &moderator(),
                    "factsadmin",
                    json!([{"name": "suggestions", "type": 1, "options": []}]),
                ),
            )
            .await;
        bot::callback(&bot.fake, T).await;
        bot.edited().await
    };
    let report = suggestions().await;
    assert!(
        description(&report.body).contains("to xi-agreements"),
        "{}",
        report.body
    );
    let dismiss = custom_ids(&report.body)
        .into_iter()
        .find(|id| id.starts_with("sd:"))
        .expect("a Dismiss button");
    bot.click(&moderator(), &dismiss).await;
    let dismissed = description(&bot.edited().await.body).to_owned();
    assert!(
        dismissed.contains(&format!("dismissed by moderator {MODERATOR}")),
        "{dismissed}"
    );
    let logged = description(&bot::posted(&bot.fake, LOG, T).await.body).to_owned();
    assert_eq!(logged, dismissed, "the log channel says who dismissed what");
    let after = std::fs::read_to_string(bot.story()).expect("read");
    let report = suggestions().await;
    assert!(
        !description(&report.body).contains("to xi-agreements"),
        "{}",
        report.body
    );
    assert!(custom_ids(&report.body).is_empty(), "{}", report.body);
    assert_eq!(
        std::fs::read_to_string(bot.story()).expect("read"),
        after,
        "a dismissal writes no facts"
    );
    bot.stop().await;
}

/// Facts where "Chancay port cost" belongs to `port-cost`: as a pattern of `port-owner` it
/// would still lead there.
const STEALING_STORY: &str = r#"
[[facts]]
id = "port-cost"
questions = ["How much did the Chancay port cost?", "What did the Chancay port cost?"]
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

/// A member resolved `text` to `fact` with a click.
fn resolved(history: &History, snapshot: &factbot::store::Snapshot, text: &str, fact: &str) {
    let question = history.record(ask(snapshot, text, Via::Mention));
    history.record_click(Click {
        question: Some(question),
        at: clock::now(),
        guild: Some(GUILD),
        channel: Some(CHANNEL),
        fact: fact.into(),
        found: true,
    });
}

/// The warning, `--accept-all`, accepting deliberately, `--dismiss` and `--place`, against
/// the question log at `database` (a file or a PostgreSQL URL).
pub fn suggestions_from_the_terminal(database: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).expect("mkdir");
    let story = facts.join("story.toml");
    std::fs::write(&story, crate::support::facts_file(STEALING_STORY)).expect("write");
    let reading = tempfile::tempdir().expect("tempdir");
    let snapshot = snapshot(reading.path());
    let history = History::start(DatabaseLocation::parse(database), 90);
    for _ in 0..2 {
        resolved(
            &history,
            &snapshot,
            "yo, chancay port cost 🙏",
            "port-owner",
        );
    }
    resolved(
        &history,
        &snapshot,
        "what did it set them back",
        "port-cost",
    );
    assert!(history.flush(T));
    let listed = suggestions_json(dir.path(), database);
    let all = listed["suggestions"]
        .as_array()
        .expect("suggestions")
        .clone();
    assert_eq!(all.len(), 2, "{listed:#}");
    let stealing = &all[0];
    assert_eq!(
        stealing["pattern"], "Chancay port cost",
        "most resolved first: {listed:#}"
    );
    assert_eq!(stealing["count"], 2);
    assert_eq!(stealing["warning"]["leads_to"], "port-cost", "{stealing}");
    let price = &all[1];
    assert_eq!(price["pattern"], "What did it set them back", "{price}");
    assert!(price["warning"].is_null(), "{price}");
    let text = factbot(
        dir.path(),
        &["suggest", "--database", database, "--facts", "facts"],
    );
    assert!(text.stdout.contains("WARNING: question \"Chancay port cost\" matches fact \"port-cost\" better than its own fact \"port-owner\""), "{}", text.stdout);

    let original = std::fs::read_to_string(&story).expect("read");
    let all_of_them = factbot(
        dir.path(),
        &[
            "suggest",
            "--accept-all",
            "--min-count",
            "2",
            "--database",
            database,
            "--facts",
            "facts",
        ],
    );
    assert_eq!(all_of_them.code, 0, "{}", all_of_them.stderr);
    assert!(
        all_of_them.stderr.contains("skipped"),
        "{}",
        all_of_them.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&story).expect("read"),
        original,
        "a warned one is never taken in bulk"
    );

    let id = stealing["id"].as_str().expect("id");
    let deliberate = factbot(
        dir.path(),
        &[
            "suggest",
            "--accept",
            id,
            "--database",
            database,
            "--facts",
            "facts",
        ],
    );
    assert_eq!(deliberate.code, 0, "{}", deliberate.stderr);
    assert!(
        deliberate
            .stderr
            .contains(&format!("warning: adding {id} anyway")),
        "{}",
        deliberate.stderr
    );
    let added = std::fs::read_to_string(&story).expect("read");
    assert_eq!(
        added,
        original.replace(
            "questions = [\"Who owns the Chancay port?\"]",
            "questions = [\"Who owns the Chancay port?\", \"Chancay port cost\"]"
        )
    );

    let price_id = price["id"].as_str().expect("id");
    let dismissed = factbot(
        dir.path(),
        &[
            "suggest",
            "--dismiss",
            price_id,
            "--database",
            database,
            "--facts",
            "facts",
        ],
    );
    assert_eq!(dismissed.code, 0, "{}", dismissed.stderr);
    let listed = suggestions_json(dir.path(), database);
    assert_eq!(
        listed["suggestions"],
        json!([]),
        "added and dismissed: {listed:#}"
    );
    let again = factbot(
        dir.path(),
        &[
            "suggest",
            "--accept",
            price_id,
            "--database",
            database,
            "--facts",
            "facts",
        ],
    );
    assert_eq!(
        again.code, 2,
        "a dismissed suggestion is gone: {}",
        again.stdout
    );

    let placed = factbot(
        dir.path(),
        &[
            "suggest",
            "--place",
            "Who runs the harbour?",
            "port-owner",
            "--database",
            database,
            "--facts",
            "facts",
        ],
    );
    assert_eq!(placed.code, 0, "{}", placed.stderr);
    assert!(std::fs::read_to_string(&story).expect("read").contains(
        "[\"Who owns the Chancay port?\", \"Chancay port cost\", \"Who runs the harbour?\"]"
    ));
    let unknown = factbot(
        dir.path(),
        &[
            "suggest",
            "--place",
            "Q?",
            "no-such-fact",
            "--database",
            database,
            "--facts",
            "facts",
        ],
    );
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("there is no fact \"no-such-fact\""),
        "{}",
        unknown.stderr
    );
}

#[test]
fn a_suggestion_that_would_steal_questions_is_warned_and_added_only_deliberately() {
    let dir = tempfile::tempdir().expect("tempdir");
    suggestions_from_the_terminal(&dir.path().join("factbot.db").display().to_string());
}

/// The same on Slack: the "did you mean" buttons carry the question, and `/factsadmin
/// suggestions` has Add and Dismiss buttons that only moderators may use.
#[tokio::test]
async fn on_slack_a_moderator_adds_a_suggestion_from_factsadmin_suggestions() {
    use crate::fake_slack::{FakeSlack, APP_TOKEN, BOT_TOKEN};
    use factbot::config::SlackConfig;
    use factbot::slack::{self, Tokens};

    const SLACK_CHANNEL: &str = "C0NEWS001";
    const SLACK_LOG: &str = "C0LOG0001";
    const SLACK_MEMBER: &str = "U0MEMBER1";
    const EDITOR: &str = "U0EDITOR1";
    let dir = tempfile::tempdir().expect("tempdir");
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).expect("mkdir");
    let story = facts.join(STORY_FILE);
    std::fs::copy(bundled_facts().join(STORY_FILE), &story).expect("copy facts");
    let store = FactStore::open(vec![facts], MatchSettings::default()).expect("facts load");
    let reloader = Arc::new(Reloader::new(Arc::new(store)));
    let _watcher = reloader.watch(Duration::from_millis(200)).expect("watch");
    let history = Arc::new(History::start(dir.path().join("data/factbot.db"), 90));
    let fake = FakeSlack::start().await;
    fake.set_group("S0MODS001", &[EDITOR]);
    let config = SlackConfig {
        api_url: Some(fake.api_url()),
        user_cooldown_secs: 0.0,
        channel_max_answers: 0,
        moderator_user_groups: vec!["S0MODS001".into()],
        log_channel: Some(SLACK_LOG.into()),
        ..SlackConfig::default()
    };
    let services = Services {
        reloader: Arc::clone(&reloader),
        history: Some(Arc::clone(&history)),
        corrections: factbot::config::CorrectionsConfig::default(),
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let tokens = Tokens::new(BOT_TOKEN, APP_TOKEN).expect("tokens");
        slack::run(&config, &tokens, services, async {
            let _ = stopped.await;
        })
        .await
    });
    fake.wait_connected(1, T).await;
    let action_ids = |body: &Value| -> Vec<String> {
        body["blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|block| block["elements"].as_array().cloned().unwrap_or_default())
            .filter_map(|element| element["action_id"].as_str().map(str::to_owned))
            .collect()
    };

    fake.send(fake.command("c1", "/ask", QUESTION, SLACK_MEMBER, SLACK_CHANNEL));
    // A public /ask is posted by the bot, so a reload can correct it.
    let choice = fake.next("chat.postMessage", T).await;
    let ids = action_ids(&choice.body);
    let port = ids
        .iter()
        .find(|id| id.starts_with("fr:") && id.ends_with(":cosco-port"))
        .unwrap_or_else(|| panic!("the button names the question: {ids:?}"))
        .clone();
    fake.send(fake.click(
        "b1",
        &port,
        SLACK_MEMBER,
        SLACK_CHANNEL,
        "1720000100.000001",
        false,
    ));
    let answer = fake.next("chat.postMessage", T).await;
    assert!(
        answer.body.to_string().contains(COSCO_PORT_ANSWER),
        "{}",
        answer.body
    );
    assert!(history.flush(T));

    fake.send(fake.command("c2", "/factsadmin", "suggestions", EDITOR, SLACK_CHANNEL));
    let report = fake.next("response_url", T).await;
    assert!(report.body.to_string().contains(PATTERN), "{}", report.body);
    let ids = action_ids(&report.body);
    let add = ids
        .iter()
        .find(|id| id.starts_with("sa:"))
        .unwrap_or_else(|| panic!("an Add button: {ids:?}"))
        .clone();
    let before = std::fs::read_to_string(&story).expect("read");

    fake.send(fake.click(
        "b2",
        &add,
        SLACK_MEMBER,
        SLACK_CHANNEL,
        "1720000100.000002",
        true,
    ));
    let refused = fake.next("response_url", T).await;
    assert_eq!(
        refused.body["text"],
        "Sorry, this command is for the facts moderators only."
    );
    assert_eq!(std::fs::read_to_string(&story).expect("read"), before);

    fake.send(fake.click("b3", &add, EDITOR, SLACK_CHANNEL, "1720000100.000003", true));
    let done = fake.next("response_url", T).await;
    assert!(
        done.body
            .to_string()
            .contains(&format!("accepted by moderator {EDITOR}")),
        "{}",
        done.body
    );
    let after = std::fs::read_to_string(&story).expect("read");
    assert_eq!(
        one_line_added(&before, &after, "cosco-port"),
        "  \"What happened with cosco?\",\n"
    );
    let logged = fake
        .call(
            |c| {
                c.method == "chat.postMessage"
                    && c.body["channel"] == SLACK_LOG
                    && c.body.to_string().contains("accepted by moderator")
            },
            T,
        )
        .await;
    assert!(logged.body.to_string().contains(PATTERN), "{}", logged.body);
    let _ = stop.send(());
    let result = timeout(T, task).await.expect("stopped").expect("no panic");
    assert!(result.is_ok(), "{result:?}");
}
