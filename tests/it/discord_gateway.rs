//! The gateway misbehaving, and where the bot hears from: reconnect requests, invalid
//! sessions, a session lost while away, malformed dispatches, a mention right after READY,
//! threads under the allow-list, and the `http://` proxy mode. All against the fake Discord
//! over HTTPS (the production REST path) except the proxy test.

use std::sync::Arc;
use std::time::Duration;

use factbot::config::{DiscordConfig, Snowflake};
use factbot::discord::{self, Token};
use factbot::matcher::MatchSettings;
use factbot::store::FactStore;
use serde_json::json;

use crate::bot::description;
use crate::discord::{start, write_story, BOT, CHANNEL, GUILD, OTHER_CHANNEL, T, TOKEN, USER};
use crate::fake_discord::{FakeConfig, FakeDiscord, Origin};

/// serenity re-IDENTIFYs through its shard manager's restart, about five seconds.
const REIDENTIFY: Duration = Duration::from_secs(15);

#[tokio::test]
async fn a_reconnect_request_op_7_is_resumed_and_the_bot_still_answers() {
    let bot = start(|_| {}).await;
    assert!(bot.fake.request_reconnect().await);
    bot.mention(CHANNEL, USER, "who owns the port?").await;
    let stats = bot
        .fake
        .wait_gateway(|s| s.resumes_accepted == 1 && s.live, T)
        .await;
    assert_eq!(stats.identifies, 1, "resumed, not re-identified");
    assert!(description(&bot.posted(CHANNEL).await.body).starts_with("Cosco"));
    bot.stop().await;
}

#[tokio::test]
async fn an_invalid_session_op_9_is_identified_again_and_the_bot_still_answers() {
    let bot = start(|_| {}).await;
    assert!(bot.fake.invalidate_session(false).await);
    bot.fake
        .wait_gateway(|s| s.identifies == 2 && s.live, REIDENTIFY)
        .await;
    bot.mention(CHANNEL, USER, "who owns the port?").await;
    assert!(description(&bot.posted(CHANNEL).await.body).starts_with("Cosco"));
    bot.stopped().await;
}

/// The connection drops and Discord has forgotten the session by the time the bot is back
/// (RESUME answered with op 9): the bot identifies again and answers what comes next. What
/// was said while it was away is gone, as on Discord.
#[tokio::test]
async fn a_session_lost_while_away_is_identified_again_and_the_bot_still_answers() {
    let bot = start(|_| {}).await;
    bot.fake.set_resumable(false);
    assert!(bot.fake.drop_connection().await);
    let stats = bot
        .fake
        .wait_gateway(|s| s.identifies == 2 && s.live, REIDENTIFY)
        .await;
    assert!(stats.resumes >= 1, "tried to resume first: {stats:?}");
    bot.mention(CHANNEL, USER, "when did the Chancay port open?")
        .await;
    assert!(description(&bot.posted(CHANNEL).await.body).starts_with("The Chancay port opened"));
    bot.stopped().await;
}

#[tokio::test]
async fn malformed_dispatches_are_skipped_and_the_next_question_is_answered() {
    let bot = start(|_| {}).await;
    let fake = &bot.fake;
    let mut wrong_types = fake.message_create(CHANNEL, Some(GUILD), USER, false, "x", &[BOT]);
    wrong_types["content"] = json!(42);
    wrong_types["author"] = json!("nobody");
    for (event, data) in [
        ("MESSAGE_CREATE", json!({"id": "not a number"})),
        ("MESSAGE_CREATE", json!(null)),
        ("MESSAGE_CREATE", wrong_types),
        ("INTERACTION_CREATE", json!({"type": 99, "id": "1"})),
        ("NOT_AN_EVENT", json!({"anything": [1, 2, 3]})),
    ] {
        fake.dispatch(event, data).await;
    }
    assert!(fake.send_raw(json!({"op": 0, "t": "MESSAGE_CREATE", "d": {}})));
    assert!(fake.send_raw(json!({"op": 1234, "d": "?"})));
    bot.mention(CHANNEL, USER, "who owns the port?").await;
    assert!(description(&bot.posted(CHANNEL).await.body).starts_with("Cosco"));
    let stats = fake.gateway_stats();
    assert_eq!((stats.identifies, stats.live), (1, true), "{stats:?}");
    assert_eq!(bot.posts_to(CHANNEL).len(), 1, "nothing else was posted");
    bot.stop().await;
}

/// The bot learns its own id (`GET /users/@me`) before it connects, so a mention that comes
/// on the heels of READY, while READY's handler may still be running, is recognised.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_one_millisecond_after_ready_is_answered() {
    let bot = start(|_| {}).await;
    tokio::time::sleep(Duration::from_millis(1)).await;
    bot.mention(CHANNEL, USER, "who owns the port?").await;
    assert!(description(&bot.posted(CHANNEL).await.body).starts_with("Cosco"));
    assert!(
        bot.fake
            .requests()
            .iter()
            .any(|r| r.method == "GET" && r.path == "/api/v10/users/@me"),
        "asked who it is before connecting"
    );
    bot.stop().await;
}

#[tokio::test]
async fn threads_of_allowed_channels_are_answered_and_threads_of_others_are_not() {
    const THREAD: u64 = 900;
    const OTHER_THREAD: u64 = 901;
    let bot = start(|config| {
        config
            .allowed_channels
            .insert(Snowflake(GUILD), vec![Snowflake(CHANNEL)]);
    })
    .await;
    bot.fake.add_thread(THREAD, CHANNEL, GUILD);
    bot.fake.add_thread(OTHER_THREAD, OTHER_CHANNEL, GUILD);
    bot.mention(OTHER_THREAD, USER, "who owns the port?").await;
    bot.mention(THREAD, USER, "who owns the port?").await;
    assert!(description(&bot.posted(THREAD).await.body).starts_with("Cosco"));
    bot.mention(THREAD, USER, "when did the Chancay port open?")
        .await;
    assert!(description(&bot.posted(THREAD).await.body).starts_with("The Chancay port opened"));

    let ask = json!([{"name": "question", "type": 3, "value": "who owns the port"}]);
    bot.command(&Origin::guild(THREAD, GUILD, USER), "ask", ask.clone())
        .await;
    let answered = bot.callback().await;
    assert!(description(&answered.body["data"]).starts_with("Cosco"));
    bot.command(&Origin::guild(OTHER_THREAD, GUILD, USER), "ask", ask)
        .await;
    let refused = bot.callback().await;
    assert!(refused.body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .contains("don't answer in this channel"));
    assert!(
        bot.posts_to(OTHER_THREAD).is_empty(),
        "quiet in a thread of a channel outside the allow-list"
    );
    let lookups = bot
        .fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == format!("/api/v10/channels/{THREAD}"))
        .count();
    assert_eq!(lookups, 1, "a thread's parent is asked for once");
    bot.stop().await;
}

/// `http://` stays for a rate-limiting proxy in front of Discord: the bot sends every call
/// to it, ratelimiter off, and answers as usual.
#[tokio::test]
async fn through_an_http_proxy_the_bot_answers_as_usual() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(
        FactStore::open(vec![write_story(dir.path())], MatchSettings::default())
            .expect("fixture facts load"),
    );
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some(TOKEN.into()),
        ..FakeConfig::default()
    })
    .await;
    let config = DiscordConfig {
        api_url: Some(fake.proxy_url()),
        user_cooldown_secs: 0.0,
        channel_max_answers: 0,
        ..DiscordConfig::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let token = Token::new(TOKEN, "test").expect("token");
        discord::run(&config, &token, store, async {
            let _ = stopped.await;
        })
        .await
    });
    fake.wait_identified(T).await;
    let message = fake.message_create(
        CHANNEL,
        Some(GUILD),
        USER,
        false,
        "<@1000> who owns the port?",
        &[BOT],
    );
    fake.dispatch("MESSAGE_CREATE", message).await;
    let posted = crate::bot::posted(&fake, CHANNEL, T).await;
    assert!(description(&posted.body).starts_with("Cosco"));
    let _ = stop.send(());
    let ended = tokio::time::timeout(T, task).await.expect("stops");
    assert!(matches!(ended, Ok(Ok(()))), "{ended:?}");
}
