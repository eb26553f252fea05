//! Latency and memory of `factbot run` on loopback: not a test, a measurement for the issue
//! note. Run with `cargo bench --bench discord`.
//!
//! It starts the fake Discord, runs the release `factbot` binary against it (as a separate
//! process, so its RSS is the bot's alone) with the bundled facts, sends 10,000 mentions one at a
//! time, and reports the time from the fake's MESSAGE_CREATE to the bot's REST call (median and
//! tail), and the bot's RSS after start, after the questions, and after 20 reloads (SIGHUP, one
//! a second, each a full load and index of the facts). The time includes the
//! websocket frame, the Discord library's parsing, matching, laying out, and the HTTP request
//! on loopback: it is an upper bound of what factbot adds.
//!
//! First, a flood under Discord's per-channel bucket (see [`flood`]; `-- flood` runs it
//! alone, `-- memory` skips it). Then the one-at-a-time run, twice: with the history database
//! recording every question (the default), and
//! without, so the cost of recording on the answer path shows. The database is written in a
//! temporary folder, and the count of records written is checked. With
//! `FACTBOT_TEST_DATABASE_URL` set (as `.ci/run` sets it) it runs a third time with the
//! question log on PostgreSQL, in a database of its own that it drops afterwards.
//!
//! With `FACTBOT_BENCH_SMAPS` naming a folder, the bot's `/proc/PID/smaps` is copied there at
//! each point its RSS is read, to see which mappings grew; `FACTBOT_BENCH_BIN` runs another
//! build of the bot instead of the release binary (one with another allocator, say).

#[allow(dead_code, unused_imports)]
#[path = "../tests/it/fake_discord.rs"]
mod fake_discord;
#[allow(dead_code)]
#[path = "../tests/it/fake_tls.rs"]
mod fake_tls;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_discord::{Bucket, FakeConfig, FakeDiscord};

const QUESTIONS: usize = 10_000;
const RELOADS: usize = 20;
const CHANNEL: u64 = 500;
const GUILD: u64 = 600;
const TOKEN: &str = "bench-token";
/// The question sets members' questions are sampled from (`tests/eval/`): some 700 in English
/// and Spanish, in and out of scope, asked in turn, so the bot meets as many different words
/// (and the pages of the tables that hold them) as a day of members would bring.
const QUESTION_SETS: [&str; 4] = [
    "heldout.jsonl",
    "heldout2.jsonl",
    "heldout3.jsonl",
    "heldout4.jsonl",
];

fn questions() -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    let mut asked = Vec::new();
    for set in QUESTION_SETS {
        let text = std::fs::read_to_string(folder.join(set)).expect("a question set");
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            let entry: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            asked.push(entry["q"].as_str().expect("a question").replace('\n', " "));
        }
    }
    asked
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Keeps the bot's mappings at one point of a run, when `FACTBOT_BENCH_SMAPS` asks for them.
fn keep_smaps(pid: u32, log: &Log, point: &str) {
    let Some(dir) = std::env::var_os("FACTBOT_BENCH_SMAPS") else {
        return;
    };
    let name = match log {
        Log::Off => "off",
        Log::Sqlite => "sqlite",
        Log::Postgres(_) => "postgres",
    };
    let smaps = std::fs::read(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let _ = std::fs::write(Path::new(&dir).join(format!("{name}-{point}.smaps")), smaps);
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    if std::env::args().any(|arg| arg == "--list") {
        return; // `cargo bench -- --list` and `cargo test --benches` ask for a listing
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if !std::env::args().any(|arg| arg == "memory") {
        runtime.block_on(flood());
    }
    if std::env::args().any(|arg| arg == "flood") {
        return; // `cargo bench --bench discord -- flood`: the flood alone
    }
    runtime.block_on(measure(Log::Off));
    runtime.block_on(measure(Log::Sqlite));
    if let Some(admin) = std::env::var("FACTBOT_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    {
        let name = format!("factbot_bench_{}", std::process::id());
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("PostgreSQL");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create the bench database");
        let (base, _) = admin.rsplit_once('/').expect("a database in the URL");
        let url = format!("{base}/{name}");
        runtime.block_on(measure(Log::Postgres(url)));
        let _ = client.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"));
    }
}

/// `factbot run` (the release binary) on the bundled facts against `fake` over HTTPS, the
/// production REST path, with cooldowns off.
fn bot_command(dir: &Path, fake: &FakeDiscord, history: bool) -> Command {
    let facts = Path::new(env!("CARGO_MANIFEST_DIR")).join("facts");
    let config = dir.join("factbot.toml");
    std::fs::write(
        &config,
        format!(
            "facts = {:?}\n[history]\nenabled = {history}\n[discord]\nuser_cooldown_secs = 0\nchannel_max_answers = 0\n",
            facts.display().to_string()
        ),
    )
    .expect("config");
    let binary = std::env::var_os("FACTBOT_BENCH_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_factbot").into());
    let mut command = Command::new(binary);
    command
        .args(["run", "--config"])
        .arg(&config)
        .current_dir(dir)
        .env("DISCORD_TOKEN", TOKEN)
        .env("FACTBOT_DISCORD_API_URL", fake.api_url())
        .env("FACTBOT_DISCORD_CA_CERT", fake.ca_cert())
        .env_remove("FACTBOT_DATABASE_URL")
        .env_remove("RUST_LOG")
        .stderr(Stdio::null());
    command
}

/// 1,000 questions from 1,000 members over 100 channels at 200 a second, under Discord's
/// per-channel bucket (5 messages per 5 s): the time from each MESSAGE_CREATE to its reply's
/// accepted POST, which for most replies is the wait for their channel's bucket.
async fn flood() {
    const FLOOD: u64 = 1000;
    const CHANNELS: u64 = 100;
    let questions = questions();
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some(TOKEN.into()),
        message_bucket: Some(Bucket::DISCORD_CHANNEL),
        ..FakeConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bot = bot_command(dir.path(), &fake, false)
        .spawn()
        .expect("spawn factbot");
    fake.wait_identified(Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    let mut asked = HashMap::new();
    for i in 0..FLOOD {
        tokio::time::sleep_until((started + Duration::from_millis(i * 5)).into()).await;
        let content = format!("<@1000> {}", questions[i as usize % questions.len()]);
        let channel = 10_000 + i % CHANNELS;
        let message =
            fake.message_create(channel, Some(GUILD), 20_000 + i, false, &content, &[1000]);
        let id = message["id"].as_str().expect("id").to_owned();
        asked.insert(id, Instant::now());
        fake.dispatch("MESSAGE_CREATE", message).await;
    }
    fake.wait_messages(FLOOD as usize, Duration::from_secs(120))
        .await;
    let elapsed = started.elapsed();
    let requests = fake.requests();
    let mut latencies: Vec<Duration> = requests
        .iter()
        .filter(|r| r.status == 200 && r.path.ends_with("/messages"))
        .filter_map(|r| {
            Some(
                r.received_at
                    .duration_since(*asked.get(r.body["nonce"].as_str()?)?),
            )
        })
        .collect();
    latencies.sort_unstable();
    let limited = requests.iter().filter(|r| r.status == 429).count();
    println!(
        "flood: {FLOOD} questions, {FLOOD} members, {CHANNELS} channels, 200/s, bucket 5 per 5 s: \
         {} replies in {elapsed:?}, {limited} calls answered 429, {} came back early",
        latencies.len(),
        fake.early_retries().len()
    );
    println!(
        "MESSAGE_CREATE -> accepted reply: median {:?}, p90 {:?}, p99 {:?}, max {:?}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.9),
        percentile(&latencies, 0.99),
        latencies[latencies.len() - 1],
    );
    let _ = Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status();
    let _ = bot.wait();
}

/// Where the bot keeps its question log during a run.
enum Log {
    Off,
    Sqlite,
    Postgres(String),
}

async fn measure(log: Log) {
    let history = !matches!(log, Log::Off);
    let asked = questions();
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some(TOKEN.into()),
        ..FakeConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut command = bot_command(dir.path(), &fake, history);
    if let Log::Postgres(url) = &log {
        command.env("FACTBOT_DATABASE_URL", url);
    }
    let mut bot = command.spawn().expect("spawn factbot");
    fake.wait_identified(Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_start = rss_kib(bot.id());
    keep_smaps(bot.id(), &log, "start");

    let path = format!("/api/v10/channels/{CHANNEL}/messages");
    let mut latencies = Vec::with_capacity(QUESTIONS);
    for i in 0..QUESTIONS {
        let content = format!("<@1000> {}", asked[i % asked.len()]);
        let message = fake.message_create(
            CHANNEL,
            Some(GUILD),
            700 + (i as u64 % 50),
            false,
            &content,
            &[1000],
        );
        let sent = Instant::now();
        fake.dispatch("MESSAGE_CREATE", message).await;
        let path = path.clone();
        let reply = fake
            .wait_for_request(
                move |r| r.method == "POST" && r.path == path,
                Duration::from_secs(5),
            )
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.response);
        latencies.push(reply.received_at.duration_since(sent));
    }
    let rss_after = rss_kib(bot.id());
    keep_smaps(bot.id(), &log, "questions");
    latencies.sort_unstable();
    let mut rss_reloads = Vec::with_capacity(RELOADS);
    for _ in 0..RELOADS {
        let _ = Command::new("kill")
            .args(["-HUP", &bot.id().to_string()])
            .status();
        tokio::time::sleep(Duration::from_secs(1)).await;
        rss_reloads.push(rss_kib(bot.id()));
        keep_smaps(bot.id(), &log, &format!("reload{}", rss_reloads.len()));
    }

    let stopping = Instant::now();
    let _ = Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status();
    let status = bot.wait().expect("wait for factbot");
    let stats = fake.gateway_stats();

    println!(
        "history {}: questions: {QUESTIONS} (one at a time, {} distinct)",
        match log {
            Log::Off => "off",
            Log::Sqlite => "on (SQLite)",
            Log::Postgres(_) => "on (PostgreSQL)",
        },
        asked.len()
    );
    println!(
        "MESSAGE_CREATE -> REST call: median {:?}, p90 {:?}, p99 {:?}, max {:?}, min {:?}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.9),
        percentile(&latencies, 0.99),
        latencies[latencies.len() - 1],
        latencies[0]
    );
    println!(
        "bot RSS: {:.1} MiB after start, {:.1} MiB after {QUESTIONS} questions, {:.1} MiB after {RELOADS} reloads (after each: {})",
        rss_start as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        rss_reloads[RELOADS - 1] as f64 / 1024.0,
        rss_reloads
            .iter()
            .map(|kib| format!("{:.1}", *kib as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "SIGTERM -> exit {status} in {:?}; gateway close codes {:?}",
        stopping.elapsed(),
        stats.close_codes_from_bot
    );
    if history {
        let location = match log {
            Log::Postgres(url) => factbot::config::DatabaseLocation::parse(&url),
            _ => dir.path().join("data/factbot.db").into(),
        };
        // The blocking PostgreSQL client may not run on an async worker as it is.
        let recorded = tokio::task::block_in_place(|| {
            factbot::history::Database::open_existing(location)
                .and_then(|mut db| db.question_count())
        })
        .expect("history database");
        println!("questions recorded: {recorded}");
        assert_eq!(recorded, QUESTIONS as u64);
    }
}
