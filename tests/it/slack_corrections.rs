//! Corrections on Slack end to end: the bot answers on the fake Slack, the facts change while
//! it runs, and it `chat.update`s exactly those earlier answers (the new answer and the
//! "Corrected on …" marker, or the retraction notice), in the answer's language; what Slack
//! will not let it edit is counted, never retried. The last test runs the binary on Discord
//! and Slack at once and sees both corrected.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use factbot::reload::Trigger;
use serde_json::Value;

use crate::fake_slack::{Call, FakeSlack, APP_TOKEN, BOT_TOKEN};
use crate::slack::{
    action_ids, assert_pings_nobody, blocks, start_with, Running, CHANNEL, DM, T, USER,
};
use crate::support::facts_file;

const LOG: &str = "C0LOG0001";
/// Room for a few edits at Slack's pace (1.2 s apart) on a busy machine.
const EDITS: Duration = Duration::from_secs(20);

const STORY: &str = r#"
[[facts]]
id = "port-opening"
questions = ["When did the Chancay port open?", "Chancay port opening date"]
answer = "The Chancay port opened in November 2024."
snippet = "the port opened in November 2024"
follow_ups = ["port-owner"]

[facts.translations.es]
title = "¿Cuándo abrió el puerto de Chancay?"
answer = "El puerto de Chancay abrió en noviembre de 2024."

[[facts]]
id = "port-owner"
questions = ["Who owns the Chancay port?"]
answer = "Cosco Shipping owns 60% of the port."
snippet = "Cosco Shipping, which owns 60%"
follow_ups = ["port-opening"]
"#;

async fn start() -> Running {
    start_with(STORY, |config| config.log_channel = Some(LOG.into())).await
}

/// Rewrites the story with `from` replaced by `to` and reloads, as a moderator's save would.
async fn edit_story(bot: &Running, from: &str, to: &str) {
    // Let the record file the answers sent before the reload reads it.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let path = bot.dir.path().join("story.toml");
    let story = std::fs::read_to_string(&path).expect("story");
    assert!(story.contains(from), "{from}");
    std::fs::write(&path, story.replacen(from, to, 1)).expect("write");
    bot.reloader.reload(Trigger::FileChange).await;
}

/// Asks by mention in the channel; the bot's answer (channel, ts).
async fn mention(fake: &FakeSlack, envelope: &str, question: &str) -> (String, String) {
    fake.send(fake.mention(envelope, USER, CHANNEL, "1720000000.000100", question));
    posted(fake).await
}

/// The next answer the bot posted: where Slack says it is.
async fn posted(fake: &FakeSlack) -> (String, String) {
    let post = fake.next("chat.postMessage", T).await;
    let field = |name: &str| post.response[name].as_str().expect(name).to_owned();
    (field("channel"), field("ts"))
}

/// The next `chat.update` of the message at (channel, ts).
async fn updated(fake: &FakeSlack, (channel, ts): &(String, String)) -> Call {
    let (channel, ts) = (channel.clone(), ts.clone());
    fake.call(
        move |call| {
            call.method == "chat.update"
                && call.body["channel"] == *channel
                && call.body["ts"] == *ts
        },
        EDITS,
    )
    .await
}

/// The corrections report posted in the log channel.
async fn report(fake: &FakeSlack) -> String {
    let call = fake
        .call(
            |call| {
                call.method == "chat.postMessage"
                    && call.body["channel"] == LOG
                    && call.body["text"]
                        .as_str()
                        .is_some_and(|text| text.contains("Corrected"))
            },
            EDITS,
        )
        .await;
    call.body["text"].as_str().unwrap_or_default().to_owned()
}

fn first_text(body: &Value) -> &str {
    blocks(body)[0]["text"]["text"].as_str().unwrap_or_default()
}

/// Today as the correction marker writes it ("2 Dec 2026").
fn corrected_on(lang: factbot::lang::Lang) -> String {
    lang.short_date(&factbot::clock::date(factbot::clock::now()))
}

#[tokio::test]
async fn answers_in_a_thread_a_dm_and_a_public_ask_are_updated_with_the_new_answer_and_marker() {
    let bot = start().await;
    let fake = &bot.fake;
    let thread = mention(fake, "e1", "when did the Chancay port open?").await;
    fake.send(fake.dm("e2", USER, DM, "when did the Chancay port open?"));
    let dm = posted(fake).await;
    fake.send(fake.command(
        "c1",
        "/ask",
        "when did the Chancay port open?",
        USER,
        CHANNEL,
    ));
    let public = posted(fake).await;
    let other = mention(fake, "e3", "who owns the Chancay port?").await;

    edit_story(
        &bot,
        "answer = \"The Chancay port opened in November 2024.\"",
        "answer = \"The Chancay port opened on 14 November 2024.\"\ncorrection = \"An earlier version gave no day.\"",
    )
    .await;
    let expected = format!(
        "The Chancay port opened on 14 November 2024.\n\nCorrected on {}: An earlier version gave no day.",
        corrected_on(factbot::lang::Lang::EN)
    );
    for answer in [&thread, &dm, &public] {
        let update = updated(fake, answer).await;
        assert_eq!(first_text(&update.body), expected, "{}", update.body);
        assert_eq!(update.response["ok"], true, "{}", update.response);
        assert_eq!(
            update.authorization.as_deref(),
            Some(&*format!("Bearer {BOT_TOKEN}"))
        );
        assert_eq!(
            action_ids(&update.body),
            ["fu:port-owner"],
            "its follow-up buttons stay"
        );
        assert_pings_nobody(&update.body);
    }
    assert_eq!(
        report(fake).await,
        "Corrected 3 earlier answers about port-opening"
    );
    let touched = fake
        .calls()
        .iter()
        .any(|call| call.method == "chat.update" && call.body["ts"] == *other.1);
    assert!(!touched, "the answer about another fact is left alone");
    bot.stop().await;
}

#[tokio::test]
async fn a_retracted_fact_is_replaced_by_the_retraction_notice() {
    let bot = start().await;
    let fake = &bot.fake;
    let answer = mention(fake, "e1", "when did the Chancay port open?").await;
    edit_story(
        &bot,
        "follow_ups = [\"port-owner\"]",
        "follow_ups = [\"port-owner\"]\nstatus = \"retracted\"\nnote = \"The date is not confirmed.\"",
    )
    .await;
    let update = updated(fake, &answer).await;
    assert_eq!(
        first_text(&update.body),
        format!(
            "The answer to \u{201C}When did the Chancay port open?\u{201D} has been retracted. The date is not confirmed.\n\nCorrected on {}.",
            corrected_on(factbot::lang::Lang::EN)
        )
    );
    assert!(
        !update.body.to_string().contains("November 2024"),
        "the retracted claim is neither said nor quoted: {}",
        update.body
    );
    bot.stop().await;
}

#[tokio::test]
async fn a_spanish_answer_is_corrected_in_spanish() {
    let bot = start().await;
    let fake = &bot.fake;
    let answer = mention(fake, "e1", "¿Cuándo abrió el puerto de Chancay?").await;
    edit_story(
        &bot,
        "abrió en noviembre de 2024.",
        "abrió el 14 de noviembre de 2024.",
    )
    .await;
    let update = updated(fake, &answer).await;
    assert_eq!(
        first_text(&update.body),
        format!(
            "El puerto de Chancay abrió el 14 de noviembre de 2024.\n\nCorregido el {}.",
            corrected_on(factbot::lang::Lang::ES)
        )
    );
    bot.stop().await;
}

#[tokio::test]
async fn deleted_and_private_answers_are_counted_never_retried() {
    let bot = start().await;
    let fake = &bot.fake;
    let kept = mention(fake, "e1", "when did the Chancay port open?").await;
    let deleted = mention(fake, "e2", "when did the Chancay port open?").await;
    fake.delete_message(&deleted.0, &deleted.1);
    fake.send(fake.command(
        "c1",
        "/ask",
        "private when did the Chancay port open?",
        USER,
        CHANNEL,
    ));
    let private = fake.next("response_url", T).await;
    assert_eq!(private.body["response_type"], "ephemeral");
    // Where the bot may not post, a public /ask answers through the response_url: no ts.
    fake.not_member_of("C0ELSEWHR");
    fake.send(fake.command(
        "c2",
        "/ask",
        "when did the Chancay port open?",
        USER,
        "C0ELSEWHR",
    ));
    let fallback = fake.next("response_url", T).await;
    assert_eq!(fallback.body["response_type"], "in_channel");
    assert_eq!(
        first_text(&fallback.body),
        "The Chancay port opened in November 2024."
    );

    edit_story(&bot, "in November 2024.", "on 14 November 2024.").await;
    assert_eq!(
        report(fake).await,
        "Corrected 1 earlier answer about port-opening; 3 could not be edited"
    );
    updated(fake, &kept).await;
    let updates: Vec<(String, Value)> = fake
        .calls()
        .into_iter()
        .filter(|call| call.method == "chat.update")
        .map(|call| {
            (
                call.body["ts"].as_str().unwrap_or_default().to_owned(),
                call.response,
            )
        })
        .collect();
    assert_eq!(updates.len(), 2, "one try each, no retry: {updates:#?}");
    let gone = updates
        .iter()
        .find(|(ts, _)| *ts == deleted.1)
        .expect("the deleted answer was tried");
    assert_eq!(gone.1["error"], "message_not_found");
    bot.stop().await;
}

#[tokio::test]
async fn a_rate_limited_update_is_sent_once_after_retry_after() {
    let bot = start().await;
    let fake = &bot.fake;
    let answer = mention(fake, "e1", "when did the Chancay port open?").await;
    fake.rate_limit_next("chat.update", 1);
    edit_story(&bot, "in November 2024.", "on 14 November 2024.").await;
    let limited = fake
        .call(
            |call| call.method == "chat.update" && call.status == 429,
            EDITS,
        )
        .await;
    let update = updated(fake, &answer).await;
    assert_eq!(update.status, 200);
    assert!(
        update.at.duration_since(limited.at) >= Duration::from_secs(1),
        "not before Retry-After"
    );
    assert_eq!(
        report(fake).await,
        "Corrected 1 earlier answer about port-opening"
    );
    let tries = fake
        .calls()
        .iter()
        .filter(|call| call.method == "chat.update")
        .count();
    assert_eq!(tries, 2, "the 429 and the one update");
    bot.stop().await;
}

/// A running `factbot run`, killed when dropped.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn write_config(dir: &Path) -> std::path::PathBuf {
    let facts = dir.join("story.toml");
    std::fs::write(&facts, facts_file(STORY)).expect("facts");
    let path = dir.join("factbot.toml");
    let config = format!(
        "facts = {:?}\n[history]\nenabled = false\n[reload]\nwatch = false\n\
         [corrections]\npace_ms = 1\n[discord]\nuser_cooldown_secs = 0\n[slack]\nuser_cooldown_secs = 0\n",
        facts.display().to_string()
    );
    std::fs::write(&path, config).expect("config");
    path
}

#[tokio::test]
async fn one_process_on_discord_and_slack_corrects_both() {
    use crate::fake_discord::{FakeConfig, FakeDiscord};
    let slack = FakeSlack::start().await;
    let discord = FakeDiscord::start_with(FakeConfig {
        expected_token: Some("fake-token".into()),
        ..FakeConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let bot = Child(
        std::process::Command::new(env!("CARGO_BIN_EXE_factbot"))
            .current_dir(dir.path())
            .args(["run", "--config"])
            .arg(&config)
            .env_remove("RUST_LOG")
            .env("DISCORD_TOKEN", "fake-token")
            .env("FACTBOT_DISCORD_API_URL", discord.api_url())
            .env("FACTBOT_DISCORD_CA_CERT", discord.ca_cert())
            .env("SLACK_BOT_TOKEN", BOT_TOKEN)
            .env("SLACK_APP_TOKEN", APP_TOKEN)
            .env("FACTBOT_SLACK_API_URL", slack.api_url())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
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
        "<@1000> when did the Chancay port open?",
        &[1000],
    );
    discord.dispatch("MESSAGE_CREATE", message).await;
    let on_discord = crate::bot::posted(&discord, 500, T).await;
    let discord_id = on_discord.response["id"]
        .as_str()
        .expect("the Discord message id")
        .to_owned();
    let on_slack = mention(&slack, "e1", "when did the Chancay port open?").await;

    tokio::time::sleep(Duration::from_millis(200)).await;
    let story = std::fs::read_to_string(dir.path().join("story.toml")).expect("story");
    std::fs::write(
        dir.path().join("story.toml"),
        story.replace("in November 2024.", "on 14 November 2024."),
    )
    .expect("edit");
    let status = std::process::Command::new("kill")
        .args(["-HUP", &bot.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());

    let path = format!("/api/v10/channels/500/messages/{discord_id}");
    let patched = discord
        .wait_for_request(move |r| r.method == "PATCH" && r.path == path, EDITS)
        .await;
    assert!(
        crate::bot::description(&patched.body)
            .starts_with("The Chancay port opened on 14 November 2024.\n\nCorrected on "),
        "{}",
        patched.body
    );
    let update = updated(&slack, &on_slack).await;
    assert!(
        first_text(&update.body)
            .starts_with("The Chancay port opened on 14 November 2024.\n\nCorrected on "),
        "{}",
        update.body
    );
}
