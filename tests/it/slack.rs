//! factbot on Slack end to end: the library's `slack::run` (and, for the platform choice, the
//! real binary) against the fake Slack on 127.0.0.1. Every scenario asserts on the Web API
//! calls and `response_url` posts the bot made; every wait is bounded.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use factbot::config::{CorrectionsConfig, SlackConfig};
use factbot::conversation::Services;
use factbot::matcher::MatchSettings;
use factbot::reload::Reloader;
use factbot::slack::{self, SlackError, Tokens};
use factbot::store::FactStore;
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;

use crate::fake_slack::{FakeSlack, APP_TOKEN, BOT_TOKEN, BOT_USER};
use crate::support::facts_file;

pub(crate) const T: Duration = Duration::from_secs(5);
pub(crate) const CHANNEL: &str = "C0NEWS001";
pub(crate) const DM: &str = "D0DM00001";
pub(crate) const USER: &str = "U0MEMBER1";

/// The facts (the source is `support::facts_file`'s).
pub(crate) const STORY: &str = r#"
[[facts]]
id = "port-opening"
questions = ["When did the Chancay port open?", "Chancay port opening date"]
answer = "The Chancay port opened in November 2024."
snippet = "the port opened in November 2024"
follow_ups = ["port-owner", "announcement"]

[[facts]]
id = "port-owner"
questions = ["Who owns the Chancay port?"]
answer = "Cosco Shipping owns 60% of the port."
snippet = "Cosco Shipping, which owns 60%"
follow_ups = ["port-opening"]

[[facts]]
id = "announcement"
questions = ["What did the harbour announcement say?"]
answer = "<!channel> was told the port is open. <!here> <@U0MEMBER1> <!subteam^S1> too."
snippet = "<!channel> the port is open & ready"
follow_ups = ["port-opening"]
"#;

fn write_story(dir: &Path) -> PathBuf {
    write_facts(dir, STORY)
}

fn write_facts(dir: &Path, story: &str) -> PathBuf {
    let path = dir.join("story.toml");
    std::fs::write(&path, facts_file(story)).expect("write facts fixture");
    path
}

pub(crate) struct Running {
    pub fake: FakeSlack,
    /// Reloads the facts as a moderator's save would.
    pub reloader: Arc<Reloader>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), SlackError>>,
    pub dir: tempfile::TempDir,
}

async fn start(tune: impl FnOnce(&mut SlackConfig)) -> Running {
    start_with(STORY, tune).await
}

/// The Slack bot on `story`, against a fake Slack, with corrections paced as fast as Slack
/// allows.
pub(crate) async fn start_with(story: &str, tune: impl FnOnce(&mut SlackConfig)) -> Running {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(
        FactStore::open(
            vec![write_facts(dir.path(), story)],
            MatchSettings::default(),
        )
        .expect("fixture facts load"),
    );
    let reloader = Arc::new(Reloader::new(store));
    let services = Services {
        reloader: Arc::clone(&reloader),
        history: None,
        corrections: CorrectionsConfig {
            pace_ms: 1,
            ..CorrectionsConfig::default()
        },
    };
    let fake = FakeSlack::start().await;
    let mut config = SlackConfig {
        api_url: Some(fake.api_url()),
        user_cooldown_secs: 0.0,
        channel_max_answers: 0,
        ..SlackConfig::default()
    };
    tune(&mut config);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let tokens = Tokens::new(BOT_TOKEN, APP_TOKEN).expect("tokens");
        slack::run(&config, &tokens, services, async {
            let _ = stopped.await;
        })
        .await
    });
    fake.wait_connected(1, T).await;
    Running {
        fake,
        reloader,
        stop: Some(stop),
        task,
        dir,
    }
}

impl Running {
    pub(crate) async fn stop(mut self) {
        let _ = self.stop.take().expect("running").send(());
        let result = timeout(T, self.task)
            .await
            .expect("run did not return after shutdown")
            .expect("run panicked");
        assert!(result.is_ok(), "{result:?}");
    }
}

pub(crate) fn blocks(body: &Value) -> &Vec<Value> {
    body["blocks"].as_array().expect("blocks")
}

pub(crate) fn action_ids(body: &Value) -> Vec<String> {
    blocks(body)
        .iter()
        .flat_map(|block| block["elements"].as_array().cloned().unwrap_or_default())
        .filter_map(|element| element["action_id"].as_str().map(str::to_owned))
        .collect()
}

/// Nothing the bot sent can ping: no `<!…>`, `<@…>` or `<#…>` markup, no `link_names`.
pub(crate) fn assert_pings_nobody(body: &Value) {
    let text = body.to_string();
    for markup in ["<!", "<@", "<#"] {
        assert!(!text.contains(markup), "{markup} in {text}");
    }
    assert!(body.get("link_names").is_none(), "{text}");
}

#[tokio::test]
async fn a_mention_gets_a_threaded_answer_with_blocks_and_buttons() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.send(fake.mention(
        "e1",
        USER,
        CHANNEL,
        "1720000000.000100",
        "when did the Chancay port open?",
    ));
    assert!(fake.ack_delay("e1", T).await < Duration::from_secs(3));
    let post = fake.next("chat.postMessage", T).await;
    assert_eq!(
        post.authorization.as_deref(),
        Some(&*format!("Bearer {BOT_TOKEN}"))
    );
    let body = &post.body;
    assert_eq!(body["channel"], CHANNEL);
    assert_eq!(
        body["thread_ts"], "1720000000.000100",
        "in a thread on the member's message"
    );
    let blocks = blocks(body);
    assert_eq!(
        blocks[0]["text"]["text"],
        "The Chancay port opened in November 2024."
    );
    assert_eq!(
        blocks[1]["text"]["text"],
        "> \u{201C}the port opened in November 2024\u{201D}"
    );
    assert_eq!(
        blocks[2]["elements"][0]["text"],
        "<https://example.org/story|Daily Test>, \u{201C}A test story\u{201D}, 2024-07-04"
    );
    assert_eq!(action_ids(body), ["fu:port-owner", "fu:announcement"]);
    assert_pings_nobody(body);
    bot.stop().await;
}

#[tokio::test]
async fn a_direct_message_is_answered_in_the_dm() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.send(fake.dm("e1", USER, DM, "who owns the Chancay port?"));
    let post = fake.next("chat.postMessage", T).await;
    assert_eq!(post.body["channel"], DM);
    assert!(post.body.get("thread_ts").is_none(), "{}", post.body);
    assert_eq!(
        blocks(&post.body)[0]["text"]["text"],
        "Cosco Shipping owns 60% of the port."
    );
    bot.stop().await;
}

#[tokio::test]
async fn ask_is_acked_at_once_and_answered_publicly_or_privately() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.send(fake.command(
        "c1",
        "/ask",
        "when did the Chancay port open?",
        USER,
        CHANNEL,
    ));
    assert!(fake.ack_delay("c1", T).await < Duration::from_secs(3));
    // Posted by the bot, so its ts is known and a reload can correct it.
    let public = fake.next("chat.postMessage", T).await;
    assert_eq!(public.body["channel"], CHANNEL);
    assert!(public.body.get("thread_ts").is_none(), "{}", public.body);
    assert_eq!(
        blocks(&public.body)[0]["text"]["text"],
        "The Chancay port opened in November 2024."
    );

    fake.send(fake.command(
        "c2",
        "/ask",
        "private who owns the Chancay port?",
        USER,
        CHANNEL,
    ));
    let private = fake.next("response_url", T).await;
    assert_eq!(private.query.as_deref(), Some("c2"));
    assert_eq!(private.body["response_type"], "ephemeral");
    assert_eq!(
        blocks(&private.body)[0]["text"]["text"],
        "Cosco Shipping owns 60% of the port."
    );

    fake.send(fake.command("c3", "/facts", "", USER, CHANNEL));
    let topics = fake.next("response_url", T).await;
    assert_eq!(topics.body["response_type"], "ephemeral");
    assert_eq!(action_ids(&topics.body)[0], "fu:port-opening");
    bot.stop().await;
}

#[tokio::test]
async fn a_button_answers_its_fact_in_the_thread_or_privately() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.send(fake.click(
        "b1",
        "fu:port-owner",
        "U0OTHER01",
        CHANNEL,
        "1720000100.000001",
        false,
    ));
    let post = fake.next("chat.postMessage", T).await;
    assert_eq!(post.body["channel"], CHANNEL);
    assert_eq!(post.body["thread_ts"], "1720000100.000001");
    assert_eq!(
        blocks(&post.body)[0]["text"]["text"],
        "Cosco Shipping owns 60% of the port."
    );

    fake.send(fake.click(
        "b2",
        "fu:port-opening",
        USER,
        CHANNEL,
        "1720000100.000002",
        true,
    ));
    let private = fake.next("response_url", T).await;
    assert_eq!(private.body["response_type"], "ephemeral");
    assert_eq!(private.body["replace_original"], false);
    assert_eq!(
        blocks(&private.body)[0]["text"]["text"],
        "The Chancay port opened in November 2024."
    );
    bot.stop().await;
}

#[tokio::test]
async fn messages_from_bots_and_edits_are_ignored() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    let mut from_bot = fake.mention(
        "e1",
        "U0OTHERBOT",
        CHANNEL,
        "1.1",
        "when did the Chancay port open?",
    );
    from_bot["payload"]["event"]["bot_id"] = "B0OTHER01".into();
    fake.send(from_bot);
    fake.send(fake.mention(
        "e2",
        BOT_USER,
        CHANNEL,
        "1.2",
        "when did the Chancay port open?",
    ));
    let mut edit = fake.dm("e3", USER, DM, "who owns the Chancay port?");
    edit["payload"]["event"]["subtype"] = "message_changed".into();
    fake.send(edit);
    fake.send(fake.dm("e4", USER, DM, "who owns the Chancay port?"));
    let post = fake.next("chat.postMessage", T).await;
    assert_eq!(
        post.body["channel"], DM,
        "only the member's own DM is answered"
    );
    for envelope in ["e1", "e2", "e3"] {
        fake.ack_delay(envelope, T).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let posts = fake
        .calls()
        .iter()
        .filter(|c| c.method.starts_with("chat."))
        .count();
    assert_eq!(posts, 1, "{:#?}", fake.calls());
    bot.stop().await;
}

#[tokio::test]
async fn channel_markup_in_a_question_or_a_fact_pings_nobody() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.send(fake.mention(
        "e1",
        USER,
        CHANNEL,
        "1.1",
        "<!channel> what did the harbour announcement say?",
    ));
    let post = fake.next("chat.postMessage", T).await;
    assert_pings_nobody(&post.body);
    let first = blocks(&post.body)[0]["text"]["text"].as_str().unwrap();
    assert!(
        first.starts_with(
            "&lt;!channel&gt; was told the port is open. &lt;!here&gt; &lt;@U0MEMBER1&gt;"
        ),
        "{first}"
    );
    assert!(post.body.to_string().contains("&amp; ready"));
    fake.send(fake.command(
        "c1",
        "/ask",
        "<!here> <@U0MEMBER1> what did the harbour announcement say?",
        USER,
        CHANNEL,
    ));
    assert_pings_nobody(&fake.next("chat.postMessage", T).await.body);
    bot.stop().await;
}

#[tokio::test]
async fn after_a_disconnect_the_next_question_is_answered_on_a_new_connection() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.send(
        serde_json::json!({"type": "disconnect", "reason": "refresh_requested",
                                 "debug_info": {"host": "fake"}}),
    );
    fake.wait_connected(2, T).await;
    assert_eq!(
        fake.connections_opened(),
        2,
        "apps.connections.open called again"
    );
    // Sent on the old connection before Slack closes it: not lost.
    fake.send_on_oldest(fake.mention(
        "e0",
        USER,
        CHANNEL,
        "1.0",
        "when did the Chancay port open?",
    ));
    let before_close = fake.next("chat.postMessage", T).await;
    assert_eq!(
        blocks(&before_close.body)[0]["text"]["text"],
        "The Chancay port opened in November 2024."
    );
    fake.close_oldest();
    fake.send(fake.mention("e1", USER, CHANNEL, "1.1", "who owns the Chancay port?"));
    let post = fake.next("chat.postMessage", T).await;
    assert_eq!(
        blocks(&post.body)[0]["text"]["text"],
        "Cosco Shipping owns 60% of the port."
    );
    bot.stop().await;
}

#[tokio::test]
async fn a_re_sent_envelope_is_answered_once() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    let event = serde_json::json!({"type": "app_mention", "user": USER, "channel": CHANNEL, "ts": "1.1",
                                   "text": format!("<@{BOT_USER}> who owns the Chancay port?")});
    fake.send(fake.event("e1", "Ev777", 0, event.clone()));
    fake.send(fake.event("e1-retry", "Ev777", 1, event));
    fake.ack_delay("e1", T).await;
    fake.ack_delay("e1-retry", T).await;
    fake.next("chat.postMessage", T).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let posts = fake
        .calls()
        .iter()
        .filter(|c| c.method == "chat.postMessage")
        .count();
    assert_eq!(posts, 1, "answered once: {:#?}", fake.calls());
    bot.stop().await;
}

#[tokio::test]
async fn a_rate_limited_reply_is_sent_once_after_retry_after() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.rate_limit_next("chat.postMessage", 1);
    fake.send(fake.mention("e1", USER, CHANNEL, "1.1", "who owns the Chancay port?"));
    assert!(
        fake.ack_delay("e1", T).await < Duration::from_secs(1),
        "acked before the wait"
    );
    let limited = fake
        .call(|c| c.method == "chat.postMessage" && c.status == 429, T)
        .await;
    let sent = fake.next("chat.postMessage", T).await;
    assert!(
        sent.at.duration_since(limited.at) >= Duration::from_secs(1),
        "not before Retry-After: {:?}",
        sent.at.duration_since(limited.at)
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let posts: Vec<u16> = fake
        .calls()
        .iter()
        .filter(|c| c.method == "chat.postMessage")
        .map(|c| c.status)
        .collect();
    assert_eq!(posts, [429, 200]);
    bot.stop().await;
}

#[tokio::test]
async fn cooldowns_and_the_allow_list_work_as_on_discord() {
    let bot = start(|config| {
        config.user_cooldown_secs = 30.0;
        config.allowed_channels = vec![CHANNEL.into()];
    })
    .await;
    let fake = &bot.fake;
    fake.send(fake.mention("e1", USER, "C0ELSEWHR", "1.1", "who owns the Chancay port?"));
    fake.ack_delay("e1", T).await;
    fake.send(fake.mention("e2", USER, CHANNEL, "1.2", "who owns the Chancay port?"));
    let answer = fake.next("chat.postMessage", T).await;
    assert_eq!(
        answer.body["channel"], CHANNEL,
        "not outside the allow-list"
    );
    fake.send(fake.mention(
        "e3",
        USER,
        CHANNEL,
        "1.3",
        "when did the Chancay port open?",
    ));
    let notice = fake.next("chat.postEphemeral", T).await;
    assert_eq!(notice.body["user"], USER);
    assert!(
        notice.body["text"]
            .as_str()
            .unwrap()
            .starts_with("You're asking quickly"),
        "{}",
        notice.body
    );
    fake.send(fake.command("c1", "/ask", "who owns it?", USER, "C0ELSEWHR"));
    let refused = fake.next("response_url", T).await;
    assert!(refused.body["text"]
        .as_str()
        .unwrap()
        .starts_with("I don't answer in this channel"));
    bot.stop().await;
}

#[tokio::test]
async fn factsadmin_is_for_moderators_only() {
    let bot = start(|config| config.moderator_user_groups = vec!["S0MODS001".into()]).await;
    let fake = &bot.fake;
    fake.set_group("S0MODS001", &["U0EDITOR1"]);
    fake.send(fake.command("c1", "/factsadmin", "status", USER, CHANNEL));
    let refused = fake.next("response_url", T).await;
    assert_eq!(
        refused.body["text"],
        "Sorry, this command is for the facts moderators only."
    );
    fake.send(fake.command("c2", "/factsadmin", "status", "U0EDITOR1", CHANNEL));
    let status = fake.next("response_url", T).await;
    assert_eq!(status.body["response_type"], "ephemeral");
    let text = blocks(&status.body)[0]["text"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Facts: 3 fact(s) from 1 file(s)"),
        "{text}"
    );
    // A workspace admin in no moderators' group may use it too.
    fake.set_admin("U0ADMIN01");
    fake.send(fake.command("c3", "/factsadmin", "status", "U0ADMIN01", CHANNEL));
    let admin = fake.next("response_url", T).await;
    let text = blocks(&admin.body)[0]["text"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Facts: 3 fact(s) from 1 file(s)"),
        "{text}"
    );
    bot.stop().await;
}

#[tokio::test]
async fn did_you_mean_and_unknown_replies_come_with_buttons() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.send(fake.mention("e1", USER, CHANNEL, "1.1", "port announcement owner"));
    let choice = fake.next("chat.postMessage", T).await;
    assert_eq!(
        blocks(&choice.body)[0]["text"]["text"],
        "I have a few facts close to that. Did you mean one of these?"
    );
    let ids = action_ids(&choice.body);
    assert!(
        ids.contains(&"fu:port-owner".to_owned()) && ids.contains(&"fu:announcement".to_owned()),
        "{ids:?}"
    );
    assert_eq!(blocks(&choice.body)[1]["elements"][0]["style"], "primary");

    fake.send(fake.mention("e2", USER, CHANNEL, "1.2", "what is the weather in Lima?"));
    let unknown = fake.next("chat.postMessage", T).await;
    let text = blocks(&unknown.body)[0]["text"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("I don't have that in my facts about"),
        "{text}"
    );
    let topics = action_ids(&unknown.body);
    assert!(
        !topics.is_empty() && topics.iter().all(|id| id.starts_with("fu:")),
        "topic buttons: {topics:?}"
    );
    bot.stop().await;
}

fn factbot(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factbot"));
    command
        .current_dir(dir)
        .env_remove("DISCORD_TOKEN")
        .env_remove("SLACK_BOT_TOKEN")
        .env_remove("SLACK_APP_TOKEN")
        .env_remove("FACTBOT_DISCORD_API_URL")
        .env_remove("FACTBOT_SLACK_API_URL")
        .env_remove("RUST_LOG");
    command
}

fn write_config(dir: &Path, extra: &str) -> PathBuf {
    let facts = write_story(dir);
    let path = dir.join("factbot.toml");
    std::fs::write(
        &path,
        format!(
            "facts = {:?}\n[history]\nenabled = false\n{extra}",
            facts.display().to_string()
        ),
    )
    .expect("config");
    path
}

#[test]
fn slack_turned_off_is_not_run_even_with_its_tokens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), "[slack]\nenabled = false\n");
    let out = factbot(dir.path())
        .args(["run", "--config"])
        .arg(&config)
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .env("SLACK_APP_TOKEN", APP_TOKEN)
        .env("FACTBOT_SLACK_API_URL", "http://127.0.0.1:9/api/")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no chat platform to run"), "{stderr}");
}

#[test]
fn no_platform_at_all_exits_2_saying_how_to_set_up_either() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), "");
    let out = factbot(dir.path())
        .args(["run", "--config"])
        .arg(&config)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for needed in [
        "DISCORD_TOKEN",
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "manifest",
    ] {
        assert!(stderr.contains(needed), "{needed}: {stderr}");
    }
}

/// The README's app manifest asks for exactly the scopes the code's Web API calls and events
/// need, subscribes to the events it handles, declares its commands and turns Socket Mode on.
#[test]
fn the_readme_manifest_matches_what_the_code_uses() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let start = readme.find("display_information:").expect("the manifest");
    let manifest = &readme[start..start + readme[start..].find("```").expect("its end")];
    let listed = |key: &str| -> Vec<String> {
        let at = manifest
            .find(key)
            .unwrap_or_else(|| panic!("{key} in the manifest"));
        manifest[at + key.len()..]
            .lines()
            .skip(1)
            .map_while(|line| line.trim().strip_prefix("- "))
            .map(|item| {
                item.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    let source: String = [
        "api.rs",
        "handler.rs",
        "corrections.rs",
        "mod.rs",
        "events.rs",
    ]
    .iter()
    .map(|file| {
        std::fs::read_to_string(format!("{}/src/slack/{file}", env!("CARGO_MANIFEST_DIR")))
            .expect("source")
    })
    .collect();
    // What each Web API method, event and command needs; auth.test needs no scope, and
    // apps.connections.open uses the app-level token (connections:write, step 2).
    let needs = [
        ("\"chat.postMessage\"", "chat:write"),
        ("\"chat.postEphemeral\"", "chat:write"),
        ("\"chat.update\"", "chat:write"),
        ("\"usergroups.users.list", "usergroups:read"),
        ("\"users.info", "users:read"),
        ("\"app_mention\"", "app_mentions:read"),
        ("\"im\"", "im:history"),
        ("\"slash_commands\"", "commands"),
    ];
    let mut wanted: Vec<String> = needs
        .iter()
        .filter(|(used, _)| source.contains(used))
        .map(|(_, scope)| (*scope).to_owned())
        .collect();
    wanted.sort();
    wanted.dedup();
    let mut scopes = listed("bot:");
    scopes.sort();
    assert_eq!(scopes, wanted, "scopes in the manifest");
    assert_eq!(listed("bot_events:"), ["app_mention", "message.im"]);
    let commands: Vec<&str> = manifest
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- command: "))
        .collect();
    assert_eq!(commands, ["/ask", "/facts", "/factsadmin"]);
    for handled in [
        "ASK: &str = \"/ask\"",
        "FACTS: &str = \"/facts\"",
        "FACTS_ADMIN: &str = \"/factsadmin\"",
    ] {
        assert!(source.contains(handled), "{handled}");
    }
    assert!(manifest.contains("socket_mode_enabled: true"));
    assert!(
        manifest.contains("is_enabled: true"),
        "interactivity, for the buttons"
    );
}

#[test]
fn slack_enabled_without_tokens_exits_2_saying_how_to_get_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), "[slack]\nenabled = true\n");
    let out = factbot(dir.path())
        .args(["run", "--config"])
        .arg(&config)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("SLACK_BOT_TOKEN") && stderr.contains("manifest"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("DISCORD_TOKEN"),
        "Discord is not asked for: {stderr}"
    );
}

/// A running `factbot run`, killed when dropped.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn only_a_slack_section_and_tokens_run_slack_alone() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        dir.path(),
        "[slack]\nenabled = true\nuser_cooldown_secs = 0\n",
    );
    let _bot = Child(
        factbot(dir.path())
            .args(["run", "--config"])
            .arg(&config)
            .env("SLACK_BOT_TOKEN", BOT_TOKEN)
            .env("SLACK_APP_TOKEN", APP_TOKEN)
            .env("FACTBOT_SLACK_API_URL", fake.api_url())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn factbot"),
    );
    fake.wait_connected(1, Duration::from_secs(20)).await;
    fake.send(fake.mention("e1", USER, CHANNEL, "1.1", "who owns the Chancay port?"));
    let post = fake.next("chat.postMessage", T).await;
    assert_eq!(
        blocks(&post.body)[0]["text"]["text"],
        "Cosco Shipping owns 60% of the port."
    );
}

#[tokio::test]
async fn discord_and_slack_run_in_one_process() {
    use crate::fake_discord::{FakeConfig, FakeDiscord};
    let slack = FakeSlack::start().await;
    let discord = FakeDiscord::start_with(FakeConfig {
        expected_token: Some("fake-token".into()),
        ..FakeConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        dir.path(),
        "[discord]\nuser_cooldown_secs = 0\n[slack]\nuser_cooldown_secs = 0\n",
    );
    let started = Instant::now();
    let _bot = Child(
        factbot(dir.path())
            .args(["run", "--config"])
            .arg(&config)
            .env("DISCORD_TOKEN", "fake-token")
            .env("FACTBOT_DISCORD_API_URL", discord.api_url())
            .env("FACTBOT_DISCORD_CA_CERT", discord.ca_cert())
            .env("SLACK_BOT_TOKEN", BOT_TOKEN)
            .env("SLACK_APP_TOKEN", APP_TOKEN)
            .env("FACTBOT_SLACK_API_URL", slack.api_url())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn factbot"),
    );
    discord.wait_identified(Duration::from_secs(20)).await;
    slack.wait_connected(1, Duration::from_secs(20)).await;
    let message = discord.message_create(
        500,
        Some(600),
        700,
        false,
        "<@1000> who owns the Chancay port?",
        &[1000],
    );
    discord.dispatch("MESSAGE_CREATE", message).await;
    slack.send(slack.mention("e1", USER, CHANNEL, "1.1", "who owns the Chancay port?"));
    let on_discord = crate::bot::posted(&discord, 500, T).await;
    let on_slack = slack.next("chat.postMessage", T).await;
    assert_eq!(
        crate::bot::description(&on_discord.body).lines().next(),
        Some("Cosco Shipping owns 60% of the port.")
    );
    assert_eq!(
        blocks(&on_slack.body)[0]["text"]["text"],
        "Cosco Shipping owns 60% of the port."
    );
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[tokio::test]
async fn a_dropped_socket_is_reopened_and_the_next_question_answered() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.close_oldest();
    fake.wait_connected(2, T).await;
    assert_eq!(fake.connections_opened(), 2);
    fake.send(fake.mention("e1", USER, CHANNEL, "1.1", "who owns the Chancay port?"));
    let post = fake.next("chat.postMessage", T).await;
    assert_eq!(
        blocks(&post.body)[0]["text"]["text"],
        "Cosco Shipping owns 60% of the port."
    );
    bot.stop().await;
}

#[tokio::test]
async fn while_slack_cannot_open_a_connection_the_wait_doubles() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    fake.fail_next("apps.connections.open", 2);
    fake.close_oldest();
    fake.wait_connected(2, Duration::from_secs(15)).await;
    let opens: Vec<Instant> = fake
        .calls()
        .iter()
        .filter(|call| call.method == "apps.connections.open")
        .map(|call| call.at)
        .collect();
    assert_eq!(
        opens.len(),
        4,
        "the first, two refused, the one that worked"
    );
    let first_gap = opens[2].duration_since(opens[1]);
    let second_gap = opens[3].duration_since(opens[2]);
    assert!(
        first_gap >= slack::FIRST_BACKOFF * 2 && second_gap >= slack::FIRST_BACKOFF * 4,
        "backoff doubles: {first_gap:?} then {second_gap:?}"
    );
    fake.send(fake.mention("e1", USER, CHANNEL, "1.1", "who owns the Chancay port?"));
    fake.next("chat.postMessage", T).await;
    bot.stop().await;
}
