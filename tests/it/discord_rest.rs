//! Discord's REST API failing the way Discord documents it, against the fake over HTTPS (the
//! production path, serenity's ratelimiter on): 429s per route and global waited out for
//! their `Retry-After`, a per-channel bucket queueing replies, 5xx and hung calls retried with
//! the nonce Discord enforces, so each question gets one reply and it is the answer.

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::time::timeout;

use crate::bot::description;
use crate::discord::{start, start_with, Logs, Running, CHANNEL, T, TOKEN, USER};
use crate::fake_discord::{Bucket, Failure, FakeConfig};

const SORRY: &str = "Sorry, something went wrong on my side. Please try again in a moment.";

fn message_posts(method: &str, path: &str) -> bool {
    method == "POST" && path.ends_with("/messages")
}

/// The messages the bot made in reply to `question` (a member's message id).
fn replies_to<'a>(messages: &'a [Value], question: &str) -> Vec<&'a Value> {
    messages
        .iter()
        .filter(|message| message["message_reference"]["message_id"] == question)
        .collect()
}

/// Waits `settle` for anything more the bot might post, then returns every message made.
async fn after(bot: &Running, settle: Duration) -> Vec<Value> {
    tokio::time::sleep(settle).await;
    bot.fake.messages()
}

#[tokio::test]
async fn a_server_error_then_success_gives_one_reply_and_it_is_the_answer() {
    let bot = start(|_| {}).await;
    bot.fake
        .fail_next_where(message_posts, Failure::ServerError);
    let question = bot.mention(CHANNEL, USER, "who owns the port?").await;
    let failed = bot.posted(CHANNEL).await;
    assert_eq!(failed.status, 500);
    let delivered = bot.posted(CHANNEL).await;
    assert_eq!(delivered.status, 200);
    assert!(description(&delivered.body).starts_with("Cosco"));
    assert_eq!(
        failed.body["nonce"], question,
        "the member's message id is the nonce"
    );
    assert_eq!(delivered.body["nonce"], question);
    assert_eq!(delivered.body["enforce_nonce"], true);
    let messages = after(&bot, Duration::from_millis(300)).await;
    assert_eq!(messages.len(), 1, "one reply, no apology: {messages:#?}");
    bot.stop().await;
}

/// Discord fails after it made the message (a 502 from its edge), four times running: the
/// retries find the message by its nonce, and the apology sent last finds it too, so the
/// member sees the answer once and no apology.
#[tokio::test]
async fn a_reply_made_despite_errors_is_neither_repeated_nor_apologised_for() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let bot = start(|_| {}).await;
    for _ in 0..4 {
        bot.fake
            .fail_next_where(message_posts, Failure::AfterDoing { status: 502 });
    }
    let question = bot.mention(CHANNEL, USER, "who owns the port?").await;
    // The first try, three retries one, two and four seconds apart, then the apology.
    for _ in 0..4 {
        let failed = bot.fake.wait_for_request(
            |r| r.method == "POST" && r.path.ends_with("/messages"),
            Duration::from_secs(6),
        );
        assert_eq!(failed.await.status, 502);
    }
    let apology = bot.posted(CHANNEL).await;
    assert_eq!(apology.body["content"], SORRY, "the apology was sent…");
    assert_eq!(apology.body["nonce"], question);
    assert!(
        description(&apology.response).starts_with("Cosco"),
        "…and Discord answered it with the answer already made: {:#}",
        apology.response
    );
    let messages = after(&bot, Duration::from_millis(300)).await;
    assert_eq!(replies_to(&messages, &question).len(), 1, "{messages:#?}");
    assert!(description(&messages[0]).starts_with("Cosco"));
    bot.stop().await;
    let text = logs.text();
    assert!(text.contains("answered 502"), "{text}");
    assert!(!text.contains(TOKEN), "the token never reaches the log");
}

#[tokio::test]
async fn a_reply_refused_for_good_gets_one_apology_and_the_bot_stays_alive() {
    let bot = start(|_| {}).await;
    bot.fake.fail_next_where(
        message_posts,
        Failure::Status {
            status: 403,
            body: serde_json::json!({"message": "Missing Access", "code": 50001}),
        },
    );
    bot.mention(CHANNEL, USER, "who owns the port?").await;
    assert_eq!(bot.posted(CHANNEL).await.status, 403, "not retried");
    let apology = bot.posted(CHANNEL).await;
    assert_eq!(apology.body["content"], SORRY);
    bot.mention(CHANNEL, USER, "when did the Chancay port open?")
        .await;
    assert!(
        description(&bot.posted(CHANNEL).await.body).starts_with("The Chancay port opened"),
        "still answering"
    );
    bot.stop().await;
}

/// A call Discord never answers is abandoned after the client's timeout (ten seconds) and
/// sent again with its nonce; Discord had made the message, so it is not made twice.
#[tokio::test]
async fn a_hung_reply_is_abandoned_and_sent_again_without_a_second_message() {
    let bot = start(|_| {}).await;
    bot.fake.fail_next_where(message_posts, Failure::Hang);
    let question = bot.mention(CHANNEL, USER, "who owns the port?").await;
    let hung = bot.posted(CHANNEL).await;
    let again = bot
        .fake
        .wait_for_request(
            |r| r.method == "POST" && r.path.ends_with("/messages"),
            Duration::from_secs(15),
        )
        .await;
    let waited = again.received_at.duration_since(hung.received_at);
    assert!(waited >= Duration::from_secs(10), "{waited:?}");
    assert_eq!(again.status, 200);
    assert!(description(&again.response).starts_with("Cosco"));
    let messages = after(&bot, Duration::from_millis(300)).await;
    assert_eq!(replies_to(&messages, &question).len(), 1, "{messages:#?}");
    assert_eq!(messages.len(), 1, "no apology");
    bot.stop().await;
}

/// A 429 of 2.5 s: the reply comes once, not before 2.5 s (serenity waits the header's
/// whole seconds, 3).
async fn rate_limited_once(global: bool) {
    let bot = start(|_| {}).await;
    bot.fake.fail_next_where(
        message_posts,
        Failure::RateLimited {
            retry_after_secs: 2.5,
            global,
        },
    );
    let question = bot.mention(CHANNEL, USER, "who owns the port?").await;
    let limited = bot.posted(CHANNEL).await;
    assert_eq!(limited.status, 429);
    let delivered = bot.posted(CHANNEL).await;
    assert_eq!(delivered.status, 200);
    let waited = delivered.received_at.duration_since(limited.received_at);
    assert!(waited >= Duration::from_millis(2500), "{waited:?}");
    assert!(description(&delivered.body).starts_with("Cosco"));
    let messages = after(&bot, Duration::from_millis(300)).await;
    assert_eq!(replies_to(&messages, &question).len(), 1);
    assert_eq!(messages.len(), 1);
    assert_eq!(bot.fake.early_retries(), Vec::<String>::new());
    bot.stop().await;
}

#[tokio::test]
async fn a_route_429_is_waited_out_for_its_retry_after() {
    rate_limited_once(false).await;
}

#[tokio::test]
async fn a_global_429_is_waited_out_for_its_retry_after() {
    rate_limited_once(true).await;
}

/// 1,000 questions from 1,000 members over 100 channels at 200 a second, under Discord's
/// bucket of 5 messages per 5 s per channel: every question gets exactly one reply, the
/// answer, and no call comes back before the wait Discord asked for. (Latency figures: the
/// `discord` bench.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_under_the_channel_bucket_is_answered_once_each_and_never_early() {
    const QUESTIONS: u64 = 1000;
    const CHANNELS: u64 = 100;
    let bot = start_with(
        FakeConfig {
            message_bucket: Some(Bucket::DISCORD_CHANNEL),
            ..FakeConfig::default()
        },
        |_| {},
    )
    .await;
    let started = Instant::now();
    let mut questions = Vec::with_capacity(QUESTIONS as usize);
    for i in 0..QUESTIONS {
        let due = started + Duration::from_millis(i * 5);
        tokio::time::sleep_until(due.into()).await;
        let channel = 10_000 + i % CHANNELS;
        let member = 20_000 + i;
        questions.push(bot.mention(channel, member, "who owns the port?").await);
    }
    let messages = bot
        .fake
        .wait_messages(QUESTIONS as usize, Duration::from_secs(60))
        .await;
    assert_eq!(messages.len(), QUESTIONS as usize);
    let messages = after(&bot, Duration::from_millis(500)).await;
    for question in &questions {
        let replies = replies_to(&messages, question);
        assert_eq!(replies.len(), 1, "question {question}: {replies:#?}");
        assert!(description(replies[0]).starts_with("Cosco"));
    }
    assert_eq!(messages.len(), QUESTIONS as usize, "no other message");
    assert_eq!(bot.fake.early_retries(), Vec::<String>::new());
    let limited = bot
        .fake
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .count();
    println!(
        "flood: {QUESTIONS} answered in {:?}, {limited} calls answered 429",
        started.elapsed()
    );
    timeout(T, bot.stop()).await.expect("stops");
}
