//! Secrets never reach the log, at any level: the real binary runs at `RUST_LOG=trace` against
//! the fake Discord through slash commands and buttons, and its whole log is searched for the
//! bot token and every interaction token (either lets anyone act as the bot).

use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::bot::{callback, command, custom_ids};
use crate::discord::write_story;
use crate::fake_discord::{FakeConfig, FakeDiscord, Origin};

const T: Duration = Duration::from_secs(10);
const TOKEN: &str = "MTAwMA.secret-bot-token.do-not-log";

fn token_of(interaction: &Value) -> String {
    interaction["token"]
        .as_str()
        .expect("an interaction token")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_is_logged_even_at_trace() {
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some(TOKEN.into()),
        ..FakeConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    write_story(dir.path());
    std::fs::write(
        dir.path().join("factbot.toml"),
        "facts = \"story.toml\"\n[history]\nenabled = false\n[discord]\nuser_cooldown_secs = 0\nchannel_max_answers = 0\nguild_ids = [600]\n",
    )
    .expect("config");
    let log = std::fs::File::create(dir.path().join("log.txt")).expect("log file");
    let mut bot = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args(["run", "--config", "factbot.toml"])
        .current_dir(dir.path())
        .env("DISCORD_TOKEN", TOKEN)
        .env("FACTBOT_DISCORD_API_URL", fake.api_url())
        .env("FACTBOT_DISCORD_CA_CERT", fake.ca_cert())
        .env("RUST_LOG", "trace")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("spawn factbot");
    fake.wait_identified(T).await;

    let origin = Origin::guild(500, 600, 700);
    let mut tokens = Vec::new();
    let ask = fake.interaction_application_command(
        &origin,
        "ask",
        json!([{"name": "question", "type": 3, "value": "When did the Chancay port open?"}]),
    );
    tokens.push(token_of(&ask));
    fake.dispatch("INTERACTION_CREATE", ask).await;
    let reply = callback(&fake, T).await;
    let buttons = custom_ids(&reply.body["data"]);
    let button = buttons
        .iter()
        .find(|id| id.contains("port-owner"))
        .unwrap_or_else(|| panic!("a follow-up button in {:?}", reply.body));
    let click = fake.interaction_component(&origin, button, 2, &[], None);
    tokens.push(token_of(&click));
    fake.dispatch("INTERACTION_CREATE", click).await;
    callback(&fake, T).await;
    command(
        &fake,
        &origin,
        "ask",
        json!([{"name": "question", "type": 3, "value": "pisco sour?"}]),
    )
    .await;
    callback(&fake, T).await;

    let _ = Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status();
    let status = tokio::task::spawn_blocking(move || bot.wait())
        .await
        .unwrap();
    assert!(status.is_ok());
    let log = std::fs::read_to_string(dir.path().join("log.txt")).expect("log");
    // The log is on: factbot's own events of the scenario are there, so the search is real.
    for event in ["answered kind=Answer", "follow-up clicked", "stopped"] {
        assert!(log.contains(event), "no {event:?} in the log:\n{log}");
    }
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a log file:\n{log}"
    );
    assert!(!log.contains(TOKEN), "the bot token is in the log:\n{log}");
    assert!(
        !log.contains("secret-bot-token"),
        "part of the bot token is in the log"
    );
    for token in tokens {
        assert!(
            !log.contains(&token),
            "interaction token {token} is in the log:\n{log}"
        );
    }
    for recorded in fake
        .requests()
        .iter()
        .filter(|r| r.path.contains("/interactions/"))
    {
        let token = recorded.path.split('/').nth(5).unwrap_or_default();
        assert!(
            token.len() > 3 && !log.contains(token),
            "{} leaked",
            recorded.path
        );
    }
}

/// The same on Slack: the bot and app-level tokens and the `response_url`s (each lets anyone
/// answer as the bot) never reach the log at trace, through mentions, `/ask`, a button, a
/// reload's corrections and a stop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_slack_token_or_response_url_is_logged_even_at_trace() {
    use crate::fake_slack::{FakeSlack, APP_TOKEN, BOT_TOKEN};
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    write_story(dir.path());
    std::fs::write(
        dir.path().join("factbot.toml"),
        "facts = \"story.toml\"\n[history]\nenabled = false\n[reload]\nwatch = false\n[slack]\nuser_cooldown_secs = 0\nchannel_max_answers = 0\n",
    )
    .expect("config");
    let log = std::fs::File::create(dir.path().join("log.txt")).expect("log file");
    let mut bot = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args(["run", "--config", "factbot.toml"])
        .current_dir(dir.path())
        .env_remove("DISCORD_TOKEN")
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .env("SLACK_APP_TOKEN", APP_TOKEN)
        .env("FACTBOT_SLACK_API_URL", fake.api_url())
        .env("RUST_LOG", "trace")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("spawn factbot");
    fake.wait_connected(1, Duration::from_secs(20)).await;
    let (user, channel) = ("U0MEMBER1", "C0NEWS001");
    fake.send(fake.mention(
        "e1",
        user,
        channel,
        "1.1",
        "When did the Chancay port open?",
    ));
    fake.next("chat.postMessage", T).await;
    fake.send(fake.command(
        "c1",
        "/ask",
        "private who owns the Chancay port?",
        user,
        channel,
    ));
    fake.next("response_url", T).await;
    fake.send(fake.click("b1", "fu:port-owner", user, channel, "1.2", true));
    fake.next("response_url", T).await;
    let story = std::fs::read_to_string(dir.path().join("story.toml")).expect("story");
    let opened = "answer = \"The Chancay port opened";
    assert!(story.contains(opened));
    std::fs::write(
        dir.path().join("story.toml"),
        story.replacen(opened, "answer = \"Corrected: the Chancay port opened", 1),
    )
    .expect("edit");
    let _ = Command::new("kill")
        .args(["-HUP", &bot.id().to_string()])
        .status();
    fake.next("chat.update", T).await;
    // The edit reaches the fake before the bot logs its report: wait for the report, so that
    // stopping the bot cannot race it.
    wait_for_line(&dir.path().join("log.txt"), "corrections sent", T).await;

    let _ = Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status();
    let status = tokio::task::spawn_blocking(move || bot.wait())
        .await
        .unwrap();
    assert!(status.is_ok());
    let log = std::fs::read_to_string(dir.path().join("log.txt")).expect("log");
    for event in ["answered on Slack", "corrections sent", "stopped"] {
        assert!(log.contains(event), "no {event:?} in the log:\n{log}");
    }
    for secret in [BOT_TOKEN, APP_TOKEN, "/respond/"] {
        assert!(!log.contains(secret), "{secret} is in the log:\n{log}");
    }
}

/// Waits, a bounded time, until the log file holds `needle` (the assertions after say what is
/// missing if it never comes).
async fn wait_for_line(log: &std::path::Path, needle: &str, timeout: Duration) {
    let deadline = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < deadline {
        if std::fs::read_to_string(log).is_ok_and(|text| text.contains(needle)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
